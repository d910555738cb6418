"""差距测算 under the 园区对比 chart and 预计全年 on 趋势: the widgets around
parkbench/models/gap.py and projection.py (the numbers and sentences are theirs)."""

from __future__ import annotations

import streamlit as st

from parkbench.catalog import metric_unit, unit_label
from parkbench.models import gap, projection
from ui import data, state
from ui.format import plain
from ui.i18n import lang, t

REFERENCE_LABELS = {"mean": ("均值", "Mean"), "median": ("中位数", "Median"), "top_quartile": ("前25%", "Top 25 %"),
                    "best": ("最高", "Best"), "target": ("自定目标", "Own target")}


def gap_finder(page: str, metric: str, period: str, parks: list[str], highlight: str | None,
               group: str | None, peer_parks: list[str]) -> None:
    """Park and reference pickers and the gap sentence; nothing for a metric without a gap reading."""
    if not parks or metric not in gap.READABLE:  # no numerator to move: nothing to say
        return
    st.markdown(t("**差距测算**", "**What it takes**"))
    columns = st.columns([2, 3, 2])
    if highlight in parks:  # the park chosen (or clicked) above: the gap follows it
        park = highlight
        columns[0].markdown(t(f"园区：**{plain(park)}**（本园区）", f"Park: **{plain(park)}** (yours)"))
    else:
        park = state.choose("gap_park", t("园区", "Park"), parks, page=page, container=columns[0], default=parks[0])
    reference = state.choose("gap_ref", t("对照", "Against"), list(REFERENCE_LABELS), page=page, container=columns[1],
                             radio=True, format_func=lambda r: t(*REFERENCE_LABELS[r]))
    target = None
    if reference == "target":
        unit = unit_label(metric_unit(metric), lang())
        target = columns[2].number_input(t(f"目标值（{unit}）", f"Target ({unit})"), min_value=0.0, value=15.0,
                                         step=0.5, key=f"{page}:gap_target")
    found = data.query("gap", park=park, metric=metric, period=period, parks=peer_parks, group=None,
                       reference=reference, target=target)
    if found is None:
        st.caption(t("该指标或该园区本期没有可测算的差距（缺分子或分母，或为报送增速）。",
                     "No gap can be worked out for this metric and park (an input is missing, or the growth is "
                     "the published one)."))
        return
    st.markdown(f"**{plain(park)}**：{plain(gap.sentence(found, lang()))}")
    st.caption(t("测算：按本期分子（1-本月累计或本月值）与分母反推；亩均指标另给出在现有税收/产值下需减少的用地；"
                 "占比指标中主导产业产值增加时总产值同步增加。",
                 "Worked back from this period's numerator (year to date or the month) and denominator; for "
                 "per-mu metrics also the land reduction at today's numerator; for shares the total rises with "
                 "the leading output."))


def projections(park: str, indicator: str, period) -> None:
    """预计全年 of one park at ``period`` (a month before December), clearly marked 预计."""
    found = data.query("projection", park=park, indicator=indicator, period=period)
    if found is None:
        return
    lines = projection.sentences(found, lang())
    st.markdown(t(f"**预计全年**（{plain(park)}，按进度推算的预计数，不是报送数，不参与排名）",
                  f"**Projected full year** ({plain(park)}; a projection at the current pace, not reported data, "
                  "never ranked)"))
    for line in lines:
        st.markdown(f"- {plain(line)}")
    reason = found.seasonal_reason if lang() == "zh" else found.seasonal_reason_en
    if reason:
        st.caption(plain(reason))
