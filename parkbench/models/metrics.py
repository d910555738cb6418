"""Metric queries for pages and the command line. Every number is computed in
SQL (queries/); these functions choose the query and its parameters."""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import pandas as pd

from parkbench.errors import InputError
from parkbench.models import sql


def month_start(period: str | dt.date | None) -> dt.date | None:
    """'2024-03' or a date → the first day of that month."""
    if period is None or isinstance(period, dt.date):
        return period.replace(day=1) if period else None
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})(?:-\d{1,2})?\s*", str(period))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InputError(f"期间“{period}”应写成 YYYY-MM，例如 2024-03")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def metric_values(con: duckdb.DuckDBPyConnection, parks: list[str] | None = None,
                  start: str | dt.date | None = None, end: str | dt.date | None = None) -> pd.DataFrame:
    """Long table: park, period ('YYYY-MM'), metric, value."""
    return sql.query(con, "reads/metric_export", parks=parks or None,
                     start=month_start(start), end=month_start(end))


def key_figures(con: duckdb.DuckDBPyConnection, period: str | dt.date | None = None) -> pd.DataFrame:
    """Each park's headline numbers at its latest month up to ``period`` (None: its latest)."""
    return sql.query(con, "reads/key_figures", period=month_start(period))


def periods(con: duckdb.DuckDBPyConnection, metric: str | None = None) -> list[dt.date]:
    frame = sql.query(con, "reads/periods", metric=metric)
    return [pd.Timestamp(p).date() for p in frame["period"]]


def park_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return sql.query(con, "reads/park_names")["park"].tolist()


TREND_INDICATORS = ("output", "tax", "fixed_investment")


def trend(con: duckdb.DuckDBPyConnection, indicator: str, parks: list[str] | None = None) -> pd.DataFrame:
    """One flow indicator month by month: levels, 同比, 环比, 累计同比 and the reported growth."""
    return sql.query(con, "reads/trend", indicator=indicator, parks=parks or None)


def series(con: duckdb.DuckDBPyConnection, metrics: list[str], parks: list[str] | None = None) -> pd.DataFrame:
    return sql.query(con, "reads/series", metrics=list(metrics), parks=parks or None)


def industries(con: duckdb.DuckDBPyConnection, period: str | dt.date, parks: list[str] | None = None) -> pd.DataFrame:
    return sql.query(con, "reads/industries", period=month_start(period), parks=parks or None)


def industry_periods(con: duckdb.DuckDBPyConnection) -> list[dt.date]:
    return [pd.Timestamp(p).date() for p in sql.query(con, "reads/industry_periods")["period"]]


def metric_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every metric id with a value somewhere (computed or published), sorted."""
    return sql.query(con, "reads/metric_ids")["metric"].tolist()


def cagr(con: duckdb.DuckDBPyConnection, indicator: str, start_year: int, end_year: int,
         parks: list[str] | None = None) -> pd.DataFrame:
    """年均增长 (%) of a flow indicator from one whole calendar year to a later one (reads/cagr.sql)."""
    if end_year <= start_year:
        raise ValueError("年均增长的末年须晚于起始年")
    return sql.query(con, "reads/cagr", indicator=indicator, start_year=int(start_year), end_year=int(end_year),
                     parks=parks or None)


def complete_years(con: duckdb.DuckDBPyConnection, indicator: str) -> list[int]:
    """Calendar years with a full-year (December year-to-date) value for some park."""
    return [int(y) for y in sql.query(con, "reads/cagr_years", indicator=indicator)["year"]]
