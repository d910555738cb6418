"""The review of a waiting upload (审核通过 / 退回) from the upload history: the
outcome, or why it could not be done, is queued for the top of the page as
the undo flow's is (ui/undo.py). The page only draws the buttons."""

from __future__ import annotations

from parkbench import store
from ui import data, pending


def approve(upload_id: int, account) -> None:
    """审核通过 as ``account``; another reviewer may have been quicker: said, not raised."""
    try:
        pending.say("success", data.approve_upload(int(upload_id), account))
    except (store.AlreadyReviewed, store.AlreadyUndone) as exc:
        pending.say("info", str(exc))
    except store.StoreError as exc:
        pending.say("error", str(exc))


def give_back(upload_id: int, reason: str, account) -> None:
    """退回 with ``reason`` as ``account`` (a reason is required: said if missing)."""
    try:
        pending.say("success", data.return_upload(int(upload_id), reason, account))
    except (store.AlreadyReviewed, store.AlreadyUndone) as exc:
        pending.say("info", str(exc))
    except store.StoreError as exc:
        pending.say("error", str(exc))
