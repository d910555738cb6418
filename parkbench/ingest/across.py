"""Shared pieces of the layouts with periods or parks across the columns
(families F1, F2, G, H): period headers, the basis a label's suffix gives
(``累计值``, ``当期值``, ``累计增长``), the two-row merged header and the
raw long frame every reader hands to ``rows.normalise_long``.

A merged cell reads back as its text in the first column and empty cells
after it, so a group header (a park in G, an indicator in H) is carried to
the right over empty cells for as long as the row below has sub-headers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from parkbench.ingest.model import Sheet
from parkbench.ingest.normalize import Period, fold, indicator_name, is_footnote, is_total_name, parse_period, split_unit

# ---------------------------------------------------------------- period headers


def period_header(cell: object, year: int | None) -> Period | None:
    """The period a column header names (``2024年3月``, ``3月`` with the year
    from the title, ``1-3月``, ``1-3月累计``, an Excel date), else ``None``.
    Numbers are not periods here: a header of 2024.1 could be anything."""
    if cell is None or isinstance(cell, bool) or isinstance(cell, (int, float)):
        return None
    if isinstance(cell, (dt.date, dt.datetime)):
        return parse_period(cell)
    text = fold(cell)
    if not text or not any(ch.isdigit() or ch in "一二三四五六七八九十" for ch in text):
        return None
    if not re.search(r"月|\d{4}[-/.]\d", text):
        return None
    try:
        return parse_period(text.removesuffix("数"), year)
    except ValueError:
        return None


def period_columns(cells: list[object], year: int | None, skip: set[int]) -> dict[int, Period]:
    """Columns of a header row that name a period."""
    out = {}
    for c, cell in enumerate(cells):
        if c in skip:
            continue
        period = period_header(cell, year)
        if period is not None:
            out[c] = period
    return out


# ---------------------------------------------------------------- label suffixes


@dataclass(frozen=True)
class Meaning:
    """What an indicator label says about its values: the indicator name
    without the suffix, values or published growth, and the basis (``None``
    when the label does not say)."""

    name: str
    unit: str | None
    kind: str  # "value" or "growth"
    basis: str | None


_SUFFIXES: tuple[tuple[str, str, str | None], ...] = (
    ("累计同比增长", "growth", "ytd"), ("累计同比增速", "growth", "ytd"), ("累计增长", "growth", "ytd"),
    ("累计增速", "growth", "ytd"), ("当期同比增长", "growth", "month"), ("当月同比增长", "growth", "month"),
    ("本月同比增长", "growth", "month"), ("同比增长", "growth", "month"), ("当期增长", "growth", "month"),
    ("同比增速", "growth", None), ("增速", "growth", None), ("增长率", "growth", None),
    ("累计值", "value", "ytd"), ("累计数", "value", "ytd"), ("本年累计", "value", "ytd"),
    ("当期值", "value", "month"), ("当月值", "value", "month"), ("本月数", "value", "month"),
    ("当月数", "value", "month"),
)


def meaning(label: object) -> Meaning:
    """``规上工业总产值累计值(亿元)`` → (规上工业总产值, 亿元, value, ytd);
    ``规上工业总产值累计增长(%)`` → growth, ytd."""
    name, unit = split_unit(label)
    name = indicator_name(name)
    for suffix, kind, basis in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return Meaning(name[: -len(suffix)].rstrip("_-:·、"), unit, kind, basis)  # 总产值_累计值
    if unit == "%":
        return Meaning(name, unit, "growth", None)
    return Meaning(name, unit, "value", None)


# ---------------------------------------------------------------- notes above a header

_NOTE = re.compile(r"^(数据库|指标|地区|时间|单位|园区|统计期|频度)[:：](.*)$")  # after fold()


def labelled_notes(sheet: Sheet, header_row: int) -> dict[str, tuple[int, int, str]]:
    """``指标：…``, ``地区：…``, ``时间：…`` lines above the header: label →
    (0-based row, 0-based column, text after the colon)."""
    out: dict[str, tuple[int, int, str]] = {}
    for r in range(min(header_row, len(sheet.cells))):
        for c, value in sheet.cells.iloc[r].items():
            if value is None:
                continue
            m = _NOTE.match(fold(value))
            if m and m.group(1) not in out:
                out[m.group(1)] = (r, int(c), m.group(2).strip())
    return out


# ---------------------------------------------------------------- two-row headers

_SUB_MONTH = frozenset({"本月", "当月", "本月数", "当月数", "本期", "本月完成", "当月完成", "当期", "当期值"})
_SUB_YTD = re.compile(r"^(?:1-(?:\d{1,2}|本|n|N)月(?:份)?(?:累计)?(?:数|值)?"
                      r"|(?:本年|年|本期)?累计(?:数|值)?|\d{1,2}月累计(?:数)?)$")
_SUB_PRIOR = ("上年同期", "去年同期", "同期")


@dataclass(frozen=True)
class Sub:
    """A sub-header under a group: values (month or ytd; month_prior or
    ytd_prior for 上年同期 columns, stored with the sheet's own period, rule 4),
    or growth. ``months_back`` stays 0: nothing is moved to the earlier year."""

    kind: str
    basis: str
    months_back: int = 0


def sub_header(cell: object) -> Sub | None:
    """本月 · 1-N月 · 1-N月累计 · 同比% · 上年同期 under a merged group header;
    a bare ``N月`` is the cumulative (January's cumulative is headed ``1月``)."""
    from parkbench.ingest.headers import header_key, is_growth_header, is_plan_header

    if cell is None:
        return None
    key = header_key(cell).replace("—", "-").replace("–", "-")
    raw = fold(cell)
    if not key and raw in ("±%", "%", "(%)"):
        return Sub("growth", "ytd")
    if is_plan_header(key):
        return None
    says_month = any(w in key for w in ("本月", "当月", "同月"))
    if is_growth_header(raw) or key.endswith(("±", "±%")) or (raw.endswith("%") and not key.endswith("月")):
        return Sub("growth", "month" if says_month else "ytd")
    if key.startswith(_SUB_PRIOR):  # a restated base, stored with this period under its own basis (rule 4)
        return Sub("value", "month_prior" if says_month else "ytd_prior")
    if key in _SUB_MONTH:
        return Sub("value", "month")
    if _SUB_YTD.match(key) or re.fullmatch(r"\d{1,2}月", key):
        return Sub("value", "ytd")
    return None


def carried_groups(top: list[object], below: list[object], start: int) -> dict[int, tuple[int, str]]:
    """Group header text over each column from ``start`` on: the text of the
    nearest non-empty cell to the left in ``top``, carried over empty cells
    while ``below`` has a sub-header. Column → (column of the group title, title)."""
    out: dict[int, tuple[int, str]] = {}
    current: tuple[int, str] | None = None
    for c in range(start, max(len(top), len(below))):
        cell = top[c] if c < len(top) else None
        sub = below[c] if c < len(below) else None
        if cell is not None and str(cell).strip():
            current = (c, str(cell).strip())
        elif sub is None or not str(sub).strip():
            current = None
        if current is not None:
            out[c] = current
    return out


def row_cells(cells: pd.DataFrame, row: int) -> list[object]:
    if row >= len(cells):
        return []
    values = list(cells.iloc[row])
    return [None if v is None or (isinstance(v, str) and not v.strip()) else v for v in values]


def is_noise_label(text: object) -> bool:
    """A row label that is no indicator: notes, signatures, totals, blanks."""
    s = "" if text is None else str(text)
    return not s.strip() or is_footnote(s) or is_total_name(s) or not indicator_name(s)


def has_numbers(cells: pd.Series) -> bool:
    """Whether a column holds at least one number (a text column of remarks does not)."""
    from parkbench.ingest.normalize import parse_number

    for cell in cells.dropna():
        try:
            if parse_number(cell) is not None:
                return True
        except ValueError:
            continue
    return False


# Words of headers that name who filled the sheet, how to reach them, or a remark: never an indicator.
NOT_INDICATOR_WORDS = ("电话", "手机", "联系", "填报人", "填表人", "负责人", "审核人", "统计员", "邮箱", "地址", "备注", "附注")


def is_text_column(label: object, cells: pd.Series) -> bool:
    """A column that holds no indicator: its header names no known indicator and
    either names a contact or remark (联系电话, 填报人, 备注) or most of its filled
    cells are text, not numbers. Such a column is skipped and listed, never a
    reason to refuse the file; an unknown indicator of numbers with one bad cell
    is still refused at that cell."""
    from parkbench.ingest.normalize import is_known_indicator, parse_number

    if is_known_indicator(label):
        return False
    if any(word in fold(label) for word in NOT_INDICATOR_WORDS):
        return True
    numbers = texts = 0
    for cell in cells.dropna():
        try:
            numbers += parse_number(cell) is not None
        except ValueError:
            texts += 1
    return texts > numbers or numbers == 0


def raw_frame(records: list[dict]) -> pd.DataFrame:
    """Raw long records as the frame ``normalise_long`` takes (unit as objects)."""
    frame = pd.DataFrame(records)
    if "unit" in frame:
        frame["unit"] = frame["unit"].astype(object)
    return frame


# ---------------------------------------------------------------- sheets with periods across


def sheet_basis(sheet: Sheet, header_row: int) -> str | None:
    """``（累计数）`` or ``（本月数）`` in the title, or a sheet named 累计 / 本月."""
    from parkbench.ingest.titles import notes_above

    texts = [fold(t) for _, _, t in notes_above(sheet, header_row)] + [fold(sheet.name)]
    for text in texts:
        if "累计" in text:
            return "ytd"
        if any(w in text for w in ("本月", "当月", "当期")):
            return "month"
    return None


def indicator_row_records(body: pd.DataFrame, ind_col: int, unit_col: int | None, periods: dict[int, Period],
                          labels: dict[int, str], park: str, default_basis: str,
                          default_unit: str | None = None):
    """Indicators in rows, periods across: (value records, growth records,
    skipped (0-based row, reason)). A column headed ``1-N月`` is cumulative
    to N; otherwise the label's suffix, else ``default_basis``, decides."""
    from parkbench.ingest.normalize import column_letter, match_indicator

    values, growths, skipped = [], [], []
    for idx, cells in zip(body.index, body.values.tolist(), strict=True):
        label = cells[ind_col]
        if label is None or not str(label).strip():
            continue
        if is_noise_label(label):
            skipped.append((int(idx), "注释、签名或合计行"))
            continue
        m = meaning(label)
        unit = cells[unit_col] if unit_col is not None and cells[unit_col] is not None else (m.unit or default_unit)
        if m.kind == "value" and unit is not None and fold(unit) == "%":
            m = Meaning(m.name, "%", "growth", m.basis)
        for col, period in periods.items():
            cell = cells[col] if col < len(cells) else None
            if cell is None:
                continue
            basis = "ytd" if period.cumulative else (m.basis or default_basis)
            record = {"park": park, "period": period.date, "basis": basis, "value": cell, "row": int(idx) + 1,
                      "value_column": (column_letter(col), labels.get(col, ""))}
            if m.kind == "growth":
                growths.append({**record, "indicator": match_indicator(m.name)})
            else:
                values.append({**record, "indicator": m.name, "unit": unit})
    return values, growths, skipped


def finish(ctx, sheet: Sheet, family: str, values: list[dict], growths: list[dict],
           skipped: list[tuple[int, str]], where, warnings: list[str] | None = None):
    """Raw records → a ``Parsed`` through the shared normalisation."""
    from parkbench.ingest.model import INDUSTRY_COLUMNS, OBSERVATION_COLUMNS, Parsed, Skipped, empty_frame
    from parkbench.ingest.rows import normalise_growth, normalise_long

    warnings = list(warnings or [])
    seen: set[tuple[int, str]] = set()
    skips = []
    if values:
        observations, more_skipped, more_warnings = normalise_long(raw_frame(values), where)
        warnings += more_warnings
    else:
        observations, more_skipped = empty_frame(OBSERVATION_COLUMNS), []
    for s in [Skipped(sheet.name, r + 1, reason) for r, reason in skipped] + more_skipped:
        if (s.row, s.reason) not in seen:  # a wide row is reported once, not once per column
            seen.add((s.row, s.reason))
            skips.append(s)
    growth = normalise_growth(pd.DataFrame(growths), where)
    return Parsed(ctx.file_name, family, observations, growth, empty_frame(INDUSTRY_COLUMNS), skips, warnings)


def group_columns(top: list[object], below: list[object], skip: set[int]) -> dict[int, tuple[int, str, Sub]]:
    """Columns under a merged group header that have a known sub-header:
    column → (column of the group title, group title, sub-header)."""
    out = {}
    for c, (title_col, title) in carried_groups(top, below, 0).items():
        if c in skip or title_col in skip:
            continue
        sub = sub_header(below[c] if c < len(below) else None)
        if sub is not None:
            out[c] = (title_col, title, sub)
    return out


def has_groups(groups: dict[int, tuple[int, str, Sub]]) -> bool:
    """At least one group title over two or more sub-headers, one of them values."""
    by_title: dict[int, list[Sub]] = {}
    for title_col, _, sub in groups.values():
        by_title.setdefault(title_col, []).append(sub)
    return any(len(subs) >= 2 and any(s.kind == "value" for s in subs) for subs in by_title.values())


def shift_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
