"""Data checks (数据审核): warnings, never refusals, about values a file
brings — a cumulative below last month's, 本月 above 累计, a derived month
below zero, a month missing inside a series, a change beyond the thresholds
(parkbench.settings), reported growth far from computed, land jumping, an
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
import pandas as pd

from parkbench import sql
from parkbench.catalog import INDICATOR_BY_ID
from parkbench.ingest.model import Parsed
from parkbench.normalize import fold
from parkbench.settings import CHECKS, CheckThresholds

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
    params = {"upload_id": upload_id}
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
    for name, extra in queries:
        frame = sql.query(con, f"checks/{name}", **params, **extra)
        for row in frame.to_dict("records"):
            check_id = name if name != "month_change" else f"{row['comparison']}_change"
            key = (row["park_id"], row["indicator"], pd.Timestamp(row["period"]))
            if check_id == "cumulative_decrease":
                decreases.add(key)
            if check_id == "derived_negative" and key in decreases:
                continue  # the decrease's warning already gives the derived month
            findings.append(_finding(check_id, row, parsed, names, thresholds))
    return findings


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
    out: dict[int, tuple[str, list[str]]] = {}
    for raw in parsed.parks:
        found = con.execute("select p.park_id, p.name from park_aliases a join parks p using (park_id) "
                            "where a.alias = ?", [fold(raw)]).fetchall()
        if found:
            park_id, name = found[0]
            out.setdefault(park_id, (name, []))[1].append(raw)
    return out


def _month(period) -> str:
    period = pd.Timestamp(period)
    return f"{period.year}年{period.month}月"


def _num(value: float, unit: str) -> str:
    return f"{value:,.1f} {unit}"


def _month_label(row: dict) -> str:
    return "本月" if row.get("month_is_reported", True) else "当月（由累计推算）"


def _finding(check_id: str, row: dict, parsed: Parsed, names, t: CheckThresholds) -> Finding:
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
    sheet, line, column = _locate(parsed, spellings, indicator, period, basis)
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


def _locate(parsed: Parsed, spellings: list[str], indicator: str, period: dt.date,
            basis: str | None) -> tuple[str | None, int | None, str | None]:
    """Sheet, row and column of the value a warning is about, if this file gave it."""
    if basis == "industries":
        frame = parsed.industries
        hit = frame[frame["park"].isin(spellings) & (pd.to_datetime(frame["period"]).dt.date == period)]
        return (None, None, None) if hit.empty else (_get(hit, "sheet"), _get(hit, "row"), None)
    if basis is not None and basis.startswith("growth:"):
        frame, basis = parsed.growth, basis.split(":", 1)[1]
    else:
        frame = parsed.observations
    if "sheet" not in frame or frame.empty:
        return None, None, None
    hit = frame[frame["park"].astype(object).isin(spellings) & (frame["indicator"].astype(object) == indicator)
                & (pd.to_datetime(frame["period"]).dt.date == period)]
    if basis is not None and not hit.empty:
        preferred = hit[hit["basis"].astype(object) == basis]
        hit = preferred if not preferred.empty else hit
    if hit.empty:
        return None, None, None
    return _get(hit, "sheet"), _get(hit, "row"), _get(hit, "column")


def _get(frame: pd.DataFrame, column: str):
    if column not in frame:
        return None
    value = frame[column].iloc[-1]
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return int(value) if column == "row" else str(value)


def store_findings(con: duckdb.DuckDBPyConnection, upload_id: int, findings: list[Finding]) -> None:
    """Keep the warnings with their upload (inside the caller's transaction)."""
    if not findings:
        return
    con.executemany(
        "insert into upload_warnings (upload_id, check_id, park_id, indicator, period, message, detail, file_name, "
        "sheet, row_no, column_ref) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(upload_id, f.check_id, f.park_id, f.indicator, f.period, f.message, f.detail, f.file_name, f.sheet, f.row,
          f.column) for f in findings])


def open_warnings(con: duckdb.DuckDBPyConnection, parks: list[str] | None = None) -> pd.DataFrame:
    """Warnings of uploads in force, by park and period (views/data_warnings)."""
    return sql.query(con, "views/data_warnings", parks=parks or None)


def flagged_metrics(con: duckdb.DuckDBPyConnection, period: dt.date, parks: list[str] | None = None) -> pd.DataFrame:
    """park, metric, reason: metrics of ``period`` built on a value with an open warning."""
    return sql.query(con, "views/flagged_metrics", period=period, parks=parks or None)
