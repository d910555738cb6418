"""End-to-end harness: the real app in a real headless browser.

Fixtures other browser tests reuse:

- ``db_path``: a fresh, empty database file for this test module (the app
  fills an empty database with demo data on first use).
- ``app_server(db_path)``: the app started on a free port with
  ``PARKBENCH_DB=db_path``, once per module; its value is the base URL.
- ``browser``: Debian's chromium launched by Playwright (once per session).
- ``page``: a fresh 1600×1000 tab (own cookies and session) per test.

Helpers: ``registered_pages()`` (every st.Page of streamlit_app.py),
``new_tab(browser, **context)``, ``open_app_page(page, url)``,
``with rerun(page): …``, ``wait_for_run(page)``, ``assert_no_errors(page)``
and ``screenshot(page, name)``.

Waiting is on conditions, never on time: a tab counts the script runs whose
end it has received and drawn (RUN_COUNTER_JS), so a click's run is waited
for even when the loaded 2-core machine starts it seconds later.

Nothing here skips: without chromium the tests fail and say how to install
it; under CI=true a skip in tests/browser is reported as a failure.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
APP = REPO_ROOT / "streamlit_app.py"
ARTIFACTS = REPO_ROOT / "test-artifacts"
SCREENSHOT_DIR = ARTIFACTS / "screenshots"
CHROMIUM = os.environ.get("PARKBENCH_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1600, "height": 1000}
INSTALL_HINT = ("Install it with: sudo apt-get update && sudo apt-get install -y chromium fonts-noto-cjk "
                "(`make test` does this itself when run as root), or set PARKBENCH_CHROMIUM to a Chromium binary.")
STARTUP_SECONDS = 90
RUN_SECONDS = 60  # a tab's default timeout, and expect()'s: waits end on a condition, this is only the limit


# ---------------------------------------------------------------- the page registry

@dataclass(frozen=True)
class AppPage:
    url_path: str
    file: str
    default: bool


def registered_pages(app: Path = APP) -> list[AppPage]:
    """Every ``st.Page(...)`` in streamlit_app.py, read from its source, so a
    page added there is opened by the browser tests without touching them.
    Without ``url_path`` Streamlit derives it from the file name."""
    pages = []
    for node in ast.walk(ast.parse(app.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and _called_name(node.func) == "Page"):
            continue
        if not node.args or not isinstance(node.args[0], ast.Constant) or not isinstance(node.args[0].value, str):
            continue
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        url = keywords.get("url_path")
        url_path = url.value if isinstance(url, ast.Constant) else _derived_url_path(node.args[0].value)
        default = keywords.get("default")
        pages.append(AppPage(url_path, node.args[0].value, isinstance(default, ast.Constant) and default.value is True))
    return pages


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _derived_url_path(file: str) -> str:
    stem = Path(file).stem
    return stem.split("_", 1)[1] if stem.split("_", 1)[0].isdigit() and "_" in stem else stem


# ---------------------------------------------------------------- the app server

def free_port() -> int:
    """A free local port within PARKBENCH_PORTS ("8660-8669"), for machines
    shared by several runs; 0 (the server asks the system for one) without it."""
    span = os.environ.get("PARKBENCH_PORTS")
    if span:
        low, high = (int(x) for x in span.split("-"))
        for port in range(low, high + 1):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    return 0


# What Streamlit says once its own socket listens; the port read back from it
# is the one this server bound, never another program's on a shared machine.
LISTENING = re.compile(r"(?:Uvicorn server started on |URL: http://)127\.0\.0\.1:(\d+)")
PORT_TAKEN = "is not available"
START_ATTEMPTS = 3


class AppServer:
    """``streamlit run streamlit_app.py`` on a local port; stopped on exit.

    The port is the system's choice (``--server.port 0``) and is read back
    from the server's own output, so no other program can take it between
    choosing and binding, and a health answer from someone else's server on
    the same port is never taken for this one. A port set before start
    (``server.port = …``, from PARKBENCH_TEST_PORT and the like) is used as
    given; a port of the PARKBENCH_PORTS range that is taken by the time the
    server binds is replaced by the next free one."""

    def __init__(self, db_path: Path | str, log_path: Path, env: dict[str, str] | None = None):
        self.db_path = db_path  # a file, or a postgresql:// URL
        self.log_path = log_path
        self.env = env or {}  # more environment for the server (PARKBENCH_NO_DEMO …)
        self.port = self._chosen = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self._said: list[str] = []  # the server's output lines (also in log_path)

    def __enter__(self) -> AppServer:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(START_ATTEMPTS):
            if self._start():
                return self
            if self.port != self._chosen or not self._chosen:  # a port given by the test: say so, do not move it
                pytest.fail(f"port {self.port} is taken by another program:\n{self.log_tail()}")
            self.port = self._chosen = free_port()
        pytest.fail(f"no free port in PARKBENCH_PORTS={os.environ.get('PARKBENCH_PORTS')} after "
                    f"{START_ATTEMPTS} attempts:\n{self.log_tail()}")

    def _start(self) -> bool:
        """Start the server; True once it answers, False if its port was taken."""
        env = {**os.environ, "PARKBENCH_DB": str(self.db_path), "PYTHONUNBUFFERED": "1", **self.env}
        command = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.address", "127.0.0.1",
                   "--server.port", str(self.port), "--server.headless", "true",
                   "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
        self._said = []
        self.process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT)
        copier = threading.Thread(target=self._copy_output, args=(self.process.stdout, self.log_path.open("wb")),
                                  daemon=True)
        copier.start()
        return self._wait_healthy(copier)

    def _copy_output(self, output, log) -> None:
        """The server's output into its log file, line by line, and kept here:
        the port is read from what this process says, not from a file another
        run could be writing too."""
        with output, log:
            for line in iter(output.readline, b""):
                log.write(line)
                log.flush()
                self._said.append(line.decode("utf-8", errors="replace"))

    def _bound_port(self) -> int | None:
        """The port this server says it listens on, once it does."""
        found = next((m for m in map(LISTENING.search, list(self._said)) if m), None)
        return int(found.group(1)) if found else None

    def _wait_healthy(self, copier: threading.Thread) -> bool:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                copier.join(timeout=10)  # what it said up to its exit (a child could hold the pipe: bounded)
                if any(PORT_TAKEN in line for line in self._said):
                    return False
                pytest.fail(f"the app exited with {self.process.returncode} on start:\n{self.log_tail()}")
            bound = self._bound_port()
            if bound is not None:
                if self.port and bound != self.port:
                    pytest.fail(f"the app was to listen on port {self.port} but says {bound}:\n{self.log_tail()}")
                self.port, self.url = bound, f"http://127.0.0.1:{bound}"
                try:
                    with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                        if response.status == 200:
                            return True
                except OSError:
                    pass
            time.sleep(0.25)  # polling interval of the condition above, not a wait on time
        pytest.fail(f"the app did not answer /_stcore/health within {STARTUP_SECONDS} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        return "".join(list(self._said)[-lines:])

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    """A database file that does not exist yet: the app loads demo data into it."""
    return tmp_path_factory.mktemp("browser-db") / "parkbench.duckdb"


@pytest.fixture(scope="module")
def app_server(db_path, request) -> str:
    log = ARTIFACTS / "logs" / f"{request.module.__name__.rsplit('.', 1)[-1]}-server.log"
    with AppServer(db_path, log) as server:
        yield server.url


# ---------------------------------------------------------------- the browser

def require_chromium() -> str:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; the browser tests need it. {INSTALL_HINT}", pytrace=False)
    if shutil.which("fc-list") and not subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,
                                                      text=True).stdout.strip():
        pytest.fail(f"No Chinese font installed: screenshots would show boxes for 中文. {INSTALL_HINT}", pytrace=False)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser():
    executable = require_chromium()
    from playwright.sync_api import expect, sync_playwright

    # expect() has its own timeout, 5 s unless set, whatever the page's: too short
    # for a run that parses five files on a loaded 2-core machine.
    expect.set_options(timeout=RUN_SECONDS * 1000)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _proto_numbers() -> dict[str, int]:
    """The ForwardMsg field numbers RUN_COUNTER_JS reads, from Streamlit's own protobuf descriptors."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.proto.SessionStatus_pb2 import SessionStatus

    fields = ForwardMsg.DESCRIPTOR.fields_by_name
    return {"SCRIPT_FINISHED": fields["script_finished"].number,
            "SESSION_STATUS": fields["session_status_changed"].number,
            "IS_RUNNING": SessionStatus.DESCRIPTOR.fields_by_name["script_is_running"].number,
            "EARLY_FOR_RERUN": ForwardMsg.FINISHED_EARLY_FOR_RERUN}


# Installed in every tab before the app's own code: counts the script runs the
# tab has received the end of and drawn. A run ends with ``script_finished``
# and then ``session_status_changed`` (not running); a run that st.rerun()
# ends early (FINISHED_EARLY_FOR_RERUN) is not the end of what a click started,
# its follow-up is. The listener is added after the app's own, so the app has
# handled the message when it counts; ``settled`` moves one posted task later,
# after the render React scheduled the same way. ``running`` is the server's
# word, which the page's data-test-script-state attribute follows.
RUN_COUNTER_JS = """
(() => {
  if (window.__parkbenchRuns) return;
  const N = __NUMBERS__;
  const runs = window.__parkbenchRuns = {received: 0, settled: 0, running: false};
  let chainEnds = false;
  function varint(bytes, at) {
    let value = 0, scale = 1, byte;
    do { byte = bytes[at++]; value += (byte & 0x7f) * scale; scale *= 128; } while (byte & 0x80);
    return [value, at];
  }
  function fields(bytes) {  // the top-level protobuf fields: [number, wire type, value]
    const out = [];
    let at = 0;
    while (at < bytes.length) {
      let key, value;
      [key, at] = varint(bytes, at);
      const wire = key & 7;
      if (wire === 0) [value, at] = varint(bytes, at);
      else if (wire === 2) { let size; [size, at] = varint(bytes, at); value = bytes.subarray(at, at + size); at += size; }
      else if (wire === 1) at += 8;
      else if (wire === 5) at += 4;
      else break;
      out.push([Math.floor(key / 8), wire, value]);
    }
    return out;
  }
  function count(event) {
    if (!(event.data instanceof ArrayBuffer)) return;
    for (const [field, wire, value] of fields(new Uint8Array(event.data))) {
      if (field === N.SCRIPT_FINISHED && wire === 0) {
        chainEnds = value !== N.EARLY_FOR_RERUN;
      } else if (field === N.SESSION_STATUS && wire === 2) {
        runs.running = fields(value).some(([f, w, v]) => f === N.IS_RUNNING && w === 0 && v !== 0);
        if (!runs.running && chainEnds) {
          chainEnds = false;
          const run = ++runs.received;
          const hop = new MessageChannel();
          hop.port1.onmessage = () => { runs.settled = Math.max(runs.settled, run); hop.port1.close(); };
          hop.port2.postMessage(null);
        }
      }
    }
  }
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    addEventListener(type, listener, options) {
      super.addEventListener(type, listener, options);
      if (type === "message" && !this.__parkbenchCounting) {
        this.__parkbenchCounting = true;
        super.addEventListener("message", count);
      }
    }
  };
})();
""".replace("__NUMBERS__", json.dumps(_proto_numbers()))

# The page shows the end of run number > ``after``: connected, not running,
# nothing stale or still loading, fonts loaded, every chart on screen drawn.
SETTLED_JS = """(after) => {
  const runs = window.__parkbenchRuns;
  if (!runs || runs.settled <= after || runs.running) return false;
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-connection-state') !== 'CONNECTED'
      || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]')) return false;
  if (document.fonts.status !== 'loaded') return false;
  return Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]'))
    .every(chart => chart.offsetParent === null || chart.querySelector('svg, canvas') !== null);
}"""


def new_tab(browser, **options):
    """A tab in a context of its own (own cookies, own Streamlit session) that
    counts its script runs; close it with ``tab.context.close()``."""
    context = browser.new_context(**{"viewport": VIEWPORT, "locale": "zh-CN", "timezone_id": "Asia/Shanghai",
                                     **options})
    context.add_init_script(RUN_COUNTER_JS)
    tab = context.new_page()
    tab.set_default_timeout(RUN_SECONDS * 1000)
    return tab


@pytest.fixture
def page(browser):
    tab = new_tab(browser)
    yield tab
    tab.context.close()


def open_app_page(page, url: str) -> None:
    """Go to ``url`` and wait until the first run of the new page is drawn."""
    page.goto(url, wait_until="domcontentloaded")
    wait_for_run(page)


def finished_runs(page) -> int:
    """How many script runs this tab has seen end and drawn since it loaded."""
    count = page.evaluate("() => window.__parkbenchRuns ? window.__parkbenchRuns.settled : null")
    if count is None:
        pytest.fail("this tab does not count script runs: open it with new_tab(browser) or the page fixture",
                    pytrace=False)
    return count


def wait_for_run(page, after: int = 0) -> None:
    """Wait until a script run ending after the ``after``-th is drawn (see
    SETTLED_JS). With ``after=0``: the first run of a page just (re)loaded.
    After a click, use ``with rerun(page):`` instead: a run that has not
    started yet when the wait begins is then still waited for."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    finished_runs(page)
    try:
        page.wait_for_function(SETTLED_JS, arg=after)
    except PlaywrightTimeout:
        seen = page.evaluate("""() => ({runs: window.__parkbenchRuns, script: document.querySelector(
            '[data-testid="stApp"]')?.getAttribute('data-test-script-state')})""")
        pytest.fail(f"no script run after run {after} ended and was drawn in time (did the action start one?): "
                    f"{seen}", pytrace=True)


@contextmanager
def rerun(page):
    """``with rerun(page): button.click()`` — the click (upload, link…) starts
    a script run; leave the block once that run, and any st.rerun() it
    chains, has ended and been drawn, however late the server starts it."""
    before = finished_runs(page)
    yield
    wait_for_run(page, after=before)


ERROR_WORDS = ("Error", "Traceback")


def assert_no_errors(page, where: str = "") -> None:
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, f"{where}: exception shown:\n{exceptions.first.inner_text()}"
    body = page.locator('[data-testid="stApp"]').inner_text()
    found = [w for w in ERROR_WORDS if w in body]
    assert not found, f"{where}: page shows {found}:\n{body[:2000]}"


def screenshot(page, name: str) -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path))
    print(f"screenshot: {path}")
    return path


# ---------------------------------------------------------------- never skipped in CI

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI", "").lower() == "true" and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"browser test skipped under CI=true (skips are failures here): {report.longrepr}"
