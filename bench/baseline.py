"""A plain pandas implementation of the core metrics, the baseline the SQL
models are timed against (and checked to agree with): the same rules for
gaps, cumulatives chained from a `1-2月` value, and stocks carried forward
(input-formats.md rules 3 and 4; no 上年同期 columns in the bench data)."""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

FLOWS = ("output", "tax", "leading_output")
# The bench CSVs' indicator names and 口径 (bench/generate.py) → the ids and bases of the metrics above.
NAMES = {"规上工业总产值": "output", "税收收入": "tax", "主导产业产值": "leading_output", "用地面积": "land_area"}
BASES = {"本月": "month", "累计": "ytd", "期末": "stock"}


def flow_values(obs: pd.DataFrame) -> pd.DataFrame:
    """park, indicator, period, month_value, ytd_value for the flows above."""
    flows = obs[obs["basis"].isin(["month", "ytd"]) & obs["indicator"].isin(FLOWS)].copy()
    flows["year"] = flows["period"].dt.year
    flows["month"] = flows["period"].dt.month
    keys = ["park", "indicator", "year"]

    def grid(basis: str) -> pd.DataFrame:
        part = flows[flows["basis"] == basis]
        return part.pivot_table(index=keys, columns="month", values="value", aggfunc="max").reindex(
            columns=range(1, 13))

    reported_month, reported_ytd = grid("month"), grid("ytd")
    index = reported_month.index.union(reported_ytd.index)
    months = reported_month.reindex(index).to_numpy(float)
    ytds = reported_ytd.reindex(index).to_numpy(float)
    base = chained_cumulative(months, ytds)
    previous = np.concatenate([np.full((len(base), 1), np.nan), base[:, :-1]], axis=1)
    derived = base - previous
    derived[:, 0] = base[:, 0]
    month_value = np.where(np.isnan(months), derived, months)
    ytd_value = base

    frame = pd.DataFrame(index=index).reset_index()
    out = pd.DataFrame({
        "park": np.repeat(frame["park"].to_numpy(), 12),
        "indicator": np.repeat(frame["indicator"].to_numpy(), 12),
        "period": pd.to_datetime({"year": np.repeat(frame["year"].to_numpy(), 12),
                                  "month": np.tile(np.arange(1, 13), len(frame)), "day": 1}),
        "month_value": month_value.ravel(),
        "ytd_value": ytd_value.ravel(),
    })
    return out


def chained_cumulative(months: np.ndarray, ytds: np.ndarray) -> np.ndarray:
    """Rule 3 of input-formats.md on [row, month] grids: the reported 累计, else
    the latest reported 累计 before the month (none: 0) plus every 本月 after
    it, only when every one of those months is reported (else NaN). `1-2月` 30
    then 本月 35 and 40 gives 65 and 105."""
    columns = np.arange(months.shape[1])
    has_ytd = ~np.isnan(ytds)
    anchor = np.maximum.accumulate(np.where(has_ytd, columns, -1), axis=1)  # -1: no 累计 yet
    after = np.where(has_ytd, 0.0, months)  # 本月 counted after the anchor; NaN where missing
    sums = np.cumsum(np.nan_to_num(after), axis=1)
    gaps = np.cumsum(np.isnan(after), axis=1)
    rows = np.arange(len(months))[:, None]
    at_anchor = anchor.clip(min=0)
    anchor_value = np.where(anchor >= 0, ytds[rows, at_anchor], 0.0)
    anchor_sum = np.where(anchor >= 0, sums[rows, at_anchor], 0.0)
    anchor_gaps = np.where(anchor >= 0, gaps[rows, at_anchor], 0)
    chained = np.where(gaps - anchor_gaps == 0, anchor_value + sums - anchor_sum, np.nan)
    return np.where(has_ytd, ytds, chained)


def pandas_metrics(observations: pd.DataFrame) -> pd.DataFrame:
    """Long frame park, period ('YYYY-MM'), metric, value on every park-month with data."""
    obs = observations.assign(period=pd.to_datetime(observations["period"]))
    spine = obs[["park", "period"]].drop_duplicates().sort_values("period")
    flows = flow_values(obs)
    wide = flows.pivot_table(index=["park", "period"], columns="indicator",
                             values=["month_value", "ytd_value"], aggfunc="first", dropna=False)
    wide.columns = [f"{ind}_{kind.split('_')[0]}" for kind, ind in wide.columns]
    wide = wide.reset_index()

    land = obs[obs["indicator"] == "land_area"][["park", "period", "value"]].rename(columns={"value": "land"})
    table = pd.merge_asof(spine, land.sort_values("period"), on="period", by="park")
    table = table.merge(wide, on=["park", "period"], how="left")

    def lagged(months: int) -> pd.DataFrame:
        shifted = wide.copy()
        shifted["period"] = shifted["period"] + pd.DateOffset(months=months)
        return table[["park", "period"]].merge(shifted, on=["park", "period"], how="left")

    year_ago, month_ago = lagged(12), lagged(1)

    def growth(current: pd.Series, base: pd.Series) -> pd.Series:
        return (100 * (current / base - 1)).where(base > 0)

    def col(frame: pd.DataFrame, name: str) -> pd.Series:
        return frame[name] if name in frame else pd.Series(np.nan, index=frame.index)

    land_mu = table["land"].where(table["land"] != 0)
    result = pd.DataFrame({
        "park": table["park"],
        "period": table["period"].dt.strftime("%Y-%m"),
        "tax_per_mu": col(table, "tax_ytd") / land_mu,
        "output_per_mu": col(table, "output_ytd") / land_mu,
        "leading_share": (100 * col(table, "leading_output_ytd") / col(table, "output_ytd")).where(
            col(table, "output_ytd") > 0),
        "output_yoy": growth(col(table, "output_month"), col(year_ago, "output_month")),
        "output_mom": growth(col(table, "output_month"), col(month_ago, "output_month")),
        "output_ytd_yoy": growth(col(table, "output_ytd"), col(year_ago, "output_ytd")),
        "tax_ytd_yoy": growth(col(table, "tax_ytd"), col(year_ago, "tax_ytd")),
    })
    return result.melt(id_vars=["park", "period"], var_name="metric", value_name="value")


def read_long_csv(path: str) -> pd.DataFrame:
    """The bench's long CSV as observations (park, indicator, period, basis,
    value), by pandas alone: `—` and empty cells left out, `2023年1-2月` as
    February's 累计; indicators the metrics do not read keep their names."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    raw = raw[~raw["数值"].isin(["", "—"])]  # every indicator: a month with any value is on the spine
    period = raw["统计期"].str.replace(r"^(\d{4})年1-2月$", r"\1-02", regex=True)
    return pd.DataFrame({
        "park": raw["园区"].to_numpy(),
        "indicator": raw["指标"].map(lambda name: NAMES.get(name, name)).to_numpy(),
        "period": pd.to_datetime(period, format="%Y-%m").to_numpy(),
        "basis": raw["口径"].map(BASES).to_numpy(),
        "value": raw["数值"].astype(float).to_numpy(),
    })


def main(csv_path: str, out_path: str) -> None:
    """`python -m bench.baseline long.csv out.parquet`: the whole pandas run the
    bench times against `ingest` — read the file, compute, write the metrics."""
    pandas_metrics(read_long_csv(csv_path)).to_parquet(out_path)


if __name__ == "__main__":
    main(*sys.argv[1:3])
