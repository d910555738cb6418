"""Family B: the statistics bureau's monthly report for one park. One sheet
per month, indicators in rows, columns 指标名称 · 计量单位 · 本月 ·
1-N月累计 · 上年同期累计 · 同比增长(%). Park and year are written only in
the title (or the file name).

Each value column has a meaning (``Column``): the month itself, the
cumulative, the same cumulative a year earlier (上年同期: a restated base,
stored with the sheet's own period under basis ``ytd_prior`` or
``month_prior``, rule 4) or the published growth. Plan ratios (完成年计划%) are not
growth and are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from parkbench.errors import NoHeader
from parkbench.ingest.headers import Header, find_header, header_key, is_growth_header, is_plan_header
from parkbench.ingest.model import INDUSTRY_COLUMNS, FileContext, Parsed, Sheet, Skipped, empty_frame
from parkbench.ingest.normalize import (
    column_letter,
    fold,
    indicator_name,
    is_footnote,
    is_total_name,
    match_indicator,
    split_unit,
)
from parkbench.ingest.rows import Located, normalise_growth, normalise_long
from parkbench.ingest.titles import name_disagrees, sheet_park, sheet_period, sheet_year, shift_months

FAMILY = "B"
TITLE = "统计月报（一个园区，每月一张表）"
ROLES = ("indicator", "unit", "park", "period")
REQUIRED = {"indicator"}


@dataclass(frozen=True)
class Column:
    index: int
    kind: str  # "value" or "growth"
    basis: str  # month or ytd
    prior: bool  # 上年同期 columns: the restated value a year earlier


_YTD = re.compile(r"^(?:1-(?:\d{1,2}|本|n|N)月(?:份)?|本年|年|本期)?累计(?:数|值)?$|^1-(?:\d{1,2}|本|n|N)月(?:份)?$")
_MONTH = frozenset({"本月", "当月", "本月数", "当月数", "本期", "本月完成", "当月完成"})
_PRIOR = ("上年同期", "去年同期", "同期", "上年同月", "去年同月")


def classify(label: str) -> Column | None:
    """What a header cell of the value area means; ``None`` for columns to ignore."""
    key = header_key(label).replace("—", "-").replace("–", "-")
    if is_plan_header(key):
        return None
    says_month = any(w in key for w in ("本月", "当月", "同月"))
    if is_growth_header(key):
        return Column(-1, "growth", "month" if says_month else "ytd", False)
    if key.startswith(_PRIOR):
        return Column(-1, "value", "month" if says_month else "ytd", True)
    if _YTD.match(key):
        return Column(-1, "value", "ytd", False)
    if key in _MONTH:
        return Column(-1, "value", "month", False)
    return None


def value_columns(header: Header) -> list[Column]:
    roles = set(header.columns.values())
    out = []
    for c in sorted(header.labels):
        if c in roles:
            continue
        found = classify(header.labels[c])
        if found is not None:
            out.append(Column(c, found.kind, found.basis, found.prior))
    return out


def detect(sheet: Sheet, ctx: FileContext) -> Header | None:
    """An indicator column and at least one 本月 / 累计 column, no park column
    (a park column means the long table, family C)."""
    header = find_header(sheet.cells, ROLES, REQUIRED)
    if header is None or "park" in header.columns or "period" in header.columns:
        return None
    columns = value_columns(header)
    return header if any(c.kind == "value" for c in columns) else None


def read(sheet: Sheet, ctx: FileContext, header: Header) -> Parsed:
    period = sheet_period(sheet, ctx, header.row)
    if period is None:
        raise NoHeader("统计月报的标题和工作表名称中都找不到统计期（例如“2023年2月”），请在标题中注明",
                       file=ctx.file_name, sheet=sheet.name, row=1, column="A")
    park, _ = sheet_park(sheet, ctx, header.row)
    if not park:
        raise NoHeader("统计月报的标题和文件名中都找不到园区名称（例如“XX园区2023年2月主要经济指标完成情况”）",
                       file=ctx.file_name, sheet=sheet.name, row=1, column="A")
    cells, skipped = indicator_rows(sheet, header)
    values, growths = long_frames(cells, header, park, period.date)
    ind_col = header.columns["indicator"]
    columns = {"park": ("A", "标题"), "period": ("A", "标题"),
               "indicator": (column_letter(ind_col), header.labels[ind_col])}
    if "unit" in header.columns:
        columns["unit"] = (column_letter(header.columns["unit"]), header.labels[header.columns["unit"]])
    where = Located(ctx.file_name, sheet.name, columns)
    observations, more_skipped, warnings = normalise_long(values, where) if len(values) else (
        empty_frame(["park", "indicator", "period", "basis", "value"]), [], [])
    growth = normalise_growth(growths, where)
    mismatch = name_disagrees(sheet, period, sheet_year(sheet, ctx, header.row))
    return Parsed(ctx.file_name, FAMILY, observations, growth, empty_frame(INDUSTRY_COLUMNS),
                  skipped + more_skipped, warnings + ([mismatch] if mismatch else []))


def indicator_rows(sheet: Sheet, header: Header) -> tuple[pd.DataFrame, list[Skipped]]:
    """Rows below the header that hold an indicator; signature lines, notes,
    totals and blank rows are left out."""
    body = sheet.cells.iloc[header.row + 1:]
    labels = body[header.columns["indicator"]]
    keep, skipped = [], []
    for idx, label in labels.items():
        text = "" if label is None else str(label)
        if not text.strip():
            continue
        if is_footnote(text) or is_total_name(text) or not indicator_name(text):
            skipped.append(Skipped(sheet.name, int(idx) + 1, "注释、签名或标题行"))
            continue
        keep.append(idx)
    return body.loc[keep], skipped


def _unit(label: object, unit_cell: object) -> object:
    """The unit column, else a unit in the label's brackets (``税收(万元)``)."""
    if unit_cell is not None and str(unit_cell).strip():
        return unit_cell
    _, unit = split_unit(label)
    return unit


def is_growth_row(label: object, unit: object) -> bool:
    """规上工业增加值增速 · 增加值(%) : a row publishing growth in the value columns."""
    name, bracket = split_unit(label)
    return (fold(unit) == "%" or bracket == "%") or name.endswith(("增速", "增长", "增长率", "增幅"))


def _growth_indicator(label: object) -> str:
    name = indicator_name(label)
    for suffix in ("同比增速", "同比增长", "增速", "增长率", "增长", "增幅"):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return match_indicator(name)


def long_frames(body: pd.DataFrame, header: Header, park: str, period) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One raw row per (indicator row, value column): values and growth apart.
    A row labelled ``(1-上月)`` is cumulative to the month before the report."""
    ind_col = header.columns["indicator"]
    unit_col = header.columns.get("unit")
    values, growths = [], []
    for idx, cells in zip(body.index, body.values.tolist(), strict=True):
        label = cells[ind_col]
        unit = _unit(label, cells[unit_col] if unit_col is not None else None)
        lagged = "上月" in fold(label)
        label_clean = re.sub(r"[(（]\s*1\s*[-—–~]\s*上月\s*[)）]", "", str(label))
        growth_row = is_growth_row(label_clean, unit)
        for col in value_columns(header):
            cell = cells[col.index]
            if cell is None:
                continue
            when = shift_months(period, -1) if lagged else period
            where_col = (column_letter(col.index), header.labels[col.index])
            basis = f"{col.basis}_prior" if col.prior else col.basis
            row = {"park": park, "period": when, "basis": basis, "value": cell, "row": int(idx) + 1,
                   "value_column": where_col}
            if col.kind == "growth" or growth_row:
                if not col.prior:
                    growths.append({**row, "indicator": _growth_indicator(label_clean)})
            else:
                values.append({**row, "indicator": label_clean, "unit": unit})
    return pd.DataFrame(values), pd.DataFrame(growths)
