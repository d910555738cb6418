"""Printing a page: no sidebar or widgets, the title, charts and whole tables.
Checked with print media emulated (screenshot) and with Chromium's own
print to PDF, whose text must hold every row of the table."""

from __future__ import annotations

import io
import unicodedata

from pypdf import PdfReader

from .conftest import ARTIFACTS, assert_no_errors, open_app_page, screenshot


def visible(page, selector: str) -> int:
    return page.evaluate(f"""() => Array.from(document.querySelectorAll('{selector}'))
        .filter(e => e.getBoundingClientRect().height > 0).length""")


def test_printed_rankings_page(app_server, page):
    open_app_page(page, f"{app_server}/rankings?period=2024-12")
    assert_no_errors(page, "rankings")
    assert visible(page, '[data-testid="stTable"]') == 0, "the print copies are hidden on screen"
    page.emulate_media(media="print")
    page.wait_for_function("""() => Array.from(document.querySelectorAll('[data-testid="stTable"]'))
        .filter(e => e.getBoundingClientRect().height > 0).length >= 2""")
    assert visible(page, '[data-testid="stSidebar"]') == 0
    assert visible(page, '[data-testid="stSelectbox"]') == 0 and visible(page, '[data-testid="stDownloadButton"]') == 0
    assert visible(page, '[data-testid="stDataFrame"]') == 0
    assert visible(page, '[data-testid="stTable"]') >= 2
    screenshot(page, "print-rankings")
    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / "print-rankings.pdf").write_bytes(pdf)
    # NFKC: Chromium's PDF maps some characters to look-alikes (⽉ for 月)
    text = unicodedata.normalize("NFKC", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    text = text.replace("\x00", "").replace(" ", "").replace("\n", "")
    assert "排名" in text and "亩均税收(万元/亩)" in text and "tax_per_mu" not in text
    for park in ("宽甸经济开发区", "寻甸特色产业园区", "确山县产业集聚区", "示例县工业园区"):
        assert park in text
    assert "参与对比的园区" not in text, "a widget was printed"
    # the long league table printed whole: its last metric's rows are there
    assert text.count("示例县工业园区") >= 10


def test_printed_compare_page_has_the_chart(app_server, page):
    open_app_page(page, f"{app_server}/compare?metric=tax_per_mu&period=2024-12")
    page.emulate_media(media="print")
    assert visible(page, '[data-testid="stVegaLiteChart"]') >= 1
    assert visible(page, '[data-testid="stSidebar"]') == 0
    screenshot(page, "print-compare")
