"""Copy a whole store into an empty one: how a county's database file moves
onto the province's PostgreSQL (``python -m parkbench copy-store FILE --db URL``),
and how the bench builds a PostgreSQL store as large as a province's."""

from __future__ import annotations

from pathlib import Path

import duckdb

from parkbench import store
from parkbench.errors import StoreError
from parkbench.models import sql
from parkbench.store import postgres


def copy_store(source: str | Path, target: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Every stored table of the database file ``source`` (brought to this
    version's schema first) replaces the rows of the store ``target``, which
    holds no upload yet, in one transaction; the models are rebuilt. The rows
    copied per table."""
    if store.has_uploads(target):
        raise StoreError("目标数据库已有上传记录：复制只能进入一个空的数据库（新建的 PostgreSQL 数据库或新文件）")
    origin = store.connect(source)  # migrates an older file to this version's schema
    try:
        copied = {}
        with store.transaction(target, f"复制数据库 {Path(source).name}"):
            for table in postgres.base_tables(target):
                rows = origin.sql(f"select * from main.{postgres.quoted(table)}").to_arrow_table()
                target.execute(f"delete from main.{postgres.quoted(table)}")
                target.register("copied_rows", rows)
                try:
                    target.execute(f"insert into main.{postgres.quoted(table)} by name select * from copied_rows")
                finally:
                    target.unregister("copied_rows")
                copied[table] = rows.num_rows
            postgres.advance_sequences(target, dict(origin.execute(
                "select sequence_name, last_value from duckdb_sequences() "
                "where schema_name = 'main' and last_value is not null").fetchall()))
            sql.build_tables(target)
    finally:
        origin.close()
    return copied
