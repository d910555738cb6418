"""Files waiting on the upload page, kept in session state between reruns:
added from the file uploader, removed once stored or dismissed. Tests put
files here directly (AppTest cannot drive st.file_uploader)."""

from __future__ import annotations

import hashlib

import streamlit as st

PENDING = "upload_pending"  # sha256 → (file name, bytes), in upload order
DONE = "upload_done"  # sha256 of files stored or dismissed while still in the uploader
FROM_UPLOADER = "upload_from_uploader"  # sha256 of pending files that came from the uploader widget
MESSAGES = "upload_messages"  # (kind, text) shown once at the top of the page


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def files(uploaded) -> dict[str, tuple[str, bytes]]:
    """The pending files, after adding new ones from the uploader. A file
    removed from the uploader leaves the queue; a stored one is not queued
    again while it stays in the uploader (but is, if dropped in afresh)."""
    pending = st.session_state.setdefault(PENDING, {})
    done = st.session_state.setdefault(DONE, set())
    from_uploader = st.session_state.setdefault(FROM_UPLOADER, set())
    current = set()
    for f in uploaded or []:
        data = f.getvalue()
        key = sha(data)
        current.add(key)
        if key not in done and key not in pending:
            pending[key] = (f.name, data)
            from_uploader.add(key)
    for key in list(from_uploader - current):
        pending.pop(key, None)
        from_uploader.discard(key)
    done &= current
    return pending


def finish(key: str) -> None:
    st.session_state.setdefault(PENDING, {}).pop(key, None)
    st.session_state.setdefault(DONE, set()).add(key)


def say(kind: str, text: str) -> None:
    st.session_state.setdefault(MESSAGES, []).append((kind, text))


def messages() -> list[tuple[str, str]]:
    return st.session_state.pop(MESSAGES, [])
