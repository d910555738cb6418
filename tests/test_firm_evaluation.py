"""企业亩均效益评价 (issue 20, item 2): the parks' schemes scored over the firms of
a park, with firms not classed (T), 调档, the class history, rule 5, the command
line and the published workbook. Firm rows go through ``firms.save_firms`` on a
real DuckDB; every score and class is worked by hand below."""

from __future__ import annotations

import datetime as dt
import io
import json

import openpyxl
import pandas as pd
import pytest

from parkbench import cli, store
from parkbench.errors import SchemeError
from parkbench.ingest.enterprise.model import REGISTER_COLUMNS, VALUE_COLUMNS, FirmParsed
from parkbench.models import evaluation as ev
from parkbench.models import firm_evaluation as fe
from parkbench.output.evaluation_export import firm_evaluation_xlsx
from parkbench.store import firms
from parkbench.store.accounts import ADMIN, OPERATOR, VIEW, Account

PARK = "东园"
F1, F2, F3, F4, F5, F6 = (f"91350626MA0000000{n}" for n in range(1, 7))
NAMES = {F1: "甲机械有限公司", F2: "=SUM(A1)", F3: "丙汽车零部件有限公司", F4: "丁食品有限公司",
         F5: "戊供电有限公司", F6: "己新材料有限公司"}
INDUSTRY = {F1: "3411", F2: "3412", F3: "3660", F4: "1310", F5: "4411", F6: "2651"}  # F5: 44 电力 → T


def month(text: str) -> dt.date:
    year, mon = text.split("-")
    return dt.date(int(year), int(mon), 1)


def register(codes, park=PARK, valid_from="2021-01"):
    frame = pd.DataFrame([
        dict(credit_code=code, org_code=None, enterprise=NAMES[code], park=park, industry_code=INDUSTRY[code],
             industry_name=None, above_scale=True, above_scale_since=None, valid_from=month(valid_from),
             sheet="名录", row=n + 3) for n, code in enumerate(codes)], columns=REGISTER_COLUMNS)
    return FirmParsed(f"{park}名录.xlsx", "N5", registers=frame)


def ledger(rows, file_name="台账.xlsx"):
    """rows: (credit code, indicator, 'YYYY-MM', basis, value)."""
    frame = pd.DataFrame([
        dict(credit_code=code, org_code=None, enterprise=NAMES[code], park=None, indicator=indicator,
             period=month(period), basis=basis, value=float(value), sheet="Sheet1", row=n + 2, column="F 列")
        for n, (code, indicator, period, basis, value) in enumerate(rows)], columns=VALUE_COLUMNS)
    return FirmParsed(file_name, "N1", values=frame)


def save(con, parsed):
    return firms.save_firms(con, parsed, repr(parsed).encode() + parsed.file_name.encode())


def firm(code, period, land, tax, revenue):
    return [(code, "land_area", period, "stock", land), (code, "tax", period, "ytd", tax),
            (code, "revenue", period, "ytd", revenue)]


# 亩均税收 against the mean of the firms classed; 亩均营业收入 against a fixed 100 万元/亩.
SCHEME = ev.Scheme(name="企业测试方案", indicators=[
    ev.SchemeIndicator("tax_per_mu", 60, "mean"), ev.SchemeIndicator("revenue_per_mu", 40, 100.0)])
CUTS = fe.Population(cuts=(25.0, 50.0, 75.0))  # four firms classed: A ≤ ⌈1⌉, B ≤ ⌈2⌉, C ≤ ⌈3⌉, D the fourth


def six_firms(con):
    save(con, register([F1, F2, F3, F4, F5, F6]))
    rows = []
    for code in (F1, F2, F3, F4, F5):  # in production since January 2022: over two years by June 2024
        rows.append((code, "tax", "2022-01", "ytd", 1))
    rows.append((F6, "tax", "2023-03", "ytd", 1))  # first month March 2023: 15 months before June 2024 → T
    rows += firm(F1, "2024-06", 10, 50, 2000)   # 亩均税收 5,  亩均营收 200
    rows += firm(F2, "2024-06", 20, 60, 1000)   # 3, 50
    rows += firm(F3, "2024-06", 10, 20, 1500)   # 2, 150
    rows += firm(F4, "2024-06", 5, 5, 500)      # 1, 100
    rows += firm(F5, "2024-06", 10, 100, 100)   # 10, 10 — a utility: T, outside the mean
    rows += firm(F6, "2024-06", 8, 16, 800)     # 2, 100 — under two years: T
    save(con, ledger(rows))


@pytest.fixture
def con():
    con = store.connect(":memory:")
    yield con
    con.close()


@pytest.fixture
def saved_scheme(con):
    scheme = ev.Scheme(name=SCHEME.name, indicators=list(SCHEME.indicators))
    ev.save_scheme(con, scheme)
    return scheme


def by_name(frame):
    return {r["enterprise"]: r for r in frame.to_dict("records")}


def test_six_firms_scored_ranked_and_classed_by_hand(con):
    six_firms(con)
    result = fe.evaluate_firms(con, SCHEME, "2024-06", reader=OPERATOR, population=CUTS)
    rows = by_name(result)
    # Classed: F1–F4. Mean 亩均税收 = (5 + 3 + 2 + 1) ÷ 4 = 2.75 (F5's 10 and F6's 2 are not in it).
    # F1: 60 × 5 ÷ 2.75 = 109.0909 + 40 × 200 ÷ 100 = 80  → 189.0909, rank 1 → A
    # F3: 60 × 2 ÷ 2.75 =  43.6364 + 40 × 150 ÷ 100 = 60  → 103.6364, rank 2 → B
    # F2: 60 × 3 ÷ 2.75 =  65.4545 + 40 ×  50 ÷ 100 = 20  →  85.4545, rank 3 → C
    # F4: 60 × 1 ÷ 2.75 =  21.8182 + 40 × 100 ÷ 100 = 40  →  61.8182, rank 4 → D
    expected = {"甲机械有限公司": (189.0909, 1, "A"), "丙汽车零部件有限公司": (103.6364, 2, "B"),
                "=SUM(A1)": (85.4545, 3, "C"), "丁食品有限公司": (61.8182, 4, "D")}
    for name, (score, rank, klass) in expected.items():
        assert rows[name]["score"] == pytest.approx(score, abs=1e-4)
        assert (rows[name]["rank"], rows[name]["initial_class"], rows[name]["class"]) == (rank, klass, klass)
    assert list(result["enterprise"][:4]) == ["甲机械有限公司", "丙汽车零部件有限公司", "=SUM(A1)", "丁食品有限公司"]
    assert rows["甲机械有限公司"]["tax_per_mu"] == pytest.approx(5.0)
    assert rows["甲机械有限公司"]["land_area"] == pytest.approx(10.0)
    assert rows["甲机械有限公司"]["tax_ytd"] == pytest.approx(50.0)
    assert rows["甲机械有限公司"]["industry"] == "通用设备制造业"  # 大类 34
    assert rows["甲机械有限公司"]["credit_code"] == F1
    # T: not classed, no rank, no score; why kept
    for name, why in (("戊供电有限公司", "utility"), ("己新材料有限公司", "new")):
        assert rows[name]["initial_class"] == "T" and rows[name]["class"] == "T"
        assert pd.isna(rows[name]["rank"]) and pd.isna(rows[name]["score"])
        assert rows[name]["not_classed"] == why
    assert set(result["firms_classed"].dropna()) == {4}
    assert fe.class_d(result)["enterprise"].tolist() == ["丁食品有限公司"]


def test_the_population_options_change_who_is_ranked(con):
    six_firms(con)
    # no T rules: six firms classed; mean 亩均税收 = (5 + 3 + 2 + 1 + 10 + 2) ÷ 6 = 23 ÷ 6
    everyone = fe.Population(utilities_not_classed=False, new_months=None)
    rows = by_name(fe.evaluate_firms(con, SCHEME, "2024-06", reader=OPERATOR, population=everyone))
    # F5: 60 × 10 ÷ (23/6) + 40 × 10 ÷ 100 = 156.5217 + 4 = 160.5217
    assert rows["戊供电有限公司"]["score"] == pytest.approx(60 * 10 / (23 / 6) + 4, abs=1e-4)
    assert rows["戊供电有限公司"]["initial_class"] in ("A", "B", "C", "D")
    # at least 8 亩: F4 (5 亩) left out; 规上 only keeps all six here (all 规上)
    big = fe.evaluate_firms(con, SCHEME, "2024-06", reader=OPERATOR, population=fe.Population(min_land=8))
    assert "丁食品有限公司" not in set(big["enterprise"])
    assert len(big) == 5
    # classes by score: A ≥ 150, B ≥ 100, C ≥ 80, else D (same scores as the first test)
    by_score = fe.Population(class_by="score", cuts=(150, 100, 80))
    rows = by_name(fe.evaluate_firms(con, SCHEME, "2024-06", reader=OPERATOR, population=by_score))
    assert [rows[n]["initial_class"] for n in ("甲机械有限公司", "丙汽车零部件有限公司", "=SUM(A1)", "丁食品有限公司")] == \
        ["A", "B", "C", "D"]


def test_an_adjustment_keeps_both_classes_the_reason_and_who(con, saved_scheme):
    six_firms(con)
    before = by_name(fe.evaluate_firms(con, saved_scheme, "2024-06", reader=OPERATOR, population=CUTS))
    f4 = int(before["丁食品有限公司"]["enterprise_id"])
    row = fe.adjust_firm(con, saved_scheme, "2024-06", f4, "C", "公示期异议复核，税收口径更正", "张三",
                         reader=OPERATOR, population=CUTS)
    assert (row["from_class"], row["to_class"], row["adjusted_by"]) == ("D", "C", "张三")
    after = by_name(fe.evaluate_firms(con, saved_scheme, "2024-06", reader=OPERATOR, population=CUTS))
    f4_row = after["丁食品有限公司"]
    assert (f4_row["initial_class"], f4_row["class"]) == ("D", "C")
    assert f4_row["adjust_reason"] == "公示期异议复核，税收口径更正" and f4_row["adjusted_by"] == "张三"
    viewer = Account("viewer", VIEW, parks=(PARK,))
    with pytest.raises(SchemeError):
        fe.adjust_firm(con, saved_scheme, "2024-06", f4, "B", "理由", "李四", reader=viewer, population=CUTS)
    with pytest.raises(SchemeError):
        fe.adjust_firm(con, saved_scheme, "2024-06", f4, "B", " ", "张三", reader=OPERATOR, population=CUTS)


def test_class_history_and_consecutive_years_in_d(con):
    save(con, register([F1, F2, F3]))
    rows = []
    # land 10 亩 each; scheme 亩均税收 100 against the mean; classes by score A ≥ 120, B ≥ 90, C ≥ 60, else D
    for year, taxes in (("2022", (10, 10, 10)),   # 1, 1, 1 per 亩; mean 1 → 100, 100, 100 → B, B, B
                        ("2023", (20, 8, 2)),     # 2, 0.8, 0.2; mean 1 → 200, 80, 20 → A, C, D
                        ("2024", (20, 8, 2))):    # the same → A, C, D
        for code, tax in zip((F1, F2, F3), taxes, strict=True):
            rows += [(code, "land_area", f"{year}-06", "stock", 10), (code, "tax", f"{year}-06", "ytd", tax)]
    save(con, ledger(rows))
    scheme = ev.Scheme(name="亩均税收", indicators=[ev.SchemeIndicator("tax_per_mu", 100, "mean")])
    population = fe.Population(class_by="score", cuts=(120, 90, 60), new_months=None)
    history = fe.class_history(con, scheme, "2024-06", reader=OPERATOR, population=population)
    rows = {r["enterprise"]: r for r in history.to_dict("records")}
    assert [rows["丙汽车零部件有限公司"][y] for y in ("2022", "2023", "2024")] == ["B", "D", "D"]
    assert rows["丙汽车零部件有限公司"]["years_in_d"] == 2
    assert [rows["甲机械有限公司"][y] for y in ("2022", "2023", "2024")] == ["B", "A", "A"]
    assert rows["甲机械有限公司"]["years_in_d"] == 0
    # by default a firm under two years is T: first month June 2022 is exactly 24 months before June 2024
    # (classed), but 12 months before June 2023 (T)
    default = fe.class_history(con, scheme, "2024-06", reader=OPERATOR,
                               population=fe.Population(class_by="score", cuts=(120, 90, 60)))
    rows = {r["enterprise"]: r for r in default.to_dict("records")}
    assert [rows["丙汽车零部件有限公司"][y] for y in ("2022", "2023", "2024")] == ["T", "T", "D"]
    assert rows["丙汽车零部件有限公司"]["years_in_d"] == 1


def test_an_account_of_another_park_sees_no_firm(con, saved_scheme):
    six_firms(con)
    save(con, register([F1], park="西园", valid_from="2019-01"))  # the park exists; F1 moves later to 东园
    other = Account("xiyuan", VIEW, parks=("西园",))
    assert fe.evaluate_firms(con, SCHEME, "2024-06", reader=other).empty
    own = Account("dongyuan", VIEW, parks=(PARK,))
    assert len(fe.evaluate_firms(con, SCHEME, "2024-06", reader=own)) == 6
    assert len(fe.evaluate_firms(con, SCHEME, "2024-06", reader=Account("admin", ADMIN))) == 6
    f4 = int(by_name(fe.evaluate_firms(con, saved_scheme, "2024-06", reader=OPERATOR, population=CUTS))
             ["丁食品有限公司"]["enterprise_id"])
    fe.adjust_firm(con, saved_scheme, "2024-06", f4, "C", "复核", "张三", reader=OPERATOR, population=CUTS)
    assert fe.firm_adjustments(con, saved_scheme.scheme_id, reader=other).empty
    assert len(fe.firm_adjustments(con, saved_scheme.scheme_id, reader=own)) == 1


def test_the_command_line_prints_each_firm(tmp_path, capsys):
    db = tmp_path / "store.duckdb"
    con = store.connect(str(db))
    six_firms(con)
    con.close()
    scheme_file = tmp_path / "scheme.json"
    scheme_file.write_text(json.dumps(SCHEME.to_json() | {"classes": {"A": 25, "B": 50, "C": 75}}),
                           encoding="utf-8")
    assert cli.main(["evaluate", "--db", str(db), "--level", "enterprise", "--scheme", str(scheme_file),
                     "--period", "2024-06", "--park", PARK, "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [(r["enterprise"], r["rank"], r["class"]) for r in records[:4]] == [
        ("甲机械有限公司", 1, "A"), ("丙汽车零部件有限公司", 2, "B"), ("=SUM(A1)", 3, "C"), ("丁食品有限公司", 4, "D")]
    assert records[0] == {"park": PARK, "enterprise": "甲机械有限公司", "credit_code": F1,
                          "score": pytest.approx(189.090909, abs=1e-5), "rank": 1, "class": "A"}
    assert {r["enterprise"]: r["class"] for r in records[4:]} == {"戊供电有限公司": "T", "己新材料有限公司": "T"}
    out = tmp_path / "firms.xlsx"
    assert cli.main(["evaluate", "--db", str(db), "--level", "enterprise", "--scheme", str(scheme_file),
                     "--period", "2024-06", "--format", "xlsx", "--out", str(out)]) == 0
    assert openpyxl.load_workbook(out).active.cell(4, 2).value == "甲机械有限公司"


def test_the_workbook_is_formula_safe(con):
    six_firms(con)
    result = fe.evaluate_firms(con, SCHEME, "2024-06", reader=OPERATOR, population=CUTS)
    data = firm_evaluation_xlsx(SCHEME, dt.date(2024, 6, 1), PARK, result, dt.date(2024, 7, 1))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    header = [c.value for c in sheet[3]]
    assert header[:7] == ["序号", "企业名称", "统一社会信用代码", "行业", "用地面积（亩）", "税收（万元）", "亩均税收（万元/亩）"]
    # the scheme's 亩均税收 is shown once; its other indicator follows with its unit
    assert header[7:] == ["亩均营业收入（万元/亩）", "得分", "初评等级", "等级", "调档理由"]
    names = [sheet.cell(r, 2).value for r in range(4, 10)]
    assert "'=SUM(A1)" in names  # written as text, never a formula
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    t_rows = {sheet.cell(r, 2).value: sheet.cell(r, len(header)).value for r in range(4, 10)}
    assert t_rows["戊供电有限公司"].startswith("公用事业")


@pytest.fixture
def firm_app(tmp_path, monkeypatch, clear_caches):
    from conftest import APP
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "firms.duckdb"
    con = store.connect(str(path))
    six_firms(con)
    ev.save_scheme(con, ev.Scheme(name=SCHEME.name, indicators=list(SCHEME.indicators), classes=(25, 50, 75)))
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    monkeypatch.setenv("PARKBENCH_NO_DEMO", "1")
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("pages/evaluation.py").run()
    scheme = at.selectbox(key="evaluation:scheme")
    scheme.select_index(scheme.options.index(SCHEME.name)).run()
    return at


def firm_mode(at):
    at.button_group(key="evaluation:object").set_value("firms").run()
    assert not at.exception
    return at


def test_the_page_shows_the_firms_of_a_park(firm_app):
    at = firm_mode(firm_app)
    assert any("企业综合评价结果" in h.value for h in at.subheader)
    table = at.dataframe[0].value
    assert len(table) == 6
    first = table.iloc[0]
    assert (first["enterprise"], first["initial"], first["final"]) == ("甲机械有限公司", "A", "A")
    assert round(first["score"], 4) == 189.0909  # worked by hand in test_six_firms_scored_ranked_and_classed_by_hand
    assert set(table["final"]) == {"A", "B", "C", "D", "T"}
    at.toggle(key="evaluation:firms:history").set_value(True).run()
    assert not at.exception
    assert any("历年等级" in h.value for h in at.subheader)


def test_the_page_says_when_no_firm_is_in_the_population(firm_app):
    at = firm_mode(firm_app)
    at.number_input(key="evaluation:firms:min_land").set_value(1000.0).run()
    assert not at.exception
    assert any("没有可评价的企业数据" in i.value for i in at.info)
