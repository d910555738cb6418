"""Family C: the long table. One value per row: park, period, indicator,
basis (本月 / 累计 / 期末), value, unit."""

from __future__ import annotations

import pandas as pd

from parkbench.ingest.headers import Header, find_header
from parkbench.ingest.model import GROWTH_COLUMNS, INDUSTRY_COLUMNS, FileContext, Parsed, Sheet, empty_frame
from parkbench.ingest.normalize import column_letter
from parkbench.ingest.rows import Located, normalise_long

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
    return Parsed(ctx.file_name, FAMILY, observations, empty_frame(GROWTH_COLUMNS),
                  empty_frame(INDUSTRY_COLUMNS), skipped, warnings)
