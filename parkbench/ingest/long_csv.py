"""Fast path for family C delivered as CSV: DuckDB reads the file and applies
the long-table rules (``long_rules``, shared with the general reader) to each
distinct park, period, indicator, basis, unit and odd number text once; the
decisions are joined back to the rows inside DuckDB.

The rules and their order are the general reader's (``rows.normalise_long``),
so both store the same rows, skip the same rows and refuse at the same row
and column with the same message (tests/test_long_csv_fast.py runs both).
Anything this path does not recognise on its first line (another layout, a
header further down, another delimiter) goes through the general path.
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath

import duckdb
import pandas as pd

from parkbench import limits
from parkbench.errors import BadCell
from parkbench.ingest import long_rules as rules
from parkbench.ingest.headers import is_growth_header, role_of
from parkbench.ingest.model import (
    GROWTH_COLUMNS,
    INDUSTRY_COLUMNS,
    OBSERVATION_COLUMNS,
    SOURCE_COLUMNS,
    Parsed,
    Skipped,
    empty_frame,
)
from parkbench.ingest.normalize import column_letter
from parkbench.ingest.tables import decode_text

ROLES = ("park", "period", "indicator", "basis", "value", "unit")
REQUIRED = {"park", "period", "indicator", "value"}
MIN_BYTES = 1_000_000  # small files go through the general reader; this path pays off on large ones
UTF8_BOM = b"\xef\xbb\xbf"
NULL_TEXT = "\x00"  # stands for a blank basis or unit cell in the decision tables (a CSV cell cannot hold it)
BASES = rules.BASES

# A plain number as DuckDB reads it; anything else (missing marks, full-width
# digits, percent signs, junk, inf/nan) is decided by rules.number in Python.
# Thousands separators are dropped first, as rules.number does.
PLAIN = "case when isfinite(try_cast(replace(value, ',', '') as double)) then try_cast(replace(value, ',', '') as double) end"


def header_roles(first_line: str) -> dict[str, tuple[int, str]] | None:
    cells = [c.strip().strip('"') for c in first_line.split(",")]
    if any(is_growth_header(c) for c in cells):
        return None  # a published-growth column: the general reader (family C) keeps it
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
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.csv"
        # DuckDB's default (80 % of the machine) reserves more address space than the
        # parse worker may hold; its progress bar would print into the user's terminal.
        con = duckdb.connect(config={"memory_limit": f"{limits.STORE_MEMORY_MB}MB"})
        con.execute("set enable_progress_bar = false")
        try:
            _load_raw(con, data, path, roles, file_name)
            return _read(con, roles, file_name)
        finally:
            con.close()


def _load_raw(con, data: bytes, path: Path, roles: dict[str, tuple[int, str]], file_name: str) -> None:
    """The file's cells as table ``raw`` (text, NULL for empty; ``plain`` the
    value when it is a plain number), rows in file order (``rowid`` 0 is sheet
    row 2). UTF-8 is read as it is; another encoding (GBK) is decoded once and
    written back as UTF-8."""
    # Column names below are built from column positions found by this module, never from file text.
    picks = ", ".join(f"#{i + 1} as {role}" for role, (i, _) in roles.items())
    load = (f"create or replace table raw as select *, {PLAIN} as plain from (select {picks} from read_csv($path, "
            "header = false, skip = 1, all_varchar = true, delim = ',', quote = '\"', escape = '\"', null_padding = true))")
    path.write_bytes(data[len(UTF8_BOM):] if data.startswith(UTF8_BOM) else data)
    try:
        con.execute(load, {"path": str(path)})
        return
    except duckdb.InvalidInputException as exc:
        if "unicode" not in str(exc).lower():
            raise
    path.write_text(decode_text(data, file_name).lstrip("\ufeff"), encoding="utf-8")
    con.execute(load, {"path": str(path)})


def _table(con, name: str, rows: list[tuple], columns: dict[str, str]) -> None:
    """A small decision table (text → decision) from Python rows."""
    frame = pd.DataFrame(rows, columns=list(columns)).astype({c: t for c, t in columns.items() if t != "object"})
    con.register(f"{name}_frame", frame)
    con.execute(f"create or replace table {name} as select * from {name}_frame")
    con.unregister(f"{name}_frame")


def _read(con, roles: dict[str, tuple[int, str]], file_name: str) -> Parsed:
    sheet = PurePath(file_name).stem
    has_basis, has_unit = "basis" in roles, "unit" in roles

    def refuse(reason: str, row: int, role: str) -> BadCell:
        i, header = roles[role]
        return BadCell(reason, file=file_name, sheet=sheet, row=int(row), column=column_letter(i), header=header)

    def decide(role: str, rule, distinct: list[tuple]) -> list[tuple]:
        """(text, decision) for each (text, first row) in sheet order; the first text the rule refuses is refused at its row."""
        decided = []
        for text, first_row in distinct:
            try:
                decided.append((text, rule(text)))
            except ValueError as exc:
                raise refuse(str(exc), first_row, role) from None
        return decided

    def first_rows(column: str, source: str) -> list[tuple]:
        return con.execute(f"select {column}, min(row) as first from {source} group by all order by first").fetchall()

    # 1–2. rows with neither park nor value are ignored; totals, notes and nameless rows are skipped.
    con.execute("create or replace view present as select rowid + 2 as row, * from raw "
                "where park is not null or value is not null")
    parks = decide("park", lambda text: (rules.noise_reason(text), text), first_rows("park", "present"))
    names = {text: None if reason else rules.park_name(text) for text, (reason, _) in parks}
    numbers = {name: no for no, name in enumerate(dict.fromkeys(n for n in names.values() if n is not None))}
    # park_no numbers the park as stored (two spellings of one park share it), for the duplicate check.
    _table(con, "park_map", [(text, numbers.get(names[text], -1), reason, names[text]) for text, (reason, _) in parks],
           {"text": "object", "park_no": "int32", "reason": "object", "park": "object"})
    _table(con, "park_names", [(no, name) for name, no in numbers.items()], {"park_no": "int32", "park": "object"})
    skipped = [Skipped(sheet, int(row), reason) for row, reason in con.execute(
        "select r.row, m.reason from present r join park_map m on m.text is not distinct from r.park "
        "where m.reason is not null order by r.row").fetchall()]
    con.execute("create or replace view parks_rows as select r.*, m.park_no from present r "
                "join park_map m on m.text = r.park where m.reason is null")

    # 3. values: plain numbers were read by DuckDB, every other text is decided by the rule.
    odd = decide("value", rules.number, first_rows("value", "parks_rows where value is not null and plain is null"))
    _table(con, "number_map", odd, {"text": "object", "number": "float64"})
    con.execute("""create or replace table kept as
        select r.row, r.park_no, r.period, r.indicator, {basis} as basis, {unit} as unit, r.value,
               coalesce(r.plain, n.number) as number
        from parks_rows r left join number_map n on r.plain is null and n.text = r.value""".format(
        basis="r.basis" if has_basis else "null::varchar", unit="r.unit" if has_unit else "null::varchar"))
    missing = [row for (row,) in con.execute(
        f"select row from kept where number is null order by row limit {rules.MAX_SKIPPED_LISTED}").fetchall()]
    skipped += [Skipped(sheet, row, rules.MISSING_VALUE) for row in missing]
    warnings = []
    missing_count = con.execute("select count(*) from kept where number is null").fetchall()[0][0]
    if missing_count > rules.MAX_SKIPPED_LISTED:
        warnings.append(rules.more_missing(sheet, missing_count - rules.MAX_SKIPPED_LISTED))
    con.execute("delete from kept where number is null")

    # 4. period, indicator, basis on the rows that hold a value; land names kept apart,
    # range periods made 累计, prior-year stocks skipped, stocks stored as stocks.
    periods = decide("period", rules.period, first_rows("period", "kept"))
    indicators = decide("indicator", rules.indicator, first_rows("indicator", "kept"))
    land_labels = [text for text, i in indicators if i == "land_area" and text is not None]
    apart = rules.separate_land(land_labels)
    if apart:
        indicators = [(text, apart.get(text, i)) for text, i in indicators]
        warnings.append(rules.land_kept_apart(sheet, land_labels, apart))
    bases = decide("basis", rules.basis, first_rows("basis", "kept")) if has_basis else [(None, "month")]
    ids = list(dict.fromkeys(i for _, i in indicators))
    _table(con, "period_map", [(text, p.date, p.cumulative) for text, p in periods],
           {"text": "object", "period": "datetime64[s]", "cumulative": "bool"})
    _table(con, "indicator_map", [(text, ids.index(i), i, rules.kind(i)) for text, i in indicators],
           {"text": "object", "indicator_no": "int32", "indicator": "object", "kind": "object"})
    _table(con, "basis_map", [(NULL_TEXT if text is None else text, b) for text, b in bases],
           {"text": "object", "basis": "object"})
    _table(con, "basis_numbers", [(b, no) for no, b in enumerate(BASES)], {"basis": "object", "basis_no": "int8"})
    # Periods and indicators of kept rows are never NULL (the rules refuse a blank one), so
    # plain equi-joins serve; a NULL basis is matched through NULL_TEXT.
    con.execute(f"""
        create or replace table decided as
        select k.row, k.park_no, k.indicator as indicator_text, k.unit, k.number, k.value as value_text,
               i.indicator_no, i.indicator, i.kind, pe.period::date as period,
               case when pe.cumulative and b.basis = 'month' then 'ytd' else b.basis end as basis
        from kept k
        join period_map pe on pe.text = k.period
        join indicator_map i on i.text = k.indicator
        join basis_map b on b.text = coalesce(k.basis, '{NULL_TEXT}')
    """)
    prior = con.execute(f"select row from decided where kind = 'stock' and basis in {rules.PRIOR_BASES} "
                        f"order by row limit {rules.MAX_SKIPPED_LISTED}").fetchall()
    if prior:
        skipped += [Skipped(sheet, int(row), rules.PRIOR_STOCK) for (row,) in prior]
        con.execute(f"delete from decided where kind = 'stock' and basis in {rules.PRIOR_BASES}")

    # 5. the unit of each indicator.
    factors = []
    for indicator, unit_text, first_row in first_rows("indicator, unit", "decided"):
        try:
            factors.append((indicator, NULL_TEXT if unit_text is None else unit_text,
                            rules.unit_factor(indicator, unit_text)))
        except ValueError as exc:
            raise refuse(str(exc), first_row, "unit" if has_unit else "indicator") from None
    _table(con, "unit_map", factors, {"indicator": "object", "text": "object", "factor": "float64"})
    con.execute(f"""
        create or replace table joined as
        select d.row, d.park_no, d.indicator_no, d.indicator, d.period,
               case when d.kind = 'stock' then 'stock' else d.basis end as basis,
               d.kind = 'flow' and d.basis = 'stock' as flow_as_stock,
               d.number * u.factor as value,
               -- one integer per park × indicator × month × basis, for the duplicate check
               ((d.park_no::bigint * 4096 + d.indicator_no) * 100000
                + year(d.period) * 12 + month(d.period)) * 8
                + n.basis_no as key
        from decided d
        join unit_map u on u.indicator = d.indicator and u.text = coalesce(d.unit, '{NULL_TEXT}')
        join basis_numbers n on n.basis = case when d.kind = 'stock' then 'stock' else d.basis end
    """)

    # 6. row rules, first row first.
    wrong = con.execute("select j.row, k.indicator from joined j join kept k using (row) "
                        "where j.flow_as_stock order by j.row limit 1").fetchall()
    if wrong:
        raise refuse(rules.flow_as_stock(wrong[0][1]), wrong[0][0], "basis")
    negative = con.execute("select j.row, k.value from joined j join kept k using (row) "
                           "where j.indicator = 'land_area' and j.value < 0 order by j.row limit 1").fetchall()
    if negative:
        raise refuse(rules.negative_land(negative[0][1]), negative[0][0], "value")

    # 7. the same key twice: the later row wins; differing values are worth a warning.
    twice = con.execute("select key from joined group by key having count(*) > 1 limit 1").fetchall()
    if twice:
        differ = con.execute("""
            select m.park, j.indicator, j.period, list(j.row order by j.row) from joined j join park_names m using (park_no)
            group by m.park, j.indicator, j.period, j.basis having count(distinct j.value) > 1
            order by m.park, j.indicator, j.period, j.basis limit 1""").fetchall()
        if differ:
            warnings.append(rules.conflicting_duplicate(sheet, *differ[0]))
    last_wins = "qualify row_number() over (partition by key order by row desc) = 1" if twice else ""
    if not has_unit:
        warnings.append(rules.no_unit_column(sheet))
    # Text columns leave DuckDB as enums, so pandas gets categoricals: half the
    # conversion time of a million Python strings.
    con.execute("create type park_enum as enum (select park from park_names)")
    con.execute("create type indicator_enum as enum (select distinct indicator from indicator_map)")
    con.execute("create type basis_enum as enum (select basis from basis_numbers order by basis_no)")
    observations = con.execute(f"""
        select m.park::park_enum as park, j.indicator::indicator_enum as indicator, j.period,
               j.basis::basis_enum as basis, j.value, j.row
        from joined j join park_names m using (park_no)
        {last_wins}
        order by j.row""").df()
    letter, header = column_letter(roles["value"][0]), roles["value"][1]
    observations = observations.assign(sheet=sheet, column=rules.source_label(letter, header))
    observations = observations[OBSERVATION_COLUMNS + SOURCE_COLUMNS]
    return Parsed(file_name, "C", observations, empty_frame(GROWTH_COLUMNS), empty_frame(INDUSTRY_COLUMNS),
                  skipped, warnings)
