"""Two people confirm an upload at the same moment, in two browser tabs with
their own sessions: both files are stored (the app writes one at a time),
neither sees a traceback. Then both confirm the same undo: one undoes it,
the other is told in Chinese that it is already undone.

The server is this test's own, so it can be stopped before the store is read
(DuckDB locks the file)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, AppServer, assert_no_errors, finished_runs, new_tab, rerun, wait_for_run

ROOT = Path(__file__).resolve().parents[2]
FILES = [ROOT / "tests" / "fixtures" / "C_凤城开发区月度长表_GBK.csv",
         ROOT / "tests" / "fixtures" / "D_确山月度数据_UTF8BOM.csv"]


@pytest.fixture
def server(tmp_path):
    app = AppServer(tmp_path / "concurrent.duckdb", ARTIFACTS / "logs" / "concurrent-uploads-server.log")
    port = os.environ.get("PARKBENCH_TEST_PORT")  # a fixed port where the machine's ports are shared out
    if port:
        app.port, app.url = int(port), f"http://127.0.0.1:{port}"
    with app:
        yield app


@pytest.fixture
def two_tabs(browser):
    tabs = [new_tab(browser) for _ in range(2)]  # a context (a session) each
    yield tabs
    for tab in tabs:
        tab.context.close()


def uploads_json(db: Path) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "parkbench", "uploads", "--format", "json", "--db", str(db)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_two_uploads_confirmed_at_once_are_both_stored(server, two_tabs):
    from playwright.sync_api import expect

    for tab, path in zip(two_tabs, FILES, strict=True):
        tab.goto(f"{server.url}/upload")
        wait_for_run(tab)
        with rerun(tab):
            tab.locator("input[type=file]").set_input_files(str(path))
        expect(tab.get_by_role("button", name="确认导入")).to_be_visible(timeout=60_000)

    runs = [finished_runs(tab) for tab in two_tabs]
    for tab in two_tabs:  # both clicks land before either store has finished
        tab.get_by_role("button", name="确认导入").click(no_wait_after=True)

    for tab, path, before in zip(two_tabs, FILES, runs, strict=True):
        expect(tab.get_by_text("已导入（上传编号").first).to_be_visible(timeout=60_000)
        wait_for_run(tab, after=before)
        assert_no_errors(tab, f"after storing {path.name}")
        tab.screenshot(path=str(ARTIFACTS / f"concurrent_{path.stem[:1]}.png"), full_page=True)

    # Both sessions ask to undo the newest upload, and confirm at the same moment.
    for tab in two_tabs:
        tab.reload()
        wait_for_run(tab)
        tab.get_by_role("tab", name="上传记录").click()
        with rerun(tab):
            tab.get_by_role("tabpanel", name="上传记录").get_by_role("button", name="撤销", exact=True).first.click()
        expect(tab.get_by_text("确认撤销上传")).to_be_visible()
    runs = [finished_runs(tab) for tab in two_tabs]
    for tab in two_tabs:
        tab.get_by_role("button", name="确认撤销").click(no_wait_after=True)
    texts = []
    for tab, before in zip(two_tabs, runs, strict=True):
        expect(tab.get_by_text("撤销").first).to_be_visible()
        tab.wait_for_function("() => document.body.innerText.includes('已撤销上传') || "
                              "document.body.innerText.includes('无需再次撤销')")
        wait_for_run(tab, after=before)
        assert_no_errors(tab, "after the double undo")
        texts.append(tab.locator('[data-testid="stApp"]').inner_text())
    assert sum("无需再次撤销" in t for t in texts) == 1, texts
    assert sum("已撤销上传" in t for t in texts) == 1, texts

    server.stop()
    stored = [u["file"] for u in uploads_json(server.db_path)]
    stored_files = {p.name for p in FILES} & set(stored)
    assert len(stored_files) == 1  # both were stored; the newest of them was then undone once
    active_and_undone = subprocess.run(
        [sys.executable, "-m", "parkbench", "uploads", "--all", "--db", str(server.db_path)],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for path in FILES:
        assert path.name in active_and_undone
    assert active_and_undone.count("已撤销") == 1


def test_hostile_files_refused_in_chinese_and_the_server_keeps_serving(server, page, tmp_path):
    """The 4 KB far-cell workbooks that used to abort the server, a file of
    another type, and then an ordinary file stored by the same server."""
    from playwright.sync_api import expect

    from tests.hostile import far_cell_workbook

    files = []
    for ref in ("XFD1048576", "ZZ1048576"):
        path = tmp_path / f"远处单元格_{ref}.xlsx"
        path.write_bytes(far_cell_workbook(ref))
        files.append(path)
    other = tmp_path / "报表.pdf"
    other.write_bytes(b"%PDF-1.4 not a sheet")
    files.append(other)

    page.goto(f"{server.url}/upload")
    wait_for_run(page)
    with rerun(page):
        page.locator("input[type=file]").set_input_files([str(p) for p in files])
    for text in ("1,048,576 行 × 16,384 列", "1,048,576 行 × 702 列", "不支持的文件类型“.pdf”"):
        expect(page.get_by_text(text).first).to_be_visible(timeout=60_000)
    wait_for_run(page)
    assert_no_errors(page, "after the hostile files")
    page.screenshot(path=str(ARTIFACTS / "hostile_files_refused.png"), full_page=True)
    assert server.process.poll() is None  # the server is alive

    page.locator("input[type=file]").set_input_files(str(FILES[1]))
    page.get_by_role("button", name="确认导入").click(timeout=60_000)
    expect(page.get_by_text("已导入（上传编号").first).to_be_visible(timeout=60_000)
    assert server.process.poll() is None
