"""The upload verb (parkbench.upload): ``check`` previews a file once,
``store`` stores that preview. A confirm after a preview the store has not
changed since writes once, rebuilds once, and neither parses, dry-runs nor
checks again; after another upload of the same park (or one creating it, or
an undo) the file's parks are checked again and the stored warnings are
those of the store as it is. The real functions are wrapped by spies that
count and call through; DuckDB is never mocked. Expected warnings are worked
out by hand from the values in each test."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from conftest import APP, run_cli
from streamlit.testing.v1 import AppTest
from test_checks import breakdown

from parkbench import store, upload
from parkbench.ingest import isolate, parse_file
from parkbench.ingest.model import INDUSTRY_COLUMNS, Parsed, empty_frame
from parkbench.models import checks, sql
from parkbench.store import demo, names
from parkbench.store.accounts import OPERATOR

pytestmark = pytest.mark.both_stores  # store tests: on DuckDB and on PostgreSQL (conftest)

HEADER = "园区,统计期,指标,口径,数值,单位\n"


def csv(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode("utf-8")


def put(con, data: bytes, name: str) -> store.UploadResult:
    """Another person's upload, through the same verb."""
    return upload.store(con, upload.check(con, data, name))


class Spies:
    """Counts calls of the real functions (and keeps the parks each data-check query read)."""

    def __init__(self, monkeypatch):
        self.calls = Counter()
        self.checked_parks: list[list[int]] = []
        self._spy(monkeypatch, isolate, "parse_upload")
        self._spy(monkeypatch, store, "dry_run")
        self._spy(monkeypatch, store, "_write")
        self._spy(monkeypatch, checks, "run")
        self._spy(monkeypatch, sql, "build_tables")
        real_query, real_query_each = sql.query, sql.query_each

        def query(con, name, **params):
            if name.startswith("checks/"):
                self.checked_parks.append(sorted(params["parks"]))
            return real_query(con, name, **params)

        def query_each(con, names, **params):
            names = list(names)
            if any(name.startswith("checks/") for name in names):
                self.checked_parks.append(sorted(params["parks"]))
            return real_query_each(con, names, **params)

        monkeypatch.setattr(sql, "query", query)
        monkeypatch.setattr(sql, "query_each", query_each)

    def _spy(self, monkeypatch, owner, name: str) -> None:
        real = getattr(owner, name)

        def counted(*args, **kwargs):
            self.calls[name] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)

    def take(self) -> Counter:
        calls, self.calls = self.calls, Counter()
        self.checked_parks = []
        return calls


def stored_warnings(con, upload_id: int) -> list[tuple]:
    return con.execute("select check_id, p.name, message from upload_warnings w join parks p using (park_id) "
                       "where upload_id = ? order by check_id", [upload_id]).fetchall()


def park_id(con, name: str) -> int:
    return store.find_park(con, name)


FEBRUARY_BELOW_JANUARY = "累计 650.0 万元，低于上月累计 700.0 万元（推算的当月值将为 -50.0 万元）"  # 650 − 700 = −50


def test_a_confirm_after_an_unchanged_preview_parses_rebuilds_and_checks_nothing_again(fresh_db, monkeypatch):
    put(fresh_db, csv("甲园区,2025-01,税收,累计,700,万元"), "一月.csv")
    spies = Spies(monkeypatch)
    preview = upload.check(fresh_db, csv("甲园区,2025-02,税收,累计,650,万元"), "二月.csv")
    # the preview's checks run on temporary tables of its own: nothing written to the store, nothing rebuilt there
    assert spies.take() == Counter(parse_upload=1, dry_run=1, run=1)
    assert [f.check_id for f in preview.findings] == ["cumulative_decrease"]

    result = upload.store(fresh_db, preview, by="甲")
    assert spies.take() == Counter(_write=1, build_tables=1)  # written once, rebuilt once, nothing else
    assert stored_warnings(fresh_db, result.upload_id) == [("cumulative_decrease", "甲园区", preview.findings[0].message)]
    assert FEBRUARY_BELOW_JANUARY in preview.findings[0].message
    stored = fresh_db.execute("select value from stg_observations where period = '2025-02-01'").fetchall()
    assert stored == [(650.0,)]


def test_an_upload_of_another_park_in_between_keeps_the_previews_checks(fresh_db, monkeypatch):
    put(fresh_db, csv("甲园区,2025-01,税收,累计,700,万元", "乙园区,2025-01,税收,累计,100,万元"), "一月.csv")
    preview = upload.check(fresh_db, csv("甲园区,2025-02,税收,累计,650,万元"), "甲二月.csv")
    put(fresh_db, csv("乙园区,2025-01,税收,累计,90,万元"), "乙更正.csv")  # another park: 甲's checks still hold
    spies = Spies(monkeypatch)
    result = upload.store(fresh_db, preview)
    assert spies.take() == Counter(_write=1, build_tables=1)
    (warning,) = stored_warnings(fresh_db, result.upload_id)
    assert warning[:2] == ("cumulative_decrease", "甲园区") and FEBRUARY_BELOW_JANUARY in warning[2]


def test_an_upload_of_the_same_park_in_between_is_checked_again_on_the_files_parks_only(fresh_db, monkeypatch):
    put(fresh_db, csv("甲园区,2025-01,税收,累计,700,万元", "乙园区,2025-01,税收,累计,100,万元"), "一月.csv")
    # 1,300 after 700: a February of 600, nothing to warn about.
    preview = upload.check(fresh_db, csv("甲园区,2025-02,税收,累计,1300,万元"), "甲二月.csv")
    assert len(preview.findings) == 0
    put(fresh_db, csv("甲园区,2025-01,税收,累计,1400,万元"), "甲一月更正.csv")  # now February's 1,300 is below it
    spies = Spies(monkeypatch)
    result = upload.store(fresh_db, preview)
    calls = spies.calls
    assert calls["run"] == 1 and calls["parse_upload"] == 0 and calls["dry_run"] == 0
    assert calls["_write"] == 1 and calls["build_tables"] == 1
    assert spies.checked_parks and all(parks == [park_id(fresh_db, "甲园区")] for parks in spies.checked_parks)
    (warning,) = stored_warnings(fresh_db, result.upload_id)
    assert warning[:2] == ("cumulative_decrease", "甲园区")
    assert "累计 1,300.0 万元，低于上月累计 1,400.0 万元（推算的当月值将为 -100.0 万元）" in warning[2]  # 1,300 − 1,400


def test_a_stale_warning_of_the_preview_is_not_stored(fresh_db, monkeypatch):
    put(fresh_db, csv("甲园区,2025-01,税收,累计,700,万元"), "一月.csv")
    preview = upload.check(fresh_db, csv("甲园区,2025-02,税收,累计,650,万元"), "二月.csv")
    assert [f.check_id for f in preview.findings] == ["cumulative_decrease"]
    # January corrected to 400: February's month is 650 − 400 = 250, −37.5 % against January's 400 (within ±50 %).
    put(fresh_db, csv("甲园区,2025-01,税收,累计,400,万元"), "一月更正.csv")
    result = upload.store(fresh_db, preview)
    assert stored_warnings(fresh_db, result.upload_id) == []


def test_a_new_park_is_previewed_again_after_any_upload(fresh_db, monkeypatch):
    """A park close to the new name may have come (是否为：…？ is asked again)."""
    data = csv("新园区,2025-01,税收,累计,700,万元", "新园区,2025-02,税收,累计,650,万元")
    preview = upload.check(fresh_db, data, "新园区.csv")
    put(fresh_db, csv("另一园区,2025-01,税收,累计,5,万元"), "另一园区.csv")
    spies = Spies(monkeypatch)
    again = upload.check(fresh_db, data, "新园区.csv", previous=preview)
    assert again is not preview and spies.calls["dry_run"] == 1 and spies.calls["parse_upload"] == 0


def stored_with_the_previews_warning(con, monkeypatch, preview, park: str) -> None:
    """Store the preview: no check runs again, and its February warning is stored."""
    spies = Spies(monkeypatch)
    result = upload.store(con, preview)
    assert spies.calls["run"] == 0
    (warning,) = stored_warnings(con, result.upload_id)
    assert warning[:2] == ("cumulative_decrease", park) and FEBRUARY_BELOW_JANUARY in warning[2]


def store_east_firms(con) -> None:
    """东园's register (firms A and B) and their 产值 ledger: February's cumulative
    100 + 110 + 51 + 40 = 301, January's 151 (test_enterprise_models' helpers)."""
    from test_enterprise_models import A, B, ledger, monthly, register
    from test_enterprise_models import save as save_firms

    save_firms(con, register([(A, "3411", None), (B, "1310", None)]))
    save_firms(con, ledger(monthly(A, "output", ["2024-01", "2024-02"], [100, 110])
                           + monthly(B, "output", ["2024-01", "2024-02"], [51, 40])))


def test_a_new_parks_warnings_hold_after_an_upload_of_another_park(fresh_db, monkeypatch):
    """Storing needs only the warnings, and the new park's rows are the file's
    alone: an upload of another park in between does not check it again."""
    preview = upload.check(fresh_db, csv("新园区,2025-01,税收,累计,700,万元", "新园区,2025-02,税收,累计,650,万元"),
                           "新园区.csv")
    put(fresh_db, csv("另一园区,2025-01,税收,累计,5,万元"), "另一园区.csv")
    stored_with_the_previews_warning(fresh_db, monkeypatch, preview, "新园区")


def test_a_park_created_in_between_is_checked_again(fresh_db, monkeypatch):
    preview = upload.check(fresh_db, csv("新园区,2025-02,税收,累计,650,万元"), "新二月.csv")
    assert len(preview.findings) == 0 and preview.new_parks == ["新园区"]
    put(fresh_db, csv("新园区,2025-01,税收,累计,700,万元"), "新一月.csv")
    spies = Spies(monkeypatch)
    result = upload.store(fresh_db, preview)
    assert spies.calls["run"] == 1
    (warning,) = stored_warnings(fresh_db, result.upload_id)
    assert warning[:2] == ("cumulative_decrease", "新园区") and FEBRUARY_BELOW_JANUARY in warning[2]


def test_an_undo_in_between_is_checked_again(fresh_db, monkeypatch):
    put(fresh_db, csv("甲园区,2025-01,税收,累计,400,万元"), "一月.csv")
    correction = put(fresh_db, csv("甲园区,2025-01,税收,累计,700,万元"), "一月更正.csv")
    preview = upload.check(fresh_db, csv("甲园区,2025-02,税收,累计,650,万元"), "二月.csv")
    assert [f.check_id for f in preview.findings] == ["cumulative_decrease"]
    store.undo(fresh_db, correction.upload_id)  # January is 400 again: a February of 250, −37.5 % (within ±50 %)
    spies = Spies(monkeypatch)
    result = upload.store(fresh_db, preview)
    assert spies.calls["run"] == 1
    assert stored_warnings(fresh_db, result.upload_id) == []


def test_demo_data_retired_in_between_keeps_the_previews_checks(fresh_db, monkeypatch):
    """The first real upload retires the demo (marked undone), but a dry run
    leaves the demo rows out already: it is not an undo that changes warnings."""
    demo.load(fresh_db)
    preview = upload.check(fresh_db, csv("甲园区,2025-01,税收,累计,700,万元", "甲园区,2025-02,税收,累计,650,万元"),
                           "甲园区.csv")
    assert put(fresh_db, csv("乙园区,2025-01,税收,累计,5,万元"), "乙园区.csv").left_demo
    stored_with_the_previews_warning(fresh_db, monkeypatch, preview, "甲园区")


def test_firm_rows_stored_in_between_are_checked_again(fresh_db, monkeypatch):
    """A firm file since the preview can change the park's warnings (its sum
    against the park's own figure, docs/enterprises.md rule 3): the register
    and the firms' ledger of 东园 come after the park's preview."""
    put(fresh_db, csv("东园,2024-01,规上工业总产值,累计,150,万元"), "一月.csv")
    preview = upload.check(fresh_db, csv("东园,2024-02,规上工业总产值,累计,290,万元"), "二月.csv")
    assert [f.message for f in preview.findings] == []
    store_east_firms(fresh_db)  # the firms' cumulative for February: 301, against the park's 290 (+3.8 %)
    spies = Spies(monkeypatch)
    result = upload.store(fresh_db, preview)
    assert spies.calls["run"] == 1
    assert [w[:2] for w in stored_warnings(fresh_db, result.upload_id)] == [("enterprise_sum_mismatch", "东园")]


def test_the_previews_warnings_compare_the_park_with_its_stored_firms(fresh_db):
    """The dry run reads the park's sums over its firms as stored (no park
    sheet changes them) and warns as the save does."""
    store_east_firms(fresh_db)
    data = csv("东园,2024-01,规上工业总产值,累计,150,万元", "东园,2024-02,规上工业总产值,累计,290,万元")
    preview = upload.check(fresh_db, data, "东园.csv")
    # February: the firms' 301 against the park's 290 (+3.8 %); January's 151 against 150 is within 1 %
    assert [(f.check_id, f.period) for f in preview.findings] == [("enterprise_sum_mismatch", dt.date(2024, 2, 1))]
    saved = store.save(fresh_db, parse_file(data, "东园.csv"), data)  # checked=None: the checks run on the store
    assert finding_rows(fresh_db, preview.dry_run.findings_for(store._known_ids(fresh_db, ["东园"]))) == \
        finding_rows(fresh_db, saved.findings)


def test_a_new_parks_warnings_are_stored_under_the_id_it_is_stored_with(fresh_db, monkeypatch):
    """The preview's rolled-back write gave the new park an id the real write
    does not (DuckDB's sequences do not roll back): the kept warnings follow the park."""
    preview = upload.check(fresh_db, csv("新园区,2025-01,税收,累计,700,万元", "新园区,2025-02,税收,累计,650,万元"),
                           "新园区.csv")
    spies = Spies(monkeypatch)
    result = upload.store(fresh_db, preview)
    assert spies.calls["run"] == 0
    (finding,) = preview.findings
    assert finding.park_id != park_id(fresh_db, "新园区")  # the id of the rolled-back write
    (warning,) = stored_warnings(fresh_db, result.upload_id)
    assert warning[:2] == ("cumulative_decrease", "新园区") and FEBRUARY_BELOW_JANUARY in warning[2]
    assert list(checks.open_warnings(fresh_db, reader=OPERATOR)["park"]) == ["新园区"]


def test_a_refused_preview_is_not_stored(fresh_db):
    preview = upload.check(fresh_db, csv("甲园区,2024-13,税收,本月,13,万元"), "坏期间.csv")
    assert preview.parsed is None and "坏期间.csv" in preview.error and "第 2 行" in preview.error
    with pytest.raises(store.StoreError, match=r"坏期间\.csv"):
        upload.store(fresh_db, preview)
    assert store.list_uploads(fresh_db).empty


# ---------------------------------------------------------------- the preview's checks are the store's

FIXTURES = Path(__file__).parent / "fixtures"
OUT = "规上工业总产值"
SAME_AS_A_SAVE = {  # (files stored first, the file checked): each raises the warnings named
    "cumulative_decrease": ([csv("甲园区,2025-01,税收,累计,700,万元")], csv("甲园区,2025-02,税收,累计,650,万元")),
    "month_above_ytd": ([], csv(f"甲园区,2025-03,{OUT},本月,500,万元", f"甲园区,2025-03,{OUT},累计,400,万元")),
    "month_missing": ([], csv(f"甲园区,2025-01,{OUT},本月,10,万元", f"甲园区,2025-03,{OUT},本月,12,万元")),
    "mom_change yoy_change": ([csv(f"甲园区,2024-01,{OUT},本月,100,万元")],
                              csv(f"甲园区,2025-01,{OUT},本月,201,万元", f"甲园区,2025-02,{OUT},本月,400,万元")),
    "land_change": ([csv("甲园区,2024-01,用地面积,期末,1000,亩")], csv("甲园区,2025-01,用地面积,期末,1250,亩")),
    "reader": ([], csv(f"甲园区,2025-01,{OUT},本月,100,万元", f"甲园区,2025-01,{OUT},本月,120,万元")),
    "unknown_columns": ([], "园区,统计期,税收(万元),绿化覆盖率\n甲园区,2024-01,12,30\n".encode()),
    "cumulative_decrease mom_change (new park, two spellings)": (
        [], csv(f"凤城园区,2025-01,{OUT},累计,700,万元", f"鳳城園區,2025-02,{OUT},累计,650,万元",
                f"新园区,2025-02,{OUT},本月,100,万元", f"新园区,2025-03,{OUT},本月,400,万元")),
    "sample sheets": (
        [(FIXTURES / "C_凤城开发区月度长表_GBK.csv").read_bytes(), (FIXTURES / "D_确山月度数据_UTF8BOM.csv").read_bytes(),
         (FIXTURES / "A_各园区主要经济指标_2024累计.xlsx").read_bytes()],
        (FIXTURES / "E_产业结构2024.xlsx").read_bytes()),
}


def finding_rows(con, findings) -> list[tuple]:
    names_by_id = dict(con.execute("select park_id, name from parks").fetchall())
    return sorted((f.check_id, f.park, names_by_id.get(f.park_id), f.message, f.sheet, f.row, f.column, f.detail)
                  for f in findings)


def parsed_cases() -> dict[str, tuple[list[Parsed], Parsed]]:
    """SAME_AS_A_SAVE read, and two made as parsed files: published growth 1.5
    points from the computed +10 % (100 → 110), a breakdown 1.5 % below output."""
    cases = {}
    for case, (earlier, data) in SAME_AS_A_SAVE.items():
        suffix = lambda content: "xlsx" if content[:2] == b"PK" else "csv"  # noqa: E731
        cases[case] = ([parse_file(c, f"earlier{n}.{suffix(c)}") for n, c in enumerate(earlier)],
                       parse_file(data, f"checked.{suffix(data)}"))
    observations = pd.DataFrame({"park": ["甲园区"], "indicator": ["output"], "period": [dt.date(2025, 3, 1)],
                                 "basis": ["ytd"], "value": [110.0]})
    growth = pd.DataFrame({"park": ["甲园区"], "indicator": ["output"], "period": [dt.date(2025, 3, 1)],
                           "basis": ["ytd"], "value": [11.5]})
    cases["growth_mismatch"] = ([parse_file(csv(f"甲园区,2024-03,{OUT},累计,100,万元"), "去年.csv")],
                                Parsed("增速.csv", "C", observations, growth, empty_frame(INDUSTRY_COLUMNS)))
    cases["breakdown_sum"] = ([], breakdown([600, 385]))
    return cases


CASES = parsed_cases()


@pytest.mark.parametrize("case", list(CASES))
def test_the_previews_warnings_are_those_a_save_finds(fresh_db, case):
    """The preview checks the file's parks on temporary tables; storing the file
    and checking the whole store gives the same warnings, park ids included."""
    earlier, parsed = CASES[case]
    for before in earlier:
        store.save(fresh_db, before, before.file_name.encode())
    checked = store.dry_run(fresh_db, parsed)
    saved = store.save(fresh_db, parsed, b"checked")  # checked=None: the checks run on the store
    stored_ids = store._known_ids(fresh_db, parsed.parks)
    assert finding_rows(fresh_db, checked.findings_for(stored_ids)) == finding_rows(fresh_db, saved.findings)
    expected = {word for word in case.split(" ") if word in checks.CHECK_TITLES}
    assert expected <= {f.check_id for f in saved.findings}, [f.message for f in saved.findings]


def test_the_previews_warnings_are_a_saves_with_the_demo_in_force(fresh_db):
    demo.load(fresh_db)
    data = (FIXTURES / "D_确山月度数据_UTF8BOM.csv").read_bytes()
    parsed = parse_file(data, "确山.csv")
    checked = store.dry_run(fresh_db, parsed)
    saved = store.save(fresh_db, parsed, data)
    assert saved.left_demo
    assert finding_rows(fresh_db, checked.findings_for(store._known_ids(fresh_db, parsed.parks))) == \
        finding_rows(fresh_db, saved.findings)


# ---------------------------------------------------------------- files chosen together

def preview_facts(preview: upload.Preview) -> tuple:
    values = None if preview.values is None else preview.values.to_dict("records")
    return (preview.file_name, preview.error, preview.needs_mapping, preview.parks, preview.new_parks,
            preview.value_count, [f.message for f in preview.findings], values)


def test_files_chosen_together_are_previewed_as_one_by_one_while_the_next_ones_parse(fresh_db, monkeypatch):
    """check_many gives the previews ``check`` gives file by file, in the
    order chosen (a refused file in its place), but the next file is parsed
    while the first is checked against the store, not after it. (These files
    share no park, so the file above 乙二月 changes none of its warnings;
    tests/test_store_many.py has files above that do.)"""

    put(fresh_db, csv("甲园区,2025-01,税收,累计,700,万元"), "一月.csv")
    files = [("甲二月.csv", csv("甲园区,2025-02,税收,累计,650,万元")),
             ("无表头.csv", "这不是一张表\n".encode()),
             ("乙二月.csv", csv("乙园区,2025-02,税收,本月,5,万元"))]
    one_by_one = [upload.check(fresh_db, data, name) for name, data in files]
    events, lock, second_parse_began = [], threading.Lock(), threading.Event()
    real_parse, real_dry_run = isolate.parse_upload, store.dry_run

    def parse_upload(data, name, *args, **kwargs):
        with lock:
            events.append(("parse", name))
        if name == "无表头.csv":
            second_parse_began.set()
        else:  # the first parse ends only once the second began: "ahead" is then the only way through
            second_parse_began.wait(30)
        return real_parse(data, name, *args, **kwargs)

    def dry_run(con, parsed, above=()):
        with lock:
            events.append(("dry run", parsed.file_name))
        return real_dry_run(con, parsed, above)

    monkeypatch.setattr(isolate, "parse_upload", parse_upload)
    monkeypatch.setattr(store, "dry_run", dry_run)
    together = list(upload.check_many(fresh_db, files))
    assert [preview_facts(p) for p in together] == [preview_facts(p) for p in one_by_one]
    assert FEBRUARY_BELOW_JANUARY in together[0].findings[0].message
    assert together[1].error and together[1].needs_mapping and together[2].error is None
    assert events.index(("parse", "无表头.csv")) < events.index(("dry run", "甲二月.csv")), events


# ---------------------------------------------------------------- at most ten parks named

THIRTY = [f"测试园区{n:02d}" for n in range(1, 31)]


def thirty_parks() -> bytes:
    return csv(*(f"{park},2025-01,税收,本月,{n},万元" for n, park in enumerate(THIRTY, 1)))


def test_park_list_names_ten_and_counts_the_rest():
    assert names.park_list(THIRTY[:10]) == "、".join(THIRTY[:10])
    assert names.park_list(THIRTY[:11]) == "、".join(THIRTY[:10]) + "等 11 个园区"
    assert names.park_list([f"园区{n}" for n in range(1000)]).endswith("园区9等 1,000 个园区")


def test_the_command_lines_summary_of_thirty_parks_names_ten(tmp_path, new_db):
    path = tmp_path / "三十园区.csv"
    path.write_bytes(thirty_parks())
    out = run_cli("ingest", str(path), db=new_db("cli"))
    assert out.returncode == 0, out.stderr
    (line,) = out.stdout.strip().splitlines()
    assert f"园区 30 个（{'、'.join(THIRTY[:10])}等 30 个园区）" in line
    assert THIRTY[10] not in line and "数值 30 个" in line


# ---------------------------------------------------------------- through the page

@pytest.fixture
def page_db(new_db, monkeypatch, clear_caches):
    path = new_db("page")
    con = store.connect(path)
    put(con, csv("甲园区,2025-01,税收,累计,700,万元", "乙园区,2025-01,税收,累计,100,万元"), "一月.csv")
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    return path


def open_upload_page(files) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/upload.py")
    at.session_state["upload_pending"] = {hashlib.sha256(d).hexdigest(): (n, d) for n, d in files}
    return at.run()


def test_the_page_confirms_without_parsing_or_checking_again_after_another_parks_upload(page_db, monkeypatch):
    from ui import data

    spies = Spies(monkeypatch)
    at = open_upload_page([("甲二月.csv", csv("甲园区,2025-02,税收,累计,650,万元"))])
    assert not at.exception
    assert spies.take()["parse_upload"] == 1
    assert any("累计值低于上月" in m.value for m in at.markdown)
    put(data._connection(str(page_db)).cursor(), csv("乙园区,2025-02,税收,累计,200,万元"), "乙二月.csv")  # someone else
    spies.take()
    next(b for b in at.button if b.label == "确认导入").click().run()
    assert not at.exception
    assert any("已导入" in s.value for s in at.success)
    calls = spies.take()
    assert calls["parse_upload"] == 0 and calls["dry_run"] == 0 and calls["run"] == 0
    assert calls["_write"] == 1 and calls["build_tables"] == 1
    con = data._connection(str(page_db)).cursor()
    upload_id = con.execute("select max(upload_id) from uploads").fetchall()[0][0]
    (warning,) = stored_warnings(con, upload_id)
    assert warning[:2] == ("cumulative_decrease", "甲园区") and FEBRUARY_BELOW_JANUARY in warning[2]


def test_the_page_names_ten_of_thirty_parks(page_db):
    at = open_upload_page([("三十园区.csv", thirty_parks())])
    assert not at.exception
    facts = at.dataframe[0].value
    facts = dict(zip(facts.iloc[:, 0], facts.iloc[:, 1], strict=True))
    expected = "、".join(THIRTY[:10]) + "等 30 个园区"
    assert facts["园区（规范名称）"] == expected and facts["新园区（将新建）"] == expected
    next(b for b in at.button if b.label == "确认导入").click().run()
    (success,) = [s.value for s in at.success if "已导入" in s.value]
    assert "等 30 个园区" in success and THIRTY[10] not in success


def test_previews_run_alongside_saves_and_leave_nothing_behind(new_db):
    """Previews take no writer lock: six people preview while six others store
    (each on a cursor of one connection, as the app's sessions do); every save
    lands, every preview warns about its own park's February, and no
    temporary table is left on any cursor."""
    con = store.connect(new_db("together"))
    parks = [f"并行园区{n}" for n in range(12)]
    put(con, csv(*(f"{park},2025-01,税收,累计,700,万元" for park in parks)), "一月.csv")
    cursors = [con.cursor() for _ in parks]
    barrier = threading.Barrier(len(parks))
    outcome: dict[int, object] = {}

    def person(i: int) -> None:
        data = csv(f"{parks[i]},2025-02,税收,累计,650,万元")
        barrier.wait()
        try:
            preview = upload.check(cursors[i], data, f"{i}.csv")
            outcome[i] = upload.store(cursors[i], preview) if i % 2 else preview
        except Exception as exc:  # collected and asserted on below
            outcome[i] = exc

    threads = [threading.Thread(target=person, args=(i,)) for i in range(len(parks))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not [o for o in outcome.values() if isinstance(o, Exception)], outcome
    for i, result in outcome.items():
        (finding,) = result.findings
        assert finding.park == parks[i] and FEBRUARY_BELOW_JANUARY in finding.message
    stored = {r[0] for r in con.execute("select file_name from uploads").fetchall()}
    assert {f"{i}.csv" for i in range(1, len(parks), 2)} <= stored and not {f"{i}.csv" for i in range(0, 12, 2)} & stored
    for cursor in cursors:
        assert cursor.execute("select count(*) from duckdb_tables() where temporary").fetchall() == [(0,)]
    con.close()
