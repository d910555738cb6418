"""Screenshots of every page at 1600×1000 in headless chromium, on demo data;
the pages of firms (企业, the enterprise 综合评价, the briefing's 企业 section) on
the enterprise samples of tests/fixtures/enterprise (the demo holds no firm rows).

    .venv/bin/python tools/screenshots.py   # writes docs/screenshots/*.png
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PAGES = [("home", ""), ("compare", "compare?park=示例县工业园区"), ("trends", "trends?park=示例县工业园区"),
         ("rankings", "rankings?park=示例县工业园区"), ("evaluation", "evaluation"),
         ("industries", "industries?park=示例县工业园区"), ("upload", "upload")]
FIRM_PARK = "南湖工业园区"
FIRM_PAGES = [("firms", f"firms?park={FIRM_PARK}", None), ("evaluation-firms", "evaluation", "企业"),
              ("briefing-firms", f"briefing?park={FIRM_PARK}", None)]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


BUSY = "[data-testid='stSpinner'], [data-testid='stStatusWidget'], [data-testid='stSkeleton']"


def settle(page, quiet_s: float = 4, most_s: float = 180) -> None:
    """Wait until the page has shown no spinner (正在准备示例数据…), running
    indicator or placeholder for ``quiet_s`` in a row: a spinner can appear
    after the script seemed done, and charts and downloads draw after it."""
    quiet_since, end = time.monotonic(), time.monotonic() + most_s
    while time.monotonic() < end:
        if page.locator(BUSY).count():
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_s:
            return
        time.sleep(0.5)


def firm_store(path: Path) -> None:
    """The enterprise samples stored as the tests store them (manifest order)."""
    import json

    sys.path.insert(0, str(ROOT))
    from parkbench import store
    from parkbench.ingest.enterprise import parse_firm_file
    from parkbench.store import firms

    folder = ROOT / "tests" / "fixtures" / "enterprise"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    con = store.connect(path)
    for name in manifest["ingest_first"] + [n for n in manifest["shapes"] if n not in manifest["ingest_first"]]:
        firms.save_firms(con, parse_firm_file(folder / name), (folder / name).read_bytes())
    con.close()


def shoot(db: Path, pages: list[tuple[str, str, str | None]], height: int = 1000) -> None:
    """Serve the app on ``db`` and screenshot each (name, path, radio to click first)
    in a window ``height`` px tall (Streamlit scrolls inside its own container, so a
    full-page screenshot holds only the window)."""
    port = free_port()
    env = {**os.environ, "PARKBENCH_DB": str(db)}
    server = subprocess.Popen(
        # localhost: the app runs open there (exposed without accounts it would ask for a login)
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1600, "height": height})
            for name, path, radio in pages:
                page.goto(f"http://127.0.0.1:{port}/{path}")
                page.wait_for_selector("[data-testid='stApp']")
                # the entry script has run once the navigation shows the pages' own titles
                # (the first run on an empty store builds the demo: tens of seconds on a busy machine)
                page.get_by_test_id("stSidebarNav").get_by_text("首页").wait_for(timeout=180_000)
                settle(page)
                if radio:
                    page.get_by_role("radio", name=radio, exact=True).click()
                    settle(page)
                page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
                print("wrote", OUT / f"{name}.png")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    only = set(sys.argv[1:])  # names to take again (default: all)
    with tempfile.TemporaryDirectory() as tmp:
        demo_pages = [(n, p, None) for n, p in PAGES if not only or n in only]
        if demo_pages:
            shoot(Path(tmp) / "shots.duckdb", demo_pages)
        firm_pages = [page for page in FIRM_PAGES if not only or page[0] in only]
        if firm_pages:
            firm_store(Path(tmp) / "firms.duckdb")
            shoot(Path(tmp) / "firms.duckdb", firm_pages, height=2400)


if __name__ == "__main__":
    main()
