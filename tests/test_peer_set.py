"""One peer set: 园区对比 (benchmark.league), 预警 (alerts.alerts) and 综合评价
(evaluation.evaluate_long) compare a park with the same parks and the same
mean for the same metric and month (queries/macros/peer_values.sql); 综合评价
scores those with a value and names the others as not evaluated."""

from __future__ import annotations

import pytest
from conftest import store_rows

from parkbench.models import alerts, benchmark, peers
from parkbench.models import evaluation as ev

# Land 100 亩 each from January. March: 甲 tax 300, 乙 200, 丙 40 (亩均税收 3.0, 2.0, 0.4);
# 丁 sent only output (in the month's set, no 亩均税收); 戊 sent January only (late: not in
# March's default set). Mean of the three values: (3.0 + 2.0 + 0.4) ÷ 3 = 1.8.
# 丙 is below 1.8 × (1 − 20 %) = 1.44, so 预警 fires with the mean as its reference.
MEAN = 1.8


@pytest.fixture
def month(fresh_db):
    parks = ["甲园区", "乙园区", "丙园区", "丁园区", "戊园区"]
    rows = [(p, "land_area", "2024-01", "stock", 100) for p in parks]
    rows += [("甲园区", "tax", "2024-03", "ytd", 300), ("乙园区", "tax", "2024-03", "ytd", 200),
             ("丙园区", "tax", "2024-03", "ytd", 40), ("丁园区", "output", "2024-03", "ytd", 1000),
             ("戊园区", "tax", "2024-01", "ytd", 100)]
    store_rows(fresh_db, rows)
    peers.save_group(fresh_db, "五园", parks)
    return fresh_db


def three_pages(con, group):
    league = benchmark.league(con, "2024-03", group=group, metrics=["tax_per_mu"]).set_index("park")
    fired = alerts.alerts(con, "2024-03", group=group)
    below = fired[(fired["rule"] == "below_mean") & (fired["metric"] == "tax_per_mu")].set_index("park")
    scheme = ev.Scheme(name="亩均税收", indicators=[ev.SchemeIndicator("tax_per_mu", 100)]).check()
    scored = ev.evaluate_long(con, scheme, "2024-03", group).set_index("park")
    return league, below, scored


@pytest.mark.parametrize(("group", "members"), [
    (None, {"甲园区", "乙园区", "丙园区", "丁园区"}),           # the default: parks with a value this month
    ("五园", {"甲园区", "乙园区", "丙园区", "丁园区", "戊园区"}),  # a saved group: every member, 戊 late
])
def test_the_three_pages_share_the_peer_set_and_its_mean(month, group, members):
    league, below, scored = three_pages(month, group)
    assert set(league.index) == members
    assert league.loc["丙园区", "peer_mean"] == pytest.approx(MEAN)
    assert below.loc["丙园区", "reference"] == pytest.approx(MEAN)
    assert scored.loc["丙园区", "benchmark"] == pytest.approx(MEAN)
    # the same count: three parks with a value, in a set of four (default) or five (group)
    assert league.loc["丙园区", "peers"] == below.loc["丙园区", "peers"] == 3
    assert league.loc["丙园区", "group_size"] == len(members)
    # 综合评价 scores the three with 亩均税收 and names the others of the set, and 戊 (late), as not
    # evaluated: 丁 has no value of the scheme's one indicator, 戊 no value at all in March
    assert set(ev.evaluated(scored.reset_index())["park"]) == {"甲园区", "乙园区", "丙园区"}
    assert scored.loc["丙园区", "parks_evaluated"] == 3
    assert dict(ev.not_evaluated(scored.reset_index())[["park", "reason"]].to_numpy()) == {
        "丁园区": "no_indicator", "戊园区": "no_data"}
    assert list(below.index) == ["丙园区"]  # 乙 2.0 is above 1.44


def test_named_parks_are_a_peer_set_of_their_own(month):
    # 甲 and 丙 only: mean (3.0 + 0.4) ÷ 2 = 1.7; 丙 below 1.7 × 0.8 = 1.36
    league = benchmark.league(month, "2024-03", ["甲园区", "丙园区"], metrics=["tax_per_mu"]).set_index("park")
    fired = alerts.alerts(month, "2024-03", parks=["甲园区", "丙园区"])
    scheme = ev.Scheme(name="亩均税收", indicators=[ev.SchemeIndicator("tax_per_mu", 100)]).check()
    scored = ev.evaluate_long(month, scheme, "2024-03", parks=["甲园区", "丙园区"]).set_index("park")
    assert league.loc["丙园区", "peer_mean"] == pytest.approx(1.7)
    assert fired.set_index("park").loc["丙园区", "reference"] == pytest.approx(1.7)
    assert scored.loc["丙园区", "benchmark"] == pytest.approx(1.7)


def test_the_scope_caption_counts_the_set_and_who_has_a_value(month):
    from parkbench.models import reads

    default = reads.run(month, "peer_set", period="2024-03")
    group = reads.run(month, "peer_set", period="2024-03", group="五园")
    assert dict(zip(default["park"], default["reported"], strict=True)) == {
        "甲园区": True, "乙园区": True, "丙园区": True, "丁园区": True}
    assert dict(zip(group["park"], group["reported"], strict=True)) == {
        "甲园区": True, "乙园区": True, "丙园区": True, "丁园区": True, "戊园区": False}
