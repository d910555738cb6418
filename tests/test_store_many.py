"""确认全部导入 (parkbench.upload.store_many, store.save_many): several
previewed files stored in one transaction with one rebuild of the derived
tables, leaving the store exactly as storing them one by one in the same
order (the page previews a file again before each 确认导入), warnings
included; a file refused in the middle leaves the files before and after it
stored. Real DuckDB throughout; expected warnings worked out by hand."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import FIXTURES
from test_upload_verb import FEBRUARY_BELOW_JANUARY, Spies, csv, put, stored_warnings

from parkbench import store, upload
from parkbench.errors import AccountError, StoreError
from parkbench.models import sql
from parkbench.store import accounts, demo

SAMPLES = sorted(p for folder in (FIXTURES, FIXTURES / "v2") for p in folder.iterdir()
                 if p.suffix in (".xlsx", ".xls", ".csv"))
pytestmark = pytest.mark.both_stores  # store tests: on DuckDB and on PostgreSQL (conftest)
COMPARED = [sql.model_name(n) for n, kind in sql.MODELS if kind == "table"] + [
    "observations", "reported_growth", "industries", "parks", "park_aliases", "upload_warnings"]


def previews(con, files: list[tuple[bytes, str]]) -> list[upload.Preview]:
    """Every file previewed first, as the page does when they are chosen at once."""
    return [upload.check(con, data, name, mappings=store.load_mappings(con)) for data, name in files]


def one_by_one(con, shown: list[upload.Preview]) -> None:
    """Today's 确认导入 per file: each preview checked again (if a write since can change it), then stored."""
    for preview in shown:
        upload.store(con, upload.check(con, preview.data, preview.file_name, previous=preview), by="甲")


def contents(con, table: str):
    columns = "* exclude (created_at)" if table == "parks" else "*"  # when a park was made differs by a second
    return con.execute(f"select {columns} from {table} order by all").df()


def uploads(con) -> list[tuple]:
    return con.execute("select upload_id, file_name, sha256, family, row_count, uploaded_by from uploads "
                       "where not is_demo order by upload_id").fetchall()


def test_every_sample_stored_at_once_leaves_the_store_as_one_by_one(new_db):
    """All shared samples (v1 and v2: nearly every file shares a park with an
    earlier one, so almost every file's warnings must be found again on the
    store with the files before it): the same uploads, base rows, derived
    tables (metrics included) and stored warnings as 确认导入 file by file."""
    files = [(p.read_bytes(), p.name) for p in SAMPLES]
    apart, together = store.connect(new_db("apart")), store.connect(new_db("together"))
    one_by_one(apart, previews(apart, files))
    outcomes = upload.store_many(together, previews(together, files), by="甲")
    assert [type(o) for o in outcomes] == [store.UploadResult] * len(files)
    assert [o.file_name for o in outcomes] == [name for _, name in files]
    assert uploads(together) == uploads(apart)
    assert contents(together, "upload_warnings").shape[0] > 0  # the comparison below covers warnings
    for table in COMPARED:
        assert contents(together, table).equals(contents(apart, table)), table


def chosen_together(con, files: list[tuple[bytes, str]]) -> list[upload.Preview]:
    """Every file previewed as the page previews files chosen at once (``check_many``):
    each checked with the files above it taken as stored."""
    return list(upload.check_many(con, [(name, data) for data, name in files], mappings=store.load_mappings(con)))


def test_previews_of_files_chosen_together_warn_as_storing_them_in_order_would(new_db):
    """Each sample's preview, made with the samples above it chosen too, has
    the warnings a plain preview has once the samples above are stored one
    by one: the same store, the same findings (cell places and texts too)."""
    files = [(p.read_bytes(), p.name) for p in SAMPLES]
    together, apart = store.connect(new_db("together")), store.connect(new_db("apart"))
    chained = chosen_together(together, files)
    differ = 0
    for n, (data, name) in enumerate(files):
        plain = upload.check(apart, data, name, mappings=store.load_mappings(apart))
        assert finding_facts(chained[n]) == finding_facts(plain), name
        alone = upload.check(together, data, name, mappings=store.load_mappings(together))  # nothing stored there
        differ += finding_facts(alone) != finding_facts(plain)
        upload.store(apart, plain, by="甲")
    assert differ >= 3  # the files above change what a file warns of: the comparison above can fail


def finding_facts(preview: upload.Preview) -> list[tuple]:
    """Every field of each finding but the park id (a new park's is a scratch id in a preview)."""
    return [(f.check_id, f.message, f.park, f.indicator, f.period, f.file_name, f.sheet, f.row, f.column, f.detail)
            for f in preview.findings]


def test_files_chosen_together_are_stored_at_once_without_checking_any_again(new_db, monkeypatch):
    """确认全部导入 of previews made together stores each preview's warnings
    as they are (no data check runs at the click) and leaves the store as
    storing the files one by one does."""
    files = [(p.read_bytes(), p.name) for p in SAMPLES]
    apart, together = store.connect(new_db("apart")), store.connect(new_db("together"))
    one_by_one(apart, previews(apart, files))
    shown = chosen_together(together, files)
    spies = Spies(monkeypatch)
    outcomes = upload.store_many(together, shown, by="甲")
    calls = spies.take()
    assert calls["run"] == 0 and calls["build_tables"] == 1
    assert [type(o) for o in outcomes] == [store.UploadResult] * len(files)
    assert uploads(together) == uploads(apart)
    for table in COMPARED:
        assert contents(together, table).equals(contents(apart, table)), table


def test_a_file_stored_alone_after_a_preview_made_with_the_files_above_is_checked_again(fresh_db):
    """February previewed under January (chosen together) warns that it is
    below January. Stored alone, before January, it is checked again and
    warns of nothing: the store has no January."""
    _, february = chosen_together(fresh_db, [(csv("甲园区,2025-01,税收,累计,700,万元"), "一月.csv"),
                                             (csv("甲园区,2025-02,税收,累计,650,万元"), "二月.csv")])
    assert FEBRUARY_BELOW_JANUARY in february.findings[0].message
    result = upload.store(fresh_db, february)
    assert stored_warnings(fresh_db, result.upload_id) == []


def test_files_above_left_out_of_store_all_send_the_ones_below_to_be_checked_again(fresh_db, monkeypatch):
    """January, February, March chosen together; January is left out (its
    question unanswered, say): February and March are checked again when
    stored, February on a store without January."""
    _, feb, mar = chosen_together(fresh_db, [(csv("甲园区,2025-01,税收,累计,700,万元"), "一月.csv"),
                                             (csv("甲园区,2025-02,税收,累计,650,万元"), "二月.csv"),
                                             (csv("甲园区,2025-03,税收,累计,600,万元"), "三月.csv")])
    assert FEBRUARY_BELOW_JANUARY in feb.findings[0].message
    spies = Spies(monkeypatch)
    february, march = upload.store_many(fresh_db, [feb, mar])
    assert spies.take()["run"] == 2
    assert stored_warnings(fresh_db, february.upload_id) == []
    (warning,) = stored_warnings(fresh_db, march.upload_id)
    assert warning[:2] == ("cumulative_decrease", "甲园区") and "低于上月累计 650.0 万元" in warning[2]


def test_a_preview_made_with_other_files_above_is_made_again(fresh_db):
    """The page passes the previews above a file; one made when January was
    above it is checked again once January is no longer there."""
    jan, feb = chosen_together(fresh_db, [(csv("甲园区,2025-01,税收,累计,700,万元"), "一月.csv"),
                                          (csv("甲园区,2025-02,税收,累计,650,万元"), "二月.csv")])
    assert upload.check(fresh_db, feb.data, feb.file_name, previous=feb, above=(jan,)) is feb
    again = upload.check(fresh_db, feb.data, feb.file_name, previous=feb, above=())
    assert again is not feb and len(again.findings) == 0 and again.dry_run.before == ()


def test_a_later_file_is_checked_on_the_store_with_the_earlier_ones_in_it(fresh_db, monkeypatch):
    """Both previews were made on an empty store: February alone warns of
    nothing. Stored at once after January, February's 650 is below January's
    700, as when stored one by one; the store is rebuilt once for both."""
    shown = previews(fresh_db, [(csv("甲园区,2025-01,税收,累计,700,万元"), "一月.csv"),
                                (csv("甲园区,2025-02,税收,累计,650,万元"), "二月.csv")])
    assert [len(p.findings) for p in shown] == [0, 0]
    spies = Spies(monkeypatch)
    january, february = upload.store_many(fresh_db, shown)
    calls = spies.take()
    assert calls["build_tables"] == 1 and calls["run"] == 1 and calls["_write"] == 0  # January's preview holds
    assert stored_warnings(fresh_db, january.upload_id) == []
    (warning,) = stored_warnings(fresh_db, february.upload_id)
    assert warning[:2] == ("cumulative_decrease", "甲园区") and FEBRUARY_BELOW_JANUARY in warning[2]
    assert fresh_db.execute("select period::varchar, month_value from int_flow_values order by period").fetchall() \
        == [("2025-01-01", 700.0), ("2025-02-01", -50.0)]  # February's month: 650 − 700


def test_a_file_refused_by_the_store_in_the_middle_leaves_the_first_and_third_stored(fresh_db):
    """The second file breaks a rule of the store (a basis no table takes):
    the one transaction fails, the files are stored one by one, the second
    says why in Chinese and writes nothing, the first and third are stored."""
    first, second, third = previews(fresh_db, [
        (csv("甲园区,2025-01,税收,累计,700,万元"), "一月.csv"),
        (csv("乙园区,2025-01,税收,累计,100,万元"), "乙一月.csv"),
        (csv("甲园区,2025-02,税收,累计,650,万元"), "二月.csv")])
    second.parsed.observations["basis"] = "bogus"  # what no reader gives: the store refuses it
    outcomes = upload.store_many(fresh_db, [first, second, third])
    assert isinstance(outcomes[0], store.UploadResult) and isinstance(outcomes[2], store.UploadResult)
    assert isinstance(outcomes[1], StoreError) and "乙一月.csv" in str(outcomes[1])
    assert [r[1] for r in uploads(fresh_db)] == ["一月.csv", "二月.csv"]
    assert fresh_db.execute("select count(*) from parks where name = '乙园区'").fetchall() == [(0,)]
    (warning,) = stored_warnings(fresh_db, outcomes[2].upload_id)
    assert FEBRUARY_BELOW_JANUARY in warning[2]
    assert fresh_db.execute("select period::varchar, ytd_value from int_flow_values order by period").fetchall() \
        == [("2025-01-01", 700.0), ("2025-02-01", 650.0)]


def test_a_park_the_account_may_not_store_refuses_that_file_alone(fresh_db):
    put(fresh_db, csv("甲园区,2025-01,税收,累计,700,万元", "乙园区,2025-01,税收,累计,100,万元"), "一月.csv")
    only_jia = accounts.Account("jia", accounts.UPLOAD, parks=("甲园区",))
    shown = previews(fresh_db, [(csv("甲园区,2025-02,税收,累计,750,万元"), "甲二月.csv"),
                                (csv("乙园区,2025-02,税收,累计,150,万元"), "乙二月.csv"),
                                (csv("甲园区,2025-03,税收,累计,800,万元"), "甲三月.csv")])
    outcomes = upload.store_many(fresh_db, shown, by="jia", account=only_jia)
    assert isinstance(outcomes[1], AccountError) and "乙园区" in str(outcomes[1])
    assert [r[1] for r in uploads(fresh_db)] == ["一月.csv", "甲二月.csv", "甲三月.csv"]
    # a 填报 account's files wait for review (issue 21): in force once 管理 approves them
    assert [store.review_status(fresh_db, r.upload_id) for r in (outcomes[0], outcomes[2])] == ["pending"] * 2
    for result in (outcomes[0], outcomes[2]):
        store.approve(fresh_db, result.upload_id, by="admin")
    months = fresh_db.execute("select period::varchar, month_value from int_flow_values "
                              "where park_id = (select park_id from parks where name = '甲园区') order by period")
    assert months.fetchall() == [("2025-01-01", 700.0), ("2025-02-01", 50.0), ("2025-03-01", 50.0)]  # 750−700, 800−750


def test_an_unreadable_file_in_the_row_says_why_and_the_others_are_stored(fresh_db):
    shown = previews(fresh_db, [(csv("甲园区,2025-01,税收,累计,700,万元"), "一月.csv"),
                                (b"\x00\x01 not a sheet", "坏.xlsx"),
                                (csv("甲园区,2025-02,税收,累计,750,万元"), "二月.csv")])
    assert shown[1].error
    outcomes = upload.store_many(fresh_db, shown)
    assert isinstance(outcomes[1], StoreError) and str(outcomes[1]) == shown[1].error
    assert [r[1] for r in uploads(fresh_db)] == ["一月.csv", "二月.csv"]


def test_the_first_real_upload_at_once_leaves_the_demo_once(fresh_db):
    """Demo rows in the same store (from before the demo had a database of its
    own): storing at once retires them, as the first of one by one does."""
    demo.load(fresh_db)
    assert store.demo_in_use(fresh_db)
    shown = previews(fresh_db, [(csv("甲园区,2025-01,税收,累计,700,万元"), "一月.csv"),
                                (csv("甲园区,2025-02,税收,累计,750,万元"), "二月.csv")])
    outcomes = upload.store_many(fresh_db, shown)
    assert [o.left_demo for o in outcomes] == [True, False]
    assert not store.demo_in_use(fresh_db)
    assert Counter(r[0] for r in fresh_db.execute(
        "select p.name from stg_observations join parks p using (park_id)").fetchall()) == Counter({"甲园区": 2})


def stored_messages(con, upload_id: int) -> list[str]:
    return [m for (m,) in con.execute("select message from upload_warnings where upload_id = ? order by all",
                                      [upload_id]).fetchall()]


def test_the_same_bytes_above_read_otherwise_under_another_name_send_the_file_below_to_be_checked_again(fresh_db):
    """A wide sheet takes its period from the file name: the same bytes named
    1月 then 3月 give January's or March's 700. February's preview made under
    the January file is made again under the March one, and stored so: as one
    by one would, with no word of a January that is not there."""
    wide = "园区,税收收入（万元）\n甲园区,700\n".encode()
    _, february = chosen_together(fresh_db, [(wide, "2025年1-1月.csv"),
                                             (csv("甲园区,2025-02,税收,累计,650,万元"), "二月.csv")])
    assert FEBRUARY_BELOW_JANUARY in february.findings[0].message
    march = upload.check(fresh_db, wide, "2025年1-3月.csv")
    again = upload.check(fresh_db, february.data, february.file_name, previous=february, above=(march,))
    assert again is not february and len(again.findings) == 0
    _, stored = upload.store_many(fresh_db, [march, february])  # the old preview, as a stale page would send it
    assert stored_messages(fresh_db, stored.upload_id) == []


def test_a_new_park_spelled_two_ways_is_named_in_warnings_as_the_file_above_names_it(new_db):
    """南湖 园区 (file above, new) and 南湖园区 (below) are one park, named as
    the first file stores it: the warning stored at once says so, as one by one."""
    files = [(csv("南湖 园区,2025-01,税收,累计,700,万元"), "一月.csv"), (csv("南湖园区,2025-02,税收,累计,650,万元"), "二月.csv")]
    together, apart = store.connect(new_db("together")), store.connect(new_db("apart"))
    _, february = upload.store_many(together, chosen_together(together, files))
    one_by_one(apart, previews(apart, files))
    (message,) = stored_messages(together, february.upload_id)
    assert "南湖 园区 税收收入" in message and february.parks == ["南湖 园区"]
    (upload_id,) = apart.execute("select upload_id from uploads where file_name = '二月.csv'").fetchone()
    assert stored_messages(apart, upload_id) == [message]


def test_a_file_above_of_other_parks_is_not_counted_and_a_file_stored_alone_keeps_its_preview(fresh_db, monkeypatch):
    """乙 above 甲: 甲's preview counts no file above (the card says nothing of
    them), and 确认导入 of 甲 alone stores its preview's warnings unchecked."""
    _, jia = chosen_together(fresh_db, [(csv("乙园区,2025-01,税收,累计,100,万元"), "乙.csv"),
                                        (csv("甲园区,2025-01,税收,累计,700,万元"), "甲.csv")])
    assert jia.dry_run.before == () and len(jia.dry_run.above) == 1
    spies = Spies(monkeypatch)
    upload.store(fresh_db, jia)
    assert spies.take()["run"] == 0


def test_an_alias_accepted_on_a_file_above_sends_the_file_below_to_be_counted_after_it(fresh_db, monkeypatch):
    """一月 spells a known park almost right (是否为：泌阳县产业集聚区？) and
    shares no park with 二月 until 是 is answered; then 二月's preview is
    made again, counting 一月, and 确认全部导入 stores it as shown."""
    from parkbench.store import names

    put(fresh_db, csv("泌阳产业集聚区,2024-12,税收,累计,10,万元"), "十二月.csv")
    january, february = chosen_together(fresh_db, [(csv("泌阳产业集区,2025-01,税收,累计,700,万元"), "一月.csv"),
                                                   (csv("泌阳产业集聚区,2025-02,税收,累计,650,万元"), "二月.csv")])
    assert january.suggestions and february.dry_run.before == () and len(february.findings) == 0
    for spelling, park in january.suggestions.items():
        names.accept_alias(fresh_db, spelling, park)
    january = upload.check(fresh_db, january.data, january.file_name, previous=january)
    again = upload.check(fresh_db, february.data, february.file_name, previous=february, above=(january,))
    assert again is not february and FEBRUARY_BELOW_JANUARY in again.findings[0].message
    spies = Spies(monkeypatch)
    _, stored = upload.store_many(fresh_db, [january, again])
    assert spies.take()["run"] == 0
    (warning,) = stored_warnings(fresh_db, stored.upload_id)
    assert FEBRUARY_BELOW_JANUARY in warning[2]
