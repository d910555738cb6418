"""差距测算 (parkbench/models/gap.py) on four parks worked by hand, and the
gap sentence under the 园区对比 chart."""

from __future__ import annotations

import pytest
from conftest import APP, store_rows
from streamlit.testing.v1 import AppTest

from parkbench import store
from parkbench.models import gap

# Four parks, 1-6月 2024 (N = 6), year-to-date values in 万元, land in 亩:
#   park   land  tax   output (2023-06)  leading_output
#   甲园区  100   600   1000   (800)      600
#   乙园区  200   800   1000   (1000)     500
#   丙园区   50   100   1000   (1250)     200
#   丁园区  100   300   1000   (500)      300
# 亩均税收 = tax ÷ land: 6.0, 4.0, 2.0, 3.0
#   mean = 15 ÷ 4 = 3.75; sorted 2, 3, 4, 6 → median (3 + 4) ÷ 2 = 3.5;
#   top quartile (continuous, position 0.75 × 3 = 2.25) = 4 + 0.25 × (6 − 4) = 4.5; best 6.0
# 年化亩均税收 = 亩均税收 × 12 ÷ 6: 12, 8, 4, 6
# 主导产业占比 = leading ÷ output: 60, 50, 20, 30 %; mean 40 %
# 产值累计同比 = output ÷ 2023-06 − 1: +25, 0, −20, +100 %; mean 105 ÷ 4 = 26.25 %
PARKS = {"甲园区": (100, 600, 1000, 800, 600), "乙园区": (200, 800, 1000, 1000, 500),
         "丙园区": (50, 100, 1000, 1250, 200), "丁园区": (100, 300, 1000, 500, 300)}


def rows():
    out = []
    for park, (land, tax, output, output_before, leading) in PARKS.items():
        out += [(park, "land_area", "2023-01", "stock", land), (park, "tax", "2024-06", "ytd", tax),
                (park, "output", "2024-06", "ytd", output), (park, "output", "2023-06", "ytd", output_before),
                (park, "leading_output", "2024-06", "ytd", leading)]
    return out


@pytest.fixture(scope="module")
def con():
    con = store.connect(":memory:")
    store_rows(con, rows())
    yield con
    con.close()


# 丙园区: tax 100 on 50 亩 = 2.0 万元/亩. To reach r: tax 50 × r, land 100 ÷ r.
#   mean 3.75:  tax 187.5  → +87.5  (+87.5 %);  land 26.667 → 23.333 亩 less
#   median 3.5: tax 175    → +75    (+75 %);    land 28.571 → 21.429 亩 less
#   q3 4.5:     tax 225    → +125   (+125 %);   land 22.222 → 27.778 亩 less
#   best 6.0:   tax 300    → +200   (+200 %);   land 16.667 → 33.333 亩 less
@pytest.mark.parametrize(("reference", "goal", "increase", "land_cut"), [
    ("mean", 3.75, 87.5, 50 - 100 / 3.75),
    ("median", 3.5, 75.0, 50 - 100 / 3.5),
    ("top_quartile", 4.5, 125.0, 50 - 100 / 4.5),
    ("best", 6.0, 200.0, 50 - 100 / 6),
])
def test_tax_per_mu_needs_tax_or_less_land(con, reference, goal, increase, land_cut):
    g = gap.gap(con, "丙园区", "tax_per_mu", "2024-06", reference=reference)
    assert g.current == pytest.approx(2.0) and g.target == pytest.approx(goal)
    assert not g.reached and g.numerator == "tax" and g.basis == "ytd"
    assert g.increase == pytest.approx(increase)
    assert g.increase_pct == pytest.approx(increase)  # the tax now is 100, so 万元 and % coincide
    assert g.land_cut == pytest.approx(land_cut)
    assert (g.numerator_now + g.increase) / 50 == pytest.approx(goal)  # substituted back
    assert 100 / (50 - g.land_cut) == pytest.approx(goal)


def test_sentence_names_the_cumulative_tax_and_the_land(con):
    g = gap.gap(con, "丙园区", "tax_per_mu", "2024-06")
    assert gap.sentence(g) == ("亩均税收 2.00 万元/亩，要达到园区平均 3.75 万元/亩，"
                               "1-6月累计税收需增加 87.5 万元（+87.5%），或用地减少 23.3 亩")
    assert gap.sentence(g, "en") == ("Tax per mu 2.00 10k yuan/mu; to reach the peer mean (3.75 10k yuan/mu), "
                                     "Jan–Jun cumulative tax revenue must rise by 87.5 10k yuan (+87.5%), "
                                     "or land shrink by 23.3 mu")


def test_annualised_target_is_met_in_year_to_date_tax(con):
    # 年化亩均税收 of 丙 = 100 × 12 ÷ 6 ÷ 50 = 4.0; target 15 万元/亩 (annual) needs a 1-6月 tax
    # of 15 × 50 × 6 ÷ 12 = 375 → +275 (+275 %); or land 100 × 2 ÷ 15 = 13.333 → 36.667 亩 less
    g = gap.gap(con, "丙园区", "tax_per_mu_annual", "2024-06", reference="target", target=15)
    assert g.current == pytest.approx(4.0)
    assert g.increase == pytest.approx(275.0) and g.increase_pct == pytest.approx(275.0)
    assert g.land_cut == pytest.approx(50 - 200 / 15)
    assert "1-6月累计税收需增加 275.0 万元（+275.0%），或用地减少 36.7 亩" in gap.sentence(g)


def test_leading_share_raises_leading_output_and_total_together(con):
    # 丙: L = 200, T = 1000, s = 0.40 → x = (0.4 × 1000 − 200) ÷ (1 − 0.4) = 200 ÷ 0.6 = 333.33
    g = gap.gap(con, "丙园区", "leading_share", "2024-06")
    assert g.current == pytest.approx(20.0) and g.target == pytest.approx(40.0)
    assert g.numerator == "leading_output"
    assert g.increase == pytest.approx(1000 / 3)
    assert (200 + g.increase) / (1000 + g.increase) == pytest.approx(0.40)  # substituted back: 533.3 ÷ 1333.3
    assert g.land_cut is None
    assert gap.sentence(g) == ("主导产业占比 20.0%，要达到园区平均 40.0%，"
                               "1-6月累计主导产业产值需增加 333.3 万元（+166.7%，总产值随之增加）")


def test_a_share_of_100_percent_cannot_be_reached_by_adding(con):
    g = gap.gap(con, "丙园区", "leading_share", "2024-06", reference="target", target=100)
    assert g.increase is None and not g.reached
    assert "无法达到" in gap.sentence(g)


def test_growth_needs_the_cumulative_over_last_years_base(con):
    # 丙: 1000 over 1250 = −20 %; mean 26.25 % needs 1250 × 1.2625 = 1578.125 → +578.125 (+57.8 %)
    g = gap.gap(con, "丙园区", "output_ytd_yoy", "2024-06")
    assert g.current == pytest.approx(-20.0) and g.target == pytest.approx(26.25)
    assert g.numerator_needed == pytest.approx(1578.125) and g.increase == pytest.approx(578.125)
    assert gap.sentence(g) == ("产值累计同比 -20.0%，要达到园区平均 26.2%，1-6月累计规上工业总产值需增加 578.1 万元"
                               "（+57.8%），即达到 1,578.1 万元")


def test_at_or_above_the_reference_says_so(con):
    g = gap.gap(con, "甲园区", "tax_per_mu", "2024-06")  # 6.0 against 3.75
    assert g.reached and g.increase is None and g.land_cut is None
    assert gap.sentence(g) == "亩均税收 6.00 万元/亩，已高于园区平均 3.75 万元/亩"
    best = gap.gap(con, "甲园区", "tax_per_mu", "2024-06", reference="best")
    assert best.reached and gap.sentence(best) == "亩均税收 6.00 万元/亩，已达到园区最高 6.00 万元/亩"


def test_peer_set_changes_the_reference(con):
    # among 丙 and 丁 only: mean (2 + 3) ÷ 2 = 2.5 → tax 125, +25 (+25 %); land 40 → 10 亩 less
    g = gap.gap(con, "丙园区", "tax_per_mu", "2024-06", parks=["丙园区", "丁园区"])
    assert g.target == pytest.approx(2.5) and g.increase == pytest.approx(25.0)
    assert g.land_cut == pytest.approx(10.0)


def test_total_against_a_typed_target(con):
    # output 1000 against 1500 万元 → +500 (+50 %)
    g = gap.gap(con, "丙园区", "output", "2024-06", reference="target", target=1500)
    assert g.increase == pytest.approx(500.0) and g.increase_pct == pytest.approx(50.0)
    assert gap.gap(con, "丙园区", "output", "2024-06", reference="mean") is None  # no group statistics of totals


def test_the_readable_metrics_are_those_the_parts_query_splits(con):
    from parkbench.models import sql

    parts = sql.query(con, "reads/metric_parts", park="丙园区", period=gap.month_start("2024-06"))
    assert set(parts["metric"]) == gap.READABLE


def test_no_gap_without_a_reading_or_a_value(con):
    assert gap.gap(con, "丙园区", "enterprises_reporting", "2024-06") is None
    assert gap.gap(con, "丙园区", "tax_yoy", "2024-06") is None  # no month values
    assert gap.gap(con, "丙园区", "tax_per_mu", "2024-06", reference="target", target=None) is None
    assert gap.sentence(None) == ""


# ------------------------------------------------------------------ page

@pytest.fixture
def app(tmp_path, monkeypatch, clear_caches):
    path = tmp_path / "gap.duckdb"
    con = store.connect(path)
    store_rows(con, rows())
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    monkeypatch.setenv("PARKBENCH_NO_DEMO", "1")
    return AppTest.from_file(APP, default_timeout=60)


def test_compare_page_shows_the_gap_sentence(app):
    from ui.format import plain

    at = app.run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception and not at.error
    park_box = next(s for s in at.selectbox if s.label == "园区")
    park_box.set_value("丙园区").run()
    assert not at.exception
    expected = plain("1-6月累计税收需增加 87.5 万元（+87.5%），或用地减少 23.3 亩")
    assert any(expected in m.value for m in at.markdown), [m.value for m in at.markdown]
    next(r for r in at.radio if r.label == "对照").set_value("target").run()
    next(n for n in at.number_input if n.label.startswith("目标值")).set_value(4.0).run()
    assert not at.exception
    # target 4 万元/亩: tax 200 → +100 (+100 %); land 25 → 25 亩 less
    expected = plain("要达到目标 4.00 万元/亩，1-6月累计税收需增加 100.0 万元（+100.0%），或用地减少 25.0 亩")
    assert any(expected in m.value for m in at.markdown), [m.value for m in at.markdown]
