"""Tables as exported to Excel, opened with openpyxl; the park × metric table
of the 排名 page on hand-written rows."""

from __future__ import annotations

import io
import math

import openpyxl
import pandas as pd
import pytest

from parkbench.models import benchmark
from parkbench.output import export
from parkbench.output.tables import Column, league_table, park_metric_table
from tests.conftest import store_rows

COLUMNS = [
    Column("park", "园区", "Park"),
    Column("tax_per_mu", "亩均税收（万元/亩）", "Tax per mu (10k yuan/mu)", "num2"),
    Column("share", "主导产业占比（%）", "Leading share (%)", "pct"),
    Column("rank", "排名", "Rank", "int"),
]
FRAME = pd.DataFrame({
    "park": ["=1+1", "@SUM(A1)", "甲园区"],
    "tax_per_mu": [1.23456, float("nan"), 0.5],
    "share": [62.5, 40.0, None],
    "rank": [1.0, float("nan"), 2.0],
})


@pytest.fixture
def sheet():
    data = export.table_xlsx(FRAME, COLUMNS, "亩均税收：园区对比", ["统计期：2024年12月", "对标组：同类园区（3 个园区）"])
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_title_block_and_headers_with_units(sheet):
    assert sheet["A1"].value == "亩均税收：园区对比"
    assert sheet["A2"].value == "统计期：2024年12月"
    assert sheet["A3"].value == "对标组：同类园区（3 个园区）"
    assert sheet["A4"].value is None  # a blank row before the table
    header_row = 5  # title + 2 meta lines + blank row → headers on row 5
    assert [c.value for c in sheet[header_row]] == ["园区", "亩均税收（万元/亩）", "主导产业占比（%）", "排名"]
    assert sheet.freeze_panes == f"B{header_row + 1}"


def test_numbers_are_numbers_with_formats(sheet):
    first = 6
    assert sheet.cell(first, 2).value == pytest.approx(1.23456)
    assert sheet.cell(first, 2).number_format == "#,##0.00"
    assert sheet.cell(first, 3).value == pytest.approx(0.625)  # 62.5 % as a fraction…
    assert sheet.cell(first, 3).number_format == "0.0%"  # …shown 62.5%
    assert sheet.cell(first, 4).value == 1 and sheet.cell(first, 4).number_format == "#,##0"
    assert sheet.cell(first + 1, 2).value is None  # unknown stays empty, never 0
    assert sheet.cell(first + 2, 3).value is None
    assert sheet.column_dimensions["B"].width >= 10


def test_user_text_never_becomes_a_formula(sheet):
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert sheet["A6"].value == "=1+1" and sheet["A6"].data_type == "s"
    assert sheet["A7"].value == "@SUM(A1)" and sheet["A7"].data_type == "s"


def test_unknown_is_shown_as_not_reported():
    column = COLUMNS[1]
    assert column.text(float("nan")) == "未报送"
    assert column.text(None, "en") == "not reported"
    assert column.text(1234.5) == "1,234.50"
    assert COLUMNS[2].text(62.54) == "62.5%"


@pytest.fixture
def league(fresh_db):
    # 亩均税收 = tax ÷ land: 甲 300/100 = 3.00, 乙 200/100 = 2.00, 丙 200/100 = 2.00, 丁 no tax
    rows = [(p, "land_area", "2024-01", "stock", 100) for p in ("甲园区", "乙园区", "丙园区", "丁园区")]
    rows += [(p, "tax", "2024-03", "ytd", v) for p, v in (("甲园区", 300), ("乙园区", 200), ("丙园区", 200))]
    store_rows(fresh_db, rows)
    # 丁 sent nothing in March: named, so it is in the set (a row without value)
    return benchmark.league(fresh_db, "2024-03", ["甲园区", "乙园区", "丙园区", "丁园区"], metrics=["tax_per_mu"])


def test_park_by_metric_table(league):
    table, columns = park_metric_table(league)
    assert list(table["park"]) == ["丁园区", "丙园区", "乙园区", "甲园区"]
    by_park = table.set_index("park")
    assert by_park.loc["甲园区", "tax_per_mu:value"] == pytest.approx(3.0)
    assert by_park.loc["乙园区", "tax_per_mu:rank"] == 2 and by_park.loc["丙园区", "tax_per_mu:rank"] == 2
    assert math.isnan(by_park.loc["丁园区", "tax_per_mu:value"]) and math.isnan(by_park.loc["丁园区", "tax_per_mu:rank"])
    assert pd.isna(by_park.loc["丁园区", "tax_per_mu:class"])
    # three ranked: 甲 rank 1 → 1/3 > 20 % → B under the default 20/60/95 rule is i12eval's to change;
    # here only that a class is given to each ranked park
    assert by_park["tax_per_mu:class"].notna().sum() == 3
    assert table["tax_per_mu:value"].dtype == "float64"
    headers = [c.header() for c in columns]
    assert headers == ["园区", "亩均税收（万元/亩）", "亩均税收 排名（共3个）", "亩均税收 等级", "说明", "数据审核（⚠ 的原因）"]
    assert [c.header("en") for c in columns][1] == "Tax per mu (10k yuan/mu)"


def test_park_by_metric_table_exports(league):
    table, columns = park_metric_table(league)
    book = openpyxl.load_workbook(io.BytesIO(export.table_xlsx(table, columns, "园区 × 指标总表", ["统计期：2024年3月"])))
    sheet = book.active
    assert [c.value for c in sheet[4]] == ["园区", "亩均税收（万元/亩）", "亩均税收 排名（共3个）", "亩均税收 等级", "说明",
                                          "数据审核（⚠ 的原因）"]
    assert sheet["B8"].value == pytest.approx(3.0) and sheet["A8"].value == "甲园区"


def test_league_table_keeps_numbers(league):
    table, columns = league_table(league)
    assert table["value"].dtype == "float64" and table["rank"].dtype == "float64"
    assert table.iloc[0]["park"] == "甲园区" and table.iloc[0]["rank"] == 1
    assert {c.key for c in columns} == set(table.columns)


def test_exports_carry_the_mark_of_a_published_growth_and_of_a_flagged_value(fresh_db):
    """Issue 18, item 24: in the Excel of 排名's two tables, 甲's published growth (no 2023 level to
    compute from) is ranked with its 报送 mark, and 乙's growth built on a tax below last month's
    cumulative carries its ⚠."""
    from parkbench.models import checks

    store_rows(fresh_db, [("乙园区", "tax", "2023-02", "ytd", 500), ("乙园区", "tax", "2024-01", "ytd", 700),
                          ("乙园区", "tax", "2024-02", "ytd", 650), ("甲园区", "tax", "2024-02", "ytd", 800)],
               growth=[("甲园区", "tax", "2024-02", "ytd", 9.0)])
    league = benchmark.league(fresh_db, "2024-02", metrics=["tax_ytd_yoy"])
    flags = checks.flagged_metrics(fresh_db, benchmark.month_start("2024-02"))

    long, long_columns = league_table(league, flags=flags)
    cells = _exported(long, long_columns)
    jia, yi = cells["甲园区"], cells["乙园区"]
    assert jia["排名"] == 2 and jia["数值（单位见指标）"] == pytest.approx(9.0) and jia["说明"] == "+9.0%（报送）"
    assert "（报送）" in jia["报告用语"]
    assert yi["排名"] == 1 and not yi["说明"]  # 650 ÷ 500 − 1 = +30 %, computed
    assert yi["数据审核（⚠ 的原因）"].startswith("⚠ ") and "低于上月累计 700.0 万元" in yi["数据审核（⚠ 的原因）"]
    assert not jia["数据审核（⚠ 的原因）"]

    wide, wide_columns = park_metric_table(league, flags=flags)
    cells = _exported(wide, wide_columns)
    assert cells["甲园区"]["说明"] == "+9.0%（报送）（税收累计同比）"
    assert cells["乙园区"]["数据审核（⚠ 的原因）"].endswith("（税收累计同比）")


def _exported(frame, columns) -> dict[str, dict]:
    """The Excel of a table, opened: park → header → cell."""
    sheet = openpyxl.load_workbook(io.BytesIO(export.table_xlsx(frame, columns, "表", ["统计期：2024年2月"]))).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))  # after the title, one meta line and a blank row
    header = rows[0]
    return {row[header.index("园区")]: dict(zip(header, row, strict=True)) for row in rows[1:]}
