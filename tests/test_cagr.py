"""年均增长 (CAGR) over whole calendar years: given rows → expected rows on a real DuckDB."""

from __future__ import annotations

import math

import pytest

from parkbench.models import metrics
from tests.conftest import store_rows


@pytest.fixture
def con(fresh_db):
    store_rows(fresh_db, [
        ("甲园区", "output", "2021-12", "ytd", 100), ("甲园区", "output", "2023-12", "ytd", 121),
        ("乙园区", "output", "2021-12", "ytd", 0), ("乙园区", "output", "2023-12", "ytd", 50),
        ("丙园区", "output", "2021-12", "ytd", 200), ("丙园区", "output", "2023-11", "ytd", 260),  # 2023 not complete
        ("丁园区", "output", "2022-12", "ytd", 400), ("丁园区", "output", "2023-12", "ytd", 300),
    ])
    return fresh_db


def test_two_year_average_growth_is_the_square_root(con):
    rows = metrics.cagr(con, "output", 2021, 2023).set_index("park")
    # 甲: √(121 ÷ 100) − 1 = 10 %
    assert rows.loc["甲园区", "cagr"] == pytest.approx(10.0)
    assert rows.loc["甲园区", "years"] == 2
    assert math.isnan(rows.loc["乙园区", "cagr"])  # zero base
    assert math.isnan(rows.loc["丙园区", "cagr"])  # 2023 has no December: not a whole year
    assert math.isnan(rows.loc["丁园区", "cagr"])  # no 2021


def test_one_year_is_the_annual_growth(con):
    rows = metrics.cagr(con, "output", 2022, 2023, ["丁园区"]).set_index("park")
    assert list(rows.index) == ["丁园区"]
    assert rows.loc["丁园区", "cagr"] == pytest.approx(-25.0)  # 300 ÷ 400 − 1


def test_complete_years_and_bad_span(con):
    assert metrics.complete_years(con, "output") == [2021, 2022, 2023]
    with pytest.raises(ValueError):
        metrics.cagr(con, "output", 2023, 2023)
