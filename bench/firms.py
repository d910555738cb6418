"""The enterprise-benchmark rows of `make bench` (issue 20, "Scale and speed"), on
the 30,000-firm store of bench/enterprise.py with one park of 2,000 firms:

  firms_page_open   the 企业 page of that park in headless chromium: from clicking
                    企业 in the sidebar (the app open on that park) to its chart of
                    every firm drawn and the script finished, < 1.5 s (median of 3;
                    首页 between). The first open of the page's address in a new tab
                    (server just started, nothing cached: the app's own start, a few
                    seconds on this machine whatever the page) is reported beside it.
  firm_evaluate     `python -m parkbench evaluate --level enterprise` over all
                    30,000 firms at one month: the whole command, in a fresh
                    process, < 3 s (median of 3).

The store (cached in bench/data/ by size and VERSION): the loaded enterprise store,
then a 2025-01 register moving its first 2,000 firms into 企业基准大园区 and a
land register (N4) of one parcel each, through store.firms.save_firms.

    .venv/bin/python -m bench.firms       # these two rows alone; prints JSON
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench import browser, command, enterprise
from parkbench.ingest.enterprise.model import PARCEL_COLUMNS, REGISTER_COLUMNS, FirmParsed

VERSION = 1
BIG_PARK = "企业基准大园区"
BIG_FIRMS = 2_000
PERIOD = "2025-06"
PORT = int(os.environ.get("PARKBENCH_BENCH_FIRMS_PORT", "8684"))
SCHEME = {"name": "基准方案", "indicators": [{"metric": "tax_ytd", "weight": 60, "benchmark": "mean"},
                                         {"metric": "output_ytd", "weight": 40, "benchmark": "mean"}]}

SCRIPT_DONE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-stale="true"]');
}"""
# Vega draws a chart of thousands of marks on a canvas (no SVG to count marks in): the chart
# counts as drawn once its canvas has a size and the script has finished.
CHART_DRAWN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    const chart = document.querySelector('[data-testid="stVegaLiteChart"]');
    const drawn = chart && chart.querySelector('canvas, svg');
    return !!drawn && drawn.getBoundingClientRect().height > 100;
}"""


def store_path(n_firms: int, n_parks: int) -> Path:
    return enterprise.DATA / f"firms_v{VERSION}_{n_firms}x{n_parks}_big{BIG_FIRMS}.duckdb"


def build_store(n_firms: int = 30_000, n_parks: int = 300) -> Path:
    """The loaded store with one park of ``BIG_FIRMS`` firms holding land (cached)."""
    from parkbench import store
    from parkbench.store import firms

    path = store_path(n_firms, n_parks)
    if path.exists():
        store.connect(path).close()  # a changed model is rebuilt before anything is timed
        return path
    loaded = enterprise.build_store(n_firms, n_parks)
    building = path.with_suffix(".building")
    enterprise.copy_store(loaded, building)
    moved = enterprise.firm_table(n_firms, n_parks).head(BIG_FIRMS)
    rng = np.random.default_rng(enterprise.SEED + 20)
    con = store.connect(building)
    register = pd.DataFrame({
        "credit_code": moved["credit_code"], "org_code": None, "enterprise": moved["enterprise"], "park": BIG_PARK,
        "industry_code": moved["industry_code"], "industry_name": None, "above_scale": True,
        "above_scale_since": None, "valid_from": dt.date(2025, 1, 1), "sheet": "名录",
        "row": np.arange(len(moved)) + 3}).reindex(columns=REGISTER_COLUMNS)
    firms.save_firms(con, FirmParsed("大园区企业名录.xlsx", "N5", registers=register), b"big register")
    parcels = pd.DataFrame({
        "credit_code": moved["credit_code"], "enterprise": moved["enterprise"], "park": BIG_PARK,
        "parcel": [f"DY-{i:05d}" for i in range(len(moved))], "area": rng.uniform(5, 150, len(moved)).round(1),
        "tenure": "own", "registered": dt.date(2021, 1, 1), "sheet": "宗地", "row": np.arange(len(moved)) + 2,
    }).reindex(columns=PARCEL_COLUMNS)
    firms.save_firms(con, FirmParsed("大园区企业宗地.xlsx", "N4", parcels=parcels), b"big parcels")
    con.close()
    for suffix in ("", ".wal"):
        if Path(f"{building}{suffix}").exists():
            Path(f"{building}{suffix}").rename(f"{path}{suffix}")
    return path


def page_open(db: Path, opens: int = 3) -> dict:
    """Open the 企业 page of the big park from the app's sidebar, ``opens`` times
    (back to 首页 between), after a first open of its address in a new tab."""
    from playwright.sync_api import sync_playwright

    times = []
    with browser.serving(db, PORT, "firms-server.log", PARKBENCH_NO_DEMO="1") as url:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=browser.CHROMIUM,
                                                  args=["--headless", "--no-sandbox", "--disable-gpu"])
            page = chromium.new_page(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
            page.set_default_timeout(180_000)
            start = time.perf_counter()
            page.goto(f"{url}/firms?park={BIG_PARK}&period={PERIOD}", wait_until="domcontentloaded")
            page.wait_for_function(CHART_DRAWN)
            first = time.perf_counter() - start
            nav = page.get_by_test_id("stSidebarNav")
            for _ in range(opens):
                nav.get_by_text("首页", exact=True).click()
                page.wait_for_function(SCRIPT_DONE)
                page.wait_for_function("() => !document.querySelector('[data-testid=\"stVegaLiteChart\"]')")
                start = time.perf_counter()
                nav.get_by_text("企业", exact=True).click()
                page.wait_for_function(CHART_DRAWN)
                times.append(time.perf_counter() - start)
            chromium.close()
    median = statistics.median(times)
    return {"times": "click 企业 in the sidebar (the app open, the park chosen) → the chart of the park's "
                     f"{BIG_FIRMS:,} firms drawn and the script done",
            "target": "< 1.5 s (median of 3 clicks)",
            "measured": f"median {median:.2f} s; the page's address opened in a new tab (app start, "
                        f"nothing cached): {first:.2f} s",
            "met": median < 1.5, "click_to_chart_s": [round(t, 2) for t in times], "new_tab_open_s": round(first, 2),
            "firms_in_park": BIG_FIRMS}


def evaluate_all(db: Path, runs: int = 3) -> dict:
    """The whole `evaluate --level enterprise` command over every firm, in a fresh process each run."""
    scheme = enterprise.OUT / "firm_scheme.json"
    scheme.write_text(json.dumps(SCHEME, ensure_ascii=False), encoding="utf-8")
    walls, rows = [], 0
    for _ in range(runs):
        run = command.parkbench("evaluate", "--db", str(db), "--level", "enterprise", "--scheme", str(scheme),
                                "--period", PERIOD, "--format", "json")
        if run.returncode != 0:
            raise RuntimeError(run.stderr.decode("utf-8", "replace"))
        walls.append(run.wall_s)
        rows = len(json.loads(run.stdout))
    median = statistics.median(walls)
    return {"times": "`python -m parkbench evaluate --level enterprise --period 2025-06 --format json`, "
                     "whole command in a fresh process",
            "target": "< 3 s over all firms", "measured": f"median {median:.2f} s; {rows:,} firms scored",
            "met": median < 3.0, "wall_s": [round(w, 2) for w in walls], "firms_scored": rows}


def measure(results: dict | None = None) -> dict:
    results = {} if results is None else results
    enterprise.DATA.mkdir(exist_ok=True)
    enterprise.OUT.mkdir(exist_ok=True)
    db = build_store()
    work = enterprise.OUT / "firms_bench.duckdb"
    enterprise.copy_store(db, work)
    results["firms_page_open"] = page_open(work)
    results["firm_evaluate"] = evaluate_all(work)
    return results


if __name__ == "__main__":
    print(json.dumps(measure(), ensure_ascii=False, indent=1))
