"""Chinese first, English by a switch in the sidebar."""

from __future__ import annotations

import streamlit as st

TOGGLE_KEY = "english"


def lang() -> str:
    return "en" if st.session_state.get(TOGGLE_KEY) else "zh"


def t(zh: str, en: str) -> str:
    return en if lang() == "en" else zh


def language_switch() -> None:
    with st.sidebar:
        st.toggle("English", key=TOGGLE_KEY, help="界面语言 / interface language")
