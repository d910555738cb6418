"""Settings users may want to tune, in one place."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CheckThresholds:
    """When a data check (数据审核) warns. Percentages are of the earlier value."""

    month_on_month_percent: float = 50.0  # 本月 vs the month before: beyond ±50 %
    year_on_year_percent: float = 100.0  # 本月 vs the same month a year earlier: beyond ±100 %
    growth_points: float = 1.0  # reported growth vs computed: more than 1 percentage point apart
    land_change_percent: float = 20.0  # 用地面积 vs its previous value: beyond ±20 %
    breakdown_percent: float = 1.0  # sum of the industry breakdown vs the park's output: beyond ±1 %


CHECKS = CheckThresholds()

# The share of a group that must have reported a month for it to be the
# default period of every page (报送进度).
DEFAULT_PERIOD_SHARE = 0.5

# 报送 is due by this day of the following month (the 10th: a park's January
# figures by 10 February); a month not approved by then, and not waiting for
# review, is 逾期 on 报送进度 (status.review_progress).
REPORT_DUE_DAY = 10
