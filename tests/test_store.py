"""The store: re-upload replaces, undo restores exactly, a refused file
changes nothing, and a database held by another process is named plainly."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
import pytest
from conftest import SAMPLE_C, metric, store_rows

from parkbench import store
from parkbench.ingest import IngestError, parse_file, parse_path

P = "测试园区"
pytestmark = pytest.mark.both_stores  # store tests: on DuckDB and on PostgreSQL (conftest)


def snapshot(con):
    return {
        "observations": con.execute(
            "select park_id, indicator, period, basis, value from stg_observations order by all").fetchall(),
        "metrics": con.execute("select park, period, metric, value from metric_values order by all").fetchall(),
    }


def test_reupload_replaces_without_duplicates(fresh_db):
    store_rows(fresh_db, [(P, "tax", "2023-01", "month", 10), (P, "land_area", "2023-01", "stock", 100)])
    store_rows(fresh_db, [(P, "tax", "2023-01", "month", 12)])
    rows = fresh_db.execute(
        "select value from stg_observations where indicator = 'tax'").fetchall()
    assert rows == [(12.0,)]
    assert metric(fresh_db, P, "2023-01", "tax_per_mu") == pytest.approx(0.12)


def test_same_file_twice_gives_the_same_metrics(loaded_db):
    before = snapshot(loaded_db)
    store.save(loaded_db, parse_path(SAMPLE_C), SAMPLE_C.read_bytes())
    assert snapshot(loaded_db) == before


def test_undo_restores_exactly_what_was_replaced(fresh_db):
    store_rows(fresh_db, [(P, "tax", "2023-01", "month", 10), (P, "land_area", "2023-01", "stock", 100)])
    before = snapshot(fresh_db)
    second = store_rows(fresh_db, [(P, "tax", "2023-01", "month", 12), (P, "tax", "2023-02", "month", 5)])
    assert snapshot(fresh_db) != before
    store.undo(fresh_db, second.upload_id)
    assert snapshot(fresh_db) == before


def test_undo_of_an_older_upload_keeps_later_values(fresh_db):
    first = store_rows(fresh_db, [(P, "tax", "2023-01", "month", 10)])
    store_rows(fresh_db, [(P, "tax", "2023-01", "month", 12)])
    store.undo(fresh_db, first.upload_id)
    assert fresh_db.execute("select value from stg_observations").fetchall() == [(12.0,)]


def test_undo_twice_is_refused(fresh_db):
    first = store_rows(fresh_db, [(P, "tax", "2023-01", "month", 10)])
    store.undo(fresh_db, first.upload_id)
    with pytest.raises(store.StoreError, match="已于"):
        store.undo(fresh_db, first.upload_id)
    with pytest.raises(store.StoreError, match="没有编号为 99"):
        store.undo(fresh_db, 99)


def test_refused_file_leaves_store_unchanged(loaded_db):
    before = snapshot(loaded_db)
    uploads = store.list_uploads(loaded_db)
    bad = "园区,统计期,指标,口径,数值,单位\n甲园区,2024-01,税收收入,本月,12,万元\n甲园区,2024-13,税收收入,本月,13,万元\n"
    with pytest.raises(IngestError) as err:
        store.save(loaded_db, parse_file(bad.encode(), "坏期间.csv"), bad.encode())
    message = str(err.value)
    assert "坏期间.csv" in message and "第 3 行" in message and "第 B 列" in message and "月份 13" in message
    assert snapshot(loaded_db) == before
    assert len(store.list_uploads(loaded_db)) == len(uploads)


def test_failure_inside_the_transaction_rolls_back(loaded_db, monkeypatch):
    before = snapshot(loaded_db)
    parsed = parse_path(SAMPLE_C)
    parsed.observations.loc[0, "value"] = 999999.0

    def broken(con, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("parkbench.models.sql.build_tables", broken)
    with pytest.raises(RuntimeError):
        store.save(loaded_db, parsed, b"x")
    assert snapshot(loaded_db) == before


def test_park_names_fold_to_one_identity(fresh_db):
    store_rows(fresh_db, [("確山縣產業集聚區", "tax", "2023-01", "month", 1)])
    store_rows(fresh_db, [("确山 县产业集聚区", "tax", "2023-02", "month", 2)])
    store_rows(fresh_db, [("寻甸产业园区", "tax", "2023-01", "month", 3)])  # alias in the registry
    names = [r[0] for r in fresh_db.execute(
        "select distinct p.name from stg_observations join parks p using (park_id) order by 1").fetchall()]
    assert names == ["寻甸特色产业园区", "确山县产业集聚区"]


def test_busy_database_is_named_in_one_sentence(tmp_path):
    db = tmp_path / "held.duckdb"
    store.connect(db).close()
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, sys, time
        con = duckdb.connect({str(db)!r})
        print("ready", flush=True)
        time.sleep(30)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        out = subprocess.run([sys.executable, "-m", "parkbench", "uploads", "--db", str(db)],
                             capture_output=True, text=True)
        assert out.returncode == 1
        assert "正被另一个进程" in out.stderr and "Traceback" not in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1
    finally:
        holder.kill()
        holder.wait()


def test_schema_version_recorded(fresh_db):
    assert fresh_db.execute("select max(version) from schema_migrations").fetchall()[0][0] >= 1
    assert isinstance(fresh_db, duckdb.DuckDBPyConnection)


def test_store_memory_is_capped(monkeypatch, tmp_path):
    """DuckDB's memory is capped per database, from the settings (768 MB unless raised)."""
    from parkbench import limits

    con = store.connect(tmp_path / "capped.duckdb")
    assert con.execute("select current_setting('memory_limit')").fetchall() == [("732.4 MiB",)]  # 768 MB
    con.close()
    monkeypatch.setattr(limits, "STORE_MEMORY_MB", 2000)
    con = store.connect(":memory:")
    assert con.execute("select current_setting('memory_limit')").fetchall() == [("1.8 GiB",)]  # 2,000 MB
    con.close()
