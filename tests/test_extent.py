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

from parkbench import limits, upload
from parkbench.ingest import IngestError, TooLarge, UnreadableFile, isolate, parse_file, read_sheets
from parkbench.ingest.extent import MAX_SHEET_CELLS, check_xlsx_extent
from tests.hostile import SMALL_TABLE, far_cell_workbook, number_cell, workbook

ROOT = Path(__file__).resolve().parent.parent

# Parse a file in a fresh interpreter and report what happened and the peak
# resident memory; the interpreter's address space is capped at 2 GB so that
# a regression fails this test instead of exhausting the machine.
MEASURE = textwrap.dedent("""
    import json, resource, sys, time
    def peak_kb():
        # VmHWM is this process image's own peak; ru_maxrss can carry the forking
        # parent's (a large pytest process) across exec.
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
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
                      "peak_mb": peak_kb() / 1024}))
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


def test_far_cell_refused_by_the_page_path_too(fresh_db):
    checked = upload.check(fresh_db, far_cell_workbook("XFD1048576"), "远处单元格.xlsx")
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
    # 10 rows of 4,000 cells written without r="…": calamine places them one
    # to the right of the other, so the grid is 10 × 4,000.
    row = "<row>" + "<c><v>1</v></c>" * 4_000 + "</row>"
    extents = check_xlsx_extent(workbook({"宽表": row * 10}), "宽.xlsx", limit=50_000)
    assert (extents["宽表"].rows, extents["宽表"].columns) == (10, 4_000)
    with pytest.raises(TooLarge) as refused:
        check_xlsx_extent(workbook({"宽表": row * 10}), "宽.xlsx", limit=30_000)
    assert refused.value.sheet == "宽表"
    assert "4,000 列" in str(refused.value)  # the scan stops at the row that crosses the limit


def test_limit_counts_from_a1():
    from parkbench.ingest.extent import column_name

    letters = column_name(4_000)  # 4,000 columns × (limit / 4,000 ± 2) rows: just past, just within
    for rows, refused in ((MAX_SHEET_CELLS // 4_000 + 2, True), (MAX_SHEET_CELLS // 4_000 - 2, False)):
        data = workbook({"数据": SMALL_TABLE + f'<row r="{rows}">' + number_cell(f"{letters}{rows}", 1) + "</row>"})
        if refused:
            with pytest.raises(TooLarge):
                read_sheets(data, "刚好超过.xlsx")
        else:
            assert read_sheets(data, "刚好不超过.xlsx")[0].cells.shape == (rows, 4_000)


def test_row_numbers_past_excel_are_counted():
    # Excel stops at row 1,048,576; calamine does not, and aborts on r="A99999999".
    data = workbook({"数据": SMALL_TABLE + '<row r="5">' + number_cell("A99999999", 1) + "</row>"})
    with pytest.raises(TooLarge) as refused:
        parse_file(data, "行号.xlsx")
    assert "99,999,999 行" in str(refused.value)


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
    # The fork server starts (importing the readers) on its first use: seconds on a
    # loaded machine, before the limit's clock starts. Start it first, so that what
    # is timed below is the worker and its limit only.
    assert isolate.run(int, "7", file_name="热身.csv") == 7
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


def test_sixteen_thousand_columns_refused_naming_the_width():
    from parkbench.ingest.extent import MAX_COLUMNS, column_name

    row = '<row r="1">' + "".join(number_cell(f"{column_name(c)}1", c) for c in range(1, 16_385)) + "</row>"
    with pytest.raises(TooLarge) as refused:
        parse_file(workbook({"宽表": row}), "宽.xlsx")
    assert refused.value.sheet == "宽表" and "列至少达 4,097 列（至 FAO 列）" in str(refused.value)
    assert f"超过 {MAX_COLUMNS:,} 列的上限" in str(refused.value)


def test_cell_longer_than_excel_allows_refused_naming_the_cell():
    rows = SMALL_TABLE.replace(">甲园区<", ">" + "园" * 40_000 + "<", 1)
    with pytest.raises(TooLarge) as refused:
        parse_file(workbook({"数据": rows}), "长单元格.xlsx")
    assert (refused.value.sheet, refused.value.row, refused.value.column) == ("数据", 2, "A")
    assert "40,000 个字符" in str(refused.value)
    text = "园区,月份,税收(万元)\n" + "园" * 40_000 + ",2024-01,1\n"
    with pytest.raises(TooLarge):
        parse_file(text.encode(), "长单元格.csv")


def test_merges_covering_the_whole_sheet_refused():
    from tests.test_fuzz import rezip

    merges = '<mergeCells count="2"><mergeCell ref="A1:D1"/><mergeCell ref="A5:XFD1048576"/></mergeCells>'
    data = rezip(workbook({"数据": SMALL_TABLE}), lambda f, body: body.replace(
        b"</sheetData>", b"</sheetData>" + merges.encode()) if f == "xl/worksheets/sheet1.xml" else body)
    with pytest.raises(TooLarge) as refused:
        parse_file(data, "合并.xlsx")
    assert refused.value.sheet == "数据" and "A5:XFD1048576" in str(refused.value)
    title_merge = rezip(workbook({"数据": SMALL_TABLE}), lambda f, body: body.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A1:D1"/></mergeCells>')
        if f == "xl/worksheets/sheet1.xml" else body)
    assert parse_file(title_merge, "标题合并.xlsx").value_count == 4  # an ordinary title merge is fine


def test_parse_worker_room_grows_with_a_file_above_the_page_limit():
    """A file up to the page's limit parses under the default cap; a bigger one
    the operator allows (`ingest --max-mb 200`) gets room in proportion: the
    bench's 102 MB long CSV needs 3.1 GB of address space and was refused."""
    mb = 1024 * 1024
    assert limits.parse_memory_mb(limits.MAX_FILE_MB * mb) == limits.PARSE_MEMORY_MB
    assert limits.parse_memory_mb(102 * mb) >= 3.2 * 1024
    assert limits.parse_memory_mb(200 * mb) > limits.parse_memory_mb(102 * mb)


def test_a_worker_never_runs_the_main_script_another_thread_set(tmp_path):
    """Streamlit sets sys.modules["__main__"] to the page script in each session's
    thread; a worker started meanwhile must not run that script (it ran
    streamlit_app.py and died: one of twelve uploads at once failed in the bench)."""
    import sys
    import threading
    import types

    script = tmp_path / "page_script.py"
    script.write_text("raise SystemExit('the main script ran in the worker')\n", encoding="utf-8")
    page_main = types.ModuleType("__main__")
    page_main.__file__ = str(script)
    stop = threading.Event()

    def streamlit_like_session():
        while not stop.is_set():
            saved = sys.modules.get("__main__")
            sys.modules["__main__"] = page_main
            time.sleep(0.0005)
            sys.modules["__main__"] = saved

    assert isolate.run(int, "1", file_name="热身.csv") == 1  # the fork server up before the race
    session = threading.Thread(target=streamlit_like_session, daemon=True)
    session.start()
    try:
        results = [isolate.run(int, str(n), file_name=f"{n}.csv") for n in range(30)]
    finally:
        stop.set()
        session.join()
    assert results == list(range(30))


def test_a_worker_reading_any_sample_imports_nothing_the_fork_server_lacks():
    """The fork server imports what the readers import only while reading
    (calamine for a workbook; for a CSV the encoding detector, the Chinese
    codecs, pyarrow's pandas glue): every worker importing them again lost
    30-60 ms a file, a second of sixteen files chosen together."""
    from tests import worker_probe

    fixtures = Path(__file__).parent / "fixtures"
    samples = sorted(p for p in fixtures.rglob("*") if p.suffix in (".xlsx", ".xls", ".csv"))
    assert len(samples) > 20
    imported = {p.name: isolate.run(worker_probe.imported_while_reading, p.read_bytes(), p.name, file_name=p.name)
                for p in samples}
    assert {name: modules for name, modules in imported.items() if modules} == {}
