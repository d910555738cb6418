"""差距测算: what it takes a park to reach a reference value of a metric — the
group mean, median, top quartile (75th percentile), the best, or a target the
user types — in the units of the metric's numerator (万元), e.g.
``1-3月累计税收需增加 100.0 万元（+100.0%），或用地减少 50.0 亩``.

The reference values are the league's (parkbench/models/benchmark.py, i.e.
macros/peer_values.sql): peer_mean, peer_median, q3, best. The numerator and
denominator of the park's value are read by queries/reads/metric_parts.sql; a
value those parts do not give back (a published growth ranked in place of the
computed one, say) gets no gap.

The need moves the numerator as the metric has it:

- ratio (亩均, efficiency): value = f × N ÷ D, f = 12 ÷ month for the annualised
  metrics (tax_per_mu_annual = tax_ytd × 12/N ÷ land). Reaching r needs
  N' = r × D ÷ f, so the increase is N' − N **in 1–N月 cumulative terms** (the
  sentence says 1-N月累计), or, for per-mu metrics, the land D' = f × N ÷ r,
  a reduction of D − D' 亩 at today's numerator.
- share (主导产业占比 and its tax/investment kin): s = L ÷ T with L part of T, so
  raising L by x raises T by x too. Solve (L + x) ÷ (T + x) = s:
  L + x = sT + sx → x(1 − s) = sT − L → x = (sT − L) ÷ (1 − s), for s < 1
  (a share of 100 % is reachable only by having nothing else: no need is given).
- growth (同比, 环比, 累计同比): g = 100 × (N ÷ B − 1) over the base B; reaching r
  needs N' = B × (1 + r/100) this period (1-N月 for 累计, the month otherwise).
- total (output, tax as indicators): need = target − current; only a typed target,
  since the league has no group statistics of totals.

A park at or above the reference gets ``reached`` and no need (``已高于园区平均``),
never a negative one.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import duckdb
import pandas as pd

from parkbench.catalog import INDICATOR_BY_ID, METRIC_BY_ID, metric_unit, unit_label
from parkbench.models import benchmark, sql
from parkbench.models.metrics import month_start

# reference kind → the league column it reads (target: the value the user typed)
REFERENCES = {"mean": "peer_mean", "median": "peer_median", "top_quartile": "q3", "best": "best", "target": None}
REFERENCE_NAMES = {"mean": ("园区平均", "the peer mean"), "median": ("园区中位数", "the peer median"),
                   "top_quartile": ("前25%水平", "the top-quartile level"), "best": ("园区最高", "the best park"),
                   "target": ("目标", "the target")}
TOTALS = ("output", "tax")  # indicators whose gap is plain target − current
# The metrics reads/metric_parts.sql splits into numerator and denominator (a test keeps the two
# lists equal). Not here: energy_per_output (lower is better), counts of firms, published growth.
READABLE = frozenset({
    "tax_per_mu", "tax_per_mu_annual", "output_per_mu", "value_added_per_mu", "revenue_per_mu",
    "value_added_per_energy", "tax_per_energy", "labour_productivity", "rd_intensity",
    "leading_share", "leading_tax_share", "leading_investment_share",
    "output_ytd_yoy", "tax_ytd_yoy", "fixed_investment_ytd_yoy", "output_yoy", "tax_yoy", "output_mom", "tax_mom",
})
PER_MU_LAND = "land_area"
TOLERANCE = 1e-6  # relative: the parts must give back the stored value


@dataclass(frozen=True)
class Gap:
    park: str
    metric: str  # metric id, or an indicator id of TOTALS
    period: dt.date
    reference: str  # a key of REFERENCES
    current: float  # the park's value of the metric
    target: float  # the reference value
    kind: str  # 'ratio', 'share', 'growth' or 'total'
    numerator: str  # indicator the need is in (tax, output, leading_output …)
    numerator_now: float  # its value now, 万元: 1-N月 cumulative (basis 'ytd') or the month
    basis: str  # 'ytd' or 'month'
    reached: bool  # already at or above the reference
    increase: float | None = None  # 万元 more of the numerator (None: reached or unreachable)
    increase_pct: float | None = None  # that increase as % of numerator_now (None over 0)
    numerator_needed: float | None = None  # the numerator that reaches the reference
    land_now: float | None = None  # per-mu metrics: land in force, 亩
    land_cut: float | None = None  # per-mu metrics: 亩 less land that reaches it at today's numerator


def _known(value) -> bool:
    return value is not None and not pd.isna(value)


def gap(con: duckdb.DuckDBPyConnection, park: str, metric: str, period: str | dt.date,
        group: str | None = None, parks: list[str] | None = None, reference: str = "mean",
        target: float | None = None) -> Gap | None:
    """The gap of ``park``'s ``metric`` at ``period`` to ``reference`` among the peer set
    (``group``, else ``parks``, else every park with a value that month, as 园区对比), or
    to ``target`` (in the metric's unit) when reference is 'target'. None where the metric
    has no numerator reading, the park has no value, or the reference is unknown."""
    if reference not in REFERENCES:
        raise ValueError(f"unknown reference {reference!r}")
    if reference == "target" and not _known(target):
        return None
    month = month_start(period)
    if metric in TOTALS:
        return _total_gap(con, park, metric, month, reference, target)
    if metric not in READABLE:
        return None
    parts = sql.query(con, "reads/metric_parts", park=park, period=month)
    parts = parts[parts["metric"] == metric]
    if parts.empty:
        return None
    part = parts.iloc[0]
    league = benchmark.league(con, month, parks=parks, group=group, metrics=[metric])
    mine = league[league["park"] == park]
    if mine.empty or not _known(mine.iloc[0]["value"]) or bool(mine.iloc[0]["published"]):
        return None
    row = mine.iloc[0]
    current = float(row["value"])
    goal = float(target) if reference == "target" else row[REFERENCES[reference]]
    if not _known(goal) or not (_known(part["numerator"]) and _known(part["denominator"])):
        return None
    numerator, denominator, factor = float(part["numerator"]), float(part["denominator"]), float(part["factor"])
    if not _gives_back(part["kind"], numerator, denominator, factor, current):
        return None
    base = dict(park=park, metric=metric, period=month, reference=reference, current=current, target=float(goal),
                kind=part["kind"], numerator=part["numerator_indicator"], numerator_now=numerator,
                basis=part["basis"])
    if part["denominator_indicator"] == PER_MU_LAND:
        base["land_now"] = denominator
    if _at_or_above(current, float(goal)):
        return Gap(**base, reached=True)
    needed = _numerator_needed(part["kind"], numerator, denominator, factor, float(goal))
    land_cut = None
    if part["denominator_indicator"] == PER_MU_LAND and goal > 0 and numerator > 0:
        land_cut = denominator - factor * numerator / float(goal)  # D − D', D' = f × N ÷ r
    return Gap(**base, reached=False, **_increase(numerator, needed), land_cut=land_cut)


def _gives_back(kind: str, numerator: float, denominator: float, factor: float, value: float) -> bool:
    """The parts reproduce the stored value (the same inputs the metric models used)."""
    if denominator == 0:
        return False
    computed = (factor * numerator / denominator if kind in ("ratio", "share")
                else factor * (numerator / denominator - 1))
    return math.isclose(computed, value, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


def _numerator_needed(kind: str, numerator: float, denominator: float, factor: float, goal: float) -> float | None:
    if kind == "ratio":
        return goal * denominator / factor  # N' = r × D ÷ f
    if kind == "share":
        s = goal / factor  # percent → fraction
        if s >= 1:
            return None  # 100 % and above: not reachable by adding leading output
        return numerator + (s * denominator - numerator) / (1 - s)  # L + x, x = (sT − L) ÷ (1 − s)
    return denominator * (1 + goal / factor)  # growth: N' = B × (1 + r/100)


def _increase(numerator: float, needed: float | None) -> dict:
    if needed is None:
        return {}
    increase = needed - numerator
    pct = 100 * increase / numerator if numerator > 0 else None
    return {"increase": increase, "increase_pct": pct, "numerator_needed": needed}


def _total_gap(con, park: str, indicator: str, month: dt.date, reference: str, target) -> Gap | None:
    """output or tax, 1-N月 cumulative, against a typed target (万元)."""
    if reference != "target":
        return None
    parts = sql.query(con, "reads/metric_parts", park=park, period=month)
    rows = parts[(parts["numerator_indicator"] == indicator) & (parts["basis"] == "ytd")]
    values = [float(v) for v in rows["numerator"] if _known(v)]
    if not values:
        return None
    current = values[0]
    base = dict(park=park, metric=indicator, period=month, reference=reference, current=current,
                target=float(target), kind="total", numerator=indicator, numerator_now=current, basis="ytd")
    if _at_or_above(current, float(target)):
        return Gap(**base, reached=True)
    return Gap(**base, reached=False, **_increase(current, float(target)))


def _at_or_above(value: float, goal: float) -> bool:
    """value ≥ goal, a mean that equals the value but for rounding counting as reached."""
    return value >= goal or math.isclose(value, goal, rel_tol=TOLERANCE, abs_tol=TOLERANCE)


# ------------------------------------------------------------------ sentences

def _name(metric: str, lang: str) -> str:
    item = METRIC_BY_ID.get(metric) or INDICATOR_BY_ID.get(metric)
    return metric if item is None else (item.zh if lang == "zh" else item.en)


def _unit(metric: str) -> str:
    return metric_unit(metric) or (INDICATOR_BY_ID[metric].unit if metric in INDICATOR_BY_ID else "")


def _value_text(value: float, metric: str, lang: str) -> str:
    unit = _unit(metric)
    if unit == "%":
        return f"{value:,.1f}%"
    return f"{value:,.2f} {unit_label(unit, lang)}"


def _money(value: float, lang: str) -> str:
    return f"{value:,.1f} {unit_label('万元', lang)}"


def _reference_text(g: Gap, lang: str) -> str:
    zh, en = REFERENCE_NAMES[g.reference]
    name = zh if lang == "zh" else en
    return f"{name} {_value_text(g.target, g.metric, lang)}" if lang == "zh" else \
        f"{name} ({_value_text(g.target, g.metric, lang)})"


def _numerator_text(g: Gap, lang: str) -> str:
    """'1-3月累计税收' / '3月税收收入' — which numerator the need is in."""
    ind = INDICATOR_BY_ID.get(g.numerator)
    name = (ind.zh if lang == "zh" else ind.en.lower()) if ind else g.numerator
    if g.numerator == "tax" and lang == "zh":
        name = "税收"  # the seeds' word
    if lang == "zh":
        return f"1-{g.period.month}月累计{name}" if g.basis == "ytd" else f"{g.period.month}月{name}"
    months = f"Jan–{g.period:%b}" if g.period.month > 1 else "January"
    return f"{months} cumulative {name}" if g.basis == "ytd" else f"{g.period:%B} {name}"


def sentence(g: Gap | None, lang: str = "zh") -> str:
    """One report sentence in the seeds' style, e.g. ``亩均税收 1.00 万元/亩，要达到园区平均
    2.00 万元/亩，1-3月累计税收需增加 100.0 万元（+100.0%），或用地减少 50.0 亩``; empty for None."""
    if g is None:
        return ""
    zh = lang == "zh"
    ref = _reference_text(g, lang)
    head = f"{_name(g.metric, lang)} {_value_text(g.current, g.metric, lang)}"
    if g.reached:
        level = g.reference == "target" or math.isclose(g.current, g.target, rel_tol=TOLERANCE, abs_tol=TOLERANCE)
        if zh:
            return f"{head}，{'已达到' if level else '已高于'}{ref}"
        return f"{head}: {'already meets' if level else 'already above'} {ref}"
    what = _numerator_text(g, lang)
    if g.increase is None:
        return (f"{head}，仅靠增加{what}无法达到{ref}" if zh
                else f"{head}: raising {what} alone cannot reach {ref}")
    said = [f"+{g.increase_pct:.1f}%"] if _known(g.increase_pct) else []
    if zh:
        if g.kind == "share":
            said.append("总产值随之增加" if g.numerator == "leading_output" else "总量随之增加")
        pct = f"（{'，'.join(said)}）" if said else ""
        text = f"{head}，要达到{ref}，{what}需增加 {_money(g.increase, lang)}{pct}"
        if g.kind == "growth":
            text += f"，即达到 {_money(g.numerator_needed, lang)}"
        if _known(g.land_cut):
            text += f"，或用地减少 {g.land_cut:,.1f} 亩"
        return text
    if g.kind == "share":
        said.append("the total rises with it")
    pct = f" ({', '.join(said)})" if said else ""
    text = f"{head}; to reach {ref}, {what} must rise by {_money(g.increase, lang)}{pct}"
    if g.kind == "growth":
        text += f", to {_money(g.numerator_needed, lang)}"
    if _known(g.land_cut):
        text += f", or land shrink by {g.land_cut:,.1f} mu"
    return text
