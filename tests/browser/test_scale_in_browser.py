"""Every registered page in a real browser on a generated 1,000-park store:
each renders without error text, and the chart pages draw their charts.
Marked ``scale`` (slower than the quick suite; part of ``make test``).
Screenshots: test-artifacts/screenshots/scale-<page>.png."""

from __future__ import annotations

import time

import pytest
from large_store import build_file

from .conftest import assert_no_errors, open_app_page, registered_pages, screenshot

PAGES = registered_pages()
PARKS = 1000
CHART_PAGES = {"compare", "trends", "industries"}


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    """Overrides the harness's empty database: the app server opens this one."""
    return build_file(tmp_path_factory.mktemp("scale-db") / "province.duckdb", PARKS)


@pytest.mark.scale
@pytest.mark.parametrize("app_page", PAGES, ids=[p.url_path for p in PAGES])
def test_page_at_a_thousand_parks(app_server, page, app_page):
    started = time.monotonic()
    open_app_page(page, app_server if app_page.default else f"{app_server}/{app_page.url_path}")
    seconds = time.monotonic() - started
    assert page.locator('[data-testid="stMain"] h1').count() >= 1, "no page title rendered"
    assert_no_errors(page, f"{app_page.url_path} at {PARKS} parks")
    if app_page.url_path in CHART_PAGES:
        charts = page.locator('[data-testid="stVegaLiteChart"]')
        assert charts.count() >= 1, "no chart drawn"
        assert charts.first.locator("svg, canvas").count() >= 1, "the chart has no SVG or canvas"
    screenshot(page, f"scale-{app_page.url_path}")
    print(f"{app_page.url_path}: opened in {seconds:.1f} s at {PARKS} parks")
