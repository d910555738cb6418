"""The upload page in a real browser: drop the family-D sample into the file
uploader, see the preview, confirm, find it in the history, undo it, and
check the store once the server has stopped (DuckDB locks the file).

The browser and ``page`` come from the shared harness (conftest.py); the
server is this test's own, so that it can be stopped before the store is read.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, AppServer

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_D = ROOT / "tests" / "fixtures" / "D_确山月度数据_UTF8BOM.csv"


@pytest.fixture
def server(tmp_path):
    """The harness's AppServer on a database of this test's own, so that it
    can be stopped (DuckDB locks the file) before the store is read."""
    app = AppServer(tmp_path / "browser.duckdb", ARTIFACTS / "logs" / "upload-flow-server.log")
    with app:
        yield app


def uploads_json(db: Path) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "parkbench", "uploads", "--format", "json", "--db", str(db)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_upload_preview_confirm_undo(server, page):
    from playwright.sync_api import expect

    page.set_default_timeout(30_000)
    # Start at the app's root and use the navigation, as a user does.
    page.goto(server.url)
    page.get_by_role("link", name="上传数据").click()
    expect(page.get_by_text("English")).to_be_visible()
    expect(page.get_by_role("heading", name="上传数据")).to_be_visible()
    expect(page.get_by_text("还没有选择文件")).to_be_visible()

    page.locator("input[type=file]").set_input_files(str(SAMPLE_D))
    expect(page.get_by_text("识别为")).to_be_visible()
    expect(page.get_by_text("D 宽表（每行一个园区一个月）").first).to_be_visible()
    confirm = page.get_by_role("button", name="确认导入")
    expect(confirm).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "upload_preview.png"), full_page=True)

    confirm.click()
    expect(page.get_by_text("已导入（上传编号")).to_be_visible()
    expect(confirm).to_have_count(0)

    page.get_by_role("tab", name="上传记录").click()
    history = page.get_by_role("tabpanel", name="上传记录")
    expect(history.get_by_text(SAMPLE_D.name)).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "upload_history.png"), full_page=True)

    # the newest upload is listed first: its undo button is the first one
    history.get_by_role("button", name="撤销", exact=True).first.click()
    expect(page.get_by_text("确认撤销上传")).to_be_visible()
    page.get_by_role("button", name="确认撤销").click()
    expect(page.get_by_text("已撤销上传")).to_be_visible()
    page.get_by_role("tab", name="上传记录").click()
    expect(page.get_by_role("tabpanel", name="上传记录").get_by_text("已撤销").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "upload_after_undo.png"), full_page=True)

    server.stop()  # DuckDB locks the file while the app holds it
    files = [u["file"] for u in uploads_json(server.db_path)]
    assert SAMPLE_D.name not in files  # undone: not among the active uploads
    assert files == []  # the demo lives in a database of its own: the real store holds nothing else
