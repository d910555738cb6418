"""Charts in one style, for the screen and for reports alike.

The ParkBench Altair theme (Chinese fonts, readable sizes, a colour-blind-safe
palette) is registered here; pages draw charts with ``theme=None`` so what is
on screen is what an exported image shows.
"""

from __future__ import annotations

import math
import warnings

import altair as alt
import pandas as pd

from parkbench.catalog import metric_label, metric_unit, unit_label
from parkbench.models.enterprises import NOT_LEADING
from parkbench.output import scale
from parkbench.output.export import display_width

FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, SimHei, sans-serif"
SOURCE_NOTE = "数据来源：各园区报送，ParkBench 计算"
SOURCE_NOTE_EN = "Source: park submissions; computed by ParkBench"
# Okabe–Ito: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
HIGHLIGHT = "#D55E00"
MUTED = "#8AA6C1"
REFERENCE = "#333333"
INK = "#111111"  # a value label written inside a bar


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


WIDTH = 880  # on screen; exported images are laid out anew per preset (parkbench/output/images.py)


def value_format(metric: str) -> str:
    unit = metric_unit(metric)
    return ",.1f" if unit == "%" else ",.2f"


def _zh(lang: str) -> bool:
    return lang == "zh"


def short_label(metric: str, lang: str = "zh") -> str:
    label = metric_label(metric, lang)
    return label.split("（")[0] if _zh(lang) else label.split(" (")[0]


# A title or subtitle line longer than these widths (a Chinese character counts 2, anything else 1) is
# broken into lines: Vega cuts a line at the chart's width ("虚线为平均，点线为…"), and on a phone
# (390 px) a chart is about 358 px wide — some 17 characters of the 18 px title, 24 of the 13 px subtitle.
TITLE_WIDTH = 34
SUBTITLE_WIDTH = 48
BREAKS = ("　", "，；、：:;, ")  # a line is broken after a wide space first, else after punctuation, else anywhere


def broken_lines(text: str, width: int) -> list[str]:
    """``text`` (lines separated by "\n") as lines of at most ``width`` (see TITLE_WIDTH): broken
    after a wide space where that is enough, else after punctuation, else inside a word;
    nothing dropped but the spaces at a break."""
    return [line for given in text.split("\n") for line in _fitted(given, width, 0)]


def _fitted(text: str, width: int, level: int) -> list[str]:
    if display_width(text.rstrip(" 　")) <= width:
        return [text.rstrip(" 　")]
    if level == len(BREAKS):  # no separator left: cut between characters
        cut = max(i for i in range(1, len(text) + 1) if display_width(text[:i]) <= width)
        return [text[:cut], *_fitted(text[cut:], width, level)]
    pieces, piece = [], ""
    for ch in text:
        piece += ch
        if ch in BREAKS[level]:
            pieces.append(piece)
            piece = ""
    pieces.append(piece)
    lines, line = [], ""
    for piece in filter(None, pieces):
        if line and display_width(line + piece.rstrip(" 　")) > width:
            lines.append(line)
            line = ""
        line += piece
    lines.append(line)
    return [fitted for line in lines for fitted in _fitted(line, width, level + 1)]


def title_params(title: str, subtitle: str, **style) -> alt.TitleParams:
    """Title and subtitle (a line per "\n") broken into lines that fit a phone-wide chart."""
    return alt.TitleParams(broken_lines(title, TITLE_WIDTH), subtitle=broken_lines(subtitle, SUBTITLE_WIDTH), **style)


def titled(chart, title: str, subtitle: str, lang: str = "zh"):
    """Chinese title, a subtitle with period and unit (a line per "\n"), and the source note."""
    return chart.properties(title=title_params(title, f"{subtitle}\n{SOURCE_NOTE if _zh(lang) else SOURCE_NOTE_EN}"))


def compare_bars(frame: pd.DataFrame, metric: str, period_label: str, highlight: str | None = None,
                 lang: str = "zh", width: int = WIDTH, compact: bool = False, note: str | None = None) -> alt.LayerChart:
    """Parks side by side for one metric and month: horizontal bars sorted
    best first, values on the bars, the peer mean (dashed) and median (dotted)
    as rules, the user's park in the accent colour. Clicking a bar selects the
    park (point selection "pick" on field park). Parks without a value are
    left out of the bars and listed as 未报送 below the chart.

    When ``frame`` holds only some parks of a larger group (parkbench/output/scale.py),
    its ``peer_mean``/``peer_median`` columns (over the whole group) place the
    rules, and ``note`` says in the subtitle what is drawn."""
    zh = _zh(lang)
    data = frame[frame["value"].notna()].copy()
    data["highlight"] = data["park"] == highlight
    data["period_label"] = period_label
    data["unit"] = unit_label(metric_unit(metric), lang)
    if "peers" in data:
        data["rank_text"] = [f"{int(r)}/{int(n)}" for r, n in zip(data["rank"], data["peers"], strict=True)]
    else:
        data["rank_text"] = data["rank"].astype(str)
    label = metric_label(metric, lang)
    unit = unit_label(metric_unit(metric), lang)
    fmt = value_format(metric)
    order = data.sort_values(["value", "park"], ascending=[False, True])["park"].tolist()
    group_stats = {"peer_mean", "peer_median"} <= set(data.columns) and len(data)
    mean = float(data["peer_mean"].iloc[0]) if group_stats else float(data["value"].mean()) if len(data) else 0.0
    median = float(data["peer_median"].iloc[0]) if group_stats else float(data["value"].median()) if len(data) else 0.0
    pick = alt.selection_point(name="pick", fields=["park"], on="click", clear="dblclick")

    font_size = 12 if compact else 13
    data["label_px"] = label_widths(data["value"], fmt, font_size)
    # only the fields the marks use: a league frame has two dozen, each sanitised and sent per chart
    data = data[["park", "value", "highlight", "period_label", "unit", "rank_text", "label_px"]]
    top = max(float(data["value"].max()) if len(data) else 0.0, mean, median, 0.0) or 1.0
    base = alt.Chart(data).transform_calculate(label_inside=label_inside(top, [mean, median])).encode(
        y=alt.Y("park:N", sort=order, title=None, axis=alt.Axis(labelLimit=200, labelFontSize=12 if compact else 14)),
    )
    bars = base.mark_bar(height={"band": 0.7}, cursor="pointer").encode(
        x=alt.X("value:Q", title=f"{short_label(metric, lang)}（{unit}）" if zh else f"{short_label(metric, lang)} ({unit})",
                axis=alt.Axis(format=fmt.replace(".2f", ".1f"), tickCount=3 if compact else 5,
                              labelOverlap="greedy", labelFlush=True)),
        color=alt.condition(alt.datum.highlight, alt.value(HIGHLIGHT), alt.value(MUTED)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
        tooltip=[alt.Tooltip("park:N", title="园区" if zh else "Park"),
                 alt.Tooltip("value:Q", title=label, format=fmt),
                 alt.Tooltip("unit:N", title="单位" if zh else "Unit"),
                 alt.Tooltip("rank_text:N", title="排名" if zh else "Rank"),
                 alt.Tooltip("period_label:N", title="统计期" if zh else "Period")],
    ).add_params(pick)
    label_text = {"x": "value:Q", "text": alt.Text("value:Q", format=fmt)}
    # a value label the mean or median rule would cross is written inside its bar's end
    outside = base.mark_text(align="left", dx=4, fontSize=font_size, color="#222222").encode(
        **label_text).transform_filter("!datum.label_inside")
    # dark, not white: white on the muted bar was 2.5:1 (WCAG asks 4.5), INK is 7:1 there and 4.9:1 on the accent
    inside = base.mark_text(align="right", dx=-4, fontSize=font_size, color=INK, fontWeight="bold").encode(
        **label_text).transform_filter("datum.label_inside")
    rules = pd.DataFrame({
        "x": [mean, median],
        "kind": ["平均" if zh else "mean", "中位数" if zh else "median"],
        "label": [(f"平均 {mean:{fmt}}" if zh else f"mean {mean:{fmt}}"),
                  (f"中位数 {median:{fmt}}" if zh else f"median {median:{fmt}}")],
        "dy": [-10, 10],
    })
    mean_rule = alt.Chart(rules.iloc[[0]]).mark_rule(color=REFERENCE, strokeDash=[6, 4], size=1.5).encode(x="x:Q")
    median_rule = alt.Chart(rules.iloc[[1]]).mark_rule(color=PALETTE[2], strokeDash=[2, 2], size=2).encode(x="x:Q")
    layers = [bars, mean_rule, median_rule, outside, inside]
    if not compact:
        mean_left = mean <= median
        mean_text = alt.Chart(rules.iloc[[0]]).mark_text(
            align="right" if mean_left else "left", dx=-4 if mean_left else 4, baseline="bottom", color=REFERENCE,
            fontSize=12).encode(x="x:Q", y=alt.value(-2), text="label:N")
        median_text = alt.Chart(rules.iloc[[1]]).mark_text(
            align="left" if mean_left else "right", dx=4 if mean_left else -4, baseline="bottom", color=PALETTE[2],
            fontSize=12).encode(x="x:Q", y=alt.value(-2), text="label:N")
        layers += [mean_text, median_text]
    title = f"{short_label(metric, lang)}：园区对比" if zh else f"{short_label(metric, lang)}: parks compared"
    subtitle = (f"{period_label}　单位：{unit}　虚线为平均，点线为中位数" if zh
                else f"{period_label}  Unit: {unit}  dashed = mean, dotted = median")
    missing = missing_note(frame, lang)
    for line in (note, missing):
        if line:
            subtitle += f"\n{line}"
    chart = alt.layer(*layers).properties(height=alt.Step(30 if compact else 42), width=width)
    if compact:
        return chart.properties(title=title_params(title, subtitle, fontSize=15, subtitleFontSize=12))
    return titled(chart, title, subtitle, lang)


def label_widths(values: pd.Series, fmt: str, font_size: int) -> pd.Series:
    """Each value label's width in px, estimated: a digit is about 0.6 em, plus the 4 px gap."""
    return values.map(lambda v: len(format(v, fmt)) * font_size * 0.6 + 6)


AXIS_SLACK = 1.15  # the x axis runs on past the largest value to a round number


def label_inside(top: float, rules: list[float]) -> str:
    """A Vega expression: whether a bar's value label, written after the bar's
    end, would be crossed by a reference rule (mean, median) and fits inside
    the bar instead. It is judged at the width the chart is drawn (Vega's
    ``width`` signal), so a chart laid out anew for Word, a slide or the
    briefing decides again at its own size. ``top`` is the largest value or
    rule (numbers computed here, never user text)."""
    marks = [float(x) for x in rules if math.isfinite(float(x))]
    if not marks:
        return "false"
    per_unit = f"(width / {top * AXIS_SLACK!r})"  # px per value unit
    end = f"(datum.value + datum.label_px / {per_unit})"
    crossed = " || ".join(f"(datum.value <= {x!r} && {x!r} <= {end})" for x in marks)
    return f"({crossed}) && datum.value > 0 && datum.value * {per_unit} > datum.label_px + 4"


MAX_NAMED_PARKS = 10


def missing_note(frame: pd.DataFrame, lang: str = "zh") -> str | None:
    """What a chart image must say of the parks it cannot draw: 3/6 个园区有数值，
    and who has no value (the page says it below the chart; an image pasted in a
    report has only its subtitle)."""
    absent = frame.loc[frame["value"].isna(), "park"].astype(str).tolist()
    if not absent:
        return None
    shown, total = len(frame) - len(absent), len(frame)
    names = "、".join(absent[:MAX_NAMED_PARKS]) + (f"等 {len(absent)} 个园区" if len(absent) > MAX_NAMED_PARKS else "")
    if _zh(lang):
        return f"{shown}/{total} 个园区有数值；未报送：{names}"
    return f"{shown} of {total} parks have a value; not reported: {', '.join(absent[:MAX_NAMED_PARKS])}" + (
        f" and {len(absent) - MAX_NAMED_PARKS} more" if len(absent) > MAX_NAMED_PARKS else "")


def multiple_panels(frame: pd.DataFrame, metrics: list[str], period_label: str, highlight: str | None,
                    lang: str = "zh", limit: int | None = None) -> list[alt.LayerChart]:
    """One compact bar chart per metric that has a value; with ``limit``, each
    panel draws that many leading parks and the highlighted one, and says so."""
    panels = []
    for m in metrics:
        one = frame[frame["metric"] == m]
        if not one["value"].notna().any():
            continue
        note = None
        if limit is not None:
            total = int(one["value"].notna().sum())
            one, _ = scale.leaders(one, "value", limit, highlight)
            note = scale.drawn_note(len(one), total, lang)
        panels.append(compare_bars(one, m, period_label, highlight, lang, width=360, compact=True, note=note))
    return panels


def small_multiples(frame: pd.DataFrame, metrics: list[str], period_label: str, highlight: str | None,
                    lang: str = "zh", limit: int | None = None) -> alt.ConcatChart:
    """Several metrics for the same parks and month, two charts a row (the image; on
    screen the panels are drawn one by one so they can stack on a phone); with
    ``limit``, each panel draws that many leading parks and the highlighted one."""
    panels = multiple_panels(frame, metrics, period_label, highlight, lang, limit)
    zh = _zh(lang)
    with warnings.catch_warnings():  # one shared "pick" selection across the panels is intended
        warnings.simplefilter("ignore", UserWarning)
        chart = alt.concat(*panels, columns=2, spacing=40).resolve_scale(color="independent")
        chart.to_dict()
    return titled(chart, "多指标对比" if zh else "Several metrics compared",
                  f"{period_label}　各小图单位见横轴" if zh else f"{period_label}  units on each axis", lang)


def lines(frame: pd.DataFrame, y: str, y_title: str, title: str, subtitle: str, highlight: str | None = None,
          lang: str = "zh", fmt: str = ",.1f", unit: str = "", reported: pd.DataFrame | None = None,
          zoom: bool = True, x_title: str | None = None, band: pd.DataFrame | None = None,
          flagged: pd.DataFrame | None = None) -> alt.LayerChart:
    """Monthly lines per park. The user's park is drawn thick, the others thin;
    a click on a line selects the park; dragging pans and Shift + wheel zooms the time axis
    (double-click resets). ``reported`` adds the growth the sheets published
    as diamonds where it differs from the computed one by more than a point.
    ``band`` (period, q1, median, q3, parks; parkbench/scale.band) draws the
    whole group's quartile range in grey and its median dashed behind the
    lines, for when only some parks of a large group are drawn. ``flagged``
    (park, period, the value ``y``, checks: the ⚠ text of output/tables.flag_text)
    puts a ⚠ over each value with an open data-check warning, the reason in its tooltip."""
    zh = _zh(lang)
    data = with_gaps(frame[frame[y].notna()], y)
    data["focus"] = data["park"] == highlight
    data["unit"] = unit
    data["period_text"] = period_texts(data["period"], lang)
    parks = sorted(data["park"].unique())
    pick = alt.selection_point(name="pick", fields=["park"], on="click", clear="dblclick")
    # padding keeps the first and last month's points (radius ≈ 3 px) whole inside the plot
    x = alt.X("period:T", title=x_title or ("月份" if zh else "Month"), axis=month_axis(data["period"], lang),
              scale=alt.Scale(padding=6))
    extra = [reported["ytd_yoy_reported"]] if reported is not None and len(reported) else []
    extra += [band["q1"], band["q3"]] if band is not None and len(band) else []
    values = pd.concat([data[y].dropna(), *extra])
    low, high = float(values.min()), float(values.max())
    headroom = 0.14 if flagged is not None and len(flagged) else 0.08  # room for a ⚠ over a top point
    pad = (high - low) * headroom or 1.0
    domain = [min(0.0, low - pad) if low >= 0 else low - pad, high + pad]
    base = alt.Chart(data).encode(
        x=x,
        y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=fmt, tickCount=6), scale=alt.Scale(domain=domain)),
        color=alt.Color("park:N", sort=parks, title="园区" if zh else "Park",
                        scale=alt.Scale(range=PALETTE[: max(len(parks), 1)]),
                        legend=alt.Legend(orient="bottom", columns=2, labelLimit=150)),
        tooltip=[alt.Tooltip("park:N", title="园区" if zh else "Park"),
                 alt.Tooltip("period_text:N", title="统计期" if zh else "Period"),
                 alt.Tooltip(f"{y}:Q", title=y_title, format=fmt),
                 alt.Tooltip("unit:N", title="单位" if zh else "Unit")],
    )
    # a missing month is a gap in the line, never a straight join across it
    line = base.mark_line(clip=True, invalid="break-paths-show-domains",
                          point=alt.OverlayMarkDef(size=30, filled=True, clip=True)).encode(
        strokeWidth=alt.condition(alt.datum.focus, alt.value(4), alt.value(1.8)),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.25)),
    ).add_params(pick)
    layers = [line]
    if zoom:
        # the wheel zooms only with Shift held, so an ordinary wheel scrolls the page
        layers[0] = layers[0].add_params(alt.selection_interval(name="zoom", bind="scales", encodings=["x"],
                                                                zoom="wheel![event.shiftKey]"))
    if band is not None and len(band):
        spread = band.assign(period_text=period_texts(band["period"], lang), unit=unit)
        group = alt.Chart(spread).encode(x="period:T")
        tips = [alt.Tooltip("period_text:N", title="统计期" if zh else "Period"),
                alt.Tooltip("median:Q", title="组内中位数" if zh else "Group median", format=fmt),
                alt.Tooltip("q1:Q", title="下四分位" if zh else "Lower quartile", format=fmt),
                alt.Tooltip("q3:Q", title="上四分位" if zh else "Upper quartile", format=fmt),
                alt.Tooltip("parks:Q", title="有数值的园区（个）" if zh else "Parks with a value"),
                alt.Tooltip("unit:N", title="单位" if zh else "Unit")]
        layers = [group.mark_area(color="#BBBBBB", opacity=0.35, clip=True).encode(y="q1:Q", y2="q3:Q", tooltip=tips),
                  group.mark_line(color=REFERENCE, strokeDash=[6, 4], strokeWidth=2, clip=True).encode(
                      y="median:Q", tooltip=tips),
                  *layers]
    if reported is not None and len(reported):
        rep = reported.copy()
        rep["period_text"] = period_texts(rep["period"], lang)
        layers.append(alt.Chart(rep).mark_point(shape="diamond", size=140, filled=True, stroke="black",
                                                strokeWidth=1).encode(
            x="period:T", y="ytd_yoy_reported:Q",
            color=alt.Color("park:N", sort=parks, legend=None),
            tooltip=[alt.Tooltip("park:N", title="园区" if zh else "Park"),
                     alt.Tooltip("period_text:N", title="统计期" if zh else "Period"),
                     alt.Tooltip("ytd_yoy_reported:Q", title="报送增速（%）" if zh else "Reported (%)", format=",.1f"),
                     alt.Tooltip(f"{y}:Q", title="计算增速（%）" if zh else "Computed (%)", format=",.1f"),
                     alt.Tooltip("reported_gap:Q", title="相差（个百分点）" if zh else "Gap (points)", format="+.1f")]))
    if flagged is not None and len(flagged):
        marks = flagged.assign(period_text=period_texts(flagged["period"], lang), unit=unit)
        layers.append(alt.Chart(marks).mark_text(text="⚠", fontSize=16, dy=-14, color=HIGHLIGHT, clip=True).encode(
            x="period:T", y=f"{y}:Q",
            tooltip=[alt.Tooltip("park:N", title="园区" if zh else "Park"),
                     alt.Tooltip("period_text:N", title="统计期" if zh else "Period"),
                     alt.Tooltip(f"{y}:Q", title=y_title, format=fmt),
                     alt.Tooltip("checks:N", title="数据审核" if zh else "Data checks")]))
    chart = alt.layer(*layers).properties(width=WIDTH, height=380)
    return titled(chart, title, subtitle, lang)


MAX_MONTH_TICKS = 6  # a "2024年10月" label is ≈ 70 px: six fit the narrowest (Word, 390 px screen) layout


def with_gaps(frame: pd.DataFrame, y: str) -> pd.DataFrame:
    """Each park's months from its first to its last, a missing month as a row
    with no value, so that the line breaks there instead of joining across."""
    if frame.empty:
        return frame.copy()
    periods = pd.to_datetime(frame["period"])
    parts = []
    for park, rows in frame.assign(period=periods).groupby("park", sort=False):
        months = pd.date_range(rows["period"].min(), rows["period"].max(), freq="MS")
        full = rows.drop_duplicates("period").set_index("period").reindex(months)
        full["park"] = park
        parts.append(full.rename_axis("period").reset_index())
    return pd.concat(parts, ignore_index=True)


def period_texts(periods: pd.Series, lang: str = "zh") -> pd.Series:
    """Months as the titles write them: 2024年1月 (English: 2024-01)."""
    stamps = pd.to_datetime(periods)
    if not _zh(lang):
        return stamps.dt.strftime("%Y-%m")
    return stamps.dt.year.astype(str) + "年" + stamps.dt.month.astype(str) + "月"


def month_axis(periods: pd.Series, lang: str = "zh") -> alt.Axis:
    """Ticks at month starts every 1, 2, 3, 6, 12 or 24 months, at most six of
    them, so labels never run into each other at any width a chart is drawn;
    labelled as the titles write months (2024年1月, or 1月 when every month is
    in one year)."""
    stamps = pd.to_datetime(periods)
    months = 1 if stamps.empty else (stamps.max().year - stamps.min().year) * 12 + stamps.max().month \
        - stamps.min().month + 1
    step = next((s for s in (1, 2, 3, 6, 12) if months / s <= MAX_MONTH_TICKS), 24)
    one_year = not stamps.empty and stamps.min().year == stamps.max().year
    fmt = ("%-m月" if one_year else "%Y年%-m月") if _zh(lang) else "%Y-%m"
    return alt.Axis(format=fmt, labelAngle=0, tickCount={"interval": "month", "step": step},
                    labelOverlap="greedy", labelSeparation=8, grid=True)


def year_overlay(frame: pd.DataFrame, y: str, y_title: str, title: str, subtitle: str, lang: str = "zh",
                 fmt: str = ",.1f", unit: str = "") -> alt.LayerChart:
    """This year against last year by month for one park: x = month 1–12, a line per year."""
    zh = _zh(lang)
    data = frame[frame[y].notna()].copy()
    latest = int(data["year"].max()) if len(data) else 0
    data["year_text"] = [year_label(int(y), latest, lang) for y in data["year"]]
    data["unit"] = unit
    years = [year_label(y, latest, lang) for y in sorted(data["year"].unique())]
    # labelOverlap: on a phone the twelve labels have no room; every other one is left out (1月, 3月 …).
    month_ticks = alt.Axis(labelExpr="datum.value + '月'" if zh else "datum.value", values=list(range(1, 13)),
                           labelOverlap=True)
    chart = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(size=50, filled=True), strokeWidth=3).encode(
        x=alt.X("month:O", title="月份" if zh else "Month", axis=month_ticks, sort=list(range(1, 13))),
        y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(format=fmt, tickCount=6)),
        color=alt.Color("year_text:N", sort=years, title="年份" if zh else "Year",
                        scale=alt.Scale(domain=years, range=[MUTED, PALETTE[0]][-len(years):] if len(years) <= 2
                                        else PALETTE[: len(years)])),
        strokeDash=alt.StrokeDash("year_text:N", sort=years, legend=None,
                                  scale=alt.Scale(domain=years, range=[[5, 4], [1, 0]][-len(years):] if len(years) <= 2
                                                  else [[1, 0]] * len(years))),
        tooltip=[alt.Tooltip("year_text:N", title="年份" if zh else "Year"),
                 alt.Tooltip("month:O", title="月份" if zh else "Month"),
                 alt.Tooltip(f"{y}:Q", title=y_title, format=fmt),
                 alt.Tooltip("unit:N", title="单位" if zh else "Unit")],
    )
    # each line named at its last month, besides the legend
    ends = data.sort_values("month").groupby("year_text", as_index=False).last()
    end_labels = alt.Chart(ends).mark_text(align="left", dx=8, fontSize=13, fontWeight="bold").encode(
        x=alt.X("month:O", sort=list(range(1, 13))), y=f"{y}:Q", text="year_text:N",
        color=alt.Color("year_text:N", sort=years, legend=None,
                        scale=alt.Scale(domain=years, range=[MUTED, PALETTE[0]][-len(years):] if len(years) <= 2
                                        else PALETTE[: len(years)])))
    layered = alt.layer(chart, end_labels).properties(width=WIDTH, height=320)
    return titled(layered, title, subtitle, lang)


def year_label(year: int, latest: int, lang: str = "zh") -> str:
    """"2024年（今年）" / "2023年（上年）": which line is which year, in words."""
    if year == latest:
        return f"{year}年（今年）" if _zh(lang) else f"{year} (this year)"
    if year == latest - 1:
        return f"{year}年（上年）" if _zh(lang) else f"{year} (last year)"
    return f"{year}年" if _zh(lang) else str(year)


def industry_stack(frame: pd.DataFrame, period_label: str, highlight: str | None = None,
                   lang: str = "zh", note: str | None = None) -> alt.LayerChart:
    """Each park's output by industry as a 100 % bar: leading industries in
    blue shades first, the others in grey, each segment labelled with its name
    and share. A click on a bar selects the park."""
    zh = _zh(lang)
    data = frame[frame["share"].notna()].copy()
    data["kind"] = data["is_leading"].map({True: "主导产业" if zh else "Leading", False: "其他产业" if zh else "Other"}) \
        .fillna("其他产业" if zh else "Other")
    data["order"] = (~data["is_leading"].fillna(False)).astype(int) * 1000 - data["share"]
    data["share_text"] = [f"{s:.0f}%" for s in data["share"]]
    data["name_px"] = [len(i) * 12 + 44 for i in data["industry"]]  # ≈ 12 px a character at 12 px, plus "34%"
    data["park_label"] = [f"▶ {p}" if p == highlight else p for p in data["park"]]
    data["period_label"] = period_label
    order = (data[data["is_leading"].fillna(False)].groupby("park_label")["share"].sum()
             .reindex(data["park_label"].unique()).fillna(0).sort_values(ascending=False).index.tolist())
    pick = alt.selection_point(name="pick", fields=["park"], on="click", clear="dblclick")
    kinds = ["主导产业", "其他产业"] if zh else ["Leading", "Other"]
    base = alt.Chart(data).encode(
        y=alt.Y("park_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=220, labelFontSize=14)),
        x=alt.X("share:Q", stack="zero", title="占园区产值比重（%）" if zh else "Share of park output (%)",
                scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(format=".0f", values=[0, 20, 40, 60, 80, 100])),
        order=alt.Order("order:Q"),
    )
    bars = base.mark_bar(height={"band": 0.72}, stroke="white", strokeWidth=1.5, cursor="pointer").encode(
        color=alt.Color("kind:N", sort=kinds, title=None, scale=alt.Scale(domain=kinds, range=[PALETTE[0], "#BBBBBB"])),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
        tooltip=[alt.Tooltip("park:N", title="园区" if zh else "Park"),
                 alt.Tooltip("industry:N", title="产业" if zh else "Industry"),
                 alt.Tooltip("kind:N", title="类别" if zh else "Kind"),
                 alt.Tooltip("output:Q", title="产值（万元）" if zh else "Output (10k yuan)", format=",.0f"),
                 alt.Tooltip("share:Q", title="占比（%）" if zh else "Share (%)", format=".1f"),
                 alt.Tooltip("firms:Q", title="企业数（户）" if zh else "Firms"),
                 alt.Tooltip("period_label:N", title="统计期" if zh else "Period")],
    ).add_params(pick)
    # the label's colour by condition, not by a second scale on "kind" (layers share scales)
    # a label only where it fits its segment, measured against the drawn width
    # (the Vega signal "width"), so an image laid out narrower drops labels, not overlaps them
    fits = ("datum.share * width / 100 >= datum.name_px ? datum.industry + ' ' + datum.share_text"
            " : (datum.share * width / 100 >= 36 ? datum.share_text : '')")
    text = base.transform_calculate(label=fits).mark_text(align="right", dx=-5, fontSize=12).encode(
        x=alt.X("share:Q", stack="zero"), text="label:N",
        color=alt.condition("datum.is_leading", alt.value("white"), alt.value("#222222")))
    chart = alt.layer(bars, text).properties(width=WIDTH, height=alt.Step(48))
    title = "主导产业构成：各产业占园区产值比重" if zh else "Industry composition: share of park output"
    subtitle = (f"{period_label}　单位：%　蓝色为主导产业" if zh
                else f"{period_label}  Unit: %  blue = leading industries")
    return titled(chart, title, f"{subtitle}\n{note}" if note else subtitle, lang)



STATUS_COLOURS = {"reported": "#009E73", "derived": "#56B4E9", "missing": "#F2F2F2"}
STATUS_TEXT = {"reported": ("已报送", "reported"), "derived": ("推算", "derived"), "missing": ("未报送", "missing")}


def status_grid(grid: pd.DataFrame, title: str, lang: str = "zh") -> alt.Chart:
    """报送进度: park × month cells coloured reported / derived / missing, with
    the status written in each cell (colour is never the only cue)."""
    zh = _zh(lang)
    frame = grid.assign(
        month=period_texts(grid["period"], lang).to_numpy(),
        status_text=grid["status"].map(lambda s: STATUS_TEXT[s][0 if zh else 1]),
        mark=grid["status"].map({"reported": "✓", "derived": "≈", "missing": "✗"}),
    )[["park", "month", "status", "status_text", "mark"]]
    order = [STATUS_TEXT[s][0 if zh else 1] for s in STATUS_COLOURS]
    parks = sorted(frame["park"].unique())
    # in time order: as text, "2024年10月" sorts before "2024年2月"
    months = period_texts(pd.Series(sorted(pd.to_datetime(grid["period"]).unique())), lang).tolist()
    base = alt.Chart(frame).encode(
        x=alt.X("month:O", title="统计期（月）" if zh else "Month", axis=alt.Axis(labelAngle=-45), sort=months),
        y=alt.Y("park:N", title=None, sort=parks),
        tooltip=[alt.Tooltip("park:N", title="园区" if zh else "Park"),
                 alt.Tooltip("month:O", title="统计期" if zh else "Month"),
                 alt.Tooltip("status_text:N", title="状态" if zh else "Status")],
    )
    rects = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("status_text:N", title="状态" if zh else "Status",
                        scale=alt.Scale(domain=order, range=list(STATUS_COLOURS.values()))))
    # ✓ ≈ ✗ only in cells wide enough to hold them (many months on a phone): the colour says it there
    marks = base.mark_text(fontSize=14, opacity=alt.ExprRef(expr="bandwidth('x') < 14 ? 0 : 1")).encode(
        text="mark:N",
        color=alt.condition(alt.datum.status == "missing", alt.value("#B00020"), alt.value("white")))
    # Height by step (one row per park): Streamlit collapses a layered chart's
    # fixed pixel height. Width in pixels (status_grid_width), fitted to the
    # screen where that is narrower: a phone's is narrower than twelve cells.
    return (rects + marks).properties(
        width=status_grid_width(len(months), parks), height=alt.Step(STATUS_CELL),
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        title=title_params(title, SOURCE_NOTE if zh else SOURCE_NOTE_EN))


STATUS_CELL = 34  # px: a month's cell of the 报送进度 grid at its natural size
STATUS_LEAST_WIDTH = 380  # px: room for the title, the source line and the legend beside few months


def status_grid_width(months: int, parks: list[str]) -> int:
    """The 报送进度 grid's natural width in pixels: its park labels (about 6 px
    per half-width character at the axis' size) and a ``STATUS_CELL`` per
    month, and never less than its title and legend need."""
    labels = max((display_width(str(p)) for p in parks), default=0) * 6 + 16
    return max(labels + STATUS_CELL * months, STATUS_LEAST_WIDTH)


LABELLED_FIRMS = 5  # the largest land holders are named on the chart; the rest in tooltips


def firm_scatter(firms: pd.DataFrame, metric: str, park: str, period_label: str, park_value: float | None,
                 benchmark: float | None, lang: str = "zh", width: int = WIDTH) -> alt.LayerChart:
    """A park's firms, one mark each: ``metric`` (a 亩均 figure, 万元/亩) against
    the land each holds (亩), the mark's area by output, its colour by leading
    group (非主导产业 grey). A dashed rule at the park's own value of the metric
    and a dotted one at ``benchmark`` (the user's, e.g. 15 万元/亩), each labelled
    at the right end; the ``LABELLED_FIRMS`` largest land holders named.
    Firms without land or the metric cannot be placed: the subtitle counts them."""
    zh = _zh(lang)
    unit = unit_label(metric_unit(metric), lang)
    drawn = firms[firms["land_area"].notna() & (firms["land_area"] > 0) & firms[metric].notna()].copy()
    drawn["group"] = drawn["leading_group"].fillna(NOT_LEADING[0] if zh else NOT_LEADING[1])
    drawn["output"] = drawn["output_ytd"].fillna(0.0).astype("float64")
    # rounded as shown (the tooltips' formats): the spec of a 2,000-firm park goes to the browser whole
    drawn = drawn[["enterprise", "land_area", metric, "output", "group", "tax_ytd"]].rename(columns={metric: "value"})
    drawn = drawn.round({"land_area": 1, "value": 2, "output": 1, "tax_ytd": 1})
    groups = sorted(set(drawn["group"]) - {NOT_LEADING[0], NOT_LEADING[1]})
    other = [g for g in (NOT_LEADING[0] if zh else NOT_LEADING[1],) if g in set(drawn["group"])]
    colours = PALETTE[: len(groups)] + ["#9E9E9E"] * len(other)
    land_title = "用地面积（亩）" if zh else "Land (mu)"
    value_title = f"{short_label(metric, lang)}（{unit}）" if zh else f"{short_label(metric, lang)} ({unit})"
    base = alt.Chart(drawn).encode(
        x=alt.X("land_area:Q", title=land_title, axis=alt.Axis(format=",.0f", tickCount=6)),
        y=alt.Y("value:Q", title=value_title, axis=alt.Axis(format=",.1f", tickCount=6)),
    )
    points = base.mark_circle(opacity=0.7, stroke="white", strokeWidth=0.5).encode(
        size=alt.Size("output:Q", title="产值（万元）" if zh else "Output (10k yuan)",
                      scale=alt.Scale(range=[15, 900]), legend=alt.Legend(format=",.0f", values=_size_steps(drawn["output"]))),
        color=alt.Color("group:N", title="产业" if zh else "Industry", sort=groups + other,
                        scale=alt.Scale(domain=groups + other, range=colours or [MUTED])),
        tooltip=[alt.Tooltip("enterprise:N", title="企业" if zh else "Firm"),
                 alt.Tooltip("group:N", title="产业" if zh else "Industry"),
                 alt.Tooltip("land_area:Q", title=land_title, format=",.1f"),
                 alt.Tooltip("value:Q", title=value_title, format=",.2f"),
                 alt.Tooltip("tax_ytd:Q", title="税收 1-本月（万元）" if zh else "Tax YTD (10k yuan)", format=",.1f"),
                 alt.Tooltip("output:Q", title="产值 1-本月（万元）" if zh else "Output YTD (10k yuan)", format=",.1f")],
    )
    rules = [v for v in (park_value, benchmark) if v is not None]
    # names placed for the narrowest layout (the Word column): wider ones only spread them further apart
    layers = [points, *_firm_names(drawn.nlargest(LABELLED_FIRMS, "land_area"), drawn, rules,
                                   min(width, NARROWEST_PLOT), FIRM_CHART_HEIGHT - FIRM_CHART_FRAME)]
    for value, colour, dash in ((park_value, REFERENCE, [6, 4]), (benchmark, PALETTE[2], [2, 2])):
        if value is not None:
            rule = pd.DataFrame({"y": [value]})
            layers.append(alt.Chart(rule).mark_rule(color=colour, strokeDash=dash, size=1.5).encode(y="y:Q"))
    left_out = len(firms) - len(drawn)
    title = (f"{park}：企业{short_label(metric, lang)}与用地" if zh
             else f"{park}: firms by {short_label(metric, lang).lower()} and land")
    subtitle = (f"{period_label}　单位：{unit}、亩\n每点一户企业，点越大产值越高" if zh
                else f"{period_label}; units: {unit}, mu\nOne dot per firm; larger dots, more output")
    # the rules' values in the subtitle, not on the plot, where they would cross the firms' marks and names
    said = [f"虚线为园区{short_label(metric, lang)} {park_value:,.2f}" if zh else f"dashed = park {park_value:,.2f}"
            for _ in [0] if park_value is not None]
    said += [f"点线为基准 {benchmark:,.2f}" if zh else f"dotted = benchmark {benchmark:,.2f}"
             for _ in [0] if benchmark is not None]
    lines_ = [("，" if zh else ", ").join(said)]
    if left_out:
        lines_.append(f"{left_out} 户缺用地面积或{short_label(metric, lang)}，未画出" if zh
                      else f"{left_out} firms without land or this figure are not drawn")
    subtitle += "".join(f"\n{line}" for line in lines_ if line)
    chart = alt.layer(*layers).properties(width=width, height=FIRM_CHART_HEIGHT)
    return titled(chart, title, subtitle, lang)


# Streamlit fits title, legend and plot into the spec's height (about FRAME of it is not plot); an
# exported image gives the plot the whole height: names are placed for the smaller, screen plot.
FIRM_CHART_HEIGHT, FIRM_CHART_FRAME = 420, 230
NARROWEST_PLOT = 600  # px of plot in the Word preset (parkbench/output/images.py)
NAME_PLACES = ((18, 0, "left", "middle"), (-18, 0, "right", "middle"))  # clear of the largest mark (r ≈ 17 px)


def _firm_names(named: pd.DataFrame, drawn: pd.DataFrame, rules: list[float], width: int,
                height: int) -> list[alt.Chart]:
    """Text layers naming ``named`` firms beside their marks, right of the mark
    or else left of it, where the text crosses no name placed before it, no rule
    (at the values ``rules``) if it can, and stays inside the plot; a name that
    fits nowhere is left to the tooltip. Estimated in pixels for the smallest layout
    (``width`` × ``height``; an 11 px character per CJK glyph), so larger ones
    only spread the names further apart."""
    x_top = max(float(drawn["land_area"].max()), 1e-9) * 1.05
    y_low = min(float(drawn["value"].min()), 0.0)
    y_top = max([float(drawn["value"].max()), *rules, 1e-9]) * 1.1  # Vega rounds the axis up

    def y_px(value: float) -> float:
        return height - (value - y_low) / ((y_top - y_low) or 1.0) * height

    rule_boxes = [(0.0, y_px(v) - 1, float(width), y_px(v) + 1) for v in rules]
    placed: list[tuple] = []
    by_place = {place: [] for place in NAME_PLACES}

    def free(box, others) -> bool:
        return box[0] >= 0 and box[2] <= width and not any(
            box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in others)

    for row in named.itertuples():
        x = row.land_area / x_top * width
        y = y_px(row.value)
        text_width = 11 * len(str(row.enterprise)) * (0.6 if str(row.enterprise).isascii() else 1.0)
        boxes = {}
        for place in NAME_PLACES:
            dx, dy, align, _ = place
            left = x + dx if align == "left" else x + dx - text_width
            boxes[place] = (left, y + dy - 8, left + text_width, y + dy + 8)
        # clear of names and rules if it can be, else of names only (a name over a rule still reads)
        chosen = next((p for p in NAME_PLACES if free(boxes[p], placed + rule_boxes)), None) or next(
            (p for p in NAME_PLACES if free(boxes[p], placed)), None)
        if chosen is not None:
            placed.append(boxes[chosen])
            by_place[chosen].append(row.Index)
    return [alt.Chart(named.loc[rows]).mark_text(align=align, baseline=baseline, dx=dx, dy=dy, fontSize=11,
                                                 color="#333333").encode(x="land_area:Q", y="value:Q",
                                                                         text="enterprise:N")
            for (dx, dy, align, baseline), rows in by_place.items() if rows]


def _size_steps(values: pd.Series) -> list[float]:
    """Three round values across ``values`` for the size legend (seven default
    steps made the legend wider than a Word column's plot)."""
    top = float(values.max()) if len(values) else 0.0
    if top <= 0:
        return [0.0]
    step = 10 ** math.floor(math.log10(top))
    high = math.floor(top / step) * step
    return sorted({round(high / 4, 6), round(high / 2, 6), high})
