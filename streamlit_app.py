"""ParkBench 园区对标 — entry point: page registry and shared chrome."""

import streamlit as st

from ui.i18n import language_switch, t
from ui.shell import mark_entry
from ui.widgets import demo_chrome

mark_entry()

st.set_page_config(page_title="ParkBench 园区对标", page_icon="🏭", layout="wide")
language_switch()

pages = [
    st.Page("pages/home.py", title=t("首页", "Home"), icon=":material/home:", default=True),
    st.Page("pages/compare.py", title=t("园区对比", "Compare"), icon=":material/bar_chart:", url_path="compare"),
    st.Page("pages/trends.py", title=t("趋势", "Trends"), icon=":material/show_chart:", url_path="trends"),
    st.Page("pages/rankings.py", title=t("排名", "Rankings"), icon=":material/leaderboard:", url_path="rankings"),
    st.Page("pages/industries.py", title=t("主导产业", "Industries"), icon=":material/factory:", url_path="industries"),
    st.Page("pages/status.py", title=t("报送进度", "Reporting status"), icon=":material/fact_check:",
            url_path="status"),
    st.Page("pages/quality.py", title=t("数据质量", "Data quality"), icon=":material/rule:", url_path="quality"),
    st.Page("pages/upload.py", title=t("上传数据", "Upload data"), icon=":material/upload_file:", url_path="upload"),
]
navigation = st.navigation(pages)
demo_chrome()
navigation.run()
