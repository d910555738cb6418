"""Shareable page state: park, metric, period and group in the URL.

``st.query_params`` is user input: every value read from it is checked
against the options the page offers and ignored if it is not one of them.
Streamlit clears the query string on a page switch, so the chosen values are
also kept in session state and written back to the URL on the next page.
A click on a park in a chart (a point selection) selects it across the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import streamlit as st

SHARED = "_parkbench_shared"
PAGE = "_parkbench_page"
NAMES = ("park", "metric", "period", "group", "parks", "metrics", "indicator", "measure", "from", "to",
         "class_a", "class_b", "class_c")
NONE = ""  # stands for "no choice" in a selectbox; never a park, metric or group name


def _shared() -> dict[str, str]:
    return st.session_state.setdefault(SHARED, {})


def widget_key(page: str, name: str) -> str:
    """The widget's key includes the language: switching language draws a new
    widget (the browser keeps showing the old one's labels and, for a slider,
    its old position otherwise), which starts from the shared value."""
    from ui.i18n import lang

    return f"{page}:{name}:{lang()}"


def encode(value) -> str:
    if isinstance(value, dt.date):
        return f"{value:%Y-%m}"
    return "" if value is None else str(value)


def enter(page: str) -> None:
    """Call first on every page: on arriving from another page, forget this
    page's widget values so they follow the shared state, and put the shared
    state back into the URL."""
    if st.session_state.get(PAGE) != page:
        for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(f"{page}:")]:
            del st.session_state[key]
        st.session_state[PAGE] = page
        for name, value in _shared().items():
            if name not in st.query_params and value:
                st.query_params[name] = value


def requested(name: str, options: Sequence) -> object | None:
    """The option named by the URL, else by the shared state, else None. Never an
    arbitrary string: only one of ``options``."""
    by_text = {encode(o): o for o in options}
    raw = st.query_params.get(name)
    if isinstance(raw, str) and raw in by_text:
        return by_text[raw]
    remembered = _shared().get(name)
    if remembered in by_text:
        return by_text[remembered]
    return None


def remember(name: str, value) -> None:
    text = encode(value)
    if text:
        _shared()[name] = text
        if st.query_params.get(name) != text:
            st.query_params[name] = text
    else:
        _shared().pop(name, None)
        if name in st.query_params:
            del st.query_params[name]


def choose(name: str, label: str, options: Sequence, *, page: str, default=None,
           format_func: Callable = str, container=None, help: str | None = None, radio: bool = False):
    """A selectbox (or horizontal radio) whose value is shared through the URL and across pages. A
    ``None`` option is shown through ``format_func`` (Streamlit would show it
    as an empty placeholder), and returned as None."""
    options = [NONE if o is None else o for o in options]
    default = NONE if default is None else default
    shown = format_func
    format_func = lambda o: shown(None if o == NONE else o)  # noqa: E731
    key = widget_key(page, name)
    if key not in st.session_state or st.session_state[key] not in options:
        wanted = requested(name, options)
        if wanted is None:
            wanted = default if default in options else options[0]
        st.session_state[key] = wanted
    box = container or st
    value = (box.radio(label, options, key=key, format_func=format_func, help=help, horizontal=True) if radio
             else box.selectbox(label, options, key=key, format_func=format_func, help=help))
    value = None if value == NONE else value
    remember(name, value)
    return value


def choose_number(name: str, label: str, low: int, high: int, *, page: str, default: int, container=None) -> int:
    """A whole-number input from ``low`` to ``high``, shared through the URL like ``choose``
    (``?class_a=25``); the default is left out of the URL."""
    key = widget_key(page, name)
    if key not in st.session_state or st.session_state[key] not in range(low, high + 1):
        wanted = requested(name, range(low, high + 1))
        st.session_state[key] = default if wanted is None else wanted
    value = int((container or st).number_input(label, low, high, step=1, key=key))
    remember(name, None if value == default else value)
    return value


def choose_slider(name: str, label: str, options: Sequence, *, page: str, format_func: Callable = str, container=None,
                  default=None):
    """A select slider over ordered options (periods), shared like ``choose``;
    with nothing in the URL or shared state it starts on ``default`` (else the last option)."""
    options = list(options)
    if len(options) < 2:
        value = options[0] if options else None
        remember(name, value)
        return value
    key = widget_key(page, name)
    if key not in st.session_state or st.session_state[key] not in options:
        wanted = requested(name, options)
        if wanted is None:
            earlier = [o for o in options if default is not None and o <= default]
            wanted = earlier[-1] if earlier else options[-1]
        st.session_state[key] = wanted
    value = (container or st).select_slider(label, options, key=key, format_func=format_func)
    remember(name, value)
    return value


def follow_chart(chart_keys: Sequence[str], name: str, options: Sequence, *, page: str) -> None:
    """Before the widget ``name`` is drawn: if the user clicked a park in one of
    the charts, make it the selected value (once per click)."""
    for chart_key in chart_keys:
        event = st.session_state.get(chart_key)
        selection = getattr(event, "selection", None) or (event or {}).get("selection") if event else None
        picked = None
        for points in (selection or {}).values():
            if isinstance(points, list) and points and isinstance(points[0], dict):
                picked = points[0].get("park")
        marker = f"_applied:{chart_key}"
        if picked in options and st.session_state.get(marker) != picked:
            st.session_state[marker] = picked
            st.session_state[widget_key(page, name)] = picked
            remember(name, picked)
        elif picked is None:
            st.session_state.pop(marker, None)


SEPARATOR = "|"  # between several values in one URL parameter (never in a park name or metric id we accept)


def choose_many(name: str, label: str, options: Sequence, *, page: str, default: Sequence,
                format_func: Callable = str, container=None, help: str | None = None,
                placeholder: str | None = None) -> list:
    """A multiselect shared through the URL like ``choose``: ``?parks=甲|乙``.
    Only known options are taken from the URL; the default is left out of it."""
    key = widget_key(page, name)
    by_text = {encode(o): o for o in options}
    default = [o for o in default if o in options]
    if key not in st.session_state or not set(st.session_state[key]) <= set(options):
        raw = st.query_params.get(name)
        raw = raw if isinstance(raw, str) else _shared().get(name)
        wanted = [by_text[p] for p in (raw or "").split(SEPARATOR) if p in by_text] if raw else []
        st.session_state[key] = wanted or default
    # wrap: in a column Streamlit keeps the chips on one scrolling row, hiding all but two or three
    value = (container or st).multiselect(label, options, key=key, format_func=format_func, help=help,
                                          placeholder=placeholder, wrap=True)
    remember(name, None if value == default else SEPARATOR.join(encode(v) for v in value))
    return value


def choose_range(names: tuple[str, str], label: str, options: Sequence, *, page: str,
                 format_func: Callable = str, container=None) -> tuple:
    """A from–to select slider over ordered options, both ends in the URL
    (``?from=2024-01&to=2024-12``); the whole span by default."""
    options = list(options)
    if len(options) < 2:
        return (options[0], options[0]) if options else (None, None)
    key = widget_key(page, "_".join(names))
    current = st.session_state.get(key)
    if not (isinstance(current, tuple) and len(current) == 2 and set(current) <= set(options)):
        low, high = requested(names[0], options), requested(names[1], options)
        low, high = low if low is not None else options[0], high if high is not None else options[-1]
        st.session_state[key] = (low, high) if options.index(low) <= options.index(high) else (high, low)
    low, high = (container or st).select_slider(label, options, key=key, format_func=format_func)
    remember(names[0], None if low == options[0] else low)
    remember(names[1], None if high == options[-1] else high)
    return low, high
