"""Writes one at a time: uploads and undos from many sessions at once all land
(the app gives each session a cursor on one connection), a second undo of
the same upload is told so in Chinese, and a database error reaches the
user as a Chinese sentence with the store unchanged."""

from __future__ import annotations

import threading

import pandas as pd
import pytest
from conftest import store_rows

from parkbench import store
from parkbench.ingest.model import GROWTH_COLUMNS, INDUSTRY_COLUMNS, Parsed, empty_frame

pytestmark = pytest.mark.both_stores  # store tests: on DuckDB and on PostgreSQL (conftest)


def parsed_for(park: str, value: float) -> Parsed:
    import datetime as dt

    observations = pd.DataFrame([(park, "tax", dt.date(2024, 1, 1), "month", value)],
                                columns=["park", "indicator", "period", "basis", "value"])
    return Parsed(f"{park}.csv", "C", observations, empty_frame(GROWTH_COLUMNS), empty_frame(INDUSTRY_COLUMNS))


def at_once(actions) -> list:
    """Run the actions in threads released together; their results or exceptions, in order."""
    barrier = threading.Barrier(len(actions))
    results: list = [None] * len(actions)

    def run(i, action):
        barrier.wait()
        try:
            results[i] = action()
        except Exception as exc:  # collected and asserted on below
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def test_simultaneous_uploads_all_land(new_db):
    con = store.connect(new_db("w"))
    parks = [f"并发园区{i}" for i in range(8)]
    cursors = [con.cursor() for _ in parks]
    results = at_once([lambda c=c, p=p, i=i: store.save(c, parsed_for(p, 10.0 + i), p.encode())
                       for i, (c, p) in enumerate(zip(cursors, parks, strict=True))])
    failures = [r for r in results if isinstance(r, Exception)]
    assert not failures, failures
    stored = dict(con.execute(
        "select p.name, o.value from observations o join parks p using (park_id) where p.name like '并发园区%'"
    ).fetchall())
    assert stored == {p: 10.0 + i for i, p in enumerate(parks)}
    assert len({r.upload_id for r in results}) == 8


def test_upload_and_undo_at_once(new_db):
    con = store.connect(new_db("w"))
    first = store.save(con, parsed_for("先园区", 1.0), b"1")
    results = at_once([lambda: store.undo(con.cursor(), first.upload_id),
                       lambda: store.save(con.cursor(), parsed_for("后园区", 2.0), b"2")])
    assert not [r for r in results if isinstance(r, Exception)], results
    names = {r[0] for r in con.execute(
        "select distinct p.name from observations o join parks p using (park_id)").fetchall()}
    assert "后园区" in names and "先园区" not in names


def test_double_undo_at_once_one_wins_the_other_is_told(new_db):
    con = store.connect(new_db("w"))
    upload = store.save(con, parsed_for("甲园区", 5.0), b"x")
    results = at_once([lambda: store.undo(con.cursor(), upload.upload_id) for _ in range(2)])
    done = [r for r in results if isinstance(r, str)]
    told = [r for r in results if isinstance(r, store.AlreadyUndone)]
    assert len(done) == 1 and done[0].startswith(f"已撤销上传 {upload.upload_id}")
    assert len(told) == 1 and "撤销过" in str(told[0]) and "甲园区.csv" in str(told[0])


def test_second_undo_says_already_undone(fresh_db):
    upload = store_rows(fresh_db, [("甲园区", "tax", "2024-01", "month", 5)])
    store.undo(fresh_db, upload.upload_id)
    with pytest.raises(store.AlreadyUndone, match=rf"上传 {upload.upload_id}（given.csv）已于 .* 撤销过，无需再次撤销"):
        store.undo(fresh_db, upload.upload_id)


def test_database_error_is_chinese_and_changes_nothing(fresh_db):
    store_rows(fresh_db, [("甲园区", "tax", "2024-01", "month", 5)])
    before = fresh_db.execute("select count(*), sum(value) from observations").fetchall()
    uploads = fresh_db.execute("select count(*) from uploads").fetchall()
    bad = parsed_for("乙园区", 1.0)
    bad.observations["period"] = "不是日期"  # the insert's cast to date fails inside DuckDB
    with pytest.raises(store.StoreError) as refused:
        store.save(fresh_db, bad, b"bad")
    message = str(refused.value)
    assert message.startswith("数据库出错") and "导入「乙园区.csv」未完成，数据库没有任何改变" in message
    assert "Traceback" not in message and "/" not in message  # no server paths
    assert fresh_db.execute("select count(*), sum(value) from observations").fetchall() == before
    assert fresh_db.execute("select count(*) from uploads").fetchall() == uploads
    assert store.find_park(fresh_db, "乙园区") is None


def test_kill_during_ingest_loses_nothing_and_writes_no_half(tmp_path, new_db):
    """kill -9 of the CLI at several moments of an ingest: afterwards the store
    opens, and holds either everything it held before plus the whole file, or
    exactly what it held before."""
    import signal
    import subprocess
    import sys
    import time

    from conftest import SAMPLE_D

    lines = ["园区,统计期,指标,口径,数值,单位"] + [
        f"杀进程园区{p},{2000 + y}-{m:02d},税收,本月,{p + m / 10},万元"
        for p in range(60) for y in range(20) for m in range(1, 13)]
    big = tmp_path / "大长表.csv"
    big.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected_rows = len(lines) - 1
    db = new_db("kill")
    con = store.connect(db)
    first = store.save(con, parsed_for("原有园区", 7.0), SAMPLE_D.read_bytes())
    con.close()
    for delay in (0.5, 1.5, 3.0, 5.0):
        child = subprocess.Popen([sys.executable, "-m", "parkbench", "ingest", str(big), "--db", str(db)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        con = store.connect(db)
        try:
            kept = con.execute("select value from observations where upload_id = ?", [first.upload_id]).fetchall()
            assert kept == [(7.0,)]
            for (upload_id,) in con.execute("select upload_id from uploads where file_name = ?",
                                            [big.name]).fetchall():
                count = con.execute("select count(*) from observations where upload_id = ?",
                                    [upload_id]).fetchall()[0][0]
                assert count == expected_rows  # a stored upload is whole
            orphans = con.execute("select count(*) from observations where upload_id not in "
                                  "(select upload_id from uploads)").fetchall()[0][0]
            assert orphans == 0
        finally:
            con.close()
