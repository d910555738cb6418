"""The monthly cycle 报送 → 审核 → 汇总 (issue 21, schema 011): a 填报 account's
upload is 待审核 and not in force; 管理 approves it (its figures come in) or
returns it with a reason (they never do); undoing an approved upload is a 管理
action; a cursor may include pending uploads (the app's ?pending=1)."""

from __future__ import annotations

import pytest
from conftest import metric, run_cli, store_rows

from parkbench import store
from parkbench.errors import AlreadyReviewed
from parkbench.store import accounts
from parkbench.store.accounts import Account

pytestmark = pytest.mark.both_stores  # store tests: on DuckDB and on PostgreSQL (conftest)

JIA = Account("jia", accounts.UPLOAD, "甲填报员", ("甲园区",), "x")
ADMIN = Account("admin", accounts.ADMIN, "管理员", (), "x")

# 甲园区, January 2024: 100 亩; 税收 10 万元 approved → 亩均税收 10 / 100 = 0.1 万元/亩.
APPROVED_ROWS = [("甲园区", "tax", "2024-01", "month", 10), ("甲园区", "land_area", "2024-01", "stock", 100)]
# The 填报 account's restated January: 税收 30 万元 → 30 / 100 = 0.3 万元/亩 once approved.
RESTATED = [("甲园区", "tax", "2024-01", "month", 30)]


@pytest.fixture
def waiting(fresh_db):
    """Upload 1 (approved, by 管理), upload 2 (待审核, by 填报 jia)."""
    store_rows(fresh_db, APPROVED_ROWS, file_name="一月.csv", by="admin")
    store_rows(fresh_db, RESTATED, file_name="一月更正.csv", by="jia", pending=True)
    return fresh_db


def steps(con, upload_id):
    frame = store.review_steps(con, upload_id)
    return list(zip(frame["action"], frame["done_by"], strict=True))


def test_a_pending_upload_is_stored_but_not_in_force(waiting):
    assert store.review_status(waiting, 2) == "pending"
    assert waiting.execute("select count(*) from observations_all where upload_id = 2").fetchall() == [(1,)]
    assert waiting.execute("select count(*) from observations where upload_id = 2").fetchall() == [(0,)]
    assert metric(waiting, "甲园区", "2024-01", "tax_per_mu") == pytest.approx(0.1)
    assert steps(waiting, 2) == [("submitted", "jia")]
    assert store.has_pending(waiting)


def test_approving_brings_the_figures_in_and_records_who(waiting):
    message = store.approve(waiting, 2, by="admin")
    assert "已审核通过" in message
    assert metric(waiting, "甲园区", "2024-01", "tax_per_mu") == pytest.approx(0.3)
    row = store.list_uploads(waiting).set_index("id").loc[2]
    assert (row["review_status"], row["reviewed_by"]) == ("approved", "admin") and row["reviewed_at"]
    assert steps(waiting, 2) == [("submitted", "jia"), ("approved", "admin")]
    with pytest.raises(AlreadyReviewed, match="已通过"):
        store.approve(waiting, 2, by="admin")


def test_a_returned_upload_never_counts_and_keeps_its_reason(waiting):
    with pytest.raises(store.StoreError, match="须填写原因"):
        store.return_upload(waiting, 2, "  ", by="admin")
    store.return_upload(waiting, 2, " 税收与税务口径不符，请核对 ", by="admin")
    assert metric(waiting, "甲园区", "2024-01", "tax_per_mu") == pytest.approx(0.1)
    row = store.list_uploads(waiting).set_index("id").loc[2]
    assert (row["review_status"], row["return_reason"]) == ("returned", "税收与税务口径不符，请核对")  # as typed
    with pytest.raises(AlreadyReviewed, match="已退回"):
        store.approve(waiting, 2, by="admin")
    assert steps(waiting, 2) == [("submitted", "jia"), ("returned", "admin")]
    assert store.review_steps(waiting, 2)["reason"].iloc[-1] == "税收与税务口径不符，请核对"
    # the uploader sends a corrected file: pending again, then approved
    store_rows(waiting, [("甲园区", "tax", "2024-01", "month", 20)], file_name="一月再报.csv", by="jia", pending=True)
    assert metric(waiting, "甲园区", "2024-01", "tax_per_mu") == pytest.approx(0.1)
    store.approve(waiting, 3, by="admin")
    assert metric(waiting, "甲园区", "2024-01", "tax_per_mu") == pytest.approx(0.2)  # 20 / 100


def test_a_new_park_waiting_for_review_is_on_no_page(waiting):
    store_rows(waiting, [("乙园区", "tax", "2024-01", "month", 5), ("乙园区", "land_area", "2024-01", "stock", 50)],
               by="jia", pending=True)
    assert "乙园区" not in set(waiting.execute("select park from metric_values").df()["park"])
    store.approve(waiting, 3, by="admin")
    assert metric(waiting, "乙园区", "2024-01", "tax_per_mu") == pytest.approx(0.1)  # 5 / 50


def test_a_cursor_may_include_pending_uploads_others_do_not_see(waiting):
    with_pending = waiting.cursor()
    store.include_pending(with_pending)
    assert metric(with_pending, "甲园区", "2024-01", "tax_per_mu") == pytest.approx(0.3)
    assert metric(waiting.cursor(), "甲园区", "2024-01", "tax_per_mu") == pytest.approx(0.1)
    # another upload waits: the next cursor asking gets figures with it (built again for the new data version)
    store_rows(waiting, [("甲园区", "tax", "2024-02", "month", 20)], by="jia", pending=True)
    other = waiting.cursor()
    store.include_pending(other)
    assert metric(other, "甲园区", "2024-02", "tax_per_mu") == pytest.approx(0.5)  # (30 + 20) / 100
    assert metric(with_pending, "甲园区", "2024-02", "tax_per_mu") == pytest.approx(0.5)  # one schema for all
    assert waiting.execute("select count(*) from metric_values where period = '2024-02-01'").fetchall() == [(0,)]
    store.drop_pending(with_pending)
    assert metric(with_pending, "甲园区", "2024-01", "tax_per_mu") == pytest.approx(0.1)


def test_undo_rules_with_review(waiting):
    # 填报 undoes its own upload while it waits; an approved one only 管理 undoes
    assert accounts.may_undo(waiting, JIA, 2)
    assert not accounts.may_undo(waiting, JIA, 1)
    with pytest.raises(accounts.AccountError, match="撤销已通过的上传须由管理账户操作"):
        accounts.check_undo(waiting, JIA, 1)
    store.undo(waiting, 2, by="jia")  # not in force: nothing derived changes
    assert metric(waiting, "甲园区", "2024-01", "tax_per_mu") == pytest.approx(0.1)
    assert steps(waiting, 2) == [("submitted", "jia"), ("undone", "jia")]
    assert accounts.may_undo(waiting, ADMIN, 1)
    store.undo(waiting, 1, by="admin")
    assert steps(waiting, 1) == [("undone", "admin")]
    assert waiting.execute("select count(*) from metric_values where park = '甲园区'").fetchall() == [(0,)]


def test_who_needs_review():
    assert accounts.needs_review(JIA)
    assert not accounts.needs_review(ADMIN)
    assert not accounts.needs_review(accounts.OPEN_ACCOUNT)  # accounts off: in force at once, as before
    assert not accounts.needs_review(None)  # the command line
    assert accounts.may_review(ADMIN) and not accounts.may_review(JIA)
    with pytest.raises(accounts.AccountError, match="只能由管理账户"):
        accounts.check_review(JIA)


def test_an_approval_makes_a_preview_stale(waiting):
    """A preview's warnings were found on the approved figures; an approval changes them."""
    import datetime as dt

    import pandas as pd

    from parkbench.ingest.model import GROWTH_COLUMNS, INDUSTRY_COLUMNS, Parsed, empty_frame

    rows = pd.DataFrame([("甲园区", "tax", dt.date(2024, 2, 1), "month", 12.0)],
                        columns=["park", "indicator", "period", "basis", "value"])
    parsed = Parsed("二月.csv", "test", rows, empty_frame(GROWTH_COLUMNS), empty_frame(INDUSTRY_COLUMNS))
    checked = store.dry_run(waiting, parsed)
    assert not store.changed_since(waiting, checked)
    store.approve(waiting, 2, by="admin")
    assert store.changed_since(waiting, checked)


def test_store_all_by_an_upload_account_stores_every_file_pending(waiting):
    """确认全部导入 (store.save_many) follows the same rule as one file."""
    import datetime as dt

    import pandas as pd

    from parkbench.ingest.model import GROWTH_COLUMNS, INDUSTRY_COLUMNS, Parsed, empty_frame

    def parsed(month: int, tax: float) -> Parsed:
        rows = pd.DataFrame([("甲园区", "tax", dt.date(2024, month, 1), "month", tax)],
                            columns=["park", "indicator", "period", "basis", "value"])
        return Parsed(f"{month}月.csv", "test", rows, empty_frame(GROWTH_COLUMNS), empty_frame(INDUSTRY_COLUMNS))

    results = store.save_many(waiting, [(parsed(2, 20), b"feb", None), (parsed(3, 30), b"mar", None)],
                              by="jia", pending=True)
    assert [r.pending for r in results] == [True, True] and "状态：待审核" in results[0].summary()
    assert [store.review_status(waiting, r.upload_id) for r in results] == ["pending", "pending"]
    assert waiting.execute("select count(*) from metric_values where period > '2024-01-01'").fetchall() == [(0,)]
    for r in results:
        store.approve(waiting, r.upload_id, by="admin")
    # approved: January 10 (#1; the restated 30 of #2 still waits), February 20, March 30 → (10+20+30) / 100
    assert metric(waiting, "甲园区", "2024-03", "tax_per_mu") == pytest.approx(0.6)


# ---------------------------------------------------------------- the command line

def test_cli_lists_returns_and_approves(new_db):
    db = new_db("cli")
    con = store.connect(db)
    store_rows(con, APPROVED_ROWS, file_name="一月.csv", by="admin")
    store_rows(con, RESTATED, file_name="一月更正.csv", by="jia", pending=True)
    store_rows(con, [("甲园区", "tax", "2024-02", "month", 12)], file_name="二月.csv", by="jia", pending=True)
    con.close()
    listed = run_cli("uploads", "--status", "pending", db=db)
    assert listed.returncode == 0, listed.stderr
    assert "一月更正.csv" in listed.stdout and "二月.csv" in listed.stdout and "一月.csv  " not in listed.stdout
    assert "待审核" in listed.stdout
    out = run_cli("return", "2", "--reason", "税收口径不符", db=db)
    assert out.returncode == 0 and "已退回" in out.stdout and "税收口径不符" in out.stdout
    out = run_cli("return", "3", db=db)
    assert out.returncode == 2 and "--reason" in out.stderr  # argparse: the reason is required
    returned = run_cli("uploads", "--status", "returned", db=db).stdout
    assert "一月更正.csv" in returned and "退回原因：税收口径不符" in returned and "二月.csv" not in returned
    out = run_cli("approve", "2", db=db)
    assert out.returncode == 1 and "已退回" in out.stderr and "不在待审核状态" in out.stderr
    out = run_cli("approve", "3", db=db)
    assert out.returncode == 0 and "已审核通过" in out.stdout
    assert run_cli("uploads", "--status", "pending", db=db).stdout.strip() == "没有待审核的上传"
    approved = run_cli("uploads", "--status", "approved", db=db).stdout
    assert "二月.csv" in approved and "审核：命令行" in approved
    con = store.connect(db)
    # 亩均税收 is cumulative: (January 10 + February 12) / 100 亩
    assert metric(con, "甲园区", "2024-02", "tax_per_mu") == pytest.approx(0.22)
    assert metric(con, "甲园区", "2024-01", "tax_per_mu") == pytest.approx(0.1)  # the returned 30 never counted
    con.close()


def test_cli_json_of_a_status_carries_the_review(new_db):
    db = new_db("cli")
    con = store.connect(db)
    store_rows(con, RESTATED, file_name="一月更正.csv", by="jia", pending=True)
    store.return_upload(con, 1, "少报一户", by="admin")
    con.close()
    import json

    listed = json.loads(run_cli("uploads", "--status", "returned", "--format", "json", db=db).stdout)
    assert [(u["id"], u["review"], u["uploaded_by"], u["reviewed_by"], u["return_reason"]) for u in listed] == [
        (1, "returned", "jia", "admin", "少报一户")]


# ---------------------------------------------------------------- the app

PASSWORD = "correct horse 1"


@pytest.fixture
def review_app(tmp_path, new_db, monkeypatch, clear_caches):
    """甲园区 January approved (#1, by admin); jia's February waiting (#2); accounts jia (填报) and admin."""
    db = new_db("app")
    con = store.connect(db)
    store_rows(con, APPROVED_ROWS, file_name="一月.csv", by="admin")
    store_rows(con, [("甲园区", "tax", "2024-02", "month", 12)], file_name="二月.csv", by="jia", pending=True)
    con.close()
    hashed = accounts.hash_password(PASSWORD)
    accounts.save(tmp_path / "accounts.toml", {
        "jia": Account("jia", accounts.UPLOAD, "甲填报员", ("甲园区",), hashed),
        "admin": Account("admin", accounts.ADMIN, "管理员", (), hashed)})
    monkeypatch.setenv("PARKBENCH_DB", str(db))
    monkeypatch.setenv("PARKBENCH_ACCOUNTS", str(tmp_path / "accounts.toml"))  # beside no file on PostgreSQL
    return tmp_path


def app_as(username: str, page: str | None = None, pending: bool = False):
    from conftest import APP
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_parkbench_user"] = username
    if pending:
        at.query_params["pending"] = "1"
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def app_review_status(folder, upload_id):
    from ui import data

    return store.review_status(data._connection(store.db_target()).cursor(), upload_id)


def test_admin_returns_with_a_reason_and_the_uploader_reads_it(review_app):
    admin = app_as("admin", "pages/upload.py")
    assert not admin.exception
    assert any(e.label.startswith("审核上传 #2") for e in admin.expander)
    reason, give_back = admin.text_input(key="review_reason_2"), admin.button(key="review_return_2")
    # one form: the reason and the click reach the server in one run
    assert reason.form_id and reason.form_id == give_back.form_id
    admin.button(key="review_return_2").click().run()  # no reason: refused, still waiting
    assert any("须填写原因" in e.value for e in admin.error)
    assert app_review_status(review_app, 2) == "pending"
    admin.text_input(key="review_reason_2").input("二月税收与税务局口径不符")
    admin.button(key="review_return_2").click().run()
    assert not admin.exception
    assert any("已退回" in s.value for s in admin.success)
    assert app_review_status(review_app, 2) == "returned"
    jia = app_as("jia", "pages/upload.py")
    assert not jia.exception
    assert any("退回原因：二月税收与税务局口径不符" in e.value and "重新上传" in e.value for e in jia.error)
    assert not [b for b in jia.button if (b.key or "").startswith("review_")]  # 填报 does not review
    assert "已退回" in [x.value for x in jia.text]


def test_admin_opens_what_the_uploader_saw_and_approves(review_app):
    admin = app_as("admin", "pages/upload.py")
    values = next(d.value for d in admin.dataframe if "unit" in d.value.columns and "basis" in d.value.columns)
    assert list(values[["park", "indicator", "period", "value", "unit"]].itertuples(index=False, name=None)) == [
        ("甲园区", "税收收入", "2024年2月", 12.0, "万元")]
    admin.button(key="review_approve_2").click().run()
    assert not admin.exception
    assert any("已审核通过" in s.value for s in admin.success)
    assert app_review_status(review_app, 2) == "approved"
    assert not [b for b in admin.button if (b.key or "").startswith("review_")]  # nothing waits now


def test_the_pending_switch_marks_the_pages(review_app):
    default = app_as("admin")
    assert not default.exception
    switch = default.toggle(key="_pending_switch")
    assert switch.label == "含待审核数据" and not switch.value
    assert not any("待审核" in w.value for w in default.warning)
    with_pending = app_as("admin", pending=True)
    assert not with_pending.exception
    assert with_pending.toggle(key="_pending_switch").value
    assert any("本页含待审核数据" in w.value and "甲园区 2024年2月 待审核（上传 \\#2）" in w.value  # Markdown-escaped
               for w in with_pending.warning)
