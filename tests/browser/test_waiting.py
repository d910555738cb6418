"""The harness waits for conditions, not for time (issue 17): a click whose
script run the server starts late — a loaded 2-core machine does not
schedule the server for a second — is still waited for, and a server is
only ever reached on the port its own log names.

The server is paused with SIGSTOP just before the click and resumed by a
timer. With the wait this harness had before (script state "notRunning",
300 ms, "notRunning" again) the first assertion failed every time: it read
the page from before the click."""

from __future__ import annotations

import http.server
import os
import signal
import threading

import pytest

from .conftest import ARTIFACTS, AppServer, open_app_page, rerun

PAUSE_SECONDS = 1.5


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with AppServer(tmp_path_factory.mktemp("waiting-db") / "parkbench.duckdb",
                   ARTIFACTS / "logs" / "waiting-server.log") as app:
        yield app


def pause(server) -> None:
    """Stop the server now; a timer resumes it after PAUSE_SECONDS."""
    os.kill(server.process.pid, signal.SIGSTOP)
    threading.Timer(PAUSE_SECONDS, os.kill, (server.process.pid, signal.SIGCONT)).start()


def heading(page) -> str:
    return page.locator('[data-testid="stMain"] h1').first.inner_text()


def test_a_run_the_server_starts_late_is_waited_for(server, page):
    open_app_page(page, f"{server.url}/compare?metric=tax_per_mu&period=2024-12")
    assert heading(page) == "园区对比"
    try:
        with rerun(page):  # a widget: the page stays, its content changes
            pause(server)  # the click's rerun request waits in the stopped server's socket
            page.get_by_text("English", exact=True).click()
        assert heading(page) == "Compare parks"
        with rerun(page):  # a page link
            pause(server)
            page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Rankings").click()
        assert heading(page) == "Rankings"
    finally:
        os.kill(server.process.pid, signal.SIGCONT)  # never left stopped, whatever failed


class _Healthy(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def test_a_port_held_by_another_server_is_never_taken_for_ours(tmp_path):
    """Another program answers /_stcore/health on the port the test asked for:
    the start fails and says so, instead of testing someone else's app."""
    other = http.server.HTTPServer(("127.0.0.1", 0), _Healthy)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        app = AppServer(tmp_path / "unused.duckdb", ARTIFACTS / "logs" / "waiting-taken-port-server.log")
        app.port = other.server_address[1]  # as PARKBENCH_TEST_PORT sets it
        app.url = f"http://127.0.0.1:{app.port}"
        with pytest.raises(pytest.fail.Exception, match=f"port {app.port} is taken by another program"):
            with app:
                pass
        assert app.process.poll() is not None  # our server gave up; the other one was never used
    finally:
        other.shutdown()
        other.server_close()
