"""园区对比: one metric, one month, parks (or a saved group) side by side
against the peer mean and median; small multiples of several metrics."""

import pandas as pd
import streamlit as st

from parkbench.benchmark import report_sentence
from parkbench.catalog import METRICS, metric_label, metric_unit
from parkbench.charts import compare_bars, small_multiples
from ui import data, state, widgets
from ui.format import missing, number, period
from ui.i18n import lang, t
from ui.shell import benchmark_page

PAGE = "compare"
version, parks = benchmark_page(
    PAGE, t("园区对比", "Compare parks"),
    t("还没有数据。请先在“上传数据”页上传园区统计报表（Excel 或 CSV，含亩均税收所需的税收与用地面积）。",
      "No data yet. Upload statistics sheets (Excel or CSV with tax and land area) first."))

metric_ids = [m.id for m in METRICS]
state.follow_chart([f"{PAGE}:bars", f"{PAGE}:multi"], "park", [None, *parks], page=PAGE)
top = st.columns([2, 2, 3])
metric = state.choose("metric", t("指标", "Metric"), metric_ids, page=PAGE, container=top[0],
                      format_func=lambda m: metric_label(m, lang()), default="tax_per_mu")
highlight = state.choose("park", t("本园区（突出显示）", "Your park (highlighted)"), [None, *parks], page=PAGE,
                         container=top[1], format_func=lambda p: t("（不突出）", "(none)") if p is None else p)
group, chosen_parks = widgets.peer_set(PAGE, parks, container=top[2])
available = sorted(data.periods(version, metric))
if not available:
    st.info(t("所选指标还没有任何园区的数值：请上传含该指标所需数据的报表。",
              "No park has a value for this metric yet: upload sheets with its inputs."))
    st.stop()
chosen_period = state.choose_slider("period", t("统计期", "Period"), available, page=PAGE, format_func=period,
                                    default=data.default_period(version, tuple(sorted(chosen_parks)) or None))
if not chosen_parks:
    st.info(t("请至少选择一个园区，或选择一个对标组。", "Choose at least one park or a peer group."))
    widgets.manage_groups(PAGE, parks)
    st.stop()
widgets.missing_note(version, chosen_period, chosen_parks)

period_text = f"{chosen_period:%Y-%m}"
result = data.league(version, period_text, tuple(chosen_parks), (metric,))
result = result[result["metric"] == metric] if len(result) else result
unit = metric_unit(metric)
digits = 1 if unit == "%" else 2
if result.empty or result["value"].notna().sum() == 0:
    st.info(t("所选园区在该期间都未报送此指标。", "None of the chosen parks reported this metric for the period."))
else:
    chart = compare_bars(result, metric, period(chosen_period), highlight, lang())
    widgets.chart(chart, f"{PAGE}:bars", f"{metric}_{period_text}")
    if highlight is not None and highlight in set(result["park"]):
        row = result[result["park"] == highlight].iloc[0].to_dict()
        st.markdown(f"**{highlight}**：{report_sentence(row, lang())}")

    flags = data.flagged_metrics(version, chosen_period, tuple(chosen_parks))
    reasons = dict(zip(flags.loc[flags["metric"] == metric, "park"], flags.loc[flags["metric"] == metric, "reason"],
                       strict=True))
    table = result.assign(
        value_text=[number(v, digits) + (" ⚠" if p in reasons else "") for v, p in zip(result["value"], result["park"],
                                                                                       strict=True)],
        check_text=result["park"].map(lambda p: reasons.get(p, "")),
        rank_text=[missing() if pd.isna(r) else f"{int(r)}/{int(n)}" for r, n in zip(result["rank"], result["peers"],
                                                                                   strict=True)],
    )
    st.dataframe(
        table[["park", "value_text", "rank_text", "gap_to_mean", "gap_to_mean_pct", "gap_to_best", "check_text"]],
        hide_index=True,
        column_config={
            "park": t("园区", "Park"),
            "value_text": metric_label(metric, lang()),
            "rank_text": t("排名", "Rank"),
            "gap_to_mean": st.column_config.NumberColumn(t(f"与平均差（{unit}）", f"Gap to mean ({unit})"),
                                                         format=f"%+.{digits}f"),
            "gap_to_mean_pct": st.column_config.NumberColumn(t("与平均差（%）", "Gap to mean (%)"), format="%+.1f"),
            "gap_to_best": st.column_config.NumberColumn(t(f"与最优差（{unit}）", f"Gap to best ({unit})"),
                                                         format=f"%+.{digits}f"),
            "check_text": st.column_config.TextColumn(t("数据审核（⚠ 的原因）", "Data checks (why ⚠)"), width="large"),
        },
    )
    stats = result.iloc[0]
    st.caption(t(f"园区平均 {stats.peer_mean:,.{digits}f} {unit}，中位数 {stats.peer_median:,.{digits}f} {unit}，"
                 f"最优 {stats.best:,.{digits}f} {unit}；{int(stats.peers)}/{int(stats.group_size)} 个园区有数值，"
                 "未报送的不计入。数据来源：各园区报送，ParkBench 计算。",
                 f"Peer mean {stats.peer_mean:,.{digits}f} {unit}, median {stats.peer_median:,.{digits}f} {unit}, "
                 f"best {stats.best:,.{digits}f} {unit}; {int(stats.peers)} of {int(stats.group_size)} parks reported."))

st.subheader(t("多指标对比", "Several metrics"))
defaults = [m for m in ("tax_per_mu", "output_per_mu", "leading_share", "output_ytd_yoy") if m in metric_ids]
several = st.multiselect(t("指标（每个指标一幅小图）", "Metrics (one small chart each)"), metric_ids, default=defaults,
                         format_func=lambda m: metric_label(m, lang()), key=f"{PAGE}:several")
if several:
    multi = data.league(version, period_text, tuple(chosen_parks), tuple(several))
    if multi.empty or multi["value"].notna().sum() == 0:
        st.info(t("所选指标在该期间都没有数值。", "No values for these metrics in the period."))
    else:
        widgets.chart(small_multiples(multi, several, period(chosen_period), highlight, lang()),
                      f"{PAGE}:multi", f"metrics_{period_text}")
        missing_metrics = [metric_label(m, lang()) for m in several if not multi.loc[multi["metric"] == m, "value"].notna().any()]
        if missing_metrics:
            st.caption(t("该期间无园区报送：", "Nobody reported: ") + "、".join(missing_metrics))
widgets.manage_groups(PAGE, parks)
