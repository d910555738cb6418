"""An app server on PostgreSQL takes in what another server stores by a
thread of its own (``store.follow_in_background``): within 5 s its figures are
the writer's, and no page run of its own had to ask."""

from __future__ import annotations

import gc
import time

import pytest
from conftest import SAMPLE_D

from parkbench import store
from parkbench.ingest import parse_path
from tools.postgres import LocalPostgres

FIGURES = "select park_id, metric, period, value from metric_values order by all"


@pytest.fixture(scope="module")
def server():
    with LocalPostgres() as running:
        yield running


def test_a_second_server_shows_a_stored_upload_within_five_seconds(server):
    url = server.new_database("follow")
    writer, reader = store.connect(url), store.connect(url)
    follower = store.follow_in_background(reader)
    assert follower is not None
    store.save(writer, parse_path(SAMPLE_D), SAMPLE_D.read_bytes())
    stored = time.monotonic()
    while store.data_version(reader.cursor()) != store.data_version(writer) and time.monotonic() - stored < 5:
        time.sleep(0.1)
    assert store.data_version(reader.cursor()) == store.data_version(writer)
    assert reader.cursor().execute(FIGURES).fetchall() == writer.execute(FIGURES).fetchall()
    reader.close()
    writer.close()
    follower.join(timeout=5)
    assert not follower.is_alive()  # the thread ends with the connection


def test_the_thread_ends_when_its_connection_is_dropped_unclosed(server):
    """As the app's cached connection is when the cache is cleared: the thread
    must not look on, at each look taking the writer lock a refresh of another
    connection then finds taken (its refresh said nothing changed)."""
    url = server.new_database("dropped")
    reader = store.connect(url)
    follower = store.follow_in_background(reader)
    del reader
    gc.collect()
    follower.join(timeout=5)
    assert not follower.is_alive()


def test_no_thread_on_a_duckdb_file(tmp_path):
    assert store.follow_in_background(store.connect(tmp_path / "county.duckdb")) is None
