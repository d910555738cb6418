"""A cache bounded by bytes and by time, for what the upload page keeps
between reruns (parsed files and their previews).

Streamlit's own caches bound entries by count and age only: previews of a few
large files in tabs long closed held a gigabyte. Here every entry is weighed
when stored, the oldest-used go first once the total passes ``max_bytes``,
entries older than ``max_seconds`` are dropped, and an entry larger than the
whole budget is returned but not kept."""

from __future__ import annotations

import dataclasses
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

import pandas as pd


def size_of(value, _seen: set[int] | None = None) -> int:
    """Approximate bytes held by ``value``: frames by pandas' deep count,
    dataclasses, lists, tuples and dicts by their parts, anything else by ``sys.getsizeof``."""
    seen = set() if _seen is None else _seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(deep=True, index=True).sum())
    if isinstance(value, pd.Series):
        return int(value.memory_usage(deep=True, index=True))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sys.getsizeof(value) + sum(size_of(getattr(value, f.name), seen) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return sys.getsizeof(value) + sum(size_of(k, seen) + size_of(v, seen) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return sys.getsizeof(value) + sum(size_of(v, seen) for v in value)
    return sys.getsizeof(value)


class BoundedCache:
    """Thread-safe least-recently-used cache under a byte and an age limit."""

    def __init__(self, max_bytes: int, max_seconds: float, clock: Callable[[], float] = time.monotonic):
        self.max_bytes = max_bytes
        self.max_seconds = max_seconds
        self._clock = clock
        self._entries: OrderedDict[Hashable, tuple[object, int, float]] = OrderedDict()  # value, bytes, stored at
        self._lock = threading.Lock()

    @property
    def bytes(self) -> int:
        with self._lock:
            return sum(size for _, size, _ in self._entries.values())

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def get(self, key: Hashable, compute: Callable[[], object]):
        """The cached value for ``key``, else ``compute()`` (stored if it fits).
        Computing happens outside the lock: other sessions are not held up."""
        with self._lock:
            self._expire()
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key][0]
        value = compute()
        self.put(key, value)
        return value

    def peek(self, key: Hashable):
        """The cached value for ``key``, or None; nothing is computed."""
        with self._lock:
            self._expire()
            entry = self._entries.get(key)
            return None if entry is None else entry[0]

    def put(self, key: Hashable, value) -> None:
        size = size_of(value)
        with self._lock:
            self._entries.pop(key, None)
            if size > self.max_bytes:
                return
            self._entries[key] = (value, size, self._clock())
            self._expire()
            total = sum(s for _, s, _ in self._entries.values())
            while total > self.max_bytes:
                _, (_, dropped, _) = self._entries.popitem(last=False)
                total -= dropped

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def _expire(self) -> None:
        cutoff = self._clock() - self.max_seconds
        for key in [k for k, (_, _, at) in self._entries.items() if at < cutoff]:
            del self._entries[key]
