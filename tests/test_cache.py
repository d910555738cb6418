"""The preview cache gives memory back: bounded by bytes (frames weighed
deeply) and by age, least recently used dropped first."""

from __future__ import annotations

import pandas as pd

from parkbench.cache import BoundedCache, size_of


def frame(rows: int) -> pd.DataFrame:
    return pd.DataFrame({"park": [f"园区{i}" for i in range(rows)], "value": range(rows)})


def test_size_counts_the_strings_in_a_frame():
    small, large = size_of(frame(100)), size_of(frame(10_000))
    assert large > 50 * small  # object columns weighed deeply, not as 8-byte pointers
    assert size_of((frame(10_000), frame(10_000))) > 2 * large * 0.99


def test_total_stays_under_the_byte_budget():
    one = size_of(frame(10_000))
    cache = BoundedCache(max_bytes=int(one * 2.5), max_seconds=3600)
    for key in "abcd":
        cache.put(key, frame(10_000))
    assert len(cache) == 2 and cache.bytes <= one * 2.5
    calls = []
    cache.get("d", lambda: calls.append("d"))  # newest kept
    cache.get("a", lambda: calls.append("a") or frame(1))  # oldest dropped: computed again
    assert calls == ["a"]


def test_least_recently_used_goes_first():
    one = size_of(frame(1000))
    cache = BoundedCache(max_bytes=int(one * 2.5), max_seconds=3600)
    cache.put("a", frame(1000))
    cache.put("b", frame(1000))
    cache.get("a", lambda: None)  # a used again: b is now the oldest
    cache.put("c", frame(1000))
    computed = []
    cache.get("a", lambda: computed.append("a"))
    cache.get("b", lambda: computed.append("b"))
    assert computed == ["b"]


def test_entries_expire_with_age():
    now = [0.0]
    cache = BoundedCache(max_bytes=10**9, max_seconds=60, clock=lambda: now[0])
    cache.put("a", frame(10))
    now[0] = 59
    assert isinstance(cache.get("a", lambda: "recomputed"), pd.DataFrame)
    now[0] = 61
    assert cache.get("a", lambda: "recomputed") == "recomputed"


def test_an_entry_larger_than_the_budget_is_returned_not_kept():
    cache = BoundedCache(max_bytes=1000, max_seconds=60)
    value = cache.get("big", lambda: frame(10_000))
    assert len(value) == 10_000 and len(cache) == 0 and cache.bytes == 0
