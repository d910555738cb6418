"""nginx in front of the app servers, from ``deploy/nginx.conf.template``
(the file docs/deploy.md shows): ``render`` fills it in; ``LocalNginx`` runs
it for the tests and the bench, started by the project like
tools/postgres.py: Debian's nginx (``scripts/ensure_servers.sh`` installs it
where missing), its own process (``nginx -c … -p … -g 'daemon off;'``) with
its pid, logs, temporary files and a self-signed certificate in a temporary
folder, on free loopback ports. ``stop`` ends it and removes the folder.

    with LocalNginx(["127.0.0.1:8601", "127.0.0.1:8602"]) as proxy:
        proxy.url                          # https://127.0.0.1:PORT

    python -m tools.nginx --server 10.0.0.11:8501 --server 10.0.0.12:8501 \\
        --name parkbench.example.gov.cn --cert /etc/ssl/parkbench.pem --key /etc/ssl/parkbench.key
"""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.postgres import free_port

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
PLACEHOLDER = re.compile(r"\$\{([A-Z0-9_]+)\}")  # ${NAME}; nginx's own variables are a bare $name
START_SECONDS = 30
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")

# The main file of a test's own nginx: everything it writes stays in its folder;
# the site file it includes is the deploy template, filled in.
MAIN_CONF = """{user}pid {root}/nginx.pid;
error_log {root}/error.log;
worker_processes 1;
events {{ worker_connections 512; }}
http {{
    access_log {root}/access.log;
    client_body_temp_path {root}/client_body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    include {site};
}}
"""


def binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise RuntimeError("nginx 未安装：请运行 `bash scripts/ensure_servers.sh`（或 apt-get install nginx）")
    return found


def render(app_servers: list[str], server_name: str, certificate: str, key: str,
           http_listen: str = "80", https_listen: str = "443", template: Path = TEMPLATE) -> str:
    """The template with every ``${…}`` filled in; ``app_servers``: host:port,
    one for each ``${APP_SERVER_n}`` of the template."""
    values = {"SERVER_NAME": server_name, "HTTP_LISTEN": http_listen, "HTTPS_LISTEN": https_listen,
              "TLS_CERTIFICATE": certificate, "TLS_KEY": key}
    values.update({f"APP_SERVER_{n}": server for n, server in enumerate(app_servers, start=1)})
    lines = template.read_text(encoding="utf-8").splitlines(keepends=True)
    settings = [i for i, line in enumerate(lines) if not line.lstrip().startswith("#")]  # comments kept as written
    wanted = {name for i in settings for name in PLACEHOLDER.findall(lines[i])}
    if wanted != values.keys():
        raise ValueError(f"{template.name} asks for {sorted(wanted)}; given {sorted(values)}")
    for i in settings:
        lines[i] = PLACEHOLDER.sub(lambda m: values[m.group(1)], lines[i])
    return "".join(lines)


class LocalNginx:
    def __init__(self, app_servers: list[str], root: str | os.PathLike | None = None):
        self.app_servers = app_servers
        self.root = Path(root or tempfile.mkdtemp(prefix="parkbench-nginx-"))
        self.https_port, self.http_port = free_port(), free_port()
        self.url = f"https://127.0.0.1:{self.https_port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> LocalNginx:
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o711)  # nginx's workers (nobody, when started as root) reach their temp folders
        certificate, key = self._self_signed()
        site = self.root / "parkbench.conf"
        site.write_text(render(self.app_servers, "127.0.0.1", str(certificate), str(key),
                               f"127.0.0.1:{self.http_port}", f"127.0.0.1:{self.https_port}"), encoding="utf-8")
        main = self.root / "nginx.conf"
        main.write_text(MAIN_CONF.format(user=self._workers_user(), root=self.root, site=site), encoding="utf-8")
        command = [binary(), "-e", str(self.root / "error.log"), "-p", str(self.root), "-c", str(main)]
        checked = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx -t refused the configuration:\n{checked.stderr}")
        self.process = subprocess.Popen([*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        self._wait_listening()
        return self

    def _self_signed(self) -> tuple[Path, Path]:
        certificate, key = self.root / "server.pem", self.root / "server.key"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", str(key), "-out", str(certificate)],
                       check=True, capture_output=True, timeout=60)
        return certificate, key

    def _workers_user(self) -> str:
        """As root, nginx's workers run as nobody: they own their temp folders."""
        for name in TEMP_DIRS:
            (self.root / name).mkdir(exist_ok=True)
        if os.geteuid() != 0:
            return ""
        nobody = pwd.getpwnam("nobody")
        for name in TEMP_DIRS:
            os.chown(self.root / name, nobody.pw_uid, nobody.pw_gid)
        return f"user nobody {grp.getgrgid(nobody.pw_gid).gr_name};\n"

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.process.returncode}:\n{self.error_log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.https_port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)  # polling interval of the condition above
        raise RuntimeError(f"nginx did not listen on {self.https_port} within {START_SECONDS} s:\n{self.error_log()}")

    def error_log(self) -> str:
        path = self.root / "error.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # nginx's fast shutdown; its workers end with it
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> LocalNginx:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.nginx",
                                     description="打印填好的 deploy/nginx.conf.template（nginx 在两台 ParkBench 应用服务器之前）")
    parser.add_argument("--server", action="append", required=True, help="应用服务器 host:port，每台一次")
    parser.add_argument("--name", required=True, help="用户访问的域名，例如 parkbench.example.gov.cn")
    parser.add_argument("--cert", required=True, help="证书（完整链）PEM 文件")
    parser.add_argument("--key", required=True, help="证书私钥 PEM 文件")
    parser.add_argument("--http", default="80", help="HTTP 监听（跳转到 HTTPS），默认 80")
    parser.add_argument("--https", default="443", help="HTTPS 监听，默认 443")
    args = parser.parse_args(argv)
    try:
        print(render(args.server, args.name, args.cert, args.key, args.http, args.https), end="")
    except ValueError as exc:
        print(f"模板需要的应用服务器数与 --server 的个数不一致：{exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
