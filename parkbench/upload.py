"""The one upload verb, in two steps, for the upload page and the command
line alike:

- ``check(con, data, name)``: the file type- and size-checked, parsed in a
  worker process with memory and time limits (``ingest.isolate``), its parks
  under their canonical names, periods, indicators and units, the values
  exactly as they will be stored, the rows skipped and why, the data-check
  warnings storing it would raise (``store.dry_run``: on temporary tables, no
  writer lock), the parks the account may not store and the new names close
  to known ones; or the refusal, in Chinese. That is a ``Preview``.
- ``check_many(con, files)``: ``check`` for files chosen together, parsed
  ahead while the previews are made.
- ``store(con, preview, by=…)``: the preview's parse stored in one
  transaction, written and rebuilt once. Its warnings are stored as the
  preview found them when no write since then can change them
  (``store.changed_since``: an upload of another park cannot); otherwise the
  checks run again, on the parks of this file only.
- ``store_many(con, previews, by=…)``: 确认全部导入, several previews stored
  as ``store`` would store them one after another, but rebuilt once.

No Streamlit here: the page (through ui/pending.py and ui/data.py) and
``python -m parkbench ingest`` call these and nothing else.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from parkbench import firm_preview, limits
from parkbench import store as db  # the module; ``store`` is the verb below
from parkbench.catalog import INDICATOR_BY_ID
from parkbench.errors import BadCell, IngestError, NoHeader, StoreError
from parkbench.ingest import family_title, isolate
from parkbench.ingest.enterprise.model import FirmParsed
from parkbench.ingest.long_rules import is_land_kept_apart
from parkbench.ingest.mapped import ColumnMapping
from parkbench.ingest.model import Parsed
from parkbench.ingest.normalize import display_text
from parkbench.models import checks, sql
from parkbench.output.export import FORMULA_STARTS
from parkbench.store import accounts, firms, names

BASIS_ZH = {"month": "本月", "ytd": "累计（1月至本月）", "stock": "期末",
            "month_prior": "上年同月（可比口径）", "ytd_prior": "上年同期累计（可比口径）"}
UNKNOWN_UNIT = "原表单位"
STATUS_ZH = {"active": "有效", "demo": "示例数据", "undone": "已撤销", "pending": "待审核", "returned": "已退回"}
BUSY = "数据库正忙，预览时未能完成审核；确认导入时会再次审核并保存提示"


def _frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(columns=columns)


@dataclass
class Preview:
    """A file checked for storing, or (``error``) why it cannot be stored.
    ``needs_mapping`` is True when no header was recognised, so the user can
    map the columns by hand; ``bad_cell`` says where a file refused for one
    cell went wrong, so the user can map the columns and ignore that one. ``dry_run`` is None when the data checks did not
    run on the store (the command line, a busy store): storing runs them."""

    file_name: str
    data: bytes = b""
    parsed: Parsed | None = None
    error: str | None = None
    needs_mapping: bool = False
    bad_cell: tuple[str | None, str | None] | None = None  # refused for a cell: (sheet, column letter)
    family: str = ""
    family_title: str = ""
    parks: list[str] = field(default_factory=list)  # canonical names, as they will be stored
    new_parks: list[str] = field(default_factory=list)  # of those, the ones the store does not know yet
    periods: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)  # Chinese names with units
    units: list[str] = field(default_factory=list)
    land_columns: str = ""  # with two land columns: which one 亩均 divides by, which is kept under its own name
    values: pd.DataFrame = field(default_factory=lambda: _frame(["park", "indicator", "period", "basis", "value", "unit"]))
    growth: pd.DataFrame = field(default_factory=lambda: _frame(["park", "indicator", "period", "basis", "value"]))
    industries: pd.DataFrame = field(
        default_factory=lambda: _frame(["park", "period", "industry", "is_leading", "output", "firms"]))
    skipped: pd.DataFrame = field(default_factory=lambda: _frame(["sheet", "row", "reason"]))
    warnings: list[str] = field(default_factory=list)
    value_count: int = 0
    findings: list = field(default_factory=list)  # checks.Finding: what 数据审核 would warn about
    suggestions: dict[str, str] = field(default_factory=dict)  # new park name → close known park
    formula_like: list[str] = field(default_factory=list)  # new park names starting like a formula (= + - @)
    refused: list[str] = field(default_factory=list)  # parks the account may not store
    dry_run: db.DryRun | None = None
    stored_before: db.StoredBefore | None = None  # the same bytes are in force as an earlier upload
    # An enterprise file (shapes N1–N6, docs/enterprises.md): its rows, the park chosen for the rows
    # that name none, its firms, the park totals it makes, and whether the user must still name a park.
    firm_parsed: FirmParsed | None = None
    park: str | None = None
    firms: pd.DataFrame = field(default_factory=lambda: _frame(firm_preview.FIRM_COLUMNS))
    park_totals: pd.DataFrame = field(default_factory=lambda: _frame(firm_preview.TOTAL_COLUMNS))
    needs_park: bool = False

    @property
    def firm_count(self) -> int:
        return len(self.firms)

    @functools.cached_property
    def rows_key(self) -> str:
        """``store.rows_key`` of its parse: what a dry run counts of it as a file above."""
        return db.rows_key(self.parsed)


def check(con: duckdb.DuckDBPyConnection, data: bytes, file_name: str, *,
          mappings: dict[str, ColumnMapping] | None = None, account: accounts.Account | None = None,
          max_mb: int | None = None, to_show: bool = True, previous: Preview | None = None,
          park: str | None = None, above: tuple[Preview, ...] = ()) -> Preview:
    """Step one: the file parsed in a worker (a file that breaks a reader fails
    alone) and previewed against the store. A file whose every value is of an
    unknown indicator is not offered for storing: the user maps its columns.

    ``previous``, this file's earlier preview (same bytes and mappings), is
    returned as it is while no write can have changed its warnings, and is
    otherwise previewed again from its parse (the worker is not asked twice).
    An enterprise file (the enterprise readers are asked first) is previewed
    with its firms and the park totals it makes; ``park`` is the park of its
    rows that name none and no stored register places (``--park``, or the
    page's question: ``choose_park``).
    ``to_show=False`` (the command line, which shows nothing between the two
    steps) makes neither the tables nor the data checks: ``store`` checks, once.

    ``above``: the previews of the files chosen with it and listed above it
    (the page's queue); its data checks take those 确认全部导入 stores before
    it as stored (``stored_first``). A previous preview checked after other
    files than those is checked again."""
    first = stored_first(above, account)
    if previous is not None and previous.data == data:
        if previous.firm_parsed is not None:
            return _firm_preview(con, previous.firm_parsed, data, account, to_show, previous.park)
        if previous.parsed is None or (previous.dry_run is not None and _counts_the_same(con, previous, first)
                                       and not db.changed_since(con, previous.dry_run)):
            return previous
        return _preview(con, previous.parsed, data, account, to_show, first)
    return _preview_of_parse(con, _parse(data, file_name, mappings, max_mb=max_mb), data, file_name, account,
                             to_show=to_show, park=park, before=first)


def _counts_the_same(con: duckdb.DuckDBPyConnection, previous: Preview, first: tuple[Preview, ...]) -> bool:
    """Whether the previous preview's dry run was offered these files above
    and counted those of them that share a park with it now."""
    above = tuple((p.parsed, p.rows_key) for p in first)
    return (previous.dry_run.above == tuple(key for _, key in above)
            and previous.dry_run.before == db.counted_above(con, previous.parsed, above))


def stored_first(above, account: accounts.Account | None) -> tuple[Preview, ...]:
    """Of the previews of files listed above a file, those 确认全部导入 would
    store before it as they stand: park files, read, with every park the
    account may store, not an identical file already stored; none for an
    account whose uploads wait for review (the files before it would not be
    in force). A file whose park-name question is still open counts: once
    answered it is stored; unanswered, 确认全部导入 checks the files below it
    again (``store.save_many``). The dry run keeps those with a park of the
    file (``store.dry_run``)."""
    if account is not None and accounts.needs_review(account):
        return ()
    return tuple(p for p in above if p.error is None and p.parsed is not None and p.firm_parsed is None
                 and not p.refused and p.stored_before is None)


def check_many(con: duckdb.DuckDBPyConnection, files: list[tuple[str, bytes]], *,
               mappings: dict[str, ColumnMapping] | None = None, account: accounts.Account | None = None,
               above: tuple[Preview, ...] = ()) -> Iterator[Preview]:
    """``check`` for several files (name, bytes) chosen together, their previews
    in the same order, each as soon as it is made. The parses run ahead in
    worker processes (``limits.PARSE_WORKERS`` at once) while this thread
    previews the files already parsed, one after another on ``con``: a file's
    dry run and the next files' parses overlap. (Whole previews side by side,
    dry runs on two cursors included, measured no faster on two cores.)
    Each file's data checks take the files before it (after the previews
    ``above``, files listed before these) as stored (``stored_first``), as
    确认全部导入 stores them, which then checks none of them again.
    Closed early (the page's run stopped), it cancels the parses not begun
    and does not wait for the running ones."""
    pool = ThreadPoolExecutor(max_workers=limits.PARSE_WORKERS)
    made: list[Preview] = list(above)
    try:
        parses = [pool.submit(_parse, data, name, mappings, max_mb=None) for name, data in files]
        for (name, data), parse in zip(files, parses, strict=True):
            made.append(_preview_of_parse(con, parse.result(), data, name, account, to_show=True, park=None,
                                          before=stored_first(made, account)))
            yield made[-1]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _parse(data: bytes, file_name: str, mappings: dict[str, ColumnMapping] | None, *,
           max_mb: int | None) -> Parsed | FirmParsed | IngestError:
    """The file parsed in a worker, or the readers' refusal (returned, not
    raised: ``check_many`` parses in threads ahead of the previews)."""
    try:
        return isolate.parse_upload(data, file_name, mappings, max_mb=max_mb)
    except IngestError as exc:
        return exc


def _preview_of_parse(con: duckdb.DuckDBPyConnection, parsed: Parsed | FirmParsed | IngestError, data: bytes,
                      file_name: str, account: accounts.Account | None, *, to_show: bool,
                      park: str | None, before: tuple[Preview, ...] = ()) -> Preview:
    """``check``'s step after the parse: the refusal, the enterprise preview, or the park preview."""
    if isinstance(parsed, IngestError):
        return Preview(file_name, data, error=str(parsed), needs_mapping=isinstance(parsed, NoHeader),
                       bad_cell=(parsed.sheet, parsed.column) if isinstance(parsed, BadCell) else None)
    if isinstance(parsed, FirmParsed):
        return _firm_preview(con, parsed, data, account, to_show, park)
    reason = checks.feeds_nothing(parsed)
    if reason is not None:
        return Preview(file_name, data, error="无法导入：" + reason, needs_mapping=True)
    return _preview(con, parsed, data, account, to_show, before)


def store(con: duckdb.DuckDBPyConnection, preview: Preview, *, by: str | None = None,
          account: accounts.Account | None = None) -> db.UploadResult:
    """Step two: store the preview's parse as ``by``; refused (StoreError) if
    the preview is a refusal or ``account`` may not store one of its parks.
    Written once and rebuilt once; the preview's warnings are stored unless a
    write since the preview can have changed them (then the file's parks are
    checked again inside the same transaction).

    A park sheet stored by a 填报 account is 待审核 (``accounts.needs_review``):
    not in force until a 管理 account approves it (``store.approve``). An
    enterprise file is in force at once whoever stores it: its rows feed the
    firm models and the rebuild's linked parks, which this first part of the
    review cycle (issue 21) does not filter yet."""
    if preview.error is None and preview.firm_parsed is not None:
        return _store_firms(con, preview, by, account)
    if preview.error is not None or preview.parsed is None:
        raise StoreError(preview.error or f"文件「{preview.file_name}」未能读取，未导入")
    if account is not None:
        accounts.check_store(con, account, preview.parsed.parks)
    return db.save(con, preview.parsed, preview.data, by=by, checked=preview.dry_run,
                   pending=accounts.needs_review(account))


def store_many(con: duckdb.DuckDBPyConnection, previews: list[Preview], *, by: str | None = None,
               account: accounts.Account | None = None,
               progress: Callable[[int], None] | None = None) -> list[db.UploadResult | StoreError]:
    """确认全部导入: the previews stored in this order as storing them one by
    one would store them, each's result or the StoreError that refused it
    (the others are stored all the same: nothing half written). Park files
    in a row go to ``db.save_many``: one transaction and one rebuild of the
    derived tables for all of them, each file's warnings as ``store`` would
    have stored them one by one. Enterprise files are stored one by one
    (their rebuild reaches the parks sharing a firm); so is a row of park
    files whose transaction failed, so that the file at fault says why and
    the others are stored. ``progress(i)`` is called before the i-th preview.

    An account's refusal is known before writing: a 填报 account may not
    store a park the store does not know, so no file before it here can
    change which of its parks are refused (only 管理, refused nothing, adds parks)."""
    outcomes: list[db.UploadResult | StoreError | None] = [None] * len(previews)
    waiting: list[int] = []  # park files, in order, not stored yet

    def one(i: int) -> None:
        if progress is not None:
            progress(i)
        try:
            outcomes[i] = store(con, previews[i], by=by, account=account)
        except StoreError as exc:
            outcomes[i] = exc

    def flush() -> None:
        row = list(waiting)
        waiting.clear()
        if not row:
            return
        try:
            results = db.save_many(con, [(previews[i].parsed, previews[i].data, previews[i].dry_run) for i in row],
                                   by=by, progress=None if progress is None else lambda n: progress(row[n]),
                                   pending=accounts.needs_review(account))
        except StoreError:
            for i in row:
                one(i)
            return
        for i, result in zip(row, results, strict=True):
            outcomes[i] = result

    for i, preview in enumerate(previews):
        if preview.error is not None or preview.parsed is None or preview.firm_parsed is not None:
            flush()
            one(i)
            continue
        if account is not None:
            try:
                accounts.check_store(con, account, preview.parsed.parks)
            except StoreError as exc:
                outcomes[i] = exc
                continue
        waiting.append(i)
    flush()
    return outcomes


def _store_firms(con: duckdb.DuckDBPyConnection, preview: Preview, by: str | None,
                 account: accounts.Account | None) -> db.UploadResult:
    """An enterprise file in one transaction (``firms.save_firms``); its rows
    that name no park take ``preview.park``. Refused while the page still asks
    which park; without one, the store refuses rows no register places."""
    if preview.needs_park:
        raise StoreError(f"文件「{preview.file_name}」的企业没有所属园区：请先选择园区再导入")
    if account is not None:
        accounts.check_store(con, account, preview.parks)
    return firms.save_firms(con, preview.firm_parsed, preview.data, by=by, park=preview.park)


def choose_park(con: duckdb.DuckDBPyConnection, preview: Preview, park: str | None,
                account: accounts.Account | None = None) -> Preview:
    """The preview of an enterprise file with ``park`` as the park of its rows
    that name none (the page's question); the same preview when nothing changes."""
    park = display_text(park).strip() if park else None
    if preview.firm_parsed is None or park == preview.park:
        return preview
    return _firm_preview(con, preview.firm_parsed, preview.data, account, True, park or None)


def _firm_preview(con: duckdb.DuckDBPyConnection, parsed: FirmParsed, data: bytes,
                  account: accounts.Account | None, to_show: bool, park: str | None) -> Preview:
    """An enterprise file's preview: its parks (named, placed by the stored
    registers, or ``park``), periods and, to show, its firms and park totals.
    Its data checks run when it is stored (``dry_run`` None)."""
    preview = Preview(file_name=parsed.file_name, data=data, firm_parsed=parsed, park=park,
                      family=parsed.shape, family_title=firm_family_title(parsed.shape),
                      warnings=list(parsed.warnings), value_count=parsed.value_count,
                      stored_before=db.stored_before(con, data),
                      periods=[month_text(p) for p in parsed.periods])
    if not to_show:
        preview.parks = sorted(set(parsed.parks) | ({park} if park else set()))
        return preview
    placed = _placed(con, parsed, park)
    named = sorted({p for s in placed.values() for p in s.dropna().unique()})
    known = db.known_names(con, named)
    canonical = {n: known.get(n, display_text(n)) for n in named}
    placed = {kind: s.map(lambda p: canonical.get(p) if isinstance(p, str) else None) for kind, s in placed.items()}
    unknown = [n for n in named if n not in known]
    preview.parks = sorted(set(canonical.values()))
    preview.new_parks = sorted({canonical[n] for n in unknown})
    preview.suggestions = names.close_parks(con, unknown)
    preview.formula_like = formula_like_names(canonical[n] for n in unknown)
    preview.refused = accounts.refused_parks(con, account, preview.parks) if account is not None else []
    preview.needs_park = parsed.shape == "N2" and park is None and bool(placed["values"].isna().any())
    preview.firms = firm_preview.firm_table(parsed, placed)
    preview.park_totals = firm_preview.park_totals(con, parsed.values, placed["values"])
    preview.findings = []
    preview.skipped = pd.DataFrame([(s.sheet, s.row, s.reason) for s in parsed.skipped],
                                   columns=["sheet", "row", "reason"])
    return preview


_FIRM_PERIOD_COLUMNS = {"identities": "period", "values": "period", "registers": "valid_from",
                        "parcels": "registered", "leading": "valid_from"}


def _placed(con: duckdb.DuckDBPyConnection, parsed: FirmParsed, park: str | None) -> dict[str, pd.Series]:
    out = {}
    for kind, column in _FIRM_PERIOD_COLUMNS.items():
        frame = getattr(parsed, kind)
        for missing in ("credit_code", "org_code"):
            if missing not in frame:
                frame = frame.assign(**{missing: None})
        out[kind] = firm_preview.placed_parks(con, frame, column, park)
    return out


FIRM_TITLES = {"N1": "企业月度台账", "N2": "联网直报导出（企业）", "N3": "入库税收（按纳税人）", "N4": "企业用地（宗地登记）",
               "N5": "企业名录", "N6": "主导产业目录"}


def firm_family_title(shape: str) -> str:
    return f"{shape} {FIRM_TITLES.get(shape, '企业表')}"


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


def _preview(con: duckdb.DuckDBPyConnection, parsed: Parsed, data: bytes, account: accounts.Account | None,
             to_show: bool, before: tuple[Preview, ...] = ()) -> Preview:
    # The dry run first: a write between it and the names below is seen later by
    # db.changed_since (which compares with the dry run's store), never missed.
    dry_run = _dry_run(con, parsed, before) if to_show else None
    known = db.known_names(con, parsed.parks)
    canonical = {name: known.get(name, display_text(name)) for name in parsed.parks}
    unknown = [n for n in parsed.parks if n not in known]
    shown = ({"findings": dry_run.findings if dry_run is not None else [_busy()], **_shown(parsed, canonical)}
             if to_show else {})
    return Preview(
        file_name=parsed.file_name,
        data=data,
        parsed=parsed,
        family=parsed.family,
        family_title=family_title(parsed.family),
        parks=sorted(set(canonical.values())),
        new_parks=sorted({canonical[n] for n in unknown}),
        suggestions=names.close_parks(con, unknown),
        formula_like=formula_like_names(canonical[n] for n in unknown),
        refused=accounts.refused_parks(con, account, parsed.parks) if account is not None else [],
        warnings=list(parsed.warnings),
        value_count=parsed.value_count,
        dry_run=dry_run,
        stored_before=db.stored_before(con, data),
        **shown,
    )


LAND_USED = "亩均所用"
LAND_APART = "按原名另存，不用于亩均"


def _land_roles(obs: pd.DataFrame) -> tuple[dict[str, str], str]:
    """With two land columns in a file (``用地面积`` and ``已供工业用地``) both
    would read 用地面积: the preview's name for each (which one 亩均 divides
    by, which one is kept under its own name) and a sentence naming their
    columns. Empty with one land column."""
    apart = sorted({i for i in obs["indicator"].astype(object).unique() if is_land_kept_apart(i)})
    if not apart:
        return {}, ""
    names = {"land_area": f"{indicator_zh('land_area')}［{LAND_USED}］", **{i: f"{i}［{LAND_APART}］" for i in apart}}

    def columns(indicators: list[str]) -> str:
        rows = obs[obs["indicator"].isin(indicators)]
        where = rows["column"] if "column" in rows and rows["column"].notna().all() else rows["indicator"]
        return "、".join(dict.fromkeys(where.astype(str)))

    return names, f"{LAND_USED}：{columns(['land_area'])}；{LAND_APART}：{columns(apart)}"


def formula_like_names(names) -> list[str]:
    """Park names that start as a spreadsheet formula would (``=SUM(A1)``,
    ``-1``, ``@x``): stored and shown literally, never run (exports give them
    an apostrophe), but more often a slip of the sheet than a name, so the
    page asks before storing one."""
    return sorted({n for n in names if str(n).startswith(FORMULA_STARTS)})


def _shown(parsed: Parsed, canonical: dict[str, str]) -> dict:
    """The periods, indicators, units and the values, growth, industries and
    skipped rows as the preview shows them."""
    obs = parsed.observations
    land_names, land_columns = _land_roles(obs)

    def name(indicator: str) -> str:
        return land_names.get(indicator) or indicator_zh(indicator)

    values = pd.DataFrame({
        "park": obs["park"].map(canonical),
        "indicator": obs["indicator"].map(name),
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
    return {
        "periods": [month_text(p) for p in parsed.periods],
        "indicators": [i if i == "产业结构" else f"{name(i)}（{indicator_unit(i)}）" for i in indicators],
        "units": units,
        "land_columns": land_columns,
        "values": values.reset_index(drop=True),
        "growth": growth.reset_index(drop=True),
        "industries": industries.reset_index(drop=True),
        "skipped": skipped,
    }


def _dry_run(con: duckdb.DuckDBPyConnection, parsed: Parsed, before: tuple[Preview, ...] = ()) -> db.DryRun | None:
    """The data checks on the store with the file (after the files ``before``)
    in it, rolled back. None if the database was busy with another writer:
    storing checks again."""
    try:
        return db.dry_run(con, parsed, tuple((p.parsed, p.rows_key) for p in before))
    except duckdb.TransactionException:
        return None


def _busy():
    return checks.Finding("reader", f"数据审核：{BUSY}", detail=BUSY)


def _catalogue_order(indicator: str) -> tuple[int, str]:
    ids = list(INDICATOR_BY_ID)
    return (ids.index(indicator), "") if indicator in INDICATOR_BY_ID else (len(ids), indicator)


def history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every upload, newest first, with its state as a code (``active``,
    ``demo``, ``undone``, and for one not in force ``pending`` 待审核 or
    ``returned`` 已退回; the page labels it), in Chinese (``status``), who
    stored and undid it and who reviewed it ("" where not recorded), and the
    reason it was returned."""
    frame = db.list_uploads(con, include_undone=True)
    undone = frame["undone_at"].notna()
    state = pd.Series("active", index=frame.index, dtype=object)
    state[frame["is_demo"].astype(bool)] = "demo"
    state[frame["review_status"] == db.PENDING] = "pending"
    state[frame["review_status"] == db.RETURNED] = "returned"
    state[undone] = "undone"
    status = state.map(STATUS_ZH)

    def text(column: str) -> pd.Series:
        return frame[column].astype(object).where(frame[column].notna(), "")

    out = frame.assign(state=state, status=status, can_undo=~undone, at=frame["at"].str.replace("T", " "),
                       uploaded_by=text("uploaded_by"), undone_by=text("undone_by"), reviewed_by=text("reviewed_by"),
                       reviewed_at=text("reviewed_at").str.replace("T", " "), return_reason=text("return_reason"))
    return out.iloc[::-1].reset_index(drop=True)


def review_values(con: duckdb.DuckDBPyConnection, upload_id: int) -> pd.DataFrame:
    """The values an upload stored, as its preview showed them (park, indicator,
    period, basis, value, unit): what the 管理 account reviewing it opens."""
    rows = sql.query(con, "reads/upload_values", upload_id=upload_id)
    return pd.DataFrame({
        "park": rows["park"], "indicator": rows["indicator"].map(indicator_zh),
        "period": rows["period"].map(month_text), "basis": rows["basis"].map(BASIS_ZH),
        "value": rows["value"].astype("float64"), "unit": rows["indicator"].map(indicator_unit),
    }, columns=["park", "indicator", "period", "basis", "value", "unit"])
