"""Sheets a county statistician uploaded that were refused or read wrongly:
contact and remark columns beside the indicators, 未填報 in traditional
script, and a growth column beside a cumulative (range-period) value."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import xlsx_bytes

from parkbench import store
from parkbench.ingest import parse_file

TITLE = ["2024年1-3月各园区主要经济指标"]
UNITS = ["单位：万元"]


def wide_cumulative(extra_headers: list[str], extra_cells: list[list]) -> bytes:
    """Family A: one row per park, 1-3月 cumulative, with extra columns at the right."""
    header = ["园区名称", "规上工业总产值（万元）", "税收（万元）", *extra_headers]
    rows = [["确山县产业集聚区", 1000, 50], ["泌阳县产业集聚区", 2000, 80]]
    body = [row + extra for row, extra in zip(rows, extra_cells, strict=True)]
    return xlsx_bytes({"2024年1-3月": [TITLE, UNITS, header, *body, ["合计", 3000, 130]]})


def wide_monthly(extra_headers: list[str], extra_cells: list[list]) -> bytes:
    """Family D: one row per park and month, with extra columns at the right."""
    header = ["园区名称", "月份", "规上工业总产值（万元）", "税收（万元）", *extra_headers]
    rows = [["确山县产业集聚区", "2024-03", 1000, 50], ["泌阳县产业集聚区", "2024-03", 2000, 80]]
    body = [row + extra for row, extra in zip(rows, extra_cells, strict=True)]
    return xlsx_bytes({"Sheet1": [header, *body]})


def values(parsed) -> dict[tuple[str, str], float]:
    return {(r.park, r.indicator): r.value for r in parsed.observations.itertuples()}


@pytest.mark.parametrize("make", [wide_cumulative, wide_monthly], ids=["family A", "family D"])
def test_contact_columns_are_skipped_and_listed_not_a_reason_to_refuse(make):
    data = make(["联系人", "联系电话", "填报人", "手机"],
                [["张三", "0396-7012345", "王五", "13800000000"],
                 ["李四", "0396-8012345", "赵六", "13900000000"]])
    parsed = parse_file(data, "园区指标.xlsx")
    assert values(parsed) == {("确山县产业集聚区", "output"): 1000, ("泌阳县产业集聚区", "output"): 2000,
                              ("确山县产业集聚区", "tax"): 50, ("泌阳县产业集聚区", "tax"): 80}
    listed = "\n".join(parsed.warnings)
    # Family A: 园区名称 A, 产值 B, 税收 C, then the extras from D; family D has 月份 in B, extras from E.
    letters = "DEFG" if make is wide_cumulative else "EFGH"
    for letter, header in zip(letters, ["联系人", "联系电话", "填报人", "手机"], strict=True):
        assert f"第 {letter} 列（{header}）不是数值列，已跳过" in listed


def test_an_unnamed_text_column_is_skipped_but_an_unknown_indicator_keeps_its_numbers():
    data = wide_cumulative(["所在乡镇", "研发人员（人）"], [["城关镇", 12], ["留庄镇", 30]])
    parsed = parse_file(data, "园区指标.xlsx")
    assert "第 D 列（所在乡镇）不是数值列，已跳过" in "\n".join(parsed.warnings)
    kept = {(r.park, r.indicator): r.value for r in parsed.observations.itertuples()
            if r.indicator not in ("output", "tax")}
    assert kept == {("确山县产业集聚区", "研发人员"): 12, ("泌阳县产业集聚区", "研发人员"): 30}


def test_an_unknown_indicator_with_one_bad_cell_is_still_refused_at_that_cell():
    data = wide_cumulative(["研发人员（人）"], [[12], ["十二"]])
    with pytest.raises(Exception, match="第 5 行，第 D 列（研发人员（人））：“十二”不是数字"):
        parse_file(data, "园区指标.xlsx")


@pytest.mark.parametrize("mark", ["未填報", "未填报", "未報"])
def test_not_reported_in_either_script_is_missing_not_a_bad_cell(mark):
    data = xlsx_bytes({"2024年1-3月": [TITLE, UNITS, ["园区名称", "规上工业总产值（万元）", "税收（万元）"],
                                       ["确山县产业集聚区", 1000, mark]]})
    parsed = parse_file(data, "园区指标.xlsx")
    assert values(parsed) == {("确山县产业集聚区", "output"): 1000}


def test_growth_beside_a_range_period_value_is_the_cumulative_growth(fresh_db):
    """统计期 2023年1-11月: the value is 1-11月 累计, so its 增速 is 累计同比."""
    data = xlsx_bytes({"Sheet1": [["园区名称", "统计期", "规上工业总产值（亿元）", "规上工业总产值增速(%)"],
                                  ["确山县产业集聚区", "2023年1-11月", 53.2, 22.5]]})
    parsed = parse_file(data, "确山.xlsx")
    growth = parsed.growth.iloc[0]
    assert (growth.indicator, growth.period, growth.basis, growth.value) == ("output", dt.date(2023, 11, 1), "ytd", 22.5)
    store.save(fresh_db, parsed, data)
    stored = dict(fresh_db.execute(
        "select metric, value from metric_values where park = '确山县产业集聚区' and period = date '2023-11-01' "
        "and metric in ('output_ytd_yoy_reported', 'output_yoy_reported')").fetchall())
    assert stored == {"output_ytd_yoy_reported": 22.5}


SEED_002 = ("園區,期間,指標,口徑,數值,單位,同比增長(%)\n"
            "確山縣產業集聚區,2023年1-11月,規上工業總產值,累計,53.2,億元,22.5\n"
            "確山縣產業集聚區,2023年11月,稅收收入,本月,1.5,億元,\n"
            "確山縣產業集聚區,2023年1-11月,規上工業增加值,累計,,,8.1\n")


def test_a_long_tables_growth_column_is_the_published_growth_of_each_row(fresh_db):
    """Seed 002's 确山 figures typed in: 53.2 亿元, +22.5 %; a growth-only row (增加值) keeps its growth."""
    data = SEED_002.encode("utf-8")
    parsed = parse_file(data, "确山.csv")
    growth = {(r.indicator, r.basis): r.value for r in parsed.growth.itertuples()}
    assert growth == {("output", "ytd"): 22.5, ("value_added", "ytd"): 8.1}
    store.save(fresh_db, parsed, data)
    published = dict(fresh_db.execute(
        "select metric, value from metric_values where park = '确山县产业集聚区' and period = date '2023-11-01' "
        "and metric like '%reported'").fetchall())
    assert published == {"output_ytd_yoy_reported": 22.5, "value_added_ytd_yoy_reported": 8.1}


def test_the_fast_long_csv_path_leaves_a_growth_column_to_the_general_reader():
    from parkbench.ingest import long_csv

    assert long_csv.header_roles("园区,期间,指标,口径,数值,单位") is not None
    assert long_csv.header_roles("园区,期间,指标,口径,数值,单位,同比增长(%)") is None
