"""The monthly cycle 报送 → 审核 → 汇总 with accounts, in a real browser (issue 21):

填报 (jia, 甲园区) uploads February → the figure is not on 园区对比 (approved
figures only) and 报送进度 says 待审核 → 管理 (admin) opens it and returns it
with a reason → 报送进度 says 已退回 → jia reads the reason on 上传记录 and
uploads a corrected file → 待审核 again → admin approves → 园区对比 shows the
figure and 报送进度 says 已通过.

Figures (worked by hand): 甲园区 100 亩, 税收 January 10 万元 (approved);
乙园区 50 亩, 税收 January 10 and February 15 (approved), so February is the
month half the parks reported and the pages open on it: 乙园区's 亩均税收
(10 + 15) / 50 = 0.5 万元/亩. jia's first February says 300 (returned: 多写一个零),
the corrected one 30: once approved 甲园区 (10 + 30) / 100 = 0.4 万元/亩.
"""

from __future__ import annotations

from conftest import store_rows

from parkbench import store
from parkbench.store import accounts
from parkbench.store.accounts import Account

from .conftest import ARTIFACTS, AppServer, assert_no_errors, open_app_page, rerun, screenshot
from .test_monthly_cycle import bar_labels, go, main_text, upload

PASSWORD = "correct horse 1"
REASON = "二月税收多写了一个零，请核对后重报"


def february(tax: int) -> str:
    return f"园区,统计期,指标,口径,数值,单位\n甲园区,2024-02,税收收入,本月,{tax},万元\n"


def sign_in(page, username: str) -> None:
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    with rerun(page):
        page.get_by_role("button", name="登录").click()
    assert_no_errors(page, f"signed in as {username}")


def sign_out(page) -> None:
    with rerun(page):
        page.get_by_role("button", name="退出登录").click()


def drawn(page) -> dict[str, float]:
    """park → 亩均税收 as the compare page's bars say it."""
    out = {}
    for label in bar_labels(page):
        park = label.split("park: ", 1)[1].split(";", 1)[0]
        out[park] = float(label.split(": ", 1)[1].split(";", 1)[0].replace(",", ""))
    return out


def open_review(page, upload_no: int):
    """Open 审核上传 #n (an expander: it opens in the browser) and wait until it
    has opened, as a person would: the panel's table drawn and the expander done
    growing. A click or a fill while it grows has the browser scroll the clipped
    panel inside it; CI lost clicks made then (no script run followed)."""
    from playwright.sync_api import expect

    expander = page.get_by_test_id("stExpander").filter(has_text=f"审核上传 #{upload_no}（")
    expander.get_by_text(f"审核上传 #{upload_no}（").click()
    panel = expander.get_by_test_id("stExpanderDetails")
    expect(panel.get_by_test_id("stDataFrame")).to_be_visible()
    expect(panel.get_by_role("button", name="审核通过")).to_be_enabled()
    page.wait_for_function("e => e.getAnimations({subtree: true}).every(a => a.playState !== 'running')",
                           arg=expander.element_handle())
    return panel


def february_line(page) -> str:
    """报送进度's line for February 2024 (state: parks)."""
    go(page, "报送进度")
    line = page.locator('[data-testid="stMarkdownContainer"]').filter(has_text="2024年2月 —").first
    return line.inner_text()


def upload_as_jia(page, path) -> None:
    from playwright.sync_api import expect

    go(page, "上传数据")
    page.get_by_role("tab", name="上传文件").click()  # the page keeps the tab last shown
    upload(page, [path])
    with rerun(page):
        page.get_by_role("button", name="确认导入").first.click()
    expect(page.get_by_text("状态：待审核").first).to_be_visible()


def open_history(page) -> None:
    go(page, "上传数据")
    page.get_by_role("tab", name="上传记录").click()  # tabs switch in the browser: no script run


def test_review_cycle_with_accounts(tmp_path, page):
    from playwright.sync_api import expect

    page.set_default_timeout(90_000)
    db = tmp_path / "app.duckdb"
    con = store.connect(db)
    store_rows(con, [("甲园区", "tax", "2024-01", "month", 10), ("甲园区", "land_area", "2024-01", "stock", 100),
                     ("乙园区", "tax", "2024-01", "month", 10), ("乙园区", "land_area", "2024-01", "stock", 50),
                     ("乙园区", "tax", "2024-02", "month", 15)], file_name="一月二月.csv", by="admin")
    con.close()
    hashed = accounts.hash_password(PASSWORD)
    accounts.save(tmp_path / "accounts.toml", {
        "jia": Account("jia", accounts.UPLOAD, "甲填报员", ("甲园区",), hashed),
        "admin": Account("admin", accounts.ADMIN, "管理员", (), hashed)})
    wrong, right = tmp_path / "甲园区_2024年2月.csv", tmp_path / "甲园区_2024年2月_更正.csv"
    wrong.write_text(february(300), encoding="utf-8")
    right.write_text(february(30), encoding="utf-8")

    with AppServer(db, ARTIFACTS / "logs" / "review-cycle-server.log") as server:
        open_app_page(page, server.url)
        sign_in(page, "jia")
        assert "未报送：甲园区" in february_line(page)

        # 1. 填报 uploads: stored 待审核, not on 园区对比
        upload_as_jia(page, wrong)
        go(page, "园区对比")
        assert "2024年2月" in main_text(page)
        assert drawn(page) == {"乙园区": 0.5}, "a pending figure is on 园区对比"
        assert "待审核：甲园区" in february_line(page)
        screenshot(page, "review-pending-status")
        sign_out(page)

        # 2. 管理 opens it and returns it with a reason
        sign_in(page, "admin")
        open_history(page)
        panel = open_review(page, 2)
        assert "300" in main_text(page)  # the value as the uploader's preview showed it
        screenshot(page, "review-panel")
        panel.get_by_label("退回原因（上传人会看到）").fill(REASON)  # then straight to 退回, as people do
        with rerun(page):
            panel.get_by_role("button", name="退回", exact=True).click()
        expect(page.get_by_text("已退回，原因：").first).to_be_visible()
        assert "已退回：甲园区" in february_line(page)
        sign_out(page)

        # 3. 填报 sees the reason and uploads again
        sign_in(page, "jia")
        open_history(page)
        expect(page.get_by_text(f"退回原因：{REASON}").first).to_be_visible()
        screenshot(page, "review-returned-history")
        upload_as_jia(page, right)
        assert "待审核：甲园区" in february_line(page)
        go(page, "园区对比")
        assert drawn(page) == {"乙园区": 0.5}
        sign_out(page)

        # 4. 管理 approves: the figure appears
        sign_in(page, "admin")
        open_history(page)
        panel = open_review(page, 3)
        with rerun(page):
            panel.get_by_role("button", name="审核通过").click()
        expect(page.get_by_text("已审核通过").first).to_be_visible()
        go(page, "园区对比")
        assert drawn(page) == {"甲园区": 0.4, "乙园区": 0.5}
        line = february_line(page)
        assert "已通过：乙园区、甲园区" in line and "待审核" not in line  # names in code-point order
        screenshot(page, "review-approved-status")
        assert_no_errors(page, "after the cycle")
