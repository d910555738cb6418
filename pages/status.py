"""报送进度: which park has reported which month (park × month grid per
indicator group), the period every page opens on, who is late, and where
each park's month stands in the cycle 报送 → 审核 (未报送 / 待审核 / 已退回 /
已通过, who sent and reviewed it, 逾期 after the due day)."""

import datetime as dt

import pandas as pd
import streamlit as st

from parkbench.models.settings import REPORT_DUE_DAY
from parkbench.models.status import GROUP_LABELS, REVIEW_LABELS
from parkbench.output.charts import status_grid
from ui import auth, data, widgets
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
grid_chart = status_grid(grid, t(f"报送进度：{label}", f"Reporting status: {label}"), lang())
# its natural width (the spec's), or the screen's where that is narrower (a phone): Streamlit caps a pixel width
st.altair_chart(grid_chart, theme=None, width=grid_chart.width)

latest = [{"park": p, "latest": period(m) if m else t("无产值或税收", "no output or tax")}
          for p, m in sorted(summary.latest_by_park.items()) if p in set(chosen_parks)]
st.dataframe(latest, hide_index=True, column_config={
    "park": t("园区", "Park"), "latest": t("最近报送月份（产值或税收）", "Latest month reported (output or tax)")})


REVIEW_EN = {"missing": "not sent", "pending": "awaiting review", "returned": "returned", "approved": "approved"}


def review_section(months_shown: int) -> None:
    """审核进度: the latest months (those the slider shows, at least three) of every
    park that sent a sheet — a park whose only upload waits for review is on no
    other page yet, and a month waiting is in no grid above — newest month first."""
    st.subheader(t("审核进度（报送 → 审核 → 汇总）", "Review (sent → reviewed → in force)"))
    st.caption(t(f"每月数据应于次月 {REPORT_DUE_DAY} 日前报送并审核通过；到期仍无审核通过的数据、也不在待审核中的，记为“逾期”。"
                 "填报账户的上传须经管理账户审核通过后才计入各页面。",
                 f"Each month is due by day {REPORT_DUE_DAY} of the next month; past that, with nothing approved and "
                 "nothing awaiting review, it is late. Uploads of 填报 accounts count once a 管理 account approves them."))
    review = data.query("review_progress", today=dt.date.today())
    if review.empty:
        st.info(t("还没有园区报送数据。", "No park has sent data yet."))
        return
    months = sorted(review["period"].unique())[-max(months_shown, 3):]
    review = review[review["period"].isin(months)]
    late = review[review["late"]]
    if not late.empty:
        st.warning(plain(t("逾期：", "Late: ") + "；".join(f"{r.park} {period(r.period)}" for r in late.itertuples())),
                   icon=":material/alarm:")
    for month in reversed(months):
        st.markdown(_month_line(review[review["period"] == month], month))
    shown = review.sort_values(["period", "park"], ascending=[False, True])
    st.dataframe(
        [{"park": r.park, "period": period(r.period),
          "state": t(REVIEW_LABELS[r.state], REVIEW_EN[r.state]) + (t("（逾期）", " (late)") if r.late else ""),
          "uploaded_by": _who(r.uploaded_by, r.uploaded_at), "reviewed_by": _who(r.reviewed_by, r.reviewed_at),
          "reason": r.return_reason if isinstance(r.return_reason, str) else "",
          "upload": "" if pd.isna(r.upload_id) else f"#{int(r.upload_id)}"}
         for r in shown.itertuples()],
        hide_index=True, key=f"{PAGE}:review",
        column_config={"park": t("园区", "Park"), "period": t("月份", "Month"), "state": t("状态", "State"),
                       "uploaded_by": t("报送人／时间", "Sent by / at"), "reviewed_by": t("审核人／时间", "Reviewed by / at"),
                       "reason": t("退回原因", "Reason returned"), "upload": t("上传编号", "Upload")})


NAMED = 10  # parks named per state in a month's line (…等 N 个)


def _month_line(rows, month) -> str:
    """One month at a glance (Markdown; park names escaped): each state with its parks, 待审核 and 已退回 first."""
    parts = []
    for state in ("pending", "returned", "missing", "approved"):
        parks = sorted(rows.loc[rows["state"] == state, "park"])
        if parks:
            named = "、".join(plain(p) for p in parks[:NAMED]) + (t(f"等 {len(parks)} 个", f" and {len(parks) - NAMED} more")
                                                 if len(parks) > NAMED else "")
            parts.append(f"{t(REVIEW_LABELS[state], REVIEW_EN[state])}：{named}")
    return f"**{period(month)}** — " + t("；", "; ").join(parts)


def _who(username, at) -> str:
    if not isinstance(username, str) or not username:
        return ""
    when = "" if pd.isna(at) else f" {pd.Timestamp(at):%Y-%m-%d %H:%M}"
    return (auth.display_name(username) or username) + when


review_section(shown_months)
