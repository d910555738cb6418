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

from parkbench import accounts, alerts, benchmark, demo, evaluation, images, metrics, peers, preview, store, templates


@st.cache_resource(show_spinner="正在打开数据库…")
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    con = store.connect(path)
    if store.is_empty(con) and not store.has_uploads(con):
        demo.load(con)
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


# ---------------------------------------------------------------- uploads

def mappings_key() -> tuple:
    return store.mappings_version(cursor())


def save_upload(parsed, data: bytes, account: accounts.Account) -> store.UploadResult:
    """Store one file if the account may store every park of it (refused with
    an AccountError otherwise); the data version changes, so every cached read refreshes."""
    accounts.check_store(cursor(), account, parsed.parks)
    return store.save(cursor(), parsed, data, by=account.username)


def undo_upload(upload_id: int, account: accounts.Account) -> str:
    accounts.check_undo(cursor(), account, upload_id)
    return store.undo(cursor(), upload_id, by=account.username)


def refused_parks(parks: list[str], account: accounts.Account) -> list[str]:
    """The parks of a file this account may not store (checked again on saving)."""
    return accounts.refused_parks(cursor(), account, parks)


def may_undo(upload_id: int, account: accounts.Account) -> bool:
    return accounts.may_undo(cursor(), account, upload_id)


def save_mapping(signature: str, mapping, file_name: str) -> None:
    store.save_mapping(cursor(), signature, mapping, file_name)


@st.cache_data(show_spinner=False)
def history(version_key: tuple) -> pd.DataFrame:
    return preview.history(cursor())


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
    from parkbench import briefing as made

    return made.build(cursor(), park, period, group, lang)


@st.cache_data(show_spinner=False, max_entries=16)
def briefing_file(version_key: tuple, park: str, period: str, group: str | None, lang: str, suffix: str) -> bytes:
    from parkbench import briefing as made

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
