"""Charts in one style, for the screen and for reports alike.

The ParkBench Altair theme (Chinese fonts, readable sizes, a colour-blind-safe
palette) is registered here; pages draw charts with ``theme=None`` so what is
on screen is what an exported image shows.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from parkbench.catalog import metric_label, metric_unit

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"
SOURCE_NOTE = "数据来源：各园区报送，ParkBench 计算"
SOURCE_NOTE_EN = "Source: park submissions; computed by ParkBench"
# Okabe–Ito: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
HIGHLIGHT = "#D55E00"
MUTED = "#8AA6C1"
REFERENCE = "#333333"


def theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "padding": {"left": 10, "right": 20, "top": 10, "bottom": 10},
            "title": {"fontSize": 18, "fontWeight": "bold", "anchor": "start", "subtitleFontSize": 13,
                      "subtitleColor": "#555555", "offset": 12},
            "axis": {"labelFontSize": 13, "titleFontSize": 13, "labelAngle": 0, "gridColor": "#E6E6E6",
                     "domainColor": "#999999", "tickColor": "#999999", "titleColor": "#333333"},
            "legend": {"labelFontSize": 13, "titleFontSize": 13, "orient": "bottom"},
            "range": {"category": PALETTE},
            "view": {"stroke": None},
            "bar": {"color": MUTED},
            "text": {"fontSize": 13},
            "locale": {"number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["¥", ""]}},
        }
    }


alt.theme.register("parkbench", enable=True)(theme)


def value_format(metric: str) -> str:
    unit = metric_unit(metric)
    return ",.1f" if unit == "%" else ",.2f"


def compare_bars(frame: pd.DataFrame, metric: str, period_label: str, highlight: str | None = None,
                 lang: str = "zh") -> alt.LayerChart:
    """Parks side by side for one metric and month: horizontal bars sorted
    best first, values on the bars, the peer mean as a dashed rule, the
    user's park in the accent colour. Parks without a value are listed as
    未报送 in the table, not drawn as zero."""
    data = frame[frame["value"].notna()].copy()
    data["highlight"] = data["park"] == highlight
    label = metric_label(metric, lang)
    unit = metric_unit(metric)
    fmt = value_format(metric)
    order = data.sort_values("value", ascending=False)["park"].tolist()
    mean = float(data["value"].mean()) if len(data) else 0.0

    base = alt.Chart(data).encode(
        y=alt.Y("park:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
    )
    bars = base.mark_bar(height={"band": 0.7}).encode(
        x=alt.X("value:Q", title=label, axis=alt.Axis(format=fmt.replace(".2f", ".1f"))),
        color=alt.condition(alt.datum.highlight, alt.value(HIGHLIGHT), alt.value(MUTED)),
        tooltip=[alt.Tooltip("park:N", title="园区" if lang == "zh" else "Park"),
                 alt.Tooltip("value:Q", title=label, format=fmt),
                 alt.Tooltip("rank:Q", title="排名" if lang == "zh" else "Rank")],
    )
    labels = base.mark_text(align="left", dx=4, color="#222222").encode(
        x="value:Q", text=alt.Text("value:Q", format=fmt))
    rule_data = pd.DataFrame({"mean": [mean], "label": [
        (f"园区平均 {mean:{fmt}}" if lang == "zh" else f"Peer mean {mean:{fmt}}")]})
    rule = alt.Chart(rule_data).mark_rule(color=REFERENCE, strokeDash=[6, 4], size=1.5).encode(x="mean:Q")
    rule_text = alt.Chart(rule_data).mark_text(align="left", dx=4, dy=-8, color=REFERENCE, fontSize=12).encode(
        x="mean:Q", y=alt.value(0), text="label:N")
    title = f"{label.split('（')[0] if lang == 'zh' else label.split(' (')[0]}：园区对比" if lang == "zh" else \
        f"{label.split(' (')[0]}: parks compared"
    subtitle = [f"{period_label}　单位：{unit}" if lang == "zh" else f"{period_label}  Unit: {unit}",
                SOURCE_NOTE if lang == "zh" else SOURCE_NOTE_EN]
    return (bars + labels + rule + rule_text).properties(
        title=alt.TitleParams(title, subtitle=subtitle),
        height=alt.Step(42),
        width="container",
    )
