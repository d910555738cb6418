"""An enterprise upload rebuilds only the parks of its firms, from the earliest
month it changes (sql.build_tables with the parks of store.firms.rebuilt_parks
and since): the
result must equal a full rebuild, on the enterprise samples and on generated
stores in which firms move between parks' registers, stocks are reported
years before, parcels and industry codes hold from their month on, and park
sheets sit beside the firms' sums."""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest
from conftest import FIXTURES, store_rows
from test_incremental import assert_equals_full_rebuild

from parkbench import store
from parkbench.ingest.enterprise import parse_firm_bytes
from parkbench.ingest.enterprise.model import (
    IDENTITY_COLUMNS,
    LEADING_COLUMNS,
    PARCEL_COLUMNS,
    REGISTER_COLUMNS,
    VALUE_COLUMNS,
    FirmParsed,
)
from parkbench.models import sql
from parkbench.store import firms

SAMPLES = FIXTURES / "enterprise"
PARKS = ("东园", "西园", "北园", "南园")
pytestmark = pytest.mark.both_stores  # store tests: on DuckDB and on PostgreSQL (conftest)


@pytest.fixture
def con(fresh_db):
    return fresh_db


class BuildSpy:
    """Records each sql.build_tables call's scope while it runs."""

    def __init__(self, monkeypatch):
        self.calls = []
        original = sql.build_tables

        def spy(con, park_ids=None, since=None):
            self.calls.append((None if park_ids is None else sorted(park_ids), since))
            original(con, park_ids, since)

        monkeypatch.setattr(sql, "build_tables", spy)


def credit_code(n: int) -> str:
    return f"91350626MA{n:07d}X"


def save(con, parsed: FirmParsed, park: str | None = None):
    return firms.save_firms(con, parsed, repr(parsed).encode() + parsed.file_name.encode(), park=park)


def test_the_samples_one_by_one_equal_a_full_rebuild(con, monkeypatch):
    import json

    manifest = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
    order = manifest["ingest_first"] + [n for n in manifest["shapes"] if n not in manifest["ingest_first"]]
    spy = BuildSpy(monkeypatch)
    for name in order:
        data = (SAMPLES / name).read_bytes()
        parsed = parse_firm_bytes(data, name)
        assert parsed is not None, name
        firms.save_firms(con, parsed, data)
        assert_equals_full_rebuild(con, nonempty=False)
    assert spy.calls and all(ids is not None for ids, _ in spy.calls)  # no upload rebuilt everything
    assert con.execute("select count(*) from int_enterprise_park_flows").fetchall()[0][0] > 0


def test_a_firm_moving_parks_rebuilds_the_park_it_left(con, monkeypatch):
    """西园's 2024-06 register lists firm 1, on 东园's since 2023: from June 1's tax
    counts in 西园 and 东园 loses it; 北园, sharing no firm, is not rebuilt."""
    save(con, register([(1, "东园"), (2, "东园"), (3, "北园")], "2023-01"))
    save(con, values([(n, "tax", f"2024-{m:02d}", "month", 10 * n) for n in (1, 2, 3) for m in range(1, 13)]))
    assert tax_by_park(con, "2024-07") == {"东园": 30.0, "北园": 30.0}
    spy = BuildSpy(monkeypatch)
    moved = save(con, register([(1, "西园")], "2024-06", file_name="西园名录.xlsx"))
    ids = dict(con.execute("select name, park_id from parks").fetchall())
    assert spy.calls == [(sorted([ids["东园"], ids["西园"]]), dt.date(2024, 6, 1))]
    assert tax_by_park(con, "2024-07") == {"东园": 20.0, "西园": 10.0, "北园": 30.0}
    assert tax_by_park(con, "2024-05") == {"东园": 30.0, "北园": 30.0}
    assert_equals_full_rebuild(con, nonempty=False)
    store.undo(con, moved.upload_id)  # firm 1 back in 东园: the same two parks, from the same month
    assert spy.calls[1] == spy.calls[0]
    assert tax_by_park(con, "2024-07") == {"东园": 30.0, "北园": 30.0}
    assert_equals_full_rebuild(con, nonempty=False)


def tax_by_park(con, period: str) -> dict[str, float]:
    return dict(con.execute(
        "select p.name, f.month_value from int_enterprise_park_flows as f join parks as p using (park_id) "
        "where f.indicator = 'tax' and f.period = $period", {"period": month(period)}).fetchall())


def test_a_stock_years_before_and_a_parcel_hold_in_a_later_months_rebuild(con):
    save(con, register([(1, "东园")], "2022-01"))
    save(con, values([(1, "employees", "2022-03", "stock", 80)]))
    save(con, parcels([(1, "P-1", 30.0, "own", "2022-05")]))
    save(con, values([(1, "tax", "2025-04", "ytd", 40)]))
    assert_equals_full_rebuild(con, nonempty=False)
    stocks = dict(con.execute("select indicator, value from int_stock_values as s join parks as p using (park_id) "
                              "where p.name = '东园' and s.period = date '2025-04-01'").fetchall())
    assert stocks == {"employees": 80.0, "land_area": 30.0}


def east_with_land(con) -> None:
    save(con, register([(1, "东园")], "2024-01"))
    save(con, parcels([(1, "P-1", 30.0, "own", "2024-01")]))
    save(con, values([(1, "tax", f"2024-{m:02d}", "month", 10) for m in range(1, 13)], shape="N3"))


def east_land(con, period: str):
    rows = con.execute("select value from int_stock_values as s join parks as p using (park_id) "
                       "where p.name = '东园' and s.indicator = 'land_area' and s.period = $d",
                       {"d": month(period)}).fetchall()
    return rows[0][0] if rows else None


@pytest.mark.parametrize("order", ["park sheet first", "park sheet last"])
def test_a_parks_firms_stay_within_its_own_months(con, order):
    """东园's firms speak of 2024; 西园's firm of 2025-06. 东园's land from its parcels
    does not reach 2025-06 because another park's firm has a row then (a review found
    the calendar of every park ran to the store's last month: a rebuild of 西园 alone
    could not give what a full rebuild gave)."""
    east_with_land(con)
    if order == "park sheet first":
        store_rows(con, [("东园", "tax", "2025-06", "month", 99)])
    save(con, register([(2, "西园")], "2024-01", file_name="西园名录.xlsx"))
    save(con, values([(2, "tax", "2025-06", "month", 5)], file_name="西园.xlsx", shape="N3"))
    if order == "park sheet last":
        store_rows(con, [("东园", "tax", "2025-06", "month", 99)])
    assert_equals_full_rebuild(con, nonempty=False)
    assert east_land(con, "2024-12") == 30.0 and east_land(con, "2025-06") is None


def test_a_row_of_a_firm_on_no_register_and_its_undo_change_no_park(con):
    east_with_land(con)
    store_rows(con, [("东园", "tax", "2025-06", "month", 99)])
    loose = save(con, values([(9, "tax", "2025-06", "month", 5)], file_name="税务.xlsx", shape="N3"))
    assert_equals_full_rebuild(con, nonempty=False)
    store.undo(con, loose.upload_id)
    assert_equals_full_rebuild(con, nonempty=False)


def test_an_enterprise_file_that_retires_the_demo_rebuilds_every_park(con):
    from conftest import month as park_month

    from parkbench.ingest.model import GROWTH_COLUMNS, INDUSTRY_COLUMNS, Parsed, empty_frame

    demo = pd.DataFrame([("示范园", "tax", park_month(f"2024-{m:02d}"), "month", 10.0) for m in range(1, 4)],
                        columns=["park", "indicator", "period", "basis", "value"])
    store.save(con, Parsed("demo.csv", "test", demo, empty_frame(GROWTH_COLUMNS), empty_frame(INDUSTRY_COLUMNS)),
               b"demo", is_demo=True)
    assert con.execute("select count(*) from metric_values where park = '示范园'").fetchall()[0][0] > 0
    save(con, register([(1, "东园")], "2024-01"))
    assert con.execute("select count(*) from metric_values where park = '示范园'").fetchall()[0][0] == 0
    assert_equals_full_rebuild(con, nonempty=False)


@pytest.mark.parametrize("seed", [3, 17, 29])
def test_generated_stores_equal_a_full_rebuild_after_every_upload(con, seed):
    """Random registers (firms moving, leaving), monthly and cumulative values with
    上年同期, stocks, parcels, codes, leading lists and park sheets, stored in a random
    order, then four of them undone; after each, every materialised table equals a
    full rebuild."""
    rng = random.Random(seed)
    uploads = generated_uploads(rng)
    rng.shuffle(uploads)
    stored = []
    for upload in uploads:
        if isinstance(upload, FirmParsed):
            stored.append(save(con, upload, park=rng.choice([None, PARKS[0]]) if upload.shape == "N1" else None))
        else:
            stored.append(store_rows(con, upload))
        assert_equals_full_rebuild(con, nonempty=False)
    assert con.execute("select count(*) from int_enterprise_park_flows").fetchall()[0][0] > 0
    for result in rng.sample(stored, 4):
        store.undo(con, result.upload_id)
        assert_equals_full_rebuild(con, nonempty=False)


def generated_uploads(rng: random.Random) -> list:
    firms_ = range(1, 13)
    uploads: list = []
    for k, month in enumerate(("2023-01", "2023-09", "2024-04", "2025-02")):
        parks = rng.sample(PARKS, 3)
        uploads.append(register([(n, rng.choice(parks)) for n in firms_ if rng.random() < 0.8], month,
                                file_name=f"名录{k}.xlsx"))
    for year in (2023, 2024, 2025):
        rows = []
        for n in firms_:
            for m in range(1, 13):
                if rng.random() < 0.9:
                    rows.append((n, "output", f"{year}-{m:02d}", rng.choice(["month", "ytd"]), rng.randint(1, 90)))
                if rng.random() < 0.3:
                    rows.append((n, "output", f"{year}-{m:02d}", "ytd_prior", rng.randint(1, 400)))
                if rng.random() < 0.8:
                    rows.append((n, "tax", f"{year}-{m:02d}", "month", rng.randint(0, 20)))
        uploads.append(values(rows, file_name=f"直报{year}.csv", shape="N3"))  # N3: a row on no register waits
        uploads.append(values([(n, "employees", f"{year}-{rng.randint(1, 12):02d}", "stock", rng.randint(5, 300))
                               for n in firms_ if rng.random() < 0.5], file_name=f"人数{year}.csv", shape="N3"))
    uploads.append(values([(n, "tax", "2025-06", "month", rng.randint(0, 20)) for n in firms_[:4]],
                          file_name="东园台账.xlsx", shape="N1"))
    uploads.append(parcels([(n, f"P-{n}", float(rng.randint(5, 60)), rng.choice(["own", "rent_in"]),
                             f"{rng.choice([2022, 2023, 2024])}-{rng.randint(1, 12):02d}") for n in firms_]))
    uploads.append(identities([(n, rng.choice(["3411", "3660", "1310"]), f"2024-{rng.randint(1, 12):02d}")
                               for n in firms_ if rng.random() < 0.5]))
    for park in PARKS[:2]:
        uploads.append(leading([(park, "装备", "34", "2023-01"), (park, "汽车", "36", rng.choice(["2024-03", "2025-01"]))]))
    uploads.append([(park, "output", "2024-06", "ytd", rng.randint(100, 900)) for park in PARKS[:2]]
                   + [(PARKS[2], "land_area", "2023-02", "stock", 120)])
    return uploads


# ---------------------------------------------------------------- the files, as readers give them

def month(text: str) -> dt.date:
    year, mon = text.split("-")
    return dt.date(int(year), int(mon), 1)


def register(rows, valid_from: str, file_name: str = "名录.xlsx") -> FirmParsed:
    """rows: (firm number, park)."""
    frame = pd.DataFrame([
        dict(credit_code=credit_code(n), org_code=None, enterprise=f"企业{n}", park=park, industry_code="3411",
             industry_name=None, above_scale=True, above_scale_since=None, valid_from=month(valid_from),
             sheet="名录", row=i + 2) for i, (n, park) in enumerate(rows)], columns=REGISTER_COLUMNS)
    return FirmParsed(file_name, "N5", registers=frame)


def values(rows, file_name: str = "联网直报.xlsx", shape: str = "N2") -> FirmParsed:
    """rows: (firm number, indicator, 'YYYY-MM', basis, value)."""
    frame = pd.DataFrame([
        dict(credit_code=credit_code(n), org_code=None, enterprise=f"企业{n}", park=None, indicator=indicator,
             period=month(period), basis=basis, value=float(value), sheet="表", row=i + 2, column="C 列")
        for i, (n, indicator, period, basis, value) in enumerate(rows)], columns=VALUE_COLUMNS)
    return FirmParsed(file_name, shape, values=frame)


def parcels(rows) -> FirmParsed:
    """rows: (firm number, parcel, 亩, tenure, registered 'YYYY-MM')."""
    frame = pd.DataFrame([
        dict(credit_code=credit_code(n), org_code=None, enterprise=f"企业{n}", park=None, parcel=parcel, area=area,
             tenure=tenure, registered=month(registered), sheet="宗地", row=i + 2)
        for i, (n, parcel, area, tenure, registered) in enumerate(rows)], columns=PARCEL_COLUMNS)
    return FirmParsed("宗地.xlsx", "N4", parcels=frame)


def identities(rows) -> FirmParsed:
    """rows: (firm number, industry code, 'YYYY-MM')."""
    frame = pd.DataFrame([
        dict(credit_code=credit_code(n), org_code=None, enterprise=f"企业{n}", park=None, industry_code=code,
             industry_name=None, period=month(period), sheet="表", row=i + 2)
        for i, (n, code, period) in enumerate(rows)], columns=IDENTITY_COLUMNS)
    return FirmParsed("行业.xlsx", "N1", identities=frame)


def leading(rows) -> FirmParsed:
    """rows: (park, group, prefix, valid_from 'YYYY-MM')."""
    frame = pd.DataFrame([dict(park=park, group=g, prefix=p, valid_from=month(v), sheet="目录", row=i + 2)
                          for i, (park, g, p, v) in enumerate(rows)], columns=LEADING_COLUMNS)
    return FirmParsed(f"主导产业{rows[0][0]}.xlsx", "N6", leading=frame)
