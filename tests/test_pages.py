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
    store.undo(con, result.upload_id)  # something was uploaded, then taken back
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    monkeypatch.setenv("PARKBENCH_NO_DEMO", "1")  # else the app shows the demo while there is no real data
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
    assert table.iloc[0]["rank"] == 1
    assert table["value"].dtype == "float64"  # sorts as numbers
    assert [b.label for b in at.get("download_button")][-1:] != []
    assert len(at.get("vega_lite_chart")) >= 3, "bars and one panel per chosen metric"
    assert at.query_params["metric"] == ["tax_per_mu"] or at.query_params["metric"] == "tax_per_mu"


def test_compare_page_marks_unreported_parks(demo_app):
    import datetime as dt

    at = demo_app.run()
    at.switch_page("pages/compare.py").run()
    at.selectbox[0].set_value("output_ytd_yoy").run()
    at.select_slider[0].set_value(dt.date(2023, 11, 1)).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert table["value"].isna().sum() == 3  # only the county park published 2022 levels (shown 未报送)


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
    parks = {"寻甸特色产业园区", "确山县产业集聚区", "宽甸经济开发区", "示例县工业园区"}
    wide = at.dataframe[0].value  # parks × metrics
    assert set(wide["park"]) == parks and len(wide) == 4
    assert {"tax_per_mu:value", "tax_per_mu:rank", "tax_per_mu:class"} <= set(wide.columns)
    assert sorted(wide["tax_per_mu:rank"].dropna()) == [1, 2, 3, 4]
    table = at.dataframe[1].value  # the long league table, numbers kept numeric (unknown = empty)
    assert len(table) >= 4 * 10, "every park for every metric"
    for metric, rows in table.groupby("metric"):
        assert set(rows["park"]) == parks, metric
        reported = rows[rows["rank"].notna()]
        assert len(reported) >= 1, metric
        # ranks 1..n over the parks that reported, best value first (all these metrics: higher is better)
        by_rank = reported.sort_values("rank")
        assert by_rank["rank"].astype(int).tolist() == list(range(1, len(reported) + 1)), metric
        values = by_rank["value"].astype(float).tolist()
        assert values == sorted(values, reverse=True), metric
        assert set(reported["class"].dropna()) <= {"A", "B", "C", "D"}
        assert reported["sentence"].str.contains("排名").all(), metric
        unreported = rows[rows["rank"].isna()]
        assert unreported["value"].isna().all() and unreported["class"].isna().all(), metric
    assert any("园区平均" in m.value for m in at.markdown)


def test_rankings_class_limits_go_in_the_url(demo_app):
    """A shared link of 排名 shows the classes it was sent with (issue 18, item 24); limits not
    in 1–100 are ignored, and the defaults stay out of the URL."""
    demo_app.query_params["class_a"] = "50"
    demo_app.query_params["class_c"] = "500"
    at = demo_app.run()
    at.switch_page("pages/rankings.py").run()
    assert not at.exception and not at.error
    assert [n.value for n in at.number_input][:3] == [50, 60, 95]
    wide = at.dataframe[0].value
    assert (wide["tax_per_mu:class"] == "A").sum() == 2  # the top half of four parks, not the default top 20 %
    at.number_input[1].set_value(70).run()
    assert at.query_params["class_a"] in ("50", ["50"]) and at.query_params["class_b"] in ("70", ["70"])
    assert "class_c" not in at.query_params


def test_industries_page(demo_app):
    at = demo_app.run()
    at.switch_page("pages/industries.py").run()
    assert not at.exception and not at.error
    assert len(at.get("vega_lite_chart")) == 2
    table = at.dataframe[0].value
    assert {"纺织鞋服", "健康食品"} <= set(table["industry"])


@pytest.mark.parametrize("page", ["pages/trends.py", "pages/rankings.py", "pages/industries.py", "pages/briefing.py"])
def test_new_pages_empty_state(empty_app, page):
    at = empty_app.run()
    at.switch_page(page).run()
    assert not at.exception
    assert "还没有数据" in texts(at) and "上传" in texts(at)


def test_peer_group_on_page(demo_app, tmp_path):
    from conftest import FIXTURES

    from parkbench.models import peers

    con = store.connect(tmp_path / "demo.duckdb")
    for name in ("A_各园区主要经济指标_2024累计.xlsx", "E_产业结构2024.xlsx"):
        store.save(con, parse_path(FIXTURES / name), (FIXTURES / name).read_bytes())
    peers.save_group(con, "同类园区", ["寻甸特色产业园区", "确山县产业集聚区"])
    con.close()
    demo_app.query_params["group"] = "同类园区"
    at = demo_app.run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert set(at.dataframe[0].value["park"]) == {"寻甸特色产业园区", "确山县产业集聚区"}


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


def test_briefing_page_offers_three_downloads(demo_app):
    demo_app.query_params["park"] = "寻甸特色产业园区"
    demo_app.query_params["period"] = "2024-12"
    at = demo_app.run()
    at.switch_page("pages/briefing.py").run(timeout=180)
    assert not at.exception and not at.error
    assert at.selectbox[0].value == "寻甸特色产业园区"
    labels = [b.proto.label for b in at.get("download_button")]
    assert any("DOCX" in x for x in labels) and any("PDF" in x for x in labels) and any("PNG" in x for x in labels)
    assert len(at.get("image")) + len(at.get("imgs")) >= 1, "the preview"


def test_english_keeps_the_period_and_the_metric(demo_app):
    import datetime as dt

    at = demo_app.run()
    at.switch_page("pages/compare.py").run()
    at.select_slider[0].set_value(dt.date(2024, 6, 1)).run()
    at.selectbox[0].set_value("output_per_mu").run()
    at.session_state["english"] = True  # the sidebar switch (AppTest runs the page without the entry script)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Compare parks"
    assert at.select_slider[0].value == dt.date(2024, 6, 1)
    assert at.selectbox[0].value == "output_per_mu"


def test_trends_period_range_and_cagr(demo_app):
    import datetime as dt

    demo_app.query_params["from"] = "2024-01"
    demo_app.query_params["to"] = "2024-06"
    demo_app.query_params["measure"] = "ytd_value"
    at = demo_app.run()
    at.switch_page("pages/trends.py").run()
    assert not at.exception and not at.error
    assert at.select_slider[0].value == (dt.date(2024, 1, 1), dt.date(2024, 6, 1))
    assert at.selectbox[1].value == "ytd_value"
    assert at.select_slider[1].value == (2022, 2025)  # whole years in the demo: the county park's 2022, all 2023–2025
    cagr = at.dataframe[-1].value  # the 年均增长 table over the whole span
    assert len(cagr) == 4
    # only the county park has a full 2022 in the demo; the others show 未报送, never 0
    assert cagr["cagr"].notna().sum() == 1 and cagr["start_value"].isna().sum() == 3
    row = cagr[cagr["cagr"].notna()].iloc[0]
    expected = 100 * ((row["end_value"] / row["start_value"]) ** (1 / 3) - 1)  # 2022 → 2025: three years
    assert row["cagr"] == __import__("pytest").approx(expected)


def test_tables_name_unreported_cells_in_the_users_language_not_none(demo_app):
    """Streamlit draws an empty cell as "None" unless told otherwise: every table
    drawn by ui/tables.show says 未报送 (English: not reported)."""
    at = demo_app.run()
    for page in ("pages/home.py", "pages/compare.py", "pages/rankings.py", "pages/trends.py"):
        at.switch_page(page).run()
        assert not at.exception, page
        assert at.dataframe, page
        assert {frame.proto.placeholder for frame in at.dataframe} == {"未报送"}, page
    at.session_state["english"] = True
    at.switch_page("pages/rankings.py").run()
    assert {frame.proto.placeholder for frame in at.dataframe} == {"not reported"}


def test_compare_chart_says_which_parks_have_no_value(demo_app):
    """The page's chart (and so its Word PNG) names the parks without a value in its subtitle."""
    import datetime as dt
    import json

    at = demo_app.run()
    at.switch_page("pages/compare.py").run()
    at.selectbox[0].set_value("output_ytd_yoy").run()
    at.select_slider[0].set_value(dt.date(2023, 11, 1)).run()
    assert not at.exception
    table = at.dataframe[0].value
    absent = sorted(table.loc[table["value"].isna(), "park"])
    assert len(absent) == 3  # as test_compare_page_marks_unreported_parks: only the county park has 2022 levels
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    subtitle = "".join(spec["title"]["subtitle"])
    assert "1/4 个园区有数值；未报送：" in subtitle and all(park in subtitle for park in absent)


def test_park_names_that_look_like_markdown_are_shown_literally(tmp_path, monkeypatch):
    """A park named like a link or a formula is text: its Markdown specials escaped
    wherever a page writes it into Markdown (the 首页 card title, the report sentence)."""
    from conftest import store_rows

    from ui.format import plain

    link, formula = "[点我](http://x.example)", '=HYPERLINK("http://x","a")'
    path = tmp_path / "names.duckdb"
    con = store.connect(path)
    store_rows(con, [(name, indicator, "2024-01", basis, value) for name in (link, formula)
                     for indicator, basis, value in (("tax", "month", 5.0), ("land_area", "stock", 10.0))])
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    cards = [m.value for m in at.markdown]
    for name in (link, formula):
        assert f"**{plain(name)}**" in cards and f"**{name}**" not in cards
    at.switch_page("pages/compare.py").run()
    at.selectbox[1].set_value(link).run()
    assert not at.exception
    assert any(m.value.startswith(f"**{plain(link)}**：") for m in at.markdown)


def test_the_demo_banner_says_demo_data_once(demo_app):
    at = demo_app.run()
    banner = [i.value for i in at.info if "依据公开报道的量级编制" in i.value]
    assert len(banner) == 1 and banner[0].count("示例数据") == 1


@pytest.fixture
def march_only_app(tmp_path, monkeypatch):
    """Three firms' March (本月 only) through an enterprise column mapping: stored, but
    no cumulative, so no 亩均 or growth (what a tester saw after the mapping editor)."""
    from conftest import FIXTURES

    from parkbench import upload
    from parkbench.ingest import mapped, read_sheets

    file = FIXTURES / "mapped_firms" / "企业月报_自定义表头.csv"
    path = tmp_path / "march.duckdb"
    con = store.connect(path)
    sheet = read_sheets(file.read_bytes(), file.name)[0]
    columns = {0: "enterprise", 1: "credit_code", 2: "park", 3: "period", 4: "wide:output", 5: "wide:tax"}
    store.save_mapping(con, mapped.signature(sheet.cells, 0), mapped.ColumnMapping(0, columns))
    upload.store(con, upload.check(con, file.read_bytes(), file.name, mappings=store.load_mappings(con)))
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    return AppTest.from_file(APP, default_timeout=60)


def test_home_with_one_month_alone_says_why_no_figure_shows(march_only_app):
    at = march_only_app.run()
    assert not at.exception
    body = texts(at)
    assert "还没有数据" not in body
    assert "还没有可显示的主要指标" in body and "1-本月累计" in body
    assert any(m.value == "2024年3月" for m in at.metric)  # the status panel: the month that was stored


def test_rankings_count_firms_whole_and_say_when_no_sentence_applies(march_only_app):
    at = march_only_app.run()
    at.switch_page("pages/rankings.py").run()
    assert not at.exception
    wide = at.dataframe[0].value
    counts = wide["enterprises_reporting:value"] if "enterprises_reporting:value" in wide else None
    assert counts is not None and sorted(counts.tolist()) == [1, 2]  # 西园 one firm, 东园 two
    from parkbench.output.tables import Column, value_kind

    assert Column("n", "报送企业数（户）", "Firms", value_kind("enterprises_reporting")).text(2.0) == "2"  # not 2.00
    body = texts(at)
    assert "：。" not in body
    assert "东园**（2024年3月）：本期没有报告用语所用的指标" in body


def test_briefing_with_no_cumulative_says_why_instead_of_empty_tables(march_only_app):
    at = march_only_app.run()
    at.switch_page("pages/briefing.py").run()
    assert not at.exception
    said = [i.value for i in at.info]
    assert any("还没有简报所列的指标" in s and "1-本月累计" in s for s in said), said


def test_industries_with_one_month_alone_say_the_year_to_date_is_missing(march_only_app):
    at = march_only_app.run()
    at.switch_page("pages/industries.py").run()
    assert not at.exception
    assert any("还没有由企业汇总的 1-本月工业总产值" in i.value for i in at.info), [i.value for i in at.info]
