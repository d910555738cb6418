"""ParkBench 园区对标 — entry point: page registry and shared chrome."""

import streamlit as st

from ui import printing
from ui.i18n import language_switch, t
from ui.shell import mark_entry

mark_entry()

st.set_page_config(page_title="ParkBench 园区对标", page_icon="🏭", layout="wide")
language_switch()
printing.install()

pages = [
    st.Page("pages/home.py", title=t("首页", "Home"), icon=":material/home:", default=True),
    st.Page("pages/compare.py", title=t("园区对比", "Compare"), icon=":material/bar_chart:", url_path="compare"),
    st.Page("pages/trends.py", title=t("趋势", "Trends"), icon=":material/show_chart:", url_path="trends"),
    st.Page("pages/rankings.py", title=t("排名", "Rankings"), icon=":material/leaderboard:", url_path="rankings"),
    st.Page("pages/briefing.py", title=t("简报", "Briefing"), icon=":material/description:", url_path="briefing"),
    st.Page("pages/industries.py", title=t("主导产业", "Industries"), icon=":material/factory:", url_path="industries"),
    st.Page("pages/upload.py", title=t("上传数据", "Upload data"), icon=":material/upload_file:", url_path="upload"),
]
st.navigation(pages).run()
