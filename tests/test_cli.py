"""The command-line contract of metrics.md: shapes, exit codes, messages."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from conftest import SAMPLE_C, SAMPLE_D, run_cli

cli = run_cli


@pytest.fixture
def db(tmp_path):
    return tmp_path / "cli.duckdb"


def test_ingest_prints_one_summary_line_per_file(db):
    out = cli("ingest", str(SAMPLE_C), str(SAMPLE_D), db=db)
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stdout.strip().splitlines() if not line.startswith("警告")]  # data checks
    assert len(lines) == 2
    assert "凤城经济开发区" in lines[0] and "2023-01～2024-12" in lines[0]
    assert "确山县产业集聚区" in lines[1]


def test_metrics_json_shape(db):
    cli("ingest", str(SAMPLE_D), db=db)
    out = cli("metrics", "--format", "json", "--park", "確山縣產業集聚區", "--from", "2024-01", "--to", "2024-03", db=db)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert rows and all(set(r) == {"park", "period", "metric", "value"} for r in rows)
    assert {r["park"] for r in rows} == {"确山县产业集聚区"}
    assert {r["period"] for r in rows} == {"2024-01", "2024-02", "2024-03"}
    assert all(r["value"] is None or isinstance(r["value"], float) for r in rows)
    keys = [(r["park"], r["period"], r["metric"]) for r in rows]
    assert len(keys) == len(set(keys))
    tax = next(r for r in rows if r["period"] == "2024-01" and r["metric"] == "tax_per_mu")
    assert tax["value"] == pytest.approx(1151.9 / 15000)


def test_uploads_json_oldest_first_and_undo(db):
    cli("ingest", str(SAMPLE_C), db=db)
    cli("ingest", str(SAMPLE_D), db=db)
    uploads = json.loads(cli("uploads", "--format", "json", db=db).stdout)
    assert [u["file"] for u in uploads] == [SAMPLE_C.name, SAMPLE_D.name]
    assert all(set(u) == {"id", "file", "at", "rows"} for u in uploads)
    assert uploads[0]["rows"] == 101
    undo = cli("undo", str(uploads[1]["id"]), db=db)
    assert undo.returncode == 0 and "已撤销" in undo.stdout
    remaining = json.loads(cli("uploads", "--format", "json", db=db).stdout)
    assert [u["id"] for u in remaining] == [uploads[0]["id"]]
    parks = {r["park"] for r in json.loads(cli("metrics", db=db).stdout)}
    assert parks == {"凤城经济开发区"}


def test_refused_file_exits_1_with_location_and_no_traceback(db, tmp_path):
    bad = tmp_path / "坏数.csv"
    bad.write_text("园区,统计期,指标,口径,数值,单位\n甲园区,2024-01,税收收入,本月,十二,万元\n", encoding="utf-8")
    out = cli("ingest", str(bad), db=db)
    assert out.returncode == 1
    assert "坏数.csv" in out.stderr and "第 2 行" in out.stderr and "第 E 列（数值）" in out.stderr
    assert "Traceback" not in out.stderr
    assert json.loads(cli("uploads", "--format", "json", db=db).stdout) == []


def test_csv_export_never_starts_a_formula(db, tmp_path):
    evil = tmp_path / "evil.csv"
    evil.write_text("园区,统计期,指标,口径,数值,单位\n\"=HYPERLINK(\"\"http://x\"\")\",2024-01,税收收入,本月,12,万元\n",
                    encoding="utf-8")
    assert cli("ingest", str(evil), db=db).returncode == 0
    out = cli("metrics", "--format", "csv", db=db)
    rows = list(csv.reader(io.StringIO(out.stdout.lstrip("\ufeff"))))
    parks = {r[0] for r in rows[1:]}
    assert parks == {"'=HYPERLINK(\"http://x\")"}


def test_xlsx_export_writes_text_cells(db, tmp_path):
    import openpyxl

    evil = tmp_path / "evil.csv"
    evil.write_text("园区,统计期,指标,口径,数值,单位\n=1+1,2024-01,税收收入,本月,12,万元\n", encoding="utf-8")
    cli("ingest", str(evil), db=db)
    target = tmp_path / "out.xlsx"
    assert cli("metrics", "--format", "xlsx", "--out", str(target), db=db).returncode == 0
    sheet = openpyxl.load_workbook(target).active
    cell = sheet.cell(row=2, column=1)
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_bad_period_option_is_explained(db):
    out = cli("metrics", "--from", "March", db=db)
    assert out.returncode == 1 and "YYYY-MM" in out.stderr


def test_database_from_environment(tmp_path):
    import os

    env = {**os.environ, "PARKBENCH_DB": str(tmp_path / "env.duckdb")}
    out = subprocess.run([sys.executable, "-m", "parkbench", "ingest", str(SAMPLE_D)], capture_output=True,
                         text=True, env=env)
    assert out.returncode == 0
    assert (tmp_path / "env.duckdb").exists()
