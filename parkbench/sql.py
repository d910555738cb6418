"""The one loader for SQL under ``queries/``: a query is a named, documented
file, loaded by ``load(name)`` and run with named parameters by
``query(con, name, **params)``.

Models (staging, intermediate, metrics) are built in the order of ``MODELS``:
views are (re)created on connect, tables rebuilt by ``build_tables`` after
every change to the data.
"""

from __future__ import annotations

import functools

import duckdb
import pandas as pd

from parkbench import paths

QUERIES_DIR = paths.QUERIES_DIR

# (file under queries/, materialisation). Order is dependency order.
MODELS: tuple[tuple[str, str], ...] = (
    ("staging/stg_observations", "view"),
    ("staging/stg_reported_growth", "view"),
    ("staging/stg_industries", "view"),
    ("intermediate/int_park_months", "table"),
    ("intermediate/int_flow_values", "table"),
    ("intermediate/int_stock_values", "table"),
    ("metrics/per_mu", "view"),
    ("metrics/leading_shares", "view"),
    ("metrics/month_growth", "view"),
    ("metrics/ytd_growth", "view"),
    ("metrics/published_growth", "view"),
    ("metrics/metric_values", "table"),
)


@functools.cache
def load(name: str) -> str:
    """The text of ``queries/<name>.sql``."""
    path = QUERIES_DIR / f"{name}.sql"
    return path.read_text(encoding="utf-8")


def model_name(name: str) -> str:
    return name.rsplit("/", 1)[-1]


def query(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run a named query and fetch the whole result as a DataFrame."""
    return con.execute(load(name), params or None).df()


def execute(con: duckdb.DuckDBPyConnection, name: str, **params) -> None:
    con.execute(load(name), params or None)


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create every view model, and the tables once if they are missing."""
    existing = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    for name, kind in MODELS:
        target = model_name(name)
        if kind == "view":
            # Model names come from MODELS above, never from user input.
            con.execute(f"create or replace view {target} as {load(name)}")
        elif target not in existing:
            con.execute(f"create table {target} as {load(name)}")


def build_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the materialised models from the current observations."""
    for name, kind in MODELS:
        if kind == "table":
            con.execute(f"create or replace table {model_name(name)} as {load(name)}")
