"""排名: the league table of a period for a peer set — every metric, rank,
percentile, class A/B/C/D, peer mean/median and gaps — and a report sentence per park."""

import streamlit as st

from parkbench.catalog import METRIC_BY_ID, metric_unit, unit_label
from parkbench.models.benchmark import DEFAULT_CLASSES, metric_name, park_sentences
from parkbench.output import scale
from parkbench.output.tables import league_table, park_metric_table
from ui import data, state, tables, widgets
from ui.format import period, plain
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
available = sorted(data.query("periods"))
chosen_period = state.choose_slider("period", t("统计期", "Period"), available, page=PAGE, format_func=period,
                                    default=data.query("status_summary", parks=sorted(chosen_parks) or None).default_period)
with st.expander(t("等级划分（按组内排名百分位）", "Classes (by rank percentile in the group)")):
    cols = st.columns(3)  # in the URL (?class_a=25&class_b=…), so a shared link shows the same classes
    a, b, c = (state.choose_number(name, label, low, high, page=PAGE, default=round(default * 100), container=col)
               for name, label, low, high, default, col in (
                   ("class_a", t("A 类：前（%）", "A: top (%)"), 1, 98, DEFAULT_CLASSES[0], cols[0]),
                   ("class_b", t("B 类：至（%）", "B: to (%)"), 2, 99, DEFAULT_CLASSES[1], cols[1]),
                   ("class_c", t("C 类：至（%）", "C: to (%)"), 3, 100, DEFAULT_CLASSES[2], cols[2])))
    st.caption(t("默认按江苏亩均评价做法：前 20% 为 A，20%–60% 为 B，60%–95% 为 C，其余为 D。",
                 "Default (Jiangsu practice): top 20 % A, to 60 % B, to 95 % C, the rest D."))
classes = (a / 100, b / 100, c / 100)
if not a < b < c:
    st.error(t("等级界限须依次增大：A < B < C。", "Class bounds must increase: A < B < C."))
    st.stop()
if chosen_period is None or not chosen_parks:
    st.info(t("请选择统计期和园区。", "Choose a period and parks."))
    st.stop()
widgets.missing_note(chosen_period, chosen_parks)

league = data.query("league", period=f"{chosen_period:%Y-%m}", parks=chosen_parks, classes=classes,
                    why_empty=True)
if league.empty:
    st.info(t("该期间没有任何指标数值。", "No metric has a value for this period."))
    st.stop()
zh = lang() == "zh"
meta = [t(f"统计期：{period(chosen_period)}", f"Period: {period(chosen_period)}"), tables.peer_note(group, chosen_parks),
        t(f"等级：前 {a}% 为 A，至 {b}% 为 B，至 {c}% 为 C，其余为 D", f"Classes: top {a} % A, to {b} % B, to {c} % C, rest D")]

st.subheader(t(f"{period(chosen_period)} 园区 × 指标总表", f"Parks × metrics, {period(chosen_period)}"))
flags = data.query("flagged_metrics", period=chosen_period, parks=chosen_parks)
wide, wide_columns = park_metric_table(league, lang=lang(), flags=flags)
wide = widgets.paginate(wide, f"{PAGE}:wide_page")  # a styled table of 2,000 parks × 30 columns stalls the browser
tables.show(wide, wide_columns, key=f"{PAGE}:wide", title=t("园区 × 指标总表", "Parks × metrics"), meta=meta,
            name_parts=(t("园区指标总表", "parks_by_metrics"), period(chosen_period)),
            restyle=lambda style: tables.colour_classes(style, [c.key for c in wide_columns if c.key.endswith(":class")]),
            height=None if len(wide) <= 18 else 720)
st.caption(t("每个指标三列：数值、排名（1 为最优，并列同名次）、等级。点击表头可按该列排序。",
             "Three columns per metric: value, rank (1 is best, ties share a rank), class. Click a header to sort."))

st.subheader(t(f"{period(chosen_period)} 排名明细", f"League table, {period(chosen_period)}"))
if highlight is not None:
    league = league[league["park"] == highlight]
    widgets.firm_link(highlight)
whole = league
long, long_columns = league_table(league, lang(), flags=flags)
long = widgets.paginate(long, f"{PAGE}:page")
tables.show(long, long_columns, key=f"{PAGE}:league", title=t("排名明细", "League table"), meta=meta,
            name_parts=(t("排名明细", "league_table"), *([highlight] if highlight else []), period(chosen_period)),
            restyle=lambda style: tables.colour_gaps(tables.colour_classes(style, ["class"]),
                                                     ["gap_to_mean", "gap_to_mean_pct", "gap_to_best"]),
            height=None if len(long) <= 18 else 720, widths={"sentence": "large", "notes": "medium", "checks": "medium"})
st.caption(t("排名 1 为最优，并列同名次；百分位 100 为组内最高；与平均差的单位同指标（百分比指标为百分点）。"
             "未报送的园区不参与排名，不按 0 计；增速无法计算（缺上年同期）而报表报送了增速的，按报送增速排名，"
             "说明栏标“报送”。⚠ 表示该数值所依据的报表数值有未处理的审核提示（见“数据质量”页）。"
             "数据来源：各园区报送，ParkBench 计算。",
             "Rank 1 is best, ties share a rank; percentile 100 is the top of the group; gaps are in the metric's unit "
             "(points for % metrics). Unreported parks are not ranked and never counted as 0; a growth the sheet "
             "published is ranked where the computed one is unknown, marked (reported). ⚠: an open data-check "
             "warning."))

st.subheader(t("报告用语（可直接复制）", "Report sentences (copy into a report)"))
sentence_parks = [highlight] if highlight else sorted(set(whole["park"]))
if len(sentence_parks) > scale.SENTENCE_PARKS:
    st.caption(t(f"园区较多：下面是前 {scale.SENTENCE_PARKS} 个园区；选择“本园区”可看某一园区。",
                 f"Many parks: the first {scale.SENTENCE_PARKS}; choose “Your park” for one park."))
    sentence_parks = sentence_parks[: scale.SENTENCE_PARKS]
for park in sentence_parks:
    sentences = ("；" if zh else "; ").join(park_sentences(whole, park, lang()))
    if not sentences:  # none of the report's metrics (亩均, growth, share) for the month
        sentences = t("本期没有报告用语所用的指标（亩均税收、增速、主导产业占比等）",
                      "none of the metrics report sentences use (tax per mu, growth, leading share …)")
    st.markdown(f"**{plain(park)}**（{period(chosen_period)}）：{sentences}。" if zh
                else f"**{plain(park)}** ({period(chosen_period)}): {sentences}.")
units = sorted({(metric_name(m, lang()), unit_label(metric_unit(m), lang())) for m in set(whole["metric"])
                if m in METRIC_BY_ID})
st.caption(t("单位 — " + "、".join(f"{n}：{u}" for n, u in units), "Units — " + "; ".join(f"{n}: {u}" for n, u in units)))
widgets.manage_groups(PAGE, parks)
