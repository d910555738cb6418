"""The store on PostgreSQL (parkbench/store/postgres.py) as several app
servers and commands share it: two connections on one database stand for two
servers. What one stores the other shows after ``store.refresh``, with the
same figures (and the same as a full rebuild); an undo or a review on either
is seen by the other, and one already done elsewhere is refused; a write that
fails leaves PostgreSQL as it was (rows counted in PostgreSQL itself); writes
from two processes at once all land, with distinct upload numbers; the command
line's upload is seen by a server; a store written by an older schema is
migrated. The other store tests run on PostgreSQL too (conftest ``both_stores``)."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import psycopg
import pytest
from conftest import SAMPLE_C, SAMPLE_D, metric, run_cli, store_enterprise_samples, store_rows
from test_incremental import assert_equals_full_rebuild, generated_uploads

from parkbench import store
from parkbench.errors import AlreadyReviewed, AlreadyUndone
from parkbench.ingest import parse_path
from parkbench.models import sql
from parkbench.store import postgres

P = "甲园区"
# 甲园区, January 2024: 100 亩, 税收 10 万元 → 亩均税收 10 / 100 = 0.1 万元/亩.
JANUARY = [(P, "tax", "2024-01", "month", 10), (P, "land_area", "2024-01", "stock", 100)]
TABLES = [sql.model_name(name) for name, kind in sql.MODELS if kind == "table"]


@pytest.fixture
def url(new_db):
    """A fresh PostgreSQL database (this module runs on PostgreSQL only)."""
    return new_db("shared")


@pytest.fixture(autouse=True)
def refresh_at_once(monkeypatch):
    """A server looks at PostgreSQL at most once a second; here at every refresh."""
    monkeypatch.setattr(postgres, "REFRESH_EVERY", 0.0)


@pytest.fixture
def two(url):
    """Two servers on one database: each its own connection (and DuckDB copy)."""
    first, second = store.connect(url), store.connect(url)
    yield first, second
    first.close()
    second.close()


@pytest.fixture(scope="module")
def store_kind():
    return "postgres"


def counts_in_postgres(url: str) -> dict[str, int]:
    """Rows PostgreSQL itself holds, read without ParkBench."""
    with psycopg.connect(url) as pg:
        return {table: pg.execute(f"select count(*) from {table}").fetchone()[0]  # names written here
                for table in ("uploads", "observations_all", "upload_reviews", "upload_warnings", "parks",
                              "parkbench_state")} | {
            "version": pg.execute("select version from parkbench_state").fetchone()[0]}


def rows(con, table: str) -> list[tuple]:
    return con.execute(f"select * from {table} order by all").fetchall()


def same_tables(one, other, tables=(*TABLES, "metric_values", "uploads", "parks")) -> None:
    """The tables hold the same rows on both servers (sums of floats equal to
    the last digits: DuckDB adds in no fixed order)."""
    for table in tables:
        mine, theirs = (con.execute(f"select * from {table}").df() for con in (one, other))
        keys = [c for c in mine.columns if not pd.api.types.is_float_dtype(mine[c])]
        mine, theirs = (frame.sort_values(keys).reset_index(drop=True) for frame in (mine, theirs))
        pd.testing.assert_frame_equal(mine, theirs, check_exact=False, rtol=1e-12, obj=table)


# ---------------------------------------------------------------- two servers

def test_a_save_on_one_server_shows_on_the_other_after_refresh(two):
    writer, reader = two
    store_rows(writer, JANUARY)
    assert reader.execute("select count(*) from metric_values").fetchall() == [(0,)]  # not refreshed yet
    assert store.refresh(reader) is True
    assert metric(reader, P, "2024-01", "tax_per_mu") == pytest.approx(0.1)
    same_tables(writer, reader)
    assert store.refresh(reader) is False  # nothing new


def test_an_undo_on_the_other_server_is_seen_by_the_first(two):
    writer, other = two
    first = store_rows(writer, JANUARY)
    second = store_rows(writer, [(P, "tax", "2024-01", "month", 30)])  # 30 / 100 = 0.3
    store.refresh(other)
    assert metric(other, P, "2024-01", "tax_per_mu") == pytest.approx(0.3)
    store.undo(other, second.upload_id, by="乙")
    assert metric(other, P, "2024-01", "tax_per_mu") == pytest.approx(0.1)  # January's 10 again
    assert store.refresh(writer) is True
    assert metric(writer, P, "2024-01", "tax_per_mu") == pytest.approx(0.1)
    undone = store.list_uploads(writer, include_undone=True).set_index("id")
    assert undone.loc[second.upload_id, "undone_by"] == "乙" and pd.isna(undone.loc[first.upload_id, "undone_at"])
    same_tables(writer, other)


def test_an_undo_done_on_the_other_server_is_refused_not_done_twice(two, url):
    """The second server's copy still shows the upload in force (not refreshed):
    its undo must be told it is done already, as on one server."""
    one, other = two
    upload = store_rows(one, JANUARY)
    store.refresh(other)
    store.undo(one, upload.upload_id, by="甲")
    before = counts_in_postgres(url)
    with pytest.raises(AlreadyUndone, match="撤销过"):
        store.undo(other, upload.upload_id, by="乙")
    assert counts_in_postgres(url) == before
    assert store.list_uploads(other, include_undone=True)["undone_by"].tolist() == ["甲"]


def test_a_return_on_the_other_server_is_not_approved_over(two, url):
    one, other = two
    waiting = store_rows(one, JANUARY, by="jia", pending=True)
    store.refresh(other)
    store.return_upload(one, waiting.upload_id, "口径不符", by="admin")
    before = counts_in_postgres(url)
    with pytest.raises(AlreadyReviewed, match="已退回"):
        store.approve(other, waiting.upload_id, by="admin2")
    assert counts_in_postgres(url) == before
    assert store.review_status(other, waiting.upload_id) == "returned"
    assert other.execute("select count(*) from metric_values").fetchall() == [(0,)]  # never in force


def test_the_other_servers_copy_equals_a_full_rebuild_after_each_refresh(two):
    """The reader rebuilds only the parks (and months) the writer's uploads
    rebuilt (parkbench_changes): after every few writes its tables must be
    what the models give over all the data, and the writer's."""
    writer, reader = two
    uploads = generated_uploads(7)
    results = []
    for n, parsed in enumerate(uploads, 1):
        results.append(store.save(writer, parsed, parsed.file_name.encode()))
        if n % 7 == 0:
            assert store.refresh(reader)
            assert_equals_full_rebuild(reader)
    store.undo(writer, results[-1].upload_id)
    store.undo(writer, results[5].upload_id)
    assert store.refresh(reader)
    assert_equals_full_rebuild(reader)
    same_tables(writer, reader)


def test_the_other_servers_copy_of_enterprise_uploads_equals_the_writers(two, url):
    writer, reader = two
    store_enterprise_samples(url)  # a third connection, as the command line would
    assert store.refresh(reader) and store.refresh(writer)
    assert reader.execute("select count(*) from enterprise_observations").fetchall()[0][0] > 0
    assert_equals_full_rebuild(reader, nonempty=False)
    same_tables(writer, reader)
    same_tables(writer, reader, ("enterprise_metric_values", "enterprises", "enterprise_observations"))


# ---------------------------------------------------------------- a failed write changes nothing

def test_an_exception_inside_a_transaction_leaves_postgres_unchanged(two, url):
    con, other = two
    store_rows(con, JANUARY)
    before, copy_before = counts_in_postgres(url), rows(con, "observations_all")
    with pytest.raises(RuntimeError, match="断电"):
        with store.transaction(con, "测试"):
            con.execute("insert into observations_all select * replace (upload_id + 100 as upload_id) "
                        "from observations_all")
            con.execute("delete from uploads")
            raise RuntimeError("断电")
    assert counts_in_postgres(url) == before
    assert rows(con, "observations_all") == copy_before
    assert store.refresh(other) and len(rows(other, "observations_all")) == 2  # what was stored before
    store_rows(con, [(P, "tax", "2024-02", "month", 20)])  # the connection writes on: (10 + 20) / 100
    assert counts_in_postgres(url)["uploads"] == before["uploads"] + 1
    store.refresh(other)
    assert metric(other, P, "2024-02", "tax_per_mu") == pytest.approx(0.3)


def test_a_failure_while_sending_to_postgres_leaves_it_unchanged(two, url, monkeypatch):
    """The second table sent fails: the first one's rows must not stay in PostgreSQL."""
    con, other = two
    store_rows(con, JANUARY)
    before = counts_in_postgres(url)
    real_send, sent = postgres.Mirror._send, []

    def failing_second(self, con, cur, table):
        sent.append(table)
        if len(sent) == 2:
            raise psycopg.OperationalError("连接中断")
        return real_send(self, con, cur, table)

    monkeypatch.setattr(postgres.Mirror, "_send", failing_second)
    with pytest.raises(store.StoreError, match="连接中断"):
        store_rows(con, [(P, "tax", "2024-02", "month", 20), ("乙园区", "tax", "2024-02", "month", 5)])
    assert len(sent) == 2
    assert counts_in_postgres(url) == before
    monkeypatch.setattr(postgres.Mirror, "_send", real_send)
    assert store.find_park(con, "乙园区") is None
    again = store_rows(con, [(P, "tax", "2024-02", "month", 20)])
    store.refresh(other)
    assert metric(other, P, "2024-02", "tax_per_mu") == pytest.approx(0.3)
    assert store.list_uploads(other)["id"].tolist() == [1, again.upload_id]


# ---------------------------------------------------------------- several processes

WRITER = textwrap.dedent("""
    import datetime as dt, sys
    import pandas as pd
    from parkbench import store
    from parkbench.ingest.model import GROWTH_COLUMNS, INDUSTRY_COLUMNS, Parsed, empty_frame

    url, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    con = store.connect(url)
    print("ready", flush=True)
    sys.stdin.readline()  # released together with the other writer
    for n in range(count):
        park = f"{name}园区{n}"
        rows = pd.DataFrame([(park, "tax", dt.date(2024, 1, 1), "month", 10.0 + n)],
                            columns=["park", "indicator", "period", "basis", "value"])
        parsed = Parsed(f"{park}.csv", "C", rows, empty_frame(GROWTH_COLUMNS), empty_frame(INDUSTRY_COLUMNS))
        print(store.save(con, parsed, park.encode()).upload_id, flush=True)
""")


def server_connections(url: str) -> int:
    """Connections to this database other than the one counting them."""
    with psycopg.connect(url) as pg:
        return pg.execute("select count(*) from pg_stat_activity "
                          "where datname = current_database() and pid <> pg_backend_pid()").fetchone()[0]


def test_a_closed_store_leaves_no_connection_to_the_server(url):
    """A process that connects again and again (a command's tests, a script)
    holds no server connections for the copies it dropped."""
    for _ in range(3):
        con = store.connect(url)
        store_rows(con, JANUARY)  # a write and its reads: both connections opened
        con.close()
        del con
    gc.collect()
    assert server_connections(url) == 0


def test_two_processes_writing_at_once_all_land(url):
    """Two processes (servers) open the same empty database at once, then each
    stores six uploads while the other does: twelve uploads, twelve numbers."""
    root = str(Path(__file__).resolve().parent.parent)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, url, name, "6"], cwd=root, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for name in ("东", "西")]
    try:
        for writer in writers:
            assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
        for writer in writers:
            writer.stdin.write("go\n")
            writer.stdin.flush()
        outputs = [writer.communicate(timeout=300) for writer in writers]
    finally:
        for writer in writers:
            writer.kill()
    assert [w.returncode for w in writers] == [0, 0], [err for _, err in outputs]
    ids = [int(line) for out, _ in outputs for line in out.split()]
    assert len(ids) == 12 and len(set(ids)) == 12
    assert counts_in_postgres(url)["uploads"] == 12 and counts_in_postgres(url)["observations_all"] == 12
    con = store.connect(url)
    stored = dict(con.execute("select p.name, o.value from observations o join parks p using (park_id)").fetchall())
    assert stored == {f"{name}园区{n}": 10.0 + n for name in ("东", "西") for n in range(6)}
    con.close()


def test_the_command_lines_upload_is_seen_by_a_server(url):
    server = store.connect(url)
    out = run_cli("ingest", str(SAMPLE_C), str(SAMPLE_D), db=url)
    assert out.returncode == 0, out.stderr
    assert store.refresh(server)
    alone = store.connect(":memory:")  # the same files on an embedded store
    for path in (SAMPLE_C, SAMPLE_D):
        store.save(alone, parse_path(path), path.read_bytes())
    figures = "select park, period, metric, value from metric_values order by all"
    assert server.execute(figures).fetchall() == alone.execute(figures).fetchall()
    assert json.loads(run_cli("uploads", "--format", "json", db=url).stdout)[0]["file"] == SAMPLE_C.name
    assert len(store.list_uploads(server)) == 2
    server.close()
    alone.close()


# ---------------------------------------------------------------- an older schema

def test_a_store_written_by_schema_ten_is_migrated_on_postgres(url):
    """A PostgreSQL store written before schema 011 (park rows in observations,
    uploads without a review state) opens with the current schema: its rows
    move to observations_all, its upload counts as approved, the figures hold."""
    import duckdb

    def version_ten(con) -> None:
        store.apply_schema(con, upto=10)
        con.execute("insert into parks (name) values ('甲园区')")
        con.execute("insert into park_aliases select '甲园区', park_id from parks")
        con.execute("insert into uploads (upload_id, file_name, sha256, row_count) values (1, '一月.csv', 'x', 2)")
        con.execute("insert into observations select p.park_id, v.* from parks p, (values "
                    "('tax', date '2024-01-01', 'month', 10.0, 1), "
                    "('land_area', date '2024-01-01', 'stock', 100.0, 1)) v where p.name = '甲园区'")

    postgres.open_store(url, None, lambda target: duckdb.connect(target), store.apply_schema, version_ten).close()
    with psycopg.connect(url) as pg:
        assert pg.execute("select max(version) from schema_migrations").fetchone()[0] == 10
        assert pg.execute("select count(*) from observations").fetchone()[0] == 2
    con = store.connect(url)
    assert metric(con, P, "2024-01", "tax_per_mu") == pytest.approx(0.1)  # 10 / 100
    assert store.review_status(con, 1) == "approved"
    con.close()
    with psycopg.connect(url) as pg:
        assert pg.execute("select max(version) from schema_migrations").fetchone()[0] == 11
        assert pg.execute("select to_regclass('observations')").fetchone()[0] is None
        assert pg.execute("select count(*) from observations_all").fetchone()[0] == 2
        assert pg.execute("select review_status from uploads").fetchall() == [("approved",)]
    again = store.connect(url)  # a server opening the migrated store
    assert metric(again, P, "2024-01", "tax_per_mu") == pytest.approx(0.1)
    again.close()
