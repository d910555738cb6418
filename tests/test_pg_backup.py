"""Backup and restore of a PostgreSQL store, as docs/deploy.md (备份与恢复)
tells the administrator to do it: the nightly deploy/parkbench-backup.sh
(``pg_dump -Fc`` of the store's database), ``pg_restore`` into a new empty
database, the app pointed at it. Run for real on a throwaway PostgreSQL 15
(tools/postgres.py); the doc quotes the same commands (checked below). And
``parkbench backup`` / ``restore`` on a PostgreSQL URL copy nothing: they say
which commands to run."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from conftest import SAMPLE_C, SAMPLE_D, metric, run_cli, store_rows

from parkbench import store
from parkbench.ingest import parse_path
from parkbench.store import accounts, backup
from tools.postgres import LocalPostgres

PASSWORD = "correct horse 1"
REPO = Path(__file__).resolve().parent.parent
BACKUP_SCRIPT = REPO / "deploy" / "parkbench-backup.sh"
DUMP_COMMAND = 'pg_dump -Fc --dbname="$PARKBENCH_DB" -f "$file.partial"'  # the script's
RESTORE_COMMAND = ["pg_restore", "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges"]


@pytest.fixture(scope="module")
def server():
    with LocalPostgres() as pg:
        yield pg


def nightly_backup(url: str, folder: Path) -> Path:
    """deploy/parkbench-backup.sh, as parkbench-backup.service runs it: the dump it wrote."""
    env = {**os.environ, "PARKBENCH_DB": url, "PARKBENCH_BACKUP_DIR": str(folder), "PARKBENCH_BACKUP_DAYS": "30"}
    done = subprocess.run(["sh", str(BACKUP_SCRIPT)], env=env, check=True, capture_output=True, text=True, timeout=120)
    return Path(done.stdout.strip())


def pg_restore(url: str, dump) -> None:
    """docs/deploy.md: a backup restored into a new empty database, whole or not at all."""
    subprocess.run([*RESTORE_COMMAND, f"--dbname={url}", str(dump)],
                   check=True, capture_output=True, text=True, timeout=120)


def uploads(con):
    """Every upload as stored: number, file, who and when stored and undone, review state …"""
    result = con.execute("select * from uploads order by upload_id")
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def values(con):
    return con.execute("select * from observations order by all").fetchall()


def figures(con):
    return con.execute("select park, period, metric, value from metric_values "
                       "order by park, period, metric").fetchall()


def test_pg_dump_then_pg_restore_gives_the_same_store(server, tmp_path):
    url = server.new_database("backup_source")
    con = store.connect(url)
    for path in (SAMPLE_C, SAMPLE_D):
        store.save(con, parse_path(path), path.read_bytes())
    store_rows(con, [("甲园区", "tax", "2024-01", "month", 120), ("甲园区", "tax", "2024-02", "month", 60),
                     ("甲园区", "land_area", "2024-01", "stock", 30), ("甲园区", "land_area", "2024-02", "stock", 30)],
               file_name="甲.csv", by="jia")
    undone = store_rows(con, [("乙园区", "tax", "2024-01", "month", 5)], file_name="乙.csv").upload_id
    store.undo(con, undone, by="admin")
    accounts.put(accounts.ServerAccounts(url), "jia", accounts.UPLOAD, "甲填报员", ("甲园区",), PASSWORD)
    before_uploads, before_values, before_figures = uploads(con), values(con), figures(con)
    assert [(u["file_name"], u["undone_by"]) for u in before_uploads][2:] == [("甲.csv", None), ("乙.csv", "admin")]
    # 甲园区 2024-02: tax 120 + 60 = 180 万元 so far this year, over 30 亩: 6 万元/亩; × 12 ÷ 2 months = 36
    assert metric(con, "甲园区", "2024-02", "tax_per_mu") == pytest.approx(6.0)
    assert metric(con, "甲园区", "2024-02", "tax_per_mu_annual") == pytest.approx(36.0)
    con.close()

    dump = nightly_backup(url, tmp_path / "backups")
    assert dump.parent == tmp_path / "backups" and dump.name.startswith("parkbench-") and dump.suffix == ".dump"
    assert list(dump.parent.iterdir()) == [dump]  # no .partial left behind
    restored_url = server.new_database("backup_restored")
    pg_restore(restored_url, dump)

    restored = store.connect(restored_url)
    assert uploads(restored) == before_uploads
    assert values(restored) == before_values
    assert figures(restored) == before_figures and len(before_figures) > 100
    assert metric(restored, "甲园区", "2024-02", "tax_per_mu") == pytest.approx(6.0)
    known = accounts.load(accounts.ServerAccounts(restored_url))  # the accounts came along
    assert known["jia"].parks == ("甲园区",) and accounts.check_password(known["jia"], PASSWORD)
    # the restored store goes on: the next upload takes the next number
    next_id = store_rows(restored, [("丙园区", "tax", "2024-01", "month", 7)], file_name="丙.csv").upload_id
    assert next_id == max(u["upload_id"] for u in before_uploads) + 1
    restored.close()


def test_backup_and_restore_commands_on_postgresql_say_what_to_do_and_touch_nothing(server, tmp_path):
    url = server.new_database("backup_cli")
    con = store.connect(url)
    store_rows(con, [("甲园区", "tax", "2024-01", "month", 1)], file_name="甲.csv")
    con.close()
    with_password = url.replace("postgresql://postgres@", "postgresql://postgres:hunter2-secret@")  # trust: accepted

    out = run_cli("backup", str(tmp_path / "nightly.dump"), db=with_password)
    assert out.returncode == 1
    assert f"pg_dump -Fc --dbname={url} -f {tmp_path / 'nightly.dump'}" in out.stderr
    assert "docs/deploy.md" in out.stderr and "hunter2" not in out.stderr + out.stdout
    assert not (tmp_path / "nightly.dump").exists()
    out = run_cli("backup", str(tmp_path / "nightly.dump"), db=f"{url}?password=hunter3-secret")  # libpq's other way
    assert out.returncode == 1 and f"--dbname={url} " in out.stderr and "hunter3" not in out.stderr

    subprocess.run(["pg_dump", "-Fc", f"--dbname={url}", "-f", str(tmp_path / "nightly.dump")], check=True)
    out = run_cli("restore", str(tmp_path / "nightly.dump"), db=with_password)
    assert out.returncode == 1
    restored_url = url.replace("/backup_cli", "/backup_cli_restored")
    assert f"createdb --maintenance-db={url} backup_cli_restored" in out.stderr
    assert ("pg_restore --exit-on-error --single-transaction --no-owner --no-privileges "
            f"--dbname={restored_url} {tmp_path / 'nightly.dump'}") in out.stderr
    assert "PARKBENCH_DB" in out.stderr and "hunter2" not in out.stderr + out.stdout

    con = store.connect(url)
    assert [u["file_name"] for u in uploads(con)] == ["甲.csv"]  # the database as it was
    con.close()
    with pytest.raises(store.StoreError, match="backup_cli_restored"):  # no database was made either
        store.connect(restored_url)


def test_the_nightly_backup_keeps_thirty_days(server, tmp_path):
    url = server.new_database("backup_days")
    store.connect(url).close()
    folder = tmp_path / "backups"
    folder.mkdir()
    old, recent, other = folder / "parkbench-20200101-020000.dump", folder / "parkbench-recent.dump", folder / "notes.txt"
    for path, days in ((old, 31), (recent, 29), (other, 400)):
        path.write_bytes(b"x")
        os.utime(path, (time.time() - days * 86400,) * 2)
    written = nightly_backup(url, folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted([recent.name, other.name, written.name])


def test_the_deployment_doc_quotes_the_commands_tested_here():
    doc = (REPO / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert DUMP_COMMAND in BACKUP_SCRIPT.read_text(encoding="utf-8")
    assert DUMP_COMMAND in doc
    assert " ".join(RESTORE_COMMAND) + " --dbname=" in doc
    assert " ".join(RESTORE_COMMAND) + " --dbname=" in backup.server_restore_advice("postgresql://h/db", "x.dump")
