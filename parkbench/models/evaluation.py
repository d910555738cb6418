"""亩均效益综合评价: evaluation schemes (评价方案), their results, class moves
and manual adjustments (调档).

A scheme is a list of indicators (metric, direction, weight, benchmark, cap),
class cut-offs, and what a park missing an indicator (缺报) gets (MISSING_RULES).
Every number is computed in SQL (queries/reads/evaluation.sql);
this module checks schemes, stores them (tables of queries/schema/006_evaluation.sql),
passes them to the query as parameters and shapes the results for pages,
exports and the command line.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import duckdb
import pandas as pd

from parkbench import store
from parkbench.catalog import METRIC_BY_ID, metric_label, metric_unit, unit_label
from parkbench.errors import SchemeError
from parkbench.models import sql
from parkbench.models.metrics import month_start

CLASSES = ("A", "B", "C", "D")
DIRECTIONS = ("higher", "lower")
DEFAULT_CUTS = (20.0, 60.0, 95.0)
MAX_NAME = 40
BENCHMARK_ALIASES = {"best": "max", "average": "mean", "avg": "mean"}
# What a park missing one of the scheme's indicators (缺报) gets. The default follows
# evaluation.md ("only the indicators a park's sheets carry can be scored; a preset's
# indicator that no uploaded sheet provides is listed as 缺报"): scored on the
# indicators it has, their weights scaled up to sum to 100, and classed. A missing
# indicator never scores 0 (issue 18).
RENORMALISE, UNCLASSED = "renormalise", "unclassed"
MISSING_RULES = (RENORMALISE, UNCLASSED)
DEFAULT_MISSING_RULE = RENORMALISE
# Why a park is not evaluated (queries/reads/evaluation.sql, column not_evaluated).
NOT_EVALUATED = ("no_data", "no_indicator", "missing_unclassed")
# The shipped presets (queries/schema/006_evaluation.sql) in English; a scheme a
# user named, or a preset renamed, is shown as typed.
PRESET_NAMES_EN = {
    "园区对标（本应用默认）": "Park benchmark (app default)",
    "浙江式（规上，台州黄岩 2022）": "Zhejiang style (above-scale firms, Huangyan, Taizhou 2022)",
    "江苏式（淮安 2024）": "Jiangsu style (Huai'an 2024)",
    "安徽式（一市规上）": "Anhui style (one city, above-scale firms)",
}
# The presets' own indicator names in English (the catalogue names the others).
PRESET_LABELS_EN = {
    "亩均税收": "Tax per mu", "亩均产值": "Output per mu", "主导产业占比": "Leading-industry share of output",
    "产值累计同比": "Output, YTD YoY", "税收累计同比": "Tax, YTD YoY", "亩均增加值": "Value added per mu",
    "单位能耗增加值": "Value added per energy", "单位排放增加值": "Value added per emission",
    "全员劳动生产率": "Labour productivity", "R&D占比": "R&D share", "亩均销售收入": "Sales revenue per mu",
    "单位能耗税收": "Tax per energy", "研发投入强度": "R&D intensity",
}


@dataclass
class SchemeIndicator:
    metric: str
    weight: float
    benchmark: str | float = "mean"  # 'mean', 'max' or a positive number
    cap: float | None = None
    direction: str = "higher"
    label: str | None = None  # the scheme's own name for it (e.g. 亩均销售收入)
    unit: str | None = None

    @property
    def benchmark_kind(self) -> str:
        return self.benchmark if isinstance(self.benchmark, str) else "value"

    @property
    def benchmark_value(self) -> float | None:
        return None if isinstance(self.benchmark, str) else float(self.benchmark)

    def name(self, lang: str = "zh") -> str:
        """The label a table or chart shows: the scheme's own name, else the catalogue's."""
        if self.label and lang == "zh":
            return self.label
        metric = METRIC_BY_ID.get(self.metric)
        if metric is not None:
            return metric.zh if lang == "zh" else metric.en
        if self.label:  # English: a preset's own name translated, a user's as typed
            return PRESET_LABELS_EN.get(self.label, self.label)
        return self.metric

    def unit_text(self, lang: str = "zh") -> str:
        return unit_label(self.unit or metric_unit(self.metric), lang)


@dataclass
class Scheme:
    name: str
    indicators: list[SchemeIndicator]
    classes: tuple[float, float, float] = DEFAULT_CUTS  # A, B, C in percent
    scheme_id: int | None = None
    is_preset: bool = False
    note: str | None = None
    missing_rule: str = DEFAULT_MISSING_RULE  # MISSING_RULES

    def display_name(self, lang: str = "zh") -> str:
        """The name shown: a shipped preset's in English when asked, else as stored."""
        if lang != "zh" and self.is_preset:
            return PRESET_NAMES_EN.get(self.name, self.name)
        return self.name

    def check(self) -> Scheme:
        """The scheme, cleaned, or SchemeError naming what is wrong."""
        name = str(self.name or "").strip()
        if not name:
            raise SchemeError("请填写评价方案名称。")
        if len(name) > MAX_NAME:
            raise SchemeError(f"评价方案名称不能超过 {MAX_NAME} 个字。")
        if not self.indicators:
            raise SchemeError("评价方案至少需要一项指标。")
        seen = set()
        for n, ind in enumerate(self.indicators, start=1):
            where = f"第 {n} 项指标（{ind.metric or '未选择'}）"
            if not ind.metric:
                raise SchemeError(f"第 {n} 项指标未选择指标。")
            if ind.metric in seen:
                raise SchemeError(f"{where}重复。")
            seen.add(ind.metric)
            if ind.direction not in DIRECTIONS:
                raise SchemeError(f"{where}的方向应为 higher（越高越好）或 lower（越低越好）。")
            if not _positive(ind.weight):
                raise SchemeError(f"{where}的权重须为正数。")
            if isinstance(ind.benchmark, str):
                if ind.benchmark not in ("mean", "max"):
                    raise SchemeError(f"{where}的基准应为 mean（平均）、max（最优）或一个正数。")
            elif not _positive(ind.benchmark):
                raise SchemeError(f"{where}的基准值须为正数。")
            if ind.cap is not None and not _positive(ind.cap):
                raise SchemeError(f"{where}的封顶倍数须为正数（不封顶请留空）。")
        total = sum(float(i.weight) for i in self.indicators)
        if abs(total - 100) > 1e-6:
            raise SchemeError(f"权重合计须为 100，现为 {total:g}。")
        a, b, c = (float(x) for x in self.classes)
        if not 0 < a < b < c <= 100:
            raise SchemeError("等级界限须满足 0 < A < B < C ≤ 100（按排名百分比）。")
        if self.missing_rule not in MISSING_RULES:
            raise SchemeError("缺报指标的处理应为 renormalise（按已报指标计分，权重按比例放大）"
                              "或 unclassed（不定等级）。")
        self.name, self.classes = name, (a, b, c)
        return self

    def to_json(self) -> dict:
        indicators = []
        for i in self.indicators:
            entry = {"metric": i.metric, "weight": i.weight, "benchmark": i.benchmark,
                     "direction": i.direction}
            if i.cap is not None:
                entry["cap"] = i.cap
            if i.label:
                entry["label"] = i.label
            if i.unit:
                entry["unit"] = i.unit
            indicators.append(entry)
        return {"name": self.name, "indicators": indicators,
                "classes": dict(zip("ABC", self.classes, strict=True)), "missing_rule": self.missing_rule}


def _positive(value) -> bool:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return math.isfinite(number) and number > 0


def scheme_from_json(data: dict) -> Scheme:
    """A scheme from the JSON of ``evaluate --scheme FILE.json`` (checked)."""
    if not isinstance(data, dict):
        raise SchemeError("方案文件应是一个 JSON 对象：{\"name\": …, \"indicators\": […], \"classes\": {…}}。")
    raw = data.get("indicators")
    if not isinstance(raw, list):
        raise SchemeError("方案文件缺少 indicators 列表。")
    indicators = []
    for n, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or "metric" not in item or "weight" not in item:
            raise SchemeError(f"第 {n} 项指标应包含 metric 和 weight。")
        benchmark = item.get("benchmark", "mean")
        if isinstance(benchmark, str):
            benchmark = BENCHMARK_ALIASES.get(benchmark.strip().lower(), benchmark.strip().lower())
        else:
            benchmark = float(benchmark) if _positive(benchmark) else benchmark
        cap = item.get("cap")
        indicators.append(SchemeIndicator(
            metric=str(item["metric"]), weight=item["weight"], benchmark=benchmark,
            cap=None if cap is None else (float(cap) if _positive(cap) else cap),
            direction=str(item.get("direction") or "higher").strip().lower(), label=item.get("label"),
            unit=item.get("unit")))
    classes = data.get("classes") or {}
    if not isinstance(classes, dict):
        raise SchemeError("classes 应写成 {\"A\": 20, \"B\": 60, \"C\": 95}。")
    cuts = tuple(classes.get(k, d) for k, d in zip("ABC", DEFAULT_CUTS, strict=True))
    try:
        cuts = tuple(float(x) for x in cuts)
    except (TypeError, ValueError):
        raise SchemeError("classes 的 A、B、C 应为百分数，例如 {\"A\": 20, \"B\": 60, \"C\": 95}。") from None
    name = str(data.get("name") or "").strip() or "未命名方案"  # the CLI needs no name; a stored scheme does
    rule = str(data.get("missing_rule") or DEFAULT_MISSING_RULE).strip().lower()
    return Scheme(name=name, indicators=indicators, classes=cuts, missing_rule=rule).check()


# ---------------------------------------------------------------- computing

def _params(scheme: Scheme) -> dict:
    inds = scheme.indicators
    a, b, c = scheme.classes
    return {
        "metrics": [i.metric for i in inds],
        "directions": [i.direction for i in inds],
        "weights": [float(i.weight) for i in inds],
        "benchmarks": [i.benchmark_kind for i in inds],
        "benchmark_values": [i.benchmark_value for i in inds],
        "caps": [None if i.cap is None else float(i.cap) for i in inds],
        "class_a": float(a), "class_b": float(b), "class_c": float(c),
        "missing_rule": scheme.missing_rule,
    }


def evaluate_long(con: duckdb.DuckDBPyConnection, scheme: Scheme, period: str | dt.date,
                  group: str | None = None, parks: list[str] | None = None) -> pd.DataFrame:
    """One row per park × indicator: value, benchmark, ratio, effective weight,
    score, and the park's total, rank, class, missing metrics and, for a park not
    evaluated, why not (queries/reads/evaluation.sql). ``evaluated`` keeps the
    parks scored; ``not_evaluated`` lists the others."""
    scheme.check()
    return sql.query(con, "reads/evaluation", period=month_start(period), group=group or None,
                     parks=parks or None, **_params(scheme))


def evaluate(con: duckdb.DuckDBPyConnection, scheme: Scheme, period: str | dt.date,
             group: str | None = None, parks: list[str] | None = None) -> list[dict]:
    """One record per park, best first: park, score, rank, class, missing —
    the shape ``evaluate --format json`` prints — then the parks not
    evaluated, by name, with score, rank and class null and ``not_evaluated``
    saying why (NOT_EVALUATED)."""
    return summary(evaluate_long(con, scheme, period, group, parks))


def evaluated(long: pd.DataFrame) -> pd.DataFrame:
    """The rows of the parks scored, ranked and classed."""
    return long[long["not_evaluated"].isna()] if "not_evaluated" in long else long


def not_evaluated(long: pd.DataFrame) -> pd.DataFrame:
    """One row per park not evaluated, by name: park, reason (NOT_EVALUATED), missing (metric ids)."""
    rows = long[long["not_evaluated"].notna()].drop_duplicates("park").sort_values("park")
    return pd.DataFrame({"park": rows["park"].tolist(), "reason": rows["not_evaluated"].tolist(),
                         "missing": [[str(m) for m in ms] for ms in rows["missing"]]},
                        columns=["park", "reason", "missing"])


def summary(long: pd.DataFrame) -> list[dict]:
    records = []
    for park, rows in evaluated(long).groupby("park", sort=False):
        first = rows.iloc[0]
        records.append({"park": park, "score": float(first["total"]), "rank": int(first["rank"]),
                        "class": first["class"], "missing": [str(m) for m in first["missing"]]})
    records.sort(key=lambda r: (r["rank"], r["park"]))
    for r in not_evaluated(long).itertuples(index=False):
        records.append({"park": r.park, "score": None, "rank": None, "class": None, "missing": r.missing,
                        "not_evaluated": r.reason})
    return records


def wide(long: pd.DataFrame) -> pd.DataFrame:
    """One row per park evaluated, best first: park, rank, class, total, missing,
    and per indicator position n the columns value_n, score_n (null where 缺报)
    and weight_n (the weight it was scored with: scaled up when others are 缺报)."""
    long = evaluated(long)
    if long.empty:
        return pd.DataFrame(columns=["park", "rank", "class", "total", "missing"])
    heads = long.drop_duplicates("park")[["park", "park_id", "rank", "class", "total", "missing", "parks_evaluated"]]
    heads = heads.assign(missing=[[str(m) for m in ms] for ms in heads["missing"]])
    values = long.pivot(index="park", columns="position", values="value").add_prefix("value_")
    scores = long.pivot(index="park", columns="position", values="score").add_prefix("score_")
    weights = long.pivot(index="park", columns="position", values="effective_weight").add_prefix("weight_")
    out = heads.set_index("park").join(values).join(scores).join(weights).reset_index()
    return out.sort_values(["rank", "park"]).reset_index(drop=True)


def benchmarks(long: pd.DataFrame) -> dict[int, float | None]:
    """The benchmark each indicator position was scored against (None if unknown)."""
    first = long.drop_duplicates("position")
    return {int(r.position): (None if pd.isna(r.benchmark) else float(r.benchmark)) for r in first.itertuples()}


def previous_year(period: str | dt.date) -> dt.date:
    start = month_start(period)
    return start.replace(year=start.year - 1)


def results(con: duckdb.DuckDBPyConnection, scheme: Scheme, period: str | dt.date, group: str | None = None,
            long: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per park, best first, with 初评 and 调整后 classes (``wide`` of
    ``evaluate_long``, or of ``long`` when the page already has it, with the 调档 in force)."""
    long = evaluate_long(con, scheme, period, group) if long is None else long
    return with_adjustments(con, scheme, period, group, wide(long))


def class_moves(con: duckdb.DuckDBPyConnection, scheme: Scheme, period: str | dt.date,
                group: str | None = None) -> pd.DataFrame:
    """Each park's final class (after 调档) now and a year earlier with the same
    scheme and peer set: park, previous, current, move (+1 up a class, −1 down, 0 same,
    None where the park was not evaluated a year earlier)."""
    now = results(con, scheme, period, group)
    before = results(con, scheme, previous_year(period), group)
    previous = dict(zip(before["park"], before["final_class"], strict=True)) if not before.empty else {}
    rows = []
    for park, current in zip(now.get("park", []), now.get("final_class", []), strict=True):
        old = previous.get(park)
        move = None if old is None else CLASSES.index(old) - CLASSES.index(current)
        rows.append({"park": park, "previous": old, "current": current, "move": move})
    return pd.DataFrame(rows, columns=["park", "previous", "current", "move"])


# ---------------------------------------------------------------- stored schemes

def list_schemes(con: duckdb.DuckDBPyConnection) -> list[Scheme]:
    """Every stored scheme with its indicators, presets first."""
    frame = sql.query(con, "reads/eval_schemes", scheme_id=None)
    return _schemes_from_frame(frame)


def load_scheme(con: duckdb.DuckDBPyConnection, scheme_id: int) -> Scheme:
    schemes = _schemes_from_frame(sql.query(con, "reads/eval_schemes", scheme_id=int(scheme_id)))
    if not schemes:
        raise SchemeError(f"没有编号为 {scheme_id} 的评价方案。")
    return schemes[0]


def _schemes_from_frame(frame: pd.DataFrame) -> list[Scheme]:
    schemes: dict[int, Scheme] = {}
    for r in frame.itertuples(index=False):
        scheme = schemes.get(r.scheme_id)
        if scheme is None:
            scheme = schemes[r.scheme_id] = Scheme(
                name=r.name, indicators=[], classes=(r.class_a, r.class_b, r.class_c), scheme_id=int(r.scheme_id),
                is_preset=bool(r.is_preset), note=None if pd.isna(r.note) else r.note, missing_rule=r.missing_rule)
        if pd.isna(r.position):
            continue
        benchmark = r.benchmark_kind if r.benchmark_kind != "value" else float(r.benchmark_value)
        scheme.indicators.append(SchemeIndicator(
            metric=r.metric, weight=float(r.weight), benchmark=benchmark,
            cap=None if pd.isna(r.cap) else float(r.cap), direction=r.direction,
            label=None if pd.isna(r.label) else r.label, unit=None if pd.isna(r.unit) else r.unit))
    return list(schemes.values())


def save_scheme(con: duckdb.DuckDBPyConnection, scheme: Scheme) -> int:
    """Create (scheme_id None) or replace a stored scheme; returns its id.
    A name used by another scheme is refused."""
    scheme.check()
    clash = con.execute("select scheme_id from eval_schemes where name = ?", [scheme.name]).fetchall()
    if clash and clash[0][0] != scheme.scheme_id:
        raise SchemeError(f"已有名为“{scheme.name}”的评价方案，请换一个名称。")
    a, b, c = scheme.classes
    with store.transaction(con, f"保存评价方案“{scheme.name}”"):
        if scheme.scheme_id is None:
            scheme_id = sql.query(con, "commands/eval_scheme_insert", scheme_name=scheme.name, class_a=a, class_b=b,
                                  class_c=c, note=scheme.note, missing_rule=scheme.missing_rule)["scheme_id"].iloc[0]
        else:
            scheme_id = scheme.scheme_id
            sql.execute(con, "commands/eval_scheme_update", scheme_id=scheme_id, scheme_name=scheme.name,
                        class_a=a, class_b=b, class_c=c, note=scheme.note, missing_rule=scheme.missing_rule)
        sql.execute(con, "commands/eval_indicators_delete", scheme_id=int(scheme_id))
        for position, ind in enumerate(scheme.indicators, start=1):
            sql.execute(con, "commands/eval_indicator_add", scheme_id=int(scheme_id), position=position,
                        metric=ind.metric, label=ind.label or None, unit=ind.unit or None,
                        direction=ind.direction, weight=float(ind.weight), benchmark_kind=ind.benchmark_kind,
                        benchmark_value=ind.benchmark_value, cap=None if ind.cap is None else float(ind.cap))
    scheme.scheme_id = int(scheme_id)
    return int(scheme_id)


def delete_scheme(con: duckdb.DuckDBPyConnection, scheme_id: int) -> None:
    """Delete a scheme and its indicators; its adjustments stay in the audit list."""
    with store.transaction(con, f"删除评价方案 {int(scheme_id)}"):
        sql.execute(con, "commands/eval_indicators_delete", scheme_id=int(scheme_id))
        sql.execute(con, "commands/eval_scheme_delete", scheme_id=int(scheme_id))


# ---------------------------------------------------------------- 调档

def checked_adjustment(scheme: Scheme, to_class: str, reason, adjusted_by) -> tuple[str, str]:
    """What every 调档 (of a park or a firm) needs: a saved scheme, a class A–D, a
    reason and a person; returns the reason and the person trimmed."""
    if scheme.scheme_id is None:
        raise SchemeError("只能对已保存的评价方案调档。")
    reason, adjusted_by = str(reason or "").strip(), str(adjusted_by or "").strip()
    if to_class not in CLASSES:
        raise SchemeError("调整后的等级应为 A、B、C 或 D。")
    if not reason:
        raise SchemeError("调档必须填写理由。")
    if not adjusted_by:
        raise SchemeError("调档必须填写调整人。")
    return reason, adjusted_by


def adjust(con: duckdb.DuckDBPyConnection, scheme: Scheme, period: str | dt.date, group: str | None,
           park: str, to_class: str, reason: str, adjusted_by: str) -> dict:
    """Move a park's class by hand (调档). The class it moves from is the one in
    force (初评, or the latest adjustment); the reason and the person are
    required. Returns the audit row written."""
    reason, adjusted_by = checked_adjustment(scheme, to_class, reason, adjusted_by)
    evaluated = results(con, scheme, period, group)
    row = evaluated[evaluated["park"] == park]
    if row.empty:
        raise SchemeError(f"“{park}”不在本次参评园区中。")
    from_class = row["final_class"].iloc[0]
    if from_class == to_class:
        raise SchemeError(f"“{park}”当前已是 {to_class} 档，无需调整。")
    with store.transaction(con, f"调档（{park}）"):
        sql.execute(con, "commands/eval_adjustment_add", scheme_id=scheme.scheme_id, scheme_name=scheme.name,
                    peer_set=group or "", period=month_start(period), park_id=int(row["park_id"].iloc[0]), park=park,
                    from_class=from_class, to_class=to_class, reason=reason, adjusted_by=adjusted_by)
    return adjustments(con, scheme.scheme_id, period, group).iloc[-1].to_dict()


def adjustments(con: duckdb.DuckDBPyConnection, scheme_id: int | None = None, period: str | dt.date | None = None,
                group: str | None = None, every_peer_set: bool = False) -> pd.DataFrame:
    """The audit list, oldest first: who, when, park, from, to, why."""
    return sql.query(con, "reads/eval_adjustments", scheme_id=scheme_id, period=month_start(period),
                     peer_set=None if every_peer_set else (group or ""))


def with_adjustments(con: duckdb.DuckDBPyConnection, scheme: Scheme, period: str | dt.date, group: str | None,
                     results: pd.DataFrame) -> pd.DataFrame:
    """``results`` (from ``wide``) with initial_class (初评) and final_class (调整后:
    the latest adjustment's class, else the initial one) and the reason."""
    out = results.rename(columns={"class": "initial_class"}).copy()
    if out.empty:
        return out.assign(final_class=pd.Series(dtype=object), reason=pd.Series(dtype=object))
    latest = {}
    if scheme.scheme_id is not None:
        for r in adjustments(con, scheme.scheme_id, period, group).itertuples(index=False):
            latest[r.park] = (r.to_class, r.reason)
    out["final_class"] = [latest.get(p, (c, None))[0] for p, c in zip(out["park"], out["initial_class"], strict=True)]
    out["reason"] = [latest.get(p, (None, None))[1] for p in out["park"]]
    return out


# ---------------------------------------------------------------- labels

def indicator_label(ind: SchemeIndicator, lang: str = "zh") -> str:
    """Name with unit, e.g. "亩均税收（万元/亩）", "Tax per mu (10k yuan/mu)"."""
    unit = ind.unit_text(lang)
    if ind.metric in METRIC_BY_ID and not ind.label:
        return metric_label(ind.metric, lang)
    name = ind.name(lang)
    if not unit:
        return name
    return f"{name}（{unit}）" if lang == "zh" else f"{name} ({unit})"


def plain_number(value: float) -> str:
    """A benchmark as written in a scheme: thousands separators, up to 4
    decimals, no trailing zeros (24.097, 4,929.81, 10), never rounded to
    significant digits."""
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def missing_rule_text(rule: str, lang: str = "zh") -> str:
    """What a scheme does with a park missing an indicator, in one sentence."""
    if rule == UNCLASSED:
        return ("缺报任一指标的园区不计分、不排名、不定等级（列为未参评）" if lang == "zh" else
                "a park missing any indicator is not scored, ranked or classed (listed as not evaluated)")
    return ("缺报指标不计 0 分：园区按已报指标计分，其权重按比例放大至合计 100，照常排名定级" if lang == "zh" else
            "a missing indicator does not score 0: the park is scored on the indicators it has, their weights "
            "scaled up to sum to 100, and is ranked and classed")


def not_evaluated_text(reason: str, missing: list[str], lang: str = "zh") -> str:
    """Why a park is not evaluated (NOT_EVALUATED); ``missing`` names its 缺报 indicators."""
    if reason == "no_data":
        return "本期没有任何数据" if lang == "zh" else "no data at all in this period"
    if reason == "no_indicator":
        return "本期有数据，但方案的指标均未报送" if lang == "zh" else "data this period, but none of the scheme's indicators"
    names = "、".join(missing) if lang == "zh" else ", ".join(missing)
    return (f"缺报{names}（本方案规定缺报不定等级）" if lang == "zh" else
            f"missing {names} (the scheme leaves such parks unclassed)")
