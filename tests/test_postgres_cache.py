"""A server's copy of the PostgreSQL store kept in a file of its own
(``PARKBENCH_CACHE``): a restart takes up the copy and reloads only what other
servers stored meanwhile, with the same figures as a copy built from nothing;
a cache of another store, or newer than the store, is thrown away."""

from __future__ import annotations

import pytest
from conftest import SAMPLE_C, SAMPLE_D

from parkbench import store
from parkbench.ingest import parse_path
from tools.postgres import LocalPostgres

FIGURES = "select park_id, metric, period, value from metric_values order by all"


@pytest.fixture(scope="module")
def server():
    with LocalPostgres() as running:
        yield running


def save(con, path):
    return store.save(con, parse_path(path), path.read_bytes())


def cached(url, cache, monkeypatch):
    monkeypatch.setenv("PARKBENCH_CACHE", str(cache))
    try:
        return store.connect(url)
    finally:
        monkeypatch.delenv("PARKBENCH_CACHE")


def test_a_restart_reloads_only_what_changed_and_matches_a_fresh_copy(server, tmp_path, monkeypatch):
    url = server.new_database("cache_restart")
    first = cached(url, tmp_path / "server-a.duckdb", monkeypatch)
    save(first, SAMPLE_C)
    first.execute("create schema sentinel; create table sentinel.kept as select 1 as one")  # not a stored table
    first.close()  # server A stops

    other = store.connect(url)  # server B stores while A is down
    save(other, SAMPLE_D)
    store.undo(other, 1)
    other.close()

    again = cached(url, tmp_path / "server-a.duckdb", monkeypatch)
    fresh = store.connect(url)
    assert again.execute("select upload_id, undone_at is not null from uploads order by 1").fetchall() == \
        [(1, True), (2, False)]
    assert again.execute(FIGURES).fetchall() == fresh.execute(FIGURES).fetchall()
    assert again.execute("select count(*) from metric_values").fetchall()[0][0] > 0
    assert again.execute("select * from sentinel.kept").fetchall() == [(1,)]  # the file was taken up, not remade
    # and it writes on: upload numbers continue from PostgreSQL's
    assert save(again, SAMPLE_C).upload_id == 3


def test_a_cache_of_another_store_is_thrown_away(server, tmp_path, monkeypatch):
    cache = tmp_path / "server.duckdb"
    one = cached(server.new_database("cache_one"), cache, monkeypatch)
    save(one, SAMPLE_C)
    one.execute("create schema sentinel")
    one.close()
    two = cached(server.new_database("cache_two"), cache, monkeypatch)
    assert two.execute("select count(*) from uploads").fetchall() == [(0,)]
    assert two.execute("select count(*) from observations_all").fetchall() == [(0,)]
    assert two.execute("select count(*) from duckdb_schemas() where schema_name = 'sentinel'").fetchall() == [(0,)]


def test_a_cache_held_by_another_process_is_not_shared(server, tmp_path, monkeypatch):
    url = server.new_database("cache_busy")
    cache = tmp_path / "busy.duckdb"
    holder = cached(url, cache, monkeypatch)
    save(holder, SAMPLE_D)
    second = cached(url, cache, monkeypatch)  # same process here; another process would be refused the lock alike
    assert second.execute("select count(*) from uploads").fetchall() == [(1,)]
