"""Family G: parks as column groups. One sheet per month (``2024年3月``);
row 1 a title; row 2 ``指标 · 单位`` then each park's name merged across 3
columns; row 3 ``本月 · 1-N月 · 同比%`` under every park; one row per
indicator below.

A park's values are the columns under its name. Stock rows (用地面积,
规上企业数) have their value in the 本月 column only. ``同比%`` is the
published cumulative growth. For January the cumulative column may be
headed just ``1月``.
"""

from __future__ import annotations

from parkbench.errors import NoHeader
from parkbench.ingest.across import (
    finish,
    group_columns,
    has_groups,
    is_noise_label,
    meaning,
    row_cells,
    shift_months,
)
from parkbench.ingest.headers import SCAN_ROWS, Header, role_of
from parkbench.ingest.model import FileContext, Parsed, Sheet
from parkbench.ingest.normalize import column_letter, display_text, fold, is_known_indicator, match_indicator
from parkbench.ingest.rows import Located
from parkbench.ingest.titles import sheet_period

FAMILY = "G"
TITLE = "园区列组（园区名合并单元格，下分本月、累计、同比）"
ROLES = ("indicator", "unit", "serial")


def detect(sheet: Sheet, ctx: FileContext) -> Header | None:
    cells = sheet.cells
    for r in range(min(SCAN_ROWS, len(cells) - 1)):
        top = row_cells(cells, r)
        columns: dict[str, int] = {}
        for c, cell in enumerate(top):
            role = role_of(cell, (*ROLES, "park", "period")) if cell is not None else None
            if role and role not in columns:
                columns[role] = c
        if "indicator" not in columns or "park" in columns or "period" in columns:
            continue
        groups = group_columns(top, row_cells(cells, r + 1), set(columns.values()))
        if any(is_known_indicator(title) for _, title, _ in groups.values()):
            continue  # indicators as groups: family H's shape, not parks
        if has_groups(groups):
            labels = {c: str(v).strip() for c, v in enumerate(top) if v is not None}
            return Header(row=r, columns=columns, labels=labels)
    return None


def read(sheet: Sheet, ctx: FileContext, header: Header) -> Parsed:
    period = sheet_period(sheet, ctx, header.row)
    if period is None:
        raise NoHeader("标题和工作表名称中都找不到统计期（例如“2024年3月”），请在标题或工作表名称中注明",
                       file=ctx.file_name, sheet=sheet.name, row=1, column="A")
    top, below = row_cells(sheet.cells, header.row), row_cells(sheet.cells, header.row + 1)
    groups = group_columns(top, below, set(header.columns.values()))
    ind_col, unit_col = header.columns["indicator"], header.columns.get("unit")
    body = sheet.cells.iloc[header.row + 2:]
    values, growths, skipped = [], [], []
    for idx, cells in zip(body.index, body.values.tolist(), strict=True):
        label = cells[ind_col]
        if label is None or not str(label).strip():
            continue
        if is_noise_label(label):
            skipped.append((int(idx), "注释、签名或合计行"))
            continue
        m = meaning(label)
        unit = cells[unit_col] if unit_col is not None and cells[unit_col] is not None else m.unit
        growth_row = m.kind == "growth" or fold(unit) == "%"
        for col, (_, park, sub) in groups.items():
            cell = cells[col] if col < len(cells) else None
            if cell is None:
                continue
            record = {"park": display_text(park), "period": shift_months(period.date, -sub.months_back),
                      "basis": sub.basis, "value": cell, "row": int(idx) + 1,
                      "value_column": (column_letter(col), f"{park} {below[col]}")}
            if sub.kind == "growth" or growth_row:
                if sub.months_back == 0:
                    growths.append({**record, "indicator": match_indicator(m.name)})
            else:
                values.append({**record, "indicator": m.name, "unit": unit})
    columns = {"park": ("", "园区表头"), "period": ("A", "标题"),
               "indicator": (column_letter(ind_col), header.labels.get(ind_col, ""))}
    if unit_col is not None:
        columns["unit"] = (column_letter(unit_col), header.labels.get(unit_col, ""))
    return finish(ctx, sheet, FAMILY, values, growths, skipped, Located(ctx.file_name, sheet.name, columns))
