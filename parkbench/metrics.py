"""Metric queries for pages and the command line. Every number is computed in
SQL (queries/); these functions choose the query and its parameters."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from parkbench import sql


def month_start(period: str | dt.date | None) -> dt.date | None:
    """'2024-03' or a date → the first day of that month."""
    if period is None or isinstance(period, dt.date):
        return period.replace(day=1) if period else None
    year, month = str(period).split("-")[:2]
    return dt.date(int(year), int(month), 1)


def metric_values(con: duckdb.DuckDBPyConnection, parks: list[str] | None = None,
                  start: str | dt.date | None = None, end: str | dt.date | None = None) -> pd.DataFrame:
    """Long table: park, period ('YYYY-MM'), metric, value."""
    return sql.query(con, "views/metric_export", parks=parks or None,
                     start=month_start(start), end=month_start(end))


def compare(con: duckdb.DuckDBPyConnection, metric: str, period: str | dt.date,
            parks: list[str] | None = None) -> pd.DataFrame:
    """One metric, one month, a set of parks: value, rank and peer statistics."""
    return sql.query(con, "views/compare", metric=metric, period=month_start(period), parks=parks or None)


def key_figures(con: duckdb.DuckDBPyConnection, period: str | dt.date | None = None) -> pd.DataFrame:
    """Each park's headline numbers at its latest month up to ``period`` (None: its latest)."""
    return sql.query(con, "views/key_figures", period=month_start(period))


def periods(con: duckdb.DuckDBPyConnection, metric: str | None = None) -> list[dt.date]:
    frame = sql.query(con, "views/periods", metric=metric)
    return [pd.Timestamp(p).date() for p in frame["period"]]


def park_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return sql.query(con, "views/park_names")["park"].tolist()


TREND_INDICATORS = ("output", "tax", "fixed_investment")


def trend(con: duckdb.DuckDBPyConnection, indicator: str, parks: list[str] | None = None) -> pd.DataFrame:
    """One flow indicator month by month: levels, 同比, 环比, 累计同比 and the reported growth."""
    return sql.query(con, "views/trend", indicator=indicator, parks=parks or None)


def series(con: duckdb.DuckDBPyConnection, metrics: list[str], parks: list[str] | None = None) -> pd.DataFrame:
    return sql.query(con, "views/series", metrics=list(metrics), parks=parks or None)


def industries(con: duckdb.DuckDBPyConnection, period: str | dt.date, parks: list[str] | None = None) -> pd.DataFrame:
    return sql.query(con, "views/industries", period=month_start(period), parks=parks or None)


def industry_periods(con: duckdb.DuckDBPyConnection) -> list[dt.date]:
    return [pd.Timestamp(p).date() for p in sql.query(con, "views/industry_periods")["period"]]
