"""Connections and cached reads for the app.

One DuckDB connection per process (``st.cache_resource``) and a cursor per
script thread (see _threads): a connection shared across threads returns empty results or
"connection is busy" under concurrency. Cached reads take the data version
as a key, so an upload or undo invalidates them.

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

import duckdb
import pandas as pd
import streamlit as st

from parkbench import preview, store
from parkbench.ingest import templates
from parkbench.models import alerts, benchmark, checks, evaluation, metrics, peers, status
from parkbench.output import images
from parkbench.store import accounts, demo, names

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
        _connection(str(store.db_path()))
    except store.DatabaseBusy:
        return BUSY
    except (store.StoreError, duckdb.Error) as exc:
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
    path = str(store.db_path())
    return _thread_cursor(f"real::{path}", lambda: _connection(path))


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
    """This session's cursor on the database the pages show."""
    return _demo_cursor() if showing_demo() else real_cursor()


def version() -> tuple:
    """Cache key of what the pages show: which database, and its data version."""
    if showing_demo():
        return ("demo", *store.data_version(_demo_cursor()))
    return ("real", *store.data_version(real_cursor()))


def real_version() -> tuple:
    return ("real", *store.data_version(real_cursor()))


@st.cache_data(show_spinner=False)
def key_figures(version_key: tuple, period=None) -> pd.DataFrame:
    return metrics.key_figures(cursor(), period)


@st.cache_data(show_spinner=False)
def compare(version_key: tuple, metric: str, period: str, parks: tuple[str, ...] | None) -> pd.DataFrame:
    return metrics.compare(cursor(), metric, period, list(parks) if parks else None)


@st.cache_data(show_spinner=False)
def periods(version_key: tuple, metric: str | None = None) -> list:
    return metrics.periods(cursor(), metric)


@st.cache_data(show_spinner=False)
def park_names(version_key: tuple) -> list[str]:
    return metrics.park_names(cursor())


def demo_in_use(version_key: tuple) -> bool:
    return version_key[0] == "demo"


# ---------------------------------------------------------------- 报送进度 and 数据审核

@st.cache_data(show_spinner=False)
def status_summary(version_key: tuple, parks: tuple[str, ...] | None = None) -> status.Summary:
    return status.summary(cursor(), list(parks) if parks else None)


def default_period(version_key: tuple, parks: tuple[str, ...] | None = None):
    return status_summary(version_key, parks).default_period


@st.cache_data(show_spinner=False)
def status_grid(version_key: tuple, parks: tuple[str, ...] | None = None) -> pd.DataFrame:
    return status.grid(cursor(), list(parks) if parks else None)


@st.cache_resource(show_spinner=False, max_entries=4)
def open_findings(version_key: tuple, parks: tuple[str, ...] | None = None) -> checks.Warnings:
    """The open warnings grouped as findings, once per data version. A resource,
    not data: hundreds of thousands of cells are not copied on every rerun, and
    nothing changes them once grouped."""
    warnings = checks.open_findings(cursor(), list(parks) if parks else None)
    warnings.findings  # noqa: B018 — group before caching
    return warnings


@st.cache_data(show_spinner=False)
def flagged_metrics(version_key: tuple, period, parks: tuple[str, ...] | None = None) -> pd.DataFrame:
    return checks.flagged_metrics(cursor(), period, list(parks) if parks else None)


# ---------------------------------------------------------------- uploads

def mappings_key() -> tuple:
    return store.mappings_version(real_cursor())


def names_key() -> tuple:
    """Changes when an alias is added (a yes to 是否为：…？)."""
    return real_cursor().execute("select count(*) from park_aliases").fetchall()[0]


def save_upload(parsed, data: bytes, account: accounts.Account) -> tuple[store.UploadResult, bool]:
    """Store one file in the real store if the account may store every park of
    it (refused with an AccountError otherwise); the data version changes, so
    every cached read refreshes. Returns the result and whether the app left
    the demo because of it (the first real upload, or the user was viewing it)."""
    accounts.check_store(real_cursor(), account, parsed.parks)
    was_demo = showing_demo()
    result = store.save(real_cursor(), parsed, data, by=account.username)
    view_demo(False)
    return result, was_demo


def undo_upload(upload_id: int, account: accounts.Account) -> str:
    accounts.check_undo(real_cursor(), account, upload_id)
    return store.undo(real_cursor(), upload_id, by=account.username)


def refused_parks(parks: list[str], account: accounts.Account) -> list[str]:
    """The parks of a file this account may not store (checked again on saving)."""
    return accounts.refused_parks(real_cursor(), account, parks)


def may_undo(upload_id: int, account: accounts.Account) -> bool:
    return accounts.may_undo(real_cursor(), account, upload_id)


def save_mapping(signature: str, mapping, file_name: str) -> None:
    store.save_mapping(real_cursor(), signature, mapping, file_name)


def accept_alias(name: str, park: str) -> None:
    """是否为：… — yes: the spelling becomes an alias of the known park."""
    names.accept_alias(real_cursor(), name, park)


@st.cache_data(show_spinner=False)
def history(version_key: tuple) -> pd.DataFrame:
    return preview.history(real_cursor())


@st.cache_data(show_spinner=False)
def template(family: str) -> bytes:
    return templates.template_xlsx(family)


# ---------------------------------------------------------------- benchmarks

@st.cache_data(show_spinner=False)
def league(version_key: tuple, period: str, parks: tuple[str, ...] | None, metrics_: tuple[str, ...] | None = None,
           classes: tuple[float, float, float] = benchmark.DEFAULT_CLASSES) -> pd.DataFrame:
    return benchmark.league(cursor(), period, list(parks) if parks else None,
                            metrics=list(metrics_) if metrics_ else None, classes=classes)


@st.cache_data(show_spinner=False)
def trend(version_key: tuple, indicator: str, parks: tuple[str, ...] | None) -> pd.DataFrame:
    return metrics.trend(cursor(), indicator, list(parks) if parks else None)


@st.cache_data(show_spinner=False)
def series(version_key: tuple, metrics_: tuple[str, ...], parks: tuple[str, ...] | None) -> pd.DataFrame:
    return metrics.series(cursor(), list(metrics_), list(parks) if parks else None)


@st.cache_data(show_spinner=False)
def industries(version_key: tuple, period: str, parks: tuple[str, ...] | None) -> pd.DataFrame:
    return metrics.industries(cursor(), period, list(parks) if parks else None)


@st.cache_data(show_spinner=False)
def industry_periods(version_key: tuple) -> list:
    return metrics.industry_periods(cursor())


# Peer groups change without an upload, so they are read uncached (small table).
def peer_groups() -> dict[str, list[str]]:
    return peers.list_groups(cursor())


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
def briefing(version_key: tuple, park: str, period: str, group: str | None, lang: str):
    """The briefing's content with its three chart images (slow: cached per data version)."""
    from parkbench.output import briefing as made

    return made.build(cursor(), park, period, group, lang)


@st.cache_data(show_spinner=False, max_entries=16)
def briefing_file(version_key: tuple, park: str, period: str, group: str | None, lang: str, suffix: str) -> bytes:
    from parkbench.output import briefing as made

    return made.render(briefing(version_key, park, period, group, lang), suffix)


@st.cache_data(show_spinner=False)
def cagr(version_key: tuple, indicator: str, start_year: int, end_year: int,
         parks: tuple[str, ...] | None) -> pd.DataFrame:
    return metrics.cagr(cursor(), indicator, start_year, end_year, list(parks) if parks else None)


@st.cache_data(show_spinner=False)
def cagr_years(version_key: tuple, indicator: str) -> list[int]:
    return metrics.complete_years(cursor(), indicator)


# ---------------------------------------------------------------- evaluation and alerts
# Schemes, adjustments and thresholds change without an upload: read uncached (small tables).

def schemes() -> list:
    return evaluation.list_schemes(cursor())


def save_scheme(scheme) -> int:
    return evaluation.save_scheme(cursor(), scheme)


def delete_scheme(scheme_id: int) -> None:
    evaluation.delete_scheme(cursor(), scheme_id)


def evaluate_long(scheme, period: str, group: str | None) -> pd.DataFrame:
    return evaluation.evaluate_long(cursor(), scheme, period, group)


def evaluation_results(scheme, period: str, group: str | None, long: pd.DataFrame) -> pd.DataFrame:
    return evaluation.with_adjustments(cursor(), scheme, period, group, evaluation.wide(long))


def class_moves(scheme, period: str, group: str | None) -> pd.DataFrame:
    return evaluation.class_moves(cursor(), scheme, period, group)


def adjust_class(scheme, period: str, group: str | None, park: str, to_class: str, reason: str, by: str) -> dict:
    return evaluation.adjust(cursor(), scheme, period, group, park, to_class, reason, by)


def adjustments(scheme_id: int | None = None, period: str | None = None, group: str | None = None,
                every_peer_set: bool = False) -> pd.DataFrame:
    return evaluation.adjustments(cursor(), scheme_id, period, group, every_peer_set)


@st.cache_data(show_spinner=False)
def metric_ids(version_key: tuple) -> list[str]:
    return metrics.metric_ids(cursor())


def alert_settings() -> dict[str, float]:
    return alerts.settings(cursor())


def save_alert_settings(values: dict[str, float]) -> dict[str, float]:
    return alerts.save_settings(cursor(), values)


def alerts_of(period: str, group: str | None = None, lang: str = "zh") -> pd.DataFrame:
    return alerts.alerts(cursor(), period, group=group, lang=lang)
