"""Raw long rows → normalised observations, vectorised over distinct values.

Readers that can bring a sheet into long form (one raw value per row, with its
park, period, indicator, basis and unit texts) hand it to ``normalise_long``:
each distinct text is parsed once, so a million-row CSV costs a few thousand
parses, not a million.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from parkbench.catalog import INDICATOR_BY_ID
from parkbench.ingest.errors import BadCell
from parkbench.ingest.model import OBSERVATION_COLUMNS, SOURCE_COLUMNS, Skipped
from parkbench.normalize import (
    display_text,
    indicator_name,
    is_footnote,
    is_total_name,
    match_indicator,
    parse_basis,
    parse_number,
    parse_period,
    resolve_land,
    unit_factor,
)

MAX_SKIPPED_LISTED = 200
PRIOR_BASES = ("month_prior", "ytd_prior")


def indicator_kind(indicator: str) -> str | None:
    """flow or stock for a catalogue indicator; areas outside the catalogue
    (建成区面积 kept under its own name) are stocks too; other unknown names None."""
    known = INDICATOR_BY_ID.get(indicator)
    if known is not None:
        return known.kind
    return "stock" if str(indicator).endswith("面积") else None


class Located:
    """Where a raw long frame's cells came from, for error messages: the sheet,
    and for each role the column letter and header as written."""

    def __init__(self, file_name: str, sheet: str, columns: dict[str, tuple[str, str]]):
        self.file_name = file_name
        self.sheet = sheet
        self.columns = columns

    def error(self, reason: str, row: int, role: str, column: tuple[str, str] | None = None) -> BadCell:
        letter, header = column or self.columns.get(role, (None, None))
        return BadCell(reason, file=self.file_name, sheet=self.sheet, row=int(row),
                       column=letter, header=header)


def map_distinct(values: pd.Series, parse: Callable[[object], object], where: Located, role: str,
                 rows: pd.Series) -> pd.Series:
    """Apply ``parse`` once per distinct value; the first failing value is
    reported at the first row that holds it."""
    mapping = {}
    for value in pd.unique(values):
        try:
            mapping[value] = parse(value)
        except ValueError as exc:
            first = rows[values == value].iloc[0] if value is not None else rows[values.isna()].iloc[0]
            raise where.error(str(exc), first, role) from None
    return values.map(mapping)


def parse_values(values: pd.Series, where: Located, rows: pd.Series,
                 value_columns: pd.Series | None = None) -> pd.Series:
    """Numbers from raw cells: a fast path for plain numbers, the careful
    ``parse_number`` for the rest (thousands separators, missing marks)."""
    numeric = pd.to_numeric(values, errors="coerce")
    numeric = numeric.astype("float64")
    odd = numeric.isna() & values.notna()
    for idx in values.index[odd]:
        try:
            parsed = parse_number(values[idx])
        except ValueError as exc:
            column = value_columns[idx] if value_columns is not None else None
            raise where.error(f"{exc}，此处应为数值", rows[idx], "value", column) from None
        numeric[idx] = float("nan") if parsed is None else parsed
    return numeric


def normalise_long(raw: pd.DataFrame, where: Located, default_basis: str = "month",
                   default_unit: str | None = None) -> tuple[pd.DataFrame, list[Skipped], list[str]]:
    """Normalise a raw long frame.

    ``raw`` has columns park, period, indicator, value, row (1-based sheet row)
    and optionally basis, unit and value_column (letter, header) for sheets
    whose values come from several columns. Returns observations in canonical
    units, the rows skipped and warnings.
    """
    skipped: list[Skipped] = []
    warnings: list[str] = []
    raw = raw[raw["park"].notna() | raw["value"].notna()]
    rows = raw["row"]

    park_text = raw["park"].map(lambda v: "" if v is None else str(v))
    noise = park_text.map(lambda v: is_total_name(v) or is_footnote(v) or not v.strip()).astype(bool)
    for r, name in zip(rows[noise], park_text[noise], strict=True):
        reason = "合计行，不是园区" if is_total_name(name) else ("注释行" if name.strip() else "园区名称为空")
        skipped.append(Skipped(where.sheet, int(r), reason))
    raw = raw[~noise]
    rows = raw["row"]

    value_columns = raw["value_column"] if "value_column" in raw else None
    values = parse_values(raw["value"], where, rows, value_columns)
    missing = values.isna()
    if missing.any():
        for r in rows[missing].head(MAX_SKIPPED_LISTED):
            skipped.append(Skipped(where.sheet, int(r), "未报送（空值或“—”等标记），不按 0 处理"))
        if missing.sum() > MAX_SKIPPED_LISTED:
            warnings.append(f"工作表「{where.sheet}」另有 {int(missing.sum()) - MAX_SKIPPED_LISTED} 个未报送的值未列出")
    raw, values, rows = raw[~missing], values[~missing], rows[~missing]

    parks = map_distinct(raw["park"], display_text, where, "park", rows)
    parsed_periods = map_distinct(raw["period"], parse_period, where, "period", rows)
    periods = parsed_periods.map(lambda p: p.date)
    indicators = map_distinct(raw["indicator"], _indicator, where, "indicator", rows)
    indicators, land_warning = keep_land_apart(raw["indicator"], indicators, where.sheet)
    warnings += land_warning

    if "basis" in raw:
        bases = map_distinct(raw["basis"], _basis, where, "basis", rows)
    else:
        bases = pd.Series(default_basis, index=raw.index)
    # A period written as a range (`1-2月`, `一季度`) is cumulative from January,
    # whatever the column's default basis says: `1-2月` is February's 累计.
    bases = bases.where(~(parsed_periods.map(lambda p: p.cumulative).astype(bool) & (bases == "month")), "ytd")

    if "unit" in raw:
        units = raw["unit"]
    else:
        units = pd.Series(default_unit, index=raw.index, dtype=object)
    kinds = indicators.map(indicator_kind)
    prior_stock = (kinds == "stock") & bases.isin(PRIOR_BASES)
    if prior_stock.any():
        # A stock a year earlier (上年同期 用地面积) is no restated base for growth, and
        # stored at that earlier month it could overwrite what was reported then.
        for r in rows[prior_stock].head(MAX_SKIPPED_LISTED):
            skipped.append(Skipped(where.sheet, int(r), "上年同期的存量指标（用地面积、企业数等）不作为数值保存"))
        keep = ~prior_stock
        raw, values, rows = raw[keep], values[keep], rows[keep]
        parks, periods, indicators, bases, kinds = parks[keep], periods[keep], indicators[keep], bases[keep], kinds[keep]
        units = units[keep]
    bases = bases.where(kinds != "stock", "stock")
    factors = _unit_factors(indicators, units, where, rows)
    wrong = (kinds == "flow") & (bases == "stock")
    if wrong.any():
        idx = wrong.idxmax()
        raise where.error(f"“{raw['indicator'][idx]}”是流量指标，口径应为 本月 或 累计，不能是 期末", rows[idx], "basis")

    out = pd.DataFrame({
        "park": parks,
        "indicator": indicators,
        "period": periods,
        "basis": bases,
        "value": values * factors,
        "row": rows.astype("int64"),
    })
    negative = (out["indicator"] == "land_area") & (out["value"] < 0)
    if negative.any():
        idx = negative.idxmax()
        column = value_columns[idx] if value_columns is not None else None
        raise where.error(f"用地面积不能为负数（{raw['value'][idx]}）", rows[idx], "value", column)
    out = out.assign(**source_columns(where, rows, value_columns))
    out, dup_warnings = drop_duplicates(out, where.sheet)
    return out[OBSERVATION_COLUMNS + SOURCE_COLUMNS].reset_index(drop=True), skipped, warnings + dup_warnings


def source_columns(where: Located, rows: pd.Series, value_columns: pd.Series | None) -> dict[str, pd.Series]:
    """Where each value was read: sheet, row and the value's column as "C 列（税收）"."""
    def label(column) -> str | None:
        if not column:
            return None
        letter, header = column
        return f"第 {letter} 列（{header}）" if header else f"第 {letter} 列"

    if value_columns is not None:
        columns = value_columns.reindex(rows.index).map(label)
    else:
        columns = pd.Series(label(where.columns.get("value")), index=rows.index, dtype=object)
    return {"sheet": pd.Series(where.sheet, index=rows.index, dtype=object),
            "row": rows.astype("int64"), "column": columns}


def drop_duplicates(out: pd.DataFrame, sheet: str) -> tuple[pd.DataFrame, list[str]]:
    """The same park, indicator, period and basis twice in one file: the later
    row wins, and a differing value is worth a warning."""
    keys = ["park", "indicator", "period", "basis"]
    dup = out.duplicated(keys, keep=False)
    if not dup.any():
        return out, []
    conflicts = out[dup].groupby(keys)["value"].nunique()
    warnings = []
    if (conflicts > 1).any():
        k = conflicts[conflicts > 1].index[0]
        rows = ""
        if "row" in out:
            same = out[dup & (out["park"] == k[0]) & (out["indicator"] == k[1]) & (out["period"] == k[2])
                       & (out["basis"] == k[3])]
            rows = "（第 " + "、".join(str(int(r)) for r in same["row"]) + " 行）"
        warnings.append(f"工作表「{sheet}」中 {k[0]} {k[1]} {k[2]:%Y-%m} 出现多次且数值不同{rows}，以最后一行为准")
    return out.drop_duplicates(keys, keep="last"), warnings


def keep_land_apart(labels: pd.Series, indicators: pd.Series, sheet: str) -> tuple[pd.Series, list[str]]:
    """Two land labels in one sheet (``用地面积`` and ``工业用地面积``): the more
    specific is ``land_area``, the other keeps its own name (normalize.resolve_land)."""
    land_labels = [v for v in pd.unique(labels[indicators == "land_area"]) if v is not None]
    changed = {label: ind for label, ind in resolve_land(land_labels).items() if ind != "land_area"}
    if not changed:
        return indicators, []
    mask = labels.isin(list(changed))
    kept = sorted({indicator_name(v) for v in land_labels if v not in changed})
    warning = (f"工作表「{sheet}」有多个用地面积列：“{'、'.join(kept)}”作为亩均计算所用的用地面积，"
               f"“{'、'.join(sorted(set(changed.values())))}”按原名另存")
    return indicators.where(~mask, labels.map(changed)), [warning]


def _indicator(value: object) -> str:
    if value is None or not str(value).strip():
        raise ValueError("指标名称为空")
    return match_indicator(value)


def _basis(value: object) -> str:
    if value is None or not str(value).strip():
        return "month"
    return parse_basis(value)


def _unit_factors(indicators: pd.Series, units: pd.Series, where: Located, rows: pd.Series) -> pd.Series:
    """Factor per row converting the written unit to the indicator's canonical one."""
    pairs = pd.DataFrame({"indicator": indicators, "unit": units})
    factors = pd.Series(1.0, index=pairs.index)
    for (indicator, unit), group in pairs.groupby(["indicator", "unit"], dropna=False, sort=False):
        factor = _factor(indicator, unit)
        if factor is None:
            expected = INDICATOR_BY_ID[indicator].unit
            raise where.error(f"单位“{unit}”不适用于该指标（应为{expected}或可换算的单位）",
                              rows[group.index[0]], "unit")
        factors[group.index] = factor
    return factors


def _factor(indicator: str, unit: object) -> float | None:
    known = INDICATOR_BY_ID.get(indicator)
    if unit is None or (isinstance(unit, float) and pd.isna(unit)) or not str(unit).strip():
        return 1.0  # no unit written: taken as the canonical one
    found = unit_factor(unit)
    if known is None:
        return found[0] if found else 1.0
    if found is None or found[1] != known.unit:
        return None
    return found[0]


def normalise_growth(raw: pd.DataFrame, where: Located) -> pd.DataFrame:
    """Published growth rates (percent) from a raw long frame with columns
    park, period, indicator (already canonical), basis, value, row,
    value_column. Blank and “—” cells are simply absent."""
    from parkbench.ingest.model import GROWTH_COLUMNS, empty_frame

    if raw.empty:
        return empty_frame(GROWTH_COLUMNS)
    raw = raw[raw["park"].map(lambda v: v is not None and not is_total_name(v) and not is_footnote(v))]
    rows = raw["row"]
    values = parse_values(raw["value"], where, rows, raw.get("value_column"))
    keep = values.notna()
    raw, values, rows = raw[keep], values[keep], rows[keep]
    if raw.empty:
        return empty_frame(GROWTH_COLUMNS)
    out = pd.DataFrame({
        "park": map_distinct(raw["park"], display_text, where, "park", rows),
        "indicator": raw["indicator"],
        "period": map_distinct(raw["period"], lambda v: parse_period(v).date, where, "period", rows),
        "basis": raw["basis"],
        "value": values,
    })
    out = out.assign(**source_columns(where, rows, raw.get("value_column")))
    out, _ = drop_duplicates(out, where.sheet)
    return out[GROWTH_COLUMNS + SOURCE_COLUMNS].reset_index(drop=True)
