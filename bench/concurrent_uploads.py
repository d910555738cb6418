"""Month-end at the upload page: twelve people, each in a browser session of
their own, store their park's month (a three-value file) at the same moment;
how long the slowest of them waits, from choosing the file to the stored
message, against one person doing the same alone on the same server.

The store is a temporary database with the demo-sized data as real uploads
(the demo's four parks, 2023-2025) and a year of history for fourteen more
parks, so each person's park is known, as at month-end. The app runs as
``tests/browser/conftest.py``'s ``AppServer`` (a free port, or one of
``PARKBENCH_PORTS``); the browser is one chromium with a context (own cookies
and session) per person, driven by Playwright's async API so that the twelve
really act at once.

    .venv/bin/python -m bench.concurrent_uploads      # prints the figures as JSON
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from parkbench import store
from parkbench.ingest import parse_file
from parkbench.store import demo
from tests.browser.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, VIEWPORT, AppServer

PEOPLE = 12
ALONE_RUNS = 3  # one person alone, three times (the median is kept): one upload is a noisy figure
PARKS = [f"月末对标园区{n:02d}" for n in range(1, PEOPLE + ALONE_RUNS + 2)]  # + one to warm the server up
INDICATORS = (("规上工业总产值", 1000.0), ("税收收入", 80.0), ("营业收入", 1200.0))  # 万元, month values
HEADER = "园区,统计期,指标,口径,数值,单位\n"
STORED = "已导入（上传编号"
WAIT_MS = 300_000
POLL_MS = 100  # not every animation frame: twelve tabs polling at 60 Hz would load the machine they measure

SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-stale="true"]');
}"""


def month_file(park: str, period: str, scale: float = 1.0) -> bytes:
    """One park's month: three values (本月, 万元)."""
    lines = [f"{park},{period},{name},本月,{value * scale:.1f},万元" for name, value in INDICATORS]
    return (HEADER + "\n".join(lines) + "\n").encode("utf-8")


def build_store(path: Path) -> None:
    """The demo's files as real uploads, and January-November 2025 of every bench park
    (set up with ``store.save``, which the app's code of any age has, so a run on
    older code gives the figure before a change)."""
    con = store.connect(path)
    try:
        for name, data in demo.files().items():
            store.save(con, parse_file(data, name), data, by="bench")
        history = (HEADER + "".join(
            month_file(park, f"2025-{m:02d}", 1 + m / 100).decode("utf-8").removeprefix(HEADER)
            for park in PARKS for m in range(1, 12))).encode("utf-8")
        store.save(con, parse_file(history, "历史.csv"), history, by="bench")
    finally:
        con.close()


async def store_through_the_page(page, path: Path) -> float:
    """Seconds from choosing the file to the stored message, on an open upload page."""
    start = time.perf_counter()
    await page.locator("input[type=file]").set_input_files(str(path))
    confirm = page.get_by_role("button", name="确认导入")
    await confirm.wait_for(state="visible", timeout=WAIT_MS)
    await page.wait_for_function(SETTLED, polling=POLL_MS, timeout=WAIT_MS)
    await confirm.click(timeout=WAIT_MS)
    await page.get_by_text(STORED).first.wait_for(state="visible", timeout=WAIT_MS)
    return time.perf_counter() - start


async def open_upload_page(browser, url: str):
    context = await browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = await context.new_page()
    page.set_default_timeout(WAIT_MS)
    await page.goto(f"{url}/upload", wait_until="domcontentloaded")
    await page.wait_for_function(SETTLED, polling=POLL_MS, timeout=WAIT_MS)
    await page.locator("input[type=file]").wait_for(state="attached", timeout=WAIT_MS)
    return context, page


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, its waited-for children included) of a process so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


async def drive(url: str, files: dict[str, Path], server_pid: int) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            async def alone(park: str) -> float:
                context, page = await open_upload_page(browser, url)
                try:
                    return await store_through_the_page(page, files[park])
                finally:
                    await context.close()

            await alone(PARKS[-1])  # warm: the server's first upload starts the parse worker's fork server
            twelve_parks = PARKS[:PEOPLE]
            opened = await asyncio.gather(*(open_upload_page(browser, url) for _ in twelve_parks))
            cpu_before = cpu_seconds(server_pid)
            waits = await asyncio.gather(*(store_through_the_page(page, files[park])
                                           for (_, page), park in zip(opened, twelve_parks, strict=True)))
            server_cpu = cpu_seconds(server_pid) - cpu_before
            for context, _ in opened:
                await context.close()
            alone_waits = [await alone(park) for park in PARKS[PEOPLE:PEOPLE + ALONE_RUNS]]
        finally:
            await browser.close()
    return {"twelve": waits, "alone": alone_waits, "server_cpu": server_cpu}


def twelve_people() -> dict:
    """Twelve people storing a one-park month through the page at once, the
    slowest of them against one person alone (median of three), on the same server."""
    with tempfile.TemporaryDirectory(prefix="parkbench-month-end-") as tmp:
        tmp = Path(tmp)
        db = tmp / "month_end.duckdb"
        build_store(db)
        files = {}
        for park in PARKS:
            files[park] = tmp / f"{park}_2025年12月.csv"
            files[park].write_bytes(month_file(park, "2025-12"))
        with AppServer(db, ARTIFACTS / "logs" / "bench-concurrent-uploads-server.log") as server:
            waits = asyncio.run(drive(server.url, files, server.process.pid))
        con = store.connect(db)
        try:
            stored = {r[0] for r in con.execute(
                "select file_name from uploads where undone_at is null").fetchall()}
            december = con.execute(
                "select count(*) from stg_observations join parks using (park_id) "
                "where period = date '2025-12-01' and list_contains($parks, name)", {"parks": PARKS}).fetchall()
        finally:
            con.close()
    one_alone = statistics.median(waits["alone"])
    slowest = max(waits["twelve"])
    ratio = slowest / one_alone
    all_stored = ({files[p].name for p in PARKS} <= stored and december[0][0] == len(PARKS) * len(INDICATORS))
    return {
        "what": "twelve people storing a one-park month through the page at once (choose file → stored), "
                "slowest vs one person alone",
        "one_alone_s": round(one_alone, 2),
        "slowest_of_twelve_s": round(slowest, 2),
        "ratio": round(ratio, 2),
        "target": "≤ 4×",
        "met": ratio <= 4,
        "all_stored": all_stored,
        "twelve_s": sorted(round(w, 2) for w in waits["twelve"]),
        "alone_s": [round(w, 2) for w in waits["alone"]],
        # The app server's own CPU while the twelve stored (the parse workers are the fork
        # server's children, not counted): the browser shares the machine's cores with it.
        "server_cpu_s_during_twelve": round(waits["server_cpu"], 1),
    }


if __name__ == "__main__":
    print(json.dumps(twelve_people(), ensure_ascii=False, indent=2))
