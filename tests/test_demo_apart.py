"""Demo kept apart: the demo has a database of its own; a real upload never
meets demo values; the app starts on the demo when there is no real data,
leaves it on the first real upload, and keeps it one click away."""

from __future__ import annotations

import pytest
from conftest import APP, SAMPLE_C, SAMPLE_D, run_cli
from streamlit.testing.v1 import AppTest

from parkbench import store
from parkbench.ingest import parse_path
from parkbench.models import metrics
from parkbench.store import demo

DEMO_ONLY = "示例县工业园区"


@pytest.fixture(autouse=True)
def _fresh_caches(clear_caches):
    yield


def test_a_real_upload_retires_demo_data_in_the_same_database(fresh_db):
    demo.load(fresh_db)
    assert DEMO_ONLY in metrics.park_names(fresh_db)
    result = store.save(fresh_db, parse_path(SAMPLE_D), SAMPLE_D.read_bytes())
    assert result.left_demo and "示例数据已移除" in result.summary()
    assert metrics.park_names(fresh_db) == ["确山县产业集聚区"]
    exported = metrics.metric_values(fresh_db)
    assert set(exported["park"]) == {"确山县产业集聚区"}
    # 确山 is a demo park too: none of its demo months (2023-01…2025-12 in the demo) survives beyond the sample's
    assert exported["period"].max() == "2024-12"


def test_demo_is_refused_where_real_data_is(fresh_db):
    store.save(fresh_db, parse_path(SAMPLE_C), SAMPLE_C.read_bytes())
    with pytest.raises(store.StoreError, match="已有真实数据"):
        demo.load(fresh_db)


def test_cli_demo_fills_a_database_of_its_own(tmp_path):
    out = run_cli("demo", db=tmp_path / "demo.duckdb")
    assert out.returncode == 0, out.stderr
    assert "示例数据_园区月度长表.csv：已导入" in out.stdout
    real = tmp_path / "real.duckdb"
    run_cli("ingest", str(SAMPLE_C), db=real)
    refused = run_cli("demo", db=real)
    assert refused.returncode == 1 and "已有真实数据" in refused.stderr


def test_open_demo_is_separate_from_the_real_store(tmp_path):
    real = store.connect(tmp_path / "real.duckdb")
    shown = demo.open_demo()
    assert DEMO_ONLY in metrics.park_names(shown)
    assert not store.has_uploads(real)


def body(at) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.info] + [m.value for m in at.warning]
    parts += [m.value for m in at.caption] + [t.value for t in at.title]
    return "\n".join(str(p) for p in parts)


def test_app_starts_on_the_demo_without_touching_the_real_store(tmp_path, monkeypatch):
    path = tmp_path / "real.duckdb"
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "当前显示的是示例数据" in body(at) and DEMO_ONLY in body(at)
    at.switch_page("pages/compare.py").run()  # every page reads the demo database
    assert not at.exception and DEMO_ONLY in set(at.dataframe[0].value["park"])
    con = store.connect(path)
    assert not store.has_uploads(con) and store.is_empty(con)  # nothing written to the real store
    con.close()


def test_with_real_data_the_demo_is_one_click_away(tmp_path, monkeypatch):
    path = tmp_path / "real.duckdb"
    con = store.connect(path)
    store.save(con, parse_path(SAMPLE_D), SAMPLE_D.read_bytes())
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert DEMO_ONLY not in body(at) and "示例数据" not in body(at)
    assert set(at.dataframe[0].value["park"]) == {"确山县产业集聚区"}
    assert [b.label for b in at.sidebar.button] == ["查看示例数据"]
    # AppTest reruns only the page after the first run, so the click (on_click=view_demo) is
    # driven in the browser test; here the session starts with the choice made.
    viewing = AppTest.from_file(APP, default_timeout=60)
    viewing.session_state["_parkbench_view_demo"] = True
    viewing.run()
    assert not viewing.exception
    assert "正在查看示例数据" in body(viewing) and DEMO_ONLY in set(viewing.dataframe[0].value["park"])
    assert [b.label for b in viewing.sidebar.button] == ["返回真实数据"]
    con = store.connect(path)
    assert [u for u in store.list_uploads(con, include_undone=True)["file"]] == [SAMPLE_D.name]
    con.close()


def test_a_store_holding_demo_and_real_uploads_drops_the_demo_on_opening(tmp_path, monkeypatch):
    """A store from before the demo had its own database."""
    path = tmp_path / "old.duckdb"
    con = store.connect(path)
    demo.load(con)
    con.execute("insert into uploads (upload_id, file_name, sha256, row_count) values (99, 'real.csv', 'x', 1)")
    con.close()
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    con = store.connect(path)
    assert not store.demo_in_use(con) and store.is_empty(con)
    con.close()


def test_settings_pages_say_settings_saved_on_the_demo_are_not_kept(tmp_path, monkeypatch):
    """Peer groups, schemes, 调档 and alert thresholds saved while the demo is shown go into the
    demo's own database, which the first real upload leaves and a restart rebuilds: the forms
    say so (issue 18, item 24); with real data they do not."""
    path = tmp_path / "real.duckdb"
    monkeypatch.setenv("PARKBENCH_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/evaluation.py").run()
    assert not at.exception
    said = "\n".join(w.value for w in at.warning)
    for what in ("评价方案", "调档", "预警阈值"):
        assert f"此处保存的{what}只属于示例数据，不会带到上传的真实数据中" in said, what
    at.switch_page("pages/rankings.py").run()
    assert "此处保存的对标组只属于示例数据" in "\n".join(w.value for w in at.warning)

    con = store.connect(path)
    store.save(con, parse_path(SAMPLE_D), SAMPLE_D.read_bytes())
    con.close()
    real = AppTest.from_file(APP, default_timeout=60).run()
    for page in ("pages/evaluation.py", "pages/rankings.py"):
        real.switch_page(page).run()
        assert not real.exception
        assert not any("只属于示例数据" in w.value for w in real.warning), page
