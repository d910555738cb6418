"""Family F1: a park's own monthly ledger (台账). One park, indicators in
rows, months across (``指标 · 单位 · 1月 · 2月 … 12月``). The title
(``XX园区2024年主要经济指标月度台账（本月数）`` or ``（累计数）``) holds the
park, the year and the basis; a cumulative sheet heads its columns ``1月 ·
1-2月 … 1-12月``.

Under ``N月`` a value is the month's (本月), or the cumulative in a sheet
whose title or name says 累计; under ``1-N月`` it is cumulative to N. Empty
and ``—`` cells are not reported: the store derives the month from two
cumulatives where it can.
"""

from __future__ import annotations

from parkbench.errors import NoHeader
from parkbench.ingest.across import finish, indicator_row_records, period_columns, row_cells, sheet_basis
from parkbench.ingest.headers import SCAN_ROWS, Header, role_of
from parkbench.ingest.model import FileContext, Parsed, Sheet
from parkbench.ingest.normalize import column_letter
from parkbench.ingest.rows import Located
from parkbench.ingest.titles import sheet_park, sheet_year

FAMILY = "F1"
TITLE = "园区月度台账（指标成行，月份成列）"
ROLES = ("indicator", "unit", "park", "period")
MIN_PERIODS = 2


def across_header(sheet: Sheet, ctx: FileContext) -> Header | None:
    """The first row with an indicator column and at least two month
    headers (no park or period column: those are other families)."""
    cells = sheet.cells
    for r in range(min(SCAN_ROWS, len(cells))):
        row = row_cells(cells, r)
        columns: dict[str, int] = {}
        for c, cell in enumerate(row):
            role = role_of(cell, ROLES) if cell is not None else None
            if role and role not in columns:
                columns[role] = c
        if "indicator" not in columns or "park" in columns or "period" in columns:
            continue
        year = sheet_year(sheet, ctx, r) or 2000  # only to recognise ``3月``; read() asks for the real year
        periods = period_columns(row, year, set(columns.values()))
        if len({p for p in periods.values()}) >= MIN_PERIODS:
            labels = {c: str(v).strip() for c, v in enumerate(row) if v is not None}
            return Header(row=r, columns=columns, labels=labels)
    return None


def detect(sheet: Sheet, ctx: FileContext) -> Header | None:
    return across_header(sheet, ctx)


def header_periods(sheet: Sheet, ctx: FileContext, header: Header):
    """Period of each month column; a month without a year takes the title's."""
    row = row_cells(sheet.cells, header.row)
    year = sheet_year(sheet, ctx, header.row)
    periods = period_columns(row, year, set(header.columns.values()))
    if len(periods) < MIN_PERIODS:
        raise NoHeader("表头的月份（如“1月”）没有年份，标题、工作表名称和文件名中也找不到年份（如“2024年”），"
                       "请在标题中注明年份", file=ctx.file_name, sheet=sheet.name, row=header.row + 1)
    return periods


def read(sheet: Sheet, ctx: FileContext, header: Header) -> Parsed:
    periods = header_periods(sheet, ctx, header)
    park, _ = sheet_park(sheet, ctx, header.row)
    if not park:
        raise NoHeader("台账的标题和文件名中都找不到园区名称（例如“XX园区2024年主要经济指标月度台账”）",
                       file=ctx.file_name, sheet=sheet.name, row=1, column="A")
    return read_indicator_rows(sheet, ctx, header, periods, park, FAMILY)


def read_indicator_rows(sheet: Sheet, ctx: FileContext, header: Header, periods, park: str, family: str,
                        default_unit: str | None = None, default_basis: str | None = None) -> Parsed:
    ind_col = header.columns["indicator"]
    unit_col = header.columns.get("unit")
    body = sheet.cells.iloc[header.row + 1:]
    values, growths, skipped = indicator_row_records(
        body, ind_col, unit_col, periods, header.labels, park,
        default_basis or sheet_basis(sheet, header.row) or "month", default_unit)
    columns = {"park": ("A", "标题"), "period": ("", "表头"),
               "indicator": (column_letter(ind_col), header.labels.get(ind_col, ""))}
    if unit_col is not None:
        columns["unit"] = (column_letter(unit_col), header.labels.get(unit_col, ""))
    where = Located(ctx.file_name, sheet.name, columns)
    return finish(ctx, sheet, family, values, growths, skipped, where)
