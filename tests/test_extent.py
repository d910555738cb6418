"""No file takes the server down: far cells, wide sheets and reader failures
end in a Chinese refusal naming the sheet and extent, fast and small, and a
reader that crashes, runs out of memory or hangs fails only its worker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from parkbench import isolate, limits, preview
from parkbench.ingest import IngestError, TooLarge, UnreadableFile, parse_file, read_sheets
from parkbench.ingest.extent import MAX_SHEET_CELLS, check_xlsx_extent
from tests.hostile import SMALL_TABLE, far_cell_workbook, number_cell, workbook

ROOT = Path(__file__).resolve().parent.parent

# Parse a file in a fresh interpreter and report what happened and the peak
# resident memory; the interpreter's address space is capped at 2 GB so that
# a regression fails this test instead of exhausting the machine.
MEASURE = textwrap.dedent("""
    import json, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    from parkbench.ingest import IngestError, parse_file
    data = open(sys.argv[1], "rb").read()
    start = time.monotonic()
    try:
        parse_file(data, sys.argv[2])
        outcome = "stored"
    except IngestError as exc:
        outcome = str(exc)
    print(json.dumps({"outcome": outcome, "seconds": time.monotonic() - start,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")


def measured_parse(tmp_path: Path, data: bytes, name: str) -> dict:
    path = tmp_path / name
    path.write_bytes(data)
    done = subprocess.run([sys.executable, "-c", MEASURE, str(path), name], cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, f"the parsing process died ({done.returncode}):\n{done.stderr[-2000:]}"
    return json.loads(done.stdout)


@pytest.mark.parametrize("far_ref, rows, columns", [("XFD1048576", 1_048_576, 16_384), ("ZZ1048576", 1_048_576, 702)])
def test_far_cell_workbook_refused_fast_and_small(tmp_path, far_ref, rows, columns):
    data = far_cell_workbook(far_ref)
    assert len(data) < 4096  # the 4 KB attack of issue 10
    result = measured_parse(tmp_path, data, "远处单元格.xlsx")
    assert result["seconds"] < 10
    assert result["peak_mb"] < 500
    message = result["outcome"]
    assert message.startswith("文件过大")
    assert "工作表「数据」" in message
    assert f"{rows:,} 行 × {columns:,} 列" in message and far_ref in message


def test_far_cell_refused_by_the_page_path_too():
    checked = preview.check(far_cell_workbook("XFD1048576"), "远处单元格.xlsx")
    assert checked.parsed is None and "XFD1048576" in checked.error


def test_declared_range_alone_is_harmless():
    # Excel declares A1:XFD1048576 for sheets formatted on whole rows; calamine
    # allocates nothing for it, so the table is read.
    parsed = parse_file(workbook({"数据": SMALL_TABLE}, dimension="A1:XFD1048576"), "声明范围.xlsx")
    assert parsed.value_count == 4


def test_styled_far_cell_without_value_is_harmless():
    rows = SMALL_TABLE + '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    assert parse_file(workbook({"数据": rows}), "格式.xlsx").value_count == 4


def test_cells_without_references_are_placed_like_calamine():
    # 10 rows of 16,384 cells written without r="…": calamine places them one
    # to the right of the other, so the grid is 10 × 16,384.
    row = "<row>" + "<c><v>1</v></c>" * 16_384 + "</row>"
    extents = check_xlsx_extent(workbook({"宽表": row * 10}), "宽.xlsx", limit=200_000)
    assert (extents["宽表"].rows, extents["宽表"].columns) == (10, 16_384)
    with pytest.raises(TooLarge) as refused:
        check_xlsx_extent(workbook({"宽表": row * 10}), "宽.xlsx", limit=100_000)
    assert refused.value.sheet == "宽表"
    assert "16,384 列" in str(refused.value)  # the scan stops at the row that crosses the limit


def test_limit_counts_from_a1():
    far = f"XFD{MAX_SHEET_CELLS // 16_384 + 2}"  # 16,384 columns × (limit / 16,384 + 2) rows > limit
    rows = SMALL_TABLE + f'<row r="{far[3:]}">' + number_cell(far, 1) + "</row>"
    with pytest.raises(TooLarge):
        read_sheets(workbook({"数据": rows}), "刚好超过.xlsx")
    near = f"XFD{MAX_SHEET_CELLS // 16_384 - 2}"
    rows = SMALL_TABLE + f'<row r="{near[3:]}">' + number_cell(near, 1) + "</row>"
    assert len(read_sheets(workbook({"数据": rows}), "刚好不超过.xlsx")[0].cells) == MAX_SHEET_CELLS // 16_384 - 2


def test_second_sheet_named_in_refusal():
    data = workbook({"一月": SMALL_TABLE, "二月": SMALL_TABLE + '<row r="900000">' + number_cell("AB900000", 1)
                     + "</row>"})
    with pytest.raises(TooLarge) as refused:
        parse_file(data, "两表.xlsx")
    assert refused.value.sheet == "二月" and "900,000 行 × 28 列" in str(refused.value)


def test_wide_ragged_csv_refused():
    # One line of 16,384 fields over 400 short lines: pandas would pad every line.
    text = "园区,月份,税收\n" + ",".join(["x"] * 16_384) + "\n" + "甲园区,2024-01,1\n" * 400
    with pytest.raises(TooLarge) as refused:
        parse_file(text.encode("utf-8"), "宽.csv")
    assert "16,384 列" in str(refused.value)


# ---------------------------------------------------------------- the worker process

def test_worker_survives_a_native_abort():
    with pytest.raises(TooLarge) as refused:
        isolate.run(os.abort, file_name="崩溃.xlsx")
    assert "异常退出" in str(refused.value) and "崩溃.xlsx" in str(refused.value)


def test_worker_memory_limit():
    with pytest.raises(TooLarge) as refused:
        isolate.run(bytearray, 8 << 30, file_name="大.xlsx", memory_mb=1024)
    assert "内存超过上限（1024 MB）" in str(refused.value)


def test_worker_time_limit():
    start = time.monotonic()
    with pytest.raises(TooLarge) as refused:
        isolate.run(time.sleep, 60, file_name="慢.xlsx", seconds=2)
    assert time.monotonic() - start < 10
    assert "超过 2 秒" in str(refused.value)


def test_worker_reader_bug_is_a_chinese_refusal():
    with pytest.raises(UnreadableFile) as refused:
        isolate.run(int, "不是数字", file_name="坏.csv")
    assert "内部错误 ValueError" in str(refused.value) and "Traceback" not in str(refused.value)


def test_worker_returns_refusals_with_their_details():
    with pytest.raises(TooLarge) as refused:
        isolate.parse_file(far_cell_workbook("ZZ1048576"), "远.xlsx")
    assert refused.value.sheet == "数据" and refused.value.file == "远.xlsx"


def test_type_and_size_refused_before_reading():
    with pytest.raises(UnreadableFile) as wrong_type:
        limits.check_file("报表.pdf", 100)
    assert "不支持的文件类型“.pdf”" in str(wrong_type.value)
    with pytest.raises(TooLarge) as too_big:
        limits.check_file("报表.xlsx", 51 * 1024 * 1024, max_mb=50)
    assert "超过上限 50 MB" in str(too_big.value)
    limits.check_file("报表.xls", 100)  # .xls is a type we read


def test_refusals_are_ingest_errors():
    assert issubclass(TooLarge, IngestError)
