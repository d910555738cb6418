"""N1: a park's own monthly ledger of its 规上 enterprises (规上企业月度台账).

One row per enterprise: ``序号 · 企业名称 · 统一社会信用代码 · 行业代码 · 行业名称 ·
所属片区`` then indicator columns — two header rows (``工业总产值(万元)`` over
``本月 · 1-本月 · 同比%``) or one (``营业收入1-本月(万元)``). The period is in the
sheet name or the title (one sheet per month; ``2025年1-2月`` is a cumulative
with no month of its own) or in a period column (``统计期``, ``期别(年)`` ·
``期别(月)``). The park is a ``所属园区`` column, else the title, else the file
name; with none, the store asks for it. A ``合计`` row is no enterprise.

Stocks (从业人员, 用地面积) are stored as stocks at the period; flows on the
basis their header gives (本月, 1-本月, 上年同期), else the title's, else 本月.
"""

from __future__ import annotations

from pathlib import PurePath

from parkbench.catalog import INDICATOR_BY_ID
from parkbench.errors import NoHeader
from parkbench.ingest.across import is_text_column, sheet_basis
from parkbench.ingest.enterprise.collect import Collector
from parkbench.ingest.enterprise.layout import (
    LEDGER_ROLES,
    FirmHeader,
    ValueColumn,
    find_firm_header,
    known_value_columns,
    park_from_title,
    value_columns,
)
from parkbench.ingest.model import FileContext, Sheet
from parkbench.ingest.normalize import column_letter, display_text, find_period, find_year
from parkbench.ingest.titles import sheet_period

SHAPE = "N1"
TITLE = "规上企业月度台账"


def detect(sheet: Sheet, ctx: FileContext) -> FirmHeader | None:
    header = find_firm_header(sheet.cells)
    if header is None:
        return None
    columns = value_columns(header, header.role_columns(LEDGER_ROLES))
    return header if known_value_columns(columns) else None


def read_columns(sheet: Sheet, header: FirmHeader) -> tuple[list[ValueColumn], list[str]]:
    """The value columns worth reading, and warnings for the text columns
    skipped (备注, 企业规模 …: their header names no indicator and the cells are text)."""
    body = sheet.cells.iloc[header.body_start:]
    out, warnings = [], []
    for column in value_columns(header, header.role_columns(LEDGER_ROLES)):
        if column.col >= body.shape[1]:
            continue
        known = column.indicator in INDICATOR_BY_ID
        if column.kind == "value" and not known and is_text_column(column.indicator, body[column.col]):
            if body[column.col].notna().any():
                warnings.append(f"工作表「{sheet.name}」第 {column_letter(column.col)} 列（{column.label}）不是数值列，已跳过")
            continue
        out.append(column)
    return out, warnings


def sheet_level_period(sheet: Sheet, ctx: FileContext, header: FirmHeader):
    """The period of a sheet without a period column: title, sheet name, file name."""
    period = sheet_period(sheet, ctx, header.row)
    if period is None:
        stem = PurePath(ctx.file_name).stem
        period = find_period(stem, find_year(stem))
    return period


def read(sheet: Sheet, ctx: FileContext, header: FirmHeader):
    collector = Collector(ctx, sheet, SHAPE, header)
    columns, warnings = read_columns(sheet, header)
    collector.warnings.extend(warnings)
    fallback = None if header.has_period_column else sheet_level_period(sheet, ctx, header)
    if fallback is None and not header.has_period_column:
        raise NoHeader("标题、工作表名称和文件名中都找不到统计期（例如“2024年3月”），表中也没有统计期列；"
                       "请在标题或工作表名称中注明", file=ctx.file_name, sheet=sheet.name, row=header.row + 1)
    default_year = find_year(sheet.name) or find_year(PurePath(ctx.file_name).stem)
    title_park = park_from_title(sheet, ctx, header.row)  # for rows whose park cell is empty
    default_basis = sheet_basis(sheet, header.row) or "month"
    body = sheet.cells.iloc[header.body_start:]
    for row0, cells in zip(body.index, body.values.tolist(), strict=True):
        row0 = int(row0)
        firm = collector.firm(cells, row0)
        if firm is None:
            continue
        period = collector.row_period(cells, row0, fallback, default_year)
        if period is None:
            raise collector.refuse("统计期为空", row0, header.columns.get("period", header.columns.get("month")))
        park_cell = collector.cell(cells, "park")
        park = display_text(park_cell) if park_cell is not None else title_park
        code = collector.industry_code(cells, row0)
        name = collector.cell(cells, "industry_name")
        collector.identity(firm, park, period.date, row0, code, display_text(name) if name is not None else None)
        for column in columns:
            cell = cells[column.col] if column.col < len(cells) else None
            collector.value(firm, park, column, period, cell, row0, default_basis)
    return collector.result()

