"""趋势: monthly lines per park for an indicator — levels, 同比, 环比, 累计同比 —
the published growth where it differs from the computed one, and this year
against last year by month."""

import pandas as pd
import streamlit as st

from parkbench.catalog import INDICATOR_BY_ID, unit_label
from parkbench.models.metrics import TREND_INDICATORS
from parkbench.output import scale
from parkbench.output.charts import lines, year_overlay
from parkbench.output.tables import CHECKS, Column, flag_texts
from ui import data, state, tables, widgets
from ui.format import period, plain
from ui.gap import projections
from ui.i18n import lang, t
from ui.shell import benchmark_page

PAGE = "trends"
version, parks = benchmark_page(
    PAGE, t("趋势", "Trends"),
    t("还没有数据。请先在“上传数据”页上传园区月度统计报表（本月值或累计值，Excel 或 CSV）。",
      "No data yet. Upload monthly statistics sheets (Excel or CSV) first."))

MEASURES = {
    "month_value": ("本月值", "Month value", "万元"),
    "ytd_value": ("累计值", "Year to date", "万元"),
    "yoy": ("本月同比", "Month YoY", "%"),
    "mom": ("环比", "Month on month", "%"),
    "ytd_yoy": ("累计同比", "YTD YoY", "%"),
}
zh = lang() == "zh"
state.follow_chart([f"{PAGE}:lines"], "park", [None, *parks], page=PAGE)
top = st.columns([2, 2, 2, 3])
indicator = state.choose("indicator", t("指标", "Indicator"), TREND_INDICATORS, page=PAGE, container=top[0],
                         format_func=lambda i: INDICATOR_BY_ID[i].zh if zh else INDICATOR_BY_ID[i].en)
measure = state.choose("measure", t("口径", "Measure"), list(MEASURES), page=PAGE, container=top[1], default="ytd_yoy",
                       format_func=lambda m: MEASURES[m][0] if zh else MEASURES[m][1])
highlight = state.choose("park", t("本园区（突出显示）", "Your park (highlighted)"), [None, *parks], page=PAGE,
                         container=top[2], format_func=lambda p: t("（不突出）", "(none)") if p is None else p)
group, chosen_parks = widgets.peer_set(PAGE, parks, container=top[3])
if not chosen_parks:
    st.info(t("请至少选择一个园区。", "Choose at least one park."))
    st.stop()

frame = data.query("trend", indicator=indicator, parks=chosen_parks)
name = INDICATOR_BY_ID[indicator].zh if zh else INDICATOR_BY_ID[indicator].en
zh_name, en_name, unit = MEASURES[measure]
unit = unit_label(unit, lang())
if frame.empty or frame[measure].notna().sum() == 0:
    st.info(t(f"所选园区没有“{name}{zh_name}”的数值。同比需要上年同期数据：请上传上一年的月度报表。",
              f"No values of {name}, {en_name}. Growth needs the same months a year earlier: upload last year's sheets."))
    st.stop()

full = frame
months = sorted(pd.to_datetime(frame.loc[frame[measure].notna(), "period"]).dt.date.unique())
start, end = state.choose_range(("from", "to"), t("时间范围（起—止）", "Period range (from – to)"), months, page=PAGE,
                                format_func=period)
stamps = pd.to_datetime(frame["period"])
frame = frame[(stamps >= pd.Timestamp(start)) & (stamps <= pd.Timestamp(end))]
first, last = frame.loc[frame[measure].notna(), "period"].min(), frame.loc[frame[measure].notna(), "period"].max()
span = t(f"{period(first)}—{period(last)}", f"{period(first)} to {period(last)}")
y_title = f"{name}{zh_name}（{unit}）" if zh else f"{name}, {en_name} ({unit})"
fmt = ",.1f" if MEASURES[measure][2] == "%" else ",.0f"
# Above a palette's worth of parks: the leaders' lines (and the user's park) over the whole group's spread.
focus = scale.line_focus(frame, measure, highlight, lang())
drawn = focus.drawn
note = f"\n{focus.note}" if focus.note else ""
reported = None
if measure == "ytd_yoy":
    reported = drawn[drawn["reported_differs"]]
flags = data.query("flagged_values", indicator=indicator, parks=chosen_parks)
flagged = frame.loc[frame[measure].notna(), ["park", "period", measure]]
flagged = flagged.assign(checks=flag_texts(flagged, flags, keys=("park", "period")))
flagged = flagged[flagged["checks"] != ""]
chart = lines(drawn, measure, y_title, t(f"{name}{zh_name}：逐月走势", f"{name}, {en_name}: month by month"),
              t(f"{span}　单位：{unit}{note}", f"{span}  Unit: {unit}{note}"),
              highlight, lang(), fmt=fmt, unit=unit, reported=reported, band=focus.band,
              flagged=flagged[flagged["park"].isin(set(drawn["park"]))])
widgets.chart(chart, f"{PAGE}:lines", (f"{name}{zh_name}" if zh else f"{name} {en_name}", t("逐月走势", "by month"),
                                         f"{period(first)}-{period(last)}"))
st.caption(t("按住 Shift 滚动滚轮缩放时间轴，拖动平移，双击复原；点击折线突出该园区（本页各图同时突出）。",
             "Hold Shift and scroll to zoom the time axis, drag to pan, double-click to reset; "
             "click a line to highlight its park in every chart of the page."))
if len(flagged):
    st.markdown(t("⚠ 以下数值所依据的报表数值有未处理的审核提示（见“数据质量”页）：",
                  "⚠ These values rest on a value with an open data-check warning (see Data quality):"))
    tables.show(flagged.assign(period=flagged["period"].map(period)), [
        Column("park", "园区", "Park"), Column("period", "统计期", "Period"),
        Column(measure, f"{zh_name}（{unit}）", f"{en_name} ({unit})", "signed1" if MEASURES[measure][2] == "%" else "num0"),
        CHECKS,
    ], key=f"{PAGE}:flagged", title=t(f"{name}{zh_name}：有审核提示的数值", f"{name}, {en_name}: values with warnings"),
        meta=[span, tables.peer_note(group, chosen_parks)],
        name_parts=(name, t("审核提示", "warnings"), f"{period(first)}-{period(last)}"))
if measure == "ytd_yoy":
    differs = frame[frame["reported_differs"]]
    if len(differs):
        st.markdown(t("◆ 报送增速与按报表数值计算的增速相差超过 1 个百分点：",
                      "◆ Published growth differs from the computed growth by more than 1 point:"))
        tables.show(differs.assign(period=differs["period"].map(period)), [
            Column("park", "园区", "Park"), Column("period", "统计期", "Period"),
            Column("ytd_yoy", "计算增速（%）", "Computed (%)", "signed1"),
            Column("ytd_yoy_reported", "报送增速（%）", "Published (%)", "signed1"),
            Column("reported_gap", "相差（个百分点）", "Gap (points)", "signed1"),
        ], key=f"{PAGE}:differs", title=t(f"{name}：报送增速与计算增速不一致", f"{name}: published vs computed growth"),
            meta=[span, tables.peer_note(group, chosen_parks)],
            name_parts=(name, t("报送与计算增速", "published_vs_computed"), f"{period(first)}-{period(last)}"))
    elif frame["ytd_yoy_reported"].notna().any():
        st.caption(t("报送增速与计算增速相差均不超过 1 个百分点。", "Published and computed growth agree within 1 point."))

overlay_park = highlight if highlight in chosen_parks else chosen_parks[0]
own_ytd = frame[(frame["park"] == overlay_park) & frame["ytd_value"].notna()]
if len(own_ytd):  # 预计全年 from the park's last 1-N月 in the range (none for December)
    projections(overlay_park, indicator, f"{pd.Timestamp(own_ytd['period'].max()):%Y-%m}")

st.subheader(t("今年与上年同月对比", "This year against last year, by month"))
one = full[(full["park"] == overlay_park) & full[measure].notna()]
years = sorted(one["year"].unique())
if len(years) == 0:
    st.info(t(f"{plain(overlay_park)} 没有该口径的数值。", f"{plain(overlay_park)} has no values for this measure."))
else:
    this_year = state.choose("year", t("年份", "Year"), [int(y) for y in years[::-1]], page=PAGE,
                             container=st.columns(4)[0], format_func=lambda y: t(f"{y}年", str(y)))
    pair = one[one["year"].isin([this_year - 1, this_year])]
    title = t(f"{overlay_park}　{name}{zh_name}：{this_year}年与{this_year - 1}年",
              f"{overlay_park} — {name}, {en_name}: {this_year} vs {this_year - 1}")
    widgets.chart(year_overlay(pair, measure, y_title, title, t(f"按月份对齐　单位：{unit}", f"aligned by month  Unit: {unit}"),
                               lang(), fmt=fmt, unit=unit),
                  f"{PAGE}:overlay", (overlay_park, f"{name}{zh_name}" if zh else f"{name} {en_name}",
                                       t(f"{this_year}年与{this_year - 1}年", f"{this_year} vs {this_year - 1}")),
                  selectable=False)
    if this_year - 1 not in set(pair["year"]):
        st.caption(t(f"{this_year - 1}年没有数值（未报送）。", f"No values for {this_year - 1} (not reported)."))

st.subheader(t(f"{name}年均增长（CAGR）", f"{name}: average annual growth (CAGR)"))
years = data.query("cagr_years", indicator=indicator)
if len(years) < 2:
    st.info(t("年均增长需要至少两个完整年度（含 12 月累计值）的数据。",
              "Average annual growth needs at least two whole years (with a December year-to-date value)."))
else:
    start_year, end_year = state.choose_range(("cagr_from", "cagr_to"), t("年份范围（基年—末年）", "Years (base – last)"),
                                              years, page=PAGE, format_func=lambda y: t(f"{y}年", str(y)))
    if start_year == end_year:
        st.info(t("请选择不同的基年和末年。", "Choose two different years."))
    else:
        growth = data.query("cagr", indicator=indicator, start_year=start_year, end_year=end_year,
                            parks=chosen_parks)
        span_text = t(f"{start_year}年—{end_year}年（{end_year - start_year} 年）",
                      f"{start_year} to {end_year} ({end_year - start_year} years)")
        tables.show(growth, [
            Column("park", "园区", "Park"),
            Column("start_value", f"{start_year}年全年（万元）", f"{start_year} full year (10k yuan)", "num0"),
            Column("end_value", f"{end_year}年全年（万元）", f"{end_year} full year (10k yuan)", "num0"),
            Column("cagr", "年均增长（%）", "Average annual growth (%)", "signed_pct"),
        ], key=f"{PAGE}:cagr", title=t(f"{name}年均增长", f"{name}: average annual growth"),
            meta=[span_text, tables.peer_note(group, chosen_parks)],
            name_parts=(name, t("年均增长", "CAGR"), f"{start_year}-{end_year}"))
        st.caption(t("年均增长 =（末年全年值 ÷ 基年全年值）^（1 ÷ 年数）− 1；两年时即“两年平均增长”。"
                     "只用完整年度（12 月累计值），基年为 0 或缺数时不计算（显示未报送）。",
                     "CAGR = (last year ÷ base year)^(1 ÷ years) − 1, whole years only (December year to date); "
                     "not computed over a zero or missing base."))
