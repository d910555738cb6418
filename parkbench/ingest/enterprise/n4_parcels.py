"""N4: the land register of a park's enterprises (企业用地), one row per parcel.

``企业名称 · 统一社会信用代码 · 宗地编号 · 土地面积 · 权属 · 登记日期``; 权属 is
自有 / 租入 / 租出 (own, rent_in, rent_out); the area in 平方米 (÷ 666.67 → 亩),
亩, 公顷 … as the header, a unit column or a ``单位：`` note says — an area
with no unit anywhere is refused rather than guessed (亩 and 平方米 differ
666-fold). The park is a 所属园区 column, else the title or file name, else
the register's.

A parcel counts from the month it was registered (``registered`` is that
month's first day); an enterprise's land at a period is 自有 + 租入 − 租出 of
the parcels registered by then (the store sums them).
"""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from parkbench.ingest import long_rules as rules
from parkbench.ingest.enterprise.collect import Collector, month_start
from parkbench.ingest.enterprise.layout import FirmHeader, find_firm_header, park_from_title
from parkbench.ingest.model import FileContext, Sheet
from parkbench.ingest.normalize import display_text, find_period, fold, split_unit, unit_factor
from parkbench.ingest.titles import note_units, notes_above

SHAPE = "N4"
TITLE = "企业用地（宗地登记）"
TENURE_WORDS = {
    "own": ("自有", "自用", "出让", "划拨", "自建", "自持", "自购", "国有出让", "国有划拨", "本企业"),
    "rent_in": ("租入", "租赁", "承租", "租用", "租入(承租)", "租借", "转租入"),
    "rent_out": ("租出", "出租", "转租", "租出(出租)", "对外出租"),
}


def tenure_of(cell: object) -> str | None:
    """own / rent_in / rent_out for a 权属 cell; None when the words are unknown.
    An empty cell is the enterprise's own land."""
    text = fold(cell)
    if not text:
        return "own"
    for tenure, words in (("rent_out", TENURE_WORDS["rent_out"]), ("rent_in", TENURE_WORDS["rent_in"]),
                          ("own", TENURE_WORDS["own"])):
        if text in words or any(text.startswith(w) for w in words):
            return tenure
    return None


def detect(sheet: Sheet, ctx: FileContext) -> FirmHeader | None:
    header = find_firm_header(sheet.cells)
    if header is None or "area" not in header.columns:
        return None
    return header if header.has("parcel", "tenure", "registered") else None


def area_unit(sheet: Sheet, header: FirmHeader) -> str | None:
    """The unit of the area column: its header (``土地面积(平方米)``), else a
    ``单位：`` note above the header."""
    _, unit = split_unit(header.labels[header.columns["area"]])
    if unit is not None and unit_factor(unit) is not None:
        return unit
    for noted in note_units(sheet, header.row):
        if unit_factor(noted)[1] == "亩":
            return noted
    return None


def read(sheet: Sheet, ctx: FileContext, header: FirmHeader):
    collector = Collector(ctx, sheet, SHAPE, header)
    area_col = header.columns["area"]
    unit_col = _unit_column(header)
    unit = area_unit(sheet, header)
    if unit is None and unit_col is None:
        raise collector.refuse("土地面积没有注明单位（亩、平方米或公顷），请在表头写明，如“土地面积（平方米）”",
                               header.row, area_col)
    title_park = park_from_title(sheet, ctx, header.row)  # for rows whose park cell is empty
    as_of = _title_date(sheet, ctx, header)
    body = sheet.cells.iloc[header.body_start:]
    for row0, cells in zip(body.index, body.values.tolist(), strict=True):
        row0 = int(row0)
        firm = collector.firm(cells, row0)
        if firm is None:
            continue
        park_cell = collector.cell(cells, "park")
        park = display_text(park_cell) if park_cell is not None else title_park
        collector.identity(firm, park, None, row0)
        area = collector.number(cells[area_col] if area_col < len(cells) else None, row0, area_col)
        if area is None:
            collector.skip(row0, f"土地面积：{rules.MISSING_VALUE}")
            continue
        if area < 0:
            raise collector.refuse(rules.negative_land(cells[area_col]), row0, area_col)
        written = cells[unit_col] if unit_col is not None and cells[unit_col] is not None else unit
        factor = unit_factor(written) if written is not None else None
        if factor is None or factor[1] != "亩":
            raise collector.refuse(f"面积单位“{written}”不是土地面积的单位（应为亩、平方米或公顷）", row0,
                                   unit_col if unit_col is not None else area_col)
        tenure_cell = collector.cell(cells, "tenure")
        tenure = tenure_of(tenure_cell)
        if tenure is None:
            raise collector.refuse(f"权属“{tenure_cell}”应为 自有、租入 或 租出", row0, header.columns["tenure"])
        registered = _registered(collector, cells, row0, as_of)
        parcel = collector.cell(cells, "parcel")
        collector.add("parcels", {
            "credit_code": firm.credit_code, "enterprise": firm.enterprise, "park": park,
            "parcel": _text(parcel), "area": area * factor[0], "tenure": tenure, "registered": registered}, row0)
    return collector.result()


def _unit_column(header: FirmHeader) -> int | None:
    for col, label in header.labels.items():
        if fold(label) in ("单位", "面积单位", "计量单位"):
            return col
    return None


def _text(cell: object) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return display_text(cell) or None


def _title_date(sheet: Sheet, ctx: FileContext, header: FirmHeader) -> dt.date | None:
    """A register's date in its title or file name (``截至2024年12月``), used
    for parcels whose 登记日期 is empty."""
    for _, _, text in notes_above(sheet, header.row):
        period = find_period(text)
        if period is not None:
            return period.date
    period = find_period(PurePath(ctx.file_name).stem)
    return period.date if period is not None else None


def _registered(collector: Collector, cells: list[object], row0: int, as_of: dt.date | None) -> dt.date:
    col = collector.header.columns.get("registered")
    cell = cells[col] if col is not None and col < len(cells) else None
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        if as_of is not None:
            return as_of
        raise collector.refuse("登记日期为空：宗地从登记月份起计入用地面积，请填写登记日期", row0, col)
    if isinstance(cell, (dt.date, dt.datetime)):
        return month_start(cell)
    period = collector.period_cell(cell, row0, col)
    return period.date
