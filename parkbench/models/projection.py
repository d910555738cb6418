"""预计全年: the full year of a cumulative flow at the current pace, as county
reports write it (``预计全年…实现工业总产值140亿元``). Two paces from 1–N月:

- plain: YTD × 12 ÷ N (every month like the average month so far);
- seasonal: YTD ÷ (last year's 1–N月 ÷ last year's 1–12月), i.e. this year keeps
  last year's share of the year done by month N; only where last year has both
  cumulatives (a complete year) and a positive full year.

Projections are computed on demand for display: never stored, never in
metric_values, never ranked or benchmarked as actuals; every text says 预计.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from parkbench.catalog import INDICATOR_BY_ID
from parkbench.models import sql
from parkbench.models.metrics import month_start

INDICATORS = ("output", "tax", "fixed_investment")  # the cumulative flows 趋势 shows
YI = 10_000  # 万元 per 亿元


@dataclass(frozen=True)
class Projection:
    park: str
    indicator: str
    period: dt.date  # month N, 1 ≤ N ≤ 11
    ytd: float  # 1–N月 cumulative, 万元
    plain: float  # ytd × 12 ÷ N
    seasonal: float | None  # ytd ÷ last_year_share; None: see seasonal_reason
    last_year_share: float | None  # last year's 1–N月 ÷ 1–12月 (a fraction)
    seasonal_reason: str | None  # why there is no seasonal pace (Chinese)
    seasonal_reason_en: str | None

    @property
    def month(self) -> int:
        return self.period.month


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def project(con: duckdb.DuckDBPyConnection, park: str, indicator: str, period: str | dt.date) -> Projection | None:
    """预计全年 of ``indicator`` for ``park`` from 1–N月 of ``period``; None for December
    (the year is known), or when 1–N月 is unknown."""
    month = month_start(period)
    if month.month == 12:
        return None
    row = sql.query(con, "reads/projection_inputs", park=park, indicator=indicator, period=month).iloc[0]
    ytd, last_ytd, last_full = (_number(row[c]) for c in ("ytd_value", "last_year_ytd", "last_year_full"))
    if ytd is None:
        return None
    plain = ytd * 12 / month.month
    last = month.year - 1
    share = seasonal = reason = reason_en = None
    if last_ytd is None or last_full is None:
        missing = [(zh, en) for zh, en, value in ((f"1-{month.month}月", f"Jan–{month:%b}", last_ytd),
                                                  ("全年（12月累计）", "the full year", last_full)) if value is None]
        reason = f"{last}年{'和'.join(zh for zh, _ in missing)}数据不全，无法按上年进度推算"
        reason_en = f"{last} lacks {' and '.join(en for _, en in missing)}, so no pace of last year"
    elif last_full <= 0 or last_ytd <= 0:
        reason = f"{last}年累计值不为正，无法按上年进度推算"
        reason_en = f"{last}'s cumulative values are not positive, so no seasonal pace"
    else:
        share = last_ytd / last_full
        seasonal = ytd / share
    return Projection(park, indicator, month, ytd, plain, seasonal, share, reason, reason_en)


def amount(value: float, lang: str = "zh") -> str:
    """万元 as a report writes it: 亿元 from 1 亿 up (``1.44 亿元``), else 万元."""
    if abs(value) >= YI:
        return f"{value / YI:,.2f} 亿元" if lang == "zh" else f"{value / YI:,.2f} 100m yuan"
    return f"{value:,.1f} 万元" if lang == "zh" else f"{value:,.1f} 10k yuan"


def sentences(p: Projection | None, lang: str = "zh") -> list[str]:
    """``预计全年规上工业总产值约 1.44 亿元（按1-3月进度）`` and the seasonal variant
    (or why it is missing); empty for None."""
    if p is None:
        return []
    ind = INDICATOR_BY_ID[p.indicator]
    if lang == "zh":
        out = [f"预计全年{ind.zh}约 {amount(p.plain)}（按1-{p.month}月进度）"]
        if p.seasonal is not None:
            out.append(f"预计全年{ind.zh}约 {amount(p.seasonal)}（按上年同期进度：{p.period.year - 1}年1-{p.month}月"
                       f"占全年 {100 * p.last_year_share:.1f}%）")
        return out
    months = f"Jan–{p.period:%b}"
    out = [f"Projected full-year {ind.en.lower()}: about {amount(p.plain, lang)} (at the {months} pace)"]
    if p.seasonal is not None:
        out.append(f"Projected full-year {ind.en.lower()}: about {amount(p.seasonal, lang)} (at last year's pace: "
                   f"{months} {p.period.year - 1} was {100 * p.last_year_share:.1f}% of that year)")
    return out
