"""数据质量 in English (issue 18, item 16): every sentence the checks write
(checks._TEXT, built here with their own code) is read back in English with no
Chinese left but user text; where (sheet, rows, column) and the months too;
and the 数据质量 page in English through AppTest."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest
from conftest import APP
from streamlit.testing.v1 import AppTest

from parkbench import store
from parkbench.models import checks, findings_en
from parkbench.models.settings import CHECKS

CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


@pytest.fixture(autouse=True)
def _fresh_caches(clear_caches):
    yield


def sentences(check_id: str, **columns) -> list[str]:
    """What the check ``check_id`` writes for one value, by its own code."""
    found = pd.DataFrame({"check_id": [check_id], **{k: [v] for k, v in columns.items()}})
    return checks._texts(found, pd.Series(["万元"]), CHECKS)


@pytest.mark.parametrize(("check_id", "columns", "english"), [
    ("cumulative_decrease", {"value": 650.0, "previous": 700.0},
     "YTD 650.0 10k yuan, below last month's YTD 700.0 10k yuan (the derived month would be -50.0 10k yuan)"),
    ("month_above_ytd", {"value": 1200.0, "previous": 1000.0},
     "month 1,200.0 10k yuan above the same month's YTD 1,000.0 10k yuan"),
    ("derived_negative", {"value": -5.0}, "the month derived from the YTD values is -5.0 10k yuan, below zero"),
    ("month_missing", {"value": None},
     "no value this month (neither month nor YTD reported) while the months around it have values; "
     "the YTD cannot be computed"),
    ("mom_change", {"value": 200.0, "previous": 100.0, "change": 100.0, "month_is_reported": True},
     "month 200.0 10k yuan, +100.0% on last month's 100.0 10k yuan (beyond ±50%)"),
    ("mom_change", {"value": 50.0, "previous": 200.0, "change": -75.0, "month_is_reported": False},
     "month (derived from YTD) 50.0 10k yuan, -75.0% on last month's 200.0 10k yuan (beyond ±50%)"),
    ("yoy_change", {"value": 300.0, "previous": 100.0, "change": 200.0, "month_is_reported": True},
     "month 300.0 10k yuan, +200.0% on the same month a year earlier 100.0 10k yuan (beyond ±100%)"),
    ("growth_mismatch", {"value": 12.0, "previous": 5.5, "basis": "ytd"},
     "reported YTD YoY +12.0% against +5.5% computed from the values: 6.5 points apart (more than 1)"),
    ("land_change", {"value": 1500.0, "previous": 1000.0, "change": 50.0},
     "land area 1,500.0 10k yuan, +50.0% on the previous 1,000.0 10k yuan (beyond ±20%)"),
    ("enterprise_sum_mismatch", {"value": 1030.0, "previous": 1000.0, "change": 3.0},
     "the firms' YTD sum 1,030.0 10k yuan against the park's own YTD 1,000.0 10k yuan: +3.0% apart (beyond ±1%); "
     "the park's own figure is used"),
    ("breakdown_sum", {"value": 900.0, "previous": 1000.0, "change": -10.0},
     "the industries' output adds up to 900.0 10k yuan, -10.0% off the YTD industrial output 1,000.0 10k yuan "
     "(beyond ±1%)"),
])
def test_every_sentence_of_the_checks_reads_in_english(check_id, columns, english):
    (chinese,) = sentences(check_id, **columns)
    assert findings_en.detail(f"税收收入：{chinese}") == f"Tax revenue: {english}"
    assert not CJK.search(english)


def test_the_thresholds_in_the_english_are_those_in_force():
    # the expected sentences above quote the thresholds of parkbench/models/settings.py
    assert (CHECKS.month_on_month_percent, CHECKS.year_on_year_percent, CHECKS.growth_points,
            CHECKS.land_change_percent, CHECKS.breakdown_percent) == (50, 100, 1, 20, 1)


def test_every_kind_has_an_english_title_and_every_sentence_a_pattern():
    assert set(findings_en.TITLES) == set(checks.CHECK_TITLES)
    assert set(checks._TEXT) <= set(findings_en.TITLES)


def test_a_firm_in_two_parks_reads_in_english():
    """The sentence checks._two_parks writes (firm and park names are user text, kept as typed)."""
    detail = "企业“云南=恒达”（91530129MA6K1234X5）自2024年3月起 4 个月同时属于甲园区和乙园区；按企业名录计入甲园区，请核对"
    assert findings_en.detail(detail) == (
        "firm “云南=恒达” (91530129MA6K1234X5) belongs to both 甲园区 and 乙园区 for 4 months from 2024-03; "
        "counted in 甲园区 as the register says, please check")
    assert findings_en.detail("企业“恒达”自2024年11月起 1 个月同时属于甲和乙；按企业名录计入甲，请核对") == (
        "firm “恒达” belongs to both 甲 and 乙 for 1 month from 2024-11; counted in 甲 as the register says, please check")


def test_a_register_dated_back_reads_in_english():
    """The sentence checks._register_backwards writes (park and firm names as typed)."""
    detail = ("东园2024年1月的企业名录中有 4 家企业（甲、乙、丙等）在西园2024年6月的名录中；较晚的名录为准，"
              "本名录只在2024年1月至2024年5月把它们计入东园，请核对名录日期")
    assert findings_en.detail(detail) == (
        "4 firms on 东园's register of 2024-01 (甲, 乙, 丙, …) are on 西园's register of 2024-06; the later register "
        "holds, so this one counts them in 东园 only until 2024-05: please check the register's date")
    one = detail.replace("有 4 家企业（甲、乙、丙等）", "有 1 家企业（甲）")
    assert findings_en.detail(one).startswith("1 firm on 东园's register of 2024-01 (甲) is on 西园's register")


def test_unknown_columns_where_and_months():
    detail = "第 C 列（绿化覆盖率）（工作表「3月」）、「亩产」 不对应任何已知指标，导入后不参与任何指标计算"
    assert findings_en.detail(detail) == (
        "column C (绿化覆盖率) (sheet “3月”), “亩产” match no known indicator and feed no metric once stored")
    assert findings_en.column("第 E 列（数值）") == "column E (数值)" and findings_en.column("第 E 列") == "column E"
    assert findings_en.where(["锯齿"], [3, 5, 7], ["第 E 列（数值）"]) == "sheet “锯齿”, rows 3, 5, 7, column E (数值)"
    assert findings_en.where([], list(range(1, 13)), []) == "rows 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more"
    periods = [dt.date(2024, 3, 1), dt.date(2024, 4, 1), dt.date(2024, 6, 1)]
    assert findings_en.months(periods) == "2024-03–2024-04, 2024-06"
    # a reader's note no pattern knows is returned as written, not guessed at
    assert findings_en.detail("工作表「3月」中 甲园区 tax 2024-03 出现多次且数值不同，以最后一行为准") is None


def test_the_readers_frequent_notes_read_in_english():
    from parkbench.ingest import long_rules

    assert findings_en.detail(long_rules.no_unit_column("3月")) == (
        "sheet “3月” has no unit column: values are read in each indicator's standard unit (10k yuan, mu, firms)")
    assert findings_en.detail(long_rules.more_missing("3月", 12)) == "sheet “3月”: 12 more values not reported, not listed"
    # written inline by the readers (family_a, family_d, ingest/__init__, tables)
    assert findings_en.detail("工作表「3月」第 C 列（备注）不是数值列，已跳过") == (
        "sheet “3月”, column C (备注) is not a column of numbers: skipped")
    assert findings_en.detail("未识别、已跳过的工作表：说明、封面") == "sheets not recognised, skipped: 说明, 封面"
    assert findings_en.detail("工作表「3月」有 2 个公式单元格没有保存计算结果（C3、D4），按未报送处理；"
                              "请在 Excel 中打开、重新计算并保存后再上传") == (
        "sheet “3月” has 2 formula cells without a saved result (C3, D4), taken as not reported; open the file "
        "in Excel, recalculate, save and upload it again")


def test_quality_page_in_english_names_kind_where_and_detail_in_english(tmp_path, monkeypatch):
    """The series of tests/test_cycle_pages.py: 乙 misses March and April, 甲's output jumps +100 %
    in five months. User text (park names, the sheet 锯齿, the header 数值) stays as typed."""
    from test_checks import seesaw_and_gaps

    from parkbench.ingest import parse_file

    path = tmp_path / "seesaw.duckdb"
    con = store.connect(path)
    store.save(con, parse_file(seesaw_and_gaps(), "锯齿.csv"), b"")
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["english"] = True
    at.run()
    at.switch_page("pages/quality.py").run()
    assert not at.exception
    body = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert "**Findings: 2** (7 values): Missing month 1, Month-on-month jump 1" in body
    assert ("1. Month missing in a series: 乙园区 Industrial output: 2 months (2024-03–2024-04); e.g. 2024-03: "
            "no value this month (neither month nor YTD reported) while the months around it have values; "
            "the YTD cannot be computed") in body
    assert ("2. Month-on-month change too large: sheet “锯齿”, rows 3, 5, 7, 9, 11, column E (数值): 甲园区 "
            "Industrial output: 5 months (2024-02, 2024-04, 2024-06, 2024-08, 2024-10); e.g. 2024-02: "
            "month 200.0 10k yuan, +100.0% on last month's 100.0 10k yuan (beyond ±50%)") in body
    assert at.multiselect(key="quality:kinds").options == ["Month missing in a series",
                                                          "Month-on-month change too large"]
    assert at.selectbox(key="quality:open").options[1] == \
        "2. Month-on-month change too large · 甲园区 Industrial output (5 values)"
    at.selectbox(key="quality:open").select_index(1).run()
    cells = at.table[0].value
    assert set(cells["Column"]) == {"column E (数值)"}
    assert set(cells["Detail"]) == {
        "Industrial output: month 200.0 10k yuan, +100.0% on last month's 100.0 10k yuan (beyond ±50%)"}
    user_text = ("甲园区", "乙园区", "锯齿", "数值")
    shown = body + "".join(cells.columns) + "".join(cells.astype(str).to_numpy().ravel())
    for text in user_text:
        shown = shown.replace(text, "")
    assert not CJK.search(shown), CJK.findall(shown)
