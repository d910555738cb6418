"""A park's firms at one month (issue 20): the 企业 page's table and chart, the
firms' sums beside the park's totals, the 低效用地 list and its report sentence,
the composition of the leading groups by firms, and the top contributors.

Every read takes ``reader``, the account reading (``accounts.OPERATOR`` on the
command line), and returns only the firms of the parks ``accounts.firm_parks``
gives it (docs/enterprises.md rule 5): another park's firms come back as no rows,
never as a refusal that would say they exist.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import duckdb
import pandas as pd

from parkbench.models import metrics, sql
from parkbench.store import accounts
from parkbench.store.accounts import Account

# The firm metrics the 企业 page can chart against land (docs/enterprises.md).
CHART_METRICS = ("tax_per_mu", "tax_per_mu_annual", "output_per_mu")
TOTALS = ("output", "tax", "revenue", "land_area")
# Summed over the firms 规上 at the month, as the park's own sums are (int_enterprise_park_flows'
# SCALE: 规上工业总产值, 营业收入); tax and land over every firm.
ABOVE_SCALE_ONLY = ("output_ytd", "revenue_ytd")
NOT_LEADING = ("非主导产业", "not leading")  # a firm in no leading group, as tables and charts name it


def readable_parks(con: duckdb.DuckDBPyConnection, *, reader: Account) -> list[str]:
    """The parks with firm figures whose firms ``reader`` may see, sorted."""
    return sql.query(con, "reads/firm_parks", readable=accounts.firm_parks(con, reader))["park"].tolist()


def periods(con: duckdb.DuckDBPyConnection, *, reader: Account, park: str) -> list[dt.date]:
    """The months ``park`` has firm figures for, newest first (none for a park ``reader`` may not see)."""
    frame = sql.query(con, "reads/firm_periods", readable=accounts.firm_parks(con, reader), park=park)
    return [pd.Timestamp(p).date() for p in frame["period"]]


def park_firms(con: duckdb.DuckDBPyConnection, *, reader: Account, park: str, period) -> pd.DataFrame:
    """The park's firms at ``period`` with their figures (queries/reads/park_firms.sql),
    largest tax first; no rows for a park ``reader`` may not see."""
    return sql.query(con, "reads/park_firms", readable=accounts.firm_parks(con, reader), park=park,
                     period=metrics.month_start(period))


def park_metric(con: duckdb.DuckDBPyConnection, park: str, period, metric: str) -> float | None:
    """The park's own value of ``metric`` at ``period`` (metric_values), as every park page shows it."""
    rows = sql.query(con, "reads/park_metric_value", park=park, period=metrics.month_start(period), metric=metric)
    value = rows["value"].iloc[0] if len(rows) else None
    return None if value is None or pd.isna(value) or not math.isfinite(value) else float(value)


def firm_totals(con: duckdb.DuckDBPyConnection, *, reader: Account, park: str, period) -> pd.DataFrame:
    """``totals`` over the park's firms ``reader`` may see (none: no rows)."""
    firms = park_firms(con, reader=reader, park=park, period=period)
    return totals(con, firms, park, period) if len(firms) else totals(con, firms, park, period).iloc[0:0]


def totals(con: duckdb.DuckDBPyConnection, firms: pd.DataFrame, park: str, period) -> pd.DataFrame:
    """The park's totals beside the sums over ``firms`` (the rows park_firms gave):
    indicator, park (the figure in force), from_enterprises, firm_sum (unknown when
    a firm summed lacks the value: never a smaller sum), firms (户 summed: output and
    revenue over the 规上 firms, as the park's own sums; tax and land over all).
    Units: 万元, 亩 (land_area)."""
    park_rows = sql.query(con, "reads/park_firm_totals", park=park, period=metrics.month_start(period))
    in_force = {r.indicator: (float(r.in_force), bool(r.from_enterprises)) for r in park_rows.itertuples()}
    rows = []
    for indicator in TOTALS:
        column = "land_area" if indicator == "land_area" else f"{indicator}_ytd"
        summed = _above_scale(firms) if column in ABOVE_SCALE_ONLY else firms
        values = summed[column] if column in summed else pd.Series(dtype="float64")
        firm_sum = float(values.sum()) if len(values) and values.notna().all() else None
        park_value, from_enterprises = in_force.get(indicator, (None, False))
        if park_value is None and firm_sum is None:
            continue
        rows.append({"indicator": indicator, "park": park_value, "from_enterprises": from_enterprises,
                     "firm_sum": firm_sum, "firms": len(values)})
    return pd.DataFrame(rows, columns=["indicator", "park", "from_enterprises", "firm_sum", "firms"])


# ---------------------------------------------------------------- 低效用地

@dataclass(frozen=True)
class LowYield:
    """Firms holding land that pay little (清闲促建's list): those below a 亩均
    threshold, or in a class the caller names (D from the enterprise evaluation),
    with their land and tax and the shares of the park's land and tax."""

    firms: pd.DataFrame  # the listed firms, most land first
    land: float  # 亩 they hold
    tax: float  # 万元 they paid (1-本月)
    land_share: float | None  # % of the park's land in force
    tax_share: float | None  # % of the park's tax (1-本月)
    unknown_tax: int  # firms holding land with no value of the metric: not listed (unknown is not 0)

    @property
    def count(self) -> int:
        return len(self.firms)

    def sentence(self, lang: str = "zh") -> str:
        """The line a report quotes: 低效企业 N 户，占地 X 亩（占园区工业用地 Y%），税收占 Z%."""
        zh = lang != "en"
        if not self.count:
            return "没有低效企业" if zh else "No low-yield firms"
        land_share = f"（占园区工业用地 {self.land_share:.1f}%）" if zh and self.land_share is not None else ""
        tax_share = f"，税收占 {self.tax_share:.1f}%" if zh and self.tax_share is not None else ""
        if zh:
            return f"低效企业 {self.count} 户，占地 {self.land:,.1f} 亩{land_share}{tax_share}"
        parts = [f"{self.count} low-yield firms hold {self.land:,.1f} mu"]
        if self.land_share is not None:
            parts.append(f" ({self.land_share:.1f}% of the park's industrial land)")
        if self.tax_share is not None:
            parts.append(f" and pay {self.tax_share:.1f}% of its tax")
        return "".join(parts)


def low_yield(firms: pd.DataFrame, park_totals: pd.DataFrame, *, metric: str = "tax_per_mu",
              below: float | None = None, classes: pd.Series | None = None) -> LowYield:
    """The firms of ``firms`` (park_firms rows) that hold land and either have
    ``metric`` below ``below`` (万元/亩) or whose entry in ``classes`` (indexed by
    enterprise_id, e.g. the evaluation's final class) is 'D'. Both given: either
    puts a firm on the list. Shares are of the park's figures in force
    (``park_totals``, from ``totals``); unknown when the park has none."""
    holding = firms[firms["land_area"].notna() & (firms["land_area"] > 0)]
    chosen = pd.Series(False, index=holding.index)
    if below is not None:
        chosen |= holding[metric].notna() & (holding[metric] < below)
    if classes is not None:
        chosen |= holding["enterprise_id"].map(classes).eq("D").fillna(False).astype(bool)
    listed = holding[chosen].sort_values(["land_area", "enterprise"], ascending=[False, True])
    unknown_tax = int((holding[metric].isna() & ~chosen).sum()) if below is not None else 0
    park = {r.indicator: r.park for r in park_totals.itertuples()}
    land, tax = float(listed["land_area"].sum()), float(listed["tax_ytd"].fillna(0).sum())
    # a listed firm (class D) without a tax figure makes their tax share unknown, never smaller
    tax_share = _share(tax, park.get("tax")) if listed["tax_ytd"].notna().all() else None
    return LowYield(listed.reset_index(drop=True), land, tax, _share(land, park.get("land_area")),
                    tax_share, unknown_tax)


def _above_scale(firms: pd.DataFrame) -> pd.DataFrame:
    return firms[firms["above_scale"].fillna(False).astype(bool)] if "above_scale" in firms else firms


def _share(part: float, whole) -> float | None:
    if whole is None or pd.isna(whole) or whole <= 0:
        return None
    return 100 * part / float(whole)


def parcels(con: duckdb.DuckDBPyConnection, *, reader: Account, park: str, period) -> pd.DataFrame:
    """enterprise_id, parcels (宗地编号 joined with 、): the parcels each firm of
    ``park`` holds at ``period`` (registered by then), for the 低效用地 台账."""
    return sql.query(con, "reads/firm_parcels", readable=accounts.firm_parks(con, reader), park=park,
                     period=metrics.month_start(period))


# ---------------------------------------------------------------- composition by firms

def composition_sentences(figures: pd.DataFrame, lang: str = "zh") -> list[str]:
    """One sentence per leading group (leading.figures rows), in the seeds' style:
    纺织鞋服13户实现产值43.55亿元，同比增长14.21%. Output in 亿元 from 1 亿 up, else
    万元; the growth part is left out when unknown."""
    zh = lang != "en"
    lines = []
    for row in figures.itertuples():
        if row.output is None or pd.isna(row.output):
            continue
        output = float(row.output)
        amount = (f"{output / 10000:.2f}亿元" if output >= 10000 else f"{output:.2f}万元") if zh else (
            f"{output / 10000:,.2f} (100 million yuan)" if output >= 10000 else f"{output:,.2f} (10k yuan)")
        growth = None if row.growth is None or pd.isna(row.growth) else float(row.growth)
        if zh:
            trend = "" if growth is None else f"，同比{'增长' if growth >= 0 else '下降'}{abs(growth):.2f}%"
            lines.append(f"{row.group_name}{int(row.firms)}户实现产值{amount}{trend}")
        else:
            trend = "" if growth is None else f", {'up' if growth >= 0 else 'down'} {abs(growth):.2f}% year on year"
            lines.append(f"{row.group_name}: {int(row.firms)} firms, output {amount}{trend}")
    return lines


def top_contributors(firms: pd.DataFrame, column: str, park_total: float | None, n: int = 5) -> pd.DataFrame:
    """The ``n`` firms with the largest ``column`` (output_ytd or tax_ytd), with
    their share (%) of the park's total in force (unknown when it has none); output
    among the 规上 firms, whose sum the park's output is."""
    ranked = _above_scale(firms) if column in ABOVE_SCALE_ONLY else firms
    known = ranked[ranked[column].notna()]
    top = known.sort_values([column, "enterprise"], ascending=[False, True]).head(n)
    share = [_share(float(v), park_total) for v in top[column]]
    return top.assign(share=pd.Series(share, index=top.index, dtype="float64")).reset_index(drop=True)
