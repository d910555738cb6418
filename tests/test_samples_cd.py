"""Families C and D of the sample set, through the command line, against
the published expected metrics for 2023 (family A, which covers 2024, is
read by another reader)."""

from __future__ import annotations

import json
import math

import pytest
from conftest import FIXTURES, SAMPLE_C, SAMPLE_D, run_cli


@pytest.fixture(scope="module")
def cli_metrics(tmp_path_factory):
    db = tmp_path_factory.mktemp("cd") / "samples.duckdb"
    ingest = run_cli("ingest", str(SAMPLE_C), str(SAMPLE_D), db=db)
    assert ingest.returncode == 0, ingest.stderr
    out = run_cli("metrics", "--format", "json", db=db)
    assert out.returncode == 0, out.stderr
    return {(r["park"], r["period"], r["metric"]): r["value"] for r in json.loads(out.stdout)}


def expected_2023():
    rows = json.loads((FIXTURES / "expected_metrics.json").read_text(encoding="utf-8"))
    return [r for r in rows
            if r["park"] in ("凤城经济开发区", "确山县产业集聚区") and r["period"].startswith("2023")]


@pytest.mark.parametrize("row", expected_2023(), ids=lambda r: f"{r['park']}-{r['period']}-{r['metric']}")
def test_expected_2023_metric(cli_metrics, row):
    key = (row["park"], row["period"], row["metric"])
    assert key in cli_metrics, f"no value for {key}"
    got = cli_metrics[key]
    if row["value"] is None:
        assert got is None
    else:
        assert got is not None and math.isclose(got, row["value"], rel_tol=5e-3, abs_tol=1e-3)


def test_expected_2023_covers_both_parks():
    parks = {r["park"] for r in expected_2023()}
    assert parks == {"凤城经济开发区", "确山县产业集聚区"}
    assert len(expected_2023()) == 168
