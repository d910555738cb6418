"""What the upload page shows for a file before it is stored: the family it
was recognised as, its parks under their canonical names, periods,
indicators and units, the values exactly as they will be stored, the rows
skipped and why, and warnings; or the refusal, in Chinese.

No Streamlit here: the page (and its tests) call ``check`` and ``build``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from parkbench import store
from parkbench.catalog import INDICATOR_BY_ID
from parkbench.ingest import IngestError, NoHeader, family_title, isolate
from parkbench.ingest.mapped import ColumnMapping
from parkbench.ingest.model import Parsed
from parkbench.models import checks
from parkbench.store import names

BASIS_ZH = {"month": "本月", "ytd": "累计（1月至本月）", "stock": "期末",
            "month_prior": "上年同月（可比口径）", "ytd_prior": "上年同期累计（可比口径）"}
UNKNOWN_UNIT = "原表单位"
STATUS_ZH = {"active": "有效", "demo": "示例数据", "undone": "已撤销"}


@dataclass
class Preview:
    file_name: str
    family: str
    family_title: str
    parks: list[str]  # canonical names, as they will be stored
    new_parks: list[str]  # of those, the ones the store does not know yet
    periods: list[str]
    indicators: list[str]  # Chinese names with units
    units: list[str]
    values: pd.DataFrame  # park, indicator, period, basis, value, unit
    growth: pd.DataFrame  # park, indicator, period, basis, value (%)
    industries: pd.DataFrame  # park, period, industry, is_leading, output (万元), firms (户)
    skipped: pd.DataFrame  # sheet, row, reason
    warnings: list[str] = field(default_factory=list)
    value_count: int = 0
    findings: list = field(default_factory=list)  # checks.Finding: what 数据审核 would warn about
    suggestions: dict[str, str] = field(default_factory=dict)  # new park name → close known park


@dataclass
class Checked:
    """A parsed file, or why it was refused. ``needs_mapping`` is True when no
    header was recognised, so the user can map the columns by hand."""

    file_name: str
    parsed: Parsed | None = None
    error: str | None = None
    needs_mapping: bool = False


def check(data: bytes, file_name: str, mappings: dict[str, ColumnMapping] | None = None) -> Checked:
    """Type and size checked, then parsed in a worker process with memory and
    time limits (``isolate``): a file that breaks a reader fails alone. A file
    whose every value is of an unknown indicator is not offered for storing:
    the user maps its columns first."""
    try:
        parsed = isolate.parse_file(data, file_name, mappings)
    except IngestError as exc:
        return Checked(file_name, error=str(exc), needs_mapping=isinstance(exc, NoHeader))
    reason = checks.feeds_nothing(parsed)
    if reason is not None:
        return Checked(file_name, error=reason, needs_mapping=True)
    return Checked(file_name, parsed=parsed)


def month_text(period) -> str:
    return f"{period.year}年{period.month}月"


def indicator_zh(indicator: str) -> str:
    ind = INDICATOR_BY_ID.get(indicator)
    return ind.zh if ind else indicator


def indicator_unit(indicator: str) -> str:
    ind = INDICATOR_BY_ID.get(indicator)
    if ind is None and str(indicator).endswith("面积"):
        return "亩"  # 建成区面积, 规划面积: other areas, converted to 亩 like the land
    return ind.unit if ind else UNKNOWN_UNIT


def build(con: duckdb.DuckDBPyConnection, parsed: Parsed) -> Preview:
    canonical = {name: store.canonical_name(con, name) for name in parsed.parks}
    unknown = [n for n in parsed.parks if store.find_park(con, n) is None]
    new = sorted({canonical[n] for n in unknown})
    suggestions = names.close_parks(con, unknown)

    obs = parsed.observations
    values = pd.DataFrame({
        "park": obs["park"].map(canonical),
        "indicator": obs["indicator"].map(indicator_zh),
        "period": obs["period"].map(month_text),
        "basis": obs["basis"].map(BASIS_ZH),
        "value": obs["value"].astype("float64"),
        "unit": obs["indicator"].map(indicator_unit),
    }, columns=["park", "indicator", "period", "basis", "value", "unit"])
    growth = pd.DataFrame({
        "park": parsed.growth["park"].map(canonical),
        "indicator": parsed.growth["indicator"].map(indicator_zh),
        "period": parsed.growth["period"].map(month_text),
        "basis": parsed.growth["basis"].map(BASIS_ZH),
        "value": parsed.growth["value"].astype("float64"),
    }, columns=["park", "indicator", "period", "basis", "value"])
    ind = parsed.industries
    industries = pd.DataFrame({
        "park": ind["park"].map(canonical),
        "period": ind["period"].map(month_text),
        "industry": ind["industry"],
        "is_leading": ind["is_leading"].map(lambda v: "是" if v is True else ("否" if v is False else "")),
        "output": ind["output"].astype("float64"),
        "firms": ind["firms"].astype("Int64"),
    }, columns=["park", "period", "industry", "is_leading", "output", "firms"])
    skipped = pd.DataFrame([(s.sheet, s.row, s.reason) for s in parsed.skipped], columns=["sheet", "row", "reason"])

    indicators = sorted(set(obs["indicator"]) | set(parsed.growth["indicator"]), key=_catalogue_order)
    units = sorted({indicator_unit(i) for i in indicators} | ({"万元", "户"} if len(ind) else set()))
    if len(ind):
        indicators.append("产业结构")
    return Preview(
        file_name=parsed.file_name,
        family=parsed.family,
        family_title=family_title(parsed.family),
        parks=sorted(set(canonical.values())),
        new_parks=new,
        periods=[month_text(p) for p in parsed.periods],
        indicators=[i if i == "产业结构" else f"{indicator_zh(i)}（{indicator_unit(i)}）" for i in indicators],
        units=units,
        values=values.reset_index(drop=True),
        growth=growth.reset_index(drop=True),
        industries=industries.reset_index(drop=True),
        skipped=skipped,
        warnings=list(parsed.warnings),
        value_count=parsed.value_count,
        findings=_dry_run(con, parsed),
        suggestions=suggestions,
    )


def _dry_run(con: duckdb.DuckDBPyConnection, parsed: Parsed) -> list:
    """The data-check warnings storing the file would raise. If the database
    is busy with another writer, say so: the checks run again on storing."""
    try:
        return store.dry_run(con, parsed)
    except duckdb.TransactionException:
        return [checks.Finding("reader", "数据审核：数据库正忙，预览时未能完成审核；确认导入时会再次审核并保存提示",
                               detail="数据库正忙，预览时未能完成审核；确认导入时会再次审核并保存提示")]


def _catalogue_order(indicator: str) -> tuple[int, str]:
    ids = list(INDICATOR_BY_ID)
    return (ids.index(indicator), "") if indicator in INDICATOR_BY_ID else (len(ids), indicator)


def history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every upload, newest first, with its state as a code (``active``,
    ``demo``, ``undone``; the page labels it), in Chinese (``status``), and who
    stored and undid it ("" where not recorded)."""
    frame = store.list_uploads(con, include_undone=True)
    undone = frame["undone_at"].notna()
    state = pd.Series("active", index=frame.index, dtype=object)
    state[frame["is_demo"].astype(bool)] = "demo"
    state[undone] = "undone"
    status = state.map(STATUS_ZH)
    out = frame.assign(state=state, status=status, can_undo=~undone, at=frame["at"].str.replace("T", " "),
                       uploaded_by=frame["uploaded_by"].astype(object).where(frame["uploaded_by"].notna(), ""),
                       undone_by=frame["undone_by"].astype(object).where(frame["undone_by"].notna(), ""))
    return out.iloc[::-1].reset_index(drop=True)
