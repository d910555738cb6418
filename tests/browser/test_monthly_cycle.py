"""The monthly cycle in a real browser (issue 8):

fresh app on the demo → upload the five samples through the page → no demo
park or demo value anywhere (home page, compare, CLI export of that
database) → upload one park's next month → the default period stays on the
month everyone reported and the status page shows the late parks → upload a
sheet with a cumulative decrease → the preview shows the warning before
confirming.

Screenshots of the status page and of a preview with warnings go to
docs/screenshots/ (status.png, upload_warnings.png) when PARKBENCH_RETAKE_DOCS=1, else test-artifacts/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from parkbench.store import demo

from .conftest import ARTIFACTS, AppServer, open_app_page, rerun

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = sorted([*FIXTURES.glob("*.xlsx"), *FIXTURES.glob("*.csv")])
# docs/screenshots/ only when asked (PARKBENCH_RETAKE_DOCS=1): a test run must not leave the tree changed
DOCS_SHOTS = ROOT / "docs" / "screenshots" if os.environ.get("PARKBENCH_RETAKE_DOCS") else ARTIFACTS / "screenshots"
REAL_PARKS = {"凤城经济开发区", "宽甸经济开发区", "寻甸特色产业园区", "泌阳县产业集聚区", "确山县产业集聚区"}
DEMO_ONLY_PARK = "示例县工业园区"
NEXT_PARK = "确山县产业集聚区"
# One park's next month: 确山 sends January 2025 early (tax 700 万元 that month).
NEXT_MONTH = ("园区,统计期,指标,口径,数值,单位\n"
              f"{NEXT_PARK},2025-01,规上工业总产值,本月,98000,万元\n"
              f"{NEXT_PARK},2025-01,税收收入,本月,700,万元\n")
# Then its 1-2月 cumulative tax of 650, below January's 700: a derived February of −50.
DECREASE = ("园区,统计期,指标,口径,数值,单位\n"
            f"{NEXT_PARK},2025-02,税收收入,累计,650,万元\n")


def cli(*args, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "parkbench", *args, "--db", str(db)], cwd=ROOT,
                          capture_output=True, text=True, check=True)


def export(db: Path) -> dict[tuple[str, str, str], float | None]:
    rows = json.loads(cli("metrics", "--format", "json", db=db).stdout)
    return {(r["park"], r["period"], r["metric"]): r["value"] for r in rows}


def bar_labels(page) -> list[str]:
    page.wait_for_selector('[data-testid="stVegaLiteChart"] svg [aria-roledescription="bar"]')
    return page.evaluate("""() => Array.from(document.querySelector('[data-testid="stVegaLiteChart"]')
        .querySelectorAll('svg [aria-roledescription="bar"]')).map(e => e.getAttribute('aria-label'))""")


def main_text(page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text()


def go(page, name: str) -> None:
    with rerun(page):
        page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=name).click()


def upload(page, paths: list[Path]) -> None:
    """Drop the files on the uploader; wait until each has its own preview."""
    from playwright.sync_api import expect

    with rerun(page):
        page.locator("input[type=file]").set_input_files([str(p) for p in paths])
    for path in paths:
        expect(page.get_by_text(f"文件：{path.name}", exact=True)).to_be_visible()


def confirm_all(page, expected: int) -> list[str]:
    """Click 确认导入 for each pending file; the messages shown after each click."""
    from playwright.sync_api import expect

    said = []
    for _ in range(expected):
        button = page.get_by_role("button", name="确认导入").first
        expect(button).to_be_visible()
        with rerun(page):
            button.click()
        expect(page.get_by_text("已导入（上传编号").first).to_be_visible()
        said.append(main_text(page).split("上传文件", 1)[0])
    expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
    return said


@pytest.fixture
def server(tmp_path):
    app = AppServer(tmp_path / "real.duckdb", ARTIFACTS / "logs" / "monthly-cycle-server.log")
    with app:
        yield app


def test_monthly_cycle(server, page, tmp_path):
    from playwright.sync_api import expect

    page.set_default_timeout(90_000)
    # 1. A fresh app starts on the demo and says so.
    open_app_page(page, server.url)
    expect(page.get_by_text("当前显示的是示例数据")).to_be_visible()
    assert DEMO_ONLY_PARK in main_text(page)

    # 2. The five samples, uploaded and confirmed through the page.
    go(page, "上传数据")
    upload(page, SAMPLES)
    said = confirm_all(page, len(SAMPLES))
    assert "已离开示例数据" in said[0], said[0]  # the first real upload leaves the demo, and says so

    # 3. No demo park, no demo banner: the home page shows the five real parks only.
    go(page, "首页")
    home = main_text(page)
    assert DEMO_ONLY_PARK not in home and "当前显示的是示例数据" not in home
    for park in REAL_PARKS:
        assert park in home, f"{park} missing from the home page"
    # The demo, one click away and back, without touching the real store (checked by the export below).
    with rerun(page):
        page.get_by_role("button", name="查看示例数据").click()
    assert "正在查看示例数据" in main_text(page) and DEMO_ONLY_PARK in main_text(page)
    with rerun(page):
        page.get_by_role("button", name="返回真实数据").click()
    assert DEMO_ONLY_PARK not in main_text(page)

    # The compare page: every bar is a real park, its value the one an independent store computes.
    reference_db = tmp_path / "reference.duckdb"
    for sample in SAMPLES:
        cli("ingest", str(sample), db=reference_db)
    reference = export(reference_db)
    go(page, "园区对比")
    assert "2024年12月" in main_text(page)
    bars = bar_labels(page)
    shown = {label.split("park: ", 1)[1].split(";", 1)[0] for label in bars}
    assert shown == REAL_PARKS, bars
    for label in bars:
        park = label.split("park: ", 1)[1].split(";", 1)[0]
        expected = reference[(park, "2024-12", "tax_per_mu")]
        drawn = float(label.split(": ", 1)[1].split(";", 1)[0].replace(",", ""))  # Vega writes 2 significant digits
        assert drawn == pytest.approx(expected, rel=0.05), f"{park}: expected {expected:.2f} 万元/亩, drawn {label}"

    # 4. One park sends next month early: pages stay on the month everyone reported.
    go(page, "上传数据")
    next_month = tmp_path / "确山_2025年1月.csv"
    next_month.write_text(NEXT_MONTH, encoding="utf-8")
    upload(page, [next_month])
    confirm_all(page, 1)
    go(page, "园区对比")
    slider = page.locator('[data-testid="stSlider"]').first
    assert "2024年12月" in slider.inner_text(), slider.inner_text()
    go(page, "报送进度")
    status = main_text(page)
    assert "2025年1月" in status
    late = REAL_PARKS - {NEXT_PARK}
    warning = page.locator('[data-testid="stAlert"]').filter(has_text="未报送").first.inner_text()
    for park in late:
        assert park in warning, f"late park {park} not named: {warning}"
    assert NEXT_PARK not in warning
    DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
    # The page scrolls inside Streamlit's own container, so full_page stops at the
    # window: a taller one for this shot shows the grid down to its month labels.
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": 1300})
    page.get_by_text("报送进度：").first.scroll_into_view_if_needed()
    page.screenshot(path=str(DOCS_SHOTS / "status.png"), full_page=True)
    page.set_viewport_size(size)

    # 5. A cumulative decrease: the preview warns before anything is stored.
    go(page, "上传数据")
    decrease = tmp_path / "确山_2025年1-2月.csv"
    decrease.write_text(DECREASE, encoding="utf-8")
    upload(page, [decrease])
    expect(page.get_by_text("数据审核：").first).to_be_visible()
    preview = main_text(page)
    assert "累计值低于上月" in preview and "650.0 万元" in preview and "700.0 万元" in preview, preview[-3000:]
    assert "第 2 行" in preview and "第 E 列（数值）" in preview, preview[-3000:]
    expect(page.get_by_role("button", name="确认导入")).to_be_visible()  # a warning, not a refusal
    page.get_by_text("数据审核：").first.scroll_into_view_if_needed()
    page.screenshot(path=str(DOCS_SHOTS / "upload_warnings.png"), full_page=True)

    # 6. The CLI export of the app's database: real parks only, the reference values up to 2024-12.
    server.stop()  # DuckDB locks the file while the app holds it
    exported = export(server.db_path)
    assert {park for park, _, _ in exported} == REAL_PARKS
    assert not set(demo.PARKS) - REAL_PARKS & {park for park, _, _ in exported}
    up_to_december = {k: v for k, v in exported.items() if k[1] <= "2024-12"}
    assert up_to_december == reference
