"""Family L: basic facts (园区基本情况). Parks in rows, columns such as
``规划面积（平方公里） · 已供工业用地（亩）`` (or ``（公顷）``) and a ``截至``
column, or one ``截至2023年底`` note for the whole sheet; no month columns.
Updated once a year.

Every value is a stock as of the ``截至`` date (``2023年底``, ``2023年末`` and
``2023年12月31日`` all mean 2023-12): it holds from then on by the as-of
join, never for months before. ``规划面积`` is the planned area, kept under
its own name, never the land that 亩均 divides by.
"""

from __future__ import annotations

import re

from parkbench.catalog import INDICATOR_BY_ID
from parkbench.errors import BadCell, NoHeader
from parkbench.ingest.across import finish, has_numbers, row_cells
from parkbench.ingest.headers import ROLE_SPELLINGS, Header, find_header, header_key
from parkbench.ingest.model import FileContext, Parsed, Sheet
from parkbench.ingest.normalize import Period, column_letter, fold, match_indicator, parse_period, split_unit, unit_factor
from parkbench.ingest.rows import Located

FAMILY = "L"
TITLE = "园区基本情况（截至某日的面积等）"
ROLES = ("park", "period", "serial")
_AS_OF_WORDS = ("截至", "截止", "截止日期", "截至日期", "统计截止日", "数据截至")


def _is_as_of_header(cell: object) -> bool:
    """截至 · 截止日期 · 截至时间 · 数据截至 …"""
    key = header_key(cell)
    return key in _AS_OF_WORDS or (key.startswith(("截至", "截止")) and len(key) <= 6)


_END_OF_YEAR = re.compile(r"(\d{4})年?(?:底|末|年底|年末)$")
_FULL_DATE = re.compile(r"(\d{4})[年\-/.](\d{1,2})(?:月|[-/.])(\d{1,2})日?$")


def as_of(value: object) -> Period:
    """``2023年底`` · ``2023年末`` · ``2023年12月31日`` · ``2023-12`` · a date → the month."""
    if value is None:
        raise ValueError("截至日期为空")
    text = fold(value)
    for word in _AS_OF_WORDS:
        text = text.removeprefix(word).removeprefix(":")
    m = _END_OF_YEAR.search(text)
    if m:
        return Period(int(m.group(1)), 12)
    m = _FULL_DATE.search(text)
    if m:
        return parse_period(f"{m.group(1)}-{m.group(2)}")
    if isinstance(value, str):
        return parse_period(text)
    return parse_period(value)


_AS_OF_NOTE = re.compile(r"(?:截至|截止)(?:日期)?:?(\d{4}(?:年|[-/.])[^()，,;；。]*)")


def _sheet_as_of(sheet: Sheet) -> tuple[int, int, str] | None:
    """A ``截至2023年底`` note anywhere in the sheet (a title or a line of its
    own): (row, column, the date text after 截至)."""
    for r in range(len(sheet.cells)):
        for c, value in enumerate(row_cells(sheet.cells, r)):
            if isinstance(value, str) and (m := _AS_OF_NOTE.search(fold(value))):
                return r, c, m.group(1)
    return None


def detect(sheet: Sheet, ctx: FileContext) -> Header | None:
    """A park column, a ``截至`` column or note, at least one column with a
    unit and no flow indicator (those are read per period, never as of a date)."""
    header = find_header(sheet.cells, ROLES, {"park"})
    if header is None or "period" in header.columns:
        return None
    others = [v for c, v in header.labels.items() if c not in header.columns.values()]
    if any(_is_flow(v) for v in others):
        return None  # 税收, 产值 …: a sheet of flows (family A) that happens to say 截至 in a note
    has_as_of = any(_is_as_of_header(v) for v in others) or _sheet_as_of(sheet) is not None
    has_measure = any(_unit(v) is not None for v in others)
    return header if has_as_of and has_measure else None


def _is_flow(label: str) -> bool:
    known = INDICATOR_BY_ID.get(match_indicator(label))
    return known is not None and known.kind == "flow"


def _unit(label: str) -> str | None:
    _, unit = split_unit(label)
    return unit if unit is not None and unit_factor(unit) is not None else None


def read(sheet: Sheet, ctx: FileContext, header: Header) -> Parsed:
    park_col = header.columns["park"]
    as_of_col = next((c for c, v in header.labels.items() if _is_as_of_header(v)), None)
    note = None if as_of_col is not None else _sheet_as_of(sheet)
    sheet_when = None
    if note is not None:
        r, c, text = note
        try:
            sheet_when = as_of(text).date
        except ValueError as exc:
            raise BadCell(str(exc), file=ctx.file_name, sheet=sheet.name, row=r + 1, column=column_letter(c)) from None
    body = sheet.cells.iloc[header.row + 1:]
    measures = [c for c, v in sorted(header.labels.items())
                if c not in header.columns.values() and c != as_of_col and header_key(v) not in ROLE_SPELLINGS["serial"]
                and (_unit(v) is not None or has_numbers(body[c]))]  # 园区级别, 备注: text, not a measure
    if not measures:
        raise NoHeader("基本情况表中没有数值列", file=ctx.file_name, sheet=sheet.name, row=header.row + 1)
    values, skipped = [], []
    for idx, cells in zip(body.index, body.values.tolist(), strict=True):
        park = cells[park_col]
        if park is None or not str(park).strip():
            continue
        if as_of_col is not None:
            try:
                when = as_of(cells[as_of_col]).date
            except ValueError as exc:
                if all(cells[c] is None for c in measures):
                    continue
                raise BadCell(str(exc), file=ctx.file_name, sheet=sheet.name, row=int(idx) + 1,
                              column=column_letter(as_of_col), header=header.labels[as_of_col]) from None
        else:
            when = sheet_when
        for c in measures:
            label = header.labels[c]
            name, _ = split_unit(label)
            values.append({"park": park, "period": when, "indicator": name, "basis": "stock", "value": cells[c],
                           "unit": _unit(label), "row": int(idx) + 1, "value_column": (column_letter(c), label)})
    where = Located(ctx.file_name, sheet.name, {
        "park": (column_letter(park_col), header.labels[park_col]),
        "period": (column_letter(as_of_col) if as_of_col is not None else "", "截至")})
    values = [v for v in values if v["period"] is not None or v["value"] is not None]
    return finish(ctx, sheet, FAMILY, values, [], skipped, where)



