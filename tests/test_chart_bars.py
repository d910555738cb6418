"""Compare bars as they go into a report: a value label the mean or median
rule would cross is written inside its bar, and the image's subtitle says how
many parks have a value and who has none (the page says it below the chart; a
pasted image has only its subtitle)."""

from __future__ import annotations

import json

import pandas as pd

from parkbench.output import charts
from parkbench.output.export import display_width

PARKS = ["确山", "泌阳", "寻甸", "宽甸", "凤城", "西平"]


def compare_frame(values: list[float | None]) -> pd.DataFrame:
    ranks = pd.Series(values).rank(ascending=False)
    return pd.DataFrame({"park": PARKS[: len(values)], "value": values, "rank": ranks})


def test_labels_the_rule_would_cross_go_inside_their_bars():
    # 880 px chart: about 0.72 × 880 / 1.52 = 416.8 px per 万元/亩; "1.20" is 4 × 13 × 0.6 + 6 = 37.2 px = 0.089.
    # 1.20 → 1.289 and 1.24 → 1.329 reach the rules at 1.24; 1.31 starts past them; 0.95 ends at 1.04.
    values = pd.Series([1.52, 1.31, 1.24, 1.20, 0.95])
    inside = charts.labels_inside(values, [1.24, 1.24], ".2f", 880, 13)
    assert inside.tolist() == [False, False, True, True, False]


def test_a_short_bar_keeps_its_label_outside_even_where_a_rule_crosses_it():
    # 0.05 is about 21 px long, less than its 37 px label: it cannot hold it
    inside = charts.labels_inside(pd.Series([1.52, 0.05]), [0.06], ".2f", 880, 13)
    assert inside.tolist() == [False, False]


def test_the_chart_draws_inside_labels_in_a_layer_of_their_own():
    spec = json.loads(charts.compare_bars(compare_frame([1.52, 1.31, 1.24, 1.20, 0.95]), "tax_per_mu", "2024年12月")
                      .to_json())
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"
             and layer["mark"].get("align") == "right" and layer["encoding"]["text"]["field"] == "value"]
    assert len(texts) == 1 and texts[0]["transform"] == [{"filter": "datum.label_inside"}]
    rows = next(rows for rows in spec["datasets"].values() if "park" in rows[0])
    assert sorted(r["park"] for r in rows if r["label_inside"]) == ["宽甸", "寻甸"]


def test_the_subtitle_says_how_many_parks_have_a_value_and_who_has_none():
    frame = compare_frame([1.52, None, 1.24, None, 0.95, None])
    assert charts.missing_note(frame) == "3/6 个园区有数值；未报送：泌阳、宽甸、西平"
    assert charts.missing_note(frame, "en") == "3 of 6 parks have a value; not reported: 泌阳, 宽甸, 西平"
    assert charts.missing_note(compare_frame([1.0, 2.0])) is None
    spec = json.dumps(charts.compare_bars(frame, "tax_per_mu", "2024年12月").to_dict(), ensure_ascii=False)
    assert "3/6 个园区有数值；未报送：泌阳、宽甸、西平" in spec


def test_more_than_ten_parks_without_a_value_are_counted_not_all_named():
    frame = pd.DataFrame({"park": [f"园区{i:02d}" for i in range(14)], "value": [1.0, 2.0] + [None] * 12})
    assert charts.missing_note(frame) == (
        "2/14 个园区有数值；未报送：" + "、".join(f"园区{i:02d}" for i in range(2, 12)) + "等 12 个园区")


def test_title_lines_fit_a_phone_wide_chart_and_keep_every_word():
    """Vega cuts a title line wider than the chart with "…": on a 390 px phone the subtitle of
    园区对比 lost 中位数. Lines are broken after a separator, nothing left out."""
    frame = compare_frame([1.52, None, 1.24, None, 0.95, None])
    title = charts.compare_bars(frame, "tax_per_mu", "2024年12月").to_dict()["title"]
    subtitle = title["subtitle"]
    assert subtitle[0] == "2024年12月　单位：万元/亩"
    assert subtitle[1] == "虚线为平均，点线为中位数"
    assert all(display_width(line) <= charts.SUBTITLE_WIDTH for line in subtitle)
    long_title = "东城高新技术产业园区　规上工业总产值累计同比：2025年与2024年"
    lines = charts.broken_lines(long_title, charts.TITLE_WIDTH)
    assert lines == ["东城高新技术产业园区", "规上工业总产值累计同比：", "2025年与2024年"]
    assert charts.broken_lines("亩均税收亩均税收亩均税收", 8) == ["亩均税收", "亩均税收", "亩均税收"]
