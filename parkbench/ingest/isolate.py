"""Parse a file in a worker process with a memory and a time limit, so that a
reader bug of any kind (a native abort, runaway memory, an endless loop)
fails that one upload and never the server every user is connected to.

The worker is forked from a small fork server (``forkserver``: forking the
multithreaded app itself is unsafe) that has the readers imported already,
so a parse costs a fork, not a fresh interpreter. The worker caps its own
address space (``RLIMIT_AS``); the parent waits at most ``seconds`` and
kills it after that. Whatever goes wrong comes back as an ``IngestError``
in Chinese.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import threading
import traceback
from collections.abc import Callable
from multiprocessing import spawn

from parkbench import limits
from parkbench.errors import IngestError, TooLarge, UnreadableFile

# What the fork server imports once, so that no worker imports it again: the
# readers, and what they import only when reading (calamine for workbooks; for
# a CSV the encoding detector, the Chinese codecs and pyarrow's pandas glue).
# Each worker that imported these itself lost 30-60 ms a file.
PRELOAD = ["parkbench.ingest", "parkbench.ingest.enterprise", "parkbench.ingest.isolate",
           "python_calamine", "charset_normalizer", "pyarrow.pandas_compat", "pyarrow.vendored.version",
           "encodings.gb18030", "encodings.gbk", "encodings.gb2312", "encodings.big5", "encodings.big5hkscs",
           "encodings.utf_8_sig", "encodings.cp437", "_codecs_hk", "_codecs_iso2022", "_codecs_jp",
           "_codecs_kr", "_codecs_tw"]

_context = None
_context_lock = threading.Lock()
_slots = threading.BoundedSemaphore(limits.PARSE_WORKERS)


def _get_context():
    global _context
    with _context_lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(PRELOAD)
            _context = ctx
    return _context


def start_early() -> None:
    """Start the fork server now, so that its interpreter imports the readers
    while the caller does something else (the command line opens the store):
    a one-shot command otherwise waits for that start at its first parse."""
    _get_context()
    from multiprocessing import forkserver

    forkserver.ensure_running()


def _child(conn, func: Callable, args: tuple, memory_mb: int) -> None:
    try:
        cap = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        result = func(*args)
        conn.send(("ok", result))
    except IngestError as exc:
        conn.send(("refused", (type(exc), dict(exc.__dict__))))
    except MemoryError:
        conn.send(("memory", None))
    except BaseException as exc:  # a reader bug: say which, keep the trace for the log
        conn.send(("bug", (type(exc).__name__, traceback.format_exc(limit=8))))
    finally:
        conn.close()


# Which thread is starting one of our workers (see _preparation_data).
_starting = threading.local()
_original_preparation_data = spawn.get_preparation_data


def _preparation_data(name):
    """multiprocessing's preparation data, without the main script for our
    workers: a forked worker otherwise imports ``__main__`` again (the
    Streamlit launcher, pytest, or a script), which costs seconds or fails.
    The worker needs only this module and the readers, which the fork server
    holds. Swapping ``sys.modules["__main__"]`` while starting did not hold:
    Streamlit sets it to the page script in every session's thread, so a
    worker started meanwhile ran streamlit_app.py and died (the twelve-people
    bench row). This is thread-local: other processes are left alone."""
    data = _original_preparation_data(name)
    if getattr(_starting, "worker", False):
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
    return data


spawn.get_preparation_data = _preparation_data


def _start(worker) -> None:
    """Start the worker without it re-running the server's main script (``_preparation_data``)."""
    _starting.worker = True
    try:
        worker.start()
    finally:
        _starting.worker = False


def _rebuild(kind: type, state: dict) -> IngestError:
    exc = kind.__new__(kind)
    Exception.__init__(exc, state.get("reason", ""))
    exc.__dict__.update(state)
    return exc


def run(func: Callable, *args, file_name: str, memory_mb: int | None = None, seconds: int | None = None):
    """``func(*args)`` in a worker; its result, or an ``IngestError`` raised here.
    ``func`` must be importable (a module-level function)."""
    memory_mb = memory_mb or limits.PARSE_MEMORY_MB
    seconds = seconds or limits.PARSE_SECONDS
    ctx = _get_context()
    with _slots:
        receiver, sender = ctx.Pipe(duplex=False)
        worker = ctx.Process(target=_child, args=(sender, func, args, memory_mb), daemon=True)
        _start(worker)
        sender.close()
        try:
            if not receiver.poll(seconds):
                raise TooLarge(f"读取此文件超过 {seconds} 秒仍未完成，已中止，未导入；"
                               "请检查文件是否过大或拆分后再上传", file=file_name)
            try:
                kind, payload = receiver.recv()
            except (EOFError, OSError):
                worker.join(5)
                raise _died(worker.exitcode, file_name, memory_mb) from None
        finally:
            receiver.close()
            if worker.is_alive():
                worker.kill()
            worker.join(5)
    if kind == "ok":
        return payload
    if kind == "refused":
        raise _rebuild(*payload)
    if kind == "memory":
        raise TooLarge(f"读取此文件需要的内存超过上限（{memory_mb} MB），未导入；请拆分文件后再上传",
                       file=file_name)
    name, trace = payload
    _log(f"reader error in {file_name!r}:\n{trace}")
    raise UnreadableFile(f"读取文件时出错（内部错误 {name}），未导入；请把文件发给管理员检查", file=file_name)


def _died(exitcode: int | None, file_name: str, memory_mb: int) -> IngestError:
    signame = ""
    if exitcode is not None and exitcode < 0:
        try:
            signame = signal.Signals(-exitcode).name
        except ValueError:
            signame = str(-exitcode)
    _log(f"reader worker for {file_name!r} died (exit code {exitcode}, {signame})")
    return TooLarge(f"读取此文件时读取程序异常退出（可能需要的内存超过上限 {memory_mb} MB），未导入；"
                    "请检查文件或拆分后再上传", file=file_name)


def _log(text: str) -> None:
    """To the server's log (stderr), never to the user."""
    try:
        os.write(2, (f"[parkbench.ingest.isolate] {text}\n").encode("utf-8", "replace"))
    except OSError:
        pass


def parse_file(data: bytes, file_name: str, mappings=None, *, max_mb: int | None = None):
    """``ingest.parse_file`` after the type and size check, in a worker."""
    from parkbench import ingest

    limits.check_file(file_name, len(data), max_mb)
    return run(ingest.parse_file, data, file_name, mappings, file_name=file_name,
               memory_mb=limits.parse_memory_mb(len(data)))


def parse_upload(data: bytes, file_name: str, mappings=None, *, max_mb: int | None = None):
    """A file as the upload verb reads it, in a worker after the type and size
    check: its enterprise rows (a ``FirmParsed``, shapes N1–N6) when it holds
    an enterprise sheet, else its park values (a ``Parsed``)."""
    limits.check_file(file_name, len(data), max_mb)
    return run(read_upload, data, file_name, mappings, file_name=file_name,
               memory_mb=limits.parse_memory_mb(len(data)))


def read_upload(data: bytes, file_name: str, mappings=None):
    """In the worker: the enterprise readers first (as docs/enterprises.md
    asks), then the park readers, from one read of the file's sheets (a
    workbook read twice cost the family-A bench row a third of its time).
    A CSV whose head names no enterprise goes straight to the park readers
    (their fast path for long tables reads it without making sheets)."""
    from parkbench import ingest
    from parkbench.ingest.enterprise import may_hold_firms, parse_firm_sheets

    if not may_hold_firms(data, file_name, mappings):
        return ingest.parse_file(data, file_name, mappings)
    sheets = ingest.read_sheets(data, file_name)
    return (parse_firm_sheets(sheets, file_name, mappings)
            or ingest.parse_file(data, file_name, mappings, sheets=sheets))


def read_sheets(data: bytes, file_name: str, *, max_mb: int | None = None):
    """``ingest.read_sheets`` (raw cells, for the column-mapping editor) after the same checks, in a worker."""
    from parkbench import ingest

    limits.check_file(file_name, len(data), max_mb)
    return run(ingest.read_sheets, data, file_name, file_name=file_name, memory_mb=limits.parse_memory_mb(len(data)))
