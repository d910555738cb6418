"""Pages at a province's size: the shaping helpers (parkbench/output/scale.py) on
small hand-made frames, and every page through AppTest on a generated
2,000-park store (marked ``scale``; part of ``make test``)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pyarrow as pa
import pytest
from conftest import APP
from large_store import build_file, park_names
from streamlit.testing.v1 import AppTest

from parkbench.catalog import metric_label
from parkbench.output import charts, scale
from ui import state

# ---------------------------------------------------------------- helpers on hand-made frames


def test_leaders_keep_the_top_and_the_highlighted_park_and_summarise_the_rest():
    frame = pd.DataFrame({"park": list("ABCDEF"), "value": [5.0, 4.0, 3.0, 2.0, 1.0, None]})
    drawn, rest = scale.leaders(frame, "value", 2, highlight="E")
    assert drawn["park"].tolist() == ["A", "B", "E"]
    # left out: C (3) and D (2); F has no value and is not drawn either way
    assert (rest.count, rest.low, rest.high, rest.median) == (2, 2.0, 3.0, 2.5)
    assert rest.sentence(1, "万元/亩") == "其余 2 个园区未画出：数值 2.0～3.0 万元/亩，中位数 2.5 万元/亩。"


def test_leaders_draw_everything_that_fits():
    frame = pd.DataFrame({"park": ["A", "B"], "value": [1.0, 2.0]})
    drawn, rest = scale.leaders(frame, "value", 5)
    assert set(drawn["park"]) == {"A", "B"} and rest.count == 0 and rest.sentence(1, "%") == ""


def test_leading_parks_rank_by_latest_value_and_put_the_highlight_first():
    jan, feb = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
    frame = pd.DataFrame({
        "park": ["A", "A", "B", "B", "C", "C", "D"],
        "period": [jan, feb, jan, feb, jan, feb, jan],
        "value": [9.0, 1.0, 1.0, 8.0, 5.0, None, 7.0],
    })
    # latest values: A 1 (Feb), B 8 (Feb), C 5 (Jan: Feb is empty), D 7 (Jan)
    assert scale.leading_parks(frame, "value", 2) == ["B", "D"]
    assert scale.leading_parks(frame, "value", 2, highlight="A") == ["A", "B"]
    assert scale.leading_parks(frame, "value", 4) == ["A", "B", "C", "D"]


def test_band_is_the_quartiles_of_every_park_per_period():
    jan = dt.date(2025, 1, 1)
    frame = pd.DataFrame({"park": list("ABCDEF"), "period": [jan] * 6, "value": [1.0, 2.0, 3.0, 4.0, 5.0, None]})
    row = scale.band(frame, "value").iloc[0]
    # 1..5: linear quartiles at positions 1 and 3 of 0..4
    assert (row["parks"], row["q1"], row["median"], row["q3"]) == (5, 2.0, 3.0, 4.0)


def test_line_focus_draws_every_park_while_they_fit():
    jan = dt.date(2025, 1, 1)
    frame = pd.DataFrame({"park": list("ABC"), "period": [jan] * 3, "value": [1.0, 2.0, 3.0]})
    focus = scale.line_focus(frame, "value", None, limit=3)
    assert len(focus.drawn) == 3 and focus.band is None and focus.note == ""
    focus = scale.line_focus(frame, "value", "A", limit=2)
    assert sorted(focus.drawn["park"]) == ["A", "C"] and focus.band is not None
    assert "共 3 个" in focus.note


def test_pages_of_a_long_table():
    frame = pd.DataFrame({"n": range(450)})
    assert scale.page_count(450, 200) == 3 and scale.page_count(0, 200) == 1
    assert scale.page(frame, 3, 200)["n"].tolist() == list(range(400, 450))
    assert scale.page(frame, 9, 200)["n"].tolist() == list(range(400, 450))  # clamped to the last page
    assert scale.page(frame, 1, 200)["n"].tolist() == list(range(200))


def test_composition_leaders_rank_parks_by_leading_share():
    composition = pd.DataFrame({
        "park": ["A", "A", "B", "B", "C", "C"],
        "industry": ["x", "y"] * 3,
        "is_leading": [True, False] * 3,
        "share": [30.0, 70.0, 80.0, 20.0, 50.0, 50.0],
    })
    rows, rest = scale.composition_leaders(composition, 1, highlight="A")
    assert sorted(set(rows["park"])) == ["A", "B"] and len(rows) == 4
    assert (rest.count, rest.low, rest.high) == (1, 50.0, 50.0)


def test_compare_bars_place_the_rules_at_the_whole_groups_mean_and_median():
    # two parks drawn out of a group whose mean is 3 and median 2.5 (computed in SQL over every park)
    frame = pd.DataFrame({"park": ["A", "B"], "value": [9.0, 8.0], "rank": [1, 2], "peers": [40, 40],
                          "peer_mean": [3.0, 3.0], "peer_median": [2.5, 2.5]})
    spec = charts.compare_bars(frame, "tax_per_mu", "2025年12月", note="图中为前 2 个园区（共 40 个）").to_dict()
    rules = [d for name, d in spec["datasets"].items() if d and "kind" in d[0]]
    assert sorted(r["x"] for d in rules for r in d) == [2.5, 3.0]
    assert "图中为前 2 个园区（共 40 个）" in json.dumps(spec["title"], ensure_ascii=False)


# ---------------------------------------------------------------- every page at 2,000 parks

PARKS = 2000
MAX_ROWS = 5000  # Altair's default limit, and far more than a chart can show


@pytest.fixture(scope="module")
def province_db(tmp_path_factory):
    return build_file(tmp_path_factory.mktemp("province") / "province.duckdb", PARKS)


@pytest.fixture
def app(province_db, monkeypatch, clear_caches):
    monkeypatch.setenv("PARKBENCH_DB", str(province_db))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    return at


def chart_datasets(at) -> list[pd.DataFrame]:
    """Every dataset of every chart on the page, as Streamlit sends it to the browser."""
    return [pa.ipc.open_stream(d.data.data).read_all().to_pandas()
            for chart in at.get("vega_lite_chart") for d in chart.proto.datasets]


def drawn_parks(at, chart_index: int = 0) -> set[str]:
    chart = at.get("vega_lite_chart")[chart_index]
    frames = [pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in chart.proto.datasets]
    return set().union(*(set(f["park"]) for f in frames if "park" in f))


def assert_light(at) -> None:
    assert not at.exception, [e.message for e in at.exception]
    datasets = chart_datasets(at)
    assert datasets, "no chart drawn"
    assert max(len(d) for d in datasets) <= MAX_ROWS


@pytest.mark.scale
def test_home_lists_every_park_in_a_table_without_a_card_each(app):
    assert not app.exception
    assert len(app.dataframe[0].value) == PARKS
    cards = [m for m in app.metric if m.label == metric_label("tax_per_mu", "zh")]  # not the 报送进度 figures
    assert cards == []
    assert any(f"共 {PARKS:,} 个园区" in c.value for c in app.caption)


@pytest.mark.scale
def test_compare_draws_the_leaders_and_a_low_ranked_highlighted_park(app):
    app.switch_page("pages/compare.py").run()
    assert_light(app)
    assert len(drawn_parks(app)) == scale.BAR_PARKS
    assert any(f"其余 {PARKS - scale.BAR_PARKS:,} 个园区未画出" in c.value for c in app.caption)
    table = app.dataframe[0].value
    assert len(table) == PARKS  # the table keeps every park
    last = table["park"].iloc[-1]  # sorted best first: the last is far from the top
    app.selectbox(key=state.widget_key("compare", "park")).set_value(last).run()
    assert_light(app)
    assert last in drawn_parks(app) and len(drawn_parks(app)) == scale.BAR_PARKS + 1


@pytest.mark.scale
def test_trends_draw_a_few_lines_over_the_groups_band(app):
    app.switch_page("pages/trends.py").run()
    assert_light(app)
    assert len(drawn_parks(app)) == scale.LINE_PARKS
    band = [d for d in chart_datasets(app) if "q1" in d]
    assert band and int(band[0]["parks"].max()) == PARKS


@pytest.mark.scale
def test_rankings_table_comes_in_pages(app):
    app.switch_page("pages/rankings.py").run()
    assert not app.exception, [e.message for e in app.exception]
    assert len(app.dataframe[0].value) == scale.PAGE_ROWS  # parks × metrics, a page of parks
    assert len(app.dataframe[1].value) == scale.PAGE_ROWS  # the long league table
    app.number_input(key="rankings:page").set_value(3).run()
    assert not app.exception
    shown = app.dataframe[1].value
    assert len(shown) == scale.PAGE_ROWS and len(set(shown["park"])) == scale.PAGE_ROWS
    sentences = [m.value for m in app.markdown if "）：" in m.value and m.value.startswith("**")]
    assert len(sentences) == scale.SENTENCE_PARKS
    # each park's sentence covers its metrics, not only those on the table's page
    assert all("亩均税收" in x and "亩均产值" in x for x in sentences), sentences[0]


@pytest.mark.scale
def test_industries_draw_the_leading_parks_and_summarise_the_rest(app):
    app.switch_page("pages/industries.py").run()
    assert_light(app)
    assert len(drawn_parks(app, 0)) == scale.BAR_PARKS
    assert len(drawn_parks(app, 1)) == scale.LINE_PARKS
    assert len(app.dataframe[0].value) == PARKS * 4  # the composition table keeps every row


def test_large_store_names_are_distinct():
    assert len(set(park_names(PARKS))) == PARKS
