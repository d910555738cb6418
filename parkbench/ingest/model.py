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
    encoding: str | None = None  # a CSV's detected text encoding (None for workbooks)


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


def combine(file_name: str, family: str, parts: list[Parsed], sheets: list[str] | None = None) -> Parsed:
    """Merge the per-sheet results of one file (``sheets``: each part's sheet
    name, in workbook order). One key given by two sheets is stored once: the
    later sheet in workbook order wins, and a warning names both places."""

    def cat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
        frames = [f for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True) if frames else empty_frame(columns)

    names = sheets or [""] * len(parts)
    observations, observation_warnings = last_sheet_wins(
        [p.observations for p in parts], names, OBSERVATION_COLUMNS, ["park", "indicator", "period", "basis"])
    growth, growth_warnings = last_sheet_wins(
        [p.growth for p in parts], names, GROWTH_COLUMNS, ["park", "indicator", "period", "basis"], "增速")
    industries, industry_warnings = last_sheet_wins(
        [p.industries for p in parts], names, INDUSTRY_COLUMNS, ["park", "period", "industry"], "产业产值")
    return Parsed(
        file_name=file_name,
        family=family,
        observations=observations,
        growth=growth,
        industries=industries,
        skipped=[s for p in parts for s in p.skipped],
        warnings=[w for p in parts for w in p.warnings] + observation_warnings + growth_warnings + industry_warnings,
    )


MAX_DUPLICATE_WARNINGS = 5
_BASIS_TEXT = {"month": "本月", "ytd": "累计", "stock": "期末", "month_prior": "上年同月", "ytd_prior": "上年同期累计"}


def last_sheet_wins(frames: list[pd.DataFrame], sheets: list[str], columns: list[str], keys: list[str],
                    what: str = "数值") -> tuple[pd.DataFrame, list[str]]:
    """Concatenate per-sheet frames; a key that two sheets both give keeps the
    later sheet's row (workbook order), with one warning line per key naming
    both sheets (and rows, where the reader kept them)."""
    tagged = [f.assign(_sheet=name, _order=i) for i, (f, name) in enumerate(zip(frames, sheets, strict=True)) if len(f)]
    if not tagged:
        return empty_frame(columns), []
    combined = pd.concat(tagged, ignore_index=True)
    repeated = combined[combined.duplicated(keys, keep=False)]
    warnings: list[str] = []
    if len(repeated):
        clashes = [group for _, group in repeated.groupby(keys, sort=False) if group["_sheet"].nunique() > 1]
        for group in clashes[:MAX_DUPLICATE_WARNINGS]:
            warnings.append(_duplicate_warning(group, what))
        if len(clashes) > MAX_DUPLICATE_WARNINGS:
            warnings.append(f"另有 {len(clashes) - MAX_DUPLICATE_WARNINGS} 处同一{what}在多个工作表中重复，"
                            "均以工作簿中靠后的工作表为准")
        combined = combined.drop_duplicates(keys, keep="last")
    return combined.drop(columns=["_sheet", "_order"]).reset_index(drop=True), warnings


def _duplicate_warning(group: pd.DataFrame, what: str) -> str:
    first, last = group.iloc[0], group.iloc[-1]

    def place(row) -> str:
        where = f"工作表「{row['_sheet']}」"
        if "row" in row.index and pd.notna(row["row"]):
            where += f"第 {int(row['row'])} 行"
        return where

    def value(row) -> str:
        v = row["output"] if "output" in row.index and "value" not in row.index else row.get("value")
        return "空" if v is None or pd.isna(v) else f"{float(v):g}"

    key = [str(first["park"])]
    if "indicator" in first.index:
        from parkbench.catalog import INDICATOR_BY_ID

        ind = INDICATOR_BY_ID.get(first["indicator"])
        key.append(ind.zh if ind else str(first["indicator"]))
    if "industry" in first.index:
        key.append(str(first["industry"]))
    key.append(f"{pd.Timestamp(first['period']):%Y年%m月}")
    if "basis" in first.index:
        key.append(_BASIS_TEXT.get(first["basis"], str(first["basis"])))
    same = value(first) == value(last)
    return (f"同一{what}出现两次：{' '.join(key)} 在{place(first)}为 {value(first)}，在{place(last)}为 {value(last)}"
            f"{'（数值相同）' if same else ''}；按工作簿顺序以后者（{place(last)}）为准")
