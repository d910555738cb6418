"""A park's firms at a month (parkbench/models/enterprises.py, issue 20): the
table the 企业 page shows, the park's totals beside the firms' sums, the
低效用地 list and its sentence, the composition sentences and the top
contributors — on ledgers written here as an office writes them (N1 with 用地面积,
N6), every expected figure worked by hand below."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest
from conftest import store_rows

from parkbench import store
from parkbench.ingest.enterprise import parse_firm_bytes
from parkbench.models import enterprises, leading
from parkbench.store import accounts, firms

# (name, credit code, 行业代码, 1-本月 output 万元, 1-本月 tax 万元, land 亩) of 东园 at 2025-06
EAST = [
    ("甲纺织有限公司", "91350626MA0000001X", "1711", 1000, 60, 20),   # tax/mu 60/20 = 3.0
    ("乙电池有限公司", "91350626MA0000002X", "3841", 3000, 30, 50),   # 30/50 = 0.6
    ("丙机械有限公司", "91350626MA0000003X", "3411", 500, 40, 10),    # 40/10 = 4.0
    ("丁化工有限公司", "91350626MA0000004X", "2614", 800, 8, 40),     # 8/40 = 0.2
    ("戊食品有限公司", "91350626MA0000005X", "1391", 600, 45, 30),    # 45/30 = 1.5
    ("己水务有限公司", "91350626MA0000006X", "4610", 100, 2, 5),      # 2/5 = 0.4
]
# sums: output 6000, tax 185, land 155 亩


def ledger(park: str, period: str, rows) -> bytes:
    """An N1 ledger: title with the month, one row per firm, 万元 and 亩."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = period
    sheet.append([f"{park}规上企业月度台账（{period}）"])
    sheet.append(["序号", "企业名称", "统一社会信用代码", "行业代码", "所属园区", "工业总产值 1-本月（万元）",
                  "实缴税金 1-本月（万元）", "用地面积（亩）"])
    for i, (name, code, industry, output, tax, land) in enumerate(rows, 1):
        sheet.append([i, name, code, industry, park, output, tax, land])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def leading_list() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["园区", "主导产业", "行业代码", "起始年月"])
    sheet.append(["东园", "纺织", "17", "2024-01"])
    sheet.append(["东园", "新能源电池", "3841", "2024-01"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def save(con, data: bytes, name: str) -> None:
    parsed = parse_firm_bytes(data, name)
    assert parsed is not None, name
    firms.save_firms(con, parsed, data)


@pytest.fixture(scope="module")
def con():
    con = store.connect(":memory:")
    save(con, leading_list(), "主导产业目录.xlsx")
    # a year earlier: 甲 1000 → growth over 800 is 25 %; 乙 over 2400 is 25 % too
    save(con, ledger("东园", "2024年6月", [(*EAST[0][:3], 800, 50, 20), (*EAST[1][:3], 2400, 20, 50)]),
         "东园台账2024.xlsx")
    save(con, ledger("东园", "2025年6月", EAST), "东园台账.xlsx")
    save(con, ledger("西园", "2025年6月", [("庚电子有限公司", "91350626MA0000007X", "3971", 900, 90, 9)]),
         "西园台账.xlsx")
    store_rows(con, [("东园", "tax", "2025-06", "ytd", 190)])  # 东园's own 1-6月 tax: 190, not the firms' 185
    yield con
    con.close()


def east(con, reader=accounts.OPERATOR):
    return enterprises.park_firms(con, reader=reader, park="东园", period="2025-06")


def test_the_park_firms_with_their_per_mu_figures(con):
    frame = east(con).set_index("enterprise")
    assert len(frame) == 6
    assert frame.loc["甲纺织有限公司", "tax_per_mu"] == pytest.approx(3.0)
    assert frame.loc["甲纺织有限公司", "tax_per_mu_annual"] == pytest.approx(6.0)  # 3.0 × 12 ÷ 6
    assert frame.loc["乙电池有限公司", "output_per_mu"] == pytest.approx(60.0)  # 3000 ÷ 50
    assert frame.loc["甲纺织有限公司", "output_ytd_yoy"] == pytest.approx(25.0)  # 1000 ÷ 800 − 1
    assert frame.loc["甲纺织有限公司", "tax_ytd_yoy"] == pytest.approx(20.0)  # 60 ÷ 50 − 1
    assert frame.loc["甲纺织有限公司", "leading_group"] == "纺织"
    assert frame.loc["乙电池有限公司", "leading_group"] == "新能源电池"
    assert pd.isna(frame.loc["丙机械有限公司", "leading_group"])
    assert frame.loc["甲纺织有限公司", "industry"] == "纺织业"  # 大类 17
    assert list(east(con)["enterprise"][:2]) == ["甲纺织有限公司", "戊食品有限公司"]  # largest tax first: 60, 45


def test_another_parks_reader_gets_no_firm(con):
    west_viewer = accounts.Account("west", accounts.VIEW, parks=("西园",))
    east_viewer = accounts.Account("east", accounts.VIEW, parks=("东园",))
    assert east(con, west_viewer).empty
    assert enterprises.periods(con, reader=west_viewer, park="东园") == []
    assert len(east(con, east_viewer)) == 6
    assert enterprises.readable_parks(con, reader=west_viewer) == ["西园"]


def test_the_park_totals_beside_the_firms_sums(con):
    frame = east(con)
    totals = enterprises.totals(con, frame, "东园", "2025-06").set_index("indicator")
    assert totals.loc["tax", "park"] == 190 and not totals.loc["tax", "from_enterprises"]
    assert totals.loc["tax", "firm_sum"] == pytest.approx(185)  # 60+30+40+8+45+2
    assert totals.loc["output", "park"] == pytest.approx(6000) and totals.loc["output", "from_enterprises"]
    assert totals.loc["land_area", "firm_sum"] == pytest.approx(155)  # 20+50+10+40+30+5
    assert set(totals["firms"]) == {6}


def test_low_yield_below_a_threshold(con):
    frame = east(con)
    totals = enterprises.totals(con, frame, "东园", "2025-06")
    low = enterprises.low_yield(frame, totals, below=1.0)
    # below 1.0 万元/亩: 乙 0.6 (50 亩, 30), 丁 0.2 (40 亩, 8), 己 0.4 (5 亩, 2)
    assert list(low.firms["enterprise"]) == ["乙电池有限公司", "丁化工有限公司", "己水务有限公司"]  # most land first
    assert low.land == pytest.approx(95)
    assert low.land_share == pytest.approx(100 * 95 / 155)  # park land in force = the firms' sum, 155
    assert low.tax_share == pytest.approx(100 * 40 / 190)  # the park's own tax, 190
    assert low.sentence() == "低效企业 3 户，占地 95.0 亩（占园区工业用地 61.3%），税收占 21.1%"


def test_low_yield_by_class_adds_the_d_firms(con):
    frame = east(con)
    totals = enterprises.totals(con, frame, "东园", "2025-06")
    ids = dict(zip(frame["enterprise"], frame["enterprise_id"], strict=True))
    classes = {ids["戊食品有限公司"]: "D", ids["甲纺织有限公司"]: "A"}
    low = enterprises.low_yield(frame, totals, classes=pd.Series(classes))
    assert list(low.firms["enterprise"]) == ["戊食品有限公司"]
    assert low.sentence() == "低效企业 1 户，占地 30.0 亩（占园区工业用地 19.4%），税收占 23.7%"  # 30/155, 45/190
    both = enterprises.low_yield(frame, totals, below=0.5, classes=pd.Series(classes))
    assert set(both.firms["enterprise"]) == {"戊食品有限公司", "丁化工有限公司", "己水务有限公司"}


def test_the_composition_sentences_in_the_seeds_style(con):
    figures = leading.figures(con, "东园", "2025-06")
    lines = enterprises.composition_sentences(figures)
    # 纺织: 甲 alone, 1000 万元 over 800 → +25 %; 新能源电池: 乙, 3000 over 2400 → +25 %
    assert "纺织1户实现产值1000.00万元，同比增长25.00%" in lines
    assert "新能源电池1户实现产值3000.00万元，同比增长25.00%" in lines


def test_top_contributors_with_their_share_of_the_park(con):
    frame = east(con)
    top = enterprises.top_contributors(frame, "tax_ytd", 190.0, n=2)
    assert list(top["enterprise"]) == ["甲纺织有限公司", "戊食品有限公司"]
    assert list(top["share"]) == pytest.approx([100 * 60 / 190, 100 * 45 / 190])


def test_the_briefing_gains_a_firm_section_only_for_who_may_see_the_firms(con):
    from parkbench.models import evaluation
    from parkbench.output import briefing

    scheme = evaluation.scheme_from_json({"name": "企业亩均", "indicators": [
        {"metric": "tax_per_mu", "weight": 100, "benchmark": "mean"}]})
    made = briefing.build(con, "东园", "2025-06", reader=accounts.OPERATOR, firm_scheme=scheme, with_charts=False)
    assert "纺织1户实现产值1000.00万元，同比增长25.00%" in made.firm_lines
    top = next(line for line in made.firm_lines if line.startswith("税收前五位企业："))
    # 60, 45, 40, 30, 8 of the park's own 190: 31.6 %, 23.7 %, 21.1 %, 15.8 %, 4.2 %
    assert top == ("税收前五位企业：甲纺织有限公司（60.0 万元，占 31.6%）、戊食品有限公司（45.0 万元，占 23.7%）、"
                   "丙机械有限公司（40.0 万元，占 21.1%）、乙电池有限公司（30.0 万元，占 15.8%）、"
                   "丁化工有限公司（8.0 万元，占 4.2%）")
    assert any(line.startswith("按“企业亩均”评价") for line in made.firm_lines)
    assert made.headings() == ("一、主要指标", "二、报告用语", "三、企业", "四、图表")
    import docx

    written = [p.text for p in docx.Document(io.BytesIO(briefing.render(made, "docx"))).paragraphs]
    assert "三、企业" in written and "· " + top + "。" in written

    west_viewer = accounts.Account("west", accounts.VIEW, parks=("西园",))
    hidden = briefing.build(con, "东园", "2025-06", reader=west_viewer, with_charts=False)
    assert hidden.firm_lines == [] and hidden.headings() == ("一、主要指标", "二、报告用语", "三、图表")
    anonymous = briefing.build(con, "东园", "2025-06", with_charts=False)
    assert anonymous.firm_lines == []
