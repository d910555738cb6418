"""Raw long rows → normalised observations, vectorised over distinct values.

Readers that can bring a sheet into long form (one raw value per row, with its
park, period, indicator, basis and unit texts) hand it to ``normalise_long``:
each distinct text is parsed once, so a million-row CSV costs a few thousand
parses, not a million.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from parkbench.ingest import long_rules as rules
from parkbench.ingest.errors import BadCell
from parkbench.ingest.model import OBSERVATION_COLUMNS, Skipped
from parkbench.normalize import is_footnote, is_total_name

MAX_SKIPPED_LISTED = rules.MAX_SKIPPED_LISTED


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

    reasons = map_distinct(raw["park"].fillna(""), rules.noise_reason, where, "park", rows)
    noise = reasons.notna()
    for r, reason in zip(rows[noise], reasons[noise], strict=True):
        skipped.append(Skipped(where.sheet, int(r), reason))
    raw = raw[~noise]
    rows = raw["row"]

    value_columns = raw["value_column"] if "value_column" in raw else None
    values = parse_values(raw["value"], where, rows, value_columns)
    missing = values.isna()
    if missing.any():
        for r in rows[missing].head(MAX_SKIPPED_LISTED):
            skipped.append(Skipped(where.sheet, int(r), rules.MISSING_VALUE))
        if missing.sum() > MAX_SKIPPED_LISTED:
            warnings.append(rules.more_missing(where.sheet, int(missing.sum()) - MAX_SKIPPED_LISTED))
    raw, values, rows = raw[~missing], values[~missing], rows[~missing]

    parks = map_distinct(raw["park"], rules.park_name, where, "park", rows)
    periods = map_distinct(raw["period"], rules.period, where, "period", rows)
    indicators = map_distinct(raw["indicator"], rules.indicator, where, "indicator", rows)

    if "basis" in raw:
        bases = map_distinct(raw["basis"], rules.basis, where, "basis", rows)
    else:
        bases = pd.Series(default_basis, index=raw.index)

    if "unit" in raw:
        units = raw["unit"]
    else:
        units = pd.Series(default_unit, index=raw.index, dtype=object)
    factors = _unit_factors(indicators, units, where, rows)

    kinds = indicators.map({i: rules.kind(i) for i in pd.unique(indicators)})
    bases = bases.where(kinds != "stock", "stock")
    wrong = (kinds == "flow") & (bases == "stock")
    if wrong.any():
        idx = wrong.idxmax()
        raise where.error(rules.flow_as_stock(raw["indicator"][idx]), rows[idx], "basis")

    out = pd.DataFrame({
        "park": parks,
        "indicator": indicators,
        "period": periods,
        "basis": bases,
        "value": values * factors,
    })
    negative = (out["indicator"] == "land_area") & (out["value"] < 0)
    if negative.any():
        idx = negative.idxmax()
        column = value_columns[idx] if value_columns is not None else None
        raise where.error(rules.negative_land(raw["value"][idx]), rows[idx], "value", column)
    out, dup_warnings = drop_duplicates(out, where.sheet)
    return out[OBSERVATION_COLUMNS].reset_index(drop=True), skipped, warnings + dup_warnings


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
        warnings.append(rules.conflicting_duplicate(sheet, k[0], k[1], k[2]))
    return out.drop_duplicates(keys, keep="last"), warnings


_indicator = rules.indicator
_basis = rules.basis
_factor = rules.factor


def _unit_factors(indicators: pd.Series, units: pd.Series, where: Located, rows: pd.Series) -> pd.Series:
    """Factor per row converting the written unit to the indicator's canonical one."""
    pairs = pd.DataFrame({"indicator": indicators, "unit": units})
    factors = pd.Series(1.0, index=pairs.index)
    for (indicator, unit), group in pairs.groupby(["indicator", "unit"], dropna=False, sort=False):
        try:
            factors[group.index] = rules.unit_factor(indicator, unit)
        except ValueError as exc:
            raise where.error(str(exc), rows[group.index[0]], "unit") from None
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
    out = pd.DataFrame({
        "park": map_distinct(raw["park"], rules.park_name, where, "park", rows),
        "indicator": raw["indicator"],
        "period": map_distinct(raw["period"], rules.period, where, "period", rows),
        "basis": raw["basis"],
        "value": values,
    })
    out, _ = drop_duplicates(out, where.sheet)
    return out[GROWTH_COLUMNS].reset_index(drop=True)
