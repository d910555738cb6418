"""export.write_file: the metrics export DuckDB writes itself (CSV, JSON) or
streams (XLSX) — formula-safe, whole or not at all, every row kept."""

from __future__ import annotations

import json

import openpyxl
import pytest
from conftest import SAMPLE_D, run_cli, store_rows

from parkbench.models import sql
from parkbench.output import export

ALL = {"parks": None, "start": None, "end": None}


@pytest.fixture
def formula_park(fresh_db):
    """One park named like a formula: tax 12 万元 in January 2024 on 100 亩."""
    store_rows(fresh_db, [("=SUM(A1)", "tax", "2024-01", "month", 12), ("=SUM(A1)", "land_area", "2024-01", "stock", 100)])
    return fresh_db


def test_csv_has_bom_header_and_no_formula_start(formula_park, tmp_path):
    out = tmp_path / "m.csv"
    export.write_file(formula_park, sql.load("reads/metric_export"), ALL, "csv", out)
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfpark,period,metric,value\n")
    lines = data.decode("utf-8-sig").splitlines()
    assert "'=SUM(A1),2024-01,tax_per_mu,0.12" in lines  # 12 万元 ÷ 100 亩
    assert "'=SUM(A1),2024-01,output_per_mu," in lines  # no output reported: empty, never 0
    assert not any(line.startswith("=") for line in lines)


def test_json_keeps_the_name_and_nulls(formula_park, tmp_path):
    out = tmp_path / "m.json"
    export.write_file(formula_park, sql.load("reads/metric_export"), ALL, "json", out)
    rows = json.loads(out.read_text(encoding="utf-8"))
    by_metric = {r["metric"]: r for r in rows}
    assert by_metric["tax_per_mu"] == {"park": "=SUM(A1)", "period": "2024-01", "metric": "tax_per_mu", "value": 0.12}
    assert by_metric["output_per_mu"]["value"] is None


def test_xlsx_continues_on_a_new_sheet_when_one_is_full(formula_park, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 4)  # a header and three rows a sheet
    out = tmp_path / "m.xlsx"
    export.write_file(formula_park, sql.load("reads/metric_export"), ALL, "xlsx", out, "指标")
    expected = formula_park.execute("select park, strftime(period, '%Y-%m'), metric, value from metric_values "
                                    "order by park, period, metric").fetchall()
    book = openpyxl.load_workbook(out)
    sheets = book.worksheets
    assert len(expected) > 6 and len(sheets) == -(-len(expected) // 3)
    assert [s.title for s in sheets[:3]] == ["指标", "指标 (2)", "指标 (3)"]
    written = []
    for sheet in sheets:
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0] == ("park", "period", "metric", "value")
        written += rows[1:]
    assert written == [tuple(r) for r in expected]
    assert sheets[0].cell(row=2, column=1).data_type == "s"  # the formula-like name stays text


def test_a_failed_export_leaves_no_file(formula_park, tmp_path, monkeypatch):
    out = tmp_path / "m.xlsx"

    def fail_halfway(result, columns, path, sheet_name):
        path.write_bytes(b"PK half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "_write_xlsx", fail_halfway)
    with pytest.raises(OSError):
        export.write_file(formula_park, sql.load("reads/metric_export"), ALL, "xlsx", out)
    assert list(tmp_path.iterdir()) == []


def test_an_output_folder_that_does_not_exist_is_explained(tmp_path):
    db = tmp_path / "cli.duckdb"
    assert run_cli("ingest", str(SAMPLE_D), db=db).returncode == 0
    out = run_cli("metrics", "--format", "csv", "--out", str(tmp_path / "无此目录" / "m.csv"), db=db)
    assert out.returncode == 1
    assert "无法写入输出文件" in out.stderr and "无此目录" in out.stderr and "Traceback" not in out.stderr
