"""The 主导产业 page's leading groups by industry code (ui/leading.py): for the
enterprise samples (N1–N6), the per-group table agrees with the park metrics the
samples' authors worked out (expected_park_metrics.json: the groups of 东山 do
not overlap, so their shares add up to leading_share and their firms to
leading_enterprises); a store with park sheets only says there are no
enterprise rows yet."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from conftest import APP, FIXTURES, SAMPLE_C
from streamlit.testing.v1 import AppTest

from parkbench import store
from parkbench.ingest import parse_path
from parkbench.ingest.enterprise import parse_firm_file
from parkbench.models import leading
from parkbench.store import accounts, firms
from parkbench.store.accounts import Account

FOLDER = FIXTURES / "enterprise"
PAGE = "pages/industries.py"
PARK = "东山经济开发区"


@pytest.fixture(scope="module")
def enterprise_db(tmp_path_factory):
    manifest = json.loads((FOLDER / "manifest.json").read_text(encoding="utf-8"))
    order = manifest["ingest_first"] + [n for n in manifest["shapes"] if n not in manifest["ingest_first"]]
    path = tmp_path_factory.mktemp("leading") / "firms.duckdb"
    con = store.connect(path)
    for name in order:
        firms.save_firms(con, parse_firm_file(FOLDER / name), (FOLDER / name).read_bytes())
    con.close()
    return path


def expected(period: str, metric: str) -> float:
    rows = json.loads((FOLDER / "expected_park_metrics.json").read_text(encoding="utf-8"))
    return next(r["value"] for r in rows if r["park"] == PARK and r["period"] == period and r["metric"] == metric)


def page(db, monkeypatch) -> AppTest:
    monkeypatch.setenv("PARKBENCH_DB", str(db))
    monkeypatch.setenv("PARKBENCH_NO_DEMO", "1")
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(PAGE).run()
    return at


def leading_table(at):
    return next(d.value for d in at.dataframe if "group_name" in d.value.columns)


def test_the_groups_of_a_park_built_from_firms_add_up_to_its_leading_share(enterprise_db, monkeypatch, clear_caches):
    at = page(enterprise_db, monkeypatch)
    assert not at.exception and not at.error
    at.selectbox(key="industries:leading_park").set_value(PARK).run()
    at.selectbox(key=f"industries:leading_period:{PARK}").set_value(dt.date(2024, 6, 1)).run()
    assert not at.exception and not at.error
    table = leading_table(at)
    assert len(table) == 2
    assert table["share"].sum() == pytest.approx(expected("2024-06", "leading_share"), abs=1e-4)
    assert table["firms"].sum() == expected("2024-06", "leading_enterprises")
    assert any("汽车制造业" in codes for codes in table["codes"])  # 36 read as its GB/T 4754 name
    assert any(b.label == "保存主导产业目录" for b in at.button)  # the app runs open: everyone is 管理


def test_a_store_without_enterprise_rows_says_so(tmp_path, monkeypatch, clear_caches):
    path = tmp_path / "parks.duckdb"
    con = store.connect(path)
    store.save(con, parse_path(SAMPLE_C), SAMPLE_C.read_bytes())
    con.close()
    at = page(path, monkeypatch)
    assert not at.exception and not at.error
    assert any("还没有企业数据" in i.value for i in at.info)
    assert not any(b.label == "保存主导产业目录" for b in at.button)


@pytest.mark.parametrize(("username", "edits"), [("viewer", False), ("admin", True)])
def test_only_admin_accounts_edit_the_groups(enterprise_db, tmp_path, monkeypatch, clear_caches, username, edits):
    db = tmp_path / "firms.duckdb"
    shutil.copy(enterprise_db, db)
    hashed = accounts.hash_password("secret-password")
    accounts.save(tmp_path / "accounts.toml", {
        "viewer": Account("viewer", accounts.VIEW, "王五", (), hashed),
        "admin": Account("admin", accounts.ADMIN, "", (), hashed)})
    monkeypatch.setenv("PARKBENCH_DB", str(db))
    monkeypatch.setenv("PARKBENCH_NO_DEMO", "1")
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["_parkbench_user"] = username
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception and not at.error
    assert len(leading_table(at)) == 2  # the figures are park sums: every account sees them
    assert any(b.label == "保存主导产业目录" for b in at.button) == edits
    assert any("只有“管理”账户可以修改主导产业目录" in i.value for i in at.info) != edits


def test_the_section_in_english(enterprise_db, monkeypatch, clear_caches):
    monkeypatch.setenv("PARKBENCH_DB", str(enterprise_db))
    monkeypatch.setenv("PARKBENCH_NO_DEMO", "1")
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["english"] = True
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception and not at.error
    assert "Leading industries by industry code (from firms)" in [s.value for s in at.subheader]
    assert any(b.label == "Save the list" for b in at.button)


def edited_page(enterprise_db, tmp_path, monkeypatch) -> tuple[AppTest, object]:
    db = tmp_path / "firms.duckdb"
    shutil.copy(enterprise_db, db)
    at = page(db, monkeypatch)
    assert at.selectbox(key="industries:leading_park").value == PARK
    return at, db


def stored_uploads(db):
    """The upload history, read through the app's own connection (it holds the database file)."""
    from ui import data

    return store.list_uploads(data._connection(str(db)).cursor())


def test_the_editor_refuses_a_code_that_does_not_exist_and_stores_nothing(enterprise_db, tmp_path, monkeypatch,
                                                                          clear_caches):
    at, db = edited_page(enterprise_db, tmp_path, monkeypatch)
    before = len(stored_uploads(db))
    at.session_state[f"industries:groups:{PARK}"] = {"edited_rows": {"0": {"codes": "99"}}, "added_rows": [],
                                                     "deleted_rows": []}
    next(b for b in at.button if b.label == "保存主导产业目录").click().run()
    assert [e.value for e in at.error] == ["主导产业“装备制造”：“99”：GB/T 4754\\-2017 没有大类 99"]
    assert len(stored_uploads(db)) == before


def test_the_editor_saves_the_list_as_an_upload_and_the_table_follows(enterprise_db, tmp_path, monkeypatch,
                                                                      clear_caches):
    at, db = edited_page(enterprise_db, tmp_path, monkeypatch)
    assert len(leading_table(at)) == 2
    at.session_state[f"industries:groups:{PARK}"] = {
        "edited_rows": {}, "deleted_rows": [],
        "added_rows": [{"group": "纺织<b>", "codes": "17", "start": "2021-01"}]}
    next(b for b in at.button if b.label == "保存主导产业目录").click().run()
    assert not at.exception and not at.error
    assert any("已保存园区“东山经济开发区”的主导产业目录（3 个主导产业）" in s.value for s in at.success)
    table = leading_table(at)
    assert "纺织<b>" in list(table["group_name"])  # the user's text as typed
    assert table.set_index("group_name").loc["纺织<b>", "output"] == 0  # no firm of 东山 is in 17
    last = stored_uploads(db).iloc[-1]
    assert (last["family"], last["uploaded_by"]) == ("N6", "本机")


def test_the_name_table_editor_saves_who_and_refuses_an_unknown_code(enterprise_db, tmp_path, monkeypatch,
                                                                     clear_caches):
    at, db = edited_page(enterprise_db, tmp_path, monkeypatch)
    at.session_state["industries:name_codes"] = {"edited_rows": {}, "deleted_rows": [],
                                                 "added_rows": [{"name": "新能源电池", "code": "99"}]}
    next(b for b in at.button if b.label == "保存对照表").click().run()
    assert [e.value for e in at.error] == ["行业名称“新能源电池”：GB/T 4754\\-2017 没有大类 99"]
    at.session_state["industries:name_codes"] = {"edited_rows": {}, "deleted_rows": [],
                                                 "added_rows": [{"name": "新能源电池", "code": "C3841"}]}
    next(b for b in at.button if b.label == "保存对照表").click().run()
    assert not at.exception and not at.error
    assert any("已保存行业名称对照表（1 条）" in s.value for s in at.success)
    from ui import data

    saved = leading.name_codes(data._connection(str(db)).cursor())
    assert list(zip(saved["name"], saved["code"], saved["updated_by"], strict=True)) == [("新能源电池", "3841", "本机")]
