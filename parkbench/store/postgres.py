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
- Which rows changed: every table is compared with a second copy, in schema
  ``pgmirror_…``, of what PostgreSQL held before the write (a checksum per
  table, then ``except all`` on the tables whose checksum moved). For every
  key (the primary key, else the whole row) whose rows differ, PostgreSQL's
  rows are replaced by DuckDB's.
- Other servers see a write by its version: ``parkbench_state.version``
  counts writes, ``parkbench_tables`` says in which version each table last
  changed, ``parkbench_changes`` which parks each write rebuilt. ``refresh``
  (the app calls it on every page run, at most once a second) reloads the
  tables that changed and rebuilds the models of those parks only.
- Sequences (upload numbers, park ids …) travel in ``parkbench_sequences``.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pyarrow as pa

from parkbench.errors import StoreError
from parkbench.models import sql

URL_PREFIXES = ("postgresql://", "postgres://")
LOCK_KEY = 7_361_620_250  # pg_advisory_xact_lock: one writer at a time, every server and command
LOCK_WAIT = "60s"  # a writer waits this long for another's write, then is answered in Chinese
REFRESH_EVERY = 1.0  # seconds between two looks at PostgreSQL's version from one process
MIRROR_PREFIX = "pgmirror_"

BOOKKEEPING = """
create table if not exists parkbench_state (id integer primary key, version bigint not null);
insert into parkbench_state values (1, 0) on conflict do nothing;
create table if not exists parkbench_tables (table_name text primary key, version bigint not null);
create table if not exists parkbench_changes (
    version      bigint primary key,
    park_ids     integer[],            -- the parks whose models the write rebuilt; null: every park
    since        date,                 -- the earliest period rebuilt; null: all
    at           timestamptz not null default now());
create table if not exists parkbench_sequences (sequence_name text primary key, last_value bigint not null);
"""

PG_TYPES = {"VARCHAR": "text", "INTEGER": "integer", "BIGINT": "bigint", "DOUBLE": "double precision",
            "DATE": "date", "TIMESTAMP": "timestamp", "BOOLEAN": "boolean", "SMALLINT": "smallint",
            "FLOAT": "real", "VARCHAR[]": "text[]", "INTEGER[]": "integer[]", "BLOB": "bytea"}


def is_url(target) -> bool:
    return str(target).startswith(URL_PREFIXES)


def shown(url: str) -> str:
    """The URL without its password, for messages."""
    head, _, tail = url.partition("://")
    if "@" in tail:
        credentials, _, host = tail.rpartition("@")
        return f"{head}://{credentials.split(':', 1)[0]}@{host}"
    return url


_MIRRORS: dict[str, Mirror] = {}


def mirror_of(con: duckdb.DuckDBPyConnection) -> Mirror | None:
    """The mirror of a DuckDB connection (or cursor) opened on PostgreSQL; None for a DuckDB file."""
    if not _MIRRORS:
        return None
    names = con.execute("select schema_name from duckdb_schemas() where starts_with(schema_name, $p)",
                        {"p": MIRROR_PREFIX}).fetchall()
    return _MIRRORS.get(names[0][0]) if names else None


def _ident(name: str) -> str:
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


class Mirror:
    """One process's link to PostgreSQL for one DuckDB copy."""

    def __init__(self, url: str):
        self.url = url
        self.schema = MIRROR_PREFIX + secrets.token_hex(6)
        self.version = -1  # PostgreSQL's version the copy holds; -1: nothing loaded yet
        self.table_versions: dict[str, int] = {}
        self.sums: dict[str, tuple] = {}  # table → checksum of the copy PostgreSQL holds
        self.checked_at = 0.0
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

    @contextmanager
    def locked(self, action: str) -> Iterator:
        """A PostgreSQL transaction holding the writers' lock, committed by
        ``commit`` (the caller's last step) or rolled back on any error."""
        import psycopg

        with self._lock:
            pg = self._connection()
            try:
                cur = pg.cursor()
                cur.execute("begin")
                cur.execute(f"set local lock_timeout = '{LOCK_WAIT}'")  # a constant
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

    def refresh(self, con: duckdb.DuckDBPyConnection, force: bool = False) -> bool:
        """Bring the copy up to PostgreSQL's last commit (at most once a
        second unless ``force``). True if anything was reloaded."""
        import psycopg

        if not force and time.monotonic() - self.checked_at < REFRESH_EVERY:
            return False
        with self._lock:
            pg = self._connection()
            try:
                pg.execute("begin isolation level repeatable read read only")  # one snapshot of every table
                changed = self.pull(con, pg.cursor())
                pg.execute("commit")
            except psycopg.Error as exc:
                _rollback(pg)
                raise StoreError(f"读取数据库服务器失败（{_first_line(exc)}）；请稍后刷新页面") from None
            self.checked_at = time.monotonic()
            return changed

    def pull(self, con: duckdb.DuckDBPyConnection, cur, build: bool = True) -> bool:
        """Reload the tables changed since the copy's version and rebuild the
        models of the parks those writes rebuilt, in one DuckDB transaction."""
        version = cur.execute("select version from parkbench_state").fetchone()[0]
        if version == self.version:
            return False
        tables = dict(cur.execute("select table_name, version from parkbench_tables").fetchall())
        changed = [t for t, v in tables.items() if self.table_versions.get(t) != v]
        scope = self._rebuild_scope(cur) if self.version >= 0 else None
        local = set(base_tables(con))
        unknown = sorted(set(changed) - local)
        if unknown:
            raise StoreError(f"数据库服务器上的表 {'、'.join(unknown)} 不在本程序的数据结构中："
                             "它们由更新版本的 ParkBench 写入；请先把本服务器升级到同一版本")
        con.execute("begin")
        try:
            for table in changed:
                self._load(con, cur, table)
            self._set_sequences(con, cur)
            if build:
                parks, since = scope if scope else (None, None)
                sql.build_tables(con, parks, since)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            self.forget()
            raise
        self.version, self.table_versions = version, tables
        return True

    def _rebuild_scope(self, cur):
        rows = cur.execute("select park_ids, since from parkbench_changes where version > %s",
                           [self.version]).fetchall()
        if not rows or any(parks is None for parks, _ in rows):
            return None
        parks = sorted({p for ids, _ in rows for p in ids})
        sinces = [since for _, since in rows]
        return parks, (None if any(s is None for s in sinces) else min(sinces))

    def _load(self, con, cur, table: str) -> None:
        columns = [c for c, _ in _columns(con, "main", table)]
        names = ", ".join(map(_ident, columns))
        cur.execute(f"select {names} from {_ident(table)}")
        rows = cur.fetchall()
        frame = pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)}) if rows else None
        con.execute(f"delete from main.{_ident(table)}")
        con.execute(f"delete from {self.schema}.{_ident(table)}")
        if frame is not None:
            con.register("pulled_rows", frame)
            try:
                con.execute(f"insert into main.{_ident(table)} ({names}) select {names} from pulled_rows")
            finally:
                con.unregister("pulled_rows")
            con.execute(f"insert into {self.schema}.{_ident(table)} select * from main.{_ident(table)}")
        self.sums[table] = _checksum(con, f"main.{_ident(table)}")

    def _set_sequences(self, con, cur) -> None:
        """Each local sequence advanced to the last value PostgreSQL holds."""
        stored = dict(cur.execute("select sequence_name, last_value from parkbench_sequences").fetchall())
        for name, last in con.execute("select sequence_name, coalesce(last_value, start_value - 1) "
                                      "from duckdb_sequences() where schema_name = 'main'").fetchall():
            behind = int(stored.get(name, last)) - int(last)
            if behind > 0:
                con.execute(f"select max(nextval('{name}')) from range($n)", {"n": behind})  # name from the catalogue

    def forget(self) -> None:
        """The copy no longer matches PostgreSQL (a failed write or reload): reload everything next time."""
        self.version, self.table_versions = -1, {}

    # ------------------------------------------------------------ writing PostgreSQL

    def create_copies(self, con: duckdb.DuckDBPyConnection) -> None:
        """An empty copy in the mirror schema of every stored table that lacks one."""
        con.execute(f"create schema if not exists {self.schema}")
        have = {r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = $s",
                                          {"s": self.schema}).fetchall()}
        for table in base_tables(con):
            if table not in have:
                con.execute(f"create table {self.schema}.{_ident(table)} as select * from main.{_ident(table)} limit 0")
                self.sums[table] = _checksum(con, f"{self.schema}.{_ident(table)}")

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
            cur.execute(f"drop table if exists {_ident(table)}")
            key = _primary_key(con, table)
            body = ", ".join(f"{_ident(c)} {_pg_type(table, c, t)}" for c, t in columns)
            if key:
                body += f", primary key ({', '.join(map(_ident, key))})"
            cur.execute(f"create table {_ident(table)} ({body})")
            cur.execute("insert into parkbench_tables values (%s, 0) on conflict do nothing", [table])
            # an empty copy with the new columns, so every row is sent below
            con.execute(f"create or replace table {self.schema}.{_ident(table)} as "
                        f"select * from main.{_ident(table)} limit 0")
            self.sums[table] = _checksum(con, f"{self.schema}.{_ident(table)}")
        for table in known - set(local):
            cur.execute(f"drop table if exists {_ident(table)}")
            cur.execute("delete from parkbench_tables where table_name = %s", [table])
            con.execute(f"drop table if exists {self.schema}.{_ident(table)}")
            self.sums.pop(table, None)

    def push(self, con: duckdb.DuckDBPyConnection, cur, rebuilt: list | None) -> int | None:
        """Send every row that differs from PostgreSQL's copy, inside the
        caller's transactions (DuckDB's and PostgreSQL's). ``rebuilt``: the
        ``build_tables`` calls the write made, for the other servers to repeat.
        The new version, or None if nothing changed."""
        changed = {}
        for table in base_tables(con):
            total = _checksum(con, f"main.{_ident(table)}")
            if total != self.sums.get(table):
                self._send(con, cur, table)
                changed[table] = total
        if not changed:
            return None
        version = cur.execute("update parkbench_state set version = version + 1 returning version").fetchone()[0]
        cur.executemany("insert into parkbench_tables values (%s, %s) "
                        "on conflict (table_name) do update set version = excluded.version",
                        [(t, version) for t in changed])
        parks, since = _scope(rebuilt)
        cur.execute("insert into parkbench_changes (version, park_ids, since) values (%s, %s, %s)",
                    [version, parks, since])
        cur.executemany("insert into parkbench_sequences values (%s, %s) "
                        "on conflict (sequence_name) do update set last_value = excluded.last_value",
                        con.execute("select sequence_name, last_value from duckdb_sequences() "
                                    "where schema_name = 'main' and last_value is not null").fetchall())
        self._pending = (version, changed)
        return version

    def pushed(self, version: int | None) -> None:
        """After both commits: the copy is PostgreSQL's at ``version``."""
        if version is None:
            return
        _, changed = self._pending
        self.sums.update(changed)
        self.table_versions.update(dict.fromkeys(changed, version))
        if self.version == version - 1:
            self.version = version
        else:
            self.forget()  # another write slipped between (cannot under the lock): reload to be sure

    def _send(self, con, cur, table: str) -> None:
        columns = [c for c, _ in _columns(con, "main", table)]
        key = _primary_key(con, table) or columns
        main, copy = f"main.{_ident(table)}", f"{self.schema}.{_ident(table)}"
        keys = ", ".join(map(_ident, key))
        matches = " and ".join(f"t.{_ident(k)} is not distinct from c.{_ident(k)}" for k in key)
        differing = (f"with changed as (select distinct {keys} from ("
                     f"(select * from {main} except all select * from {copy}) union all "
                     f"(select * from {copy} except all select * from {main})))")
        changed_keys = con.execute(f"{differing} select * from changed").fetchall()
        rows = con.execute(f"{differing} select t.* from {main} t semi join changed c on {matches}").fetchall()
        names = ", ".join(map(_ident, columns))
        if changed_keys and con.execute(f"select count(*) from {copy}").fetchall()[0][0]:
            cur.execute(f"create temporary table changed_keys as select {keys} from {_ident(table)} limit 0")
            with cur.copy(f"copy changed_keys ({keys}) from stdin") as copy_in:
                for row in changed_keys:
                    copy_in.write_row(row)
            pg_matches = " and ".join(f"{_ident(table)}.{_ident(k)} is not distinct from changed_keys.{_ident(k)}"
                                      for k in key)
            cur.execute(f"delete from {_ident(table)} using changed_keys where {pg_matches}")
            cur.execute("drop table changed_keys")
        with cur.copy(f"copy {_ident(table)} ({names}) from stdin") as copy_in:
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


def open_store(url: str, duck: duckdb.DuckDBPyConnection, apply_schema, migrate) -> duckdb.DuckDBPyConnection:
    """``duck`` (an empty in-memory DuckDB) made the copy of the store at
    ``url``: the schema files PostgreSQL's data was written with, its rows,
    then the newer schema files (the same migrations as a DuckDB file's),
    sent back to PostgreSQL, all under the writers' lock."""
    mirror = Mirror(url)
    duck.execute(f"create schema {mirror.schema}")
    _MIRRORS[mirror.schema] = mirror
    try:
        with mirror.locked("打开数据库") as cur:
            cur.execute("select to_regclass('schema_migrations') is not null")
            held = 0
            if cur.fetchone()[0]:
                held = cur.execute("select coalesce(max(version), 0) from schema_migrations").fetchone()[0]
            apply_schema(duck, upto=held)
            mirror.create_copies(duck)
            mirror.pull(duck, cur, build=False)
            migrate(duck)
            mirror.sync_schema(duck, cur)
            version = mirror.push(duck, cur, rebuilt=None)
            mirror.commit("打开数据库")
            mirror.pushed(version)
    except BaseException:
        _MIRRORS.pop(mirror.schema, None)
        duck.close()
        raise
    mirror.checked_at = time.monotonic()
    return duck
