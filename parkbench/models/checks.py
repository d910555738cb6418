"""Data checks (数据审核): warnings, never refusals, about values a file
brings — a cumulative below last month's, 本月 above 累计, a derived month
below zero, a month missing inside a series, a change beyond the thresholds
(parkbench.models.settings), reported growth far from computed, land jumping, an
industry breakdown that does not add up — plus every warning the reader
raised (e.g. one key given twice in a file).

The checks are SQL (queries/checks/) run on the store *with the file in
it*: inside the save transaction, or inside a transaction rolled back for
the preview (``store.dry_run``), so a warning sees exactly the values the
pages would show, derived months included. Each warning names the file and,
where the value came from this file, its sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from parkbench.catalog import INDICATOR_BY_ID
from parkbench.ingest.model import Parsed
from parkbench.ingest.normalize import fold
from parkbench.models import sql
from parkbench.models.settings import CHECKS, CheckThresholds

CHECK_TITLES = {
    "cumulative_decrease": "累计值低于上月",
    "month_above_ytd": "本月值大于累计值",
    "derived_negative": "推算的当月值为负",
    "month_missing": "序列中缺月",
    "mom_change": "环比变动过大",
    "yoy_change": "同比变动过大",
    "growth_mismatch": "报送增速与计算不符",
    "land_change": "用地面积变动过大",
    "breakdown_sum": "产业结构合计与总产值不符",
    "unknown_columns": "列不对应任何指标",
    "reader": "读取提示",
}


@dataclass
class Finding:
    """One warning. ``park`` is the canonical name (None for a whole-file note)."""

    check_id: str
    message: str
    park: str | None = None
    park_id: int | None = None
    indicator: str | None = None
    period: dt.date | None = None
    file_name: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    detail: str | None = None  # the message without its title, place, park and month: "税收收入：累计 650.0 万元，…"

    @property
    def title(self) -> str:
        return CHECK_TITLES.get(self.check_id, self.check_id)

    @property
    def within_file(self) -> str:
        """The message without the file name, for a preview that already names the file."""
        return self.message.replace(f"文件「{self.file_name}」，", "", 1).replace(f"文件「{self.file_name}」：", "", 1)

    def line(self) -> str:
        """One line for the CLI: ``警告：…``."""
        return f"警告：{self.message}"


def run(con: duckdb.DuckDBPyConnection, parsed: Parsed, upload_id: int,
        thresholds: CheckThresholds = CHECKS) -> list[Finding]:
    """Every warning for the upload ``upload_id`` (already written, tables rebuilt)."""
    names = _park_names(con, parsed)
    findings = [Finding("reader", f"{CHECK_TITLES['reader']}：文件「{parsed.file_name}」：{w}",
                        file_name=parsed.file_name, detail=w) for w in parsed.warnings]
    unknown = unknown_columns(parsed)
    if unknown:
        detail = f"{'、'.join(unknown)} 不对应任何已知指标，导入后不参与任何指标计算"
        findings.append(Finding("unknown_columns", f"{CHECK_TITLES['unknown_columns']}：文件「{parsed.file_name}」：{detail}",
                                file_name=parsed.file_name, detail=detail))
    params = {"upload_id": upload_id, "parks": _upload_parks(con, upload_id)}
    queries = [
        ("cumulative_decrease", {}),
        ("month_above_ytd", {}),
        ("derived_negative", {}),
        ("month_missing", {}),
        ("month_change", {"mom_percent": thresholds.month_on_month_percent,
                          "yoy_percent": thresholds.year_on_year_percent}),
        ("growth_mismatch", {"points": thresholds.growth_points}),
        ("land_change", {"percent": thresholds.land_change_percent}),
        ("breakdown_sum", {"percent": thresholds.breakdown_percent}),
    ]
    decreases = set()
    sources = Sources(parsed)
    for name, extra in queries:
        frame = sql.query(con, f"checks/{name}", **params, **extra)
        for row in frame.to_dict("records"):
            check_id = name if name != "month_change" else f"{row['comparison']}_change"
            key = (row["park_id"], row["indicator"], pd.Timestamp(row["period"]))
            if check_id == "cumulative_decrease":
                decreases.add(key)
            if check_id == "derived_negative" and key in decreases:
                continue  # the decrease's warning already gives the derived month
            findings.append(_finding(check_id, row, parsed, names, thresholds, sources))
    return findings


def _upload_parks(con, upload_id: int) -> list[int]:
    """The park ids an upload wrote rows for: each check reads those parks only
    (no check compares two parks), so its cost follows the upload, not the store."""
    return [r[0] for r in con.execute(
        "select park_id from observations where upload_id = $u union select park_id from reported_growth "
        "where upload_id = $u union select park_id from industries where upload_id = $u", {"u": upload_id}).fetchall()]


def unknown_columns(parsed: Parsed) -> list[str]:
    """The columns (or indicator names) of a file that match no known indicator,
    as "「绿化覆盖率」（工作表「…」第 C 列）": stored, they would feed no metric."""
    obs = parsed.observations
    if obs.empty:
        return []
    unknown = obs[~obs["indicator"].astype(object).isin(list(INDICATOR_BY_ID))]
    out = []
    keys = ["indicator", "sheet", "column"] if {"sheet", "column"} <= set(unknown.columns) else ["indicator"]
    for values in unknown[keys].astype(object).drop_duplicates().itertuples(index=False):
        name, *where = values
        if where and where[1]:
            out.append(f"{where[1]}（工作表「{where[0]}」）")
        else:
            out.append(f"「{name}」")
    return out


def feeds_nothing(parsed: Parsed) -> str | None:
    """Why a file must not be stored as it was read: every value it holds is of
    an indicator no metric knows (its columns need mapping). None if it is fine."""
    obs = parsed.observations
    if obs.empty or len(parsed.growth) or len(parsed.industries):
        return None
    if obs["indicator"].astype(object).isin(list(INDICATOR_BY_ID)).any():
        return None
    return (f"文件「{parsed.file_name}」的列{'、'.join(unknown_columns(parsed))}都不对应任何已知指标，"
            "保存后不会进入任何指标；请在上传页指定各列含义（列映射），或检查表头是否写错")


def _park_names(con, parsed: Parsed) -> dict[int, tuple[str, list[str]]]:
    """park_id → (canonical name, the spellings this file used)."""
    spellings = list(dict.fromkeys(parsed.parks))
    rows = con.execute("select a.alias, p.park_id, p.name from park_aliases a join parks p using (park_id) "
                       "where list_contains($aliases, a.alias)",
                       {"aliases": sorted({fold(raw) for raw in spellings})}).fetchall()
    found = {alias: (park_id, name) for alias, park_id, name in rows}
    out: dict[int, tuple[str, list[str]]] = {}
    for raw in spellings:
        if fold(raw) in found:
            park_id, name = found[fold(raw)]
            out.setdefault(park_id, (name, []))[1].append(raw)
    return out


def _month(period) -> str:
    period = pd.Timestamp(period)
    return f"{period.year}年{period.month}月"


def _num(value: float, unit: str) -> str:
    return f"{value:,.1f} {unit}"


def _month_label(row: dict) -> str:
    return "本月" if row.get("month_is_reported", True) else "当月（由累计推算）"


def _finding(check_id: str, row: dict, parsed: Parsed, names, t: CheckThresholds, sources: Sources) -> Finding:
    park_id = int(row["park_id"])
    park, spellings = names.get(park_id, (str(park_id), []))
    indicator = row["indicator"]
    ind = INDICATOR_BY_ID.get(indicator)
    zh, unit = (ind.zh, ind.unit) if ind else (indicator, "")
    period = pd.Timestamp(row["period"]).date()
    value, previous = row.get("value"), row.get("previous")
    change = row.get("change")
    what, subject = f"{park} {zh} {_month(period)}", zh
    if check_id == "cumulative_decrease":
        text = f"累计 {_num(value, unit)}，低于上月累计 {_num(previous, unit)}（推算的当月值将为 {_num(value - previous, unit)}）"
        basis = "ytd"
    elif check_id == "month_above_ytd":
        text = f"本月 {_num(value, unit)} 大于同月累计 {_num(previous, unit)}"
        basis = "month"
    elif check_id == "derived_negative":
        text = f"由累计值推算的当月值为 {_num(value, unit)}，低于零"
        basis = "ytd"
    elif check_id == "month_missing":
        text = "该月没有数值（本月和累计都未报送），前后月份都有数值；累计值将无法计算"
        basis = None
    elif check_id == "mom_change":
        text = (f"{_month_label(row)} {_num(value, unit)}，比上月 {_num(previous, unit)} 变动 {change:+.1f}%"
                f"（超过 ±{t.month_on_month_percent:g}%）")
        basis = "month"
    elif check_id == "yoy_change":
        text = (f"{_month_label(row)} {_num(value, unit)}，比上年同月 {_num(previous, unit)} 变动 {change:+.1f}%"
                f"（超过 ±{t.year_on_year_percent:g}%）")
        basis = "month"
    elif check_id == "growth_mismatch":
        label = "累计同比" if row.get("basis") == "ytd" else "本月同比"
        text = (f"报送的{label} {value:+.1f}% 与按数值计算的 {previous:+.1f}% 相差 {abs(value - previous):.1f} 个百分点"
                f"（超过 {t.growth_points:g} 个百分点）")
        basis = "growth:" + str(row.get("basis"))
    elif check_id == "land_change":
        text = (f"用地面积 {_num(value, unit)}，比上次的 {_num(previous, unit)} 变动 {change:+.1f}%"
                f"（超过 ±{t.land_change_percent:g}%）")
        basis = "stock"
    else:  # breakdown_sum
        text = (f"产业结构各产业产值合计 {_num(value, '万元')}，与规上工业总产值累计 {_num(previous, '万元')} "
                f"相差 {change:+.1f}%（超过 ±{t.breakdown_percent:g}%）")
        basis = "industries"
        what, subject = f"{park} {_month(period)}", "产业结构"
    sheet, line, column = sources.locate(spellings, indicator, period, basis)
    where = [f"文件「{parsed.file_name}」"]
    if sheet is not None:
        where.append(f"工作表「{sheet}」")
    if line is not None:
        where.append(f"第 {line} 行")
    if column:
        where.append(column)
    message = f"{CHECK_TITLES[check_id]}：{'，'.join(where)}：{what}：{text}"
    return Finding(check_id, message, park, park_id, indicator, period, parsed.file_name, sheet, line, column,
                   f"{subject}：{text}")


class Sources:
    """Where in the file each value came from: sheet, row and column by park
    spelling, indicator, month and basis. Each frame is indexed once, on the
    first warning that asks for it: its keys as integers, sorted (a few
    arrays of the frame's length, not a Python object per row), so that a file
    raising thousands of warnings costs one pass over its rows, not one per
    warning."""

    def __init__(self, parsed: Parsed):
        self.parsed = parsed
        self._indexes: dict[str, _KeyIndex] = {}

    def _index(self, kind: str) -> _KeyIndex:
        if kind not in self._indexes:
            self._indexes[kind] = _KeyIndex(getattr(self.parsed, kind), with_indicator=kind != "industries")
        return self._indexes[kind]

    def locate(self, spellings: list[str], indicator: str, period: dt.date,
               basis: str | None) -> tuple[str | None, int | None, str | None]:
        """Sheet, row and column of the value a warning is about, if this file
        gave it: the file's last row for it, of ``basis`` where there is one."""
        if basis == "industries":
            index = self._index("industries")
            position = index.last(spellings, None, period)
            return (None, None, None) if position is None else index.place(position, with_column=False)
        kind = "observations"
        if basis is not None and basis.startswith("growth:"):
            kind, basis = "growth", basis.split(":", 1)[1]
        index = self._index(kind)
        position = index.last(spellings, indicator, period, basis) if basis is not None else None
        if position is None:
            position = index.last(spellings, indicator, period)
        return (None, None, None) if position is None else index.place(position, with_column=True)


class _KeyIndex:
    """One parsed frame's rows by (park spelling, indicator, month[, basis]):
    integer keys sorted stably, so the last of equal keys is the file's last row."""

    def __init__(self, frame: pd.DataFrame, with_indicator: bool):
        self.usable = not frame.empty and (not with_indicator or "sheet" in frame)
        if not self.usable:
            return
        self.parks = _codes(frame["park"])
        self.indicators = _codes(frame["indicator"]) if with_indicator else ({None: 0}, np.zeros(len(frame), "int64"))
        self.bases = _codes(frame["basis"]) if with_indicator else ({None: 0}, np.zeros(len(frame), "int64"))
        days = pd.to_datetime(frame["period"]).to_numpy("datetime64[D]").astype("int64")
        key = self._key(self.parks[1], self.indicators[1], days)
        self.by_key = _Sorted(key)
        self.by_key_and_basis = _Sorted(key * len(self.bases[0]) + self.bases[1])
        self.columns = {c: frame[c] for c in ("sheet", "row", "column") if c in frame}

    def _key(self, park, indicator, days):
        return (park * len(self.indicators[0]) + indicator) * _DAYS + (days + _DAYS // 2)

    def last(self, spellings: list[str], indicator: str | None, period: dt.date, basis: str | None = None):
        """The position of the last row of any of the spellings, or None."""
        if not self.usable or indicator not in self.indicators[0]:
            return None
        if basis is not None and basis not in self.bases[0]:
            return None
        day = (period - _EPOCH).days
        found = []
        for spelling in spellings:
            if spelling in self.parks[0]:
                key = self._key(self.parks[0][spelling], self.indicators[0][indicator], day)
                position = (self.by_key.last(key) if basis is None
                            else self.by_key_and_basis.last(key * len(self.bases[0]) + self.bases[0][basis]))
                if position is not None:
                    found.append(position)
        return max(found) if found else None

    def place(self, position: int, with_column: bool) -> tuple[str | None, int | None, str | None]:
        sheet, row, column = (_cell(self.columns, name, position, kind)
                              for name, kind in (("sheet", str), ("row", int), ("column", str)))
        return sheet, row, column if with_column else None


class _Sorted:
    """Integer keys sorted stably with their positions: the last position of a key."""

    def __init__(self, keys: np.ndarray):
        self.order = np.argsort(keys, kind="stable")
        self.keys = keys[self.order]

    def last(self, key: int) -> int | None:
        i = int(np.searchsorted(self.keys, key, side="right")) - 1
        return int(self.order[i]) if i >= 0 and self.keys[i] == key else None


def _codes(column: pd.Series) -> tuple[dict, np.ndarray]:
    """(value → code, the column as codes)."""
    codes, uniques = pd.factorize(column.astype(object))
    return {value: code for code, value in enumerate(uniques)}, codes.astype("int64")


_EPOCH = dt.date(1970, 1, 1)
_DAYS = 1 << 20  # room for any day from 1970 − 1,400 years to 1970 + 1,400 years


def _cell(columns: dict[str, pd.Series], column: str, position: int, kind: type):
    """One value of the file's sheet, row or column columns (None where missing)."""
    value = columns[column].iat[position] if column in columns else None
    return None if value is None or pd.isna(value) else kind(value)


def store_findings(con: duckdb.DuckDBPyConnection, upload_id: int, findings: list[Finding]) -> None:
    """Keep the warnings with their upload (inside the caller's transaction)."""
    if not findings:
        return
    # One insert from a frame: executemany costs a round trip per warning.
    rows = pd.DataFrame(
        [(upload_id, f.check_id, f.park_id, f.indicator, f.period, f.message, f.detail, f.file_name, f.sheet, f.row,
          f.column) for f in findings],
        columns=["upload_id", "check_id", "park_id", "indicator", "period", "message", "detail", "file_name",
                 "sheet", "row_no", "column_ref"]).astype(
        {"park_id": "Int64", "row_no": "Int64", "period": "datetime64[ns]"})
    con.register("new_warnings", rows)
    try:
        con.execute("insert into upload_warnings by name select * from new_warnings")
    finally:
        con.unregister("new_warnings")


def open_warnings(con: duckdb.DuckDBPyConnection, parks: list[str] | None = None) -> pd.DataFrame:
    """Warnings of uploads in force, by park and period (reads/data_warnings)."""
    return sql.query(con, "reads/data_warnings", parks=parks or None)


def flagged_metrics(con: duckdb.DuckDBPyConnection, period: dt.date, parks: list[str] | None = None) -> pd.DataFrame:
    """park, metric, reason: metrics of ``period`` built on a value with an open warning."""
    return sql.query(con, "reads/flagged_metrics", period=period, parks=parks or None)
