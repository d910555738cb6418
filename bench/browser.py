"""The browser row of `make bench`: the compare page for 20 of the bench
store's 1,000 parks in headless chromium; the time from clicking another
metric to its chart drawn (the bar chart's axis names the new metric and the
script has finished).

The store is the bench store `ingest long.csv` wrote in bench/data/; the
app runs on port 8680 (this helper's range) with that database.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from parkbench.catalog import metric_label
from parkbench.models import peers

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PORT = int(os.environ.get("PARKBENCH_BENCH_PORT", "8680"))
CHROMIUM = os.environ.get("PARKBENCH_CHROMIUM", "/usr/bin/chromium")
GROUP = "基准20园区"
METRICS = ("output_per_mu", "tax_per_mu", "revenue_per_mu", "value_added_per_mu")

DRAWN = """([label]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    const chart = document.querySelector('[data-testid="stVegaLiteChart"]');
    if (!chart) return false;
    const texts = [...chart.querySelectorAll('svg text')].map(e => e.textContent);
    return texts.some(t => t.includes(label)) && chart.querySelectorAll('svg [aria-roledescription="bar"]').length > 0;
}"""


def add_group(path: Path) -> None:
    """Save a peer group of the bench store's first 20 parks (the compare page opens on it)."""
    from parkbench import store

    con = store.connect(path)
    try:
        parks = [r[0] for r in con.execute("select name from parks order by park_id limit 20").fetchall()]
        peers.save_group(con, GROUP, parks)
    finally:
        con.close()


def _wait_healthy(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError("the app did not start")


@contextlib.contextmanager
def serving(db: Path, port: int, log_name: str, **env):
    """The app on ``db`` at 127.0.0.1:``port`` (its output in bench/data/``log_name``),
    once healthy; yields its URL and stops it on the way out."""
    url = f"http://127.0.0.1:{port}"
    log = (HERE / "data" / log_name).open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"), "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"], cwd=ROOT, env={**os.environ, "PARKBENCH_DB": str(db), **env},
        stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def click_to_chart(db: Path, period: str, clicks: int = 4) -> dict:
    from playwright.sync_api import sync_playwright

    with serving(db, PORT, "browser-server.log") as url:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox",
                                                                               "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
            page.set_default_timeout(120_000)
            first = metric_label(METRICS[-1])
            start = time.perf_counter()
            page.goto(f"{url}/compare?group={GROUP}&metric={METRICS[-1]}&period={period}", wait_until="domcontentloaded")
            page.wait_for_function(DRAWN, arg=[first])
            open_s = time.perf_counter() - start
            times = []
            for metric in METRICS[:clicks]:
                label = metric_label(metric)
                page.get_by_test_id("stSelectbox").first.click()
                option = page.get_by_role("option", name=label, exact=True)
                start = time.perf_counter()
                option.click()
                page.wait_for_function(DRAWN, arg=[label])
                times.append(time.perf_counter() - start)
            bars = page.evaluate("""() => document.querySelector('[data-testid="stVegaLiteChart"]')
                .querySelectorAll('svg [aria-roledescription="bar"]').length""")
            browser.close()
    median = statistics.median(times)
    return {"parks_in_store": 1000, "parks_compared": 20, "bars_drawn": bars, "first_open_s": round(open_s, 2),
            "click_to_chart_s": [round(t, 3) for t in times], "median_s": round(median, 3),
            "ratio_to_target": round(median / 1.5, 3), "targets_met": {"median_s<1.5": median < 1.5}}
