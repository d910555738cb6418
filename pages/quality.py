"""数据质量: open data-check warnings (数据审核) by park and period — a
cumulative below last month's, a month missing, a jump beyond the thresholds
— each naming file, sheet, row and column."""

import pandas as pd
import streamlit as st

from parkbench.models.checks import CHECK_TITLES
from parkbench.models.settings import CHECKS
from ui import data
from ui.format import period
from ui.i18n import t
from ui.shell import benchmark_page

PAGE = "quality"


def data_place(row) -> str:
    """文件「…」，工作表「…」，第 n 行，第 E 列（…）: as far as the warning knows."""
    parts = [f"文件「{row.file_name}」"] if row.file_name else []
    if isinstance(row.sheet, str):
        parts.append(f"工作表「{row.sheet}」")
    if not pd.isna(row.row_no):
        parts.append(f"第 {int(row.row_no)} 行")
    if isinstance(row.column_ref, str):
        parts.append(row.column_ref)
    return "，".join(parts)
version, parks = benchmark_page(
    PAGE, t("数据质量", "Data quality"),
    t("还没有数据。请先在“上传数据”页上传园区统计报表（Excel 或 CSV）。",
      "No data yet. Upload statistics sheets (Excel or CSV) first."))

st.caption(t(f"数据审核只提示、不拒收：累计低于上月、本月大于累计、推算当月为负、序列缺月、"
             f"环比超过 ±{CHECKS.month_on_month_percent:g}%、同比超过 ±{CHECKS.year_on_year_percent:g}%、"
             f"报送增速与计算相差超过 {CHECKS.growth_points:g} 个百分点、用地面积变动超过 ±{CHECKS.land_change_percent:g}%、"
             f"产业结构合计与总产值相差超过 {CHECKS.breakdown_percent:g}%、同一文件中同一数值出现两次。"
             "撤销上传或上传更正后的数值后，相应提示关闭。",
             "Data checks warn, never refuse. A warning closes when its upload is undone or a corrected value is uploaded."))

warnings = data.open_warnings(version)
if warnings.empty:
    st.success(t("没有未处理的审核提示。", "No open warnings."), icon=":material/check_circle:")
    st.stop()

top = st.columns([3, 3])
chosen_parks = top[0].multiselect(t("园区", "Parks"), parks, key=f"{PAGE}:parks",
                                  placeholder=t("全部园区", "All parks"))
kinds = sorted(warnings["check_id"].unique(), key=list(CHECK_TITLES).index)
chosen_kinds = top[1].multiselect(t("提示类型", "Kind"), kinds, format_func=lambda k: CHECK_TITLES.get(k, k),
                                  key=f"{PAGE}:kinds", placeholder=t("全部类型", "All kinds"))
shown = warnings
if chosen_parks:
    shown = shown[shown["park"].isin(chosen_parks)]
if chosen_kinds:
    shown = shown[shown["check_id"].isin(chosen_kinds)]

counts = shown.assign(park=shown["park"].fillna(t("（整个文件）", "(whole file)"))).groupby("park").size()
st.markdown(t(f"**未处理的提示：{len(shown)} 条**", f"**Open warnings: {len(shown)}**") + "　"
            + "；".join(f"{park} {n} 条" for park, n in counts.items()))
table = shown.assign(
    park=shown["park"].fillna(t("（整个文件）", "(whole file)")),
    period=shown["period"].map(lambda p: period(p) if p is not None and p == p else ""),
    kind=shown["check_id"].map(lambda k: CHECK_TITLES.get(k, k)),
    detail=shown["detail"].fillna(shown["message"]),
    place=[data_place(r) for r in shown.itertuples(index=False)],
)
st.dataframe(table[["park", "period", "kind", "detail", "place", "upload_id"]], hide_index=True, width="stretch",
             column_config={
                 "park": t("园区", "Park"), "period": t("统计期", "Period"),
                 "kind": t("类型", "Kind"),
                 "detail": st.column_config.TextColumn(t("说明", "Detail"), width="large"),
                 "place": st.column_config.TextColumn(t("位置（文件、工作表、行、列）", "Where (file, sheet, row, column)"),
                                                      width="medium"),
                 "upload_id": st.column_config.NumberColumn(t("上传编号", "Upload"), format="#%d")})
st.caption(t("将鼠标移到单元格上可看到完整文字。", "Hover over a cell for its full text."))
