"""Blank upload templates, one .xlsx per layout family, with Chinese headers
and a units note. Each one, filled in, reads back through ``parse_file``
(tests/test_templates.py fills one row of each and checks).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from parkbench.catalog import INDICATOR_BY_ID

EXAMPLE_YEAR = 2025


@dataclass(frozen=True)
class TemplateSheet:
    name: str
    header: tuple[str, ...]
    above: tuple[str, ...] = ()  # title and note lines above the header, one per row
    rows: tuple[tuple[str, ...], ...] = ()  # pre-filled rows (indicator names for family B)
    below: tuple[str, ...] = ()  # lines below the table


@dataclass(frozen=True)
class Template:
    family: str
    title: str  # Chinese, for the download button
    file_name: str
    sheets: tuple[TemplateSheet, ...] = field(default_factory=tuple)

    @property
    def header_row(self) -> int:
        """0-based row of the first sheet's header (the row to fill is the next one)."""
        return len(self.sheets[0].above)


def _with_unit(indicator: str) -> str:
    ind = INDICATOR_BY_ID[indicator]
    return f"{ind.zh}({ind.unit})"


MONEY_NOTE = "单位：金额 万元（也可写 元、千元、亿元），面积 亩（也可写 公顷、平方公里），企业 户，人员 人"
_WIDE = ("output", "tax", "leading_output", "fixed_investment", "land_area", "enterprises", "employees")

TEMPLATES: dict[str, Template] = {
    "A": Template("A", "A 各园区累计表（每个统计期一个工作表）", "模板A_各园区主要经济指标_累计.xlsx", (
        TemplateSheet(
            name=f"{EXAMPLE_YEAR}年1-3月",
            above=(f"{EXAMPLE_YEAR}年1-3月全市工业园区主要经济指标",
                   "单位：万元、亩、户；数值为1月至本月累计；请把工作表名称和标题改为实际统计期，每个统计期一个工作表"),
            header=("序号", "园区名称", _with_unit("output"), "同比增长(%)", _with_unit("tax"), "同比增长(%)",
                    _with_unit("leading_output"), _with_unit("fixed_investment"), _with_unit("land_area"),
                    _with_unit("enterprises")),
            below=("注：合计行和注释行不会作为园区导入",)),
    )),
    "B": Template("B", "B 单个园区统计月报（每月一个工作表）", "模板B_园区统计月报.xlsx", (
        TemplateSheet(
            name="1月",
            above=(f"XX园区{EXAMPLE_YEAR}年1月主要经济指标完成情况",
                   "请把标题中的“XX园区”改为园区名称，年份和月份改为实际统计期；每月一个工作表（1月…12月）"),
            header=("指标名称", "计量单位", "本月", "1-本月累计", "上年同期累计", "同比增长(%)"),
            rows=tuple((INDICATOR_BY_ID[i].zh, INDICATOR_BY_ID[i].unit) for i in
                       ("output", "leading_output", "tax", "fixed_investment", "land_area", "enterprises")),
            below=("单位负责人：            统计负责人：            填表人：",)),
    )),
    "C": Template("C", "C 长表（每行一个数值）", "模板C_园区月度长表.xlsx", (
        TemplateSheet(
            name="长表",
            above=("园区月度数据（长表，每行一个数值）",
                   MONEY_NOTE + "；口径填 本月、累计，或 期末（用地面积、企业数、从业人员）；统计期写成 2025-03"),
            header=("园区", "统计期", "指标", "口径", "数值", "单位")),
    )),
    "D": Template("D", "D 宽表（每行一个园区一个月）", "模板D_园区月度宽表.xlsx", (
        TemplateSheet(
            name="月度数据",
            above=("园区月度数据（宽表，每行一个园区一个月）",
                   MONEY_NOTE + "；各指标填当月（本月）数，不填累计数；统计期写成 2025-03"),
            header=("统计期", "园区", *(_with_unit(i) for i in _WIDE))),
    )),
    "E": Template("E", "E 产业结构（每行一个园区一个产业）", "模板E_产业结构.xlsx", (
        TemplateSheet(
            name="产业结构",
            above=("园区产业结构", "单位：产值 万元，企业数 户；是否主导产业填 是 或 否；统计期写成 2025-12 或 2025年1-12月"),
            header=("园区", "统计期", "产业名称", "是否主导产业", "产值(万元)",
                    "企业数(户)")),
    )),
}


def template_xlsx(family: str) -> bytes:
    """The blank template of a family as .xlsx bytes. Every cell is written
    as text, so nothing in a template is a formula."""
    import xlsxwriter

    template = TEMPLATES[family]
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    title = workbook.add_format({"bold": True, "font_size": 14})
    note = workbook.add_format({"italic": True, "font_color": "#555555"})
    head = workbook.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1})
    for spec in template.sheets:
        sheet = workbook.add_worksheet(spec.name)
        for r, line in enumerate(spec.above):
            sheet.write_string(r, 0, line, title if r == 0 else note)
        top = len(spec.above)
        for c, name in enumerate(spec.header):
            sheet.write_string(top, c, name, head)
            sheet.set_column(c, c, max(10, min(24, len(name) * 2 + 2)))
        for r, row in enumerate(spec.rows, start=top + 1):
            for c, value in enumerate(row):
                sheet.write_string(r, c, value)
        below = top + 1 + max(len(spec.rows), 10) + 1
        for r, line in enumerate(spec.below, start=below):
            sheet.write_string(r, 0, line, note)
        sheet.freeze_panes(top + 1, 0)
    workbook.close()
    return buffer.getvalue()
