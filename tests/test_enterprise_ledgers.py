"""Generated enterprise ledgers (hypothesis): a park's totals and its
主导产业占比, worked out here by hand from the generated firms, against what
the store builds from them (docs/enterprises.md rules 3 and 4).

Each firm has an industry code, a 入规年月 (or none: 规上 throughout) and, for
January–June, a month value of output and tax or a gap. By hand: a firm's
cumulative is the sum of its months, unknown after a gap; the park's month and
cumulative are the sums over the firms the figure covers (output: the firms 规上
at that month; tax: every firm), unknown when one of them lacks it; the
leading output sums the covered firms whose code falls in a leading prefix
(0 when none does). A month in which no firm has a value has no park figure."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from parkbench import store
from parkbench.ingest.enterprise.model import LEADING_COLUMNS, REGISTER_COLUMNS, VALUE_COLUMNS, FirmParsed
from parkbench.store import firms

PARK = "试验园"
MONTHS = range(1, 7)
LEADING_PREFIXES = ("34", "366")
CODES = ("1310", "3411", "3660", "3670", "1711")
# A store per example costs seconds: no shrinking (a failure prints the whole generated ledger).
LEDGERS = settings(max_examples=8, deadline=dt.timedelta(seconds=60), derandomize=True,
                   phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=[HealthCheck.too_slow])

value_or_gap = st.one_of(st.none(), st.integers(0, 500).map(float))
firm = st.fixed_dictionaries({
    "code": st.sampled_from(CODES),
    "since": st.one_of(st.none(), st.integers(1, 6)),
    "output": st.lists(value_or_gap, min_size=6, max_size=6),
    "tax": st.lists(value_or_gap, min_size=6, max_size=6),
})


def credit_code(n: int) -> str:
    return f"91350626MA{n:07d}X"


def store_ledger(con, ledger) -> None:
    first = dt.date(2024, 1, 1)
    registers = pd.DataFrame([
        dict(credit_code=credit_code(n), org_code=None, enterprise=f"试验企业{n}", park=PARK, industry_code=f["code"],
             industry_name=None, above_scale=True,
             above_scale_since=dt.date(2024, f["since"], 1) if f["since"] else None,
             valid_from=first, sheet="名录", row=n + 2) for n, f in enumerate(ledger)], columns=REGISTER_COLUMNS)
    firms.save_firms(con, FirmParsed("名录.xlsx", "N5", registers=registers), b"register")
    leading = pd.DataFrame([dict(park=PARK, group="主导", prefix=p, valid_from=first, sheet="目录", row=2)
                            for p in LEADING_PREFIXES], columns=LEADING_COLUMNS)
    firms.save_firms(con, FirmParsed("主导.xlsx", "N6", leading=leading), b"leading")
    values = pd.DataFrame([
        dict(credit_code=credit_code(n), org_code=None, enterprise=f"试验企业{n}", park=None, indicator=indicator,
             period=dt.date(2024, m, 1), basis="month", value=value, sheet="表", row=n + 2, column="C 列")
        for n, f in enumerate(ledger) for indicator in ("output", "tax")
        for m, value in zip(MONTHS, f[indicator], strict=True) if value is not None], columns=VALUE_COLUMNS)
    firms.save_firms(con, FirmParsed("直报.xlsx", "N2", values=values), repr(ledger).encode())


def firm_ytd(months: list, m: int) -> float | None:
    head = months[:m]
    return None if any(v is None for v in head) else sum(head)


def total(values: list) -> float | None:
    return None if any(v is None for v in values) else sum(values)


def by_hand(ledger, indicator: str, m: int):
    """(month, cumulative, leading cumulative) of the park; all unknown when no firm
    has a value of the indicator for the month (the park has no figure then)."""
    if all(f[indicator][m - 1] is None for f in ledger):
        return None, None, None
    covered = [f for f in ledger if indicator == "tax" or f["since"] is None or f["since"] <= m]
    month = total([f[indicator][m - 1] for f in covered])
    ytd = total([firm_ytd(f[indicator], m) for f in covered])
    leading = total([firm_ytd(f["output"], m) for f in covered if f["code"].startswith(LEADING_PREFIXES)])
    return month, ytd, leading


def stored(con, indicator: str, m: int):
    rows = con.execute("select month_value, ytd_value from int_flow_values where indicator = $i and period = $d",
                       {"i": indicator, "d": dt.date(2024, m, 1)}).fetchall()
    return rows[0] if rows else (None, None)


@LEDGERS
@given(st.lists(firm, min_size=1, max_size=5))
def test_park_totals_and_leading_share_are_the_sums_over_the_firms(ledger):
    con = store.connect(":memory:")
    try:
        store_ledger(con, ledger)
        for m in MONTHS:
            for indicator in ("output", "tax"):
                month, ytd, _ = by_hand(ledger, indicator, m)
                got_month, got_ytd = stored(con, indicator, m)
                assert got_month == pytest.approx(month) if month is not None else got_month is None, (indicator, m)
                assert got_ytd == pytest.approx(ytd) if ytd is not None else got_ytd is None, (indicator, m)
            _, output_ytd, leading_ytd = by_hand(ledger, "output", m)
            share = con.execute("select value from metric_values where metric = 'leading_share' and period = $d",
                                {"d": dt.date(2024, m, 1)}).fetchall()
            want = (100 * leading_ytd / output_ytd if output_ytd and leading_ytd is not None else None)
            got = share[0][0] if share else None
            assert got == pytest.approx(want) if want is not None else got is None, m
    finally:
        con.close()
