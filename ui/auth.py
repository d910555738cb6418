"""Login and the current account (rules in parkbench/store/accounts.py).

``gate()`` runs in streamlit_app.py before the navigation, on every run: it
reads the accounts (the file, or the database of a PostgreSQL store, read at
most once a second), so an account removed or changed by the administrator
takes effect at the next click; it decides whether the app is open, needs a
login, or is locked, and draws the login form or the signed-in account with a
logout button. Pages ask ``current()``.

A sign-in lasts across reloads, bookmarks and shared links for
``accounts.session_hours()`` (12 by default): a signed, expiring token in a
cookie (``parkbench_session``; rules in parkbench/store/accounts.py). Streamlit
reads cookies (``st.context.cookies``) but cannot set them, so a zero-height
component's script writes and clears it. Signing out clears it, and the
session that signed out ignores the cookie its browser may still send.
"""

from __future__ import annotations

import json
import time

import streamlit as st
import streamlit.components.v1 as components

from parkbench.store import accounts
from parkbench.store.accounts import Account
from ui.format import plain
from ui.i18n import t

USER = "_parkbench_user"  # the signed-in username
FAILURES = "_parkbench_login_failures"
COOKIE = "parkbench_session"
SIGNED_OUT = "_parkbench_signed_out"  # this session signed out: the cookie it was opened with no longer counts
COOKIE_TO_WRITE = "_parkbench_cookie_write"  # a token to set in the browser, or "" to clear it


def _known() -> dict[str, Account]:
    return accounts.load(accounts.accounts_path())


def current() -> Account | None:
    """The account of this session: the open-mode account when no login is
    needed, None when nobody is signed in (or the app is locked)."""
    try:
        known = _known()
    except accounts.AccountError:
        return None
    mode = accounts.mode(st.get_option("server.address"), known)
    if mode == "open":
        return accounts.OPEN_ACCOUNT
    if mode == "locked":
        return None
    return known.get(st.session_state.get(USER, ""))


def gate(url_paths: list[str]) -> Account:
    """The account of this session, or a login form (or a refusal) and stop.
    ``url_paths``: the app's pages, so a shared link opened signed out gets the
    login at its own address and, once signed in, the page it names."""
    try:
        known = _known()
    except accounts.AccountError:
        _only(_broken_file_page, url_paths)
    mode = accounts.mode(st.get_option("server.address"), known)
    if mode == "open":
        return accounts.OPEN_ACCOUNT
    if mode == "locked":
        _only(_locked_page, url_paths)
    account = known.get(st.session_state.get(USER, "")) or _from_cookie(known)
    if account is None:
        _only(_login_page, url_paths)
    st.session_state[USER] = account.username
    with st.sidebar:
        _write_cookie()
        st.caption(t(f"已登录：{plain(account.label)}", f"Signed in: {plain(account.label)}"))
        if st.button(t("退出登录", "Sign out"), key="_parkbench_logout"):
            st.session_state.pop(USER, None)
            st.session_state[SIGNED_OUT] = True
            st.session_state[COOKIE_TO_WRITE] = ""
            st.rerun()
    return account


def display_name(username: str | None) -> str | None:
    """An upload's 上传人 as people know them: 姓名（用户名） for an account with a
    name, the recorded text otherwise (本机, 命令行（user）, a removed account)."""
    if not username:
        return username
    try:
        account = _known().get(username)
    except accounts.AccountError:
        account = None
    return f"{account.name}（{username}）" if account is not None and account.name else username


def _session_key() -> bytes | None:
    try:
        return accounts.session_key(accounts.accounts_path())
    except (OSError, accounts.AccountError):  # a read-only folder, the database server unreachable:
        return None  # sign-ins last as long as the tab


def _from_cookie(known: dict[str, Account]) -> Account | None:
    """The account the browser's sign-in cookie names, if it still holds."""
    token = None if st.session_state.get(SIGNED_OUT) else st.context.cookies.get(COOKIE)
    key = _session_key() if token else None
    return accounts.account_from_token(known, token, key, time.time()) if key else None


def _write_cookie() -> None:
    """Set (after a sign-in) or clear (after signing out) the browser's sign-in cookie."""
    value = st.session_state.pop(COOKIE_TO_WRITE, None)
    if value is None:
        return
    max_age = int(accounts.session_hours() * 3600) if value else 0
    components.html(
        "<script>const doc = window.parent.document;"
        f"doc.cookie = {json.dumps(COOKIE)} + '=' + {json.dumps(value)} + '; path=/; max-age={max_age}; SameSite=Strict'"
        " + (window.parent.location.protocol === 'https:' ? '; Secure' : '');</script>",
        height=0)


def _only(page, url_paths: list[str]) -> None:
    """Run ``page`` in place of every page of the app, then stop. A navigation of
    its own: the app's pages are not registered, the page shown before (signed
    out, an account just removed) is replaced rather than left on screen, and a
    link to any page gets this one at its address."""
    title = t("登录", "Sign in")
    only = [st.Page(page, title=title, url_path="login", default=True)]
    only += [st.Page(page, title=title, url_path=path) for path in url_paths if path and path != "login"]
    st.navigation(only, position="hidden").run()
    st.stop()


def _broken_file_page() -> None:
    """The accounts file cannot be read: nobody enters until the administrator fixes it."""
    try:
        _known()
    except accounts.AccountError as exc:
        st.title("ParkBench 园区对标")
        st.error(str(exc))


def _locked_page() -> None:
    st.title("ParkBench 园区对标")
    st.error(t("本应用已对网络开放（服务地址不是 localhost），但还没有配置账户，因此不允许访问。"
               "管理员请在服务器上运行 `python -m parkbench account add 用户名 --role 管理` 创建账户，"
               "或改为只在本机运行（make run 默认只在本机）。",
               "The app listens on the network but no account is configured, so nobody may enter. "
               "Create one on the server with `python -m parkbench account add NAME --role 管理`, "
               "or run it on this computer only (the default of make run)."))


def _login_page() -> None:
    _write_cookie()
    known = _known()
    st.title(t("登录 ParkBench 园区对标", "Sign in to ParkBench"))
    with st.form("_parkbench_login"):
        username = st.text_input(t("用户名", "User name"), max_chars=64)
        password = st.text_input(t("密码", "Password"), type="password", max_chars=200)
        submitted = st.form_submit_button(t("登录", "Sign in"), type="primary")
    if submitted:
        account = accounts.login(known, username, password)
        if account is None:
            failures = st.session_state.get(FAILURES, 0) + 1
            st.session_state[FAILURES] = failures
            time.sleep(min(failures, 5))  # each wrong guess costs more
            st.error(t("用户名或密码不正确。", "Wrong user name or password."))
            return
        st.session_state.pop(FAILURES, None)
        st.session_state.pop(SIGNED_OUT, None)
        st.session_state[USER] = account.username
        key = _session_key()
        if key is not None:
            st.session_state[COOKIE_TO_WRITE] = accounts.session_token(account, key, time.time())
        st.rerun()
    st.caption(t("没有账户？请联系本单位的 ParkBench 管理员。", "No account? Ask your ParkBench administrator."))
