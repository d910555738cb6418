"""The shapes of input-formats.md "More layouts users have" (F1, F2, G, H,
I, J, K, L), each as small files generated here, with the values a correct
reader must store worked out by hand: both month orders, GBK and UTF-8,
万元 and 亿元, traditional script in merged headers, a ``—`` gap, and every
workbook shape also as .xls (Excel 97-2003, written with xlwt).

Keys are (park, indicator, 'YYYY-MM', basis).
"""

from __future__ import annotations

import io
import math

import openpyxl
import pytest
import xlwt
from conftest import FIXTURES, flow

from parkbench import store
from parkbench.ingest import BadCell, NoHeader, parse_file

# ---------------------------------------------------------------- writers
# A sheet is (rows, merges); a merge is (first row, first col, last row, last col), 0-based.


def workbook(sheets: dict[str, tuple[list[list], list[tuple[int, int, int, int]]]], fmt: str) -> bytes:
    return _xls(sheets) if fmt == "xls" else _xlsx(sheets)


def _xlsx(sheets) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, (rows, merges) in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for r1, c1, r2, c2 in merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xls(sheets) -> bytes:
    wb = xlwt.Workbook(encoding="utf-8")
    for name, (rows, merges) in sheets.items():
        ws = wb.add_sheet(name)
        merged = {(r1, c1): (r2, c2) for r1, c1, r2, c2 in merges}
        covered = {(r, c) for r1, c1, r2, c2 in merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if (r, c) in merged:
                    r2, c2 = merged[(r, c)]
                    ws.write_merge(r, r2, c, c2, value)
                elif (r, c) not in covered and value is not None:
                    ws.write(r, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(lines: list[list], encoding: str, pad_to: int = 0) -> bytes:
    """CSV as the statistics system writes it, every line padded with commas to ``pad_to`` fields."""
    out = []
    for line in lines:
        cells = ["" if v is None else str(v) for v in line]
        cells += [""] * (pad_to - len(cells))
        out.append(",".join(cells))
    return ("\r\n".join(out) + "\r\n").encode(encoding)


def stored(parsed) -> dict[tuple[str, str, str, str], float]:
    return {(r.park, r.indicator, f"{r.period:%Y-%m}", r.basis): r.value for r in parsed.observations.itertuples()}


def growth(parsed) -> dict[tuple[str, str, str, str], float]:
    return {(r.park, r.indicator, f"{r.period:%Y-%m}", r.basis): r.value for r in parsed.growth.itertuples()}


def close(got: dict, want: dict) -> None:
    for key, value in want.items():
        assert key in got, f"missing {key}; got {sorted(got)}"
        assert math.isclose(got[key], value, rel_tol=1e-9, abs_tol=1e-9), f"{key}: {got[key]} != {value}"


WORKBOOK_FORMATS = ["xlsx", "xls"]
ORDERS = ["oldest_first", "newest_first"]


def ordered(columns: list, order: str) -> list:
    return columns if order == "oldest_first" else list(reversed(columns))


# ---------------------------------------------------------------- F1: a park's ledger, months across


def f1_book(order: str, unit: str = "万元") -> dict:
    months = ordered([("1月", 100, 10, 500), ("2月", 110, "—", 500), ("3月", 120, 12, 520)], order)
    month_sheet = [
        ["示例园区2024年主要经济指标月度台账（本月数）"],
        ["指标", "单位", *[m[0] for m in months]],
        ["规上工业总产值", unit, *[m[1] for m in months]],
        ["税收收入", "万元", *[m[2] for m in months]],
        ["用地面积", "亩", *[m[3] for m in months]],
        [],
        ["填报单位：示例园区管委会", None, None, "填报人："],
    ]
    cumul = ordered([("1月", 100, 10), ("1-2月", 210, 21), ("1-3月", 330, 33)], order)
    ytd_sheet = [
        ["示例园区2024年主要经济指标月度台账（累计数）"],
        ["指标", "单位", *[m[0] for m in cumul]],
        ["规上工业总产值", unit, *[m[1] for m in cumul]],
        ["税收收入", "万元", *[m[2] for m in cumul]],
        ["注：累计数为当年1月至当月累计。"],
    ]
    return {"本月": (month_sheet, [(0, 0, 0, 4)]), "累计": (ytd_sheet, [(0, 0, 0, 4)])}


@pytest.mark.parametrize("fmt", WORKBOOK_FORMATS)
@pytest.mark.parametrize("order", ORDERS)
def test_f1_ledger(fmt, order):
    parsed = parse_file(workbook(f1_book(order), fmt), f"台账.{fmt}")
    assert parsed.family == "F1"
    got = stored(parsed)
    close(got, {
        ("示例园区", "output", "2024-01", "month"): 100, ("示例园区", "output", "2024-03", "month"): 120,
        ("示例园区", "output", "2024-01", "ytd"): 100, ("示例园区", "output", "2024-02", "ytd"): 210,
        ("示例园区", "output", "2024-03", "ytd"): 330, ("示例园区", "tax", "2024-01", "month"): 10,
        ("示例园区", "tax", "2024-03", "ytd"): 33, ("示例园区", "land_area", "2024-03", "stock"): 520,
    })
    assert ("示例园区", "tax", "2024-02", "month") not in got  # the — is not reported, never zero
    assert all(k[0] == "示例园区" for k in got)  # the signature line is no indicator, no park


def test_f1_gap_filled_from_cumulatives(fresh_db):
    parsed = parse_file(workbook(f1_book("newest_first"), "xlsx"), "台账.xlsx")
    store.save(fresh_db, parsed, b"f1")
    assert flow(fresh_db, "示例园区", "tax", "2024-02") == (pytest.approx(11.0), pytest.approx(21.0))  # 21 − 10


@pytest.mark.parametrize("fmt", WORKBOOK_FORMATS)
def test_f1_money_in_yi_yuan(fmt):
    book = f1_book("oldest_first", unit="亿元")
    parsed = parse_file(workbook(book, fmt), f"台账.{fmt}")
    close(stored(parsed), {("示例园区", "output", "2024-02", "month"): 110 * 10000,
                           ("示例园区", "output", "2024-03", "ytd"): 330 * 10000})


def test_f1_without_a_year_is_refused_naming_the_sheet():
    book = f1_book("oldest_first")
    rows, merges = book["本月"]
    rows[0] = ["示例园区主要经济指标月度台账（本月数）"]
    with pytest.raises(NoHeader) as err:
        parse_file(workbook({"本月": (rows, merges)}, "xlsx"), "台账.xlsx")
    assert "年份" in str(err.value) and "本月" in str(err.value)


# ---------------------------------------------------------------- F2: statistics-system export


def f2_lines(indicator_line: str, order: str, parks=(("甲园区", ["", 2.1, 3.3]), ("乙园区", ["", 1.5, "—"]))):
    months = ordered(["2024年1月", "2024年2月", "2024年3月"], order)
    lines = [["数据库：园区月度数据"], [f"指标：{indicator_line}"], ["时间：最近3个月"], ["地区", *months]]
    for park, values in parks:
        lines.append([park, *ordered(values, order)])
    lines += [["注：1-2月数据合并发布，1月不单独发布。"], ["数据来源：园区统计监测平台"]]
    return lines


@pytest.mark.parametrize("encoding", ["gbk", "utf-8", "utf-8-sig"])
@pytest.mark.parametrize("order", ORDERS)
def test_f2_cumulative_in_yi_yuan(encoding, order):
    data = csv_bytes(f2_lines("规上工业总产值累计值(亿元)", order), encoding, pad_to=6)
    parsed = parse_file(data, "园区月度数据.csv")
    assert parsed.family == "F2"
    got = stored(parsed)
    assert got == {("甲园区", "output", "2024-02", "ytd"): pytest.approx(21000),
                   ("甲园区", "output", "2024-03", "ytd"): pytest.approx(33000),
                   ("乙园区", "output", "2024-02", "ytd"): pytest.approx(15000)}  # January empty, — not reported


@pytest.mark.parametrize("order", ORDERS)
def test_f2_month_values_in_wan_yuan(order):
    parsed = parse_file(csv_bytes(f2_lines("税收收入当期值(万元)", order), "gbk"), "税收.csv")
    close(stored(parsed), {("甲园区", "tax", "2024-02", "month"): 2.1, ("甲园区", "tax", "2024-03", "month"): 3.3})


def test_f2_growth_is_reported_growth_not_a_level():
    parsed = parse_file(csv_bytes(f2_lines("规上工业总产值累计增长(%)", "newest_first"), "gbk"), "增长.csv")
    assert parsed.observations.empty
    assert growth(parsed) == {("甲园区", "output", "2024-02", "ytd"): pytest.approx(2.1),
                              ("甲园区", "output", "2024-03", "ytd"): pytest.approx(3.3),
                              ("乙园区", "output", "2024-02", "ytd"): pytest.approx(1.5)}


@pytest.mark.parametrize("fmt", WORKBOOK_FORMATS)
def test_f2_as_workbook(fmt):
    lines = f2_lines("主导产业产值累计值(万元)", "newest_first")
    rows = [[None if v == "" else v for v in line] for line in lines]
    parsed = parse_file(workbook({"园区月度数据": (rows, [])}, fmt), f"导出.{fmt}")
    assert parsed.family == "F2"
    close(stored(parsed), {("甲园区", "leading_output", "2024-03", "ytd"): 3.3})


@pytest.mark.parametrize("order", ORDERS)
def test_f2_other_orientation_one_park_indicators_in_rows(order):
    months = ordered(["2024年2月", "2024年3月"], order)
    lines = [["数据库：园区月度数据"], ["地区：確山縣產業集聚區"], ["时间：最近2个月"], ["指标", *months],
             ["规上工业总产值累计值(万元)", *ordered([500, 800], order)],
             ["税收收入当期值(万元)", *ordered([20, 30], order)],
             ["规上工业总产值累计增长(%)", *ordered([5.5, 6.0], order)],
             ["数据来源：园区统计监测平台"]]
    parsed = parse_file(csv_bytes(lines, "utf-8"), "确山.csv")
    assert parsed.family == "F2"
    assert stored(parsed) == {("确山县产业集聚区", "output", "2024-02", "ytd"): 500,
                              ("确山县产业集聚区", "output", "2024-03", "ytd"): 800,
                              ("确山县产业集聚区", "tax", "2024-02", "month"): 20,
                              ("确山县产业集聚区", "tax", "2024-03", "month"): 30}
    assert growth(parsed) == {("确山县产业集聚区", "output", "2024-02", "ytd"): 5.5,
                              ("确山县产业集聚区", "output", "2024-03", "ytd"): 6.0}


# ---------------------------------------------------------------- G: parks as column groups


def g_book(month: int, cumul_header: str) -> dict:
    rows = [
        [f"2024年{month}月重点园区主要经济指标"],
        ["指标", "单位", "確山縣產業集聚區", None, None, "寻甸特色产业园区", None, None],
        [None, None, "本月", cumul_header, "同比%", "本月", cumul_header, "同比%"],
        ["规上工业总产值", "万元", 300, 900, 5.5, 100, 250, -1.0],
        ["税收收入", "亿元", 0.5, 1.2, "—", 0.1, 0.3, 2.0],
        ["规上企业数", "户", 42, None, None, 31, None, None],
        ["用地面积", "平方公里", 10, None, None, 8, None, None],
        [],
        ["注：同比增速按可比口径计算；用地面积、企业数为期末数。"],
    ]
    merges = [(0, 0, 0, 7), (1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 1, 4), (1, 5, 1, 7)]
    return {f"2024年{month}月": (rows, merges)}


@pytest.mark.parametrize("fmt", WORKBOOK_FORMATS)
def test_g_parks_as_column_groups(fmt):
    parsed = parse_file(workbook(g_book(3, "1-3月"), fmt), f"分园区列组.{fmt}")
    assert parsed.family == "G"
    got = stored(parsed)
    close(got, {
        ("确山县产业集聚区", "output", "2024-03", "month"): 300, ("确山县产业集聚区", "output", "2024-03", "ytd"): 900,
        ("寻甸特色产业园区", "output", "2024-03", "ytd"): 250,
        ("确山县产业集聚区", "tax", "2024-03", "month"): 5000, ("寻甸特色产业园区", "tax", "2024-03", "ytd"): 3000,
        ("确山县产业集聚区", "enterprises", "2024-03", "stock"): 42,
        ("确山县产业集聚区", "land_area", "2024-03", "stock"): 15000,
        ("寻甸特色产业园区", "land_area", "2024-03", "stock"): 12000,
    })
    assert len(got) == 12
    assert growth(parsed) == {("确山县产业集聚区", "output", "2024-03", "ytd"): 5.5,
                              ("寻甸特色产业园区", "output", "2024-03", "ytd"): -1.0,
                              ("寻甸特色产业园区", "tax", "2024-03", "ytd"): 2.0}


def test_g_january_cumulative_headed_just_1_month():
    parsed = parse_file(workbook(g_book(1, "1月"), "xlsx"), "g.xlsx")
    close(stored(parsed), {("确山县产业集聚区", "output", "2024-01", "ytd"): 900,
                           ("确山县产业集聚区", "output", "2024-01", "month"): 300})


# ---------------------------------------------------------------- H: two-row merged header, parks in rows


def h_book(park_header: str) -> dict:
    rows = [
        ["2023年1-3月各开发区主要指标完成情况"],
        ["序号", park_header, "規上工業總產值（億元）", None, None, "税收（万元）", None, None, "用地面积（亩）"],
        [None, None, "本月", "1-3月累计", "同比±%", "本月", "1-3月累计", "同比±%", None],
        [1, "甲开发区", 1.5, 4.0, 3.2, 50, 150, -2.0, 9000],
        [2, "乙开发区", 2.5, "—", 1.0, 70, 200, 4.5, 12000],
        [None, "合计", 4.0, 4.0, None, 120, 350, None, 21000],
        [],
        ["制表单位：市工业和信息化局", None, None, None, None, None, "制表日期：2023年4月8日"],
    ]
    merges = [(0, 0, 0, 8), (1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 1, 4), (1, 5, 1, 7), (1, 8, 2, 8)]
    return {"3月": (rows, merges)}


@pytest.mark.parametrize("fmt", WORKBOOK_FORMATS)
@pytest.mark.parametrize("park_header", ["单位名称", "开发区名称", "县（市、区）", "地区"])
def test_h_two_row_header(fmt, park_header):
    parsed = parse_file(workbook(h_book(park_header), fmt), f"双行表头.{fmt}")
    assert parsed.family == "H"
    got = stored(parsed)
    assert got == {
        ("甲开发区", "output", "2023-03", "month"): 15000, ("甲开发区", "output", "2023-03", "ytd"): 40000,
        ("甲开发区", "tax", "2023-03", "month"): 50, ("甲开发区", "tax", "2023-03", "ytd"): 150,
        ("甲开发区", "land_area", "2023-03", "stock"): 9000,
        ("乙开发区", "output", "2023-03", "month"): 25000,
        ("乙开发区", "tax", "2023-03", "month"): 70, ("乙开发区", "tax", "2023-03", "ytd"): 200,
        ("乙开发区", "land_area", "2023-03", "stock"): 12000,
    }  # the 合计 row is no park; 乙's — is not reported
    assert growth(parsed) == {("甲开发区", "output", "2023-03", "ytd"): 3.2, ("甲开发区", "tax", "2023-03", "ytd"): -2.0,
                              ("乙开发区", "output", "2023-03", "ytd"): 1.0, ("乙开发区", "tax", "2023-03", "ytd"): 4.5}


# ---------------------------------------------------------------- J: quarterly cumulative sheets


def j_book() -> dict:
    def sheet(word, output, prior, tax):
        return ([[f"示例园区2023年{word}主要经济指标"], [None, None, None, None, "填报日期：2023年4月10日"],
                 ["指标", "单位", "本年累计", "去年同期", "增速(%)"],
                 ["规上工业总产值", "万元", output, prior, 1.5],
                 ["税收收入", "万元", tax, None, None],
                 ["注：增速按可比口径计算。"]], [(0, 0, 0, 4)])
    return {"一季度": sheet("一季度", 300, 280, 30), "上半年": sheet("上半年", 650, 600, 61),
            "前三季度": sheet("前三季度", 990, 930, 90), "全年": sheet("全年", 1400, 1300, 130)}


@pytest.mark.parametrize("fmt", WORKBOOK_FORMATS)
def test_j_quarters(fmt, fresh_db):
    parsed = parse_file(workbook(j_book(), fmt), f"分季度.{fmt}")
    assert parsed.family == "J"
    got = stored(parsed)
    close(got, {("示例园区", "output", "2023-03", "ytd"): 300, ("示例园区", "output", "2023-06", "ytd"): 650,
                ("示例园区", "output", "2023-09", "ytd"): 990, ("示例园区", "output", "2023-12", "ytd"): 1400,
                ("示例园区", "tax", "2023-12", "ytd"): 130})
    assert not any(basis == "month" for _, _, _, basis in got)
    store.save(fresh_db, parsed, b"j")
    assert flow(fresh_db, "示例园区", "output", "2023-03")[0] is None  # no month follows from quarter sheets
    assert flow(fresh_db, "示例园区", "output", "2023-06")[0] is None


# ---------------------------------------------------------------- K: Excel-number periods


def k_rows(periods: list, order: str) -> list[list]:
    body = [[p, "甲园区", 100 + i] for i, p in enumerate(periods)]
    return [["月份", "园区", "规上工业总产值(万元)"], *ordered(body, order)]


def k_csv(periods, order, encoding="gbk") -> bytes:
    return csv_bytes(k_rows(periods, order), encoding)


def months_of(parsed) -> dict[str, float]:
    return {k[2]: v for k, v in stored(parsed).items()}


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
@pytest.mark.parametrize("order", ORDERS)
def test_k_two_digit_months_make_1_october(order, encoding):
    periods = ["2024.01", "2024.02", "2024.09", "2024.1", "2024.12"]  # November skipped
    parsed = parse_file(k_csv(periods, order, encoding), "k.csv")
    assert parsed.family == "K"
    assert months_of(parsed) == {"2024-01": 100, "2024-02": 101, "2024-09": 102, "2024-10": 103, "2024-12": 104}


@pytest.mark.parametrize("order", ORDERS)
def test_k_one_digit_months_make_1_january(order):
    parsed = parse_file(k_csv(["2024.1", "2024.2", "2024.3", "2024.10", "2024.11"], order), "k.csv")
    assert months_of(parsed) == {"2024-01": 100, "2024-02": 101, "2024-03": 102, "2024-10": 103, "2024-11": 104}


@pytest.mark.parametrize("fmt", WORKBOOK_FORMATS)
def test_k_numbers_in_a_workbook(fmt):
    periods = [2023.11, 2023.12, 2024.01, 2024.02, 2024.1]  # Excel numbers: 2024.10 is stored as 2024.1
    parsed = parse_file(workbook({"Sheet1": (k_rows(periods, "oldest_first"), [])}, fmt), f"k.{fmt}")
    assert parsed.family == "K"
    assert months_of(parsed) == {"2023-11": 100, "2023-12": 101, "2024-01": 102, "2024-02": 103, "2024-10": 104}


def test_k_column_that_cannot_tell_is_refused_at_the_cell():
    with pytest.raises(BadCell) as err:
        parse_file(k_csv(["2024.1", "2024.11", "2024.12"], "oldest_first"), "k.csv")
    e = err.value
    assert (e.row, e.column, e.header) == (2, "A", "月份")
    assert "1 月还是 10 月" in e.reason and "依据" in e.reason


def test_k_mixed_digits_are_refused():
    with pytest.raises(BadCell) as err:
        parse_file(k_csv(["2024.01", "2024.2", "2024.03"], "oldest_first"), "k.csv")
    assert err.value.row == 3 and "两位" in err.value.reason and "一位" in err.value.reason


# ---------------------------------------------------------------- L: basic facts as of 截至


@pytest.mark.parametrize("fmt", WORKBOOK_FORMATS)
def test_l_basic_facts(fmt, fresh_db):
    rows = [["全市工业园区基本情况表"],
            ["序号", "开发区名称", "规划面积（平方公里）", "已供工业用地（公顷）", "截至"],
            [1, "甲园区", 18, 600, "2023年12月31日"],
            [2, "乙园区", 14, 500, "2023年底"],
            [3, "丙园区", 10, 400, "2022年末"],
            ["注：规划面积为批复的园区规划面积。"]]
    parsed = parse_file(workbook({"园区基本情况": (rows, [(0, 0, 0, 4)])}, fmt), f"基本情况.{fmt}")
    assert parsed.family == "L"
    assert stored(parsed) == {
        ("甲园区", "land_area", "2023-12", "stock"): pytest.approx(9000),
        ("乙园区", "land_area", "2023-12", "stock"): pytest.approx(7500),
        ("丙园区", "land_area", "2022-12", "stock"): pytest.approx(6000),
        ("甲园区", "规划面积", "2023-12", "stock"): pytest.approx(27000),
        ("乙园区", "规划面积", "2023-12", "stock"): pytest.approx(21000),
        ("丙园区", "规划面积", "2022-12", "stock"): pytest.approx(15000),
    }


def test_l_as_of_note_for_the_whole_sheet():
    rows = [["全市工业园区基本情况（截至2023年末）"], ["园区", "已供工业用地（亩）"], ["甲园区", 8000]]
    parsed = parse_file(workbook({"基本情况": (rows, [])}, "xlsx"), "基本情况.xlsx")
    assert stored(parsed) == {("甲园区", "land_area", "2023-12", "stock"): 8000}


# ---------------------------------------------------------------- detection stays honest


@pytest.mark.parametrize("path", sorted(p for p in FIXTURES.iterdir() if p.suffix in (".xlsx", ".csv")),
                         ids=lambda p: p.name)
def test_v1_samples_keep_their_family(path):
    parsed = parse_file(path.read_bytes(), path.name)
    assert parsed.family == path.name[0]


def test_header_not_found_names_rows_and_what_was_looked_for():
    data = csv_bytes([["甲", "乙"], ["1", "2"], ["3", "4"]], "utf-8")
    with pytest.raises(NoHeader) as err:
        parse_file(data, "无表头.csv")
    text = str(err.value)
    assert "无表头.csv" in text and "工作表" in text
    assert "第 1–3 行" in text
    for looked_for in ("园区名称", "地区", "指标：", "1-N月"):
        assert looked_for in text
    assert "第 1 行（甲、乙）" in text


def test_a_sheet_with_a_jiezhi_footnote_stays_family_a():
    rows = [["2024年1-3月全市工业园区主要经济指标"], ["序号", "园区名称", "税收收入(万元)", "用地面积(亩)"],
            [1, "甲园区", 100, 1200], ["注：数据截至2024年3月底。"]]
    parsed = parse_file(workbook({"1-3月": (rows, [])}, "xlsx"), "a.xlsx")
    assert parsed.family == "A"
    assert stored(parsed)[("甲园区", "tax", "2024-03", "ytd")] == 100


def test_f2_indicator_with_underscore_before_its_suffix():
    parsed = parse_file(csv_bytes(f2_lines("规模以上工业总产值_累计值(万元)", "oldest_first"), "gbk"), "x.csv")
    close(stored(parsed), {("甲园区", "output", "2024-03", "ytd"): 3.3})


def test_h_park_header_written_again_in_the_second_row():
    rows, merges = h_book("单位名称")["3月"]
    rows[2] = [None, "单位名称", *rows[2][2:]]
    parsed = parse_file(workbook({"3月": (rows, [m for m in merges if m != (1, 1, 2, 1)])}, "xlsx"), "h.xlsx")
    assert parsed.family == "H"
    close(stored(parsed), {("甲开发区", "output", "2023-03", "ytd"): 40000})


def test_l_text_columns_are_not_measures():
    rows = [["序号", "园区名称", "园区级别", "已供工业用地（亩）", "截止日期"],
            [1, "甲园区", "省级", 5000, "2024年6月30日"]]
    parsed = parse_file(workbook({"基本情况": (rows, [])}, "xlsx"), "基本情况.xlsx")
    assert stored(parsed) == {("甲园区", "land_area", "2024-06", "stock"): 5000}


def test_xls_name_on_a_text_export_is_read_as_text():
    data = csv_bytes(f2_lines("税收收入累计值(万元)", "newest_first"), "gbk").replace(b",", b"\t")
    parsed = parse_file(data, "portal.xls")
    close(stored(parsed), {("甲园区", "tax", "2024-03", "ytd"): 3.3})


def test_xls_name_on_a_web_page_is_refused_in_chinese():
    from parkbench.ingest import UnreadableFile

    with pytest.raises(UnreadableFile) as err:
        parse_file(b"<html><body><table><tr><td>x</td></tr></table></body></html>", "portal.xls")
    assert "网页" in str(err.value) and "portal.xls" in str(err.value)


def test_h_units_from_a_note_and_the_park_column_preferred_over_the_county():
    rows = [["2023年1-3月各开发区主要指标完成情况"], ["单位：亿元、亩"],
            ["序号", "县（市、区）", "开发区名称", "规上工业总产值", None, "用地面积"],
            [None, None, None, "本月", "1-3月累计", None],
            [1, "确山县", "确山县产业集聚区", 1.5, 4.0, 15000]]
    parsed = parse_file(workbook({"3月": (rows, [])}, "xlsx"), "h.xlsx")
    assert parsed.family == "H"
    assert stored(parsed) == {("确山县产业集聚区", "output", "2023-03", "month"): 15000,
                              ("确山县产业集聚区", "output", "2023-03", "ytd"): 40000,
                              ("确山县产业集聚区", "land_area", "2023-03", "stock"): 15000}
