"""Charts drawn whole on the page, their plots as tall as in the exported
images. Streamlit's default sizing squeezed the whole drawing, titles and
axes included, into the spec's height: every title line took height from
the plot (趋势's trend chart, 320 px in the spec, was drawn 178 px high), and
the 今年与上年同月对比 chart, whose title takes three lines, was squeezed to
149 px with the first of those lines (the park) cut at the top."""

from __future__ import annotations

from .conftest import assert_no_errors, open_app_page

# The height of each chart's plot on the page: the span of its horizontal grid lines, in px.
PLOT_HEIGHTS_JS = """() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]')).map(chart => {
    const grid = Array.from(chart.querySelectorAll('svg .role-axis-grid line, svg .role-axis-grid path'))
        .map(line => line.getBoundingClientRect()).filter(r => r.width > r.height);
    return grid.length ? Math.max(...grid.map(r => r.bottom)) - Math.min(...grid.map(r => r.top)) : null;
})"""


def test_trend_charts_keep_their_plot_height_under_a_long_title(app_server, page):
    open_app_page(page, f"{app_server}/trends?metric=output&measure=ytd_yoy")
    assert_no_errors(page, "trends")
    page.get_by_text("今年与上年同月对比").wait_for(state="visible")
    page.locator('[data-testid="stVegaLiteChart"] svg .role-axis-grid').nth(1).wait_for(state="attached")
    heights = page.evaluate(PLOT_HEIGHTS_JS)
    assert len(heights) == 2, heights
    # Both plots are 320 px high in the spec; the grid spans the plot less the top tick's headroom.
    assert all(h is not None and h >= 280 for h in heights), heights
