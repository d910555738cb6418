"""English that stays English: the switch goes into the URL, survives a
reload and keeps the period; no Chinese label outside the data. A link
opened in a new browser reproduces a view with hand-picked parks."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

from parkbench.store import demo

from .conftest import assert_no_errors, new_tab, open_app_page, rerun, screenshot, wait_for_run

HAN = re.compile(r"[\u4e00-\u9fff]")
PARKS = ("宽甸经济开发区", "寻甸特色产业园区", "确山县产业集聚区", "示例县工业园区")
# data (park and industry names) and the one bilingual tooltip of the switch
INDUSTRIES = sorted({i[0] for park in demo.PARKS.values() for i in park["industries"]}, key=len, reverse=True)
DATA_WORDS = (*PARKS, *INDUSTRIES, "示例数据", "界面语言")


def chinese_outside_data(page) -> list[str]:
    """Lines of the main area and sidebar with Chinese characters left after removing data (park names…)."""
    text = page.locator('[data-testid="stApp"]').inner_text()
    for word in DATA_WORDS:
        text = text.replace(word, "")
    return [line for line in text.splitlines() if HAN.search(line)]


def test_english_in_url_survives_reload_and_keeps_the_period(app_server, page):
    open_app_page(page, f"{app_server}/compare?metric=tax_per_mu&period=2024-06")
    with rerun(page):
        page.get_by_text("English", exact=True).click()
    assert parse_qs(urlparse(page.url).query).get("lang") == ["en"], page.url
    assert page.locator('[data-testid="stMain"] h1').first.inner_text() == "Compare parks"
    screenshot(page, "english-switched")
    assert page.get_by_text("2024-06", exact=True).count() >= 1, "the period moved on switching"
    page.reload(wait_until="domcontentloaded")
    wait_for_run(page)
    assert page.locator('[data-testid="stMain"] h1').first.inner_text() == "Compare parks"
    screenshot(page, "english-compare")
    left = chinese_outside_data(page)
    assert not left, f"Chinese labels in English mode: {left[:10]}"


@pytest.mark.parametrize("path", ["", "trends", "rankings", "industries", "briefing"])
def test_english_pages_have_no_chinese_labels(app_server, page, path):
    open_app_page(page, f"{app_server}/{path}?lang=en")
    assert_no_errors(page, path)
    left = chinese_outside_data(page)
    assert not left, f"{path}: Chinese labels in English mode: {left[:10]}"


def test_link_with_hand_picked_parks_opens_the_same_view(app_server, browser, page):
    open_app_page(page, f"{app_server}/compare?metric=tax_per_mu&period=2024-12")
    # drop one park from the hand-picked list
    with rerun(page):
        page.locator('[data-testid="stMultiSelect"] button[aria-label="Remove 示例县工业园区"]').first.click(force=True)
    url = page.url
    assert "parks=" in url, url
    other = new_tab(browser)
    other.set_default_timeout(120_000)
    try:
        open_app_page(other, url)
        assert_no_errors(other, "shared link")
        chips = other.locator('[data-testid="stMultiSelect"]').first.locator("[data-tag] > span[title]").all_inner_texts()
        assert sorted(chips) == sorted(p for p in PARKS if p != "示例县工业园区"), chips
    finally:
        other.context.close()
