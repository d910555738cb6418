"""Connections and cached reads for the app.

One DuckDB connection per process (``st.cache_resource``) and a cursor per
script thread (see _threads): a connection shared across threads returns empty results or
"connection is busy" under concurrency. Pages read through one door,
``query(name, **params)`` (the named reads of parkbench/models/reads.py);
cached reads take the data version as a key, so an upload or undo
invalidates them. The other functions here hold logic: connections, the demo
switch, writes, the briefing and chart images.

Two databases, never mixed: the real store (``PARKBENCH_DB`` or
data/parkbench.duckdb), which only uploads write to, and the demo, a
database of its own built from data/demo/ by the normal ingest
(``demo.open_demo``). Pages read ``cursor()``: the demo while the real
store holds no real data, or while the user chose 查看示例数据; the real
store otherwise. Uploads, undo and column mappings always go to the real
store. The version key names the database, so cached reads never cross.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import duckdb
import pandas as pd
import streamlit as st

from parkbench import store, upload
from parkbench.ingest import templates
from parkbench.models import alerts, checks, evaluation, leading, metrics, peers, reads
from parkbench.output import images
from parkbench.store import accounts, demo, names
from ui.i18n import t

DEMO_CHOICE = "_parkbench_view_demo"  # session: True while the user chose to look at the demo


@st.cache_resource(show_spinner="正在打开数据库…")
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    con = store.connect(path)
    store.leave_demo_if_real(con)  # a store from before the demo had its own database
    return con


BUSY = ("数据库文件正被另一个程序（例如命令行导入、恢复）占用，暂时无法打开。"
        "请等它完成后刷新页面；如一直如此，请联系管理员。")


def open_database() -> str | None:
    """Open the store when the app starts (the entry script calls this on
    every run; it is cached after the first). A Chinese sentence if it cannot
    be opened, never a traceback; the next run tries again."""
    try:
        _connection(store.db_target())
    except store.DatabaseBusy:
        return BUSY
    except store.StoreError as exc:
        return str(exc)
    except duckdb.Error as exc:
        return f"无法打开数据库（{type(exc).__name__}），请联系管理员检查数据库文件。"
    return None


@st.cache_resource(show_spinner="正在准备示例数据…")
def _demo_connection() -> duckdb.DuckDBPyConnection:
    return demo.open_demo()


# Cursors are per thread, not per session: with fast reruns Streamlit starts a
# session's next run on a new thread while the previous one may still be inside
# a query, and a cursor used by two threads at once refuses ("connection is busy").
_threads = threading.local()


def _thread_cursor(key: str, connection) -> duckdb.DuckDBPyConnection:
    cursors = getattr(_threads, "cursors", None)
    if cursors is None:
        cursors = _threads.cursors = {}
    if key not in cursors:
        cursors[key] = connection().cursor()
    return cursors[key]


def real_cursor() -> duckdb.DuckDBPyConnection:
    """This thread's cursor on the real store (uploads, undo, mappings)."""
    path = store.db_target()
    real = _thread_cursor(f"real::{path}", lambda: _connection(path))
    _follower(path)  # on PostgreSQL: what other servers store, taken in every second
    return real


@st.cache_resource(show_spinner=False)
def _follower(path: str):
    """One thread per process taking in other servers' writes (None on a DuckDB file)."""
    return store.follow_in_background(_connection(path))


def _demo_cursor() -> duckdb.DuckDBPyConnection:
    return _thread_cursor("demo", _demo_connection)


def has_real_data() -> bool:
    return store.has_real_data(real_cursor())


def showing_demo() -> bool:
    """True while pages read the demo database (never with PARKBENCH_NO_DEMO set)."""
    if not store.demo_enabled():
        return False
    return bool(st.session_state.get(DEMO_CHOICE)) or not has_real_data()


def view_demo(on: bool) -> None:
    """查看示例数据 (True) or back to the real data (False); the real store is untouched."""
    st.session_state[DEMO_CHOICE] = on


def cursor() -> duckdb.DuckDBPyConnection:
    """This session's cursor on the database the pages show, for what the pages
    write there (peer groups, schemes, 调档 …); reads go through ``reading_cursor``."""
    return _demo_cursor() if showing_demo() else real_cursor()


# ---------------------------------------------------------------- approved figures, or pending ones too

PENDING_PARAM = "pending"  # ?pending=1: the pages include uploads waiting for review (待审核)
PENDING_SWITCH = "_pending_switch"  # session: the sidebar switch, which keeps ?pending=1 across pages


def include_pending() -> bool:
    """True when the URL asks for pending uploads too (``?pending=1``, or the
    sidebar switch this session turned on) and some wait. By default every page,
    export, evaluation and briefing shows approved figures only."""
    asked = st.session_state.get(PENDING_SWITCH)
    if asked is None:
        asked = st.query_params.get(PENDING_PARAM) == "1"
    return bool(asked) and not showing_demo() and store.has_pending(real_cursor())


def reading_cursor() -> duckdb.DuckDBPyConnection:
    """The cursor the pages read: ``cursor()``, or with ``?pending=1`` a cursor of
    this thread that reads pending uploads as if approved (``store.include_pending``:
    models built once per data version in a schema of their own, shared by every
    session). Never written through: a rebuild there would store pending figures
    in the shared models."""
    if not include_pending():
        return cursor()
    path = store.db_target()
    shadowed = _thread_cursor(f"pending::{path}", lambda: _connection(path))
    with st.spinner(t("正在计入待审核数据…", "Including data awaiting review…")):
        store.include_pending(shadowed)  # builds only when the data version changed
    return shadowed


def version() -> tuple:
    """Cache key of what the pages show: which database (the real one with or
    without pending uploads), and its data version."""
    if showing_demo():
        return ("demo", *store.data_version(_demo_cursor()))
    return ("real+pending" if include_pending() else "real", *store.data_version(real_cursor()))


def real_version() -> tuple:
    return ("real", *store.data_version(real_cursor()))


# ---------------------------------------------------------------- the read door

def query(name: str, **params):
    """The one read door of the pages: run the named read (parkbench/models/reads.py)
    on the database the pages show. Reads that change only with an upload or undo
    are cached by the data version, so an upload or undo refreshes them; the
    small tables users edit directly (peer groups, schemes, 调档, thresholds) are
    read afresh."""
    if reads.READS[name].follows_uploads:
        return _cached_read(version(), name, params)
    return reads.run(reading_cursor(), name, **params)


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_read(version_key: tuple, name: str, params: dict):
    return reads.run(reading_cursor(), name, **params)


# ---------------------------------------------------------------- 报送进度 and 数据审核

@st.cache_resource(show_spinner=False, max_entries=4)
def open_findings(version_key: tuple, reader: accounts.Account,
                  parks: tuple[str, ...] | None = None) -> checks.Warnings:
    """The open warnings grouped as findings, once per data version and reader
    (a warning naming a firm is shown in full to its park's readers only). A
    resource, not data: hundreds of thousands of cells are not copied on every
    rerun, and nothing changes them once grouped."""
    warnings = checks.open_findings(reading_cursor(), reader=reader, parks=list(parks) if parks else None)
    warnings.findings  # noqa: B018 — group before caching
    return warnings


# ---------------------------------------------------------------- uploads

def mappings_key() -> tuple:
    return store.mappings_version(real_cursor())


def check_upload(content: bytes, name: str, account: accounts.Account, previous=None,
                 above: tuple[upload.Preview, ...] = ()) -> upload.Preview:
    """Step one of the upload verb on the real store (never the demo): the
    file's preview with its data checks (taking the files ``above`` it that
    确认全部导入 stores first as stored) and the parks ``account`` may not
    store; ``previous`` is reused while no write can have changed it."""
    cur = real_cursor()
    mappings = store.load_mappings(cur) if previous is None else None
    return upload.check(cur, content, name, mappings=mappings, account=account, previous=previous, above=above)


def check_uploads(files: list[tuple[str, bytes]], account: accounts.Account,
                  above: tuple[upload.Preview, ...] = ()) -> Iterator[upload.Preview]:
    """``check_upload`` for new files (name, bytes) chosen together, listed
    after the previews ``above``, each preview as it is made
    (``upload.check_many``: parsed ahead)."""
    cur = real_cursor()
    yield from upload.check_many(cur, files, mappings=store.load_mappings(cur), account=account, above=above)


def save_upload(preview: upload.Preview, account: accounts.Account) -> tuple[store.UploadResult, bool]:
    """Step two: store a previewed file in the real store if the account may
    store every park of it (refused with an AccountError otherwise); the data
    version changes, so every cached read refreshes. Returns the result and
    whether the app left the demo because of it (the first real upload, or the
    user was viewing it)."""
    was_demo = showing_demo()
    result = upload.store(real_cursor(), preview, by=account.username, account=account)
    view_demo(False)
    return result, was_demo


def save_uploads(previews: list[upload.Preview], account: accounts.Account,
                 progress=None) -> tuple[list[store.UploadResult | store.StoreError], bool]:
    """确认全部导入: ``save_upload`` for several previews at once
    (``upload.store_many``: each its result or the error that refused it).
    Returns them and whether the app left the demo because of them."""
    was_demo = showing_demo()
    outcomes = upload.store_many(real_cursor(), previews, by=account.username, account=account, progress=progress)
    stored = any(isinstance(outcome, store.UploadResult) for outcome in outcomes)
    if stored:
        view_demo(False)
    return outcomes, was_demo and stored


def choose_upload_park(preview: upload.Preview, park: str | None, account: accounts.Account) -> upload.Preview:
    """An enterprise file's preview with ``park`` for its rows that name none (upload.choose_park)."""
    return upload.choose_park(real_cursor(), preview, park, account)


def upload_park_choices() -> list[str]:
    """The parks of the real store, for the question which park an enterprise file belongs to."""
    return _park_names(real_version())


@st.cache_data(show_spinner=False)
def _park_names(version_key: tuple) -> list[str]:
    return metrics.park_names(real_cursor())


def undo_upload(upload_id: int, account: accounts.Account) -> str:
    accounts.check_undo(real_cursor(), account, upload_id)
    return store.undo(real_cursor(), upload_id, by=account.username)


# ---------------------------------------------------------------- review (报送 → 审核)

def approve_upload(upload_id: int, account: accounts.Account) -> str:
    """审核通过 as ``account`` (管理 only); the data version changes, so every cached read refreshes."""
    accounts.check_review(account)
    return store.approve(real_cursor(), upload_id, by=account.username)


def return_upload(upload_id: int, reason: str, account: accounts.Account) -> str:
    """退回 with a reason as ``account`` (管理 only)."""
    accounts.check_review(account)
    return store.return_upload(real_cursor(), upload_id, reason, by=account.username)


@st.cache_data(show_spinner=False, max_entries=64)
def review_values(version_key: tuple, upload_id: int) -> pd.DataFrame:
    """The values of an upload waiting for review, as its preview showed them."""
    return upload.review_values(real_cursor(), upload_id)


@st.cache_resource(show_spinner=False, max_entries=16)
def upload_findings(version_key: tuple, upload_id: int) -> checks.Warnings:
    """The data checks stored with an upload: what its uploader saw in the preview."""
    warnings = checks.upload_findings(real_cursor(), upload_id)
    warnings.findings  # noqa: B018 — group before caching
    return warnings


def may_undo(upload_id: int, account: accounts.Account) -> bool:
    return accounts.may_undo(real_cursor(), account, upload_id)


def may_review(account: accounts.Account) -> bool:
    return accounts.may_review(account)


def save_mapping(signature: str, mapping, file_name: str) -> None:
    store.save_mapping(real_cursor(), signature, mapping, file_name)


def accept_alias(name: str, park: str) -> None:
    """是否为：… — yes: the spelling becomes an alias of the known park."""
    names.accept_alias(real_cursor(), name, park)


@st.cache_data(show_spinner=False)
def history(version_key: tuple) -> pd.DataFrame:
    return upload.history(real_cursor())


@st.cache_data(show_spinner=False)
def template(family: str) -> bytes:
    return templates.template_xlsx(family)


# ---------------------------------------------------------------- peer groups (writes) and chart images

def save_peer_group(name: str, parks: list[str]) -> str:
    return peers.save_group(cursor(), name, parks)


def delete_peer_group(name: str) -> bool:
    return peers.delete_group(cursor(), name)


@st.cache_data(show_spinner=False, max_entries=64)
def chart_image(spec_json: str, kind: str) -> bytes:
    """The chart as a document image: "word" or "slide" PNG, or "svg"."""
    return images.svg(spec_json) if kind == "svg" else images.png(spec_json, images.PRESETS[kind])


# ---------------------------------------------------------------- briefing

@st.cache_data(show_spinner=False, max_entries=16)
def briefing(version_key: tuple, park: str, period: str, group: str | None, lang: str,
             reader: accounts.Account | None = None, firm_scheme=None):
    """The briefing's content with its three chart images (slow: cached per data
    version, reader and scheme): its 企业 section only for a ``reader`` who may see
    the park's firms, the class-D firms only with ``firm_scheme``."""
    from parkbench.output import briefing as made

    return made.build(reading_cursor(), park, period, group, lang, reader=reader, firm_scheme=firm_scheme)


@st.cache_data(show_spinner=False, max_entries=16)
def briefing_file(version_key: tuple, park: str, period: str, group: str | None, lang: str, suffix: str,
                  reader: accounts.Account | None = None, firm_scheme=None) -> bytes:
    from parkbench.output import briefing as made

    return made.render(briefing(version_key, park, period, group, lang, reader, firm_scheme), suffix)


# ---------------------------------------------------------------- evaluation and alerts (writes)

def save_scheme(scheme) -> int:
    return evaluation.save_scheme(cursor(), scheme)


def delete_scheme(scheme_id: int) -> None:
    evaluation.delete_scheme(cursor(), scheme_id)


def adjust_class(scheme, period: str, group: str | None, park: str, to_class: str, reason: str, by: str) -> dict:
    return evaluation.adjust(cursor(), scheme, period, group, park, to_class, reason, by)


def adjust_firm_class(scheme, period: str, enterprise_id: int, to_class: str, reason: str, by: str,
                      account: accounts.Account, population) -> dict:
    from parkbench.models import firm_evaluation

    return firm_evaluation.adjust_firm(cursor(), scheme, period, enterprise_id, to_class, reason, by,
                                       reader=account, population=population)


def save_alert_settings(values: dict[str, float]) -> dict[str, float]:
    return alerts.save_settings(cursor(), values)


# ---------------------------------------------------------------- leading industries (writes)

def save_leading_groups(park: str, groups: list, account: accounts.Account) -> str:
    """Save a park's leading groups on the database the pages show (as other settings are);
    saved as an upload, so the data version changes and cached reads refresh."""
    return leading.save_groups(cursor(), park, groups, by=account.username)


def save_name_codes(rows: list[tuple[str, str]], account: accounts.Account) -> str:
    """Save the name → code table. It rebuilds the models without an upload, so the
    cached reads are cleared here."""
    message = leading.save_name_codes(cursor(), rows, by=account.username)
    _cached_read.clear()
    return message
