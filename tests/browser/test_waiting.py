"""The harness reaches a server only on the port its own log names: on a
machine shared by several runs, another program answering /_stcore/health
on that port is never taken for this test's app."""

from __future__ import annotations

import http.server
import threading

import pytest

from .conftest import ARTIFACTS, AppServer


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
