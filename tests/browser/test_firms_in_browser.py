"""Issue 20 in a real browser, with accounts: a 管理 account opens 企业 from a
park clicked on 园区对比, downloads the firms' chart and the enterprise
evaluation's Excel; a 查看 account of another park finds no firm name of the
park on any page it can open (docs/enterprises.md rule 5)."""

from __future__ import annotations

import io

import openpyxl
from conftest import store_enterprise_samples

from parkbench import store
from parkbench.store import accounts
from parkbench.store.accounts import Account

from .conftest import ARTIFACTS, AppServer, assert_no_errors, open_app_page, rerun, screenshot, wait_for_run
from .test_login_in_browser import PASSWORD, sign_in

PARK = "南湖工业园区"


def firm_store(db) -> list[str]:
    """The enterprise samples stored; returns the names of 南湖's firms."""
    store_enterprise_samples(db)
    con = store.connect(db)
    names = [r[0] for r in con.execute(
        "select distinct n.enterprise from int_enterprise_names as n join enterprise_metrics as m using (enterprise_id) "
        "join parks as p using (park_id) where p.name = $park", {"park": PARK}).fetchall()]
    con.close()
    return names


def download(page, button_name: str) -> bytes:
    with page.expect_download() as event:
        page.get_by_role("button", name=button_name).first.click()
    return open(event.value.path(), "rb").read()


def test_firms_from_a_park_click_downloads_and_rule_5(tmp_path, page):
    db = tmp_path / "app.duckdb"
    south_firms = firm_store(db)
    assert len(south_firms) > 5
    hashed = accounts.hash_password(PASSWORD)
    accounts.save(tmp_path / "accounts.toml", {
        "admin": Account("admin", accounts.ADMIN, "管理员", (), hashed),
        "east": Account("east", accounts.VIEW, "东山查看", ("东山经济开发区",), hashed),
    })
    with AppServer(db, ARTIFACTS / "logs" / "firms-server.log") as server:
        open_app_page(page, f"{server.url}/compare?metric=tax_per_mu")
        sign_in(page, "admin")
        assert_no_errors(page, "compare")
        bar = page.locator('[data-testid="stVegaLiteChart"] svg [aria-roledescription="bar"]')
        labels = [bar.nth(i).get_attribute("aria-label") or "" for i in range(bar.count())]
        index = next(i for i, label in enumerate(labels) if PARK in label)
        with rerun(page):
            bar.nth(index).click()
        link = page.get_by_role("link", name=f"查看 {PARK} 的企业")
        assert link.count() == 1, "no link to the clicked park's firms"
        with rerun(page):
            link.click()
        page.wait_for_selector('[data-testid="stVegaLiteChart"] svg [aria-roledescription="circle"]')
        assert_no_errors(page, "firms")
        assert page.get_by_role("heading", name="企业", exact=True).count() == 1
        assert page.get_by_text(f"{PARK}：企业亩均税收与用地").count() >= 1
        screenshot(page, "firms-from-click")
        png = download(page, "Word 插图 PNG")
        assert png.startswith(b"\x89PNG") and len(png) > 20_000

        open_app_page(page, f"{server.url}/evaluation")
        with rerun(page):
            page.get_by_role("radio", name="企业", exact=True).click()
        assert_no_errors(page, "firm evaluation")
        book = openpyxl.load_workbook(io.BytesIO(download(page, "导出 Excel（公示格式）")))
        cells = [str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None]
        assert "企业名称" in cells and "等级" in cells
        assert any(name in cells for name in south_firms)
        screenshot(page, "firms-evaluation")

        with rerun(page):
            page.get_by_role("button", name="退出登录").click()
        sign_in(page, "east")
        nav = page.locator('[data-testid="stSidebarNav"] a')
        paths = [nav.nth(i).get_attribute("href") for i in range(nav.count())]
        assert paths
        for path in paths:
            open_app_page(page, path if path.startswith("http") else f"{server.url}/{path.lstrip('/')}")
            wait_for_run(page)
            text = page.locator('[data-testid="stApp"]').inner_text()
            shown = [name for name in south_firms if name in text]
            assert not shown, f"{path}: firm names of {PARK} shown to an account of another park: {shown}"
