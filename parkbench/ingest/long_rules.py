"""The rules of a long table (one value per row: park, period, indicator,
basis, value, unit), written once for both engines that apply them:
``rows.normalise_long`` (pandas; every reader that brings a sheet into long
form, the general family-C reader among them) and ``long_csv`` (DuckDB; large
long CSVs).

Each rule decides one distinct text, so an engine parses a text once however
many rows hold it; the text rules also remember their last decisions
(``decided_once``), so the same park names on twelve monthly sheets of one
workbook are parsed once, not twelve times. The engines apply the rules in the same order, to the same
rows, and report a refusal at the first row (in sheet order) that breaks it:

1. rows with neither park nor value are ignored;
2. ``noise_reason``: total, note and nameless rows are skipped, not read;
3. ``number``: every value of the other rows (a missing mark skips the row);
4. ``period``, ``indicator``, ``basis`` of the rows that hold a value; then
   the decisions that join them: ``separate_land`` (two land names in one
   sheet: the more specific is land_area, the other keeps its own name),
   ``cumulative_basis`` (a period written as a range, ``1-2月``, is 累计
   whatever the basis column says), ``PRIOR_STOCK`` (a stock a year earlier
   is skipped) and ``stored_basis`` (a stock is stored as a stock);
5. ``unit_factor`` for each (indicator, unit) pair;
6. row rules: ``flow_as_stock``, ``negative_land``;
7. the same park, indicator, period and basis twice: the later row wins,
   ``conflicting_duplicate`` warns when the values differ.

Every observation keeps where it was read (``source_label``): sheet, row and
the value's column.
"""

from __future__ import annotations

import datetime as dt
import functools
import math

from parkbench.catalog import INDICATOR_BY_ID
from parkbench.ingest.normalize import (
    display_text,
    indicator_name,
    is_footnote,
    is_total_name,
    match_indicator,
    parse_basis,
    parse_number,
    parse_period,
    resolve_land,
)
from parkbench.ingest.normalize import (
    unit_factor as unit_of,
)

MAX_SKIPPED_LISTED = 200

TOTAL_ROW = "合计行，不是园区"
NOTE_ROW = "注释行"
NAMELESS_ROW = "园区名称为空"
MISSING_VALUE = "未报送（空值或“—”等标记），不按 0 处理"
PRIOR_STOCK = "上年同期的存量指标（用地面积、企业数等）不作为数值保存"
PRIOR_BASES = ("month_prior", "ytd_prior")
BASES = ("month", "ytd", "stock", *PRIOR_BASES)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or not str(value).strip()


_CACHES = []


def decided_once(rule):
    """Remember a text rule's decisions (rules are pure functions of the text;
    a refusal is not remembered and is raised again)."""
    cached = functools.lru_cache(maxsize=1 << 16)(rule)
    _CACHES.append(cached)

    @functools.wraps(rule)
    def decide(value: object):
        try:
            return cached(value)
        except TypeError:  # an unhashable cell
            return rule(value)

    return decide


def forget() -> None:
    """Clear the remembered decisions (the benchmark times a cold start)."""
    for cached in _CACHES:
        cached.cache_clear()


@decided_once
def noise_reason(park: object) -> str | None:
    """Why a row is not a park's row (a total, a note, no name), or ``None``."""
    text = "" if _is_blank(park) else str(park)
    if is_total_name(text):
        return TOTAL_ROW
    if not text.strip():
        return NAMELESS_ROW
    if is_footnote(text):
        return NOTE_ROW
    return None


@decided_once
def park_name(park: object) -> str:
    return display_text(park)


def number(value: object) -> float | None:
    """The value of a cell; ``None`` for a missing mark. ValueError names the text."""
    try:
        return parse_number(value)
    except ValueError as exc:
        raise ValueError(f"{exc}，此处应为数值") from None


@decided_once
def period(value: object):
    """The period (``.date`` its month; ``.cumulative`` when written as a range
    from January: ``1-2月``, ``2024年1-2月``, a quarter)."""
    return parse_period(value)


def month(value: object) -> dt.date:
    return period(value).date


@decided_once
def indicator(value: object) -> str:
    if _is_blank(value):
        raise ValueError("指标名称为空")
    return match_indicator(value)


@decided_once
def basis(value: object) -> str:
    """本月 / 累计 / 期末 as month, ytd, stock; a blank basis is a month's value."""
    if _is_blank(value):
        return "month"
    return parse_basis(value)


def kind(indicator_id: str) -> str | None:
    """flow or stock for a catalogue indicator; areas outside the catalogue
    (建成区面积, a second land name kept under its own name) are stocks too;
    other unknown names None."""
    known = INDICATOR_BY_ID.get(indicator_id)
    if known is not None:
        return known.kind
    return "stock" if str(indicator_id).endswith("面积") else None


def separate_land(labels) -> dict[str, str]:
    """The land labels of one sheet (texts decided ``land_area``) that keep
    their own name because a more specific land label is land_area."""
    return {label: ind for label, ind in resolve_land(list(labels)).items() if ind != "land_area"}


def land_kept_apart(sheet: str, labels, changed: dict[str, str]) -> str:
    kept = sorted({indicator_name(v) for v in labels if v not in changed})
    return (f"工作表「{sheet}」有多个用地面积列：“{'、'.join(kept)}”作为亩均计算所用的用地面积，"
            f"“{'、'.join(sorted(set(changed.values())))}”按原名另存，不用于亩均")


def is_land_kept_apart(indicator: str) -> bool:
    """A stored indicator that is a land label kept under its own name
    (``separate_land``): a land name, but not ``land_area``."""
    return indicator not in INDICATOR_BY_ID and match_indicator(indicator) == "land_area"


def cumulative_basis(basis_id: str, cumulative: bool) -> str:
    """A period written as a range is cumulative from January: `1-2月` 本月 is February's 累计."""
    return "ytd" if cumulative and basis_id == "month" else basis_id


def prior_stock(kind_id: str | None, basis_id: str) -> bool:
    """A stock a year earlier (上年同期 用地面积) is no restated base for growth,
    and stored at that earlier month it could overwrite what was reported then."""
    return kind_id == "stock" and basis_id in PRIOR_BASES


def stored_basis(kind_id: str | None, basis_id: str) -> str:
    return "stock" if kind_id == "stock" else basis_id


def factor(indicator_id: str, unit: object) -> float | None:
    """Factor from the written unit to the indicator's canonical one; ``None``
    when the unit does not fit the indicator. No unit: the canonical one."""
    known = INDICATOR_BY_ID.get(indicator_id)
    if _is_blank(unit):
        return 1.0
    found = unit_of(unit)
    if known is None:
        return found[0] if found else 1.0
    if found is None or found[1] != known.unit:
        return None
    return found[0]


def unit_factor(indicator_id: str, unit: object) -> float:
    """``factor``, refusing a unit that does not fit with a ValueError."""
    found = factor(indicator_id, unit)
    if found is None:
        raise ValueError(f"单位“{unit}”不适用于该指标（应为{INDICATOR_BY_ID[indicator_id].unit}或可换算的单位）")
    return found


def flow_as_stock(indicator_text: object) -> str:
    return f"“{indicator_text}”是流量指标，口径应为 本月 或 累计，不能是 期末"


def negative_land(value_text: object) -> str:
    return f"用地面积不能为负数（{value_text}）"


def more_missing(sheet: str, unlisted: int) -> str:
    return f"工作表「{sheet}」另有 {unlisted} 个未报送的值未列出"


def no_unit_column(sheet: str) -> str:
    return f"工作表「{sheet}」没有单位列，数值按各指标的标准单位（万元、亩、户）读取"


def conflicting_duplicate(sheet: str, park: str, indicator_id: str, month: dt.date, rows=()) -> str:
    where = "（第 " + "、".join(str(int(r)) for r in rows) + " 行）" if len(rows) else ""
    return f"工作表「{sheet}」中 {park} {indicator_id} {month:%Y-%m} 出现多次且数值不同{where}，以最后一行为准"


def source_label(letter: str | None, header: str | None) -> str | None:
    """The value's column as "第 C 列（税收）"."""
    if not letter:
        return None
    return f"第 {letter} 列（{header}）" if header else f"第 {letter} 列"
