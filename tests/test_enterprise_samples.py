"""The golden test of enterprise rows: the shared samples N1–N6
(tests/fixtures/enterprise, copied from samples/enterprise) ingested through
the command line in the manifest's order (registers and the leading-industry
list first: an N2 file has no park of its own), against the published park
metrics (expected_park_metrics.json, the samples' expected_metrics.json under
a name test_samples.py does not pick up: it ingests a folder in name order)
and the published metrics per enterprise (expected_enterprise_metrics.json,
as ``metrics --level enterprise --format json`` prints them).

Nothing here is computed by the code under test except the ingest and the
metrics output itself."""

from __future__ import annotations

import json
import math

import pytest
from conftest import FIXTURES, run_cli

FOLDER = FIXTURES / "enterprise"
MANIFEST = json.loads((FOLDER / "manifest.json").read_text(encoding="utf-8"))
ORDER = MANIFEST["ingest_first"] + [name for name in MANIFEST["shapes"] if name not in MANIFEST["ingest_first"]]
PARK_ROWS = json.loads((FOLDER / "expected_park_metrics.json").read_text(encoding="utf-8"))
FIRM_ROWS = json.loads((FOLDER / "expected_enterprise_metrics.json").read_text(encoding="utf-8"))
pytestmark = pytest.mark.both_stores  # store tests: on DuckDB and on PostgreSQL (conftest)
SPAN = ("--from", "2024-01", "--to", "2025-12")  # the months the expected files cover


def close(metric: str, got, want) -> bool:
    if want is None or got is None:
        return got is None and want is None
    if metric in ("leading_share",) or metric.endswith(("_yoy", "_mom")):
        return abs(got - want) <= 0.1
    return math.isclose(got, want, rel_tol=5e-3, abs_tol=1e-6)


@pytest.fixture(scope="module")
def db(new_module_db):
    path = new_module_db("samples")
    out = run_cli("ingest", *(str(FOLDER / name) for name in ORDER), db=path)
    assert out.returncode == 0, out.stdout + out.stderr
    return path


def metrics(db, *args) -> list[dict]:
    out = run_cli("metrics", "--format", "json", *SPAN, *args, db=db)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_the_manifest_names_every_sample():
    on_disk = {p.name for p in FOLDER.iterdir() if p.suffix in (".xlsx", ".csv")}
    assert set(ORDER) == on_disk and len(ORDER) == 8


def test_park_metrics_built_from_enterprises(db):
    got = {(r["park"], r["period"], r["metric"]): r["value"] for r in metrics(db)}
    wrong = [(key, got.get(key, "missing"), r["value"]) for r in PARK_ROWS
             if not close(r["metric"], got.get(key := (r["park"], r["period"], r["metric"]), "missing"), r["value"])
             or key not in got]
    assert len(PARK_ROWS) == MANIFEST["counts"]["park_cells"]
    assert wrong == []


def test_enterprise_metrics(db):
    rows = metrics(db, "--level", "enterprise")
    assert all(list(r) == ["park", "enterprise", "credit_code", "period", "metric", "value"] for r in rows)
    got = {(r["park"], r["enterprise"], r["credit_code"], r["period"], r["metric"]): r["value"] for r in rows}
    want = {(r["park"], r["enterprise"], r["credit_code"], r["period"], r["metric"]): r["value"] for r in FIRM_ROWS}
    assert len(want) == MANIFEST["counts"]["enterprise_cells"]
    assert set(got) == set(want)
    wrong = [(key, got[key], value) for key, value in want.items() if not close(key[-1], got[key], value)]
    assert wrong == []
    assert len({(k[0], k[2]) for k in want}) == MANIFEST["counts"]["enterprises"]


def test_enterprise_metrics_of_one_park(db):
    rows = metrics(db, "--level", "enterprise", "--park", "南湖工业园区")
    assert {r["park"] for r in rows} == {"南湖工业园区"}
    assert len(rows) == sum(r["park"] == "南湖工业园区" for r in FIRM_ROWS)


def test_an_n2_file_alone_is_refused_and_takes_a_park_from_the_command_line(new_db):
    alone = new_db("alone")
    n2 = str(FOLDER / "N2_联网直报_B204-1工业产销总值_2024-2025.xlsx")
    refused = run_cli("ingest", n2, db=alone)
    assert refused.returncode == 1
    assert "N2_联网直报_B204-1工业产销总值_2024-2025.xlsx" in refused.stderr and "行" in refused.stderr
    assert "--park" in refused.stderr and "Traceback" not in refused.stderr
    stored = run_cli("ingest", n2, "--park", "南湖工业园区", db=alone)
    assert stored.returncode == 0, stored.stderr
    uploads = json.loads(run_cli("uploads", "--format", "json", db=alone).stdout)
    assert [u["file"] for u in uploads] == ["N2_联网直报_B204-1工业产销总值_2024-2025.xlsx"]


def test_undoing_the_land_register_makes_the_per_mu_figures_unknown_again(new_db):
    db = new_db("undo")
    first = [name for name in ORDER if not name.startswith("N4")]
    assert run_cli("ingest", *(str(FOLDER / n) for n in first), db=db).returncode == 0
    before = {(r["period"], r["metric"]): r["value"] for r in metrics(db, "--park", "南湖工业园区")}
    assert before[("2024-06", "tax_per_mu")] is None  # no land register: no land
    assert run_cli("ingest", str(FOLDER / next(n for n in ORDER if n.startswith("N4"))), db=db).returncode == 0
    with_land = {(r["period"], r["metric"]): r["value"] for r in metrics(db, "--park", "南湖工业园区")}
    assert with_land[("2024-06", "tax_per_mu")] is not None
    uploads = json.loads(run_cli("uploads", "--format", "json", db=db).stdout)
    assert run_cli("undo", str(uploads[-1]["id"]), db=db).returncode == 0
    after = {(r["period"], r["metric"]): r["value"] for r in metrics(db, "--park", "南湖工业园区")}
    assert set(after) == set(before)  # sums add up in another order: equal to the last digits
    assert all(close(metric, after[(period, metric)], value) for (period, metric), value in before.items())
