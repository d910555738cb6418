"""What every enterprise reader does with a row once it knows its columns:
the firm's identity from its name and code cells, numbers in canonical units
(万元, 亩, 人, 万千瓦时), periods, refusals that name file, sheet, row and
column, and the one place where a file's sheets are put together.

A reader makes a ``Collector`` per sheet, adds rows to it, and hands back
``collector.result()``; ``combine`` joins the sheets of one file (the same
firm, indicator, period and basis twice: the later row wins, with a warning).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd

from parkbench.catalog import INDICATOR_BY_ID
from parkbench.errors import BadCell
from parkbench.ingest import long_rules as rules
from parkbench.ingest.enterprise.codes import industry_code, read_code
from parkbench.ingest.enterprise.layout import FirmHeader, ValueColumn
from parkbench.ingest.enterprise.model import (
    GROWTH_COLUMNS,
    IDENTITY_COLUMNS,
    LEADING_COLUMNS,
    PARCEL_COLUMNS,
    REGISTER_COLUMNS,
    VALUE_COLUMNS,
    FirmParsed,
)
from parkbench.ingest.model import _BASIS_TEXT as BASIS_TEXT
from parkbench.ingest.model import FileContext, Sheet, Skipped, empty_frame
from parkbench.ingest.normalize import (
    MISSING_MARKS,
    Period,
    column_letter,
    display_text,
    fold,
    is_footnote,
    is_total_name,
    parse_number,
    parse_period,
)

MAX_SKIPPED_LISTED = rules.MAX_SKIPPED_LISTED
NO_CODE = frozenset({*MISSING_MARKS, "无", "暂无", "空"})  # a code cell saying there is none
MAX_CODE_WARNINGS = 20
TOTAL_ROW = "合计行，不是企业"
NOTE_ROW = "注释行"
_SUBTOTAL = re.compile(r"(合计|小计|总计|汇总)$")


def is_noise_name(name: object) -> str | None:
    """Why a row with this name is no enterprise (a total, a note), or None."""
    text = fold(name)
    if is_total_name(text) or _SUBTOTAL.search(text) or text.startswith(("其中", "#")):
        return TOTAL_ROW
    if is_footnote(text):
        return NOTE_ROW
    return None


@dataclass(frozen=True)
class Firm:
    credit_code: str | None
    org_code: str | None
    enterprise: str | None


def month_start(day: dt.date | dt.datetime) -> dt.date:
    return dt.date(day.year, day.month, 1)


class Collector:
    """The rows one sheet yields, checked and converted as they come."""

    def __init__(self, ctx: FileContext, sheet: Sheet, shape: str, header: FirmHeader | None = None):
        self.ctx, self.sheet, self.shape, self.header = ctx, sheet, shape, header
        self.rows: dict[str, list[dict]] = {k: [] for k in
                                            ("identities", "values", "growth", "registers", "parcels", "leading")}
        self.skipped: list[Skipped] = []
        self.warnings: list[str] = []
        self.code_problems: list[tuple[str, str, str]] = []  # (code as written, place, problem)
        self.missing = 0
        self._sources: dict[int, str | None] = {}
        self._factors: dict[tuple, float] = {}
        self._mismatches: set[tuple[str, str]] = set()

    # ------------------------------------------------------------ places and refusals

    def place(self, row0: int, col: int | None = None) -> str:
        where = f"文件「{self.ctx.file_name}」工作表「{self.sheet.name}」第 {row0 + 1} 行"
        if col is not None:
            where += f"第 {column_letter(col)} 列（{self.header_label(col)}）"
        return where

    def header_label(self, col: int) -> str:
        return self.header.label(col) if self.header is not None else ""

    def source(self, col: int | None) -> str | None:
        """The value's column as "第 G 列（工业总产值(万元) 本月）" (once per column)."""
        if col is None:
            return None
        if col not in self._sources:
            self._sources[col] = rules.source_label(column_letter(col), self.header_label(col) or None)
        return self._sources[col]

    def refuse(self, reason: str, row0: int | None, col: int | None = None) -> BadCell:
        return BadCell(reason, file=self.ctx.file_name, sheet=self.sheet.name,
                       row=None if row0 is None else row0 + 1,
                       column=None if col is None else column_letter(col),
                       header=None if col is None else self.header_label(col) or None)

    def skip(self, row0: int, reason: str) -> None:
        self.skipped.append(Skipped(self.sheet.name, row0 + 1, reason))

    # ------------------------------------------------------------ cells

    def cell(self, cells: list[object], role: str) -> object:
        col = self.header.columns.get(role) if self.header is not None else None
        if col is None or col >= len(cells):
            return None
        return cells[col]

    def firm(self, cells: list[object], row0: int, taxpayer: bool = False) -> Firm | None:
        """The enterprise a row names; None for a row with neither name nor code.
        A total or note row is skipped (and listed) and gives None too."""
        name = self.cell(cells, "firm")
        name = display_text(name) if name is not None else None
        reason = is_noise_name(name) if name else None
        if reason is not None:
            self.skip(row0, reason)
            return None
        credit, org, problems = None, None, []
        for role in ("credit", "org"):
            value = self.cell(cells, role)
            if value is None or fold(value) in NO_CODE:
                continue
            if is_noise_name(value):
                self.skip(row0, TOTAL_ROW)
                return None
            code = read_code(value, taxpayer=taxpayer and role == "credit")
            if code.problem:
                problems.append((str(value), self.place(row0, self.header.columns[role]), code.problem))
            if code.credit_code and credit is None:
                credit = code.credit_code
            if code.org_code and org is None:
                org = code.org_code
            elif code.org_code and org != code.org_code and (org, code.org_code) not in self._mismatches:
                self._mismatches.add((org, code.org_code))  # once per pair: an export repeats it every month
                self.warnings.append(f"数据检查：{self.place(row0)}：组织机构代码“{code.org_code}”与统一社会信用代码中的"
                                     f"“{org}”不一致，按统一社会信用代码读取")
        if not name and credit is None and org is None:
            return None
        self.code_problems.extend(problems)
        return Firm(credit, org, name or None)

    def industry_code(self, cells: list[object], row0: int) -> str | None:
        """The row's industry code; one that is no GB/T 4754 code is a warning, not a refusal."""
        cell = self.cell(cells, "industry_code")
        try:
            return industry_code(cell)
        except ValueError as exc:
            self.warnings.append(f"{self.place(row0, self.header.columns['industry_code'])}：{exc}，未读取")
            return None

    def number(self, cell: object, row0: int, col: int) -> float | None:
        try:
            return parse_number(cell)
        except ValueError as exc:
            raise self.refuse(f"{exc}，此处应为数值", row0, col) from None

    def period_cell(self, cell: object, row0: int, col: int, default_year: int | None = None) -> Period | None:
        """A period cell: ``2024年3月``, ``2024-03``, ``202403``, a date, ``2024年1-2月``
        (cumulative), ``2024-01-01至2024-01-31`` (its end); None when empty."""
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            return None
        value = cell
        if isinstance(cell, str):
            parts = re.split(r"至|到|~|～|—{1,2}(?=\d{4})", fold(cell))
            value = parts[-1] if len(parts) > 1 and re.match(r"\d{4}", parts[-1]) else cell
            day = re.fullmatch(r"(\d{4})(?:[-/.]|年)(\d{1,2})(?:[-/.]|月)(\d{1,2})日?", fold(value)) \
                if isinstance(value, str) else None
            if day:  # 2024-08-13, 2024/8/13, 2024年8月13日: the month of that day
                value = dt.date(int(day.group(1)), int(day.group(2)), 1)
        try:
            return parse_period(value, default_year)
        except ValueError as exc:
            raise self.refuse(str(exc), row0, col) from None

    def row_period(self, cells: list[object], row0: int, fallback: Period | None = None,
                   default_year: int | None = None) -> Period | None:
        """A row's period from its period column (``统计期``, ``所属期``; a
        ``所属期止`` column wins over ``所属期起``), or its month column, with
        the year from a year column (``期别(年)`` · ``期别(月)``, ``年份`` ·
        ``月份``) where the cell has none; else ``fallback`` (the sheet's)."""
        year = self._row_year(cells, row0)
        for role in ("period_end", "period", "month"):
            col = self.header.columns.get(role)
            cell = cells[col] if col is not None and col < len(cells) else None
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            if year is not None and _bare_month(cell):
                cell = f"{int(float(cell))}月" if str(cell).replace(".0", "").isdigit() else cell
            elif role == "month" and year is None:
                raise self.refuse("有月份没有年份：请加年份列，或在标题中注明年份", row0, self.header.columns.get("year"))
            found = self.period_cell(cell, row0, col, year or default_year)
            if found is not None:
                return found
        return fallback

    def _row_year(self, cells: list[object], row0: int) -> int | None:
        col = self.header.columns.get("year")
        if col is None or col >= len(cells) or cells[col] is None:
            return None
        try:
            year = parse_number(str(cells[col]).replace("年", ""))
        except ValueError:
            year = None
        if year is None or not float(year).is_integer():
            raise self.refuse(f"年份“{cells[col]}”不是年份", row0, col)
        return int(year)

    # ------------------------------------------------------------ rows

    def identity(self, firm: Firm, park: str | None, period: dt.date | None, row0: int,
                 industry_code: str | None = None, industry_name: str | None = None) -> None:
        self.rows["identities"].append({
            "credit_code": firm.credit_code, "org_code": firm.org_code, "enterprise": firm.enterprise,
            "park": park, "industry_code": industry_code, "industry_name": industry_name, "period": period,
            "sheet": self.sheet.name, "row": row0 + 1})

    def value(self, firm: Firm, park: str | None, column: ValueColumn, period: Period, cell: object, row0: int,
              default_basis: str = "month", unit: str | None = None) -> None:
        """One value cell: not reported → left out; otherwise converted to the
        indicator's canonical unit and stored on its basis (a stock as a stock;
        a month under a ``1-2月`` period is that period's cumulative)."""
        number = self.number(cell, row0, column.col)
        if number is None:
            self.missing += 1
            if self.missing <= MAX_SKIPPED_LISTED:
                self.skip(row0, f"{self.header_label(column.col) or column.indicator}：{rules.MISSING_VALUE}")
            return
        kind = rules.kind(column.indicator)
        basis = column.basis or default_basis
        if column.kind == "growth":
            basis = "ytd" if basis in ("ytd", "ytd_prior") or period.cumulative else "month"
            self.record("growth", firm, park, column.indicator, period.date, basis, number, row0, column.col)
            return
        if kind == "stock":
            if basis in rules.PRIOR_BASES:
                return
            basis = "stock"
        basis = rules.cumulative_basis(basis, period.cumulative)
        factor = self._factor(column, unit if unit is not None else column.unit, row0)
        if column.indicator == "land_area" and number < 0:
            raise self.refuse(rules.negative_land(cell), row0, column.col)
        self.record("values", firm, park, column.indicator, period.date, basis, number * factor, row0, column.col)

    def _factor(self, column: ValueColumn, unit: str | None, row0: int) -> float:
        """The unit's factor to the indicator's canonical unit, once per column and unit."""
        key = (column.col, column.indicator, unit)
        if key not in self._factors:
            try:
                self._factors[key] = rules.unit_factor(column.indicator, unit)
            except ValueError as exc:
                raise self.refuse(str(exc), self.header.row if self.header else row0, column.col) from None
        return self._factors[key]

    def record(self, frame: str, firm: Firm, park, indicator, period, basis, value, row0, col) -> None:
        self.rows[frame].append({
            "credit_code": firm.credit_code, "org_code": firm.org_code, "enterprise": firm.enterprise,
            "park": park, "indicator": indicator, "period": period, "basis": basis, "value": float(value),
            "sheet": self.sheet.name, "row": row0 + 1, "column": self.source(col)})

    def add(self, frame: str, record: dict, row0: int) -> None:
        """A register, parcel or leading-industry row (its own columns)."""
        self.rows[frame].append({**record, "sheet": self.sheet.name, "row": row0 + 1})

    def result(self) -> FirmParsed:
        if self.missing > MAX_SKIPPED_LISTED:
            self.warnings.append(rules.more_missing(self.sheet.name, self.missing - MAX_SKIPPED_LISTED))
        columns = {"identities": IDENTITY_COLUMNS, "values": VALUE_COLUMNS, "growth": GROWTH_COLUMNS,
                   "registers": REGISTER_COLUMNS, "parcels": PARCEL_COLUMNS, "leading": LEADING_COLUMNS}
        frames = {name: (pd.DataFrame(rows, columns=columns[name]).astype(object) if rows
                         else empty_frame(columns[name])) for name, rows in self.rows.items()}
        return SheetParsed(file_name=self.ctx.file_name, shape=self.shape, skipped=self.skipped,
                           warnings=self.warnings, code_problems=self.code_problems, **frames)


@dataclass
class SheetParsed(FirmParsed):
    """What one sheet yields: a ``FirmParsed`` plus the codes that look wrong,
    which ``combine`` turns into one warning per code for the whole file."""

    code_problems: list[tuple[str, str, str]] = field(default_factory=list)


def _bare_month(cell: object) -> bool:
    """3, "3", "3月", "1-2月": a month that needs its year from elsewhere."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return float(cell).is_integer() and 1 <= cell <= 12
    text = fold(cell).replace(".0", "")
    return bool(re.fullmatch(r"(\d{1,2}|1-\d{1,2})月?份?", text))


# ---------------------------------------------------------------- one file


def firm_key(frame: pd.DataFrame) -> pd.Series:
    """Who a row is about: the credit code, else the organisation code, else
    the folded name within its park."""
    if frame.empty:
        return pd.Series(dtype=object)
    credit, org = frame["credit_code"], frame["org_code"]
    by_name = "name:" + frame["park"].astype(str) + ":" + frame["enterprise"].map(fold)
    by_org = ("org:" + org.astype(str)).where(org.notna(), by_name)
    return credit.where(credit.notna(), by_org).astype(object)


def _later_wins(frame: pd.DataFrame, what: str) -> tuple[pd.DataFrame, list[str]]:
    """The same firm, indicator, period and basis twice: the later row (in
    sheet and workbook order) wins; differing values are named."""
    if frame.empty:
        return frame, []
    keyed = frame.assign(_firm=firm_key(frame))
    keys = ["_firm", "indicator", "period", "basis"]
    repeated = keyed[keyed.duplicated(keys, keep=False)]
    warnings: list[str] = []
    clashes = [g for _, g in repeated.groupby(keys, sort=False) if g["value"].nunique() > 1]
    for group in clashes[:5]:
        first, last = group.iloc[0], group.iloc[-1]
        warnings.append(
            f"同一{what}出现两次且不同：{last['enterprise'] or last['credit_code']} {indicator_label(last['indicator'])} "
            f"{pd.Timestamp(last['period']):%Y年%m月} {BASIS_TEXT.get(last['basis'], last['basis'])} "
            f"在工作表「{first['sheet']}」第 {first['row']} 行（{first['column']}）为 {first['value']:g}，"
            f"在工作表「{last['sheet']}」第 {last['row']} 行（{last['column']}）为 {last['value']:g}，以后者为准")
    if len(clashes) > 5:
        warnings.append(f"另有 {len(clashes) - 5} 处同一{what}重复且不同，均以靠后的一行为准")
    kept = keyed.drop_duplicates(keys, keep="last").drop(columns="_firm").reset_index(drop=True)
    return kept, warnings


def indicator_label(indicator: str) -> str:
    known = INDICATOR_BY_ID.get(indicator)
    return known.zh if known else indicator


def combine(file_name: str, parts: list[FirmParsed]) -> FirmParsed:
    """The sheets of one file as one ``FirmParsed`` (shape ``N1``, or ``N1+N3``
    when a workbook holds two shapes)."""
    def cat(name: str, columns: list[str]) -> pd.DataFrame:
        frames = [getattr(p, name) for p in parts if len(getattr(p, name))]
        return pd.concat(frames, ignore_index=True) if frames else empty_frame(columns)

    identities = cat("identities", IDENTITY_COLUMNS)
    refuse_two_parks(file_name, identities)
    values, value_warnings = _later_wins(cat("values", VALUE_COLUMNS), "数值")
    growth, growth_warnings = _later_wins(cat("growth", GROWTH_COLUMNS), "增速")
    shapes = "+".join(sorted({p.shape for p in parts}))
    warnings = [w for p in parts for w in p.warnings]
    warnings += code_warnings([c for p in parts for c in getattr(p, "code_problems", [])])
    return FirmParsed(
        file_name=file_name, shape=shapes,
        identities=identities, values=values, growth=growth,
        registers=cat("registers", REGISTER_COLUMNS), parcels=cat("parcels", PARCEL_COLUMNS),
        leading=cat("leading", LEADING_COLUMNS), skipped=[s for p in parts for s in p.skipped],
        warnings=warnings + value_warnings + growth_warnings)


def refuse_two_parks(file_name: str, identities: pd.DataFrame) -> None:
    """One enterprise in two parks for the same period (two rows of a ledger
    or a register that disagree) cannot be stored: refused, naming both rows."""
    named = identities[identities["park"].notna() & identities["period"].notna()]
    if named.empty:
        return
    named = named.assign(_firm=firm_key(named))
    parks = named.groupby(["_firm", "period"])["park"].nunique()
    if not (parks > 1).any():
        return
    firm, period = parks[parks > 1].index[0]
    rows = named[(named["_firm"] == firm) & (named["period"] == period)]
    first = rows.iloc[0]
    other = rows[rows["park"] != first["park"]].iloc[0]
    raise BadCell(f"同一企业（{other['enterprise'] or other['credit_code'] or other['org_code']}）在 "
                  f"{pd.Timestamp(period):%Y年%m月} 属于两个园区：工作表「{first['sheet']}」第 {first['row']} 行为"
                  f"“{first['park']}”，本行为“{other['park']}”", file=file_name, sheet=str(other["sheet"]),
                  row=int(other["row"]))


def code_warnings(problems: list[tuple[str, str, str]]) -> list[str]:
    """One warning per code that looks wrong, at its first place, with how
    many more places hold it (a monthly ledger repeats a code on every sheet)."""
    by_code: dict[str, list[tuple[str, str]]] = {}
    for code, place, problem in problems:
        by_code.setdefault(code, []).append((place, problem))
    out = []
    for places in list(by_code.values())[:MAX_CODE_WARNINGS]:
        place, problem = places[0]
        more = f"（另有 {len(places) - 1} 处同一代码）" if len(places) > 1 else ""
        out.append(f"数据检查：{place}：{problem}{more}")
    if len(by_code) > MAX_CODE_WARNINGS:
        out.append(f"另有 {len(by_code) - MAX_CODE_WARNINGS} 个代码有同类问题，未逐一列出")
    return out
