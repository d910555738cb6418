"""The upload page with an enterprise file (an N2 联网直报 export, from the
shared samples) through AppTest: the firm table, the question which park
(one choice for the whole file, a known park or a typed one), the park totals
in 万元, and storing with the chosen park. AppTest cannot drive the file
uploader: the file is put in the page's pending queue (ui.pending) directly.
Expected figures are summed from the workbook here with pandas."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from conftest import APP, FIXTURES
from streamlit.testing.v1 import AppTest

from parkbench import store

N2 = FIXTURES / "enterprise" / "N2_联网直报_B204-1工业产销总值_2024-2025.xlsx"
PARK = "南湖工业园区"
OTHER = "东山经济开发区"
YTD_OUTPUT = "1-本月;工业总产值(当年价格);千元"


@pytest.fixture(autouse=True)
def _fresh_caches(clear_caches):
    yield


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    """A store that knows one park (东山经济开发区, from a one-line park file)."""
    path = tmp_path / "firms.duckdb"
    con = store.connect(path)
    from parkbench.ingest import parse_file

    data = f"园区,统计期,指标,口径,数值,单位\n{OTHER},2024-03,工业总产值,累计,100,万元\n".encode()
    store.save(con, parse_file(data, "东山.csv"), data)
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    return path


def open_page():
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page("pages/upload.py")
    data = N2.read_bytes()
    at.session_state["upload_pending"] = {hashlib.sha256(data).hexdigest(): (N2.name, data)}
    return at.run()


def frame_with(at, column: str) -> pd.DataFrame:
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def store_button(at):
    return next(b for b in at.button if b.label == "确认导入")


def ytd_output(year: int, month: int) -> float:
    sheet = pd.read_excel(N2, engine="openpyxl")
    rows = sheet[(sheet["期别(年)"] == year) & (sheet["期别(月)"] == month)]
    return float(pd.to_numeric(rows[YTD_OUTPUT]).sum()) / 10


def test_an_n2_file_asks_its_park_shows_firms_and_totals_is_stored_and_undone(db_path):
    at = open_page()
    assert not at.exception
    firms = frame_with(at, "credit_code")
    sheet = pd.read_excel(N2, engine="openpyxl", dtype={"统一社会信用代码": str})
    assert len(firms) == 18 and set(firms["enterprise"]) == set(sheet["单位详细名称"])
    assert set(firms["park"]) == {"待指定"}  # not Streamlit's "None" before a park is chosen
    assert any(m.label == "企业（户）" and m.value == "18" for m in at.metric)
    question = next(s for s in at.selectbox if s.label == "所属园区")
    assert OTHER in question.options and question.value is None
    assert store_button(at).disabled  # nothing stored before a park is chosen
    question.select_index(len(question.options) - 1).run()  # 其他园区（输入名称）
    typed = next(w for w in at.text_input if w.label == "园区名称")
    typed.input(PARK).run()
    assert not at.exception
    totals = frame_with(at, "own_ytd")
    # a park with no figure of its own shows "–", not Streamlit's own word "None" (issue 18, item 11)
    assert totals["own_ytd"].isna().any()
    assert {f.proto.placeholder for f in at.dataframe if "own_ytd" in f.value} == {"–"}
    march = totals[(totals["park"] == PARK) & (totals["period"] == "2024年3月") & (totals["indicator"] == "规上工业总产值")]
    assert march["ytd"].iloc[0] == pytest.approx(ytd_output(2024, 3))
    assert set(frame_with(at, "credit_code")["park"]) == {PARK}
    assert not store_button(at).disabled
    store_button(at).click().run()
    assert not at.exception
    assert any("已导入" in s.value and PARK in s.value for s in at.success)
    assert with_db(db_path, output_ytd) == pytest.approx(ytd_output(2024, 3))

    next(b for b in at.button if b.label == "撤销").click().run()  # the newest upload's undo comes first
    next(b for b in at.button if b.label == "确认撤销").click().run()
    assert not at.exception and any("已撤销上传" in s.value for s in at.success)
    assert with_db(db_path, output_ytd) is None
    assert with_db(db_path, lambda c: c.execute("select count(*) from enterprise_observations").fetchall()[0][0]) == 0


def with_db(path, fn):
    """Look at the store the app uses (the app's connection is process-wide)."""
    from ui import data
    return fn(data._connection(str(path)).cursor())


def output_ytd(con) -> float | None:
    """南湖's stored 1-本月 output of March 2024 (None when it has none)."""
    rows = con.execute("select ytd_value from int_flow_values join parks using (park_id) "
                       "where name = $p and indicator = 'output' and period = '2024-03-01'", {"p": PARK}).fetchall()
    return rows[0][0] if rows else None


def test_the_enterprise_preview_in_english(db_path):
    from ui.i18n import TOGGLE_KEY

    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state[TOGGLE_KEY] = True
    at.run()
    at.switch_page("pages/upload.py")
    data = N2.read_bytes()
    at.session_state["upload_pending"] = {hashlib.sha256(data).hexdigest(): (N2.name, data)}
    at.run()
    assert not at.exception
    assert any(m.label == "Enterprises (firms)" and m.value == "18" for m in at.metric)
    assert any(s.label == "Park" for s in at.selectbox)
    assert any("This file's firms name no park" in m.value for m in at.markdown)
