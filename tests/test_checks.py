"""Data checks (数据审核): each check on a small generated file, expected
warnings worked out by hand; warnings are kept with the upload, listed while
open, and mark the metrics built on a flagged value."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import run_cli, store_rows

from parkbench import store
from parkbench.ingest import parse_file
from parkbench.ingest.model import GROWTH_COLUMNS, Parsed, empty_frame
from parkbench.models import checks
from parkbench.models.settings import CheckThresholds
from parkbench.store.accounts import OPERATOR

pytestmark = pytest.mark.both_stores  # store tests: on DuckDB and on PostgreSQL (conftest)
HEADER = "园区,统计期,指标,口径,数值,单位\n"
OUTPUT = "规上工业总产值"


def csv(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode("utf-8")


def save_csv(con, data: bytes, name: str = "given.csv") -> store.UploadResult:
    return store.save(con, parse_file(data, name), data)


def kinds(findings) -> list[str]:
    return sorted(f.check_id for f in findings)


def test_cumulative_below_last_month_names_file_sheet_row_and_column(fresh_db):
    data = csv("甲园区,2025-01,税收,累计,700,万元", "甲园区,2025-02,税收,累计,650,万元")
    result = save_csv(fresh_db, data, "税收.csv")
    # 650 < 700: one warning; the derived February of 650 − 700 = −50 is told in it, not twice.
    assert kinds(result.findings) == ["cumulative_decrease"]
    finding = result.findings[0]
    assert finding.park == "甲园区" and finding.indicator == "tax" and finding.period == dt.date(2025, 2, 1)
    assert (finding.file_name, finding.sheet, finding.row, finding.column) == ("税收.csv", "税收", 3, "第 E 列（数值）")
    assert "650.0 万元" in finding.message and "700.0 万元" in finding.message and "-50.0 万元" in finding.message
    assert finding.message.startswith("累计值低于上月：文件「税收.csv」，工作表「税收」，第 3 行，第 E 列（数值）")
    stored = fresh_db.execute("select count(*) from upload_warnings where upload_id = ?", [result.upload_id]).fetchall()
    assert stored == [(1,)]


def test_cumulative_decrease_against_a_month_already_stored(fresh_db):
    save_csv(fresh_db, csv("甲园区,2025-01,税收,累计,700,万元"))
    preview_only = store.dry_run(fresh_db, parse_file(csv("甲园区,2025-02,税收,累计,650,万元"), "二月.csv"))
    assert kinds(preview_only.findings) == ["cumulative_decrease"]
    # the dry run stored nothing
    assert fresh_db.execute("select count(*) from observations").fetchall() == [(1,)]
    assert fresh_db.execute("select count(*) from upload_warnings").fetchall() == [(0,)]


def test_month_above_cumulative(fresh_db):
    result = save_csv(fresh_db, csv("甲园区,2025-03,规上工业总产值,本月,500,万元", "甲园区,2025-03,规上工业总产值,累计,400,万元"))
    assert "month_above_ytd" in kinds(result.findings)
    (found,) = [f for f in result.findings if f.check_id == "month_above_ytd"]
    assert "本月 500.0 万元 大于同月累计 400.0 万元" in found.message and found.row == 2


def test_month_missing_inside_a_series_and_not_when_a_cumulative_covers_it(fresh_db):
    gap = save_csv(fresh_db, csv("甲园区,2025-01,规上工业总产值,本月,10,万元", "甲园区,2025-03,规上工业总产值,本月,12,万元"))
    missing = [f for f in gap.findings if f.check_id == "month_missing"]
    assert [(f.park, f.period) for f in missing] == [("甲园区", dt.date(2025, 2, 1))]
    covered = save_csv(fresh_db, csv("乙园区,2025-01,规上工业总产值,本月,10,万元", "乙园区,2025-03,规上工业总产值,累计,33,万元"))
    assert "month_missing" not in kinds(covered.findings)


@pytest.mark.parametrize(("february", "warned"), [(151, True), (150, False), (49, True), (50, False)])
def test_month_on_month_beyond_fifty_percent(fresh_db, february, warned):
    # 100 → 151 is +51 %, 100 → 150 is +50 % (not beyond), 100 → 49 is −51 %.
    result = save_csv(fresh_db, csv(f"甲园区,2025-01,{OUTPUT},本月,100,万元", f"甲园区,2025-02,{OUTPUT},本月,{february},万元"))
    assert ("mom_change" in kinds(result.findings)) is warned


@pytest.mark.parametrize(("this_year", "warned"), [(201, True), (200, False)])
def test_year_on_year_beyond_a_hundred_percent(fresh_db, this_year, warned):
    result = save_csv(fresh_db, csv(f"甲园区,2024-01,{OUTPUT},本月,100,万元", f"甲园区,2025-01,{OUTPUT},本月,{this_year},万元"))
    assert ("yoy_change" in kinds(result.findings)) is warned


def test_thresholds_come_from_settings(fresh_db):
    parsed = parse_file(csv(f"甲园区,2025-01,{OUTPUT},本月,100,万元", f"甲园区,2025-02,{OUTPUT},本月,151,万元"), "x.csv")
    upload_id = store.save(fresh_db, parsed, b"x").upload_id
    assert "mom_change" not in kinds(checks.run(fresh_db, parsed, upload_id, CheckThresholds(month_on_month_percent=60)))
    assert "mom_change" in kinds(checks.run(fresh_db, parsed, upload_id, CheckThresholds(month_on_month_percent=40)))


@pytest.mark.parametrize(("reported", "warned"), [(11.5, True), (10.9, False)])
def test_reported_growth_more_than_one_point_from_computed(fresh_db, reported, warned):
    # 累计 100 → 110: computed +10.0 %; 11.5 is 1.5 points away, 10.9 only 0.9.
    result = store_rows(fresh_db, [("甲园区", "output", "2024-03", "ytd", 100), ("甲园区", "output", "2025-03", "ytd", 110)],
                        growth=[("甲园区", "output", "2025-03", "ytd", reported)])
    assert ("growth_mismatch" in kinds(result.findings)) is warned


@pytest.mark.parametrize(("land", "warned"), [(1250, True), (1190, False), (790, True)])
def test_land_changing_by_more_than_twenty_percent(fresh_db, land, warned):
    store_rows(fresh_db, [("甲园区", "land_area", "2024-01", "stock", 1000)])
    result = store_rows(fresh_db, [("甲园区", "land_area", "2025-01", "stock", land)], file_name="land.csv")
    assert ("land_change" in kinds(result.findings)) is warned


def breakdown(outputs: list[float]) -> Parsed:
    industries = pd.DataFrame({"park": "甲园区", "period": dt.date(2024, 12, 1), "industry": [f"产业{i}" for i in
                                                                                        range(len(outputs))],
                               "is_leading": False, "output": outputs, "firms": 1})
    observations = pd.DataFrame({"park": ["甲园区"], "indicator": ["output"], "period": [dt.date(2024, 12, 1)],
                                 "basis": ["ytd"], "value": [1000.0]})
    return Parsed("e.xlsx", "E", observations, empty_frame(GROWTH_COLUMNS), industries)


@pytest.mark.parametrize(("outputs", "warned"), [([600, 385], True), ([600, 390], False)])
def test_industry_breakdown_more_than_one_percent_from_output(fresh_db, outputs, warned):
    # 985 vs 1000 is −1.5 %; 990 is −1.0 % (not beyond).
    result = store.save(fresh_db, breakdown(outputs), b"e")
    assert ("breakdown_sum" in kinds(result.findings)) is warned


def test_a_key_given_twice_is_carried_from_the_reader(fresh_db):
    result = save_csv(fresh_db, csv("甲园区,2025-01,规上工业总产值,本月,100,万元", "甲园区,2025-01,规上工业总产值,本月,120,万元"))
    readers = [f for f in result.findings if f.check_id == "reader"]
    assert readers and "出现多次" in readers[0].message


def test_open_warnings_close_on_undo_and_on_a_corrected_value(fresh_db):
    first = save_csv(fresh_db, csv("甲园区,2025-01,税收,累计,700,万元", "甲园区,2025-02,税收,累计,650,万元"))
    assert list(checks.open_warnings(fresh_db, reader=OPERATOR)["check_id"]) == ["cumulative_decrease"]
    corrected = save_csv(fresh_db, csv("甲园区,2025-02,税收,累计,1400,万元"), "更正.csv")
    assert len(corrected.findings) == 0
    assert checks.open_warnings(fresh_db, reader=OPERATOR).empty
    store.undo(fresh_db, corrected.upload_id)
    assert len(checks.open_warnings(fresh_db, reader=OPERATOR)) == 1
    store.undo(fresh_db, first.upload_id)
    assert checks.open_warnings(fresh_db, reader=OPERATOR).empty


def test_a_metric_built_on_a_flagged_value_carries_the_reason(fresh_db):
    save_csv(fresh_db, csv("甲园区,2025-01,用地面积,期末,1000,亩", "甲园区,2025-01,税收,累计,700,万元",
                           "甲园区,2025-02,税收,累计,650,万元"))
    flagged = checks.flagged_metrics(fresh_db, dt.date(2025, 2, 1))
    tax_per_mu = flagged[flagged["metric"] == "tax_per_mu"]
    assert list(tax_per_mu["park"]) == ["甲园区"] and "低于上月累计 700.0 万元" in tax_per_mu["reason"].iloc[0]
    assert checks.flagged_metrics(fresh_db, dt.date(2025, 1, 1)).empty


def test_cli_ingest_prints_a_one_cell_finding_as_its_message_and_stores_the_file(tmp_path, new_db):
    path = tmp_path / "税收.csv"
    path.write_bytes(csv("甲园区,2025-01,税收,累计,700,万元", "甲园区,2025-02,税收,累计,650,万元"))
    db = new_db("cli")
    out = run_cli("ingest", str(path), db=db)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert "已导入" in lines[0]
    assert lines[1:] == [lines[1]] and lines[1].startswith("警告：累计值低于上月：文件「税收.csv」")
    uploads = run_cli("uploads", "--format", "json", db=db)
    assert '"file": "税收.csv"' in uploads.stdout


def test_columns_matching_no_indicator_are_refused_for_mapping(tmp_path, fresh_db, new_db):
    from parkbench import upload

    data = "园区,统计期,绿化覆盖率,路灯数量\n甲园区,2024-01,12,30\n".encode()
    checked = upload.check(fresh_db, data, "u.csv")
    assert checked.parsed is None and checked.needs_mapping
    assert "第 C 列（绿化覆盖率）" in checked.error and "不对应任何已知指标" in checked.error
    path = tmp_path / "u.csv"
    path.write_bytes(data)
    db = new_db("cli")
    out = run_cli("ingest", str(path), db=db)
    assert out.returncode == 1 and "不对应任何已知指标" in out.stderr
    assert run_cli("uploads", "--format", "json", db=db).stdout.strip() == "[]"


def test_some_unknown_columns_are_stored_with_a_warning(fresh_db):
    from parkbench import upload

    data = "园区,统计期,税收(万元),绿化覆盖率\n甲园区,2024-01,12,30\n".encode()
    shown = upload.check(fresh_db, data, "u.csv")
    unknown = [f for f in shown.findings if f.check_id == "unknown_columns"]
    assert len(unknown) == 1 and "第 D 列（绿化覆盖率）" in unknown[0].message and "不参与任何指标计算" in unknown[0].message


def test_many_warnings_each_name_their_own_row(fresh_db):
    """300 parks, each with a month-on-month jump in March: every warning names
    its own park's March row (row 2 is the header; each park has three rows)."""
    lines = []
    for n in range(300):
        lines += [f"园区{n:03d},2025-01,{OUTPUT},本月,100,万元", f"园区{n:03d},2025-02,{OUTPUT},本月,100,万元",
                  f"园区{n:03d},2025-03,{OUTPUT},本月,{200 + n},万元"]
    result = save_csv(fresh_db, csv(*lines), "三百园区.csv")
    jumps = sorted((f for f in result.findings if f.check_id == "mom_change"), key=lambda f: f.park)
    assert [(f.park, f.row, f.column) for f in jumps] == [
        (f"园区{n:03d}", 2 + 3 * n + 2, "第 E 列（数值）") for n in range(300)]
    stored = fresh_db.execute("select count(*), count(distinct row_no) from upload_warnings "
                              "where check_id = 'mom_change'").fetchall()
    assert stored == [(300, 300)]


def test_a_warning_names_the_last_row_of_its_basis_across_two_spellings(fresh_db):
    """凤城 written in traditional and simplified characters is one park; of its
    two March 本月 rows the later one (row 4) is named, not the 累计 row after it."""
    data = csv(f"凤城园区,2025-02,{OUTPUT},本月,100,万元", f"凤城园区,2025-03,{OUTPUT},本月,400,万元",
               f"鳳城園區,2025-03,{OUTPUT},本月,300,万元", f"凤城园区,2025-03,{OUTPUT},累计,400,万元")
    result = save_csv(fresh_db, data, "两种写法.csv")
    (jump,) = [f for f in result.findings if f.check_id == "mom_change"]
    assert (jump.park, jump.period, jump.row) == ("凤城园区", dt.date(2025, 3, 1), 4)


# ---------------------------------------------------------------- findings: cells grouped by park × indicator × kind

def seesaw_and_gaps() -> bytes:
    """甲: 本月 output of 2024 swinging 100, 200, 100, 200 … — up +100 % in Feb, Apr, Jun, Aug
    and Oct (5 months; each fall to 100 is −50 %, not beyond ±50 %; Dec stays at 100).
    乙: Jan, Feb, May, Jun at 100 and no March or April (2 months missing inside the series)."""
    swing = [100, 200, 100, 200, 100, 200, 100, 200, 100, 200, 100, 100]
    lines = [f"甲园区,2024-{m:02d},{OUTPUT},本月,{v},万元" for m, v in enumerate(swing, start=1)]  # rows 2–13
    lines += [f"乙园区,2024-{m:02d},{OUTPUT},本月,100,万元" for m in (1, 2, 5, 6)]  # rows 14–17
    return csv(*lines)


def test_a_series_tripping_month_after_month_is_one_finding(fresh_db):
    result = save_csv(fresh_db, seesaw_and_gaps(), "锯齿.csv")
    assert len(result.findings) == 7  # 5 + 2 cells
    findings = result.findings.findings
    # A missing month comes before a month-on-month jump (checks.SEVERITY).
    assert list(zip(findings["finding"], findings["check_id"], findings["park"], findings["cells"], strict=True)) == [
        (1, "month_missing", "乙园区", 2), (2, "mom_change", "甲园区", 5)]
    missing, jumps = findings.iloc[0], findings.iloc[1]
    assert missing["periods"] == [dt.date(2024, 3, 1), dt.date(2024, 4, 1)]
    assert missing["months"] == "2024年3月～2024年4月"
    assert jumps["periods"] == [dt.date(2024, m, 1) for m in (2, 4, 6, 8, 10)]
    assert jumps["months"] == "2024年2月、2024年4月、2024年6月、2024年8月、2024年10月"
    cells = result.findings.cells_of(2)
    assert list(cells["row_no"]) == [3, 5, 7, 9, 11] and set(cells["column_ref"]) == {"第 E 列（数值）"}
    assert set(cells["sheet"]) == {"锯齿"} and list(cells["value"]) == [200.0] * 5
    assert result.findings.cells_of(1)["row_no"].isna().all()  # a missing month has no row in the file
    assert jumps["line"] == (
        "警告：环比变动过大：文件「锯齿.csv」，工作表「锯齿」，第 3、5、7、9、11 行，第 E 列（数值）：甲园区 规上工业总产值："
        "5 个月（2024年2月、2024年4月、2024年6月、2024年8月、2024年10月）；"
        "例如 2024年2月：本月 200.0 万元，比上月 100.0 万元 变动 +100.0%（超过 ±50%）")
    # Stored one row per cell, and grouped the same way when read back as open warnings.
    assert fresh_db.execute("select count(*) from upload_warnings").fetchall() == [(7,)]
    stored = checks.open_findings(fresh_db, reader=OPERATOR).findings
    assert list(zip(stored["check_id"], stored["park"], stored["cells"], stored["months"], strict=True)) == [
        ("month_missing", "乙园区", 2, "2024年3月～2024年4月"), ("mom_change", "甲园区", 5, jumps["months"])]


def test_a_summary_names_at_most_ten_parks():
    parks = [f"园区{n:04d}" for n in range(1000)]
    assert checks.park_list(parks[:3]) == "园区0000、园区0001、园区0002"
    assert checks.park_list(parks) == "、".join(parks[:10]) + "…等 1000 个园区"


def sixty_jumps(tmp_path):
    """60 parks, each up from 100 to 200 in February: 60 findings of one cell each (rows 3, 5, … 121)."""
    lines = []
    for n in range(60):
        lines += [f"园区{n:02d},2025-01,{OUTPUT},本月,100,万元", f"园区{n:02d},2025-02,{OUTPUT},本月,200,万元"]
    lines[-2:] = [f"=HYPERLINK(1)园区,2025-01,{OUTPUT},本月,100,万元", f"=HYPERLINK(1)园区,2025-02,{OUTPUT},本月,200,万元"]
    path = tmp_path / "+六十.csv"
    path.write_bytes(csv(*lines))
    return path


def warning_lines(out) -> list[str]:
    return [line for line in out.stdout.splitlines() if line.startswith("警告")]


def test_cli_prints_fifty_findings_then_a_count_line(tmp_path, new_db):
    out = run_cli("ingest", str(sixty_jumps(tmp_path)), db=new_db("top"))
    assert out.returncode == 0, out.stderr
    lines = warning_lines(out)
    assert len(lines) == 50 and all("环比变动过大" in line for line in lines)
    assert "……另有 10 条警告（共 60 条，涉及 60 个园区）" in out.stdout.splitlines()[-1]
    everything = run_cli("ingest", str(sixty_jumps(tmp_path)), "--warnings", "all", db=new_db("all"))
    assert len(warning_lines(everything)) == 60 and "另有" not in everything.stdout
    assert len({line.split("：")[2] for line in warning_lines(everything)}) == 60  # each names its own row


def test_cli_writes_every_cell_to_a_formula_safe_workbook(tmp_path, new_db):
    import openpyxl

    target = tmp_path / "警告.xlsx"
    out = run_cli("ingest", str(sixty_jumps(tmp_path)), "--warnings-out", str(target), db=new_db("out"))
    assert out.returncode == 0, out.stderr
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    header, cells = rows[0], rows[1:]
    assert header[:9] == ("审核结果编号", "类型", "文件", "工作表", "行号", "列", "园区", "指标", "统计期")
    assert len(cells) == 60
    by_park = {row[6]: row for row in cells}
    # 园区07: its February is the 16th data row (rows 2–3 are 园区00's), row 2 + 2 × 7 + 1 = 17.
    assert by_park["园区07"][1:10] == ("环比变动过大", "'+六十.csv", "'+六十", 17, "第 E 列（数值）", "园区07",
                                      "规上工业总产值", "2025-02", 200)
    assert by_park["'=HYPERLINK(1)园区"][4] == 121  # the 60th park's February: 2 + 2 × 59 + 1
    texts = [v for row in rows for v in row if isinstance(v, str)]
    assert not [v for v in texts if v[:1] in "=+-@"]


def test_a_workbook_past_the_row_limit_goes_on_to_the_next_sheet(fresh_db, tmp_path, monkeypatch, capsys):
    import openpyxl

    from parkbench import cli

    result = save_csv(fresh_db, sixty_jumps(tmp_path).read_bytes(), "六十.csv")
    monkeypatch.setattr(cli, "EXCEL_ROWS", 25)
    cli.write_warnings(str(tmp_path / "w.xlsx"), [result.findings])
    book = openpyxl.load_workbook(tmp_path / "w.xlsx")
    assert book.sheetnames == ["数据审核", "数据审核2", "数据审核3"]
    assert [book[name].max_row for name in book.sheetnames] == [26, 26, 11]  # 25 + 25 + 10 cells, each under a header
    assert "已写入 60 个单元格的警告（60 条）" in capsys.readouterr().out


def test_stand_in_prior_year_months_are_not_a_series_with_gaps(fresh_db):
    """A 2025 report of January–June with 上年同期累计: 2024 January–June stand in from
    it, and July–December 2024 are not "missing" (they were never in a series)."""
    rows = [f"确山县产业集聚区,2025-{m:02d},规上工业总产值,{basis},{value},万元"
            for m in range(1, 7) for basis, value in (("累计", 1000 * m), ("上年同期累计", 900 * m))]
    result = save_csv(fresh_db, csv(*rows))
    assert "month_missing" not in kinds(result.findings)
    gap = save_csv(fresh_db, csv("确山县产业集聚区,2025-08,规上工业总产值,本月,1100,万元"))
    missing = [f for f in gap.findings if f.check_id == "month_missing"]
    assert [f.period for f in missing] == [dt.date(2025, 7, 1)]  # a gap inside the reported series still is one


def test_the_checks_run_as_one_statement_give_each_querys_rows_in_its_order(fresh_db):
    """``run`` asks its nine queries in one statement (sql.query_each): the
    rows of each, named after it, in the order the query gives them, as
    asking each alone gives (the sample sheets stored one after another, each
    upload checked as the store saw it)."""
    from conftest import FIXTURES

    from parkbench.models import sql

    names = [f"checks/{name}" for name in checks._CHECK_QUERIES]
    thresholds = checks._thresholds(checks.CHECKS)
    seen = []
    for path in sorted((*FIXTURES.glob("*.csv"), *FIXTURES.glob("*.xlsx"), *(FIXTURES / "v2").glob("*.csv"))):
        upload_id = save_csv(fresh_db, path.read_bytes(), path.name).upload_id
        params = {"upload_id": upload_id, "parks": checks._upload_parks(fresh_db, upload_id)}
        together = sql.query_each(fresh_db, names, **params, **thresholds)
        alone = [sql.query(fresh_db, name, **params, **{k: v for k, v in thresholds.items() if f"${k}" in sql.load(name)})
                 .assign(query=name.split("/")[1]) for name in names]
        alone = [frame for frame in alone if len(frame)]
        if not alone:
            assert together.empty, path.name
            continue
        alone = pd.concat(alone, ignore_index=True)
        assert list(together["query"]) == list(alone["query"]), path.name
        for column in alone.columns:  # every column each query returns, rounded past a float sum's last digit
            mine, theirs = together[column], alone[column]
            if pd.api.types.is_float_dtype(theirs):
                mine, theirs = mine.astype("float64").round(6), theirs.round(6)
            assert mine.astype(str).tolist() == theirs.astype(str).tolist(), (path.name, column)
        seen += together["query"].tolist()
    assert len(seen) > 100
    assert {"month_missing", "month_change", "growth_mismatch", "breakdown_sum"} <= set(seen)
