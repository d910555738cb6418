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


# ---------------------------------------------------------------- what the editor can say beyond columns

EXPORT = """数据库：园区月度数据
指标：税收收入累计值(万元)
填报主体,2024年2月,2024年3月
甲园区,20,35
乙园区,—,50
数据来源：园区统计监测平台
"""

EXPORT_NEXT = """数据库：园区月度数据
指标：税收收入累计值(万元)
填报主体,2024年4月,2024年3月,2024年2月
甲园区,48,35,20
"""


def test_periods_across_with_indicator_line_serves_the_next_export(fresh_db):
    with pytest.raises(NoHeader):  # 填报主体 is no park header any reader knows
        parse_file(EXPORT.encode(), "export.csv")
    sheet = sheet_of(EXPORT)
    mapping = mapped.ColumnMapping(2, {0: "park"}, periods_across=True, indicator_from_note=True)
    assert mapping.problems() == []
    store.save_mapping(fresh_db, mapped.signature(sheet.cells, 2, periods_across=True), mapping, "export.csv")
    saved = store.load_mappings(fresh_db)
    first = parse_file(EXPORT.encode(), "export.csv", saved)
    assert first.family == "M"
    obs = {(r.park, f"{r.period:%Y-%m}", r.basis): r.value for r in first.observations.itertuples()}
    assert obs == {("甲园区", "2024-02", "ytd"): 20, ("甲园区", "2024-03", "ytd"): 35, ("乙园区", "2024-03", "ytd"): 50}
    assert set(first.observations["indicator"]) == {"tax"}
    nxt = parse_file(EXPORT_NEXT.encode(), "export-4.csv", saved)  # one month more, newest first
    obs = {(r.park, f"{r.period:%Y-%m}"): r.value for r in nxt.observations.itertuples()}
    assert obs == {("甲园区", "2024-04"): 48, ("甲园区", "2024-03"): 35, ("甲园区", "2024-02"): 20}


LEDGER = """丙园区2024年经济运行台账
科目,计量,1月,2月,3月
产值,亿元,1.2,1.3,1.5
税收收入,万元,40,—,45
"""


def test_periods_across_with_indicator_rows_and_park_from_title(fresh_db):
    sheet = sheet_of(LEDGER)
    mapping = mapped.ColumnMapping(1, {0: "indicator", 1: "unit"}, periods_across=True, fixed_park=mapped.FROM_TITLE)
    store.save_mapping(fresh_db, mapped.signature(sheet.cells, 1, periods_across=True), mapping)
    parsed = parse_file(LEDGER.encode(), "ledger.csv", store.load_mappings(fresh_db))
    obs = {(r.park, r.indicator, f"{r.period:%Y-%m}", r.basis): r.value for r in parsed.observations.itertuples()}
    assert obs == {("丙园区", "产值", "2024-01", "month"): 12000, ("丙园区", "产值", "2024-02", "month"): 13000,
                   ("丙园区", "产值", "2024-03", "month"): 15000, ("丙园区", "tax", "2024-01", "month"): 40,
                   ("丙园区", "tax", "2024-03", "month"): 45}


ONE_PARK = """说明：本表为季度填报
主体,本期税收(万元),企业(户)
丁园区,300,12
"""


def test_fixed_period_for_the_whole_sheet():
    sheet = sheet_of(ONE_PARK)
    mapping = mapped.ColumnMapping(1, {0: "park", 1: "wide:tax", 2: "wide:enterprises"}, basis="ytd",
                                   fixed_period="2024-03")
    parsed = mapped.read(sheet, mapped_ctx(), mapping)
    obs = {(r.indicator, f"{r.period:%Y-%m}", r.basis): r.value for r in parsed.observations.itertuples()}
    assert obs == {("tax", "2024-03", "ytd"): 300, ("enterprises", "2024-03", "stock"): 12}


def mapped_ctx():
    from parkbench.ingest.model import FileContext

    return FileContext(file_name="f.csv", sheet_names=["f"])


TWO_ROWS = """2023年1-3月主要指标
序,主体,规上工业总产值（万元）,,,税收（萬元）
,,本月,1-3月累计,同比±%,1-3月累计
1,甲开发区,10,30,2.5,9
"""


def test_second_header_row_and_period_from_title(fresh_db):
    sheet = sheet_of(TWO_ROWS)
    mapping = mapped.ColumnMapping(1, {1: "park", 2: "wide:*", 3: "wide:*", 4: "wide:*", 5: "wide:*"},
                                   second_header_row=True, fixed_period=mapped.FROM_TITLE)
    store.save_mapping(fresh_db, mapped.signature(sheet.cells, 1), mapping)
    parsed = parse_file(TWO_ROWS.encode(), "two.csv", store.load_mappings(fresh_db))
    obs = {(r.indicator, f"{r.period:%Y-%m}", r.basis): r.value for r in parsed.observations.itertuples()}
    assert obs == {("output", "2023-03", "month"): 10, ("output", "2023-03", "ytd"): 30, ("tax", "2023-03", "ytd"): 9}
    assert [(r.indicator, r.basis, r.value) for r in parsed.growth.itertuples()] == [("output", "ytd", 2.5)]


@pytest.mark.parametrize(("mapping", "problem"), [
    (mapped.ColumnMapping(2, {}, periods_across=True, indicator_from_note=True), "园区"),
    (mapped.ColumnMapping(2, {0: "park"}, periods_across=True), "指标"),
    (mapped.ColumnMapping(2, {0: "park", 1: "value"}, periods_across=True, indicator_from_note=True), "不要再指定"),
    (mapped.ColumnMapping(1, {1: "wide:tax"}, fixed_period="2024-03"), "园区"),
    (mapped.ColumnMapping(1, {0: "park", 1: "wide:tax"}, fixed_period="2024-13"), "月份 13"),
])
def test_incomplete_extended_mapping(mapping, problem):
    assert any(problem in p for p in mapping.problems()), mapping.problems()


def test_extended_mapping_json_round_trip():
    mapping = mapped.ColumnMapping(2, {0: "park"}, basis="ytd", periods_across=True, fixed_period=mapped.FROM_TITLE,
                                   indicator_from_note=True, second_header_row=True, fixed_park="甲园区")
    assert mapped.ColumnMapping.from_json(2, mapping.to_json()) == mapping
