"""N3: the tax bureau's 入库税收 by taxpayer.

``纳税人识别号 · 纳税人名称 · 所属期`` (or ``入库月份``) then one column per tax
(``增值税 · 企业所得税 · 个人所得税 · 城建税 …``) and ``合计``; amounts in 元
unless a header or a ``单位：`` note says otherwise. The 纳税人识别号 is the
统一社会信用代码 (an old 15-character number holds the 组织机构代码 after the
region).

An enterprise's tax for a month is the ``合计`` cell, or the sum of its tax
cells when there is no 合计 column (a tax left empty was not levied; a row
with every tax empty was not reported). A tax list may hold several rows for
one taxpayer and month (one per 入库 entry, or one per tax in a long list with
``征收项目 · 实缴金额``): they are added up. No park column: the park comes from
the register.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from parkbench.catalog import INDICATOR_BY_ID
from parkbench.ingest import long_rules as rules
from parkbench.ingest.enterprise.collect import Collector
from parkbench.ingest.enterprise.layout import LEDGER_ROLES, FirmHeader, find_firm_header, value_columns
from parkbench.ingest.enterprise.n1_ledger import sheet_level_period
from parkbench.ingest.model import FileContext, Sheet
from parkbench.ingest.normalize import display_text, find_year, fold, split_unit, unit_factor
from parkbench.ingest.titles import note_units

SHAPE = "N3"
TITLE = "税务入库税收明细（按纳税人）"
TOTAL_HEADERS = frozenset({"合计", "税收合计", "合计金额", "总计", "税款合计", "入库税款合计", "实缴金额", "入库金额",
                           "金额", "实缴(退)税额", "实缴税额", "税额", "入库税额", "税收合计金额", "合计税额", "小计",
                           "实缴金额合计", "入库税收合计", "税费合计"})
_TAX_NAME = re.compile(r"(税|附加|税款|基金|规费)$")
DEFAULT_UNIT = "元"


def is_tax_type(label: str) -> bool:
    """增值税, 企业所得税, 城市维护建设税, 教育费附加 …: one tax per column."""
    name, _ = split_unit(label)
    return bool(_TAX_NAME.search(name)) and not name.startswith("纳税人") and name not in TOTAL_HEADERS


def is_total(label: str) -> bool:
    name, _ = split_unit(label)
    return name in TOTAL_HEADERS


@dataclass
class TaxColumns:
    total: int | None
    taxes: list[int]
    unit: dict[int, str | None]


def tax_columns(header: FirmHeader) -> TaxColumns:
    skip = header.role_columns(LEDGER_ROLES)
    total, taxes, units = None, [], {}
    for col, label in sorted(header.labels.items()):
        if col in skip:
            continue
        if is_total(label) and total is None:
            total = col
        elif is_tax_type(label):
            taxes.append(col)
        else:
            continue
        _, unit = split_unit(label)
        units[col] = unit if unit is not None and unit_factor(unit) is not None else None
    return TaxColumns(total, taxes, units)


def detect(sheet: Sheet, ctx: FileContext) -> FirmHeader | None:
    header = find_firm_header(sheet.cells)
    if header is None or header.sub_row is not None:
        return None
    columns = tax_columns(header)
    taxpayer = any("纳税人" in fold(header.labels[c]) for c in header.role_columns(("firm", "credit")))
    if not columns.taxes and not (taxpayer and columns.total is not None):
        return None
    others = [c for c in value_columns(header, header.role_columns(LEDGER_ROLES))
              if c.kind == "value" and c.indicator in INDICATOR_BY_ID and c.indicator != "tax"]
    return None if others else header  # a ledger with 增值税 beside 工业总产值 is N1


def read(sheet: Sheet, ctx: FileContext, header: FirmHeader):
    collector = Collector(ctx, sheet, SHAPE, header)
    columns = tax_columns(header)
    noted = [u for u in note_units(sheet, header.row) if unit_factor(u) and unit_factor(u)[1] == "万元"]
    default_unit = noted[0] if noted else DEFAULT_UNIT
    fallback = None if header.has_period_column else sheet_level_period(sheet, ctx, header)
    default_year = find_year(sheet.name) or find_year(PurePath(ctx.file_name).stem)
    totals: dict[tuple, list] = {}  # (firm key, period) → [firm, park, period, 万元, first row, column]
    body = sheet.cells.iloc[header.body_start:]
    for row0, cells in zip(body.index, body.values.tolist(), strict=True):
        row0 = int(row0)
        firm = collector.firm(cells, row0, taxpayer=True)
        if firm is None:
            continue
        period = collector.row_period(cells, row0, fallback, default_year)
        if period is None:
            raise collector.refuse("所属期为空", row0, header.columns.get("period"))
        park_cell = collector.cell(cells, "park")
        park = display_text(park_cell) if park_cell is not None else None
        collector.identity(firm, park, period.date, row0)
        amount, col = _row_tax(collector, columns, cells, row0, default_unit)
        if amount is None:
            collector.skip(row0, f"税收：{rules.MISSING_VALUE}")
            continue
        key = (firm.credit_code or firm.org_code or fold(firm.enterprise), park, period.date)
        if key in totals:
            totals[key][3] += amount
        else:
            totals[key] = [firm, park, period.date, amount, row0, col]
    for firm, park, period, amount, row0, col in totals.values():
        collector.record("values", firm, park, "tax", period, "month", amount, row0, col)
    return collector.result()


def _row_tax(collector: Collector, columns: TaxColumns, cells: list[object], row0: int,
             default_unit: str) -> tuple[float | None, int | None]:
    """(tax in 万元, column read) of one row: its 合计, else the sum of its tax
    cells; a 合计 that differs from the sum of the taxes beside it is named."""
    def amount(col: int) -> float | None:
        number = collector.number(cells[col] if col < len(cells) else None, row0, col)
        if number is None:
            return None
        unit = columns.unit.get(col) or default_unit
        try:
            return number * rules.unit_factor("tax", unit)
        except ValueError as exc:
            raise collector.refuse(str(exc), collector.header.row, col) from None

    parts = [a for a in (amount(c) for c in columns.taxes) if a is not None]
    summed = sum(parts) if parts else None
    if columns.total is not None:
        total = amount(columns.total)
        if total is not None:
            if summed is not None and abs(total - summed) > 0.01:  # 100 元
                collector.warnings.append(
                    f"数据检查：{collector.place(row0, columns.total)}：合计 {total:g} 万元与各税种之和 {summed:g} 万元不一致，"
                    "按合计读取")
            return total, columns.total
    return summed, None  # the sum of the tax columns: no one column holds it

