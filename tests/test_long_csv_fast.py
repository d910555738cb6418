"""The fast path for large long CSVs (DuckDB reads, distinct texts parsed in
Python) must store exactly what the general family-C reader stores, and
refuse what it refuses, naming the same row and column."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import SAMPLE_C
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parkbench.ingest import IngestError, family_c, long_csv, parse_file
from parkbench.ingest.model import FileContext
from parkbench.ingest.tables import read_sheets

ODD = ("园区,统计期,指标,口径,数值,单位\n"
       "鳳城開發區,2024-01,税收收入,本月,\"1,234.5\",万元\n"
       "凤城开发区,202402,规上工业总产值,本月,2.5,亿元\n"
       "凤城开发区,2024年3月,规上工业总产值,累计,—,万元\n"
       "凤城开发区,2024.3,用地面积,期末,80,公顷\n"
       "合计,2024-03,税收收入,本月,9999,万元\n"
       "凤城开发区,2024-03,税收收入,本月,１２,千元\n"
       "凤城开发区,2024-03,用电量,本月,77,万千瓦时\n")


def general_parsed(data: bytes, name: str):
    sheet = read_sheets(data, name)[0]
    ctx = FileContext(name)
    return family_c.read(sheet, ctx, family_c.detect(sheet, ctx))


def general(data: bytes, name: str) -> pd.DataFrame:
    return general_parsed(data, name).observations


def normalised(frame: pd.DataFrame) -> list[tuple]:
    return sorted((str(r.park), str(r.indicator), pd.Timestamp(r.period).strftime("%Y-%m"), str(r.basis),
                   round(float(r.value), 9)) for r in frame.itertuples())


@pytest.fixture
def always_fast(monkeypatch):
    monkeypatch.setattr(long_csv, "MIN_BYTES", 0)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_fast_path_stores_what_the_general_reader_stores(always_fast, encoding):
    data = ODD.encode(encoding)
    fast = long_csv.try_read(data, "odd.csv")
    assert fast is not None
    assert normalised(fast.observations) == normalised(general(data, "odd.csv"))
    assert {s.row for s in fast.skipped} == {4, 6}  # the “—” value and the total row
    slow = general_parsed(data, "odd.csv")
    assert [(s.row, s.reason) for s in fast.skipped] == [(s.row, s.reason) for s in slow.skipped]
    assert fast.warnings == slow.warnings


def test_fast_path_on_the_sample(always_fast):
    data = SAMPLE_C.read_bytes()
    assert normalised(long_csv.try_read(data, SAMPLE_C.name).observations) == normalised(general(data, SAMPLE_C.name))


@pytest.mark.parametrize(("line", "row_col"), [
    ("凤城开发区,2024-13,税收收入,本月,1,万元", "第 3 行，第 B 列（统计期）"),
    ("凤城开发区,2024-03,税收收入,本月,十二,万元", "第 3 行，第 E 列（数值）"),
    ("凤城开发区,2024-03,用地面积,期末,-5,亩", "第 3 行，第 E 列（数值）"),
    ("凤城开发区,2024-03,税收收入,本月,5,公顷", "第 3 行，第 F 列（单位）"),
    ("凤城开发区,2024-03,税收收入,期末,5,万元", "第 3 行，第 D 列（口径）"),
    ("凤城开发区,2024-03,,本月,5,万元", "第 3 行，第 C 列（指标）"),
    # two errors: values are judged before periods, as the rules' order says
    ("凤城开发区,2024-13,税收收入,本月,1,万元\n凤城开发区,2024-03,税收收入,本月,十二,万元", "第 4 行，第 E 列（数值）"),
])
def test_fast_path_refuses_like_the_general_reader(always_fast, line, row_col):
    data = ("园区,统计期,指标,口径,数值,单位\n凤城开发区,2024-01,税收收入,本月,1,万元\n" + line + "\n").encode()
    with pytest.raises(IngestError) as fast:
        long_csv.try_read(data, "bad.csv")
    with pytest.raises(IngestError) as slow:
        general(data, "bad.csv")
    assert row_col in str(fast.value)
    assert str(fast.value) == str(slow.value)
    with pytest.raises(IngestError) as through_parse_file:
        parse_file(data, "bad.csv")
    assert str(through_parse_file.value) == str(fast.value)


def test_small_files_take_the_general_path():
    assert long_csv.try_read(ODD.encode(), "odd.csv") is None


def test_rows_not_read_are_not_refused(always_fast):
    """A total row with junk and a missing value with a bad period are skipped by both paths, not refused."""
    data = ("园区,统计期,指标,口径,数值,单位\n凤城开发区,2024-01,税收收入,本月,1,万元\n"
            "合计,2024-01,税收收入,本月,很多,万元\n凤城开发区,2099-99,税收收入,本月,—,万元\n").encode()
    fast, slow = long_csv.try_read(data, "ok.csv"), general_parsed(data, "ok.csv")
    assert normalised(fast.observations) == normalised(slow.observations) == [("凤城开发区", "tax", "2024-01", "month", 1.0)]
    assert [(s.row, s.reason) for s in fast.skipped] == [(s.row, s.reason) for s in slow.skipped] == [
        (3, "合计行，不是园区"), (4, "未报送（空值或“—”等标记），不按 0 处理")]


CELLS = {
    "park": ["凤城开发区", "鳳城開發區", "确山县产业集聚区", "合计", "注：单位万元", "", "宽甸经济开发区"],
    "period": ["2024-01", "202402", "2024年3月", "2024.3", "1-2月", "2024-13", "", "2023-12"],
    "indicator": ["税收收入", "规上工业总产值", "用地面积", "主导产业产值", "用电量", "", "税收"],
    "basis": ["本月", "累计", "期末", "", "当月", "本年"],
    "value": ["12", "1,234.5", "—", "", "１２", "-5", "十二", "3.5%", "0", "inf", "nan"],
    "unit": ["万元", "亿元", "千元", "亩", "公顷", "", "户"],
}


def quoted(cell: str) -> str:
    return f'"{cell}"' if "," in cell else cell


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(*(st.sampled_from(CELLS[role]) for role in CELLS)), min_size=1, max_size=12))
def test_both_paths_agree_on_any_file(always_fast, rows):
    """Generated files of valid and invalid cells: both paths refuse with the
    same message, or store, skip and warn alike."""
    text = "园区,统计期,指标,口径,数值,单位\n" + "".join(",".join(map(quoted, r)) + "\n" for r in rows)
    data = text.encode()
    outcomes = []
    for read in (lambda: long_csv.try_read(data, "gen.csv"), lambda: general_parsed(data, "gen.csv")):
        try:
            parsed = read()
            outcomes.append((normalised(parsed.observations), [(s.row, s.reason) for s in parsed.skipped],
                             parsed.warnings))
        except IngestError as exc:
            outcomes.append(str(exc))
    assert outcomes[0] == outcomes[1]


def test_both_paths_keep_the_input_format_rules(always_fast):
    """Range periods are 累计, two land names are kept apart, a prior-year stock
    is skipped, 建成区面积 is not land, two spellings of one park are one key,
    and each value keeps its sheet, row and column — in both paths alike."""
    data = ("园区,统计期,指标,口径,数值,单位\n"
            "凤城开发区,2024年1-2月,税收收入,本月,30,万元\n"      # row 2: 1-2月 is February's 累计
            "凤城开发区,2024-02,用地面积,期末,100,亩\n"          # row 3: the less specific land name
            "凤城开发区,2024-02,工业用地面积,期末,80,亩\n"       # row 4: land_area
            "凤城开发区,2024-02,建成区面积,期末,10,公顷\n"       # row 5: not land; 10 公顷 = 150 亩
            "凤城开发区,2024-02,用地面积,上年同期,90,亩\n"       # row 6: a stock a year earlier: skipped
            "鳳城開發區,2024-02,税收收入,累计,35,万元\n").encode()  # row 7: the same key as row 2, later wins
    fast, slow = long_csv.try_read(data, "i8.csv"), general_parsed(data, "i8.csv")
    expected = sorted([("凤城开发区", "tax", "2024-02", "ytd", 35.0),
                       ("凤城开发区", "用地面积", "2024-02", "stock", 100.0),
                       ("凤城开发区", "land_area", "2024-02", "stock", 80.0),
                       ("凤城开发区", "建成区面积", "2024-02", "stock", 150.0)])
    assert normalised(fast.observations) == normalised(slow.observations) == expected
    assert [(s.row, s.reason) for s in fast.skipped] == [(s.row, s.reason) for s in slow.skipped] == [
        (6, "上年同期的存量指标（用地面积、企业数等）不作为数值保存")]
    assert fast.warnings == slow.warnings
    assert any("工业用地面积" in w and "按原名另存" in w for w in fast.warnings)
    assert any("第 2、7 行" in w for w in fast.warnings)

    def sources(frame):
        return sorted((str(r.indicator), r.sheet, int(r.row), r.column) for r in frame.itertuples())
    assert sources(fast.observations) == sources(slow.observations)
    assert ("tax", "i8", 7, "第 E 列（数值）") in sources(fast.observations)
