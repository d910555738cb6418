"""How a metric value is shown with what it rests on (metrics/metric_notes.sql):
the published growth where the computed one is unknown (``+9.0%（报送）``), the
as-of date of land older than 24 months (``用地面积截至2022年12月``), and the
source of a 主导产业占比 derived from the industry breakdown.

Pure text functions, shared by the pages (through ui/format.py), the report
sentence and exports, so each note is worded once.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from parkbench.catalog import INDICATOR_BY_ID, METRIC_BY_ID, metric_unit

STALE_LAND_MONTHS = 24  # land older than this is shown with its as-of date


def known(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return False
    try:
        return not math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def is_set(flag) -> bool:
    """A boolean column's cell (Python or numpy bool, or unknown) as a plain bool."""
    return known(flag) and bool(flag)


def reported_growth(value: float, lang: str = "zh", digits: int = 1) -> str:
    """A growth rate the sheet published, marked as such: ``+9.0%（报送）``."""
    return f"{value:+.{digits}f}%（报送）" if lang == "zh" else f"{value:+.{digits}f}% (reported)"


def land_note(land_period, land_age_months, lang: str = "zh") -> str | None:
    """``用地面积截至2022年12月`` when the land a 亩均 figure divides by is more than
    24 months older than the figure; ``None`` otherwise."""
    if not known(land_period) or not known(land_age_months) or int(land_age_months) <= STALE_LAND_MONTHS:
        return None
    day = pd.Timestamp(land_period).date() if not isinstance(land_period, dt.date) else land_period
    return f"用地面积截至{day.year}年{day.month}月" if lang == "zh" else f"land area as of {day:%b %Y}"


def source_note(source, lang: str = "zh") -> str | None:
    """For a 主导产业占比 derived from the industry breakdown, and for a figure
    summed over the park's enterprises (docs/enterprises.md rule 3): say so."""
    if source == "industries":
        return "按产业结构计算" if lang == "zh" else "from the industry breakdown"
    if source == "enterprises":
        return "由企业汇总" if lang == "zh" else "summed from enterprises"
    return None


def value_text(metric: str, value, *, reported_value=None, land_period=None, land_age_months=None, source=None,
               published=False, lang: str = "zh", missing: str | None = None, with_unit: bool = True) -> str:
    """One metric value as text with its unit and notes (``1.25 万元/亩（用地面积截至2022年12月）``,
    ``+9.0%``). A ``published`` value (the sheet's growth ranked in place of the computed
    one, reads/benchmark.sql) and, where the value is unknown, the published growth if the
    sheet gave one, are marked 报送; else unknown is ``missing`` (未报送)."""
    unit = metric_unit(metric)
    is_pct = unit == "%"
    digits = 1 if is_pct else 2
    if is_set(published) and known(value):
        reported_value, value = value, None
    if not known(value):
        if is_pct and known(reported_value):
            text = reported_growth(float(reported_value), lang, digits)
            return text if with_unit else text.replace("%", "", 1)
        return missing if missing is not None else ("未报送" if lang == "zh" else "not reported")
    growth = metric in METRIC_BY_ID and METRIC_BY_ID[metric].group == "growth"
    suffix = ("%" if is_pct else f" {unit}") if with_unit else ""
    text = f"{value:+.{digits}f}{suffix}" if growth else f"{value:,.{digits}f}{suffix}"
    notes = [n for n in (land_note(land_period, land_age_months, lang), source_note(source, lang)) if n]
    if notes:
        text += f"（{'；'.join(notes)}）" if lang == "zh" else f" ({'; '.join(notes)})"
    return text


GAP_TEXTS = {  # metrics/metric_gaps.sql: kind → (zh, en), {i} the input's name
    "missing": ("{i}未报送", "{i} not reported"),
    "no_month_value": ("{i}当月值未知（缺上月累计）", "{i}: month value unknown (last month's cumulative missing)"),
    "zero": ("{i}为 0", "{i} is 0"),
    "no_prior_year": ("无上年同期", "no value a year earlier"),
    "prior_year_zero": ("上年同期为 0", "zero a year earlier"),
    "no_previous_month": ("无上月数", "no value the month before"),
    "previous_month_zero": ("上月为 0", "zero the month before"),
}


def gap_note(gaps, reported_period=True, lang: str = "zh") -> str | None:
    """Why a value is unknown: 本期未报送 for a park with no value at all this month, else
    each failing input of ``gaps`` (metric_gaps.sql, ``missing:land_area,…``): 用地面积未报送,
    无上年同期…; None when nothing is known to fail."""
    if known(reported_period) and not bool(reported_period):
        return "本期未报送" if lang == "zh" else "nothing reported this month"
    if not isinstance(gaps, str) or not gaps:
        return None
    said = []
    for gap in gaps.split(","):
        kind, _, indicator = gap.partition(":")
        if kind not in GAP_TEXTS:
            continue
        named = INDICATOR_BY_ID.get(indicator)
        name = (named.zh if lang == "zh" else named.en) if named else indicator
        text = GAP_TEXTS[kind][0 if lang == "zh" else 1].format(i=name)
        if text not in said:
            said.append(text)
    return ("、" if lang == "zh" else "; ").join(said) or None


def row_notes(row) -> dict:
    """The note fields of a benchmark row (a mapping or namedtuple), for ``value_text``."""
    get = row.get if hasattr(row, "get") else lambda k, d=None: getattr(row, k, d)
    return {"reported_value": get("reported_value", None), "land_period": get("land_period", None),
            "land_age_months": get("land_age_months", None), "source": get("source", None),
            "published": is_set(get("published", False))}


def notes_text(metric: str, row, lang: str = "zh") -> str:
    """What one park's value of a metric rests on, as one table cell (a numeric
    column beside it keeps the number sortable): stale land, a share from the
    breakdown, the sheet's own growth where the computed one is unknown, and
    where the value is empty, why (``gap_note``)."""
    fields = row_notes(row)
    value = row.get("value") if hasattr(row, "get") else getattr(row, "value", None)
    said = [land_note(fields["land_period"], fields["land_age_months"], lang), source_note(fields["source"], lang)]
    if fields["published"] and known(value):
        said.append(reported_growth(float(value), lang))
    elif metric_unit(metric) == "%" and not known(value) and known(fields["reported_value"]):
        said.append(reported_growth(float(fields["reported_value"]), lang))
    elif not known(value):  # why it is empty (本期未报送, 用地面积未报送, 无上年同期…)
        get = row.get if hasattr(row, "get") else lambda k, d=None: getattr(row, k, d)
        said.append(gap_note(get("gaps", None), get("reported_period", True), lang))
    return ("；" if lang == "zh" else "; ").join(n for n in said if n)
