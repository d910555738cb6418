"""Column mappings: a sheet no reader knows, read through the mapping the
user gave, remembered in the store for the next file of the same shape."""

from __future__ import annotations

import datetime as dt

import pytest

from parkbench import store
from parkbench.ingest import NoHeader, mapped, parse_file
from parkbench.ingest.tables import read_sheets

WIDE = """园区月报,,,,
地区名称,年月份,本期税收(万元),本期产值(亿元),备注
甲园区,2024-01,12,1.5,x
乙园区,2024-01,—,2,
合计,2024-01,12,3.5,
"""

LONG = """名称;月;项目名;值;计量
甲园区;2024-02;税收;1,200;千元
甲园区;2024-02;用地面积;2;公顷
"""


def sheet_of(text: str, name: str = "f.csv"):
    return read_sheets(text.encode(), name)[0]


def test_unrecognised_sheet_is_refused_with_a_pointer_to_the_editor():
    with pytest.raises(NoHeader) as err:
        parse_file(WIDE.encode(), "f.csv")
    assert "在上传页指定表头行和各列含义" in str(err.value)


def test_guess_reads_hints_and_indicators_in_headers():
    guess = mapped.guess(sheet_of(WIDE), 1)
    assert guess.columns[0] == "park" and guess.columns[1] == "period"
    assert guess.columns[2] == "wide:tax"
    assert guess.columns[4] == "ignore"


def test_wide_mapping_reads_units_totals_and_missing_marks(fresh_db):
    sheet = sheet_of(WIDE)
    mapping = mapped.ColumnMapping(1, {0: "park", 1: "period", 2: "wide:tax", 3: "wide:output", 4: "ignore"})
    store.save_mapping(fresh_db, mapped.signature(sheet.cells, 1), mapping, "f.csv")
    parsed = parse_file(WIDE.encode(), "下一个月.csv", store.load_mappings(fresh_db))
    assert parsed.family == "M"
    obs = {(r.park, r.indicator): r.value for r in parsed.observations.itertuples()}
    assert obs == {("甲园区", "tax"): 12.0, ("甲园区", "output"): 15000.0, ("乙园区", "output"): 20000.0}
    assert {s.reason for s in parsed.skipped} >= {"合计行，不是园区"}


def test_long_mapping_with_unit_column_and_title_rows_moved(fresh_db):
    sheet = sheet_of(LONG)
    mapping = mapped.ColumnMapping(0, {0: "park", 1: "period", 2: "indicator", 3: "value", 4: "unit"})
    store.save_mapping(fresh_db, mapped.signature(sheet.cells, 0), mapping)
    shifted = "标题;;;;\n说明;;;;\n" + LONG  # the same shape, two rows lower
    parsed = parse_file(shifted.encode(), "g.csv", store.load_mappings(fresh_db))
    obs = parsed.observations.set_index("indicator")
    assert obs.loc["tax", "value"] == pytest.approx(120.0)
    assert obs.loc["land_area", "value"] == pytest.approx(30.0)
    assert obs.loc["land_area", "basis"] == "stock"
    assert obs.loc["tax", "period"] == dt.date(2024, 2, 1)


def test_mapping_is_replaced_not_duplicated(fresh_db):
    sig = mapped.signature(sheet_of(WIDE).cells, 1)
    first = mapped.ColumnMapping(1, {0: "park", 1: "period", 2: "wide:tax"})
    second = mapped.ColumnMapping(1, {0: "park", 1: "period", 2: "wide:tax", 3: "wide:output"}, basis="ytd")
    store.save_mapping(fresh_db, sig, first)
    before = store.mappings_version(fresh_db)
    store.save_mapping(fresh_db, sig, second)
    saved = store.load_mappings(fresh_db)
    assert list(saved) == [sig] and saved[sig].columns == second.columns and saved[sig].basis == "ytd"
    assert store.mappings_version(fresh_db) != before


@pytest.mark.parametrize(("columns", "problem"), [
    ({0: "park", 2: "wide:tax"}, "统计期"),
    ({0: "park", 1: "period"}, "指标"),
    ({0: "park", 1: "park", 2: "wide:tax"}, "只能指定一列"),
    ({0: "park", 1: "period", 2: "indicator", 3: "value", 4: "wide:tax"}, "不能混用"),
])
def test_incomplete_mapping_is_refused(fresh_db, columns, problem):
    mapping = mapped.ColumnMapping(1, columns)
    assert any(problem in p for p in mapping.problems())
    with pytest.raises(store.StoreError, match=problem):
        store.save_mapping(fresh_db, "x|y", mapping)


def test_mapping_json_round_trip():
    mapping = mapped.ColumnMapping(3, {5: "wide:*", 0: "park"}, basis="ytd")
    assert mapped.ColumnMapping.from_json(3, mapping.to_json()) == mapping


def test_schema_version_two_is_applied(fresh_db):
    assert fresh_db.execute("select max(version) from schema_migrations").fetchall()[0][0] >= 2
