"""Family H: a two-row merged header, parks in rows. One sheet per month
(``1月``…``12月``, the year in the title). Header row 1 is ``序号 · 单位名称 ·
规上工业总产值（万元）`` (merged over 3 columns) ``· 税收（万元）`` (merged over
3) ``· 用地面积（亩）``; header row 2 has ``本月 · 1-N月累计 · 同比±%`` under
each group. A ``合计`` row is not a park.

The two header rows are read together: the group title gives the indicator
and the unit, the sub-header the basis. A cell merged down both rows (序号,
用地面积) is a header on its own, read as family A reads a column.
"""

from __future__ import annotations

from parkbench.errors import NoHeader
from parkbench.ingest.across import finish, group_columns, has_groups, row_cells, shift_months
from parkbench.ingest.family_a import note_unit_for
from parkbench.ingest.headers import ROLE_SPELLINGS, Header, find_header, header_key, is_growth_header, is_plan_header
from parkbench.ingest.model import FileContext, Parsed, Sheet
from parkbench.ingest.normalize import column_letter, fold, is_footnote, is_total_name, match_indicator, split_unit, unit_factor
from parkbench.ingest.rows import Located
from parkbench.ingest.titles import note_units, sheet_period

FAMILY = "H"
TITLE = "双行表头（指标合并单元格，下分本月、累计、同比）"
ROLES = ("park", "serial")


def detect(sheet: Sheet, ctx: FileContext) -> Header | None:
    header = find_header(sheet.cells, ROLES, {"park"})
    if header is None or header.row + 1 >= len(sheet.cells):
        return None
    below = row_cells(sheet.cells, header.row + 1)
    park_col = header.columns["park"]
    if below[park_col] is not None and fold(below[park_col]) != fold(header.labels[park_col]):
        return None  # the row under the header is already a park: one header row (family A)
    groups = group_columns(row_cells(sheet.cells, header.row), below, set(header.columns.values()))
    return header if has_groups(groups) else None


def _unit(label: str) -> str | None:
    _, unit = split_unit(label)
    return unit if unit is not None and unit_factor(unit) is not None else None


def column_meanings(top: list[object], below: list[object], role_columns: set[int], units: list[str]):
    """(column, indicator label, unit, kind, basis, months back, header as shown) for every value column;
    a unit missing from the header comes from a ``单位：万元、亩`` note (``units``)."""
    groups = group_columns(top, below, role_columns)
    out = []
    for c, cell in enumerate(top):
        if c in role_columns:
            continue
        if c in groups:
            _, title, sub = groups[c]
            name, _ = split_unit(title)
            unit = _unit(title) or note_unit_for(match_indicator(name), units)
            out.append((c, name, unit, sub.kind, sub.basis, sub.months_back, f"{title} {below[c]}"))
        elif cell is not None and below[c] is None:
            label = str(cell).strip()
            key = header_key(label)
            if (is_growth_header(label) or is_plan_header(label) or key in ROLE_SPELLINGS["serial"]
                    or key in ROLE_SPELLINGS["park"]):
                continue  # 序号, and a second name column (县（市、区） beside 开发区名称)
            basis = "month" if any(w in fold(label) for w in ("本月", "当月")) else "ytd"
            name, _ = split_unit(label)
            out.append((c, name, _unit(label) or note_unit_for(match_indicator(name), units), "value", basis, 0, label))
    return out


def read(sheet: Sheet, ctx: FileContext, header: Header) -> Parsed:
    period = sheet_period(sheet, ctx, header.row)
    if period is None:
        raise NoHeader("标题和工作表名称中都找不到统计期（例如“2023年1-3月”），请在标题或工作表名称中注明",
                       file=ctx.file_name, sheet=sheet.name, row=1, column="A")
    top, below = row_cells(sheet.cells, header.row), row_cells(sheet.cells, header.row + 1)
    park_col = header.columns["park"]
    meanings = column_meanings(top, below, set(header.columns.values()), note_units(sheet, header.row))
    if not meanings:
        raise NoHeader("两行表头中没有可识别的指标列", file=ctx.file_name, sheet=sheet.name, row=header.row + 1)
    body = sheet.cells.iloc[header.row + 2:]
    values, growths, skipped = [], [], []
    for idx, cells in zip(body.index, body.values.tolist(), strict=True):
        park = cells[park_col]
        if park is None or not str(park).strip():
            continue
        if is_total_name(park) or is_footnote(park):
            skipped.append((int(idx), "合计行，不是园区" if is_total_name(park) else "注释行"))
            continue
        for col, name, unit, kind, basis, back, shown in meanings:
            cell = cells[col] if col < len(cells) else None
            if cell is None:
                continue
            record = {"park": park, "period": shift_months(period.date, -back), "basis": basis, "value": cell,
                      "row": int(idx) + 1, "value_column": (column_letter(col), shown)}
            if kind == "growth":
                if back == 0:
                    growths.append({**record, "indicator": match_indicator(name)})
            else:
                values.append({**record, "indicator": name, "unit": unit})
    where = Located(ctx.file_name, sheet.name, {"park": (column_letter(park_col), header.labels[park_col]),
                                                "period": ("A", "标题")})
    return finish(ctx, sheet, FAMILY, values, growths, skipped, where)
