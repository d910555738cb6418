"""Backup, restore and export through the CLI, as an administrator runs them:
a backup taken while another process holds the database (the app) is
consistent, backup → restore gives identical metrics, restore refuses while
the database is in use, and the export re-imports to the same store."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, run_cli

from parkbench import store
from parkbench.ingest import parse_file, parse_path
from parkbench.store import backup

SAMPLES = sorted(FIXTURES.glob("[A-E]_*"))
HOSTILE = "=HYPERLINK(\"http://x\")园区"


def metric_rows(db: Path) -> list[tuple]:
    con = store.connect(db)
    try:
        return sorted(con.execute("select park, period, metric, value from metric_values").fetchall())
    finally:
        con.close()


def loaded(db: Path, files=SAMPLES) -> None:
    done = run_cli("ingest", *map(str, files), db=db)
    assert done.returncode == 0, done.stderr


def test_backup_then_restore_gives_identical_metrics(tmp_path):
    db = tmp_path / "park.duckdb"
    loaded(db)
    before = metric_rows(db)
    assert len(before) > 1000
    done = run_cli("backup", str(tmp_path / "备份.duckdb"), db=db)
    assert done.returncode == 0 and "已备份到" in done.stdout, done.stderr

    # after the backup: one upload undone, another file stored
    assert run_cli("undo", "1", db=db).returncode == 0
    assert metric_rows(db) != before

    done = run_cli("restore", str(tmp_path / "备份.duckdb"), db=db)
    assert done.returncode == 0 and "已从" in done.stdout, done.stderr
    assert metric_rows(db) == before
    kept = list(tmp_path.glob("park.duckdb.before-restore-*"))
    assert len(kept) == 1  # the replaced database is kept, not lost
    assert metric_rows(kept[0]) != before


HOLDER = """
import sys, time
from pathlib import Path
from parkbench import store
from parkbench.ingest import parse_path
con = store.connect(sys.argv[1])
path = Path(sys.argv[2])
store.save(con, parse_path(path), path.read_bytes())
print("stored", flush=True)
time.sleep(120)
"""


def test_backup_while_another_process_holds_the_database(tmp_path):
    db = tmp_path / "app.duckdb"
    loaded(db, SAMPLES[:2])
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), str(SAMPLES[2])], stdout=subprocess.PIPE,
                              text=True, cwd=Path(__file__).resolve().parent.parent)
    try:
        assert holder.stdout.readline().strip() == "stored"
        assert "占用" in run_cli("uploads", db=db).stderr  # the database really is held
        done = run_cli("backup", str(tmp_path / "copy.duckdb"), db=db)
        assert done.returncode == 0, done.stderr
        refused = run_cli("restore", str(tmp_path / "copy.duckdb"), db=db)
        assert refused.returncode == 1 and "请先停止应用再恢复" in refused.stderr
        assert "Traceback" not in refused.stderr
    finally:
        holder.kill()
        holder.wait()
    copy = store.connect(tmp_path / "copy.duckdb")
    files = [r[0] for r in copy.execute("select file_name from uploads order by upload_id").fetchall()]
    copy.close()
    assert files == [p.name for p in SAMPLES[:3]]  # includes the holder's committed upload
    assert metric_rows(tmp_path / "copy.duckdb") == metric_rows(db)


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    db = tmp_path / "park.duckdb"
    loaded(db, SAMPLES[:1])
    before = metric_rows(db)
    (tmp_path / "坏.duckdb").write_bytes(b"not a database")
    done = run_cli("restore", str(tmp_path / "坏.duckdb"), db=db)
    assert done.returncode == 1 and "备份文件无法打开" in done.stderr and "Traceback" not in done.stderr
    assert metric_rows(db) == before


def test_export_reimports_to_the_same_store(tmp_path):
    db = tmp_path / "park.duckdb"
    loaded(db)
    con = store.connect(db)
    hostile = f"园区,统计期,指标,口径,数值,单位\n{HOSTILE},2024-01,税收,本月,12.5,万元\n".encode()
    store.save(con, parse_file(hostile, "hostile.csv"), hostile)
    con.close()
    out = tmp_path / "导出.xlsx"
    done = run_cli("export", str(out), db=db)
    assert done.returncode == 0, done.stderr

    again = tmp_path / "again.duckdb"
    done = run_cli("ingest", str(out), db=again)
    assert done.returncode == 0, done.stderr
    queries = [
        "select p.name, indicator, period, basis, value from stg_observations join parks p using (park_id)",
        "select p.name, indicator, period, basis, value from stg_reported_growth join parks p using (park_id)",
        "select p.name, period, industry, is_leading, output, firms from stg_industries join parks p using (park_id)",
        "select park, period, metric, value from metric_values",
    ]
    first, second = store.connect(db), store.connect(again)
    try:
        for query in queries:
            original = sorted(first.execute(query).fetchall())
            assert original, query
            assert sorted(second.execute(query).fetchall()) == original, query
        assert store.find_park(second, HOSTILE) is not None  # the name came back literally
    finally:
        first.close()
        second.close()
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in s or b"<f " in s for s in sheets)  # no cell is a formula


def test_export_keeps_seventeen_digit_values(fresh_db):
    from conftest import store_rows

    store_rows(fresh_db, [("甲园区", "tax", "2024-01", "month", 14511.300000000001)])
    parsed = parse_file(backup.export_workbook(fresh_db), "export.xlsx")
    assert parsed.observations["value"].tolist() == [14511.300000000001]


def test_backup_of_missing_database_is_refused(tmp_path):
    done = run_cli("backup", str(tmp_path / "b.duckdb"), db=tmp_path / "none.duckdb")
    assert done.returncode == 1 and "不存在" in done.stderr


@pytest.fixture(autouse=True)
def _samples_present():
    assert len(SAMPLES) == 5, SAMPLES
    assert parse_path(SAMPLES[0]).value_count > 0
