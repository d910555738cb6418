"""The DuckDB store: schema and migrations, parks and aliases, one
transaction per file (or per 确认全部导入: ``save_many``), uploads and undo.

Every change to the data ends by rebuilding the materialised models of the
parks it touched (``sql.build_tables``) inside the same transaction, so a
reader never sees values without their metrics.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pandas as pd

from parkbench import limits, paths
from parkbench.catalog import INDICATORS
from parkbench.errors import AlreadyReviewed, AlreadyUndone, DatabaseBusy, StoreError
from parkbench.ingest.mapped import ColumnMapping
from parkbench.ingest.model import Parsed
from parkbench.ingest.normalize import display_text, fold
from parkbench.models import sql
from parkbench.store import firms, names, postgres

REGISTRY_CSV = paths.DATA_DIR / "park_registry.csv"
INDUSTRY_CODES_CSV = paths.DATA_DIR / "gbt4754_2017.csv"  # GB/T 4754-2017 门类 and 大类, shipped as data
SCHEMA_DIR = sql.QUERIES_DIR / "schema"


INCOMING_VIEWS = ("incoming_rows", "incoming_parks")  # frames registered by _insert


# One writer at a time in this process. The app gives every browser session
# its own cursor on one connection; two sessions storing at once would
# otherwise both rebuild the models and one would fail with DuckDB's
# "write-write conflict". Readers are not held up: they see the last commit.
_WRITER = threading.RLock()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, action: str):
    """``begin`` … ``commit`` under the writer lock: all of it or, on any error,
    none of it. A DuckDB error reaches the caller as a ``StoreError`` in
    Chinese saying the database did not change.

    On PostgreSQL (``postgres.Mirror``) the same block also holds the lock of
    every server's writers, starts from PostgreSQL's last commit, and sends
    what it changed there, committed before DuckDB's commit."""
    with _WRITER:
        mirror = postgres.mirror_of(con)
        with mirror.locked(action) if mirror else nullcontext() as pg:
            if mirror:
                mirror.pull(con, pg)
            con.execute("begin")
            sent = False
            try:
                with sql.recording_rebuilds() as rebuilt:
                    yield
                version = None
                if mirror:
                    version = mirror.push(con, pg, rebuilt)
                    mirror.commit(action)
                    sent = True
                con.execute("commit")
            except BaseException as exc:
                try:
                    con.execute("rollback")
                except duckdb.Error:
                    pass  # a failed commit has already rolled back
                _unregister(con)  # frames of a failed insert (an aborted transaction refuses to drop them)
                if sent:
                    mirror.forget()  # PostgreSQL has the write, this copy does not: reload it
                if isinstance(exc, duckdb.Error):
                    raise StoreError(_in_chinese(exc, action)) from exc
                raise
            if mirror:
                mirror.pushed(version)


def refresh(con: duckdb.DuckDBPyConnection) -> bool:
    """On PostgreSQL: take in what other servers stored since. True if
    anything changed; always False on a DuckDB file (and while this process
    is writing: the write takes it in itself)."""
    mirror = postgres.mirror_of(con)
    if mirror is None or not _WRITER.acquire(blocking=False):
        return False  # a write in progress here brings the copy up to date itself
    try:
        return mirror.refresh(con)
    finally:
        _WRITER.release()


def follow_in_background(con: duckdb.DuckDBPyConnection) -> threading.Thread | None:
    """On PostgreSQL: a daemon thread that takes in other servers' writes
    every second (``refresh`` on a cursor of its own), so that no page run
    waits for the rebuild they cause; pages read the last commit meanwhile.
    None on a DuckDB file. The thread ends with the connection: when it is
    closed, or dropped and collected (a cursor outlives its connection, so
    the thread watches the connection itself, not its own cursor); a thread
    left behind would keep looking, holding the writer lock at each look,
    for a store long gone."""
    if postgres.mirror_of(con) is None:
        return None
    cursor = con.cursor()
    connection = weakref.ref(con)

    def follow() -> None:
        while connection() is not None:
            try:
                refresh(cursor)
            except StoreError as exc:  # the database server away for a moment: try again
                logging.getLogger(__name__).warning("%s", exc)
            except duckdb.Error:
                return  # the connection was closed
            time.sleep(postgres.REFRESH_EVERY)

    thread = threading.Thread(target=follow, name="parkbench-follow", daemon=True)
    thread.start()
    return thread


def _unregister(con: duckdb.DuckDBPyConnection) -> None:
    for view in INCOMING_VIEWS:
        try:
            con.unregister(view)
        except duckdb.Error:
            pass


def _in_chinese(exc: duckdb.Error, action: str) -> str:
    unchanged = f"{action}未完成，数据库没有任何改变"
    if isinstance(exc, duckdb.TransactionException):
        return f"另一项保存或撤销正在进行，{unchanged}；请稍后重试"
    if isinstance(exc, duckdb.OutOfMemoryException):
        return f"服务器内存不足，{unchanged}；请稍后重试或拆分文件"
    if isinstance(exc, duckdb.IOException):
        return f"写入数据库文件失败（磁盘已满或没有写权限？），{unchanged}；请联系管理员"
    return f"数据库出错（{type(exc).__name__}），{unchanged}；请联系管理员"


def db_target(explicit: str | os.PathLike | None = None) -> str:
    """``--db``, else ``PARKBENCH_DB``, else data/parkbench.duckdb: a file's
    path, or a ``postgresql://`` URL (the store on PostgreSQL)."""
    return str(explicit or os.environ.get("PARKBENCH_DB") or paths.default_db())


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database file (``db_target`` as a path; a PostgreSQL URL has none)."""
    target = db_target(explicit)
    if postgres.is_url(target):
        raise StoreError(f"数据库在 PostgreSQL 服务器上（{postgres.shown(target)}），不是一个文件；"
                         "备份与恢复请用 pg_dump 与 pg_restore（见 docs/deploy.md）")
    return Path(target)


def on_server(explicit: str | os.PathLike | None = None) -> bool:
    """True when the store is on a PostgreSQL server rather than a DuckDB file."""
    return postgres.is_url(db_target(explicit))


def connect(path: str | os.PathLike | None = None) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the database and bring its schema up to date.
    ``":memory:"`` gives a fresh in-memory store; a ``postgresql://`` URL the
    store on PostgreSQL (parkbench/store/postgres.py), copied into memory or
    into the file ``PARKBENCH_CACHE`` (one per server: a restart then reloads
    only what changed, not a province's every row and model)."""
    if str(path) != ":memory:" and postgres.is_url(db_target(path)):
        return postgres.open_store(db_target(path), os.environ.get("PARKBENCH_CACHE") or None, _open,
                                   apply_schema, migrate)
    target = ":memory:" if str(path) == ":memory:" else str(db_path(path))
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    con = _open(target)
    migrate(con)
    return con


def _open(target: str) -> duckdb.DuckDBPyConnection:
    try:
        con = duckdb.connect(target)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseBusy(
                f"数据库 {target} 正被另一个进程（例如正在运行的 ParkBench 应用）占用；"
                "请先停止该进程，或用 --db 指定另一个数据库文件。") from None
        raise StoreError(f"无法打开数据库 {target}：{exc}") from None
    con.execute(f"set memory_limit = '{int(limits.STORE_MEMORY_MB)}MB'")  # an integer from settings
    con.execute("set enable_progress_bar = false")  # a long rebuild would draw DuckDB's bar in the terminal
    return con


def apply_schema(con: duckdb.DuckDBPyConnection, upto: int | None = None) -> tuple[int, bool]:
    """Apply the schema files newer than the database's version (up to
    ``upto``): (the version before, whether any was applied)."""
    con.execute("create table if not exists schema_migrations "
                "(version integer primary key, applied_at timestamp default current_timestamp)")
    current = con.execute("select coalesce(max(version), 0) from schema_migrations").fetchall()[0][0]
    applied = False
    for path in sorted(SCHEMA_DIR.glob("*.sql")):
        version = int(path.name.split("_", 1)[0])
        if version > current and (upto is None or version <= upto):
            con.execute("begin")
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("insert into schema_migrations (version) values (?)", [version])
            con.execute("commit")
            applied = True
    return current, applied


def migrate(con: duckdb.DuckDBPyConnection) -> None:
    """Apply schema files newer than the database's version, seed the
    indicator catalogue and the park registry, and create the model views."""
    current, applied = apply_schema(con)
    if applied and current > 0:
        sql.drop_tables(con)  # materialised under the old schema: rebuilt below by create_views
        sql.drop_schema(con, PENDING_SCHEMA)  # likewise; rebuilt when someone next includes pending uploads
    con.executemany(
        "insert or replace into indicators values (?, ?, ?, ?, ?)",
        [(i.id, i.zh, i.en, i.kind, i.unit) for i in INDICATORS])
    if con.execute("select count(*) from parks").fetchall()[0][0] == 0:
        seed_registry(con)
    seed_industry_codes(con)
    sql.create_views(con)


def seed_industry_codes(con: duckdb.DuckDBPyConnection, path: Path = INDUSTRY_CODES_CSV) -> None:
    """The GB/T 4754-2017 names (门类 and 大类), so that codes read as names everywhere."""
    with path.open(encoding="utf-8") as f:
        rows = pd.DataFrame([(r["code"], r["level"], r["section"], r["name"]) for r in csv.DictReader(f)],
                            columns=["code", "level", "section", "name"])
    # one statement (executemany took 0.4 s of every connect)
    con.register("industry_code_rows", rows)
    try:
        con.execute("insert or replace into industry_codes select code, level, section, name from industry_code_rows")
    finally:
        con.unregister("industry_code_rows")


def seed_registry(con: duckdb.DuckDBPyConnection, path: Path = REGISTRY_CSV) -> None:
    with path.open(encoding="utf-8") as f:
        for entry in csv.DictReader(f):
            park_id = ensure_park(con, entry["name"], entry["province"] or None, entry["county"] or None)
            for alias in filter(None, entry["aliases"].split("|")):
                add_alias(con, alias, park_id)


# ---------------------------------------------------------------- parks

def find_park(con: duckdb.DuckDBPyConnection, name: str) -> int | None:
    rows = con.execute("select park_id from park_aliases where alias = ?", [fold(name)]).fetchall()
    return rows[0][0] if rows else None


def ensure_park(con: duckdb.DuckDBPyConnection, name: str, province: str | None = None,
                county: str | None = None) -> int:
    """The park a name refers to, created if no park or alias matches it."""
    park_id = find_park(con, name)
    if park_id is not None:
        return park_id
    park_id = con.execute(
        "insert into parks (name, province, county) values (?, ?, ?) returning park_id",
        [display_text(name), province, county]).fetchall()[0][0]
    add_alias(con, name, park_id)
    return park_id


def resolve_parks(con: duckdb.DuckDBPyConnection, names: list[str]) -> dict[str, int]:
    """Park ids for many names at once (one look-up, then one insert per new
    park): a thousand-park file must not cost three thousand queries."""
    folded = {name: fold(name) for name in names}
    known = dict(con.execute("select alias, park_id from park_aliases where list_contains($aliases, alias)",
                             {"aliases": sorted(set(folded.values()))}).fetchall())
    new = {}  # folded key → display name, first spelling wins
    for name, key in folded.items():
        if key not in known:
            new.setdefault(key, display_text(name))
    if new:
        created = con.execute(
            "insert into parks (name) select unnest($names) returning name, park_id",
            {"names": list(new.values())}).fetchall()
        by_name = dict(created)
        rows = [(key, by_name[name]) for key, name in new.items()]
        con.execute("insert or replace into park_aliases select unnest($aliases), unnest($ids)",
                    {"aliases": [k for k, _ in rows], "ids": [i for _, i in rows]})
        known.update(rows)
    return {name: known[key] for name, key in folded.items()}


def known_parks(con: duckdb.DuckDBPyConnection, names: list[str]) -> dict[str, tuple[int, str]]:
    """The park id and stored name of each of ``names`` the store knows (by name
    or alias), in one query, writing nothing; an unknown name is absent. A
    preview of a thousand-park file once asked two queries per name."""
    folded = {name: fold(name) for name in names}
    known = {alias: (park_id, name) for alias, park_id, name in con.execute(
        "select a.alias, p.park_id, p.name from park_aliases as a join parks as p using (park_id) "
        "where list_contains($aliases, a.alias)", {"aliases": sorted(set(folded.values()))}).fetchall()}
    return {name: known[key] for name, key in folded.items() if key in known}


def known_names(con: duckdb.DuckDBPyConnection, names: list[str]) -> dict[str, str]:
    """The stored name of each of ``names`` the store knows (see ``known_parks``)."""
    return {name: stored for name, (_, stored) in known_parks(con, names).items()}


def add_alias(con: duckdb.DuckDBPyConnection, alias: str, park_id: int) -> None:
    con.execute("insert or replace into park_aliases values (?, ?)", [fold(alias), park_id])


# ---------------------------------------------------------------- uploads

@dataclass
class UploadResult:
    upload_id: int
    file_name: str
    parks: list[str]
    periods: list[dt.date]
    values: int
    warnings: list[str]
    findings: list = field(default_factory=list)  # parkbench.models.checks.Finding, stored with the upload
    left_demo: bool = False  # this upload retired demo data found in the same database
    pending: bool = False  # stored 待审核: not in force until a 管理 account approves it

    def summary(self) -> str:
        span = (f"{self.periods[0]:%Y-%m}～{self.periods[-1]:%Y-%m}" if self.periods else "无期间")
        text = (f"{self.file_name}：已导入（上传编号 {self.upload_id}）；园区 {len(self.parks)} 个"
                f"（{names.park_list(self.parks)}）；期间 {span}；数值 {self.values} 个")
        if self.findings:
            text += f"；审核提示 {len(self.findings)} 条（见“数据质量”）"
        if self.left_demo:
            text += "；此前载入的示例数据已移除，不与真实数据混合"
        if self.pending:
            text += "；状态：待审核（管理员审核通过后计入各页面）"
        return text


def save(con: duckdb.DuckDBPyConnection, parsed: Parsed, data: bytes, is_demo: bool = False,
         by: str | None = None, checked: DryRun | None = None, pending: bool = False) -> UploadResult:
    """Store one parsed file in one transaction (under the writer lock): all of
    it, or (on any error) none. The data checks (parkbench.models.checks) run on the
    result inside the same transaction and their warnings are stored with the
    upload; ``checked``, the dry run of a preview, is stored instead when no
    write since it can change them (``changed_since``), so a confirmed preview
    is written and rebuilt once and checked not at all. ``by`` is who stored
    it (account, 本机 or 命令行), kept in uploads.uploaded_by.

    ``pending`` (a 填报 account's upload, with accounts on) stores it 待审核:
    its rows are kept but not in force, so nothing is rebuilt, and its checks
    are those of a dry run (the file as if in force, which is what the
    reviewer decides on), run before the transaction when the preview's are stale.

    Demo data and real data never share a database's active values: a real
    upload retires the demo uploads it finds (``left_demo``), and demo data
    is refused where real data is in force."""
    from parkbench.models import checks

    if is_demo and has_real_data(con):
        raise StoreError("该数据库已有真实数据，示例数据不会载入其中；请用 --db 指定一个单独的数据库查看示例数据")
    if checked is not None and checked.before:  # checked after files above it, stored here without them
        checked = None
    if pending and (checked is None or changed_since(con, checked, names=False)):
        checked = dry_run(con, parsed)
    with transaction(con, f"导入「{parsed.file_name}」"):
        still_valid = checked is not None and (pending or not changed_since(con, checked, names=False))
        left_demo = False if is_demo else _retire_demo(con)
        upload_id, park_ids = _write(con, parsed, data, is_demo, by, everything=left_demo, pending=pending)
        if is_demo:
            findings = []
        elif still_valid:
            findings = checked.findings_for(park_ids)
        else:
            findings = checks.run(con, parsed, upload_id)
        checks.store_findings(con, upload_id, findings)
    canonical = con.execute(
        "select name from parks where park_id in (select unnest(?)) order by name",
        [sorted(set(park_ids.values()))]).fetchall()
    return UploadResult(upload_id, parsed.file_name, [r[0] for r in canonical], parsed.periods,
                        parsed.value_count, parsed.warnings, findings, left_demo, pending)


def save_many(con: duckdb.DuckDBPyConnection, files: list[tuple[Parsed, bytes, DryRun | None]],
              by: str | None = None, progress: Callable[[int], None] | None = None,
              pending: bool = False) -> list[UploadResult]:
    """Store several parsed files (parse, bytes, the dry run of its preview or
    None), in this order, in one transaction: all of them or, on any error,
    none (the caller may then store them one by one to learn which). Each file
    gets its own upload and the warnings ``save`` would store for it if the
    files were stored one by one in this order, but the derived tables are
    rebuilt once, at the end, over every park (and year) the files touched,
    instead of once per file.

    A file's warnings are those of its preview's dry run while no write since
    it (the files before it here included) can change them (``changed_since``),
    or, for a dry run made with the files before it taken as stored
    (``DryRun.before``, previews of files chosen together), while exactly
    those files come before it here and nothing else was written since;
    otherwise the dry run runs again inside this transaction, on the store
    with the files before it written: what storing them one by one does (the
    page previews a file again before storing it). The dry run builds its own
    models from the base rows, so it needs no rebuild of the store's tables
    between the files. ``progress(i)`` is called before the i-th file.
    Real uploads only (demo data is stored with ``save``). ``pending`` (a 填报
    account's files) stores them all 待审核, as ``save`` does: nothing of theirs
    is rebuilt, and each is checked against the approved figures (the files
    before it here are not in force either)."""
    from parkbench.models import checks

    written, keys = [], {}
    with transaction(con, f"导入 {len(files)} 个文件"):
        fresh = _fresh_before_writing(con, files, pending)
        left_demo = _retire_demo(con)
        for i, (parsed, data, checked) in enumerate(files):
            if progress is not None:
                progress(i)
            if checked is not None and checked.before:
                holds = fresh[i] and checked.before == _stored_first_here(con, parsed, written, keys)
            else:
                holds = checked is not None and not changed_since(con, checked, names=False)
            if not holds:
                try:
                    checked = _checked(con, parsed)
                finally:
                    _drop_checked(con)
            upload_id, park_ids = _write_rows(con, parsed, data, False, by, pending)
            findings = checked.findings_for(park_ids)
            checks.store_findings(con, upload_id, findings)
            written.append((upload_id, parsed, park_ids, findings, _earliest_period(con, upload_id)))
        if left_demo:
            sql.build_tables(con)
        elif written and not pending:
            starts = [start for *_, start in written]
            sql.build_tables(con, {i for _, _, ids, _, _ in written for i in ids.values()},
                             since=None if None in starts else min(starts))
    names = dict(con.execute("select park_id, name from parks where list_contains($ids, park_id)",
                             {"ids": sorted({i for _, _, ids, _, _ in written for i in ids.values()})}).fetchall())
    return [UploadResult(upload_id, parsed.file_name, sorted({names[i] for i in park_ids.values()}), parsed.periods,
                         parsed.value_count, parsed.warnings, findings, left_demo and n == 0, pending)
            for n, (upload_id, parsed, park_ids, findings, _) in enumerate(written)]


def _fresh_before_writing(con, files: list[tuple[Parsed, bytes, DryRun | None]], pending: bool) -> list[bool]:
    """For each file whose dry run took files above it as stored
    (``DryRun.before``): whether no write since that dry run can change its
    warnings, asked before this row writes anything. Never for ``pending``
    files (the files before them are not in force either)."""
    return [checked is not None and bool(checked.before) and not pending
            and not changed_since(con, checked, names=False) for _, _, checked in files]


def _stored_first_here(con, parsed: Parsed, written: list, keys: dict[int, str]) -> tuple[str, ...]:
    """The files written before this one in ``save_many``'s row that wrote
    rows of one of its parks (as the store names them now), as ``rows_key``
    (kept in ``keys`` by upload id): a dry run that took exactly those as
    stored holds."""
    ids = {i for i in _known_ids(con, parsed.parks).values() if i is not None}
    sharing = [(upload_id, earlier) for upload_id, earlier, park_ids, _, _ in written if ids & set(park_ids.values())]
    for upload_id, earlier in sharing:
        if upload_id not in keys:
            keys[upload_id] = rows_key(earlier)
    return tuple(keys[upload_id] for upload_id, _ in sharing)


def rows_key(parsed: Parsed) -> str:
    """A digest of the rows a file stores (parks as spelled, indicators,
    periods, bases, values, industries): what a dry run counts of a file
    above. Not the bytes' digest: the same bytes read otherwise under another
    file name (a period taken from the name) or column mapping."""
    digest = hashlib.sha256()
    for table, columns in _PARK_ROWS.items():
        frame = getattr(parsed, _PARSED_FRAME[table])[_row_columns(columns)]
        digest.update(f"{table}:{len(frame)}:".encode())
        if not frame.empty:
            digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def _row_columns(columns: list[str]) -> list[str]:
    """A parse's columns for the store's ``columns`` (park names, not ids; no upload id)."""
    return ["park", *(c for c in columns if c not in ("park_id", "upload_id"))]


@dataclass
class DryRun:
    """The data-check warnings a file would raise, and the store they were
    found on: its data version, and the park id each of the file's spellings
    had (None: a park the store did not know). ``scratch_ids``
    are the ids the rolled-back write gave the spellings, which the findings
    carry; storing maps them to the ids the real write gives.

    Files chosen together: ``above``, the files (``rows_key``, in order)
    offered as listed above this one, and ``before``, those of them with
    rows of one of its parks, which the dry run took as stored first. Only
    ``save_many`` writing exactly those before it, on the same store, keeps
    such a dry run. ``park_ids`` then covers their spellings too."""

    findings: list
    version: tuple
    park_ids: dict[str, int | None]
    scratch_ids: dict[str, int]
    above: tuple[str, ...] = ()
    before: tuple[str, ...] = ()

    def findings_for(self, park_ids: dict[str, int]) -> list:
        """The findings with the park ids of the stored upload (spelling → id)."""
        moved = {self.scratch_ids[name]: park_ids[name] for name in self.scratch_ids if name in park_ids}
        return [replace(f, park_id=moved.get(f.park_id, f.park_id)) if f.park_id is not None else f
                for f in self.findings]


def dry_run(con: duckdb.DuckDBPyConnection, parsed: Parsed, above: tuple[tuple[Parsed, str], ...] = ()) -> DryRun:
    """The data-check warnings storing this file would raise, without storing
    it and without the writer lock, so that previews do not queue behind each
    other or behind a save: the rows of the file's parks, with the file's rows
    added as ``save`` would add them, are copied into temporary tables of this
    connection (DuckDB's, which shadow the store's tables for this connection
    only), the models are built on them and the checks run there; rolling the
    transaction back drops them all. No model or check reads across parks, so
    the file's parks alone give the warnings the whole store gives
    (tests/test_upload_verb.py compares with a save, demo data in force too).

    ``above``: the files listed above this one (parse, ``rows_key``), which
    确认全部导入 stores first, in this order: those with rows of this file's parks are
    taken as stored, their rows of those parks added under upload ids of
    their own before this file's (tests/test_store_many.py compares with
    storing them first)."""
    con.execute("begin")  # one snapshot of the store for everything read below
    try:
        return _checked(con, parsed, above)
    finally:
        con.execute("rollback")


def _checked(con: duckdb.DuckDBPyConnection, parsed: Parsed, above: tuple[tuple[Parsed, str], ...] = ()) -> DryRun:
    """The dry run's work on the state the caller's open transaction sees,
    leaving its temporary tables behind (``dry_run`` rolls them back,
    ``save_many`` drops them)."""
    from parkbench.models import checks

    version = data_version(con)
    before = _sharing_parks(con, parsed, above)
    # The files before first: a new park takes the spelling of the first file that stores it.
    spellings = list(dict.fromkeys([*(name for earlier, _ in before for name in earlier.parks), *parsed.parks]))
    known = _known_ids(con, spellings)
    upload_id = version[1] + 1 + len(before)  # after every upload and the files before, as the store's sequence gives
    scratch_all = _scratch_parks(con, spellings, known)
    scratch_ids = {name: scratch_all[name] for name in parsed.parks}
    park_ids = sorted(set(scratch_ids.values()))
    # Of the files before, only the rows of this file's parks matter (no check compares two parks).
    shared = {name: i for name, i in scratch_all.items() if i in set(park_ids)}
    for table, columns in _PARK_ROWS.items():
        _copy_park_rows(con, table, park_ids)
        if before:
            _insert(con, f"temp.{table}", _rows_before(before, _PARSED_FRAME[table], columns, version[1]),
                    shared, None, columns)
        _insert(con, f"temp.{table}", getattr(parsed, _PARSED_FRAME[table]), scratch_ids, upload_id, columns)
    database = _this_database(con)
    for name in _stored_models():  # model names come from the files under queries/
        con.execute(f"create temp table {sql.model_name(name)} as select * from {database}.main.{sql.model_name(name)} "
                    "where list_contains($ids, park_id)", {"ids": park_ids})
    for name, kind in _dry_run_models():  # model names come from the files under queries/
        con.execute(f"create temp {kind} {sql.model_name(name)} as {sql.load(name)}")
    return DryRun(checks.run(con, parsed, upload_id), version, known, scratch_ids,
                  tuple(key for _, key in above), tuple(key for _, key in before))


def counted_above(con: duckdb.DuckDBPyConnection, parsed: Parsed, above: tuple[tuple[Parsed, str], ...]) -> tuple[str, ...]:
    """The ``rows_key`` of the files of ``above`` a dry run of this file
    would count now (``DryRun.before``): those sharing one of its parks as
    the store names them now (an alias accepted since can add one)."""
    return tuple(key for _, key in _sharing_parks(con, parsed, above))


def _sharing_parks(con, parsed: Parsed, above: tuple[tuple[Parsed, str], ...]) -> tuple[tuple[Parsed, str], ...]:
    """The files of ``above`` with rows of one of this file's parks: a park
    the store knows under one of their spellings, or a new one under the
    same folded name (``resolve_parks`` makes one park of those)."""
    if not above:
        return ()
    known = _known_ids(con, list(dict.fromkeys([*parsed.parks, *(n for p, _ in above for n in p.parks)])))

    def parks(names) -> set:
        return {known[n] if known[n] is not None else fold(n) for n in names}

    mine = parks(parsed.parks)
    return tuple((p, key) for p, key in above if parks(p.parks) & mine)


def _rows_before(before: tuple[tuple[Parsed, str], ...], frame: str, columns: list[str],
                 last_upload_id: int) -> pd.DataFrame:
    """One frame of the rows (``frame`` of each parse) of the files before,
    with the columns ``_insert`` reads, each with the upload id its file
    would be stored under (after ``last_upload_id``, in order); ``_insert``
    keeps those of the parks it is given."""
    wanted = _row_columns(columns)
    parts = [rows.assign(upload_id=last_upload_id + 1 + n) for n, (earlier, _) in enumerate(before)
             if not (rows := getattr(earlier, frame)[wanted]).empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*wanted, "upload_id"])


def _drop_checked(con: duckdb.DuckDBPyConnection) -> None:
    """Drop what ``_checked`` made, dependants first, inside the caller's
    transaction: the store's tables of the same names are seen again."""
    for name, kind in reversed(_dry_run_models()):  # names from the files under queries/
        con.execute(f"drop {kind} if exists temp.{sql.model_name(name)}")
    for name in _stored_models():
        con.execute(f"drop table if exists temp.{sql.model_name(name)}")
    for table in (*_PARK_ROWS, "park_aliases", "parks"):
        con.execute(f"drop table if exists temp.{table}")


@functools.cache
def _dry_run_models() -> tuple[tuple[str, str], ...]:
    """The models a dry run builds: those the checks read, and what they read
    in turn, materialised as a rebuild does, that read a table the file's
    rows go to (``_SHADOWED``). The others (metric_values and the metrics
    under it) are not built: nothing reads them before the rollback, and
    building them was a third of a preview's time. Nor are the firms' models
    (``_stored_models``)."""
    return tuple((name, kind) for name, kind in _checks_models() if sql.reads_any(name, _SHADOWED))


@functools.cache
def _stored_models() -> tuple[str, ...]:
    """The tables among the checks' models that read no table a dry run
    shadows: the park sums over firms (int_enterprise_park_flows), which no
    park sheet changes. A dry run copies their stored rows of the file's parks
    (the store rebuilds them with every write) instead of building them again
    from every firm of the store: a third of a preview's time with no firm
    stored at all, and most of it with 30,000. The views among them are left
    to read the store."""
    return tuple(name for name, kind in _checks_models() if kind == "table" and not sql.reads_any(name, _SHADOWED))


@functools.cache
def _checks_models() -> tuple[tuple[str, str], ...]:
    """The models the checks read, and what they read in turn (dependency order)."""
    return sql.with_what_they_read(sql.models_read_by("checks"))


# The tables a park's rows live in, with the columns ``_write`` inserts a file's rows into.
_PARK_ROWS = {
    "observations": ["park_id", "indicator", "period", "basis", "value", "upload_id"],
    "reported_growth": ["park_id", "indicator", "period", "basis", "value", "upload_id"],
    "industries": ["park_id", "period", "industry", "is_leading", "output", "firms", "upload_id"],
}
_PARSED_FRAME = {"observations": "observations", "reported_growth": "growth", "industries": "industries"}
# The tables a dry run shadows with temporary ones: the park rows with the file's added, and the parks.
_SHADOWED = (*_PARK_ROWS, "parks", "park_aliases")


def _scratch_parks(con, spellings: list[str], known: dict[str, int | None]) -> dict[str, int]:
    """Temporary parks and aliases for the file's spellings: the known parks as
    they are, each new one (one per folded name, first spelling wins, as
    ``resolve_parks``) under a negative id no stored park has."""
    new: dict[str, tuple[int, str]] = {}  # folded name → (scratch id, display name)
    ids = {}
    for name in spellings:
        if known[name] is not None:
            ids[name] = known[name]
        else:
            ids[name] = new.setdefault(fold(name), (-1 - len(new), display_text(name)))[0]
    database = _this_database(con)
    con.execute(f"create temp table parks as select * from {database}.main.parks "
                "where list_contains($ids, park_id)", {"ids": sorted({i for i in ids.values() if i > 0})})
    con.execute(f"create temp table park_aliases as select * from {database}.main.park_aliases "
                "where list_contains($ids, park_id)", {"ids": sorted({i for i in ids.values() if i > 0})})
    if new:
        con.execute("insert into temp.parks (park_id, name) select unnest($ids), unnest($names)",
                    {"ids": [i for i, _ in new.values()], "names": [n for _, n in new.values()]})
        con.execute("insert into temp.park_aliases select unnest($aliases), unnest($ids)",
                    {"aliases": list(new), "ids": [i for i, _ in new.values()]})
    return ids


def _copy_park_rows(con, table: str, park_ids: list[int]) -> None:
    """A temporary copy of ``table``'s rows of these parks, without the rows of
    demo uploads in force (a real upload retires them, ``_retire_demo``)."""
    database = _this_database(con)  # the table is one of _PARK_ROWS, never user text
    con.execute(f"create temp table {table} as select * from {database}.main.{table} "
                f"where list_contains($ids, park_id) and upload_id not in "
                f"(select upload_id from {database}.main.uploads where is_demo and undone_at is null)",
                {"ids": park_ids})


def _this_database(con) -> str:
    """The store's catalog name, quoted: ``main.x`` alone would name a temporary table once one exists."""
    name = con.execute("select current_database()").fetchall()[0][0]
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class StoredBefore:
    """An upload in force of a file with the same bytes."""

    upload_id: int
    file_name: str
    uploaded_at: dt.datetime

    def sentence(self) -> str:
        return (f"此文件已于 {self.uploaded_at:%Y-%m-%d %H:%M} 导入（上传编号 {self.upload_id}，"
                f"文件名「{self.file_name}」）")


def stored_before(con: duckdb.DuckDBPyConnection, data: bytes) -> StoredBefore | None:
    """The upload in force of the very same file, if it was stored before."""
    rows = sql.query(con, "reads/same_file_stored", sha256=hashlib.sha256(data).hexdigest())
    if rows.empty:
        return None
    row = rows.iloc[0]
    return StoredBefore(int(row["upload_id"]), str(row["file_name"]), pd.Timestamp(row["uploaded_at"]).to_pydatetime())


def changed_since(con: duckdb.DuckDBPyConnection, checked: DryRun, *, names: bool = True) -> bool:
    """Whether a write since the dry run may change its warnings (or, with
    ``names``, the preview's names). No check compares two parks
    (checks._upload_parks), so an upload since then matters only if it touched
    a park of this file, or wrote firm rows (which may feed any park's sums); a
    spelling of the file that names another park now (a park created, an
    alias added) counts, and so does an undo or a review step. Demo data
    retired by a real upload does not: a dry run leaves the demo rows out
    (``_copy_park_rows``) and demo uploads have no firm rows.

    A preview (``names``) of a file with a park the store did not know is made
    again after any upload: a park close to its name may have come, and the
    preview asks about it. Its warnings (``names=False``, what storing needs)
    stay: the new park's rows are the file's alone."""
    known_now = _known_ids(con, list(checked.park_ids))
    if known_now != checked.park_ids:
        return True
    version = data_version(con)
    if version == checked.version:
        return False
    last_before = checked.version[1]
    if version[3:] != checked.version[3:]:  # a review step, or an undo of a real upload
        return True
    if names and None in known_now.values():
        return True
    if sql.query(con, "reads/firm_rows_written_since", last_upload_id=last_before)["written"].iloc[0]:
        return True
    touched = set(sql.query(con, "reads/parks_written_since", last_upload_id=last_before)["park_id"])
    return bool(touched & set(known_now.values()))


def _known_ids(con, spellings: list[str]) -> dict[str, int | None]:
    """The park id each spelling names now (None if none), in one look-up."""
    folded = {name: fold(name) for name in spellings}
    known = dict(con.execute("select alias, park_id from park_aliases where list_contains($aliases, alias)",
                             {"aliases": sorted(set(folded.values()))}).fetchall())
    return {name: known.get(key) for name, key in folded.items()}


def _write(con, parsed: Parsed, data: bytes, is_demo: bool, by: str | None = None,
           everything: bool = False, pending: bool = False) -> tuple[int, dict[str, int]]:
    """Insert a file's rows and rebuild the derived rows of the parks (and years)
    it touched; ``everything`` rebuilds every park (after demo values were retired).
    A ``pending`` upload (待审核) rebuilds nothing of its own: its rows are not in
    force (included_uploads) until ``approve`` rebuilds its parks as this would have."""
    upload_id, park_ids = _write_rows(con, parsed, data, is_demo, by, pending)
    if everything:  # demo values retired: every park, whatever this upload's state
        sql.build_tables(con)
    elif not pending:
        sql.build_tables(con, park_ids.values(), since=_earliest_period(con, upload_id))
    return upload_id, park_ids


def _write_rows(con, parsed: Parsed, data: bytes, is_demo: bool, by: str | None,
                pending: bool = False) -> tuple[int, dict[str, int]]:
    """Insert a file's upload and rows (into the *_all tables, schema 011),
    rebuilding nothing: (upload id, spelling → park id). ``pending``: 待审核,
    the step recorded in upload_reviews."""
    upload_id = con.execute("select nextval('upload_id_seq')").fetchall()[0][0]
    con.execute(
        "insert into uploads (upload_id, file_name, sha256, family, row_count, is_demo, uploaded_by) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        [upload_id, parsed.file_name, hashlib.sha256(data).hexdigest(), parsed.family,
         parsed.value_count, is_demo, by])
    park_ids = resolve_parks(con, parsed.parks)
    for table, columns in _PARK_ROWS.items():
        _insert(con, f"{table}_all", getattr(parsed, _PARSED_FRAME[table]), park_ids, upload_id, columns)
    if pending:
        con.execute("update uploads set review_status = 'pending' where upload_id = ?", [upload_id])
        _record_review(con, upload_id, "submitted", by)
    return upload_id, park_ids


def leave_demo_if_real(con: duckdb.DuckDBPyConnection) -> bool:
    """A store that holds both real uploads and demo uploads in force (from
    before the demo had a database of its own) drops the demo values. True if
    it did."""
    if not (has_real_data(con) and demo_in_use(con)):
        return False
    with transaction(con, "移除示例数据"):
        _retire_demo(con)
        sql.build_tables(con)
    return True


def _retire_demo(con) -> bool:
    """Inside the caller's transaction: remove the values of active demo
    uploads (marked undone). True if there were any."""
    ids = [r[0] for r in con.execute(
        "select upload_id from uploads where is_demo and undone_at is null").fetchall()]
    for upload_id in ids:
        for table in _PARK_ROWS:
            con.execute(f"delete from {table}_all where upload_id = ?", [upload_id])
        firms.delete_upload_rows(con, upload_id)
        con.execute("update uploads set undone_at = current_timestamp where upload_id = ?", [upload_id])
    return bool(ids)


def _insert(con, table: str, frame: pd.DataFrame, park_ids: dict[str, int], upload_id: int | None,
            columns: list[str]) -> None:
    """Insert a reader's rows, joining park names to ids inside DuckDB (a
    Python map over a million rows costs more than the insert). ``upload_id``
    None: the frame's own upload_id column (a dry run's files before)."""
    if frame.empty:
        return
    ids = pd.DataFrame({"park": list(park_ids), "park_id": list(park_ids.values())})
    con.register("incoming_rows", frame)
    con.register("incoming_parks", ids)
    try:
        # table and columns come from this module's own constants; values travel as parameters.
        given = upload_id is not None
        selected = ", ".join("p.park_id" if c == "park_id" else "$upload_id" if c == "upload_id" and given
                             else f"r.{c}" for c in columns)
        con.execute(f"insert into {table} ({', '.join(columns)}) select {selected} "
                    "from incoming_rows r join incoming_parks p on p.park = r.park",
                    {"upload_id": upload_id} if given else None)
    finally:
        _unregister(con)  # keeps the insert's own error, not "transaction aborted" from here


def undo(con: duckdb.DuckDBPyConnection, upload_id: int, by: str | None = None) -> str:
    """Remove an upload's values; what it had replaced is in force again, and
    the derived rows of the parks (and years) it touched are rebuilt. The check
    that it is not undone yet runs inside the write's transaction (under the
    writer lock, and on PostgreSQL after the copy took in other servers'
    writes), so of two people confirming the same undo, on one server or two,
    the second is told it is done already. ``by`` is
    who undid it, kept in uploads.undone_by and as a step of upload_reviews.
    An upload not in force (待审核, 已退回) rebuilds nothing. Who may undo what
    (an approved upload: 管理 only, with accounts on) is accounts.check_undo."""
    with transaction(con, f"撤销上传 {upload_id}"):
        rows = con.execute("select file_name, undone_at, review_status from uploads where upload_id = ?",
                           [upload_id]).fetchall()
        row = rows[0] if rows else None
        if row is None:
            raise StoreError(f"没有编号为 {upload_id} 的上传记录")
        if row[1] is not None:
            raise AlreadyUndone(f"上传 {upload_id}（{row[0]}）已于 {row[1]:%Y-%m-%d %H:%M} 撤销过，无需再次撤销")
        in_force = row[2] == APPROVED
        touched = _park_ids_of(con, upload_id)
        since = _earliest_period(con, upload_id)
        if firms.touches_enterprises(con, upload_id):  # read before its rows go
            touched = sorted({*touched, *firms.rebuilt_parks(con, upload_id)})
            firm_since = firms.upload_since(con, upload_id)
            since = None if firm_since is None else min(d for d in (since, firm_since) if d is not None)
        for table in _PARK_ROWS:
            con.execute(f"delete from {table}_all where upload_id = ?", [upload_id])
        firms.delete_upload_rows(con, upload_id)
        con.execute("update uploads set undone_at = current_timestamp, undone_by = ? where upload_id = ?",
                    [by, upload_id])
        _record_review(con, upload_id, "undone", by)
        if in_force:
            sql.build_tables(con, touched, since=since)
    return f"已撤销上传 {upload_id}（{row[0]}），该文件导入前的数据已恢复"


def _park_ids_of(con, upload_id: int) -> list[int]:
    """The parks an upload's park rows name, whatever its review state."""
    return [r[0] for r in con.execute(
        "select park_id from observations_all where upload_id = $id union select park_id from reported_growth_all "
        "where upload_id = $id union select park_id from industries_all where upload_id = $id",
        {"id": upload_id}).fetchall()]


# ---------------------------------------------------------------- review (报送 → 审核)

APPROVED, PENDING, RETURNED = "approved", "pending", "returned"
REVIEW_ZH = {APPROVED: "已通过", PENDING: "待审核", RETURNED: "已退回"}


def _record_review(con, upload_id: int, action: str, by: str | None, reason: str | None = None) -> None:
    """One step of the cycle in upload_reviews (submitted, approved, returned, undone)."""
    con.execute("insert into upload_reviews (upload_id, action, reason, done_by) values (?, ?, ?, ?)",
                [upload_id, action, reason, by])


def _pending_upload(con, upload_id: int) -> str:
    """The file name of an upload waiting for review, else a StoreError saying why not."""
    rows = con.execute("select file_name, undone_at, review_status, reviewed_by from uploads where upload_id = ?",
                       [upload_id]).fetchall()
    if not rows:
        raise StoreError(f"没有编号为 {upload_id} 的上传记录")
    file_name, undone_at, status, reviewed_by = rows[0]
    if undone_at is not None:
        raise AlreadyUndone(f"上传 {upload_id}（{file_name}）已撤销，无法审核")
    if status != PENDING:
        who = f"（{reviewed_by}）" if reviewed_by else ""
        raise AlreadyReviewed(f"上传 {upload_id}（{file_name}）{REVIEW_ZH.get(status, status)}{who}，不在待审核状态")
    return file_name


def approve(con: duckdb.DuckDBPyConnection, upload_id: int, by: str | None = None) -> str:
    """审核通过: a pending upload comes into force, and the derived rows of its
    parks (from its earliest year) are rebuilt, as storing it would have. The
    state is checked inside the write's transaction (on PostgreSQL after the
    copy took in other servers' writes), so of two reviewers, on one server
    or two, the second is told it is reviewed already."""
    with transaction(con, f"审核通过上传 {upload_id}"):
        file_name = _pending_upload(con, upload_id)
        con.execute("update uploads set review_status = 'approved', reviewed_by = ?, "
                    "reviewed_at = current_timestamp, return_reason = null where upload_id = ?", [by, upload_id])
        _record_review(con, upload_id, "approved", by)
        sql.build_tables(con, _park_ids_of(con, upload_id), since=_earliest_period(con, upload_id))
    return f"上传 {upload_id}（{file_name}）已审核通过，其数值已计入各页面"


def return_upload(con: duckdb.DuckDBPyConnection, upload_id: int, reason: str, by: str | None = None) -> str:
    """退回: a pending upload stays out of force for good, with the reason the
    uploader sees; they upload a corrected file again. Its rows are kept (the
    reviewer's record of what was sent); nothing derived changes."""
    reason = str(reason or "").strip()  # as typed: full-width punctuation kept
    if not reason:
        raise StoreError("退回须填写原因，上传人会看到它")
    with transaction(con, f"退回上传 {upload_id}"):
        file_name = _pending_upload(con, upload_id)  # checked in the transaction, as approve's
        con.execute("update uploads set review_status = 'returned', reviewed_by = ?, "
                    "reviewed_at = current_timestamp, return_reason = ? where upload_id = ?",
                    [by, reason, upload_id])
        _record_review(con, upload_id, "returned", by, reason)
    return f"上传 {upload_id}（{file_name}）已退回，原因：{reason}"


def review_status(con: duckdb.DuckDBPyConnection, upload_id: int) -> str | None:
    """approved, pending or returned (None: no such upload)."""
    rows = con.execute("select review_status from uploads where upload_id = ?", [upload_id]).fetchall()
    return rows[0][0] if rows else None


def review_steps(con: duckdb.DuckDBPyConnection, upload_id: int) -> pd.DataFrame:
    """The steps of one upload's review, oldest first: action, reason, done_by, done_at."""
    return con.execute("select action, reason, done_by, done_at from upload_reviews where upload_id = ? "
                       "order by review_id", [upload_id]).df()


def has_pending(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("select count(*) from uploads where review_status = 'pending' and undone_at is null"
                       ).fetchall()[0][0] > 0


PENDING_SCHEMA = "with_pending"  # the models built with pending uploads in force (include_pending)


def include_pending(con: duckdb.DuckDBPyConnection) -> None:
    """Make this cursor read pending uploads (待审核) as if approved: its search
    path puts the schema ``with_pending`` before main. That schema holds an
    included_uploads of approved and pending uploads, the views observations,
    reported_growth and industries over it, and every model (views and
    materialised tables) built on them, so every read (pages, exports,
    evaluations, briefings) follows; other cursors are untouched. It is built
    once per data version, for every session alike, when a cursor first asks
    (``_build_pending``), under the writer lock. Only for reading: a write
    through this cursor would rebuild the shared models from pending rows."""
    _build_pending(con)
    con.execute(f"set search_path = '{PENDING_SCHEMA},main'")


def drop_pending(con: duckdb.DuckDBPyConnection) -> None:
    """Undo ``include_pending`` on this cursor."""
    con.execute("set search_path = 'main'")


def _pending_stamp(con) -> str:
    """What the pending figures were built from: the data version and the models' SQL."""
    return f"{tuple(data_version(con))!r} {sql.models_digest()}"


def _pending_built(con) -> str | None:
    rows = con.execute("select 1 from information_schema.tables where table_schema = $s and table_name = 'built_for'",
                       {"s": PENDING_SCHEMA}).fetchall()
    if not rows:
        return None
    return con.execute(f"select stamp from {PENDING_SCHEMA}.built_for").fetchall()[0][0]


def _build_pending(con) -> None:
    """(Re)build the schema ``with_pending`` unless it is current. A full build
    of the models, so its cost follows the store, paid once per upload, review
    or undo, and only while someone reads with pending uploads included."""
    if _pending_built(con) == _pending_stamp(con):
        return
    with transaction(con, "计入待审核数据"):
        if _pending_built(con) == _pending_stamp(con):  # another session built it meanwhile
            return
        sql.drop_schema(con, PENDING_SCHEMA)
        schema = PENDING_SCHEMA  # a constant of this module; model names come from the files under queries/
        con.execute(f"create schema {schema}")
        search_path = con.execute("select current_setting('search_path')").fetchall()[0][0]
        try:
            con.execute(f"set search_path = '{schema},main'")
            con.execute(f"create view {schema}.included_uploads as select upload_id from main.uploads "
                        "where review_status in ('approved', 'pending') and undone_at is null")
            for table in _PARK_ROWS:
                con.execute(f"create view {schema}.{table} as select * from main.{table}_all "
                            f"where upload_id in (select upload_id from {schema}.included_uploads)")
            for name, kind in sql.MODELS:
                con.execute(f"create {kind} {schema}.{sql.model_name(name)} as {sql.load(name)}")
            con.execute(f"create table {schema}.built_for as select $stamp as stamp", {"stamp": _pending_stamp(con)})
        finally:
            con.execute(f"set search_path = '{search_path or 'main'}'")


def _earliest_period(con: duckdb.DuckDBPyConnection, upload_id: int) -> dt.date | None:
    """The earliest period an upload's rows speak of: the rebuild starts from its
    year. A restated prior-year value (上年同期, basis ``*_prior``) is printed
    with this year's period but stands in for the year before, so it counts a
    year earlier."""
    return con.execute(
        "select min(period) from (select case when basis like '%\\_prior' escape '\\' "
        "then (period - interval 1 year)::date else period end as period "
        "from observations_all where upload_id = $id union all "
        "select period from reported_growth_all where upload_id = $id union all "
        "select period from industries_all where upload_id = $id)", {"id": upload_id}).fetchall()[0][0]


def upload_parks(con: duckdb.DuckDBPyConnection, upload_id: int) -> dict[int, str]:
    """The parks (id → canonical name) whose values an upload stored."""
    return dict(sql.query(con, "reads/upload_parks", upload_id=upload_id).itertuples(index=False, name=None))


def list_uploads(con: duckdb.DuckDBPyConnection, include_undone: bool = False,
                 review_status: str | None = None) -> pd.DataFrame:
    """The upload history, oldest first; ``review_status`` (approved, pending,
    returned) keeps the uploads not undone in that state."""
    return sql.query(con, "reads/uploads", include_undone=include_undone, review_status=review_status)


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("select count(*) from observations").fetchall()[0][0] == 0


def data_version(con: duckdb.DuckDBPyConnection) -> tuple:
    """Changes whenever stored data changes: a cache key for the app. Its last
    two fields change only with what can change figures in force after the
    fact (an approval or a return — a submission, which changes nothing in
    force, is counted by the uploads alone; an undo of a real upload, where
    the third counts demo data retired too): ``changed_since``."""
    return con.execute(
        "select count(*), coalesce(max(upload_id), 0), count(undone_at), "
        "(select count(*) from upload_reviews where action <> 'submitted'), "
        "count(undone_at) filter (where not is_demo) from uploads").fetchall()[0]


def canonical_name(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """The canonical name of a park given any alias or spelling (the text itself if unknown)."""
    park_id = find_park(con, name)
    if park_id is None:
        return display_text(name)
    return con.execute("select name from parks where park_id = ?", [park_id]).fetchall()[0][0]


def has_uploads(con: duckdb.DuckDBPyConnection) -> bool:
    """True once anything was ever uploaded (so an emptied store is not refilled with demo data)."""
    return con.execute("select count(*) from uploads").fetchall()[0][0] > 0


def has_real_data(con: duckdb.DuckDBPyConnection) -> bool:
    """True when an upload that is not demo data is in force."""
    return con.execute(
        "select count(*) from uploads where not is_demo and undone_at is null").fetchall()[0][0] > 0


def demo_enabled() -> bool:
    """The app offers the demo unless ``PARKBENCH_NO_DEMO`` is set (a deployment
    that must show only real data, or a test of the empty state)."""
    return not os.environ.get("PARKBENCH_NO_DEMO")


def demo_in_use(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute(
        "select count(*) from uploads where is_demo and undone_at is null").fetchall()[0][0] > 0


# ---------------------------------------------------------------- column mappings

def save_mapping(con: duckdb.DuckDBPyConnection, signature: str, mapping: ColumnMapping,
                 file_name: str | None = None) -> None:
    """Remember a column mapping for sheets with this signature (replacing an older one)."""
    problems = mapping.problems()
    if problems:
        raise StoreError("列映射不完整：" + "；".join(problems))
    if not signature:
        raise StoreError("表头行是空的，无法保存列映射")
    with transaction(con, "保存列映射"):
        sql.execute(con, "mappings/save_mapping", signature=signature, header_row=int(mapping.header_row),
                    mapping=mapping.to_json(), file_name=file_name)


def load_mappings(con: duckdb.DuckDBPyConnection) -> dict[str, ColumnMapping]:
    """Every remembered mapping by signature, for ``parse_file``."""
    frame = sql.query(con, "mappings/list_mappings")
    return {r.signature: ColumnMapping.from_json(r.header_row, r.mapping) for r in frame.itertuples(index=False)}


def delete_mapping(con: duckdb.DuckDBPyConnection, signature: str) -> None:
    with transaction(con, "删除列映射"):
        sql.execute(con, "mappings/delete_mapping", signature=signature)


def mappings_version(con: duckdb.DuckDBPyConnection) -> tuple:
    """Changes whenever a mapping is saved or deleted: a cache key for parsing."""
    return con.execute("select count(*), max(updated_at) from column_mappings").fetchall()[0]
