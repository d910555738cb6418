"""Connections and cached reads for the app.

One DuckDB connection per process (``st.cache_resource``) and a cursor per
script thread (see _threads): a connection shared across threads returns empty results or
"connection is busy" under concurrency. Cached reads take the data version
as a key, so an upload or undo invalidates them.

Two databases, never mixed: the real store (``PARKBENCH_DB`` or
data/parkbench.duckdb), which only uploads write to, and the demo, a
database of its own built from data/demo/ by the normal ingest
(``store.open_demo``). Pages read ``cursor()``: the demo while the real
store holds no real data, or while the user chose 查看示例数据; the real
store otherwise. Uploads, undo and column mappings always go to the real
store. The version key names the database, so cached reads never cross.
"""

from __future__ import annotations

import threading

import duckdb
import pandas as pd
import streamlit as st

from parkbench import benchmark, charts, checks, metrics, names, peers, preview, status, store, templates
from parkbench.ingest import read_sheets

DEMO_CHOICE = "_parkbench_view_demo"  # session: True while the user chose to look at the demo


@st.cache_resource(show_spinner="正在打开数据库…")
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    con = store.connect(path)
    store.leave_demo_if_real(con)  # a store from before the demo had its own database
    return con


@st.cache_resource(show_spinner="正在准备示例数据…")
def _demo_connection() -> duckdb.DuckDBPyConnection:
    return store.open_demo()


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


@st.cache_data(show_spinner=False)
def open_warnings(version_key: tuple, parks: tuple[str, ...] | None = None) -> pd.DataFrame:
    return checks.open_warnings(cursor(), list(parks) if parks else None)


@st.cache_data(show_spinner=False)
def flagged_metrics(version_key: tuple, period, parks: tuple[str, ...] | None = None) -> pd.DataFrame:
    return checks.flagged_metrics(cursor(), period, list(parks) if parks else None)


# ---------------------------------------------------------------- uploads

def mappings_key() -> tuple:
    return store.mappings_version(real_cursor())


def names_key() -> tuple:
    """Changes when an alias is added (a yes to 是否为：…？)."""
    return real_cursor().execute("select count(*) from park_aliases").fetchall()[0]


@st.cache_data(show_spinner=False, max_entries=64)
def check_upload(sha: str, file_name: str, _data: bytes, mappings_key: tuple,
                 version_key: tuple, names_key: tuple = ()) -> tuple[preview.Checked, preview.Preview | None]:
    """Parse a file (keyed on its hash, the saved mappings, the real store's
    data version and its aliases, which change canonical park names and the
    data checks) and build its preview, warnings included."""
    cur = real_cursor()
    checked = preview.check(_data, file_name, store.load_mappings(cur))
    shown = preview.build(cur, checked.parsed) if checked.parsed is not None else None
    return checked, shown


@st.cache_data(show_spinner=False, max_entries=16)
def sheets(sha: str, file_name: str, _data: bytes) -> list:
    """Raw sheets of a file, for the column-mapping editor."""
    return read_sheets(_data, file_name)


def save_upload(parsed, data: bytes) -> tuple[store.UploadResult, bool]:
    """Store one file in the real store; the data version changes, so every
    cached read refreshes. Returns the result and whether the app left the
    demo because of it (the first real upload, or the user was viewing it)."""
    was_demo = showing_demo()
    result = store.save(real_cursor(), parsed, data)
    view_demo(False)
    return result, was_demo


def undo_upload(upload_id: int) -> str:
    return store.undo(real_cursor(), upload_id)


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


@st.cache_data(show_spinner=False)
def chart_png(spec_json: str) -> bytes:
    return charts.png_bytes(spec_json)
