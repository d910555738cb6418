"""首页: each park's headline numbers at its latest month."""

import streamlit as st

from parkbench.catalog import metric_label
from parkbench.output import scale
from parkbench.output.tables import Column
from ui import data, tables, widgets
from ui.alerts import alert_list
from ui.format import cumulative_period, key_figure_notes, key_figure_texts, period, plain
from ui.i18n import lang, t
from ui.shell import ensure_entry

ensure_entry()


def status_panel(summary) -> None:
    """报送进度 at a glance: the period the pages open on, and who has not reported it."""
    with st.container(border=True):
        st.markdown(t("**报送进度**", "**Reporting status**"))
        cols = st.columns(3)
        cols[0].metric(t("默认统计期（过半园区已报送）", "Default period (half the parks reported)"),
                       period(summary.default_period) if summary.default_period else "—")
        cols[1].metric(t("全部园区均已报送的最新月份", "Newest month every park reported"),
                       period(summary.complete_period) if summary.complete_period else "—",
                       help=t("该月每个园区都有产值或税收数值；此前的月份仍可能有园区缺报（见下方说明）。",
                              "Every park has output or tax for that month; some may still miss an earlier month."))
        widgets.gaps_note(summary)
        cols[2].metric(t("最新报送月份", "Newest month sent"),
                       period(summary.newest_period) if summary.newest_period else "—")
        if summary.late:
            st.warning(plain(t(f"{period(summary.default_period)}未报送：", f"{summary.default_period:%Y-%m} not reported: ")
                             + "、".join(summary.late)), icon=":material/schedule:")
        newest_missing = summary.missing_at(summary.newest_period)
        if newest_missing and summary.newest_period != summary.default_period:
            st.caption(plain(t(f"{period(summary.newest_period)}已报送 "
                               f"{len(summary.parks) - len(newest_missing)}/{len(summary.parks)} 个园区，尚未报送：",
                               f"{summary.newest_period:%Y-%m}: not yet reported by ") + "、".join(newest_missing)))
        st.page_link("pages/status.py", label=t("查看报送进度详情", "Reporting status in detail"),
                     icon=":material/fact_check:")


st.title(t("园区对标 ParkBench", "ParkBench — park benchmarking"))

summary = data.query("status_summary")
figures = data.query("key_figures", period=summary.default_period)
if figures.empty and summary.parks:
    # stored months, but no cumulative yet (one month's 本月 alone, the months before it missing)
    status_panel(summary)
    st.info(t("已有园区报表，但还没有可显示的主要指标：首页按 1-本月累计口径显示。只有某一个月的本月值时，"
              "累计要从 1 月起逐月连续才能推出；请上传 1-本月累计值，或 1 月以来各月的本月值。",
              "Sheets are stored, but no headline figure can be shown yet: this page shows year-to-date figures. "
              "With one month's value alone, the year-to-date needs every month from January; upload the "
              "year-to-date value, or each month since January."), icon=":material/info:")
    st.stop()
if figures.empty:
    st.warning(t("还没有数据。请在“上传数据”页上传园区统计报表（Excel 或 CSV）。",
                 "No data yet. Upload statistics sheets (Excel or CSV) on the Upload page."))
    st.stop()

status_panel(summary)

st.subheader(t("各园区最新指标", "Latest figures per park"))
if len(figures) > scale.CARD_PARKS:  # a card per park only while they fit on a screen
    st.caption(t(f"共 {len(figures):,} 个园区，见下表（可按列排序、搜索）。",
                 f"{len(figures):,} parks: see the table below (sort or search by column)."))
else:
    columns = st.columns(min(len(figures), 4))
    for i, row in enumerate(figures.itertuples(index=False)):
        with columns[i % len(columns)], st.container(border=True):
            st.markdown(f"**{plain(row.park)}**", help=None)
            st.caption(cumulative_period(row.period))
            texts = key_figure_texts(row._asdict())
            for metric in ("tax_per_mu", "leading_share", "output_ytd_yoy"):
                st.metric(metric_label(metric, lang()), texts[metric])

table = figures.assign(
    period=figures["period"].map(cumulative_period),
    output_ytd=figures["output_ytd"].astype("float64") / 10000,
    notes=[key_figure_notes(r) for r in figures.to_dict("records")],
)
tables.show(table, [
    Column("park", "园区", "Park"),
    Column("period", "统计期", "Period"),
    Column("tax_per_mu", metric_label("tax_per_mu", "zh"), metric_label("tax_per_mu", "en"), "num2"),
    Column("leading_share", metric_label("leading_share", "zh"), metric_label("leading_share", "en"), "pct"),
    Column("output_ytd_yoy", metric_label("output_ytd_yoy", "zh"), metric_label("output_ytd_yoy", "en"), "signed_pct"),
    Column("output_ytd", "累计产值（亿元）", "Output YTD (100m yuan)", "num2"),
    Column("notes", "说明", "Notes"),
], key="home:figures", title=t("各园区最新指标", "Latest figures per park"),
    meta=[t("各园区最新统计期（累计口径）", "Each park's latest period (year to date)")],
    name_parts=(t("各园区最新指标", "latest_figures"),))
st.caption(t("数据来源：各园区报送，ParkBench 计算。未报送的指标显示为“未报送”，不按 0 计。",
             "Source: park submissions; computed by ParkBench. Unreported values are shown as such, never as 0."))

alert_list()
