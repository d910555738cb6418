"""Accounts on a PostgreSQL store (parkbench/store/accounts.py ``ServerAccounts``):
the accounts and the key that signs sign-ins live in the store's database, so
every app server knows the same accounts and honours a sign-in made on
another. A throwaway PostgreSQL 15 (tools/postgres.py) for the module."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from conftest import APP
from streamlit.testing.v1 import AppTest

from parkbench.store import accounts
from tools.postgres import LocalPostgres

PASSWORD = "correct horse 1"


@pytest.fixture(scope="module")
def server():
    with LocalPostgres() as pg:
        yield pg


@pytest.fixture
def url(server, request):
    """A new empty database per test, named after it."""
    return server.new_database("acc_" + request.node.name.split("[")[0][-50:].lower())


@pytest.fixture(autouse=True)
def _no_accounts_file(monkeypatch):
    monkeypatch.delenv("PARKBENCH_ACCOUNTS", raising=False)


def account_cli(url: str, *args: str, stdin: str | None = PASSWORD + "\n") -> subprocess.CompletedProcess:
    """``python -m parkbench account ARGS --db URL``, a process of its own as an administrator runs it."""
    return subprocess.run([sys.executable, "-m", "parkbench", "account", *args, "--db", url],
                          input=stdin, capture_output=True, text=True, check=False, timeout=120)


def a_server(url: str) -> accounts.ServerAccounts:
    """What one app server holds: its own connection and its own last read."""
    return accounts.ServerAccounts(url)


def test_the_account_command_keeps_accounts_in_the_database(url):
    out = account_cli(url, "add", "jia", "--role", "填报", "--name", "甲填报员", "--park", "凤城开发区",
                      "--password-stdin")
    assert out.returncode == 0, out.stderr
    assert "数据库服务器" not in out.stderr and "parkbench_accounts" in out.stdout
    assert account_cli(url, "add", "admin", "--role", "管理", "--password-stdin").returncode == 0

    known = accounts.load(a_server(url))
    assert sorted(known) == ["admin", "jia"]
    assert known["jia"].role == accounts.UPLOAD and known["jia"].name == "甲填报员"
    assert known["jia"].parks == ("凤城经济开发区",)  # the alias resolved through the store's registry
    assert accounts.check_password(known["jia"], PASSWORD)
    assert "jia  填报  甲填报员  凤城经济开发区" in account_cli(url, "list", stdin=None).stdout

    assert account_cli(url, "passwd", "jia", "--password-stdin", stdin="another pass 2\n").returncode == 0
    assert accounts.check_password(accounts.load(a_server(url))["jia"], "another pass 2")

    out = account_cli(url, "remove", "jia", stdin=None)
    assert out.returncode == 0, out.stderr
    assert sorted(accounts.load(a_server(url))) == ["admin"]
    out = account_cli(url, "remove", "jia", stdin=None)
    assert out.returncode == 1 and "没有账户“jia”" in out.stderr


def test_the_store_url_keeps_accounts_in_its_database_unless_a_file_is_named(url, tmp_path, monkeypatch):
    where = accounts.accounts_path(url)
    assert isinstance(where, accounts.ServerAccounts) and where.url == url
    assert accounts.accounts_path(url) is where  # one connection per process and database
    monkeypatch.setenv("PARKBENCH_DB", url)
    assert accounts.accounts_path() is where
    monkeypatch.setenv("PARKBENCH_ACCOUNTS", str(tmp_path / "mine.toml"))
    assert accounts.accounts_path(url) == tmp_path / "mine.toml"


def test_a_database_without_accounts_has_none(url):
    assert accounts.load(a_server(url)) == {}
    out = account_cli(url, "list", stdin=None)
    assert out.returncode == 0 and "没有账户" in out.stdout


def test_two_servers_see_the_same_accounts_and_sign_with_the_same_key(url):
    first, second = a_server(url), a_server(url)
    accounts.put(first, "zhang", accounts.VIEW, "张三", password=PASSWORD)
    zhang = accounts.load(second)["zhang"]
    assert zhang.name == "张三" and accounts.check_password(zhang, PASSWORD)

    key = accounts.session_key(first)
    assert len(key) == 32 and accounts.session_key(second) == key
    token = accounts.session_token(accounts.load(first)["zhang"], key, now=1_000)  # signed in on the first
    assert accounts.account_from_token(accounts.load(second), token, accounts.session_key(second), now=1_001) == zhang


def test_servers_starting_at_once_make_one_session_key(url):
    """Four processes asking for the key of a database that has no table yet."""
    ask = ("import sys; from parkbench.store import accounts; "
           "print(accounts.session_key(accounts.accounts_path(sys.argv[1])).hex())")
    processes = [subprocess.Popen([sys.executable, "-c", ask, url], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(4)]
    answers = [p.communicate(timeout=60) for p in processes]
    assert all(p.returncode == 0 for p in processes), [err for _, err in answers]
    keys = {out.strip() for out, _ in answers}
    assert len(keys) == 1 and len(bytes.fromhex(keys.pop())) == 32


def test_a_change_on_one_server_reaches_the_other_within_a_second(url):
    first, second = a_server(url), a_server(url)
    accounts.put(first, "zhang", accounts.VIEW, password=PASSWORD)
    accounts.put(first, "li", accounts.VIEW, password=PASSWORD)
    assert sorted(accounts.load(second)) == ["li", "zhang"]
    accounts.remove(first, "zhang")
    assert sorted(accounts.load(first)) == ["li"]  # the server that changed it knows at once
    time.sleep(accounts.SERVER_READ_EVERY)
    assert sorted(accounts.load(second)) == ["li"]  # a removed account is signed out on the other server too


def test_two_administrators_changing_accounts_at_once_lose_nothing(url):
    """Each change reads, hashes a password (a quarter of a second) and writes:
    without the lock, the later write would drop the other's accounts."""
    servers = [a_server(url), a_server(url)]
    failures = []

    def add(server, names):
        try:
            for name in names:
                accounts.put(server, name, accounts.VIEW, password=PASSWORD)
        except Exception as exc:  # reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=add, args=(s, [f"{prefix}{n}" for n in range(3)]))
               for s, prefix in zip(servers, ("a", "b"), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures
    assert sorted(accounts.load(a_server(url))) == ["a0", "a1", "a2", "b0", "b1", "b2"]


def test_a_refused_change_leaves_the_accounts_as_they_were(url):
    where = a_server(url)
    accounts.put(where, "zhang", accounts.VIEW, "张三", password=PASSWORD)
    with pytest.raises(accounts.AccountError, match="至少一个园区"):
        accounts.put(where, "zhang", accounts.UPLOAD)
    with pytest.raises(accounts.AccountError, match="至少 8 个字符"):
        accounts.put(where, "li", accounts.VIEW, password="short")
    known = accounts.load(a_server(url))
    assert list(known) == ["zhang"] and known["zhang"].role == accounts.VIEW


def test_broken_accounts_in_the_database_are_refused_in_chinese(url):
    where = a_server(url)
    where.write_text('[accounts.li]\nrole = "查看"\n')
    with pytest.raises(accounts.AccountError, match=r"数据库服务器 .* 上的账户.*缺少 password"):
        accounts.load(where)


def test_an_unreachable_database_is_said_in_chinese(server):
    where = a_server(f"postgresql://postgres:secret-word@127.0.0.1:{server.port}/no_such_database")
    with pytest.raises(accounts.AccountError, match="无法连接数据库服务器") as refused:
        accounts.load(where)
    assert "secret-word" not in str(refused.value)


def test_the_app_on_a_postgresql_store_signs_in_and_saves_accounts_in_its_database(url, monkeypatch, clear_caches):
    assert account_cli(url, "add", "admin", "--role", "管理", "--name", "管理员", "--password-stdin").returncode == 0
    monkeypatch.setenv("PARKBENCH_DB", url)
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    assert "登录" in at.title[0].value
    at.text_input[0].input("admin")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert any("已登录：管理员（管理）" in c.value for c in at.sidebar.caption)

    at.switch_page("pages/accounts.py").run()
    assert not at.exception
    assert any("数据库服务器" in c.value and "parkbench_accounts" in c.value for c in at.caption)
    at.text_input(key="accounts:username").input("wang")
    at.selectbox[0].set_value(accounts.VIEW)
    at.text_input(key="accounts:password").input(PASSWORD)
    next(b for b in at.button if b.label == "保存账户").click().run()
    assert any("已保存账户“wang”（查看）" in s.value for s in at.success), [e.value for e in at.error]
    assert accounts.check_password(accounts.load(a_server(url))["wang"], PASSWORD)
