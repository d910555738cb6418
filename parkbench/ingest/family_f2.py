"""Family F2: the statistics system's export (the national data portal's
style). Leading lines ``数据库：园区月度数据``, ``指标：规上工业总产值累计值(亿元)``,
``时间：最近24个月``; a header ``地区, 2024年12月, 2024年11月 …`` (newest or
oldest first); one row per park; ``注：`` and ``数据来源：`` lines below.

The ``指标：`` line gives the indicator, its unit and, by its suffix, the
basis: ``累计值`` cumulative, ``当期值`` the month, ``累计增长`` /
``同比增长`` published growth (stored as reported growth, never as a level).
January is empty where 1-2月 is released as one figure: the February column
then holds the 1-2月 cumulative.

In the other orientation, a ``地区：XX园区`` line names the one park and a
column headed ``指标`` lists the indicators in rows (read like F1).
"""

from __future__ import annotations

from parkbench.errors import NoHeader
from parkbench.ingest import family_f1
from parkbench.ingest.across import finish, labelled_notes, meaning, period_columns, row_cells
from parkbench.ingest.headers import SCAN_ROWS, Header, role_of
from parkbench.ingest.model import FileContext, Parsed, Sheet
from parkbench.ingest.normalize import column_letter, display_text, fold, is_footnote, is_total_name, match_indicator
from parkbench.ingest.rows import Located

FAMILY = "F2"
TITLE = "统计系统导出（指标：…，月份成列）"
ROLES = ("park", "indicator", "unit")
MIN_PERIODS = 2


def detect(sheet: Sheet, ctx: FileContext) -> Header | None:
    """A header with a park column (and a ``指标：`` line above) or an
    indicator column (and a ``地区：`` line above), and months with their
    years in at least two other cells."""
    cells = sheet.cells
    for r in range(min(SCAN_ROWS, len(cells))):
        row = row_cells(cells, r)
        columns: dict[str, int] = {}
        for c, cell in enumerate(row):
            role = role_of(cell, ROLES) if cell is not None else None
            if role and role not in columns:
                columns[role] = c
        if not columns:
            continue
        periods = period_columns(row, None, set(columns.values()))
        if len(set(periods.values())) < MIN_PERIODS:
            continue
        notes = labelled_notes(sheet, r)
        park_rows = "park" in columns and "indicator" not in columns and "指标" in notes
        indicator_rows = "indicator" in columns and "park" not in columns and "地区" in notes
        if park_rows or indicator_rows:
            labels = {c: str(v).strip() for c, v in enumerate(row) if v is not None}
            return Header(row=r, columns=columns, labels=labels)
    return None


def read(sheet: Sheet, ctx: FileContext, header: Header) -> Parsed:
    row = row_cells(sheet.cells, header.row)
    periods = period_columns(row, None, set(header.columns.values()))
    notes = labelled_notes(sheet, header.row)
    unit_note = notes.get("单位", (0, 0, None))[2]
    if "indicator" in header.columns:
        r, c, park = notes["地区"]
        if not park:
            raise NoHeader("“地区：”一行没有写园区名称", file=ctx.file_name, sheet=sheet.name, row=r + 1,
                           column=column_letter(c))
        return family_f1.read_indicator_rows(sheet, ctx, header, periods, display_text(park), FAMILY, unit_note)
    return read_park_rows(sheet, ctx, header, periods, notes["指标"], unit_note)


def read_park_rows(sheet: Sheet, ctx: FileContext, header: Header, periods, indicator_note, unit_note,
                   default_basis: str = "month") -> Parsed:
    """One park per row; the ``指标：`` line says what every cell is (its
    basis, where the line has no suffix, is ``default_basis``)."""
    note_row, note_col, text = indicator_note
    m = meaning(text)
    if not m.name:
        raise NoHeader("“指标：”一行没有写指标名称", file=ctx.file_name, sheet=sheet.name, row=note_row + 1,
                       column=column_letter(note_col))
    unit = m.unit or unit_note
    kind = "growth" if m.kind == "growth" or fold(unit) == "%" else "value"
    park_col = header.columns["park"]
    body = sheet.cells.iloc[header.row + 1:]
    values, growths, skipped = [], [], []
    warnings = []
    if kind == "value" and m.basis is None:
        shown = "累计值" if default_basis == "ytd" else "当期值（本月）"
        warnings.append(f"工作表「{sheet.name}」的“指标：{text}”没有写明累计值或当期值，按{shown}读取")
    for idx, cells in zip(body.index, body.values.tolist(), strict=True):
        park = cells[park_col]
        if park is None or not str(park).strip():
            continue
        if is_footnote(park) or is_total_name(park):
            skipped.append((int(idx), "合计、注释或来源行"))
            continue
        for col, period in periods.items():
            cell = cells[col] if col < len(cells) else None
            if cell is None:
                continue
            basis = "ytd" if period.cumulative else (m.basis or default_basis)
            record = {"park": park, "period": period.date, "basis": basis, "value": cell, "row": int(idx) + 1,
                      "value_column": (column_letter(col), header.labels.get(col, ""))}
            if kind == "growth":
                growths.append({**record, "indicator": match_indicator(m.name)})
            else:
                values.append({**record, "indicator": m.name, "unit": unit})
    where = Located(ctx.file_name, sheet.name, {
        "park": (column_letter(park_col), header.labels.get(park_col, "")),
        "indicator": (column_letter(note_col), "指标："), "unit": (column_letter(note_col), "指标："),
        "period": ("", "表头")})
    return finish(ctx, sheet, FAMILY, values, growths, skipped, where, warnings)
