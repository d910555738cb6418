"""``python -m parkbench copy-store FILE --db URL``: a county's database file
moved onto the province's PostgreSQL whole: uploads, rows, figures, upload
numbers going on; refused into a store that already holds uploads."""

from __future__ import annotations

import pytest
from conftest import SAMPLE_C, SAMPLE_D, run_cli

from parkbench import store
from parkbench.ingest import parse_path
from tools.postgres import LocalPostgres

FIGURES = "select p.name, metric, period, value from metric_values join parks p using (park_id) order by all"


@pytest.fixture(scope="module")
def server():
    with LocalPostgres() as running:
        yield running


def test_a_file_store_copied_onto_postgres_keeps_every_figure(server, tmp_path):
    county = tmp_path / "county.duckdb"
    con = store.connect(county)
    for path in (SAMPLE_C, SAMPLE_D):
        store.save(con, parse_path(path), path.read_bytes())
    store.undo(con, 1)
    expected = con.execute(FIGURES).fetchall()
    uploads = con.execute("select upload_id, file_name, undone_at is not null from uploads order by 1").fetchall()
    con.close()

    url = server.new_database("copied")
    done = run_cli("copy-store", str(county), db=url)
    assert done.returncode == 0, done.stderr
    assert "已复制" in done.stdout

    copied = store.connect(url)
    assert copied.execute(FIGURES).fetchall() == expected
    assert copied.execute("select upload_id, file_name, undone_at is not null from uploads order by 1").fetchall() \
        == uploads
    assert store.save(copied, parse_path(SAMPLE_C), SAMPLE_C.read_bytes()).upload_id == 3

    again = run_cli("copy-store", str(county), db=url)
    assert again.returncode == 1
    assert "目标数据库已有上传记录" in again.stderr
