"""Exports that never let a cell start a formula.

Spreadsheet programs treat a cell beginning with = + - @ (or a tab or
carriage return before one) as a formula. Text cells that begin so get a
leading apostrophe in CSV; XLSX cells are written as typed strings, which
Excel never evaluates.
"""

from __future__ import annotations

import io
import math

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so that Excel opens Chinese text correctly."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(safe_text)
    safe.columns = [safe_text(str(c)) for c in safe.columns]
    return safe.to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(frame: pd.DataFrame, sheet_name: str = "ParkBench") -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    sheet = workbook.add_worksheet(sheet_name[:31])
    header = workbook.add_format({"bold": True, "bg_color": "#EEF2F7"})
    for c, name in enumerate(frame.columns):
        sheet.write_string(0, c, str(name), header)
        sheet.set_column(c, c, max(10, min(40, len(str(name)) * 2 + 2)))
    for r, row in enumerate(frame.itertuples(index=False), start=1):
        for c, value in enumerate(row):
            _write(sheet, r, c, value)
    workbook.close()
    return buffer.getvalue()


def _write(sheet, r: int, c: int, value: object) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        sheet.write_blank(r, c, None)
    elif isinstance(value, bool):
        sheet.write_boolean(r, c, value)
    elif isinstance(value, (int, float)):
        sheet.write_number(r, c, value)
    else:
        sheet.write_string(r, c, str(value))


def _display_width(text: str) -> int:
    """Columns in Excel's units: a Chinese character is about two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def table_xlsx(frame: pd.DataFrame, columns: list, title: str, meta: list[str], lang: str = "zh",
               sheet_name: str | None = None) -> bytes:
    """A table as users paste it into a report: a title block (title, then
    lines such as 统计期, 对标组 and 数据来源), the headers with units, numbers
    as numbers with formats (two decimals, percentages as %), unknown cells
    empty, the header row frozen, columns wide enough for their text.
    ``columns`` are parkbench.output.tables.Column. Text is written as typed strings:
    a park name such as "=1+1" stays text, never a formula."""
    import xlsxwriter

    from parkbench.output.tables import KINDS

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False,
                                            "nan_inf_to_errors": False})
    sheet = workbook.add_worksheet((sheet_name or title)[:31].translate(str.maketrans("[]:*?/\\", "（）：＊？／＼")))
    bold = workbook.add_format({"bold": True, "font_size": 14})
    note = workbook.add_format({"font_color": "#555555"})
    header = workbook.add_format({"bold": True, "bg_color": "#EEF2F7", "text_wrap": True, "valign": "top",
                                  "border": 1})
    formats = {kind: workbook.add_format({"num_format": k.excel}) for kind, k in KINDS.items()}
    sheet.write_string(0, 0, title, bold)
    for i, line in enumerate(meta, start=1):
        sheet.write_string(i, 0, line, note)
    top = len(meta) + 2  # a blank row between the title block and the table
    for c, column in enumerate(columns):
        name = column.header(lang)
        sheet.write_string(top, c, name, header)
        values = frame[column.key] if column.key in frame else pd.Series([], dtype=object)
        widest = max([_display_width(column.text(v, lang)) for v in values] + [min(_display_width(name), 24), 6])
        sheet.set_column(c, c, min(widest + 2, 60))
        kind = KINDS[column.kind]
        for r, value in enumerate(values, start=top + 1):
            if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                sheet.write_blank(r, c, None, formats[column.kind])
            elif column.kind == "text":
                sheet.write_string(r, c, str(value))
            else:
                sheet.write_number(r, c, float(value) * kind.excel_scale, formats[column.kind])
    sheet.freeze_panes(top + 1, 1 if columns and columns[0].kind == "text" else 0)
    sheet.set_row(top, 36)
    if len(frame):
        sheet.autofilter(top, 0, top + len(frame), len(columns) - 1)
    workbook.close()
    return buffer.getvalue()
