"""Leading-industry groups (主导产业) as code groups and the name → code table
(docs/enterprises.md rule 4), on a real in-memory DuckDB: groups saved through
``parkbench.models.leading``, per-group 户 / output / share / growth against
figures worked by hand in each test."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import run_cli
from test_enterprise_models import PARK, Q1, A, B, C, ledger, metric, month, monthly, register, save

from parkbench import store
from parkbench.errors import LeadingError
from parkbench.ingest.enterprise.model import REGISTER_COLUMNS, FirmParsed
from parkbench.models import leading, sql


@pytest.fixture
def con():
    con = store.connect(":memory:")
    yield con
    con.close()


@pytest.fixture
def codes(con):
    return leading.code_table(con)


def three_firms(con):
    """A 3411 (通用设备), B 1310 (农副食品), C 3670 (汽车零部件), on the register from 2023-01.
    2024 Q1 output by month: A 60, B 40, C 30 → 1-3月 A 180, B 120, C 90; park 390.
    Prior-year 1-3月: A's printed 上年同期 150; B's own 2023 months 30+30+30 = 90; C none."""
    save(con, register([(A, "3411", None), (B, "1310", None), (C, "3670", None)], valid_from="2023-01"))
    save(con, ledger(monthly(A, "output", Q1, [60, 60, 60]) + monthly(B, "output", Q1, [40, 40, 40])
                     + monthly(C, "output", Q1, [30, 30, 30]) + [(A, "output", "2024-03", "ytd_prior", 150)]
                     + monthly(B, "output", ["2023-01", "2023-02", "2023-03"], [30, 30, 30])))


def by_group(frame: pd.DataFrame) -> dict[str, dict]:
    return {r["group_name"]: r for r in frame.to_dict("records")}


def test_figures_per_group_are_the_sums_over_their_firms(con, codes):
    three_firms(con)
    leading.save_groups(con, PARK, [leading.make_group("装备制造", "33-40、43", "2024-01", codes),
                                    leading.make_group("食品", "C13", "2024-01", codes),
                                    leading.make_group("纺织", "17", "2024-01", codes)], by="测试")
    got = by_group(leading.figures(con, PARK, "2024-03"))
    # 装备制造: A and C; 180 + 90 = 270 of 390; C has no prior-year value: growth unknown.
    assert got["装备制造"]["firms"] == 2 and got["装备制造"]["output"] == pytest.approx(270)
    assert got["装备制造"]["share"] == pytest.approx(100 * 270 / 390)
    assert pd.isna(got["装备制造"]["growth"])
    # 食品: B alone; 120 of 390; (120 - 90) / 90.
    assert got["食品"]["firms"] == 1 and got["食品"]["output"] == pytest.approx(120)
    assert got["食品"]["share"] == pytest.approx(100 * 120 / 390)
    assert got["食品"]["growth"] == pytest.approx(100 * 30 / 90)
    # 纺织: no firm: 0 户, 0 万元, 0 %.
    assert (got["纺织"]["firms"], got["纺织"]["output"], got["纺织"]["share"]) == (0, 0, 0)


def test_growth_over_the_printed_prior_year_value(con, codes):
    three_firms(con)
    leading.save_groups(con, PARK, [leading.make_group("通用设备", "34", "2024-01", codes)], by="测试")
    got = by_group(leading.figures(con, PARK, "2024-03"))["通用设备"]
    assert got["growth"] == pytest.approx(100 * (180 - 150) / 150)


def test_saving_groups_moves_the_parks_leading_share_and_undo_restores_it(con, codes):
    three_firms(con)
    leading.save_groups(con, PARK, [leading.make_group("食品", "13", "2024-01", codes)], by="测试")
    assert metric(con, "leading_share", "2024-03") == pytest.approx(100 * 120 / 390)
    leading.set_group(con, PARK, leading.make_group("汽车", "36", "2024-01", codes), by="测试")
    assert metric(con, "leading_share", "2024-03") == pytest.approx(100 * (120 + 90) / 390)
    assert {g.name for g in leading.groups_in_force(con, PARK)} == {"食品", "汽车"}
    last = con.execute("select max(upload_id), any_value(uploaded_by) from uploads "
                       "where upload_id = (select max(upload_id) from uploads)").fetchall()[0]
    assert last[1] == "测试"
    store.undo(con, last[0])
    assert metric(con, "leading_share", "2024-03") == pytest.approx(100 * 120 / 390)


def test_the_rebuild_for_one_park_equals_a_full_rebuild(con, codes):
    three_firms(con)
    leading.save_groups(con, PARK, [leading.make_group("汽车", "36", "2024-02", codes)], by="测试")
    scoped = con.execute("select metric, period, value from metric_values order by all").fetchall()
    sql.build_tables(con)
    assert con.execute("select metric, period, value from metric_values order by all").fetchall() == scoped
    assert metric(con, "leading_share", "2024-01") in ("no row", None)  # no list before February
    assert metric(con, "leading_share", "2024-02") == pytest.approx(100 * 60 / 260)  # C 30+30 of 130+130


def test_a_later_start_keeps_the_earlier_list_before_it(con, codes):
    three_firms(con)
    leading.save_groups(con, PARK, [leading.make_group("食品", "13", "2024-01", codes)], by="测试")
    leading.save_groups(con, PARK, [leading.make_group("汽车", "36", "2024-03", codes)], by="测试")
    assert metric(con, "leading_share", "2024-02") == pytest.approx(100 * 80 / 260)
    assert metric(con, "leading_share", "2024-03") == pytest.approx(100 * 90 / 390)
    stored = leading.groups(con, PARK)
    assert list(zip(stored["group_name"], stored["in_force"], strict=True)) == [("食品", False), ("汽车", True)]


@pytest.mark.parametrize(("text", "expected"), [
    ("13、14", ("13", "14")), ("C13,C14", ("13", "14")), ("33-35", ("33", "34", "35")),
    ("3841", ("3841",)), ("B", ("06", "07", "08", "09", "10", "11", "12")),
])
def test_prefixes_are_read_as_gbt4754_codes(codes, text, expected):
    assert leading.parse_prefixes(text, codes) == expected


@pytest.mark.parametrize(("text", "said"), [
    ("99", "没有大类 99"), ("C01", "属于门类 A"), ("Z", "门类字母"), ("", "没有填写行业代码"), ("十三", "不是行业代码"),
])
def test_prefixes_that_are_no_gbt4754_code_are_refused_in_chinese(codes, text, said):
    with pytest.raises(LeadingError, match=said):
        leading.parse_prefixes(text, codes)


def test_a_group_list_is_refused_whole_when_a_name_repeats(con, codes):
    three_firms(con)
    group = leading.make_group("食品", "13", "2024-01", codes)
    with pytest.raises(LeadingError, match="重复"):
        leading.save_groups(con, PARK, [group, group], by="测试")
    assert leading.groups(con, PARK).empty


def test_prefix_names_read_as_gbt4754_names(codes):
    assert leading.prefix_names(("13", "3841"), codes) == "13 农副食品加工业、3841（属 38 电气机械和器材制造业）"


# ---------------------------------------------------------------- the name → code table

def named_register(rows):
    """rows: (credit code, name, industry name); no industry code."""
    return FirmParsed("名录.xlsx", "N5", registers=pd.DataFrame([
        dict(credit_code=code, org_code=None, enterprise=name, park=PARK, industry_code=None, industry_name=industry,
             above_scale=True, above_scale_since=None, valid_from=month("2024-01"), sheet="名录", row=n + 3)
        for n, (code, name, industry) in enumerate(rows)], columns=REGISTER_COLUMNS))


def test_a_firm_with_only_an_industry_name_takes_its_code_from_the_table(con, codes):
    # A: 汽车 制造业 (a 大类 name, spaced): 36. B: 新能源电池, no 大类 name: coded only once the table says 3841.
    save(con, named_register([(A, "甲", "汽车 制造业"), (B, "乙", "新能源电池")]))
    save(con, ledger(monthly(A, "output", Q1, [60, 60, 60]) + monthly(B, "output", Q1, [40, 40, 40])))
    leading.save_groups(con, PARK, [leading.make_group("汽车", "36", "2024-01", codes),
                                    leading.make_group("电池", "384", "2024-01", codes)], by="测试")
    before = by_group(leading.figures(con, PARK, "2024-03"))
    assert (before["汽车"]["firms"], before["电池"]["firms"]) == (1, 0)
    assert metric(con, "leading_share", "2024-03") == pytest.approx(100 * 180 / 300)
    leading.save_name_codes(con, [leading.make_name_code("新能源电池", "C3841", codes)], by="测试")
    after = by_group(leading.figures(con, PARK, "2024-03"))
    assert (after["电池"]["firms"], after["电池"]["output"]) == (1, pytest.approx(120))
    assert metric(con, "leading_share", "2024-03") == pytest.approx(100.0)
    table = leading.name_codes(con)
    assert list(zip(table["name"], table["code"], table["updated_by"], strict=True)) == [("新能源电池", "3841", "测试")]


def test_the_users_row_overrides_the_dalei_name(con, codes):
    save(con, named_register([(A, "甲", "汽车制造业")]))
    save(con, ledger(monthly(A, "output", Q1, [60, 60, 60])))
    leading.save_groups(con, PARK, [leading.make_group("汽车", "36", "2024-01", codes)], by="测试")
    assert metric(con, "leading_share", "2024-03") == pytest.approx(100.0)
    leading.save_name_codes(con, [leading.make_name_code("汽车制造业", "3411", codes)], by="测试")
    assert metric(con, "leading_share", "2024-03") == pytest.approx(0.0)


@pytest.mark.parametrize(("name", "code", "said"), [
    ("", "13", "不能为空"), ("电池", "99", "没有大类 99"), ("电池", "abc", "不是 GB/T 4754"), ("电池", None, "没有填写"),
])
def test_name_rows_that_cannot_be_used_are_refused(codes, name, code, said):
    with pytest.raises(LeadingError, match=said):
        leading.make_name_code(name, code, codes)


# ---------------------------------------------------------------- the command line

def test_cli_sets_one_group_lists_them_and_refuses_a_code_that_does_not_exist(tmp_path):
    path = tmp_path / "leading.duckdb"
    con = store.connect(path)
    three_firms(con)
    con.close()
    out = run_cli("leading", "set", "--park", PARK, "--group", "汽车", "--codes", "C36", "--from", "2024-01", db=path)
    assert out.returncode == 0, out.stderr
    assert "汽车" not in out.stderr and "已保存园区“东园”的主导产业目录（1 个主导产业）" in out.stdout
    refused = run_cli("leading", "set", "--park", PARK, "--group", "食品", "--codes", "13,99", "--from", "2024-01",
                      db=path)
    assert refused.returncode == 1 and "没有大类 99" in refused.stderr
    listed = run_cli("leading", "--park", PARK, "--format", "json", db=path)
    assert json.loads(listed.stdout) == [{"group": "汽车", "codes": ["36"], "from": "2024-01", "to": None}]
    table = run_cli("leading", "list", "--park", PARK, db=path)
    assert table.stdout.strip() == "汽车  2024-01 起至今  36 汽车制造业"
    con = store.connect(path)
    assert metric(con, "leading_share", "2024-03") == pytest.approx(100 * 90 / 390)
    con.close()


def test_cli_set_names_what_it_misses(tmp_path):
    path = tmp_path / "leading.duckdb"
    store.connect(path).close()
    out = run_cli("leading", "set", "--park", "凤城经济开发区", "--group", "汽车", db=path)
    assert out.returncode == 1 and "--codes、--from" in out.stderr


def test_one_group_may_list_codes_from_two_start_months(con, codes):
    three_firms(con)
    leading.save_groups(con, PARK, [leading.make_group("装备", "34", "2024-01", codes),
                                    leading.make_group("装备", "36", "2024-03", codes)], by="测试")
    assert metric(con, "leading_share", "2024-02") == pytest.approx(100 * 120 / 260)  # A's 60+60 of 130+130
    assert metric(con, "leading_share", "2024-03") == pytest.approx(100 * (180 + 90) / 390)
    got = by_group(leading.figures(con, PARK, "2024-03"))["装备"]
    assert (got["firms"], list(got["prefixes"])) == (2, ["34", "36"])
