"""Every registered page in a real browser: it renders without error text,
and the compare page draws the parks' bars. Screenshots go to
test-artifacts/screenshots/."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from parkbench.store import demo

from .conftest import (
    ARTIFACTS,
    SCREENSHOT_DIR,
    AppServer,
    assert_no_errors,
    open_app_page,
    registered_pages,
    screenshot,
)

PAGES = registered_pages()


def test_pages_are_registered():
    paths = [p.url_path for p in PAGES]
    assert {"home", "compare"} <= set(paths), paths
    assert len(paths) == len(set(paths)), f"duplicate url_path in streamlit_app.py: {paths}"


@pytest.mark.parametrize("app_page", PAGES, ids=[p.url_path for p in PAGES])
def test_page_renders_without_errors(app_server, page, app_page):
    # The default page lives at the root; every other page is opened by its own link, as a shared URL would be.
    open_app_page(page, app_server if app_page.default else f"{app_server}/{app_page.url_path}")
    # Pages keep their state in the query string (?metric=…), so compare paths only.
    assert urlparse(page.url).path.rstrip("/").endswith(app_page.url_path) or app_page.default, page.url
    assert page.locator('[data-testid="stMain"] h1').count() >= 1, "no page title rendered"
    assert_no_errors(page, app_page.url_path)
    # A deep link must still run through streamlit_app.py: navigation and the language switch are there.
    assert page.get_by_text("English", exact=True).count() == 1, "page opened without the app shell"
    assert page.locator('[data-testid="stSidebarNav"]').get_by_text("园区对比").count() == 1
    assert page.get_by_text("Page not found").count() == 0
    screenshot(page, app_page.url_path)
    print(f"screenshots in {SCREENSHOT_DIR}")


def test_root_serves_the_default_page(app_server, page):
    open_app_page(page, app_server)
    assert_no_errors(page, "/")
    default = next(p for p in PAGES if p.default)
    path = urlparse(page.url).path.rstrip("/")
    assert path in ("", urlparse(app_server).path.rstrip("/")) or path.endswith(default.url_path)


def bar_labels(page) -> list[str]:
    """The aria labels of the bars of the page's first chart: Vega writes each
    bar's data there (metric value, park, rank)."""
    return page.evaluate("""() => Array.from(document.querySelector('[data-testid="stVegaLiteChart"]')
        .querySelectorAll('svg [aria-roledescription="bar"]')).map(e => e.getAttribute('aria-label'))""")


def chosen_parks(page) -> list[str]:
    return page.evaluate("""() => [...new Set(Array.from(document.querySelectorAll(
        '[data-testid="stMultiSelect"] [data-tag]')).map(e => e.getAttribute('aria-label')))]""")


def test_compare_chart_shows_every_park(app_server, page):
    open_app_page(page, f"{app_server}/compare")
    chart = page.locator('[data-testid="stVegaLiteChart"]').first  # the bars; small multiples follow
    assert chart.count() == 1, "compare page drew no chart"
    assert chart.locator("svg, canvas").count() >= 1, "the chart has no SVG or canvas"
    chosen = chosen_parks(page)
    assert set(demo.PARKS) <= set(chosen), chosen  # the parks multiselect holds every demo park
    bars = bar_labels(page)
    assert bars, "the chart has no bars"
    missing = [park for park in demo.PARKS if not any(f"park: {park};" in label for label in bars)]
    assert not missing, f"parks missing from the chart's data: {missing}\n{bars}"
    assert_no_errors(page, "compare")


def test_shared_link_opened_first_on_a_fresh_server(tmp_path, page):
    """Streamlit runs a pages/ file alone until the entry script has called
    st.navigation once: a link opened first after a restart must still get
    the app shell (ui/shell.py)."""
    with AppServer(tmp_path / "fresh.duckdb", ARTIFACTS / "logs" / "fresh-server.log") as server:
        open_app_page(page, f"{server.url}/compare")
        assert page.get_by_text("English", exact=True).count() == 1, "the deep link skipped streamlit_app.py"
        assert page.locator('[data-testid="stSidebarNav"]').get_by_text("园区对比").count() == 1
        assert_no_errors(page, "compare (fresh server)")
