"""N5: the register of a park's enterprises (企业名录): which park each firm
belongs to from the register's date.

``企业名称 · 统一社会信用代码 · 所属园区 · 行业代码 · 规上(是/否) · 入规年月``; the
register's date in a ``起始年月`` column, else its title or file name
(``2025年4月园区企业名录``), else its sheet name. The park is the 所属园区
column, else the one park the title or file name names. Without a 规上
column, a register titled 规上 / 规模以上 lists 规上 firms; otherwise 规上 is
unknown (None). Stock columns a register may carry (从业人员, 用地面积) are read
as values at its date.

One firm in two parks on the same register is refused, naming both rows
(``collect.combine``).
"""

from __future__ import annotations

from pathlib import PurePath

from parkbench.ingest import long_rules as rules
from parkbench.ingest.enterprise.collect import Collector
from parkbench.ingest.enterprise.layout import (
    LEDGER_ROLES,
    FirmHeader,
    ValueColumn,
    find_firm_header,
    known_value_columns,
    park_from_title,
    value_columns,
)
from parkbench.ingest.model import FileContext, Sheet
from parkbench.ingest.normalize import Period, display_text, find_period, fold
from parkbench.ingest.titles import notes_above

SHAPE = "N5"
TITLE = "企业名录（所属园区、规上、入规年月）"
YES = frozenset({"是", "y", "yes", "√", "✓", "✔", "1", "true", "规上", "规模以上", "是(规上)", "规上企业"})
NO = frozenset({"否", "n", "no", "×", "✗", "0", "false", "规下", "规模以下", "非规上", "规下企业"})


def detect(sheet: Sheet, ctx: FileContext) -> FirmHeader | None:
    """Firms with a park, 规上 or 入规年月 column and no flow indicators (a
    ledger with a 规上 column is N1); stocks (从业人员, 用地面积) may be listed."""
    header = find_firm_header(sheet.cells)
    if header is None or not header.has("above_scale", "since", "park"):
        return None
    return None if [c for c in stock_and_flow_columns(header) if rules.kind(c.indicator) != "stock"] else header


def stock_and_flow_columns(header: FirmHeader) -> list[ValueColumn]:
    return known_value_columns(value_columns(header, header.role_columns(LEDGER_ROLES)))


def above_scale_of(cell: object) -> bool | None:
    """是/否, √/×, Y/N, 1/0 as True/False; an empty cell as None. Raises
    ``ValueError`` for anything else."""
    text = fold(cell).lower()
    if not text:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"规上标识“{cell}”应为 是 或 否")


def register_date(sheet: Sheet, ctx: FileContext, header: FirmHeader) -> Period | None:
    """The register's date from its title, file name or sheet name."""
    texts = [t for _, _, t in notes_above(sheet, header.row)] + [PurePath(ctx.file_name).stem, sheet.name]
    for text in texts:
        period = find_period(text)
        if period is not None and period.year:
            return period
    return None


def read(sheet: Sheet, ctx: FileContext, header: FirmHeader):
    collector = Collector(ctx, sheet, SHAPE, header)
    dated = register_date(sheet, ctx, header)
    if dated is None and "valid_from" not in header.columns:
        raise collector.refuse("找不到名录的日期：请在标题或文件名中注明（如“2025年4月园区企业名录”），"
                               "或加一列“起始年月”", header.row)
    title_park = park_from_title(sheet, ctx, header.row)
    if "park" not in header.columns and title_park is None:
        raise collector.refuse("名录没有“所属园区”列，标题和文件名中也找不到园区名称", header.row)
    titles = " ".join(fold(t) for _, _, t in notes_above(sheet, header.row)) + fold(PurePath(ctx.file_name).stem)
    all_above_scale = True if ("规上" in titles or "规模以上" in titles) else None
    stocks = stock_and_flow_columns(header)
    body = sheet.cells.iloc[header.body_start:]
    for row0, cells in zip(body.index, body.values.tolist(), strict=True):
        row0 = int(row0)
        firm = collector.firm(cells, row0)
        if firm is None:
            continue
        park_cell = collector.cell(cells, "park")
        park = display_text(park_cell) if park_cell is not None else title_park
        if park is None:
            raise collector.refuse("所属园区为空", row0, header.columns.get("park"))
        valid_from = _valid_from(collector, cells, row0, dated)
        code = collector.industry_code(cells, row0)
        name = collector.cell(cells, "industry_name")
        industry_name = display_text(name) if name is not None else None
        collector.identity(firm, park, valid_from, row0, code, industry_name)
        collector.add("registers", {
            "credit_code": firm.credit_code, "org_code": firm.org_code, "enterprise": firm.enterprise, "park": park,
            "industry_code": code, "industry_name": industry_name,
            "above_scale": _above_scale(collector, cells, row0, all_above_scale),
            "above_scale_since": _since(collector, cells, row0), "valid_from": valid_from}, row0)
        for column in stocks:  # 从业人员, 用地面积 as of the register's date
            cell = cells[column.col] if column.col < len(cells) else None
            collector.value(firm, park, column, Period(valid_from.year, valid_from.month), cell, row0)
    return collector.result()


def _valid_from(collector: Collector, cells: list[object], row0: int, dated: Period | None):
    col = collector.header.columns.get("valid_from")
    if col is not None and col < len(cells) and cells[col] is not None:
        period = collector.period_cell(cells[col], row0, col)
        if period is not None:
            return period.date
    if dated is None:
        raise collector.refuse("起始年月为空，标题和文件名中也没有名录日期", row0, col)
    return dated.date


def _above_scale(collector: Collector, cells: list[object], row0: int, default: bool | None) -> bool | None:
    col = collector.header.columns.get("above_scale")
    if col is None:
        return default
    try:
        return above_scale_of(cells[col] if col < len(cells) else None)
    except ValueError as exc:
        raise collector.refuse(str(exc), row0, col) from None


def _since(collector: Collector, cells: list[object], row0: int):
    col = collector.header.columns.get("since")
    if col is None or col >= len(cells):
        return None
    period = collector.period_cell(cells[col], row0, col)
    return period.date if period is not None else None
