"""All five sample files through the command line, against every published
expected metric and industry row. Nothing here is computed by the code under
test except the ingest and metrics output itself."""

from __future__ import annotations

import json
import math

import duckdb
import pytest
from conftest import FIXTURES, run_cli

SAMPLES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".xlsx", ".csv"))
PERCENT_METRICS = ("leading_share",)
PERCENT_SUFFIXES = ("_yoy", "_mom")


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("all") / "samples.duckdb"
    for path in SAMPLES:
        out = run_cli("ingest", str(path), db=db)
        assert out.returncode == 0, out.stderr
    return db


@pytest.fixture(scope="module")
def cli_metrics(sample_db):
    out = run_cli("metrics", "--format", "json", db=sample_db)
    assert out.returncode == 0, out.stderr
    return {(r["park"], r["period"], r["metric"]): r["value"] for r in json.loads(out.stdout)}


def expected_metrics():
    return json.loads((FIXTURES / "expected_metrics.json").read_text(encoding="utf-8"))


def expected_industries():
    return json.loads((FIXTURES / "expected_industries.json").read_text(encoding="utf-8"))


def test_all_five_families_present():
    assert [p.name[0] for p in SAMPLES] == ["A", "B", "C", "D", "E"]


def is_percent(metric: str) -> bool:
    return metric in PERCENT_METRICS or metric.endswith(PERCENT_SUFFIXES)


@pytest.mark.parametrize("row", expected_metrics(), ids=lambda r: f"{r['park']}-{r['period']}-{r['metric']}")
def test_expected_metric(cli_metrics, row):
    key = (row["park"], row["period"], row["metric"])
    assert key in cli_metrics, f"no value for {key}"
    got, want = cli_metrics[key], row["value"]
    if want is None:
        assert got is None, f"{key}: expected null, got {got}"
        return
    assert got is not None, f"{key}: expected {want}, got null"
    if is_percent(row["metric"]):
        assert abs(got - want) <= 0.1, f"{key}: {got} vs {want}"
    else:
        assert math.isclose(got, want, rel_tol=5e-3), f"{key}: {got} vs {want}"


def stored_industries(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select p.name, i.industry, i.is_leading, i.output "
            "from stg_industries i join parks p using (park_id)").fetchall()
    finally:
        con.close()
    return {(park, industry): (leading, output) for park, industry, leading, output in rows}


def test_expected_industries(sample_db):
    stored = stored_industries(sample_db)
    expected = expected_industries()
    assert len(stored) == len(expected)
    for row in expected:
        leading, output = stored[(row["park"], row["industry"])]
        assert leading == row["leading"]
        assert math.isclose(output, row["output"], rel_tol=5e-3)
