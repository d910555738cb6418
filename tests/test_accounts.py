"""Accounts and roles (parkbench/store/accounts.py, ui/auth.py): the access mode by
server address and accounts, login, what each role may do in the app, who
stored and undid each upload, and the ``account`` command."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from conftest import APP, run_cli, store_rows
from streamlit import config
from streamlit.testing.v1 import AppTest

from parkbench import store
from parkbench.store import accounts
from parkbench.store.accounts import Account

PASSWORD = "correct horse 1"


@pytest.fixture(autouse=True)
def _fresh_caches(clear_caches):
    yield


@pytest.fixture(scope="module")
def hashed() -> str:
    return accounts.hash_password(PASSWORD)


# ---------------------------------------------------------------- rules


def test_password_hash_checks_the_password_and_is_not_it(hashed):
    assert PASSWORD not in hashed and hashed.startswith("$2b$")
    account = Account("li", accounts.VIEW, password=hashed)
    assert accounts.check_password(account, PASSWORD)
    assert not accounts.check_password(account, PASSWORD + "x")
    assert not accounts.check_password(None, PASSWORD)  # unknown user
    assert not accounts.check_password(Account("x", accounts.VIEW, password="not a hash"), PASSWORD)
    with pytest.raises(accounts.AccountError, match="至少 8 个字符"):
        accounts.hash_password("short")


def test_accounts_file_round_trip(tmp_path, hashed):
    path = tmp_path / "accounts.toml"
    written = {"li": Account("li", accounts.UPLOAD, "李四", ("甲园区", '乙"园区'), hashed),
               "admin": Account("admin", accounts.ADMIN, "", (), hashed)}
    accounts.save(path, written)
    assert accounts.load(path) == written
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only
    assert accounts.load(tmp_path / "none.toml") == {}


def test_broken_accounts_file_is_refused_in_chinese(tmp_path):
    path = tmp_path / "accounts.toml"
    path.write_text('[accounts.li]\nrole = "查看"\n', encoding="utf-8")
    with pytest.raises(accounts.AccountError, match="缺少 password"):
        accounts.load(path)
    path.write_text('[accounts.li]\nrole = "老板"\npassword = "x"\n', encoding="utf-8")
    with pytest.raises(accounts.AccountError, match="角色“老板”无效"):
        accounts.load(path)


@pytest.mark.parametrize(("address", "has_accounts", "expected"), [
    ("localhost", False, "open"),
    ("127.0.0.1", False, "open"),
    ("0.0.0.0", False, "locked"),
    ("192.168.1.20", False, "locked"),
    (None, False, "locked"),  # Streamlit's default: every interface
    ("", False, "locked"),
    ("localhost", True, "login"),
    ("0.0.0.0", True, "login"),
])
def test_access_mode(address, has_accounts, expected):
    known = {"li": Account("li", accounts.VIEW, password="x")} if has_accounts else {}
    assert accounts.mode(address, known) == expected


@pytest.fixture
def two_parks(fresh_db):
    """Upload 1 stores 甲园区, upload 2 乙园区, upload 3 both; all three wait for review
    (a 填报 account undoes only what is not in force yet: tests/test_upload_review.py)."""
    store_rows(fresh_db, [("甲园区", "tax", "2024-01", "month", 1)], file_name="甲.csv", pending=True)
    store_rows(fresh_db, [("乙园区", "tax", "2024-01", "month", 2)], file_name="乙.csv", pending=True)
    store_rows(fresh_db, [("甲园区", "tax", "2024-02", "month", 3), ("乙园区", "tax", "2024-02", "month", 4)],
               file_name="甲乙.csv", pending=True)
    return fresh_db


def test_an_upload_account_may_store_and_undo_its_parks_only(two_parks):
    jia = Account("jia", accounts.UPLOAD, parks=("甲园区",), password="x")
    assert accounts.may_undo(two_parks, jia, 1)
    assert not accounts.may_undo(two_parks, jia, 2)
    assert not accounts.may_undo(two_parks, jia, 3)  # it holds a park of another account too
    with pytest.raises(accounts.AccountError, match="不能撤销上传 2"):
        accounts.check_undo(two_parks, jia, 2)
    assert accounts.refused_parks(two_parks, jia, ["甲园区", "乙园区", "新园区"]) == ["乙园区", "新园区"]
    accounts.check_store(two_parks, jia, ["甲园区"])
    with pytest.raises(accounts.AccountError, match="乙园区"):
        accounts.check_store(two_parks, jia, ["甲园区", "乙园区"])


def test_view_and_admin_accounts(two_parks):
    viewer = Account("v", accounts.VIEW, password="x")
    admin = Account("a", accounts.ADMIN, password="x")
    assert not any(accounts.may_undo(two_parks, viewer, i) for i in (1, 2, 3))
    with pytest.raises(accounts.AccountError, match="只能查看"):
        accounts.check_store(two_parks, viewer, ["甲园区"])
    assert all(accounts.may_undo(two_parks, admin, i) for i in (1, 2, 3))
    assert accounts.refused_parks(two_parks, admin, ["新园区"]) == []


def test_store_records_who_stored_and_who_undid(fresh_db):
    result = store_rows(fresh_db, [("甲园区", "tax", "2024-01", "month", 1)])
    con = fresh_db
    con.execute("update uploads set uploaded_by = 'jia' where upload_id = ?", [result.upload_id])
    store.undo(con, result.upload_id, by="admin")
    row = store.list_uploads(con, include_undone=True).iloc[0]
    assert (row["uploaded_by"], row["undone_by"]) == ("jia", "admin")


# ---------------------------------------------------------------- the app


@pytest.fixture
def app_store(tmp_path, monkeypatch, hashed):
    """A store with uploads of 甲园区 (#1) and 乙园区 (#2), and three accounts."""
    db = tmp_path / "app.duckdb"
    con = store.connect(db)
    store_rows(con, [("甲园区", "tax", "2024-01", "month", 1), ("甲园区", "land_area", "2024-01", "stock", 10)],
               file_name="甲.csv")
    store_rows(con, [("乙园区", "tax", "2024-01", "month", 2), ("乙园区", "land_area", "2024-01", "stock", 10)],
               file_name="乙.csv")
    con.close()
    accounts.save(tmp_path / "accounts.toml", {
        "viewer": Account("viewer", accounts.VIEW, "王五", (), hashed),
        "jia": Account("jia", accounts.UPLOAD, "甲填报员", ("甲园区",), hashed),
        "admin": Account("admin", accounts.ADMIN, "", (), hashed),
    })
    monkeypatch.setenv("PARKBENCH_DB", str(db))
    return tmp_path


@pytest.fixture
def exposed():
    config.set_option("server.address", "0.0.0.0")
    yield
    config.set_option("server.address", "localhost")


def signed_in(username: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if username:
        at.session_state["_parkbench_user"] = username
    return at.run()


def upload_page(username: str, files=()) -> AppTest:
    at = signed_in(username)
    at.switch_page("pages/upload.py")
    if files:
        at.session_state["upload_pending"] = {hashlib.sha256(d).hexdigest(): (n, d) for n, d in files}
    return at.run()


def app_uploads(folder):
    """The upload history, read through the app's own connection (it holds the database file)."""
    from ui import data

    return store.list_uploads(data._connection(str(folder / "app.duckdb")).cursor(), include_undone=True)


def undo_buttons(at) -> list[str]:
    return sorted(b.key for b in at.button if b.key and b.key.startswith("undo_"))


def test_with_accounts_the_app_asks_for_a_login_first(app_store):
    at = signed_in(None)
    assert not at.exception
    assert "登录" in at.title[0].value
    assert not at.dataframe and not at.get("vega_lite_chart")  # nothing of the data shown
    at.text_input[0].input("jia")
    at.text_input[1].input("wrong password")
    at.button[0].click().run()
    assert any("用户名或密码不正确" in e.value for e in at.error)
    assert "登录" in at.title[0].value
    at.text_input[0].input("jia")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value != "登录 ParkBench 园区对标"
    assert any("已登录：甲填报员（填报）" in c.value for c in at.sidebar.caption)


def test_exposed_without_accounts_nobody_enters(tmp_path, monkeypatch, exposed):
    monkeypatch.setenv("PARKBENCH_DB", str(tmp_path / "open.duckdb"))
    at = signed_in(None)
    assert not at.exception
    assert any("还没有配置账户" in e.value for e in at.error)
    assert not at.dataframe and not at.text_input


def test_a_broken_accounts_file_lets_nobody_in(app_store):
    (app_store / "accounts.toml").write_text("[accounts.jia\nrole = ", encoding="utf-8")
    at = signed_in("jia")
    assert not at.exception
    assert any("账户文件" in e.value and "格式有误" in e.value for e in at.error)
    assert not at.dataframe and not at.text_input


def test_exposed_with_accounts_asks_for_a_login(app_store, exposed):
    at = signed_in(None)
    assert "登录" in at.title[0].value and len(at.text_input) == 2


def test_local_without_accounts_runs_open_as_before(tmp_path, monkeypatch):
    con = store.connect(tmp_path / "open.duckdb")
    store_rows(con, [("甲园区", "tax", "2024-01", "month", 1), ("甲园区", "land_area", "2024-01", "stock", 10)])
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(tmp_path / "open.duckdb"))
    at = signed_in(None)
    assert not at.exception
    assert "登录" not in at.title[0].value
    assert any(len(df.value) > 0 for df in at.dataframe)  # the parks' table (and the 预警 list) shown
    at.switch_page("pages/upload.py").run()
    assert not at.exception
    assert undo_buttons(at)  # anyone at this computer may undo, as before accounts existed
    assert not at.warning or not any("只能查看" in w.value for w in at.warning)


def test_a_view_account_sees_no_upload_controls(app_store):
    at = signed_in("viewer")
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # no upload page in its navigation
        at.switch_page("pages/upload.py")
    assert not any(b.label == "保存对标组" for b in at.button)
    # the page file opened directly (a typed link) refuses too, with no uploader and no undo
    direct = AppTest.from_file(str(APP).replace("streamlit_app.py", "pages/upload.py"), default_timeout=60)
    direct.session_state["_parkbench_user"] = "viewer"
    direct.run()
    assert not direct.exception
    assert any("只能查看" in w.value for w in direct.warning)
    assert not direct.get("file_uploader") and undo_buttons(direct) == []
    assert not [b for b in direct.button if b.label == "确认导入"]


def test_the_upload_page_alone_offers_upload_and_undo_to_admin(app_store):
    at = upload_page("admin")
    assert not at.exception
    assert at.get("file_uploader") and undo_buttons(at) == ["undo_1", "undo_2"]


def test_an_upload_account_undoes_its_own_pending_uploads_only(app_store):
    """#1 (甲园区) and #2 (乙园区) are in force: undoing them is 管理's; jia's own
    upload, waiting for review, jia may undo."""
    own = "园区,统计期,指标,口径,数值,单位\n甲园区,2024-03,税收收入,本月,5,万元\n".encode()
    at = upload_page("jia", [("甲3.csv", own)])
    next(b for b in at.button if b.label == "确认导入").click().run()
    assert not at.exception
    assert undo_buttons(at) == ["undo_3"]  # its pending upload; #1 is approved, #2 another park's
    at.button(key="undo_3").click().run()
    at.button(key="undo_yes_3").click().run()
    assert not at.exception
    assert any("已撤销上传 3" in s.value for s in at.success)
    history = app_uploads(app_store).set_index("id")
    assert history.loc[3, "undone_by"] == "jia"
    assert pd.isna(history.loc[1, "undone_at"]) and pd.isna(history.loc[2, "undone_at"])


def test_an_upload_account_cannot_store_another_parks_file(app_store):
    other = "园区,统计期,指标,口径,数值,单位\n乙园区,2024-03,税收收入,本月,5,万元\n".encode()
    at = upload_page("jia", [("乙.csv", other)])
    assert not at.exception
    assert any("不能导入以下园区的数据" in e.value and "乙园区" in e.value for e in at.error)
    assert not [b for b in at.button if b.label == "确认导入"]


def test_an_upload_records_the_account(app_store):
    own = "园区,统计期,指标,口径,数值,单位\n甲园区,2024-03,税收收入,本月,5,万元\n".encode()
    at = upload_page("jia", [("甲3.csv", own)])
    next(b for b in at.button if b.label == "确认导入").click().run()
    assert not at.exception
    assert any("已导入" in s.value for s in at.success)
    history = app_uploads(app_store)
    assert history.iloc[-1]["file"] == "甲3.csv" and history.iloc[-1]["uploaded_by"] == "jia"
    assert "甲填报员（jia）" in [x.value for x in at.text]  # shown in the history, with the account's 姓名


def test_an_account_removed_from_the_file_is_signed_out(app_store):
    at = signed_in("jia")
    assert "登录" not in at.title[0].value
    known = accounts.load(app_store / "accounts.toml")
    del known["jia"]
    accounts.save(app_store / "accounts.toml", known)
    # the account's next session run asks for a login. (AppTest keeps the elements of a run that
    # switched navigation, so a fresh AppTest here; tests/browser/test_login_in_browser.py clicks on
    # in the same browser session and sees the login replace the page.)
    assert "登录" in signed_in("jia").title[0].value


# ---------------------------------------------------------------- the command


def test_account_command_adds_lists_and_removes(tmp_path):
    db = tmp_path / "cli.duckdb"
    import subprocess
    import sys

    def account(*args, stdin=None):
        return subprocess.run([sys.executable, "-m", "parkbench", "account", *args, "--db", str(db)],
                              input=stdin, capture_output=True, text=True, check=False)

    out = account("add", "jia", "--role", "填报", "--park", "甲园区", "--password-stdin", stdin=PASSWORD + "\n")
    assert out.returncode == 0, out.stderr
    known = accounts.load(tmp_path / "accounts.toml")
    assert known["jia"].role == accounts.UPLOAD and known["jia"].parks == ("甲园区",)
    assert accounts.check_password(known["jia"], PASSWORD)
    out = account("add", "li", "--role", "填报", "--password-stdin", stdin=PASSWORD + "\n")
    assert out.returncode == 1 and "至少一个园区" in out.stderr
    out = account("add", "bad name!", "--role", "查看", "--password-stdin", stdin=PASSWORD + "\n")
    assert out.returncode == 1 and "用户名" in out.stderr
    assert "jia  填报" in account("list").stdout
    assert account("remove", "jia").returncode == 0
    assert accounts.load(tmp_path / "accounts.toml") == {}


def account_cli(db, *args, stdin=PASSWORD + "\n"):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "parkbench", "account", *args, "--db", str(db)],
                          input=stdin, capture_output=True, text=True, check=False)


def test_account_parks_are_resolved_through_the_registry_and_aliases(tmp_path):
    """凤城开发区 is an alias of 凤城经济开发区 in data/park_registry.csv."""
    db = tmp_path / "cli.duckdb"
    out = account_cli(db, "add", "feng", "--role", "填报", "--park", "凤城开发区", "--park", "確山產業集聚區",
                      "--password-stdin")
    assert out.returncode == 0, out.stderr
    assert accounts.load(tmp_path / "accounts.toml")["feng"].parks == ("凤城经济开发区", "确山县产业集聚区")


def test_account_park_close_to_a_known_one_is_asked_about_not_stored(tmp_path):
    db = tmp_path / "cli.duckdb"
    out = account_cli(db, "add", "feng", "--role", "填报", "--park", "凤城经济开发", "--password-stdin")
    assert out.returncode == 1 and "是否为：凤城经济开发区？" in out.stderr and "--new-park" in out.stderr
    assert not (tmp_path / "accounts.toml").exists()
    out = account_cli(db, "add", "feng", "--role", "填报", "--park", "凤城经济开发", "--new-park", "--password-stdin")
    assert out.returncode == 0, out.stderr
    assert accounts.load(tmp_path / "accounts.toml")["feng"].parks == ("凤城经济开发",)


def test_account_help_says_where_accounts_are_kept(tmp_path):
    out = account_cli(tmp_path / "cli.duckdb", "--help", stdin=None)
    assert out.returncode == 0 and "accounts.toml" in out.stdout and "PARKBENCH_ACCOUNTS" in out.stdout


def test_command_line_records_itself_as_who(tmp_path):
    from conftest import SAMPLE_D

    db = tmp_path / "cli.duckdb"
    assert run_cli("ingest", str(SAMPLE_D), db=db).returncode == 0
    con = store.connect(db)
    by = store.list_uploads(con).iloc[-1]["uploaded_by"]
    con.close()
    assert by.startswith("命令行")
    assert run_cli("undo", "1", db=db).returncode == 0
    listed = run_cli("uploads", "--all", db=db).stdout
    assert listed.count("命令行") == 2, listed  # who stored and who undid


def test_the_accounts_page_is_for_admin_only_and_saves_to_the_file(app_store):
    at = signed_in("jia")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/accounts.py")
    at = signed_in("admin")
    at.switch_page("pages/accounts.py").run()
    assert not at.exception
    listed = at.dataframe[0].value
    assert set(listed["username"]) == {"viewer", "jia", "admin"} and "password" not in listed
    at.text_input(key="accounts:username").input("yi")
    at.selectbox[0].set_value(accounts.UPLOAD)
    at.multiselect[0].set_value(["乙园区"])
    at.text_input(key="accounts:password").input(PASSWORD)
    next(b for b in at.button if b.label == "保存账户").click().run()
    assert not at.exception
    assert any("已保存账户“yi”（填报）" in s.value for s in at.success), [e.value for e in at.error]
    saved = accounts.load(app_store / "accounts.toml")["yi"]
    assert saved.parks == ("乙园区",) and accounts.check_password(saved, PASSWORD)
    assert "admin" not in at.selectbox(key="accounts:remove").options  # cannot remove itself
    at.selectbox(key="accounts:remove").set_value("viewer")
    at.button(key="accounts:remove_button").click().run()
    assert "viewer" not in accounts.load(app_store / "accounts.toml")


def test_only_admin_accounts_change_schemes_thresholds_and_classes(app_store, exposed):
    """管理 does schemes (issue 10); 调档 records the signed-in account, not a typed name."""
    viewer = signed_in("viewer")
    viewer.switch_page("pages/evaluation.py").run()
    assert not viewer.exception
    refusals = [i.value for i in viewer.info if "只有“管理”账户" in i.value]
    assert len(refusals) >= 2  # the scheme editor and the thresholds are closed to 查看
    assert not any(b.label in ("保存方案", "保存预警设置") for b in viewer.button)
    admin = signed_in("admin")
    admin.switch_page("pages/evaluation.py").run()
    assert not admin.exception
    assert not any("只有“管理”账户" in i.value for i in admin.info)
    who = [w for w in admin.text_input if w.label == "调整人"]
    assert who and who[0].value == "admin（管理）" and who[0].disabled


# ---------------------------------------------------------------- staying signed in (a signed, expiring cookie)

def test_a_session_token_names_its_account_until_it_expires(tmp_path, monkeypatch):
    monkeypatch.setenv("PARKBENCH_SESSION_HOURS", "2")
    key = accounts.session_key(tmp_path / "accounts.toml")
    zhang = Account("zhang", accounts.VIEW, "张三", (), accounts.hash_password(PASSWORD))
    token = accounts.session_token(zhang, key, now=1_000_000)
    assert accounts.account_from_token({"zhang": zhang}, token, key, now=1_000_000 + 7199) == zhang
    assert accounts.account_from_token({"zhang": zhang}, token, key, now=1_000_000 + 7200) is None  # 2 h later


def test_a_session_token_fails_when_forged_moved_or_its_account_changed(tmp_path):
    key = accounts.session_key(tmp_path / "accounts.toml")
    zhang = Account("zhang", accounts.VIEW, "张三", (), accounts.hash_password(PASSWORD))
    admin = Account("admin", accounts.ADMIN, "管理员", (), accounts.hash_password(PASSWORD))
    known = {"zhang": zhang, "admin": admin}
    token = accounts.session_token(zhang, key, now=0)
    encoded, signature = token.rsplit(".", 1)
    import base64

    forged_payload = base64.urlsafe_b64decode(encoded).decode().replace("zhang", "admin")
    forged = base64.urlsafe_b64encode(forged_payload.encode()).decode() + "." + signature
    assert accounts.account_from_token(known, forged, key, now=1) is None
    assert accounts.account_from_token(known, token, b"another server's key", now=1) is None
    assert accounts.account_from_token(known, "garbage", key, now=1) is None
    assert accounts.account_from_token(known, None, key, now=1) is None
    changed = {**known, "zhang": Account("zhang", accounts.VIEW, "张三", (), accounts.hash_password("new password 2"))}
    assert accounts.account_from_token(changed, token, key, now=1) is None  # a new password ends old sign-ins
    assert accounts.account_from_token({"admin": admin}, token, key, now=1) is None  # account removed


def test_the_session_key_is_made_once_and_private(tmp_path):
    first = accounts.session_key(tmp_path / "accounts.toml")
    assert len(first) == 32 and accounts.session_key(tmp_path / "accounts.toml") == first
    assert (tmp_path / "session.key").stat().st_mode & 0o777 == 0o600


def test_accounts_that_may_not_edit_see_the_scheme_and_thresholds_read_only(app_store, exposed):
    """填报 and 查看 see what the evaluation and the alerts follow, without an editor."""
    at = signed_in("jia")
    at.switch_page("pages/evaluation.py").run()
    assert not at.exception
    tables = [d.value for d in at.dataframe]
    thresholds = next(f for f in tables if "阈值" in f.columns)
    assert dict(zip(thresholds["规则"], thresholds["阈值"], strict=True))["低于组内平均超过（%）"] == "20"
    assert len(thresholds) == 5
    schemes = [f for f in tables if "weight" in f.columns]
    assert schemes and schemes[0]["weight"].sum() == 100  # the shipped scheme chosen on the page, read-only
    assert any(c.value.startswith("等级：A 为前") for c in at.caption)
    assert not at.get("arrow_data_editor") and not any(b.label in ("保存方案", "保存预警设置") for b in at.button)


def test_upload_history_names_the_uploader_and_the_layout(app_store, exposed):
    """上传人 shows the account's 姓名 beside its user name; 类型 the layout's name, not its code."""
    from conftest import SAMPLE_D

    from parkbench.ingest import family_title, parse_path

    con = store.connect(app_store / "app.duckdb")
    store.save(con, parse_path(SAMPLE_D), SAMPLE_D.read_bytes(), by="jia")
    con.close()
    at = upload_page("admin")
    assert not at.exception
    texts = [x.value for x in at.text]
    assert "甲填报员（jia）" in texts
    assert family_title("D") in texts and family_title("D") != "D"
