"""账户管理 (管理 only): the accounts (accounts.toml, or the database of a
PostgreSQL store) — create, change role, parks or password, remove. The same
rules as ``python -m parkbench account``."""

import pandas as pd
import streamlit as st

from parkbench.store import accounts
from ui import auth, data
from ui.format import plain
from ui.i18n import t
from ui.shell import ensure_entry

ensure_entry()

st.title(t("账户管理", "Accounts"))
account = auth.current()
if account is None or not account.is_admin:
    st.warning(t("只有“管理”角色的账户可以管理账户。", "Only 管理 (admin) accounts manage accounts."))
    st.stop()

path = accounts.accounts_path()
known = accounts.load(path)
st.caption(t(f"{accounts.label(path)}（保存 bcrypt 散列，不保存密码）", f"Accounts: {path} (bcrypt hashes, never passwords)"))
if not known:
    st.info(t("还没有账户：应用现在只在本机开放使用。新建第一个账户后，所有人（包括您）都需要登录；"
              "请先新建一个“管理”账户。",
              "No accounts yet: the app is open on this computer only. Once the first account exists everyone "
              "(you too) must sign in: create a 管理 account first."))
else:
    st.dataframe(pd.DataFrame([(a.username, a.name, a.role, "、".join(a.parks)) for a in known.values()],
                              columns=["username", "name", "role", "parks"]),
                 hide_index=True, column_config={"username": t("用户名", "User name"), "name": t("姓名", "Name"),
                                                 "role": t("角色", "Role"), "parks": t("负责的园区", "Parks")})

st.subheader(t("新建或修改账户", "Create or change an account"))
with st.form("accounts:put", clear_on_submit=True):
    left, right = st.columns(2)
    username = left.text_input(t("用户名", "User name"), max_chars=64, key="accounts:username")
    name = right.text_input(t("姓名（可空）", "Name (optional)"), max_chars=40)
    role = left.selectbox(t("角色", "Role"), accounts.ROLES, index=0 if known else accounts.ROLES.index(accounts.ADMIN),
                          help=t("查看：只看；填报：上传和撤销所列园区；管理：全部", "view; upload for its parks; admin"))
    parks = right.multiselect(t("负责的园区（填报；查看、填报账户只看到这些园区的企业明细）",
                                "Parks (upload for them; view and upload accounts see only their firms)"),
                              data.query("park_names"),
                              placeholder=t("选择园区", "Choose parks"), wrap=True)
    password = left.text_input(t("密码（新账户必填；修改时留空为不变）", "Password (new accounts; empty keeps it)"),
                               type="password", max_chars=72, key="accounts:password")
    if st.form_submit_button(t("保存账户", "Save account"), type="primary"):
        try:
            saved = accounts.put(path, username.strip(), role, name.strip() or None, tuple(parks), password or None)
            st.success(plain(t(f"已保存账户“{saved.username}”（{saved.role}）。", f"Saved “{saved.username}” ({saved.role}).")))
        except accounts.AccountError as exc:
            st.error(str(exc))

if known:
    st.subheader(t("删除账户", "Remove an account"))
    others = [u for u in sorted(known) if u != account.username]  # never your own: no locking yourself out
    if others:
        doomed = st.selectbox(t("账户", "Account"), others, key="accounts:remove")
        if st.button(t("删除", "Remove"), key="accounts:remove_button"):
            accounts.remove(path, doomed)
            st.rerun()
    else:
        st.caption(t("没有可删除的其他账户。", "No other account to remove."))
