"""Enterprise columns in the mapping editor (issue 19, item 1): a firm sheet
no enterprise reader recognises (客户 · 信用编码 · 园区归属 · 月份 · 产值（千元） ·
纳税额（元）) is refused with the editor offered; mapped once, it is read as
firms, with units converted, and the next file of the same shape is read
without asking. The expected figures are the fixture's cells worked by hand."""

from __future__ import annotations

import hashlib

import pytest
from conftest import APP, FIXTURES, run_cli
from streamlit.testing.v1 import AppTest

from parkbench import store, upload
from parkbench.ingest import mapped, read_sheets

FILE = FIXTURES / "mapped_firms" / "企业月报_自定义表头.csv"
# 客户, 信用编码, 园区归属, 月份, 产值（千元）, 纳税额（元）, 联系人
FIRM_MAPPING = {0: "enterprise", 1: "credit_code", 2: "park", 3: "period", 4: "wide:output", 5: "wide:tax"}


@pytest.fixture
def con():
    con = store.connect(":memory:")
    yield con
    con.close()


def sheet():
    return read_sheets(FILE.read_bytes(), FILE.name)[0]


def park_flows(con) -> dict[tuple[str, str], float]:
    return {(p, i): v for p, i, v in con.execute(
        "select p.name, f.indicator, f.month_value from int_enterprise_park_flows as f "
        "join parks as p using (park_id) where f.period = date '2024-03-01'").fetchall()}


def test_the_sheet_is_refused_with_the_editor_offered(con):
    preview = upload.check(con, FILE.read_bytes(), FILE.name)
    assert preview.needs_mapping and "无法识别表头" in preview.error and FILE.name in preview.error


def test_the_editor_guesses_the_firm_columns():
    guess = mapped.guess(sheet(), 0)
    assert guess.columns == {0: "enterprise", 1: "credit_code", 2: "park", 3: "period", 4: mapped.IGNORE,
                             5: "wide:tax", 6: mapped.IGNORE}
    assert mapped.role_label("credit_code") == "统一社会信用代码"


def test_the_guess_keeps_park_sheets_park_sheets():
    """客户数 is a count, not a firm's name; a 行业名称 column without a firm column is an
    industry breakdown of a park sheet: neither makes the mapping a firm sheet."""
    import pandas as pd

    from parkbench.ingest.model import Sheet

    cells = pd.DataFrame([["园区", "月份", "客户数", "行业名称", "产值(万元)"], ["东园", "2024-03", 5, "汽车", 10]],
                         dtype=object)
    guess = mapped.guess(Sheet("表", cells), 0)
    assert not guess.is_firm
    assert guess.columns[2] != "enterprise" and guess.columns[3] == mapped.IGNORE


def test_a_mapped_firm_sheet_is_read_as_firms_in_canonical_units(con):
    mapping = mapped.ColumnMapping(0, dict(FIRM_MAPPING))
    assert mapping.is_firm and mapping.problems() == []
    store.save_mapping(con, mapped.signature(sheet().cells, 0), mapping, FILE.name)
    preview = upload.check(con, FILE.read_bytes(), FILE.name, mappings=store.load_mappings(con))
    assert preview.error is None and preview.firm_parsed is not None
    values = preview.firm_parsed.values
    by_firm = {(r.credit_code, r.indicator): r.value for r in values.itertuples()}
    assert by_firm == {("91350626MAJTFLAJ69", "output"): 1200.0, ("91350626MAJTFLAJ69", "tax"): 35.0,
                       ("91350626MAX45U0U57", "output"): 800.0, ("91350626MAX45U0U57", "tax"): 15.0,
                       ("91350626MA89B22H73", "output"): 500.0}  # 千元 ÷ 10, 元 ÷ 10,000; 丙's empty tax left out
    upload.store(con, preview)
    assert park_flows(con) == {("东园", "output"): 2000.0, ("东园", "tax"): 50.0, ("西园", "output"): 500.0}


def test_the_next_file_of_the_same_shape_is_read_without_asking(tmp_path):
    db = tmp_path / "m.duckdb"
    con = store.connect(db)
    store.save_mapping(con, mapped.signature(sheet().cells, 0), mapped.ColumnMapping(0, dict(FIRM_MAPPING)))
    con.close()
    april = FILE.read_text(encoding="utf-8").replace("2024-03", "2024-04").replace("12000", "13000")
    path = tmp_path / "企业月报_4月.csv"
    path.write_text(april, encoding="utf-8")
    out = run_cli("ingest", str(path), db=db)
    assert out.returncode == 0, out.stderr
    con = store.connect(db)
    rows = con.execute("select p.name, f.month_value from int_enterprise_park_flows as f join parks as p "
                       "using (park_id) where f.indicator = 'output' and f.period = date '2024-04-01' "
                       "order by 1").fetchall()
    con.close()
    assert rows == [("东园", 2100.0), ("西园", 500.0)]


def test_a_park_typed_for_the_whole_sheet_fills_every_row(con):
    columns = {c: r for c, r in FIRM_MAPPING.items() if r != "park"}
    mapping = mapped.ColumnMapping(0, columns, fixed_park="南园")
    store.save_mapping(con, mapped.signature(sheet().cells, 0), mapping)
    preview = upload.check(con, FILE.read_bytes(), FILE.name, mappings=store.load_mappings(con))
    assert set(preview.firm_parsed.values["park"]) == {"南园"}
    upload.store(con, preview)
    assert park_flows(con) == {("南园", "output"): 2500.0, ("南园", "tax"): None}  # 丙 has no tax: unknown, not 50


@pytest.mark.parametrize(("columns", "extra", "says"), [
    ({0: "enterprise", 4: "wide:output"}, {}, "企业表的统计期"),
    ({0: "enterprise", 3: "period"}, {}, "请至少指定一个指标列"),
    ({0: "enterprise", 3: "period", 4: "indicator", 5: "value"}, {}, "不要用“指标”“数值”"),
    ({0: "enterprise", 3: "period", 4: "wide:output"}, {"periods_across": True}, "每行一个企业"),
    ({0: "enterprise", 4: "wide:output"}, {"fixed_period": "2024-03"}, "企业表的统计期"),
    ({2: "park", 3: "period", 4: "wide:output", 1: "industry_code"}, {}, "只用于企业表"),
])
def test_an_incomplete_firm_mapping_says_what_is_missing(columns, extra, says):
    problems = mapped.ColumnMapping(0, columns, **extra).problems()
    assert any(says in p for p in problems), problems


def test_the_upload_page_maps_the_firm_columns_and_stores(tmp_path, monkeypatch, clear_caches):
    db = tmp_path / "page.duckdb"
    store.connect(db).close()
    monkeypatch.setenv("PARKBENCH_DB", str(db))
    data = FILE.read_bytes()
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/upload.py")
    at.session_state["upload_pending"] = {hashlib.sha256(data).hexdigest(): (FILE.name, data)}
    at.run()
    assert any("无法识别表头" in e.value for e in at.error)
    guessed = {s.label.split("：")[0]: s.value for s in at.selectbox if s.label.endswith(("客户", "信用编码"))}
    assert guessed == {"A 列": "enterprise", "B 列": "credit_code"}
    next(s for s in at.selectbox if s.label.startswith("E 列")).set_value("wide:output")
    next(b for b in at.button if "应用此映射" in b.label).click().run()
    assert not at.exception
    assert any("已保存列映射" in i.value for i in at.info), [e.value for e in at.error]
    assert any(m.label == "企业（户）" and m.value == "3" for m in at.metric)
    next(b for b in at.button if b.label == "确认导入").click().run()
    assert not at.exception
    con = store.connect(db)
    try:
        assert park_flows(con) == {("东园", "output"): 2000.0, ("东园", "tax"): 50.0, ("西园", "output"): 500.0}
    finally:
        con.close()


def test_the_mapping_editor_in_english_offers_english_roles(tmp_path, monkeypatch, clear_caches):
    from ui.i18n import TOGGLE_KEY

    db = tmp_path / "en.duckdb"
    store.connect(db).close()
    monkeypatch.setenv("PARKBENCH_DB", str(db))
    data = FILE.read_bytes()
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[TOGGLE_KEY] = True
    at.run()
    at.switch_page("pages/upload.py")
    at.session_state["upload_pending"] = {hashlib.sha256(data).hexdigest(): (FILE.name, data)}
    at.run()
    assert not at.exception
    first = next(s for s in at.selectbox if s.label.startswith("Column A"))
    assert first.label.replace("\\", "") == "Column A: 客户"  # plain() escapes the colon for Markdown
    assert "Firm name (企业名称)" in first.options and "Credit code (统一社会信用代码)" in first.options
    from parkbench.catalog import INDICATOR_BY_ID

    assert f"Indicator column: {INDICATOR_BY_ID['output'].en} (10k yuan)" in first.options
    assert not any("指标列" in o or o == "忽略" for o in first.options)
    assert next(o for o in at.radio if o.label == "Values in indicator columns are").options == ["Month", "Year to date"]
