"""园区对比: one metric, one month, parks (or a saved group) side by side
against the peer mean and median; small multiples of several metrics."""

import streamlit as st

from parkbench.catalog import METRICS, metric_label, metric_unit, unit_label
from parkbench.models.benchmark import report_sentence
from parkbench.output import scale
from parkbench.output.charts import compare_bars, missing_note, multiple_panels, short_label, small_multiples
from parkbench.output.tables import CHECKS, NOTES, Column, flag_texts, gap_kind, metric_notes, value_kind
from ui import data, state, tables, widgets
from ui.format import period, plain
from ui.gap import gap_finder
from ui.i18n import lang, t
from ui.shell import benchmark_page

PAGE = "compare"
version, parks = benchmark_page(
    PAGE, t("园区对比", "Compare parks"),
    t("还没有数据。请先在“上传数据”页上传园区统计报表（Excel 或 CSV，含亩均税收所需的税收与用地面积）。",
      "No data yet. Upload statistics sheets (Excel or CSV with tax and land area) first."))

metric_ids = [m.id for m in METRICS]
state.follow_chart([f"{PAGE}:bars", *(f"{PAGE}:multi:{i}" for i in range(len(METRICS)))], "park", [None, *parks],
                   page=PAGE)
top = st.columns([2, 2, 3])
metric = state.choose("metric", t("指标", "Metric"), metric_ids, page=PAGE, container=top[0],
                      format_func=lambda m: metric_label(m, lang()), default="tax_per_mu")
highlight = state.choose("park", t("本园区（突出显示）", "Your park (highlighted)"), [None, *parks], page=PAGE,
                         container=top[1], format_func=lambda p: t("（不突出）", "(none)") if p is None else p)
group, chosen_parks = widgets.peer_set(PAGE, parks, container=top[2])
available = sorted(data.query("periods", metric=metric))
if not available:
    st.info(t("所选指标还没有任何园区的数值：请上传含该指标所需数据的报表。",
              "No park has a value for this metric yet: upload sheets with its inputs."))
    st.stop()
chosen_period = state.choose_slider("period", t("统计期", "Period"), available, page=PAGE, format_func=period,
                                    default=data.query("status_summary", parks=sorted(chosen_parks) or None).default_period)
if not chosen_parks:
    st.info(t("请至少选择一个园区，或选择一个对标组。", "Choose at least one park or a peer group."))
    widgets.manage_groups(PAGE, parks)
    st.stop()
widgets.missing_note(chosen_period, chosen_parks)

period_text = f"{chosen_period:%Y-%m}"
result = data.query("league", period=period_text, parks=chosen_parks, metrics=[metric], why_empty=True)
result = result[result["metric"] == metric] if len(result) else result
unit = unit_label(metric_unit(metric), lang())
digits = 1 if unit == "%" else 2
gap_unit, gap_unit_en = ("个百分点", "points") if unit == "%" else (unit, unit_label(metric_unit(metric), "en"))
if result.empty or result["value"].notna().sum() == 0:
    st.info(t("所选园区在该期间都未报送此指标。", "None of the chosen parks reported this metric for the period."))
else:
    drawn, rest = scale.leaders(result, "value", scale.BAR_PARKS, highlight)
    notes = [scale.drawn_note(len(drawn), int(result["value"].notna().sum()), lang()), missing_note(result, lang())]
    chart = compare_bars(drawn, metric, period(chosen_period), highlight, lang(), note="\n".join(filter(None, notes)))
    widgets.chart(chart, f"{PAGE}:bars", (short_label(metric, lang()), t("园区对比", "parks compared"),
                                            period(chosen_period)))
    if rest.count:
        st.caption(rest.sentence(digits, unit, lang()) + t("完整数值见下表。", " Every value is in the table below."))
    if highlight is not None and highlight in set(result["park"]):
        row = result[result["park"] == highlight].iloc[0].to_dict()
        st.markdown(f"**{plain(highlight)}**：{plain(report_sentence(row, lang()))}")
        widgets.firm_link(highlight)
    gap_finder(PAGE, metric, period_text, sorted(set(result.loc[result["value"].notna(), "park"])),
                       highlight, group, chosen_parks)

    flags = data.query("flagged_metrics", period=chosen_period, parks=chosen_parks)
    shown = result.assign(value=result["value"].astype("float64"), rank=result["rank"].astype("float64"),
                          notes=metric_notes(result, lang()), checks=flag_texts(result, flags))
    columns = [
        Column("park", "园区", "Park"),
        Column("value", metric_label(metric, "zh"), metric_label(metric, "en"), value_kind(metric)),
        Column("rank", f"排名（共{int(result['peers'].max())}个）", f"Rank (of {int(result['peers'].max())})", "int"),
        Column("gap_to_mean", f"与平均差（{gap_unit}）", f"Gap to mean ({gap_unit_en})", gap_kind(metric)),
        Column("gap_to_mean_pct", "与平均差（%）", "Gap to mean (%)", "signed1"),
        Column("gap_to_best", f"与最优差（{gap_unit}）", f"Gap to best ({gap_unit_en})", gap_kind(metric)),
        NOTES,
        CHECKS,
    ]
    tables.show(shown, columns, key=f"{PAGE}:parks", title=t(f"{short_label(metric, 'zh')}：园区对比",
                                                             f"{short_label(metric, 'en')}: parks compared"),
                meta=[t(f"统计期：{period(chosen_period)}", f"Period: {period(chosen_period)}"),
                      tables.peer_note(group, chosen_parks)],
                name_parts=(short_label(metric, lang()), t("园区对比", "parks compared"), period(chosen_period)))
    stats = result.iloc[0]
    st.caption(t(f"园区平均 {stats.peer_mean:,.{digits}f} {unit}，中位数 {stats.peer_median:,.{digits}f} {unit}，"
                 f"最优 {stats.best:,.{digits}f} {unit}；{int(stats.peers)}/{int(stats.group_size)} 个园区有数值，"
                 "未报送的不计入。数据来源：各园区报送，ParkBench 计算。",
                 f"Peer mean {stats.peer_mean:,.{digits}f} {unit}, median {stats.peer_median:,.{digits}f} {unit}, "
                 f"best {stats.best:,.{digits}f} {unit}; {int(stats.peers)} of {int(stats.group_size)} parks reported."))
    widgets.peer_scope(chosen_period, group, None if group or set(chosen_parks) == set(parks) else chosen_parks)

st.subheader(t("多指标对比", "Several metrics"))
defaults = [m for m in ("tax_per_mu", "output_per_mu", "leading_share", "output_ytd_yoy") if m in metric_ids]
several = state.choose_many("metrics", t("指标（每个指标一幅小图）", "Metrics (one small chart each)"), metric_ids,
                            page=PAGE, default=defaults, format_func=lambda m: metric_label(m, lang()))
if several:
    multi = data.query("league", period=period_text, parks=chosen_parks, metrics=several)
    if multi.empty or multi["value"].notna().sum() == 0:
        st.info(t("所选指标在该期间都没有数值。", "No values for these metrics in the period."))
    else:
        widgets.panels(multiple_panels(multi, several, period(chosen_period), highlight, lang(), scale.PANEL_PARKS),
                       f"{PAGE}:multi")
        shown_period, language = period(chosen_period), lang()
        widgets.downloads(lambda: small_multiples(multi, several, shown_period, highlight, language,
                                                  limit=scale.PANEL_PARKS),
                          f"{PAGE}:multi", (t("多指标对比", "several metrics"), period(chosen_period)))
        missing_metrics = [metric_label(m, lang()) for m in several if not multi.loc[multi["metric"] == m, "value"].notna().any()]
        if missing_metrics:
            st.caption(t("该期间无园区报送：", "Nobody reported: ") + "、".join(missing_metrics))
widgets.manage_groups(PAGE, parks)
