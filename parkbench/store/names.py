"""Park names that match no known park but are close to one: a typo
(西平产业集聚区 for 西平县产业集聚区) must not silently create a new park. The
upload preview asks ``是否为：西平县产业集聚区？``; a yes adds the spelling as an
alias (``store.add_alias``), a no lets it become a new park.

Close, after folding (simplified, half-width, no spaces), means: one name
contains the other (the shorter has at least 4 characters), or they are one
or two edits apart and begin with the same character (so 泌阳… and 确山…,
two different counties, are not "close").
"""

from __future__ import annotations

import duckdb

from parkbench.ingest.normalize import fold

MIN_LENGTH = 4
MAX_EDITS = 2
MOST_NAMED = 10  # a one-line summary names at most this many parks


def park_list(parks: list[str], most: int = MOST_NAMED) -> str:
    """Parks as a one-line summary names them: all of them up to ``most``, else
    the first ``most`` and how many in all (``甲、乙、…、癸等 1,000 个园区``): a
    thousand-park file must not print a thousand names."""
    if len(parks) <= most:
        return "、".join(parks)
    return f"{'、'.join(parks[:most])}等 {len(parks):,} 个园区"


def edit_distance(a: str, b: str, limit: int = MAX_EDITS) -> int:
    """Levenshtein distance, giving up (limit + 1) once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def closeness(name: str, known: str) -> int | None:
    """A score (lower is closer) if the folded names are close, else None."""
    return _folded_closeness(fold(name), fold(known))


def _folded_closeness(a: str, b: str) -> int | None:
    if a == b or min(len(a), len(b)) < MIN_LENGTH:
        return None
    if a in b or b in a:
        return abs(len(a) - len(b))
    if a[0] != b[0]:
        return None
    distance = edit_distance(a, b)
    return distance if distance <= MAX_EDITS else None


def _known_spellings(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(folded spelling, park name) for every alias and name of the store, read once."""
    rows = con.execute("select a.alias, p.name from park_aliases as a join parks as p using (park_id) "
                       "union select p.name, p.name from parks as p").fetchall()
    return [(fold(spelling), park) for spelling, park in rows]


def _suggestion(name: str, spellings: list[tuple[str, str]], aliases: set[str]) -> str | None:
    """The one known park ``name`` is close to, if it is not itself known. Ties
    between different parks give no suggestion."""
    folded = fold(name)
    if folded in aliases:
        return None
    best: dict[str, int] = {}
    for spelling, park in spellings:
        score = _folded_closeness(folded, spelling)
        if score is not None and score < best.get(park, MAX_EDITS + 99):
            best[park] = score
    if not best:
        return None
    ranked = sorted(best.items(), key=lambda item: (item[1], item[0]))
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def close_park(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    """The canonical name of the one known park ``name`` is close to, if it is
    not itself known. Ties between different parks give no suggestion."""
    return close_parks(con, [name]).get(name)


def close_parks(con: duckdb.DuckDBPyConnection, names: list[str]) -> dict[str, str]:
    """raw name → suggested known park, for the names of a file that have a
    suggestion. The store's spellings are read in two queries whatever the
    number of names: a thousand new parks once cost three thousand queries."""
    if not names:
        return {}
    aliases = {r[0] for r in con.execute("select alias from park_aliases").fetchall()}
    spellings = _known_spellings(con)
    out = {}
    for name in names:
        suggestion = _suggestion(name, spellings, aliases)
        if suggestion is not None:
            out[name] = suggestion
    return out


def accept_alias(con: duckdb.DuckDBPyConnection, name: str, park: str) -> None:
    """The user said yes: ``name`` is another spelling of ``park``."""
    from parkbench import store

    park_id = store.find_park(con, park)
    if park_id is None:
        raise store.StoreError(f"没有名为“{park}”的园区")
    store.add_alias(con, name, park_id)
