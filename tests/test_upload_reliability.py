"""The upload page when people collide or the store says no: a double undo
from two sessions is answered in Chinese, a database held by another program
gives a Chinese sentence at start-up, files of the wrong type or size are
refused in Chinese, and none of it shows a traceback."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest
from conftest import APP, SAMPLE_C, SAMPLE_D
from streamlit.testing.v1 import AppTest

from parkbench import limits, store
from parkbench.ingest import parse_path


@pytest.fixture(autouse=True)
def _fresh_caches(clear_caches):
    yield


@pytest.fixture
def db_with_upload(tmp_path, monkeypatch):
    path = tmp_path / "reliability.duckdb"
    con = store.connect(path)
    result = store.save(con, parse_path(SAMPLE_D), SAMPLE_D.read_bytes())
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    return path, result.upload_id


def upload_page(files=()) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/upload.py")
    if files:
        at.session_state["upload_pending"] = {hashlib.sha256(d).hexdigest(): (n, d) for n, d in files}
    return at.run()


def click(at: AppTest, label: str) -> AppTest:
    found = [b for b in at.button if b.label == label]
    assert found, f"no button {label!r} among {[b.label for b in at.button]}"
    return found[0].click().run()


def test_double_undo_from_two_sessions_is_answered_in_chinese(db_with_upload):
    _, upload_id = db_with_upload
    first, second = upload_page(), upload_page()
    for at in (first, second):  # both see the upload as active and ask to undo it
        click(at, "撤销")
        assert any(f"确认撤销上传 #{upload_id}" in w.value for w in at.warning)
    click(first, "确认撤销")
    click(second, "确认撤销")
    assert not first.exception and not second.exception
    assert any(f"已撤销上传 {upload_id}" in s.value for s in first.success)
    told = [i.value.replace("\\", "") for i in second.info]  # shown through plain(): Markdown escaped
    assert any(f"上传 {upload_id}（{SAMPLE_D.name}）已于" in i and "撤销过，无需再次撤销" in i for i in told), told
    assert not second.success  # the second session did not undo anything


def test_files_of_other_types_refused_in_chinese(db_with_upload):
    at = upload_page([("报表.pdf", b"%PDF-1.4 not a sheet")])
    assert not at.exception
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any("不支持的文件类型“.pdf”" in e and "报表.pdf" in e for e in errors), errors


def test_file_over_the_size_limit_refused_in_chinese(db_with_upload):
    big = b"\xef\xbb\xbf" + SAMPLE_C.read_bytes() * (limits.MAX_FILE_MB * 1024 * 1024 // len(SAMPLE_C.read_bytes()) + 2)
    assert len(big) > limits.MAX_FILE_MB * 1024 * 1024
    at = upload_page([("很大的表.csv", big)])
    assert not at.exception
    assert any(f"超过上限 {limits.MAX_FILE_MB} MB" in e.value for e in at.error)


def test_database_held_by_another_program_is_said_in_chinese(tmp_path, monkeypatch):
    path = tmp_path / "held.duckdb"
    store.connect(path).close()
    holder = subprocess.Popen(  # another program (the CLI, say) holding the file's lock
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True);"
         " time.sleep(120)", str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        monkeypatch.setenv("PARKBENCH_DB", str(path))
        at = AppTest.from_file(APP, default_timeout=60).run()
        assert not at.exception
        assert any("数据库文件正被另一个程序" in e.value for e in at.error)
    finally:
        holder.kill()
        holder.wait()  # the holder has exited: the system has released its lock on the file
    at = AppTest.from_file(APP, default_timeout=60).run()  # the holder is gone: the next visit opens it
    assert not at.exception and not at.error
