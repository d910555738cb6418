"""报送进度: which park reported which month, the default period (newest month
at least half of the group reported) and who is late; the status CLI."""

from __future__ import annotations

import datetime as dt
import json

from conftest import run_cli, store_rows

from parkbench import store
from parkbench.models import status

JAN, FEB, MAR = dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)


def four_parks(con, march_parks=("甲",)):
    """甲乙丙丁 all report January; 甲乙丙 February; ``march_parks`` March. 戊 has land only."""
    rows = [(p, "output", "2025-01", "month", 100) for p in "甲乙丙丁"]
    rows += [(p, "tax", "2025-02", "month", 10) for p in "甲乙丙"]
    rows += [(p, "output", "2025-03", "month", 100) for p in march_parks]
    rows += [("戊", "land_area", "2025-01", "stock", 500)]
    store_rows(con, [(p + "园区", i, m, b, v) for p, i, m, b, v in rows])


def test_default_period_is_the_newest_month_half_the_parks_reported(fresh_db):
    four_parks(fresh_db)
    summary = status.summary(fresh_db)
    # five parks with data (戊 counts, though it never reported output or tax):
    # January 4/5, February 3/5, March 1/5 → February is the newest month with at least half.
    assert summary.parks == ["丁园区", "丙园区", "乙园区", "戊园区", "甲园区"]
    assert summary.default_period == FEB
    assert summary.complete_period is None  # 戊 never reported output or tax
    assert summary.newest_period == MAR
    assert summary.late == ["丁园区", "戊园区"]
    assert summary.missing_at(MAR) == ["丁园区", "丙园区", "乙园区", "戊园区"]


def test_a_group_of_four_where_two_sent_march_opens_on_march(fresh_db):
    four_parks(fresh_db, march_parks=("甲", "乙"))
    group = ["甲园区", "乙园区", "丙园区", "丁园区"]
    summary = status.summary(fresh_db, group)
    assert summary.default_period == MAR  # 2 of 4 is half
    assert summary.complete_period == JAN
    assert summary.late == ["丁园区", "丙园区"]


def test_a_month_derived_from_cumulatives_counts_as_reported(fresh_db):
    store_rows(fresh_db, [("甲园区", "output", "2025-01", "ytd", 100), ("甲园区", "output", "2025-02", "ytd", 250)])
    assert status.reported_at(fresh_db, FEB) == [{"park": "甲园区", "reported": True}]


def test_grid_marks_reported_and_missing_per_indicator_group(fresh_db):
    four_parks(fresh_db)
    grid = status.grid(fresh_db, ["甲园区", "丁园区"])
    key = grid[grid["indicator_group"] == "key"].set_index(["park", "period"])["status"]
    assert key[("甲园区", FEB)] == "reported" and key[("丁园区", FEB)] == "missing"
    tax = grid[grid["indicator_group"] == "tax"].set_index(["park", "period"])["status"]
    assert tax[("甲园区", JAN)] == "missing" and tax[("甲园区", FEB)] == "reported"
    assert sorted(grid["period"].unique()) == [JAN, FEB, MAR]


def test_status_cli_lists_every_park_in_the_store(tmp_path):
    db = tmp_path / "s.duckdb"
    con = store.connect(db)
    four_parks(con)
    con.close()
    out = run_cli("status", "--period", "2025-02", "--format", "json", db=db)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == [
        {"park": "丁园区", "reported": False}, {"park": "丙园区", "reported": True},
        {"park": "乙园区", "reported": True}, {"park": "戊园区", "reported": False},
        {"park": "甲园区", "reported": True}]
    bad = run_cli("status", "--period", "2025年2月", db=db)
    assert bad.returncode == 1 and "YYYY-MM" in bad.stderr
    table = run_cli("status", db=db)  # the default period
    assert "2025-02 报送进度：已报送 3/5 个园区" in table.stdout


def test_the_newest_month_every_park_reported_says_who_misses_one_before_it(fresh_db):
    """甲 sent May–August, 乙 May, June and August: both have August, but 乙 lacks July."""
    store_rows(fresh_db, [("甲园区", "tax", f"2025-{m:02d}", "month", 1) for m in (5, 6, 7, 8)]
               + [("乙园区", "tax", f"2025-{m:02d}", "month", 1) for m in (5, 6, 8)])
    summary = status.summary(fresh_db)
    assert summary.complete_period == dt.date(2025, 8, 1)
    assert summary.gaps_before(summary.complete_period) == {"乙园区": [dt.date(2025, 7, 1)]}
    assert summary.gaps_before(dt.date(2025, 6, 1)) == {}


def test_the_status_page_names_the_month_and_the_gaps_before_it(tmp_path, monkeypatch, clear_caches):
    from conftest import APP
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "gaps.duckdb"
    con = store.connect(path)
    store_rows(con, [("甲园区", "tax", f"2025-{m:02d}", "month", 1) for m in (5, 6, 7, 8)]
               + [("乙园区", "tax", f"2025-{m:02d}", "month", 1) for m in (5, 6, 8)])
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/status.py").run()
    assert not at.exception
    assert "全部园区均已报送的最新月份" in [m.label for m in at.metric]
    assert "此前仍有缺报：乙园区（2025年7月）" in [c.value for c in at.caption]


def review_store(con):
    """甲园区 May approved (#1); 乙园区 May waiting (#2, by jia); 甲园区 June returned (#3)."""
    store_rows(con, [("甲园区", "tax", "2025-05", "month", 1)], file_name="甲5.csv", by="admin")
    store_rows(con, [("乙园区", "tax", "2025-05", "month", 2)], file_name="乙5.csv", by="jia", pending=True)
    store_rows(con, [("甲园区", "tax", "2025-06", "month", 3)], file_name="甲6.csv", by="jia", pending=True)
    store.return_upload(con, 3, "六月税收少报一户", by="admin")


def test_review_progress_states_who_and_late(fresh_db):
    review_store(fresh_db)
    # 12 July: May was due 10 June, June is due 10 July — both past
    frame = status.review_progress(fresh_db, today=dt.date(2025, 7, 12)).set_index(["park", "period"])
    may, june = dt.date(2025, 5, 1), dt.date(2025, 6, 1)
    assert frame.loc[("甲园区", may), "state"] == "approved" and frame.loc[("甲园区", may), "uploaded_by"] == "admin"
    assert frame.loc[("乙园区", may), "state"] == "pending" and frame.loc[("乙园区", may), "uploaded_by"] == "jia"
    june_jia = frame.loc[("甲园区", june)]
    assert (june_jia["state"], june_jia["reviewed_by"], june_jia["return_reason"]) == ("returned", "admin", "六月税收少报一户")
    assert frame.loc[("乙园区", june), "state"] == "missing"
    assert frame.loc[("甲园区", june), "due_date"] == dt.date(2025, 7, 10)
    late = {k for k, v in frame["late"].items() if v}
    assert late == {("甲园区", june), ("乙园区", june)}  # waiting (乙 May) is not late; approved is not
    # on 10 July June is not due yet
    assert not status.review_progress(fresh_db, today=dt.date(2025, 7, 10))["late"].any()


def test_the_status_page_shows_each_review_state(tmp_path, monkeypatch, clear_caches):
    from conftest import APP
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "review.duckdb"
    con = store.connect(path)
    review_store(con)
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/status.py").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "reason" in d.value.columns)
    rows = {(r.park, r.period): r for r in table.itertuples()}
    assert rows[("甲园区", "2025年5月")].state == "已通过"
    assert rows[("乙园区", "2025年5月")].state == "待审核"
    assert rows[("甲园区", "2025年6月")].state == "已退回（逾期）"
    assert rows[("甲园区", "2025年6月")].reason == "六月税收少报一户"
    assert rows[("乙园区", "2025年6月")].state == "未报送（逾期）"
    assert any("逾期：" in w.value and "乙园区 2025年6月" in w.value for w in at.warning)
    assert any("次月 10 日前" in c.value for c in at.caption)
    lines = [m.value for m in at.markdown if m.value.startswith("**2025年")]
    assert lines == ["**2025年6月** — 已退回：甲园区；未报送：乙园区", "**2025年5月** — 待审核：乙园区；已通过：甲园区"]
