"""The store on PostgreSQL (``PARKBENCH_DB=postgresql://…``), for a province
whose app servers share one database server (docs/scale.md says why it is
built this way, docs/deploy.md how to run it).

PostgreSQL holds every stored table (the ones the files under
queries/schema/ create: parks, uploads and their rows, reviews, schemes,
mappings, enterprise rows …), under the same names and columns. Each process
(an app server, a command) keeps a copy of them in its own in-memory DuckDB,
where the SQL models under queries/ run unchanged; nothing in queries/ is
written twice.

- A write (``store.transaction``) takes PostgreSQL's advisory lock, so one
  writer at a time across every server and command; brings the copy up to
  date; runs in DuckDB as on a file; then sends the rows it changed to
  PostgreSQL and commits there first, then in DuckDB. Any error rolls back
  both: a file is stored whole or not at all (a server killed mid-upload
  leaves PostgreSQL's transaction uncommitted, and so nothing).
- Which rows changed. A table with an ``upload_id`` column (every table that
  grows with uploads: observations, enterprise rows …) is compared upload by
  upload: a checksum of each upload's rows, kept from the last exchange with
  PostgreSQL; every upload whose checksum moved has its rows replaced there.
  The other tables (parks, schemes, mappings …, all small) are compared with a
  second copy, in schema ``pgmirror_…``, of what PostgreSQL held (a checksum,
  then ``except all``): for every key (the primary key, else the whole row)
  whose rows differ, PostgreSQL's rows are replaced by DuckDB's.
- Other servers see a write by its version: ``parkbench_state.version``
  counts writes, ``parkbench_tables`` says in which version each table last
  changed, ``parkbench_changes`` which uploads' rows of which tables each
  write replaced and which parks it rebuilt. ``refresh`` (the app calls it on
  every page run, at most once a second) reloads those rows (the ADBC driver,
  straight to Arrow) and rebuilds the models of those parks only; it holds
  the lock in shared mode meanwhile, so it never reads half of a write.
- Sequences (upload numbers, park ids …) travel in ``parkbench_sequences``.
"""

from __future__ import annotations

import json
import secrets
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from parkbench.errors import StoreError
from parkbench.models import sql

URL_PREFIXES = ("postgresql://", "postgres://")
LOCK_KEY = 7_361_620_250  # pg_advisory_xact_lock: one writer at a time, every server and command
LOCK_WAIT = "60s"  # a writer waits this long for another's write, then is answered in Chinese
REFRESH_EVERY = 1.0  # seconds between two looks at PostgreSQL's version by an app server's thread
MIRROR_PREFIX = "pgmirror_"  # an empty attached database named so marks a DuckDB copy of PostgreSQL
COPY_SCHEMA = "pgmirror"  # in the copy: second copies of the small tables, and the exchange state
PARTITION = "upload_id"  # a table with this column is compared and sent upload by upload

BOOKKEEPING = """
create table if not exists parkbench_state (id integer primary key, version bigint not null);
insert into parkbench_state values (1, 0) on conflict do nothing;
alter table parkbench_state add column if not exists store_id text not null default md5(random()::text);
create table if not exists parkbench_tables (table_name text primary key, version bigint not null);
create table if not exists parkbench_changes (
    version      bigint primary key,
    park_ids     integer[],            -- the parks whose models the write rebuilt; null: every park
    since        date,                 -- the earliest period rebuilt; null: all
    at           timestamptz not null default now());
create table if not exists parkbench_sequences (sequence_name text primary key, last_value bigint not null);
alter table parkbench_changes add column if not exists tables jsonb;  -- table → upload ids replaced; null: all rows
"""

PG_TYPES = {"VARCHAR": "text", "INTEGER": "integer", "BIGINT": "bigint", "DOUBLE": "double precision",
            "DATE": "date", "TIMESTAMP": "timestamp", "BOOLEAN": "boolean", "SMALLINT": "smallint",
            "FLOAT": "real", "VARCHAR[]": "text[]", "INTEGER[]": "integer[]", "BLOB": "bytea"}


def is_url(target) -> bool:
    return str(target).startswith(URL_PREFIXES)


def shown(url: str) -> str:
    """The URL without its password (``user:password@`` or ``?password=``), for messages."""
    head, _, tail = url.partition("://")
    tail, _, query = tail.partition("?")
    if "@" in tail:
        credentials, _, host = tail.rpartition("@")
        tail = f"{credentials.split(':', 1)[0]}@{host}"
    kept = [p for p in query.split("&") if p and not p.lower().startswith("password=")]
    return f"{head}://{tail}" + ("?" + "&".join(kept) if kept else "")


_MIRRORS: dict[str, Mirror] = {}


def mirror_of(con: duckdb.DuckDBPyConnection) -> Mirror | None:
    """The mirror of a DuckDB connection (or cursor) opened on PostgreSQL; None for a DuckDB file."""
    if not _MIRRORS:
        return None
    names = con.execute("select database_name from duckdb_databases() where starts_with(database_name, $p)",
                        {"p": MIRROR_PREFIX}).fetchall()
    return _MIRRORS.get(names[0][0]) if names else None


def quoted(name: str) -> str:
    """A table or column name from DuckDB's catalogue (never user text), quoted for either database."""
    return '"' + name.replace('"', '""') + '"'


def base_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The stored tables: main's base tables that are not materialised models."""
    models = {sql.model_name(name) for name, kind in sql.MODELS if kind == "table"}
    rows = con.execute("select table_name from duckdb_tables() where schema_name = 'main' "
                       "and database_name = current_database() and not temporary order by table_name").fetchall()
    return [r[0] for r in rows if r[0] not in models]


def _columns(con, schema: str, table: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = $s and table_name = $t order by ordinal_position", {"s": schema, "t": table}).fetchall()]


def _primary_key(con, table: str) -> list[str]:
    rows = con.execute("select constraint_column_names from duckdb_constraints() where schema_name = 'main' "
                       "and table_name = $t and constraint_type = 'PRIMARY KEY'", {"t": table}).fetchall()
    return list(rows[0][0]) if rows else []


@dataclass
class Fetched:
    """What changed in PostgreSQL since a copy's version, read and not yet applied."""
    version: int
    tables: dict[str, int]  # every table's version
    rows: dict[str, tuple]  # table → (the uploads replaced or None for all, their rows as Arrow)
    sequences: dict[str, int]
    scope: tuple  # (park ids or None, since): the rebuild the writes made


class Mirror:
    """One process's link to PostgreSQL for one DuckDB copy."""

    def __init__(self, url: str):
        self.url = url
        self.marker = MIRROR_PREFIX + secrets.token_hex(6)
        self.schema = COPY_SCHEMA
        self.version = -1  # PostgreSQL's version the copy holds; -1: nothing loaded yet
        self.table_versions: dict[str, int] = {}
        self.sums: dict[str, tuple] = {}  # table → checksum of the rows PostgreSQL holds
        self.upload_sums: dict[str, dict] = {}  # partitioned table → upload id → checksum of its rows there
        self._reader = None  # the ADBC connection tables are read through
        self.store_id = None  # PostgreSQL's parkbench_state.store_id: a cache of another store is not reused
        self.models_built = None  # the models' digest a cached copy was built with
        self._pg = None
        self._lock = threading.RLock()  # the PostgreSQL connection, one thread at a time

    # ------------------------------------------------------------ PostgreSQL

    def _connection(self):
        import psycopg

        if self._pg is None or self._pg.closed or self._pg.broken:
            try:
                # autocommit: every transaction here is opened by an explicit begin
                self._pg = psycopg.connect(self.url, connect_timeout=10, application_name="parkbench",
                                           autocommit=True)
            except psycopg.Error as exc:
                raise StoreError(f"无法连接数据库服务器 {shown(self.url)}：{_first_line(exc)}") from None
        return self._pg

    def close_connections(self) -> None:
        """Close the PostgreSQL and Arrow connections (opened again when next
        needed): called when the DuckDB copy they serve is closed and gone,
        so a process that connects many times holds no server connections
        of the copies it dropped."""
        with self._lock:
            for connection in (self._pg, self._reader):
                if connection is not None:
                    try:
                        connection.close()
                    except Exception:  # a connection the server already dropped
                        pass
            self._pg = self._reader = None

    def _arrow_reader(self):
        import adbc_driver_postgresql.dbapi as adbc

        if self._reader is None:
            self._reader = adbc.connect(self.url, autocommit=True)
        return self._reader

    @contextmanager
    def locked(self, action: str, shared: bool = False) -> Iterator:
        """A PostgreSQL transaction holding the writers' lock (``shared``: a
        reader's, which waits for a write to finish and holds the next one
        back), committed by ``commit`` (the caller's last step) or rolled back
        on any error."""
        import psycopg

        with self._lock:
            pg = self._connection()
            try:
                cur = pg.cursor()
                cur.execute("begin")
                cur.execute(f"set local lock_timeout = '{LOCK_WAIT}'")  # a constant
                if shared:
                    cur.execute("select pg_advisory_xact_lock_shared(%s)", [LOCK_KEY])
                else:
                    cur.execute("select pg_advisory_xact_lock(%s)", [LOCK_KEY])
                    cur.execute(BOOKKEEPING)
                yield cur
                _rollback(pg)  # nothing committed by the caller (nothing changed): release the lock
            except psycopg.errors.LockNotAvailable:
                _rollback(pg)
                raise StoreError(f"另一台服务器或另一个命令正在保存数据，等待超过 {LOCK_WAIT[:-1]} 秒；"
                                 f"{action}未完成，数据库没有任何改变；请稍后重试") from None
            except psycopg.Error as exc:
                _rollback(pg)
                raise StoreError(f"数据库服务器出错（{type(exc).__name__}：{_first_line(exc)}），"
                                 f"{action}未完成，数据库没有任何改变；请稍后重试或联系管理员") from None
            except BaseException:
                _rollback(pg)
                raise

    def commit(self, action: str) -> None:
        import psycopg

        try:
            self._pg.execute("commit")
        except psycopg.Error as exc:
            _rollback(self._pg)
            raise StoreError(f"数据库服务器提交失败（{_first_line(exc)}），{action}未完成，"
                             "数据库没有任何改变；请稍后重试") from None

    # ------------------------------------------------------------ reading PostgreSQL

    def refresh(self, con: duckdb.DuckDBPyConnection) -> bool:
        """Bring the copy up to PostgreSQL's last commit. True if anything
        was reloaded. The lock is held (shared) only while the rows are read,
        not while the models are rebuilt here, so other servers' writers wait
        for no reader's rebuild. (The app's thread calls it once a second:
        ``store.follow_in_background``.)"""
        with self._lock:
            with self.locked("读取数据", shared=True) as cur:
                fetched = self.fetch(con, cur)
            if fetched is not None:
                self.apply(con, fetched)
            return fetched is not None

    def pull(self, con: duckdb.DuckDBPyConnection, cur, build: bool = True) -> bool:
        """``fetch`` and ``apply`` inside the caller's PostgreSQL transaction."""
        fetched = self.fetch(con, cur)
        if fetched is None:
            return False
        self.apply(con, fetched, build)
        return True

    def fetch(self, con: duckdb.DuckDBPyConnection, cur) -> Fetched | None:
        """What changed since the copy's version, read from PostgreSQL: a
        table's rows of the uploads a write replaced, or the whole table. None
        if nothing did."""
        version = cur.execute("select version from parkbench_state").fetchone()[0]
        if version == self.version:
            return None
        tables = dict(cur.execute("select table_name, version from parkbench_tables").fetchall())
        changed = [t for t, v in tables.items() if self.table_versions.get(t) != v]
        writes = [] if self.version < 0 else cur.execute(
            "select park_ids, since, tables from parkbench_changes where version > %s order by version",
            [self.version]).fetchall()
        unknown = sorted(set(changed) - set(base_tables(con)))
        if unknown:
            raise StoreError(f"数据库服务器上的表 {'、'.join(unknown)} 不在本程序的数据结构中："
                             "它们由更新版本的 ParkBench 写入；请先把本服务器升级到同一版本")
        rows = {}
        for table in changed:
            uploads = _uploads_replaced(table, writes, self.version < 0)
            rows[table] = (uploads, self._read(con, table, uploads))
        sequences = dict(cur.execute("select sequence_name, last_value from parkbench_sequences").fetchall())
        scope = _scope([(parks, since) for parks, since, _ in writes]) if writes else (None, None)
        return Fetched(version, tables, rows, sequences, scope)

    def apply(self, con: duckdb.DuckDBPyConnection, fetched: Fetched, build: bool = True) -> None:
        """Put what ``fetch`` read into the copy and rebuild the models of the
        parks those writes rebuilt, in one DuckDB transaction."""
        con.execute("begin")
        try:
            for table, (uploads, pulled) in fetched.rows.items():
                self._replace(con, table, uploads, pulled)
            advance_sequences(con, fetched.sequences)
            if build:
                sql.build_tables(con, *fetched.scope)
            self.save_state(con, fetched.version, fetched.tables)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            self.forget(con)
            raise
        self.version, self.table_versions = fetched.version, fetched.tables

    def _read(self, con, table: str, uploads: list | None):
        """PostgreSQL's rows of ``table`` (of those uploads only, unless None), as Arrow."""
        names = ", ".join(quoted(c) for c, _ in _columns(con, "main", table))
        where = "" if uploads is None else f" where {_in_uploads(uploads)}"
        reader = self._arrow_reader().cursor()
        try:
            reader.execute(f"select {names} from {quoted(table)}{where}")
            return reader.fetch_arrow_table()
        finally:
            reader.close()

    def _replace(self, con, table: str, uploads: list | None, pulled) -> None:
        """The copy's rows of ``table`` (of those uploads only, unless None) replaced by ``pulled``."""
        columns = [c for c, _ in _columns(con, "main", table)]
        names = ", ".join(map(quoted, columns))
        where = "" if uploads is None else f" where {_in_uploads(uploads)}"
        con.execute(f"delete from main.{quoted(table)}{where}")
        con.register("pulled_rows", pulled)
        try:
            con.execute(f"insert into main.{quoted(table)} ({names}) select {names} from pulled_rows")
        finally:
            con.unregister("pulled_rows")
        if PARTITION in columns:
            sums = self.upload_sums.setdefault(table, {}) if uploads is not None else {}
            sums.update({u: None for u in (uploads or [])})
            sums.update(_upload_checksums(con, f"main.{quoted(table)}", where))
            self.upload_sums[table] = {u: v for u, v in sums.items() if v is not None}
        else:
            con.execute(f"delete from {self.schema}.{quoted(table)}")
            con.execute(f"insert into {self.schema}.{quoted(table)} select * from main.{quoted(table)}")
            self.sums[table] = _checksum(con, f"main.{quoted(table)}")

    def forget(self, con: duckdb.DuckDBPyConnection | None = None) -> None:
        """The copy no longer matches PostgreSQL (a failed write or reload): reload everything next time."""
        self.version, self.table_versions = -1, {}
        if con is not None:
            self.save_state(con)

    def save_state(self, con: duckdb.DuckDBPyConnection, version: int | None = None,
                   table_versions: dict | None = None) -> None:
        """What the copy holds of PostgreSQL, kept in the copy itself (in the
        caller's transaction): a server whose copy is a file (``PARKBENCH_CACHE``)
        starts again from it and reloads only what changed meanwhile."""
        state = {"url": self.url, "store_id": self.store_id, "models": sql.models_digest(),
                 "version": self.version if version is None else version,
                 "tables": self.table_versions if table_versions is None else table_versions,
                 "sums": {t: list(v) for t, v in self.sums.items()},
                 "upload_sums": {t: [[u, *v] for u, v in sums.items()] for t, sums in self.upload_sums.items()}}
        con.execute(f"create table if not exists {self.schema}.state (state varchar)")
        con.execute(f"delete from {self.schema}.state")
        con.execute(f"insert into {self.schema}.state values ($s)", {"s": json.dumps(state)})

    def restore_state(self, con: duckdb.DuckDBPyConnection, held_version: int) -> bool:
        """Take up the state a cached copy kept, if it is a copy of this very
        store no newer than PostgreSQL; False if the copy must start empty."""
        try:
            state = json.loads(con.execute(f"select state from {self.schema}.state").fetchall()[0][0])
        except (duckdb.Error, IndexError):
            return False
        if (state["store_id"] != self.store_id or state["url"] != self.url  # another store, or a restored one
                or not 0 <= state["version"] <= held_version):
            return False
        self.version, self.table_versions = state["version"], state["tables"]
        self.sums = {t: tuple(v) for t, v in state["sums"].items()}
        self.upload_sums = {t: {u: (n, total) for u, n, total in rows} for t, rows in state["upload_sums"].items()}
        self.models_built = state["models"]
        return True

    # ------------------------------------------------------------ writing PostgreSQL

    def create_copies(self, con: duckdb.DuckDBPyConnection) -> None:
        """An empty copy in the mirror schema of every stored table that lacks one."""
        con.execute(f"create schema if not exists {self.schema}")
        have = {r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = $s",
                                          {"s": self.schema}).fetchall()}
        for table in base_tables(con):
            if _partitioned(con, table):
                self.upload_sums.setdefault(table, {})
            elif table not in have:
                con.execute(f"create table {self.schema}.{quoted(table)} as select * from main.{quoted(table)} limit 0")
                self.sums[table] = _checksum(con, f"{self.schema}.{quoted(table)}")

    def sync_schema(self, con: duckdb.DuckDBPyConnection, cur) -> None:
        """PostgreSQL's tables made to match DuckDB's after the migrations ran
        here: a new table created, a changed one recreated (and so sent whole),
        one no longer in the schema dropped."""
        self.create_copies(con)
        cur.execute("select table_name from parkbench_tables")
        known = {r[0] for r in cur.fetchall()}
        local = base_tables(con)
        for table in local:
            columns = _columns(con, "main", table)
            cur.execute("select column_name, data_type, udt_name from information_schema.columns "
                        "where table_schema = current_schema() and table_name = %s order by ordinal_position", [table])
            present = [r[0] for r in cur.fetchall()]
            if present == [c for c, _ in columns]:
                continue
            cur.execute(f"drop table if exists {quoted(table)}")
            key = _primary_key(con, table)
            body = ", ".join(f"{quoted(c)} {_pg_type(table, c, t)}" for c, t in columns)
            if key:
                body += f", primary key ({', '.join(map(quoted, key))})"
            cur.execute(f"create table {quoted(table)} ({body})")
            cur.execute("insert into parkbench_tables values (%s, 0) on conflict do nothing", [table])
            if _partitioned(con, table):
                cur.execute(f"create index on {quoted(table)} ({PARTITION})")
                self.upload_sums[table] = {}  # so every row is sent below
            else:
                # an empty copy with the new columns, so every row is sent below
                con.execute(f"create or replace table {self.schema}.{quoted(table)} as "
                            f"select * from main.{quoted(table)} limit 0")
                self.sums[table] = _checksum(con, f"{self.schema}.{quoted(table)}")
        for table in known - set(local):
            cur.execute(f"drop table if exists {quoted(table)}")
            cur.execute("delete from parkbench_tables where table_name = %s", [table])
            con.execute(f"drop table if exists {self.schema}.{quoted(table)}")
            self.sums.pop(table, None)
            self.upload_sums.pop(table, None)

    def push(self, con: duckdb.DuckDBPyConnection, cur, rebuilt: list | None) -> int | None:
        """Send every row that differs from PostgreSQL's, inside the caller's
        transactions (DuckDB's and PostgreSQL's). ``rebuilt``: the
        ``build_tables`` calls the write made, for the other servers to repeat.
        The new version, or None if nothing changed."""
        from psycopg.types.json import Jsonb

        sums, upload_sums, replaced = {}, {}, {}
        for table in base_tables(con):
            if _partitioned(con, table):
                now = _upload_checksums(con, f"main.{quoted(table)}")
                before = self.upload_sums.get(table, {})
                uploads = sorted((u for u in now.keys() | before.keys() if now.get(u) != before.get(u)),
                                 key=lambda u: (u is None, u or 0))
                if uploads:
                    self._send_uploads(con, cur, table, uploads)
                    upload_sums[table], replaced[table] = now, uploads
            else:
                total = _checksum(con, f"main.{quoted(table)}")
                if total != self.sums.get(table):
                    self._send(con, cur, table)
                    sums[table], replaced[table] = total, None
        if not replaced:
            return None
        version = cur.execute("update parkbench_state set version = version + 1 returning version").fetchone()[0]
        cur.executemany("insert into parkbench_tables values (%s, %s) "
                        "on conflict (table_name) do update set version = excluded.version",
                        [(t, version) for t in replaced])
        parks, since = _scope(rebuilt)
        cur.execute("insert into parkbench_changes (version, park_ids, since, tables) values (%s, %s, %s, %s)",
                    [version, parks, since, Jsonb(replaced)])
        cur.executemany("insert into parkbench_sequences values (%s, %s) "
                        "on conflict (sequence_name) do update set last_value = excluded.last_value",
                        con.execute("select sequence_name, last_value from duckdb_sequences() "
                                    "where schema_name = 'main' and last_value is not null").fetchall())
        self._pending = (version, sums, upload_sums)
        kept = (self.sums, self.upload_sums)
        self.sums, self.upload_sums = {**self.sums, **sums}, {**self.upload_sums, **upload_sums}
        try:
            self.save_state(con, version, {**self.table_versions, **dict.fromkeys(replaced, version)})
        finally:
            self.sums, self.upload_sums = kept
        return version

    def pushed(self, version: int | None) -> None:
        """After both commits: the copy is PostgreSQL's at ``version``."""
        if version is None:
            return
        _, sums, upload_sums = self._pending
        self.sums.update(sums)
        self.upload_sums.update(upload_sums)
        self.table_versions.update(dict.fromkeys([*sums, *upload_sums], version))
        if self.version == version - 1:
            self.version = version
        else:
            self.forget()  # another write slipped between (cannot under the lock): reload to be sure

    def _send_uploads(self, con, cur, table: str, uploads: list) -> None:
        """PostgreSQL's rows of these uploads replaced by the copy's."""
        columns = [c for c, _ in _columns(con, "main", table)]
        names = ", ".join(map(quoted, columns))
        where = _in_uploads(uploads)
        cur.execute(f"delete from {quoted(table)} where {where}")
        rows = con.execute(f"select {names} from main.{quoted(table)} where {where}").fetchall()
        with cur.copy(f"copy {quoted(table)} ({names}) from stdin") as copy_in:
            for row in rows:
                copy_in.write_row(row)

    def _send(self, con, cur, table: str) -> None:
        columns = [c for c, _ in _columns(con, "main", table)]
        key = _primary_key(con, table) or columns
        main, copy = f"main.{quoted(table)}", f"{self.schema}.{quoted(table)}"
        keys = ", ".join(map(quoted, key))
        matches = " and ".join(f"t.{quoted(k)} is not distinct from c.{quoted(k)}" for k in key)
        differing = (f"with changed as (select distinct {keys} from ("
                     f"(select * from {main} except all select * from {copy}) union all "
                     f"(select * from {copy} except all select * from {main})))")
        changed_keys = con.execute(f"{differing} select * from changed").fetchall()
        rows = con.execute(f"{differing} select t.* from {main} t semi join changed c on {matches}").fetchall()
        names = ", ".join(map(quoted, columns))
        if changed_keys and con.execute(f"select count(*) from {copy}").fetchall()[0][0]:
            cur.execute(f"create temporary table changed_keys as select {keys} from {quoted(table)} limit 0")
            with cur.copy(f"copy changed_keys ({keys}) from stdin") as copy_in:
                for row in changed_keys:
                    copy_in.write_row(row)
            pg_matches = " and ".join(f"{quoted(table)}.{quoted(k)} is not distinct from changed_keys.{quoted(k)}"
                                      for k in key)
            cur.execute(f"delete from {quoted(table)} using changed_keys where {pg_matches}")
            cur.execute("drop table changed_keys")
        with cur.copy(f"copy {quoted(table)} ({names}) from stdin") as copy_in:
            for row in rows:
                copy_in.write_row(row)
        con.execute(f"delete from {copy}")
        con.execute(f"insert into {copy} select * from {main}")


def _scope(rebuilt: list | None) -> tuple[list[int] | None, object]:
    """The union of a write's rebuilds: (park ids, earliest since), or (None, None) for every park."""
    if not rebuilt or any(parks is None for parks, _ in rebuilt):
        return None, None
    parks = sorted({int(p) for ids, _ in rebuilt for p in ids})
    sinces = [since for _, since in rebuilt]
    return parks, (None if any(s is None for s in sinces) else min(sinces))


def advance_sequences(con: duckdb.DuckDBPyConnection, held: dict[str, int]) -> None:
    """Each local sequence advanced to the last value ``held`` gives it (never back)."""
    for name, last in con.execute("select sequence_name, coalesce(last_value, start_value - 1) "
                                  "from duckdb_sequences() where schema_name = 'main'").fetchall():
        behind = int(held.get(name, last)) - int(last)
        if behind > 0:
            con.execute(f"select max(nextval('{name}')) from range($n)", {"n": behind})  # name from the catalogue


def _partitioned(con, table: str) -> bool:
    return any(c == PARTITION for c, _ in _columns(con, "main", table))


def _in_uploads(uploads: list) -> str:
    """``upload_id in (…)`` for upload ids (integers from the stores, never user text; None: rows without one)."""
    ids = [str(int(u)) for u in uploads if u is not None]
    clauses = [f"{PARTITION} in ({', '.join(ids)})"] if ids else []
    if any(u is None for u in uploads):
        clauses.append(f"{PARTITION} is null")
    return "(" + " or ".join(clauses or ["false"]) + ")"


def _upload_checksums(con, relation: str, where: str = "") -> dict:
    return {r[0]: (r[1], r[2]) for r in con.execute(
        f"select {PARTITION}, count(*), sum(hash(r)::hugeint) from {relation} r{where} group by all").fetchall()}


def _uploads_replaced(table: str, writes: list, everything: bool) -> list | None:
    """The uploads whose rows of ``table`` the writes replaced, or None for the whole table."""
    if everything or not writes:
        return None
    uploads = set()
    for _, _, tables in writes:
        if tables is None or table not in tables:
            continue  # this write did not touch the table
        if tables[table] is None:
            return None
        uploads.update(tables[table])
    return sorted(uploads, key=lambda u: (u is None, u or 0)) if uploads else None


def _checksum(con, relation: str) -> tuple:
    return tuple(con.execute(f"select count(*), coalesce(sum(hash(r)::hugeint), 0) from {relation} r").fetchall()[0])


def _pg_type(table: str, column: str, duck_type: str) -> str:
    if duck_type in PG_TYPES:
        return PG_TYPES[duck_type]
    if duck_type.startswith("DECIMAL"):
        return duck_type.replace("DECIMAL", "numeric")
    raise StoreError(f"表 {table} 的列 {column} 类型 {duck_type} 无法存入 PostgreSQL")


def _rollback(pg) -> None:
    """End the open transaction, if any, without keeping it."""
    from psycopg.pq import TransactionStatus

    try:
        if pg.info.transaction_status != TransactionStatus.IDLE:
            pg.execute("rollback")
    except Exception:  # a broken connection has nothing to roll back
        pass


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def open_store(url: str, cache: str | None, open_duckdb, apply_schema, migrate) -> duckdb.DuckDBPyConnection:
    """The DuckDB copy of the store at ``url``, in memory or (``cache``) in a
    file of this server's own, brought up to date under the writers' lock:
    the schema files PostgreSQL's data was written with, its rows (only what
    changed since, for a cached copy of this store), then the newer schema
    files (the same migrations as a DuckDB file's), sent back to PostgreSQL."""
    duck = _open_copy(cache, open_duckdb)
    mirror = Mirror(url)
    duck.execute(f"attach ':memory:' as {mirror.marker}")
    _MIRRORS[mirror.marker] = mirror
    try:
        with mirror.locked("打开数据库") as cur:
            mirror.store_id, held_version = cur.execute("select store_id, version from parkbench_state").fetchone()
            cur.execute("select to_regclass('schema_migrations') is not null")
            held = 0
            if cur.fetchone()[0]:
                held = cur.execute("select coalesce(max(version), 0) from schema_migrations").fetchone()[0]
            cached = cache is not None and mirror.restore_state(duck, held_version)
            if cache is not None and not cached:
                duck = _emptied(duck, cache, open_duckdb, mirror.marker)
            apply_schema(duck, upto=held)
            duck.execute(f"create schema if not exists {mirror.schema}")
            mirror.create_copies(duck)
            mirror.pull(duck, cur, build=cached)
            migrate(duck)
            if cached and mirror.models_built != sql.models_digest():
                sql.build_tables(duck)  # the models changed since the cache was built
            mirror.sync_schema(duck, cur)
            version = mirror.push(duck, cur, rebuilt=None)
            if version is None:
                mirror.save_state(duck)
            mirror.commit("打开数据库")
            mirror.pushed(version)
    except BaseException:
        _MIRRORS.pop(mirror.marker, None)
        mirror.close_connections()
        duck.close()
        raise
    # The mirror stays registered (a cursor may outlive the connection it came
    # from and still write through it); its server connections go with the copy.
    weakref.finalize(duck, mirror.close_connections)
    return duck


def _open_copy(cache: str | None, open_duckdb) -> duckdb.DuckDBPyConnection:
    """The cache file, or memory when there is none or another process holds it."""
    if cache is None:
        return open_duckdb(":memory:")
    Path(cache).parent.mkdir(parents=True, exist_ok=True)
    try:
        return open_duckdb(cache)
    except StoreError:  # held by another process (another server or command): work in memory
        return open_duckdb(":memory:")


def _emptied(duck, cache: str, open_duckdb, marker: str) -> duckdb.DuckDBPyConnection:
    """A cache file of another store (or stale) replaced by an empty one."""
    path = duck.execute("select path from duckdb_databases() where database_name = current_database()").fetchall()[0][0]
    if not path:
        return duck  # in memory already, and empty
    duck.close()
    for leftover in (Path(cache), Path(f"{cache}.wal")):
        leftover.unlink(missing_ok=True)
    fresh = open_duckdb(cache)
    fresh.execute(f"attach ':memory:' as {marker}")
    return fresh
