"""Files waiting on the upload page, kept in session state between reruns:
added from the file uploader, removed once stored or dismissed. Tests put
files here directly (AppTest cannot drive st.file_uploader).

Their parsed form and preview are kept in one process-wide cache bounded by
bytes and age (``parkbench.cache``), so previews of large files in tabs long
closed give their memory back."""

from __future__ import annotations

import hashlib

import streamlit as st

from parkbench import limits, store, upload
from parkbench.cache import BoundedCache
from parkbench.ingest import isolate
from ui import data
from ui.i18n import t

PENDING = "upload_pending"  # sha256 → (file name, bytes), in upload order
DONE = "upload_done"  # sha256 of files stored or dismissed while still in the uploader
FROM_UPLOADER = "upload_from_uploader"  # sha256 of pending files that came from the uploader widget
MESSAGES = "upload_messages"  # (kind, text) shown once at the top of the page
UPLOADER_ROUND = "upload_uploader_round"  # the uploader's key changes to clear it (Streamlit cannot remove its files)


def uploader_key() -> str:
    return f"upload_files_{st.session_state.get(UPLOADER_ROUND, 0)}"


def clear_uploader_when_done() -> bool:
    """Once every file of the uploader is stored or dismissed, empty the uploader
    (a new key), so stored files do not sit there looking unsent. True if it
    did: the whole page must run again to show the new, empty uploader."""
    if any(key in st.session_state.get(FROM_UPLOADER, set()) for key in st.session_state.get(PENDING, {})):
        return False
    st.session_state[UPLOADER_ROUND] = st.session_state.get(UPLOADER_ROUND, 0) + 1
    st.session_state[FROM_UPLOADER] = set()
    st.session_state[DONE] = set()
    return True


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


CACHE = BoundedCache(limits.PREVIEW_CACHE_MB * 1024 * 1024, limits.PREVIEW_CACHE_SECONDS)


def check(key: str, name: str, content: bytes, account) -> upload.Preview:
    """The file's preview (parsed in a worker, see ``parkbench.ingest.isolate``,
    with its data-check warnings and the parks ``account`` may not store),
    cached on its hash, the saved mappings and the account. Not on the store's
    data version: another person's upload does not send every open preview
    back to the worker; ``upload.check`` re-checks a cached preview only when a
    write since can have changed it (one of its parks, an undo, an alias),
    or when the files listed above it are no longer those it was checked
    after (``above``: its checks take them as stored, as 确认全部导入 does)."""
    cache_key = _check_key(key, name, account)
    shown_above = above(key, account)
    cached = CACHE.get(cache_key, lambda: data.check_upload(content, name, account, above=shown_above))
    current = data.check_upload(content, name, account, previous=cached, above=shown_above)
    if current is not cached:
        CACHE.put(cache_key, current)
    return with_chosen_park(key, current, account)


def check_all(queue: dict[str, tuple[str, bytes]], account) -> None:
    """The previews of the queued files not previewed yet, made together
    (``data.check_uploads``: the parses run ahead of the data checks) and
    cached as ``check`` caches them, which then finds them there; a progress
    bar counts them. The cache keys are taken before the previews are made:
    a mapping saved meanwhile then sends them to be made again, never keeps
    one made without it."""
    keys = {key: _check_key(key, name, account) for key, (name, _) in queue.items()}
    todo = [key for key in queue if CACHE.peek(keys[key]) is None]
    if len(todo) < 2:
        return
    bar = st.progress(0.0, text=checking_text(0, len(todo)))
    previews = data.check_uploads([queue[key] for key in todo], account, above(todo[0], account))
    for done, (key, preview) in enumerate(zip(todo, previews, strict=True), start=1):
        CACHE.put(keys[key], preview)
        bar.progress(done / len(todo), text=checking_text(done, len(todo)))
    bar.empty()


def above(key: str, account) -> tuple[upload.Preview, ...]:
    """The previews, as last made, of the files listed above this one (those
    not previewed yet left out): what ``upload.check`` takes 确认全部导入
    to store before it."""
    shown = []
    for other, (name, _) in st.session_state.get(PENDING, {}).items():
        if other == key:
            break
        cached = CACHE.peek(_check_key(other, name, account))
        if cached is not None:
            shown.append(cached)
    return tuple(shown)


def checking_text(done: int, total: int) -> str:
    return t(f"正在读取并审核文件：已完成 {done} / {total} 个", f"Reading and checking files: {done} of {total} done")


def warm_up() -> None:
    """Start the readers' fork server while the user chooses files: the first
    file's preview no longer waits for it (``isolate.start_early``)."""
    isolate.start_early()


NEW_PARK = "\x00new park"  # the park question's option to type a new park's name


def park_choice_key(key: str) -> str:
    return f"firm_park_choice_{key}"


def park_typed_key(key: str) -> str:
    return f"firm_park_typed_{key}"


def chosen_park(key: str) -> str | None:
    """The park the user chose (or typed) for an enterprise file's rows that
    name none, from the question's widgets; None while unanswered."""
    choice = st.session_state.get(park_choice_key(key))
    if choice == NEW_PARK:
        choice = st.session_state.get(park_typed_key(key), "")
    return choice.strip() or None if isinstance(choice, str) else None


def with_chosen_park(key: str, preview: upload.Preview, account) -> upload.Preview:
    """An enterprise file's preview with the park chosen for it, if any."""
    park = chosen_park(key)
    if preview.firm_parsed is None or park is None:
        return preview
    return data.choose_upload_park(preview, park, account)


def _check_key(key: str, name: str, account) -> tuple:
    return ("check", store.db_target(), key, name, data.mappings_key(),
            account.username, account.role, tuple(account.parks))


def last_check(key: str, name: str, content: bytes, account) -> upload.Preview:
    """The file's preview as last checked, not checked again after a write since
    (``check`` does that): for 确认全部导入's count after one file is stored,
    which must not send every other preview through the data checks again.
    Storing a preview re-checks it when a write since can have changed it."""
    cached = CACHE.peek(_check_key(key, name, account))
    return with_chosen_park(key, cached, account) if cached is not None else check(key, name, content, account)


def sheets(key: str, name: str, content: bytes) -> list:
    """Raw sheets of a file, for the column-mapping editor (same worker, same cache)."""
    return CACHE.get(("sheets", key, name), lambda: isolate.read_sheets(content, name))


def store_file(key: str, preview: upload.Preview, account) -> bool:
    """Store a previewed file as ``account``. Stored: it leaves the queue and the
    summary is said. Refused by the store (or the account's parks): it stays,
    with the reason in Chinese. True if this upload left the demo (the whole
    page changes: its banner, every page's data)."""
    try:
        result, left_demo = data.save_upload(preview, account)
    except store.StoreError as exc:
        say("error", str(exc))
        return False
    finish(key)
    say("success", result.summary())
    if left_demo:
        say("info", left_demo_text())
    return bool(left_demo)


def store_files(previews: dict[str, upload.Preview], account, progress=None) -> None:
    """确认全部导入: store several previewed files (key → preview) in this order
    as ``store_file`` one after another would, in one go (``data.save_uploads``):
    each stored one leaves the queue with its summary said; each refused one
    stays, with the reason. ``progress(i)`` before the i-th file."""
    keys = list(previews)
    outcomes, left_demo = data.save_uploads(list(previews.values()), account, progress)
    for key, outcome in zip(keys, outcomes, strict=True):
        if isinstance(outcome, store.StoreError):
            say("error", str(outcome))
            continue
        finish(key)
        say("success", outcome.summary())
    if left_demo:
        say("info", left_demo_text())


def left_demo_text() -> str:
    return t("已离开示例数据：各页面现在只显示您上传的真实数据。示例数据不会与真实数据混合，"
             "仍可在左侧栏点击“查看示例数据”单独查看。",
             "Left the demo: every page now shows only the data you uploaded. "
             "The demo stays one click away (查看示例数据) and never mixes in.")


def finish(key: str) -> None:
    st.session_state.setdefault(PENDING, {}).pop(key, None)
    st.session_state.setdefault(DONE, set()).add(key)


def say(kind: str, text: str) -> None:
    st.session_state.setdefault(MESSAGES, []).append((kind, text))


def messages() -> list[tuple[str, str]]:
    return st.session_state.pop(MESSAGES, [])
