"""Reporting status (报送进度): which park has reported which month, the
month every page opens on, and who is late.

A park has *reported* a month when it has a value, reported or derived, of
output or tax for it (reads/reported_months). The default period of every
page is the newest month at least half of the group has reported
(settings.DEFAULT_PERIOD_SHARE), not the newest month anyone sent: one park
sending next month early must not turn every chart into one bar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from parkbench.models import sql
from parkbench.models.settings import DEFAULT_PERIOD_SHARE, REPORT_DUE_DAY

GROUP_LABELS = {"key": "产值或税收", "output": "产值", "tax": "税收", "investment": "投资",
                "land": "用地", "firms": "企业"}
STATUS_LABELS = {"reported": "已报送", "derived": "推算", "missing": "未报送"}


@dataclass
class Summary:
    """Where a group of parks stands. Periods are first days of months."""

    parks: list[str]
    default_period: dt.date | None  # newest month ≥ half of the parks reported
    complete_period: dt.date | None  # newest month every park reported
    newest_period: dt.date | None  # newest month any park reported
    latest_by_park: dict[str, dt.date | None] = field(default_factory=dict)

    def missing_at(self, period: dt.date | None) -> list[str]:
        """Parks with no output or tax value for ``period``."""
        return missing_parks_from(self._reported, period, self.parks)

    _reported: dict[str, set] = field(default_factory=dict, repr=False)

    @property
    def late(self) -> list[str]:
        """Parks that have not reported the default period."""
        return self.missing_at(self.default_period)

    def gaps_before(self, period: dt.date | None) -> dict[str, list[dt.date]]:
        """park → the months it has not reported between its first reported month
        and ``period``: what 全部园区已报送的最新月份 does not say (every park has
        that month, but some may miss one before it)."""
        if period is None:
            return {}
        gaps = {}
        for park in self.parks:
            months = self._reported.get(park, set())
            first = min((m for m in months if m <= period), default=None)
            if first is None:
                continue
            missing = [m for m in _months_between(first, period) if m not in months]
            if missing:
                gaps[park] = missing
        return gaps


def _months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [d.date() for d in pd.date_range(first, last, freq="MS")]


def reported_months(con: duckdb.DuckDBPyConnection, parks: list[str] | None = None) -> dict[str, set]:
    frame = sql.query(con, "reads/reported_months", parks=parks or None)
    out: dict[str, set] = {}
    for park, period in zip(frame["park"], frame["period"], strict=True):
        months = out.setdefault(park, set())
        if not pd.isna(period):
            months.add(pd.Timestamp(period).date())
    return out


def missing_parks_from(reported: dict[str, set], period: dt.date | None, parks: list[str]) -> list[str]:
    if period is None:
        return []
    return sorted(p for p in parks if period not in reported.get(p, set()))


def summary(con: duckdb.DuckDBPyConnection, parks: list[str] | None = None) -> Summary:
    reported = reported_months(con, parks)
    names = sorted(reported)
    counts: dict[dt.date, int] = {}
    for months in reported.values():
        for month in months:
            counts[month] = counts.get(month, 0) + 1
    n = len(names)
    enough = [m for m, c in counts.items() if c >= DEFAULT_PERIOD_SHARE * n]
    everyone = [m for m, c in counts.items() if c == n]
    result = Summary(
        parks=names,
        default_period=max(enough) if enough else None,
        complete_period=max(everyone) if everyone else None,
        newest_period=max(counts) if counts else None,
        latest_by_park={p: (max(m) if m else None) for p, m in reported.items()},
    )
    result._reported = reported
    return result


def default_period(con: duckdb.DuckDBPyConnection, parks: list[str] | None = None) -> dt.date | None:
    return summary(con, parks).default_period


def reported_at(con: duckdb.DuckDBPyConnection, period: dt.date) -> list[dict]:
    """``[{"park": …, "reported": bool}]`` for every park in the store (the ``status`` CLI)."""
    reported = reported_months(con)
    return [{"park": park, "reported": period in months} for park, months in sorted(reported.items())]


def grid(con: duckdb.DuckDBPyConnection, parks: list[str] | None = None) -> pd.DataFrame:
    """park, period, indicator_group, status for every park × month × group."""
    frame = sql.query(con, "reads/report_status", parks=parks or None)
    frame["period"] = pd.to_datetime(frame["period"]).dt.date
    return frame


REVIEW_LABELS = {"missing": "未报送", "pending": "待审核", "returned": "已退回", "approved": "已通过"}


def review_progress(con: duckdb.DuckDBPyConnection, parks: list[str] | None = None,
                    today: dt.date | None = None) -> pd.DataFrame:
    """报送 → 审核 per park × month (queries/reads/review_progress.sql): state
    (missing, pending, returned, approved; ``REVIEW_LABELS`` in Chinese), the
    latest upload with who sent and reviewed it, its due date (the
    ``REPORT_DUE_DAY`` of the following month) and whether it is 逾期 on ``today``."""
    frame = sql.query(con, "reads/review_progress", parks=parks or None, today=today or dt.date.today(),
                      due_day=REPORT_DUE_DAY)
    frame["period"] = pd.to_datetime(frame["period"]).dt.date
    frame["due_date"] = pd.to_datetime(frame["due_date"]).dt.date
    return frame
