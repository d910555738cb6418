"""N2: a query export of the statistics bureau's 联网直报 platform (e.g. form
B204-1 工业产销总值), one row per enterprise and period.

Keys ``组织机构代码 · 单位详细名称 · 统一社会信用代码 · 期别(年) · 期别(月)``;
value headers are paths joined by ``;`` whose last part is the unit:
``本月;工业总产值(当年价格);千元``, ``1-本月;…``, ``上年同期;1-本月;…``. Values are
in 千元 (→ 万元 ÷ 10) or whatever unit the path names. ``上年同期`` columns are
the same firm's prior-year values, stored with the row's period on the bases
ytd_prior / month_prior (the comparable base of its growth). Trailing columns
(``调查对象审核错误说明 · 报送时间``) are not values.

There is no park column: the park comes from the register (N5) or the user
(``FirmParsed.needs_park``). A park column, where an export has one, is read.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from parkbench.ingest.enterprise.collect import Collector
from parkbench.ingest.enterprise.layout import FirmHeader, ValueColumn, dashes_folded, find_firm_header, label_meaning
from parkbench.ingest.enterprise.n1_ledger import sheet_level_period
from parkbench.ingest.model import FileContext, Sheet
from parkbench.ingest.normalize import display_text, find_year, match_indicator, unit_factor

SHAPE = "N2"
TITLE = "联网直报查询导出（路径表头）"
_PATH_SEPARATOR = re.compile(r"[;；]")
_PRIOR = ("上年同期", "去年同期", "上年同月", "去年同月", "上年")
_YTD = re.compile(r"^(1-本月|1-\d{1,2}月|本年累计|累计|1至本月|年初累计|1-本期)$")
_MONTH = ("本月", "当月", "本期", "本月数")


def path_meaning(col: int, label: str) -> ValueColumn | None:
    """A ``;``-path header as a value column, or None when it is no path."""
    parts = [p.strip() for p in _PATH_SEPARATOR.split(dashes_folded(label)) if p.strip()]
    if len(parts) < 2:
        return None
    unit = None
    if unit_factor(parts[-1]) is not None or parts[-1] == "%":
        unit = parts.pop()
    prior = ytd = month = growth = False
    names = []
    for part in parts:
        if part.startswith(_PRIOR):
            prior = True
            rest = part.removeprefix("上年同期").removeprefix("去年同期")
            month = month or "同月" in part or rest in _MONTH
            ytd = ytd or bool(_YTD.match(rest))
        elif _YTD.match(part):
            ytd = True
        elif part in _MONTH:
            month = True
        elif any(w in part for w in ("同比", "增速", "增长")):
            growth = True
        else:
            names.append(part)
    if not names:
        return None
    known = [n for n in names if match_indicator(label_meaning(n)[0]) != label_meaning(n)[0]]
    name, bracket_unit, _, _ = label_meaning((known or sorted(names, key=len))[-1])
    unit = unit or bracket_unit  # 工业总产值(当年价格)(千元);本月
    if growth or unit == "%":
        return ValueColumn(col, match_indicator(name), "%", "growth", "month" if month and not ytd else "ytd", label)
    if prior:
        basis = "ytd_prior" if ytd or not month else "month_prior"
    else:
        basis = "ytd" if ytd else "month" if month else None
    return ValueColumn(col, match_indicator(name), unit, "value", basis, label)


def path_columns(header: FirmHeader) -> list[ValueColumn]:
    out = []
    for col, label in sorted(header.labels.items()):
        if col in header.columns.values():
            continue
        column = path_meaning(col, label)
        if column is not None:
            out.append(column)
    return out


def detect(sheet: Sheet, ctx: FileContext) -> FirmHeader | None:
    header = find_firm_header(sheet.cells)
    if header is None or header.sub_row is not None:
        return None
    return header if path_columns(header) else None


def read(sheet: Sheet, ctx: FileContext, header: FirmHeader):
    collector = Collector(ctx, sheet, SHAPE, header)
    columns = path_columns(header)
    fallback = None if header.has_period_column else sheet_level_period(sheet, ctx, header)
    default_year = find_year(sheet.name) or find_year(PurePath(ctx.file_name).stem)
    body = sheet.cells.iloc[header.body_start:]
    for row0, cells in zip(body.index, body.values.tolist(), strict=True):
        row0 = int(row0)
        firm = collector.firm(cells, row0)
        if firm is None:
            continue
        period = collector.row_period(cells, row0, fallback, default_year)
        if period is None:
            raise collector.refuse("没有统计期：表中应有 期别(年)、期别(月) 列或统计期列", row0,
                                   header.columns.get("year", header.columns.get("period")))
        park_cell = collector.cell(cells, "park")
        park = display_text(park_cell) if park_cell is not None else None
        collector.identity(firm, park, period.date, row0)
        for column in columns:
            cell = cells[column.col] if column.col < len(cells) else None
            collector.value(firm, park, column, period, cell, row0)
    return collector.result()
