"""The pandas baseline `make bench` times the SQL models against: it must
follow the same rules, or the bench compares different numbers."""

from __future__ import annotations

import numpy as np

from bench.baseline import chained_cumulative, pandas_metrics
from parkbench import store
from parkbench.ingest import parse_file
from parkbench.models import sql

NAN = np.nan


def test_chained_cumulative_follows_rule_3():
    months = np.array([[NAN, NAN, 35, 40] + [1] * 8,
                       [10, 20, NAN, 5, 5, NAN] + [NAN] * 6], float)
    ytds = np.array([[NAN, 30] + [NAN] * 10,
                     [NAN] * 5 + [100] + [NAN] * 6], float)
    got = chained_cumulative(months, ytds)
    # 1-2月 30, then 35 and 40: 65 and 105, then one a month.
    np.testing.assert_allclose(got[0], [NAN, 30, 65, 105, 106, 107, 108, 109, 110, 111, 112, 113])
    # March missing: unknown until the reported 累计 of June, unknown again after it.
    np.testing.assert_allclose(got[1], [10, 30, NAN, NAN, NAN, 100] + [NAN] * 6)


def test_baseline_and_sql_give_the_same_numbers_on_a_small_file():
    lines = ["园区,统计期,指标,口径,数值,单位"]
    for year in (2024, 2025):
        lines.append(f"甲园区,{year}年1-2月,规上工业总产值,累计,30,万元")
        lines.append(f"甲园区,{year}年1-2月,税收收入,累计,3,万元")
        for month in range(3, 13):
            if (year, month) != (2025, 7):  # a gap: 2025 cumulatives unknown from July
                lines.append(f"甲园区,{year}-{month:02d},规上工业总产值,本月,{month * (year - 2020)},万元")
            lines.append(f"甲园区,{year}-{month:02d},税收收入,本月,{month},万元")
        lines.append(f"甲园区,{year}-01,用地面积,期末,{100 * (year - 2023)},亩")
    data = ("\n".join(lines) + "\n").encode()
    parsed = parse_file(data, "small.csv")
    con = store.connect(":memory:")
    store.save(con, parsed, data)
    sql.build_tables(con)
    baseline = pandas_metrics(parsed.observations).set_index(["park", "period", "metric"])["value"]
    stored = con.execute("select park, strftime(period, '%Y-%m') as period, metric, value from metric_values "
                         "where list_contains($m, metric)", {"m": sorted(set(baseline.index.get_level_values(2)))}
                         ).df().set_index(["park", "period", "metric"])["value"]
    assert sorted(stored.index) == sorted(baseline.index)
    np.testing.assert_allclose(stored.sort_index().to_numpy(float), baseline.sort_index().to_numpy(float),
                               rtol=1e-12, equal_nan=True)
    # by hand: 2025 tax 1-3月 = 3 + 3 = 6 over 200 亩; output 1-6月 = 30 + 5 × (3+4+5+6) = 120, unknown after
    assert stored[("甲园区", "2025-03", "tax_per_mu")] == 6 / 200
    assert stored[("甲园区", "2025-06", "output_per_mu")] == 120 / 200
    assert np.isnan(stored[("甲园区", "2025-08", "output_per_mu")])
