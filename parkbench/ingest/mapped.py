"""Sheets read through a column mapping the user gave on the upload page.

Where no reader recognises a sheet, the user says which row is the header and
what each column means: one of the long-table roles (园区, 统计期, 指标, 口径,
数值, 单位), an indicator whose values fill the column (wide layouts), or
忽略. The mapping is remembered under the sheet's *signature* (its folded
header cells), and ``parse_file`` applies it to the next sheet of the same
shape.

Values go through the same normalisation as every reader
(``rows.normalise_long``): units, periods, totals and missing marks are
treated alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

import pandas as pd

from parkbench.catalog import INDICATOR_BY_ID, INDICATORS, unit_label
from parkbench.errors import NoHeader
from parkbench.ingest.across import (
    Sub,
    carried_groups,
    labelled_notes,
    meaning,
    period_columns,
    period_header,
    row_cells,
    sub_header,
)
from parkbench.ingest.headers import ROLE_SPELLINGS, SCAN_ROWS, Header, header_key, is_growth_header
from parkbench.ingest.model import (
    GROWTH_COLUMNS,
    INDUSTRY_COLUMNS,
    OBSERVATION_COLUMNS,
    FileContext,
    Parsed,
    Sheet,
    empty_frame,
)
from parkbench.ingest.normalize import (
    column_letter,
    fold,
    is_known_indicator,
    match_indicator,
    parse_period,
    split_unit,
    unit_factor,
)
from parkbench.ingest.rows import Located, normalise_growth, normalise_long
from parkbench.ingest.titles import sheet_park, sheet_period, sheet_year

FAMILY = "M"
TITLE = "按已保存的列映射读取"

# Long-table roles, in the order the editor offers them.
ROLES: dict[str, str] = {
    "park": "园区",
    "period": "统计期",
    "indicator": "指标",
    "basis": "口径",
    "value": "数值",
    "unit": "单位",
    # Enterprise roles: a mapping with 企业名称 or 统一社会信用代码 reads the sheet's
    # rows as firms, with indicator columns (ingest.enterprise.mapped_ledger).
    "enterprise": "企业名称",
    "credit_code": "统一社会信用代码",
    "industry_code": "行业代码",
    "industry_name": "行业名称",
}
FIRM_KEY_ROLES = ("enterprise", "credit_code")
FIRM_ONLY_ROLES = ("enterprise", "credit_code", "industry_code", "industry_name")
IGNORE = "ignore"
WIDE_PREFIX = "wide:"  # "wide:tax" — the column holds values of that indicator
WIDE_BY_HEADER = "wide:*"  # the column's own header names the indicator
BASIS_LABELS = {"month": "本月", "ytd": "累计"}
BASIS_LABELS_EN = {"month": "Month", "ytd": "Year to date"}
ROLES_EN = {"park": "Park", "period": "Period", "indicator": "Indicator", "basis": "Basis (本月/累计)",
            "value": "Value", "unit": "Unit", "enterprise": "Firm name (企业名称)",
            "credit_code": "Credit code (统一社会信用代码)", "industry_code": "Industry code (行业代码)",
            "industry_name": "Industry name (行业名称)"}

# Words that, inside a header the readers do not know, suggest a role (first guess only).
_ROLE_HINTS: dict[str, tuple[str, ...]] = {
    "park": ("园区", "开发区", "集聚区", "地区", "单位名称"),
    "period": ("月份", "日期", "期间", "年月", "统计期", "时间"),
    "indicator": ("指标",),
    "unit": ("单位",),
    "basis": ("口径",),
    "enterprise": ("企业名称", "企业名", "公司名称", "客户名称", "纳税人名称", "单位详细名称"),
    "credit_code": ("信用代码", "信用编码", "识别号", "税号"),
    "industry_code": ("行业代码", "行业编码"),
    "industry_name": ("行业名称", "所属行业"),
}
# Short headers that name a role only when they are the whole header (客户数 is a count).
_ROLE_EXACT = {"客户": "enterprise", "企业": "enterprise", "公司": "enterprise"}
_ALIASES_LONGEST_FIRST = sorted(((fold(a), i.id) for i in INDICATORS for a in i.aliases), key=lambda p: -len(p[0]))


def role_label(role: str, lang: str = "zh") -> str:
    """Label of a mapping choice, for the editor, in Chinese or English."""
    zh = lang == "zh"
    if role == IGNORE:
        return "忽略" if zh else "Ignore"
    if role == WIDE_BY_HEADER:
        return "指标列（以表头为指标名）" if zh else "Indicator column (its header names the indicator)"
    if role.startswith(WIDE_PREFIX):
        ind = INDICATOR_BY_ID.get(role[len(WIDE_PREFIX):])
        if ind is None:
            return ("指标列：" if zh else "Indicator column: ") + role[len(WIDE_PREFIX):]
        if zh:
            return f"指标列：{ind.zh}（{ind.unit}）"
        return f"Indicator column: {ind.en} ({unit_label(ind.unit, 'en')})"
    return ROLES.get(role, role) if zh else ROLES_EN.get(role, role)


def basis_label(basis: str, lang: str = "zh") -> str:
    return (BASIS_LABELS if lang == "zh" else BASIS_LABELS_EN).get(basis, basis)


def choices() -> list[str]:
    """Every mapping choice, long roles first, then one per catalogue indicator."""
    return [*ROLES, WIDE_BY_HEADER, *(WIDE_PREFIX + i.id for i in INDICATORS), IGNORE]


FROM_TITLE = "@title"  # fixed park or period: taken from the title, the sheet name or the file name


@dataclass
class ColumnMapping:
    """Which row is the header (0-based) and what each column means
    (0-based column → choice). Columns not listed are ignored. ``basis``
    applies to wide indicator columns (本月 or 累计).

    What a sheet says outside its columns:

    - ``periods_across``: the header row holds the periods (``2024年3月``,
      ``3月``, ``1-3月``); every column whose header is a period holds values,
      and the rows are parks or indicators.
    - ``fixed_park`` / ``fixed_period``: one park or one period (``YYYY-MM``)
      for the whole sheet, or ``FROM_TITLE`` to take it from the title,
      sheet name or file name (so the next month's file is read right too).
    - ``indicator_from_note``: the indicator, its unit and its basis are in a
      ``指标：规上工业总产值累计值(万元)`` line above the header.
    - ``second_header_row``: the row below the header is a second header
      (``本月 · 1-N月累计 · 同比%`` under merged group titles); the two are read
      together and the values start below it.
    """

    header_row: int
    columns: dict[int, str] = field(default_factory=dict)
    basis: str = "month"
    periods_across: bool = False
    fixed_park: str | None = None
    fixed_period: str | None = None
    indicator_from_note: bool = False
    second_header_row: bool = False

    def to_json(self) -> str:
        data = {"columns": {str(k): v for k, v in sorted(self.columns.items())}, "basis": self.basis}
        for name in _EXTRA_FIELDS:
            value = getattr(self, name)
            if value:
                data[name] = value
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, header_row: int, text: str) -> ColumnMapping:
        data = json.loads(text)
        return cls(header_row=int(header_row), columns={int(k): v for k, v in data["columns"].items()},
                   basis=data.get("basis", "month"), **{k: data[k] for k in _EXTRA_FIELDS if k in data})

    @property
    def wide(self) -> dict[int, str]:
        return {c: r for c, r in self.columns.items() if r.startswith(WIDE_PREFIX)}

    def role_columns(self) -> dict[str, int]:
        return {r: c for c, r in self.columns.items() if r in ROLES}

    @property
    def is_firm(self) -> bool:
        """Whether the rows are enterprises (a 企业名称 or 统一社会信用代码 column)."""
        return any(r in FIRM_KEY_ROLES for r in self.columns.values())

    def problems(self) -> list[str]:
        """Why this mapping cannot be read (empty when it can), in Chinese."""
        out = []
        counts = pd.Series([r for r in self.columns.values() if r in ROLES], dtype=object).value_counts()
        for role, n in counts.items():
            if n > 1:
                out.append(f"“{ROLES[role]}”只能指定一列（现在有 {n} 列）")
        roles = set(counts.index)
        if self.fixed_period and self.fixed_period != FROM_TITLE:
            try:
                parse_period(self.fixed_period)
            except ValueError as exc:
                out.append(f"整表统计期：{exc}")
        if self.fixed_park is not None and not self.fixed_park.strip():
            out.append("整表园区名称为空")
        if self.is_firm:
            return out + self._firm_problems(roles)
        if roles & set(FIRM_ONLY_ROLES):
            out.append("“行业代码”“行业名称”只用于企业表：请同时指定“企业名称”或“统一社会信用代码”列")
        if self.periods_across:
            return out + self._across_problems(roles)
        for role, fixed in (("park", self.fixed_park), ("period", self.fixed_period)):
            if role not in roles and not fixed:
                out.append(f"请指定“{ROLES[role]}”列，或整表统一的{ROLES[role]}")
        indicator_ok = "indicator" in roles or self.indicator_from_note
        long_ok = indicator_ok and "value" in roles
        if self.wide and (roles & {"indicator", "value"} or self.indicator_from_note):
            out.append("长表（“指标”+“数值”列）和宽表（指标列）不能混用")
        elif not self.wide and not long_ok:
            out.append("请指定“指标”和“数值”列（长表），或至少一个指标列（宽表）")
        if self.basis not in BASIS_LABELS:
            out.append(f"口径“{self.basis}”应为 本月 或 累计")
        return out

    def _firm_problems(self, roles: set[str]) -> list[str]:
        """An enterprise sheet: one firm a row, indicator columns, a period column or
        the period from the title (the park from a column, the title, one for the
        sheet, or the upload page's question)."""
        out = []
        if self.periods_across or self.second_header_row or self.indicator_from_note:
            out.append("企业表请每行一个企业、每列一个指标：不要勾选“表头行是各期间”“子表头”或“指标：…一行”")
        if roles & {"indicator", "value", "basis", "unit"}:
            out.append("企业表请把数值列指定为指标列（如“指标列：规上工业总产值”），不要用“指标”“数值”“口径”“单位”列")
        if not self.wide:
            out.append("请至少指定一个指标列")
        if "period" not in roles and self.fixed_period != FROM_TITLE:
            out.append("企业表的统计期：请指定“统计期”列，或选择“取自标题、工作表名或文件名”")
        if self.basis not in BASIS_LABELS:
            out.append(f"口径“{self.basis}”应为 本月 或 累计")
        return out

    def _across_problems(self, roles: set[str]) -> list[str]:
        out = []
        if self.wide or roles & {"value", "period"}:
            out.append("表头为统计期时，数值就在各期间列中：不要再指定“统计期”“数值”或指标列")
        if "park" not in roles and not self.fixed_park:
            out.append("请指定“园区”列（每行一个园区），或整表统一的园区")
        if "indicator" not in roles and not self.indicator_from_note:
            out.append("请指定“指标”列（每行一个指标），或选择“指标取自表头上方的‘指标：’一行”")
        if "park" in roles and "indicator" in roles:
            out.append("表头为统计期时，每行只能是一个园区或一个指标，不能两者都有")
        if self.basis not in BASIS_LABELS:
            out.append(f"口径“{self.basis}”应为 本月 或 累计")
        return out


_EXTRA_FIELDS = ("periods_across", "fixed_park", "fixed_period", "indicator_from_note", "second_header_row")


def header_cells(cells: pd.DataFrame, row: int) -> list[object]:
    if row >= len(cells):
        return []
    values = list(cells.iloc[row])
    while values and (values[-1] is None or not str(values[-1]).strip()):
        values.pop()
    return values


PERIOD_PLACEHOLDER = "<期间>"


def signature(cells: pd.DataFrame, row: int, periods_across: bool = False) -> str:
    """The shape of a sheet as seen from its header row: the folded header
    cells joined by ``|`` (empty cells kept as empty). Two files with the same
    columns in the same order share a signature. With ``periods_across`` the
    period headers (a run of them counting once) are replaced by a
    placeholder, so next month's export (one month more, or in the other
    order) has the same shape."""
    cells_at = header_cells(cells, row)
    if not periods_across:
        return "|".join(fold(v) for v in cells_at)
    parts: list[str] = []
    for v in cells_at:
        part = PERIOD_PLACEHOLDER if period_header(v, 2000) else fold(v)
        if not (part == PERIOD_PLACEHOLDER and parts and parts[-1] == PERIOD_PLACEHOLDER):
            parts.append(part)  # a run of periods is one part: any number of months is the same shape
    return "|".join(parts)


def find(sheet: Sheet, mappings: dict[str, ColumnMapping]) -> ColumnMapping | None:
    """A saved mapping whose signature matches one of the sheet's first rows;
    the header row is where it matched (titles above it may differ)."""
    if not mappings:
        return None
    for r in range(min(SCAN_ROWS, len(sheet.cells))):
        for across in (False, True):
            sig = signature(sheet.cells, r, across)
            saved = mappings.get(sig) if sig else None
            if saved is not None and saved.periods_across == across:
                return replace(saved, header_row=r, columns=dict(saved.columns))
    return None


def guess(sheet: Sheet, header_row: int) -> ColumnMapping:
    """A first guess for the editor: known header spellings, then indicator
    names for wide columns; everything else is ignored."""
    columns: dict[int, str] = {}
    taken: set[str] = set()
    for c, cell in enumerate(header_cells(sheet.cells, header_row)):
        if cell is None or not str(cell).strip():
            continue
        key = header_key(cell)
        role = next((r for r in ROLES if key in ROLE_SPELLINGS.get(r, ()) and r not in taken), None)
        if role is None and _ROLE_EXACT.get(key) not in (None, *taken):
            role = _ROLE_EXACT[key]
        if role is None and not is_growth_header(cell):
            role = next((r for r, hints in _ROLE_HINTS.items()
                         if r not in taken and any(h in key for h in hints)), None)
        if role:
            columns[c] = role
            taken.add(role)
        elif is_growth_header(cell):
            columns[c] = IGNORE
        elif is_known_indicator(cell):
            columns[c] = WIDE_PREFIX + match_indicator(cell)
        else:
            inside = next((ind for alias, ind in _ALIASES_LONGEST_FIRST if alias in key), None)
            columns[c] = WIDE_PREFIX + inside if inside else IGNORE
    if not taken & set(FIRM_KEY_ROLES):  # an industry column of a park sheet is no firm's code
        columns = {c: IGNORE if r in FIRM_ONLY_ROLES else r for c, r in columns.items()}
    return ColumnMapping(header_row=header_row, columns=columns)


def read(sheet: Sheet, ctx: FileContext, mapping: ColumnMapping) -> Parsed:
    problems = mapping.problems()
    if problems:
        raise NoHeader("列映射不完整：" + "；".join(problems), file=ctx.file_name, sheet=sheet.name,
                       row=mapping.header_row + 1)
    cells = sheet.cells
    width = cells.shape[1]
    used = [c for c in mapping.columns if c >= width]
    if used:
        raise NoHeader(f"列映射用到第 {column_letter(used[0])} 列，但工作表只有 {width} 列",
                       file=ctx.file_name, sheet=sheet.name, row=mapping.header_row + 1)
    if mapping.periods_across:
        return _read_across(sheet, ctx, mapping)
    top = header_cells(cells, mapping.header_row)
    labels = {c: ("" if v is None else str(v).strip()) for c, v in enumerate(top)}
    subs: dict[int, Sub] = {}
    first_body = mapping.header_row + 1
    if mapping.second_header_row:
        below = row_cells(cells, mapping.header_row + 1)
        for c, (_, title) in carried_groups(list(top), below, 0).items():
            labels[c] = title
            sub = sub_header(below[c] if c < len(below) else None)
            if sub is not None:
                subs[c] = sub
        first_body += 1
    body = cells.iloc[first_body:]
    rows = body.index + 1
    roles = mapping.role_columns()
    located = {role: (column_letter(c), labels.get(c, "")) for role, c in roles.items()}
    fixed = _fixed_values(sheet, ctx, mapping)
    located.update({role: ("A", "整表设定") for role in fixed})

    def column(role: str):
        return body[roles[role]] if role in roles else fixed[role]

    warnings: list[str] = []
    growths: list[pd.DataFrame] = []
    if mapping.wide:
        frames = []
        for c, choice in sorted(mapping.wide.items()):
            label = labels.get(c, "")
            indicator = match_indicator(label) if choice == WIDE_BY_HEADER else choice[len(WIDE_PREFIX):]
            if not indicator:
                raise NoHeader("指标列的表头为空，请选择具体指标", file=ctx.file_name, sheet=sheet.name,
                               row=mapping.header_row + 1, column=column_letter(c))
            _, unit = split_unit(label)
            if unit is not None and unit_factor(unit) is None:
                unit = None
            sub = subs.get(c)
            frame = pd.DataFrame({
                "park": column("park"), "period": column("period"), "indicator": indicator,
                "basis": sub.basis if sub else mapping.basis, "value": body[c], "unit": unit, "row": rows,
                "value_column": [(column_letter(c), label)] * len(body)})
            if sub is not None and sub.kind == "growth":
                growths.append(frame)
            elif sub is None or sub.months_back == 0:
                frames.append(frame)
        raw = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        if len(raw):
            raw["unit"] = raw["unit"].astype(object)
    else:
        raw = pd.DataFrame({role: body[c] for role, c in roles.items()})
        for role, value in fixed.items():
            raw[role] = value
        raw["row"] = rows
        if mapping.indicator_from_note:
            note = _indicator_note(sheet, ctx, mapping)
            m = meaning(note)
            raw["indicator"] = m.name
            raw["unit"] = m.unit
            raw["basis"] = m.basis or mapping.basis
            if m.kind == "growth":
                raw["indicator"] = match_indicator(m.name)
                growths.append(raw)
                raw = pd.DataFrame()
        elif "unit" not in roles:
            warnings.append(f"工作表「{sheet.name}」没有单位列，数值按各指标的标准单位（万元、亩、户）读取")
    where = Located(ctx.file_name, sheet.name, located)
    if len(raw):
        observations, skipped, more = normalise_long(raw, where, default_basis=mapping.basis)
    else:
        observations, skipped, more = empty_frame(OBSERVATION_COLUMNS), [], []
    seen, unique = set(), []
    for s in skipped:
        if (s.row, s.reason) not in seen:  # a wide row is reported once, not once per column
            seen.add((s.row, s.reason))
            unique.append(s)
    growth = normalise_growth(pd.concat(growths, ignore_index=True), where) if growths else empty_frame(GROWTH_COLUMNS)
    return Parsed(ctx.file_name, FAMILY, observations, growth, empty_frame(INDUSTRY_COLUMNS),
                  unique, warnings + more)


def _fixed_values(sheet: Sheet, ctx: FileContext, mapping: ColumnMapping) -> dict[str, object]:
    """The park and period the mapping fixes for the whole sheet (role → value)."""
    out: dict[str, object] = {}
    if mapping.fixed_park and "park" not in mapping.role_columns():
        if mapping.fixed_park == FROM_TITLE:
            park, _ = sheet_park(sheet, ctx, mapping.header_row)
            if not park:
                raise NoHeader("标题和文件名中都找不到园区名称，请在列映射中直接填写园区", file=ctx.file_name,
                               sheet=sheet.name, row=1, column="A")
            out["park"] = park
        else:
            out["park"] = mapping.fixed_park.strip()
    if mapping.fixed_period and "period" not in mapping.role_columns():
        if mapping.fixed_period == FROM_TITLE:
            period = sheet_period(sheet, ctx, mapping.header_row)
            if period is None:
                raise NoHeader("标题和工作表名称中都找不到统计期，请在列映射中直接填写统计期（如 2024-03）",
                               file=ctx.file_name, sheet=sheet.name, row=1, column="A")
            out["period"] = period.date
        else:
            out["period"] = parse_period(mapping.fixed_period).date
    return out


def _indicator_note(sheet: Sheet, ctx: FileContext, mapping: ColumnMapping) -> str:
    notes = labelled_notes(sheet, mapping.header_row)
    if "指标" not in notes or not notes["指标"][2]:
        raise NoHeader(f"列映射要求指标取自表头上方的“指标：”一行，但第 1–{mapping.header_row} 行中没有这一行",
                       file=ctx.file_name, sheet=sheet.name, row=mapping.header_row + 1)
    return notes["指标"][2]


def _read_across(sheet: Sheet, ctx: FileContext, mapping: ColumnMapping) -> Parsed:
    """The header row holds the periods; rows are parks (the indicator from
    the ``指标：`` line) or indicators (one park for the sheet)."""
    from parkbench.ingest import family_f1, family_f2

    top = header_cells(sheet.cells, mapping.header_row)
    roles = mapping.role_columns()
    fixed = _fixed_values(sheet, ctx, mapping)
    year = fixed["period"].year if "period" in fixed else sheet_year(sheet, ctx, mapping.header_row)
    periods = period_columns(list(top), year, set(roles.values()))
    if not periods:
        raise NoHeader(f"第 {mapping.header_row + 1} 行中没有可识别的统计期（如“2024年3月”“3月”“1-3月”），"
                       "月份没有年份时请在标题中注明年份或填写整表统计期",
                       file=ctx.file_name, sheet=sheet.name, row=mapping.header_row + 1)
    labels = {c: str(v).strip() for c, v in enumerate(top) if v is not None}
    header = Header(row=mapping.header_row, columns=dict(roles), labels=labels)
    unit_note = labelled_notes(sheet, mapping.header_row).get("单位", (0, 0, None))[2]
    if "indicator" in roles:
        park = fixed.get("park")
        parsed = family_f1.read_indicator_rows(sheet, ctx, header, periods, park, FAMILY, unit_note, mapping.basis)
    else:
        notes = labelled_notes(sheet, mapping.header_row)
        _indicator_note(sheet, ctx, mapping)
        parsed = family_f2.read_park_rows(sheet, ctx, header, periods, notes["指标"], unit_note, mapping.basis)
    parsed.family = FAMILY
    return parsed


def likely_header_row(sheet: Sheet) -> int:
    """The editor's first guess at the header row (0-based): the first of the
    top rows with the most filled cells that are all text."""
    best, best_count = 0, 0
    for r in range(min(SCAN_ROWS, len(sheet.cells))):
        cells = [v for v in sheet.cells.iloc[r] if v is not None and str(v).strip()]
        if cells and all(isinstance(v, str) for v in cells) and len(cells) > best_count:
            best, best_count = r, len(cells)
    return best
