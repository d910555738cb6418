"""Benchmarks across parks: the league table of a period (queries/reads/benchmark.sql)
and the report sentence built from its numbers.

Every number is computed in SQL; this module chooses parameters, checks the
class thresholds and turns one row into the sentence a user pastes into a report.
"""

from __future__ import annotations

import datetime as dt
import math

import duckdb
import pandas as pd

from parkbench.catalog import METRIC_BY_ID, metric_unit, unit_label
from parkbench.errors import InputError
from parkbench.models import notes, sql
from parkbench.models.metrics import month_start

# Jiangsu's rule: A = top 20 % of the group by rank, B to 60 %, C to 95 %, D the rest.
DEFAULT_CLASSES = (0.20, 0.60, 0.95)


def check_classes(classes: tuple[float, float, float]) -> tuple[float, float, float]:
    try:
        a, b, c = (float(x) for x in classes)
    except (TypeError, ValueError):
        raise InputError(f"等级界限应为三个数（A、B、C），而不是 {classes!r}") from None
    if not 0 < a < b < c <= 1:
        raise InputError("等级界限须满足 0 < A < B < C ≤ 1 (class bounds must satisfy 0 < A < B < C ≤ 1)")
    return a, b, c


def league(con: duckdb.DuckDBPyConnection, period: str | dt.date, parks: list[str] | None = None,
           group: str | None = None, metrics: list[str] | None = None,
           classes: tuple[float, float, float] = DEFAULT_CLASSES, why_empty: bool = False) -> pd.DataFrame:
    """Every metric × park of the peer set for one month: rank, percentile, class,
    quartiles, peer mean/median, best and gaps (see the SQL header for definitions).
    With ``why_empty``, a column ``gaps`` says why each empty value is empty (``with_gaps``)."""
    a, b, c = check_classes(classes)
    frame = sql.query(con, "reads/benchmark", period=month_start(period), parks=parks or None,
                      group=group or None, metrics=metrics or None, class_a=a, class_b=b, class_c=c)
    return with_gaps(con, frame, period) if why_empty else frame


def with_gaps(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, period: str | dt.date) -> pd.DataFrame:
    """``frame`` (a league) with ``gaps``: the inputs that fail for each empty value
    (reads/metric_gaps.sql, e.g. ``missing:land_area``), read for the empty cells only."""
    empty = frame[frame["value"].isna()]
    if empty.empty:
        return frame.assign(gaps=None)
    gaps = sql.query(con, "reads/metric_gaps", period=month_start(period), parks=sorted(set(empty["park"])),
                     metrics=sorted(set(empty["metric"])))
    return frame.merge(gaps, on=["park", "metric"], how="left")


def _known(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and value is not pd.NA


def metric_name(metric: str, lang: str = "zh") -> str:
    m = METRIC_BY_ID.get(metric)
    if m is None:
        return metric
    return m.zh if lang == "zh" else m.en


def report_sentence(row, lang: str = "zh") -> str:
    """One benchmark row (a mapping or namedtuple with metric, value, peer_mean,
    gap_to_mean, gap_to_mean_pct, rank, peers) → a sentence such as
    "亩均税收 0.90 万元/亩，低于园区平均 23.4%，排名 4/5".

    For percentage metrics the gap is in percentage points (个百分点), since a
    percent of a percent misleads. A park without a value is "未报送"."""
    get = (lambda k: row.get(k)) if hasattr(row, "get") else (lambda k: getattr(row, k, None))
    metric = get("metric")
    name = metric_name(metric, lang)
    unit = metric_unit(metric)
    value = get("value")
    is_pct = unit == "%"
    if not _known(value):
        reported = get("reported_value")
        if is_pct and _known(reported):  # computed growth unknown: the sheet's own, marked 报送
            return f"{name} {notes.reported_growth(float(reported), lang)}"
        return f"{name} 未报送" if lang == "zh" else f"{name}: not reported"
    digits = 1 if is_pct else 2
    value_text = f"{value:,.{digits}f}{'%' if is_pct else ' ' + unit_label(unit, lang)}"
    if notes.is_set(get("published")):  # the sheet's growth, ranked in place of the computed one
        value_text = notes.reported_growth(float(value), lang, digits)
    said = [n for n in (notes.land_note(get("land_period"), get("land_age_months"), lang),
                        notes.source_note(get("source"), lang)) if n]
    if said:
        value_text += f"（{'；'.join(said)}）" if lang == "zh" else f" ({'; '.join(said)})"
    parts = [f"{name} {value_text}"]
    mean, gap, gap_pct = get("peer_mean"), get("gap_to_mean"), get("gap_to_mean_pct")
    peers, rank = get("peers"), get("rank")
    if _known(peers) and int(peers) >= 2 and _known(mean):
        if is_pct:
            size = f"{abs(gap):.1f} 个百分点" if lang == "zh" else f"{abs(gap):.1f} points"
        elif _known(gap_pct):
            size = f"{abs(gap_pct):.1f}%"
        else:
            size = f"{abs(gap):,.{digits}f} {unit_label(unit, lang)}"
        # level when the gap as written rounds to zero: never "高于园区平均 0.0 个百分点"
        rounded = round(gap, 1) if is_pct else round(gap_pct, 1) if _known(gap_pct) else round(gap, digits)
        if lang == "zh":
            parts.append("与园区平均持平" if rounded == 0 else f"{'高于' if gap > 0 else '低于'}园区平均 {size}")
        else:
            side = "above" if gap > 0 else "below"
            parts.append("level with the peer mean" if rounded == 0 else f"{size} {side} the peer mean")
    if _known(rank) and _known(peers):
        parts.append(f"排名 {int(rank)}/{int(peers)}" if lang == "zh" else f"rank {int(rank)} of {int(peers)}")
    return "，".join(parts) if lang == "zh" else ", ".join(parts)


# The metrics a report quotes for a park, in this order.
REPORT_METRICS = ("tax_per_mu", "tax_per_mu_annual", "output_per_mu", "leading_share", "output_ytd_yoy", "tax_ytd_yoy")


def park_sentences(league_frame: pd.DataFrame, park: str, lang: str = "zh",
                   metrics: tuple[str, ...] = REPORT_METRICS) -> list[str]:
    """The report sentences of one park, one per metric it has a row for, in ``metrics`` order."""
    rows = league_frame[league_frame["park"] == park].set_index("metric")
    return [report_sentence({**rows.loc[m].to_dict(), "metric": m}, lang) for m in metrics if m in rows.index]
