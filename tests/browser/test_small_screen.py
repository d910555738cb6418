"""At phone width (390 px) every chart fits: no chart drawing is wider than
the page. Screenshots: test-artifacts/screenshots/phone-*.png."""

from __future__ import annotations

import pytest

from .conftest import assert_no_errors, new_tab, open_app_page, screenshot

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    tab = new_tab(browser, viewport=PHONE, device_scale_factor=1)
    tab.set_default_timeout(120_000)
    yield tab
    tab.context.close()


@pytest.mark.parametrize("path", ["compare?metric=tax_per_mu&period=2024-12", "trends", "industries"])
def test_charts_fit_a_phone(app_server, phone, path):
    open_app_page(phone, f"{app_server}/{path}")
    assert_no_errors(phone, path)
    widths = phone.evaluate("""() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"] svg'))
        .map(svg => svg.getBoundingClientRect().right)""")
    assert widths, "no chart drawn"
    assert max(widths) <= PHONE["width"], f"{path}: a chart reaches {max(widths)} px on a {PHONE['width']} px screen"
    screenshot(phone, "phone-" + path.split("?")[0])
