"""Family K: family D (one row per park and month, indicators in columns)
whose period column went through Excel as numbers: ``2024.01 … 2024.09,
2024.1, 2024.11, 2024.12``.

Excel drops the trailing zero of 2024.10, so ``2024.1`` alone cannot say
whether it is January or October. The whole column decides:

- months written with two digits (``2024.01``…``2024.09``): ``2024.1`` is October;
- months written with one digit (``2024.2``…``2024.9``) or October kept as
  ``2024.10``: ``2024.1`` is January;
- neither (only ``.1``, ``.11``, ``.12``): the column cannot tell, and the
  first such cell is refused with the reason.

The file may skip a month, so the row before ``2024.1`` says nothing.
"""

from __future__ import annotations

import datetime as dt
import re

from parkbench.errors import BadCell
from parkbench.ingest import family_d
from parkbench.ingest.headers import Header
from parkbench.ingest.model import FileContext, Parsed, Sheet
from parkbench.ingest.normalize import column_letter, fold, is_footnote, is_total_name

FAMILY = "K"
TITLE = "宽表（月份为 Excel 数字，如 2024.1）"
_NUMBER_PERIOD = re.compile(r"^(\d{4})\.(\d{1,2})$")


def period_token(cell: object) -> tuple[int, str] | None:
    """(year, the digits after the point as written) for a ``YYYY.MM`` number."""
    if cell is None or isinstance(cell, bool):
        return None
    if isinstance(cell, float):
        if cell.is_integer() or not 1990 <= cell < 2101:
            return None
        text = str(cell)
    elif isinstance(cell, str):
        text = fold(cell)
    else:
        return None
    m = _NUMBER_PERIOD.match(text)
    return (int(m.group(1)), m.group(2)) if m else None


def _period_cells(sheet: Sheet, header: Header):
    col = header.columns["period"]
    for idx, cell in sheet.cells.iloc[header.row + 1:][col].items():
        if cell is None or is_total_name(cell) or is_footnote(cell):
            continue
        yield int(idx), cell


def detect(sheet: Sheet, ctx: FileContext) -> Header | None:
    header = family_d.detect(sheet, ctx)
    if header is None:
        return None
    cells = list(_period_cells(sheet, header))
    if cells and all(period_token(cell) is not None for _, cell in cells):
        return header
    return None


def decide(fractions: set[str]) -> tuple[dict[str, int], str]:
    """Month of each written fraction, and how the column was read (for the
    warning); ``"1"`` is left out when the column cannot tell."""
    two_digit = sorted(f for f in fractions if len(f) == 2 and f.startswith("0"))
    one_digit = sorted(f for f in fractions if len(f) == 1 and f != "1")
    months = {f: int(f) for f in fractions if f != "1"}
    if two_digit and one_digit:
        return months, "mixed"
    if two_digit:
        if "10" not in fractions:
            months["1"] = 10
        return months, "two"
    if one_digit or "10" in fractions:
        months["1"] = 1
        return months, "one"
    return months, "unknown"


def read(sheet: Sheet, ctx: FileContext, header: Header) -> Parsed:
    col = header.columns["period"]
    label = header.labels.get(col, "")
    cells = list(_period_cells(sheet, header))
    tokens = {idx: period_token(cell) for idx, cell in cells}
    months, style = decide({frac for _, frac in tokens.values()})

    def refuse(idx: int, reason: str) -> BadCell:
        return BadCell(reason, file=ctx.file_name, sheet=sheet.name, row=idx + 1, column=column_letter(col),
                       header=label)

    if style == "mixed":
        two = next(c for i, c in cells if len(tokens[i][1]) == 2 and tokens[i][1].startswith("0"))
        idx, one = next((i, c) for i, c in cells if len(tokens[i][1]) == 1 and tokens[i][1] != "1")
        raise refuse(idx, f"这一列的月份既有两位（如“{two}”）又有一位（如“{one}”），无法判断“2024.1”这类数字"
                          "是 1 月还是 10 月；请把统计期写成“2024-01”或“2024年1月”后再上传")
    dates = {}
    for idx, cell in cells:
        year, frac = tokens[idx]
        month = months.get(frac)
        if month is None:
            raise refuse(idx, f"“{cell}”无法判断是 {year} 年 1 月还是 10 月（Excel 把 {year}.10 存成了 {year}.1）："
                              "这一列没有写成“2024.01”或“2024.2”的月份可作依据；请把统计期写成“2024-01”或“2024年10月”")
        if not 1 <= month <= 12:
            raise refuse(idx, f"期间“{cell}”的月份 {month} 不存在")
        dates[idx] = dt.date(year, month, 1)
    cells_copy = sheet.cells.copy()
    for idx, day in dates.items():
        cells_copy.iat[idx, col] = day
    parsed = family_d.read(Sheet(sheet.name, cells_copy, sheet.warnings), ctx, header)
    parsed.family = FAMILY
    if "1" in months:
        how = "两位月份（2024.01…2024.09），2024.1 按 10 月读取" if style == "two" else "一位月份，2024.1 按 1 月读取"
        parsed.warnings.append(f"工作表「{sheet.name}」第 {column_letter(col)} 列（{label}）是 Excel 数字月份，"
                               f"整列写作{how}")
    return parsed
