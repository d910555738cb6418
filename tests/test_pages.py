"""Each page with data and in its empty state, through Streamlit's AppTest."""

from __future__ import annotations

import pytest
from conftest import APP, SAMPLE_C
from streamlit.testing.v1 import AppTest

from parkbench import store
from parkbench.ingest import parse_path


@pytest.fixture(autouse=True)
def _fresh_caches(clear_caches):
    yield


@pytest.fixture
def demo_app(tmp_path, monkeypatch):
    monkeypatch.setenv("PARKBENCH_DB", str(tmp_path / "demo.duckdb"))
    return AppTest.from_file(APP, default_timeout=60)


@pytest.fixture
def empty_app(tmp_path, monkeypatch):
    path = tmp_path / "empty.duckdb"
    con = store.connect(path)
    result = store.save(con, parse_path(SAMPLE_C), SAMPLE_C.read_bytes())
    store.undo(con, result.upload_id)  # something was uploaded, then taken back: no demo refill
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    return AppTest.from_file(APP, default_timeout=60)


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.info] + [m.value for m in at.warning]
    parts += [m.value for m in at.caption] + [t.value for t in at.title]
    return "\n".join(str(p) for p in parts)


def test_home_shows_demo_parks_and_label(demo_app):
    at = demo_app.run()
    assert not at.exception
    body = texts(at)
    assert "示例数据" in body
    for park in ("寻甸特色产业园区", "确山县产业集聚区", "宽甸经济开发区", "示例县工业园区"):
        assert park in body
    table = at.dataframe[0].value
    assert set(table["park"]) == {"寻甸特色产业园区", "确山县产业集聚区", "宽甸经济开发区", "示例县工业园区"}


def test_home_empty_state_says_what_to_upload(empty_app):
    at = empty_app.run()
    assert not at.exception
    assert "还没有数据" in texts(at)


def test_compare_page_draws_chart_and_ranks(demo_app):
    at = demo_app.run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception and not at.error
    assert at.selectbox[0].value == "tax_per_mu"
    table = at.dataframe[0].value
    assert len(table) == 4
    assert table.iloc[0]["rank_text"] == "1/4"
    assert len(at.get("vega_lite_chart")) == 2, "bars and small multiples"
    assert at.query_params["metric"] == ["tax_per_mu"] or at.query_params["metric"] == "tax_per_mu"


def test_compare_page_marks_unreported_parks(demo_app):
    import datetime as dt

    at = demo_app.run()
    at.switch_page("pages/compare.py").run()
    at.selectbox[0].set_value("output_ytd_yoy").run()
    at.select_slider[0].set_value(dt.date(2023, 11, 1)).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert (table["value_text"] == "未报送").sum() == 3  # only the county park published 2022 levels


def test_compare_highlight_gives_report_sentence(demo_app):
    at = demo_app.run()
    at.switch_page("pages/compare.py").run()
    at.selectbox[1].set_value("示例县工业园区").run()
    assert not at.exception
    assert any("示例县工业园区" in m.value and "排名" in m.value for m in at.markdown)


def test_state_from_url_is_validated_and_carried(demo_app):
    demo_app.query_params["metric"] = "output_per_mu"
    demo_app.query_params["park"] = "<script>不存在</script>"
    demo_app.query_params["period"] = "2099-13"
    at = demo_app.run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert at.selectbox[0].value == "output_per_mu"
    assert at.selectbox[1].value == ""  # unknown park ignored: "no park" (state.NONE)
    assert at.select_slider[0].value == __import__("datetime").date(2025, 12, 1)  # bad period ignored: latest
    at.selectbox[1].set_value("确山县产业集聚区").run()
    at.switch_page("pages/rankings.py").run()
    assert not at.exception
    assert at.selectbox[0].value == "确山县产业集聚区"  # carried across the page change


def test_trends_page(demo_app):
    at = demo_app.run()
    at.switch_page("pages/trends.py").run()
    assert not at.exception and not at.error
    assert len(at.get("vega_lite_chart")) == 2, "trend lines and the year overlay"
    at.selectbox[1].set_value("month_value").run()
    assert not at.exception


def test_rankings_page_classes_and_sentences(demo_app):
    at = demo_app.run()
    at.switch_page("pages/rankings.py").run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    parks = {"寻甸特色产业园区", "确山县产业集聚区", "宽甸经济开发区", "示例县工业园区"}
    assert len(table) >= 4 * 10, "every park for every metric"
    for metric, rows in table.groupby("metric"):
        assert set(rows["park"]) == parks, metric
        reported = rows[rows["rank"] != "未报送"]
        assert len(reported) >= 1, metric
        # ranks 1..n over the parks that reported, best value first (all these metrics: higher is better)
        by_rank = reported.assign(position=reported["rank"].str.split("/").str[0].astype(int)).sort_values("position")
        assert by_rank["position"].tolist() == list(range(1, len(reported) + 1)), metric
        values = by_rank["value"].astype(float).tolist()
        assert values == sorted(values, reverse=True), metric
        assert set(reported["class"]) <= {"A", "B", "C", "D", "未报送"}
        assert reported["sentence"].str.contains("排名").all(), metric
        unreported = rows[rows["rank"] == "未报送"]
        assert (unreported["value"] == "未报送").all() and (unreported["class"] == "未报送").all(), metric
    assert any("园区平均" in m.value for m in at.markdown)


def test_industries_page(demo_app):
    at = demo_app.run()
    at.switch_page("pages/industries.py").run()
    assert not at.exception and not at.error
    assert len(at.get("vega_lite_chart")) == 2
    table = at.dataframe[0].value
    assert {"纺织鞋服", "健康食品"} <= set(table["industry"])


@pytest.mark.parametrize("page", ["pages/trends.py", "pages/rankings.py", "pages/industries.py"])
def test_new_pages_empty_state(empty_app, page):
    at = empty_app.run()
    at.switch_page(page).run()
    assert not at.exception
    assert "还没有数据" in texts(at) and "上传" in texts(at)


def test_peer_group_on_page(demo_app, tmp_path):
    from parkbench import peers

    con = store.connect(tmp_path / "demo.duckdb")
    from parkbench import demo

    demo.load(con)
    peers.save_group(con, "同类园区", ["示例县工业园区", "确山县产业集聚区"])
    con.close()
    demo_app.query_params["group"] = "同类园区"
    at = demo_app.run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert set(at.dataframe[0].value["park"]) == {"示例县工业园区", "确山县产业集聚区"}


def test_compare_empty_state(empty_app):
    at = empty_app.run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert "还没有数据" in texts(at)


def test_english_switch(demo_app):
    at = demo_app.run()
    at.toggle[0].set_value(True).run()
    assert not at.exception
    assert "Latest figures per park" in "\n".join(s.value for s in at.subheader)
