"""亩均效益综合评价 on a real in-memory DuckDB: scores, ranks and classes
computed by hand for small groups, schemes stored and checked, 调档 and its
audit list, class moves, and the evaluate CLI."""

from __future__ import annotations

import json

import pytest
from conftest import run_cli, store_rows

from parkbench import store
from parkbench.models import evaluation as ev
from parkbench.models import peers

pytestmark = pytest.mark.both_stores  # store tests: on DuckDB and on PostgreSQL (conftest)


def scheme(*indicators, classes=(20, 60, 95), name="测试方案"):
    return ev.Scheme(name=name, indicators=[ev.SchemeIndicator(**i) for i in indicators], classes=classes).check()


def by_park(records):
    return {r["park"]: r for r in records}


def land(parks, period="2024-01"):
    return [(p, "land_area", period, "stock", 100) for p in parks]


# ---------------------------------------------------------------- n = 1

def test_a_single_park_scores_against_itself_and_is_a(fresh_db):
    store_rows(fresh_db, [*land(["甲园区"]), ("甲园区", "tax", "2024-03", "ytd", 250)])
    result = ev.evaluate(fresh_db, scheme({"metric": "tax_per_mu", "weight": 100}), "2024-03")
    # 亩均税收 2.5 against the mean 2.5 → ratio 1 → 100 points; rank 1 ≤ ceil(1 × 20 %) = 1 → A
    assert result == [{"park": "甲园区", "score": pytest.approx(100.0), "rank": 1, "class": "A", "missing": []}]


# ---------------------------------------------------------------- n = 4: mean, number, cap, a missing value

FOUR = ["甲园区", "乙园区", "丙园区", "丁园区"]


@pytest.fixture
def four(fresh_db):
    rows = land(FOUR)
    rows += [(p, "tax", "2024-03", "ytd", v) for p, v in zip(FOUR, (300, 200, 200, 100), strict=True)]
    # 丁 reports no output: 亩均产值 missing
    rows += [(p, "output", "2024-03", "ytd", v) for p, v in zip(FOUR[:3], (1000, 800, 600), strict=True)]
    store_rows(fresh_db, rows)
    return fresh_db


FOUR_SCHEME = (
    {"metric": "tax_per_mu", "weight": 60, "benchmark": "mean"},
    {"metric": "output_per_mu", "weight": 40, "benchmark": 8, "cap": 1.2},
)


def test_four_parks_mean_number_cap_and_missing(four):
    result = by_park(ev.evaluate(four, scheme(*FOUR_SCHEME), "2024-03"))
    # 亩均税收 3, 2, 2, 1 (mean 2): 60 × 1.5 = 90, 60, 60, 30
    # 亩均产值 10, 8, 6, — against 8, cap 1.2: 40 × 1.2 = 48 (1.25 capped), 40, 30, 缺报
    # 丁 is scored on 亩均税收 alone, its weight 60 scaled to 100: 100 × 1 ÷ 2 = 50 (not 30 + 0)
    assert {p: r["score"] for p, r in result.items()} == pytest.approx(
        {"甲园区": 138.0, "乙园区": 100.0, "丙园区": 90.0, "丁园区": 50.0})
    assert {p: r["rank"] for p, r in result.items()} == {"甲园区": 1, "乙园区": 2, "丙园区": 3, "丁园区": 4}
    # n = 4: A ≤ ceil(0.8) = 1, B ≤ ceil(2.4) = 3, C ≤ ceil(3.8) = 4: the top of four is A
    assert {p: r["class"] for p, r in result.items()} == {"甲园区": "A", "乙园区": "B", "丙园区": "B", "丁园区": "C"}
    assert result["丁园区"]["missing"] == ["output_per_mu"]
    assert result["甲园区"]["missing"] == []


def test_indicator_rows_carry_value_benchmark_ratio_and_score(four):
    long = ev.evaluate_long(four, scheme(*FOUR_SCHEME), "2024-03")
    row = long[(long["park"] == "甲园区") & (long["metric"] == "output_per_mu")].iloc[0]
    assert row["value"] == pytest.approx(10.0) and row["benchmark"] == pytest.approx(8.0)
    assert row["ratio"] == pytest.approx(1.2) and row["score"] == pytest.approx(48.0)
    assert ev.benchmarks(long) == pytest.approx({1: 2.0, 2: 8.0})


def test_an_unknown_metric_is_missing_for_everyone_not_dropped(four):
    s = scheme({"metric": "tax_per_mu", "weight": 70}, {"metric": "value_added_per_emission", "weight": 30,
                                                         "benchmark": 4929.81, "label": "单位排放增加值"})
    result = by_park(ev.evaluate(four, s, "2024-03"))
    # 缺报 for all: 亩均税收 alone, weight 70 scaled to 100: 100 × (3, 2, 2, 1) ÷ 2
    assert {p: r["score"] for p, r in result.items()} == pytest.approx(
        {"甲园区": 150.0, "乙园区": 100.0, "丙园区": 100.0, "丁园区": 50.0})
    assert all(r["missing"] == ["value_added_per_emission"] for r in result.values())


def test_a_peer_group_limits_the_parks_and_the_mean(four):
    peers.save_group(four, "两园", ["乙园区", "丁园区"])
    result = by_park(ev.evaluate(four, scheme({"metric": "tax_per_mu", "weight": 100}), "2024-03", group="两园"))
    # mean of 2 and 1 = 1.5: 100 × 2 ÷ 1.5 = 133.33, 100 × 1 ÷ 1.5 = 66.67; n = 2: A ≤ 1, B ≤ 2
    assert set(result) == {"乙园区", "丁园区"}
    assert result["乙园区"]["score"] == pytest.approx(133.333333, abs=1e-5)
    assert result["丁园区"]["score"] == pytest.approx(66.666667, abs=1e-5)
    assert (result["乙园区"]["class"], result["丁园区"]["class"]) == ("A", "B")


# ---------------------------------------------------------------- lower is better

def test_lower_is_better_inverts_the_ratio(fresh_db):
    rows = [(p, "output", "2024-03", "ytd", 1000) for p in FOUR]
    rows += [(p, "energy", "2024-03", "ytd", v) for p, v in zip(FOUR[:3], (50, 100, 200), strict=True)]
    store_rows(fresh_db, rows)
    # 单位产值能耗 0.05, 0.10, 0.20 吨标准煤/万元, 丁 missing; mean 0.35 ÷ 3 = 0.116667
    mean = 0.35 / 3
    s = scheme({"metric": "energy_per_output", "weight": 100, "direction": "lower", "cap": 1.5})
    result = by_park(ev.evaluate(fresh_db, s, "2024-03"))
    assert {p: r["score"] for p, r in result.items() if r["rank"]} == pytest.approx(
        {"甲园区": 150.0,                       # 0.116667 ÷ 0.05 = 2.33, capped at 1.5
         "乙园区": 100 * mean / 0.10,           # 116.67
         "丙园区": 100 * mean / 0.20}, abs=1e-5)  # 58.33
    assert [result[p]["rank"] for p in FOUR[:3]] == [1, 2, 3]
    # 丁 lacks the scheme's one indicator: nothing to score it on, so not evaluated (not 0 points)
    assert result["丁园区"] == {"park": "丁园区", "score": None, "rank": None, "class": None,
                               "missing": ["energy_per_output"], "not_evaluated": "no_indicator"}
    # 'max' is the best unit: for lower-is-better the smallest value, 0.05 → 100, 50, 25
    best = scheme({"metric": "energy_per_output", "weight": 100, "direction": "lower", "benchmark": "max"})
    assert {r["park"]: r["score"] for r in ev.evaluate(fresh_db, best, "2024-03")} == pytest.approx(
        {"甲园区": 100.0, "乙园区": 50.0, "丙园区": 25.0, "丁园区": None})


# ---------------------------------------------------------------- n = 5: ties, class cut-offs

FIVE = {"甲园区": 300, "乙园区": 200, "丙园区": 200, "丁园区": 100, "戊园区": 90}


@pytest.fixture
def five(fresh_db):
    store_rows(fresh_db, land(FIVE) + [(p, "tax", "2024-03", "ytd", v) for p, v in FIVE.items()])
    return fresh_db


def test_five_parks_ties_share_a_rank(five):
    s = scheme({"metric": "tax_per_mu", "weight": 100, "benchmark": "max"})
    result = by_park(ev.evaluate(five, s, "2024-03"))
    # 100 × (3, 2, 2, 1, 0.9) ÷ 3
    assert {p: r["score"] for p, r in result.items()} == pytest.approx(
        {"甲园区": 100.0, "乙园区": 66.666667, "丙园区": 66.666667, "丁园区": 33.333333, "戊园区": 30.0}, abs=1e-5)
    assert {p: r["rank"] for p, r in result.items()} == {"甲园区": 1, "乙园区": 2, "丙园区": 2, "丁园区": 4, "戊园区": 5}
    # n = 5: A ≤ ceil(1) = 1, B ≤ ceil(3) = 3, C ≤ ceil(4.75) = 5: no D in a group of five
    assert {p: r["class"] for p, r in result.items()} == {
        "甲园区": "A", "乙园区": "B", "丙园区": "B", "丁园区": "C", "戊园区": "C"}
    # Anhui's 25/70/95: A ≤ ceil(1.25) = 2, B ≤ ceil(3.5) = 4, C ≤ 5
    anhui = scheme({"metric": "tax_per_mu", "weight": 100, "benchmark": "max"}, classes=(25, 70, 95))
    assert {r["park"]: r["class"] for r in ev.evaluate(five, anhui, "2024-03")} == {
        "甲园区": "A", "乙园区": "A", "丙园区": "A", "丁园区": "B", "戊园区": "C"}


# ---------------------------------------------------------------- n = 20

def test_twenty_parks_class_counts(fresh_db):
    names = [f"园区{k:02d}" for k in range(1, 21)]
    # park k: tax 100 × k on 100 亩 → 亩均税收 k; against the best (20): score 5k, rank 21 − k
    store_rows(fresh_db, land(names) + [(p, "tax", "2024-03", "ytd", 100 * k) for k, p in enumerate(names, 1)])
    result = by_park(ev.evaluate(fresh_db, scheme({"metric": "tax_per_mu", "weight": 100, "benchmark": "max"}),
                                 "2024-03"))
    assert result["园区07"]["score"] == pytest.approx(35.0) and result["园区07"]["rank"] == 14
    # A ≤ ceil(4) = 4, B ≤ ceil(12) = 12, C ≤ ceil(19) = 19, D rank 20
    expected = {p: "A" if k >= 17 else "B" if k >= 9 else "C" if k >= 2 else "D" for k, p in enumerate(names, 1)}
    assert {p: r["class"] for p, r in result.items()} == expected
    # 25/70/95: A ≤ 5, B ≤ 14, C ≤ 19 (n × 70 % = 14 exactly, no rounding up past it)
    anhui = by_park(ev.evaluate(fresh_db, scheme({"metric": "tax_per_mu", "weight": 100, "benchmark": "max"},
                                                 classes=(25, 70, 95)), "2024-03"))
    counts = {c: sum(r["class"] == c for r in anhui.values()) for c in "ABCD"}
    assert counts == {"A": 5, "B": 9, "C": 5, "D": 1}


def test_ten_parks_seventy_percent_is_seven_not_eight(fresh_db):
    names = [f"园区{k:02d}" for k in range(1, 11)]
    store_rows(fresh_db, land(names) + [(p, "tax", "2024-03", "ytd", 100 * k) for k, p in enumerate(names, 1)])
    s = scheme({"metric": "tax_per_mu", "weight": 100, "benchmark": "max"}, classes=(25, 70, 95))
    ranks = {r["rank"]: r["class"] for r in ev.evaluate(fresh_db, s, "2024-03")}
    # 10 × 70 % = 7 (7.000000000000001 in floating point): rank 7 is B, rank 8 C; A ≤ ceil(2.5) = 3
    assert [ranks[k] for k in range(1, 11)] == ["A", "A", "A", "B", "B", "B", "B", "C", "C", "C"]


# ---------------------------------------------------------------- schemes: checks, storage, presets

def test_scheme_checks_in_chinese():
    with pytest.raises(ev.SchemeError, match="权重合计须为 100"):
        scheme({"metric": "tax_per_mu", "weight": 60}, {"metric": "output_per_mu", "weight": 30})
    with pytest.raises(ev.SchemeError, match="基准"):
        scheme({"metric": "tax_per_mu", "weight": 100, "benchmark": "median"})
    with pytest.raises(ev.SchemeError, match="封顶"):
        scheme({"metric": "tax_per_mu", "weight": 100, "cap": 0})
    with pytest.raises(ev.SchemeError, match="重复"):
        scheme({"metric": "tax_per_mu", "weight": 50}, {"metric": "tax_per_mu", "weight": 50})
    with pytest.raises(ev.SchemeError, match="等级界限"):
        scheme({"metric": "tax_per_mu", "weight": 100}, classes=(60, 20, 95))
    with pytest.raises(ev.SchemeError, match="方向"):
        scheme({"metric": "tax_per_mu", "weight": 100, "direction": "down"})


def test_scheme_json_of_the_cli():
    s = ev.scheme_from_json({"name": "县评", "indicators": [
        {"metric": "tax_per_mu", "weight": 50, "benchmark": "mean", "cap": 1.2},
        {"metric": "energy_per_output", "weight": 50, "benchmark": 0.3, "direction": "lower"}],
        "classes": {"A": 25, "B": 70, "C": 95}})
    assert s.classes == (25.0, 70.0, 95.0)
    assert [(i.metric, i.benchmark_kind, i.benchmark_value, i.cap, i.direction) for i in s.indicators] == [
        ("tax_per_mu", "mean", None, 1.2, "higher"), ("energy_per_output", "value", 0.3, None, "lower")]
    assert ev.scheme_from_json(s.to_json()).to_json() == s.to_json()
    loose = ev.scheme_from_json({"name": "x", "indicators": [{"metric": "tax_per_mu", "weight": 100,
                                                                "benchmark": "Best", "direction": "Lower"}]})
    assert (loose.indicators[0].benchmark, loose.indicators[0].direction) == ("max", "lower")


def test_presets_are_stored_and_editable(fresh_db):
    schemes = {s.name: s for s in ev.list_schemes(fresh_db)}
    assert set(schemes) == {"园区对标（本应用默认）", "浙江式（规上，台州黄岩 2022）",
                            "江苏式（淮安 2024）", "安徽式（一市规上）"}
    default = schemes["园区对标（本应用默认）"]
    assert [(i.metric, i.weight, i.benchmark) for i in default.indicators] == [
        ("tax_per_mu", 40, "mean"), ("output_per_mu", 25, "mean"), ("leading_share", 15, "mean"),
        ("output_ytd_yoy", 10, 10.0), ("tax_ytd_yoy", 10, 10.0)]
    assert schemes["安徽式（一市规上）"].classes == (25, 70, 95)
    for s in schemes.values():
        assert sum(i.weight for i in s.indicators) == pytest.approx(100), s.name
        s.check()
    zhejiang = schemes["浙江式（规上，台州黄岩 2022）"]
    assert [i.label for i in zhejiang.indicators] == [
        "亩均税收", "亩均增加值", "单位能耗增加值", "单位排放增加值", "全员劳动生产率", "R&D占比"]
    # edit a preset: change a weight pair and the cut-offs, save, read back
    default.indicators[0].weight, default.indicators[1].weight = 50, 15
    default.indicators[0].cap = 1.5
    default.classes = (25, 70, 95)
    ev.save_scheme(fresh_db, default)
    again = ev.load_scheme(fresh_db, default.scheme_id)
    assert (again.indicators[0].weight, again.indicators[0].cap, again.classes) == (50, 1.5, (25, 70, 95))
    assert again.is_preset


def test_saving_and_deleting_schemes(fresh_db):
    s = scheme({"metric": "tax_per_mu", "weight": 100}, name="本县方案")
    scheme_id = ev.save_scheme(fresh_db, s)
    assert ev.load_scheme(fresh_db, scheme_id).name == "本县方案"
    clash = scheme({"metric": "tax_per_mu", "weight": 100}, name="本县方案")
    with pytest.raises(ev.SchemeError, match="已有名为"):
        ev.save_scheme(fresh_db, clash)
    ev.delete_scheme(fresh_db, scheme_id)
    assert "本县方案" not in {x.name for x in ev.list_schemes(fresh_db)}


def test_presets_on_parks_lacking_their_indicators_list_them_as_missing(four):
    zhejiang = next(s for s in ev.list_schemes(four) if s.name.startswith("浙江式"))
    result = by_park(ev.evaluate(four, zhejiang, "2024-03"))
    # 亩均税收 annualised: 3 × 12 ÷ 3 = 12 against 24.097; everything else unreported, so the
    # weight 30 is scaled to 100: 100 × 12 ÷ 24.097
    assert result["甲园区"]["score"] == pytest.approx(100 * 12 / 24.097, abs=1e-5)
    assert result["甲园区"]["missing"] == ["value_added_per_mu", "value_added_per_energy",
                                          "value_added_per_emission", "labour_productivity", "rd_intensity"]


# ---------------------------------------------------------------- 调档 and its audit list

def test_adjustment_keeps_initial_and_adjusted_class_and_an_audit_list(four):
    s = scheme(*FOUR_SCHEME)
    ev.save_scheme(four, s)
    with pytest.raises(ev.SchemeError, match="理由"):
        ev.adjust(four, s, "2024-03", None, "丙园区", "A", "  ", "张三")
    with pytest.raises(ev.SchemeError, match="调整人"):
        ev.adjust(four, s, "2024-03", None, "丙园区", "A", "理由", "")
    with pytest.raises(ev.SchemeError, match="已是 B"):
        ev.adjust(four, s, "2024-03", None, "丙园区", "B", "理由", "张三")
    ev.adjust(four, s, "2024-03", None, "丙园区", "A", "异议复核：税收口径更正", "张三")
    ev.adjust(four, s, "2024-03", None, "丙园区", "C", "复核撤回", "李四")
    audit = ev.adjustments(four, s.scheme_id, "2024-03")
    assert audit[["park", "from_class", "to_class", "reason", "adjusted_by"]].values.tolist() == [
        ["丙园区", "B", "A", "异议复核：税收口径更正", "张三"],
        ["丙园区", "A", "C", "复核撤回", "李四"]]
    assert audit["adjusted_at"].notna().all()
    results = ev.with_adjustments(four, s, "2024-03", None, ev.wide(ev.evaluate_long(four, s, "2024-03")))
    row = results[results["park"] == "丙园区"].iloc[0]
    assert (row["initial_class"], row["final_class"], row["reason"]) == ("B", "C", "复核撤回")
    untouched = results[results["park"] == "甲园区"].iloc[0]
    assert (untouched["initial_class"], untouched["final_class"]) == ("A", "A")
    # another period or peer set is not affected
    assert ev.adjustments(four, s.scheme_id, "2024-02").empty
    assert ev.adjustments(four, s.scheme_id, "2024-03", group="某组").empty


def test_class_moves_since_the_previous_year(fresh_db):
    parks = ["甲园区", "乙园区", "丙园区"]
    rows = land(parks, "2023-01")
    rows += [(p, "tax", "2023-03", "ytd", v) for p, v in zip(parks, (100, 300, 200), strict=True)]
    rows += [(p, "tax", "2024-03", "ytd", v) for p, v in zip(parks, (300, 100, 200), strict=True)]
    store_rows(fresh_db, rows)
    s = scheme({"metric": "tax_per_mu", "weight": 100, "benchmark": "max"})
    moves = ev.class_moves(fresh_db, s, "2024-03").set_index("park")
    # n = 3: A ≤ 1, B ≤ 2, C ≤ 3. 2023: 乙 A, 丙 B, 甲 C; 2024: 甲 A, 丙 B, 乙 C
    assert moves.loc["甲园区", ["previous", "current", "move"]].tolist() == ["C", "A", 2]
    assert moves.loc["乙园区", ["previous", "current", "move"]].tolist() == ["A", "C", -2]
    assert moves.loc["丙园区", ["previous", "current", "move"]].tolist() == ["B", "B", 0]


# ---------------------------------------------------------------- CLI

def test_evaluate_cli_prints_the_contract(tmp_path, new_db):
    db = new_db("eval")
    con = store.connect(db)
    rows = land(FOUR) + [(p, "tax", "2024-03", "ytd", v) for p, v in zip(FOUR, (300, 200, 200, 100), strict=True)]
    rows += [(p, "output", "2024-03", "ytd", v) for p, v in zip(FOUR[:3], (1000, 800, 600), strict=True)]
    store_rows(con, rows)
    peers.save_group(con, "三园", ["甲园区", "乙园区", "丁园区"])
    con.close()
    path = tmp_path / "scheme.json"
    path.write_text(json.dumps({"name": "t", "indicators": [
        {"metric": "tax_per_mu", "weight": 60, "benchmark": "mean"},
        {"metric": "output_per_mu", "weight": 40, "benchmark": 8, "cap": 1.2}],
        "classes": {"A": 20, "B": 60, "C": 95}}), encoding="utf-8")
    out = run_cli("evaluate", "--scheme", str(path), "--period", "2024-03", "--format", "json", db=db)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [
        {"park": "甲园区", "score": 138.0, "rank": 1, "class": "A", "missing": []},
        {"park": "乙园区", "score": 100.0, "rank": 2, "class": "B", "missing": []},
        {"park": "丙园区", "score": 90.0, "rank": 3, "class": "B", "missing": []},
        {"park": "丁园区", "score": 50.0, "rank": 4, "class": "C", "missing": ["output_per_mu"]}]
    # a group: mean 亩均税收 of 3, 2, 1 = 2 again; n = 3: A ≤ 1, B ≤ 2, C ≤ 3
    out = run_cli("evaluate", "--scheme", str(path), "--period", "2024-03", "--group", "三园", "--format", "json",
                  db=db)
    assert [(r["park"], r["score"], r["class"]) for r in json.loads(out.stdout)] == [
        ("甲园区", 138.0, "A"), ("乙园区", 100.0, "B"), ("丁园区", 50.0, "C")]


def test_evaluate_cli_refusals_in_chinese(tmp_path, new_db):
    db = new_db("eval")
    store.connect(db).close()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "t", "indicators": [{"metric": "tax_per_mu", "weight": 90}]}), encoding="utf-8")
    out = run_cli("evaluate", "--scheme", str(bad), "--period", "2024-03", "--format", "json", db=db)
    assert out.returncode == 1 and "权重合计须为 100" in out.stderr and "Traceback" not in out.stderr
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"name": "t", "indicators": [{"metric": "tax_per_mu", "weight": 100}]}),
                    encoding="utf-8")
    out = run_cli("evaluate", "--scheme", str(good), "--period", "2024-03", "--group", "无此组", db=db)
    assert out.returncode == 1 and "无此组" in out.stderr
    out = run_cli("evaluate", "--scheme", str(tmp_path / "none.json"), "--period", "2024-03", db=db)
    assert out.returncode == 1 and "无法读取方案文件" in out.stderr


def test_benchmarks_are_shown_as_written():
    assert [ev.plain_number(x) for x in (24.097, 4929.81, 10.0, 136.16, 0.35 / 3)] == [
        "24.097", "4,929.81", "10", "136.16", "0.1167"]


def test_efficiency_metrics_from_energy_rd_and_employees(fresh_db):
    from conftest import metric

    p = "甲园区"
    store_rows(fresh_db, [(p, "value_added", "2024-06", "ytd", 600), (p, "energy", "2024-06", "ytd", 200),
                          (p, "tax", "2024-06", "ytd", 100), (p, "revenue", "2024-06", "ytd", 2000),
                          (p, "rd_spend", "2024-06", "ytd", 50), (p, "output", "2024-06", "ytd", 3000),
                          (p, "employees", "2024-06", "stock", 100)])
    assert metric(fresh_db, p, "2024-06", "energy_per_output") == pytest.approx(200 / 3000)   # 吨标准煤/万元
    assert metric(fresh_db, p, "2024-06", "value_added_per_energy") == pytest.approx(3.0)     # 600 ÷ 200
    assert metric(fresh_db, p, "2024-06", "tax_per_energy") == pytest.approx(0.5)             # 100 ÷ 200
    assert metric(fresh_db, p, "2024-06", "labour_productivity") == pytest.approx(12.0)       # 600 × 12 ÷ 6 ÷ 100
    assert metric(fresh_db, p, "2024-06", "rd_intensity") == pytest.approx(2.5)               # 100 × 50 ÷ 2000


# ---------------------------------------------------------------- 缺报: renormalised or unclassed, never 0 (issue 18)

@pytest.fixture
def two(fresh_db):
    """甲 reports tax, output and revenue; 乙 no revenue (亩均营业收入 缺报)."""
    rows = land(["甲园区", "乙园区"])
    rows += [("甲园区", "tax", "2024-03", "ytd", 300), ("乙园区", "tax", "2024-03", "ytd", 100),
             ("甲园区", "output", "2024-03", "ytd", 1000), ("乙园区", "output", "2024-03", "ytd", 600),
             ("甲园区", "revenue", "2024-03", "ytd", 2000)]
    store_rows(fresh_db, rows)
    return fresh_db


THREE_FIXED = ({"metric": "tax_per_mu", "weight": 50, "benchmark": 2},
               {"metric": "output_per_mu", "weight": 30, "benchmark": 8},
               {"metric": "revenue_per_mu", "weight": 20, "benchmark": 10})


def test_a_missing_indicator_scales_the_other_weights_to_100(two):
    long = ev.evaluate_long(two, scheme(*THREE_FIXED), "2024-03")
    result = by_park(ev.summary(long))
    # 甲: 亩均税收 3, 亩均产值 10, 亩均营业收入 20 → 50 × 3 ÷ 2 + 30 × 10 ÷ 8 + 20 × 20 ÷ 10 = 75 + 37.5 + 40
    # 乙: 亩均税收 1, 亩均产值 6, 营业收入 缺报 → weights 50 and 30 scaled by 100 ÷ 80 to 62.5 and 37.5:
    #     62.5 × 1 ÷ 2 + 37.5 × 6 ÷ 8 = 31.25 + 28.125 (the old rule, 缺报 = 0, gave 25 + 22.5 = 47.5)
    assert {p: r["score"] for p, r in result.items()} == pytest.approx({"甲园区": 152.5, "乙园区": 59.375})
    assert (result["乙园区"]["rank"], result["乙园区"]["class"], result["乙园区"]["missing"]) == (
        2, "B", ["revenue_per_mu"])
    yi = long[long["park"] == "乙园区"].set_index("metric")
    assert yi["effective_weight"].tolist()[:2] == pytest.approx([62.5, 37.5])
    assert yi["score"].tolist()[:2] == pytest.approx([31.25, 28.125])
    # the 缺报 cell has no score at all, not 0
    assert yi["score"].isna().tolist() == [False, False, True]
    wide = ev.wide(long).set_index("park")
    assert wide.loc["乙园区", ["weight_1", "weight_2"]].tolist() == pytest.approx([62.5, 37.5])
    assert wide["score_3"].isna().tolist() == [False, True]


def test_a_scheme_may_leave_a_park_missing_an_indicator_unclassed(two):
    s = scheme(*THREE_FIXED)
    s.missing_rule = ev.UNCLASSED
    records = ev.evaluate(two, s, "2024-03")
    # 乙 is not scored, ranked or classed; 甲 alone is evaluated: n = 1, rank 1 ≤ ceil(1 × 20 %) → A
    assert records == [
        {"park": "甲园区", "score": pytest.approx(152.5), "rank": 1, "class": "A", "missing": []},
        {"park": "乙园区", "score": None, "rank": None, "class": None, "missing": ["revenue_per_mu"],
         "not_evaluated": "missing_unclassed"}]
    long = ev.evaluate_long(two, s, "2024-03")
    assert set(long["parks_evaluated"]) == {1}
    assert ev.wide(long)["park"].tolist() == ["甲园区"]
    assert ev.not_evaluated(long).to_dict("records") == [
        {"park": "乙园区", "reason": "missing_unclassed", "missing": ["revenue_per_mu"]}]


def test_parks_without_data_in_the_period_are_named_not_dropped(four):
    store_rows(four, [("戊园区", "tax", "2024-02", "ytd", 100)])  # 戊: February only
    s = scheme({"metric": "tax_per_mu", "weight": 100})
    # the default set (parks with a value in March) scores the four; 戊 is named as having no data
    records = ev.evaluate(four, s, "2024-03")
    assert {r["park"] for r in records if r["rank"]} == set(FOUR)
    assert records[-1] == {"park": "戊园区", "score": None, "rank": None, "class": None,
                           "missing": ["tax_per_mu"], "not_evaluated": "no_data"}
    # a group's park without data: not evaluated, and the mean of the others is unchanged (2 + 1) ÷ 2
    peers.save_group(four, "三园", ["乙园区", "丁园区", "戊园区"])
    result = by_park(ev.evaluate(four, s, "2024-03", group="三园"))
    assert result["乙园区"]["score"] == pytest.approx(100 * 2 / 1.5, abs=1e-5)
    assert (result["戊园区"]["not_evaluated"], result["戊园区"]["rank"]) == ("no_data", None)
    assert ev.evaluate_long(four, s, "2024-03", group="三园")["parks_evaluated"].iloc[0] == 2


def test_the_missing_rule_is_stored_checked_and_read_from_json(fresh_db):
    assert {s.missing_rule for s in ev.list_schemes(fresh_db)} == {ev.RENORMALISE}  # presets: the default
    s = scheme({"metric": "tax_per_mu", "weight": 100}, name="不定等级方案")
    s.missing_rule = ev.UNCLASSED
    scheme_id = ev.save_scheme(fresh_db, s)
    assert ev.load_scheme(fresh_db, scheme_id).missing_rule == ev.UNCLASSED
    s.missing_rule = ev.RENORMALISE
    ev.save_scheme(fresh_db, s)
    assert ev.load_scheme(fresh_db, scheme_id).missing_rule == ev.RENORMALISE
    s.missing_rule = "zero"
    with pytest.raises(ev.SchemeError, match="缺报指标的处理"):
        s.check()
    base = {"name": "x", "indicators": [{"metric": "tax_per_mu", "weight": 100}]}
    assert ev.scheme_from_json(base).missing_rule == ev.RENORMALISE
    assert ev.scheme_from_json({**base, "missing_rule": "unclassed"}).missing_rule == ev.UNCLASSED


def test_a_store_of_schema_six_gets_the_default_rule_and_keeps_its_schemes(tmp_path):
    import duckdb

    from parkbench.models import sql

    path = tmp_path / "six.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table schema_migrations (version integer primary key, applied_at timestamp)")
    for path_6 in sorted((sql.QUERIES_DIR / "schema").glob("00[1-6]_*.sql")):
        con.execute(path_6.read_text(encoding="utf-8"))
        con.execute("insert into schema_migrations values (?, current_timestamp)", [int(path_6.name[:3])])
    con.execute("insert into eval_schemes (name, class_a, class_b, class_c) values ('本县方案', 25, 70, 95)")
    con.execute("insert into eval_indicators select scheme_id, 1, 'tax_per_mu', null, null, 'higher', 100, 'mean', "
                "null, null from eval_schemes where name = '本县方案'")
    con.close()
    con = store.connect(path)
    schemes = {s.name: s for s in ev.list_schemes(con)}
    assert len(schemes) == 5
    assert (schemes["本县方案"].classes, schemes["本县方案"].missing_rule) == ((25, 70, 95), ev.RENORMALISE)
    # the id sequence goes on after the migration
    new_id = ev.save_scheme(con, scheme({"metric": "tax_per_mu", "weight": 100}, name="新方案"))
    assert new_id == max(s.scheme_id for s in schemes.values()) + 1
    con.close()


def test_evaluate_cli_reads_the_missing_rule_and_names_parks_not_evaluated(tmp_path, new_db):
    db = new_db("eval")
    con = store.connect(db)
    store_rows(con, [*land(["甲园区", "乙园区"]), ("甲园区", "tax", "2024-03", "ytd", 300),
                     ("甲园区", "output", "2024-03", "ytd", 800), ("乙园区", "tax", "2024-03", "ytd", 100)])
    con.close()
    path = tmp_path / "scheme.json"
    scheme_json = {"name": "t", "indicators": [{"metric": "tax_per_mu", "weight": 50, "benchmark": 2},
                                               {"metric": "output_per_mu", "weight": 50, "benchmark": 8}]}
    path.write_text(json.dumps({**scheme_json, "missing_rule": "unclassed"}), encoding="utf-8")
    out = run_cli("evaluate", "--scheme", str(path), "--period", "2024-03", "--format", "json", db=db)
    assert out.returncode == 0, out.stderr
    # 甲: 50 × 3 ÷ 2 + 50 × 8 ÷ 8 = 125; 乙 lacks 亩均产值 and the scheme leaves it unclassed
    assert json.loads(out.stdout) == [
        {"park": "甲园区", "score": 125.0, "rank": 1, "class": "A", "missing": []},
        {"park": "乙园区", "score": None, "rank": None, "class": None, "missing": ["output_per_mu"],
         "not_evaluated": "missing_unclassed"}]
    path.write_text(json.dumps(scheme_json), encoding="utf-8")  # the default: renormalise
    out = run_cli("evaluate", "--scheme", str(path), "--period", "2024-03", "--format", "json", db=db)
    # 乙 on 亩均税收 alone, weight 50 scaled to 100: 100 × 1 ÷ 2 = 50
    assert [(r["park"], r["score"], r["rank"]) for r in json.loads(out.stdout)] == [
        ("甲园区", 125.0, 1), ("乙园区", 50.0, 2)]
