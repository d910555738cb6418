"""The fast path for large long CSVs (DuckDB reads, distinct texts parsed in
Python) must store exactly what the general family-C reader stores, and
refuse what it refuses, naming the same row and column."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import SAMPLE_C

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


def general(data: bytes, name: str) -> pd.DataFrame:
    sheet = read_sheets(data, name)[0]
    ctx = FileContext(name)
    return family_c.read(sheet, ctx, family_c.detect(sheet, ctx)).observations


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


def test_fast_path_on_the_sample(always_fast):
    data = SAMPLE_C.read_bytes()
    assert normalised(long_csv.try_read(data, SAMPLE_C.name).observations) == normalised(general(data, SAMPLE_C.name))


@pytest.mark.parametrize(("line", "row_col"), [
    ("凤城开发区,2024-13,税收收入,本月,1,万元", "第 3 行，第 B 列（统计期）"),
    ("凤城开发区,2024-03,税收收入,本月,十二,万元", "第 3 行，第 E 列（数值）"),
    ("凤城开发区,2024-03,用地面积,期末,-5,亩", "第 3 行，第 E 列（数值）"),
    ("凤城开发区,2024-03,税收收入,本月,5,公顷", "第 3 行，第 F 列（单位）"),
])
def test_fast_path_refuses_like_the_general_reader(always_fast, line, row_col):
    data = ("园区,统计期,指标,口径,数值,单位\n凤城开发区,2024-01,税收收入,本月,1,万元\n" + line + "\n").encode()
    with pytest.raises(IngestError) as fast:
        parse_file(data, "bad.csv")
    assert row_col in str(fast.value)


def test_small_files_take_the_general_path():
    assert long_csv.try_read(ODD.encode(), "odd.csv") is None
