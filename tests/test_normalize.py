"""Cell-level rules of input-formats.md: text folding, numbers, periods, units."""

from __future__ import annotations

import datetime as dt

import pytest

from parkbench.ingest.normalize import (
    display_text,
    fold,
    match_indicator,
    parse_number,
    parse_period,
    split_unit,
    unit_factor,
)


def test_fold_traditional_fullwidth_and_spaces():
    assert fold("確山縣產業集聚區") == "确山县产业集聚区"
    assert fold(" 确山 县　产业集聚区 ") == "确山县产业集聚区"
    assert fold("税收（万元）") == "税收(万元)"
    assert fold("２０２４年３月") == "2024年3月"


def test_display_text_keeps_code_like_names_literal():
    assert display_text("<script>alert(1)</script>") == "<script>alert(1)</script>"
    assert display_text("'; DROP TABLE parks; --") == "'; DROP TABLE parks; --"


@pytest.mark.parametrize(("cell", "value"), [
    ("1,234.5", 1234.5), (" 12 ", 12.0), ("１２３", 123.0), ("22.5%", 22.5), (7, 7.0), (3.5, 3.5),
    ("-3.2", -3.2),
])
def test_numbers(cell, value):
    assert parse_number(cell) == value


@pytest.mark.parametrize("cell", ["", "—", "-", "/", "…", "未填报", None, "——"])
def test_missing_marks_are_not_zero(cell):
    assert parse_number(cell) is None


def test_text_is_not_a_number():
    with pytest.raises(ValueError, match="不是数字"):
        parse_number("十二")


@pytest.mark.parametrize(("cell", "expected"), [
    ("2024年3月", (2024, 3, False)), ("2024-03", (2024, 3, False)), ("2024/3", (2024, 3, False)),
    ("202403", (2024, 3, False)), ("2024.3", (2024, 3, False)), ("2024.11", (2024, 11, False)),
    (dt.datetime(2024, 3, 1), (2024, 3, False)), (45352, (2024, 3, False)), (202403, (2024, 3, False)),
    ("2024年1-3月", (2024, 3, True)), ("2024年1—3月", (2024, 3, True)), ("2024年1-2月", (2024, 2, True)),
    ("2024年一季度", (2024, 3, True)), ("2024年上半年", (2024, 6, True)), ("2024年前三季度", (2024, 9, True)),
])
def test_periods(cell, expected):
    assert tuple(parse_period(cell)) == expected


def test_period_year_from_context():
    assert tuple(parse_period("1-3月", default_year=2023)) == (2023, 3, True)
    assert tuple(parse_period("3月", default_year=2023)) == (2023, 3, False)


@pytest.mark.parametrize("cell", ["2024-13", "2024年0月", "3025-01", "上个月"])
def test_impossible_periods(cell):
    with pytest.raises(ValueError):
        parse_period(cell)


@pytest.mark.parametrize(("unit", "factor", "canonical"), [
    ("元", 1e-4, "万元"), ("千元", 0.1, "万元"), ("万元", 1, "万元"), ("亿元", 1e4, "万元"),
    ("公顷", 15, "亩"), ("平方公里", 1500, "亩"), ("亩", 1, "亩"), ("家", 1, "户"), ("万人", 1e4, "人"),
])
def test_units(unit, factor, canonical):
    got = unit_factor(unit)
    assert got[0] == pytest.approx(factor) and got[1] == canonical


def test_square_metres():
    assert unit_factor("平方米")[0] * 666.67 == pytest.approx(1)


def test_header_units_and_indicator_names():
    assert split_unit("税收（万元）") == ("税收", "万元")
    assert match_indicator("规模以上工业总产值(亿元)") == "output"
    assert match_indicator("#工业投资") == "industrial_investment"
    assert match_indicator("其中：技改投资") == "tech_investment"
    assert match_indicator("實繳稅收") == "tax"
    assert match_indicator("新产品产值") == "新产品产值"  # unknown indicators keep their name
    assert match_indicator("用电量(千瓦时)") == "electricity"  # a catalogue indicator since issue 19
    assert unit_factor("千瓦时") == (pytest.approx(1e-4), "万千瓦时")
