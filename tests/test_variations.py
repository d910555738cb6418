"""The variations of input-formats.md ("What varies inside a family"), each as
a small file generated here and the values a correct reader must store.

Golden style: a new case is a new ``Case`` entry in ``CASES``. Keys are
(park, indicator, 'YYYY-MM', basis); ``absent`` keys must not be stored at all
(not reported is never zero, totals are never parks, plan ratios are not
values).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from conftest import xlsx_bytes

from parkbench.ingest import parse_file

# ---------------------------------------------------------------- builders


def xlsx(sheets: dict[str, list[list]]) -> Callable[[], bytes]:
    return lambda: xlsx_bytes(sheets)


def csv_text(rows: list[list], encoding: str) -> Callable[[], bytes]:
    def make() -> bytes:
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(rows)
        return buf.getvalue().encode(encoding)
    return make


A_HEADER = ["序号", "园区名称", "规上工业总产值(万元)", "同比增长(%)", "税收收入(万元)", "同比增长(%)",
            "主导产业产值(万元)", "用地面积(亩)", "规上企业(户)"]


def a_sheet(title: str, rows: list[list], header: list | None = None,
            note: str | None = "单位：万元、亩、户") -> list[list]:
    out = [[title]]
    if note is not None:
        out.append([note])
    out.append(header or A_HEADER)
    out.extend(rows)
    out.append([None, "合计", 999999, None, 99999])
    out.append([])
    out.append(["注：数据来源于各园区管委会统计月报。"])
    return out


A_ROW_1 = [1, "甲园区", 1000.5, 5.5, 100, -2.5, 600, 1200, 30]
A_ROW_2 = [2, "乙园区", 2000, 10, 200, 3, 800, 3000, 40]


def a_values(month: str, park: str = "甲园区", output=1000.5, tax=100.0, land=1200.0, firms=30.0) -> dict:
    return {(park, "output", month, "ytd"): output, (park, "tax", month, "ytd"): tax,
            (park, "land_area", month, "stock"): land, (park, "enterprises", month, "stock"): firms}


B_HEADER = ["指标名称", "计量单位", "本月", "1-2月累计", "上年同期累计", "同比增长(%)"]
B_SIGN = ["单位负责人：            统计负责人：            填表人："]


def b_sheet(title: str, rows: list[list], header: list | None = None) -> list[list]:
    return [[title], [None, None, None, None, None, "填报日期：2023年3月5日"], header or B_HEADER, *rows, [], B_SIGN]


B_ROWS = [
    ["规上工业总产值", "亿元", "3.1059", "6.1360", "5.5100", "11.4"],
    ["税收", "万元", "675.5", "1,276.5", "1,216.3", "4.9"],
]
B_VALUES = {
    ("泌阳县产业集聚区", "output", "2023-02", "month"): 31059.0,
    ("泌阳县产业集聚区", "output", "2023-02", "ytd"): 61360.0,
    ("泌阳县产业集聚区", "output", "2023-02", "ytd_prior"): 55100.0,
    ("泌阳县产业集聚区", "tax", "2023-02", "month"): 675.5,
    ("泌阳县产业集聚区", "tax", "2023-02", "ytd"): 1276.5,
    ("泌阳县产业集聚区", "tax", "2023-02", "ytd_prior"): 1216.3,
}
B_GROWTH = {("泌阳县产业集聚区", "output", "2023-02", "ytd"): 11.4, ("泌阳县产业集聚区", "tax", "2023-02", "ytd"): 4.9}
B_TITLE = "泌阳县产业集聚区2023年2月主要经济指标完成情况"


@dataclass
class Case:
    id: str
    file_name: str
    make: Callable[[], bytes]
    values: dict = field(default_factory=dict)
    growth: dict = field(default_factory=dict)
    absent: tuple = ()
    family: str | None = None
    warnings: tuple = ()  # texts some warning must hold


# ---------------------------------------------------------------- family A

CASES = [
    Case("A-basic", "各园区.xlsx", xlsx({"2024年1-3月": a_sheet("2024年1-3月全市工业园区主要经济指标", [A_ROW_1, A_ROW_2])}),
         values={**a_values("2024-03"), ("甲园区", "leading_output", "2024-03", "ytd"): 600.0,
                 **a_values("2024-03", "乙园区", 2000, 200, 3000, 40)},
         growth={("甲园区", "output", "2024-03", "ytd"): 5.5, ("甲园区", "tax", "2024-03", "ytd"): -2.5},
         absent=(("合计", "output", "2024-03", "ytd"), ("甲园区", "output", "2024-03", "month")), family="A"),
    Case("A-1-2月-is-february-ytd-only", "a.xlsx", xlsx({"2024年1-2月": a_sheet("2024年1-2月主要经济指标", [A_ROW_1])}),
         values=a_values("2024-02"),
         absent=(("甲园区", "output", "2024-01", "ytd"), ("甲园区", "output", "2024-02", "month"))),
    *[Case(f"A-period-sheet-{sheet}", "a.xlsx", xlsx({sheet: a_sheet(title, [A_ROW_1])}), values=a_values(month))
      for sheet, title, month in [
          ("1-3月", "2024年全市工业园区主要经济指标", "2024-03"),
          ("2024.3", "全市工业园区主要经济指标", "2024-03"),
          ("2024-05", "全市工业园区主要经济指标", "2024-05"),
          ("Sheet1", "2024年1—4月全市工业园区主要经济指标", "2024-04"),
          ("Sheet1", "2024年一季度全市工业园区主要经济指标", "2024-03"),
          ("Sheet1", "2024年上半年全市工业园区主要经济指标", "2024-06"),
          ("Sheet1", "2024年前三季度全市工业园区主要经济指标", "2024-09"),
          ("Sheet1", "2024年10月全市工业园区主要经济指标", "2024-10"),
          ("Sheet1", "２０２４年１－１１月全市工业园区主要经济指标", "2024-11"),
          ("上半年", "2024年全市工业园区主要经济指标", "2024-06"),
      ]],
    Case("A-traditional-fullwidth", "a.xlsx", xlsx({"2024年1-3月": a_sheet(
        "２０２４年１－３月全市工業園區主要經濟指標",
        [[1, "確山縣產業集聚區", "１，０００．５", None, "１００", None, None, "１２００", "３０"]],
        header=["序號", "園區名稱", "規上工業總產值（萬元）", "同比增長（％）", "稅收收入（萬元）", "同比增長（％）",
                "主導產業產值（萬元）", "用地面積（畝）", "規上企業（戶）"])}),
        values=a_values("2024-03", "确山县产业集聚区")),
    Case("A-units-in-header", "a.xlsx", xlsx({"2024年1-3月": a_sheet("2024年1-3月", [
        [1, "甲园区", 10005000, 0.01, 1.2, 80, 3000000, 30]],
        header=["序号", "园区名称", "规上工业总产值(元)", "税收收入(亿元)", "用地面积(公顷)", "工业用地面积(平方公里)",
                "建成区面积(平方米)", "规上企业(家)"], note=None)}),
        values={("甲园区", "output", "2024-03", "ytd"): 1000.5, ("甲园区", "tax", "2024-03", "ytd"): 100.0,
                # Two land columns: the more specific 工业用地面积 is the land (80 km² = 120000 亩),
                # 用地面积 keeps its own name (1.2 ha = 18 亩), 建成区面积 keeps its own name.
                ("甲园区", "land_area", "2024-03", "stock"): 80 * 1500,
                ("甲园区", "用地面积", "2024-03", "stock"): 1.2 * 15,
                ("甲园区", "建成区面积", "2024-03", "stock"): 3000000 / 666.67,
                ("甲园区", "enterprises", "2024-03", "stock"): 30.0}),
    Case("A-units-from-note", "a.xlsx", xlsx({"2024年1-3月": a_sheet("2024年1-3月", [
        [1, "甲园区", 0.10005, 0.01, 80, 30]], header=["序号", "园区名称", "规上工业总产值", "税收收入", "用地面积", "规上企业"],
        note="单位：亿元、公顷、个")}),
        values={("甲园区", "output", "2024-03", "ytd"): 1000.5, ("甲园区", "tax", "2024-03", "ytd"): 100.0,
                ("甲园区", "land_area", "2024-03", "stock"): 1200.0, ("甲园区", "enterprises", "2024-03", "stock"): 30.0}),
    Case("A-people-and-thousand-yuan", "a.xlsx", xlsx({"2024年1-3月": a_sheet("2024年1-3月", [
        [1, "甲园区", 10005, 1.2]], header=["序号", "园区名称", "税收收入(千元)", "从业人员(万人)"], note=None)}),
        values={("甲园区", "tax", "2024-03", "ytd"): 1000.5, ("甲园区", "employees", "2024-03", "stock"): 12000.0}),
    Case("A-numbers-as-text-and-missing-marks", "a.xlsx", xlsx({"2024年1-3月": a_sheet("2024年1-3月", [
        [1, "甲园区", " 1,000.5 ", "5.5%", "—", "-", "/", "1,200", "30"],
        [2, "乙园区", "…", None, "未填报", None, "", "3000", " "]])}),
        values={("甲园区", "output", "2024-03", "ytd"): 1000.5, ("甲园区", "land_area", "2024-03", "stock"): 1200.0,
                ("乙园区", "land_area", "2024-03", "stock"): 3000.0},
        growth={("甲园区", "output", "2024-03", "ytd"): 5.5},
        absent=(("甲园区", "tax", "2024-03", "ytd"), ("甲园区", "leading_output", "2024-03", "ytd"),
                ("乙园区", "output", "2024-03", "ytd"), ("乙园区", "tax", "2024-03", "ytd"),
                ("乙园区", "enterprises", "2024-03", "stock"))),
    Case("A-total-rows-never-parks", "a.xlsx", xlsx({"2024年1-3月": a_sheet("2024年1-3月", [
        A_ROW_1, [None, "小计", 5, None, 5], [None, "總計", 5, None, 5], [None, "全市", 5, None, 5],
        [None, "全 县", 5, None, 5]])}),
        values=a_values("2024-03"),
        absent=tuple((p, "output", "2024-03", "ytd") for p in ("小计", "总计", "全市", "全县"))),
    Case("A-growth-spellings-and-plan-ratio", "a.xlsx", xlsx({"2024年1-3月": a_sheet("2024年1-3月", [
        [1, "甲园区", 1000.5, 5.5, 20.1, 100, "-2.5", 30.2]],
        header=["序号", "园区名称", "规上工业总产值(万元)", "增速", "完成年计划%", "税收收入(万元)", "±%", "占年任务%"])}),
        values={("甲园区", "output", "2024-03", "ytd"): 1000.5, ("甲园区", "tax", "2024-03", "ytd"): 100.0},
        growth={("甲园区", "output", "2024-03", "ytd"): 5.5, ("甲园区", "tax", "2024-03", "ytd"): -2.5},
        absent=(("甲园区", "完成年计划%", "2024-03", "ytd"), ("甲园区", "占年任务%", "2024-03", "ytd"))),
    Case("A-unknown-indicator-kept", "a.xlsx", xlsx({"2024年1-3月": a_sheet("2024年1-3月", [
        [1, "甲园区", 1000.5, 7.5, "国家级"]],
        header=["序号", "园区名称", "规上工业总产值(万元)", "新产品产值(万元)", "园区级别"])}),
        values={("甲园区", "output", "2024-03", "ytd"): 1000.5, ("甲园区", "新产品产值", "2024-03", "ytd"): 7.5}),
    Case("A-title-wins-over-sheet-name", "a.xlsx", xlsx({"2024年1-2月": a_sheet("2024年1-3月主要经济指标", [A_ROW_1])}),
         values=a_values("2024-03"), absent=(("甲园区", "output", "2024-02", "ytd"),),
         warnings=("工作表「2024年1-2月」的名称与标题中的统计期",)),
    Case("A-several-sheets", "a.xlsx", xlsx({
        "2024年1-2月": a_sheet("2024年1-2月", [A_ROW_1]),
        "2024年1-3月": a_sheet("2024年1-3月", [[1, "甲园区", 1500, None, 150, None, None, 1300, 31]])}),
        values={**a_values("2024-02"), **a_values("2024-03", output=1500, tax=150, land=1300, firms=31)}),
    Case("A-one-sheet-per-park", "各园区.xlsx", xlsx({
        "甲园区": [["甲园区2024年主要经济指标"], ["单位：万元"], ["序号", "月份", "规上工业总产值", "税收收入"],
                 [1, "1-2月", 1000.5, 100], [2, "1-3月", 1500, 150], [None, "注：快报数"]],
        "乙园区": [["2024年主要经济指标"], ["月份", "规上工业总产值(万元)"], ["2024年1-2月", 2000]]}),
        values={("甲园区", "output", "2024-02", "ytd"): 1000.5, ("甲园区", "tax", "2024-03", "ytd"): 150.0,
                ("乙园区", "output", "2024-02", "ytd"): 2000.0}, family="A"),
    *[Case(f"A-csv-{encoding}", f"各园区_{encoding}.csv",
           csv_text(a_sheet("2024年1-3月全市工业园区主要经济指标", [
               [1, "確山縣產業集聚區", "1,000.5", "5.5", "100", "-2.5", "600", "1200", "30"]]), encoding),
           values=a_values("2024-03", "确山县产业集聚区"),
           growth={("确山县产业集聚区", "output", "2024-03", "ytd"): 5.5}, family="A")
      for encoding in ("utf-8", "utf-8-sig", "gbk")],
]

# ---------------------------------------------------------------- family B

CASES += [
    Case("B-basic", "泌阳产业集聚区统计月报2023.xlsx", xlsx({"2月": b_sheet(B_TITLE, B_ROWS)}),
         values=B_VALUES, growth=B_GROWTH, family="B"),
    Case("B-park-and-year-from-file-name", "B_泌阳县产业集聚区统计月报2023.xlsx",
         xlsx({"2月": b_sheet("2月主要经济指标完成情况", B_ROWS)}), values=B_VALUES, growth=B_GROWTH),
    Case("B-traditional-fullwidth", "b.xlsx", xlsx({"2月": b_sheet(
        "泌陽縣產業集聚區２０２３年２月主要經濟指標完成情況",
        [["規上工業總產值", "億元", "３．１０５９", "６．１３６０", "５．５１００", "１１．４"],
         ["稅收", "萬元", "６７５．５", "１，２７６．５", "１，２１６．３", "４．９"]],
        header=["指標名稱", "計量單位", "本月", "１－２月累計", "上年同期累計", "同比增長（％）"])}),
        values=B_VALUES, growth=B_GROWTH),
    *[Case(f"B-header-{'-'.join(h[2:])}", "b.xlsx", xlsx({"2月": b_sheet(B_TITLE, B_ROWS, header=h)}),
           values=B_VALUES, growth=B_GROWTH)
      for h in [
          ["指标", "单位", "当月", "1-本月", "去年同期", "增长%"],
          ["项目", "计量单位", "本月", "本年累计", "同期", "增速"],
          ["指标名称", "单位", "当月", "累计", "上年同期", "±%"],
          ["指标名称", "单位", "本月", "1—2月", "上年同期", "比上年同期"],
      ]],
    Case("B-plan-ratio-is-not-growth", "b.xlsx", xlsx({"2月": b_sheet(B_TITLE, [
        ["规上工业总产值", "亿元", "3.1059", "6.1360", "5.5100", "11.4", "15.2"],
        ["税收", "万元", "675.5", "1,276.5", "1,216.3", "4.9", "20.0"]],
        header=[*B_HEADER, "完成年计划%"])}), values=B_VALUES, growth=B_GROWTH),
    Case("B-task-ratio-before-growth", "b.xlsx", xlsx({"2月": b_sheet(B_TITLE, [
        ["规上工业总产值", "亿元", "3.1059", "6.1360", "15.2", "5.5100", "11.4"]],
        header=["指标名称", "计量单位", "本月", "1-2月累计", "占年任务%", "上年同期累计", "同比增长(%)"])}),
        values={k: v for k, v in B_VALUES.items() if k[1] == "output"},
        growth={("泌阳县产业集聚区", "output", "2023-02", "ytd"): 11.4}),
    Case("B-units-per-row", "b.xlsx", xlsx({"2月": b_sheet(B_TITLE, [
        ["税收", "千元", "6755", None, None, None],
        ["用地面积", "公顷", 693.33, None, None, None],
        ["建成区面积", "平方公里", 0.8, None, None, None],
        ["规上企业数", "个", 31, None, None, None],
        ["从业人员", "人", 5000, None, None, None],
        ["利润总额(万元)", None, "12", None, None, None]])}),
        values={("泌阳县产业集聚区", "tax", "2023-02", "month"): 675.5,
                # 693.33 公顷 × 15; 建成区面积 (0.8 km² = 1200 亩) is another area, never the land.
                ("泌阳县产业集聚区", "land_area", "2023-02", "stock"): 693.33 * 15,
                ("泌阳县产业集聚区", "建成区面积", "2023-02", "stock"): 1200.0,
                ("泌阳县产业集聚区", "enterprises", "2023-02", "stock"): 31.0,
                ("泌阳县产业集聚区", "employees", "2023-02", "stock"): 5000.0,
                ("泌阳县产业集聚区", "profit", "2023-02", "month"): 12.0}),
    Case("B-sub-rows-are-indicators", "b.xlsx", xlsx({"2月": b_sheet(B_TITLE, [
        ["固定资产投资", "万元", "16,541.0", "32,759.3", "25,749.6", "27.2"],
        ["#工业投资", "万元", "10,000", "20,000", "15,000", "33.3"],
        ["其中：技改投资", "万元", "1,000", "2,000", "1,500", "33.3"],
        ["  其中：", None, None, None, None, None],
        ["基础设施投资", "万元", "500", "900", "800", "12.5"]])}),
        values={("泌阳县产业集聚区", "fixed_investment", "2023-02", "ytd"): 32759.3,
                ("泌阳县产业集聚区", "industrial_investment", "2023-02", "ytd"): 20000.0,
                ("泌阳县产业集聚区", "industrial_investment", "2023-02", "ytd_prior"): 15000.0,
                ("泌阳县产业集聚区", "tech_investment", "2023-02", "month"): 1000.0,
                ("泌阳县产业集聚区", "infra_investment", "2023-02", "ytd"): 900.0},
        growth={("泌阳县产业集聚区", "industrial_investment", "2023-02", "ytd"): 33.3}),
    Case("B-growth-only-rows", "b.xlsx", xlsx({"2月": b_sheet(B_TITLE, [
        ["规上工业增加值", "万元", "—", "—", "—", "8.5"],
        ["利润总额增速", "%", None, "9.1", None, None],
        ["营业收入", "%", None, "6.0", None, None]])}),
        growth={("泌阳县产业集聚区", "value_added", "2023-02", "ytd"): 8.5,
                ("泌阳县产业集聚区", "profit", "2023-02", "ytd"): 9.1,
                ("泌阳县产业集聚区", "revenue", "2023-02", "ytd"): 6.0},
        absent=(("泌阳县产业集聚区", "value_added", "2023-02", "ytd"),
                ("泌阳县产业集聚区", "value_added", "2023-02", "month"),
                ("泌阳县产业集聚区", "revenue", "2023-02", "ytd"))),
    Case("B-profit-to-previous-month", "b.xlsx", xlsx({"3月": b_sheet(
        "泌阳县产业集聚区2023年3月主要经济指标完成情况",
        [["利润总额(1-上月)", "万元", None, "820", "700", "17.1"]],
        header=["指标名称", "计量单位", "本月", "1-3月累计", "上年同期累计", "同比增长(%)"])}),
        values={("泌阳县产业集聚区", "profit", "2023-02", "ytd"): 820.0,
                ("泌阳县产业集聚区", "profit", "2023-02", "ytd_prior"): 700.0},
        growth={("泌阳县产业集聚区", "profit", "2023-02", "ytd"): 17.1},
        absent=(("泌阳县产业集聚区", "profit", "2023-03", "ytd"),)),
    Case("B-title-wins-over-sheet-name-and-date-note", "b.xlsx", xlsx({"3月": b_sheet(B_TITLE, B_ROWS)}),
         values=B_VALUES, warnings=("工作表「3月」的名称与标题中的统计期（2023年2月）不一致",)),
    Case("B-period-from-sheet-name", "泌阳县产业集聚区2023年月报.xlsx",
         xlsx({"2月": b_sheet("泌阳县产业集聚区主要经济指标完成情况", B_ROWS)}), values=B_VALUES),
    Case("B-missing-marks-not-zero", "b.xlsx", xlsx({"7月": b_sheet(
        "泌阳县产业集聚区2023年7月主要经济指标完成情况",
        [["固定资产投资", "万元", "—", "132,013.9", "/", "未填报"]],
        header=["指标名称", "计量单位", "本月", "1-7月累计", "上年同期累计", "同比增长(%)"])}),
        values={("泌阳县产业集聚区", "fixed_investment", "2023-07", "ytd"): 132013.9},
        absent=(("泌阳县产业集聚区", "fixed_investment", "2023-07", "month"),
                ("泌阳县产业集聚区", "fixed_investment", "2023-07", "ytd_prior"))),
    Case("B-january-prior-year", "b.xlsx", xlsx({"1月": b_sheet(
        "泌阳县产业集聚区2023年1月主要经济指标完成情况", [["税收", "万元", "601.0", "601.0", "485.2", "23.9"]],
        header=["指标名称", "计量单位", "本月", "1-1月累计", "上年同期累计", "同比增长(%)"])}),
        values={("泌阳县产业集聚区", "tax", "2023-01", "ytd_prior"): 485.2,
                ("泌阳县产业集聚区", "tax", "2023-01", "month"): 601.0}),
    *[Case(f"B-csv-{encoding}", f"泌阳_{encoding}.csv", csv_text(b_sheet(B_TITLE, B_ROWS), encoding),
           values=B_VALUES, growth=B_GROWTH, family="B")
      for encoding in ("utf-8", "utf-8-sig", "gbk")],
]

# ---------------------------------------------------------------- families C and D in every encoding

C_ROWS = [["园区", "统计期", "指标", "口径", "数值", "单位"],
          ["凤城開發區", "2024年3月", "税收收入", "本月", "1,234.5", "万元"],
          ["凤城開發區", "202403", "规上工业总产值", "累计", "1.5", "亿元"],
          ["凤城開發區", "2024/3", "用地面积", "期末", "80", "公顷"],
          ["合计", "2024-03", "税收收入", "本月", "9999", "万元"]]
C_VALUES = {("凤城开发区", "tax", "2024-03", "month"): 1234.5, ("凤城开发区", "output", "2024-03", "ytd"): 15000.0,
            ("凤城开发区", "land_area", "2024-03", "stock"): 1200.0}
D_ROWS = [["园区名称", "月份", "规上工业总产值(万元)", "同比增长(%)", "税收收入(万元)"],
          ["確山縣產業集聚區", "2024-01", "1,000.5", "5.5", "—"],
          ["确山县产业集聚区", "2024.2", "900", "", "80"]]
D_VALUES = {("确山县产业集聚区", "output", "2024-01", "month"): 1000.5,
            ("确山县产业集聚区", "output", "2024-02", "month"): 900.0,
            ("确山县产业集聚区", "tax", "2024-02", "month"): 80.0}

CASES += [
    *[Case(f"C-csv-{encoding}", f"c_{encoding}.csv", csv_text(C_ROWS, encoding), values=C_VALUES,
           absent=(("合计", "tax", "2024-03", "month"),), family="C")
      for encoding in ("utf-8", "utf-8-sig", "gbk", "gb18030")],
    *[Case(f"D-csv-{encoding}", f"d_{encoding}.csv", csv_text(D_ROWS, encoding), values=D_VALUES,
           growth={("确山县产业集聚区", "output", "2024-01", "month"): 5.5},
           absent=(("确山县产业集聚区", "tax", "2024-01", "month"),), family="D")
      for encoding in ("utf-8", "utf-8-sig", "gbk")],
    Case("D-plan-ratio-is-not-an-indicator", "d.csv",
         csv_text([[*D_ROWS[0], "完成年计划%"], [*D_ROWS[1], "8.3"], [*D_ROWS[2], "16.0"]], "utf-8"),
         values=D_VALUES, absent=(("确山县产业集聚区", "完成年计划%", "2024-01", "month"),), family="D"),
]


# ---------------------------------------------------------------- the test


def as_dict(frame) -> dict:
    return {(r.park, r.indicator, f"{r.period:%Y-%m}", r.basis): r.value for r in frame.itertuples()}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_variation(case):
    parsed = parse_file(case.make(), case.file_name)
    stored, growth = as_dict(parsed.observations), as_dict(parsed.growth)
    if case.family:
        assert parsed.family == case.family
    for key, value in case.values.items():
        assert key in stored, f"{key} not stored; stored: {sorted(stored)}"
        assert math.isclose(stored[key], value, rel_tol=1e-6), f"{key}: {stored[key]} != {value}"
    for key, value in case.growth.items():
        assert key in growth, f"growth {key} not stored; stored: {sorted(growth)}"
        assert math.isclose(growth[key], value, rel_tol=1e-6)
    for key in case.absent:
        assert key not in stored, f"{key} should not be stored, got {stored[key]}"
    assert not any(p in {"合计", "总计", "小计", "全市", "全县"} for p in parsed.parks)
    for text in case.warnings:
        assert any(text in w for w in parsed.warnings), f"no warning with {text!r}: {parsed.warnings}"
