"""Accounts, roles and who may do what.

Accounts live in a TOML file the administrator keeps (``accounts.toml``
beside the database, or ``$PARKBENCH_ACCOUNTS``), written by
``python -m parkbench account …`` or by hand. On a PostgreSQL store
(``PARKBENCH_DB=postgresql://…``) the same TOML text and the key that signs
sign-ins live in that database instead (``ServerAccounts``), so every app
server behind the proxy knows the same accounts and honours the others'
sign-ins::

    [accounts."zhangsan"]
    name = "张三"
    role = "填报"                       # 查看 | 填报 | 管理
    parks = ["寻甸特色产业园区"]          # 填报: the parks this account stores and undoes for
    password = "$2b$12$…"               # bcrypt hash (python -m parkbench account hash)

Roles: 查看 (view) reads every page; 填报 (upload) also stores files and undoes
uploads whose parks are all assigned to it; 管理 (admin) may do everything.

Access: with no accounts configured and the app bound to this computer
(server address localhost), it runs open as before, everything allowed to
"本机". Exposed on the network (any other address, or none, which means every
interface) it requires a login; exposed without accounts it refuses to run.
Any configured account turns login on, wherever the app listens.
"""

from __future__ import annotations

import base64
import functools
import getpass
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import bcrypt
import duckdb

from parkbench import store
from parkbench.errors import AccountError
from parkbench.ingest.normalize import display_text
from parkbench.store import postgres

VIEW, UPLOAD, ADMIN = "查看", "填报", "管理"
ROLES = (VIEW, UPLOAD, ADMIN)
ROLE_ALIASES = {"view": VIEW, "viewer": VIEW, "upload": UPLOAD, "uploader": UPLOAD, "admin": ADMIN}
LOCAL_ADDRESSES = {"localhost", "127.0.0.1", "::1", "[::1]"}
OPEN_USER = "本机"
USERNAME = re.compile(r"^[\w.\-@]{1,64}$")


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    name: str = ""
    parks: tuple[str, ...] = ()
    password: str = field(default="", repr=False)  # bcrypt hash

    @property
    def label(self) -> str:
        return f"{self.name or self.username}（{self.role}）"

    @property
    def can_upload(self) -> bool:
        return self.role in (UPLOAD, ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


OPEN_ACCOUNT = Account(OPEN_USER, ADMIN, name=OPEN_USER)
# Who reads through the command line: the operator on the server, who reads everything
# (the database file is theirs); the pages always read as a signed-in or the open account.
OPERATOR = Account("命令行", ADMIN, name="服务器操作员")


def accounts_path(db: str | os.PathLike | None = None) -> Path | ServerAccounts:
    """Where the accounts live: ``$PARKBENCH_ACCOUNTS`` if set; else, on a
    PostgreSQL store, the store's own database (shared by every app server);
    else accounts.toml beside the database file."""
    explicit = os.environ.get("PARKBENCH_ACCOUNTS")
    if explicit:
        return Path(explicit)
    if store.on_server(db):
        return _server_accounts(store.db_target(db))
    return store.db_path(db).parent / "accounts.toml"


# ---------------------------------------------------------------- where accounts live

class AccountsFile:
    """Accounts in a TOML file; the session key in ``session.key`` beside it."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    def __str__(self) -> str:
        return str(self.path)

    @property
    def label(self) -> str:
        return f"账户文件 {self.path}"

    def read_text(self) -> str | None:
        """The file's text; None if there is no file."""
        try:
            return self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None

    def write_text(self, text: str) -> None:
        """Replace the file whole, readable by its owner only."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.chmod(0o600)
        temporary.replace(self.path)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        yield  # one administrator edits the file of one server

    def session_key(self) -> bytes:
        """``session.key`` beside the file, made on first use, readable by its owner only."""
        key_path = self.path.with_name("session.key")
        try:
            return key_path.read_bytes()
        except FileNotFoundError:
            pass
        key_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another server process made it first
            return key_path.read_bytes()
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(32))
        return key_path.read_bytes()


SERVER_TABLE = "parkbench_accounts"
SERVER_LOCK_KEY = 7_361_620_251  # pg_advisory_xact_lock: one change of the accounts at a time
SERVER_LOCK_WAIT = "30s"
SERVER_READ_EVERY = 1.0  # seconds a process reuses what it read (pages ask many times per run)
CREATE_SERVER_TABLE = f"""
create table if not exists {SERVER_TABLE} (
    id           smallint primary key default 1 check (id = 1),  -- one row
    document     text,                                           -- the accounts.toml text
    session_key  bytea,                                          -- signs sign-in cookies
    changed_at   timestamptz not null default now())
"""


class ServerAccounts:
    """Accounts in the PostgreSQL database of the store: the accounts.toml text
    and the session key in the one row of ``parkbench_accounts`` (created by the
    first change), so that a sign-in made on one app server holds on the others.
    A change is one transaction holding the accounts' advisory lock: two
    administrators on two servers cannot lose each other's edit. A read is
    reused for up to a second (a page asks for the accounts many times)."""

    def __init__(self, url: str):
        self.url = url
        self._pg = None
        self._lock = threading.RLock()  # the connection, one thread at a time
        self._in_transaction = False
        self._row: tuple[str | None, bytes | None] = (None, None)
        self._read_at = -float("inf")

    def __str__(self) -> str:
        return f"{postgres.shown(self.url)} ({SERVER_TABLE})"

    @property
    def label(self) -> str:
        return f"数据库服务器 {postgres.shown(self.url)} 上的账户（表 {SERVER_TABLE}）"

    def _connection(self):
        import psycopg

        if self._pg is None or self._pg.closed or self._pg.broken:
            try:
                self._pg = psycopg.connect(self.url, connect_timeout=10, application_name="parkbench-accounts",
                                           autocommit=True)
            except psycopg.Error as exc:
                raise AccountError(f"无法连接数据库服务器 {postgres.shown(self.url)} 读取账户："
                                   f"{_first_line(exc)}") from None
        return self._pg

    def _current_row(self) -> tuple[str | None, bytes | None]:
        """(accounts text, session key) as PostgreSQL holds them (in a change:
        as the change sees them), or as read less than a second ago."""
        import psycopg

        with self._lock:
            if not self._in_transaction and time.monotonic() - self._read_at < SERVER_READ_EVERY:
                return self._row
            for attempt in (1, 2):  # a connection the server dropped (a restart) is opened again once
                pg = self._connection()
                try:
                    row = pg.execute(f"select document, session_key from {SERVER_TABLE} where id = 1").fetchone()
                    break
                except psycopg.errors.UndefinedTable:  # no account was ever made on this database
                    row = None
                    break
                except psycopg.OperationalError as exc:
                    if attempt == 2 or self._in_transaction:
                        raise AccountError(f"读取数据库服务器 {postgres.shown(self.url)} 上的账户失败："
                                           f"{_first_line(exc)}") from None
                except psycopg.Error as exc:
                    raise AccountError(f"读取数据库服务器 {postgres.shown(self.url)} 上的账户失败："
                                       f"{_first_line(exc)}") from None
            self._row = (row[0], bytes(row[1]) if row[1] is not None else None) if row else (None, None)
            if not self._in_transaction:
                self._read_at = time.monotonic()
            return self._row

    def read_text(self) -> str | None:
        """The accounts text; None if none was ever written."""
        return self._current_row()[0]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One PostgreSQL transaction holding the accounts' lock (the table made
        if missing); reads and writes inside it see and make one change."""
        import psycopg

        with self._lock:
            if self._in_transaction:  # a write inside a change: part of it
                yield
                return
            pg = self._connection()
            try:
                with pg.transaction():
                    pg.execute(f"set local lock_timeout = '{SERVER_LOCK_WAIT}'")  # a constant
                    pg.execute("select pg_advisory_xact_lock(%s)", [SERVER_LOCK_KEY])
                    pg.execute(CREATE_SERVER_TABLE)
                    self._in_transaction = True
                    try:
                        yield
                    finally:
                        self._in_transaction = False
            except psycopg.errors.LockNotAvailable:
                raise AccountError("另一位管理员正在修改账户，等待超时；账户没有改变，请稍后重试") from None
            except psycopg.Error as exc:
                raise AccountError(f"数据库服务器出错（{_first_line(exc)}），账户没有改变；请稍后重试") from None
            finally:
                self._read_at = -float("inf")  # read again after a change, committed or not

    def write_text(self, text: str) -> None:
        with self.transaction():
            self._pg.execute(f"insert into {SERVER_TABLE} (id, document) values (1, %s) on conflict (id) "
                             "do update set document = excluded.document, changed_at = now()", [text])

    def session_key(self) -> bytes:
        """The key every server signs sign-ins with, made by the first to need it."""
        key = self._current_row()[1]
        if key is not None:
            return key
        with self.transaction():
            key = self._pg.execute(
                f"insert into {SERVER_TABLE} (id, session_key) values (1, %s) on conflict (id) "
                f"do update set session_key = coalesce({SERVER_TABLE}.session_key, excluded.session_key) "
                "returning session_key", [secrets.token_bytes(32)]).fetchone()[0]
        return bytes(key)


@functools.cache
def _server_accounts(url: str) -> ServerAccounts:
    """One per database and process: the app's pages share its connection."""
    return ServerAccounts(url)


def _location(where: Path | ServerAccounts | AccountsFile) -> ServerAccounts | AccountsFile:
    """A path given (``accounts_path`` of a file store, ``$PARKBENCH_ACCOUNTS``, tests) as a file."""
    return where if isinstance(where, ServerAccounts | AccountsFile) else AccountsFile(where)


def label(where: Path | ServerAccounts) -> str:
    """Where the accounts live, in words: 账户文件 … or 数据库服务器 … 上的账户."""
    return _location(where).label


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def role_of(text: str) -> str:
    role = ROLE_ALIASES.get(str(text).strip().lower(), str(text).strip())
    if role not in ROLES:
        raise AccountError(f"角色“{text}”无效：应为 查看、填报 或 管理")
    return role


def load(where: Path | ServerAccounts) -> dict[str, Account]:
    """Every account (none if none were ever written)."""
    location = _location(where)
    try:
        text = location.read_text()
        raw = tomllib.loads(text) if text is not None else {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AccountError(f"{location.label} 格式有误：{exc}") from None
    accounts = {}
    for username, entry in (raw.get("accounts") or {}).items():
        if not isinstance(entry, dict) or not entry.get("password"):
            raise AccountError(f"{location.label}：账户“{username}”缺少 password（密码散列）")
        parks = entry.get("parks") or []
        if not isinstance(parks, list):
            raise AccountError(f"{location.label}：账户“{username}”的 parks 应为园区名称列表")
        accounts[username] = Account(username, role_of(entry.get("role", VIEW)), str(entry.get("name", "")),
                                     tuple(str(p) for p in parks), str(entry["password"]))
    return accounts


def save(where: Path | ServerAccounts, accounts: dict[str, Account]) -> None:
    """Write every account (JSON strings are valid TOML basic strings); a file
    is readable by its owner only."""
    lines = ["# ParkBench 账户（python -m parkbench account …）。角色：查看、填报（仅所列园区）、管理。",
             "# password 为 bcrypt 散列，不是密码本身。", ""]
    for a in sorted(accounts.values(), key=lambda a: a.username):
        lines += [f"[accounts.{json.dumps(a.username, ensure_ascii=False)}]",
                  f"name = {json.dumps(a.name, ensure_ascii=False)}",
                  f"role = {json.dumps(a.role, ensure_ascii=False)}",
                  f"parks = {json.dumps(list(a.parks), ensure_ascii=False)}",
                  f"password = {json.dumps(a.password)}", ""]
    _location(where).write_text("\n".join(lines))


@contextmanager
def _changing(where: Path | ServerAccounts) -> Iterator[dict[str, Account]]:
    """The accounts to change, saved when the block ends without error (on
    PostgreSQL read and written in one transaction)."""
    location = _location(where)
    with location.transaction():
        known = load(location)
        yield known
        save(location, known)


def put(where: Path | ServerAccounts, username: str, role: str | None = None, name: str | None = None,
        parks: tuple[str, ...] | None = None, password: str | None = None) -> Account:
    """Create or change one account; what is not given is kept (a new account
    needs a role and a password; a 填报 account needs parks)."""
    if not USERNAME.match(username or ""):
        raise AccountError("请给出用户名（字母、数字、. _ - @，最长 64 个字符）")
    with _changing(where) as known:
        old = known.get(username)
        role = role_of(role) if role else (old.role if old else None)
        if role is None:
            raise AccountError("新账户需要角色（查看、填报 或 管理）")
        parks = tuple(parks) if parks else (old.parks if old else ())
        if role == UPLOAD and not parks:
            raise AccountError("填报账户需要至少一个园区（它负责的园区）")
        if old is None and not password:
            raise AccountError("新账户需要密码")
        hashed = hash_password(password) if password else old.password
        name = name if name is not None else (old.name if old else "")
        known[username] = Account(username, role, name, parks, hashed)
    return known[username]


def park_names(con: duckdb.DuckDBPyConnection, typed: list[str], new_parks: bool = False) -> tuple[list[str], list[str]]:
    """The parks of an account as the store names them: a known name or alias
    (凤城开发区) becomes the park's name (凤城经济开发区); a name close to a known
    one is refused with the question 是否为：…？ unless ``new_parks``; any other
    name is kept as typed. Returns (names, the ones the store does not know)."""
    from parkbench.store import names as close_names

    resolved, unknown = [], []
    for name in typed:
        if store.find_park(con, name) is not None:
            resolved.append(store.canonical_name(con, name))
            continue
        suggestion = None if new_parks else close_names.close_park(con, name)
        if suggestion is not None:
            raise AccountError(f"园区“{name}”不在园区名录中。是否为：{suggestion}？"
                               f"请用该名称重新运行；如确为新园区，加 --new-park")
        resolved.append(display_text(name))
        unknown.append(resolved[-1])
    return resolved, unknown


def remove(where: Path | ServerAccounts, username: str) -> None:
    with _changing(where) as known:
        if username not in known:
            raise AccountError(f"没有账户“{username}”")
        del known[username]


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise AccountError("密码至少 8 个字符")
    if len(password.encode("utf-8")) > 72:
        raise AccountError("密码最长 72 个字节（bcrypt 的上限）")
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def check_password(account: Account | None, password: str) -> bool:
    """True if ``password`` is the account's. Without an account a hash is
    still checked, so a wrong name costs as long as a wrong password."""
    encoded = password.encode("utf-8")[:72]
    try:
        hashed = account.password.encode("ascii") if account else _dummy_hash()
        ok = bcrypt.checkpw(encoded, hashed)
    except ValueError:  # a damaged hash in the file (not ASCII, not bcrypt)
        return False
    return ok and account is not None


@functools.cache
def _dummy_hash() -> bytes:
    return bcrypt.hashpw(b"not a password", bcrypt.gensalt())


def login(accounts: dict[str, Account], username: str, password: str) -> Account | None:
    """The account if the name and password match, else None."""
    account = accounts.get(username.strip())
    return account if check_password(account, password) else None


# ---------------------------------------------------------------- staying signed in

def session_hours() -> float:
    """How long a sign-in lasts across reloads and links (``$PARKBENCH_SESSION_HOURS``,
    default 12: a working day, so a shared office computer does not stay signed in)."""
    try:
        return max(float(os.environ.get("PARKBENCH_SESSION_HOURS", "12")), 0.0)
    except ValueError:
        return 12.0


def session_key(where: Path | ServerAccounts) -> bytes:
    """The secret that signs sign-in cookies: beside an accounts file
    ``session.key`` (readable by its owner only), on PostgreSQL in the accounts'
    row; made on first use. Deleting it signs everybody out."""
    return _location(where).session_key()


def _password_mark(account: Account) -> str:
    """A short digest of the password hash: a changed password ends old sign-ins."""
    return hashlib.sha256(account.password.encode()).hexdigest()[:16]


def _signature(key: bytes, payload: str) -> str:
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def session_token(account: Account, key: bytes, now: float) -> str:
    """A signed, expiring token naming the account (kept in a browser cookie)."""
    payload = f"{account.username}|{int(now + session_hours() * 3600)}|{_password_mark(account)}"
    return base64.urlsafe_b64encode(payload.encode()).decode() + "." + _signature(key, payload)


def account_from_token(known: dict[str, Account], token: str | None, key: bytes, now: float) -> Account | None:
    """The account a token names, if its signature holds, it has not expired,
    the account still exists and its password is unchanged; else None."""
    try:
        encoded, signature = str(token or "").rsplit(".", 1)
        payload = base64.urlsafe_b64decode(encoded.encode()).decode()
        username, expires, mark = payload.split("|")
        fresh = int(expires) > now
    except (ValueError, UnicodeDecodeError):
        return None
    if not (fresh and hmac.compare_digest(signature, _signature(key, payload))):
        return None
    account = known.get(username)
    return account if account is not None and hmac.compare_digest(mark, _password_mark(account)) else None


# ---------------------------------------------------------------- access mode

def is_local(address: str | None) -> bool:
    """True when the server listens on this computer only. No address means
    every interface (Streamlit's default), which is not local."""
    return bool(address) and str(address).strip().lower() in LOCAL_ADDRESSES


def mode(address: str | None, accounts: dict[str, Account]) -> str:
    """"open" (no login: local and no accounts), "login", or "locked"
    (exposed on the network without any account: nobody may enter)."""
    if accounts:
        return "login"
    return "open" if is_local(address) else "locked"


# ---------------------------------------------------------------- permissions

def allowed_park_ids(con: duckdb.DuckDBPyConnection, account: Account) -> set[int] | None:
    """The park ids an account may store and undo for; None means every park."""
    if account.is_admin:
        return None
    if account.role != UPLOAD:
        return set()
    ids = (store.find_park(con, name) for name in account.parks)
    return {i for i in ids if i is not None}


def refused_parks(con: duckdb.DuckDBPyConnection, account: Account, parks: list[str]) -> list[str]:
    """The parks of a file this account may not store (all of them for 查看).
    A park not in the store yet is refused to a 填报 account: only 管理 adds parks."""
    allowed = allowed_park_ids(con, account)
    if allowed is None:
        return []
    known = store.known_parks(con, parks)  # one query for the file, not one per park
    return [p for p in parks if p not in known or known[p][0] not in allowed]


def check_store(con: duckdb.DuckDBPyConnection, account: Account, parks: list[str]) -> None:
    if not account.can_upload:
        raise AccountError(f"账户“{account.username}”（{account.role}）只能查看，不能导入数据")
    refused = refused_parks(con, account, parks)
    if refused:
        raise AccountError(f"账户“{account.username}”不能导入以下园区的数据：{'、'.join(refused)}"
                           "（未分配给该账户；请联系管理员）")


def needs_review(account: Account | None) -> bool:
    """Whether an upload by ``account`` waits for a 管理 account (待审核): only a
    填报 account's does. 管理, the open app's account (本机, accounts off) and the
    command line (no account) store in force at once, as before the review cycle."""
    return account is not None and account.role == UPLOAD


def may_review(account: Account | None) -> bool:
    """审核通过 and 退回 are 管理 actions."""
    return account is not None and account.is_admin


def check_review(account: Account | None) -> None:
    if not may_review(account):
        name = account.username if account is not None else "未登录"
        raise AccountError(f"账户“{name}”不能审核上传：审核通过和退回只能由管理账户操作")


def may_undo(con: duckdb.DuckDBPyConnection, account: Account, upload_id: int) -> bool:
    """管理 undoes anything; 填报 undoes an upload of its own parks only while it is
    not in force (待审核 or 已退回): undoing an approved upload changes figures
    others may have quoted, so it is a 管理 action (recorded in upload_reviews)."""
    allowed = allowed_park_ids(con, account)
    if allowed is None:
        return True
    if not account.can_upload or store.review_status(con, upload_id) == store.APPROVED:
        return False
    parks = store.upload_parks(con, upload_id)
    return bool(parks) and set(parks) <= allowed


def check_undo(con: duckdb.DuckDBPyConnection, account: Account, upload_id: int) -> None:
    if not may_undo(con, account, upload_id):
        if account.can_upload and store.review_status(con, upload_id) == store.APPROVED:
            raise AccountError(f"账户“{account.username}”不能撤销上传 {upload_id}：它已审核通过，"
                               "撤销已通过的上传须由管理账户操作")
        raise AccountError(f"账户“{account.username}”不能撤销上传 {upload_id}：它含有未分配给该账户的园区的数据")


def firm_parks(con: duckdb.DuckDBPyConnection, reader: Account) -> list[str]:
    """The parks whose enterprise rows ``reader`` may see (docs/enterprises.md
    rule 5): every park for 管理 (also the open app's account and the command
    line's ``OPERATOR``), else the account's own parks, whatever its role.
    Other parks' firms are hidden from it; their park totals are not."""
    if not isinstance(reader, Account):
        raise AccountError("读取企业数据须指明读取的账户")
    if reader.is_admin:
        return [r[0] for r in con.execute("select name from parks order by name").fetchall()]
    ids = {i for i in (store.find_park(con, name) for name in reader.parks) if i is not None}
    return [r[0] for r in con.execute("select name from parks where list_contains($ids, park_id) order by name",
                                      {"ids": sorted(ids)}).fetchall()]


def cli_user() -> str:
    """Who the command line records as having stored or undone an upload."""
    try:
        return f"命令行（{getpass.getuser()}）"
    except Exception:  # no user name in this environment
        return "命令行"
