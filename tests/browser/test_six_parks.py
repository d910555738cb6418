"""Six parks chosen, on a desk screen and a phone (390 px): the park picker
shows every chosen park (its chips wrap onto more rows instead of scrolling
out of sight), and no chart title or subtitle is cut (Vega ends a line that
does not fit with "…"; ours are broken into lines that fit).
Screenshots: test-artifacts/screenshots/six-parks-<page>-<width>.png."""

from __future__ import annotations

import pytest
from large_store import build_file, park_names

from .conftest import assert_no_errors, new_tab, open_app_page, screenshot

PARKS = park_names(6)
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1600, "height": 1000}


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    """Overrides the harness's empty database: six generated parks (names of 7–10 characters)."""
    return build_file(tmp_path_factory.mktemp("six-parks-db") / "six.duckdb", len(PARKS))


@pytest.fixture(params=[PHONE, DESK], ids=["phone", "desk"])
def tab(browser, request):
    opened = new_tab(browser, viewport=request.param, device_scale_factor=1)
    opened.set_default_timeout(120_000)
    yield opened
    opened.context.close()


# For the first park picker of the page: each chosen park's chip, and whether it lies wholly inside the
# picker's visible box (a chip scrolled out of a single row lies beyond its right edge).
CHIPS_JS = """() => {
  const picker = document.querySelector('[data-testid="stMultiSelect"]');
  const box = picker.querySelector('[data-testid="stMultiSelectTagsContainer"]').getBoundingClientRect();
  return Array.from(picker.querySelectorAll('[data-tag]')).map(chip => {
    const r = chip.getBoundingClientRect();
    return {park: chip.getAttribute('aria-label'), inside: r.left >= box.left - 0.5 && r.right <= box.right + 0.5
            && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5 && r.width > 0};
  });
}"""

# Every line of every chart title and subtitle: its text, and whether it ends inside its chart's drawing.
TITLES_JS = """() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"] svg')).flatMap(svg => {
  const right = svg.getBoundingClientRect().right;
  return Array.from(svg.querySelectorAll('.role-title text, .role-title-text text, .role-title-subtitle text'))
    .flatMap(text => (text.querySelectorAll('tspan').length ? Array.from(text.querySelectorAll('tspan')) : [text]))
    .map(line => ({text: line.textContent, inside: line.getBoundingClientRect().right <= right + 0.5}));
})"""


@pytest.mark.parametrize("path", ["compare?metric=tax_per_mu", "trends"])
def test_six_chosen_parks_and_whole_chart_titles(app_server, tab, path):
    open_app_page(tab, f"{app_server}/{path}")
    name = path.split("?")[0]
    assert_no_errors(tab, name)
    width = tab.viewport_size["width"]
    screenshot(tab, f"six-parks-{name}-{width}")
    chips = tab.evaluate(CHIPS_JS)
    assert sorted(c["park"] for c in chips) == sorted(PARKS), chips
    hidden = [c["park"] for c in chips if not c["inside"]]
    assert not hidden, f"{name} at {width} px: chosen parks out of sight in the picker: {hidden}"
    lines = tab.evaluate(TITLES_JS)
    assert lines, f"{name}: no chart title drawn"
    cut = [line["text"] for line in lines if line["text"].endswith("…") or not line["inside"]]
    assert not cut, f"{name} at {width} px: chart title lines cut: {cut}"
