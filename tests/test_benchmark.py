"""League table, peer groups and report sentences against hand-computed values."""

from __future__ import annotations

import pytest
from conftest import store_rows

from parkbench.errors import InputError
from parkbench.models import benchmark, peers

# 亩均税收 for 2024-03 (cumulative tax ÷ land, land 100 亩 each):
# 甲 3.00, 乙 2.00, 丙 2.00 (tie), 丁 1.00, 戊 0.90, 己 no tax reported.
TAX = {"甲园区": 300, "乙园区": 200, "丙园区": 200, "丁园区": 100, "戊园区": 90}


@pytest.fixture
def league_db(fresh_db):
    rows = [(p, "land_area", "2024-01", "stock", 100) for p in (*TAX, "己园区")]
    rows += [(p, "tax", "2024-03", "ytd", v) for p, v in TAX.items()]
    store_rows(fresh_db, rows)
    return fresh_db


def table(con, **kw):
    frame = benchmark.league(con, "2024-03", metrics=["tax_per_mu"], **kw)
    return {r["park"]: r for r in frame.to_dict("records")}


def test_the_default_peer_set_is_the_parks_with_a_value_in_the_month(league_db):
    # 己 reported land in January and nothing in March: late, not in March's set unless named.
    assert set(table(league_db)) == set(TAX)
    assert set(table(league_db, parks=[*TAX, "己园区"])) == {*TAX, "己园区"}


def test_ranks_ties_percentiles_and_classes(league_db):
    t = table(league_db)
    assert {p: t[p]["rank"] for p in TAX} == {"甲园区": 1, "乙园区": 2, "丙园区": 2, "丁园区": 4, "戊园区": 5}
    # percent_rank ascending: 戊 0/4, 丁 1/4, 乙 丙 2/4 (tie), 甲 4/4
    assert {p: t[p]["percentile"] for p in TAX} == pytest.approx(
        {"甲园区": 100.0, "乙园区": 50.0, "丙园区": 50.0, "丁园区": 25.0, "戊园区": 0.0})
    # ceil rule, n = 5: A if rank ≤ ceil(5 × 20 %) = 1, B ≤ ceil(3) = 3, C ≤ ceil(4.75) = 5 — no D among five
    assert {p: t[p]["class"] for p in TAX} == {"甲园区": "A", "乙园区": "B", "丙园区": "B", "丁园区": "C", "戊园区": "C"}


def test_top_of_four_is_a(league_db):
    peers.save_group(league_db, "四园", ["甲园区", "乙园区", "丁园区", "戊园区"])
    t = table(league_db, group="四园")
    # n = 4, ranks 1-4: A ≤ ceil(0.8) = 1, B ≤ ceil(2.4) = 3, C ≤ ceil(3.8) = 4
    assert {p: t[p]["class"] for p in t} == {"甲园区": "A", "乙园区": "B", "丁园区": "B", "戊园区": "C"}


def test_peer_statistics_and_gaps(league_db):
    t = table(league_db)
    row = t["戊园区"]
    assert row["peers"] == 5 and row["group_size"] == 5
    named = table(league_db, parks=[*TAX, "己园区"])["戊园区"]  # 己 named: in the set, not in the statistics
    assert (named["peers"], named["group_size"], named["peer_mean"]) == (5, 6, pytest.approx(8.9 / 5))
    assert row["peer_mean"] == pytest.approx(8.9 / 5)          # 1.78
    assert row["peer_median"] == pytest.approx(2.0)
    assert row["q1"] == pytest.approx(1.0)                     # sorted 0.9, 1, 2, 2, 3: position 1
    assert row["q3"] == pytest.approx(2.0)                     # position 3
    assert row["best"] == pytest.approx(3.0)
    assert row["gap_to_mean"] == pytest.approx(0.9 - 1.78)
    assert row["gap_to_mean_pct"] == pytest.approx(100 * (0.9 - 1.78) / 1.78)  # −49.44 %
    assert row["gap_to_best"] == pytest.approx(-2.1)
    assert t["甲园区"]["gap_to_best"] == pytest.approx(0.0)


def test_missing_value_kept_without_rank(league_db):
    row = table(league_db, parks=[*TAX, "己园区"])["己园区"]
    assert row["value"] is None or row["value"] != row["value"]
    for column in ("rank", "percentile", "class", "gap_to_mean", "gap_to_best"):
        value = row[column]
        assert value is None or value != value, column
    assert benchmark.report_sentence(row) == "亩均税收 未报送"


def test_class_thresholds_are_parameters(league_db):
    # A ≤ ceil(2) = 2, B ≤ ceil(4) = 4, C ≤ ceil(4.5) = 5
    t = table(league_db, classes=(0.4, 0.8, 0.9))
    assert {p: t[p]["class"] for p in TAX} == {"甲园区": "A", "乙园区": "A", "丙园区": "A", "丁园区": "B", "戊园区": "C"}
    # A ≤ ceil(1.5) = 2, B ≤ ceil(2.5) = 3, C ≤ ceil(3.5) = 4, D rank 5
    t = table(league_db, classes=(0.3, 0.5, 0.7))
    assert {p: t[p]["class"] for p in TAX} == {"甲园区": "A", "乙园区": "A", "丙园区": "A", "丁园区": "C", "戊园区": "D"}
    with pytest.raises(InputError, match="等级界限"):
        benchmark.league(league_db, "2024-03", classes=(0.6, 0.2, 0.9))


def test_report_sentence_from_the_numbers(league_db):
    t = table(league_db)
    assert benchmark.report_sentence(t["戊园区"]) == "亩均税收 0.90 万元/亩，低于园区平均 49.4%，排名 5/5"
    assert benchmark.report_sentence(t["甲园区"]) == "亩均税收 3.00 万元/亩，高于园区平均 68.5%，排名 1/5"
    assert benchmark.report_sentence(t["戊园区"], "en") == "Tax per mu 0.90 10k yuan/mu, 49.4% below the peer mean, rank 5 of 5"


def test_report_sentence_percent_metric_in_points():
    row = {"metric": "leading_share", "value": 61.8, "peer_mean": 65.0, "gap_to_mean": -3.2,
           "gap_to_mean_pct": -4.923, "rank": 3, "peers": 4}
    assert benchmark.report_sentence(row) == "主导产业占比 61.8%，低于园区平均 3.2 个百分点，排名 3/4"


def test_a_gap_that_rounds_to_zero_as_written_is_level_with_the_mean():
    # 61.84 % against 61.80 %: 0.04 points, written "0.0" → 持平, never "高于园区平均 0.0 个百分点"
    row = {"metric": "leading_share", "value": 61.84, "peer_mean": 61.80, "gap_to_mean": 0.04,
           "gap_to_mean_pct": 0.0647, "rank": 2, "peers": 4}
    assert benchmark.report_sentence(row) == "主导产业占比 61.8%，与园区平均持平，排名 2/4"
    assert benchmark.report_sentence(row, "en").endswith("61.8%, level with the peer mean, rank 2 of 4")
    # 0.06 points is written "0.1": said as a gap
    assert "高于园区平均 0.1 个百分点" in benchmark.report_sentence({**row, "value": 61.86, "gap_to_mean": 0.06})


def test_seed_sentence_county_park():
    # seed 001: 亩均税收 15,200 万元 ÷ 16,845 亩 = 0.90, below a mean of 1.175 by 23.4 %
    row = {"metric": "tax_per_mu", "value": 15200 / 16845, "peer_mean": 1.1782, "gap_to_mean": 15200 / 16845 - 1.1782,
           "gap_to_mean_pct": 100 * (15200 / 16845 / 1.1782 - 1), "rank": 4, "peers": 5}
    assert benchmark.report_sentence(row) == "亩均税收 0.90 万元/亩，低于园区平均 23.4%，排名 4/5"


def test_peer_group_save_list_delete_and_benchmark(league_db):
    assert peers.save_group(league_db, " 同类园区 ", ["甲园区", "乙园区", "戊园区"]) == "同类园区"
    assert peers.list_groups(league_db) == {"同类园区": ["乙园区", "戊园区", "甲园区"]}
    t = table(league_db, group="同类园区")
    assert set(t) == {"甲园区", "乙园区", "戊园区"}
    assert t["戊园区"]["peer_mean"] == pytest.approx(5.9 / 3)
    assert t["乙园区"]["rank"] == 2 and t["乙园区"]["percentile"] == pytest.approx(50.0)
    # saving again replaces the members
    peers.save_group(league_db, "同类园区", ["甲园区", "丁园区"])
    assert peers.group_parks(league_db, "同类园区") == ["丁园区", "甲园区"]
    assert peers.delete_group(league_db, "同类园区") is True
    assert peers.list_groups(league_db) == {}
    assert peers.delete_group(league_db, "同类园区") is False


def test_peer_group_refuses_bad_input(league_db):
    with pytest.raises(peers.PeerGroupError):
        peers.save_group(league_db, "", ["甲园区", "乙园区"])
    with pytest.raises(peers.PeerGroupError):
        peers.save_group(league_db, "x", ["甲园区", "不存在园区"])
    with pytest.raises(peers.PeerGroupError):
        peers.save_group(league_db, "x", ["甲园区"])
    with pytest.raises(peers.PeerGroupError):
        peers.save_group(league_db, "组" * 41, ["甲园区", "乙园区"])
