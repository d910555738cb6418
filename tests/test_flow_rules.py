"""Metric rules on hand-computed small cases (given rows → expected values),
on a real in-memory DuckDB."""

from __future__ import annotations

import pytest
from conftest import flow, metric, store_rows

P = "测试园区"


def test_month_and_cumulative_derive_from_each_other(fresh_db):
    store_rows(fresh_db, [
        (P, "output", "2023-01", "month", 10), (P, "output", "2023-02", "month", 20),
        (P, "output", "2023-03", "ytd", 65),
    ])
    assert flow(fresh_db, P, "output", "2023-01") == (10, 10)
    assert flow(fresh_db, P, "output", "2023-02") == (20, 30)
    # March's month is the difference of cumulative values: 65 − (10 + 20).
    assert flow(fresh_db, P, "output", "2023-03") == (35, 65)


def test_missing_month_makes_cumulative_unknown_not_smaller(fresh_db):
    store_rows(fresh_db, [
        (P, "output", "2023-01", "month", 10), (P, "output", "2023-02", "month", 20),
        (P, "output", "2023-04", "month", 40), (P, "land_area", "2023-01", "stock", 100),
    ])
    assert flow(fresh_db, P, "output", "2023-03") == (None, None)
    assert flow(fresh_db, P, "output", "2023-04") == (40, None)
    assert metric(fresh_db, P, "2023-02", "output_per_mu") == pytest.approx(0.30)
    assert metric(fresh_db, P, "2023-04", "output_per_mu") is None
    assert metric(fresh_db, P, "2023-04", "output_mom") is None  # March is unknown


def test_combined_january_february_is_a_february_cumulative(fresh_db):
    store_rows(fresh_db, [
        (P, "tax", "2024-02", "ytd", 30), (P, "tax", "2024-03", "ytd", 66),
        (P, "tax", "2024-04", "ytd", 99), (P, "land_area", "2024-02", "stock", 60),
    ])
    assert flow(fresh_db, P, "tax", "2024-01") == (None, None)
    assert flow(fresh_db, P, "tax", "2024-02") == (None, 30)  # no February of its own
    assert flow(fresh_db, P, "tax", "2024-03") == (36, 66)
    assert metric(fresh_db, P, "2024-02", "tax_per_mu") == pytest.approx(0.5)
    assert metric(fresh_db, P, "2024-03", "tax_mom") is None
    assert metric(fresh_db, P, "2024-04", "tax_mom") == pytest.approx(100 * (33 / 36 - 1))


def test_land_reported_once_is_carried_forward_never_back(fresh_db):
    store_rows(fresh_db, [
        (P, "tax", "2022-12", "ytd", 50),
        *[(P, "tax", f"2023-{m:02d}", "month", 10) for m in range(1, 7)],
        (P, "land_area", "2023-01", "stock", 1500), (P, "land_area", "2023-04", "stock", 3000),
    ])
    assert metric(fresh_db, P, "2022-12", "tax_per_mu") is None  # land not yet reported
    assert metric(fresh_db, P, "2023-03", "tax_per_mu") == pytest.approx(30 / 1500)
    assert metric(fresh_db, P, "2023-06", "tax_per_mu") == pytest.approx(60 / 3000)
    # Annualised: × 12 ÷ 6 for June.
    assert metric(fresh_db, P, "2023-06", "tax_per_mu_annual") == pytest.approx(60 / 3000 * 2)


def test_growth_over_zero_or_unknown_base_is_null(fresh_db):
    store_rows(fresh_db, [
        (P, "output", "2023-03", "month", 0), (P, "output", "2024-02", "month", 0),
        (P, "output", "2024-03", "month", 50), (P, "output", "2024-04", "month", 60),
    ])
    assert metric(fresh_db, P, "2024-03", "output_yoy") is None  # base is 0
    assert metric(fresh_db, P, "2024-03", "output_mom") is None  # base is 0
    assert metric(fresh_db, P, "2024-04", "output_mom") == pytest.approx(20.0)
    assert metric(fresh_db, P, "2024-04", "output_yoy") is None  # April 2023 unknown


def test_year_over_year_and_january_against_december(fresh_db):
    store_rows(fresh_db, [
        (P, "output", "2023-01", "month", 80), (P, "output", "2023-12", "month", 200),
        (P, "output", "2024-01", "month", 100),
        (P, "output", "2023-11", "ytd", 1000), (P, "output", "2024-11", "ytd", 1150),
    ])
    assert metric(fresh_db, P, "2024-01", "output_yoy") == pytest.approx(25.0)
    assert metric(fresh_db, P, "2024-01", "output_mom") == pytest.approx(-50.0)
    assert metric(fresh_db, P, "2024-01", "output_ytd_yoy") == pytest.approx(25.0)
    assert metric(fresh_db, P, "2024-11", "output_ytd_yoy") == pytest.approx(15.0)


def test_reported_cumulative_wins_over_sum_of_months(fresh_db):
    store_rows(fresh_db, [
        (P, "output", "2023-01", "month", 10), (P, "output", "2023-02", "month", 20),
        (P, "output", "2023-02", "ytd", 31),
    ])
    assert flow(fresh_db, P, "output", "2023-02") == (20, 31)


def test_leading_share_and_reported_growth(fresh_db):
    store_rows(fresh_db, [
        (P, "output", "2023-06", "ytd", 532_000), (P, "leading_output", "2023-06", "ytd", 357_000),
        (P, "tax", "2023-06", "ytd", 11_400), (P, "leading_tax", "2023-06", "ytd", 8_200),
    ], growth=[(P, "output", "2023-06", "ytd", 22.5)])
    assert metric(fresh_db, P, "2023-06", "leading_share") == pytest.approx(67.105, abs=0.001)
    assert metric(fresh_db, P, "2023-06", "leading_tax_share") == pytest.approx(71.93, abs=0.01)
    assert metric(fresh_db, P, "2023-06", "output_ytd_yoy_reported") == 22.5
    assert metric(fresh_db, P, "2023-06", "output_ytd_yoy") is None  # no 2022 level stored


def test_prior_year_cumulative_gives_growth(fresh_db):
    store_rows(fresh_db, [(P, "output", "2022-11", "ytd", 1_067_670), (P, "output", "2023-11", "ytd", 1_242_000)])
    assert metric(fresh_db, P, "2023-11", "output_ytd_yoy") == pytest.approx(16.328, abs=0.001)
