"""An upload rebuilds only the derived rows of the parks it touched
(sql.build_tables with park ids); the result must equal a full rebuild, on
the sample sheets and on a generated store with re-uploads, gaps, 1-2月
cumulatives, stocks, published growth, industries and undo."""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest
from conftest import FIXTURES, store_rows

from parkbench import store
from parkbench.ingest import parse_path
from parkbench.ingest.model import GROWTH_COLUMNS, INDUSTRY_COLUMNS, Parsed, empty_frame
from parkbench.models import sql

pytestmark = pytest.mark.both_stores  # store tests: on DuckDB and on PostgreSQL (conftest)
TABLES = [name for name, kind in sql.MODELS if kind == "table"]


def assert_equals_full_rebuild(con, nonempty: bool = True) -> None:
    """Every materialised table holds exactly what its model gives over all the data."""
    for name in TABLES:
        kept = con.execute(f"select * from {sql.model_name(name)}").df()
        full = con.execute(f"select * from ({sql.load(name)})").df()
        assert len(full) > 0 or not nonempty or "enterprise" in name, name  # no firm rows in these stores
        keys = [c for c in full.columns if not pd.api.types.is_float_dtype(full[c])]
        kept = kept.sort_values(keys).reset_index(drop=True)
        full = full.sort_values(keys).reset_index(drop=True)
        pd.testing.assert_frame_equal(kept, full, check_exact=False, rtol=1e-12, obj=name)


def test_rebuild_touches_only_the_uploaded_parks(fresh_db):
    store_rows(fresh_db, [("甲园区", "tax", "2024-01", "month", 10), ("乙园区", "tax", "2024-01", "month", 20)])
    before = fresh_db.execute("select park, metric, value from metric_values where park = '乙园区'").fetchall()
    calls = []
    original = sql.build_tables

    def spy(con, park_ids=None, since=None):
        calls.append((None if park_ids is None else sorted(park_ids), since))
        original(con, park_ids, since)

    sql.build_tables = spy
    try:
        store_rows(fresh_db, [("甲园区", "tax", "2024-02", "month", 12)])
    finally:
        sql.build_tables = original
    park_a = fresh_db.execute("select park_id from parks where name = '甲园区'").fetchall()[0][0]
    assert calls == [([park_a], dt.date(2024, 2, 1))]
    assert fresh_db.execute("select park, metric, value from metric_values where park = '乙园区'").fetchall() == before
    assert_equals_full_rebuild(fresh_db, nonempty=False)


def test_a_later_year_reads_the_stock_and_the_year_before(fresh_db):
    """Rebuilding from 2025 on must still carry the land reported in 2023 and
    compare with 2024's months: the scratch rows reach back for them."""
    store_rows(fresh_db, [("甲园区", "land_area", "2023-03", "stock", 200)])
    store_rows(fresh_db, [("甲园区", "tax", "2024-05", "month", 40), ("甲园区", "tax", "2024-04", "month", 30)])
    store_rows(fresh_db, [("甲园区", "tax", "2025-05", "month", 50)])
    assert_equals_full_rebuild(fresh_db)
    rows = dict(fresh_db.execute("select metric, value from metric_values where park = '甲园区' "
                                 "and period = date '2025-05-01'").fetchall())
    assert rows["tax_yoy"] == pytest.approx(25.0)  # 50 against 40 a year earlier
    assert rows["tax_per_mu"] is None  # January–April 2025 unknown: no cumulative
    store_rows(fresh_db, [("甲园区", "tax", "2025-05", "ytd", 300)])
    rows = dict(fresh_db.execute("select metric, value from metric_values where park = '甲园区' "
                                 "and period = date '2025-05-01'").fetchall())
    assert rows["tax_per_mu"] == pytest.approx(300 / 200)  # the reported 1-5月 ÷ the land reported in 2023
    assert_equals_full_rebuild(fresh_db)


def test_samples_one_by_one_then_undo(fresh_db):
    paths = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".xlsx", ".csv"))
    assert len(paths) >= 5
    results = []
    for path in paths:
        results.append(store.save(fresh_db, parse_path(path), path.read_bytes()))
        assert_equals_full_rebuild(fresh_db)
    store.undo(fresh_db, results[1].upload_id)
    assert_equals_full_rebuild(fresh_db)


def generated_uploads(seed: int = 7) -> list[Parsed]:
    """Uploads of 12 parks over 2024–2025: monthly files (one park or several),
    cumulatives only, 1-2月 reported as a February cumulative, missing months,
    land reported once a year, published growth, industry breakdowns and
    re-uploads of a month with other values."""
    rng = random.Random(seed)
    parks = [f"生成园区{i:02d}" for i in range(12)]
    uploads = []
    for year in (2024, 2025):
        for mon in range(1, 13):
            chosen = rng.sample(parks, rng.choice([1, 1, 3, 12]))
            obs, growth, industries = [], [], []
            period = dt.date(year, mon, 1)
            for park in chosen:
                for indicator in ("output", "tax", "leading_output", "fixed_investment", "leading_investment"):
                    if rng.random() < 0.08:
                        continue  # not reported this month
                    value = rng.uniform(100, 1000)
                    if mon == 2 and rng.random() < 0.3:
                        obs.append((park, indicator, period, "ytd", value * 2))  # 1-2月 combined
                    else:
                        obs.append((park, indicator, period, rng.choice(["month", "month", "ytd"]), value))
                if mon in (1, 7) or rng.random() < 0.05:
                    obs.append((park, "land_area", period, "stock", rng.uniform(500, 3000)))
                if rng.random() < 0.2:
                    growth.append((park, "output", period, "ytd", rng.uniform(-10, 20)))
                if mon == 12:
                    industries.append((park, period, "装备制造", True, rng.uniform(50, 500), 5))
            uploads.append(Parsed(f"{year}-{mon:02d}.csv", "test",
                                  pd.DataFrame(obs, columns=["park", "indicator", "period", "basis", "value"]),
                                  pd.DataFrame(growth, columns=GROWTH_COLUMNS) if growth else empty_frame(GROWTH_COLUMNS),
                                  pd.DataFrame(industries, columns=INDUSTRY_COLUMNS) if industries
                                  else empty_frame(INDUSTRY_COLUMNS)))
    for again in rng.sample(range(len(uploads)), 4):  # re-uploads replace values
        redo = uploads[again]
        uploads.append(Parsed("again-" + redo.file_name, "test", redo.observations.assign(
            value=redo.observations["value"] * 1.1), redo.growth, redo.industries))
    return uploads


@pytest.mark.parametrize("seed", [7])
def test_generated_store(fresh_db, seed):
    results = [store.save(fresh_db, parsed, parsed.file_name.encode()) for parsed in generated_uploads(seed)]
    assert_equals_full_rebuild(fresh_db)
    store.undo(fresh_db, results[-1].upload_id)  # a re-upload: the replaced values come back
    store.undo(fresh_db, results[5].upload_id)
    assert_equals_full_rebuild(fresh_db)
    counts = fresh_db.execute("select count(distinct park_id), count(*) from metric_values").fetchall()[0]
    assert counts[0] == 12 and counts[1] > 1000
