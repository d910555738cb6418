"""Screenshots of every page at 1600×1000 in headless chromium, on demo data.

    /work/venv/bin/python tools/screenshots.py   # writes docs/screenshots/*.png
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


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "PARKBENCH_DB": str(Path(tmp) / "shots.duckdb")}
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
                page = browser.new_page(viewport={"width": 1600, "height": 1000})
                for name, path in PAGES:
                    page.goto(f"http://127.0.0.1:{port}/{path}")
                    page.wait_for_selector("[data-testid='stApp']")
                    # the entry script has run once the navigation shows the pages' own titles
                    # (the first run on an empty store builds the demo: tens of seconds on a busy machine)
                    page.get_by_test_id("stSidebarNav").get_by_text("首页").wait_for(timeout=180_000)
                    settle(page)
                    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
                    print("wrote", OUT / f"{name}.png")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
