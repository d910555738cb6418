"""Shared fixtures: a fresh in-memory store, a store loaded with the sample
sheets, and a helper that stores hand-written rows through the real path."""

from __future__ import annotations

import datetime as dt
import io
import json
import secrets
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import streamlit as st

from parkbench import store
from parkbench.ingest import parse_path
from parkbench.ingest.model import GROWTH_COLUMNS, INDUSTRY_COLUMNS, Parsed, empty_frame

FIXTURES = Path(__file__).parent / "fixtures"
APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
SAMPLE_C = FIXTURES / "C_凤城开发区月度长表_GBK.csv"
SAMPLE_D = FIXTURES / "D_确山月度数据_UTF8BOM.csv"


# ---------------------------------------------------------------- both stores: DuckDB and PostgreSQL

STORE_KINDS = ["duckdb", "postgres"]


def pytest_generate_tests(metafunc):
    """A module marked ``both_stores`` runs each test that uses a store
    (``fresh_db``, ``loaded_db``, ``new_db`` …) twice: on the embedded DuckDB
    store (``[duckdb]``) and on PostgreSQL (``[postgres]``), each PostgreSQL run
    on a database of its own. A test marked ``duckdb_only`` (what only a
    database file has: its lock, its memory cap) runs on DuckDB alone."""
    if ("store_kind" in metafunc.fixturenames and metafunc.definition.get_closest_marker("both_stores")
            and not metafunc.definition.get_closest_marker("duckdb_only")):
        metafunc.parametrize("store_kind", STORE_KINDS, indirect=True, ids=STORE_KINDS)


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL server for the session (tools/postgres.py),
    started the first time a test needs it and removed at the end."""
    from tools.postgres import LocalPostgres

    server = LocalPostgres().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def store_kind(request) -> str:
    """The store this module's tests run on: "duckdb" unless parametrized (``both_stores``)."""
    return getattr(request, "param", "duckdb")


class NewStores:
    """Places for fresh stores of one kind: ``new_db("name")`` is a DuckDB file
    in a temporary folder, or the URL of a new database on the session's
    PostgreSQL server (dropped, with its connections, when the test or module ends)."""

    def __init__(self, kind: str, folder: Path, request):
        self.kind, self.folder, self.request = kind, folder, request
        self.databases: list[str] = []

    def __call__(self, name: str = "store"):
        if self.kind == "duckdb":
            return self.folder / f"{name}.duckdb"
        database = f"pb_{secrets.token_hex(6)}"
        self.databases.append(database)
        return self.request.getfixturevalue("postgres_server").new_database(database)

    def drop(self) -> None:
        if not self.databases:
            return
        import psycopg

        server = self.request.getfixturevalue("postgres_server")
        with psycopg.connect(server.url(), autocommit=True) as pg:
            for database in self.databases:
                pg.execute(f'drop database if exists "{database}" with (force)')  # a name made above


@pytest.fixture
def new_db(store_kind, tmp_path, request):
    """Fresh stores for one test, on this run's store kind (see ``NewStores``)."""
    stores = NewStores(store_kind, tmp_path, request)
    yield stores
    stores.drop()


@pytest.fixture(scope="module")
def new_module_db(store_kind, tmp_path_factory, request):
    """Fresh stores shared by one module's tests (module-scoped fixtures)."""
    stores = NewStores(store_kind, tmp_path_factory.mktemp("stores"), request)
    yield stores
    stores.drop()


def connect_fresh(kind: str, new_stores: NewStores):
    """An empty store: in memory on DuckDB, a new database on PostgreSQL."""
    return store.connect(":memory:" if kind == "duckdb" else new_stores())


@pytest.fixture
def fresh_db(store_kind, request):
    con = connect_fresh(store_kind, request.getfixturevalue("new_db") if store_kind == "postgres" else None)
    yield con
    con.close()


@pytest.fixture
def loaded_db(fresh_db):
    for path in (SAMPLE_C, SAMPLE_D):
        store.save(fresh_db, parse_path(path), path.read_bytes())
    return fresh_db


@pytest.fixture
def expected_metrics():
    return json.loads((FIXTURES / "expected_metrics.json").read_text(encoding="utf-8"))


def month(text: str) -> dt.date:
    year, mon = text.split("-")
    return dt.date(int(year), int(mon), 1)


def store_rows(con, rows, growth=(), file_name="given.csv", by=None, pending=False):
    """Store (park, indicator, 'YYYY-MM', basis, value) rows as one upload
    (``pending``: 待审核, as a 填报 account's upload is stored)."""
    observations = pd.DataFrame(
        [(p, i, month(m), b, float(v)) for p, i, m, b, v in rows],
        columns=["park", "indicator", "period", "basis", "value"])
    growth_frame = (pd.DataFrame([(p, i, month(m), b, float(v)) for p, i, m, b, v in growth], columns=GROWTH_COLUMNS)
                    if growth else empty_frame(GROWTH_COLUMNS))
    parsed = Parsed(file_name, "test", observations, growth_frame, empty_frame(INDUSTRY_COLUMNS))
    return store.save(con, parsed, repr(rows).encode(), by=by, pending=pending)


def metric(con, park: str, period: str, name: str):
    rows = con.execute(
        "select value from metric_values where park = ? and period = ? and metric = ?",
        [park, month(period), name]).fetchall()
    assert len(rows) == 1, f"expected one row for {park} {period} {name}, got {rows}"
    return rows[0][0]


def flow(con, park: str, indicator: str, period: str):
    rows = con.execute(
        "select month_value, ytd_value from int_flow_values f join parks p using (park_id) "
        "where p.name = ? and f.indicator = ? and f.period = ?", [park, indicator, month(period)]).fetchall()
    return rows[0] if rows else (None, None)


def run_cli(*args, db, env=None):
    """``python -m parkbench ARGS --db DB`` as a user runs it; never raises on a non-zero exit."""
    return subprocess.run([sys.executable, "-m", "parkbench", *args, "--db", str(db)],
                          capture_output=True, text=True, check=False, env=env)


@pytest.fixture(autouse=True, scope="session")
def _bound_to_localhost():
    """AppTest has no server: the app sees the address ``make run`` binds to
    (localhost), so without accounts it runs open. tests/test_accounts.py
    sets other addresses where it needs them."""
    from streamlit import config

    config.set_option("server.address", "localhost")
    yield


@pytest.fixture
def clear_caches():
    """Streamlit's caches outlive an AppTest: clear them around each page test."""
    from ui import pending

    st.cache_data.clear()
    st.cache_resource.clear()
    pending.CACHE.clear()  # the preview cache is the app's own (bounded by bytes), not Streamlit's
    yield
    st.cache_data.clear()
    st.cache_resource.clear()
    pending.CACHE.clear()


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with one sheet per entry, rows as given (the sheets tests generate)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ENTERPRISE_SAMPLES = FIXTURES / "enterprise"


def store_enterprise_samples(path) -> None:
    """Store every enterprise sample (N1–N6) in the order its manifest gives (registers
    first), each as the upload verb stores a parsed firm file."""
    from parkbench.ingest.enterprise import parse_firm_file
    from parkbench.store import firms

    manifest = json.loads((ENTERPRISE_SAMPLES / "manifest.json").read_text(encoding="utf-8"))
    first = manifest["ingest_first"]
    con = store.connect(path)
    for name in first + [n for n in manifest["shapes"] if n not in first]:
        firms.save_firms(con, parse_firm_file(ENTERPRISE_SAMPLES / name), (ENTERPRISE_SAMPLES / name).read_bytes())
    con.close()


@pytest.fixture(scope="module")
def enterprise_db(tmp_path_factory) -> Path:
    """A database file holding every enterprise sample (one per test module)."""
    path = tmp_path_factory.mktemp("firms") / "firms.duckdb"
    store_enterprise_samples(path)
    return path


@pytest.fixture
def enterprise_app(enterprise_db, monkeypatch, clear_caches):
    """The app on ``enterprise_db`` (no demo), not yet run."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PARKBENCH_DB", str(enterprise_db))
    monkeypatch.setenv("PARKBENCH_NO_DEMO", "1")
    return AppTest.from_file(APP, default_timeout=90)
