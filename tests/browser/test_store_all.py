"""确认全部导入 in a real browser: every shared sample file (v1 and v2) chosen at
once, stored with one click, one upload each; the uploader is emptied."""

from __future__ import annotations

import json
import os
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


# Records the text of every element the page marks stale (data-stale="true":
# drawn by an earlier run, not yet sent again by the one running).
WATCH_STALE_JS = """() => {
  window.__staleTexts = [];
  new MutationObserver(records => {
    for (const r of records) {
      if (r.target.getAttribute('data-stale') === 'true') window.__staleTexts.push(r.target.innerText.slice(0, 200));
    }
  }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['data-stale']});
}"""


def test_confirming_one_file_leaves_the_other_previews_alone(tmp_path, page):
    """确认导入 of one file reruns its own card, 确认全部导入 and the upload
    history (keyed fragments): the other previews are not marked stale,
    checked or sent again; the count and the history follow at once, and
    确认全部导入 then stores the rest."""
    from playwright.sync_api import expect

    from .conftest import rerun, wait_for_run

    header = "园区,统计期,指标,口径,数值,单位\n"
    earlier = tmp_path / "上月.csv"
    earlier.write_text(header + "甲园区,2023-12,税收收入,本月,4,万元\n", encoding="utf-8")
    files = [tmp_path / f"{name}.csv" for name in ("先导入", "后导入", "再导入")]
    for path, park in zip(files, ("甲园区", "乙园区", "丙园区"), strict=True):
        path.write_text(header + f"{park},2024-01,税收收入,本月,5,万元\n", encoding="utf-8")
    db = tmp_path / "cards.duckdb"
    # A store past the demo: the first real upload leaves the demo, which runs the whole page (its banner).
    subprocess.run([sys.executable, "-m", "parkbench", "ingest", str(earlier), "--db", str(db)], cwd=ROOT,
                   capture_output=True, check=True)
    with AppServer(db, ARTIFACTS / "logs" / "store-one-card-server.log") as server:
        page.goto(f"{server.url}/upload", wait_until="domcontentloaded")
        wait_for_run(page)
        with rerun(page):
            page.locator("input[type=file]").set_input_files([str(p) for p in files])
        expect(page.get_by_role("button", name="确认全部导入（3 个文件）")).to_be_visible()
        page.evaluate(WATCH_STALE_JS)
        with rerun(page):
            page.get_by_role("button", name="确认导入", exact=True).first.click()
        expect(page.get_by_text("已导入（上传编号")).to_have_count(1)
        stale = page.evaluate("() => window.__staleTexts")
        assert not [s for s in stale if "后导入" in s or "再导入" in s], stale
        assert page.get_by_text("文件：先导入.csv").count() == 0
        expect(page.get_by_text("文件：后导入.csv")).to_be_visible()
        expect(page.get_by_role("button", name="确认全部导入（2 个文件）")).to_be_visible()
        page.get_by_role("tab", name="上传记录").click()
        expect(page.get_by_role("tabpanel", name="上传记录").get_by_text("先导入.csv", exact=True)).to_be_visible()
        page.get_by_role("tab", name="上传文件").click()
        with rerun(page):
            page.get_by_role("button", name="确认全部导入（2 个文件）").click()
        expect(page.get_by_text("还没有选择文件")).to_be_visible()
    out = subprocess.run([sys.executable, "-m", "parkbench", "uploads", "--format", "json", "--db", str(db)],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    assert sorted(u["file"] for u in json.loads(out.stdout)) == sorted(["上月.csv", *(p.name for p in files)])


def test_several_previews_open_their_long_tables_one_at_a_time(tmp_path, page):
    """Three files chosen: each preview's 明细 is closed (no values table
    drawn); opening one draws that file's values and reruns its own card only.
    Once one file is left, its card shows its tables as a file chosen alone does."""
    from playwright.sync_api import expect

    from .conftest import rerun, wait_for_run

    header = "园区,统计期,指标,口径,数值,单位\n"
    files = [tmp_path / f"{park}.csv" for park in ("甲园区", "乙园区", "丙园区")]
    for path in files:
        path.write_text(header + f"{path.stem},2024-01,税收收入,本月,5,万元\n", encoding="utf-8")
    with AppServer(tmp_path / "details.duckdb", ARTIFACTS / "logs" / "store-all-details-server.log") as server:
        page.goto(f"{server.url}/upload", wait_until="domcontentloaded")
        wait_for_run(page)
        with rerun(page):
            page.locator("input[type=file]").set_input_files([str(p) for p in files])
        expect(page.get_by_role("button", name="确认全部导入（3 个文件）")).to_be_visible()
        details = page.get_by_text("明细：将保存的数值（1 个）、跳过的行（0 行）")
        expect(details).to_have_count(3)
        expect(page.get_by_text("将保存的数值（已换算为标准单位）")).to_have_count(0)
        page.evaluate(WATCH_STALE_JS)
        with rerun(page):
            details.nth(1).click()
        expect(page.get_by_text("将保存的数值（已换算为标准单位）")).to_have_count(1)
        values = page.locator('[data-testid="stExpanderDetails"] [data-testid="stDataFrame"]')
        expect(values).to_have_count(1)
        expect(values).to_contain_text("乙园区")
        stale = page.evaluate("() => window.__staleTexts")
        assert not [s for s in stale if "甲园区.csv" in s or "丙园区.csv" in s], stale
        shots = ROOT / "docs" / "screenshots" if os.environ.get("PARKBENCH_RETAKE_DOCS") else ARTIFACTS / "screenshots"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "upload_several.png"))  # docs/ only when asked, as test_monthly_cycle
        for left in (2, 1):  # store two; the one file left shows its tables without 明细
            with rerun(page):
                page.get_by_role("button", name="确认导入", exact=True).first.click()
            expect(page.get_by_role("button", name="确认导入", exact=True)).to_have_count(left)
        expect(page.get_by_text("明细：将保存的数值", exact=False)).to_have_count(0)
        expect(page.get_by_text("将保存的数值（已换算为标准单位）")).to_have_count(1)
