"""Fast path for family C delivered as CSV: DuckDB reads the file, and every
distinct park, period, indicator, basis, unit and odd number text is parsed
once in Python (the same functions as the general reader) and joined back.

A million-row long table costs a second instead of a quarter of a minute, and
the rules are the general reader's: the same parsers decide every value, the
same refusals name the same row and column. Anything this path does not
recognise on its first line (another layout, a header further down) goes
through the general path instead.
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath

import duckdb
import pandas as pd

from parkbench.catalog import INDICATOR_BY_ID
from parkbench.ingest.errors import BadCell
from parkbench.ingest.headers import role_of
from parkbench.ingest.model import GROWTH_COLUMNS, INDUSTRY_COLUMNS, Parsed, Skipped, empty_frame
from parkbench.ingest.rows import MAX_SKIPPED_LISTED, _basis, _factor, _indicator, keep_land_apart
from parkbench.ingest.tables import decode_text
from parkbench.normalize import (
    column_letter,
    display_text,
    is_footnote,
    is_total_name,
    parse_number,
    parse_period,
    resolve_land,
)

ROLES = ("park", "period", "indicator", "basis", "value", "unit")
REQUIRED = {"park", "period", "indicator", "value"}
MIN_BYTES = 1_000_000  # small files go through the general reader; this path pays off on large ones


def header_roles(first_line: str) -> dict[str, tuple[int, str]] | None:
    cells = [c.strip().strip('"') for c in first_line.split(",")]
    found: dict[str, tuple[int, str]] = {}
    for i, cell in enumerate(cells):
        role = role_of(cell, ROLES)
        if role and role not in found:
            found[role] = (i, cell)
    return found if REQUIRED <= found.keys() else None


def try_read(data: bytes, file_name: str) -> Parsed | None:
    """The parsed file, or ``None`` when this is not a plain long CSV."""
    if len(data) < MIN_BYTES or PurePath(file_name).suffix.lower() not in (".csv", ".txt"):
        return None
    # Look at the first line before decoding the whole file: any other layout goes
    # to the general reader, which would otherwise decode it a second time.
    head = data[:65536].split(b"\n", 1)[0]
    first_line = decode_text(head, file_name).rstrip("\r").lstrip("\ufeff")
    roles = header_roles(first_line)
    if roles is None or "\t" in first_line:
        return None
    text = decode_text(data, file_name)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.csv"
        path.write_text(text, encoding="utf-8")
        del text
        con = duckdb.connect()
        try:
            return _read(con, path, roles, file_name)
        finally:
            con.close()


def _read(con, path: Path, roles: dict[str, tuple[int, str]], file_name: str) -> Parsed:
    sheet = PurePath(file_name).stem
    # Column names below are built from column positions found by this module, never from file text.
    picks = ", ".join(f"#{i + 1} as {role}" for role, (i, _) in roles.items())
    con.execute(
        f"create table raw as select row_number() over () + 1 as row, {picks} "
        "from read_csv($path, header = false, skip = 1, all_varchar = true, delim = ',', quote = '\"', "
        "escape = '\"', null_padding = true)",
        {"path": str(path)})

    def where(role: str) -> tuple[str, str]:
        i, header = roles[role]
        return column_letter(i), header

    def refuse(reason: str, row: int, role: str) -> BadCell:
        letter, header = where(role)
        return BadCell(reason, file=file_name, sheet=sheet, row=int(row), column=letter, header=header)

    def mapping(role: str, parse, columns: list[str]) -> None:
        distinct = con.execute(f"select {role} as raw, min(row) as row from raw group by {role}").fetchall()
        rows = []
        for raw_value, first_row in distinct:
            try:
                rows.append((raw_value, *parse(raw_value)))
            except ValueError as exc:
                raise refuse(str(exc), first_row, role) from None
        frame = pd.DataFrame(rows, columns=["raw", *columns])
        con.register(f"{role}_map_frame", frame)
        con.execute(f"create table {role}_map as select * from {role}_map_frame")
        con.unregister(f"{role}_map_frame")

    mapping("park", lambda v: (display_text(v), v is None or not str(v).strip() or is_total_name(v) or is_footnote(v)),
            ["park", "noise"])
    mapping("period", lambda v: (parse_period(v).date, parse_period(v).cumulative), ["period", "cumulative"])
    mapping("indicator", lambda v: (_indicator(v),), ["indicator"])
    land_warning = _keep_land_apart(con, sheet)
    if "basis" in roles:
        mapping("basis", lambda v: (_basis(v),), ["basis"])
    else:
        con.execute("create table basis_map as select null::varchar as raw, 'month' as basis")
    _unit_map(con, roles, refuse)
    _number_map(con, refuse)

    basis_join = "left join basis_map b on b.raw is not distinct from r.basis" if "basis" in roles else \
        "cross join basis_map b"
    unit_join = "left join unit_map u on u.indicator_raw is not distinct from r.indicator and u.raw is not distinct from r.unit" \
        if "unit" in roles else "left join unit_map u on u.indicator_raw is not distinct from r.indicator"
    kinds = pd.DataFrame([(i.id, i.kind) for i in INDICATOR_BY_ID.values()], columns=["indicator", "kind"])
    con.register("kinds", kinds)
    con.execute(f"""
        create table joined as
        select r.row, p.park, p.noise, i.indicator, pe.period,
               case when k.kind = 'stock' then 'stock'
                    when pe.cumulative and b.basis = 'month' then 'ytd'  -- `1-2月` is February's 累计
                    else b.basis end as basis,
               k.kind,
               coalesce(try_cast(replace(trim(r.value), ',', '') as double), n.number) * u.factor as value
        from raw r
        join park_map p on p.raw is not distinct from r.park
        join period_map pe on pe.raw is not distinct from r.period
        join indicator_map i on i.raw is not distinct from r.indicator
        {basis_join}
        {unit_join}
        left join number_map n on n.raw = r.value
        left join kinds k on k.indicator = i.indicator
    """)
    skipped = [Skipped(sheet, int(r), "合计行，不是园区" if is_total_name(name) else "注释行或园区名称为空")
               for r, name in con.execute(
                   "select j.row, r.park from joined j join raw r using (row) where j.noise order by j.row limit $n",
                   {"n": MAX_SKIPPED_LISTED}).fetchall()]
    missing = con.execute("select row from joined where not noise and value is null order by row").fetchall()
    skipped += [Skipped(sheet, int(r), "未报送（空值或“—”等标记），不按 0 处理") for (r,) in missing[:MAX_SKIPPED_LISTED]]
    warnings = land_warning
    if len(missing) > MAX_SKIPPED_LISTED:
        warnings.append(f"工作表「{sheet}」另有 {len(missing) - MAX_SKIPPED_LISTED} 个未报送的值未列出")
    if "unit" not in roles:
        warnings.append(f"工作表「{sheet}」没有单位列，数值按各指标的标准单位（万元、亩、户）读取")

    wrong = con.execute("select row from joined where not noise and kind = 'flow' and basis = 'stock' "
                        "order by row limit 1").fetchall()
    if wrong:
        raise refuse("流量指标的口径应为 本月 或 累计，不能是 期末", wrong[0][0], "basis")
    negative = con.execute("select row from joined where not noise and indicator = 'land_area' and value < 0 "
                           "order by row limit 1").fetchall()
    if negative:
        raise refuse("用地面积不能为负数", negative[0][0], "value")

    duplicated = con.execute("""
        select park, indicator, period, count(distinct value) > 1 as differ from joined
        where not noise and value is not null
        group by park, indicator, period, basis having count(*) > 1
        order by differ desc limit 1""").fetchall()
    if duplicated and duplicated[0][3]:
        park, indicator, period, _ = duplicated[0]
        warnings.append(f"工作表「{sheet}」中 {park} {indicator} {period:%Y-%m} 出现多次且数值不同，以最后一行为准")
    # The same key twice in one file: the later row wins (the window runs only when needed).
    last_wins = ("qualify row_number() over (partition by park, indicator, period, basis order by row desc) = 1"
                 if duplicated else "")
    # Text columns leave DuckDB as enums, so pandas gets categoricals: half the
    # conversion time of a million Python strings.
    for column in ("park", "indicator", "basis"):
        con.execute(f"create type {column}_enum as enum (select distinct {column} from joined where {column} is not null)")
    observations = con.execute(f"""
        select park::park_enum as park, indicator::indicator_enum as indicator, period,
               basis::basis_enum as basis, value, row
        from joined
        where not noise and value is not null {last_wins}""").df()
    letter, header = where("value")
    observations = observations.assign(sheet=sheet, column=f"第 {letter} 列（{header}）")
    return Parsed(file_name, "C", observations, empty_frame(GROWTH_COLUMNS), empty_frame(INDUSTRY_COLUMNS),
                  skipped, warnings)


def _keep_land_apart(con, sheet: str) -> list[str]:
    """Two land names in one file: the more specific is land_area, the other keeps its name."""
    labels = pd.Series([r for (r,) in con.execute("select raw from indicator_map where indicator = 'land_area'").fetchall()],
                       dtype=object)
    _, warning = keep_land_apart(labels, pd.Series("land_area", index=labels.index), sheet)
    for raw, indicator in resolve_land(list(labels)).items():
        if indicator != "land_area":
            con.execute("update indicator_map set indicator = ? where raw = ?", [indicator, raw])
    return warning


def _unit_map(con, roles, refuse) -> None:
    unit = "unit" if "unit" in roles else "null"
    distinct = con.execute(
        f"select indicator, {unit} as unit, min(row) from raw group by all").fetchall()
    rows = []
    for indicator_raw, unit_raw, first_row in distinct:
        indicator = _indicator(indicator_raw)
        factor = _factor(indicator, unit_raw)
        if factor is None:
            expected = INDICATOR_BY_ID[indicator].unit
            raise refuse(f"单位“{unit_raw}”不适用于该指标（应为{expected}或可换算的单位）", first_row,
                         "unit" if "unit" in roles else "indicator")
        rows.append((indicator_raw, unit_raw, factor))
    con.register("unit_map_frame", pd.DataFrame(rows, columns=["indicator_raw", "raw", "factor"]))
    con.execute("create table unit_map as select * from unit_map_frame")
    con.unregister("unit_map_frame")


def _number_map(con, refuse) -> None:
    """Texts that are not plain numbers: thousands separators are handled in
    SQL; the rest (missing marks, full-width digits, percent signs, junk) here."""
    odd = con.execute("""
        select value, min(row) from raw
        where value is not null and try_cast(replace(trim(value), ',', '') as double) is null
        group by value""").fetchall()
    rows = []
    for text, first_row in odd:
        try:
            rows.append((text, parse_number(text)))
        except ValueError as exc:
            raise refuse(f"{exc}，此处应为数值", first_row, "value") from None
    con.register("number_map_frame", pd.DataFrame(rows, columns=["raw", "number"]).astype({"number": "float64"}))
    con.execute("create table number_map as select * from number_map_frame")
    con.unregister("number_map_frame")
