"""确认全部导入 in a real browser: every shared sample file (v1 and v2) chosen at
once, stored with one click, one upload each; the uploader is emptied."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import ARTIFACTS, AppServer

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = sorted(p for folder in (FIXTURES, FIXTURES / "v2") for p in folder.iterdir()
                 if p.suffix in (".xlsx", ".xls", ".csv"))


def test_every_sample_chosen_at_once_is_stored_with_one_click(tmp_path, page):
    from playwright.sync_api import expect

    db = tmp_path / "all.duckdb"
    with AppServer(db, ARTIFACTS / "logs" / "store-all-server.log") as server:
        page.goto(f"{server.url}/upload", wait_until="domcontentloaded")
        expect(page.get_by_text("还没有选择文件")).to_be_visible()
        page.locator("input[type=file]").set_input_files([str(p) for p in SAMPLES])
        store_all = page.get_by_role("button", name=f"确认全部导入（{len(SAMPLES)} 个文件）")
        expect(store_all).to_be_enabled()
        (ARTIFACTS / "screenshots").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "screenshots" / "upload_store_all.png"), full_page=False)
        store_all.click()
        expect(page.get_by_text("还没有选择文件")).to_be_visible()  # every file stored, the uploader emptied
        expect(page.get_by_text("已导入（上传编号")).to_have_count(len(SAMPLES))
        assert page.get_by_role("button", name="确认导入").count() == 0
    out = subprocess.run([sys.executable, "-m", "parkbench", "uploads", "--format", "json", "--db", str(db)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    assert sorted(u["file"] for u in json.loads(out.stdout)) == sorted(p.name for p in SAMPLES)
