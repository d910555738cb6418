"""Connections and cached reads for the app.

One DuckDB connection per process (``st.cache_resource``) and a cursor per
session: a connection shared across sessions returns empty results or
"connection is busy" under concurrency. Cached reads take the data version
as a key, so an upload or undo invalidates them.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from parkbench import demo, metrics, store


@st.cache_resource(show_spinner="正在打开数据库…")
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    con = store.connect(path)
    if store.is_empty(con) and not store.has_uploads(con):
        demo.load(con)
    return con


def cursor() -> duckdb.DuckDBPyConnection:
    """This session's cursor on the process-wide connection."""
    path = str(store.db_path())
    key = f"_parkbench_cursor::{path}"
    if key not in st.session_state:
        st.session_state[key] = _connection(path).cursor()
    return st.session_state[key]


def version() -> tuple:
    return store.data_version(cursor())


@st.cache_data(show_spinner=False)
def key_figures(version_key: tuple) -> pd.DataFrame:
    return metrics.key_figures(cursor())


@st.cache_data(show_spinner=False)
def compare(version_key: tuple, metric: str, period: str, parks: tuple[str, ...] | None) -> pd.DataFrame:
    return metrics.compare(cursor(), metric, period, list(parks) if parks else None)


@st.cache_data(show_spinner=False)
def periods(version_key: tuple, metric: str | None = None) -> list:
    return metrics.periods(cursor(), metric)


@st.cache_data(show_spinner=False)
def park_names(version_key: tuple) -> list[str]:
    return metrics.park_names(cursor())


@st.cache_data(show_spinner=False)
def demo_in_use(version_key: tuple) -> bool:
    return store.demo_in_use(cursor())
