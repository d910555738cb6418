"""A park's leading industries (主导产业) as named groups of GB/T 4754-2017 code
prefixes, each from a start month (docs/enterprises.md rule 4, shape N6), and the
name → code table for firms whose sheets give an industry name but no code.

Saving groups (the page's editor, ``leading set`` on the command line) stores the
park's whole list as one N6 list, recorded as an upload (who, when; ``undo``
restores the list it replaced), in one transaction that rebuilds the park's
models, so ``leading_output`` and ``leading_share`` of a park built from its
enterprises follow. As with an N6 file, the list restates the park's list from
its earliest start month on; months before that keep the list stored before.

Saving the name → code table replaces it whole and rebuilds every park (a firm's
code can change in any park). A name equal to a 大类 name needs no row: the
models map it (queries/intermediate/int_enterprise_members.sql).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass

import duckdb
import pandas as pd

from parkbench import store
from parkbench.errors import LeadingError
from parkbench.ingest.enterprise.codes import code_prefixes, industry_code
from parkbench.models import sql

_SEPARATORS = re.compile(r"[、,，;；/\s]+")
_SECTION = re.compile(r"^[A-Z]$")
_SPACES = re.compile(r"[\s\u3000]")
MAX_NAME = 40


@dataclass(frozen=True)
class LeadingGroup:
    """One leading group: its name, its code prefixes (digits) and its start month."""

    name: str
    prefixes: tuple[str, ...]
    valid_from: dt.date


# ---------------------------------------------------------------- GB/T 4754 codes

def code_table(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """code, level, section, name of every 门类 and 大类 (queries/reads/industry_code_names.sql)."""
    return sql.query(con, "reads/industry_code_names")


def _majors(codes: pd.DataFrame) -> dict[str, str]:
    """大类 two digits → its 门类 letter."""
    majors = codes[codes["level"] == "大类"]
    return dict(zip(majors["code"], majors["section"], strict=True))


def parse_prefixes(text: str, codes: pd.DataFrame) -> tuple[str, ...]:
    """The code prefixes a cell lists (``C13、14``, ``33-40``, ``C`` for a whole
    门类), checked against GB/T 4754-2017: a 门类 letter that exists (its 大类
    follow), or digits whose 大类 exists. Raises ``LeadingError`` in Chinese."""
    majors = _majors(codes)
    out: list[str] = []
    for part in _SEPARATORS.split(unicodedata.normalize("NFKC", str(text or "")).upper()):
        if part:
            out += _one_part(part, majors)
    if not out:
        raise LeadingError("没有填写行业代码（GB/T 4754-2017 门类字母或 2–4 位数字，如 C、13、33-40）")
    return tuple(dict.fromkeys(out))


def _one_part(part: str, majors: dict[str, str]) -> list[str]:
    if _SECTION.match(part):
        found = sorted(code for code, section in majors.items() if section == part)
        if not found:
            raise LeadingError(f"“{part}”不是 GB/T 4754-2017 的门类字母")
        return found
    try:
        prefixes = code_prefixes(part)
    except ValueError as exc:
        raise LeadingError(str(exc)) from None
    for prefix in prefixes:
        section = majors.get(prefix[:2])
        if section is None:
            raise LeadingError(f"“{part}”：GB/T 4754-2017 没有大类 {prefix[:2]}")
        if part[0].isalpha() and part[0] != section:
            raise LeadingError(f"“{part}”：大类 {prefix[:2]} 属于门类 {section}，不属于 {part[0]}")
    return prefixes


def prefix_names(prefixes, codes: pd.DataFrame) -> str:
    """Prefixes as GB/T 4754 names: ``13 农副食品加工业、3841（属 38 电气机械和器材制造业）``."""
    names = dict(zip(codes["code"], codes["name"], strict=True))
    parts = []
    for prefix in prefixes:
        major = names.get(prefix[:2], "")
        parts.append(f"{prefix} {major}" if len(prefix) == 2 else f"{prefix}（属 {prefix[:2]} {major}）")
    return "、".join(parts)


# ---------------------------------------------------------------- reads

def groups(con: duckdb.DuckDBPyConnection, park: str) -> pd.DataFrame:
    """group_name, prefixes, valid_from, valid_to, in_force of every stored group of ``park``."""
    return sql.query(con, "reads/leading_groups", park=store.canonical_name(con, park))


def groups_in_force(con: duckdb.DuckDBPyConnection, park: str) -> list[LeadingGroup]:
    """The park's latest list: the groups with no end month."""
    frame = groups(con, park)
    return [LeadingGroup(r.group_name, tuple(r.prefixes), pd.Timestamp(r.valid_from).date())
            for r in frame[frame["in_force"]].itertuples(index=False)]


def figures(con: duckdb.DuckDBPyConnection, park: str, period) -> pd.DataFrame:
    """Per leading group at ``period``: firms (户), output (万元), share (%), growth
    (累计同比 %) — queries/reads/leading_group_figures.sql."""
    return sql.query(con, "reads/leading_group_figures", park=store.canonical_name(con, park),
                     period=pd.Timestamp(period).date().replace(day=1))


def enterprise_parks(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The parks with enterprise rows."""
    return list(sql.query(con, "reads/enterprise_parks")["park"])


def periods(con: duckdb.DuckDBPyConnection, park: str) -> list[dt.date]:
    """The months ``park`` has output summed from its firms, latest first."""
    frame = sql.query(con, "reads/leading_periods", park=store.canonical_name(con, park))
    return [pd.Timestamp(p).date() for p in frame["period"]]


def name_codes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """name, code, updated_by, updated_at of the user's name → code table."""
    return sql.query(con, "reads/industry_name_codes")


# ---------------------------------------------------------------- writes

def make_group(name, codes_text, start, codes: pd.DataFrame) -> LeadingGroup:
    """A group from what a user typed (name, ``13、14``, ``2024-01`` or a date)."""
    clean = str(name or "").strip()
    if not clean:
        raise LeadingError("主导产业名称不能为空")
    if len(clean) > MAX_NAME:
        raise LeadingError(f"主导产业名称“{clean}”太长（最多 {MAX_NAME} 个字）")
    try:
        prefixes = parse_prefixes(codes_text, codes)
    except LeadingError as exc:
        raise LeadingError(f"主导产业“{clean}”：{exc}") from None
    return LeadingGroup(clean, prefixes, _month(start, clean))


def _month(value, group: str) -> dt.date:
    try:
        if isinstance(value, str):
            year, month = re.split(r"[-/.年]", value.strip().rstrip("月"))[:2]
            return dt.date(int(year), int(month), 1)
        return pd.Timestamp(value).date().replace(day=1)
    except (ValueError, TypeError):
        raise LeadingError(f"主导产业“{group}”的起始年月“{value}”应写成 YYYY-MM，例如 2024-01") from None


def save_groups(con: duckdb.DuckDBPyConnection, park: str, new_groups: list[LeadingGroup], by: str | None,
                source: str = "页面编辑") -> str:
    """Store ``new_groups`` as the park's list (one transaction, recorded as an
    upload by ``by``) and rebuild the park's models. Returns a Chinese sentence."""
    park_id = store.find_park(con, park)
    if park_id is None:
        raise LeadingError(f"未知园区“{park}”")
    if not new_groups:
        raise LeadingError("至少需要一个主导产业（目录不能保存为空）")
    keys = [(g.name, g.valid_from) for g in new_groups]  # one name may list codes from two start months
    if len(set(keys)) < len(keys):
        raise LeadingError("主导产业名称与起始年月重复：" + "、".join(sorted({f"{n}（{d:%Y-%m}）" for n, d in keys
                                                                  if keys.count((n, d)) > 1})))
    canonical = store.canonical_name(con, park)
    listed = json.dumps([[g.name, list(g.prefixes), f"{g.valid_from:%Y-%m}"] for g in new_groups], ensure_ascii=False)
    with store.transaction(con, f"保存园区“{canonical}”的主导产业"):
        upload_id = int(sql.query(con, "commands/leading_list_upload", file_name=f"主导产业目录（{source}：{canonical}）",
                                  sha256=hashlib.sha256(listed.encode()).hexdigest(),
                                  row_count=sum(len(g.prefixes) for g in new_groups), by=by).iloc[0, 0])
        for g in new_groups:
            sql.execute(con, "commands/leading_group_add", park_id=park_id, group=g.name, prefixes=list(g.prefixes),
                        valid_from=g.valid_from, upload_id=upload_id)
        sql.build_tables(con, [park_id])
    start = min(g.valid_from for g in new_groups)
    return (f"已保存园区“{canonical}”的主导产业目录（{len(new_groups)} 个主导产业），自 {start:%Y-%m} 起取代此前的目录；"
            f"记为上传 {upload_id}，可撤销")


def set_group(con: duckdb.DuckDBPyConnection, park: str, group: LeadingGroup, by: str | None,
              source: str = "命令行") -> str:
    """Add ``group`` to the park's list in force, or replace the group of that name, and save the list."""
    kept = [g for g in groups_in_force(con, park) if g.name != group.name]
    return save_groups(con, park, [*kept, group], by, source)


def name_key(name: str) -> str:
    """The key an industry name is matched on: every space removed (as the models do)."""
    return _SPACES.sub("", name)


def make_name_code(name, code, codes: pd.DataFrame) -> tuple[str, str]:
    """(name, code digits) from a row a user typed, the code checked against GB/T 4754-2017."""
    clean = str(name or "").strip()
    if not clean:
        raise LeadingError("行业名称不能为空")
    try:
        digits = industry_code(code)
    except ValueError as exc:
        raise LeadingError(f"行业名称“{clean}”：{exc}") from None
    if digits is None:
        raise LeadingError(f"行业名称“{clean}”没有填写行业代码")
    if digits[:2] not in _majors(codes):
        raise LeadingError(f"行业名称“{clean}”：GB/T 4754-2017 没有大类 {digits[:2]}")
    return clean, digits


def save_name_codes(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str]], by: str | None) -> str:
    """Replace the name → code table with ``rows`` (from ``make_name_code``) and
    rebuild every park. Returns a Chinese sentence."""
    keys = [name_key(name) for name, _ in rows]
    if len(set(keys)) < len(keys):
        raise LeadingError("行业名称重复：" + "、".join(sorted({n for (n, _), k in zip(rows, keys, strict=True)
                                                          if keys.count(k) > 1})))
    with store.transaction(con, "保存行业名称对照表"):
        sql.execute(con, "commands/industry_name_codes_clear")
        for (name, code), key in zip(rows, keys, strict=True):
            sql.execute(con, "commands/industry_name_code_add", name_key=key, industry_name=name, code=code, by=by)
        sql.build_tables(con)
    return f"已保存行业名称对照表（{len(rows)} 条）"
