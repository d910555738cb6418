"""The limits every way in (the upload page and the CLI) applies to a file.

One place, so the page and the CLI refuse the same files with the same words.
Each can be raised by an environment variable (the CLI also by options)."""

from __future__ import annotations

import os
from pathlib import PurePath

from parkbench.errors import TooLarge, UnreadableFile


def _env_int(name: str, default: int) -> int:
    try:
        return max(1, int(os.environ.get(name, default)))
    except ValueError:
        return default


MAX_FILE_MB = _env_int("PARKBENCH_MAX_FILE_MB", 50)  # one uploaded file
PARSE_MEMORY_MB = _env_int("PARKBENCH_PARSE_MEMORY_MB", 3072)  # address space of the parsing worker
# A parse maps the file's cells several times over (the bytes, DuckDB's table, the
# normalised frames): a 102 MB long CSV of 1.3 M values peaks at 3.1 GB of address
# space (0.95 GB resident). A file the operator allows above the page's limit
# (`ingest --max-mb`) gets room in proportion.
PARSE_MEMORY_PER_FILE_MB = 40
PARSE_SECONDS = _env_int("PARKBENCH_PARSE_SECONDS", 180)  # wall time of one parse
PARSE_WORKERS = _env_int("PARKBENCH_PARSE_WORKERS", 2)  # parses running at once in the app

# The file types the readers take; anything else is refused before reading.
ACCEPTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".txt")


def check_file(name: str, size: int, max_mb: int | None = None) -> None:
    """Refuse a file by its type or size, in Chinese, before anything reads it."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        shown = suffix or "（无扩展名）"
        raise UnreadableFile(f"不支持的文件类型“{shown}”；可以上传 Excel（.xlsx、.xls）或 CSV（.csv）文件", file=name)
    limit = MAX_FILE_MB if max_mb is None else max_mb
    if size > limit * 1024 * 1024:
        raise TooLarge(f"文件大小 {size / 1024 / 1024:.1f} MB，超过上限 {limit} MB，未读取；"
                       "请拆分为几个文件上传", file=name)

# What the upload page keeps of parsed files and previews between reruns (all sessions together).
PREVIEW_CACHE_MB = _env_int("PARKBENCH_PREVIEW_CACHE_MB", 256)
PREVIEW_CACHE_SECONDS = _env_int("PARKBENCH_PREVIEW_CACHE_SECONDS", 1800)
# DuckDB's own memory (buffer pool, hash tables) per database: without a limit it
# takes up to 80 % of the machine and keeps what it took (the 1.3M-value bench
# upload peaked at 1.9 GB). A file database spills to <file>.tmp beyond it; that
# upload runs in 600 MB.
STORE_MEMORY_MB = _env_int("PARKBENCH_STORE_MEMORY_MB", 768)


def parse_memory_mb(file_bytes: int) -> int:
    """The parse worker's address-space cap for a file of ``file_bytes``."""
    return max(PARSE_MEMORY_MB, PARSE_MEMORY_PER_FILE_MB * -(-file_bytes // (1024 * 1024)))
