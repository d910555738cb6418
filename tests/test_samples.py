"""The golden test: every sample folder under tests/fixtures (a folder with an
``expected_metrics.json``) through the command line, each folder's files into
one store, against every published value of that folder's expected files.
A new case is a new sample file (and its expected rows) in a folder; a new
folder with an expected_metrics.json is picked up as it is.

The expected values are the published ones; nothing here is computed by the
code under test except the ingest and the metrics output itself."""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb
import pytest
from conftest import FIXTURES, run_cli

from parkbench import store

pytestmark = pytest.mark.both_stores  # store tests: on DuckDB and on PostgreSQL (conftest)
SUFFIXES = (".xlsx", ".xls", ".csv")
FOLDERS = sorted(p.parent for p in FIXTURES.rglob("expected_metrics.json"))


def samples(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES)


def expected(folder: Path, kind: str) -> list[dict]:
    path = folder / f"expected_{kind}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def folder_id(folder: Path) -> str:
    return folder.relative_to(FIXTURES).as_posix() if folder != FIXTURES else "fixtures"


def is_percent(metric: str) -> bool:
    return metric == "leading_share" or metric.endswith(("_yoy", "_mom"))


@pytest.fixture(scope="module")
def stores(new_module_db):
    """Each folder's samples ingested one by one into a store of its own (built once)."""
    built: dict[Path, Path] = {}

    def store_of(folder: Path) -> Path:
        if folder not in built:
            db = new_module_db(folder_id(folder).replace("/", "_"))
            for path in samples(folder):
                out = run_cli("ingest", str(path), db=db)
                assert out.returncode == 0, out.stdout + out.stderr
            built[folder] = db
        return built[folder]
    return store_of


@pytest.fixture(scope="module")
def metrics_of(stores):
    read: dict[Path, dict] = {}

    def metrics(folder: Path) -> dict:
        if folder not in read:
            out = run_cli("metrics", "--format", "json", db=stores(folder))
            assert out.returncode == 0, out.stderr
            read[folder] = {(r["park"], r["period"], r["metric"]): r["value"] for r in json.loads(out.stdout)}
        return read[folder]
    return metrics


METRIC_CASES = [(folder, row) for folder in FOLDERS for row in expected(folder, "metrics")]


@pytest.mark.parametrize(("folder", "row"), METRIC_CASES,
                         ids=[f"{folder_id(f)}-{r['park']}-{r['period']}-{r['metric']}" for f, r in METRIC_CASES])
def test_expected_metric(metrics_of, folder, row):
    got_all = metrics_of(folder)
    key = (row["park"], row["period"], row["metric"])
    assert key in got_all, f"no value for {key}"
    got, want = got_all[key], row["value"]
    if want is None:
        assert got is None, f"{key}: expected null, got {got}"
        return
    assert got is not None, f"{key}: expected {want}, got null"
    if is_percent(row["metric"]):
        assert abs(got - want) <= 0.1, f"{key}: {got} vs {want}"
    else:
        assert math.isclose(got, want, rel_tol=5e-3), f"{key}: {got} vs {want}"


def stored_industries(db) -> dict:
    con = duckdb.connect(str(db), read_only=True) if isinstance(db, Path) else store.connect(db)
    try:
        rows = con.execute(
            "select p.name, i.industry, i.is_leading, i.output "
            "from stg_industries i join parks p using (park_id)").fetchall()
    finally:
        con.close()
    return {(park, industry): (leading, output) for park, industry, leading, output in rows}


@pytest.mark.parametrize("folder", [f for f in FOLDERS if expected(f, "industries")], ids=folder_id)
def test_expected_industries(stores, folder):
    stored = stored_industries(stores(folder))
    rows = expected(folder, "industries")
    assert len(stored) == len(rows)
    for row in rows:
        leading, output = stored[(row["park"], row["industry"])]
        assert leading == row["leading"]
        assert math.isclose(output, row["output"], rel_tol=5e-3)


def test_the_sample_folders_hold_every_layout_family():
    assert FOLDERS == [FIXTURES, FIXTURES / "v2"]
    assert [p.name[0] for p in samples(FIXTURES)] == ["A", "B", "C", "D", "E"]
    v2 = samples(FIXTURES / "v2")
    assert {p.name.split("_")[0] for p in v2} == {"F1", "F2", "G", "H", "I", "J", "K", "L"}
    assert any(p.suffix == ".xls" for p in v2)


# The family each v2 sample must be recognised as (the code the CLI prints in `uploads`).
FAMILY_OF = {"F1": "F1", "F2": "F2", "G_": "G", "H_": "H", "I_": "F2", "J_": "J", "K_": "K", "L_": "L"}
V2_SAMPLES = samples(FIXTURES / "v2")


@pytest.mark.parametrize("path", V2_SAMPLES, ids=lambda p: p.name)
def test_each_file_ingests_alone_as_its_family(new_db, path):
    db = new_db("alone")
    out = run_cli("ingest", str(path), db=db)
    assert out.returncode == 0, out.stdout + out.stderr
    uploads = json.loads(run_cli("uploads", "--format", "json", db=db).stdout)
    assert len(uploads) == 1 and uploads[0]["rows"] > 0
    listing = run_cli("uploads", "--format", "table", db=db).stdout
    want = next(f for prefix, f in FAMILY_OF.items() if path.name.startswith(prefix))
    assert f" {want} " in listing, listing


def test_every_folder_together(new_db):
    db = new_db("together")
    every = [p for folder in FOLDERS for p in samples(folder)]
    out = run_cli("ingest", *map(str, every), db=db)
    assert out.returncode == 0, out.stdout + out.stderr
    uploads = json.loads(run_cli("uploads", "--format", "json", db=db).stdout)
    assert len(uploads) == len(every)
    metrics = run_cli("metrics", "--format", "json", db=db)
    assert metrics.returncode == 0
    got = {(r["park"], r["period"], r["metric"]) for r in json.loads(metrics.stdout)}
    # every published key is there (values may differ: one folder adds data for another's parks)
    assert {(r["park"], r["period"], r["metric"]) for f in FOLDERS for r in expected(f, "metrics")} <= got
