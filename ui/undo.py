"""The upload history's undo flow, kept in session state: a click on 撤销 asks
for confirmation, 确认撤销 undoes (or says why not, in Chinese), 取消 forgets
the question. The page only draws the buttons."""

from __future__ import annotations

import streamlit as st

from parkbench import store
from ui import data, pending

ASKED = "undo_pending"  # the upload id awaiting confirmation, if any


def ask(upload_id: int) -> None:
    st.session_state[ASKED] = int(upload_id)


def asked() -> int | None:
    return st.session_state.get(ASKED)


def cancel() -> None:
    st.session_state.pop(ASKED, None)


def confirm(upload_id: int, account) -> None:
    """Undo the upload as ``account`` and queue the outcome for the top of the
    page. Another person may have undone it a moment earlier: that is said, not
    raised; an account that may not undo it is told why."""
    cancel()
    try:
        pending.say("success", data.undo_upload(int(upload_id), account))
    except store.AlreadyUndone as exc:
        pending.say("info", str(exc))
    except store.StoreError as exc:
        pending.say("error", str(exc))


STATUS_LABELS = {"active": ("有效", "active"), "demo": ("示例数据", "demo data"), "undone": ("已撤销", "undone"),
                 "pending": ("待审核", "awaiting review"), "returned": ("已退回", "returned")}


def status_label(state: str) -> str:
    """An upload's state code (``upload.history``) as the user reads it."""
    from ui.i18n import t

    return t(*STATUS_LABELS[state])
