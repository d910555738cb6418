"""数据质量: open data-check warnings (数据审核) — a cumulative below last
month's, a month missing, a jump beyond the thresholds — grouped as findings
(park × indicator × kind, with their months), each opened onto the file,
sheet, row and column of every cell behind it (ui/findings)."""

import streamlit as st

from parkbench.models import checks, findings_en
from parkbench.models.checks import CHECK_TITLES
from parkbench.models.settings import CHECKS
from ui import auth, data, findings
from ui.i18n import t
from ui.shell import benchmark_page

PAGE = "quality"


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

warnings = data.open_findings(version, auth.current())
if not warnings:
    st.success(t("没有未处理的审核提示。", "No open warnings."), icon=":material/check_circle:")
    st.stop()

top = st.columns([3, 3])
chosen_parks = top[0].multiselect(t("园区", "Parks"), parks, key=f"{PAGE}:parks",
                                  placeholder=t("全部园区", "All parks"), wrap=True)
kinds = [kind for kind, _ in checks.counts_by_kind(warnings.findings)]
kind_titles = {k: t(CHECK_TITLES.get(k, k), findings_en.TITLES.get(k, k)) for k in kinds}  # in this run's language
chosen_kinds = top[1].multiselect(t("提示类型", "Kind"), kinds, format_func=lambda k: kind_titles[k],
                                  key=f"{PAGE}:kinds", placeholder=t("全部类型", "All kinds"), wrap=True)
findings.show(warnings, PAGE, kinds=chosen_kinds, parks=chosen_parks)
st.caption(t("同一园区、同一指标、同一类提示的各月合为一条；打开一条可看到每个单元格所在的文件、工作表、行和列。",
             "The months of one park, indicator and kind make one finding; open it for the file, sheet, row and "
             "column of each cell."))
