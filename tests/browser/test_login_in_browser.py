"""Login in a real browser: with accounts configured the app asks for a
login before showing any data; a 查看 account gets no upload page; signing
out (or an account removed from the file) asks again."""

from __future__ import annotations

from conftest import store_rows

from parkbench import store
from parkbench.store import accounts
from parkbench.store.accounts import Account

from .conftest import ARTIFACTS, AppServer, assert_no_errors, rerun, screenshot, wait_for_run

PASSWORD = "correct horse 1"


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    with rerun(page):
        page.get_by_role("button", name="登录").click()


def test_login_roles_and_sign_out(tmp_path, page):
    db = tmp_path / "app.duckdb"
    con = store.connect(db)
    store_rows(con, [("甲园区", "tax", "2024-01", "month", 1), ("甲园区", "land_area", "2024-01", "stock", 10)])
    con.close()
    hashed = accounts.hash_password(PASSWORD)
    accounts.save(tmp_path / "accounts.toml", {"viewer": Account("viewer", accounts.VIEW, "王五", (), hashed),
                                              "admin": Account("admin", accounts.ADMIN, "管理员", (), hashed)})
    with AppServer(db, ARTIFACTS / "logs" / "login-server.log") as server:
        page.goto(server.url, wait_until="domcontentloaded")
        wait_for_run(page)
        assert page.get_by_text("登录 ParkBench 园区对标").count() == 1
        assert page.get_by_text("甲园区").count() == 0, "data shown before login"
        screenshot(page, "login")

        sign_in(page, "viewer", "wrong password")
        assert page.get_by_text("用户名或密码不正确").count() == 1

        sign_in(page, "viewer")
        assert_no_errors(page, "after login")
        nav = page.locator('[data-testid="stSidebarNav"]')
        assert nav.get_by_text("园区对比").count() == 1 and nav.get_by_text("上传数据").count() == 0
        assert page.get_by_text("已登录：王五（查看）").count() == 1
        screenshot(page, "login-viewer-home")

        with rerun(page):
            page.get_by_role("button", name="退出登录").click()
        screenshot(page, "login-signed-out")
        assert page.get_by_text("登录 ParkBench 园区对标").count() == 1
        assert page.get_by_text("甲园区").count() == 0

        # a shared link opened signed out gets the login, not the page
        page.goto(f"{server.url}/rankings", wait_until="domcontentloaded")
        wait_for_run(page)
        screenshot(page, "login-deep-link")
        assert page.get_by_text("登录 ParkBench 园区对标").count() == 1
        assert page.get_by_text("甲园区").count() == 0
        sign_in(page, "admin")
        screenshot(page, "login-deep-link-signed-in")
        assert page.locator('[data-testid="stSidebarNav"]').get_by_text("上传数据").count() == 1
        # the administrator removes the account: its next click asks for a login
        accounts.save(tmp_path / "accounts.toml", {"viewer": Account("viewer", accounts.VIEW, "王五", (), hashed)})
        with rerun(page):
            page.locator('[data-testid="stSidebarNav"]').get_by_text("排名").click()
        assert page.get_by_text("登录 ParkBench 园区对标").count() == 1
        assert page.get_by_text("甲园区").count() == 0


def test_sign_in_lasts_across_reloads_and_links_until_signing_out(tmp_path, page):
    """F5, a bookmark or a shared ?period= link keeps the signed-in session (a
    signed, expiring cookie); signing out ends it, reload included."""
    db = tmp_path / "app.duckdb"
    con = store.connect(db)
    store_rows(con, [("甲园区", "tax", "2024-01", "month", 1), ("甲园区", "land_area", "2024-01", "stock", 10)])
    con.close()
    hashed = accounts.hash_password(PASSWORD)
    accounts.save(tmp_path / "accounts.toml", {"viewer": Account("viewer", accounts.VIEW, "王五", (), hashed)})
    signed_in = "已登录：王五（查看）"
    has_cookie = "() => document.cookie.split('; ').some(c => c.startsWith('parkbench_session='))"
    with AppServer(db, ARTIFACTS / "logs" / "login-cookie-server.log") as server:
        page.goto(server.url, wait_until="domcontentloaded")
        wait_for_run(page)
        sign_in(page, "viewer")
        page.wait_for_function(has_cookie)

        page.reload(wait_until="domcontentloaded")
        wait_for_run(page)
        assert page.get_by_text(signed_in).count() == 1, "a reload signed the user out"
        assert page.get_by_text("登录 ParkBench 园区对标").count() == 0

        page.goto(f"{server.url}/rankings?period=2024-01", wait_until="domcontentloaded")
        wait_for_run(page)
        assert page.get_by_text(signed_in).count() == 1, "a shared link signed the user out"
        assert "period=2024-01" in page.url
        screenshot(page, "login-kept-on-link")

        page.get_by_role("button", name="退出登录").click()
        wait_for_run(page)
        page.wait_for_function(f"() => !({has_cookie})()")
        page.reload(wait_until="domcontentloaded")
        wait_for_run(page)
        assert page.get_by_text("登录 ParkBench 园区对标").count() == 1, "signed out, a reload signed back in"
        assert page.get_by_text("甲园区").count() == 0
