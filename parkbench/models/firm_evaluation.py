"""企业亩均效益评价: the evaluation schemes of parks (``evaluation.Scheme``) applied
to the enterprises of one or several parks (docs/evaluation.md, docs/enterprises.md),
with their 调档 and the class history across years.

One scoring for parks and firms: queries/macros/scored_units.sql. The firms' metrics
at the months evaluated are read from the materialised metrics/enterprise_metrics. Who sees which firms
(rule 5) is ``accounts.firm_parks(con, reader)``; every function here takes the
reader as a required keyword.

``evaluate_firms`` is the one call for a result table (the 低效用地 list and the
briefing take its class-D rows); ``class_history`` gives each firm's class at the
same month of every year and its run of consecutive years in D.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field

import duckdb
import pandas as pd

from parkbench import store
from parkbench.errors import SchemeError
from parkbench.models import sql
from parkbench.models.evaluation import CLASSES, Scheme, _params, checked_adjustment
from parkbench.models.metrics import month_start
from parkbench.store import accounts
from parkbench.store.accounts import Account

NOT_CLASSED = "T"  # 不定等级
CLASS_BY = ("rank", "score")
UTILITY_DIVISIONS = ("44", "45", "46")  # GB/T 4754-2017 大类: 电力热力、燃气、水的生产和供应
NEW_MONTHS = 24  # in production under two years: not classed
NOT_CLASSED_TEXT = {"utility": ("公用事业（电力、燃气、水）", "utility (power, gas, water)"),
                    "new": ("投产不满两年", "in production under two years")}
# The columns of evaluate_firms before the indicators (value_n, score_n) and after them.
HEAD = ["park", "enterprise_id", "enterprise", "credit_code", "industry_code", "industry", "above_scale",
        "first_month", "land_area", "tax_ytd", "tax_per_mu"]
TAIL = ["score", "rank", "firms_classed", "initial_class", "class", "adjust_reason", "adjusted_by", "missing",
        "not_evaluated", "not_classed"]


@dataclass(frozen=True)
class Population:
    """Which firms are evaluated and how they are classed.

    parks: park names (None: every park the reader may see firms of); above_scale_only:
    规上 firms only; min_land: 亩, firms with less land (or none known) left out;
    utilities_not_classed / new_months: firms not classed (T) and outside the ranking;
    class_by 'rank' (cuts in percent of the firms classed, ceil-rank as for parks) or
    'score' (cuts in points: A if score ≥ cuts[0] …); cuts None: the scheme's."""

    parks: tuple[str, ...] | None = None
    above_scale_only: bool = False
    min_land: float | None = None
    utilities_not_classed: bool = True
    new_months: int | None = NEW_MONTHS
    class_by: str = "rank"
    cuts: tuple[float, float, float] | None = None

    def rules_text(self, scheme: Scheme) -> list[str]:
        """The population and class rules in Chinese, for the published table's notes."""
        a, b, c = self.cuts if self.cuts is not None else scheme.classes
        if self.class_by == "score":
            classes = f"等级按得分：≥ {a:g} 分为 A，≥ {b:g} 分为 B，≥ {c:g} 分为 C，其余为 D。"
        else:
            classes = (f"等级按得分名次：参评定级企业 n 家中名次 ≤ n×{a:g}%（向上取整）为 A，≤ n×{b:g}% 为 B，"
                       f"≤ n×{c:g}% 为 C，其余为 D。")
        scope = ["仅规上企业" if self.above_scale_only else "规上、规下企业"]
        if self.min_land:
            scope.append(f"用地面积不小于 {self.min_land:g} 亩")
        t_rules = [r for r, on in (("公用事业（电力、燃气、水）", self.utilities_not_classed),
                                   (f"数据起始不满 {self.new_months} 个月（园区企业数据首月即有数据的不计）",
                                    self.new_months is not None)) if on]
        t_text = f"T 为不定等级（{'、'.join(t_rules)}），不参与排名。" if t_rules else "不设不定等级。"
        return [classes + t_text, "参评范围：" + "，".join(scope) + "。"]

    def check(self) -> Population:
        if self.class_by not in CLASS_BY:
            raise SchemeError("定级方式应为 rank（按名次）或 score（按得分）。")
        if self.min_land is not None and not self.min_land >= 0:
            raise SchemeError("最小用地面积须为不小于 0 的亩数。")
        if self.new_months is not None and not self.new_months > 0:
            raise SchemeError("投产不满的月数须为正整数。")
        if self.cuts is not None:
            a, b, c = (float(x) for x in self.cuts)
            if self.class_by == "rank" and not 0 < a < b < c <= 100:
                raise SchemeError("等级界限须满足 0 < A < B < C ≤ 100（按排名百分比）。")
            if self.class_by == "score" and not a > b > c:
                raise SchemeError("按得分定级时，分数线须满足 A > B > C。")
        return self

    def text(self) -> str:
        """The options as JSON, kept with each 调档 for the record."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


@dataclass
class FirmEvaluation:
    """What ``score_firms`` returns: the long rows and the scheme and population they are of."""

    scheme: Scheme
    population: Population
    periods: list[dt.date]
    long: pd.DataFrame = field(repr=False)


# ---------------------------------------------------------------- computing

def firm_metrics_at(con: duckdb.DuckDBPyConnection, periods: list[dt.date], *, reader: Account,
                    parks: list[str] | None = None) -> pd.DataFrame:
    """One row per firm × month of ``periods``: park, 规上, industry code and the
    enterprise metrics as columns (reads/enterprise_metrics_at.sql), of the firms
    ``reader`` may see."""
    return sql.query(con, "reads/enterprise_metrics_at", periods=list(periods),
                     readable=accounts.firm_parks(con, reader), parks=list(parks) if parks else None)


def score_firms(con: duckdb.DuckDBPyConnection, scheme: Scheme, periods: list[str | dt.date], *, reader: Account,
                population: Population | None = None) -> FirmEvaluation:
    """The scheme's score, rank and class (初评) of every firm of the population at
    each month of ``periods`` (each month ranked on its own): one row per month × firm
    × indicator (reads/firm_evaluation.sql). No 调档 applied: see ``evaluate_firms``."""
    scheme.check()
    population = (population or Population()).check()
    months = sorted({month_start(p) for p in periods})
    rows = firm_metrics_at(con, months, reader=reader, parks=list(population.parks) if population.parks else None)
    params = _params(scheme)
    if population.cuts is not None:
        params.update(zip(("class_a", "class_b", "class_c"), (float(x) for x in population.cuts), strict=True))
    con.register("firm_metric_rows", rows)
    try:
        long = sql.query(con, "reads/firm_evaluation", readable=accounts.firm_parks(con, reader),
                         class_by=population.class_by,
                         above_scale_only=population.above_scale_only, min_land=population.min_land,
                         utility_divisions=list(UTILITY_DIVISIONS) if population.utilities_not_classed else [],
                         new_months=population.new_months, **params)
    finally:
        con.unregister("firm_metric_rows")
    return FirmEvaluation(scheme, population, months, long)


def wide(long: pd.DataFrame) -> pd.DataFrame:
    """One row per month × firm, best first, T and not evaluated after: HEAD, per
    indicator position n value_n and score_n, then score, rank, firms_classed,
    initial_class (初评), missing, not_evaluated, not_classed."""
    columns = ["period", *HEAD]
    if long.empty:
        return pd.DataFrame(columns=[*columns, "score", "rank", "firms_classed", "initial_class", "missing",
                                     "not_evaluated", "not_classed"])
    keys = ["period", "enterprise_id"]
    heads = long.drop_duplicates(keys)[[*columns, "total", "rank", "firms_classed", "class", "missing",
                                        "not_evaluated", "not_classed"]]
    heads = heads.rename(columns={"total": "score", "class": "initial_class"})
    heads = heads.assign(missing=[[str(m) for m in ms] for ms in heads["missing"]])
    values = long.pivot(index=keys, columns="position", values="value").add_prefix("value_")
    scores = long.pivot(index=keys, columns="position", values="score").add_prefix("score_")
    out = heads.set_index(keys).join(values).join(scores).reset_index()
    order = {c: n for n, c in enumerate([*CLASSES, NOT_CLASSED])}
    out["_order"] = [order.get(c, len(order)) for c in out["initial_class"]]
    out = out.sort_values(["period", "_order", "rank", "park", "enterprise"], na_position="last")
    return out.drop(columns="_order").reset_index(drop=True)


def evaluate_firms(con: duckdb.DuckDBPyConnection, scheme: Scheme, period: str | dt.date, *, reader: Account,
                   population: Population | None = None) -> pd.DataFrame:
    """One row per firm of the population at ``period``, best first (then the firms
    not classed, T, and those not evaluated): park, enterprise_id, enterprise,
    credit_code, industry_code, industry (its 大类 name), above_scale, first_month,
    land_area (亩), tax_ytd (万元), tax_per_mu (万元/亩), value_n / score_n per scheme
    indicator n, score, rank, firms_classed, initial_class (初评: A–D, T not classed,
    null not evaluated), class (after 调档), adjust_reason, adjusted_by, missing,
    not_evaluated, not_classed ('utility' | 'new')."""
    scored = score_firms(con, scheme, [period], reader=reader, population=population)
    return with_adjustments(con, scored, reader=reader).drop(columns="period")


def with_adjustments(con: duckdb.DuckDBPyConnection, scored: FirmEvaluation, *, reader: Account) -> pd.DataFrame:
    """``wide(scored.long)`` with the 调档 in force: class (the latest adjustment's
    class, else the initial one), adjust_reason and adjusted_by."""
    out = wide(scored.long)
    latest = {}
    if scored.scheme.scheme_id is not None and not out.empty:
        for r in firm_adjustments(con, scored.scheme.scheme_id, scored.periods, reader=reader).itertuples():
            latest[(pd.Timestamp(r.period).date(), int(r.enterprise_id))] = (r.to_class, r.reason, r.adjusted_by)
    keys = [(pd.Timestamp(p).date(), int(e)) for p, e in zip(out["period"], out["enterprise_id"], strict=True)]
    found = [latest.get(k) for k in keys]
    out["class"] = [f[0] if f else c for f, c in zip(found, out["initial_class"], strict=True)]
    out["adjust_reason"] = [f[1] if f else None for f in found]
    out["adjusted_by"] = [f[2] if f else None for f in found]
    head = ["period", *HEAD]
    middle = [c for c in out.columns if c.startswith(("value_", "score_"))]
    return out[[*head, *middle, *[c for c in TAIL if c in out.columns]]]


def class_d(frame: pd.DataFrame) -> pd.DataFrame:
    """The firms of an ``evaluate_firms`` result in class D after 调档 (the 低效用地 list starts here)."""
    return frame[frame["class"] == "D"]


# ---------------------------------------------------------------- 调档

def adjust_firm(con: duckdb.DuckDBPyConnection, scheme: Scheme, period: str | dt.date, enterprise_id: int,
                to_class: str, reason: str, adjusted_by: str, *, reader: Account,
                population: Population | None = None) -> dict:
    """Move a firm's class by hand (调档): from the class in force (初评, or the
    latest adjustment) to ``to_class``, with the reason and the person. Only 管理
    accounts adjust; the firm must be in the reader's evaluation. Returns the audit row."""
    if not reader.is_admin:
        raise SchemeError("只有“管理”账户可以调档。")
    reason, adjusted_by = checked_adjustment(scheme, to_class, reason, adjusted_by)
    population = population or Population()
    result = evaluate_firms(con, scheme, period, reader=reader, population=population)
    row = result[result["enterprise_id"] == int(enterprise_id)]
    if row.empty or pd.isna(row["class"].iloc[0]):
        raise SchemeError("该企业不在本次参评企业中。")
    first = row.iloc[0]
    if first["class"] == to_class:
        raise SchemeError(f"“{first['enterprise']}”当前已是 {to_class} 档，无需调整。")
    with store.transaction(con, f"企业调档（{first['enterprise']}）"):
        sql.execute(con, "commands/enterprise_eval_adjustment_add", scheme_id=scheme.scheme_id,
                    scheme_name=scheme.name, period=month_start(period), enterprise_id=int(enterprise_id),
                    enterprise=first["enterprise"], park=first["park"], population=population.text(),
                    from_class=first["class"], to_class=to_class, reason=reason, adjusted_by=adjusted_by)
    return firm_adjustments(con, scheme.scheme_id, [month_start(period)], reader=reader).iloc[-1].to_dict()


def firm_adjustments(con: duckdb.DuckDBPyConnection, scheme_id: int | None = None,
                     periods: list[dt.date] | None = None, *, reader: Account) -> pd.DataFrame:
    """The firms' 调档 audit list, oldest first, of the firms ``reader`` may see."""
    return sql.query(con, "reads/enterprise_eval_adjustments", scheme_id=scheme_id,
                     periods=[month_start(p) for p in periods] if periods else None,
                     readable=accounts.firm_parks(con, reader))


# ---------------------------------------------------------------- class history

def history_periods(con: duckdb.DuckDBPyConnection, period: str | dt.date) -> list[dt.date]:
    """The same month as ``period`` in every year from the first year with enterprise rows to its year."""
    period = month_start(period)
    first = sql.query(con, "reads/first_enterprise_month")["first"].iloc[0]
    if pd.isna(first):
        return [period]
    return [dt.date(year, period.month, 1) for year in range(min(first.year, period.year), period.year + 1)]


def class_history(con: duckdb.DuckDBPyConnection, scheme: Scheme, period: str | dt.date, *, reader: Account,
                  population: Population | None = None) -> pd.DataFrame:
    """Each firm evaluated at ``period``: its class (after 调档) at the same month of
    every year the data covers, with the same scheme and population rules, and
    ``years_in_d``, the consecutive years in D up to ``period`` (连续 N 年 D; 0 when
    not D now). Columns: park, enterprise_id, enterprise, credit_code, one column per
    year ('2023' …: A–D, T, or None where the firm was not evaluated), years_in_d."""
    periods = history_periods(con, period)
    scored = score_firms(con, scheme, periods, reader=reader, population=population)
    frame = with_adjustments(con, scored, reader=reader)
    years = [str(p.year) for p in periods]
    columns = ["park", "enterprise_id", "enterprise", "credit_code", *years, "years_in_d"]
    now = frame[pd.to_datetime(frame["period"]).dt.date == month_start(period)]
    if now.empty:
        return pd.DataFrame(columns=columns)
    frame = frame.assign(year=[str(pd.Timestamp(p).year) for p in frame["period"]])
    classes = frame.pivot(index="enterprise_id", columns="year", values="class").reindex(columns=years)
    out = now[["park", "enterprise_id", "enterprise", "credit_code"]].set_index("enterprise_id").join(classes)
    out = out.astype(object).where(out.notna(), None)
    out["years_in_d"] = [consecutive_d([row[y] for y in years]) for _, row in out.iterrows()]
    return out.reset_index()[columns]


def consecutive_d(classes: list[str | None]) -> int:
    """How many of the last years, counted back from the latest, are D in a row."""
    run = 0
    for value in reversed(classes):
        if value != "D":
            break
        run += 1
    return run


def not_classed_text(reason: str | None, lang: str = "zh") -> str:
    """Why a firm is not classed (T), or ''."""
    if reason not in NOT_CLASSED_TEXT:
        return ""
    zh, en = NOT_CLASSED_TEXT[reason]
    return zh if lang == "zh" else en


def cli_json(frame: pd.DataFrame) -> str:
    """``evaluate --level enterprise --format json``: per firm park, enterprise,
    credit_code, score, rank, class (after 调档; T not classed; null not evaluated).
    Written by pandas in one go: a dict per firm through the json module took
    a second of the command's three at 30,000 firms."""
    out = frame[["park", "enterprise", "credit_code", "score", "rank", "class"]].astype(
        {"score": "float64", "rank": "Int64", "credit_code": "object", "class": "object"})
    return out.to_json(orient="records", force_ascii=False, indent=1, double_precision=15)
