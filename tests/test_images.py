"""Chart images for documents, opened and measured: pixel size and dpi per
preset, text size in points at that size, Chinese glyphs drawn (not boxes),
SVG that parses, no interaction left in the exported spec."""

from __future__ import annotations

import io
import itertools
import json
import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from PIL import Image

from parkbench.output import briefing, charts, images


@pytest.fixture(scope="module")
def bars():
    frame = pd.DataFrame({"park": ["甲园区", "乙园区", "丙园区"], "value": [3.0, 2.0, 1.0], "rank": [1, 2, 3],
                          "peers": [3, 3, 3]})
    return charts.compare_bars(frame, "tax_per_mu", "2024年12月", "乙园区")


def trend_frame(months: int) -> pd.DataFrame:
    periods = pd.date_range("2022-01-01", periods=months, freq="MS")
    return pd.DataFrame({"park": "甲园区", "period": periods, "v": range(months)})


def opened(png: bytes) -> Image.Image:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(png))


def test_word_preset_is_16cm_at_300_dpi(bars):
    image = opened(images.png(bars.to_json(), images.WORD))
    # 16 cm / 2.54 × 300 = 1889.8 px
    assert image.width == 1890
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    assert image.width / image.info["dpi"][0] * 2.54 == pytest.approx(16.0, abs=0.01)


def test_slide_preset_is_16_to_9(bars):
    image = opened(images.png(bars.to_json(), images.SLIDE))
    assert image.size == (1920, 1080)
    assert image.info["dpi"][0] == pytest.approx(144, abs=0.01)


def font_sizes_pt(spec: dict, preset: images.Preset) -> list[float]:
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(spec)
    width = float(re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg).group(1))
    px_per_pt = preset.dpi / 72
    return [float(s) * preset.width_px / width / px_per_pt for s in re.findall(r'font-size="([\d.]+)', svg)]


@pytest.mark.parametrize("chart_name", ["bars", "lines", "overlay", "stack"])
def test_word_text_at_least_9_pt_and_titles_12_pt(bars, chart_name):
    chart = {
        "bars": lambda: bars,
        "lines": lambda: charts.lines(trend_frame(36), "v", "产值（万元）", "产值：逐月走势", "2022年1月—2024年12月"),
        "overlay": lambda: charts.year_overlay(
            trend_frame(24).assign(year=lambda f: f["period"].dt.year, month=lambda f: f["period"].dt.month),
            "v", "产值（万元）", "今年与上年", "按月份对齐"),
        "stack": lambda: charts.industry_stack(pd.DataFrame({
            "park": ["甲园区", "甲园区"], "industry": ["纺织鞋服", "装备制造"], "is_leading": [True, False],
            "share": [60.0, 40.0], "output": [6.0, 4.0], "firms": [3, 2]}), "2024年"),
    }[chart_name]()
    sizes = font_sizes_pt(images.document_spec(chart.to_json(), images.WORD), images.WORD)
    assert min(sizes) >= 9.0
    assert max(sizes) >= 12.0  # the title


def test_different_chinese_titles_give_different_images():
    frame = pd.DataFrame({"park": ["甲园区"], "value": [1.0], "rank": [1], "peers": [1]})
    one = charts.compare_bars(frame, "tax_per_mu", "2024年12月").properties(title="亩均税收")
    two = charts.compare_bars(frame, "tax_per_mu", "2024年12月").properties(title="主导产业")
    # with a missing font both titles would be the same row of boxes
    first, second = (opened(images.png(c.to_json(), images.WORD)).convert("L") for c in (one, two))
    title_band = (0, 0, first.width, 120)
    assert first.crop(title_band).tobytes() != second.crop(title_band).tobytes()


def test_svg_parses_and_carries_the_chinese_text(bars):
    svg = images.svg(bars.to_json())
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    texts = "".join(el.text or "" for el in root.iter() if el.tag.endswith("text"))
    assert "亩均税收" in texts and "乙园区" in texts


def test_exported_spec_has_no_interaction(bars):
    lines = charts.lines(trend_frame(12), "v", "产值（万元）", "产值：逐月走势", "2024年")
    for chart in (bars, lines):
        assert "params" in chart.to_json()  # on screen: click and zoom
        spec = json.dumps(images.document_spec(chart.to_json(), images.WORD), ensure_ascii=False)
        assert '"params"' not in spec and "pointer" not in spec and "拖动" not in spec


@pytest.mark.parametrize("months", [1, 5, 13, 24, 36, 60])
def test_month_ticks_never_crowd(months):
    chart = charts.lines(trend_frame(months), "v", "产值（万元）", "产值", "子标题")
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(images.document_spec(chart.to_json(), images.WORD))
    # x-axis labels "2024年10月" (or "10月" within one year): each drawn at translate(x, y)
    xs = sorted(float(x) for x in re.findall(r'translate\(([\d.]+),[\d.]+\)"[^>]*>(?:\d{4}年)?\d{1,2}月<', svg))
    assert 1 <= len(xs) <= charts.MAX_MONTH_TICKS
    assert all(b - a >= 75 for a, b in itertools.pairwise(xs)), xs


def test_year_lines_are_named_this_year_and_last_year():
    frame = trend_frame(24).assign(year=lambda f: f["period"].dt.year, month=lambda f: f["period"].dt.month)
    spec = json.dumps(charts.year_overlay(frame, "v", "产值（万元）", "今年与上年", "按月份对齐").to_dict(),
                      ensure_ascii=False)
    assert "2023年（今年）" in spec and "2022年（上年）" in spec


def test_file_name_in_the_users_language():
    assert images.file_name("亩均税收", "园区对比", "2024年12月", suffix="png") == "亩均税收_园区对比_2024年12月.png"
    assert images.file_name("a/b", "c:d*", suffix="svg") == "a_b_c_d.svg"


@pytest.mark.parametrize("preset", [images.WORD, images.SLIDE, briefing.HALF])
def test_a_chart_is_laid_out_from_one_measure_and_drawn_once(bars, preset, monkeypatch):
    """Each Vega run costs a fraction of a second and a briefing draws three
    charts: a chart is measured at most twice (once more for a slide's
    height) and drawn once, and the drawing fills the preset's width without
    being cut at its right edge."""
    import vl_convert as vlc

    runs = {"svg": 0, "png": 0}
    for kind in runs:
        real = getattr(vlc, f"vegalite_to_{kind}")

        def counted(*args, _real=real, _kind=kind, **kwargs):
            runs[_kind] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(vlc, f"vegalite_to_{kind}", counted)
    image = opened(images.png(bars.to_json(), preset)).convert("L")
    assert runs["png"] == 1 and runs["svg"] <= 2
    dark = image.point(lambda v: 255 if v < 200 else 0)  # ink as white on black
    inked = range(*dark.getbbox()[::2])  # left … right edge of everything drawn
    assert inked[-1] > image.width * 0.9  # the bars and their labels reach across the width
    assert inked[-1] < image.width - 2  # nothing runs into the right edge (cut off)
