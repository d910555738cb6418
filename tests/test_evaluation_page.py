"""The 综合评价 page and the home page's 预警 list through Streamlit's AppTest:
with data (results, chart, class moves, 调档 and its log, scheme editing,
thresholds) and in the empty state."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import openpyxl
import pytest
from conftest import APP, SAMPLE_C, store_rows
from streamlit.testing.v1 import AppTest

from parkbench import store
from parkbench.ingest import parse_path
from parkbench.models import evaluation as ev
from parkbench.output.evaluation_export import evaluation_xlsx

PAGE = "pages/evaluation.py"


@pytest.fixture(autouse=True)
def _fresh_caches(clear_caches):
    yield


@pytest.fixture
def four_app(tmp_path, monkeypatch):
    """Four parks with hand-made numbers (no demo data): 亩均税收 3, 2, 2, 1 and
    亩均产值 10, 8, 6, — in 2024-03; a year earlier the order was reversed."""
    path = tmp_path / "four.duckdb"
    con = store.connect(path)
    parks = ["甲园区", "乙园区", "丙园区", "丁园区"]
    rows = [(p, "land_area", "2023-01", "stock", 100) for p in parks]
    rows += [(p, "tax", "2024-03", "ytd", v) for p, v in zip(parks, (300, 200, 200, 100), strict=True)]
    rows += [(p, "output", "2024-03", "ytd", v) for p, v in zip(parks[:3], (1000, 800, 600), strict=True)]
    rows += [(p, "tax", "2023-03", "ytd", v) for p, v in zip(parks, (100, 200, 250, 300), strict=True)]
    store_rows(con, rows)
    scheme = ev.Scheme("测试方案", [ev.SchemeIndicator("tax_per_mu", 60),
                                    ev.SchemeIndicator("output_per_mu", 40, benchmark=8, cap=1.2)])
    ev.save_scheme(con, scheme)
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    return AppTest.from_file(APP, default_timeout=90)


def choose_scheme(at, name):
    """Pick a scheme by the name the selectbox shows (its values are scheme ids)."""
    box = at.selectbox(key="evaluation:scheme")
    box.select_index(box.options.index(name)).run()
    return at


def test_results_table_chart_and_moves(four_app):
    at = four_app.run()
    at.switch_page(PAGE).run()
    assert not at.exception and not at.error
    box = at.selectbox(key="evaluation:scheme")
    assert "测试方案" in box.options and "园区对标（本应用默认）" in box.options
    choose_scheme(at, "测试方案")
    assert not at.exception
    table = at.dataframe[0].value
    # 60 × (3, 2, 2, 1) ÷ 2 + 40 × min(10, 8, 6 ÷ 8, 1.2) = 138, 100, 90; 丁 has no 亩均产值 (缺报):
    # scored on 亩均税收 alone, its weight 60 scaled to 100: 100 × 1 ÷ 2 = 50
    assert table["park"].tolist() == ["甲园区", "乙园区", "丙园区", "丁园区"]
    assert table["total"].tolist() == ["138.00", "100.00", "90.00", "50.00"]
    assert table["initial"].tolist() == ["A", "B", "B", "C"]
    assert table["i1"].tolist()[-1] == "1.00 → 50.0"
    assert table["i2"].tolist() == ["10.00 → 48.0", "8.00 → 40.0", "6.00 → 30.0", "缺报"]
    assert table["missing"].tolist()[-1] == "亩均产值"
    assert [w.value for w in at.warning] == [
        "缺报：丁园区：亩均产值。缺报指标的处理：缺报指标不计 0 分："
        "园区按已报指标计分，其权重按比例放大至合计 100，照常排名定级。"]
    assert len(at.get("vega_lite_chart")) == 1
    moves = at.dataframe[1].value.set_index("park")
    # 2023-03: 亩均税收 1, 2, 2.5, 3 and no output → 丁 A, 丙 B, 乙 B, 甲 C
    assert moves.loc["甲园区", "previous"] == "C" and moves.loc["甲园区", "move"] == "↑ 升 2 档"
    assert moves.loc["丁园区", "previous"] == "A" and moves.loc["丁园区", "move"] == "↓ 降 2 档"


def test_adjustment_needs_a_reason_and_is_logged(four_app):
    at = four_app.run()
    at.switch_page(PAGE).run()
    choose_scheme(at, "测试方案")
    form_boxes = [b for b in at.selectbox if b.label in ("园区", "调整为")]
    park_box, class_box = form_boxes
    park_box.select("丙园区")
    class_box.select("A")
    next(ti for ti in at.text_input if ti.label == "调整人").input("张三")
    next(b for b in at.button if b.label == "确认调档").click().run()
    assert any("理由" in e.value for e in at.error), "an adjustment without a reason is refused"
    park_box = next(b for b in at.selectbox if b.label == "园区")
    park_box.select("丙园区")
    next(b for b in at.selectbox if b.label == "调整为").select("A")
    next(ti for ti in at.text_input if ti.label == "调整人").input("张三")
    at.text_area[0].input("公示期异议复核：税收口径更正")
    next(b for b in at.button if b.label == "确认调档").click().run()
    assert not at.exception
    assert any("由 B 调整为 A" in s.value for s in at.success)
    at.run()
    table = at.dataframe[0].value.set_index("park")
    assert (table.loc["丙园区", "initial"], table.loc["丙园区", "final"]) == ("B", "A")
    log = next(d.value for d in at.dataframe if "reason" in d.value.columns)
    assert log[["by", "park", "from", "to", "reason"]].values.tolist() == [
        ["张三", "丙园区", "B", "A", "公示期异议复核：税收口径更正"]]


def test_scheme_editor_refuses_bad_cut_offs_and_saves_a_copy(four_app):
    at = four_app.run()
    at.switch_page(PAGE).run()
    choose_scheme(at, "测试方案")
    next(n for n in at.number_input if n.label == "A：前（%）").set_value(70.0)
    next(b for b in at.button if b.label == "保存方案").click().run()
    assert any("等级界限" in e.value for e in at.error)
    next(n for n in at.number_input if n.label == "A：前（%）").set_value(20.0)
    name = next(ti for ti in at.text_input if ti.label == "方案名称")
    name.input("测试方案（副本）")
    next(b for b in at.button if b.label == "另存为新方案").click().run()
    assert not at.exception and not at.error
    assert "测试方案（副本）" in at.selectbox(key="evaluation:scheme").options
    con = store.connect(store.db_path())
    try:
        saved = {s.name: s for s in ev.list_schemes(con)}
    finally:
        con.close()
    assert [(i.metric, i.weight, i.benchmark, i.cap) for i in saved["测试方案（副本）"].indicators] == [
        ("tax_per_mu", 60, "mean", None), ("output_per_mu", 40, 8.0, 1.2)]


def test_alert_thresholds_saved_in_one_place(four_app):
    at = four_app.run()
    at.switch_page(PAGE).run()
    box = next(n for n in at.number_input if n.label == "主导产业占比下限（%）")
    box.set_value(50.0)
    next(b for b in at.button if b.label == "保存预警设置").click().run()
    assert not at.exception and any("已保存预警设置" in s.value for s in at.success)
    con = store.connect(store.db_path())
    try:
        from parkbench.models import alerts

        assert alerts.settings(con)["leading_share_floor"] == 50
    finally:
        con.close()


def test_home_lists_alerts(four_app):
    at = four_app.run()
    assert not at.exception
    at.select_slider[0].set_value(dt.date(2024, 3, 1)).run()
    alerts_table = at.dataframe[-1].value
    # 亩均税收 1 < 2 × 0.8 for 丁; 亩均产值 6 < 8 × 0.8 = 6.4 for 丙 (mean of 10, 8, 6 is 8)
    assert ("丁园区", "亩均税收 1.00 万元/亩，低于组内平均（2.00 万元/亩）50.0%") in list(
        zip(alerts_table["park"], alerts_table["message"], strict=True))
    assert ("丙园区", "亩均产值 6.00 万元/亩，低于组内平均（8.00 万元/亩）25.0%") in list(
        zip(alerts_table["park"], alerts_table["message"], strict=True))


def test_empty_state(tmp_path, monkeypatch):
    path = tmp_path / "empty.duckdb"
    con = store.connect(path)
    result = store.save(con, parse_path(SAMPLE_C), SAMPLE_C.read_bytes())
    store.undo(con, result.upload_id)
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    monkeypatch.setenv("PARKBENCH_NO_DEMO", "1")  # else an empty store shows the demo database
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert any("还没有数据" in w.value for w in at.warning)


def test_publication_workbook_is_formula_safe(fresh_db):
    rows = [(p, "land_area", "2024-01", "stock", 100) for p in ("=HYPERLINK(\"x\")园区", "乙园区")]
    rows += [("=HYPERLINK(\"x\")园区", "tax", "2024-03", "ytd", 300), ("乙园区", "tax", "2024-03", "ytd", 100)]
    store_rows(fresh_db, rows)
    scheme = ev.Scheme("公示方案", [ev.SchemeIndicator("tax_per_mu", 70),
                                    ev.SchemeIndicator("energy_per_output", 30, direction="lower")]).check()
    ev.save_scheme(fresh_db, scheme)
    long = ev.evaluate_long(fresh_db, scheme, "2024-03")
    results = ev.with_adjustments(fresh_db, scheme, "2024-03", None, ev.wide(long))
    data = evaluation_xlsx(scheme, dt.date(2024, 3, 1), "全部有数据的园区", results, ev.benchmarks(long),
                           dt.date(2024, 4, 1))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "2024年3月 亩均效益综合评价结果"
    assert sheet["C3"].value == "亩均税收（万元/亩）·权重70" and sheet["C4"].value == "数值"
    # 亩均税收 3 and 1, mean 2; 单位产值能耗 unreported → 缺报 in value and score (never 0), and 亩均税收's
    # weight 70 is scaled to 100: 100 × 1.5 = 150 and 100 × 0.5 = 50
    first = [c.value for c in sheet[5]]
    assert first[:6] == [1, "'=HYPERLINK(\"x\")园区", 3, 150, "缺报", "缺报"]
    assert first[6:10] == [150, 1, "A", "A"]
    assert all(not (isinstance(c.value, str) and c.value.startswith("=")) for row in sheet.iter_rows() for c in row)
    assert sheet["L5"].value == "单位产值能耗"
    notes = [c.value for c in sheet["A"] if isinstance(c.value, str)]
    assert "1. 亩均税收（万元/亩）：权重 70，基准 2 万元/亩（参评园区平均），越高越好（数值 ÷ 基准）" in notes
    assert "2. 单位产值能耗（吨标准煤/万元）：权重 30，基准 无（缺报）（参评园区平均），越低越好（基准 ÷ 数值）" in notes


def test_compare_alerts_and_evaluation_say_the_same_peer_set_and_mean(four_app):
    """2024-03: 亩均税收 3, 2, 2, 1 for the four parks, all with a value: the peer
    mean is 8 ÷ 4 = 2.00 on 园区对比, in 预警 and as 综合评价's 参评平均."""
    scope = "对标范围：本期有数值的园区（4 个）"
    at = four_app.run()
    at.select_slider[0].set_value(dt.date(2024, 3, 1)).run()
    assert any(c.value.startswith(scope) for c in at.caption)
    assert any("组内平均（2.00 万元/亩）" in m for m in at.dataframe[-1].value["message"])
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    assert any(c.value.startswith(scope) for c in at.caption)
    assert any(c.value.startswith("园区平均 2.00 万元/亩") for c in at.caption)
    at.switch_page(PAGE).run()
    choose_scheme(at, "测试方案")
    assert not at.exception
    assert any(c.value.startswith(scope) for c in at.caption)
    assert any("2（参评平均）" in c.value for c in at.caption)


ABOVE_100 = "总分因此可超过 100"


def scheme_unclassed_with_a_late_park():
    """To the four parks: 戊园区 with a value in February only, and the scheme
    测试方案 leaving a park with a missing indicator unclassed."""
    con = store.connect(store.db_path())
    try:
        store_rows(con, [("戊园区", "tax", "2024-02", "ytd", 100)])
        chosen = next(s for s in ev.list_schemes(con) if s.name == "测试方案")
        chosen.missing_rule = ev.UNCLASSED
        ev.save_scheme(con, chosen)
    finally:
        con.close()


def test_parks_not_evaluated_are_named_with_why(four_app):
    scheme_unclassed_with_a_late_park()
    at = four_app.run()
    at.switch_page(PAGE).run()
    choose_scheme(at, "测试方案")
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    # 丁 (no 亩均产值) is left unclassed: three parks evaluated, mean 亩均税收 still (3 + 2 + 2 + 1) ÷ 4 = 2;
    # n = 3: A ≤ 1, B ≤ ceil(1.8) = 2, C ≤ 3
    assert table["park"].tolist() == ["甲园区", "乙园区", "丙园区"]
    assert table["total"].tolist() == ["138.00", "100.00", "90.00"]
    assert table["initial"].tolist() == ["A", "B", "C"]
    assert [w.value for w in at.warning] == [
        "未参评园区 2 个（不计分、不排名、不定等级）：本期没有任何数据：戊园区；缺报亩均产值（本方案规定缺报不定等级）：丁园区"]
    assert any("缺报指标的处理：缺报任一指标的园区不计分、不排名、不定等级" in c.value for c in at.caption)
    # the editor shows the scheme's rule
    assert next(r for r in at.radio if r.label == "缺报指标的园区").value == ev.UNCLASSED


def test_a_score_above_100_is_explained_where_scores_are_shown(four_app):
    at = four_app.run()
    at.switch_page(PAGE).run()
    choose_scheme(at, "测试方案")
    total = json.loads(at.dataframe[0].proto.columns)["total"]  # the column's label and help
    assert ABOVE_100 in total["help"] and "基准" in total["help"]
    assert any(ABOVE_100 in c.value for c in at.caption)


def test_the_rule_is_edited_on_the_scheme_page(four_app):
    at = four_app.run()
    at.switch_page(PAGE).run()
    choose_scheme(at, "测试方案")
    next(r for r in at.radio if r.label == "缺报指标的园区").set_value(ev.UNCLASSED)
    next(b for b in at.button if b.label == "保存方案").click().run()
    assert not at.exception and not at.error
    con = store.connect(store.db_path())
    try:
        assert next(s for s in ev.list_schemes(con) if s.name == "测试方案").missing_rule == ev.UNCLASSED
    finally:
        con.close()
    assert at.dataframe[0].value["park"].tolist() == ["甲园区", "乙园区", "丙园区"]


CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
USER_TEXT = ("甲园区", "乙园区", "丙园区", "丁园区", "戊园区", "测试方案")  # typed by users: shown as typed


def without_user_text(text: str) -> str:
    for name in USER_TEXT:
        text = text.replace(name, "")
    return text


def column_texts(frame) -> str:
    """The labels and help texts of a dataframe's columns."""
    config = json.loads(frame.proto.columns)
    return " | ".join(str(c.get(k, "")) for c in config.values() for k in ("label", "help"))


def test_english_shows_no_chinese_but_user_text(four_app):
    scheme_unclassed_with_a_late_park()
    four_app.session_state["english"] = True
    at = four_app.run()
    at.switch_page(PAGE).run()
    labels = at.selectbox(key="evaluation:scheme").options
    assert "Park benchmark (app default)" in labels and "Jiangsu style (Huai'an 2024)" in labels
    choose_scheme(at, "测试方案")
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    shown = [*table.astype(str).to_numpy().ravel(), column_texts(at.dataframe[0]),
             *(w.value for w in at.warning), *(c.value for c in at.caption), *(s.value for s in at.subheader),
             *(r.proto.label for r in at.radio), *(o for r in at.radio for o in r.options)]
    chinese = [x for x in shown if CJK.search(without_user_text(str(x)))]
    assert chinese == []
    assert "Not evaluated: 2 parks (no score, rank or class): no data at all in this period: 戊园区; " \
           "missing Output per mu (the scheme leaves such parks unclassed): 丁园区" in [
               w.value.replace("\\", "") for w in at.warning]
    # a preset with indicators no park reports: 缺报 cells read "not reported", units in English
    choose_scheme(at, "Zhejiang style (above-scale firms, Huangyan, Taizhou 2022)")
    assert not at.exception
    table = at.dataframe[0].value
    assert "not reported" in set(table["i3"])
    columns = column_texts(at.dataframe[0])
    assert "Value added per energy (10k yuan/t standard coal)" in columns
    assert "Value added per emission (10k yuan/t)" in columns
    # every text of every tab: tables (the scheme editor's too), captions, widgets
    assert [x for x in page_texts(at) if CJK.search(without_user_text(x))] == []
    # saving the preset in English keeps its own (Chinese) names for the indicators
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception and not at.error
    con = store.connect(store.db_path())
    try:
        zhejiang = next(s for s in ev.list_schemes(con) if s.name.startswith("浙江式"))
    finally:
        con.close()
    assert [i.label for i in zhejiang.indicators] == [
        "亩均税收", "亩均增加值", "单位能耗增加值", "单位排放增加值", "全员劳动生产率", "R&D占比"]


def page_texts(at) -> list[str]:
    texts = [e.value for kind in ("markdown", "caption", "info", "warning", "subheader", "title", "success")
             for e in getattr(at, kind)]
    for box in [*at.selectbox, *at.radio, *at.multiselect]:
        texts += [box.label, *box.options]
    texts += [e.label for e in [*at.number_input, *at.text_input, *at.text_area, *at.button, *at.tabs]]
    for frame in at.dataframe:
        texts += [column_texts(frame), *frame.value.astype(str).to_numpy().ravel()]
    return [str(x) for x in texts]


def test_publication_workbook_names_parks_not_evaluated_and_the_rule(fresh_db):
    rows = [(p, "land_area", "2024-01", "stock", 100) for p in ("甲园区", "乙园区", "丙园区")]
    rows += [("甲园区", "tax", "2024-03", "ytd", 300), ("甲园区", "output", "2024-03", "ytd", 1000),
             ("乙园区", "tax", "2024-03", "ytd", 100), ("丙园区", "tax", "2024-02", "ytd", 100)]
    store_rows(fresh_db, rows)
    scheme = ev.Scheme("公示方案", [ev.SchemeIndicator("tax_per_mu", 60), ev.SchemeIndicator("output_per_mu", 40)],
                       missing_rule=ev.UNCLASSED).check()
    long = ev.evaluate_long(fresh_db, scheme, "2024-03")
    results = ev.with_adjustments(fresh_db, scheme, "2024-03", None, ev.wide(long))
    data = evaluation_xlsx(scheme, dt.date(2024, 3, 1), "本期有数值的园区", results, ev.benchmarks(long),
                           dt.date(2024, 4, 1), ev.not_evaluated(long))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    # 甲 alone is evaluated (乙 lacks 亩均产值, 丙 reported February only): 亩均税收 3 against the mean
    # (3 + 1) ÷ 2 = 2 → 60 × 1.5 = 90; 亩均产值 10 against its mean 10 → 40; total 130
    assert [c.value for c in sheet[5]][:7] == [1, "甲园区", 3, 90, 10, 40, 130]
    notes = [c.value for c in sheet["A"] if isinstance(c.value, str)]
    assert "未参评园区 2 个：" in notes
    assert "乙园区：缺报亩均产值（本方案规定缺报不定等级）" in notes
    assert "丙园区：本期没有任何数据" in notes
    assert any("缺报任一指标的园区不计分、不排名、不定等级" in n and "总分可超过 100" in n for n in notes)
