"""Family D: wide and monthly. One row per park and month, indicators in
columns (unit in the header), values for the month alone (本月). A
``同比增长(%)`` column right after an indicator is that indicator's published
growth."""

from __future__ import annotations

import pandas as pd

from parkbench.errors import NoHeader
from parkbench.ingest.across import is_text_column
from parkbench.ingest.headers import ROLE_SPELLINGS, Header, find_header, header_key, is_growth_header, is_plan_header
from parkbench.ingest.model import INDUSTRY_COLUMNS, FileContext, Parsed, Sheet, empty_frame
from parkbench.ingest.normalize import column_letter, fold, match_indicator, split_unit, unit_factor
from parkbench.ingest.rows import Located, normalise_growth, normalise_long

FAMILY = "D"
TITLE = "宽表（每行一个园区一个月）"
ROLES = ("park", "period", "serial")
REQUIRED = {"park", "period"}


def detect(sheet: Sheet, ctx: FileContext) -> Header | None:
    header = find_header(sheet.cells, ROLES, REQUIRED)
    if header is None:
        return None
    others = [c for c in header.labels if c not in header.columns.values()]
    return header if others else None


def value_columns(header: Header) -> list[tuple[int, str, str | None, str, int | None]]:
    """(column, indicator id, unit, basis, growth column) for each value column."""
    role_columns = set(header.columns.values())
    columns = sorted(c for c in header.labels if c not in role_columns)
    out = []
    for c in columns:
        label = header.labels[c]
        if is_growth_header(label) or is_plan_header(label) or header_key(label) in ROLE_SPELLINGS["serial"]:
            continue
        _, unit = split_unit(label)
        if unit is not None and unit_factor(unit) is None:
            unit = None  # brackets holding a remark, not a unit
        basis = "ytd" if ("累计" in fold(label) or "1-" in fold(label)) else "month"
        growth = c + 1 if (c + 1) in header.labels and is_growth_header(header.labels[c + 1]) else None
        out.append((c, match_indicator(label), unit, basis, growth))
    return out


def read(sheet: Sheet, ctx: FileContext, header: Header) -> Parsed:
    body = sheet.cells.iloc[header.row + 1:]
    park_col, period_col = header.columns["park"], header.columns["period"]
    rows = body.index + 1
    values, growths, warnings = [], [], []
    for col, indicator, unit, basis, growth_col in value_columns(header):
        if is_text_column(header.labels[col], body[col]):
            warnings.append(f"工作表「{sheet.name}」第 {column_letter(col)} 列（{header.labels[col]}）不是数值列，已跳过")
            continue
        base = {"park": body[park_col], "period": body[period_col], "indicator": indicator,
                "basis": basis, "row": rows}
        where_col = (column_letter(col), header.labels[col])
        values.append(pd.DataFrame({**base, "indicator": header.labels[col], "value": body[col], "unit": unit,
                                    "value_column": [where_col] * len(body)}))
        if growth_col is not None:
            where_growth = (column_letter(growth_col), header.labels[growth_col])
            growths.append(pd.DataFrame({**base, "value": body[growth_col],
                                         "value_column": [where_growth] * len(body)}))
    where = Located(ctx.file_name, sheet.name,
                    {"park": (column_letter(park_col), header.labels[park_col]),
                     "period": (column_letter(period_col), header.labels[period_col])})
    if not values:
        raise NoHeader("表头中没有可识别的指标列", file=ctx.file_name, sheet=sheet.name, row=header.row + 1)
    raw = pd.concat(values, ignore_index=True)
    raw["unit"] = raw["unit"].astype(object)
    observations, skipped, more_warnings = normalise_long(raw, where)
    warnings += more_warnings
    skipped = _one_per_row(skipped)
    growth = normalise_growth(pd.concat(growths, ignore_index=True), where) if growths else normalise_growth(
        pd.DataFrame(), where)
    return Parsed(ctx.file_name, FAMILY, observations, growth, empty_frame(INDUSTRY_COLUMNS), skipped, warnings)


def _one_per_row(skipped):
    """A wide row skipped for being a total is reported once, not once per column."""
    seen, out = set(), []
    for s in skipped:
        key = (s.row, s.reason)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out
