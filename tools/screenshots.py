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
                    time.sleep(6)
                    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
                    print("wrote", OUT / f"{name}.png")
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
