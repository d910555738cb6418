"""Data checks (数据审核): warnings, never refusals, about values a file
brings — a cumulative below last month's, 本月 above 累计, a derived month
below zero, a month missing inside a series, a change beyond the thresholds
(parkbench.models.settings), reported growth far from computed, land jumping, an
industry breakdown that does not add up — plus every warning the reader
raised (e.g. one key given twice in a file).

The checks are SQL (queries/checks/) run on the store *with the file in
it*: inside the save transaction, or inside a transaction rolled back for
the preview (``store.dry_run``), so a warning sees exactly the values the
pages would show, derived months included. Each warning is about one cell
and names the file and, where the value came from this file, its sheet, row
and column.

A reviewer reads them as *findings*: one park × indicator × kind of check,
with the months it tripped in (``group``). A noisy series tripping 环比 in
40 months is one finding of 40 cells, not 40 lines. The cells stay stored
one row each (upload_warnings), so every finding opens onto the file, sheet,
row and column of each cell behind it. ``run`` works on whole columns
(a file may raise hundreds of thousands of warnings): no Python object per
warning until someone asks for one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from parkbench.catalog import INDICATOR_BY_ID
from parkbench.ingest.long_rules import is_land_kept_apart
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
    "enterprise_sum_mismatch": "企业合计与园区报送不一致",
    "enterprise_two_parks": "同一企业同期属于两个园区",
    "enterprise_register_backwards": "企业名录早于另一园区的较晚名录",
    "unknown_columns": "列不对应任何指标",
    "reader": "读取提示",
}
# Short names for the counts per kind (缺月 12，环比异常 340 …), Chinese and English.
CHECK_SHORT = {
    "cumulative_decrease": ("累计倒减", "YTD below last month"),
    "month_above_ytd": ("本月大于累计", "Month above YTD"),
    "derived_negative": ("推算为负", "Negative derived month"),
    "month_missing": ("缺月", "Missing month"),
    "mom_change": ("环比异常", "Month-on-month jump"),
    "yoy_change": ("同比异常", "Year-on-year jump"),
    "growth_mismatch": ("增速不符", "Growth mismatch"),
    "land_change": ("用地突变", "Land jump"),
    "breakdown_sum": ("结构不符", "Breakdown off"),
    "enterprise_sum_mismatch": ("企业合计不符", "Firms' sum off"),
    "enterprise_two_parks": ("企业两园区", "Firm in two parks"),
    "enterprise_register_backwards": ("名录日期倒退", "Register dated back"),
    "unknown_columns": ("未识别列", "Unknown columns"),
    "reader": ("读取提示", "Reader note"),
}
# Most important first: notes about the whole file (values left out or given
# twice), then values that contradict each other (the numbers shown would be
# wrong), a missing month (a cumulative becomes unknown), sums and growth that
# disagree, and last the changes that are only unusual (环比, 同比).
SEVERITY = ("unknown_columns", "reader", "cumulative_decrease", "month_above_ytd", "derived_negative",
            "month_missing", "breakdown_sum", "enterprise_two_parks", "enterprise_register_backwards",
            "enterprise_sum_mismatch", "growth_mismatch", "land_change",
            "yoy_change", "mom_change")
# One row per warned cell; stored as upload_warnings (period: first day of the month).
CELL_COLUMNS = ["check_id", "park_id", "park", "indicator", "period", "value", "unit", "message", "detail",
                "file_name", "sheet", "row_no", "column_ref"]
# The basis of the value a warning is about: its row is looked up with it first.
_BASIS = {"cumulative_decrease": "ytd", "derived_negative": "ytd", "month_above_ytd": "month",
          "mom_change": "month", "yoy_change": "month", "land_change": "stock", "enterprise_sum_mismatch": "ytd"}
INDICATOR_ZH = {i: ind.zh for i, ind in INDICATOR_BY_ID.items()}
ENTERPRISE_SUM_PERCENT = 1.0  # docs/enterprises.md rule 3: a park's own figure and its firms' sum
PARKS_NAMED = 10  # a summary names at most this many parks (…等 1000 个园区)


@dataclass
class Finding:
    """One warned cell. ``park`` is the canonical name (None for a whole-file note)."""

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


class Warnings:
    """The warned cells of one file or of the store (``cells``, CELL_COLUMNS,
    plus upload_id where stored), and the findings they make (``findings``,
    see ``group``; ``cells`` then carry the number of their finding)."""

    def __init__(self, cells: pd.DataFrame):
        self.cells = cells.reset_index(drop=True)
        self._findings: pd.DataFrame | None = None

    def __len__(self) -> int:
        return len(self.cells)

    def __bool__(self) -> bool:
        return len(self.cells) > 0

    def __iter__(self) -> Iterator[Finding]:
        """Each cell as a Finding (for a few: a file's hundreds of thousands are read as frames)."""
        return (_as_finding(r) for r in self.cells.itertuples(index=False))

    def __getitem__(self, position: int) -> Finding:
        return _as_finding(next(self.cells.iloc[[position]].itertuples(index=False)))

    @property
    def findings(self) -> pd.DataFrame:
        if self._findings is None:
            self._findings, self.cells = group(self.cells)
        return self._findings

    def cells_of(self, finding: int) -> pd.DataFrame:
        """The cells behind one finding (its number), by month."""
        self.findings  # noqa: B018 — numbers the cells
        return self.cells[self.cells["finding"] == finding]

    def parks(self) -> list[str]:
        return sorted(self.cells["park"].dropna().unique())


def _as_finding(r) -> Finding:
    return Finding(r.check_id, r.message, _or_none(r.park), _or_none(r.park_id, int), _or_none(r.indicator),
                   _or_none(r.period, lambda p: pd.Timestamp(p).date()), _or_none(r.file_name), _or_none(r.sheet),
                   _or_none(r.row_no, int), _or_none(r.column_ref), _or_none(r.detail))


def as_warnings(found: Warnings | Iterable[Finding]) -> Warnings:
    """Warnings from ``run``, or from a list of Finding (a note made by hand, or none)."""
    if isinstance(found, Warnings):
        return found
    rows = [(f.check_id, f.park_id, f.park, f.indicator, f.period, np.nan, None, f.message, f.detail, f.file_name,
             f.sheet, f.row, f.column) for f in found]
    return Warnings(_typed(pd.DataFrame(rows, columns=CELL_COLUMNS)))


def _typed(cells: pd.DataFrame) -> pd.DataFrame:
    cells = cells.astype({"park_id": "Int64", "row_no": "Int64", "value": "float64"})
    for column in ("check_id", "park", "indicator", "unit", "message", "detail", "file_name", "sheet", "column_ref"):
        cells[column] = cells[column].astype(object)
    cells["period"] = pd.to_datetime(cells["period"])
    return cells


def _or_none(value, kind=None):
    return None if _missing(value) else (kind(value) if kind else value)


def run(con: duckdb.DuckDBPyConnection, parsed: Parsed, upload_id: int,
        thresholds: CheckThresholds = CHECKS) -> Warnings:
    """Every warning for the upload ``upload_id`` (already written, tables rebuilt)."""
    names = _park_names(con, parsed)
    params = {"upload_id": upload_id, "parks": _upload_parks(con, upload_id)}
    found = sql.query_each(con, [f"checks/{name}" for name in _CHECK_QUERIES], **params, **_thresholds(thresholds))
    notes = _file_notes(parsed)
    if found.empty:
        return Warnings(_typed(notes))
    check_id = found["query"].where(found["query"] != "month_change", found["comparison"] + "_change")
    found = found.drop(columns="query").assign(check_id=check_id)
    cells = _cells(_without_repeats(found), parsed, names, thresholds)
    return Warnings(_typed(pd.concat([notes, cells], ignore_index=True)) if len(notes) else _typed(cells))


def run_firms(con: duckdb.DuckDBPyConnection, parsed, upload_id: int, park_ids: list[int],
              thresholds: CheckThresholds = CHECKS) -> Warnings:
    """Every warning for an enterprise file (``FirmParsed``, already written,
    tables rebuilt): its reader's notes, and 企业合计与园区报送不一致 for the parks
    its firms belong to (the sum is not one cell of the file, so no place in it)."""
    notes = pd.DataFrame([{"check_id": "reader", "message": f"{CHECK_TITLES['reader']}：文件「{parsed.file_name}」：{w}",
                           "detail": w, "file_name": parsed.file_name} for w in parsed.warnings], columns=CELL_COLUMNS)
    notes = pd.concat([notes, _two_parks(con, parsed.file_name, upload_id),
                       _register_backwards(con, parsed.file_name, upload_id)], ignore_index=True)
    found = sql.query(con, "checks/enterprise_sum_mismatch", upload_id=upload_id, parks=sorted(park_ids),
                      sum_percent=ENTERPRISE_SUM_PERCENT)
    if found.empty:
        return Warnings(_typed(notes))
    names = {park_id: (name, []) for park_id, name in con.execute(
        "select park_id, name from parks where list_contains($ids, park_id)", {"ids": sorted(park_ids)}).fetchall()}
    nowhere = Parsed(parsed.file_name, parsed.shape, pd.DataFrame(), pd.DataFrame(), pd.DataFrame())
    cells = _cells(found.assign(check_id="enterprise_sum_mismatch"), nowhere, names, thresholds)
    return Warnings(_typed(pd.concat([notes, cells], ignore_index=True)) if len(notes) else _typed(cells))


def _two_parks(con, file_name: str, upload_id: int) -> pd.DataFrame:
    """同一企业同期属于两个园区 (docs/enterprises.md rule 6), one cell per firm and pair of parks."""
    found = sql.query(con, "checks/enterprise_two_parks", upload_id=upload_id)
    rows = []
    for r in found.itertuples(index=False):
        code = f"（{r.credit_code}）" if isinstance(r.credit_code, str) else ""
        detail = (f"企业“{r.enterprise}”{code}自{_month(r.period)}起 {int(r.months)} 个月同时属于{r.park}和{r.other_park}；"
                  f"按企业名录计入{r.park}，请核对")
        rows.append({"check_id": "enterprise_two_parks", "park_id": int(r.park_id), "park": r.park,
                     "period": r.period, "message": f"{CHECK_TITLES['enterprise_two_parks']}：文件「{file_name}」：{detail}",
                     "detail": detail, "file_name": file_name})
    return pd.DataFrame(rows, columns=CELL_COLUMNS)


def _register_backwards(con, file_name: str, upload_id: int) -> pd.DataFrame:
    """企业名录早于另一园区的较晚名录 (docs/enterprises.md rule 6): one cell per
    register of the file and later park."""
    found = sql.query(con, "checks/enterprise_register_backwards", upload_id=upload_id)
    rows = []
    for r in found.itertuples(index=False):
        until = (pd.Timestamp(r.later_period) - pd.DateOffset(months=1)).date()
        others = "等" if r.firms > 3 else ""
        detail = (f"{r.park}{_month(r.period)}的企业名录中有 {int(r.firms)} 家企业（{r.examples}{others}）"
                  f"在{r.other_park}{_month(r.later_period)}的名录中；较晚的名录为准，本名录只在"
                  f"{_month(r.period)}至{_month(until)}把它们计入{r.park}，请核对名录日期")
        title = CHECK_TITLES["enterprise_register_backwards"]
        rows.append({"check_id": "enterprise_register_backwards", "park_id": int(r.park_id), "park": r.park,
                     "period": r.period, "message": f"{title}：文件「{file_name}」：{detail}",
                     "detail": detail, "file_name": file_name})
    return pd.DataFrame(rows, columns=CELL_COLUMNS)


# The checks ``run`` makes (queries/checks/), in the order their warnings are listed.
_CHECK_QUERIES = ("cumulative_decrease", "month_above_ytd", "derived_negative", "month_missing", "month_change",
                  "growth_mismatch", "land_change", "breakdown_sum", "enterprise_sum_mismatch")


def _thresholds(t: CheckThresholds) -> dict:
    """The thresholds as the check queries name them (each name means one thing in all of them)."""
    return {"mom_percent": t.month_on_month_percent, "yoy_percent": t.year_on_year_percent,
            "points": t.growth_points, "land_percent": t.land_change_percent,
            "breakdown_percent": t.breakdown_percent, "sum_percent": ENTERPRISE_SUM_PERCENT}


def _file_notes(parsed: Parsed) -> pd.DataFrame:
    """The reader's warnings and the columns that feed no metric: about the file, not a cell."""
    notes = [("reader", f"{CHECK_TITLES['reader']}：文件「{parsed.file_name}」：{w}", w) for w in parsed.warnings]
    unknown = unknown_columns(parsed)
    if unknown:
        detail = f"{'、'.join(unknown)} 不对应任何已知指标，导入后不参与任何指标计算"
        notes.append(("unknown_columns", f"{CHECK_TITLES['unknown_columns']}：文件「{parsed.file_name}」：{detail}",
                      detail))
    frame = pd.DataFrame([{"check_id": c, "message": m, "detail": d, "file_name": parsed.file_name}
                          for c, m, d in notes], columns=CELL_COLUMNS)
    return frame


def _without_repeats(found: pd.DataFrame) -> pd.DataFrame:
    """A derived month below zero whose cumulative decrease is warned already: that warning gives it."""
    key = ["park_id", "indicator", "period"]
    decreases = found.loc[found["check_id"] == "cumulative_decrease", key].drop_duplicates()
    told = found[key].merge(decreases.assign(_told=1), on=key, how="left")["_told"].notna().to_numpy()
    return found[~((found["check_id"] == "derived_negative").to_numpy() & told)].reset_index(drop=True)


def _upload_parks(con, upload_id: int) -> list[int]:
    """The park ids an upload wrote rows for: each check reads those parks only
    (no check compares two parks), so its cost follows the upload, not the store."""
    return [r[0] for r in con.execute(
        "select park_id from observations where upload_id = $u union select park_id from reported_growth "
        "where upload_id = $u union select park_id from industries where upload_id = $u", {"u": upload_id}).fetchall()]


def unknown_columns(parsed: Parsed) -> list[str]:
    """The columns (or indicator names) of a file that match no known indicator,
    as "「绿化覆盖率」（工作表「…」第 C 列）": stored, they would feed no metric.
    A second land column kept under its own name is not one of them: the
    reader's warning says which land column 亩均 uses and that this one is not."""
    obs = parsed.observations
    if obs.empty:
        return []
    indicators = obs["indicator"].astype(object)
    unknown = obs[~indicators.isin(list(INDICATOR_BY_ID)) & ~indicators.map(is_land_kept_apart).astype(bool)]
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


# ---------------------------------------------------------------- one warning per cell, column-wise

def _cells(found: pd.DataFrame, parsed: Parsed, names, t: CheckThresholds) -> pd.DataFrame:
    """The check rows as CELL_COLUMNS: park name, unit, place in the file, text."""
    found = found.assign(period=pd.to_datetime(found["period"]), park_id=found["park_id"].astype("int64"))
    canonical = {park_id: name for park_id, (name, _) in names.items()}
    park = found["park_id"].map(canonical).fillna(found["park_id"].astype(str)).astype(object)
    indicator = found["indicator"].astype(object)
    zh = indicator.map(INDICATOR_ZH).fillna(indicator)
    unit = indicator.map({i: ind.unit for i, ind in INDICATOR_BY_ID.items()}).fillna("")
    breakdown = (found["check_id"] == "breakdown_sum").to_numpy()
    zh, unit = zh.where(~breakdown, "产业结构"), unit.where(~breakdown, "万元")
    texts = pd.Series(_texts(found, unit, t), index=found.index, dtype=object)
    sheet, row_no, column_ref = (pd.Series(v, index=found.index, dtype=object) for v in _locate(found, parsed, names))
    months = found["period"].dt.year.astype(str) + "年" + found["period"].dt.month.astype(str) + "月"
    where = (f"文件「{parsed.file_name}」" + _part("，工作表「", sheet, "」")
             + _part("，第 ", row_no.map(lambda r: None if _missing(r) else str(int(r))), " 行")
             + _part("，", column_ref, ""))
    what = park + (" " + zh).where(~breakdown, "") + " " + months
    return pd.DataFrame({
        "check_id": found["check_id"].astype(object), "park_id": found["park_id"], "park": park,
        "indicator": indicator, "period": found["period"], "value": found["value"].astype("float64"),
        "unit": unit, "message": found["check_id"].map(CHECK_TITLES) + "：" + where + "：" + what + "：" + texts,
        "detail": zh + "：" + texts,
        "file_name": parsed.file_name, "sheet": sheet, "row_no": row_no, "column_ref": column_ref,
    }, columns=CELL_COLUMNS)


def _part(before: str, values: pd.Series, after: str) -> pd.Series:
    """``before + value + after`` where the value is known and not empty, else ""."""
    known = values.notna() & (values.astype(object) != "")
    return (before + values.where(known, "").astype(str) + after).where(known, "")


def _texts(found: pd.DataFrame, unit: pd.Series, t: CheckThresholds) -> list[str]:
    """What each warning says about its value, by kind (one list comprehension per kind)."""
    texts = np.empty(len(found), dtype=object)
    for check_id, rows in found.groupby("check_id", sort=False).indices.items():
        sub, units = found.iloc[rows], unit.iloc[rows]
        texts[rows] = _TEXT[check_id](sub, units, t)
    return list(texts)


def _label(reported) -> str:
    return "本月" if reported is None or reported is pd.NA or bool(reported) else "当月（由累计推算）"


def _columns(sub: pd.DataFrame, units: pd.Series, *names: str):
    cols = [sub[n].tolist() if n in sub else [None] * len(sub) for n in names]
    return zip(*cols, units.tolist(), strict=True)


_TEXT = {
    "cumulative_decrease": lambda s, u, t: [
        f"累计 {_num(v, n)}，低于上月累计 {_num(p, n)}（推算的当月值将为 {_num(v - p, n)}）"
        for v, p, n in _columns(s, u, "value", "previous")],
    "month_above_ytd": lambda s, u, t: [
        f"本月 {_num(v, n)} 大于同月累计 {_num(p, n)}" for v, p, n in _columns(s, u, "value", "previous")],
    "derived_negative": lambda s, u, t: [
        f"由累计值推算的当月值为 {_num(v, n)}，低于零" for v, n in _columns(s, u, "value")],
    "month_missing": lambda s, u, t: ["该月没有数值（本月和累计都未报送），前后月份都有数值；累计值将无法计算"] * len(s),
    "mom_change": lambda s, u, t: [
        f"{_label(r)} {_num(v, n)}，比上月 {_num(p, n)} 变动 {c:+.1f}%（超过 ±{t.month_on_month_percent:g}%）"
        for v, p, c, r, n in _columns(s, u, "value", "previous", "change", "month_is_reported")],
    "yoy_change": lambda s, u, t: [
        f"{_label(r)} {_num(v, n)}，比上年同月 {_num(p, n)} 变动 {c:+.1f}%（超过 ±{t.year_on_year_percent:g}%）"
        for v, p, c, r, n in _columns(s, u, "value", "previous", "change", "month_is_reported")],
    "growth_mismatch": lambda s, u, t: [
        f"报送的{'累计同比' if b == 'ytd' else '本月同比'} {v:+.1f}% 与按数值计算的 {p:+.1f}% 相差 {abs(v - p):.1f} 个百分点"
        f"（超过 {t.growth_points:g} 个百分点）" for v, p, b, _ in _columns(s, u, "value", "previous", "basis")],
    "land_change": lambda s, u, t: [
        f"用地面积 {_num(v, n)}，比上次的 {_num(p, n)} 变动 {c:+.1f}%（超过 ±{t.land_change_percent:g}%）"
        for v, p, c, n in _columns(s, u, "value", "previous", "change")],
    "enterprise_sum_mismatch": lambda s, u, t: [
        f"企业合计（累计）{_num(v, n)}，园区报送累计 {_num(p, n)}，相差 {c:+.1f}%（超过 ±{ENTERPRISE_SUM_PERCENT:g}%）；"
        "以园区报送数为准" for v, p, c, n in _columns(s, u, "value", "previous", "change")],
    "breakdown_sum": lambda s, u, t: [
        f"产业结构各产业产值合计 {_num(v, '万元')}，与规上工业总产值累计 {_num(p, '万元')} 相差 {c:+.1f}%"
        f"（超过 ±{t.breakdown_percent:g}%）" for v, p, c, _ in _columns(s, u, "value", "previous", "change")],
}


def _locate(found: pd.DataFrame, parsed: Parsed, names) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sheet, row and column of the value each warning is about, where this
    file gave it: the file's last row for it (any spelling of the park), of
    the warning's basis where there is one, else of any basis. A breakdown
    warning names the sheet and row only (the breakdown spans columns)."""
    spelling = {raw: park_id for park_id, (_, spellings) in names.items() for raw in spellings}
    places = tuple(np.full(len(found), None, dtype=object) for _ in range(3))
    sources = (("observations", ~found["check_id"].isin(["growth_mismatch", "breakdown_sum"])),
               ("growth", found["check_id"] == "growth_mismatch"),
               ("industries", found["check_id"] == "breakdown_sum"))
    for kind, chosen in sources:
        frame = getattr(parsed, kind)
        if not chosen.any() or frame.empty or "sheet" not in frame:
            continue
        sub = found[chosen]
        wanted = sub["basis"] if kind == "growth" else sub["check_id"].map(_BASIS)
        positions = _last_rows(frame, spelling, sub, wanted, with_indicator=kind != "industries")
        known = ~np.isnan(positions)
        _fill(places, frame, np.flatnonzero(chosen.to_numpy())[known], positions[known].astype("int64"),
              with_column=kind != "industries")
    return places


def _last_rows(frame: pd.DataFrame, spelling: dict, sub: pd.DataFrame, wanted: pd.Series,
               with_indicator: bool) -> np.ndarray:
    """For each warning of ``sub``: the position of the frame's last row for its key (NaN if none)."""
    rows = pd.DataFrame({"park_id": frame["park"].astype(object).map(spelling).astype("float64"),
                         "period": pd.to_datetime(frame["period"]).astype("datetime64[ns]"),
                         "position": np.arange(len(frame))})
    rows["indicator"] = frame["indicator"].astype(object).to_numpy() if with_indicator else ""
    rows["basis"] = frame["basis"].astype(object).to_numpy() if "basis" in frame else ""
    key = ["park_id", "indicator", "period"]
    asked = pd.DataFrame({"park_id": sub["park_id"].astype("float64").to_numpy(),
                          "indicator": sub["indicator"].astype(object).to_numpy() if with_indicator else "",
                          "period": sub["period"].astype("datetime64[ns]").to_numpy(),
                          "basis": wanted.astype(object).to_numpy()})
    rows = rows.dropna(subset=["park_id"])
    any_basis = rows.groupby(key, sort=False)["position"].max().rename("any_basis")
    by_basis = rows.groupby([*key, "basis"], sort=False)["position"].max().rename("by_basis")
    asked = asked.join(by_basis, on=[*key, "basis"]).join(any_basis, on=key)
    return asked["by_basis"].fillna(asked["any_basis"]).to_numpy(dtype="float64")


def _fill(places: tuple[np.ndarray, np.ndarray, np.ndarray], frame: pd.DataFrame, warnings: np.ndarray,
          rows: np.ndarray, with_column: bool) -> None:
    """Put the sheet, row (and column) of frame rows ``rows`` at the warnings' positions."""
    for out, name in zip(places, ("sheet", "row", "column"), strict=True):
        if name in frame and (name != "column" or with_column):
            out[warnings] = frame[name].to_numpy(dtype=object)[rows]


# ---------------------------------------------------------------- findings: cells grouped the way a reviewer reads

def group(cells: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(findings, cells numbered by finding). A finding is one upload (or
    file) × kind of check × park × indicator: the cells of a series that
    trips the same check month after month. A note about the whole file is a
    finding of its own. Findings come most important first (SEVERITY, then
    more cells first, then park and indicator); ``finding`` numbers them 1…N.

    Findings: finding, check_id, title, park, indicator, subject (the
    indicator in Chinese, 产业结构 for a breakdown), file_name, upload_id
    (stored cells only), periods (sorted dates), months (text), cells,
    summary (what it says), where (sheet, rows, column), line (the CLI's line,
    naming the file), text (the line for a page that names the file itself),
    and the parts the sentences are made of: sheets, rows, columns, first_message,
    first_detail (the first cell's texts)."""
    if cells.empty:
        return pd.DataFrame(columns=FINDING_COLUMNS), cells.assign(finding=pd.Series(dtype="int64"))
    series = cells["park"].astype(object).where(cells["park"].notna(), cells["message"])
    keys = pd.DataFrame({"upload_id": cells["upload_id"] if "upload_id" in cells else 0,
                         "file_name": cells["file_name"].fillna(""), "check_id": cells["check_id"],
                         "series": series, "indicator": cells["indicator"].fillna("")})
    code = keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup().to_numpy()
    cells = cells.assign(_group=code).sort_values(["_group", "period", "row_no"], kind="stable")
    first = cells.drop_duplicates("_group").set_index("_group")
    starts = np.flatnonzero(np.diff(cells["_group"].to_numpy(), prepend=-1))
    period = cells["period"]
    month = (period.dt.year * 12 + period.dt.month - 1).fillna(-1).astype("int64").to_numpy()
    row = cells["row_no"].astype("Float64").fillna(-1).astype("int64").to_numpy()
    pieces = {name: np.split(values, starts[1:]) for name, values in (
        ("month", month), ("row", row), ("sheet", cells["sheet"].to_numpy(dtype=object)),
        ("column", cells["column_ref"].to_numpy(dtype=object)))}
    findings = pd.DataFrame({
        "check_id": first["check_id"], "park": first["park"], "indicator": first["indicator"],
        "file_name": first["file_name"], "upload_id": first["upload_id"] if "upload_id" in cells else pd.NA,
        "cells": np.diff(np.append(starts, len(cells))),
        "periods": [[dt.date(n // 12, n % 12 + 1, 1) for n in np.unique(p[p >= 0]).tolist()] for p in pieces["month"]],
        "rows": [r[r >= 0].tolist() for r in pieces["row"]],
        "sheets": [list(dict.fromkeys(x for x in piece if isinstance(x, str))) for piece in pieces["sheet"]],
        "columns": [list(dict.fromkeys(x for x in piece if isinstance(x, str))) for piece in pieces["column"]],
        "first_message": first["message"], "first_detail": first["detail"],
    })
    findings["severity"] = findings["check_id"].map({k: i for i, k in enumerate(SEVERITY)}).fillna(len(SEVERITY))
    findings = findings.sort_values(["severity", "cells", "park", "indicator"], ascending=[True, False, True, True],
                                    kind="stable", na_position="first")
    findings["finding"] = np.arange(1, len(findings) + 1)
    number = findings["finding"]
    cells = cells.assign(finding=cells["_group"].map(number)).drop(columns="_group")
    cells = cells.sort_values(["finding", "period", "row_no"], kind="stable").reset_index(drop=True)
    return _described(findings.reset_index(drop=True))[FINDING_COLUMNS], cells


FINDING_COLUMNS = ["finding", "check_id", "title", "park", "indicator", "subject", "file_name", "upload_id",
                   "periods", "months", "cells", "summary", "where", "line", "text",
                   # what the sentences are made of, for another language (parkbench/models/findings_en.py)
                   "sheets", "rows", "columns", "first_message", "first_detail"]


def _described(findings: pd.DataFrame) -> pd.DataFrame:
    """Title, subject, months, and the sentences of each finding."""
    findings["title"] = findings["check_id"].map(lambda k: CHECK_TITLES.get(k, k))
    findings["subject"] = [
        "产业结构" if k == "breakdown_sum" else (INDICATOR_BY_ID[i].zh if i in INDICATOR_BY_ID else i)
        for k, i in zip(findings["check_id"], findings["indicator"], strict=True)]
    findings["months"] = findings["periods"].map(month_runs)
    findings["summary"] = [_summary(f) for f in findings.itertuples(index=False)]
    findings["where"] = [_where(f) for f in findings.itertuples(index=False)]
    findings["line"] = [_line(f) for f in findings.itertuples(index=False)]
    findings["text"] = [_text(f) for f in findings.itertuples(index=False)]
    return findings


def month_runs(periods: list) -> str:
    """2016年3月～2016年5月、2017年1月: consecutive months as one run."""
    numbers = sorted({p.year * 12 + p.month - 1 for p in periods})
    runs, start = [], None
    for i, n in enumerate(numbers):
        start = n if start is None else start
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            runs.append(_month_of(start) if start == n else f"{_month_of(start)}～{_month_of(n)}")
            start = None
    return "、".join(runs)


def _month_of(number: int) -> str:
    return f"{number // 12}年{number % 12 + 1}月"


def _summary(f) -> str:
    """One cell: its detail; several: how many months, and the first as an example."""
    if f.cells == 1 or _missing(f.park):
        return str(f.first_detail if not _missing(f.first_detail) else f.first_message)
    return f"{f.subject}：{len(f.periods)} 个月（{f.months}）；例如 {_first_month(f)}：{str(f.first_detail).split('：', 1)[-1]}"


def _first_month(f) -> str:
    return _month(f.periods[0]) if f.periods else ""


def _where(f) -> str:
    """Sheet, rows and column of a finding's cells, as far as known (the file is said apart)."""
    where = [f"工作表「{s}」" for s in f.sheets[:1] if len(f.sheets) == 1]
    if f.rows:
        shown = "、".join(str(r) for r in f.rows[:PARKS_NAMED])
        where.append(f"第 {shown}{f' 等 {len(f.rows)} ' if len(f.rows) > PARKS_NAMED else ' '}行")
    if len(f.columns) == 1:
        where.append(f.columns[0])
    return "，".join(where)


def _line(f) -> str:
    """The CLI's line: the cell's own message, or the finding naming file, sheet, rows, column and months."""
    if f.cells == 1 or _missing(f.park):
        return f"警告：{f.first_message}"
    return f"警告：{f.title}：{'，'.join(filter(None, [f'文件「{f.file_name}」', f.where]))}：{f.park} {f.summary}"


def _text(f) -> str:
    """What a page lists for a finding: as the CLI's line, without the file (the page names it)."""
    if _missing(f.park):
        return f"{f.title}：{f.summary}"
    return f"{f.title}：{f.where + '：' if f.where else ''}{f.park} {f.summary}"


def _missing(value) -> bool:
    return value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value))


def park_list(parks: list[str], limit: int = PARKS_NAMED) -> str:
    """甲、乙、丙 — or the first ``limit`` and …等 1000 个园区."""
    if len(parks) <= limit:
        return "、".join(parks)
    return f"{'、'.join(parks[:limit])}…等 {len(parks)} 个园区"


def counts_by_kind(findings: pd.DataFrame) -> list[tuple[str, int]]:
    """(check_id, findings) in SEVERITY order, kinds with none left out."""
    counts = findings["check_id"].value_counts()
    return [(k, int(counts[k])) for k in sorted(counts.index, key=lambda k: SEVERITY.index(k) if k in SEVERITY
                                                  else len(SEVERITY))]


def cells_table(warnings: Warnings) -> pd.DataFrame:
    """Every cell behind every finding, Chinese headers, for a workbook: finding
    number, kind, file, sheet, row, column, park, indicator, period, value, unit, detail."""
    warnings.findings  # noqa: B018 — numbers the cells
    c = warnings.cells
    zh = c["indicator"].map(lambda i: INDICATOR_BY_ID[i].zh if i in INDICATOR_BY_ID else i)
    return pd.DataFrame({
        "审核结果编号": c["finding"], "类型": c["check_id"].map(lambda k: CHECK_TITLES.get(k, k)),
        "文件": c["file_name"], "工作表": c["sheet"], "行号": c["row_no"].astype(object), "列": c["column_ref"],
        "园区": c["park"], "指标": zh.where(c["check_id"] != "breakdown_sum", "产业结构"),
        "统计期": c["period"].map(lambda p: "" if pd.isna(p) else f"{p:%Y-%m}"),
        "数值（单位见右列）": c["value"] if "value" in c else np.nan, "单位": c["unit"] if "unit" in c else None,
        "说明": c["detail"].where(c["detail"].notna(), c["message"]),
    })


# ---------------------------------------------------------------- stored warnings

def store_findings(con: duckdb.DuckDBPyConnection, upload_id: int, findings: Warnings | list) -> None:
    """Keep the warned cells with their upload (inside the caller's transaction):
    one insert from a frame, however many cells."""
    if not len(findings):
        return
    rows = as_warnings(findings).cells[["check_id", "park_id", "indicator", "period", "message", "detail",
                                         "file_name", "sheet", "row_no", "column_ref"]].assign(upload_id=upload_id)
    texts = ["check_id", "indicator", "message", "detail", "file_name", "sheet", "column_ref"]
    rows = rows.astype(dict.fromkeys(texts, "string[pyarrow]"))  # Arrow strings: DuckDB scans them without a Python call each
    con.register("new_warnings", rows)
    try:
        con.execute("insert into upload_warnings by name select * from new_warnings")
    finally:
        con.unregister("new_warnings")


# Checks whose text names a firm (docs/enterprises.md rule 5): shown in full only to
# readers of the firm's park; to others, as a park-level sentence.
FIRM_NAMING_CHECKS = ("enterprise_two_parks", "enterprise_register_backwards")
# What a reader who may not see the firms reads instead, per check ({park}: the warning's park).
_FIRM_HIDDEN_DETAIL = {"enterprise_two_parks": "有企业同期属于{park}和另一园区",
                       "enterprise_register_backwards": "{park}的企业名录中有企业在另一园区较晚的名录中"}
FIRM_HIDDEN = "企业明细只对管理账户和本园区的账户显示"


def open_warnings(con: duckdb.DuckDBPyConnection, *, reader, parks: list[str] | None = None) -> pd.DataFrame:
    """Warnings of uploads in force, by park and period (reads/data_warnings);
    a warning naming a firm of a park whose firms ``reader`` (an account, or
    ``accounts.OPERATOR``) may not see says what it found without the firm."""
    from parkbench.store import accounts

    warnings = sql.query(con, "reads/data_warnings", parks=parks or None)
    hidden = warnings["check_id"].isin(FIRM_NAMING_CHECKS) & ~warnings["park"].isin(accounts.firm_parks(con, reader))
    if hidden.any():
        warnings = warnings.copy()
        hidden_rows = warnings.loc[hidden]
        detail = [_FIRM_HIDDEN_DETAIL[c].format(park=p) + f"（{FIRM_HIDDEN}）"
                  for c, p in zip(hidden_rows["check_id"], hidden_rows["park"], strict=True)]
        title = hidden_rows["check_id"].map(CHECK_TITLES)
        warnings.loc[hidden, "detail"] = detail
        warnings.loc[hidden, "message"] = title + "：文件「" + hidden_rows["file_name"] + "」：" + detail
    return warnings


def open_findings(con: duckdb.DuckDBPyConnection, *, reader, parks: list[str] | None = None) -> Warnings:
    """The open warnings as findings (cells grouped by upload × kind × park × indicator)."""
    cells = open_warnings(con, reader=reader, parks=parks)
    return Warnings(cells.assign(park_id=pd.NA, value=np.nan, unit=None).astype({"park": object}))


def upload_findings(con: duckdb.DuckDBPyConnection, upload_id: int) -> Warnings:
    """The warnings stored with one upload, as findings: what its preview showed,
    read again by the 管理 account reviewing it (a reviewer sees every park's firms)."""
    cells = sql.query(con, "reads/upload_warnings", upload_id=upload_id)
    return Warnings(cells.assign(park_id=pd.NA, value=np.nan, unit=None).astype({"park": object}))


def flagged_metrics(con: duckdb.DuckDBPyConnection, period: dt.date, parks: list[str] | None = None) -> pd.DataFrame:
    """park, metric, reason: metrics of ``period`` built on a value with an open warning."""
    return sql.query(con, "reads/flagged_metrics", period=period, parks=parks or None)


def flagged_values(con: duckdb.DuckDBPyConnection, indicator: str, parks: list[str] | None = None) -> pd.DataFrame:
    """park, period, reason: the months of ``indicator`` whose value carries an open warning."""
    return sql.query(con, "reads/flagged_values", indicator=indicator, parks=parks or None)
