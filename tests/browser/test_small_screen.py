"""At phone width (390 px) every chart fits: no chart drawing is wider than
the page. Screenshots: test-artifacts/screenshots/phone-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import assert_no_errors, new_tab, open_app_page, screenshot

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    tab = new_tab(browser, viewport=PHONE, device_scale_factor=1)
    tab.set_default_timeout(120_000)
    yield tab
    tab.context.close()


# The right edge of every chart drawing and of its parts (legends, titles, axes): a
# legend laid out in columns can run past its drawing, which then cuts it off.
CHART_RIGHT_EDGES_JS = """() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"] svg'))
    .flatMap(svg => [svg, ...svg.querySelectorAll('.role-legend, .role-title, .role-axis')])
    .map(e => e.getBoundingClientRect().right)"""


@pytest.mark.parametrize("path", ["compare?metric=tax_per_mu&period=2024-12", "trends", "industries", "status",
                                  "evaluation"])
def test_charts_fit_a_phone(app_server, phone, path):
    open_app_page(phone, f"{app_server}/{path}")
    assert_no_errors(phone, path)
    widths = phone.evaluate(CHART_RIGHT_EDGES_JS)
    assert widths, "no chart drawn"
    assert max(widths) <= PHONE["width"], f"{path}: a chart reaches {max(widths)} px on a {PHONE['width']} px screen"
    screenshot(phone, "phone-" + path.split("?")[0])


def test_the_briefing_preview_fits_a_phone(app_server, phone):
    """简报's A4 preview was drawn 760 px wide whatever the screen: on a phone
    its right half (the title's period, the table's columns) was cut off."""
    open_app_page(phone, f"{app_server}/briefing")
    assert_no_errors(phone, "briefing")
    image = phone.locator('[data-testid="stImageContainer"] img').first
    image.wait_for(state="visible")
    right = phone.evaluate("(img) => img.getBoundingClientRect().right", image.element_handle())
    assert right <= PHONE["width"], f"the briefing preview reaches {right} px on a {PHONE['width']} px screen"
    screenshot(phone, "phone-briefing")


# Per chart: the x-axis labels that overlap the label before them (left to right).
OVERLAPPING_X_LABELS_JS = """() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"] svg')).map(svg =>
    Array.from(svg.querySelectorAll('g.role-axis')).filter(axis => /^X-axis/.test(axis.getAttribute('aria-label') || ''))
        .flatMap(axis => {
            const labels = Array.from(axis.querySelectorAll('.role-axis-label text'))
                .filter(t => t.textContent.trim() && getComputedStyle(t).opacity !== '0' && t.getAttribute('opacity') !== '0')
                .map(t => [t.textContent.trim(), t.getBoundingClientRect()]).sort((a, b) => a[1].left - b[1].left);
            return labels.slice(1).filter(([, r], i) => r.left < labels[i][1].right - 0.5).map(([text]) => text);
        }))"""


def test_month_labels_do_not_run_into_each_other_on_a_phone(app_server, phone):
    """趋势's 今年与上年同月对比 at 390 px: twelve month labels (1月 … 12月) ran
    together ("10月11月12月"); a label that has no room is left out."""
    open_app_page(phone, f"{app_server}/trends")
    assert_no_errors(phone, "trends")
    phone.get_by_text("今年与上年同月对比").wait_for(state="visible")
    phone.locator('[data-testid="stVegaLiteChart"] svg .role-axis-label').nth(1).wait_for(state="attached")
    overlapping = phone.evaluate(OVERLAPPING_X_LABELS_JS)
    assert len(overlapping) == 2, overlapping
    assert overlapping == [[], []], overlapping


# The 报送进度 grid's drawing, its month cells (the rects of its first layer) and its title texts.
STATUS_GRID_JS = """() => {
    const svg = document.querySelector('[data-testid="stVegaLiteChart"] svg');
    const cells = Array.from(svg.querySelectorAll('.mark-rect path')).map(p => p.getBoundingClientRect().width);
    const parts = Array.from(svg.querySelectorAll('.role-legend, .role-title, .role-axis'));
    return {right: svg.getBoundingClientRect().right, cells: Math.min(...cells),
            partsRight: Math.max(...parts.map(p => p.getBoundingClientRect().right)),
            titles: Array.from(svg.querySelectorAll('.role-title text, .role-legend text')).map(t => t.textContent)};
}"""


@pytest.mark.parametrize(("width", "months", "least_cell"), [(390, 12, 18), (800, 12, 25), (1280, 12, 32),
                                                               (1600, 1, 32), (1600, 12, 32)])
def test_the_status_grid_keeps_its_cells_title_and_legend_at_any_width(browser, app_server, width, months, least_cell):
    """报送进度's grid at its natural size (34 px cells) where the window has
    room, narrower only where the screen is (a phone), never with its title or
    legend cut: a share of the page squeezed it to 7 px cells at 800 px and cut
    its title ("报送进度：产值或…") with one month shown."""
    tab = new_tab(browser, viewport={"width": width, "height": 900}, device_scale_factor=1)
    try:
        tab.set_default_timeout(120_000)
        open_app_page(tab, f"{app_server}/status")
        assert_no_errors(tab, "status")
        if months == 1:  # the slider 显示最近几个月 at its least
            slider = tab.locator('[data-testid="stSlider"] input[type="range"]').first
            slider.focus()
            slider.press("Home")
            expect(tab.locator('[data-testid="stSliderThumbValue"]').first).to_have_text("1")
            tab.wait_for_timeout(1500)
        grid = tab.evaluate(STATUS_GRID_JS)
        assert grid["right"] <= width and grid["partsRight"] <= grid["right"] + 1, grid
        assert grid["cells"] >= least_cell, grid
        assert not any(text.endswith("…") for text in grid["titles"]), grid["titles"]
    finally:
        tab.context.close()
