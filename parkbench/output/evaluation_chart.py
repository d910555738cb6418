"""The evaluation's chart: each park's total score as a stacked bar of its
indicator scores, best first, in the ParkBench style (parkbench/output/charts.py)."""

from __future__ import annotations

import altair as alt
import pandas as pd

from parkbench.models.evaluation import Scheme, evaluated, indicator_label
from parkbench.output.charts import PALETTE, WIDTH, titled


def score_bars(long: pd.DataFrame, scheme: Scheme, period_label: str, lang: str = "zh",
               width: int = WIDTH) -> alt.LayerChart:
    """``long`` is ``evaluation.evaluate_long``: one bar per park evaluated, one
    segment per indicator (a 缺报 indicator has none; the others carry the weight
    it was scored with), the total and class at the bar's end."""
    zh = lang == "zh"
    long = evaluated(long)
    weight = "权重" if zh else "weight"
    labels = {n: f"{indicator_label(i, lang)} · {weight} {i.weight:g}" for n, i in enumerate(scheme.indicators, start=1)}
    order = list(labels.values())
    data = long.assign(indicator=long["position"].map(labels), score=long["score"].astype(float))
    data = data[data["score"].fillna(0) > 0]
    parks = long.drop_duplicates("park").sort_values(["rank", "park"])
    park_order = parks["park"].tolist()
    totals = parks.assign(label=[f"{t:.2f} 分 · {c}" if zh else f"{t:.2f} · {c}"
                                 for t, c in zip(parks["total"], parks["class"], strict=True)])
    x_title = "综合得分（分）" if zh else "Total score (points)"
    y = alt.Y("park:N", sort=park_order, title=None, scale=alt.Scale(paddingInner=0.3),
              axis=alt.Axis(labelLimit=220, labelFontSize=14))
    bars = alt.Chart(data).mark_bar().encode(
        y=y,
        x=alt.X("sum(score):Q", title=x_title, scale=alt.Scale(domainMin=0, nice=True)),
        color=alt.Color("indicator:N", sort=order, title=None,
                        scale=alt.Scale(domain=order, range=PALETTE[: len(order)]),
                        legend=alt.Legend(orient="bottom", columns=1, labelLimit=320)),
        order=alt.Order("position:Q"),
        tooltip=[alt.Tooltip("park:N", title="园区" if zh else "Park"),
                 alt.Tooltip("indicator:N", title="指标" if zh else "Indicator"),
                 alt.Tooltip("value:Q", title="数值" if zh else "Value", format=",.2f"),
                 alt.Tooltip("effective_weight:Q", title="计分权重" if zh else "Weight scored", format=".4~f"),
                 alt.Tooltip("score:Q", title="得分（分）" if zh else "Score", format=".1f")],
    )
    ends = alt.Chart(totals).mark_text(align="left", dx=6, fontSize=13, fontWeight="bold").encode(
        y=y, x=alt.X("total:Q"), text="label:N")
    chart = alt.layer(bars, ends).properties(width=width, height=alt.Step(44))
    title = f"{scheme.name} 综合得分构成" if zh else f"{scheme.display_name(lang)}: score by indicator"
    subtitle = (f"{period_label}；每段为一项指标得分 = 权重 × 数值 ÷ 基准（高于基准即超过权重，总分可超过 100）；"
                "条末为总分与等级（初评）" if zh
                else f"{period_label}; each segment is weight × value ÷ benchmark (above the benchmark it exceeds "
                "its weight, so a total may pass 100); total and class at the end")
    return titled(chart, title, subtitle, lang)
