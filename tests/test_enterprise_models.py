"""Enterprise rows in the store and the park figures built from them
(docs/enterprises.md rules 1–4): given rows, stored through
``store.firms.save_firms`` on a real in-memory DuckDB, against sums worked by
hand in each test."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import store_rows

from parkbench import store
from parkbench.errors import IngestError
from parkbench.ingest.enterprise.model import (
    IDENTITY_COLUMNS,
    LEADING_COLUMNS,
    PARCEL_COLUMNS,
    REGISTER_COLUMNS,
    VALUE_COLUMNS,
    FirmParsed,
)
from parkbench.models import sql
from parkbench.store import firms
from parkbench.store.accounts import OPERATOR

PARK = "东园"
A, B, C = "91350626MAJTFLAJ69", "91350626MAX45U0U57", "91350626MA89B22H73"
NAMES = {A: "甲机械有限公司", B: "乙食品有限公司", C: "丙汽车零部件有限公司"}


def month(text: str) -> dt.date:
    year, mon = text.split("-")
    return dt.date(int(year), int(mon), 1)


def register(rows, valid_from="2024-01", park=PARK, file_name="名录.xlsx"):
    """rows: (credit code, industry code, 规上 since 'YYYY-MM' or None)."""
    frame = pd.DataFrame([
        dict(credit_code=code, org_code=None, enterprise=NAMES[code], park=park, industry_code=industry,
             industry_name=None, above_scale=True, above_scale_since=month(since) if since else None,
             valid_from=month(valid_from), sheet="名录", row=n + 3)
        for n, (code, industry, since) in enumerate(rows)], columns=REGISTER_COLUMNS)
    return FirmParsed(file_name, "N5", registers=frame)


def ledger(rows, park=None, shape="N2", file_name="联网直报.xlsx"):
    """rows: (credit code, indicator, 'YYYY-MM', basis, value)."""
    frame = pd.DataFrame([
        dict(credit_code=code, org_code=None, enterprise=NAMES.get(code, code), park=park, indicator=indicator,
             period=month(period), basis=basis, value=float(value), sheet="Sheet1", row=n + 2, column="F 列")
        for n, (code, indicator, period, basis, value) in enumerate(rows)], columns=VALUE_COLUMNS)
    return FirmParsed(file_name, shape, values=frame)


def leading(rows, park=PARK):
    """rows: (group, prefix, valid_from 'YYYY-MM')."""
    frame = pd.DataFrame([dict(park=park, group=g, prefix=p, valid_from=month(v), sheet="目录", row=n + 2)
                          for n, (g, p, v) in enumerate(rows)], columns=LEADING_COLUMNS)
    return FirmParsed("主导产业.xlsx", "N6", leading=frame)


def save(con, parsed, park=None):
    return firms.save_firms(con, parsed, repr(parsed).encode() + parsed.file_name.encode(), park=park)


def monthly(code, indicator, months, values):
    return [(code, indicator, m, "month", v) for m, v in zip(months, values, strict=True)]


def metric(con, name, period, park=PARK):
    rows = con.execute("select value from metric_values where park = $p and metric = $m and period = $d",
                       {"p": park, "m": name, "d": month(period)}).fetchall()
    return rows[0][0] if rows else "no row"


def flow(con, indicator, period, park=PARK):
    rows = con.execute(
        "select f.month_value, f.ytd_value, f.from_enterprises from int_flow_values as f "
        "join parks as p using (park_id) where p.name = $p and f.indicator = $i and f.period = $d",
        {"p": park, "i": indicator, "d": month(period)}).fetchall()
    return rows[0] if rows else None


@pytest.fixture
def con(fresh_db):
    return fresh_db


pytestmark = pytest.mark.both_stores  # store tests: on DuckDB and on PostgreSQL (conftest)

Q1 = ["2024-01", "2024-02", "2024-03"]


def test_a_park_figure_is_the_sum_of_its_firms(con):
    save(con, register([(A, "3411", None), (B, "1310", None)]))
    save(con, ledger([*monthly(A, "output", Q1, [100, 110, 120]), *monthly(B, "output", Q1, [50, 40, 30]),
                      *monthly(A, "tax", Q1, [5, 6, 7]), *monthly(B, "tax", Q1, [2, 2, 2]),
                      (A, "land_area", "2024-01", "stock", 30), (B, "land_area", "2024-01", "stock", 20)]))
    # output: 150, 150, 150 by month; 1-3月 450. tax 1-3月 5+6+7+2+2+2 = 24. land 50 亩.
    assert flow(con, "output", "2024-03") == (150.0, 450.0, True)
    assert metric(con, "output_per_mu", "2024-03") == pytest.approx(450 / 50)
    assert metric(con, "tax_per_mu", "2024-03") == pytest.approx(24 / 50)
    assert metric(con, "tax_per_mu_annual", "2024-03") == pytest.approx(24 / 50 * 12 / 3)
    assert metric(con, "enterprises_reporting", "2024-03") == 2
    notes = con.execute("select distinct source from metric_notes where metric = 'tax_per_mu'").fetchall()
    assert notes == [("enterprises",)]


def test_a_firm_without_the_value_makes_the_sum_unknown_not_smaller(con):
    save(con, register([(A, "3411", None), (B, "1310", None)]))
    save(con, ledger([*monthly(A, "tax", Q1, [5, 6, 7]),
                      (B, "tax", "2024-01", "month", 2), (B, "tax", "2024-03", "month", 2)]))
    assert flow(con, "tax", "2024-01")[:2] == (7.0, 7.0)
    assert flow(con, "tax", "2024-02") is None  # B has no February: neither the month nor 1-2月
    assert flow(con, "tax", "2024-03")[1] is None  # and the cumulative stays unknown after it
    assert metric(con, "enterprises_reporting", "2024-02") == "no row"


def test_above_scale_indicators_sum_the_firms_above_scale_from_their_month(con):
    save(con, register([(A, "3411", None), (B, "1310", "2024-03")]))  # B 规上 from March (入规年月)
    save(con, ledger(monthly(A, "output", Q1, [100, 110, 120]) + monthly(B, "output", Q1, [50, 40, 30])
                     + monthly(A, "tax", Q1, [5, 6, 7]) + monthly(B, "tax", Q1, [2, 2, 2])))
    assert flow(con, "output", "2024-01")[:2] == (100.0, 100.0)
    assert flow(con, "output", "2024-02")[:2] == (110.0, 210.0)
    # March: B's month joins the month, B's whole 1-3月 (120) the cumulative: 330 + 120
    assert flow(con, "output", "2024-03")[:2] == (150.0, 450.0)
    assert flow(con, "tax", "2024-01")[:2] == (7.0, 7.0)  # tax sums every firm on the register


def test_a_firm_joining_in_april_brings_its_whole_cumulative(con):
    months = ["2024-01", "2024-02", "2024-03", "2024-04"]
    save(con, register([(A, "3411", None)]))
    save(con, register([(A, "3411", None), (C, "3660", "2024-04")], valid_from="2024-04", file_name="名录4月.xlsx"))
    save(con, ledger([*monthly(A, "output", months, [100, 100, 100, 100]),
                      (C, "output", "2024-04", "ytd", 90), (C, "output", "2024-04", "month", 25)]))
    assert flow(con, "output", "2024-03")[:2] == (100.0, 300.0)  # C adds nothing to January–March
    assert flow(con, "output", "2024-04")[:2] == (125.0, 490.0)  # 400 + C's 1-4月 90; the month 100 + 25
    assert metric(con, "enterprises_reporting", "2024-03") == 1
    assert metric(con, "enterprises_reporting", "2024-04") == 2


def test_a_firm_missing_from_a_later_register_has_left(con):
    save(con, register([(A, "3411", None), (B, "1310", None)]))
    save(con, register([(A, "3411", None)], valid_from="2024-03", file_name="名录3月.xlsx"))
    save(con, ledger(monthly(A, "tax", Q1, [5, 6, 7]) + monthly(B, "tax", Q1, [2, 2, 2])))
    assert flow(con, "tax", "2024-02")[:2] == (8.0, 15.0)
    assert flow(con, "tax", "2024-03")[:2] == (7.0, 18.0)  # A alone: 5 + 6 + 7


def test_the_parks_own_figure_wins_and_sums_fill_the_rest(con):
    save(con, register([(A, "3411", None), (B, "1310", None)]))
    save(con, ledger(monthly(A, "output", Q1, [100, 110, 120]) + monthly(B, "output", Q1, [50, 40, 30])))
    store_rows(con, [(PARK, "output", "2024-02", "ytd", 301)])  # the park's own 1-2月 (firms: 300)
    assert flow(con, "output", "2024-02")[1] == 301.0  # the park's own cumulative
    # January from the firms (150): the park's own sheets leave it unknown. (February's month
    # is the firms' 150 too: the park's 1-2月 alone derives no month, and the chain does not
    # mix the park's cumulative with the firms' January.)
    assert flow(con, "output", "2024-01")[:2] == (150.0, 150.0)
    # March: the firms' month (150) and cumulative (450): nothing counted twice
    assert flow(con, "output", "2024-03")[:2] == (150.0, 450.0)


def test_a_gap_above_one_percent_is_a_data_check_warning(con):
    save(con, register([(A, "3411", None), (B, "1310", None)]))
    store_rows(con, [(PARK, "output", "2024-01", "ytd", 150), (PARK, "output", "2024-02", "ytd", 290)])
    result = save(con, ledger(monthly(A, "output", ["2024-01", "2024-02"], [100, 110])
                              + monthly(B, "output", ["2024-01", "2024-02"], [51, 40])))
    # January: firms 151 against 150 (+0.67 %, within 1 %); February: 301 against 290 (+3.8 %)
    found = [f for f in result.findings if f.check_id == "enterprise_sum_mismatch"]
    assert [(f.indicator, f.period) for f in found] == [("output", dt.date(2024, 2, 1))]
    assert "企业合计与园区报送不一致" in found[0].message and "301" in found[0].message and "290" in found[0].message
    assert flow(con, "output", "2024-02")[1] == 290.0  # the park's figure stays


def test_leading_output_from_industry_codes_and_a_later_list_restates_it(con):
    save(con, register([(A, "3411", None), (B, "1310", None)]))
    save(con, leading([("装备制造", "34", "2024-01"), ("食品", "13", "2024-03")]))
    save(con, leading([("装备制造", "34", "2024-03")]))  # from March only 34: 13 is no longer leading
    save(con, ledger(monthly(A, "output", Q1, [60, 60, 60]) + monthly(B, "output", Q1, [40, 40, 40])))
    assert metric(con, "leading_share", "2024-01") == pytest.approx(100 * 60 / 100)
    assert metric(con, "leading_enterprises", "2024-01") == 1
    assert metric(con, "leading_enterprises", "2024-03") == 1
    assert metric(con, "leading_share", "2024-03") == pytest.approx(100 * 180 / 300)


def test_leading_share_is_zero_when_no_firm_falls_in_a_group(con):
    save(con, register([(B, "1310", None)]))
    save(con, leading([("装备制造", "33", "2024-01")]))
    save(con, ledger(monthly(B, "output", Q1, [40, 40, 40])))
    assert metric(con, "leading_share", "2024-02") == 0
    assert metric(con, "leading_enterprises", "2024-02") == 0


def test_an_n2_file_with_no_register_entry_is_refused_naming_file_and_row(con):
    with pytest.raises(IngestError) as refused:
        save(con, ledger([(A, "output", "2024-01", "month", 1)], file_name="B204-1.xlsx"))
    text = str(refused.value)
    assert "B204-1.xlsx" in text and "第 2 行" in text and "2024年1月" in text and "--park" in text
    assert con.execute("select count(*) from enterprise_observations").fetchall() == [(0,)]
    assert con.execute("select count(*) from uploads").fetchall() == [(0,)]
    save(con, ledger([(A, "output", "2024-01", "month", 1)]), park=PARK)  # --park gives one
    assert flow(con, "output", "2024-01")[:2] == (1.0, 1.0)


def test_undo_restores_what_an_enterprise_upload_replaced(con):
    save(con, register([(A, "3411", None)]))
    save(con, ledger(monthly(A, "tax", ["2024-01"], [5])))
    second = save(con, ledger(monthly(A, "tax", ["2024-01"], [9]), file_name="更正.xlsx"))
    assert flow(con, "tax", "2024-01")[:2] == (9.0, 9.0)
    store.undo(con, second.upload_id)
    assert flow(con, "tax", "2024-01")[:2] == (5.0, 5.0)
    store.undo(con, 1)  # the register: no park to attach the firm to, no sum
    assert flow(con, "tax", "2024-01") is None


def test_one_identity_by_credit_code_org_code_or_name(con):
    save(con, register([(A, "3411", None)]))
    old = ledger([(None, "tax", "2024-01", "month", 5)], shape="N3", file_name="旧表.xlsx")
    old.values["org_code"] = A[8:17]  # an older sheet: 组织机构代码 only, and another name
    old.values["enterprise"] = "甲机械厂"
    save(con, old)
    named = ledger([(None, "tax", "2024-02", "month", 6)], park=PARK, shape="N1", file_name="台账.xlsx")
    named.values["enterprise"] = "甲机械有限公司"  # no code at all: the name within its park
    save(con, named)
    assert con.execute("select count(*) from enterprises").fetchall() == [(1,)]
    assert flow(con, "tax", "2024-02")[:2] == (6.0, 11.0)


def test_an_enterprise_shows_under_its_latest_name(con):
    save(con, register([(A, "3411", None)]))
    renamed = ledger(monthly(A, "tax", ["2024-01", "2024-02"], [1, 1]), park=PARK, shape="N1")
    renamed.identities = pd.DataFrame([
        dict(credit_code=A, org_code=None, enterprise="甲机械有限公司", park=PARK, industry_code=None,
             industry_name=None, period=month("2024-01"), sheet="1月", row=3),
        dict(credit_code=A, org_code=None, enterprise="福建甲机械集团有限公司", park=PARK, industry_code=None,
             industry_name=None, period=month("2024-02"), sheet="2月", row=3)], columns=IDENTITY_COLUMNS)
    save(con, renamed)
    shown = firms.enterprise_metrics(con, reader=OPERATOR)
    assert set(shown["enterprise"]) == {"福建甲机械集团有限公司"}
    assert set(shown["credit_code"]) == {A}


def test_enterprise_metrics_as_the_park_rules_derive_them(con):
    save(con, register([(A, "3411", None)]))
    save(con, ledger([(A, "output", "2024-02", "ytd", 200), (A, "output", "2024-03", "month", 120),  # 1-2月, then 本月
                      (A, "output", "2024-03", "ytd_prior", 250),
                      (A, "tax", "2024-02", "ytd", 8), (A, "tax", "2024-03", "ytd", 13),
                      (A, "electricity", "2024-03", "ytd", 4)], park=PARK, shape="N1"))
    parcels = pd.DataFrame([
        dict(credit_code=A, enterprise=NAMES[A], park=None, parcel="P1", area=30.0, tenure="own",
             registered=month("2024-02"), sheet="宗地", row=2),
        dict(credit_code=A, enterprise=NAMES[A], park=None, parcel="P2", area=12.0, tenure="rent_in",
             registered=month("2024-03"), sheet="宗地", row=3),
        dict(credit_code=A, enterprise=NAMES[A], park=None, parcel="P1", area=5.0, tenure="rent_out",
             registered=month("2024-03"), sheet="宗地", row=4)], columns=PARCEL_COLUMNS)
    save(con, FirmParsed("宗地.xlsx", "N4", parcels=parcels))
    got = firms.enterprise_metrics(con, reader=OPERATOR).set_index(["period", "metric"])["value"]
    assert pd.isna(got[("2024-02", "land_area")]) is False and got[("2024-02", "land_area")] == 30
    assert got[("2024-03", "land_area")] == 30 + 12 - 5
    assert got[("2024-03", "output_ytd")] == 320  # 1-2月 200 + March 120
    assert got[("2024-03", "output_ytd_yoy")] == pytest.approx(100 * (320 / 250 - 1))
    assert got[("2024-03", "tax_per_mu")] == pytest.approx(13 / 37)
    assert got[("2024-03", "tax_per_mu_annual")] == pytest.approx(13 / 37 * 4)
    assert got[("2024-03", "output_per_kwh")] == pytest.approx(320 / 4)
    assert pd.isna(got[("2024-02", "output_per_kwh")])


def test_land_before_the_first_parcel_is_unknown(con):
    save(con, register([(A, "3411", None)]))
    save(con, ledger(monthly(A, "tax", Q1, [1, 1, 1])))
    parcels = pd.DataFrame([dict(credit_code=A, enterprise=NAMES[A], park=None, parcel="P1", area=10.0,
                                 tenure="own", registered=month("2024-02"), sheet="宗地", row=2)],
                           columns=PARCEL_COLUMNS)
    save(con, FirmParsed("宗地.xlsx", "N4", parcels=parcels))
    got = firms.enterprise_metrics(con, reader=OPERATOR).set_index(["period", "metric"])["value"]
    assert pd.isna(got[("2024-01", "land_area")]) and got[("2024-02", "land_area")] == 10
    assert metric(con, "tax_per_mu", "2024-01") is None
    assert metric(con, "tax_per_mu", "2024-02") == pytest.approx(2 / 10)


def test_the_firm_chain_is_the_park_chain(con):
    """int_enterprise_flow_values repeats int_flow_values' chain keyed by
    enterprise: the same ledger through both gives the same months and cumulatives."""
    rows = [("output", "2024-02", "ytd", 30), ("output", "2024-03", "month", 35), ("output", "2024-04", "month", 40),
            ("output", "2024-06", "ytd", 200), ("output", "2024-05", "month", 10), ("output", "2024-07", "month", 5),
            ("output", "2025-03", "ytd_prior", 60), ("output", "2025-03", "ytd", 66)]
    store_rows(con, [(PARK, i, p, b, v) for i, p, b, v in rows])
    save(con, ledger([(A, i, p, b, v) for i, p, b, v in rows], park="西园", shape="N1"))
    columns = "indicator, period, month_value, ytd_value, prior_month_value, prior_ytd_value"
    park = con.execute(f"select {columns} from int_flow_values f join parks p using (park_id) "
                       "where p.name = $p order by all", {"p": PARK}).fetchall()
    firm = con.execute(f"select {columns} from int_enterprise_flow_values order by all").fetchall()
    assert firm == park and len(park) == 7


def test_every_enterprise_model_builds_from_an_empty_store(con):
    for name, _ in sql.MODELS:
        con.execute(f"select count(*) from {sql.model_name(name)}").fetchall()


def test_a_firm_in_two_parks_for_the_same_months_is_a_data_check_warning(con):
    save(con, register([(A, "3411", None)]))
    other = ledger(monthly(A, "tax", ["2024-01", "2024-02"], [1, 1]), park="西园", shape="N1", file_name="西园台账.xlsx")
    result = save(con, other)
    found = [f for f in result.findings if f.check_id == "enterprise_two_parks"]
    assert len(found) == 1
    assert "同一企业同期属于两个园区" in found[0].message and "西园台账.xlsx" in found[0].message
    assert "东园" in found[0].message and "西园" in found[0].message and "2 个月" in found[0].message
    assert flow(con, "tax", "2024-02")[:2] == (1.0, 2.0)  # counted where the register puts it
    assert flow(con, "tax", "2024-02", park="西园") is None


def test_a_park_upload_beside_enterprise_rows_rebuilds_as_a_full_rebuild_would(con):
    """A park sheet rebuilds only its park and years (sql.build_tables by scope);
    the enterprise sums it reads are read whole there: the result equals a full rebuild."""
    save(con, register([(A, "3411", None), (B, "1310", None)], valid_from="2023-12"))
    save(con, register([(C, "3660", None)], park="西园", valid_from="2023-12", file_name="西园名录.xlsx"))
    save(con, ledger([*monthly(A, "output", Q1, [1, 2, 3]), *monthly(B, "output", Q1, [4, 5, 6]),
                      *monthly(C, "output", Q1, [7, 8, 9]), *monthly(A, "tax", ["2023-12", *Q1], [1, 1, 1, 1]),
                      *monthly(B, "tax", ["2023-12", *Q1], [2, 2, 2, 2])]))
    store_rows(con, [(PARK, "output", "2024-03", "ytd", 22), (PARK, "land_area", "2024-01", "stock", 10)])
    scoped = con.execute("select * from metric_values order by all").fetchall()
    sql.build_tables(con)
    assert con.execute("select * from metric_values order by all").fetchall() == scoped
    assert metric(con, "output_per_mu", "2024-03") == pytest.approx(22 / 10)


def test_an_enterprise_upload_names_the_parks_of_its_firms(con):
    """store.upload_parks decides who may undo an upload (accounts.may_undo): an
    N2 file names no park, its firms' register does."""
    save(con, register([(A, "3411", None)]))
    save(con, register([(C, "3660", None)], park="西园", file_name="西园名录.xlsx"))
    result = save(con, ledger([*monthly(A, "tax", Q1, [1, 1, 1]), *monthly(C, "tax", Q1, [1, 1, 1])]))
    assert sorted(store.upload_parks(con, result.upload_id).values()) == ["东园", "西园"]
    assert result.parks == ["东园", "西园"]


def test_a_park_sheet_far_from_its_firms_sum_is_warned_at_its_own_cell(con):
    save(con, register([(A, "3411", None)]))
    save(con, ledger(monthly(A, "output", ["2024-01", "2024-02"], [100, 100])))
    result = store_rows(con, [(PARK, "output", "2024-02", "ytd", 180)], file_name="园区月报.csv")
    found = [f for f in result.findings if f.check_id == "enterprise_sum_mismatch"]
    assert [(f.park, f.period) for f in found] == [(PARK, dt.date(2024, 2, 1))]
    assert "园区月报.csv" in found[0].message and "200" in found[0].message and "180" in found[0].message


def test_a_register_dated_before_another_parks_later_one_is_named(con):
    """Rule 6: 西园's 2024-06 register lists A; a 东园 register of 2024-01 listing A
    and B, stored after it, moves A into 东园 only for January–May: named, stored."""
    save(con, register([(A, "3411", None)], park="西园", valid_from="2024-06", file_name="西园名录.xlsx"))
    result = save(con, register([(A, "3411", None), (B, "1310", None)], valid_from="2024-01"))
    found = [f for f in result.findings if f.check_id == "enterprise_register_backwards"]
    assert len(found) == 1
    assert found[0].message == (
        "企业名录早于另一园区的较晚名录：文件「名录.xlsx」：东园2024年1月的企业名录中有 1 家企业（甲机械有限公司）"
        "在西园2024年6月的名录中；较晚的名录为准，本名录只在2024年1月至2024年5月把它们计入东园，请核对名录日期")
    save(con, ledger([*monthly(A, "tax", ["2024-05", "2024-06"], [3, 4]), *monthly(B, "tax", ["2024-05", "2024-06"], [5, 6])]))
    assert flow(con, "tax", "2024-05")[0] == 3.0 + 5.0  # A in 东园 until May
    assert flow(con, "tax", "2024-06")[0] == 6.0 and flow(con, "tax", "2024-06", park="西园")[0] == 4.0


def test_a_register_after_the_other_parks_earlier_one_is_a_move_not_a_warning(con):
    save(con, register([(A, "3411", None), (B, "1310", None)], valid_from="2024-01"))
    result = save(con, register([(A, "3411", None)], park="西园", valid_from="2024-06", file_name="西园名录.xlsx"))
    assert not [f for f in result.findings if f.check_id == "enterprise_register_backwards"]


def test_an_industry_code_given_with_no_month_holds_for_every_month(con):
    """A sheet's code with no month (an N4 land list's 行业代码, say) codes the firm from
    its first month; a dated code takes over from its own month (a review found the
    undated code was never used)."""
    save(con, register([(A, None, None)]))
    undated = pd.DataFrame([dict(credit_code=A, org_code=None, enterprise=NAMES[A], park=None, industry_code="3411",
                                 industry_name=None, period=None, sheet="宗地", row=2)], columns=IDENTITY_COLUMNS)
    save(con, FirmParsed("宗地.xlsx", "N4", identities=undated))
    save(con, ledger(monthly(A, "output", Q1, [1, 2, 3])))
    dated = undated.assign(industry_code="1310", period=month("2024-03"))
    save(con, FirmParsed("行业.xlsx", "N1", identities=dated))
    codes = dict(con.execute("select strftime(period, '%Y-%m'), industry_code from int_enterprise_members "
                             "order by period").fetchall())
    assert codes == {"2024-01": "3411", "2024-02": "3411", "2024-03": "1310"}
