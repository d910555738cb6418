"""Two app servers on one PostgreSQL store, as behind the province's proxy: an
account made with ``python -m parkbench account … --db URL`` signs in on either,
and a sign-in made on one holds on the other (the accounts and the key that
signs the sign-in cookie live in the database). Cookies do not tell ports
apart, so one browser tab visiting both servers on 127.0.0.1 carries the
cookie from the first to the second, as it would through nginx."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import store_rows

from parkbench import store
from tools.postgres import LocalPostgres

from .conftest import ARTIFACTS, AppServer, assert_no_errors, open_app_page, rerun, screenshot

PASSWORD = "correct horse 1"
SIGNED_IN = "已登录：王五（查看）"
LOGIN = "登录 ParkBench 园区对标"
HAS_COOKIE = "() => document.cookie.split('; ').some(c => c.startsWith('parkbench_session='))"


@pytest.fixture(scope="module")
def url():
    with LocalPostgres() as pg:
        yield pg.new_database("pg_login")


def test_a_sign_in_on_one_server_holds_on_the_other(url, page):
    con = store.connect(url)
    store_rows(con, [("甲园区", "tax", "2024-01", "month", 1), ("甲园区", "land_area", "2024-01", "stock", 10)])
    con.close()
    out = subprocess.run([sys.executable, "-m", "parkbench", "account", "add", "wang", "--role", "查看", "--name", "王五",
                          "--password-stdin", "--db", url], input=PASSWORD + "\n", capture_output=True, text=True)
    assert out.returncode == 0, out.stderr

    logs = ARTIFACTS / "logs"
    with AppServer(url, logs / "pg-login-first.log") as first, AppServer(url, logs / "pg-login-second.log") as second:
        open_app_page(page, second.url)
        assert page.get_by_text(LOGIN).count() == 1, "the second server let a visitor in without a login"

        open_app_page(page, first.url)
        page.get_by_label("用户名").fill("wang")
        page.get_by_label("密码").fill(PASSWORD)
        with rerun(page):
            page.get_by_role("button", name="登录").click()
        assert page.get_by_text(SIGNED_IN).count() == 1
        page.wait_for_function(HAS_COOKIE)

        open_app_page(page, f"{second.url}/rankings")
        assert_no_errors(page, "the second server")
        screenshot(page, "pg-login-second-server")
        assert page.get_by_text(SIGNED_IN).count() == 1, "the second server did not honour the first's sign-in"
        assert page.get_by_text(LOGIN).count() == 0

        with rerun(page):
            page.get_by_role("button", name="退出登录").click()
        page.wait_for_function(f"() => !({HAS_COOKIE})()")
        open_app_page(page, first.url)
        assert page.get_by_text(LOGIN).count() == 1, "signed out on the second server, still in on the first"
