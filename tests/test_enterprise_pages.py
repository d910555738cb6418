"""Every page for parks that uploaded only enterprise rows (the N1–N6
samples): the park figures are the sums over their firms, read by the same
models as any park's, so each page shows both parks without an error, and a
figure built from firms says 由企业汇总 (docs/enterprises.md rule 3)."""

from __future__ import annotations

import pytest

PARKS = {"东山经济开发区", "南湖工业园区"}


def test_home_lists_both_parks(enterprise_app):
    at = enterprise_app.run()
    assert not at.exception and not at.error
    assert set(at.dataframe[0].value["park"]) == PARKS


def test_compare_ranks_both_parks_and_says_the_figures_are_summed_from_firms(enterprise_app):
    at = enterprise_app.run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert set(table["park"]) == PARKS and table["value"].notna().all()
    assert any("由企业汇总" in str(cell) for cell in table.astype(str).to_numpy().ravel())


@pytest.mark.parametrize("page", ["pages/trends.py", "pages/rankings.py", "pages/industries.py", "pages/status.py",
                                  "pages/quality.py"])
def test_every_page_draws(enterprise_app, page):
    at = enterprise_app.run()
    at.switch_page(page).run()
    assert not at.exception and not at.error
