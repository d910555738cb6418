"""Interaction a BI user expects, in the real browser: clicking a park's bar
highlights it in every chart of the page (the bars of the small multiples
turn to the accent colour); the mouse wheel over the trend chart scrolls
the page instead of zooming."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from parkbench.output.charts import HIGHLIGHT

from .conftest import assert_no_errors, open_app_page, rerun

PARK = "确山县产业集聚区"


def bar_fills(page, chart_index: int) -> dict[str, str]:
    """park → fill colour of its bar in the page's chart number ``chart_index``."""
    return page.evaluate("""([i]) => {
        const chart = document.querySelectorAll('[data-testid="stVegaLiteChart"]')[i];
        const out = {};
        chart.querySelectorAll('svg [aria-roledescription="bar"]').forEach(e => {
            const m = /park: ([^;]+)/.exec(e.getAttribute('aria-label') || '') ||
                      /园区: ([^;]+)/.exec(e.getAttribute('aria-label') || '');
            if (m) out[m[1].trim()] = (e.getAttribute('fill') || '').toUpperCase();
        });
        return out;
    }""", [chart_index])


# Every small-multiple panel (the charts after the first) has drawn ``park`` in ``colour``.
HIGHLIGHTED_JS = """([park, colour]) => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
    .slice(1).every(chart => Array.from(chart.querySelectorAll('svg [aria-roledescription="bar"]'))
        .some(e => (e.getAttribute('aria-label') || '').includes(park)
                   && (e.getAttribute('fill') || '').toUpperCase() === colour))"""


def test_click_on_a_bar_highlights_the_park_in_every_chart(app_server, page):
    open_app_page(page, f"{app_server}/compare?metric=tax_per_mu&period=2024-12")
    assert_no_errors(page, "compare")
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    assert charts.count() >= 3
    assert HIGHLIGHT.upper() not in bar_fills(page, 1).values()
    bar = page.locator('[data-testid="stVegaLiteChart"]').first.locator(
        f'svg [aria-roledescription="bar"][aria-label*="{PARK}"]').first
    with rerun(page):
        bar.click()
    # the "本园区" choice follows the click (and goes into the link)
    assert parse_qs(urlparse(page.url).query).get("park") == [PARK], page.url
    # every small-multiple panel now draws that park in the accent colour (Vega redraws after the run)
    page.wait_for_function(HIGHLIGHTED_JS, arg=[PARK, HIGHLIGHT.upper()])
    for i in range(1, charts.count()):
        fills = bar_fills(page, i)
        assert fills.get(PARK) == HIGHLIGHT.upper(), (i, fills)
        assert sum(f == HIGHLIGHT.upper() for f in fills.values()) == 1


def test_wheel_over_the_trend_chart_scrolls_the_page(app_server, page):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    open_app_page(page, f"{app_server}/trends")
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    ticks_before = chart.locator("svg text").all_inner_texts()
    scroller = "document.querySelector('[data-testid=\"stMain\"]')"
    before = page.evaluate(f"() => {scroller}.scrollTop")
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, 400)
    try:  # Chromium scrolls after the wheel event returns: wait for the scroll, not for a time
        page.wait_for_function(f"(before) => {scroller}.scrollTop > before", arg=before)
    except PlaywrightTimeout:
        pass  # said by the assertion below
    after = page.evaluate(f"() => {scroller}.scrollTop")
    assert after > before, "the wheel did not scroll the page"
    # a zoom would be drawn by Vega in its next animation frames: let two pass before reading the axis
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert chart.locator("svg text").all_inner_texts() == ticks_before, "the wheel zoomed the time axis"
