"""Enterprise rows in the store (docs/enterprises.md): one ``FirmParsed`` in
one transaction, recorded as an upload so that ``store.undo`` works exactly as
for park sheets.

Identity (rule 1): the 统一社会信用代码 names an enterprise; its characters 9–17
are the 组织机构代码 older sheets carry, and link them; with neither, the name
folded as park names are, within its park (``enterprise_aliases``).

N2, N3 and N4 rows name no park: the models take it from the register (N5) at
each month (queries/intermediate/int_enterprise_members.sql). An N2 file with a
firm on no register and no park given (``--park``, or the upload page's question:
``upload.choose_park``) is refused, naming the file and the row. Files reach
``save_firms`` through the upload verb (``parkbench.upload.store``).

Reads of enterprise rows go through ``enterprise_metrics`` and
``write_enterprise_metrics`` (and any later named read here), which take the
reader as a required keyword: who may see them (rule 5) is decided in one
place, ``accounts.firm_parks``.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import duckdb
import pandas as pd

from parkbench.errors import IngestError
from parkbench.ingest.enterprise.model import FirmParsed
from parkbench.ingest.normalize import display_text, fold
from parkbench.models import sql
from parkbench.store import accounts
from parkbench.store.accounts import Account

# The tables holding an upload's enterprise rows (each has upload_id): undo deletes from them.
ENTERPRISE_TABLES = ("enterprise_identities", "enterprise_registers", "enterprise_observations",
                     "enterprise_growth", "enterprise_parcels", "leading_groups")
_KEYS = ["credit_code", "org_code", "enterprise", "park"]


def save_firms(con: duckdb.DuckDBPyConnection, parsed: FirmParsed, data: bytes, by: str | None = None,
               park: str | None = None):
    """Store one enterprise file in one transaction (under the writer lock),
    rebuild the models, run its data checks and keep their warnings with the
    upload. ``park`` (``--park``) is the park of the rows that name none."""
    from parkbench import store
    from parkbench.models import checks

    with store.transaction(con, f"导入「{parsed.file_name}」"):
        left_demo = store._retire_demo(con)
        upload_id = con.execute("select nextval('upload_id_seq')").fetchall()[0][0]
        con.execute(
            "insert into uploads (upload_id, file_name, sha256, family, row_count, is_demo, uploaded_by) "
            "values (?, ?, ?, ?, ?, false, ?)",
            [upload_id, parsed.file_name, hashlib.sha256(data).hexdigest(), parsed.shape, parsed.value_count, by])
        frames = _frames(parsed, park)
        names = sorted({p for f in frames.values() for p in f["park"].dropna().unique()} if frames else set())
        park_ids = store.resolve_parks(con, names)
        ids = _resolve_enterprises(con, frames, park_ids)
        for kind, frame in frames.items():
            frames[kind] = _with_ids(frame, ids, park_ids)
        if parsed.shape == "N2":
            _refuse_unattached(con, parsed.file_name, frames["values"])
        _insert_all(con, frames, upload_id)
        if left_demo:  # the demo's parks lost their values too: every park
            sql.build_tables(con)
        else:  # the parks of the upload's firms (and of theirs: sql.build_tables), from the earliest month it changes
            sql.build_tables(con, rebuilt_parks(con, upload_id), since=upload_since(con, upload_id))
        touched = upload_park_ids(con, upload_id)
        findings = checks.run_firms(con, parsed, upload_id, touched)
        checks.store_findings(con, upload_id, findings)
    canonical = con.execute("select name from parks where list_contains($ids, park_id) order by name",
                            {"ids": touched}).fetchall()
    return store.UploadResult(upload_id, parsed.file_name, [r[0] for r in canonical], _periods(parsed),
                              parsed.value_count, parsed.warnings, findings)


def _periods(parsed: FirmParsed) -> list[dt.date]:
    dates = [*parsed.periods]
    for frame, column in ((parsed.registers, "valid_from"), (parsed.leading, "valid_from"),
                          (parsed.parcels, "registered")):
        dates += [pd.Timestamp(p).date() for p in frame[column].dropna().unique()]
    return sorted(set(dates))


def _frames(parsed: FirmParsed, park: str | None) -> dict[str, pd.DataFrame]:
    """The file's frames, each row's missing park filled with ``park`` where given."""
    frames = {"identities": parsed.identities, "values": parsed.values, "growth": parsed.growth,
              "registers": parsed.registers, "parcels": parsed.parcels, "leading": parsed.leading}
    out = {}
    for kind, frame in frames.items():
        frame = frame.copy()
        for column in ("credit_code", "org_code", "enterprise"):
            if column not in frame:
                frame[column] = None
        if park is not None:
            frame["park"] = frame["park"].where(frame["park"].notna(), park)
        out[kind] = frame
    return out


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def _resolve_enterprises(con, frames: dict[str, pd.DataFrame], park_ids: dict[str, int]) -> dict[tuple, int]:
    """The enterprise id of each identity (credit code, org code, name, park) the
    file names, creating enterprises and aliases it does not find (rule 1)."""
    keys = {tuple(_text(v) for v in row) for kind, f in frames.items() if kind != "leading"
            for row in f[_KEYS].itertuples(index=False)}
    by_credit, by_org = {}, {}
    for enterprise_id, credit, org in con.execute("select enterprise_id, credit_code, org_code from enterprises "
                                                  "order by enterprise_id").fetchall():
        if credit:
            by_credit.setdefault(credit, enterprise_id)
        if org:
            by_org.setdefault(org, (enterprise_id, credit))
    by_alias = {(k, p): e for k, p, e in con.execute(
        "select name_key, park_id, enterprise_id from enterprise_aliases").fetchall()}
    ids = {}
    next_id = con.execute("select coalesce(max(enterprise_id), 0) + 1 from enterprises").fetchall()[0][0]
    new_firms, new_aliases = [], []  # written in one statement each below (a register lists thousands)
    # Identities with a code first, so that a name-only row of the same file finds their alias.
    for key in sorted(keys, key=lambda k: (k[0] is None, k[1] is None, tuple(x or "" for x in k))):
        credit, org, name, park = key
        credit = credit.upper() if credit else None
        org = (org or (credit[8:17] if credit and len(credit) == 18 else None))
        org = org.upper().replace("-", "") if org else None
        park_id = park_ids.get(park) if park else None
        enterprise_id = by_credit.get(credit) if credit else None
        if enterprise_id is None and org and org in by_org:
            found, found_credit = by_org[org]
            if credit is None or found_credit is None or found_credit == credit:
                enterprise_id = found
                if credit and found_credit is None:  # an older row's 组织机构代码 now has its full code
                    con.execute("update enterprises set credit_code = $c where enterprise_id = $e",
                                {"c": credit, "e": found})
                    by_org[org] = (found, credit)
                    by_credit[credit] = found
        if enterprise_id is None and not credit and not org and name:
            if park_id is not None:
                enterprise_id = by_alias.get((fold(name), park_id))
            else:  # no park either: the name, where it names one firm only
                matches = {e for (k, _), e in by_alias.items() if k == fold(name)}
                enterprise_id = matches.pop() if len(matches) == 1 else None
        if enterprise_id is None:
            if not (credit or org or name):
                continue
            enterprise_id, next_id = next_id, next_id + 1  # under the writer lock: no one else adds one
            new_firms.append((enterprise_id, credit, org))
            if credit:
                by_credit[credit] = enterprise_id
            if org:
                by_org.setdefault(org, (enterprise_id, credit))
        if name and park_id is not None and (fold(name), park_id) not in by_alias:
            new_aliases.append((fold(name), park_id, enterprise_id))
            by_alias[(fold(name), park_id)] = enterprise_id
        ids[key] = enterprise_id
    if new_firms:
        con.execute("insert into enterprises (enterprise_id, credit_code, org_code) "
                    "select unnest($ids), unnest($credits), unnest($orgs)",
                    {"ids": [f[0] for f in new_firms], "credits": [f[1] for f in new_firms],
                     "orgs": [f[2] for f in new_firms]})
    if new_aliases:
        con.execute("insert or ignore into enterprise_aliases select unnest($keys), unnest($parks), unnest($ids)",
                    {"keys": [a[0] for a in new_aliases], "parks": [a[1] for a in new_aliases],
                     "ids": [a[2] for a in new_aliases]})
    return ids


def _with_ids(frame: pd.DataFrame, ids: dict[tuple, int], park_ids: dict[str, int]) -> pd.DataFrame:
    frame = frame.copy()
    if frame.empty:
        return frame.assign(enterprise_id=pd.Series(dtype="Int64"), park_id=pd.Series(dtype="Int64"))
    keys = [tuple(_text(v) for v in row) for row in frame[_KEYS].itertuples(index=False)]
    frame["enterprise_id"] = pd.array([ids.get(k) for k in keys], dtype="Int64")
    frame["park_id"] = pd.array([park_ids.get(p) if isinstance(p, str) else None for p in frame["park"]],
                                dtype="Int64")
    return frame


def _refuse_unattached(con, file_name: str, values: pd.DataFrame) -> None:
    """An N2 row names no park: its firm must be on a register dated at or
    before its month (or ``--park`` must give one), else the file is refused."""
    loose = values[values["park_id"].isna()]
    if loose.empty:
        return
    con.register("incoming_rows", loose[["enterprise_id", "period", "sheet", "row", "enterprise"]])
    try:
        rows = sql.query(con, "reads/enterprise_rows_without_park")
    finally:
        con.unregister("incoming_rows")
    if rows.empty:
        return
    first = rows.iloc[0]
    row = None if pd.isna(first["row"]) else int(first["row"])
    period = pd.Timestamp(first["period"])
    raise IngestError(
        f"企业“{display_text(first['enterprise'])}”{period.year}年{period.month}月不在任何园区的企业名录中，"
        f"无法确定所属园区（共 {len(rows)} 行如此）；请先导入该期的企业名录（N5），"
        "或在命令行用 --park 园区名称 指定园区（上传页会询问）",
        file=file_name, sheet=None if pd.isna(first["sheet"]) else str(first["sheet"]), row=row)


# (frame, table, columns filled from the frame's same-named columns, the columns a row needs)
_TARGETS = (
    ("identities", "enterprise_identities", ["enterprise_id", "period", "name", "industry_code", "industry_name"],
     ["enterprise_id", "name"]),
    ("registers", "enterprise_identities", ["enterprise_id", "period", "name", "industry_code", "industry_name"],
     ["enterprise_id", "name"]),
    ("registers", "enterprise_registers", ["enterprise_id", "park_id", "valid_from", "above_scale",
                                           "above_scale_since", "industry_code", "industry_name"],
     ["enterprise_id", "park_id", "valid_from"]),
    ("values", "enterprise_observations", ["enterprise_id", "park_id", "indicator", "period", "basis", "value"],
     ["enterprise_id", "indicator", "period", "basis", "value"]),
    ("growth", "enterprise_growth", ["enterprise_id", "park_id", "indicator", "period", "basis", "value"],
     ["enterprise_id", "indicator", "period", "basis", "value"]),
    ("parcels", "enterprise_parcels", ["enterprise_id", "park_id", "parcel", "area", "tenure", "registered"],
     ["enterprise_id", "parcel", "area", "tenure", "registered"]),
    ("leading", "leading_groups", ["park_id", "group_name", "prefix", "valid_from"],
     ["park_id", "group_name", "prefix", "valid_from"]),
)


def _insert_all(con, frames: dict[str, pd.DataFrame], upload_id: int) -> None:
    """Each frame's rows into its table(s); a register's names and codes also
    go to the name history (at the register's month)."""
    for kind, table, columns, needed in _TARGETS:
        frame = frames[kind].rename(columns={"enterprise": "name", "group": "group_name"})
        if frame.empty:
            continue
        if kind == "registers" and table == "enterprise_identities":
            frame = frame.assign(period=frame["valid_from"])
        if "name" in columns:
            frame = frame.assign(name=[display_text(n) if isinstance(n, str) and n.strip() else None
                                       for n in frame["name"]])
        frame = frame.dropna(subset=needed)
        if frame.empty:
            continue
        con.register("incoming_rows", frame[columns].astype(object))
        try:
            # table and columns come from _TARGETS, never user text; values travel in the frame.
            con.execute(f"insert into {table} ({', '.join(columns)}, upload_id) "
                        f"select {', '.join(columns)}, $upload_id from incoming_rows", {"upload_id": upload_id})
        finally:
            con.unregister("incoming_rows")


def upload_park_ids(con: duckdb.DuckDBPyConnection, upload_id: int) -> list[int]:
    """The parks an enterprise upload speaks of: the parks its rows name, and the
    parks its firms belong to at the months of its rows (reads/upload_parks)."""
    return sorted(int(p) for p in sql.query(con, "reads/upload_parks", upload_id=upload_id)["park_id"])


def rebuilt_parks(con: duckdb.DuckDBPyConnection, upload_id: int) -> list[int]:
    """The parks whose firm sums an enterprise upload can change (rebuild/upload_parks),
    read before an undo deletes its rows as after a store."""
    return [int(r[0]) for r in con.execute(sql.load("rebuild/upload_parks"), {"upload_id": upload_id}).fetchall()]


def upload_since(con: duckdb.DuckDBPyConnection, upload_id: int) -> dt.date | None:
    """The earliest month an enterprise upload's rows change (rebuild/upload_since)."""
    return con.execute(sql.load("rebuild/upload_since"), {"upload_id": upload_id}).fetchall()[0][0]


def touches_enterprises(con: duckdb.DuckDBPyConnection, upload_id: int) -> bool:
    """Whether an upload stored enterprise rows (its undo then rebuilds the parks
    of its firms, ``rebuilt_parks``, read before the rows go)."""
    return any(con.execute(f"select count(*) from {table} where upload_id = $u",  # table from ENTERPRISE_TABLES
                           {"u": upload_id}).fetchall()[0][0] for table in ENTERPRISE_TABLES)


def delete_upload_rows(con: duckdb.DuckDBPyConnection, upload_id: int) -> None:
    """Inside the caller's transaction: remove an upload's enterprise rows."""
    for table in ENTERPRISE_TABLES:  # table names from this module's constant
        con.execute(f"delete from {table} where upload_id = $u", {"u": upload_id})


# ---------------------------------------------------------------- named reads of enterprise rows
# Rule 5 (who sees enterprise rows): every read here takes ``reader``, an account
# (``accounts.OPERATOR`` for the command line), as a required keyword, and returns
# only the firms of the parks ``accounts.firm_parks`` gives it.

def write_enterprise_metrics(con: duckdb.DuckDBPyConnection, *, reader: Account, parks: list[str] | None,
                             start: dt.date | None, end: dt.date | None, fmt: str, path) -> None:
    """The same rows as ``enterprise_metrics``, written as csv, json or xlsx (output.export)."""
    from parkbench.output import export

    export.write_file(con, sql.load("reads/enterprise_metric_export"),
                      _read_params(con, reader, parks, start, end), fmt, path, "企业指标")


def enterprise_metrics(con: duckdb.DuckDBPyConnection, *, reader: Account, parks: list[str] | None = None,
                       start: dt.date | None = None, end: dt.date | None = None) -> pd.DataFrame:
    """park, enterprise, credit_code, period ('YYYY-MM'), metric, value: the
    metrics of docs/enterprises.md per enterprise (reads/enterprise_metric_export),
    of the firms ``reader`` may see."""
    return sql.query(con, "reads/enterprise_metric_export", **_read_params(con, reader, parks, start, end))


def _read_params(con, reader: Account, parks, start, end) -> dict:
    return {"readable": accounts.firm_parks(con, reader), "parks": parks or None, "start": start, "end": end}
