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
