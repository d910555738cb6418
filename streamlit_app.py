"""ParkBench 园区对标 — entry point: page registry and shared chrome."""

import streamlit as st

from parkbench.errors import ParkBenchError
from ui import data, printing
from ui.auth import gate
from ui.format import plain
from ui.i18n import language_switch, t
from ui.shell import mark_entry
from ui.widgets import demo_chrome, pending_chrome

mark_entry()

st.set_page_config(page_title="ParkBench 园区对标", page_icon="🏭", layout="wide")
language_switch()
printing.install()

# The database is opened when the app starts (cached after the first run); if
# another program holds it, say so in Chinese and try again on the next run.
problem = data.open_database()
if problem:
    st.error(problem)
    st.stop()

pages = [
    st.Page("pages/home.py", title=t("首页", "Home"), icon=":material/home:", default=True),
    st.Page("pages/compare.py", title=t("园区对比", "Compare"), icon=":material/bar_chart:", url_path="compare"),
    st.Page("pages/trends.py", title=t("趋势", "Trends"), icon=":material/show_chart:", url_path="trends"),
    st.Page("pages/rankings.py", title=t("排名", "Rankings"), icon=":material/leaderboard:", url_path="rankings"),
    st.Page("pages/briefing.py", title=t("简报", "Briefing"), icon=":material/description:", url_path="briefing"),
    st.Page("pages/evaluation.py", title=t("综合评价", "Evaluation"), icon=":material/workspace_premium:",
            url_path="evaluation"),
    st.Page("pages/firms.py", title=t("企业", "Firms"), icon=":material/domain:", url_path="firms"),
    st.Page("pages/industries.py", title=t("主导产业", "Industries"), icon=":material/factory:", url_path="industries"),
    st.Page("pages/status.py", title=t("报送进度", "Reporting status"), icon=":material/fact_check:",
            url_path="status"),
    st.Page("pages/quality.py", title=t("数据质量", "Data quality"), icon=":material/rule:", url_path="quality"),
    st.Page("pages/upload.py", title=t("上传数据", "Upload data"), icon=":material/upload_file:", url_path="upload"),
    st.Page("pages/accounts.py", title=t("账户管理", "Accounts"), icon=":material/manage_accounts:",
            url_path="accounts"),
]
account = gate([p.url_path for p in pages])  # a login (and stop) when exposed or accounts are configured
# 查看 gets neither upload nor accounts, 填报 no accounts; 企业: 管理 (its empty state says what to
# upload), else only an account with a park whose firms it may see (docs/enterprises.md rule 5)
ROLE_PAGES = {"upload": account.can_upload, "accounts": account.is_admin,
              "firms": account.is_admin or bool(data.query("firm_parks", reader=account))}
navigation = st.navigation([p for p in pages if ROLE_PAGES.get(p.url_path, True)])
demo_chrome()
pending_chrome()
try:
    navigation.run()
except ParkBenchError as exc:  # anything a user can cause shows as its Chinese message, never a traceback
    st.error(plain(exc))
