"""What a sheet says outside its table: the title and notes above the header
(period, park, ``单位：`` note), the sheet name and the file name. Shared by
the readers whose period or park is written only there (families A and B).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath

from parkbench.errors import BadCell
from parkbench.ingest.model import FileContext, Sheet
from parkbench.ingest.normalize import Period, column_letter, find_period, find_year, fold, units_from_note


def notes_above(sheet: Sheet, header_row: int) -> list[tuple[int, int, str]]:
    """(0-based row, 0-based column, text) of every non-empty cell above the header."""
    out = []
    for r in range(min(header_row, len(sheet.cells))):
        for c, value in sheet.cells.iloc[r].items():
            if value is not None and str(value).strip():
                out.append((r, int(c), str(value)))
    return out


def _is_date_note(text: str) -> bool:
    """填报日期：2023年3月5日 dates the report, it is not its period."""
    key = fold(text)
    return any(w in key for w in ("填报日期", "报送日期", "制表日期", "打印日期"))


def sheet_year(sheet: Sheet, ctx: FileContext, header_row: int) -> int | None:
    """The year from the title, else the sheet name, else the file name."""
    for _, _, text in notes_above(sheet, header_row):
        if not _is_date_note(text) and (year := find_year(text)) is not None:
            return year
    return find_year(sheet.name) or find_year(PurePath(ctx.file_name).stem)


def sheet_period(sheet: Sheet, ctx: FileContext, header_row: int) -> Period | None:
    """The period a sheet covers, from its title or notes, else its name.

    An impossible period written there (``2024年13月``) is refused, naming the
    cell (or the sheet name) that holds it."""
    year = sheet_year(sheet, ctx, header_row)
    for r, c, text in notes_above(sheet, header_row):
        if _is_date_note(text):
            continue
        try:
            period = find_period(text, year, strict=True)
        except ValueError as exc:
            raise BadCell(str(exc), file=ctx.file_name, sheet=sheet.name, row=r + 1,
                          column=column_letter(c), header="标题") from None
        if period is not None:
            return period
    try:
        return find_period(sheet.name, year, strict=True)
    except ValueError as exc:
        raise BadCell(f"工作表名称中的{exc}", file=ctx.file_name, sheet=sheet.name) from None


def shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def note_units(sheet: Sheet, header_row: int) -> list[str]:
    """Units named in ``单位：万元、亩、户`` notes above the header."""
    units: list[str] = []
    for _, _, text in notes_above(sheet, header_row):
        units.extend(units_from_note(text))
    return units


_PARK_NOTE = re.compile(r"^(?:填报单位|园区名称|园区|单位名称|开发区)[:：](.+)$")
_BEFORE_PERIOD = re.compile(r"^(.*?)(?:\d{4}年|\d{4}[-./]|(?<!\d)1[-—–~]\d{1,2}月|\d{1,2}月|[一二三四五六七八九十]+月)")
_TITLE_WORDS = re.compile(r"(主要经济指标.*|经济指标.*|统计月报.*|统计报表.*|月报.*|完成情况.*|统计表.*)$")
_FILE_PREFIX = re.compile(r"^[A-Za-z0-9]{1,3}[_\-\s]+")


def park_from_text(text: str) -> str | None:
    """``泌阳县产业集聚区2023年2月主要经济指标完成情况`` → ``泌阳县产业集聚区``."""
    s = fold(text)
    note = _PARK_NOTE.match(s)
    if note:
        return note.group(1).strip() or None
    m = _BEFORE_PERIOD.match(s)
    name = m.group(1) if m else _TITLE_WORDS.sub("", s)
    name = _TITLE_WORDS.sub("", name).strip(" _-:：")
    return name or None


def sheet_park(sheet: Sheet, ctx: FileContext, header_row: int) -> tuple[str | None, str]:
    """(park, where it was found) from a ``填报单位：`` note, the title, else the file name."""
    notes = [t for _, _, t in notes_above(sheet, header_row) if not _is_date_note(t)]
    for text in notes:
        if _PARK_NOTE.match(fold(text)):
            return park_from_text(text), "标题"
    for text in notes:
        name = park_from_text(text)
        if name and name != fold(text):
            return name, "标题"
    stem = _FILE_PREFIX.sub("", PurePath(ctx.file_name).stem)
    return park_from_text(stem), "文件名"


def name_disagrees(sheet: Sheet, period: Period, year: int | None) -> str | None:
    """A warning when the sheet name holds another month than the title
    (the title wins: it is what the statistics office wrote)."""
    try:
        named = find_period(sheet.name, year)
    except ValueError:
        return None
    if named is None or (named.month, named.year) == (period.month, period.year):
        return None
    return (f"工作表「{sheet.name}」的名称与标题中的统计期（{period.year}年{period.month}月）不一致，"
            "按标题读取")
