"""排名: the league table of a period for a peer set — every metric, rank,
percentile, class A/B/C/D, peer mean/median and gaps — and a report sentence per park."""

import pandas as pd
import streamlit as st

from parkbench.benchmark import DEFAULT_CLASSES, report_sentence
from parkbench.catalog import METRIC_BY_ID, metric_label, metric_unit
from ui import data, state, widgets
from ui.format import missing, period
from ui.i18n import lang, t
from ui.shell import benchmark_page

PAGE = "rankings"
version, parks = benchmark_page(
    PAGE, t("排名", "Rankings"),
    t("还没有数据。请先在“上传数据”页上传园区统计报表（Excel 或 CSV）。",
      "No data yet. Upload statistics sheets (Excel or CSV) first."))

top = st.columns([2, 3])
highlight = state.choose("park", t("本园区", "Your park"), [None, *parks], page=PAGE, container=top[0],
                         format_func=lambda p: t("（全部园区）", "(all parks)") if p is None else p)
group, chosen_parks = widgets.peer_set(PAGE, parks, container=top[1])
available = sorted(data.periods(version))
chosen_period = state.choose_slider("period", t("统计期", "Period"), available, page=PAGE, format_func=period,
                                    default=data.default_period(version, tuple(sorted(chosen_parks)) or None))
with st.expander(t("等级划分（按组内排名百分位）", "Classes (by rank percentile in the group)")):
    cols = st.columns(3)
    a = cols[0].number_input(t("A 类：前（%）", "A: top (%)"), 1, 98, int(DEFAULT_CLASSES[0] * 100), key=f"{PAGE}:a")
    b = cols[1].number_input(t("B 类：至（%）", "B: to (%)"), 2, 99, int(DEFAULT_CLASSES[1] * 100), key=f"{PAGE}:b")
    c = cols[2].number_input(t("C 类：至（%）", "C: to (%)"), 3, 100, int(DEFAULT_CLASSES[2] * 100), key=f"{PAGE}:c")
    st.caption(t("默认按江苏亩均评价做法：前 20% 为 A，20%–60% 为 B，60%–95% 为 C，其余为 D。",
                 "Default (Jiangsu practice): top 20 % A, to 60 % B, to 95 % C, the rest D."))
classes = (a / 100, b / 100, c / 100)
if not a < b < c:
    st.error(t("等级界限须依次增大：A < B < C。", "Class bounds must increase: A < B < C."))
    st.stop()
if chosen_period is None or not chosen_parks:
    st.info(t("请选择统计期和园区。", "Choose a period and parks."))
    st.stop()
widgets.missing_note(version, chosen_period, chosen_parks)

league = data.league(version, f"{chosen_period:%Y-%m}", tuple(chosen_parks), None, classes)
if league.empty:
    st.info(t("该期间没有任何指标数值。", "No metric has a value for this period."))
    st.stop()
if highlight is not None:
    league = league[league["park"] == highlight]

zh = lang() == "zh"
order = {m: i for i, m in enumerate(METRIC_BY_ID)}
league = league.assign(order=league["metric"].map(order)).sort_values(["order", "rank", "park"], na_position="last")
numeric = ["value", "percentile", "peer_mean", "peer_median", "gap_to_mean", "gap_to_mean_pct", "gap_to_best"]
league = league.astype({c: "float64" for c in numeric})
table = pd.DataFrame({
    "metric": league["metric"].map(lambda m: metric_label(m, lang())),
    "park": league["park"],
    "value": league["value"],
    "rank": [missing() if pd.isna(r) else f"{int(r)}/{int(n)}" for r, n in zip(league["rank"], league["peers"], strict=True)],
    "percentile": league["percentile"],
    "class": league["class"].fillna(missing()),
    "peer_mean": league["peer_mean"],
    "peer_median": league["peer_median"],
    "gap_to_mean": league["gap_to_mean"],
    "gap_to_mean_pct": league["gap_to_mean_pct"],
    "gap_to_best": league["gap_to_best"],
    "sentence": [report_sentence(r, lang()) for r in league.to_dict("records")],
})
NUMERIC = {"value": "{:,.2f}", "percentile": "{:.0f}", "peer_mean": "{:,.2f}", "peer_median": "{:,.2f}",
           "gap_to_mean": "{:+,.2f}", "gap_to_mean_pct": "{:+.1f}", "gap_to_best": "{:+,.2f}"}
CLASS_COLOURS = {"A": "#CFE8F7", "B": "#E3F1E0", "C": "#FCEBC7", "D": "#F6D2C4"}
numbers = table[list(NUMERIC)].astype("float64")


def colour_class(value):
    return f"background-color: {CLASS_COLOURS[value]}" if value in CLASS_COLOURS else "color: #888888"


def colour_gap(value):
    if pd.isna(value):
        return "color: #888888"
    return "color: #0072B2" if value > 0 else ("color: #D55E00" if value < 0 else "")


# Streamlit draws an empty numeric cell as "None": the numbers are shown as
# formatted text (未报送 where unknown), coloured from the numbers themselves.
for column, fmt in NUMERIC.items():
    table[column] = [missing() if pd.isna(v) else fmt.format(v) for v in numbers[column]]
GAPS = ["gap_to_mean", "gap_to_mean_pct", "gap_to_best"]
styled = (table.style
          .map(colour_class, subset=["class"])
          .apply(lambda col: numbers[col.name].map(colour_gap), subset=GAPS)
          .apply(lambda col: ["color: #888888" if pd.isna(v) else "" for v in numbers[col.name]],
                 subset=["value", "percentile", "peer_mean", "peer_median"])
          .set_properties(subset=list(NUMERIC), **{"text-align": "right"}))
st.subheader(t(f"{period(chosen_period)} 排名总表", f"League table, {period(chosen_period)}"))
st.dataframe(
    styled, hide_index=True, height=min(38 * (len(table) + 1), 720),
    column_config={
        "metric": t("指标（单位）", "Metric (unit)"),
        "park": t("园区", "Park"),
        "value": t("数值（单位见指标）", "Value (unit of the metric)"),
        "rank": t("排名", "Rank"),
        "percentile": t("百分位（%）", "Percentile (%)"),
        "class": t("等级", "Class"),
        "peer_mean": t("组内平均", "Peer mean"),
        "peer_median": t("组内中位数", "Peer median"),
        "gap_to_mean": t("与平均差", "Gap to mean"),
        "gap_to_mean_pct": t("与平均差（%）", "Gap to mean (%)"),
        "gap_to_best": t("与最优差", "Gap to best"),
        "sentence": st.column_config.TextColumn(t("报告用语", "Report sentence"), width="large"),
    },
)
st.caption(t("排名 1 为最优，并列同名次；百分位 100 为组内最高；与平均差的单位同指标（百分比指标为百分点）。"
             "未报送的园区不参与排名，不按 0 计。数据来源：各园区报送，ParkBench 计算。",
             "Rank 1 is best, ties share a rank; percentile 100 is the top of the group; gaps are in the metric's unit "
             "(points for % metrics). Unreported parks are not ranked and never counted as 0."))

st.subheader(t("报告用语（可直接复制）", "Report sentences (copy into a report)"))
for park in ([highlight] if highlight else sorted(set(league["park"]))):
    rows = league[(league["park"] == park) & league["metric"].isin(["tax_per_mu", "tax_per_mu_annual", "output_per_mu",
                                                                     "leading_share", "output_ytd_yoy", "tax_ytd_yoy"])]
    sentences = "；".join(report_sentence(r, lang()) for r in rows.to_dict("records")) if zh else \
        "; ".join(report_sentence(r, lang()) for r in rows.to_dict("records"))
    st.markdown(f"**{park}**（{period(chosen_period)}）：{sentences}。" if zh
                else f"**{park}** ({period(chosen_period)}): {sentences}.")
    del rows
unit_note = "、".join(sorted({f"{METRIC_BY_ID[m].zh}：{metric_unit(m)}" for m in set(league["metric"]) if m in METRIC_BY_ID}))
st.caption(t("单位 — " + unit_note, "Units — " + unit_note))
widgets.manage_groups(PAGE, parks)
