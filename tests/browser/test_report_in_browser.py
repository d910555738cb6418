"""Report-ready exports in the real browser: the Excel button under a table
downloads a workbook with the title block and headers; a chart's Word PNG
downloads at 1890 px and 300 dpi under a Chinese file name; the 排名 page's
park × metric table sorts numbers as numbers; the 简报 page downloads a
one-page PDF. Screenshots in test-artifacts/screenshots/."""

from __future__ import annotations

import io

import openpyxl
from PIL import Image
from pypdf import PdfReader

from .conftest import assert_no_errors, open_app_page, screenshot


def download(page, button_text: str):
    with page.expect_download(timeout=180_000) as info:
        page.locator('[data-testid="stDownloadButton"]').get_by_text(button_text, exact=True).first.click()
    got = info.value
    return got.suggested_filename, open(got.path(), "rb").read()


def test_excel_button_downloads_the_table(app_server, page):
    open_app_page(page, f"{app_server}/compare?metric=tax_per_mu&period=2024-12")
    assert_no_errors(page, "compare")
    name, data = download(page, "下载 Excel")
    assert name == "亩均税收_园区对比_2024年12月.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "亩均税收：园区对比"
    assert sheet["A2"].value == "统计期：2024年12月"
    headers = [c.value for c in sheet[6]]
    assert headers[:2] == ["园区", "亩均税收（万元/亩）"]
    assert isinstance(sheet["B7"].value, float) and sheet["B7"].number_format == "#,##0.00"
    assert sheet.freeze_panes == "B7"


def test_chart_word_png_downloads_at_size(app_server, page):
    open_app_page(page, f"{app_server}/compare?metric=tax_per_mu&period=2024-12")
    name, data = download(page, "Word 插图 PNG")
    assert name == "亩均税收_园区对比_2024年12月.png"
    image = Image.open(io.BytesIO(data))
    assert image.width == 1890 and round(image.info["dpi"][0]) == 300


def test_small_multiples_png_is_built_when_clicked(app_server, page):
    """The several-metrics chart is built only when its download is clicked
    (not on every rerun); the click still gives the whole chart."""
    open_app_page(page, f"{app_server}/compare?metric=tax_per_mu&period=2024-12")
    # the second Word button on the page: the one under the small multiples
    button = page.locator('[data-testid="stDownloadButton"]').filter(has_text="Word 插图 PNG").filter(visible=True).nth(1)
    with page.expect_download(timeout=180_000) as info:
        button.click()
    got = info.value
    assert got.suggested_filename == "多指标对比_2024年12月.png"
    image = Image.open(got.path())
    assert image.width == 1890 and round(image.info["dpi"][0]) == 300
    assert image.height > 600  # four panels, not an empty chart


def test_park_by_metric_table_sorts_as_numbers(app_server, page):
    open_app_page(page, f"{app_server}/rankings?period=2024-12")
    assert_no_errors(page, "rankings")
    assert page.get_by_text("园区 × 指标总表").count() >= 1
    screenshot(page, "rankings-park-by-metric")
    name, data = download(page, "下载 Excel")
    assert name == "园区指标总表_2024年12月.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header_row = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "园区")
    headers = [c.value for c in sheet[header_row]]
    assert "亩均税收（万元/亩）" in headers and "亩均税收 等级" in headers


def test_briefing_page_downloads_one_page_pdf(app_server, page):
    open_app_page(page, f"{app_server}/briefing?park=寻甸特色产业园区&period=2024-12")
    assert_no_errors(page, "briefing")
    screenshot(page, "briefing")
    name, data = download(page, "下载 PDF（A4 一页）")
    assert name == "寻甸特色产业园区_对标简报_2024年12月.pdf"
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1 and len(reader.pages[0].images) == 3
