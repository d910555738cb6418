"""Line charts over months: a missing month breaks the line (确山 across twelve
missing months must not be one straight join), the first and last points sit
inside the plot, and ticks read as the titles do (2024年1月, or 1月 within a year)."""

from __future__ import annotations

import json

import pandas as pd

from parkbench.output import charts


def frame(months_by_park: dict[str, list[str]]) -> pd.DataFrame:
    rows = [{"park": park, "period": pd.Timestamp(m + "-01"), "ytd_yoy": float(i)}
            for park, months in months_by_park.items() for i, m in enumerate(months, 1)]
    return pd.DataFrame(rows)


def spec(months_by_park: dict[str, list[str]]) -> dict:
    chart = charts.lines(frame(months_by_park), "ytd_yoy", "产值累计同比（%）", "标题", "副标题")
    return json.loads(chart.to_json())


def line_layer(s: dict) -> dict:
    return next(layer for layer in s["layer"] if layer["mark"]["type"] == "line")


def test_a_missing_month_is_a_row_without_value_between_the_parks_months():
    gaps = charts.with_gaps(frame({"确山": ["2024-01", "2024-02", "2024-05"], "泌阳": ["2024-02", "2024-03"]}), "ytd_yoy")
    qs = gaps[gaps["park"] == "确山"]
    assert qs["period"].dt.strftime("%Y-%m").tolist() == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"]
    assert qs["ytd_yoy"].isna().tolist() == [False, False, True, True, False]
    # 泌阳 has no gap and is not stretched to 确山's months
    assert gaps[gaps["park"] == "泌阳"]["period"].dt.strftime("%Y-%m").tolist() == ["2024-02", "2024-03"]


def test_the_line_breaks_at_missing_months_instead_of_joining_across():
    s = spec({"确山": ["2023-06", "2024-07"], "泌阳": ["2023-06", "2023-07"]})
    assert line_layer(s)["mark"]["invalid"] == "break-paths-show-domains"
    rows = next(iter(s["datasets"].values()))
    qs = [r for r in rows if r["park"] == "确山"]
    assert len(qs) == 14 and sum(r["ytd_yoy"] is None for r in qs) == 12


def test_edge_points_are_padded_into_the_plot_and_ticks_read_as_titles():
    across = line_layer(spec({"确山": ["2023-11", "2024-02"]}))["encoding"]["x"]
    assert across["scale"]["padding"] > 0
    assert across["axis"]["format"] == "%Y年%-m月"
    within = line_layer(spec({"确山": ["2024-01", "2024-12"]}))["encoding"]["x"]
    assert within["axis"]["format"] == "%-m月"


def test_a_flagged_point_gets_a_warning_mark_with_room_above_it():
    """趋势's ⚠ (issue 18, item 24) sits 14 px over its point: with one on the chart, the y axis
    leaves more room above the highest value than the usual 8 % (it was clipped by the plot's top)."""
    data = frame({"确山": ["2024-01", "2024-02", "2024-03"]})  # values 1, 2, 3
    flagged = data[data["period"] == pd.Timestamp("2024-03-01")].assign(checks="⚠ 环比超过 ±50%")
    plain = json.loads(charts.lines(data, "ytd_yoy", "y", "标题", "副标题").to_json())
    marked = json.loads(charts.lines(data, "ytd_yoy", "y", "标题", "副标题", flagged=flagged).to_json())
    assert line_layer(plain)["encoding"]["y"]["scale"]["domain"][1] == 3 + 2 * 0.08
    assert line_layer(marked)["encoding"]["y"]["scale"]["domain"][1] >= 3 + 2 * 0.14
    warning = [layer for layer in marked["layer"] if layer["mark"].get("text") == "⚠"]
    assert len(warning) == 1 and warning[0]["mark"]["dy"] == -14


def test_the_status_grid_names_its_months_as_the_page_does_in_time_order():
    """报送进度 said 2024年12月 above a grid whose columns read 2024-12."""
    months = pd.to_datetime(["2024-10-01", "2024-02-01", "2025-01-01", "2024-09-01"])
    grid = pd.DataFrame({"park": ["确山"] * 4, "period": months, "status": ["reported", "derived", "missing", "reported"]})
    zh = charts.status_grid(grid, "报送进度").to_dict()
    x = zh["layer"][0]["encoding"]["x"] if "layer" in zh else zh["encoding"]["x"]
    assert x["sort"] == ["2024年2月", "2024年9月", "2024年10月", "2025年1月"]
    rows = next(iter(zh["datasets"].values()))
    assert sorted(r["month"] for r in rows) == sorted(x["sort"])
    en = charts.status_grid(grid, "Reporting status", "en").to_dict()
    x_en = en["layer"][0]["encoding"]["x"] if "layer" in en else en["encoding"]["x"]
    assert x_en["sort"] == ["2024-02", "2024-09", "2024-10", "2025-01"]
