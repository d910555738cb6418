"""Exports that never let a cell start a formula.

Spreadsheet programs treat a cell beginning with = + - @ (or a tab or
carriage return before one) as a formula. Text cells that begin so get a
leading apostrophe in CSV; XLSX cells are written as typed strings, which
Excel never evaluates.

``write_file`` writes a query's rows (a DuckDB relation) to a file without
bringing them into pandas: DuckDB writes CSV and JSON itself, XLSX is
streamed row by row. The file appears whole or not at all.
"""

from __future__ import annotations

import io
import math
import os
from pathlib import Path

import duckdb
import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The same test in DuckDB SQL, for a text column {c}: starts_with, not `left(…) in (…)`,
# which DuckDB plans as a join, an operator that does not keep the rows' order.
SAFE_TEXT_SQL = ("case when starts_with({c}, '=') or starts_with({c}, '+') or starts_with({c}, '-') "
                 "or starts_with({c}, '@') or starts_with({c}, chr(9)) or starts_with({c}, chr(13)) "
                 "then '''' || {c} else {c} end")
EXCEL_MAX_ROWS = 1_048_576  # rows of one worksheet, its header row included
FORMATS = ("csv", "json", "xlsx")


def safe_text(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_file(con: duckdb.DuckDBPyConnection, query: str, params: dict, fmt: str, path: Path,
               sheet_name: str = "ParkBench") -> None:
    """The rows of ``query`` (SQL from queries/, with its named ``params``), in
    its order, as ``fmt`` (csv, json or xlsx) in ``path``; DuckDB writes CSV
    and JSON itself, nothing passes through pandas.

    Whole or not at all: written beside ``path`` under a temporary name and
    moved into place only when complete. Numbers that are not finite are
    written empty (null), like unknown ones. The query's own ORDER BY holds:
    what is added on top is a projection without joins, an operator DuckDB
    keeps the order through (preserve_insertion_order), so there is no second sort."""
    shape = con.sql(query, params=params or None)
    columns = list(zip(shape.columns, map(str, shape.types), strict=True))
    part = path.with_name(f".{path.name}.part")
    part.touch()  # a missing folder or no permission: an OSError here, before DuckDB's own error
    try:
        if fmt == "xlsx":
            select = _select(columns, safe=False, bom=False).replace("{query}", query)
            _write_xlsx(con.execute(select, params or None), columns, part, sheet_name)
        else:
            select = _select(columns, safe=fmt == "csv", bom=fmt == "csv").replace("{query}", query)
            options = "format csv, header true" if fmt == "csv" else "format json, array true"
            con.execute(f"copy ({select}) to $export_path ({options})", {**params, "export_path": str(part)})
        os.replace(part, path)
    except duckdb.IOException as exc:  # e.g. the disk full while DuckDB writes
        raise OSError(str(exc)) from None
    finally:
        part.unlink(missing_ok=True)


def _select(columns: list[tuple[str, str]], safe: bool, bom: bool) -> str:
    """``select … from ({query}) as q`` (``{query}`` left to fill):
    numbers not finite as null; with ``safe``, text that would start a
    formula given an apostrophe, headers included; with ``bom``, the first
    header begins with the UTF-8 byte-order mark, so that Excel opens Chinese
    text correctly (what pandas' utf-8-sig writes). Column names come from our
    own queries."""
    items = []
    for i, (name, kind) in enumerate(columns):
        value = f"q.{_identifier(name)}"
        if kind in ("DOUBLE", "FLOAT"):
            value = f"case when isfinite({value}) then {value} end"
        elif kind == "VARCHAR" and safe:
            value = SAFE_TEXT_SQL.format(c=value)
        header = ("\ufeff" if bom and i == 0 else "") + (safe_text(name) if safe else name)
        items.append(f"{value} as {_identifier(header)}")
    return "select " + ", ".join(items) + " from ({query}) as q"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _write_xlsx(result: duckdb.DuckDBPyConnection, columns: list[tuple[str, str]], path: Path,
                sheet_name: str) -> None:
    """Text as typed strings, numbers as numbers, unknown cells blank; a new
    sheet (``指标 (2)``, …) each time one is full, so that no row is dropped
    at Excel's 1,048,576-row limit."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                               "strings_to_urls": False, "strings_to_numbers": False})
    header = workbook.add_format({"bold": True, "bg_color": "#EEF2F7"})
    names = [name for name, _ in columns]
    text = [kind == "VARCHAR" for _, kind in columns]
    sheet, r, sheets = None, EXCEL_MAX_ROWS, 0
    while batch := result.fetchmany(50_000):
        for values in batch:
            if r == EXCEL_MAX_ROWS:
                sheets += 1
                sheet = workbook.add_worksheet(_sheet_title(sheet_name, sheets))
                _write_header(sheet, names, header)
                r = 1
            for c, value in enumerate(values):
                if value is None:
                    continue  # blank: in constant_memory mode a cell not written is empty
                if text[c]:
                    sheet.write_string(r, c, value)
                else:
                    sheet.write_number(r, c, value)
            r += 1
    if sheet is None:
        _write_header(workbook.add_worksheet(_sheet_title(sheet_name, 1)), names, header)
    workbook.close()


def _sheet_title(name: str, number: int) -> str:
    suffix = "" if number == 1 else f" ({number})"
    return name[:31 - len(suffix)] + suffix


def _write_header(sheet, columns: list[str], header_format) -> None:
    for c, name in enumerate(columns):
        sheet.write_string(0, c, str(name), header_format)
        sheet.set_column(c, c, max(10, min(40, len(str(name)) * 2 + 2)))


def write_cell(sheet, r: int, c: int, value: object) -> None:
    """One cell of an xlsxwriter sheet: unknown blank, numbers as numbers, anything else as typed text."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        sheet.write_blank(r, c, None)
    elif isinstance(value, bool):
        sheet.write_boolean(r, c, value)
    elif isinstance(value, (int, float)):
        sheet.write_number(r, c, value)
    else:
        sheet.write_string(r, c, str(value))


def display_width(text: str) -> int:
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
        widest = max([display_width(column.text(v, lang)) for v in values] + [min(display_width(name), 24), 6])
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
