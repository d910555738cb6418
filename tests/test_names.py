"""A park name close to a known one asks 是否为：…？ instead of silently creating a park."""

from __future__ import annotations

from conftest import store_rows

from parkbench import upload
from parkbench.store import names


def test_closeness_after_folding():
    assert names.closeness("西平产业集聚区", "西平县产业集聚区") == 1  # contained, one character shorter
    assert names.closeness("西平县 产业集聚区", "西平县产业集聚区") is None  # the same name once folded: not a typo
    assert names.closeness("西平县产业聚集区", "西平县产业集聚区") == 2  # two characters swapped: two edits
    assert names.closeness("泌阳县产业集聚区", "确山县产业集聚区") is None  # another county, not a typo
    assert names.closeness("西平", "西平县产业集聚区") is None  # too short to say


def test_a_typo_is_suggested_and_yes_adds_the_alias(fresh_db):
    store_rows(fresh_db, [("西平县产业集聚区", "output", "2025-01", "month", 100)])
    data = "园区,统计期,指标,口径,数值,单位\n西平产业集聚区,2025-02,规上工业总产值,本月,110,万元\n".encode()
    shown = upload.check(fresh_db, data, "typo.csv")
    assert shown.suggestions == {"西平产业集聚区": "西平县产业集聚区"}
    names.accept_alias(fresh_db, "西平产业集聚区", "西平县产业集聚区")
    again = upload.check(fresh_db, data, "typo.csv", previous=shown)  # the new alias: previewed again
    assert again.suggestions == {} and again.parks == ["西平县产业集聚区"] and again.new_parks == []
    upload.store(fresh_db, again)
    parks = fresh_db.execute("select name from parks join observations using (park_id) group by name").fetchall()
    assert parks == [("西平县产业集聚区",)]


def test_two_equally_close_parks_give_no_suggestion(fresh_db):
    store_rows(fresh_db, [("甲乙丙丁一区", "output", "2025-01", "month", 1), ("甲乙丙丁二区", "output", "2025-01", "month", 1)])
    assert names.close_park(fresh_db, "甲乙丙丁三区") is None
    assert names.close_park(fresh_db, "甲乙丙丁一区") is None  # known: nothing to ask
