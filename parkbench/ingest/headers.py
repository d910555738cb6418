"""Header rows: which row is the header, and which column plays which role.

Column headers vary (指标 · 指标名称 · 项目); each role lists the spellings we
accept after folding (simplified, half-width, no spaces, unit brackets cut).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from parkbench.ingest.normalize import fold, split_unit

SCAN_ROWS = 25  # a header is looked for in a sheet's first rows only

ROLE_SPELLINGS: dict[str, frozenset[str]] = {
    "park": frozenset({"园区", "园区名称", "开发区", "开发区名称", "园区(开发区)", "单位名称", "园区/开发区",
                       "产业园区", "集聚区", "工业园区", "名称", "地区", "县(市、区)", "县(市,区)", "县",
                       "县市区", "县区"}),
    "period": frozenset({"统计期", "月份", "期间", "日期", "时间", "年月", "统计月份", "报告期", "统计期间",
                         "统计时间", "所属期"}),
    "indicator": frozenset({"指标", "指标名称", "项目", "指标项", "项目名称"}),
    "basis": frozenset({"口径", "统计口径", "类型", "数据类型", "数据口径"}),
    "value": frozenset({"数值", "值", "数据", "指标值", "本期值", "数量", "金额"}),
    "unit": frozenset({"单位", "计量单位", "单位名称(计量)"}),
    "industry": frozenset({"产业名称", "行业", "产业", "行业名称", "产业类别", "产业门类"}),
    "leading": frozenset({"是否主导产业", "主导产业", "主导", "是否主导", "主导产业标识"}),
    "firms": frozenset({"企业数", "企业数量", "企业个数", "企业户数", "规上企业数"}),
    "output": frozenset({"产值", "工业总产值", "总产值", "规上工业总产值"}),
    "serial": frozenset({"序号", "编号", "排名", "序"}),
}


def header_key(cell: object) -> str:
    """A header cell as compared with ROLE_SPELLINGS: folded, unit brackets cut."""
    name, _ = split_unit(cell)
    return name


# Park headers that may name a county or a reporting unit rather than the park:
# where a sheet also has a 园区 / 开发区 column, that one is the park.
WEAK_PARK_SPELLINGS = frozenset({"地区", "县", "县(市、区)", "县(市,区)", "县市区", "县区", "单位名称", "名称"})


def _better_park(role: str, cell: object, current: object) -> bool:
    return (role == "park" and header_key(current) in WEAK_PARK_SPELLINGS
            and header_key(cell) not in WEAK_PARK_SPELLINGS)


def role_of(cell: object, roles: tuple[str, ...]) -> str | None:
    key = header_key(cell)
    for role in roles:
        if key in ROLE_SPELLINGS[role]:
            return role
    return None


@dataclass
class Header:
    row: int  # 0-based position in the sheet
    columns: dict[str, int]  # role → 0-based column
    labels: dict[int, str]  # column → header text as written


def find_header(cells: pd.DataFrame, roles: tuple[str, ...], required: set[str],
                scan_rows: int = SCAN_ROWS) -> Header | None:
    """The first row within ``scan_rows`` that names every required role."""
    for r in range(min(scan_rows, len(cells))):
        row = cells.iloc[r]
        found: dict[str, int] = {}
        for c, cell in row.items():
            if cell is None:
                continue
            role = role_of(cell, roles)
            if role and (role not in found or _better_park(role, cell, row[found[role]])):
                found[role] = int(c)
        if required <= found.keys():
            labels = {int(c): str(v).strip() for c, v in row.items() if v is not None}
            return Header(row=r, columns=found, labels=labels)
    return None


def first_text(cells: pd.DataFrame, rows: range) -> list[str]:
    """Non-empty texts of the given rows (for titles and notes above a header)."""
    out = []
    for r in rows:
        if r >= len(cells):
            break
        out.extend(str(v) for v in cells.iloc[r] if v is not None and str(v).strip())
    return out


def is_growth_header(cell: object) -> bool:
    key = fold(cell)
    return any(w in key for w in ("同比", "增长", "增速", "±%", "比上年", "增幅")) and "计划" not in key


def is_plan_header(cell: object) -> bool:
    """完成年计划% · 占年任务% · 年计划: a ratio to a target, never growth nor a level."""
    key = fold(cell)
    return any(w in key for w in ("计划", "任务", "目标"))
