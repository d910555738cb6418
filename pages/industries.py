"""主导产业: industry composition per park, the leading groups by industry code of
a park with enterprise rows (with their editor and the name → code table), the
leading industries' share of output (and of tax and investment where reported),
and its change over time."""

import streamlit as st

from parkbench.catalog import metric_label
from parkbench.output import scale
from parkbench.output.charts import industry_stack, lines
from parkbench.output.tables import Column
from ui import data, leading, state, tables, widgets
from ui.format import period
from ui.i18n import lang, t
from ui.shell import benchmark_page

PAGE = "industries"
version, parks = benchmark_page(
    PAGE, t("主导产业", "Leading industries"),
    t("还没有数据。请先在“上传数据”页上传园区统计报表和产业结构表（产业名称、是否主导产业、产值、企业数）。",
      "No data yet. Upload statistics sheets and an industry sheet (industry, leading or not, output, firms)."))

state.follow_chart([f"{PAGE}:stack", f"{PAGE}:share"], "park", [None, *parks], page=PAGE)
top = st.columns([2, 3])
highlight = state.choose("park", t("本园区（突出显示）", "Your park (highlighted)"), [None, *parks], page=PAGE,
                         container=top[0], format_func=lambda p: t("（不突出）", "(none)") if p is None else p)
group, chosen_parks = widgets.peer_set(PAGE, parks, container=top[1])
if not chosen_parks:
    st.info(t("请至少选择一个园区。", "Choose at least one park."))
    st.stop()

st.subheader(t("产业构成", "Industry composition"))
industry_periods = sorted(data.query("industry_periods"))
if not industry_periods:
    st.info(t("还没有产业结构数据。请上传产业结构表（产业名称、是否主导产业、产值（万元）、企业数（户））。",
              "No industry breakdown yet. Upload an industry sheet (industry, leading or not, output, firms)."))
else:
    chosen = state.choose_slider("period", t("统计期", "Period"), industry_periods, page=PAGE, format_func=period,
                                 default=data.query("status_summary", parks=sorted(chosen_parks)).default_period)
    composition = data.query("industries", period=f"{chosen:%Y-%m}", parks=chosen_parks)
    if composition.empty:
        st.info(t("所选园区在该期间未报送产业结构。", "The chosen parks reported no industry breakdown for the period."))
    else:
        drawn, rest = scale.composition_leaders(composition, scale.BAR_PARKS, highlight)
        label = t(f"{chosen.year}年", str(chosen.year)) if chosen.month == 12 else period(chosen)
        note = scale.drawn_note(drawn["park"].nunique(), composition["park"].nunique(), lang(), "主导产业占比最高的")
        widgets.chart(industry_stack(drawn, label, highlight, lang(), note=note),
                      f"{PAGE}:stack", (t("主导产业构成", "industry composition"), period(chosen)))
        if rest.count:
            st.caption(rest.sentence(1, "%", lang(), ("主导产业占比", "leading share"))
                       + t("完整构成见下表。", " The full composition is in the table below."))
        absent = sorted(set(chosen_parks) - set(composition["park"]))
        if absent:
            st.caption(t("未报送产业结构：", "No industry breakdown: ") + "、".join(absent))
        shown = composition.assign(is_leading=composition["is_leading"].map({True: t("是", "yes"), False: t("否", "no")}),
                                   output=composition["output"].astype("float64"),
                                   share=composition["share"].astype("float64"),
                                   firms=composition["firms"].astype("float64"))
        tables.show(shown, [
            Column("park", "园区", "Park"), Column("industry", "产业", "Industry"),
            Column("is_leading", "主导产业", "Leading"),
            Column("output", "产值（万元）", "Output (10k yuan)", "num0"),
            Column("share", "占园区产值比重（%）", "Share of park output (%)", "pct"),
            Column("firms", "企业数（户）", "Firms", "int"),
        ], key=f"{PAGE}:composition", title=t("主导产业构成", "Industry composition"),
            meta=[t(f"统计期：{period(chosen)}", f"Period: {period(chosen)}"), tables.peer_note(group, chosen_parks)],
            name_parts=(t("主导产业构成", "industry_composition"), period(chosen)))

leading.section(PAGE, highlight)

st.subheader(t("主导产业占比的变化", "Leading-industry share over time"))
SHARES = ["leading_share", "leading_tax_share", "leading_investment_share"]
share_metric = state.choose("share", t("占比口径", "Share of"), SHARES, page=PAGE, radio=True,
                            format_func=lambda m: metric_label(m, lang()))
frame = data.query("series", metrics=list(SHARES), parks=chosen_parks)
one = frame[frame["metric"] == share_metric]
if one.empty:
    st.info(t("所选园区没有报送该口径（需要主导产业的产值、税收或投资及园区合计）。",
              "No park reported this share (it needs leading-industry output, tax or investment and the park total)."))
else:
    first, last = one["period"].min(), one["period"].max()
    label = metric_label(share_metric, lang())
    focus = scale.line_focus(one, "value", highlight, lang())
    note = f"\n{focus.note}" if focus.note else ""
    chart = lines(focus.drawn, "value", label,
                  t(f"{label.split('（')[0]}：逐月变化", f"{label.split(' (')[0]}: month by month"),
                  t(f"{period(first)}—{period(last)}　累计口径　单位：%{note}",
                    f"{period(first)} to {period(last)}, year to date  Unit: %{note}"),
                  highlight, lang(), fmt=".0f", unit="%", band=focus.band)
    widgets.chart(chart, f"{PAGE}:share", (label.split("（")[0].split(" (")[0], t("逐月变化", "month by month"),
                                           f"{period(first)}-{period(last)}"))
    reported = sorted(set(one["park"]))
    absent = sorted(set(chosen_parks) - set(reported))
    if absent:
        st.caption(t("未报送：", "Not reported: ") + "、".join(absent))
