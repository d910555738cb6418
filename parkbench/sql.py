"""The one loader for SQL under ``queries/``: a query is a named, documented
file, loaded by ``load(name)`` and run with named parameters by
``query(con, name, **params)``.

Models are the files under staging/, intermediate/ and metrics/. ``MODELS``
puts them in dependency order, found from the tables each file reads, so a
new model needs no list kept by hand: views are (re)created on connect,
tables (``TABLES``) rebuilt by ``build_tables`` after every change to the data.
"""

from __future__ import annotations

import functools
import re

import duckdb
import pandas as pd

from parkbench import paths

QUERIES_DIR = paths.QUERIES_DIR

# The model layers, in build order; every .sql file under them is a model.
LAYERS = ("staging", "intermediate", "metrics")
# Models materialised as tables (rebuilt by build_tables); every other model is a view.
TABLES = frozenset({
    "intermediate/int_park_months",
    "intermediate/int_flow_values",
    "intermediate/int_stock_values",
    "metrics/metric_values",
})


def _strip_comments(text: str) -> str:
    return re.sub(r"--[^\n]*", "", text)


def model_references(names: list[str]) -> dict[str, set[str]]:
    """The models each model's SQL reads (by table name, comments ignored)."""
    by_target = {model_name(n): n for n in names}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, by_target)) + r")\b")
    return {name: {by_target[m] for m in pattern.findall(_strip_comments(load(name)))} - {name}
            for name in names}


def dependency_order(names: list[str]) -> list[str]:
    """Models ordered so that each comes after every model it reads; ties keep
    layer order, then name. A cycle is a ValueError naming its models."""
    refs = model_references(names)
    rank = {n: (LAYERS.index(n.split("/", 1)[0]), n) for n in names}
    ordered, done = [], set()
    while len(ordered) < len(names):
        ready = sorted((n for n in names if n not in done and refs[n] <= done), key=rank.__getitem__)
        if not ready:
            raise ValueError("SQL models read each other in a cycle: " + ", ".join(sorted(set(names) - done)))
        ordered.append(ready[0])
        done.add(ready[0])
    return ordered


def discover_models() -> tuple[tuple[str, str], ...]:
    """(file under queries/, materialisation) for every model, in dependency order."""
    names = [f"{layer}/{path.stem}" for layer in LAYERS for path in sorted((QUERIES_DIR / layer).glob("*.sql"))]
    return tuple((name, "table" if name in TABLES else "view") for name in dependency_order(names))


@functools.cache
def load(name: str) -> str:
    """The text of ``queries/<name>.sql``."""
    path = QUERIES_DIR / f"{name}.sql"
    return path.read_text(encoding="utf-8")


def model_name(name: str) -> str:
    return name.rsplit("/", 1)[-1]


MODELS: tuple[tuple[str, str], ...] = discover_models()


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
