"""The 综合评价 page in a real browser on demo data: the result table and the
stacked bars are drawn, and a 调档 made by hand (reason required) shows up as
初评 / 调整后 and in the log. Screenshots go to test-artifacts/screenshots/.

The server's port is PARKBENCH_TEST_PORT when set (helpers share a machine
and each has a port range), else a free one."""

from __future__ import annotations

import os

import pytest

from .conftest import ARTIFACTS, AppServer, assert_no_errors, open_app_page, rerun, screenshot


@pytest.fixture(scope="module")
def evaluation_server(tmp_path_factory):
    server = AppServer(tmp_path_factory.mktemp("evaluation-db") / "parkbench.duckdb",
                       ARTIFACTS / "logs" / "evaluation-server.log")
    if os.environ.get("PARKBENCH_TEST_PORT"):
        server.port = int(os.environ["PARKBENCH_TEST_PORT"])
        server.url = f"http://127.0.0.1:{server.port}"
    with server:
        yield server.url


def shown_tables(page) -> list[list[list[str]]]:
    """The dataframes on screen (those of other tabs are hidden), each as rows
    of cell texts, header first, read from the accessible table the data grid
    keeps beside its canvas once it is drawn.

    Waits until *every* visible grid is drawn and reads them in the same call:
    the result tab holds two grids, and the browser may draw the second first."""
    handle = page.wait_for_function("""() => {
        const grids = Array.from(document.querySelectorAll('[data-testid="stDataFrame"]'))
            .filter(d => d.offsetParent !== null);
        if (grids.length === 0 || grids.some(d => d.querySelectorAll('table td').length === 0)) return null;
        return grids.map(d => Array.from(d.querySelectorAll('table tr'))
            .map(r => Array.from(r.querySelectorAll('th, td')).map(c => c.textContent)));
    }""")
    return handle.json_value()


def bar_count(page) -> int:
    return page.evaluate("""() => document.querySelector('[data-testid="stVegaLiteChart"]')
        .querySelectorAll('svg [aria-roledescription="bar"]').length""")


def pick(page, label: str, option: str) -> None:
    """Choose ``option`` in the selectbox labelled ``label``."""
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def test_results_and_bars(evaluation_server, page):
    open_app_page(page, f"{evaluation_server}/evaluation")
    assert_no_errors(page, "evaluation")
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_text("2025年12月 综合评价结果").count() == 1
    rows = shown_tables(page)[0]
    assert rows[0][:5] == ["名次", "园区", "综合得分（分）", "初评", "调整后"]
    assert sorted(r[1] for r in rows[1:]) == sorted(["确山县产业集聚区", "示例县工业园区", "寻甸特色产业园区", "宽甸经济开发区"])
    assert [r[0] for r in rows[1:]] == ["1", "2", "3", "4"]
    assert [r[3] for r in rows[1:]] == ["A", "B", "B", "C"]  # ceil rule among four: A ≤ 1, B ≤ 3, C ≤ 4
    # the default scheme has five indicators; every park reports all five in 2025-12: 4 × 5 segments
    page.wait_for_selector('[data-testid="stVegaLiteChart"] svg [aria-roledescription="bar"]')
    assert bar_count(page) == 20
    assert main.get_by_text("与上年同期相比的等级变化").count() == 1
    screenshot(page, "evaluation-results")


def test_adjustment_in_the_browser(evaluation_server, page):
    open_app_page(page, f"{evaluation_server}/evaluation")
    page.get_by_role("tab", name="调档与公示记录").click()
    pick(page, "调整为", "D")
    page.get_by_label("调整人", exact=True).fill("王五")
    with rerun(page):
        page.get_by_role("button", name="确认调档").click()
    assert page.get_by_text("调档必须填写理由").count() == 1
    page.get_by_label("调档理由（必填）", exact=True).fill("公示期异议：亩均税收口径复核")
    with rerun(page):
        page.get_by_role("button", name="确认调档").click()
    assert_no_errors(page, "evaluation adjustment")
    assert page.get_by_text("由 A 调整为 D").count() == 1
    log = shown_tables(page)[-1]
    assert log[0] == ["时间", "调整人", "评价期", "对标范围", "园区", "调整前", "调整后", "理由"]
    assert log[1][1:] == ["王五", "2025年12月", "本期有数值的园区", "确山县产业集聚区", "A", "D", "公示期异议：亩均税收口径复核"]
    page.get_by_role("tab", name="评价结果").click()
    results = shown_tables(page)[0]
    top = next(r for r in results[1:] if r[1] == "确山县产业集聚区")
    assert top[3:5] == ["A", "D"], "初评 kept, 调整后 shown"
    screenshot(page, "evaluation-adjustment")


def test_english_results_have_no_chinese_but_park_names(evaluation_server, page):
    """?lang=en: the table's headers, the preset's name and the captions are English; a score
    over 100 is explained under the table. Park names (user text) stay as typed."""
    import re

    open_app_page(page, f"{evaluation_server}/evaluation?lang=en")
    assert_no_errors(page, "evaluation in English")
    rows = shown_tables(page)[0]
    cjk = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
    assert not [h for h in rows[0] if cjk.search(h)], rows[0]
    assert rows[0][:5] == ["Rank", "Park", "Total (points)", "Initial", "Adjusted"]
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_text("Park benchmark (app default)").count() >= 1
    assert main.get_by_text("so a total can exceed 100").count() >= 1
    screenshot(page, "evaluation-english")
