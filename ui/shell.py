"""Page shell: makes a deep link work on a freshly started server.

Streamlit treats a folder named ``pages/`` as a legacy multipage app until the
entry script has called ``st.navigation`` once in the process: a shared link
such as ``/compare`` opened first after a restart would run the page file
alone, without the navigation, the layout or the language switch. Each page
calls ``ensure_entry()``; in that one case it switches Streamlit to the
navigation the entry script declares and reruns, which lands on the same page
through ``streamlit_app.py``.
"""

from __future__ import annotations

import streamlit as st

_entry_ran = False


def mark_entry() -> None:
    """Called by streamlit_app.py on every run."""
    global _entry_ran
    _entry_ran = True


def ensure_entry() -> None:
    if _entry_ran:
        return
    from streamlit.runtime.pages_manager import PagesManager  # no public switch exists

    PagesManager.uses_pages_directory = False
    st.rerun()


def benchmark_page(page: str, title: str, no_data: str) -> tuple[tuple, list[str]]:
    """The opening every benchmark page shares: the app shell, the page's
    shared state, its title, and a clear stop with what to upload when there
    are no parks yet. Returns (data version, park names)."""
    from ui import data, state

    ensure_entry()
    state.enter(page)
    st.title(title)
    version = data.version()
    parks = data.query("park_names")
    if not parks:
        st.warning(no_data)
        st.stop()
    return version, parks
