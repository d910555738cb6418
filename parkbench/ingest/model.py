"""What readers produce: normalised rows ready for the store."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

OBSERVATION_COLUMNS = ["park", "indicator", "period", "basis", "value"]
GROWTH_COLUMNS = ["park", "indicator", "period", "basis", "value"]
INDUSTRY_COLUMNS = ["park", "period", "industry", "is_leading", "output", "firms"]
# Optional columns a reader may add to observations and growth: where each value
# was read (sheet name, 1-based row, "C 列（税收）"), so data-check warnings can name it.
SOURCE_COLUMNS = ["sheet", "row", "column"]


@dataclass
class Sheet:
    """One sheet (or a whole CSV) as raw cells: a DataFrame of objects with
    ``None`` for empty cells, row 0 being the sheet's first row."""

    name: str
    cells: pd.DataFrame
    warnings: list[str] = field(default_factory=list)  # found while reading the bytes (e.g. uncached formulas)


@dataclass
class FileContext:
    file_name: str
    sheet_names: list[str] = field(default_factory=list)


@dataclass
class Skipped:
    sheet: str
    row: int  # 1-based
    reason: str


@dataclass
class Parsed:
    """Everything one file yields. Values are in canonical units (万元, 亩, 户, 人);
    ``period`` is the first day of the month; ``basis`` is month, ytd or stock.
    ``growth`` holds the growth rates the sheet itself published (percent)."""

    file_name: str
    family: str
    observations: pd.DataFrame
    growth: pd.DataFrame
    industries: pd.DataFrame
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def parks(self) -> list[str]:
        names = {*pd.unique(self.observations["park"]), *pd.unique(self.industries["park"]),
                 *pd.unique(self.growth["park"])}
        return sorted(names)

    @property
    def periods(self) -> list[dt.date]:
        distinct = set(pd.unique(self.observations["period"])) | set(pd.unique(self.industries["period"]))
        return sorted({pd.Timestamp(p).date() for p in distinct})

    @property
    def value_count(self) -> int:
        return len(self.observations) + len(self.growth) + len(self.industries)


def empty_frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def combine(file_name: str, family: str, parts: list[Parsed]) -> Parsed:
    """Merge the per-sheet results of one file."""

    def cat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
        frames = [f for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True) if frames else empty_frame(columns)

    return Parsed(
        file_name=file_name,
        family=family,
        observations=cat([p.observations for p in parts], OBSERVATION_COLUMNS),
        growth=cat([p.growth for p in parts], GROWTH_COLUMNS),
        industries=cat([p.industries for p in parts], INDUSTRY_COLUMNS),
        skipped=[s for p in parts for s in p.skipped],
        warnings=[w for p in parts for w in p.warnings],
    )
