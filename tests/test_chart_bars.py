"""Compare bars as they go into a report: a value label the mean or median
rule would cross is written inside its bar, and the image's subtitle says how
many parks have a value and who has none (the page says it below the chart; a
pasted image has only its subtitle)."""

from __future__ import annotations

import json
import re

import pandas as pd
import vl_convert as vlc

from parkbench.output import charts
from parkbench.output.export import display_width

PARKS = ["确山", "泌阳", "寻甸", "宽甸", "凤城", "西平"]


def compare_frame(values: list[float | None]) -> pd.DataFrame:
    ranks = pd.Series(values).rank(ascending=False)
    return pd.DataFrame({"park": PARKS[: len(values)], "value": values, "rank": ranks})


def inside_labels(chart, width: int | None = None) -> list[str]:
    """The value labels Vega draws inside their bars (bold), the chart drawn
    at ``width`` (its own when None), as a Word or slide layout would set it."""
    spec = json.loads(chart.to_json())
    if width is not None:
        spec["width"] = width
    svg = vlc.vegalite_to_svg(spec)
    return re.findall(r'<text[^>]*aria-roledescription="text mark"[^>]*font-weight="bold"[^>]*>([^<]*)</text>', svg)


def test_labels_the_rule_would_cross_go_inside_their_bars():
    # 880 px plot, axis to about 1.52 × 1.15: 503 px per 万元/亩; "1.20" is 4 × 13 × 0.6 + 6 = 37.2 px = 0.074.
    # 1.20 → 1.274 and 1.24 → 1.314 reach the rules at 1.24; 1.31 starts past them; 0.95 ends at 1.02.
    chart = charts.compare_bars(compare_frame([1.52, 1.31, 1.24, 1.20, 0.95]), "tax_per_mu", "2024年12月")
    assert sorted(inside_labels(chart)) == ["1.20", "1.24"]


def contrast(one: str, other: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_a_label_inside_a_bar_reads_against_it():
    """White on the pale blue of the other parks' bars was 2.5:1; text needs 4.5:1 (WCAG AA)."""
    chart = charts.compare_bars(compare_frame([1.52, 1.31, 1.24, 1.20, 0.95]).assign(park=PARKS[:5]),
                                "tax_per_mu", "2024年12月", highlight="寻甸")
    svg = vlc.vegalite_to_svg(chart.to_json())
    fills = {{"white": "#ffffff"}.get(fill, fill) for fill in re.findall(
        r'<text[^>]*aria-roledescription="text mark"[^>]*font-weight="bold"[^>]*fill="([^"]+)"', svg)}
    assert fills  # 1.20 and 1.24 (寻甸, the accent) inside
    for fill in fills:
        assert contrast(fill, charts.MUTED) >= 4.5 and contrast(fill, charts.HIGHLIGHT) >= 4.5


def test_a_short_bar_keeps_its_label_outside_even_where_a_rule_crosses_it():
    # a 0.05 bar is about 25 px long, less than its 37 px label: it cannot hold it
    frame = compare_frame([1.52, 0.05]).assign(peer_mean=0.06, peer_median=0.06)
    assert inside_labels(charts.compare_bars(frame, "tax_per_mu", "2024年12月")) == []


def test_labels_are_placed_again_at_the_width_an_image_is_drawn():
    """Word lays the chart out about 380 px wide, a briefing half width about
    270: a label clear of the rule at 880 px runs into it there."""
    chart = charts.compare_bars(compare_frame([1.52, 1.31, 1.24, 1.20, 1.07, 0.95]), "tax_per_mu", "2024年12月")
    assert "1.07" not in inside_labels(chart)  # 1.07 + 0.074 < 1.20: clear of the mean 1.215 and median 1.22
    assert "1.07" in inside_labels(chart, width=270)  # 1.07 + 0.24 reaches them


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
