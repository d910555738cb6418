"""Chinese first, English by a switch in the sidebar."""

from __future__ import annotations

import streamlit as st

TOGGLE_KEY = "english"


def lang() -> str:
    return "en" if st.session_state.get(TOGGLE_KEY) else "zh"


def t(zh: str, en: str) -> str:
    return en if lang() == "en" else zh


URL_KEY = "lang"


def language_switch() -> None:
    """The sidebar switch; the choice is in the URL (?lang=en), so a reload
    or a shared link keeps it. Called by streamlit_app.py on every run."""
    if TOGGLE_KEY not in st.session_state:
        st.session_state[TOGGLE_KEY] = st.query_params.get(URL_KEY) == "en"
    with st.sidebar:
        st.toggle("English", key=TOGGLE_KEY, help="界面语言 / interface language")
    if st.session_state[TOGGLE_KEY]:
        if st.query_params.get(URL_KEY) != "en":
            st.query_params[URL_KEY] = "en"
    elif URL_KEY in st.query_params:
        del st.query_params[URL_KEY]
