"""Enterprise files through the one upload verb (``upload.check`` then
``upload.store``), on the shared samples copied into tests/fixtures/enterprise:
the preview's firms, park question and park totals, storing with the park the
user chose, and undo. Expected figures are read from the sample workbook here
with pandas (the 千元 columns summed and divided by 10), not by the readers."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import FIXTURES

from parkbench import store, upload
from parkbench.errors import StoreError
from parkbench.models import sql

pytestmark = pytest.mark.both_stores  # store tests: on DuckDB and on PostgreSQL (conftest)

FOLDER = FIXTURES / "enterprise"
N2 = FOLDER / "N2_联网直报_B204-1工业产销总值_2024-2025.xlsx"
N5 = FOLDER / "N5_规上工业企业名录（2023年1月）.xlsx"
PARK = "南湖工业园区"
YTD_OUTPUT = "1-本月;工业总产值(当年价格);千元"
MONTH_OUTPUT = "本月;工业总产值(当年价格);千元"


def n2_sheet() -> pd.DataFrame:
    return pd.read_excel(N2, engine="openpyxl", dtype={"统一社会信用代码": str})


def n2_sum(column: str, year: int, month: int) -> float:
    """The sample's column summed over its firms for one month, in 万元 (千元 ÷ 10)."""
    sheet = n2_sheet()
    rows = sheet[(sheet["期别(年)"] == year) & (sheet["期别(月)"] == month)]
    return float(pd.to_numeric(rows[column]).sum()) / 10


def check(con, path, **kwargs) -> upload.Preview:
    return upload.check(con, path.read_bytes(), path.name, **kwargs)


def total(preview: upload.Preview, period: str, indicator: str = "output") -> pd.Series:
    totals = preview.park_totals
    rows = totals[(totals["period"] == pd.Timestamp(period)) & (totals["indicator"] == indicator)]
    assert len(rows) == 1, totals
    return rows.iloc[0]


def enterprise_rows(con) -> int:
    return con.execute("select count(*) from enterprise_observations").fetchall()[0][0]


def test_an_n2_file_alone_is_previewed_with_its_firms_and_asks_for_a_park(fresh_db):
    preview = check(fresh_db, N2)
    assert preview.error is None and preview.firm_parsed is not None and preview.family == "N2"
    sheet = n2_sheet()
    assert preview.firm_count == sheet["统一社会信用代码"].nunique() == 18
    assert set(preview.firms["credit_code"]) == set(sheet["统一社会信用代码"])
    assert set(preview.firms["enterprise"]) == set(sheet["单位详细名称"])
    assert preview.firms["park"].isna().all()
    assert preview.needs_park and preview.park_totals.empty
    assert len(preview.periods) == 24 and preview.periods[0] == "2024年1月" and preview.periods[-1] == "2025年12月"
    with pytest.raises(StoreError, match="请先选择园区"):
        upload.store(fresh_db, preview)
    assert enterprise_rows(fresh_db) == 0


def test_the_chosen_park_makes_the_totals_and_is_stored_and_undone(fresh_db):
    preview = upload.choose_park(fresh_db, check(fresh_db, N2), PARK)
    assert not preview.needs_park and preview.park == PARK and preview.parks == [PARK]
    assert preview.new_parks == [PARK] and set(preview.firms["park"]) == {PARK}
    march = total(preview, "2024-03-01")
    assert march["ytd"] == pytest.approx(n2_sum(YTD_OUTPUT, 2024, 3))
    assert march["month"] == pytest.approx(n2_sum(MONTH_OUTPUT, 2024, 3))
    assert pd.isna(march["own_ytd"]) and pd.isna(march["gap"]) and not march["mismatch"]
    result = upload.store(fresh_db, preview, by="测试")
    assert result.parks == [PARK] and enterprise_rows(fresh_db) == preview.firm_parsed.values.shape[0]
    flows = sql.query(fresh_db, "reads/park_own_ytd", parks=[PARK])
    assert flows.empty  # the park's figures are sums over its firms, not its own
    stored = fresh_db.execute(
        "select ytd_value from int_flow_values join parks using (park_id) "
        "where name = $p and indicator = 'output' and period = '2024-03-01'", {"p": PARK}).fetchall()
    assert stored[0][0] == pytest.approx(n2_sum(YTD_OUTPUT, 2024, 3))
    store.undo(fresh_db, result.upload_id, by="测试")
    assert enterprise_rows(fresh_db) == 0
    assert fresh_db.execute("select count(*) from int_flow_values").fetchall()[0][0] == 0


def test_with_the_register_stored_the_n2_file_needs_no_park(fresh_db):
    register = check(fresh_db, N5)
    assert register.family == "N5" and not register.needs_park
    upload.store(fresh_db, register)
    preview = check(fresh_db, N2)
    assert not preview.needs_park and preview.parks == [PARK]
    assert set(preview.firms["park"]) == {PARK}
    assert total(preview, "2025-06-01")["ytd"] == pytest.approx(n2_sum(YTD_OUTPUT, 2025, 6))


def test_the_parks_own_figure_is_shown_beside_the_sum_with_the_gap(fresh_db):
    march = n2_sum(YTD_OUTPUT, 2024, 3)
    own = round(march * 1.05, 1)  # the park reported 5 % more than its firms add up to
    park_file = (f"园区,统计期,指标,口径,数值,单位\n{PARK},2024-03,工业总产值,累计,{own},万元\n"
                 f"{PARK},2024-04,工业总产值,累计,{n2_sum(YTD_OUTPUT, 2024, 4)},万元\n").encode()
    upload.store(fresh_db, upload.check(fresh_db, park_file, "园区报送.csv"))
    preview = upload.choose_park(fresh_db, check(fresh_db, N2), PARK)
    row = total(preview, "2024-03-01")
    assert row["own_ytd"] == pytest.approx(own)
    assert row["gap"] == pytest.approx(100 * (march / own - 1))
    assert row["mismatch"]  # about −4.8 %: over rule 3's 1 %
    april = total(preview, "2024-04-01")
    assert april["gap"] == pytest.approx(0, abs=1e-6) and not april["mismatch"]


def test_the_command_line_still_refuses_an_n2_file_without_a_park(fresh_db):
    preview = check(fresh_db, N2, to_show=False)
    with pytest.raises(Exception, match="--park"):
        upload.store(fresh_db, preview)
    stored = upload.store(fresh_db, check(fresh_db, N2, to_show=False, park=PARK))
    assert stored.parks == [PARK]


def test_an_enterprise_file_is_read_in_the_parse_worker(fresh_db, monkeypatch):
    """The enterprise readers run where the park readers do: in the worker
    (ingest.isolate), never in the process serving the page."""
    from parkbench.ingest import isolate
    from parkbench.ingest.enterprise.model import FirmParsed

    ran, real_run = [], isolate.run

    def spy(func, *args, **kwargs):
        result = real_run(func, *args, **kwargs)
        ran.append((func.__name__, type(result)))
        return result

    monkeypatch.setattr(isolate, "run", spy)
    monkeypatch.setattr("parkbench.ingest.enterprise.parse_firm_bytes",
                        lambda *a: pytest.fail("enterprise readers called in the serving process"))
    preview = check(fresh_db, N2)
    assert ran == [("read_upload", FirmParsed)] and preview.firm_parsed is not None
