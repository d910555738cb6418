"""Demo data: the committed files are what the generator writes, and they
reproduce the figures the parks published (docs/seed-facts.md)."""

from __future__ import annotations

import pytest
from conftest import flow, metric

from parkbench import store
from parkbench.store import demo


@pytest.fixture(scope="module")
def demo_db():
    con = store.connect(":memory:")
    demo.load(con)
    yield con
    con.close()


def test_committed_demo_files_match_the_generator():
    for name, data in demo.files().items():
        assert (demo.DEMO_DIR / name).read_bytes() == data, f"data/demo/{name} is stale: run python -m parkbench.store.demo"


def test_demo_covers_four_parks_2023_to_2025(demo_db):
    rows = demo_db.execute(
        "select p.name, min(period), max(period) from stg_observations join parks p using (park_id) "
        "where basis = 'month' group by 1 order by 1").fetchall()
    assert [r[0] for r in rows] == ["宽甸经济开发区", "寻甸特色产业园区", "确山县产业集聚区", "示例县工业园区"]
    assert all(f"{r[1]:%Y-%m}" == "2023-01" and f"{r[2]:%Y-%m}" == "2025-12" for r in rows)


def test_county_park_matches_its_2023_report(demo_db):
    park = "示例县工业园区"
    assert flow(demo_db, park, "output", "2023-11")[1] == pytest.approx(1_242_000)  # 124.2亿元
    assert flow(demo_db, park, "tax", "2023-11")[1] == pytest.approx(15_200)  # 1.52亿元
    # 亩均税收 1-11月 = 15,200万元 ÷ 16,845亩 = 0.90 万元/亩; full year 1.9亿 → 1.13.
    assert metric(demo_db, park, "2023-11", "tax_per_mu") == pytest.approx(0.902, abs=0.001)
    assert metric(demo_db, park, "2023-12", "tax_per_mu") == pytest.approx(1.128, abs=0.001)
    assert metric(demo_db, park, "2023-11", "output_ytd_yoy") == pytest.approx(16.33, abs=0.01)
    assert metric(demo_db, park, "2023-12", "output_ytd_yoy") == pytest.approx(21.2, abs=0.01)


def test_queshan_first_half_matches_its_report(demo_db):
    park = "确山县产业集聚区"
    assert flow(demo_db, park, "output", "2023-06")[1] == pytest.approx(532_000)
    assert metric(demo_db, park, "2023-06", "leading_share") == pytest.approx(67.1, abs=0.05)
    assert metric(demo_db, park, "2023-06", "leading_tax_share") == pytest.approx(71.9, abs=0.05)


def test_county_park_tax_per_mu_is_below_the_peer_average(demo_db):
    from parkbench.models import benchmark

    result = benchmark.league(demo_db, "2023-11", metrics=["tax_per_mu"])
    row = result.set_index("park").loc["示例县工业园区"]
    assert row["value"] < row["peer_mean"]
