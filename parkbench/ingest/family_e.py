"""Family E: industry breakdown. One row per park and industry: industry
name, leading-industry flag (是/否, √, 主导), output, number of firms. The
period comes from a column, a ``统计期：`` note or title, the sheet name or
the file name."""

from __future__ import annotations

import pandas as pd

from parkbench.errors import BadCell, NoHeader
from parkbench.ingest.headers import Header, find_header, first_text
from parkbench.ingest.model import (
    GROWTH_COLUMNS,
    INDUSTRY_COLUMNS,
    OBSERVATION_COLUMNS,
    FileContext,
    Parsed,
    Sheet,
    Skipped,
    empty_frame,
)
from parkbench.ingest.normalize import (
    column_letter,
    display_text,
    find_period,
    fold,
    is_footnote,
    is_total_name,
    parse_number,
    parse_period,
    split_unit,
    unit_factor,
)

FAMILY = "E"
TITLE = "产业结构（每行一个园区一个产业）"
ROLES = ("park", "industry", "leading", "output", "firms", "period")
REQUIRED = {"park", "industry"}

_YES = {"是", "√", "✓", "✔", "主导", "主导产业", "y", "yes", "1", "true", "是主导"}
_NO = {"", "否", "×", "x", "n", "no", "0", "false", "非主导", "-", "—"}


def detect(sheet: Sheet, ctx: FileContext) -> Header | None:
    return find_header(sheet.cells, ROLES, REQUIRED)


def parse_flag(value: object) -> bool:
    s = fold(value).lower()
    if s in _YES:
        return True
    if s in _NO or value is None:
        return False
    raise ValueError(f"“{value}”应为 是 或 否")


def sheet_period(sheet: Sheet, ctx: FileContext, header: Header):
    """A period written anywhere outside the table: notes, title, sheet or file name."""
    texts = first_text(sheet.cells, range(len(sheet.cells)))
    for text in [t for t in texts if "统计期" in fold(t) or "期间" in fold(t)] + texts[:3] + [sheet.name, ctx.file_name]:
        period = find_period(text)
        if period is not None:
            return period
    return None


def read(sheet: Sheet, ctx: FileContext, header: Header) -> Parsed:
    cols = header.columns
    body = sheet.cells.iloc[header.row + 1:]
    default_period = None if "period" in cols else sheet_period(sheet, ctx, header)
    if "period" not in cols and default_period is None:
        raise NoHeader("产业结构表找不到统计期（请加“统计期”列，或在表下注明“统计期：2024年1-12月”）",
                       file=ctx.file_name, sheet=sheet.name)
    factor = 1.0
    if "output" in cols:
        _, unit = split_unit(header.labels[cols["output"]])
        found = unit_factor(unit) if unit else None
        if unit and (found is None or found[1] != "万元"):
            raise BadCell(f"产值单位“{unit}”无法换算为万元", file=ctx.file_name, sheet=sheet.name,
                          row=header.row + 1, column=column_letter(cols["output"]), header=header.labels[cols["output"]])
        factor = found[0] if found else 1.0

    rows, skipped = [], []
    for idx, cells in zip(body.index, body.values.tolist(), strict=True):
        row_no = int(idx) + 1
        park, industry = cells[cols["park"]], cells[cols["industry"]]
        if park is None and industry is None:
            continue
        if park is None or is_total_name(park) or is_footnote(park) or is_total_name(industry):
            skipped.append(Skipped(sheet.name, row_no, "合计或注释行"))
            continue

        def cell(role: str, parse, cells=cells, row_no=row_no):
            if role not in cols:
                return None
            try:
                return parse(cells[cols[role]])
            except ValueError as exc:
                raise BadCell(str(exc), file=ctx.file_name, sheet=sheet.name, row=row_no,
                              column=column_letter(cols[role]), header=header.labels.get(cols[role])) from None

        output = cell("output", parse_number)
        firms = cell("firms", parse_number)
        period = cell("period", lambda v: parse_period(v)) if "period" in cols else default_period
        rows.append({
            "park": display_text(park),
            "period": period.date,
            "industry": display_text(industry),
            "is_leading": bool(cell("leading", parse_flag)) if "leading" in cols else None,
            "output": None if output is None else output * factor,
            "firms": None if firms is None else round(firms),
        })
    industries = pd.DataFrame(rows, columns=INDUSTRY_COLUMNS) if rows else empty_frame(INDUSTRY_COLUMNS)
    industries = industries.drop_duplicates(["park", "period", "industry"], keep="last")
    return Parsed(ctx.file_name, FAMILY, empty_frame(OBSERVATION_COLUMNS), empty_frame(GROWTH_COLUMNS),
                  industries, skipped, [])
