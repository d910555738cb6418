"""The one loader for SQL under ``queries/``: a query is a named, documented
file, loaded by ``load(name)`` and run with named parameters by
``query(con, name, **params)``.

Models are the files under staging/, intermediate/ and metrics/. ``MODELS``
puts them in dependency order, found from the tables each file reads, so a
new model needs no list kept by hand: views are (re)created on connect,
tables (``TABLES``) rebuilt by ``build_tables`` after every change to the data.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import re
from collections.abc import Iterable

import duckdb
import pandas as pd

from parkbench import paths

QUERIES_DIR = paths.QUERIES_DIR

# The model layers, in build order; every .sql file under them is a model.
LAYERS = ("staging", "intermediate", "metrics")
# Models materialised as tables (rebuilt by build_tables); every other model is a view.
TABLES = frozenset({
    # The value in force per key: read by three models and most views, so it is
    # worked out once per rebuild rather than once per reader.
    "staging/stg_observations",
    "intermediate/int_park_months",
    "intermediate/int_flow_values",
    "intermediate/int_stock_values",
    "metrics/metric_values",
    # A park's sums over its firms: read by int_flow_values, int_park_months and the
    # check enterprise_sum_mismatch, each of which recomputed them as a view (issue 19,
    # bench/enterprise.py: two thirds of an N2 month's ingest at 30,000 firms).
    "intermediate/int_enterprise_park_flows",
    # Each firm's metrics by month: the 企业 page reads one park's month, the
    # enterprise evaluation one month of every firm (issue 20: 7 s as a view).
    "metrics/enterprise_metrics",
})


def _strip_comments(text: str) -> str:
    return re.sub(r"--[^\n]*", "", text)


def model_references(names: list[str]) -> dict[str, set[str]]:
    """The models each model's SQL reads (by table name, comments ignored)."""
    by_target = {model_name(n): n for n in names}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, by_target)) + r")\b")
    return {name: {by_target[m] for m in pattern.findall(_strip_comments(load(name)))} - {name}
            for name in names}


def models_read_by(folder: str) -> frozenset[str]:
    """The models the query files of ``queries/<folder>/`` read directly (by file name)."""
    names = [n for n, _ in MODELS]
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, map(model_name, names))) + r")\b")
    read = {m for path in (QUERIES_DIR / folder).glob("*.sql")
            for m in pattern.findall(_strip_comments(path.read_text(encoding="utf-8")))}
    return frozenset(n for n in names if model_name(n) in read)


def with_what_they_read(names) -> tuple[tuple[str, str], ...]:
    """(model, materialisation) for ``names`` and every model they read, in
    dependency order: what must be built in a scratch schema for them."""
    references = _references()
    needed, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name not in needed:
            needed.add(name)
            todo.extend(references[name])
    return tuple((name, kind) for name, kind in MODELS if name in needed)


def reads_any(name: str, tables: Iterable[str]) -> bool:
    """Whether the model, or a model it reads, names one of ``tables`` (base
    tables, by name; comments ignored). A name that only looks like a read
    (a CTE so named) counts too: the answer errs towards True."""
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, tables)) + r")\b")
    return any(pattern.search(_strip_comments(load(model))) for model, _ in with_what_they_read([name]))


@functools.cache
def _references() -> dict[str, set[str]]:
    return model_references([n for n, _ in MODELS])


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

# Parameterised models: DuckDB table macros (queries/macros/, each file one
# ``create or replace macro``), created after the models they read. A read
# calls one where several reads must agree (peer_values: the one peer set).
MACROS: tuple[str, ...] = tuple(f"macros/{path.stem}" for path in sorted((QUERIES_DIR / "macros").glob("*.sql")))


def query(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run a named query and fetch the whole result as a DataFrame."""
    return con.execute(load(name), params or None).df()


def query_each(con: duckdb.DuckDBPyConnection, names: Iterable[str], **params) -> pd.DataFrame:
    """Run several named queries as one statement (UNION ALL BY NAME) and
    fetch their rows together, each with ``query``, the name of the query it
    came from; a column one query lacks is NULL in its rows. The queries share
    ``params`` (a name means the same value in each). Why: the data checks are
    nine small queries run for every file previewed or stored, and one
    statement plans and runs them in about two thirds of the time."""
    names = list(names)
    parts = [f"select '{model_name(name)}' as query, * from (\n{load(name).rstrip().rstrip(';')}\n)"
             for name in names]  # file names, never user text
    return con.execute("\nunion all by name\n".join(parts), params or None).df()


def execute(con: duckdb.DuckDBPyConnection, name: str, **params) -> None:
    con.execute(load(name), params or None)


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create every view model, each table that is missing or whose
    columns no longer match its model (a changed model rebuilds on connect),
    and every macro."""
    existing = _existing(con)
    for name, kind in MODELS:
        target = model_name(name)
        if target in existing and (existing[target] == "VIEW") != (kind == "view"):
            # The model changed materialisation (e.g. stg_observations became a table):
            # drop the old object and its dependants; they are recreated below, in order.
            _drop_dependants(con, name)
            existing = _existing(con)
        if kind == "view":
            # Model names come from the files under queries/, never from user input.
            con.execute(f"create or replace view {target} as {load(name)}")
        elif target not in existing or _columns(con, target) != _columns(con, f"({load(name)})"):
            con.execute(f"create or replace table {target} as {load(name)}")
    for name in MACROS:
        con.execute(load(name))


def _existing(con) -> dict[str, str]:
    """Name → 'BASE TABLE' or 'VIEW' for every relation in main."""
    return dict(con.execute(
        "select table_name, table_type from information_schema.tables where table_schema = 'main'").fetchall())


def _drop_dependants(con, name: str) -> None:
    """Drop model ``name`` and every model after it (any may read it), views and tables alike."""
    kinds = _existing(con)
    names = [n for n, _ in MODELS]
    for later in reversed(names[names.index(name):]):
        target = model_name(later)
        if target in kinds:
            con.execute(f"drop {'view' if kinds[target] == 'VIEW' else 'table'} if exists {target}")


def drop_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the materialised models (after a schema change), dependents first."""
    for name, kind in reversed(MODELS):
        if kind == "table":
            con.execute(f"drop table if exists {model_name(name)}")


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(f"describe select * from {relation}").fetchall()]


# Base tables whose rows belong to one park: the scope of a rebuild by park.
PARK_TABLES = ("observations", "reported_growth", "industries", "parks")
# Enterprise rows in a rebuild by park: the registers and leading lists of the
# parks in scope; every row of their firms (scope_firms), wherever it names a park.
PARK_ENTERPRISE_TABLES = ("enterprise_registers", "leading_groups")
FIRM_TABLES = ("enterprise_observations", "enterprise_growth", "enterprise_parcels", "enterprise_identities")
SCOPE = "rebuild_scope"
# Views several models of the scratch schema read (the sums, the stocks and the firm
# counts): a rebuild by park makes them tables there, so each is worked out once.
SCRATCH_TABLES = frozenset({"staging/stg_enterprise_observations", "intermediate/int_enterprise_members",
                            "intermediate/int_enterprise_flow_values", "intermediate/int_enterprise_stock_values"})


_REBUILDS: contextvars.ContextVar[list | None] = contextvars.ContextVar("rebuilds", default=None)


@contextlib.contextmanager
def recording_rebuilds():
    """The ``build_tables`` calls made inside the block, as (park ids or None
    for every park, since): a write on PostgreSQL tells the other servers
    which models to rebuild (parkbench/store/postgres.py)."""
    calls: list = []
    token = _REBUILDS.set(calls)
    try:
        yield calls
    finally:
        _REBUILDS.reset(token)


def build_tables(con: duckdb.DuckDBPyConnection, park_ids: Iterable[int] | None = None,
                 since: dt.date | None = None) -> None:
    """Rebuild the materialised models from the current observations: all of
    them, or (``park_ids``) only the rows of those parks, and (``since``, the
    earliest period the change touched) only from January of that year on.

    The rebuild by park runs every model, unchanged, in a scratch schema whose
    base tables hold only those parks' rows, then replaces their rows in the
    materialised tables. No model's rows for one park read another park's
    data, and no row of a year reads more than that year, the year before
    (year-on-year growth, January against December) and the last stock
    reported before (carried forward); so the scratch schema holds the rows
    from January of the year before ``since`` on, plus each indicator's last
    stock before that, and the rows replaced are those from January of
    ``since``'s year on. This equals a full rebuild (tests/test_incremental.py
    compares them); its cost follows the parks and years touched, not the
    history held.

    Enterprise rows bend the first rule: a firm listed on two parks' registers
    belongs to the later one, so the parks in scope grow by every park sharing
    a firm with one of them (queries/rebuild/linked_parks; an enterprise upload
    passes the parks of its firms, ``firms.rebuilt_parks``), and the scratch
    schema holds their firms' rows (from the same January, and each stock's
    last report before), and the parks' registers and the firms' parcels and
    names whatever their month
    (tests/test_incremental_enterprise.py).
    """
    park_ids = None if park_ids is None else sorted({int(p) for p in park_ids})
    recorded = _REBUILDS.get()
    if recorded is not None:
        recorded.append((park_ids, since))
    if park_ids is None:
        for name, kind in MODELS:
            if kind == "table":
                con.execute(f"create or replace table {model_name(name)} as {load(name)}")
        return
    ids = sorted({int(p) for p in park_ids})
    if not ids:
        return
    search_path = con.execute("select current_setting('search_path')").fetchall()[0][0]
    _drop_scope(con)
    con.execute(f"create schema {SCOPE}")
    try:
        con.execute(f"set search_path = '{SCOPE},main'")
        con.execute(f"create table {SCOPE}.firm_parks as select * from main.int_enterprise_parks")
        linked = con.execute(load("rebuild/linked_parks"), {"parks": ids}).fetchall()
        ids = sorted(set(ids) | {int(r[0]) for r in linked})
        in_scope = f"park_id in ({', '.join(map(str, ids))})"  # integers from the store, never user text
        replaced_from = "true" if since is None else f"period >= date '{int(since.year):04d}-01-01'"
        con.execute(f"create table {SCOPE}.scope_firms as select distinct enterprise_id from {SCOPE}.firm_parks "
                    f"where {in_scope}")
        for table, rows in _scratch_rows(in_scope, since).items():
            con.execute(f"create table {SCOPE}.{table} as {rows}")
        for name, kind in _scoped_models():
            kind = "table" if name in SCRATCH_TABLES else kind
            con.execute(f"create {kind} {SCOPE}.{model_name(name)} as {load(name)}")
        con.execute(f"set search_path = '{search_path or 'main'}'")
        for name, kind in MODELS:
            if kind == "table":
                target = model_name(name)
                con.execute(f"delete from main.{target} where {in_scope} and {replaced_from}")
                # in_scope again: a model reading a base table not copied here sees every park there
                con.execute(f"insert into main.{target} by name select * from {SCOPE}.{target} "
                            f"where {in_scope} and {replaced_from}")
    finally:
        con.execute(f"set search_path = '{search_path or 'main'}'")
        _drop_scope(con)


def _scratch_rows(in_scope: str, since: dt.date | None) -> dict[str, str]:
    """The select that fills each base table of the scratch schema (table names
    and dates from this module and integers, never user text)."""
    inputs_from = "true"
    if since is not None:  # dates built from integers, never user text
        inputs_from = f"period >= date '{int(since.year) - 1:04d}-01-01'"
    of_firms = f"enterprise_id in (select enterprise_id from {SCOPE}.scope_firms)"
    rows = {table: f"select * from main.{table} where {in_scope}" for table in PARK_TABLES}
    rows.update({table: f"select * from main.{table} where {in_scope}" for table in PARK_ENTERPRISE_TABLES})
    rows.update({table: f"select * from main.{table} where {of_firms}" for table in FIRM_TABLES})
    if since is None:
        return rows
    for table in ("reported_growth", "industries", "enterprise_growth"):
        rows[table] += f" and {inputs_from}"
    for table, key in (("observations", "park_id"), ("enterprise_observations", "enterprise_id")):
        # and each stock's last report before: a stock holds until the next one
        rows[table] = (f"{rows[table]} and {inputs_from} union all ({rows[table]} and basis = 'stock' "
                       f"and not ({inputs_from}) qualify period = max(period) over (partition by {key}, indicator))")
    # every register of the parks (whatever its month): a park's last month counts the firms of
    # all its registers (int_enterprise_placements.park_ends)
    return rows


@functools.cache
def _scoped_models() -> tuple[tuple[str, str], ...]:
    """A rebuild by park builds the materialised models and the views they read;
    the views nothing materialised reads (metric_notes, the enterprise metrics
    the pages read …) stay out of the scratch schema."""
    return with_what_they_read(name for name, kind in MODELS if kind == "table")


def _drop_scope(con: duckdb.DuckDBPyConnection, schema: str = SCOPE) -> None:
    """Drop the scratch schema (or another schema of this module's, ``schema``)
    object by object: DuckDB 2.0's ``drop schema … cascade`` inside a
    transaction makes the commit fail for same-named tables in main ("another
    transaction has dropped this table")."""
    objects = con.execute(
        "select table_name, table_type from information_schema.tables where table_schema = $scope",
        {"scope": schema}).fetchall()
    if not objects and not con.execute("select 1 from information_schema.schemata where schema_name = $scope",
                                       {"scope": schema}).fetchall():
        return
    kinds = {name: ("view" if kind == "VIEW" else "table") for name, kind in objects}
    order = [model_name(n) for n, _ in reversed(MODELS)] + [*PARK_TABLES, *PARK_ENTERPRISE_TABLES, *FIRM_TABLES]
    for name in sorted(kinds, key=lambda n: order.index(n) if n in order else -1):
        con.execute(f"drop {kinds[name]} if exists {schema}.{name}")
    con.execute(f"drop schema if exists {schema}")


def drop_schema(con: duckdb.DuckDBPyConnection, schema: str) -> None:
    """Drop one of the schemas the store builds models in (``store.PENDING_SCHEMA``)."""
    _drop_scope(con, schema)


@functools.cache
def models_digest() -> str:
    """A digest of every model's SQL: models built and kept (the figures with
    pending uploads) are stale once the code's models change."""
    import hashlib

    return hashlib.sha256("\n".join(load(name) for name, _ in MODELS).encode()).hexdigest()[:16]
