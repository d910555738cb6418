"""预警: the warnings a monthly monitor shows — a metric well below the peer
mean, growth below 0 (red) or from 10 % (green), growth falling several months
running, a leading-industry share under a floor.

The thresholds live in one place, the table alert_settings
(queries/schema/006_evaluation.sql), with the defaults below; the rules run in
SQL (queries/reads/alerts.sql). The home page and the briefing both call
``alerts`` / ``park_alerts``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import duckdb
import pandas as pd

from parkbench import store
from parkbench.catalog import METRIC_BY_ID, metric_unit
from parkbench.errors import SettingsError
from parkbench.models import sql
from parkbench.models.metrics import month_start

# Which metrics the rules watch (fixed: the figures 亩均 dashboards monitor).
MEAN_METRICS = ("tax_per_mu", "output_per_mu")
GROWTH_METRICS = ("output_ytd_yoy", "tax_ytd_yoy")


@dataclass(frozen=True)
class Setting:
    key: str
    zh: str
    en: str
    default: float
    unit: str
    minimum: float
    maximum: float


SETTINGS: tuple[Setting, ...] = (
    Setting("below_mean_pct", "低于组内平均超过（%）", "Below the peer mean by more than (%)", 20, "%", 0, 100),
    Setting("growth_red_below", "增速低于此值为红色预警（%）", "Growth below this is red (%)", 0, "%", -100, 100),
    Setting("growth_green_from", "增速达到此值为绿色（%）", "Growth from this is green (%)", 10, "%", -100, 1000),
    Setting("falling_months", "增速连续回落月数", "Months of falling growth", 3, "个月", 1, 12),
    Setting("leading_share_floor", "主导产业占比下限（%）", "Leading-industry share floor (%)", 60, "%", 0, 100),
)
SETTING_BY_KEY = {s.key: s for s in SETTINGS}
LEVELS = ("red", "amber", "green")


def settings(con: duckdb.DuckDBPyConnection) -> dict[str, float]:
    """The thresholds in force: the stored ones over the defaults."""
    values = {s.key: float(s.default) for s in SETTINGS}
    for r in sql.query(con, "reads/alert_settings").itertuples(index=False):
        if r.setting in values:
            values[r.setting] = float(r.value)
    return values


def save_settings(con: duckdb.DuckDBPyConnection, values: dict[str, float]) -> dict[str, float]:
    """Check and store thresholds (all or some); returns those in force."""
    merged = {**settings(con), **values}
    for key, value in values.items():
        setting = SETTING_BY_KEY.get(key)
        if setting is None:
            raise SettingsError(f"未知的预警设置：{key}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise SettingsError(f"“{setting.zh}”应为数字。") from None
        if not math.isfinite(number) or not setting.minimum <= number <= setting.maximum:
            raise SettingsError(f"“{setting.zh}”应在 {setting.minimum:g} 到 {setting.maximum:g} 之间。")
        if key == "falling_months" and number != int(number):
            raise SettingsError("“增速连续回落月数”应为整数。")
    if merged["growth_red_below"] >= merged["growth_green_from"]:
        raise SettingsError("红色预警的增速界限须低于绿色界限。")
    with store.transaction(con, "保存预警设置"):
        for key, value in values.items():
            sql.execute(con, "commands/alert_setting_save", setting=key, value=float(value))
    return settings(con)


def alerts(con: duckdb.DuckDBPyConnection, period: str | dt.date, group: str | None = None,
           parks: list[str] | None = None, thresholds: dict[str, float] | None = None,
           lang: str = "zh") -> pd.DataFrame:
    """Every alert of a month for a peer set: park, period, metric, rule, level,
    value, reference, peers and a message ready to show."""
    t = thresholds or settings(con)
    frame = sql.query(con, "reads/alerts", period=month_start(period), group=group or None, parks=parks or None,
                      mean_metrics=list(MEAN_METRICS), growth_metrics=list(GROWTH_METRICS),
                      below_mean_pct=float(t["below_mean_pct"]), growth_red_below=float(t["growth_red_below"]),
                      growth_green_from=float(t["growth_green_from"]), falling_months=int(t["falling_months"]),
                      leading_share_floor=float(t["leading_share_floor"]))
    messages = [message(r, t, lang) for r in frame.to_dict("records")]
    return frame.assign(message=pd.Series(messages, index=frame.index, dtype=object))


def park_alerts(con: duckdb.DuckDBPyConnection, park: str, period: str | dt.date, group: str | None = None,
                lang: str = "zh") -> list[dict]:
    """One park's alerts of a month (against ``group``, else the parks with a
    value that month: the one peer set of queries/macros/peer_values.sql), as
    records: metric, rule, level, value, reference, message. For the briefing."""
    frame = alerts(con, period, group=group, lang=lang)
    rows = frame[frame["park"] == park]
    return rows[["metric", "rule", "level", "value", "reference", "message"]].to_dict("records")


def _name(metric: str, lang: str) -> str:
    m = METRIC_BY_ID.get(metric)
    return metric if m is None else (m.zh if lang == "zh" else m.en)


def _amount(value: float, metric: str) -> str:
    unit = metric_unit(metric)
    return f"{value:.1f}%" if unit == "%" else f"{value:,.2f} {unit}"


def message(row: dict, thresholds: dict[str, float], lang: str = "zh") -> str:
    """The sentence for one alert, from its numbers."""
    metric, value, ref = row["metric"], float(row["value"]), float(row["reference"])
    name = _name(metric, lang)
    zh = lang == "zh"
    rule = row["rule"]
    if rule == "below_mean":
        gap = 100 * (ref - value) / ref
        return (f"{name} {_amount(value, metric)}，低于组内平均（{_amount(ref, metric)}）{gap:.1f}%"
                if zh else f"{name} {_amount(value, metric)}, {gap:.1f}% below the peer mean ({_amount(ref, metric)})")
    if rule == "growth_negative":
        return (f"{name} {value:+.1f}%，低于 {ref:g}%" if zh else f"{name} {value:+.1f}%, below {ref:g}%")
    if rule == "growth_strong":
        return (f"{name} {value:+.1f}%，达到 {ref:g}% 以上" if zh else f"{name} {value:+.1f}%, {ref:g}% or more")
    if rule == "growth_falling":
        n = int(thresholds["falling_months"])
        return (f"{name}连续 {n} 个月回落：由 {ref:+.1f}% 降至 {value:+.1f}%" if zh
                else f"{name} fell {n} months running: from {ref:+.1f}% to {value:+.1f}%")
    if rule == "leading_share_low":
        return (f"{name} {value:.1f}%，低于下限 {ref:g}%" if zh else f"{name} {value:.1f}%, below the floor of {ref:g}%")
    return f"{name} {value}"
