"""园区对比: one metric, one month, parks side by side against the peer mean."""

import pandas as pd
import streamlit as st

from parkbench.catalog import METRICS, metric_label, metric_unit
from parkbench.charts import compare_bars
from ui import data
from ui.format import missing, number, period
from ui.i18n import lang, t
from ui.shell import ensure_entry

ensure_entry()

st.title(t("园区对比", "Compare parks"))
version = data.version()
parks = data.park_names(version)
if not parks:
    st.warning(t("还没有数据。请先上传园区统计报表。", "No data yet. Upload statistics sheets first."))
    st.stop()

metric_ids = [m.id for m in METRICS]
left, middle, right = st.columns([2, 1, 2])
metric = left.selectbox(t("指标", "Metric"), metric_ids, format_func=lambda m: metric_label(m, lang()))
available = data.periods(version, metric)
if not available:
    st.info(t("所选指标还没有任何园区的数值。", "No park has a value for this metric yet."))
    st.stop()
chosen_period = middle.selectbox(t("统计期", "Period"), available, format_func=period)
chosen_parks = right.multiselect(t("参与对比的园区", "Parks"), parks, default=parks)
highlight = st.selectbox(t("本园区（突出显示）", "Your park (highlighted)"), [None, *chosen_parks],
                         format_func=lambda p: t("（不突出）", "(none)") if p is None else p)

if not chosen_parks:
    st.info(t("请至少选择一个园区。", "Choose at least one park."))
    st.stop()

result = data.compare(version, metric, f"{chosen_period:%Y-%m}", tuple(chosen_parks))
with_value = result[result["value"].notna()]
if with_value.empty:
    st.info(t("所选园区在该期间都未报送此指标。", "None of the chosen parks reported this metric for the period."))
else:
    chart = compare_bars(result, metric, period(chosen_period), highlight, lang())
    st.altair_chart(chart, theme=None, width="stretch")

unit = metric_unit(metric)
digits = 1 if unit == "%" else 2
table = result.assign(
    value_text=result["value"].map(lambda v: number(v, digits)),
    rank_text=result["rank"].map(lambda r: missing() if pd.isna(r) else f"{int(r)}/{int(result['peers'].iloc[0])}"),
)
st.dataframe(
    table[["park", "value_text", "rank_text", "gap_to_mean", "gap_to_mean_pct", "gap_to_best"]],
    hide_index=True,
    column_config={
        "park": t("园区", "Park"),
        "value_text": f"{metric_label(metric, lang())}",
        "rank_text": t("排名", "Rank"),
        "gap_to_mean": st.column_config.NumberColumn(t(f"与平均差（{unit}）", f"Gap to mean ({unit})"), format=f"%+.{digits}f"),
        "gap_to_mean_pct": st.column_config.NumberColumn(t("与平均差（%）", "Gap to mean (%)"), format="%+.1f"),
        "gap_to_best": st.column_config.NumberColumn(t(f"与最优差（{unit}）", f"Gap to best ({unit})"), format=f"%+.{digits}f"),
    },
)
if len(with_value):
    stats = result.iloc[0]
    st.caption(t(f"园区平均 {stats.peer_mean:,.{digits}f} {unit}，中位数 {stats.peer_median:,.{digits}f} {unit}，"
                 f"最优 {stats.best:,.{digits}f} {unit}；{int(stats.peers)} 个园区有数值。数据来源：各园区报送，ParkBench 计算。",
                 f"Peer mean {stats.peer_mean:,.{digits}f} {unit}, median {stats.peer_median:,.{digits}f} {unit}, "
                 f"best {stats.best:,.{digits}f} {unit}; {int(stats.peers)} parks reported."))
