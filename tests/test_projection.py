"""预计全年 (parkbench/models/projection.py) worked by hand: the plain pace and the
pace of last year, none without a complete last year, never stored; and 趋势
shows it marked 预计."""

from __future__ import annotations

import pytest
from conftest import APP, store_rows
from streamlit.testing.v1 import AppTest

from parkbench import store
from parkbench.models import projection

ROWS = [
    # 甲: 1-3月 2024 3000; 2023: 1-3月 2000 of a full year 10000 (20 %)
    ("甲园区", "output", "2023-03", "ytd", 2000), ("甲园区", "output", "2023-12", "ytd", 10000),
    ("甲园区", "output", "2024-03", "ytd", 3000),
    ("甲园区", "tax", "2023-03", "ytd", 60), ("甲园区", "tax", "2023-12", "ytd", 300),
    ("甲园区", "tax", "2024-03", "ytd", 150),
    # 乙: last year without December
    ("乙园区", "output", "2023-03", "ytd", 2000), ("乙园区", "output", "2024-03", "ytd", 3000),
    # 丙: last year's December but not its March
    ("丙园区", "output", "2023-12", "ytd", 8000), ("丙园区", "output", "2024-03", "ytd", 2400),
    # 丁: month values only, 100 + 120 + 130 = 350 for 1-3月
    ("丁园区", "output", "2024-01", "month", 100), ("丁园区", "output", "2024-02", "month", 120),
    ("丁园区", "output", "2024-03", "month", 130),
]


@pytest.fixture(scope="module")
def con():
    con = store.connect(":memory:")
    store_rows(con, ROWS)
    yield con
    con.close()


def test_plain_and_seasonal_pace(con):
    # plain: 3000 × 12 ÷ 3 = 12000 万元 = 1.20 亿元; seasonal: 2000 ÷ 10000 = 20 % → 3000 ÷ 0.2 = 15000 = 1.50 亿元
    p = projection.project(con, "甲园区", "output", "2024-03")
    assert p.ytd == 3000 and p.plain == pytest.approx(12000) and p.seasonal == pytest.approx(15000)
    assert p.last_year_share == pytest.approx(0.2) and p.seasonal_reason is None
    assert projection.sentences(p) == ["预计全年规上工业总产值约 1.20 亿元（按1-3月进度）",
                                       "预计全年规上工业总产值约 1.50 亿元（按上年同期进度：2023年1-3月占全年 20.0%）"]
    assert projection.sentences(p, "en")[0] == ("Projected full-year industrial output: about 1.20 100m yuan "
                                                "(at the Jan–Mar pace)")


def test_small_amounts_stay_in_wan_yuan(con):
    # tax: 150 × 12 ÷ 3 = 600 万元; 60 ÷ 300 = 20 % → 150 ÷ 0.2 = 750 万元
    p = projection.project(con, "甲园区", "tax", "2024-03")
    assert projection.sentences(p) == ["预计全年税收收入约 600.0 万元（按1-3月进度）",
                                       "预计全年税收收入约 750.0 万元（按上年同期进度：2023年1-3月占全年 20.0%）"]


@pytest.mark.parametrize(("park", "plain", "missing"), [
    ("乙园区", 12000, "全年（12月累计）"),  # 3000 × 4
    ("丙园区", 9600, "1-3月"),  # 2400 × 4
])
def test_incomplete_last_year_gives_no_seasonal_pace(con, park, plain, missing):
    p = projection.project(con, park, "output", "2024-03")
    assert p.plain == pytest.approx(plain)
    assert p.seasonal is None and p.last_year_share is None
    assert p.seasonal_reason == f"2023年{missing}数据不全，无法按上年进度推算"
    assert len(projection.sentences(p)) == 1


def test_year_to_date_from_month_values(con):
    # 丁: 100 + 120 + 130 = 350 → 350 × 12 ÷ 3 = 1400 万元
    p = projection.project(con, "丁园区", "output", "2024-03")
    assert p.ytd == pytest.approx(350) and p.plain == pytest.approx(1400)


def test_no_projection_in_december_or_without_a_cumulative(con):
    assert projection.project(con, "甲园区", "output", "2023-12") is None  # the year is known
    assert projection.project(con, "甲园区", "fixed_investment", "2024-03") is None
    assert projection.sentences(None) == []


def test_projections_are_never_stored(con):
    counts = "select (select count(*) from metric_values), (select count(*) from observations)"
    before = con.execute(counts).fetchone()
    projection.project(con, "甲园区", "output", "2024-03")
    assert con.execute(counts).fetchone() == before
    # nothing in the metrics carries 12000 (the plain pace of 甲) or a projection's name
    stored = con.execute("select count(*) from metric_values where metric ilike '%proj%' or value in (12000, 15000)"
                         ).fetchone()[0]
    assert stored == 0


# ------------------------------------------------------------------ page

@pytest.fixture
def app(tmp_path, monkeypatch, clear_caches):
    path = tmp_path / "projection.duckdb"
    con = store.connect(path)
    store_rows(con, ROWS)
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    monkeypatch.setenv("PARKBENCH_NO_DEMO", "1")
    return AppTest.from_file(APP, default_timeout=60)


def test_trends_shows_the_projection_marked(app):
    from ui.format import plain

    at = app.run()
    at.switch_page("pages/trends.py").run()
    assert not at.exception and not at.error
    next(s for s in at.selectbox if s.label == "本园区（突出显示）").set_value("甲园区").run()
    assert not at.exception
    body = [m.value for m in at.markdown]
    assert any("预计全年" in m and "不是报送数" in m for m in body), body
    for line in ("预计全年规上工业总产值约 1.20 亿元（按1-3月进度）",
                 "预计全年规上工业总产值约 1.50 亿元（按上年同期进度：2023年1-3月占全年 20.0%）"):
        assert any(plain(line) in m for m in body), line
