"""Every page for parks that uploaded only enterprise rows (the N1–N6
samples): the park figures are the sums over their firms, read by the same
models as any park's, so each page shows both parks without an error, and a
figure built from firms says 由企业汇总 (docs/enterprises.md rule 3)."""

from __future__ import annotations

import json

import pytest
from conftest import APP, FIXTURES
from streamlit.testing.v1 import AppTest

from parkbench import store
from parkbench.ingest.enterprise import parse_firm_file
from parkbench.store import firms

FOLDER = FIXTURES / "enterprise"
PARKS = {"东山经济开发区", "南湖工业园区"}


@pytest.fixture(scope="module")
def enterprise_db(tmp_path_factory):
    manifest = json.loads((FOLDER / "manifest.json").read_text(encoding="utf-8"))
    order = manifest["ingest_first"] + [n for n in manifest["shapes"] if n not in manifest["ingest_first"]]
    path = tmp_path_factory.mktemp("firms") / "firms.duckdb"
    con = store.connect(path)
    for name in order:
        firms.save_firms(con, parse_firm_file(FOLDER / name), (FOLDER / name).read_bytes())
    con.close()
    return path


@pytest.fixture
def app(enterprise_db, monkeypatch, clear_caches):
    monkeypatch.setenv("PARKBENCH_DB", str(enterprise_db))
    monkeypatch.setenv("PARKBENCH_NO_DEMO", "1")
    return AppTest.from_file(APP, default_timeout=90)


def test_home_lists_both_parks(app):
    at = app.run()
    assert not at.exception and not at.error
    assert set(at.dataframe[0].value["park"]) == PARKS


def test_compare_ranks_both_parks_and_says_the_figures_are_summed_from_firms(app):
    at = app.run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert set(table["park"]) == PARKS and table["value"].notna().all()
    assert any("由企业汇总" in str(cell) for cell in table.astype(str).to_numpy().ravel())


@pytest.mark.parametrize("page", ["pages/trends.py", "pages/rankings.py", "pages/industries.py", "pages/status.py",
                                  "pages/quality.py"])
def test_every_page_draws(app, page):
    at = app.run()
    at.switch_page(page).run()
    assert not at.exception and not at.error
