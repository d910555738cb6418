"""Family C: the long table. One value per row: park, period, indicator,
basis (本月 / 累计 / 期末), value, unit."""

from __future__ import annotations

import pandas as pd

from parkbench.ingest import long_rules as rules
from parkbench.ingest.headers import Header, find_header, is_growth_header, is_plan_header
from parkbench.ingest.model import GROWTH_COLUMNS, INDUSTRY_COLUMNS, FileContext, Parsed, Sheet, empty_frame
from parkbench.ingest.normalize import column_letter
from parkbench.ingest.rows import Located, map_distinct, normalise_growth, normalise_long

FAMILY = "C"
TITLE = "长表（每行一个数值）"
ROLES = ("park", "period", "indicator", "basis", "value", "unit")
REQUIRED = {"park", "period", "indicator", "value"}


def detect(sheet: Sheet, ctx: FileContext) -> Header | None:
    return find_header(sheet.cells, ROLES, REQUIRED)


def read(sheet: Sheet, ctx: FileContext, header: Header) -> Parsed:
    body = sheet.cells.iloc[header.row + 1:]
    raw = pd.DataFrame({role: body[col] for role, col in header.columns.items()})
    raw["row"] = body.index + 1
    where = Located(ctx.file_name, sheet.name,
                    {role: (column_letter(col), header.labels.get(col, "")) for role, col in header.columns.items()})
    observations, skipped, warnings = normalise_long(raw, where)
    if "unit" not in header.columns:
        warnings.append(f"工作表「{sheet.name}」没有单位列，数值按各指标的标准单位（万元、亩、户）读取")
    growth_col = growth_column(header)
    growth = empty_frame(GROWTH_COLUMNS) if growth_col is None else published_growth(body, header, growth_col, where)
    return Parsed(ctx.file_name, FAMILY, observations, growth, empty_frame(INDUSTRY_COLUMNS), skipped, warnings)


def growth_column(header: Header) -> int | None:
    """A ``同比增长(%)`` column beside the values (not a plan ratio), if the sheet has one."""
    roles = set(header.columns.values())
    return next((c for c in sorted(header.labels) if c not in roles
                 and is_growth_header(header.labels[c]) and not is_plan_header(header.labels[c])), None)


def published_growth(body: pd.DataFrame, header: Header, col: int, where: Located) -> pd.DataFrame:
    """The published growth (percent) of each row's value, on that row's basis:
    beside a 累计 value (or a range period such as 1-11月) it is 累计同比."""
    rows = pd.Series(body.index + 1, index=body.index)
    indicators = body[header.columns["indicator"]]
    keep = body[col].notna() & indicators.notna()
    body, rows, indicators = body[keep], rows[keep], indicators[keep]
    raw = pd.DataFrame({
        "park": body[header.columns["park"]],
        "period": body[header.columns["period"]],
        "indicator": map_distinct(indicators, rules.indicator, where, "indicator", rows),
        "basis": (map_distinct(body[header.columns["basis"]], rules.basis, where, "basis", rows)
                  if "basis" in header.columns else "month"),
        "value": body[col],
        "row": rows,
        "value_column": [(column_letter(col), header.labels[col])] * len(body),
    })
    return normalise_growth(raw, where)
