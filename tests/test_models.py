"""The model graph checks itself: the build order follows what each SQL file
reads, and the metric catalogue (parkbench/catalog.py) names exactly the
metrics the metric views produce."""

from __future__ import annotations

import pytest
from conftest import SAMPLE_C, connect_fresh

from parkbench import catalog, store
from parkbench.ingest import parse_path
from parkbench.models import sql

METRIC_VIEW_GROUPS = {  # metric view → catalogue group of the metrics it returns
    "metrics/per_mu": "per_mu",
    "metrics/leading_shares": "share",
    "metrics/month_growth": "growth",
    "metrics/ytd_growth": "growth",
    "metrics/efficiency": "efficiency",
    "metrics/enterprise_counts": "enterprises",
}
pytestmark = pytest.mark.both_stores  # store tests: on DuckDB and on PostgreSQL (conftest)
KEYS = {"park_id", "period"}
NOT_METRICS = {"leading_share_source"}  # what a share rests on: to metric_notes, excluded in metric_values.sql


def test_every_model_comes_after_what_it_reads():
    names = [name for name, _ in sql.MODELS]
    refs = sql.model_references(names)
    for position, name in enumerate(names):
        assert refs[name] <= set(names[:position]), f"{name} reads {refs[name] - set(names[:position])} built later"


def test_known_references_are_found():
    refs = sql.model_references([name for name, _ in sql.MODELS])
    assert refs["metrics/metric_values"] >= {"intermediate/int_park_months", "metrics/per_mu",
                                            "metrics/leading_shares", "metrics/published_growth"}
    assert refs["staging/stg_observations"] == set()


def test_no_model_reads_a_later_layer():
    refs = sql.model_references([name for name, _ in sql.MODELS])
    for name, read in refs.items():
        layer = sql.LAYERS.index(name.split("/")[0])
        assert all(sql.LAYERS.index(r.split("/")[0]) <= layer for r in read), f"{name} reads {read}"


def test_every_table_model_is_a_file():
    assert {name for name, kind in sql.MODELS if kind == "table"} == set(sql.TABLES)


def test_a_cycle_is_refused(monkeypatch):
    texts = {"staging/a": "select * from b", "staging/b": "select * from a"}
    monkeypatch.setattr(sql, "load", texts.__getitem__)
    with pytest.raises(ValueError, match="cycle"):
        sql.dependency_order(list(texts))


def test_comments_do_not_count_as_references(monkeypatch):
    texts = {"staging/a": "-- unlike b, this reads nothing\nselect 1", "staging/b": "select * from a"}
    monkeypatch.setattr(sql, "load", texts.__getitem__)
    assert sql.dependency_order(["staging/b", "staging/a"]) == ["staging/a", "staging/b"]


@pytest.fixture(scope="module")
def con(store_kind, new_module_db):
    con = connect_fresh(store_kind, new_module_db)
    store.save(con, parse_path(SAMPLE_C), SAMPLE_C.read_bytes())
    yield con
    con.close()


def view_columns(con, name: str) -> set[str]:
    return {row[0] for row in con.execute(f"describe {sql.model_name(name)}").fetchall()} - KEYS - NOT_METRICS


def test_metric_views_and_catalogue_agree(con):
    from_views = {column: group for view, group in METRIC_VIEW_GROUPS.items() for column in view_columns(con, view)}
    assert {m.id: m.group for m in catalog.METRICS} == from_views


def test_metric_values_carries_the_catalogue_and_nothing_else(con):
    """metric_values turns every column of the metric views into a metric: each must be in the catalogue
    (the enterprise counts only for parks with enterprise rows: this store has none)."""
    stored = {r[0] for r in con.execute("select distinct metric from metric_values").fetchall()}
    computed = {m for m in stored if not m.endswith("_reported")}
    assert computed == {m.id for m in catalog.METRICS if m.group != "enterprises"}


def test_every_metric_view_is_listed_here():
    """A new metric view must say which catalogue group its metrics belong to."""
    metric_views = {name for name, _ in sql.MODELS if name.startswith("metrics/")}
    # metric_values assembles the others, published_growth is the sheets' own growth,
    # metric_notes says what a value rests on (land as-of date, source): none returns metrics of its own;
    # enterprise_metrics (and its long form enterprise_metric_values) are per enterprise, not per park
    assert metric_views - set(METRIC_VIEW_GROUPS) == {"metrics/metric_values", "metrics/published_growth",
                                                      "metrics/metric_notes", "metrics/enterprise_metrics",
                                                      "metrics/enterprise_metric_values"}


def test_a_database_from_before_a_model_became_a_table_opens_and_rebuilds(tmp_path):
    """stg_observations was a view until it was materialised: a database made
    then opens, gets the table, and gives the same metrics."""
    path = tmp_path / "old.duckdb"
    con = store.connect(path)
    store.save(con, parse_path(SAMPLE_C), SAMPLE_C.read_bytes())
    before = con.execute("select * from metric_values order by all").fetchall()
    sql._drop_dependants(con, "staging/stg_observations")
    con.execute(f"create view stg_observations as {sql.load('staging/stg_observations')}")
    for name, kind in sql.MODELS[[n for n, _ in sql.MODELS].index("staging/stg_observations") + 1:]:
        con.execute(f"create {kind} {sql.model_name(name)} as {sql.load(name)}")
    con.close()
    con = store.connect(path)
    kinds = dict(con.execute("select table_name, table_type from information_schema.tables").fetchall())
    assert kinds["stg_observations"] == "BASE TABLE"
    assert con.execute("select * from metric_values order by all").fetchall() == before
    con.close()
