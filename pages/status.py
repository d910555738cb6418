"""报送进度: which park has reported which month (park × month grid per
indicator group), the period every page opens on, and who is late."""

import streamlit as st

from parkbench.models.status import GROUP_LABELS
from parkbench.output.charts import status_grid
from ui import data, widgets
from ui.format import period, plain
from ui.i18n import lang, t
from ui.shell import benchmark_page

PAGE = "status"
version, parks = benchmark_page(
    PAGE, t("报送进度", "Reporting status"),
    t("还没有数据。请先在“上传数据”页上传园区统计报表（Excel 或 CSV）。",
      "No data yet. Upload statistics sheets (Excel or CSV) first."))

top = st.columns([2, 3])
indicator_group = top[0].selectbox(
    t("指标组", "Indicator group"), list(GROUP_LABELS), key=f"{PAGE}:indicator_group",
    format_func=lambda g: t(GROUP_LABELS[g], {"key": "output or tax", "output": "output", "tax": "tax",
                                              "investment": "investment", "land": "land", "firms": "firms"}[g]))
group, chosen_parks = widgets.peer_set(PAGE, parks, container=top[1])
if not chosen_parks:
    st.info(t("请至少选择一个园区，或选择一个对标组。", "Choose at least one park or a peer group."))
    st.stop()

key = sorted(chosen_parks)
summary = data.query("status_summary", parks=key)
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
st.caption(t("“已报送”指该月有产值或税收数值（报送或由累计推算）。各页面默认显示至少半数园区已报送的最新月份。",
             "A month counts as reported when output or tax is known for it (reported or derived). "
             "Pages open on the newest month at least half of the parks have reported."))

for month in sorted({summary.newest_period, summary.default_period} - {None}, reverse=True):
    late = summary.missing_at(month)
    if late:
        st.warning(plain(t(f"{period(month)}未报送（{len(late)}/{len(summary.parks)} 个园区）：",
                           f"{month:%Y-%m} not reported ({len(late)} of {len(summary.parks)} parks): ")
                         + "、".join(late)), icon=":material/schedule:")
if summary.newest_period and summary.default_period and summary.newest_period > summary.default_period:
    st.caption(plain(t(f"各页面仍默认显示 {period(summary.default_period)}（至少半数园区已报送的最新月份）；"
                       f"已报送 {period(summary.newest_period)} 的园区：",
                       f"Pages still open on {summary.default_period:%Y-%m}; already sent {summary.newest_period:%Y-%m}: ")
                     + "、".join(sorted(p for p, m in summary.latest_by_park.items() if m == summary.newest_period))))

grid = data.query("status_grid", parks=key)
grid = grid[grid["indicator_group"] == indicator_group]
months = sorted(grid["period"].unique())
shown_months = st.columns([2, 3])[0].slider(
    t("显示最近几个月", "Months shown"), 1, max(len(months), 1), min(12, max(len(months), 1)),
    key=f"{PAGE}:months") if len(months) > 1 else len(months)
grid = grid[grid["period"].isin(months[-shown_months:])]
label = t(GROUP_LABELS[indicator_group], indicator_group)
st.altair_chart(status_grid(grid, t(f"报送进度：{label}", f"Reporting status: {label}"), lang()),
                theme=None, width="content")

latest = [{"park": p, "latest": period(m) if m else t("无产值或税收", "no output or tax")}
          for p, m in sorted(summary.latest_by_park.items()) if p in set(chosen_parks)]
st.dataframe(latest, hide_index=True, column_config={
    "park": t("园区", "Park"), "latest": t("最近报送月份（产值或税收）", "Latest month reported (output or tax)")})
