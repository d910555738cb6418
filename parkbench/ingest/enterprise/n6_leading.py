"""N6: a directory of each park's leading industries (主导产业目录).

``园区 · 主导产业 · 行业代码 · 起始年月``; codes are GB/T 4754-2017 prefixes
separated by ``、`` or ``,`` with ranges (``17、18、19``; ``33-40、43``), one
output row per prefix (``33-40`` gives 33 … 40). A park or a start cell
merged down over several rows is carried down. The start is the 起始年月
cell, else the date in the title or file name; with neither the file is
refused (designations change: a list needs its date). A later 起始年月
restates the park's whole list from then on (the store's rule).
"""

from __future__ import annotations

from pathlib import PurePath

from parkbench.ingest.across import row_cells
from parkbench.ingest.enterprise.codes import code_prefixes
from parkbench.ingest.enterprise.collect import Collector
from parkbench.ingest.enterprise.layout import FirmHeader, park_from_title, role_of
from parkbench.ingest.headers import SCAN_ROWS
from parkbench.ingest.model import FileContext, Sheet
from parkbench.ingest.normalize import display_text, find_period
from parkbench.ingest.titles import notes_above

SHAPE = "N6"
TITLE = "主导产业目录（行业代码）"


def detect(sheet: Sheet, ctx: FileContext) -> FirmHeader | None:
    """A row naming a group (主导产业) and its codes (行业代码), and no enterprise."""
    for r in range(min(SCAN_ROWS, len(sheet.cells))):
        cols: dict[str, int] = {}
        labels: dict[int, str] = {}
        for c, cell in enumerate(row_cells(sheet.cells, r)):
            if cell is None:
                continue
            labels[c] = str(cell).strip()
            role = role_of(cell)
            if role == "industry_code":
                role = "codes"
            if role is not None and role not in cols:
                cols[role] = c
        if {"firm", "credit", "org"} & cols.keys():
            return None
        if {"group", "codes"} <= cols.keys():
            return FirmHeader(row=r, columns=cols, labels=labels)
    return None


def read(sheet: Sheet, ctx: FileContext, header: FirmHeader):
    collector = Collector(ctx, sheet, SHAPE, header)
    title_park = park_from_title(sheet, ctx, header.row)
    dated = _list_date(sheet, ctx, header)
    park, group, start = None, None, None
    body = sheet.cells.iloc[header.body_start:]
    for row0, cells in zip(body.index, body.values.tolist(), strict=True):
        row0 = int(row0)
        codes_cell = collector.cell(cells, "codes")
        park_cell, group_cell = collector.cell(cells, "park"), collector.cell(cells, "group")
        if codes_cell is None and group_cell is None:
            continue
        park = display_text(park_cell) if park_cell is not None else (park or title_park)
        group = display_text(group_cell) if group_cell is not None else group
        start = _start(collector, cells, row0) or start or dated
        if park is None:
            raise collector.refuse("园区为空，标题和文件名中也找不到园区名称", row0, header.columns.get("park"))
        if start is None:
            raise collector.refuse("起始年月为空，标题和文件名中也没有日期：主导产业随时间调整，请注明起始年月", row0,
                                   header.columns.get("valid_from"))
        if codes_cell is None:
            collector.skip(row0, f"主导产业“{group}”没有行业代码")
            continue
        try:
            prefixes = code_prefixes(codes_cell)
        except ValueError as exc:
            raise collector.refuse(str(exc), row0, header.columns["codes"]) from None
        for prefix in prefixes:
            collector.add("leading", {"park": park, "group": group, "prefix": prefix, "valid_from": start}, row0)
    return collector.result()


def _start(collector: Collector, cells: list[object], row0: int):
    col = collector.header.columns.get("valid_from")
    if col is None or col >= len(cells):
        return None
    period = collector.period_cell(cells[col], row0, col)
    return period.date if period is not None else None


def _list_date(sheet: Sheet, ctx: FileContext, header: FirmHeader):
    for text in [t for _, _, t in notes_above(sheet, header.row)] + [PurePath(ctx.file_name).stem]:
        period = find_period(text)
        if period is not None:
            return period.date
    return None
