"""An enterprise file through the upload page in a real browser: a 联网直报
export (N2, from the shared samples) whose rows name no park is dropped on the
uploader, the page asks which park, the park is picked, the file is stored,
and 园区对比 then shows that park's 产值累计同比 built from the firms.

Before the upload 南湖工业园区 has only its own tax (so it is a known park
but has no output); 东山经济开发区 has its own output both years, so the month
is on 园区对比 before and after. The expected growth is summed from the
workbook here with pandas: 1-本月 over 上年同期 1-本月, December 2025."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from .conftest import ARTIFACTS, AppServer, assert_no_errors, open_app_page, rerun

ROOT = Path(__file__).resolve().parents[2]
N2 = ROOT / "tests" / "fixtures" / "enterprise" / "N2_联网直报_B204-1工业产销总值_2024-2025.xlsx"
PARK = "南湖工业园区"
OTHER = "东山经济开发区"
BEFORE = ("园区,统计期,指标,口径,数值,单位\n"
          f"{OTHER},2024-12,规上工业总产值,累计,1000,万元\n"
          f"{OTHER},2025-12,规上工业总产值,累计,1100,万元\n"
          f"{PARK},2025-12,税收收入,累计,500,万元\n")
COMPARE = "compare?metric=output_ytd_yoy&period=2025-12"


def expected_growth() -> float:
    sheet = pd.read_excel(N2, engine="openpyxl")
    december = sheet[(sheet["期别(年)"] == 2025) & (sheet["期别(月)"] == 12)]
    now = pd.to_numeric(december["1-本月;工业总产值(当年价格);千元"]).sum()
    before = pd.to_numeric(december["上年同期;1-本月;工业总产值(当年价格);千元"]).sum()
    return 100 * (now / before - 1)


@pytest.fixture
def server(tmp_path):
    db = tmp_path / "firms.duckdb"
    park_file = tmp_path / "园区报送.csv"
    park_file.write_text(BEFORE, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "parkbench", "ingest", str(park_file), "--db", str(db)], cwd=ROOT,
                   capture_output=True, text=True, check=True)
    app = AppServer(db, ARTIFACTS / "logs" / "firm-upload-server.log")
    with app:
        yield app


def bars(page) -> dict[str, float]:
    """Park → the value its bar on 园区对比 is drawn with (Vega's aria-label)."""
    page.wait_for_selector('[data-testid="stVegaLiteChart"] svg [aria-roledescription="bar"]')
    labels = page.evaluate("""() => Array.from(document.querySelector('[data-testid="stVegaLiteChart"]')
        .querySelectorAll('svg [aria-roledescription="bar"]')).map(e => e.getAttribute('aria-label'))""")
    drawn = {}
    for label in labels:
        park = label.split("park: ", 1)[1].split(";", 1)[0]
        drawn[park] = float(label.split(": ", 1)[1].split(";", 1)[0].replace(",", "").rstrip("%"))
    return drawn


def choose_option(page, label: str, option: str) -> None:
    """Open the selectbox and pick ``option``: a click that lands while the card is
    still being drawn leaves the list closed, so open it again until the option shows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(10):
        page.get_by_label(label, exact=True).click()
        try:
            page.get_by_role("option", name=option, exact=True).wait_for(state="visible", timeout=3_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    with rerun(page):
        page.get_by_role("option", name=option, exact=True).click()


def test_an_n2_file_uploaded_with_a_chosen_park_shows_on_compare(server, page):
    from playwright.sync_api import expect

    page.set_default_timeout(90_000)
    open_app_page(page, f"{server.url}/{COMPARE}")
    assert set(bars(page)) == {OTHER}

    open_app_page(page, f"{server.url}/upload")
    with rerun(page):
        page.locator("input[type=file]").set_input_files(str(N2))
    expect(page.get_by_text(f"文件：{N2.name}", exact=True)).to_be_visible()
    expect(page.get_by_text("此文件的企业没有注明所属园区")).to_be_visible()
    expect(page.get_by_text("企业（户）")).to_be_visible()
    confirm = page.get_by_role("button", name="确认导入")
    expect(confirm).to_be_disabled()
    choose_option(page, "所属园区", PARK)
    expect(page.get_by_text("园区合计")).to_be_visible()
    expect(confirm).to_be_enabled()
    page.screenshot(path=str(ARTIFACTS / "firm_upload_preview.png"), full_page=True)
    with rerun(page):
        confirm.click()
    expect(page.get_by_text("已导入（上传编号").first).to_be_visible()
    assert_no_errors(page, "upload")

    open_app_page(page, f"{server.url}/{COMPARE}")
    drawn = bars(page)
    assert set(drawn) == {OTHER, PARK}
    assert drawn[OTHER] == pytest.approx(10.0, abs=0.1)
    assert drawn[PARK] == pytest.approx(expected_growth(), rel=0.05, abs=0.1)  # Vega writes 2 significant digits
