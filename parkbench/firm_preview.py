"""What the preview of an enterprise file (shapes N1–N6, docs/enterprises.md)
shows before it is stored, read from the store without writing to it:

- ``placed_parks``: the park of each of the file's rows — the park the row names,
  else the park of the stored register (N5) its firm is on at the row's month,
  else the park the user chose for the file (``park``), else None;
- ``firm_table``: one row per enterprise (name as last written, 统一社会信用代码, park);
- ``park_totals``: per park × month × indicator in 万元, the sums of the file's
  本月 and 1-本月 values, and where the park reported its own cumulative, that
  figure and the gap in % (rule 3: over 1 % is 企业合计与园区报送不一致);
- ``unplaced_rows``: how many value rows nothing places (an N2 file then asks
  the user which park, once for the whole file).

The totals are the file's own sums: the stored models sum the firms on each
park's register (规上 where the rule says so), so they may differ where the
register lists firms this file does not.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from parkbench.catalog import INDICATOR_BY_ID
from parkbench.ingest.enterprise.model import FirmParsed
from parkbench.ingest.normalize import display_text
from parkbench.models import sql

MISMATCH_PERCENT = 1.0  # rule 3: a gap above this is 企业合计与园区报送不一致
MONEY = "万元"
FIRM_COLUMNS = ["enterprise", "credit_code", "park"]
TOTAL_COLUMNS = ["park", "period", "indicator", "month", "ytd", "own_ytd", "gap", "mismatch"]


def placed_parks(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, period_column: str,
                 park: str | None) -> pd.Series:
    """The park of each row of ``frame`` (columns credit_code, org_code, park and
    ``period_column``): its own, else its firm's register at the period, else ``park``."""
    own = frame["park"].astype(object).where(frame["park"].notna(), None)
    loose = frame[own.isna() & frame[period_column].notna()]
    registered = pd.Series(None, index=frame.index, dtype=object)
    if not loose.empty:
        rows = pd.DataFrame({"row_id": range(len(loose)),
                             "credit_code": _codes(loose.get("credit_code")),
                             "org_code": _codes(loose.get("org_code")),
                             "period": pd.to_datetime(loose[period_column])})
        con.register("preview_rows", rows)
        try:
            found = sql.query(con, "reads/firm_rows_registered_park")
        finally:
            con.unregister("preview_rows")
        by_row = dict(zip(found["row_id"], found["park"], strict=True))
        registered.loc[loose.index] = [by_row.get(i) for i in range(len(loose))]
    return own.where(own.notna(), registered).where(lambda s: s.notna(), park)


def _codes(column) -> list:
    if column is None:
        return []
    return [str(v).strip().upper() if isinstance(v, str) and v.strip() else None for v in column]


def unplaced_rows(values: pd.DataFrame, parks: pd.Series) -> int:
    return int(parks.isna().sum()) if len(values) else 0


def firm_table(parsed: FirmParsed, placed: dict[str, pd.Series]) -> pd.DataFrame:
    """One row per enterprise the file names (by credit code, else 组织机构代码,
    else name), its latest name as written and the park(s) it is placed in."""
    frames = []
    for kind, period_column in (("identities", "period"), ("values", "period"), ("registers", "valid_from"),
                                ("parcels", "registered")):
        frame = getattr(parsed, kind)
        if frame.empty:
            continue
        frames.append(pd.DataFrame({
            "credit_code": frame["credit_code"] if "credit_code" in frame else None,
            "org_code": frame["org_code"] if "org_code" in frame else None,
            "enterprise": frame["enterprise"],
            "park": placed[kind],
            "period": pd.to_datetime(frame[period_column]),
        }))
    if not frames:
        return pd.DataFrame(columns=FIRM_COLUMNS)
    rows = pd.concat(frames, ignore_index=True)
    rows["key"] = rows["credit_code"].where(rows["credit_code"].notna(), rows["org_code"])
    rows["key"] = rows["key"].where(rows["key"].notna(), rows["enterprise"])
    rows = rows[rows["key"].notna()].sort_values("period", kind="stable", na_position="first")
    firms = rows.groupby("key", sort=False).agg(
        enterprise=("enterprise", lambda s: _last_text(s)),
        credit_code=("credit_code", lambda s: _last_text(s)),
        park=("park", lambda s: "、".join(sorted({p for p in s if isinstance(p, str)})) or None))
    firms["enterprise"] = firms["enterprise"].map(lambda n: display_text(n) if isinstance(n, str) else n)
    return firms.sort_values(["park", "enterprise"], na_position="first")[FIRM_COLUMNS].reset_index(drop=True)


def _last_text(series: pd.Series):
    texts = [v for v in series if isinstance(v, str) and v.strip()]
    return texts[-1] if texts else None


def park_totals(con: duckdb.DuckDBPyConnection, values: pd.DataFrame, parks: pd.Series) -> pd.DataFrame:
    """Per park × month × money indicator: the file's 本月 and 1-本月 sums (万元),
    the park's own 1-本月 where it reported one, the gap (sum ÷ own − 1, %) and
    whether it exceeds MISMATCH_PERCENT. Rows nothing places are left out."""
    money = [i for i, ind in INDICATOR_BY_ID.items() if ind.unit == MONEY]
    rows = values.assign(park=parks)
    rows = rows[rows["park"].notna() & rows["indicator"].isin(money) & rows["basis"].isin(["month", "ytd"])]
    if rows.empty:
        return pd.DataFrame(columns=TOTAL_COLUMNS)
    rows = rows.assign(period=pd.to_datetime(rows["period"]), value=rows["value"].astype("float64"))
    sums = rows.pivot_table(index=["park", "indicator", "period"], columns="basis", values="value",
                            aggfunc="sum").reset_index()
    for basis in ("month", "ytd"):
        if basis not in sums:
            sums[basis] = float("nan")
    own = sql.query(con, "reads/park_own_ytd", parks=sorted(set(sums["park"])))
    own = own.assign(period=pd.to_datetime(own["period"])).rename(columns={"ytd_value": "own_ytd"})
    totals = sums.merge(own, on=["park", "indicator", "period"], how="left")
    totals["own_ytd"] = totals["own_ytd"].astype("float64")
    totals["gap"] = (100 * (totals["ytd"] / totals["own_ytd"] - 1)).where(totals["own_ytd"] > 0)
    totals["mismatch"] = totals["gap"].abs() > MISMATCH_PERCENT
    order = {ind: n for n, ind in enumerate(INDICATOR_BY_ID)}
    totals = totals.sort_values(["park", "period", "indicator"], key=lambda s: s.map(order) if s.name == "indicator"
                                else s)
    return totals[TOTAL_COLUMNS].reset_index(drop=True)
