"""A group line drawn over time stands for the same parks at every point: the
briefing's 组内平均 of 产值累计同比 zigzagged between about 9 and 19 because it
averaged 3 parks at quarter-ends and 1 in other months."""

from __future__ import annotations

import pandas as pd

from parkbench.output import scale


def months(values_by_park: dict[str, dict[int, float]]) -> pd.DataFrame:
    return pd.DataFrame([{"park": p, "period": pd.Timestamp(2024, m, 1), "ytd_yoy": v}
                         for p, by_month in values_by_park.items() for m, v in by_month.items()])


QUARTERLY = months({
    "甲": {m: 10.0 for m in range(1, 7)},           # every month
    "乙": {3: 20.0, 6: 24.0},                       # quarter-ends only
    "丙": {3: 30.0, 6: 33.0},                       # quarter-ends only
})


def test_steady_parks_are_those_with_a_value_at_every_period():
    assert scale.steady_parks(QUARTERLY, "ytd_yoy") == ["甲"]


def test_the_mean_over_steady_parks_does_not_jump_at_quarter_ends():
    rows, count = scale.steady_rows(QUARTERLY, "ytd_yoy")
    assert count == 1
    mean = rows.groupby("period")["ytd_yoy"].mean()
    assert mean.tolist() == [10.0] * 6  # the old per-month mean: 10, 10, 20, 10, 10, 22.33…
    naive = QUARTERLY.groupby("period")["ytd_yoy"].mean()
    assert naive.round(2).tolist() == [10.0, 10.0, 20.0, 10.0, 10.0, 22.33]


def test_without_enough_steady_parks_every_park_counts_and_the_number_is_unknown():
    rows, count = scale.steady_rows(QUARTERLY, "ytd_yoy", minimum=3)
    assert count is None and len(rows) == 10


def test_the_band_uses_steady_parks_when_there_are_three():
    frame = months({p: {m: float(10 * i + m) for m in range(1, 4)} for i, p in enumerate("甲乙丙", 1)}
                   | {"丁": {2: 99.0}})
    band = scale.band(frame, "ytd_yoy")
    # February over 甲 12, 乙 22, 丙 32 (丁's lone 99 left out): median 22, quartiles 17 and 27
    feb = band[band["period"] == pd.Timestamp(2024, 2, 1)].iloc[0]
    assert (feb["parks"], feb["median"], feb["q1"], feb["q3"]) == (3, 22.0, 17.0, 27.0)


def drawn_growth_chart(con, monkeypatch, park: str) -> tuple[pd.DataFrame, str, str]:
    """The briefing's 产值累计同比 chart of ``park`` (peers 甲 乙 丙, June 2024): its lines, title and subtitle."""
    from parkbench.output import briefing, charts

    drawn, lines = {}, charts.lines

    def spy(frame, value, y_title, title, subtitle, *args, **kwargs):
        drawn.update(frame=frame, title=title, subtitle=subtitle)
        return lines(frame, value, y_title, title, subtitle, *args, **kwargs)

    monkeypatch.setattr(briefing.charts, "lines", spy)
    briefing._growth_chart(con, park, pd.Timestamp(2024, 6, 1).date(), ["甲", "乙", "丙"], "zh")
    return drawn["frame"], drawn["title"], drawn["subtitle"]


def ytd_rows(park: str, months, base_2023: int, base_2024: int) -> list:
    """产值 1-N月 累计 of 2023 and 2024: base·N (so 累计同比 is base_2024 / base_2023 − 1 every month)."""
    return [(park, "output", f"{y}-{m:02d}", "ytd", base * m)
            for y, base in ((2023, base_2023), (2024, base_2024)) for m in months]


def test_briefing_mean_line_names_how_many_parks_it_stands_for(fresh_db, monkeypatch):
    from conftest import store_rows

    # 甲 (+10 %) and 乙 (+20 %) every month, 丙 (+30 %) at quarter-ends only
    store_rows(fresh_db, ytd_rows("甲", range(1, 7), 100, 110) + ytd_rows("乙", range(1, 7), 100, 120)
               + ytd_rows("丙", (3, 6), 100, 130))
    frame, title, _ = drawn_growth_chart(fresh_db, monkeypatch, "甲")
    assert title == "产值累计同比：本园区与组内平均"
    mean = frame[frame["park"] != "甲"]
    assert set(mean["park"]) == {"组内平均（2 个园区）"}
    assert mean["ytd_yoy"].round(6).tolist() == [15.0] * 6  # 甲 10 and 乙 20; not 20 at quarter-ends with 丙's 30


def test_briefing_draws_no_mean_of_the_park_alone(fresh_db, monkeypatch):
    """Only the park itself has every month: a "mean" of it would repeat its own line."""
    from conftest import store_rows

    store_rows(fresh_db, ytd_rows("甲", range(1, 7), 100, 110) + ytd_rows("乙", (3, 6), 100, 120)
               + ytd_rows("丙", (3, 6), 100, 130))
    frame, title, subtitle = drawn_growth_chart(fresh_db, monkeypatch, "甲")
    assert set(frame["park"]) == {"甲"}
    assert title == "产值累计同比：本园区"  # the title promised a mean the chart does not draw
    assert "组内其他园区在此期间各月数值不全，未画组内平均" in subtitle
