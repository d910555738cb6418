"""The upload page through AppTest: empty state, preview, confirm, undo,
refusals, the mapping editor, and user text shown literally. AppTest cannot
drive st.file_uploader, so files are put in the page's pending queue
(ui.pending) directly; tests/browser/test_upload_flow.py covers the widget."""

from __future__ import annotations

import hashlib

import pytest
from conftest import APP, SAMPLE_C, SAMPLE_D, xlsx_bytes
from streamlit.testing.v1 import AppTest

from parkbench import store, upload
from parkbench.ingest import parse_file, parse_path

HOSTILE = ["<script>alert(1)</script>", '=HYPERLINK("x")', "'; DROP TABLE parks; --"]


@pytest.fixture(autouse=True)
def _fresh_caches(clear_caches):
    yield


@pytest.fixture
def db_path(tmp_path, monkeypatch):
    path = tmp_path / "upload.duckdb"
    con = store.connect(path)
    result = store.save(con, parse_path(SAMPLE_C), SAMPLE_C.read_bytes())
    store.undo(con, result.upload_id)  # no demo refill, one undone upload in the history
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    return path


def open_page(files=()):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/upload.py")
    if files:
        at.session_state["upload_pending"] = {hashlib.sha256(d).hexdigest(): (n, d) for n, d in files}
    return at.run()


def button(at, label):
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r} among {[b.label for b in at.button]}"
    return found[0]


def with_db(path, fn):
    """Look at the store the app uses (the app's connection is process-wide)."""
    from ui import data
    con = data._connection(str(path))
    return fn(con.cursor())


def test_empty_state_points_to_templates(db_path):
    at = open_page()
    assert not at.exception
    assert any("还没有选择文件" in i.value for i in at.info)
    assert len(at.get("download_button")) == 5  # templates A-E
    texts = [x.value for x in at.text]
    assert "已撤销" in texts  # the undone upload of the fixture


def test_preview_shows_what_will_be_stored(db_path):
    at = open_page([(SAMPLE_D.name, SAMPLE_D.read_bytes())])
    assert not at.exception
    body = "\n".join(m.value for m in at.markdown)
    assert "D 宽表" in body
    facts = at.dataframe[0].value
    facts = dict(zip(facts.iloc[:, 0], facts.iloc[:, 1], strict=True))
    assert facts["园区（规范名称）"] == "确山县产业集聚区"
    assert "用地面积（亩）" in facts["指标（单位）"] and "亩" in facts["单位（已换算为）"]
    values = at.dataframe[1].value
    land = values[values["indicator"] == "用地面积"].iloc[0]
    assert land["value"] == pytest.approx(15000.0) and land["unit"] == "亩"  # 10 平方公里 stored as 亩
    assert with_db(db_path, lambda c: len(store.list_uploads(c))) == 0  # nothing stored before confirming


def test_confirm_stores_and_undo_restores(db_path):
    at = open_page([(SAMPLE_D.name, SAMPLE_D.read_bytes())])
    version_before = with_db(db_path, store.data_version)
    button(at, "确认导入").click().run()
    assert not at.exception
    assert any("已导入" in s.value for s in at.success)
    assert with_db(db_path, store.data_version) != version_before
    uploads = with_db(db_path, store.list_uploads)
    assert list(uploads["file"]) == [SAMPLE_D.name]
    assert not [b for b in at.button if b.label == "确认导入"], "stored file still offered for confirmation"

    button(at, "撤销").click().run()
    assert any("确认撤销上传" in w.value for w in at.warning)
    assert len(with_db(db_path, store.list_uploads)) == 1  # not before the second step
    button(at, "确认撤销").click().run()
    assert not at.exception
    assert any("已撤销上传" in s.value for s in at.success)
    assert with_db(db_path, lambda c: len(store.list_uploads(c))) == 0
    assert with_db(db_path, store.is_empty)


def test_refused_file_shows_chinese_error_and_cannot_be_confirmed(db_path):
    bad = "园区,统计期,指标,口径,数值,单位\n甲园区,2024-13,税收收入,本月,13,万元\n".encode()
    at = open_page([("坏期间.csv", bad)])
    assert not at.exception
    assert any("坏期间" in e.value and "第 2 行" in e.value for e in at.error)
    assert not [b for b in at.button if b.label == "确认导入"]


def test_mapping_editor_maps_and_remembers(db_path):
    odd = "园区月报,,,\n地区名称,年月份,本期税收(万元),备注\n甲园区,2024-01,12,x\n".encode()
    at = open_page([("odd.csv", odd)])
    assert any("无法识别表头" in e.value for e in at.error)
    assert at.number_input[0].value == 2  # header row guessed
    submit = next(b for b in at.button if "应用此映射" in b.label)
    submit.click().run()
    assert not at.exception
    assert any("已保存列映射" in i.value for i in at.info)
    button(at, "确认导入").click().run()
    stored = with_db(db_path, lambda c: c.execute(
        "select p.name, indicator, value from stg_observations join parks p using (park_id)").fetchall())
    assert stored == [("甲园区", "tax", 12.0)]
    # the next file of the same shape is read without asking
    mappings = with_db(db_path, store.load_mappings)
    again = parse_file("园区月报,,,\n地区名称,年月份,本期税收(万元),备注\n乙园区,2024-02,7,\n".encode(), "next.csv", mappings)
    assert again.family == "M" and again.parks == ["乙园区"]


def test_hostile_names_are_stored_and_shown_literally(db_path):
    rows = "".join(f'"{n.replace(chr(34), chr(34) * 2)}",2024-01,税收收入,本月,5,万元\n' for n in HOSTILE)
    content = ("园区,统计期,指标,口径,数值,单位\n" + rows).encode()
    name = "<script>alert(1)</script>.csv"
    at = open_page([(name, content)])
    assert not at.exception
    assert any(x.value == "文件：" + name for x in at.text)
    facts = at.dataframe[0].value
    parks_text = facts.iloc[0, 1]
    for n in HOSTILE:
        assert n in parks_text
    assert set(at.dataframe[1].value["park"]) == set(HOSTILE)
    button(at, "是，名称如此").click().run()  # '=HYPERLINK("x")' starts like a formula: asked, then meant
    button(at, "确认导入").click().run()
    assert not at.exception
    stored = with_db(db_path, lambda c: {r[0] for r in c.execute("select name from parks").fetchall()})
    assert set(HOSTILE) <= stored
    assert with_db(db_path, lambda c: c.execute("select count(*) from parks").fetchall()[0][0]) > 3  # table intact
    assert name in [x.value for x in at.text]  # history shows the file name as typed
    # st.success renders Markdown: the summary is escaped, so it reads back literally
    success = at.success[0].value
    assert "<script>" not in success and r"\<script\>" in success


def test_history_lists_the_real_store_only_with_undone_marked(tmp_path, monkeypatch):
    path = tmp_path / "real.duckdb"
    con = store.connect(path)
    first = store.save(con, parse_path(SAMPLE_C), SAMPLE_C.read_bytes())
    store.save(con, parse_path(SAMPLE_D), SAMPLE_D.read_bytes())
    store.undo(con, first.upload_id)
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    at = open_page()
    assert not at.exception
    texts = [x.value for x in at.text]
    assert texts.count("已撤销") == 1 and texts.count("有效") == 1
    assert "示例数据" not in texts  # the demo has a database of its own, never in the upload history


def test_preview_build_uses_canonical_names(fresh_db):
    content = "园区,统计期,指标,口径,数值,单位\n寻甸产业园区,2024-01,税收,本月,1.5,亿元\n新园区,2024-01,税收,本月,1,万元\n"
    shown = upload.check(fresh_db, content.encode(), "c.csv")
    assert shown.parks == sorted(["新园区", "寻甸特色产业园区"])
    assert shown.new_parks == ["新园区"]
    assert shown.values.set_index("park").loc["寻甸特色产业园区", "value"] == pytest.approx(15000.0)
    assert shown.indicators == ["税收收入（万元）"]


def test_mapping_editor_periods_across_with_indicator_line(db_path):
    export = ("数据库：园区月度数据\n指标：税收收入累计值(万元)\n填报主体,2024年2月,2024年3月\n"
              "甲园区,20,35\n数据来源：园区统计监测平台\n").encode("gbk")
    at = open_page([("export.csv", export)])
    assert any("无法识别表头" in e.value and "第 1–5 行" in e.value for e in at.error)
    assert at.number_input[0].value == 3  # the row of texts: 填报主体 and the months
    next(c for c in at.checkbox if "表头行是各期间" in c.label).check()
    next(c for c in at.checkbox if "指标：" in c.label).check()
    next(s for s in at.selectbox if s.label.startswith("A 列")).set_value("park")
    next(b for b in at.button if "应用此映射" in b.label).click().run()
    assert not at.exception
    assert any("已保存列映射" in i.value for i in at.info), [e.value for e in at.error]
    button(at, "确认导入").click().run()
    stored = with_db(db_path, lambda c: c.execute(
        "select p.name, indicator, strftime(period, '%Y-%m'), basis, value "
        "from stg_observations join parks p using (park_id) order by period").fetchall())
    assert stored == [("甲园区", "tax", "2024-02", "ytd", 20.0), ("甲园区", "tax", "2024-03", "ytd", 35.0)]


def test_an_identical_file_already_stored_is_said_and_asked_about(db_path):
    """SAMPLE_C was stored and undone by the fixture: not in force, so not asked.
    Stored again, the same bytes are named with the upload's number and need a yes."""
    data = SAMPLE_C.read_bytes()
    at = open_page([(SAMPLE_C.name, data)])
    assert not any("此文件已于" in w.value for w in at.warning)
    button(at, "确认导入").click().run()
    stored = with_db(db_path, lambda con: int(con.execute("select max(upload_id) from uploads").fetchall()[0][0]))

    again = open_page([("重新导出的副本.csv", data)])
    notice = [w.value for w in again.warning if "此文件已于" in w.value]
    from ui.format import plain

    assert len(notice) == 1 and f"上传编号 {stored}" in notice[0] and plain(SAMPLE_C.name) in notice[0]
    assert button(again, "确认导入").disabled
    again.checkbox[0].check().run()
    assert not button(again, "确认导入").disabled


def test_the_upload_verb_names_the_upload_in_force_with_the_same_bytes(fresh_db):
    data = SAMPLE_D.read_bytes()
    assert upload.check(fresh_db, data, SAMPLE_D.name).stored_before is None
    first = upload.store(fresh_db, upload.check(fresh_db, data, SAMPLE_D.name))
    again = upload.check(fresh_db, data, "副本.csv").stored_before
    assert (again.upload_id, again.file_name) == (first.upload_id, SAMPLE_D.name)
    store.undo(fresh_db, first.upload_id)
    assert upload.check(fresh_db, data, SAMPLE_D.name).stored_before is None  # undone: not in force


def test_cli_says_when_the_same_file_is_stored_again(tmp_path):
    from conftest import run_cli

    db = tmp_path / "cli.duckdb"
    assert "此文件已于" not in run_cli("ingest", str(SAMPLE_D), db=db).stdout
    out = run_cli("ingest", str(SAMPLE_D), db=db)
    assert out.returncode == 0 and "提示：此文件已于" in out.stdout and "上传编号 1" in out.stdout


def test_store_all_stores_every_file_without_an_open_question_one_upload_each(db_path):
    """确认全部导入 stores the two clean files; the one whose park name is close to a
    known park (是否为：确山县产业集聚区？) stays with its question."""
    close = "园区,期间,指标,口径,数值,单位\n确山产业集聚区区,2024-03,税收,本月,12,万元\n".encode()
    at = open_page([(SAMPLE_C.name, SAMPLE_C.read_bytes()), (SAMPLE_D.name, SAMPLE_D.read_bytes()),
                    ("相近园区名.csv", close)])
    assert not at.exception
    before = with_db(db_path, lambda con: con.execute("select count(*) from uploads").fetchall()[0][0])
    store_all = button(at, "确认全部导入（2 个文件）（1 个文件有待回答的问题或无法导入，留在下面）")
    store_all.click().run()
    assert not at.exception
    stored = with_db(db_path, lambda con: con.execute(
        "select file_name from uploads order by upload_id").fetchall()[before:])
    assert sorted(r[0] for r in stored) == sorted([SAMPLE_C.name, SAMPLE_D.name])
    assert [name for name, _ in at.session_state["upload_pending"].values()] == ["相近园区名.csv"]
    assert any("是否为：确山县产业集聚区？" in m.value for m in at.markdown)
    assert sum("已导入" in s.value for s in at.success) == 2


def test_two_land_columns_say_which_one_feeds_the_per_mu_metrics(db_path):
    """基本情况表 with 用地面积（亩） and 已供工业用地（亩）: the preview named both
    用地面积 (two values for one park) and called the first unused. It now says
    which column 亩均 divides by and which is kept under its own name."""
    sheet = [["全市工业园区基本情况表"],
             ["序号", "园区", "规划面积（平方公里）", "用地面积（亩）", "已供工业用地（亩）", "截至"],
             [1, "甲园区", 18.03, 12000, 10400, "2023年底"]]
    at = open_page([("基本情况表.xlsx", xlsx_bytes({"基本情况": sheet}))])
    assert not at.exception
    facts = next(d.value for d in at.dataframe if list(d.value.columns) == ["项目", "内容"])
    facts = dict(zip(facts["项目"], facts["内容"], strict=True))
    assert facts["用地面积列"] == "亩均所用：第 E 列（已供工业用地（亩））；按原名另存，不用于亩均：第 D 列（用地面积（亩））"
    shown = facts["指标（单位）"].split("、")
    assert len(shown) == len(set(shown)) == 3, shown
    values = next(d.value for d in at.dataframe if "value" in d.value.columns)
    by_name = dict(zip(values["indicator"], values["value"], strict=True))
    assert by_name["用地面积［亩均所用］"] == 10400 and by_name["用地面积［按原名另存，不用于亩均］"] == 12000
    unused = [m.value for m in at.markdown if "不参与任何指标计算" in m.value]  # 数据审核's list of findings
    assert len(unused) == 1 and "规划面积" in unused[0] and "用地面积（亩）" not in unused[0], unused


def test_a_file_refused_for_a_cell_can_be_stored_with_that_column_ignored(db_path):
    """A text in a number column refused the whole file, and the page offered
    only 移除此文件. It now offers the mapping editor with the faulty column
    already set to 忽略: one click stores the rest, and files of the same
    shape are read the same way from then on."""
    content = "园区,统计期,税收收入(万元),工业投资(万元)\n甲园区,2024-01,12,约5\n乙园区,2024-01,10,6\n".encode()
    at = open_page([("约数.csv", content)])
    assert any("“约5”不是数字" in e.value and "第 D 列" in e.value for e in at.error)
    faulty = next(s for s in at.selectbox if s.label.startswith("D 列"))
    assert faulty.value == "ignore"
    assert next(s for s in at.selectbox if s.label.startswith("C 列")).value != "ignore"
    next(b for b in at.button if "应用此映射" in b.label).click().run()
    assert not at.exception and not at.error
    button(at, "确认导入").click().run()
    stored = with_db(db_path, lambda c: c.execute(
        "select p.name, indicator, value from stg_observations join parks p using (park_id) "
        "where upload_id = (select max(upload_id) from uploads) order by 1").fetchall())
    assert stored == [("乙园区", "tax", 10.0), ("甲园区", "tax", 12.0)]


def test_a_park_name_starting_like_a_formula_is_asked_about_before_storing(db_path):
    """=, +, - or @ at the start of a new park name: stored and shown as typed,
    but the user is asked first, and 确认全部导入 leaves the file until then."""
    formula = "园区,统计期,指标,口径,数值,单位\n=SUM(A1:A3),2024-01,税收收入,本月,5,万元\n".encode()
    at = open_page([("公式.csv", formula), (SAMPLE_D.name, SAMPLE_D.read_bytes())])
    asked = [m.value for m in at.markdown if "像电子表格公式" in m.value]
    assert len(asked) == 1 and "SUM" in asked[0], asked  # (Markdown-escaped: shown as typed)
    assert button(at, "确认导入").disabled
    assert "（1 个文件有待回答的问题或无法导入，留在下面）" in next(b.label for b in at.button if "确认全部导入" in b.label)
    button(at, "是，名称如此").click().run()
    assert not any("像电子表格公式" in m.value for m in at.markdown)
    assert next(b.label for b in at.button if "确认全部导入" in b.label) == "确认全部导入（2 个文件）"
    button(at, "确认全部导入（2 个文件）").click().run()
    assert not at.exception
    stored = with_db(db_path, lambda c: {r[0] for r in c.execute("select name from parks").fetchall()})
    assert "=SUM(A1:A3)" in stored


def test_only_names_starting_like_a_formula_are_asked_about():
    assert upload.formula_like_names(["=1+1", "+86园区", "-园区", "@园区", "甲=园区", "甲园区"]) == [
        "+86园区", "-园区", "=1+1", "@园区"]


def test_several_files_keep_their_long_tables_closed_until_one_is_opened(db_path):
    """With several files chosen, each preview keeps its figures, facts and
    warnings in view and its long tables (values, growth, skipped rows) in a
    closed 明细 expander that makes them only once opened; one file alone
    shows them at once."""
    files = [(SAMPLE_C.name, SAMPLE_C.read_bytes()), (SAMPLE_D.name, SAMPLE_D.read_bytes())]
    at = open_page(files)
    assert not at.exception

    def values_tables():
        return [d.value for d in at.dataframe if "value" in d.value.columns]

    details = [e.label for e in at.expander if e.label.startswith("明细：将保存的数值（")]
    assert len(details) == 2 and values_tables() == []
    assert len([d for d in at.dataframe if list(d.value.columns) == ["项目", "内容"]]) == 2  # the facts stay
    at.session_state[f"details_{hashlib.sha256(SAMPLE_D.read_bytes()).hexdigest()}"] = True  # open D's
    at.run()
    assert not at.exception
    (opened,) = values_tables()
    assert set(opened["park"]) == {"确山县产业集聚区"}  # sample D is 确山's months
    alone = open_page(files[1:])
    assert not [e for e in alone.expander if e.label.startswith("明细：")]
    assert len([d for d in alone.dataframe if "value" in d.value.columns]) == 1


def test_files_chosen_together_are_parsed_once_each_in_one_batch(db_path, monkeypatch):
    """The page previews the queued files together (upload.check_many) and its
    cards find those previews in the cache: one batch, one parse a file."""
    from parkbench.ingest import isolate

    batches, parsed = [], []
    real_many, real_parse = upload.check_many, isolate.parse_upload

    def check_many(con, files, **kwargs):
        batches.append([name for name, _ in files])
        yield from real_many(con, files, **kwargs)

    def parse_upload(data, name, *args, **kwargs):
        parsed.append(name)
        return real_parse(data, name, *args, **kwargs)

    monkeypatch.setattr(upload, "check_many", check_many)
    monkeypatch.setattr(isolate, "parse_upload", parse_upload)
    at = open_page([(SAMPLE_C.name, SAMPLE_C.read_bytes()), (SAMPLE_D.name, SAMPLE_D.read_bytes())])
    assert not at.exception
    assert batches == [[SAMPLE_C.name, SAMPLE_D.name]]
    assert sorted(parsed) == sorted([SAMPLE_C.name, SAMPLE_D.name])
    assert len([d for d in at.dataframe if list(d.value.columns) == ["项目", "内容"]]) == 2


JANUARY = "园区,期间,指标,口径,数值,单位\n甲园区,2025-01,税收,累计,700,万元\n".encode()
FEBRUARY = "园区,期间,指标,口径,数值,单位\n甲园区,2025-02,税收,累计,650,万元\n".encode()
CHECKED_AFTER_ONE = "审核时已计入上方 1 个涉及相同园区的文件"


def test_a_file_chosen_with_the_month_before_is_checked_after_it_and_stored_as_shown(db_path, monkeypatch):
    """January and February chosen together: February's card warns that its
    650 is below January's 700 (what storing both gives) and says it counted
    the file above; 确认全部导入 stores that warning without checking again."""
    from parkbench.models import checks

    at = open_page([("一月.csv", JANUARY), ("二月.csv", FEBRUARY)])
    assert not at.exception
    assert [c.value for c in at.caption if CHECKED_AFTER_ONE in c.value] == [
        CHECKED_AFTER_ONE + "：“确认全部导入”按列表顺序导入，这些文件在本文件之前。"]
    assert any("数据审核：1 条提示" in w.value for w in at.warning)
    runs = []
    real_run = checks.run
    monkeypatch.setattr(checks, "run", lambda *args, **kwargs: runs.append(args) or real_run(*args, **kwargs))
    button(at, "确认全部导入（2 个文件）").click().run()
    assert not at.exception and runs == []
    stored = with_db(db_path, lambda con: con.execute(
        "select u.file_name, w.check_id from uploads u join upload_warnings w using (upload_id) "
        "where u.undone_at is null").fetchall())
    assert stored == [("二月.csv", "cumulative_decrease")]


def test_a_file_above_discarded_sends_the_ones_below_to_be_checked_again(db_path):
    """January discarded: February is previewed again on the store alone,
    where no January is, and warns of nothing."""
    at = open_page([("一月.csv", JANUARY), ("二月.csv", FEBRUARY)])
    assert any("数据审核：1 条提示" in w.value for w in at.warning)
    discard = next(b for b in at.button if b.label == "放弃")
    discard.click().run()
    assert not at.exception
    assert [name for name, _ in at.session_state["upload_pending"].values()] == ["二月.csv"]
    assert not any("数据审核" in w.value for w in at.warning)
    assert not any(CHECKED_AFTER_ONE in c.value for c in at.caption)
    assert any("数据审核：未发现问题" in s.value for s in at.success)
