"""预警 rules against hand-computed cases on a real in-memory DuckDB, and the
thresholds kept in one settings table."""

from __future__ import annotations

import pytest
from conftest import store_rows

from parkbench.models import alerts


@pytest.fixture
def monitor(fresh_db):
    parks = ["甲园区", "乙园区", "丙园区"]
    rows = [(p, "land_area", "2023-01", "stock", 100) for p in parks]
    # 亩均税收 2024 1-6月: 3, 2, 1 (mean 2); 税收累计同比: 甲 +20 %, 乙 0 %, 丙 −20 %
    rows += [(p, "tax", "2024-06", "ytd", v) for p, v in zip(parks, (300, 200, 100), strict=True)]
    rows += [(p, "tax", "2023-06", "ytd", v) for p, v in zip(parks, (250, 200, 125), strict=True)]
    # 产值累计 2023 and 2024, March to June: 甲 +30, +25, +20, +15 % (falling three months running);
    # 乙 +30, +25, +20, +20 % (flat in June: not falling)
    for p, later in (("甲园区", (130, 250, 360, 460)), ("乙园区", (130, 250, 360, 480))):
        for month, before, now in zip(("03", "04", "05", "06"), (100, 200, 300, 400), later, strict=True):
            rows += [(p, "output", f"2023-{month}", "ytd", before), (p, "output", f"2024-{month}", "ytd", now)]
    # 主导产业占比 1-6月: 甲 230 ÷ 460 = 50 %, 乙 400 ÷ 480 = 83.3 %
    rows += [("甲园区", "leading_output", "2024-06", "ytd", 230), ("乙园区", "leading_output", "2024-06", "ytd", 400)]
    store_rows(fresh_db, rows)
    return fresh_db


def fired(frame):
    return {(r["park"], r["metric"], r["rule"], r["level"]) for r in frame.to_dict("records")}


def test_rules_with_default_thresholds(monitor):
    frame = alerts.alerts(monitor, "2024-06")
    assert fired(frame) == {
        ("丙园区", "tax_per_mu", "below_mean", "red"),            # 1 < 2 × (1 − 20 %) = 1.6
        ("丙园区", "tax_ytd_yoy", "growth_negative", "red"),      # −20 % < 0
        ("甲园区", "tax_ytd_yoy", "growth_strong", "green"),      # +20 % ≥ 10
        ("甲园区", "output_ytd_yoy", "growth_strong", "green"),   # +15 %
        ("乙园区", "output_ytd_yoy", "growth_strong", "green"),   # +20 %
        ("甲园区", "output_ytd_yoy", "growth_falling", "amber"),  # 30 → 25 → 20 → 15
        ("甲园区", "leading_share", "leading_share_low", "red"),  # 50 % < 60 %
    }
    below = frame[frame["rule"] == "below_mean"].iloc[0]
    assert below["value"] == pytest.approx(1.0) and below["reference"] == pytest.approx(2.0)
    assert below["message"] == "亩均税收 1.00 万元/亩，低于组内平均（2.00 万元/亩）50.0%"
    falling = frame[frame["rule"] == "growth_falling"].iloc[0]
    assert falling["message"] == "产值累计同比连续 3 个月回落：由 +30.0% 降至 +15.0%"
    # 乙's 0 % tax growth is neither red (< 0) nor green (≥ 10)
    assert not any(r[0] == "乙园区" and r[1] == "tax_ytd_yoy" for r in fired(frame))


def test_thresholds_from_the_settings_table(monitor):
    assert alerts.settings(monitor) == {"below_mean_pct": 20, "growth_red_below": 0, "growth_green_from": 10,
                                        "falling_months": 3, "leading_share_floor": 60}
    alerts.save_settings(monitor, {"below_mean_pct": 60, "growth_green_from": 18, "falling_months": 4,
                                   "leading_share_floor": 40})
    got = fired(alerts.alerts(monitor, "2024-06"))
    assert ("丙园区", "tax_per_mu", "below_mean", "red") not in got       # 1 ≥ 2 × 0.4
    assert ("甲园区", "output_ytd_yoy", "growth_strong", "green") not in got  # 15 < 18
    assert ("乙园区", "output_ytd_yoy", "growth_strong", "green") in got      # 20 ≥ 18
    assert ("甲园区", "output_ytd_yoy", "growth_falling", "amber") not in got  # no February growth known
    assert ("甲园区", "leading_share", "leading_share_low", "red") not in got  # 50 ≥ 40
    alerts.save_settings(monitor, {"falling_months": 2})
    assert ("甲园区", "output_ytd_yoy", "growth_falling", "amber") in fired(alerts.alerts(monitor, "2024-06"))


def test_settings_refused_in_chinese(monitor):
    with pytest.raises(alerts.SettingsError, match="之间"):
        alerts.save_settings(monitor, {"below_mean_pct": 150})
    with pytest.raises(alerts.SettingsError, match="整数"):
        alerts.save_settings(monitor, {"falling_months": 2.5})
    with pytest.raises(alerts.SettingsError, match="红色预警"):
        alerts.save_settings(monitor, {"growth_red_below": 12})
    assert alerts.settings(monitor)["below_mean_pct"] == 20


def test_park_alerts_for_the_briefing(monitor):
    rows = alerts.park_alerts(monitor, "甲园区", "2024-06")
    assert [(r["rule"], r["level"]) for r in rows] == [
        ("leading_share_low", "red"), ("growth_falling", "amber"),
        ("growth_strong", "green"), ("growth_strong", "green")]
    assert rows[0]["message"] == "主导产业占比 50.0%，低于下限 60%"
    assert alerts.park_alerts(monitor, "甲园区", "2024-06", lang="en")[0]["message"] == \
        "Leading-industry share of output 50.0%, below the floor of 60%"
    assert alerts.park_alerts(monitor, "甲园区", "2022-01") == []
