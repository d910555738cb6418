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
from dataclasses import dataclass, field

import pandas as pd

from parkbench.catalog import INDICATOR_BY_ID, INDICATORS
from parkbench.ingest.errors import NoHeader
from parkbench.ingest.headers import ROLE_SPELLINGS, header_key, is_growth_header
from parkbench.ingest.model import GROWTH_COLUMNS, INDUSTRY_COLUMNS, FileContext, Parsed, Sheet, empty_frame
from parkbench.ingest.rows import Located, normalise_long
from parkbench.normalize import column_letter, fold, is_known_indicator, match_indicator, split_unit, unit_factor

FAMILY = "M"
TITLE = "按已保存的列映射读取"
SCAN_ROWS = 25

# Long-table roles, in the order the editor offers them.
ROLES: dict[str, str] = {
    "park": "园区",
    "period": "统计期",
    "indicator": "指标",
    "basis": "口径",
    "value": "数值",
    "unit": "单位",
}
IGNORE = "ignore"
WIDE_PREFIX = "wide:"  # "wide:tax" — the column holds values of that indicator
WIDE_BY_HEADER = "wide:*"  # the column's own header names the indicator
BASIS_LABELS = {"month": "本月", "ytd": "累计"}

# Words that, inside a header the readers do not know, suggest a role (first guess only).
_ROLE_HINTS: dict[str, tuple[str, ...]] = {
    "park": ("园区", "开发区", "集聚区", "地区", "单位名称"),
    "period": ("月份", "日期", "期间", "年月", "统计期", "时间"),
    "indicator": ("指标",),
    "unit": ("单位",),
    "basis": ("口径",),
}
_ALIASES_LONGEST_FIRST = sorted(((fold(a), i.id) for i in INDICATORS for a in i.aliases), key=lambda p: -len(p[0]))


def role_label(role: str) -> str:
    """Chinese label of a mapping choice, for the editor."""
    if role == IGNORE:
        return "忽略"
    if role == WIDE_BY_HEADER:
        return "指标列（以表头为指标名）"
    if role.startswith(WIDE_PREFIX):
        ind = INDICATOR_BY_ID.get(role[len(WIDE_PREFIX):])
        name = ind.zh if ind else role[len(WIDE_PREFIX):]
        unit = f"（{ind.unit}）" if ind else ""
        return f"指标列：{name}{unit}"
    return ROLES.get(role, role)


def choices() -> list[str]:
    """Every mapping choice, long roles first, then one per catalogue indicator."""
    return [*ROLES, WIDE_BY_HEADER, *(WIDE_PREFIX + i.id for i in INDICATORS), IGNORE]


@dataclass
class ColumnMapping:
    """Which row is the header (0-based) and what each column means
    (0-based column → choice). Columns not listed are ignored. ``basis``
    applies to wide indicator columns (本月 or 累计)."""

    header_row: int
    columns: dict[int, str] = field(default_factory=dict)
    basis: str = "month"

    def to_json(self) -> str:
        return json.dumps({"columns": {str(k): v for k, v in sorted(self.columns.items())}, "basis": self.basis},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, header_row: int, text: str) -> ColumnMapping:
        data = json.loads(text)
        return cls(header_row=int(header_row), columns={int(k): v for k, v in data["columns"].items()},
                   basis=data.get("basis", "month"))

    @property
    def wide(self) -> dict[int, str]:
        return {c: r for c, r in self.columns.items() if r.startswith(WIDE_PREFIX)}

    def role_columns(self) -> dict[str, int]:
        return {r: c for c, r in self.columns.items() if r in ROLES}

    def problems(self) -> list[str]:
        """Why this mapping cannot be read (empty when it can), in Chinese."""
        out = []
        counts = pd.Series([r for r in self.columns.values() if r in ROLES], dtype=object).value_counts()
        for role, n in counts.items():
            if n > 1:
                out.append(f"“{ROLES[role]}”只能指定一列（现在有 {n} 列）")
        roles = set(counts.index)
        for role in ("park", "period"):
            if role not in roles:
                out.append(f"请指定“{ROLES[role]}”列")
        long_ok = {"indicator", "value"} <= roles
        if self.wide and (roles & {"indicator", "value"}):
            out.append("长表（“指标”+“数值”列）和宽表（指标列）不能混用")
        elif not self.wide and not long_ok:
            out.append("请指定“指标”和“数值”列（长表），或至少一个指标列（宽表）")
        if self.basis not in BASIS_LABELS:
            out.append(f"口径“{self.basis}”应为 本月 或 累计")
        return out


def header_cells(cells: pd.DataFrame, row: int) -> list[object]:
    if row >= len(cells):
        return []
    values = list(cells.iloc[row])
    while values and (values[-1] is None or not str(values[-1]).strip()):
        values.pop()
    return values


def signature(cells: pd.DataFrame, row: int) -> str:
    """The shape of a sheet as seen from its header row: the folded header
    cells joined by ``|`` (empty cells kept as empty). Two files with the same
    columns in the same order share a signature."""
    return "|".join(fold(v) for v in header_cells(cells, row))


def find(sheet: Sheet, mappings: dict[str, ColumnMapping]) -> ColumnMapping | None:
    """A saved mapping whose signature matches one of the sheet's first rows;
    the header row is where it matched (titles above it may differ)."""
    if not mappings:
        return None
    for r in range(min(SCAN_ROWS, len(sheet.cells))):
        sig = signature(sheet.cells, r)
        if sig and sig in mappings:
            saved = mappings[sig]
            return ColumnMapping(header_row=r, columns=dict(saved.columns), basis=saved.basis)
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
        role = next((r for r in ROLES if key in ROLE_SPELLINGS[r] and r not in taken), None)
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
    return ColumnMapping(header_row=header_row, columns=columns)


def read(sheet: Sheet, ctx: FileContext, mapping: ColumnMapping) -> Parsed:
    problems = mapping.problems()
    if problems:
        raise NoHeader("列映射不完整：" + "；".join(problems), file=ctx.file_name, sheet=sheet.name,
                       row=mapping.header_row + 1)
    cells = sheet.cells
    labels = {c: ("" if v is None else str(v).strip()) for c, v in enumerate(header_cells(cells, mapping.header_row))}
    width = cells.shape[1]
    used = [c for c in mapping.columns if c >= width]
    if used:
        raise NoHeader(f"列映射用到第 {column_letter(used[0])} 列，但工作表只有 {width} 列",
                       file=ctx.file_name, sheet=sheet.name, row=mapping.header_row + 1)
    body = cells.iloc[mapping.header_row + 1:]
    rows = body.index + 1
    roles = mapping.role_columns()
    located = {role: (column_letter(c), labels.get(c, "")) for role, c in roles.items()}
    warnings: list[str] = []
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
            frames.append(pd.DataFrame({
                "park": body[roles["park"]], "period": body[roles["period"]], "indicator": indicator,
                "basis": mapping.basis, "value": body[c], "unit": unit, "row": rows,
                "value_column": [(column_letter(c), label)] * len(body)}))
        raw = pd.concat(frames, ignore_index=True)
        raw["unit"] = raw["unit"].astype(object)
    else:
        raw = pd.DataFrame({role: body[c] for role, c in roles.items()})
        raw["row"] = rows
        if "unit" not in roles:
            warnings.append(f"工作表「{sheet.name}」没有单位列，数值按各指标的标准单位（万元、亩、户）读取")
    where = Located(ctx.file_name, sheet.name, located)
    observations, skipped, more = normalise_long(raw, where, default_basis=mapping.basis)
    if mapping.wide:
        seen, unique = set(), []
        for s in skipped:
            if (s.row, s.reason) not in seen:
                seen.add((s.row, s.reason))
                unique.append(s)
        skipped = unique
    return Parsed(ctx.file_name, FAMILY, observations, empty_frame(GROWTH_COLUMNS), empty_frame(INDUSTRY_COLUMNS),
                  skipped, warnings + more)


def likely_header_row(sheet: Sheet) -> int:
    """The editor's first guess at the header row (0-based): the first of the
    top rows with the most filled cells that are all text."""
    best, best_count = 0, 0
    for r in range(min(SCAN_ROWS, len(sheet.cells))):
        cells = [v for v in sheet.cells.iloc[r] if v is not None and str(v).strip()]
        if cells and all(isinstance(v, str) for v in cells) and len(cells) > best_count:
            best, best_count = r, len(cells)
    return best
