"""Header rows of enterprise sheets: which row is the header, which column
plays which role (firm name, credit code, park, period …), what a value
column means (indicator, unit, basis), and what the title and file name say
(park, period).

Spellings are compared after folding (``normalize.fold``: simplified,
half-width, no spaces). A role is matched on the whole header, then on the
header without its bracket (``规上(是/否)`` is 规上), so a unit or a remark in
brackets never hides it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import PurePath

import pandas as pd

from parkbench.catalog import INDICATOR_BY_ID
from parkbench.ingest.across import Sub, carried_groups, row_cells, sub_header
from parkbench.ingest.headers import SCAN_ROWS, is_plan_header
from parkbench.ingest.model import FileContext, Sheet
from parkbench.ingest.normalize import (
    fold,
    indicator_name,
    match_indicator,
    resolve_land,
    split_unit,
    unit_factor,
)
from parkbench.ingest.titles import notes_above

# Role → header spellings (folded). "firm_weak" names are firm names only on a
# sheet that also has a code column (单位名称 is a park in family A).
ROLES: dict[str, frozenset[str]] = {
    "firm": frozenset({"企业名称", "企业(单位)名称", "单位详细名称", "纳税人名称", "法人单位名称", "企业", "公司名称",
                       "企业全称", "使用权人", "土地使用权人", "权利人", "用地单位", "用地企业", "用地单位名称",
                       "纳税人", "企业名", "详细名称"}),
    "firm_weak": frozenset({"单位名称", "名称"}),
    "credit": frozenset({"统一社会信用代码", "社会信用代码", "信用代码", "统一代码", "纳税人识别号", "税号",
                         "纳税人识别号(统一社会信用代码)", "统一社会信用代码(纳税人识别号)", "法人单位代码",
                         "统一社会信用代码/纳税人识别号", "纳税识别号", "社会统一信用代码"}),
    "org": frozenset({"组织机构代码", "机构代码", "组织代码", "组织机构代码(9位)"}),
    "park": frozenset({"所属园区", "园区", "园区名称", "所在园区", "开发区", "所属开发区", "开发区名称", "园区(开发区)",
                       "所属园区(开发区)", "产业园区", "所属产业园区", "所在开发区", "归属园区"}),
    "period": frozenset({"统计期", "期别", "报告期", "月份", "所属期", "税款所属期", "入库月份", "入库期", "年月",
                         "统计月份", "统计时间", "期间", "所属月份", "统计期间", "日期", "时间", "入库日期",
                         "所属时期", "税款所属期起", "所属期起"}),
    "period_end": frozenset({"税款所属期止", "所属期止"}),
    "year": frozenset({"期别(年)", "年份", "年", "统计年度", "年度", "期别年"}),
    "month": frozenset({"期别(月)", "月", "期别月"}),
    "industry_code": frozenset({"行业代码", "国民经济行业代码", "行业类别代码", "所属行业代码", "行业小类代码",
                                "行业代码(GB/T4754)", "国民经济行业分类代码", "产业代码", "行业分类代码"}),
    "industry_name": frozenset({"行业名称", "所属行业", "行业", "国民经济行业", "行业类别", "行业小类", "行业小类名称",
                                "国民经济行业名称", "所属行业名称"}),
    "serial": frozenset({"序号", "编号", "排名", "序", "行号"}),
    "zone": frozenset({"所属片区", "片区", "所属街道", "所在片区", "所在乡镇", "乡镇", "街道", "地址", "备注",
                       "联系人", "联系电话", "法定代表人", "注册地址", "调查对象审核错误说明", "报送时间",
                       "审核说明", "填报说明", "登记注册类型", "企业规模", "控股情况"}),
    # N4 (parcels)
    "parcel": frozenset({"宗地编号", "宗地号", "地块编号", "不动产单元号", "宗地代码", "地块号", "土地证号",
                         "不动产权证号", "宗地", "地块", "土地证编号", "宗地统一代码"}),
    "area": frozenset({"土地面积", "宗地面积", "用地面积", "面积", "使用权面积", "占地面积", "土地使用面积",
                       "宗地面积合计", "使用面积", "租赁面积", "土地使用权面积"}),
    "tenure": frozenset({"权属", "权属性质", "使用类型", "用地方式", "使用方式", "权属类型", "土地权属", "用地类型",
                         "权属情况", "使用权类型"}),
    "registered": frozenset({"登记日期", "登记时间", "取得日期", "发证日期", "登记年月", "起租日期", "生效日期",
                             "取得时间", "登簿日期", "租赁起始日期"}),
    # N5 (register)
    "above_scale": frozenset({"规上", "是否规上", "规上(是/否)", "是否规模以上", "规模以上", "规上企业", "是否规上企业",
                              "规上标识", "是否规模以上企业", "规模"}),
    "since": frozenset({"入规年月", "入规时间", "入规日期", "纳入规上时间", "入规年份月份", "纳入规模以上时间",
                        "入统年月", "入规年月份"}),
    "valid_from": frozenset({"起始年月", "起始日期", "生效年月", "起始时间", "名录日期", "执行起始年月", "起始期",
                             "开始年月", "认定年月"}),
    # N6 (leading industries)
    "group": frozenset({"主导产业", "主导产业名称", "产业名称", "产业", "产业类别", "主导产业类别"}),
    "codes": frozenset({"行业代码范围", "包含行业代码", "对应行业代码", "国民经济行业代码范围", "代码范围",
                        "行业代码(大类)", "包含行业", "代码"}),
}
# Roles found anywhere inside a header, not only as its whole text.
_CONTAINS = (("credit", ("信用代码", "纳税人识别号")), ("org", ("组织机构代码",)))
# The roles of a ledger row that are no indicator (N1, N2 and N3 read the other columns as values).
LEDGER_ROLES = ("firm", "credit", "org", "park", "period", "period_end", "year", "month", "industry_code",
                "industry_name", "serial", "zone", "above_scale", "since", "valid_from")


def role_of(label: object) -> str | None:
    """The role of a header cell, or None (value columns and unknown headers)."""
    if label is None or isinstance(label, (int, float)):
        return None
    whole = fold(label)
    if not whole or ";" in whole:
        return None
    name, _ = split_unit(whole)
    for key in (whole, name):
        for role, spellings in ROLES.items():
            if key in spellings:
                return role
    for role, words in _CONTAINS:
        if any(w in whole for w in words):
            return role
    return None


@dataclass
class FirmHeader:
    """A header row of an enterprise sheet (0-based row), the column of each
    role, the header text of every column, and the sub-header row below
    (0-based) when the header has two rows."""

    row: int
    columns: dict[str, int]
    labels: dict[int, str]
    sub_row: int | None = None
    subs: dict[int, str] = field(default_factory=dict)  # column → sub-header text
    groups: dict[int, str] = field(default_factory=dict)  # column → the group title above it

    @property
    def body_start(self) -> int:
        return (self.sub_row if self.sub_row is not None else self.row) + 1

    def has(self, *roles: str) -> bool:
        return any(r in self.columns for r in roles)

    @property
    def has_period_column(self) -> bool:
        """Whether rows carry their own period (统计期, 所属期, or a month column
        such as 期别(月) beside 期别(年))."""
        return self.has("period", "period_end", "month")

    def role_columns(self, roles: tuple[str, ...]) -> set[int]:
        """The columns of the given roles (a shape's own: 用地面积 is N4's area
        but an indicator column of N1)."""
        return {c for r, c in self.columns.items() if r in roles}

    def label(self, col: int) -> str:
        """The header of a column as shown in messages (two rows joined)."""
        top = self.group_title(col)
        sub = self.subs.get(col)
        return f"{top} {sub}".strip() if sub and top != sub else (top or sub or "")

    def group_title(self, col: int) -> str:
        return self.groups.get(col, self.labels.get(col, ""))


def find_firm_header(cells: pd.DataFrame) -> FirmHeader | None:
    """The first row (of the first ``SCAN_ROWS``) that names an enterprise:
    a code column (统一社会信用代码, 纳税人识别号, 组织机构代码) or an
    enterprise-name column (企业名称, 纳税人名称 …). ``单位名称`` alone is no
    enterprise (family A calls its parks that)."""
    for r in range(min(SCAN_ROWS, len(cells))):
        cols: dict[str, int] = {}
        labels: dict[int, str] = {}
        for c, cell in enumerate(row_cells(cells, r)):
            if cell is None:
                continue
            labels[c] = str(cell).strip()
            role = role_of(cell)
            if role is not None and role not in cols:
                cols[role] = c
        if not ({"firm", "credit", "org"} & cols.keys()):
            continue
        if "firm" not in cols and "firm_weak" in cols:
            cols["firm"] = cols.pop("firm_weak")
        cols.pop("firm_weak", None)
        return _with_sub_row(cells, FirmHeader(row=r, columns=cols, labels=labels))
    return None


def _with_sub_row(cells: pd.DataFrame, header: FirmHeader) -> FirmHeader:
    """A second header row (``本月 · 1-本月 · 同比%`` under ``工业总产值``) is
    taken with the header when it has sub-headers and no firm in its firm column
    (the firm column's header written again there is no firm)."""
    below = row_cells(cells, header.row + 1)
    if not below:
        return header
    key_col = header.columns.get("firm", header.columns.get("credit", header.columns.get("org")))
    if key_col is not None and key_col < len(below) and below[key_col] is not None and role_of(below[key_col]) is None:
        return header
    subs = {c: str(v).strip() for c, v in enumerate(below) if v is not None and sub_header(v) is not None}
    if not subs:
        return header
    top = row_cells(cells, header.row)
    header.sub_row = header.row + 1
    header.subs = subs
    header.groups = {c: title for c, (_, title) in carried_groups(top, below, 0).items()}
    return header


# ---------------------------------------------------------------- value columns


@dataclass(frozen=True)
class ValueColumn:
    """A column of values: its indicator (catalog id or its own name), the
    unit written (or None), values or published growth, and the basis the
    header gives (None when it gives none)."""

    col: int
    indicator: str
    unit: str | None
    kind: str  # "value" or "growth"
    basis: str | None
    label: str


# Basis words inside a one-row header (营业收入1-本月(万元), 本月工业总产值).
_BASIS_WORDS = (
    (re.compile(r"(上年|去年)同期(1-本月|1-\d{1,2}月|累计)?"), "prior"),
    (re.compile(r"1-本月|1-\d{1,2}月|本年累计|年初至今|累计"), "ytd"),
    (re.compile(r"本月|当月|本期"), "month"),
)
_GROWTH_WORDS = re.compile(r"同比(增长|增速|增减)?(率)?(±)?%?|增长(率)?%?|增速%?|增幅%?|±%")
_QUALIFIER = re.compile(r"\((?:当年价格?|现价|当年价|现行价格?)\)")


# Names enterprise sheets give catalogue indicators that park sheets do not
# (read here only, so park sheets keep their own names for them).
FIRM_NAMES = {"从业人员期末人数": "从业人员", "从业人员平均人数": "从业人员", "期末从业人员": "从业人员",
              "年末从业人员": "从业人员", "期末从业人员数": "从业人员", "从业人数": "从业人员", "职工人数": "从业人员",
              "用工人数": "从业人员", "员工人数": "从业人员", "占地面积": "用地面积", "实际用地面积": "用地面积",
              "企业用地面积": "用地面积", "纳税总额": "税收", "实缴税费": "税收", "用电总量": "用电量"}
_BRACKET_PARTS = re.compile(r"[,，、;；/]")


def dashes_folded(text: object) -> str:
    """``fold`` with every dash a hyphen: 1—本月 and 1–3月 are 1-本月 and 1-3月."""
    return re.sub("[—–~～]", "-", fold(text))


def label_meaning(label: str) -> tuple[str, str | None, str, str | None]:
    """(indicator name, unit, kind, basis) of a one-row header:
    ``营业收入1-本月(万元)`` → (营业收入, 万元, value, ytd); ``利润总额（1-本月，万元）``
    likewise; ``工业总产值同比(%)`` → (工业总产值, %, growth, None)."""
    text = _QUALIFIER.sub("", dashes_folded(label))
    unit, said = None, []
    for bracket in re.findall(r"\(([^()]*)\)", text):
        for part in _BRACKET_PARTS.split(bracket):
            if unit_factor(part) is not None or part == "%":
                unit = part
            elif _GROWTH_WORDS.search(part) or any(p.search(part) for p, _ in _BASIS_WORDS):
                said.append(part)  # 利润总额(1-本月): the basis written in brackets
    text = re.sub(r"\([^()]*\)", "", text) + "".join(said)
    kind = "value"
    if _GROWTH_WORDS.search(text) or unit == "%":
        kind = "growth"
        text = _GROWTH_WORDS.sub("", text)
    basis = None
    for pattern, found in _BASIS_WORDS:
        if pattern.search(text):
            basis = basis or found
            text = pattern.sub("", text)
    name = indicator_name(text.strip("_-:·、"))
    name = FIRM_NAMES.get(name, name)
    if basis == "prior":
        written = fold(label)
        basis = "month_prior" if any(w in written for w in ("本月", "当月")) and "1-" not in written else "ytd_prior"
    return name, unit, kind, basis


def value_columns(header: FirmHeader, skip: set[int]) -> list[ValueColumn]:
    """Every column of the header that is no role: indicator, unit, kind and
    basis from a two-row header (group title over ``本月 · 1-本月 · 同比%``) or
    from one header cell. A bare ``同比%`` right after a value column is that
    column's growth. Of two land columns (用地面积, 工业用地面积) the more specific
    is land_area and the other keeps its own name, as on park sheets."""
    out: list[ValueColumn] = []
    names: dict[int, str] = {}
    previous: ValueColumn | None = None
    for col in sorted(set(header.labels) | set(header.subs)):
        if col in skip:
            previous = None
            continue
        sub = header.subs.get(col)
        title = header.group_title(col)
        if sub is not None and title and title != sub:
            name, unit, _, _ = label_meaning(title)
            meaning: Sub = sub_header(sub)
            column = ValueColumn(col, match_indicator(name), unit, meaning.kind, meaning.basis, header.label(col))
        else:
            text = sub or title
            if not text or is_plan_header(text):
                previous = None
                continue
            name, unit, kind, basis = label_meaning(text)
            if not name and kind == "growth" and previous is not None and previous.kind == "value":
                name = previous.indicator
                basis = previous.basis
            if not name:
                continue
            column = ValueColumn(col, match_indicator(name), unit, kind, basis, text)
        out.append(column)
        names[col] = name
        previous = column
    return _land_apart(out, names)


def _land_apart(columns: list[ValueColumn], names: dict[int, str]) -> list[ValueColumn]:
    land = {names[c.col] for c in columns if c.indicator == "land_area" and c.kind == "value"}
    if len(land) < 2:
        return columns
    ids = resolve_land(sorted(land))
    return [replace(c, indicator=ids.get(names[c.col], c.indicator)) if c.indicator == "land_area" else c
            for c in columns]


def known_value_columns(columns: list[ValueColumn]) -> list[ValueColumn]:
    """The columns of catalogue indicators (工业总产值, 营业收入 …)."""
    return [c for c in columns if c.kind == "value" and c.indicator in INDICATOR_BY_ID]


# ---------------------------------------------------------------- titles and file names

_PARK_SUFFIX = re.compile(
    r"^(.{2,40}?(?:经济技术开发区|高新技术产业开发区|经济开发区|高新区|开发区|工业园区|产业园区|园区|产业集聚区|集聚区"
    r"|产业园|工业区|示范区|产业基地|新区|工业集中区|经济区))")
_FILE_PREFIX = re.compile(r"^[A-Za-z0-9]{1,3}[_\-\s]+")
_LIST_OF_PARKS = re.compile(r"[、,，和及与]")


def park_in_text(text: object) -> str | None:
    """The park a title or file name names at its start
    (``东山经济开发区2024年1月规上工业企业主要指标`` → ``东山经济开发区``); None when
    it names none, or names several (``东山经济开发区、南湖工业园区…``)."""
    s = _FILE_PREFIX.sub("", fold(text))
    m = _PARK_SUFFIX.match(s)
    if not m:
        return None
    rest = s[m.end():]
    if _LIST_OF_PARKS.match(rest) and _PARK_SUFFIX.match(rest[1:]):
        return None
    name = m.group(1)
    return name if not re.search(r"\d{4}", name) else None


def park_from_title(sheet: Sheet, ctx: FileContext, header_row: int) -> str | None:
    """The park the title above the header names, else the sheet name's (one
    sheet per park), else the file name's."""
    for _, _, text in notes_above(sheet, header_row):
        park = park_in_text(text)
        if park:
            return park
    return park_in_text(sheet.name) or park_in_text(PurePath(ctx.file_name).stem)
