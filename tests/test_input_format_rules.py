"""The rules of input-formats.md (cumulatives, 上年同期, land names, one key
twice, names, encodings, one definition of a gap, shares from the breakdown,
reported growth, stale stocks) on small data the test generates, with the
expected values worked out by hand in the test.

SQL rules run as given rows → expected values on a real in-memory DuckDB;
ingest rules on generated files through the real readers."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import flow, metric, month, store_rows, xlsx_bytes

from parkbench import store
from parkbench.ingest import parse_file

P = "测试园区"


def prior(con, park: str, indicator: str, period: str):
    rows = con.execute(
        "select prior_month_value, prior_ytd_value from int_flow_values f join parks p using (park_id) "
        "where p.name = ? and f.indicator = ? and f.period = ?", [park, indicator, month(period)]).fetchall()
    return rows[0] if rows else (None, None)


# ---------------------------------------------------------------- 1. cumulatives chain

def test_cumulative_chains_from_a_combined_january_february(fresh_db):
    store_rows(fresh_db, [
        (P, "tax", "2024-02", "ytd", 30), (P, "tax", "2024-03", "month", 35), (P, "tax", "2024-04", "month", 40),
        (P, "land_area", "2024-01", "stock", 100),
    ])
    assert flow(fresh_db, P, "tax", "2024-02") == (None, 30)
    assert flow(fresh_db, P, "tax", "2024-03") == (35, 65)  # 30 + 35
    assert flow(fresh_db, P, "tax", "2024-04") == (40, 105)  # 30 + 35 + 40
    assert metric(fresh_db, P, "2024-04", "tax_per_mu") == pytest.approx(105 / 100)
    assert metric(fresh_db, P, "2024-04", "tax_per_mu_annual") == pytest.approx(105 / 100 * 12 / 4)


def test_chain_stops_at_a_missing_month_and_restarts_at_the_next_cumulative(fresh_db):
    store_rows(fresh_db, [
        (P, "tax", "2024-02", "ytd", 30), (P, "tax", "2024-03", "month", 35),
        # April missing; May reported alone; June a reported cumulative; July a month.
        (P, "tax", "2024-05", "month", 50), (P, "tax", "2024-06", "ytd", 200), (P, "tax", "2024-07", "month", 25),
    ])
    assert flow(fresh_db, P, "tax", "2024-04") == (None, None)
    assert flow(fresh_db, P, "tax", "2024-05") == (50, None)  # April unknown: not 30 + 35 + 50
    assert flow(fresh_db, P, "tax", "2024-06") == (None, 200)  # May's cumulative is unknown, so June's month too
    assert flow(fresh_db, P, "tax", "2024-07") == (25, 225)


def test_chained_cumulative_gives_a_later_month_from_a_reported_cumulative(fresh_db):
    store_rows(fresh_db, [
        (P, "output", "2024-02", "ytd", 30), (P, "output", "2024-03", "month", 35),
        (P, "output", "2024-04", "ytd", 100),
    ])
    # 1-3月 = 30 + 35 = 65, so April = 100 − 65.
    assert flow(fresh_db, P, "output", "2024-04") == (35, 100)


def test_reported_cumulative_wins_over_the_chain(fresh_db):
    store_rows(fresh_db, [
        (P, "output", "2024-01", "month", 10), (P, "output", "2024-02", "month", 20),
        (P, "output", "2024-02", "ytd", 31),
    ])
    assert flow(fresh_db, P, "output", "2024-02") == (20, 31)


# ---------------------------------------------------------------- 2. 上年同期 as a restated base

def test_prior_year_column_never_overwrites_what_was_reported(fresh_db):
    store_rows(fresh_db, [(P, "output", "2023-02", "ytd", 60), (P, "output", "2023-03", "ytd", 100)],
               file_name="2023.csv")
    store_rows(fresh_db, [(P, "output", "2024-03", "ytd", 120), (P, "output", "2024-03", "ytd_prior", 96)],
               file_name="2024.csv")
    assert flow(fresh_db, P, "output", "2023-03") == (40, 100)  # as reported in 2023, not 96
    assert prior(fresh_db, P, "output", "2024-03") == (None, 96)
    # Growth uses the restated base: 120 ÷ 96 − 1 = 25 %, not 120 ÷ 100 − 1 = 20 %.
    assert metric(fresh_db, P, "2024-03", "output_ytd_yoy") == pytest.approx(25.0)


def test_prior_year_stands_in_where_nothing_was_reported(fresh_db):
    store_rows(fresh_db, [
        (P, "output", "2024-01", "ytd", 11), (P, "output", "2024-01", "ytd_prior", 10),
        (P, "output", "2024-02", "ytd", 33), (P, "output", "2024-02", "ytd_prior", 25),
    ])
    assert flow(fresh_db, P, "output", "2023-01") == (10, 10)
    assert flow(fresh_db, P, "output", "2023-02") == (15, 25)  # 25 − 10
    # Month growth over the restated months: February 22 ÷ 15 − 1.
    assert metric(fresh_db, P, "2024-02", "output_yoy") == pytest.approx(100 * (22 / 15 - 1))
    assert metric(fresh_db, P, "2024-02", "output_ytd_yoy") == pytest.approx(100 * (33 / 25 - 1))


def test_restated_and_reported_cumulatives_never_make_a_month_together(fresh_db):
    store_rows(fresh_db, [(P, "output", "2023-02", "ytd", 100)], file_name="2023.csv")
    store_rows(fresh_db, [(P, "output", "2024-03", "ytd", 120), (P, "output", "2024-03", "ytd_prior", 95)],
               file_name="2024.csv")
    # 2023-03 has nothing reported: the restated 95 stands in for its cumulative,
    # but March is not 95 − 100 = −5 (two bases), it stays unknown.
    assert flow(fresh_db, P, "output", "2023-03") == (None, 95)


def test_bureau_report_stores_prior_year_column_as_its_own_basis():
    rows = [["XX园区2024年3月主要经济指标完成情况"],
            ["指标名称", "计量单位", "本月", "1-3月累计", "上年同期累计", "同比增长(%)"],
            ["规上工业总产值", "万元", 40, 120, 96, 25.0],
            ["工业用地面积", "亩", 500, None, 480, None]]
    parsed = parse_file(xlsx_bytes({"3月": rows}), "XX园区月报2024.xlsx")
    got = {(r.indicator, r.period.strftime("%Y-%m"), r.basis): r.value for r in parsed.observations.itertuples()}
    assert got == {("output", "2024-03", "month"): 40, ("output", "2024-03", "ytd"): 120,
                   ("output", "2024-03", "ytd_prior"): 96, ("land_area", "2024-03", "stock"): 500}
    assert any("上年同期的存量指标" in s.reason for s in parsed.skipped)


def test_a_store_of_schema_two_is_migrated_keeping_its_values(tmp_path):
    import duckdb

    from parkbench.models import sql

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table schema_migrations (version integer primary key, applied_at timestamp)")
    for version, name in ((1, "001_init.sql"), (2, "002_column_mappings.sql")):
        con.execute((sql.QUERIES_DIR / "schema" / name).read_text(encoding="utf-8"))
        con.execute("insert into schema_migrations values (?, current_timestamp)", [version])
    con.execute("insert into parks (name) values ('老园区')")
    con.execute("insert into uploads (upload_id, file_name, sha256, row_count) values (1, 'old.csv', 'x', 1)")
    con.execute("insert into observations values (1, 'tax', date '2023-01-01', 'month', 7.5, 1)")
    # A model materialised by the old code, without the new columns.
    con.execute("create table int_flow_values as select 1 as park_id")
    con.close()
    con = store.connect(path)
    assert con.execute("select basis, value from observations").fetchall() == [("month", 7.5)]
    assert flow(con, "老园区", "tax", "2023-01") == (7.5, 7.5)  # January: month and cumulative alike
    con.execute("insert into observations_all values (1, 'tax', date '2024-01-01', 'ytd_prior', 7.0, 1)")
    con.close()


# ---------------------------------------------------------------- 7. one definition of a gap

def test_gap_to_a_negative_mean_is_signed_by_the_side_of_the_mean(fresh_db):
    from parkbench.models import benchmark

    store_rows(fresh_db, [
        ("甲园区", "output", "2023-03", "ytd", 100), ("甲园区", "output", "2024-03", "ytd", 110),  # +10 %
        ("乙园区", "output", "2023-03", "ytd", 100), ("乙园区", "output", "2024-03", "ytd", 70),  # −30 %
    ])
    # Mean −10 %. 甲: (10 − (−10)) ÷ |−10| = +200 %; 乙: (−30 − (−10)) ÷ 10 = −200 %.
    expected = {"甲园区": (20.0, 200.0), "乙园区": (-20.0, -200.0)}
    league = benchmark.league(fresh_db, "2024-03", ["甲园区", "乙园区"], metrics=["output_ytd_yoy"])
    got = {r.park: (r.gap_to_mean, r.gap_to_mean_pct) for r in league.itertuples()}
    assert got == {k: pytest.approx(v) for k, v in expected.items()}


# ---------------------------------------------------------------- 3. land names

def test_planned_and_built_up_areas_are_not_the_land_per_mu_divides_by(fresh_db):
    rows = [["2024年1-3月各园区主要经济指标"],
            ["序号", "园区名称", "税收收入(万元)", "规划面积(平方公里)", "已供工业用地(亩)", "建成区面积(公顷)"],
            [1, "甲园区", 300, 10, 1500, 200]]
    data = xlsx_bytes({"2024年1-3月": rows})
    parsed = parse_file(data, "a.xlsx")
    got = {(r.indicator, r.basis): r.value for r in parsed.observations.itertuples()}
    # 10 km² × 1500 = 15000 亩 planned, 200 ha × 15 = 3000 亩 built up, 1500 亩 supplied land.
    assert got == {("tax", "ytd"): 300, ("规划面积", "stock"): 15000, ("land_area", "stock"): 1500,
                   ("建成区面积", "stock"): 3000}
    store.save(fresh_db, parsed, data)
    assert metric(fresh_db, "甲园区", "2024-03", "tax_per_mu") == pytest.approx(300 / 1500)


def test_of_two_land_columns_the_more_specific_is_the_land_and_the_other_keeps_its_name(fresh_db):
    rows = [["园区", "月份", "税收(万元)", "工业用地面积(亩)", "用地面积(亩)"],
            ["甲园区", "2024-01", 10, 400, 1000]]
    data = "\n".join(",".join(str(c) for c in r) for r in rows).encode("utf-8")
    parsed = parse_file(data, "d.csv")
    got = {(r.indicator, r.basis): r.value for r in parsed.observations.itertuples()}
    assert got == {("tax", "month"): 10, ("land_area", "stock"): 400, ("用地面积", "stock"): 1000}
    assert any("工业用地面积" in w and "用地面积" in w for w in parsed.warnings)
    store.save(fresh_db, parsed, data)
    assert metric(fresh_db, "甲园区", "2024-01", "tax_per_mu") == pytest.approx(10 / 400)


def test_two_land_names_in_a_large_long_csv_are_kept_apart():
    from parkbench.ingest import long_csv

    lines = ["园区,统计期,指标,口径,数值,单位"]
    lines += [f"园区{i},2024-01,税收,本月,{i + 1},万元" for i in range(40000)]
    lines += ["甲园区,2024-01,用地面积,期末,1000,亩", "甲园区,2024-01,已供工业用地,期末,400,亩"]
    data = "\n".join(lines).encode("utf-8")
    assert len(data) >= long_csv.MIN_BYTES
    parsed = long_csv.try_read(data, "c.csv")
    land = parsed.observations[parsed.observations["park"] == "甲园区"]
    assert {(r.indicator, r.value) for r in land.itertuples()} == {("land_area", 400), ("用地面积", 1000)}


# ---------------------------------------------------------------- 5. names

def test_traditional_to_simplified_only_where_the_text_is_traditional(fresh_db):
    rows = ["园区,月份,税收(万元)", "乾安县经济开发区,2024-01,10", "於潜工业园,2024-01,20",
            "確山縣產業集聚區,2024-01,30", "乾安縣經濟開發區,2024-02,11"]
    data = "\n".join(rows).encode("utf-8")
    parsed = parse_file(data, "d.csv")
    assert sorted(set(parsed.observations["park"])) == sorted(
        {"乾安县经济开发区", "於潜工业园", "确山县产业集聚区"})
    store.save(fresh_db, parsed, data)
    names = {r[0] for r in fresh_db.execute("select name from parks").fetchall()}
    assert {"乾安县经济开发区", "於潜工业园", "确山县产业集聚区"} <= names
    assert "干安县经济开发区" not in names and "于潜工业园" not in names
    # The traditional spelling of 乾安 is the same park, not a new one.
    assert flow(fresh_db, "乾安县经济开发区", "tax", "2024-02") == (11, 21)


# ---------------------------------------------------------------- 6. encodings

BIG5_ROWS = ["園區,月份,稅收(萬元),用地面積(畝)", "確山縣產業集聚區,2024-01,30,600", "尋甸特色產業園區,2024-01,20,400"]


@pytest.mark.parametrize("encoding", ["big5", "gb18030", "utf-8", "utf-8-sig", "utf-16"])
def test_a_csv_reads_in_its_encoding(encoding):
    data = ("\r\n".join(BIG5_ROWS) + "\r\n").encode(encoding)
    parsed = parse_file(data, f"d_{encoding}.csv")
    got = {(r.park, r.indicator): r.value for r in parsed.observations.itertuples()}
    assert got == {("确山县产业集聚区", "tax"): 30, ("确山县产业集聚区", "land_area"): 600,
                   ("寻甸特色产业园区", "tax"): 20, ("寻甸特色产业园区", "land_area"): 400}


def test_an_unrecognisable_encoding_is_named_as_the_problem():
    from parkbench.ingest import IngestError

    # Bytes no text encoding fits (invalid in UTF-8, GB18030 and Big5 alike).
    data = "园区,月份,税收\n".encode() + bytes([0x81, 0x30, 0xFF, 0xFE, 0x80]) * 50
    with pytest.raises(IngestError) as caught:
        parse_file(data, "bad.csv")
    assert "编码" in str(caught.value)
    assert "bad.csv" in str(caught.value)


@pytest.mark.parametrize(("text", "encoding"), [("甲,乙\n丙,丁\n", "gbk"), ("甲,乙\n丙,丁\n", "big5"),
                                                ("确山县产业集聚区\n", "gbk"), ("確山縣產業集聚區\n", "big5")])
def test_short_texts_that_two_encodings_could_decode_read_as_written(text, encoding):
    from parkbench.ingest.tables import decode

    assert decode(text.encode(encoding), "x.csv")[0] == text


# ---------------------------------------------------------------- 4. one key twice in one file

def test_one_key_in_two_sheets_later_sheet_wins_and_both_places_are_named(fresh_db):
    header = ["序号", "园区名称", "税收收入(万元)", "用地面积(亩)"]
    data = xlsx_bytes({
        "汇总": [["2024年1-3月各园区主要经济指标"], header, [1, "甲园区", 100, 500], [2, "乙园区", 50, 400]],
        "更正": [["2024年1-3月各园区主要经济指标（更正）"], header, [1, "甲园区", 120, 500]],
    })
    parsed = parse_file(data, "a.xlsx")
    got = {(r.park, r.indicator): r.value for r in parsed.observations.itertuples()}
    assert got == {("甲园区", "tax"): 120, ("甲园区", "land_area"): 500, ("乙园区", "tax"): 50,
                   ("乙园区", "land_area"): 400}
    assert len(parsed.observations) == 4  # each key once: nothing left for the store to tie-break
    tax = [w for w in parsed.warnings if "税收" in w and "甲园区" in w]
    assert len(tax) == 1
    assert "工作表「汇总」第 3 行" in tax[0] and "100" in tax[0]
    assert "工作表「更正」第 3 行" in tax[0] and "120" in tax[0]
    # Land agrees in both sheets: still a key given twice, said so.
    assert any("用地面积" in w and "数值相同" in w for w in parsed.warnings)
    store.save(fresh_db, parsed, data)
    assert flow(fresh_db, "甲园区", "tax", "2024-03") == (None, 120)


# ---------------------------------------------------------------- one error tree

def test_everything_a_user_can_cause_is_one_family_of_errors(fresh_db):
    from parkbench.errors import EncodingError, InputError, ParkBenchError
    from parkbench.ingest import IngestError, NoHeader
    from parkbench.models import benchmark, metrics, peers

    for error in (IngestError, NoHeader, EncodingError, InputError, store.StoreError, store.DatabaseBusy,
                  peers.PeerGroupError):
        assert issubclass(error, ParkBenchError)
        assert not issubclass(error, ValueError)
    refusals = [
        lambda: parse_file(b"\xff\xfe\x00", "x.xlsx"),
        lambda: metrics.month_start("2024年3月"),
        lambda: metrics.month_start("2024-13"),
        lambda: benchmark.league(fresh_db, "2024-03", classes=(0.6, 0.2, 0.9)),
        lambda: benchmark.league(fresh_db, "March", classes=(0.2, 0.6, 0.9)),
        lambda: store.undo(fresh_db, 99),
        lambda: peers.save_group(fresh_db, "", ["甲园区"]),
    ]
    for refuse in refusals:
        with pytest.raises(ParkBenchError) as caught:
            refuse()
        assert any("\u4e00" <= c <= "\u9fff" for c in str(caught.value)), str(caught.value)


def test_cli_prints_a_bad_period_as_one_chinese_line(tmp_path):
    from conftest import run_cli

    out = run_cli("metrics", "--from", "2024/3", db=tmp_path / "x.duckdb")
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    assert "--from" in out.stderr and "YYYY-MM" in out.stderr


# ---------------------------------------------------------------- 8. 主导产业占比 from the breakdown

def store_industries(con, rows, file_name="e.csv"):
    """Store (park, 'YYYY-MM', industry, is_leading, output) rows as one upload."""
    import pandas as pd

    from parkbench.ingest.model import GROWTH_COLUMNS, INDUSTRY_COLUMNS, OBSERVATION_COLUMNS, Parsed, empty_frame

    frame = pd.DataFrame([(p, month(m), i, flag, float(v), None) for p, m, i, flag, v in rows], columns=INDUSTRY_COLUMNS)
    parsed = Parsed(file_name, "E", empty_frame(OBSERVATION_COLUMNS), empty_frame(GROWTH_COLUMNS), frame)
    return store.save(con, parsed, repr(rows).encode())


def test_leading_share_from_the_breakdown_where_leading_output_is_not_reported(fresh_db):
    from parkbench.models import benchmark, metrics, notes

    store_rows(fresh_db, [("甲园区", "output", "2024-12", "ytd", 1000),
                          ("乙园区", "output", "2024-12", "ytd", 800), ("乙园区", "leading_output", "2024-12", "ytd", 600)])
    store_industries(fresh_db, [
        ("甲园区", "2024-12", "装备制造", True, 300), ("甲园区", "2024-12", "食品加工", True, 200),
        ("甲园区", "2024-12", "建材", False, 400),
        ("乙园区", "2024-12", "纺织", True, 100), ("乙园区", "2024-12", "其他", False, 700),
    ])
    # 甲: no leading_output, so (300 + 200) ÷ (300 + 200 + 400), the industries' own total
    # (the 主导产业 page's denominator), not ÷ 1000.
    assert metric(fresh_db, "甲园区", "2024-12", "leading_share") == pytest.approx(100 * 500 / 900)
    page = metrics.industries(fresh_db, "2024-12", ["甲园区"])
    assert page.loc[page["is_leading"], "share"].sum() == pytest.approx(100 * 500 / 900)
    # 乙: leading_output reported wins: 600 ÷ 800.
    assert metric(fresh_db, "乙园区", "2024-12", "leading_share") == pytest.approx(75.0)
    league = benchmark.league(fresh_db, "2024-12", metrics=["leading_share"])
    rows = {r["park"]: r for r in league.to_dict("records")}
    assert rows["甲园区"]["source"] == "industries" and rows["乙园区"]["source"] == "leading_output"
    assert notes.value_text("leading_share", rows["甲园区"]["value"], **notes.row_notes(rows["甲园区"])) == \
        "55.6%（按产业结构计算）"
    assert notes.value_text("leading_share", rows["乙园区"]["value"], **notes.row_notes(rows["乙园区"])) == "75.0%"
    assert "按产业结构计算" in benchmark.report_sentence(rows["甲园区"])


# ---------------------------------------------------------------- 9. reported growth as a fallback

def test_reported_growth_is_shown_marked_where_the_computed_one_is_unknown(fresh_db):
    from parkbench.models import benchmark, notes

    store_rows(fresh_db, [("甲园区", "output", "2024-03", "ytd", 110), ("乙园区", "output", "2024-03", "ytd", 120),
                          ("乙园区", "output", "2023-03", "ytd", 100)],
               growth=[("甲园区", "output", "2024-03", "ytd", 9.0)])
    assert metric(fresh_db, "甲园区", "2024-03", "output_ytd_yoy") is None  # no 2023 level to compute from
    league = benchmark.league(fresh_db, "2024-03", metrics=["output_ytd_yoy"])
    rows = {r["park"]: r for r in league.to_dict("records")}
    jia = rows["甲园区"]
    assert jia["reported_value"] == pytest.approx(9.0)
    assert notes.value_text("output_ytd_yoy", jia["value"], **notes.row_notes(jia)) == "+9.0%（报送）"
    # Computed where it can be: 120 ÷ 100 − 1 = +20.0 %, no mark.
    yi = rows["乙园区"]
    assert notes.value_text("output_ytd_yoy", yi["value"], **notes.row_notes(yi)) == "+20.0%"
    # The published growth is ranked among the peers, marked (issue 18, item 24): 乙 +20.0 first, 甲 +9.0 second.
    assert jia["published"] and not yi["published"]
    assert (yi["rank"], jia["rank"]) == (1, 2) and jia["peers"] == 2
    assert jia["peer_mean"] == pytest.approx((20.0 + 9.0) / 2)
    assert benchmark.report_sentence(jia).startswith("产值累计同比 +9.0%（报送），低于园区平均 5.5 个百分点")
    assert benchmark.report_sentence(jia).endswith("排名 2/2")


def test_a_published_growth_alone_makes_its_metric_ranked(fresh_db):
    """In a park's first year nobody's growth can be computed: the published ones still make a league."""
    from parkbench.models import benchmark

    store_rows(fresh_db, [("甲园区", "output", "2024-03", "ytd", 110), ("乙园区", "output", "2024-03", "ytd", 120)],
               growth=[("甲园区", "output", "2024-03", "ytd", 9.0), ("乙园区", "output", "2024-03", "ytd", 12.5)])
    league = benchmark.league(fresh_db, "2024-03")
    growth = league[league["metric"] == "output_ytd_yoy"].set_index("park")
    assert growth.loc["乙园区", "rank"] == 1 and growth.loc["甲园区", "rank"] == 2
    assert growth["published"].all()
    assert "output_ytd_yoy_reported" not in set(league["metric"])


# ---------------------------------------------------------------- 10. stale stocks

def test_per_mu_on_land_older_than_24_months_carries_its_as_of_date(fresh_db):
    from parkbench.models import benchmark, metrics, notes

    store_rows(fresh_db, [("甲园区", "land_area", "2022-12", "stock", 1000),
                          ("甲园区", "tax", "2024-12", "ytd", 40), ("甲园区", "tax", "2025-01", "ytd", 5)])
    assert metric(fresh_db, "甲园区", "2025-01", "tax_per_mu") == pytest.approx(5 / 1000)
    league = benchmark.league(fresh_db, "2025-01", metrics=["tax_per_mu"])
    row = league.to_dict("records")[0]
    assert row["land_age_months"] == 25  # 2022-12 → 2025-01
    assert notes.value_text("tax_per_mu", row["value"], **notes.row_notes(row)) == \
        "0.01 万元/亩（用地面积截至2022年12月）"
    assert "用地面积截至2022年12月" in benchmark.report_sentence(row)
    # 24 months is not yet stale.
    row = benchmark.league(fresh_db, "2024-12", metrics=["tax_per_mu"]).to_dict("records")[0]
    assert row["land_age_months"] == 24
    assert notes.value_text("tax_per_mu", row["value"], **notes.row_notes(row)) == "0.04 万元/亩"
    figures = metrics.key_figures(fresh_db).to_dict("records")[0]
    assert notes.land_note(figures["land_period"], figures["land_age_months"]) == "用地面积截至2022年12月"


# ---------------------------------------------------------------- fixes 8–10 as a user sees them

def test_home_page_shows_reported_growth_stale_land_and_share_source(tmp_path, monkeypatch, clear_caches):
    from conftest import APP
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "notes.duckdb"
    con = store.connect(path)
    store_rows(con, [("甲园区", "land_area", "2022-12", "stock", 1000), ("甲园区", "tax", "2025-01", "ytd", 5),
                     ("甲园区", "output", "2025-01", "ytd", 100),
                     ("乙园区", "land_area", "2024-06", "stock", 500), ("乙园区", "tax", "2025-01", "ytd", 8),
                     ("乙园区", "output", "2025-01", "ytd", 120)],
               growth=[("甲园区", "output", "2025-01", "ytd", 9.0)])
    store_industries(con, [("乙园区", "2025-01", "装备制造", True, 70), ("乙园区", "2025-01", "建材", False, 50)])
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    cards = {m.label: [] for m in at.metric}
    for m in at.metric:
        cards[m.label].append(m.value)
    # 甲: 5 ÷ 1000 on land of 2022-12 (25 months old); growth only as published; 乙: 70 ÷ (70 + 50).
    assert "0.01（用地面积截至2022年12月）" in cards["亩均税收（万元/亩）"]
    assert "+9.0（报送）" in cards["产值累计同比（%）"]
    assert "58.3（按产业结构计算）" in cards["主导产业占比（%）"]
    # the table keeps numbers numeric (sortable, exported as numbers); what a figure rests on is in 说明
    table = next(df.value for df in at.dataframe if "notes" in df.value.columns).set_index("park")
    assert pd.isna(table.loc["甲园区", "output_ytd_yoy"])
    assert "产值累计同比 +9.0%（报送）" in table.loc["甲园区", "notes"]
    assert "用地面积截至2022年12月" in table.loc["甲园区", "notes"]
    assert pd.isna(table.loc["乙园区", "output_ytd_yoy"])  # nothing computed, nothing published
    assert "报送" not in table.loc["乙园区", "notes"] and "按产业结构计算" in table.loc["乙园区", "notes"]


def test_a_monthly_sheet_with_a_combined_january_february_row_chains(fresh_db):
    rows = ["园区,月份,税收(万元),用地面积(亩)", "甲园区,2024年1-2月,30,100", "甲园区,2024-03,35,", "甲园区,2024-04,40,"]
    data = "\n".join(rows).encode("utf-8")
    parsed = parse_file(data, "d.csv")
    got = {(r.indicator, f"{r.period:%Y-%m}", r.basis): r.value for r in parsed.observations.itertuples()}
    assert got[("tax", "2024-02", "ytd")] == 30  # 1-2月 is February's cumulative, not its month
    store.save(fresh_db, parsed, data)
    assert flow(fresh_db, "甲园区", "tax", "2024-03") == (35, 65)
    assert flow(fresh_db, "甲园区", "tax", "2024-04") == (40, 105)
    assert metric(fresh_db, "甲园区", "2024-04", "tax_per_mu") == pytest.approx(105 / 100)


def test_a_large_long_csv_reads_a_combined_january_february_as_cumulative():
    from parkbench.ingest import long_csv

    lines = ["园区,统计期,指标,口径,数值,单位"]
    lines += [f"园区{i},2024-01,税收,本月,{i + 1},万元" for i in range(40000)]
    lines += ["甲园区,2024年1-2月,税收,本月,30,万元"]
    parsed = long_csv.try_read("\n".join(lines).encode("utf-8"), "c.csv")
    jia = parsed.observations[parsed.observations["park"] == "甲园区"]
    assert [(str(r.basis), r.value) for r in jia.itertuples()] == [("ytd", 30)]


def test_cli_output_to_a_missing_folder_is_a_chinese_message(tmp_path):
    from conftest import run_cli

    out = run_cli("metrics", "--out", str(tmp_path / "no" / "such" / "x.json"), db=tmp_path / "x.duckdb")
    assert out.returncode == 1
    assert "Traceback" not in out.stderr and "无法写入输出文件" in out.stderr


def test_a_reported_cumulative_alone_invents_no_later_month(fresh_db):
    store_rows(fresh_db, [(P, "tax", "2025-01", "ytd", 5), (P, "tax", "2025-03", "ytd", 20),
                          (P, "tax", "2025-04", "month", 6)])
    assert flow(fresh_db, P, "tax", "2025-01") == (5, 5)
    assert flow(fresh_db, P, "tax", "2025-02") == (None, None)  # not 5 + January's 5
    assert flow(fresh_db, P, "tax", "2025-03") == (None, 20)
    assert flow(fresh_db, P, "tax", "2025-04") == (6, 26)


def test_a_damaged_utf8_file_is_not_read_as_gbk_nonsense():
    from parkbench.ingest import EncodingError

    data = "园区,月份,税收(万元)\n甲园区,2024-01,10\n".encode() + b"\xe4\xb9\n"
    with pytest.raises(EncodingError) as caught:
        parse_file(data, "d.csv")
    assert "UTF-8" in str(caught.value) and "第 3 行" in str(caught.value)


def test_a_restated_prior_year_stands_in_for_that_year_and_its_metrics_follow(fresh_db):
    """Rule 4: a 2025 report whose 去年同期累计 is the only source for 2024 gives 2024
    its cumulative values and so its 亩均 (land 500 亩 reported for January 2024)."""
    from conftest import metric

    q = "确山县产业集聚区"
    store_rows(fresh_db, [(q, "land_area", "2024-01", "stock", 500)], file_name="用地.csv")
    store_rows(fresh_db, [(q, indicator, f"2025-{m:02d}", basis, value)
                          for m in (1, 2, 3)
                          for indicator, basis, value in (("tax", "ytd", 100 * m), ("tax", "ytd_prior", 80 * m),
                                                          ("output", "ytd", 1000 * m), ("output", "ytd_prior", 900 * m))],
               file_name="确山2025年1-3月.csv")
    assert metric(fresh_db, q, "2024-03", "tax_per_mu") == pytest.approx(240 / 500)  # 1-3月 2024 restated: 240 万元
    assert metric(fresh_db, q, "2024-02", "output_per_mu") == pytest.approx(1800 / 500)
    assert metric(fresh_db, q, "2025-03", "tax_ytd_yoy") == pytest.approx(100 * (300 / 240 - 1))


def test_a_restated_prior_year_never_replaces_what_that_year_reported(fresh_db):
    from conftest import metric

    q = "确山县产业集聚区"
    store_rows(fresh_db, [(q, "land_area", "2024-01", "stock", 500), (q, "tax", "2024-03", "ytd", 250)],
               file_name="确山2024年1-3月.csv")
    store_rows(fresh_db, [(q, "tax", "2025-03", "ytd", 300), (q, "tax", "2025-03", "ytd_prior", 240)],
               file_name="确山2025年1-3月.csv")
    assert metric(fresh_db, q, "2024-03", "tax_per_mu") == pytest.approx(250 / 500)


# ---------------------------------------------------------------- 11. why a metric is empty

def test_an_empty_metric_says_why(fresh_db):
    """metric_gaps (issue 18, item 3): each empty value names the input that fails, and 说明
    says it — 用地面积未报送, 用地面积为 0, 无上年同期, 当月值未知, 本期未报送."""
    from parkbench.models import benchmark, notes, sql

    store_rows(fresh_db, [
        ("甲园区", "tax", "2024-03", "ytd", 100),                                   # no land at all
        ("乙园区", "tax", "2024-03", "ytd", 100), ("乙园区", "land_area", "2024-01", "stock", 0),
        ("丙园区", "tax", "2024-03", "ytd", 50), ("丙园区", "land_area", "2024-01", "stock", 100),
        ("丙园区", "tax", "2023-03", "ytd", 40),                                    # a year earlier: growth known
        ("丁园区", "tax", "2024-02", "ytd", 10),                                    # nothing in March
    ])
    league = benchmark.league(fresh_db, "2024-03", parks=["甲园区", "乙园区", "丙园区", "丁园区"],
                              metrics=["tax_per_mu", "tax_ytd_yoy"], why_empty=True)
    rows = {(r["park"], r["metric"]): r for r in league.to_dict("records")}

    def said(park, metric, lang="zh"):
        return notes.notes_text(metric, rows[(park, metric)], lang)

    assert rows[("甲园区", "tax_per_mu")]["gaps"] == "missing:land_area"
    assert said("甲园区", "tax_per_mu") == "用地面积未报送"
    assert said("甲园区", "tax_per_mu", "en") == "Land area not reported"
    assert said("乙园区", "tax_per_mu") == "用地面积为 0"
    assert said("甲园区", "tax_ytd_yoy") == "无上年同期"
    # 甲 sent only a March cumulative: its March month value cannot be derived, nor 环比 (no park has
    # a 环比 in March, so the league leaves the metric out: read the model itself)
    gaps = sql.query(fresh_db, "reads/metric_gaps", period=benchmark.month_start("2024-03"), parks=["甲园区"],
                     metrics=["tax_mom"])
    assert gaps.to_dict("records") == [{"park": "甲园区", "metric": "tax_mom",
                                         "gaps": "no_month_value:tax,no_previous_month:tax"}]
    assert notes.gap_note(gaps["gaps"].iloc[0]) == "税收收入当月值未知（缺上月累计）、无上月数"
    assert said("丁园区", "tax_per_mu") == "本期未报送" and said("丁园区", "tax_ytd_yoy") == "本期未报送"
    # known values say nothing of the kind
    assert said("丙园区", "tax_per_mu") == "" and said("丙园区", "tax_ytd_yoy") == ""
