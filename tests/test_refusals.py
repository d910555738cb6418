"""Rule 7 of input-formats.md: bad input is refused with a Chinese message
naming file, sheet, row and column, and the store is left exactly as it was.
Also: formulas saved without a computed value are reported, not silently lost."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from conftest import FIXTURES, xlsx_bytes

from parkbench import store
from parkbench.ingest import BadCell, EmptyFile, IngestError, NoHeader, TooLarge, UnreadableFile, parse_file, tables

SAMPLE_A = FIXTURES / "A_各园区主要经济指标_2024累计.xlsx"
A_HEADER = ["序号", "园区名称", "规上工业总产值(万元)", "同比增长(%)", "税收收入(万元)", "同比增长(%)",
            "主导产业产值(万元)", "用地面积(亩)", "规上企业(户)"]


def a_file(row: list, title: str = "2024年1-3月全市工业园区主要经济指标", sheet: str = "Sheet1") -> bytes:
    return xlsx_bytes({sheet: [[title], ["单位：万元、亩、户"], A_HEADER, [1, "甲园区", 100, 1, 10, 1, 50, 1000, 5], row]})


def b_file(title: str) -> bytes:
    return xlsx_bytes({"本月": [[title], ["指标名称", "计量单位", "本月", "1-2月累计", "上年同期累计", "同比增长(%)"],
                         ["税收", "万元", "675.5", "1,276.5", "1,216.3", "4.9"]]})


def snapshot(con):
    return con.execute("select * from stg_observations order by all").fetchall()


def ingest(con, data: bytes, name: str):
    return store.save(con, parse_file(data, name), data)


# (id, file name, bytes, error type, texts the message must hold)
REFUSALS = [
    ("empty-xlsx", "空.xlsx", b"", EmptyFile, ["空.xlsx"]),
    ("empty-csv", "空.csv", b"  \r\n", EmptyFile, ["空.csv"]),
    ("truncated-xlsx", "截断.xlsx", SAMPLE_A.read_bytes()[: len(SAMPLE_A.read_bytes()) // 2], UnreadableFile,
     ["截断.xlsx"]),
    ("text-renamed-xlsx", "假的.xlsx", "园区,税收\n甲,1\n".encode(), UnreadableFile, ["假的.xlsx"]),
    ("no-header", "无表头.xlsx", xlsx_bytes({"数据": [["随便写的"], [1, 2, 3], ["a", "b", "c"]]}), NoHeader,
     ["无表头.xlsx", "工作表「数据」"]),
    ("impossible-period-title", "期间.xlsx", a_file([2, "乙园区", 1], title="2024年13月全市工业园区主要经济指标"),
     BadCell, ["期间.xlsx", "工作表「Sheet1」", "第 1 行", "第 A 列", "13"]),
    ("impossible-period-sheet-name", "期间.xlsx", a_file([2, "乙园区", 1], title="全市工业园区", sheet="2024-13"),
     BadCell, ["期间.xlsx", "工作表「2024-13」", "13"]),
    ("impossible-period-b-title", "月报.xlsx", b_file("泌阳县产业集聚区2023年13月主要经济指标"),
     BadCell, ["月报.xlsx", "工作表「本月」", "第 1 行", "第 A 列"]),
    ("impossible-period-long-table", "长表.csv",
     "园区,统计期,指标,口径,数值,单位\n甲园区,2024-13,税收收入,本月,12,万元\n".encode(), BadCell,
     ["长表.csv", "第 2 行", "第 B 列（统计期）"]),
    ("negative-land-area", "负数.xlsx", a_file([2, "乙园区", 100, 1, 10, 1, 50, -30, 5]), BadCell,
     ["负数.xlsx", "工作表「Sheet1」", "第 5 行", "第 H 列（用地面积(亩)）", "负数"]),
    ("negative-land-area-b", "负数月报.xlsx",
     xlsx_bytes({"2月": [["泌阳县产业集聚区2023年2月主要经济指标完成情况"],
                  ["指标名称", "计量单位", "本月", "1-2月累计"], ["用地面积", "公顷", "-5", None]]}),
     BadCell, ["负数月报.xlsx", "工作表「2月」", "第 3 行", "第 C 列（本月）"]),
    ("text-for-number", "文字.xlsx", a_file([2, "乙园区", 100, 1, "十二", 1, 50, 1000, 5]), BadCell,
     ["文字.xlsx", "工作表「Sheet1」", "第 5 行", "第 E 列（税收收入(万元)）", "十二"]),
    ("text-for-number-b", "文字月报.xlsx",
     xlsx_bytes({"2月": [["泌阳县产业集聚区2023年2月主要经济指标完成情况"],
                  ["指标名称", "计量单位", "本月", "1-2月累计"], ["税收", "万元", "六百", None]]}),
     BadCell, ["文字月报.xlsx", "工作表「2月」", "第 3 行", "第 C 列（本月）", "六百"]),
]


@pytest.mark.parametrize(("name", "data", "error", "texts"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_refused_and_store_unchanged(loaded_db, name, data, error, texts):
    before = snapshot(loaded_db)
    uploads = loaded_db.execute("select count(*) from uploads").fetchall()
    with pytest.raises(error) as caught:
        ingest(loaded_db, data, name)
    message = str(caught.value)
    for text in texts:
        assert text in message, f"{text!r} not in {message!r}"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in caught.value.reason)
    assert snapshot(loaded_db) == before
    assert loaded_db.execute("select count(*) from uploads").fetchall() == uploads


def _big_archive(real_inflation: bool) -> bytes:
    """A real workbook plus one member: either truly inflating to 2 MB, or
    small but declaring about 4 GB in the central directory."""
    buf = io.BytesIO(SAMPLE_A.read_bytes())
    with zipfile.ZipFile(buf, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (2 * 1024 * 1024 if real_inflation else 16))
    data = bytearray(buf.getvalue())
    if not real_inflation:
        entry = data.rfind(b"PK\x01\x02")  # the last central-directory entry: the padding member
        data[entry + 24: entry + 28] = struct.pack("<I", 0xFFFFFFF0)  # uncompressed size
    return bytes(data)


class _Refuse:
    def __init__(self, *args, **kwargs):
        raise AssertionError("the archive was decompressed")

    from_filelike = classmethod(lambda cls, *a, **k: cls())


@pytest.mark.parametrize("real_inflation", [True, False], ids=["inflates-past-limit", "declares-4GB"])
def test_oversized_archive_refused_before_inflating(loaded_db, monkeypatch, real_inflation):
    import python_calamine

    data = _big_archive(real_inflation)
    if real_inflation:
        monkeypatch.setattr(tables, "MAX_UNCOMPRESSED_BYTES", 1024 * 1024)
    monkeypatch.setattr(python_calamine, "CalamineWorkbook", _Refuse)
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: (_ for _ in ()).throw(AssertionError("inflated")))
    before = snapshot(loaded_db)
    with pytest.raises(TooLarge) as caught:
        ingest(loaded_db, data, "炸弹.xlsx")
    assert "炸弹.xlsx" in str(caught.value) and "MB" in str(caught.value)
    assert snapshot(loaded_db) == before


def test_refusal_is_an_ingest_error_with_location_fields():
    with pytest.raises(IngestError) as caught:
        parse_file(a_file([2, "乙园区", 100, 1, "十二"]), "文字.xlsx")
    err = caught.value
    assert (err.file, err.sheet, err.row, err.column) == ("文字.xlsx", "Sheet1", 5, "E")


def test_formulas_without_cached_values_are_reported():
    """openpyxl writes formulas without a computed value; calamine reads them as
    empty. The upload goes ahead for the rest, with a warning naming the cells."""
    data = a_file([2, "乙园区", "=C4*2", 1, 20, 1, 50, "=H4+100", 5])
    parsed = parse_file(data, "公式.xlsx")
    warning = next(w for w in parsed.warnings if "公式" in w)
    assert "工作表「Sheet1」" in warning and "C5" in warning and "H5" in warning
    stored = {(r.park, r.indicator) for r in parsed.observations.itertuples()}
    assert ("乙园区", "tax") in stored and ("乙园区", "output") not in stored


def test_workbook_without_formulas_has_no_formula_warning():
    parsed = parse_file(SAMPLE_A.read_bytes(), SAMPLE_A.name)
    assert not any("公式" in w for w in parsed.warnings)


def test_a_file_renamed_to_xlsx_is_called_not_an_excel_workbook_with_what_to_do():
    from parkbench.errors import UnreadableFile
    from parkbench.ingest import parse_file

    with pytest.raises(UnreadableFile) as refused:
        parse_file("园区,税收\n甲园区,1\n".encode(), "月报.xlsx")
    message = str(refused.value)
    assert "文件「月报.xlsx」" in message and "不是有效的 Excel 工作簿" in message
    assert "另存为“Excel 工作簿（*.xlsx）”" in message and "压缩包" not in message
