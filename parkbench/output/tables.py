"""Tables as users see and export them: each column with a Chinese (and
English) header carrying its unit and a kind that decides how numbers are
shown on screen and formatted in Excel. Unknown values stay empty (NaN) so
columns sort as numbers; they are *shown* as 未报送.

The park × metric table of the 排名 page is shaped here too, from the league
(parkbench/models/benchmark.py), so the page only draws it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from parkbench.catalog import METRIC_BY_ID, METRICS, metric_unit, unit_label

MISSING = {"zh": "未报送", "en": "not reported"}


@dataclass(frozen=True)
class Kind:
    screen: str  # Python format for a number on screen
    excel: str  # Excel number format
    excel_scale: float = 1.0  # value × scale is written (percent values → fractions for "0.0%")


KINDS = {
    "text": Kind("{}", "@"),
    "int": Kind("{:,.0f}", "#,##0"),
    "num2": Kind("{:,.2f}", "#,##0.00"),
    "num1": Kind("{:,.1f}", "#,##0.0"),
    "num0": Kind("{:,.0f}", "#,##0"),
    "pct": Kind("{:.1f}%", "0.0%", 0.01),  # the value is in percent (12.3 means 12.3 %)
    "signed2": Kind("{:+,.2f}", "+#,##0.00;-#,##0.00;0.00"),
    "signed1": Kind("{:+,.1f}", "+#,##0.0;-#,##0.0;0.0"),
    "signed_pct": Kind("{:+.1f}%", "+0.0%;-0.0%;0.0%", 0.01),
}


@dataclass(frozen=True)
class Column:
    key: str
    zh: str  # header with its unit, e.g. "亩均税收（万元/亩）"
    en: str
    kind: str = "text"

    def header(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en

    def text(self, value, lang: str = "zh") -> str:
        """The cell as shown on screen: formatted number, or 未报送 when unknown."""
        if _unknown(value):
            return MISSING[lang] if self.kind != "text" else ""
        if self.kind == "text":
            return str(value)
        return KINDS[self.kind].screen.format(float(value))


def _unknown(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def value_kind(metric: str) -> str:
    """Per-mu values with two decimals, percentage metrics with one, counts of firms whole."""
    unit = metric_unit(metric)
    return "pct" if unit == "%" else "int" if unit == "户" else "num2"


def gap_kind(metric: str) -> str:
    """A gap of a percentage metric is in percentage points (signed, one decimal)."""
    return "signed1" if metric_unit(metric) == "%" else "signed2"


# ------------------------------------------------------------------ notes and ⚠

NOTES = Column("notes", "说明", "Notes")
CHECKS = Column("checks", "数据审核（⚠ 的原因）", "Data checks (why ⚠)")


def flag_text(reason) -> str:
    """The one mark of a value built on a value with an open data-check warning
    (reads/flagged_metrics.sql, reads/flagged_values.sql): ⚠ and what the warnings say."""
    return f"⚠ {reason}" if isinstance(reason, str) and reason else ""


def flag_texts(frame: pd.DataFrame, flags: pd.DataFrame | None, keys: tuple[str, ...] = ("park", "metric")) -> list[str]:
    """For each row of ``frame``, the ⚠ text of the flag with the same ``keys``, else ""."""
    if flags is None or flags.empty or frame.empty:
        return [""] * len(frame)
    reasons = dict(zip(flags[list(keys)].itertuples(index=False, name=None), flags["reason"], strict=True))
    return [flag_text(reasons.get(key)) for key in frame[list(keys)].itertuples(index=False, name=None)]


def metric_notes(league: pd.DataFrame, lang: str = "zh") -> list[str]:
    """For each league row, what its value rests on (models/notes.notes_text: 报送, stale land …)."""
    from parkbench.models.notes import notes_text

    return [notes_text(row["metric"], row, lang) for row in league.to_dict("records")]


def _per_park(league: pd.DataFrame, texts: list[str], lang: str) -> dict[str, str]:
    """park → its metrics' non-empty texts, each once with the metrics it is said of
    (本期未报送（亩均税收、税收累计同比）): one missing input or one warning touches several metrics."""
    from parkbench.models.benchmark import metric_name

    metrics_by_text: dict[str, dict[str, list[str]]] = {}
    for park, metric, text in zip(league["park"], league["metric"], texts, strict=True):
        if text:
            metrics_by_text.setdefault(park, {}).setdefault(text, []).append(metric_name(metric, lang))
    zh = lang == "zh"
    return {park: ("；" if zh else "; ").join(f"{text}（{'、'.join(names)}）" if zh else f"{text} ({', '.join(names)})"
                                             for text, names in by_text.items())
            for park, by_text in metrics_by_text.items()}


# ------------------------------------------------------------------ park × metric

def park_metric_table(league: pd.DataFrame, metrics: list[str] | None = None, lang: str = "zh",
                      flags: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list[Column]]:
    """Parks in rows; for each metric its value, rank ("2/5" is kept as the
    number 2 so the column sorts; peers are in the header) and class. Metrics
    in catalogue order, only those with at least one value. Parks sorted by
    name; a park without a value for a metric has it empty (shown 未报送).
    Last, per park, 说明 (what its values rest on, e.g. 报送) and the ⚠ of
    ``flags`` (park, metric, reason), each after the metric's name."""
    if league.empty:
        return pd.DataFrame({"park": []}), [Column("park", "园区", "Park")]
    present = [m.id for m in METRICS if m.id in set(league["metric"]) and (metrics is None or m.id in metrics)]
    present = [m for m in present if league.loc[league["metric"] == m, "value"].notna().any()]
    parks = sorted(league["park"].unique())
    table = pd.DataFrame({"park": parks})
    columns = [Column("park", "园区", "Park")]
    for metric in present:
        rows = league[league["metric"] == metric].set_index("park").reindex(parks)
        m = METRIC_BY_ID[metric]
        unit = m.unit
        peers = rows["peers"].dropna()
        size = int(peers.max()) if len(peers) else 0
        table[f"{metric}:value"] = rows["value"].astype("float64").to_numpy()
        table[f"{metric}:rank"] = rows["rank"].astype("float64").to_numpy()
        table[f"{metric}:class"] = rows["class"].astype("object").where(rows["class"].notna(), None).to_numpy()
        columns += [
            Column(f"{metric}:value", f"{m.zh}（{unit}）", f"{m.en} ({unit_label(unit, 'en')})", value_kind(metric)),
            Column(f"{metric}:rank", f"{m.zh} 排名（共{size}个）", f"{m.en}: rank (of {size})", "int"),
            Column(f"{metric}:class", f"{m.zh} 等级", f"{m.en}: class", "text"),
        ]
    shown = league[league["metric"].isin(present)]
    table["notes"] = table["park"].map(_per_park(shown, metric_notes(shown, lang), lang)).astype(object).fillna("")
    table["checks"] = table["park"].map(_per_park(shown, flag_texts(shown, flags), lang)).astype(object).fillna("")
    return table, [*columns, NOTES, CHECKS]


def league_table(league: pd.DataFrame, lang: str = "zh",
                 flags: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list[Column]]:
    """The long league table (metric × park) with numbers kept numeric:
    value in the metric's unit, rank, percentile, class, peer mean/median, gaps,
    the report sentence, 说明 and the ⚠ of ``flags`` (park, metric, reason)."""
    from parkbench.models.benchmark import metric_name, report_sentence

    order = {m: i for i, m in enumerate(METRIC_BY_ID)}
    league = league.assign(order=league["metric"].map(order)).sort_values(["order", "rank", "park"],
                                                                           na_position="last")
    table = pd.DataFrame({
        "metric": [f"{metric_name(m, lang)}（{metric_unit(m)}）" if lang == "zh"
                   else f"{metric_name(m, lang)} ({unit_label(metric_unit(m), lang)})" for m in league["metric"]],
        "park": league["park"].to_numpy(),
        "value": league["value"].astype("float64").to_numpy(),
        "rank": league["rank"].astype("float64").to_numpy(),
        "peers": league["peers"].astype("float64").to_numpy(),
        "percentile": league["percentile"].astype("float64").to_numpy(),
        "class": league["class"].astype("object").where(league["class"].notna(), None).to_numpy(),
        "peer_mean": league["peer_mean"].astype("float64").to_numpy(),
        "peer_median": league["peer_median"].astype("float64").to_numpy(),
        "gap_to_mean": league["gap_to_mean"].astype("float64").to_numpy(),
        "gap_to_mean_pct": league["gap_to_mean_pct"].astype("float64").to_numpy(),
        "gap_to_best": league["gap_to_best"].astype("float64").to_numpy(),
        "sentence": [report_sentence(r, lang) for r in league.to_dict("records")],
        "notes": metric_notes(league, lang),
        "checks": flag_texts(league, flags),
    })
    columns = [
        Column("metric", "指标（单位）", "Metric (unit)"),
        Column("park", "园区", "Park"),
        Column("value", "数值（单位见指标）", "Value (unit of the metric)", "num2"),
        Column("rank", "排名", "Rank", "int"),
        Column("peers", "参与排名园区数（个）", "Parks ranked", "int"),
        Column("percentile", "百分位（%）", "Percentile (%)", "num0"),
        Column("class", "等级", "Class"),
        Column("peer_mean", "组内平均（单位见指标）", "Peer mean (unit of the metric)", "num2"),
        Column("peer_median", "组内中位数（单位见指标）", "Peer median (unit of the metric)", "num2"),
        Column("gap_to_mean", "与平均差（单位见指标，百分比指标为百分点）", "Gap to mean (metric unit; points for %)",
               "signed2"),
        Column("gap_to_mean_pct", "与平均差（%）", "Gap to mean (%)", "signed1"),
        Column("gap_to_best", "与最优差（单位见指标）", "Gap to best (unit of the metric)", "signed2"),
        Column("sentence", "报告用语", "Report sentence"),
        NOTES,
        CHECKS,
    ]
    return table, columns
