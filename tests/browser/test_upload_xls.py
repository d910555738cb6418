"""An Excel 97-2003 (.xls) file through the real upload widget: the
statistics-system export sample (family F2 saved as .xls) is accepted by the
uploader, previewed as F2, confirmed and stored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ARTIFACTS, AppServer

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_XLS = ROOT / "tests" / "fixtures" / "v2" / "I_F2_园区月度数据_税收收入累计值.xls"


@pytest.fixture
def server(tmp_path):
    app = AppServer(tmp_path / "xls.duckdb", ARTIFACTS / "logs" / "upload-xls-server.log")
    if os.environ.get("PARKBENCH_BROWSER_PORT"):  # a developer confined to a port range
        app.port = int(os.environ["PARKBENCH_BROWSER_PORT"])
        app.url = f"http://127.0.0.1:{app.port}"
    with app:
        yield app


def uploads_json(db: Path) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "parkbench", "uploads", "--format", "json", "--db", str(db)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_xls_is_previewed_and_stored(server, page):
    from playwright.sync_api import expect

    page.set_default_timeout(30_000)
    page.goto(server.url)
    page.get_by_role("link", name="上传数据").click()
    expect(page.get_by_text("还没有选择文件")).to_be_visible()

    page.locator("input[type=file]").set_input_files(str(SAMPLE_XLS))
    expect(page.get_by_text("识别为")).to_be_visible()
    expect(page.get_by_text("F2 统计系统导出").first).to_be_visible()
    expect(page.get_by_text("not allowed")).to_have_count(0)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "upload_xls_preview.png"), full_page=True)

    page.get_by_role("button", name="确认导入").click()
    expect(page.get_by_text("已导入（上传编号")).to_be_visible()

    server.stop()  # DuckDB locks the file while the app holds it
    stored = {u["file"]: u["rows"] for u in uploads_json(server.db_path)}
    assert stored.get(SAMPLE_XLS.name) == 110  # 5 parks × 22 months (January empty in both years)
