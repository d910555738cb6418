"""The 企业 page (pages/firms.py) on the enterprise samples: the park's totals
beside its firms' sums, the chart of 亩均 against land, the firms' table, the
低效用地 list; hidden and empty for an account that may see no park's firms
(docs/enterprises.md rule 5), and its empty state on a store without firms."""

from __future__ import annotations

import pytest
from conftest import APP
from streamlit.testing.v1 import AppTest


def test_the_page_shows_a_parks_firms_totals_chart_and_low_yield_list(enterprise_app):
    at = enterprise_app.run()
    at.switch_page("pages/firms.py").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.title[0].value == "企业"
    assert at.selectbox[0].options == ["东山经济开发区", "南湖工业园区"]
    at.selectbox[0].set_value("南湖工业园区").run()
    subheaders = [s.value for s in at.subheader]
    assert subheaders[0] == "园区合计与企业合计" and subheaders[-1] == "低效用地企业"
    assert len(at.get("vega_lite_chart")) == 1
    at.number_input(key="firms:below:tax_per_mu").set_value(1000.0).run()  # every firm holding land is below
    assert not at.exception and not at.error
    sentence = [m.value.replace("\\", "") for m in at.markdown if "低效企业" in m.value]
    # every firm holding land is listed: all of the park's land (the sum over its firms), all its tax
    assert sentence and "占园区工业用地 100.0%），税收占 100.0%" in sentence[0], sentence


@pytest.fixture
def with_accounts(enterprise_db, tmp_path, monkeypatch, clear_caches):
    """The samples' store copied beside an accounts file: a 查看 account of 东山 and one of another park."""
    import shutil

    from parkbench.store import accounts

    db = tmp_path / "firms.duckdb"
    shutil.copy(enterprise_db, db)
    path = accounts.accounts_path(db)
    accounts.put(path, "dongshan", "查看", parks=("东山经济开发区",), password="secret-pass-1")
    accounts.put(path, "elsewhere", "查看", parks=("别的园区",), password="secret-pass-1")
    monkeypatch.setenv("PARKBENCH_DB", str(db))
    monkeypatch.setenv("PARKBENCH_NO_DEMO", "1")
    return db


def signed_in(username: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["_parkbench_user"] = username
    return at.run()


def test_a_park_account_sees_its_own_parks_firms_only(with_accounts):
    at = signed_in("dongshan")
    at.switch_page("pages/firms.py").run()
    assert not at.exception and not at.error
    assert at.selectbox[0].options == ["东山经济开发区"]


def test_an_account_of_another_park_sees_no_firm(with_accounts):
    """Rule 5: no 企业 page in its navigation, and no link to a park's firms from 园区对比."""
    at = signed_in("elsewhere")
    assert not at.exception
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/firms.py")
    at.switch_page("pages/compare.py").run()
    at.selectbox(key="compare:park:zh").set_value("东山经济开发区").run()
    assert not at.exception and not at.get("page_link")
    admin = signed_in("dongshan")
    admin.switch_page("pages/compare.py").run()
    admin.selectbox(key="compare:park:zh").set_value("东山经济开发区").run()
    assert [link.proto.label for link in admin.get("page_link")] == ["查看 东山经济开发区 的企业"]


def test_the_empty_state(tmp_path, monkeypatch, clear_caches):
    monkeypatch.setenv("PARKBENCH_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("PARKBENCH_NO_DEMO", "1")
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page("pages/firms.py").run()
    assert not at.exception
    assert any("还没有您可查看的企业数据" in i.value for i in at.info)


def test_industries_page_says_each_group_in_the_seeds_style_and_names_the_top_firms(enterprise_app):
    at = enterprise_app.run()
    at.switch_page("pages/industries.py").run()
    assert not at.exception and not at.error
    lines = [m.value.replace("\\", "") for m in at.markdown if "户实现产值" in m.value]
    assert lines and all(line.startswith("- ") for line in lines), lines
    assert any("贡献最大的企业" in m.value for m in at.markdown)
    firm_tables = [d.value for d in at.dataframe
                   if "enterprise" in getattr(getattr(d.value, "data", d.value), "columns", [])]
    assert len(firm_tables) == 2  # the five firms with the most output, and with the most tax
    assert all(0 < len(getattr(f, "data", f)) <= 5 for f in firm_tables)


def test_industries_page_names_no_firm_for_an_account_of_another_park(with_accounts):
    at = signed_in("elsewhere")
    at.switch_page("pages/industries.py").run()
    assert not at.exception
    assert not any("贡献最大的企业" in m.value for m in at.markdown)


def test_a_scheme_adds_each_firms_class_and_the_d_firms_to_the_low_yield_list(enterprise_app):
    at = enterprise_app.run()
    at.switch_page("pages/firms.py").run()
    at.selectbox[0].set_value("南湖工业园区").run()
    at.selectbox(key="firms:scheme").select_index(1).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    table = at.dataframe[1].value
    frame = table.data if hasattr(table, "data") else table
    assert {"class", "years_in_d"} <= set(frame.columns)
    assert set(frame["class"].dropna()) <= {"A", "B", "C", "D", "T"}
    assert at.checkbox(key="firms:low_d").value is True
