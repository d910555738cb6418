"""Family A: wide and cumulative, one sheet per period. A merged title
(``2024年1-3月全市工业园区主要经济指标``), a ``单位：万元、亩、户`` note, a header
row (序号, 园区名称, indicator columns), one row per park, a 合计 row and a
注： footnote. Values run from January to the sheet's month (ytd); a
``同比增长(%)`` column right after a value column is that indicator's
published growth.

The variant "one sheet per park in family A style" has a period column
(``1-3月``, ``2024年1-3月``) instead of the park column, and the park in the
title or the sheet name.
"""

from __future__ import annotations

from pathlib import PurePath

import pandas as pd

from parkbench.catalog import INDICATOR_BY_ID
from parkbench.errors import BadCell, NoHeader
from parkbench.ingest import long_rules as rules
from parkbench.ingest.across import is_text_column
from parkbench.ingest.headers import (
    ROLE_SPELLINGS,
    Header,
    find_header,
    header_key,
    is_growth_header,
    is_plan_header,
)
from parkbench.ingest.model import INDUSTRY_COLUMNS, FileContext, Parsed, Sheet, Skipped, empty_frame
from parkbench.ingest.normalize import (
    Period,
    column_letter,
    find_period,
    fold,
    is_footnote,
    is_known_indicator,
    is_total_name,
    match_indicator,
    parse_period,
    split_unit,
    unit_factor,
)
from parkbench.ingest.rows import Located, normalise_growth, normalise_long
from parkbench.ingest.titles import name_disagrees, note_units, notes_above, park_from_text, sheet_period, sheet_year

FAMILY = "A"
TITLE = "宽表（每期一张表，累计数）"
ROLES = ("park", "period", "serial")
_REMARKS = frozenset({"备注", "说明", "附注", "类型", "园区类型", "所在地", "所属县区", "级别"})


def detect(sheet: Sheet, ctx: FileContext) -> Header | None:
    """A park column (or, one sheet per park, a period column) and at least
    one column named after a known indicator."""
    for required in ({"park"}, {"period"}):
        header = find_header(sheet.cells, ROLES, required)
        if header is None or ("park" in header.columns and "period" in header.columns):
            continue
        if required == {"period"} and "park" in header.columns:
            continue
        if any(is_known_indicator(header.labels[c]) for c in _other_columns(header)):
            return header
    return None


def _other_columns(header: Header) -> list[int]:
    roles = set(header.columns.values())
    return sorted(c for c in header.labels if c not in roles)


def value_columns(header: Header) -> list[tuple[int, str, str | None, str, int | None]]:
    """(column, indicator id, unit in the header, basis, growth column)."""
    out = []
    for c in _other_columns(header):
        label = header.labels[c]
        key = header_key(label)
        if (is_growth_header(label) or is_plan_header(label) or key in ROLE_SPELLINGS["serial"]
                or key in _REMARKS):
            continue
        _, unit = split_unit(label)
        if unit is not None and unit_factor(unit) is None:
            unit = None  # brackets holding a remark, not a unit
        basis = "month" if any(w in fold(label) for w in ("本月", "当月")) else "ytd"
        nxt = header.labels.get(c + 1)
        growth = c + 1 if nxt is not None and is_growth_header(nxt) and not is_plan_header(nxt) else None
        out.append((c, match_indicator(label), unit, basis, growth))
    return out


def note_unit_for(indicator: str, units: list[str]) -> str | None:
    """The unit a ``单位：万元、亩、户`` note gives an indicator: the first
    whose canonical unit is the indicator's (a lone unit serves unknown ones)."""
    known = INDICATOR_BY_ID.get(indicator)
    if known is None:
        return units[0] if len(units) == 1 else None
    for unit in units:
        if unit_factor(unit)[1] == known.unit:
            return unit
    return None


def read(sheet: Sheet, ctx: FileContext, header: Header) -> Parsed:
    body = sheet.cells.iloc[header.row + 1:]
    warnings: list[str] = []
    if "park" in header.columns:
        park, periods, skipped = _one_period(sheet, ctx, header, body)
        mismatch = name_disagrees(sheet, parse_period(periods), sheet_year(sheet, ctx, header.row))
        warnings += [mismatch] if mismatch else []
    else:
        park, periods, skipped = _one_park(sheet, ctx, header, body)
        body = body.loc[periods.index]
    units = note_units(sheet, header.row)
    rows = body.index + 1
    parks_only = body if isinstance(park, str) else body[park.map(rules.noise_reason).isna()]
    values, growths = [], []
    for col, indicator, unit, basis, growth_col in value_columns(header):
        if is_text_column(header.labels[col], parks_only[col]):
            warnings.append(f"工作表「{sheet.name}」第 {column_letter(col)} 列（{header.labels[col]}）不是数值列，已跳过")
            continue
        base = {"park": park, "period": periods, "indicator": indicator, "basis": basis, "row": rows}
        where_col = (column_letter(col), header.labels[col])
        values.append(pd.DataFrame({**base, "indicator": header.labels[col], "value": body[col],
                                    "unit": unit or note_unit_for(indicator, units),
                                    "value_column": [where_col] * len(body)}))
        if growth_col is not None:
            where_growth = (column_letter(growth_col), header.labels[growth_col])
            growths.append(pd.DataFrame({**base, "value": body[growth_col],
                                         "value_column": [where_growth] * len(body)}))
    where = _located(ctx, sheet, header)
    if not values:
        raise NoHeader("表头中没有可识别的指标列", file=ctx.file_name, sheet=sheet.name, row=header.row + 1)
    raw = pd.concat(values, ignore_index=True)
    raw["unit"] = raw["unit"].astype(object)
    observations, more_skipped, more_warnings = normalise_long(raw, where)
    growth = normalise_growth(pd.concat(growths, ignore_index=True) if growths else pd.DataFrame(), where)
    if not units and all(unit is None for _, _, unit, _, _ in value_columns(header)):
        warnings.append(f"工作表「{sheet.name}」表头和注释中都没有单位，数值按各指标的标准单位（万元、亩、户）读取")
    return Parsed(ctx.file_name, FAMILY, observations, growth, empty_frame(INDUSTRY_COLUMNS),
                  skipped + _one_per_row(more_skipped), warnings + more_warnings)


def _located(ctx: FileContext, sheet: Sheet, header: Header) -> Located:
    columns = {role: (column_letter(c), header.labels[c]) for role, c in header.columns.items()}
    columns.setdefault("park", ("A", "标题"))
    columns.setdefault("period", ("A", "标题"))
    return Located(ctx.file_name, sheet.name, columns)


def _one_period(sheet: Sheet, ctx: FileContext, header: Header, body: pd.DataFrame):
    """The usual layout: the period is the sheet's, the park is each row's."""
    period = sheet_period(sheet, ctx, header.row)
    if period is None and len(ctx.sheet_names) == 1:
        period = find_period(PurePath(ctx.file_name).stem)
    if period is None:
        raise NoHeader("标题和工作表名称中都找不到统计期（例如“2024年1-3月”），请在标题或工作表名称中注明",
                       file=ctx.file_name, sheet=sheet.name, row=1, column="A")
    return body[header.columns["park"]], period.date, []


def _one_park(sheet: Sheet, ctx: FileContext, header: Header, body: pd.DataFrame):
    """One sheet per park: the park is in the title or the sheet name, the
    period is each row's (the year may be only in the title)."""
    park = None
    for _, _, text in notes_above(sheet, header.row):
        name = park_from_text(text)
        if name and name != fold(text):
            park = name
            break
    park = park or fold(sheet.name)
    year = sheet_year(sheet, ctx, header.row)
    col = header.columns["period"]
    periods, skipped = {}, []
    for idx, cell in body[col].items():
        if cell is None or is_total_name(cell) or is_footnote(cell):
            if cell is not None:
                skipped.append(Skipped(sheet.name, int(idx) + 1, "合计或注释行"))
            continue
        try:
            periods[idx] = _period(cell, year).date
        except ValueError as exc:
            raise BadCell(str(exc), file=ctx.file_name, sheet=sheet.name, row=int(idx) + 1,
                          column=column_letter(col), header=header.labels[col]) from None
    return park, pd.Series(periods, dtype=object), skipped


def _period(cell: object, year: int | None) -> Period:
    try:
        return parse_period(cell, year)
    except ValueError:
        found = find_period(cell, year, strict=True)
        if found is None:
            raise
        return found


def _one_per_row(skipped: list[Skipped]) -> list[Skipped]:
    """A wide row skipped for being a total is reported once, not once per column."""
    seen, out = set(), []
    for s in skipped:
        if (s.row, s.reason) not in seen:
            seen.add((s.row, s.reason))
            out.append(s)
    return out
