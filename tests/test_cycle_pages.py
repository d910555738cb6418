"""AppTest of the monthly-cycle pages: 报送进度 and 数据质量 with data and
empty; the home panel; 本期未报送 on compare; the upload preview's warnings
and 是否为：…？ question."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pyarrow
import pytest
from conftest import APP, store_rows
from streamlit.testing.v1 import AppTest

from parkbench import store


@pytest.fixture(autouse=True)
def _fresh_caches(clear_caches):
    yield


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.info] + [m.value for m in at.warning]
    parts += [m.value for m in at.caption] + [t.value for t in at.title] + [m.value for m in at.metric]
    return "\n".join(str(p) for p in parts)


def unescape(text: str) -> str:
    return text.replace("\\", "")


@pytest.fixture
def cycle_app(tmp_path, monkeypatch):
    """Three parks: 甲 and 乙 report January and February, 丙 only January; 甲 sends March early.
    乙's February cumulative tax (650) is below January's (700)."""
    path = tmp_path / "cycle.duckdb"
    con = store.connect(path)
    rows = [(p, "output", "2025-01", "ytd", 100) for p in ("甲园区", "乙园区", "丙园区")]
    rows += [(p, "output", "2025-02", "ytd", 210) for p in ("甲园区", "乙园区")]
    rows += [("甲园区", "output", "2025-03", "ytd", 330)]
    rows += [(p, "land_area", "2025-01", "stock", 1000) for p in ("甲园区", "乙园区", "丙园区")]
    rows += [(p, "tax", "2025-01", "ytd", 700) for p in ("甲园区", "乙园区", "丙园区")]
    rows += [("甲园区", "tax", "2025-02", "ytd", 1500), ("乙园区", "tax", "2025-02", "ytd", 650)]
    store_rows(con, rows, file_name="cycle.csv")
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    return AppTest.from_file(APP, default_timeout=60)


@pytest.fixture
def empty_app(tmp_path, monkeypatch):
    monkeypatch.setenv("PARKBENCH_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("PARKBENCH_NO_DEMO", "1")
    return AppTest.from_file(APP, default_timeout=60)


def test_status_page_shows_default_period_and_late_parks(cycle_app):
    at = cycle_app.run()
    at.switch_page("pages/status.py").run()
    assert not at.exception
    body = unescape(texts(at))
    # January 3/3, February 2/3, March 1/3 → default February (at least half), everyone to January.
    assert [m.value for m in at.metric] == ["2025年2月", "2025年1月", "2025年3月"]
    assert "2025年3月未报送（2/3 个园区）：丙园区、乙园区" in body
    assert "2025年2月未报送（1/3 个园区）：丙园区" in body
    assert len(at.get("vega_lite_chart")) == 1


def test_status_page_empty_state(empty_app):
    at = empty_app.run()
    at.switch_page("pages/status.py").run()
    assert not at.exception and "还没有数据" in texts(at)


def test_home_panel_and_compare_open_on_the_default_period(cycle_app):
    at = cycle_app.run()
    assert not at.exception
    body = unescape(texts(at))
    assert "报送进度" in body and "2025年2月未报送：丙园区" in body
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert at.select_slider[0].value.month == 2  # not March, which only 甲 sent
    assert "本期未报送：丙园区" in unescape("\n".join(w.value for w in at.warning))


def test_compare_marks_a_metric_built_on_a_flagged_value(cycle_app):
    at = cycle_app.run()
    at.switch_page("pages/compare.py").run()
    table = next(df.value for df in at.dataframe if "checks" in df.value.columns).set_index("park")
    # 亩均税收 of 乙 in February: 650 / 1000 = 0.65 万元/亩, built on the cumulative below January's.
    assert table.loc["乙园区", "value"] == pytest.approx(0.65)
    assert table.loc["乙园区", "checks"].startswith("⚠") and "低于上月累计 700.0 万元" in table.loc["乙园区", "checks"]
    assert table.loc["甲园区", "checks"] == ""


def test_compare_says_why_a_value_is_empty(cycle_app):
    """丙 sent nothing for February: its empty 亩均税收 says 本期未报送 in 说明 (issue 18, item 3);
    on 排名, the park's 说明 names the metric too."""
    at = cycle_app.run()
    at.switch_page("pages/compare.py").run()
    table = next(df.value for df in at.dataframe if "notes" in df.value.columns).set_index("park")
    assert pd.isna(table.loc["丙园区", "value"]) and table.loc["丙园区", "notes"] == "本期未报送"
    assert table.loc["甲园区", "notes"] == ""
    at.switch_page("pages/rankings.py").run()
    wide = next(df.value for df in at.dataframe if "notes" in df.value.columns).set_index("park")
    assert wide.loc["丙园区", "notes"].startswith("本期未报送（") and "、亩均税收" in wide.loc["丙园区", "notes"]


def test_rankings_mark_a_metric_built_on_a_flagged_value(cycle_app):
    """The ⚠ of 园区对比 on 排名 too (issue 18, item 24): in the league table, the row of 乙's 亩均税收;
    in the park × metric table, 乙's row, after the metric's name."""
    cycle_app.query_params["period"] = "2025-02"
    at = cycle_app.run()
    at.switch_page("pages/rankings.py").run()
    assert not at.exception
    wide, long = (df.value for df in at.dataframe if "checks" in df.value.columns)
    wide = wide.set_index("park")
    assert wide.loc["乙园区", "checks"].startswith("⚠ ") and "低于上月累计 700.0 万元" in wide.loc["乙园区", "checks"]
    assert "（亩均税收、" in wide.loc["乙园区", "checks"] or "、亩均税收" in wide.loc["乙园区", "checks"]
    assert wide.loc["甲园区", "checks"] == ""
    rows = long.set_index(["metric", "park"])["checks"]
    assert rows[("亩均税收（万元/亩）", "乙园区")].startswith("⚠ ")
    assert rows[("亩均税收（万元/亩）", "甲园区")] == ""


def test_trends_mark_a_flagged_month_on_the_chart_and_in_a_table(cycle_app):
    """乙's February cumulative tax (650, below January's 700) carries a warning: a ⚠ over that
    point of the 累计值 line and a row in the table under the chart (issue 18, item 24)."""
    cycle_app.query_params["indicator"] = "tax"
    cycle_app.query_params["measure"] = "ytd_value"
    at = cycle_app.run()
    at.switch_page("pages/trends.py").run()
    assert not at.exception
    table = next(df.value for df in at.dataframe if "checks" in df.value.columns)
    assert list(table["park"]) == ["乙园区"] and list(table["period"]) == ["2025年2月"]
    assert list(table["ytd_value"]) == [650.0] and "低于上月累计 700.0 万元" in table["checks"].iloc[0]
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    marks = [layer for layer in spec["layer"] if isinstance(layer["mark"], dict) and layer["mark"].get("text") == "⚠"]
    assert len(marks) == 1
    datasets = {d.name: d.data.data for d in at.get("vega_lite_chart")[0].proto.datasets}
    points = pyarrow.ipc.open_stream(datasets[marks[0]["data"]["name"]]).read_all().to_pandas()
    assert list(zip(points["park"], points["ytd_value"], strict=True)) == [("乙园区", 650.0)]


def test_quality_page_lists_open_warnings(cycle_app):
    at = cycle_app.run()
    at.switch_page("pages/quality.py").run()
    assert not at.exception
    body = unescape(texts(at))
    assert "**审核结果 1 条**（涉及 1 个数值）：累计倒减 1" in body and "涉及园区（条）：乙园区 1" in body
    # hand-written rows carry no sheet or row: the finding names the park, the indicator and the values
    assert ("1. 累计值低于上月：乙园区 税收收入：累计 650.0 万元，低于上月累计 700.0 万元（推算的当月值将为 -50.0 万元）"
            in body)
    assert not at.dataframe  # nothing opened yet
    at.selectbox(key="quality:open").select(1).run()
    cells = at.table[0].value
    assert list(cells["统计期"]) == ["2025年2月"] and list(cells["园区"]) == ["乙园区"]
    assert list(cells["指标"]) == ["税收收入"] and list(cells["文件"]) == ["cycle.csv"]


def test_quality_page_cells_are_a_table_whose_text_wraps(cycle_app):
    """The 说明 of a cell and where it is (file, sheet) were cut at the grid's column width
    (issue 18, item 22): a finding's cells are a static table (st.table), whose text wraps."""
    at = cycle_app.run()
    at.switch_page("pages/quality.py").run()
    at.selectbox(key="quality:open").select(1).run()
    assert not at.dataframe
    cells = at.table[0].value
    assert list(cells.columns[:4]) == ["统计期", "园区", "指标", "说明"]
    assert "低于上月累计 700.0 万元" in cells["说明"].iloc[0] and list(cells["文件"]) == ["cycle.csv"]


def test_quality_page_groups_a_series_and_opens_its_cells(tmp_path, monkeypatch):
    """甲's output swings up +100 % in five months of 2024 (Feb, Apr, Jun, Aug, Oct), 乙 misses
    March and April: two findings, 缺月 first; the 环比 one opens onto rows 3, 5, 7, 9 and 11."""
    from test_checks import seesaw_and_gaps

    from parkbench.ingest import parse_file

    path = tmp_path / "seesaw.duckdb"
    con = store.connect(path)
    store.save(con, parse_file(seesaw_and_gaps(), "锯齿.csv"), b"")
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/quality.py").run()
    assert not at.exception
    body = unescape(texts(at))
    assert "**审核结果 2 条**（涉及 7 个数值）：缺月 1　环比异常 1" in body
    assert "1. 序列中缺月：乙园区 规上工业总产值：2 个月（2024年3月～2024年4月）" in body
    assert ("2. 环比变动过大：工作表「锯齿」，第 3、5、7、9、11 行，第 E 列（数值）：甲园区 规上工业总产值：5 个月"
            "（2024年2月、2024年4月、2024年6月、2024年8月、2024年10月）") in body
    at.selectbox(key="quality:open").select(2).run()
    cells = at.table[0].value
    assert list(cells["行号"]) == [3, 5, 7, 9, 11] and set(cells["工作表"]) == {"锯齿"}
    assert list(cells["统计期"]) == ["2024年2月", "2024年4月", "2024年6月", "2024年8月", "2024年10月"]
    at.multiselect(key="quality:kinds").select("month_missing").run()
    assert "**审核结果 1 条**（涉及 2 个数值）：缺月 1" in unescape(texts(at))
    at.session_state["english"] = True
    at.run()
    assert not at.exception
    assert "**Findings: 1** (2 values): Missing month 1" in unescape(texts(at))


def test_quality_page_empty_state(empty_app):
    at = empty_app.run()
    at.switch_page("pages/quality.py").run()
    assert not at.exception and "还没有数据" in texts(at)


def test_quality_page_with_no_warnings(tmp_path, monkeypatch):
    path = tmp_path / "clean.duckdb"
    con = store.connect(path)
    store_rows(con, [("甲园区", "output", "2025-01", "ytd", 100)])
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/quality.py").run()
    assert not at.exception and "没有未处理的审核提示" in "\n".join(s.value for s in at.success)


def open_upload(files):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/upload.py")
    at.session_state["upload_pending"] = {hashlib.sha256(d).hexdigest(): (n, d) for n, d in files}
    return at.run()


def test_upload_preview_shows_warnings_before_confirming(cycle_app, tmp_path):
    data = "园区,统计期,指标,口径,数值,单位\n丙园区,2025-02,税收,累计,600,万元\n".encode()
    at = open_upload([("丙.csv", data)])
    assert not at.exception
    warning = unescape("\n".join(w.value for w in at.warning))
    assert "数据审核：1 条提示" in warning
    listed = unescape("\n".join(m.value for m in at.markdown))
    assert "累计值低于上月" in listed and "第 2 行" in listed and "600.0 万元" in listed and "700.0 万元" in listed
    assert any(b.label == "确认导入" for b in at.button)  # a warning, not a refusal


def test_upload_asks_about_a_close_park_name_and_yes_adds_the_alias(cycle_app, tmp_path):
    con = store.connect(store.db_path())
    store_rows(con, [("西平县产业集聚区", "output", "2025-01", "ytd", 100)], file_name="xiping.csv")
    con.close()
    data = "园区,统计期,指标,口径,数值,单位\n西平产业集聚区,2025-02,规上工业总产值,累计,210,万元\n".encode()
    at = open_upload([("typo.csv", data)])
    assert "是否为：西平县产业集聚区？" in unescape("\n".join(m.value for m in at.markdown))
    [confirm] = [b for b in at.button if b.label == "确认导入"]
    assert confirm.disabled  # answer first
    [yes] = [b for b in at.button if b.label == "是"]
    at = yes.click().run()
    assert not at.exception
    assert "是否为" not in unescape("\n".join(m.value for m in at.markdown))
    con = store.connect(store.db_path())
    assert store.canonical_name(con, "西平产业集聚区") == "西平县产业集聚区"
    con.close()


def test_a_sheet_whose_columns_feed_no_metric_opens_the_mapping_editor(cycle_app):
    data = "园区,统计期,绿化覆盖率,路灯数量\n甲园区,2024-01,12,30\n".encode()
    at = open_upload([("u.csv", data)])
    assert not at.exception
    assert "不对应任何已知指标" in unescape("\n".join(e.value for e in at.error))
    assert any("指定表头和各列含义" in m.value for m in at.markdown)  # the mapping editor, open
    assert not any(b.label == "确认导入" for b in at.button)


def test_upload_preview_pages_many_findings(cycle_app, tmp_path):
    """60 parks each up +100 % in February: 60 findings, 20 on a page, the second page from 21."""
    from test_checks import sixty_jumps

    at = open_upload([("六十.csv", sixty_jumps(tmp_path).read_bytes())])
    assert not at.exception
    assert "数据审核：60 条提示" in unescape("\n".join(w.value for w in at.warning))
    [listed] = [m.value for m in at.markdown if m.value.startswith("1. ")]
    assert len(listed.splitlines()) == 20
    [parks] = [unescape(c.value) for c in at.caption if c.value.startswith("涉及园区")]
    assert parks.endswith("…等 60 个园区") and parks.count("、") == 9  # ten parks named, one finding each
    [page] = [n for n in at.number_input if "共 3 页" in n.label]
    at = page.set_value(2).run()
    [listed] = [unescape(m.value) for m in at.markdown if m.value.startswith("21. ")]
    assert len(listed.splitlines()) == 20 and listed.splitlines()[-1].startswith("40. 环比变动过大")
