"""The files of a province deployment (deploy/, docs/deploy.md): the systemd
units are valid for systemd, the app server unit's own command with its
environment file serves the app on a PostgreSQL store (a throwaway PostgreSQL
15), and the nginx block the doc shows filled in is valid for nginx."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

from parkbench import store
from tools.postgres import LocalPostgres, free_port

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
INSTALLED_AT = "/srv/parkbench"  # where the units expect the checkout
UNITS = ("parkbench@.service", "parkbench-backup.service", "parkbench-backup.timer")


def unit(name: str) -> configparser.ConfigParser:
    parsed = configparser.ConfigParser(interpolation=None, strict=False)
    parsed.optionxform = str
    parsed.read_string((DEPLOY / name).read_text(encoding="utf-8"))
    return parsed


def here(text: str) -> str:
    """A unit's paths moved from /srv/parkbench to this checkout."""
    return text.replace(INSTALLED_AT, str(REPO))


def test_systemd_accepts_the_units(tmp_path):
    for name in UNITS:
        (tmp_path / name).write_text(here((DEPLOY / name).read_text(encoding="utf-8")), encoding="utf-8")
    (tmp_path / "parkbench@8501.service").symlink_to(tmp_path / "parkbench@.service")
    checked = [tmp_path / "parkbench@8501.service", tmp_path / "parkbench-backup.service",
               tmp_path / "parkbench-backup.timer"]
    out = subprocess.run(["systemd-analyze", "verify", *map(str, checked)], capture_output=True, text=True, timeout=60)
    said = [line for line in (out.stdout + out.stderr).splitlines() if "parkbench" in line]
    assert out.returncode == 0 and not said, said


def test_the_unit_serves_the_app_on_port_instance_with_its_environment_file():
    service = unit("parkbench@.service")["Service"]
    command = service["ExecStart"]
    assert "--server.address 127.0.0.1 --server.port %i --server.headless true" in command
    assert service["Restart"] == "always" and service["EnvironmentFile"] == "/etc/parkbench/parkbench.env"

    environment = dict(line.split("=", 1) for line in (DEPLOY / "parkbench.env.example").read_text(
        encoding="utf-8").splitlines() if line and not line.startswith("#"))
    assert environment["PARKBENCH_DB"].startswith("postgresql://") and "PGPASSFILE" in environment
    port = free_port()
    with LocalPostgres() as pg:
        environment["PARKBENCH_DB"] = url = pg.new_database("unit")
        environment["PGPASSFILE"] = "/nonexistent"  # the test server trusts loopback
        store.connect(url).close()
        process = subprocess.Popen(shlex.split(here(command).replace("%i", str(port))),
                                   cwd=here(service["WorkingDirectory"]), env={"PATH": "/usr/bin:/bin", **environment},
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5) as answer:
                        assert answer.read() == b"ok"
                        break
                except OSError:
                    assert process.poll() is None, "the unit's command ended"
                    assert time.monotonic() < deadline, "the unit's command did not serve within 90 s"
                    time.sleep(0.5)
        finally:
            process.terminate()
            process.wait(timeout=30)


def test_the_docs_filled_in_nginx_block_is_valid_for_nginx(tmp_path):
    doc = (REPO / "docs" / "deploy.md").read_text(encoding="utf-8")
    blocks = [part.split("```", 1)[0] for part in doc.split("```nginx\n")[1:]]
    assert len(blocks) == 1 and "ip_hash;" in blocks[0] and "location /_stcore/stream" in blocks[0]
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=parkbench",
                    "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
                   check=True, capture_output=True, timeout=60)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\naccess_log {tmp_path}/access.log;\n"
        + blocks[0].replace("/etc/ssl/parkbench/", f"{tmp_path}/") + "}\n", encoding="utf-8")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    out = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "test is successful" in out.stderr, out.stderr
