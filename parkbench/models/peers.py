"""Peer groups: named sets of parks a user saves (全市园区, 同类园区) and
benchmarks against. Stored in the table peer_groups (queries/schema/001_init.sql)."""

from __future__ import annotations

import duckdb

from parkbench import store
from parkbench.errors import PeerGroupError
from parkbench.ingest.normalize import display_text
from parkbench.models import sql

MAX_NAME = 40


def clean_name(name: str) -> str:
    text = display_text(str(name or "")).strip()
    if not text:
        raise PeerGroupError("请填写对标组名称。")
    if len(text) > MAX_NAME:
        raise PeerGroupError(f"对标组名称不能超过 {MAX_NAME} 个字。")
    return text


def save_group(con: duckdb.DuckDBPyConnection, name: str, parks: list[str]) -> str:
    """Create or replace the group ``name`` with ``parks`` (any spelling or alias
    of a known park). Returns the saved name. Unknown parks are refused."""
    group = clean_name(name)
    ids = []
    unknown = []
    for park in parks:
        park_id = store.find_park(con, park)
        (unknown.append(park) if park_id is None else ids.append(park_id))
    if unknown:
        raise PeerGroupError("未知园区：" + "、".join(unknown))
    if len(set(ids)) < 2:
        raise PeerGroupError("对标组至少需要两个园区。")
    with store.transaction(con, f"保存对标组“{group}”"):  # one writer at a time, errors in Chinese
        sql.execute(con, "commands/peer_group_delete", group=group)
        for park_id in sorted(set(ids)):
            sql.execute(con, "commands/peer_group_add", group=group, park_id=park_id)
    return group


def list_groups(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Saved groups: name → canonical park names, both sorted."""
    frame = sql.query(con, "reads/peer_groups", group=None)
    groups: dict[str, list[str]] = {}
    for row in frame.itertuples(index=False):
        groups.setdefault(row.group_name, []).append(row.park)
    return groups


def group_parks(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    return sql.query(con, "reads/peer_groups", group=name)["park"].tolist()


def delete_group(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Delete a group; True if it existed."""
    existed = bool(group_parks(con, name))
    with store.transaction(con, f"删除对标组“{name}”"):
        sql.execute(con, "commands/peer_group_delete", group=name)
    return existed
