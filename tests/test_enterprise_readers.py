"""Readers of enterprise-level sheets (shapes N1–N6, docs/enterprises.md).

Every sample file of tests/fixtures/enterprise is read; spot values are the
sheet cells read by hand (named in the comments: sheet, cell, what it holds)
and converted by the park rules (千元 ÷ 10, 元 ÷ 10000, 平方米 ÷ 666.67). Hand-made
sheets in other spellings (built here with openpyxl) prove the readers follow
the rules, not the sample. Direct readings are also compared with
expected_enterprise_metrics.json (copied from the shared samples)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
import xlwt

from parkbench.catalog import INDICATOR_BY_ID
from parkbench.errors import BadCell, EmptyFile, IngestError
from parkbench.ingest import parse_file
from parkbench.ingest.enterprise import parse_firm_file
from parkbench.ingest.enterprise.codes import credit_check_character, credit_code_is_valid, org_code_of, read_code

ENTERPRISE = Path(__file__).parent / "fixtures" / "enterprise"
DONGSHAN = ENTERPRISE / "N1_东山经济开发区规上企业月度台账_2024-2025.xlsx"
NANHU_FINANCE = ENTERPRISE / "N1_南湖工业园区规上企业财务能耗月报_期别列.xlsx"
DIRECT = ENTERPRISE / "N2_联网直报_B204-1工业产销总值_2024-2025.xlsx"
EXPECTED = json.loads((ENTERPRISE / "expected_enterprise_metrics.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def dongshan():
    return parse_firm_file(DONGSHAN)


@pytest.fixture(scope="module")
def nanhu_finance():
    return parse_firm_file(NANHU_FINANCE)


@pytest.fixture(scope="module")
def direct():
    return parse_firm_file(DIRECT)


def value(parsed, code_or_name: str, indicator: str, period: str, basis: str, frame: str = "values"):
    """The one value a file gave for a firm (by credit code or name), or None."""
    rows = getattr(parsed, frame)
    firm = (rows["credit_code"] == code_or_name) | (rows["enterprise"] == code_or_name)
    hit = rows[firm & (rows["indicator"] == indicator) & (rows["period"] == dt.date.fromisoformat(period + "-01"))
               & (rows["basis"] == basis)]
    assert len(hit) <= 1, hit
    return None if hit.empty else float(hit["value"].iloc[0])


def workbook(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> Path:
    """An .xlsx (openpyxl) or, for a path ending in .xls, an Excel 97-2003
    workbook (xlwt); ``merges``: ranges such as "G2:I2" per sheet."""
    if path.suffix == ".xls":
        return _xls(path, sheets, merges or {})
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in (merges or {}).get(name, []):
            sheet.merge_cells(cells)
    book.save(path)
    return path


def _xls(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]]) -> Path:
    book = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        spans = {}
        for cells in merges.get(name, []):
            first, last = (openpyxl.utils.cell.coordinate_to_tuple(c) for c in cells.split(":"))
            spans[(first[0] - 1, first[1] - 1)] = (last[0] - 1, last[1] - 1)
        covered = {(r, c) for (r1, c1), (r2, c2) in spans.items() for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if (r, c) in spans:
                    sheet.write_merge(r, spans[(r, c)][0], c, spans[(r, c)][1], cell)
                elif (r, c) not in covered and cell is not None:
                    sheet.write(r, c, cell)
    book.save(str(path))
    return path


# ---------------------------------------------------------------- codes


def test_credit_code_check_character_follows_gb_32100():
    # 91350626MAJTFLAJ69 (东山 N1, C4) is a valid code: its 18th character is the check.
    assert credit_check_character("91350626MAJTFLAJ6") == "9"
    assert credit_code_is_valid("91350626MAJTFLAJ69")
    # 永盛钢构's code (C7 of every 东山 sheet) ends in 8; the weighted sum mod 31 gives 1.
    assert credit_check_character("91350626388168845") == "1"
    assert not credit_code_is_valid("913506263881688458")
    # A check value of 31 - 0 is written 0, not "31": 17 zeros.
    assert credit_check_character("0" * 17) == "0"


def test_org_code_is_characters_9_to_17():
    assert org_code_of("91330402155257628M") == "155257628"  # N2 A2 holds 155257628 beside it
    assert read_code("12345678-9").org_code == "123456789"
    assert read_code("91330402155257628M").org_code == "155257628"


def test_a_code_excel_turned_into_a_number_is_a_problem_not_a_code():
    code = read_code(9.13506263613657e17)
    assert code.credit_code is None and "数字" in code.problem


# ---------------------------------------------------------------- catalog


def test_enterprise_indicators_are_in_the_catalog_and_a_park_sheet_reads_them_too():
    """工业销售产值, 出口交货值 and 用电量 are catalogue indicators; a park sheet
    (family D) with a 用电量 column in 千瓦时 now stores electricity in 万千瓦时
    rather than a raw number under its own name."""
    text = ("园区,月份,规上工业总产值(万元),用电量(千瓦时),工业销售产值(万元),实缴税金(万元)\n"
            "东湖园区,2024-03,1200,2500000,1100,35\n")
    parsed = parse_file(text.encode("utf-8"), "东湖园区月度.csv")
    got = dict(zip(parsed.observations["indicator"], parsed.observations["value"], strict=True))
    assert got["electricity"] == pytest.approx(250.0)  # 2500000 千瓦时 = 250 万千瓦时
    assert got["sales_output"] == 1100 and got["output"] == 1200 and got["tax"] == 35
    assert (INDICATOR_BY_ID["electricity"].unit, INDICATOR_BY_ID["export_delivery"].unit) == ("万千瓦时", "万元")


# ---------------------------------------------------------------- N1


def test_n1_monthly_ledger_reads_every_month_sheet(dongshan):
    assert dongshan.shape == "N1"
    assert dongshan.parks == ["东山经济开发区"]  # from each sheet's title
    assert not dongshan.needs_park
    # 2024年1月 G4, H4, I4: 福建金鼎钢结构工程有限公司 本月 126.2, 1-本月 126.2, 同比% 7.4 (万元)
    assert value(dongshan, "91350626MAJTFLAJ69", "output", "2024-01", "month") == pytest.approx(126.2)
    assert value(dongshan, "91350626MAJTFLAJ69", "output", "2024-01", "ytd") == pytest.approx(126.2)
    assert value(dongshan, "91350626MAJTFLAJ69", "output", "2024-01", "ytd", "growth") == pytest.approx(7.4)
    # 2024年2月 H4 280.8; L4 实缴税金 10.91; M4 用电量 6.32 万千瓦时; N4 从业人员 40; O4 用地面积 10.63 亩
    assert value(dongshan, "91350626MAJTFLAJ69", "output", "2024-02", "ytd") == pytest.approx(280.8)
    assert value(dongshan, "91350626MAJTFLAJ69", "tax", "2024-02", "ytd") == pytest.approx(10.91)
    assert value(dongshan, "91350626MAJTFLAJ69", "electricity", "2024-02", "ytd") == pytest.approx(6.32)
    assert value(dongshan, "91350626MAJTFLAJ69", "employees", "2024-02", "stock") == 40
    assert value(dongshan, "91350626MAJTFLAJ69", "land_area", "2024-02", "stock") == pytest.approx(10.63)


def test_n1_a_one_to_two_month_sheet_is_february_cumulative_with_no_january(dongshan):
    # 2025年1-2月 G4: 金鼎 1-2月 345.4; the sheet has no 本月 column
    assert value(dongshan, "91350626MAJTFLAJ69", "output", "2025-02", "ytd") == pytest.approx(345.4)
    assert value(dongshan, "91350626MAJTFLAJ69", "output", "2025-02", "month") is None
    periods = set(dongshan.values["period"])
    assert dt.date(2025, 1, 1) not in periods


def test_n1_a_dash_is_left_out_and_the_total_row_is_no_firm(dongshan):
    # 2024年5月 G15: 东山县嘉禾钢结构工程有限公司 本月 “—”, H15 1-本月 2408.9
    assert value(dongshan, "东山县嘉禾钢结构工程有限公司", "output", "2024-05", "month") is None
    assert value(dongshan, "东山县嘉禾钢结构工程有限公司", "output", "2024-05", "ytd") == pytest.approx(2408.9)
    names = set(dongshan.identities["enterprise"])
    assert "合计" not in names and len(set(dongshan.identities["credit_code"])) == 25
    assert any(s.sheet == "2024年1月" and s.row == 28 and "合计" in s.reason for s in dongshan.skipped)


def test_n1_a_renamed_firm_keeps_its_code(dongshan):
    # 2025年5月 B11 富民管桩股份有限公司, 2025年6月 B11 福建富民管桩集团有限公司, both 91350626MAJK652E3A
    ids = dongshan.identities[dongshan.identities["credit_code"] == "91350626MAJK652E3A"]
    by_period = dict(zip(ids["period"], ids["enterprise"], strict=True))
    assert by_period[dt.date(2025, 5, 1)] == "富民管桩股份有限公司"
    assert by_period[dt.date(2025, 6, 1)] == "福建富民管桩集团有限公司"
    # 2025年6月 H11: 1-本月 2923.8
    assert value(dongshan, "91350626MAJK652E3A", "output", "2025-06", "ytd") == pytest.approx(2923.8)


def test_n1_a_wrong_check_character_is_one_warning_naming_the_cell(dongshan):
    warnings = [w for w in dongshan.warnings if "913506263881688458" in w]
    assert len(warnings) == 1
    assert "N1_东山经济开发区规上企业月度台账_2024-2025.xlsx" in warnings[0]
    assert "工作表「2024年1月」第 7 行第 C 列（统一社会信用代码）" in warnings[0]
    assert "校验位" in warnings[0] and "另有 22 处" in warnings[0]
    # read all the same, under the code as written
    assert value(dongshan, "913506263881688458", "output", "2024-01", "ytd") == pytest.approx(1057.3)


def test_n1_land_is_a_stock_at_each_period(dongshan):
    # 2024年8月 O9 and 2024年9月 O9: 明德农业机械 8 亩, then 24.5 亩
    assert value(dongshan, "明德农业机械有限责任公司", "land_area", "2024-08", "stock") == 8
    assert value(dongshan, "明德农业机械有限责任公司", "land_area", "2024-09", "stock") == pytest.approx(24.5)


def test_n1_with_a_period_column_reads_each_row_at_its_period():
    parsed = parse_firm_file(NANHU_FINANCE)
    assert parsed.parks == ["南湖工业园区"]  # from the title
    # 财务能耗 row 3: 统计期 2024年1-2月, 南湖锦程服饰 营业收入1-本月 1573.6, 用电量 24.93, 从业人员 82
    assert value(parsed, "91330402317509016N", "revenue", "2024-02", "ytd") == pytest.approx(1573.6)
    assert value(parsed, "91330402317509016N", "electricity", "2024-02", "ytd") == pytest.approx(24.93)
    assert value(parsed, "91330402317509016N", "employees", "2024-02", "stock") == 82
    assert not any(p.month == 1 for p in parsed.values["period"])
    # last row (398): 2025年12月 浙江信诚管业 营业收入 18990.2
    assert value(parsed, "91330402262591197K", "revenue", "2025-12", "ytd") == pytest.approx(18990.2)


def test_n1_one_row_header_in_other_units_with_subtotals(tmp_path):
    path = workbook(tmp_path / "台账.xlsx", {"Sheet1": [
        ["西湖高新区2024年3月规上企业主要指标"],
        ["单位名称", "社会信用代码", "本月工业总产值（千元）", "1-3月工业总产值（千元）", "纳税(元)", "用地面积(平方米)", "备注",
         "经营状况"],
        ["甲公司", "91330402155257628M", 1500, "4,200", 123456, 6666.7, "新投产", "正常"],
        ["乙公司", "91330402262591197K", "未填报", 3000, 0, 1000, None, "停产"],
        ["小计", None, 1500, 7200, 123456, 7666.7, None],
        ["合计", None, 1500, 7200, 123456, 7666.7, None],
    ]})
    parsed = parse_firm_file(path)
    assert parsed.parks == ["西湖高新区"]
    assert value(parsed, "甲公司", "output", "2024-03", "month") == pytest.approx(150.0)  # 1500 千元
    assert value(parsed, "甲公司", "output", "2024-03", "ytd") == pytest.approx(420.0)  # "4,200" 千元
    assert value(parsed, "甲公司", "tax", "2024-03", "month") == pytest.approx(12.3456)  # 123456 元
    assert value(parsed, "甲公司", "land_area", "2024-03", "stock") == pytest.approx(10.0)  # 6666.7 平方米 ÷ 666.67
    assert value(parsed, "乙公司", "output", "2024-03", "month") is None  # 未填报: not reported, not 0
    assert set(parsed.identities["enterprise"]) == {"甲公司", "乙公司"}
    assert not {"备注", "经营状况"} & set(parsed.values["indicator"])
    assert any("第 H 列（经营状况）" in w and "不是数值列" in w for w in parsed.warnings)


def test_n1_two_row_header_period_in_sheet_name_park_in_file_name(tmp_path):
    path = workbook(tmp_path / "北山工业园区企业台账.xlsx", {"2024.5": [
        ["企业名称", "统一社会信用代码", "所属片区", "工业总产值(万元)", None, None, "用电量(千瓦时)"],
        [None, None, None, "当月", "本年累计", "增速(%)", "累计"],
        ["丙公司", "91350626MAJTFLAJ69", "东片", 88, 400, "-3.5", 125000],
    ]})
    parsed = parse_firm_file(path)
    assert parsed.parks == ["北山工业园区"]
    assert value(parsed, "丙公司", "output", "2024-05", "month") == 88
    assert value(parsed, "丙公司", "output", "2024-05", "ytd") == 400
    assert value(parsed, "丙公司", "output", "2024-05", "ytd", "growth") == pytest.approx(-3.5)
    assert value(parsed, "丙公司", "electricity", "2024-05", "ytd") == pytest.approx(12.5)  # 125000 千瓦时


def test_n1_gbk_csv_with_park_and_month_columns(tmp_path):
    text = ("所属园区,企业名称,统一社会信用代码,月份,工业总产值累计(亿元),从业人员(人)\n"
            "东湖园区,丁公司,91330402317509016N,2024-03,0.25,120\n"
            "东湖园区,丁公司,91330402317509016N,2024-04,—,121\n")
    path = tmp_path / "企业月报.csv"
    path.write_bytes(text.encode("gbk"))
    parsed = parse_firm_file(path)
    assert parsed.parks == ["东湖园区"]
    assert value(parsed, "丁公司", "output", "2024-03", "ytd") == pytest.approx(2500.0)  # 0.25 亿元
    assert value(parsed, "丁公司", "output", "2024-04", "ytd") is None
    assert value(parsed, "丁公司", "employees", "2024-04", "stock") == 121


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_n1_merged_two_row_header_period_only_in_the_file_name(tmp_path, suffix):
    """No title: the park and the month are in the file name. 工业总产值（千元）
    is merged over 本月 · 1-本月 · 上年同期 · 同比%; 序号, 企业名称 and the code
    are merged down both header rows; a 合计 row closes the table."""
    rows = [["序号", "企业名称", "统一社会信用代码", "工业总产值（千元）", None, None, None, "从业人员（人）"],
            [None, None, None, "本月", "1-本月", "上年同期", "同比%", None],
            [1, "庚公司", "91330402317509016N", 5000, 35000, 30000, 16.7, 210],
            [None, "合计", None, 5000, 35000, 30000, None, 210]]
    merges = {"Sheet1": ["A1:A2", "B1:B2", "C1:C2", "D1:G1", "H1:H2"]}
    parsed = parse_firm_file(workbook(tmp_path / f"南岭工业园区2024年7月规上企业{suffix}", {"Sheet1": rows}, merges))
    assert parsed.shape == "N1" and parsed.parks == ["南岭工业园区"]
    assert value(parsed, "庚公司", "output", "2024-07", "month") == pytest.approx(500.0)  # 5000 千元
    assert value(parsed, "庚公司", "output", "2024-07", "ytd") == pytest.approx(3500.0)
    assert value(parsed, "庚公司", "output", "2024-07", "ytd_prior") == pytest.approx(3000.0)
    assert value(parsed, "庚公司", "output", "2024-07", "ytd", "growth") == pytest.approx(16.7)
    assert value(parsed, "庚公司", "employees", "2024-07", "stock") == 210
    assert list(parsed.identities["enterprise"]) == ["庚公司"]


def test_n1_second_header_row_repeating_the_name_header_is_no_firm(tmp_path):
    path = workbook(tmp_path / "东湖园区台账.xlsx", {"2024年3月": [
        ["企业名称", "统一社会信用代码", "工业总产值(万元)", None],
        ["企业名称", "统一社会信用代码", "本月", "1-本月"],
        ["甲公司", "91330402155257628M", 1, 3],
    ]})
    parsed = parse_firm_file(path)
    assert list(parsed.identities["enterprise"]) == ["甲公司"]
    assert value(parsed, "甲公司", "output", "2024-03", "month") == 1
    assert value(parsed, "甲公司", "output", "2024-03", "ytd") == 3


def test_n1_two_land_columns_keep_apart(tmp_path):
    path = workbook(tmp_path / "东湖园区2024年3月企业.xlsx", {"3月": [
        ["企业名称", "统一社会信用代码", "用地面积(亩)", "工业用地面积(亩)"],
        ["甲公司", "91330402155257628M", 50, 42],
    ]})
    parsed = parse_firm_file(path)
    assert value(parsed, "甲公司", "land_area", "2024-03", "stock") == 42  # the more specific one
    assert value(parsed, "甲公司", "用地面积", "2024-03", "stock") == 50


def test_n1_one_sheet_per_park_takes_the_park_from_the_sheet_name(tmp_path):
    header = ["企业名称", "统一社会信用代码", "工业总产值(万元)"]
    path = workbook(tmp_path / "2024年3月规上企业.xlsx", {
        "东湖园区": [header, ["甲公司", "91330402155257628M", 10]],
        "西岭开发区": [header, ["乙公司", "91330402262591197K", 20]]})
    parsed = parse_firm_file(path)
    parks = dict(zip(parsed.identities["enterprise"], parsed.identities["park"], strict=True))
    assert parks == {"甲公司": "东湖园区", "乙公司": "西岭开发区"}
    assert value(parsed, "乙公司", "output", "2024-03", "month") == 20


def test_n1_a_ledger_with_register_columns_stays_a_ledger(tmp_path):
    path = workbook(tmp_path / "东湖园区2024年8月企业.xlsx", {"8月": [
        ["企业名称", "统一社会信用代码", "规上(是/否)", "入规年月", "营业收入1-本月(万元)"],
        ["甲公司", "91330402155257628M", "是", "2020-01", 880],
    ]})
    parsed = parse_firm_file(path)
    assert parsed.shape == "N1"
    assert value(parsed, "甲公司", "revenue", "2024-08", "ytd") == 880


def test_n1_traditional_headers_basis_in_brackets_and_firm_names_for_indicators(tmp_path):
    path = workbook(tmp_path / "企業月報.xlsx", {"2024年10月": [
        ["西嶺開發區2024年10月企業主要指標"],
        ["企業名稱", "統一社會信用代碼", "利潤總額（1-本月，萬元）", "從業人員期末人數(人)", "占地面積（畝）",
         "工業總產值(當年價格)(萬元)"],
        ["辛公司", "91330402395061456D", "12.5", 66, 40, 900],
    ]})
    parsed = parse_firm_file(path)
    assert parsed.parks == ["西岭开发区"]
    assert value(parsed, "辛公司", "profit", "2024-10", "ytd") == pytest.approx(12.5)
    assert value(parsed, "辛公司", "employees", "2024-10", "stock") == 66
    assert value(parsed, "辛公司", "land_area", "2024-10", "stock") == 40
    assert value(parsed, "辛公司", "output", "2024-10", "month") == 900  # no basis written: the month's


def test_n1_text_in_a_number_cell_is_refused_naming_the_cell(tmp_path):
    path = workbook(tmp_path / "西湖高新区2024年3月企业.xlsx", {"3月": [
        ["企业名称", "统一社会信用代码", "工业总产值(万元)"],
        ["甲公司", "91330402155257628M", "约100"],
    ]})
    with pytest.raises(BadCell) as caught:
        parse_firm_file(path)
    message = str(caught.value)
    assert "西湖高新区2024年3月企业.xlsx" in message and "工作表「3月」" in message
    assert "第 2 行" in message and "第 C 列（工业总产值(万元)）" in message


def test_a_park_sheet_is_no_enterprise_sheet():
    assert parse_firm_file(Path(__file__).parent / "fixtures" / "A_各园区主要经济指标_2024累计.xlsx") is None


# ---------------------------------------------------------------- N2


def test_n2_path_headers_in_thousands_of_yuan(direct):
    assert direct.shape == "N2"
    assert direct.needs_park and direct.parks == []
    # B204-1 row 2: 南湖聚源锂电 2024年1月 F2 本月 3117 千元, H2 上年同期;1-本月 3143 千元
    assert value(direct, "91330402155257628M", "output", "2024-01", "month") == pytest.approx(311.7)
    assert value(direct, "91330402155257628M", "output", "2024-01", "ytd_prior") == pytest.approx(314.3)
    # row 5: 南湖锦程服饰 出口交货值 本月 818 千元; 工业销售产值 上年同期 8445 千元
    assert value(direct, "91330402317509016N", "export_delivery", "2024-01", "month") == pytest.approx(81.8)
    assert value(direct, "91330402317509016N", "sales_output", "2024-01", "ytd_prior") == pytest.approx(844.5)
    # last row (433): 浙江豫丰纺织 2025年12月 1-本月 189911 千元
    assert value(direct, "91330402MARY9WETX5", "output", "2025-12", "ytd") == pytest.approx(18991.1)
    ids = direct.identities
    assert set(ids.loc[ids["credit_code"] == "91330402155257628M", "org_code"]) == {"155257628"}


def test_n2_other_spellings_period_column_and_month_prior(tmp_path):
    path = workbook(tmp_path / "直报导出.xlsx", {"导出": [
        ["单位详细名称", "组织机构代码", "期别", "工业总产值;本月;万元", "上年同期;本月;工业总产值;万元",
         "本年累计;出口交货值;元", "报送时间", "1—本月;工业销售产值;万元"],
        ["戊公司", "MA5WDQ752", "2024年3月", 120.5, 100, 500000, "2024-04-05", 300],
    ]})
    parsed = parse_firm_file(path)
    assert parsed.shape == "N2"
    ids = parsed.identities
    assert ids["credit_code"].isna().all() and list(ids["org_code"]) == ["MA5WDQ752"]
    assert value(parsed, "戊公司", "output", "2024-03", "month") == pytest.approx(120.5)
    assert value(parsed, "戊公司", "output", "2024-03", "month_prior") == 100
    assert value(parsed, "戊公司", "export_delivery", "2024-03", "ytd") == pytest.approx(50.0)  # 500000 元
    assert value(parsed, "戊公司", "sales_output", "2024-03", "ytd") == 300  # 1—本月 with a long dash


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_n2_csv_keeps_semicolons_inside_headers(tmp_path, encoding):
    text = ("统一社会信用代码,单位详细名称,期别(年),期别(月),本月;工业总产值(当年价格);千元,1-本月;工业总产值(当年价格);千元,"
            "上年同期;1-本月;工业总产值(当年价格);千元,本月;出口交货值;千元\n"
            "91330402155257628M,己公司,2024,2,2000,5117,4000,0\n")
    path = tmp_path / "B204-1.csv"
    path.write_bytes(text.encode(encoding))
    parsed = parse_firm_file(path)
    assert value(parsed, "91330402155257628M", "output", "2024-02", "ytd") == pytest.approx(511.7)


def test_year_and_month_columns_and_a_unit_inside_the_path_name(tmp_path):
    """年份 · 月份 columns (a bare month takes the row's year; 1-2 is February's
    cumulative) and a path whose unit sits in brackets after the name."""
    path = workbook(tmp_path / "直报2.xlsx", {"导出": [
        ["统一社会信用代码", "单位详细名称", "年份", "月份", "工业总产值(当年价格)(千元);本月", "1-本月;工业总产值(千元)"],
        ["91330402155257628M", "癸公司", 2024, "1-2", 900, 1800],
        ["91330402155257628M", "癸公司", "2024年", 3, 1000, 2800],
    ]})
    parsed = parse_firm_file(path)
    assert value(parsed, "癸公司", "output", "2024-02", "ytd") == pytest.approx(180.0)  # 1-2 本月 is 1-2月 too
    assert value(parsed, "癸公司", "output", "2024-03", "month") == pytest.approx(100.0)
    assert value(parsed, "癸公司", "output", "2024-03", "ytd") == pytest.approx(280.0)


# ---------------------------------------------------------------- expected metrics, direct readings


def expected_rows(metric: str, park: str) -> list[dict]:
    return [r for r in EXPECTED if r["metric"] == metric and r["park"] == park]


@pytest.mark.parametrize(("source", "metric", "park", "indicator", "basis"), [
    ("dongshan", "output_ytd", "东山经济开发区", "output", "ytd"),
    ("dongshan", "tax_ytd", "东山经济开发区", "tax", "ytd"),
    ("dongshan", "revenue_ytd", "东山经济开发区", "revenue", "ytd"),
    ("direct", "output_ytd", "南湖工业园区", "output", "ytd"),
    ("nanhu_finance", "revenue_ytd", "南湖工业园区", "revenue", "ytd"),
])
def test_direct_readings_match_the_expected_enterprise_metrics(request, source, metric, park, indicator, basis):
    """Where a metric is a cell of the file (东山's 1-本月 columns, 南湖's N2
    1-本月 in 千元 and its finance sheet's 营业收入1-本月), the reader gives it.
    Months the file leaves unknown (January of a 1-2月 release, before a firm
    joins) must have no value."""
    parsed = request.getfixturevalue(source)
    values = parsed.values[(parsed.values["indicator"] == indicator) & (parsed.values["basis"] == basis)]
    got = {(r.credit_code, f"{r.period:%Y-%m}"): r.value for r in values.itertuples()}
    rows = expected_rows(metric, park)
    assert rows
    checked = 0
    for row in rows:
        key = (row["credit_code"], row["period"])
        if row["value"] is None:
            assert key not in got, key
            continue
        assert got.get(key) == pytest.approx(row["value"], abs=1e-6), key
        checked += 1
    assert checked > 300


def test_land_of_a_dongshan_firm_matches_expected():
    parsed = parse_firm_file(DONGSHAN)
    land = parsed.values[parsed.values["indicator"] == "land_area"]
    got = {(r.credit_code, f"{r.period:%Y-%m}"): r.value for r in land.itertuples()}
    rows = [r for r in expected_rows("land_area", "东山经济开发区") if (r["credit_code"], r["period"]) in got]
    assert len(rows) > 500
    for row in rows:
        assert got[(row["credit_code"], row["period"])] == pytest.approx(row["value"]), row



# ---------------------------------------------------------------- N3


def test_n3_tax_by_taxpayer_in_yuan_from_a_gbk_csv():
    parsed = parse_firm_file(ENTERPRISE / "N3_入库税收明细_2023-2025_GBK.csv")
    assert parsed.shape == "N3" and parsed.needs_park
    # row 2: 91330402155257628M 南湖聚源锂电 所属期 2023-01, 合计 (M2) 136063.40 元
    assert value(parsed, "91330402155257628M", "tax", "2023-01", "month") == pytest.approx(13.606340)
    # last row: 浙江豫丰纺织 2025-12 合计 566054.20 元
    assert value(parsed, "91330402MARY9WETX5", "tax", "2025-12", "month") == pytest.approx(56.605420)
    assert set(parsed.values["indicator"]) == {"tax"}


def test_n3_months_added_from_january_give_the_expected_tax_of_nanhu():
    """Tax cumulative = the months 1..N of the firm's 合计 in 元 ÷ 10000 (the park
    rules' sum of months, done here by hand) for every published 南湖 tax_ytd."""
    tax = parse_firm_file(ENTERPRISE / "N3_入库税收明细_2023-2025_GBK.csv").values
    months = {(r.credit_code, r.period): r.value for r in tax.itertuples()}
    rows = [r for r in expected_rows("tax_ytd", "南湖工业园区") if r["value"] is not None]
    assert len(rows) > 400
    for row in rows:
        year, month = map(int, row["period"].split("-"))
        cumulative = sum(months[(row["credit_code"], dt.date(year, m, 1))] for m in range(1, month + 1))
        assert cumulative == pytest.approx(row["value"], abs=1e-6), row


def test_n3_without_a_total_column_sums_the_taxes_and_the_rows_of_a_month(tmp_path):
    path = workbook(tmp_path / "税收.xlsx", {"明细": [
        ["纳税人识别号", "纳税人名称", "入库月份", "增值税(万元)", "企业所得税(万元)", "教育费附加(万元)"],
        ["330402155257628", "甲公司", "2024年3月", 10, 5.5, None],
        ["330402155257628", "甲公司", "2024年3月", 2, None, 0.5],
        ["91330402262591197K", "乙公司", "2024年3月", "—", "—", "—"],
    ]})
    parsed = parse_firm_file(path)
    assert parsed.shape == "N3"
    # an old 15-character 纳税人识别号: region 330402 + 组织机构代码 155257628
    assert set(parsed.values["org_code"]) == {"155257628"}
    assert value(parsed, "甲公司", "tax", "2024-03", "month") == pytest.approx(18.0)  # 10 + 5.5 + 2 + 0.5
    assert value(parsed, "乙公司", "tax", "2024-03", "month") is None  # every tax “—”: not reported


def test_n3_long_list_of_taxes_with_a_unit_note_and_a_total_that_disagrees(tmp_path):
    path = workbook(tmp_path / "入库税收.xlsx", {"Sheet1": [
        ["单位：元"],
        ["社会信用代码", "纳税人名称", "税款所属期", "增值税", "城市维护建设税", "合计"],
        ["91330402155257628M", "甲公司", "2024-05", 100000, 7000, 107000],
        ["91330402262591197K", "乙公司", "2024-05", 50000, 3500, 60000],
    ]})
    parsed = parse_firm_file(path)
    assert value(parsed, "甲公司", "tax", "2024-05", "month") == pytest.approx(10.7)
    assert value(parsed, "乙公司", "tax", "2024-05", "month") == pytest.approx(6.0)  # 合计 wins
    assert any("第 4 行" in w and "合计" in w and "不一致" in w for w in parsed.warnings)


def test_a_ledger_with_tax_columns_beside_output_stays_n1(tmp_path):
    path = workbook(tmp_path / "西湖高新区2024年6月企业.xlsx", {"6月": [
        ["企业名称", "统一社会信用代码", "工业总产值(万元)", "增值税(万元)"],
        ["甲公司", "91330402155257628M", 300, 12],
    ]})
    parsed = parse_firm_file(path)
    assert parsed.shape == "N1"
    assert value(parsed, "甲公司", "output", "2024-06", "month") == 300


# ---------------------------------------------------------------- N4


@pytest.fixture(scope="module")
def parcels():
    return parse_firm_file(ENTERPRISE / "N4_南湖工业园区企业宗地登记_平方米.xlsx")


def test_n4_parcels_in_square_metres_become_mu(parcels):
    assert parcels.shape == "N4" and parcels.parks == ["南湖工业园区"]
    frame = parcels.parcels
    # 宗地 row 3: 南湖锦程服饰 NH20080003 14520.07 平方米 自有 2008-10-04 → ÷ 666.67
    first = frame[frame["parcel"] == "NH20080003"].iloc[0]
    assert first["area"] == pytest.approx(14520.07 / 666.67)
    assert first["tenure"] == "own" and first["registered"] == dt.date(2008, 10, 1)
    # row 11: 南湖青山纺织 rents 3466.68 平方米 of NH20170006 out from 2024-08-13
    out = frame[(frame["parcel"] == "NH20170006") & (frame["tenure"] == "rent_out")].iloc[0]
    assert out["area"] == pytest.approx(3466.68 / 666.67) and out["registered"] == dt.date(2024, 8, 1)
    assert set(frame["tenure"]) == {"own", "rent_in", "rent_out"}


def test_n4_land_by_the_rule_matches_the_expected_land_of_nanhu(parcels):
    """own + rent_in − rent_out of the parcels registered by the period (the
    store's rule, done here by hand) gives the published land of every 南湖 firm."""
    sign = {"own": 1, "rent_in": 1, "rent_out": -1}
    frame = parcels.parcels
    rows = [r for r in expected_rows("land_area", "南湖工业园区") if r["value"] is not None]
    assert len(rows) > 300
    for row in rows:
        period = dt.date.fromisoformat(row["period"] + "-01")
        held = frame[(frame["credit_code"] == row["credit_code"]) & (frame["registered"] <= period)]
        land = sum(sign[t] * a for t, a in zip(held["tenure"], held["area"], strict=True))
        assert land == pytest.approx(row["value"], abs=0.006), row


def test_n4_in_mu_from_a_note_with_other_tenure_words(tmp_path):
    path = workbook(tmp_path / "西湖高新区企业用地.xlsx", {"用地": [
        ["单位：亩"],
        ["使用权人", "统一社会信用代码", "地块编号", "宗地面积", "用地方式", "取得日期"],
        ["甲公司", "91330402155257628M", 101, 30, "出让", "2019年5月"],
        ["甲公司", "91330402155257628M", 102, 12.5, "出租", "2024-02-10"],
        ["乙公司", "91330402262591197K", 103, 8, "承租", dt.datetime(2023, 7, 1)],
        ["乙公司", "91330402262591197K", 104, 2, "自有土地", "2024年8月13日"],
    ]})
    parsed = parse_firm_file(path)
    frame = parsed.parcels
    assert parsed.parks == ["西湖高新区"]  # from the file name
    assert list(frame["tenure"]) == ["own", "rent_out", "rent_in", "own"]
    assert list(frame["area"]) == [30, 12.5, 8, 2]
    assert list(frame["parcel"]) == ["101", "102", "103", "104"]
    assert list(frame["registered"]) == [dt.date(2019, 5, 1), dt.date(2024, 2, 1), dt.date(2023, 7, 1),
                                         dt.date(2024, 8, 1)]


def test_n4_a_land_list_without_parcel_numbers_or_tenure_is_still_parcels(tmp_path):
    path = workbook(tmp_path / "企业用地.xlsx", {"Sheet1": [
        ["所属园区", "土地使用权人", "统一社会信用代码", "土地面积（㎡）", "登记时间"],
        ["东湖园区", "甲公司", "91330402155257628M", 66667, "2021-06"],
    ]})
    parsed = parse_firm_file(path)
    assert parsed.shape == "N4"
    row = parsed.parcels.iloc[0]
    assert (row["park"], row["tenure"], row["registered"]) == ("东湖园区", "own", dt.date(2021, 6, 1))
    assert row["area"] == pytest.approx(66667 / 666.67)  # ㎡ is 平方米


def test_n4_an_area_without_unit_and_an_unknown_tenure_are_refused(tmp_path):
    rows = [["企业名称", "统一社会信用代码", "宗地编号", "土地面积", "权属", "登记日期"],
            ["甲公司", "91330402155257628M", "A1", 30, "自有", "2020-01"]]
    with pytest.raises(BadCell, match="没有注明单位"):
        parse_firm_file(workbook(tmp_path / "用地1.xlsx", {"宗地": rows}))
    rows[0][3] = "土地面积(公顷)"
    rows.append(["乙公司", "91330402262591197K", "A2", 2, "借用", "2020-01"])
    with pytest.raises(BadCell) as caught:
        parse_firm_file(workbook(tmp_path / "用地2.xlsx", {"宗地": rows}))
    assert "第 3 行" in str(caught.value) and "第 E 列（权属）" in str(caught.value) and "借用" in str(caught.value)
    rows[2][4] = "租入"
    assert list(parse_firm_file(workbook(tmp_path / "用地3.xlsx", {"宗地": rows})).parcels["area"]) == [450, 30]


# ---------------------------------------------------------------- N5


def test_n5_registers_date_from_the_title_and_a_firm_that_joins():
    early = parse_firm_file(ENTERPRISE / "N5_规上工业企业名录（2023年1月）.xlsx")
    later = parse_firm_file(ENTERPRISE / "N5_规上工业企业名录（2025年4月）.xlsx")
    assert early.shape == later.shape == "N5"
    assert set(early.registers["valid_from"]) == {dt.date(2023, 1, 1)}
    assert set(later.registers["valid_from"]) == {dt.date(2025, 4, 1)}
    assert early.parks == later.parks == ["东山经济开发区", "南湖工业园区"]
    assert len(early.registers) == 42 and len(later.registers) == 43
    # the 2025年4月 register lists 东山县新锐汽车零部件有限公司, 规上 是, 入规年月 2025-04
    joined = later.registers[later.registers["enterprise"] == "东山县新锐汽车零部件有限公司"].iloc[0]
    assert joined["above_scale"] is True and joined["above_scale_since"] == dt.date(2025, 4, 1)
    assert joined["park"] == "东山经济开发区" and joined["industry_code"] == "3670"
    # row 3 of the 2023 register: 福建金鼎钢结构, 3311, 入规年月 2015-12
    first = early.registers.iloc[0]
    assert (first["credit_code"], first["industry_code"], first["above_scale_since"]) == (
        "91350626MAJTFLAJ69", "3311", dt.date(2015, 12, 1))
    assert any("913506263881688458" in w for w in early.warnings)


def test_n5_start_column_check_marks_and_the_park_in_the_title(tmp_path):
    path = workbook(tmp_path / "名录.xlsx", {"Sheet1": [
        ["西湖高新区企业名录"],
        ["企业名称", "统一社会信用代码", "国民经济行业代码", "是否规上", "起始年月", "入规时间"],
        ["甲公司", "91330402155257628M", "C3311", "√", "2024-01", "2019年3月"],
        ["乙公司", "91330402262591197K", 610, "×", "2024-07", None],
    ]})
    parsed = parse_firm_file(path)
    frame = parsed.registers
    assert parsed.shape == "N5" and set(frame["park"]) == {"西湖高新区"}
    assert list(frame["industry_code"]) == ["3311", "610"]
    assert list(frame["above_scale"]) == [True, False]
    assert list(frame["valid_from"]) == [dt.date(2024, 1, 1), dt.date(2024, 7, 1)]
    assert frame["above_scale_since"].iloc[0] == dt.date(2019, 3, 1) and frame["above_scale_since"].iloc[1] is None


def test_n5_a_register_with_land_reads_it_as_a_stock_at_its_date(tmp_path):
    path = workbook(tmp_path / "东湖园区企业名录2024年6月.xlsx", {"名录": [
        ["企业名称", "统一社会信用代码", "所属园区", "用地面积(平方米)"],
        ["甲公司", "91330402155257628M", None, 13333.4],
    ]})
    parsed = parse_firm_file(path)
    assert parsed.shape == "N5"
    assert list(parsed.registers["park"]) == ["东湖园区"]  # empty park cell: the file name's park
    assert value(parsed, "甲公司", "land_area", "2024-06", "stock") == pytest.approx(20.0)  # 13333.4 ÷ 666.67


def test_n5_one_firm_in_two_parks_and_a_register_without_date_are_refused(tmp_path):
    rows = [["企业名称", "统一社会信用代码", "所属园区", "规上(是/否)"],
            ["甲公司", "91330402155257628M", "东湖园区", "是"],
            ["甲公司", "91330402155257628M", "西湖高新区", "是"]]
    with pytest.raises(BadCell) as caught:
        parse_firm_file(workbook(tmp_path / "2024年5月企业名录.xlsx", {"名录": rows}))
    assert "两个园区" in str(caught.value) and "第 3 行" in str(caught.value)
    with pytest.raises(BadCell, match="名录的日期"):
        parse_firm_file(workbook(tmp_path / "企业名录.xlsx", {"名录": rows[:2]}))


# ---------------------------------------------------------------- N6


def test_n6_ranges_become_one_row_per_prefix():
    parsed = parse_firm_file(ENTERPRISE / "N6_主导产业目录.xlsx")
    assert parsed.shape == "N6"
    leading = parsed.leading
    # row 2: 东山经济开发区 装备制造 33-40、43 from 2020-01
    equipment = leading[(leading["park"] == "东山经济开发区") & (leading["group"] == "装备制造")]
    assert list(equipment["prefix"]) == ["33", "34", "35", "36", "37", "38", "39", "40", "43"]
    assert set(equipment["valid_from"]) == {dt.date(2020, 1, 1)}
    # row 5: 南湖工业园区 新能源电池 3841 from 2022-07
    battery = leading[leading["group"] == "新能源电池"].iloc[0]
    assert (battery["park"], battery["prefix"], battery["valid_from"]) == ("南湖工业园区", "3841", dt.date(2022, 7, 1))
    assert len(leading) == 15


def test_n6_merged_park_cells_commas_and_letters(tmp_path):
    path = workbook(tmp_path / "主导产业.xlsx", {"目录": [
        ["园区名称", "主导产业名称", "包含行业代码", "起始年月"],
        ["西湖高新区", "化工", "C26,27；2811", "2023年1月"],
        [None, "矿业", "06-08", None],
        ["东湖园区", "电子", "39", "2024-03"],
    ]})
    leading = parse_firm_file(path).leading
    assert list(leading["prefix"]) == ["26", "27", "2811", "06", "07", "08", "39"]
    assert list(leading["park"]) == ["西湖高新区"] * 6 + ["东湖园区"]
    assert set(leading["valid_from"][:6]) == {dt.date(2023, 1, 1)}


def test_n6_a_code_that_is_no_code_is_refused(tmp_path):
    path = workbook(tmp_path / "主导产业.xlsx", {"目录": [
        ["园区", "主导产业", "行业代码", "起始年月"],
        ["西湖高新区", "汽车", "汽车制造", "2023-01"],
    ]})
    with pytest.raises(BadCell) as caught:
        parse_firm_file(path)
    assert "第 2 行" in str(caught.value) and "第 C 列（行业代码）" in str(caught.value)


def test_a_large_park_csv_is_judged_by_its_first_lines():
    """The enterprise probe reads a large CSV's head only when it holds no
    enterprise header (the GBK N3 sample, 87 KB, is found from its head)."""
    from parkbench.ingest.enterprise import csv_head_may_hold_firms

    park_rows = "园区,统计期,指标,口径,数值,单位\n" + "甲园区,2024-01,税收收入,本月,1,万元\n" * 5000
    assert not csv_head_may_hold_firms(park_rows.encode(), "long.csv")
    tax = (ENTERPRISE / "N3_入库税收明细_2023-2025_GBK.csv").read_bytes()
    assert len(tax) > 65536 and csv_head_may_hold_firms(tax, "N3.csv")


# ---------------------------------------------------------------- refusals


def test_an_impossible_period_cell_is_refused_naming_it(tmp_path):
    path = workbook(tmp_path / "企业月报.xlsx", {"数据": [
        ["统计期", "企业名称", "统一社会信用代码", "营业收入1-本月(万元)"],
        ["2024-03", "甲公司", "91330402155257628M", 10],
        ["2024-13", "甲公司", "91330402155257628M", 12],
    ]})
    with pytest.raises(BadCell) as caught:
        parse_firm_file(path)
    message = str(caught.value)
    assert "企业月报.xlsx" in message and "工作表「数据」" in message
    assert "第 3 行" in message and "第 A 列（统计期）" in message and "13" in message


def test_a_ledger_with_no_period_anywhere_is_refused(tmp_path):
    path = workbook(tmp_path / "企业台账.xlsx", {"Sheet1": [
        ["企业名称", "统一社会信用代码", "工业总产值(万元)"],
        ["甲公司", "91330402155257628M", 10],
    ]})
    with pytest.raises(IngestError) as caught:
        parse_firm_file(path)
    assert "统计期" in str(caught.value) and "工作表「Sheet1」" in str(caught.value)


def test_an_export_without_period_columns_is_refused(tmp_path):
    path = workbook(tmp_path / "直报.xlsx", {"B204-1": [
        ["统一社会信用代码", "单位详细名称", "本月;工业总产值(当年价格);千元"],
        ["91330402155257628M", "甲公司", 100],
    ]})
    with pytest.raises(BadCell) as caught:
        parse_firm_file(path)
    assert "统计期" in str(caught.value) and "第 2 行" in str(caught.value)


def test_a_ledger_with_a_header_and_no_rows_is_empty(tmp_path):
    path = workbook(tmp_path / "东湖园区2024年3月企业.xlsx", {"3月": [
        ["企业名称", "统一社会信用代码", "工业总产值(万元)"], [None, "合计", None]]})
    with pytest.raises(EmptyFile):
        parse_firm_file(path)


def test_a_code_cell_saying_none_is_no_code_and_a_total_in_the_code_column_is_no_firm(tmp_path):
    path = workbook(tmp_path / "东湖园区2024年3月企业.xlsx", {"3月": [
        ["企业名称", "统一社会信用代码", "工业总产值(万元)"],
        ["壬公司", "无", 10],
        [None, "合计", 10],
    ]})
    parsed = parse_firm_file(path)
    assert list(parsed.identities["enterprise"]) == ["壬公司"]
    assert parsed.identities["credit_code"].isna().all()
    assert not [w for w in parsed.warnings if "代码" in w]
    assert any(s.row == 3 and "合计" in s.reason for s in parsed.skipped)


def test_one_firm_in_two_parks_of_a_ledger_for_one_month_is_refused(tmp_path):
    path = workbook(tmp_path / "企业台账.xlsx", {"2024年3月": [
        ["所属园区", "企业名称", "统一社会信用代码", "工业总产值(万元)"],
        ["东湖园区", "甲公司", "91330402155257628M", 10],
        ["西湖高新区", "甲公司", "91330402155257628M", 10],
    ]})
    with pytest.raises(BadCell) as caught:
        parse_firm_file(path)
    assert "两个园区" in str(caught.value) and "第 3 行" in str(caught.value) and "第 2 行" in str(caught.value)


def test_a_temporary_copy_is_read_under_the_name_the_user_gave(tmp_path):
    """The page saves an upload to a temporary path: the user's file name
    gives the type, the park and the period."""
    copy = tmp_path / "upload.tmp"
    copy.write_bytes((ENTERPRISE / "N5_规上工业企业名录（2025年4月）.xlsx").read_bytes())
    parsed = parse_firm_file(copy, file_name="N5_规上工业企业名录（2025年4月）.xlsx")
    assert parsed.file_name == "N5_规上工业企业名录（2025年4月）.xlsx"
    assert set(parsed.registers["valid_from"]) == {dt.date(2025, 4, 1)}


def test_one_value_given_by_two_sheets_the_later_wins_and_both_are_named(tmp_path):
    header = ["企业名称", "统一社会信用代码", "工业总产值1-本月(万元)"]
    path = workbook(tmp_path / "东湖园区企业.xlsx", {
        "2024年3月": [header, ["甲公司", "91330402155257628M", 100]],
        "2024年3月(修订)": [["东湖园区2024年3月企业（修订）"], header, ["甲公司", "91330402155257628M", 120]]})
    parsed = parse_firm_file(path)
    assert value(parsed, "甲公司", "output", "2024-03", "ytd") == 120
    warning = next(w for w in parsed.warnings if "出现两次" in w)
    assert "规上工业总产值" in warning and "2024年03月" in warning
    assert "工作表「2024年3月」第 2 行" in warning and "工作表「2024年3月(修订)」第 3 行" in warning


def test_sheets_read_once_give_what_the_file_gives():
    """A dispatcher reads a workbook once (tables.read_sheets), asks the
    enterprise readers, and gives the same sheets to the park readers on None."""
    from parkbench.ingest.enterprise import parse_firm_sheets
    from parkbench.ingest.tables import read_sheets

    data = (ENTERPRISE / "N6_主导产业目录.xlsx").read_bytes()
    parsed = parse_firm_sheets(read_sheets(data, "N6_主导产业目录.xlsx"), "N6_主导产业目录.xlsx")
    assert parsed.leading.equals(parse_firm_file(ENTERPRISE / "N6_主导产业目录.xlsx").leading)
    park = Path(__file__).parent / "fixtures" / "A_各园区主要经济指标_2024累计.xlsx"
    assert parse_firm_sheets(read_sheets(park.read_bytes(), park.name), park.name) is None


def test_an_organisation_code_that_disagrees_with_the_credit_code_is_one_warning(tmp_path):
    path = workbook(tmp_path / "直报3.xlsx", {"导出": [
        ["组织机构代码", "单位详细名称", "统一社会信用代码", "期别(年)", "期别(月)", "本月;工业总产值;千元"],
        ["999999999", "甲公司", "91330402155257628M", 2024, 1, 10],
        ["999999999", "甲公司", "91330402155257628M", 2024, 2, 10],
    ]})
    parsed = parse_firm_file(path)
    warnings = [w for w in parsed.warnings if "999999999" in w]
    assert len(warnings) == 1 and "第 2 行" in warnings[0] and "155257628" in warnings[0]
    assert set(parsed.values["org_code"]) == {"155257628"}  # the credit code's own
