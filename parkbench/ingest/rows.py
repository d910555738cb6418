"""Raw long rows → normalised observations, vectorised over distinct values.

Readers that can bring a sheet into long form (one raw value per row, with its
park, period, indicator, basis and unit texts) hand it to ``normalise_long``:
each distinct text is parsed once, so a million-row CSV costs a few thousand
parses, not a million. The rules and their order are ``long_rules``', shared
with the DuckDB fast path for large long CSVs (``long_csv``).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from parkbench.errors import BadCell
from parkbench.ingest import long_rules as rules
from parkbench.ingest.model import OBSERVATION_COLUMNS, SOURCE_COLUMNS, Skipped
from parkbench.ingest.normalize import is_footnote, is_total_name

MAX_SKIPPED_LISTED = rules.MAX_SKIPPED_LISTED
PRIOR_BASES = rules.PRIOR_BASES
indicator_kind = rules.kind


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
            held = values.isna() if _missing(value) else values == value
            raise where.error(str(exc), rows[held].min(), role) from None
    return values.map(mapping)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value))


def parse_values(values: pd.Series, where: Located, rows: pd.Series,
                 value_columns: pd.Series | None = None) -> pd.Series:
    """Numbers from raw cells: a fast path for plain numbers, the careful
    ``rules.number`` for the rest (thousands separators, missing marks)."""
    numeric = pd.to_numeric(values, errors="coerce")
    numeric = numeric.astype("float64")
    odd = ~np.isfinite(numeric) & values.notna()  # "inf" and "nan" texts are judged by the rule too
    for idx in values.index[odd]:
        try:
            parsed = rules.number(values[idx])
        except ValueError as exc:
            column = value_columns[idx] if value_columns is not None else None
            raise where.error(str(exc), rows[idx], "value", column) from None
        numeric[idx] = float("nan") if parsed is None else parsed
    return numeric


def normalise_long(raw: pd.DataFrame, where: Located, default_basis: str = "month",
                   default_unit: str | None = None) -> tuple[pd.DataFrame, list[Skipped], list[str]]:
    """Normalise a raw long frame, applying ``long_rules`` in their order.

    ``raw`` has columns park, period, indicator, value, row (1-based sheet row)
    and optionally basis, unit and value_column (letter, header) for sheets
    whose values come from several columns. Returns observations in canonical
    units (with their source sheet, row and column), the rows skipped and warnings.
    """
    skipped: list[Skipped] = []
    warnings: list[str] = []
    # 1–2. rows with neither park nor value are ignored; totals, notes and nameless rows are skipped.
    raw = raw[raw["park"].notna() | raw["value"].notna()]
    rows = raw["row"]
    reasons = map_distinct(raw["park"].fillna(""), rules.noise_reason, where, "park", rows)
    noise = reasons.notna()
    for r, reason in zip(rows[noise], reasons[noise], strict=True):
        skipped.append(Skipped(where.sheet, int(r), reason))
    raw = raw[~noise]
    rows = raw["row"]

    # 3. values (a missing mark skips the row, which is not read further).
    value_columns = raw["value_column"] if "value_column" in raw else None
    values = parse_values(raw["value"], where, rows, value_columns)
    missing = values.isna()
    if missing.any():
        for r in rows[missing].head(MAX_SKIPPED_LISTED):
            skipped.append(Skipped(where.sheet, int(r), rules.MISSING_VALUE))
        if missing.sum() > MAX_SKIPPED_LISTED:
            warnings.append(rules.more_missing(where.sheet, int(missing.sum()) - MAX_SKIPPED_LISTED))
    raw, values, rows = raw[~missing], values[~missing], rows[~missing]

    # 4. park, period, indicator, basis of the rows that hold a value.
    parks = map_distinct(raw["park"], rules.park_name, where, "park", rows)
    parsed_periods = map_distinct(raw["period"], rules.period, where, "period", rows)
    periods = parsed_periods.map(lambda p: p.date)
    indicators = map_distinct(raw["indicator"], rules.indicator, where, "indicator", rows)
    indicators, land_warning = keep_land_apart(raw["indicator"], indicators, where.sheet)
    warnings += land_warning
    if "basis" in raw:
        bases = map_distinct(raw["basis"], rules.basis, where, "basis", rows)
    else:
        bases = pd.Series(default_basis, index=raw.index)
    cumulative = parsed_periods.map(lambda p: p.cumulative).astype(bool)
    bases = bases.where(~(cumulative & (bases == "month")), "ytd")  # rules.cumulative_basis
    kinds = indicators.map({i: rules.kind(i) for i in pd.unique(indicators)})
    prior_stock = (kinds == "stock") & bases.isin(rules.PRIOR_BASES)  # rules.prior_stock
    if prior_stock.any():
        for r in rows[prior_stock].head(MAX_SKIPPED_LISTED):
            skipped.append(Skipped(where.sheet, int(r), rules.PRIOR_STOCK))
        keep = ~prior_stock
        raw, values, rows = raw[keep], values[keep], rows[keep]
        parks, periods, indicators, bases, kinds = parks[keep], periods[keep], indicators[keep], bases[keep], kinds[keep]
        value_columns = value_columns[keep] if value_columns is not None else None

    # 5. the unit of each indicator.
    units = raw["unit"] if "unit" in raw else pd.Series(default_unit, index=raw.index, dtype=object)
    factors = _unit_factors(indicators, units, where, rows)

    # 6. row rules, first row first.
    wrong = (kinds == "flow") & (bases == "stock")
    if wrong.any():
        idx = wrong.idxmax()
        raise where.error(rules.flow_as_stock(raw["indicator"][idx]), rows[idx], "basis")
    bases = bases.where(kinds != "stock", "stock")  # rules.stored_basis
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
        raise where.error(rules.negative_land(raw["value"][idx]), rows[idx], "value", column)

    # 7. the same key twice: the later row wins.
    out = out.assign(**source_columns(where, rows, value_columns))
    out, dup_warnings = drop_duplicates(out, where.sheet)
    return out[OBSERVATION_COLUMNS + SOURCE_COLUMNS].reset_index(drop=True), skipped, warnings + dup_warnings


def source_columns(where: Located, rows: pd.Series, value_columns: pd.Series | None) -> dict[str, pd.Series]:
    """Where each value was read: sheet, row and the value's column as "第 C 列（税收）"."""
    def label(column) -> str | None:
        return rules.source_label(*column) if column else None

    if value_columns is not None:
        columns = value_columns.reindex(rows.index).map(label)
    else:
        columns = pd.Series(label(where.columns.get("value")), index=rows.index, dtype=object)
    return {"sheet": pd.Series(where.sheet, index=rows.index, dtype=object),
            "row": rows.astype("int64"), "column": columns}


def drop_duplicates(out: pd.DataFrame, sheet: str) -> tuple[pd.DataFrame, list[str]]:
    """The same park, indicator, period and basis twice in one file: the later
    row wins, and a differing value is worth a warning (the first such key)."""
    keys = ["park", "indicator", "period", "basis"]
    dup = out.duplicated(keys, keep=False)
    if not dup.any():
        return out, []
    conflicts = out[dup].groupby(keys)["value"].nunique()
    warnings = []
    if (conflicts > 1).any():
        k = conflicts[conflicts > 1].index[0]
        same_rows = ()
        if "row" in out:
            same = out[dup & (out["park"] == k[0]) & (out["indicator"] == k[1]) & (out["period"] == k[2])
                       & (out["basis"] == k[3])]
            same_rows = sorted(same["row"])
        warnings.append(rules.conflicting_duplicate(sheet, k[0], k[1], k[2], same_rows))
    return out.drop_duplicates(keys, keep="last"), warnings


def keep_land_apart(labels: pd.Series, indicators: pd.Series, sheet: str) -> tuple[pd.Series, list[str]]:
    """Two land labels in one sheet (``用地面积`` and ``工业用地面积``): the more
    specific is ``land_area``, the other keeps its own name (rules.separate_land)."""
    land_labels = [v for v in pd.unique(labels[indicators == "land_area"]) if v is not None]
    changed = rules.separate_land(land_labels)
    if not changed:
        return indicators, []
    mask = labels.isin(list(changed))
    warning = rules.land_kept_apart(sheet, land_labels, changed)
    return indicators.where(~mask, labels.map(changed)), [warning]


_indicator = rules.indicator
_basis = rules.basis
_factor = rules.factor


def _unit_factors(indicators: pd.Series, units: pd.Series, where: Located, rows: pd.Series) -> pd.Series:
    """Factor per row converting the written unit to the indicator's canonical one;
    a unit that does not fit is refused at the first row of that pair."""
    pairs = pd.DataFrame({"indicator": indicators, "unit": units})
    factors = pd.Series(1.0, index=pairs.index)
    for (indicator, unit), group in pairs.groupby(["indicator", "unit"], dropna=False, sort=False):
        try:
            factors[group.index] = rules.unit_factor(indicator, unit)
        except ValueError as exc:
            raise where.error(str(exc), rows[group.index].min(), "unit") from None
    return factors


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
    parsed_periods = map_distinct(raw["period"], rules.period, where, "period", rows)
    cumulative = parsed_periods.map(lambda p: p.cumulative).astype(bool)
    out = pd.DataFrame({
        "park": map_distinct(raw["park"], rules.park_name, where, "park", rows),
        "indicator": raw["indicator"],
        "period": parsed_periods.map(lambda p: p.date),
        # The growth of a value is on the value's basis: beside a `1-11月` value it is 累计同比.
        "basis": raw["basis"].where(~(cumulative & (raw["basis"] == "month")), "ytd"),  # rules.cumulative_basis
        "value": values,
    })
    out = out.assign(**source_columns(where, rows, raw.get("value_column")))
    out, _ = drop_duplicates(out, where.sheet)
    return out[GROWTH_COLUMNS + SOURCE_COLUMNS].reset_index(drop=True)
