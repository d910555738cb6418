"""A throwaway PostgreSQL server for the tests and the bench, started by the
project: Debian's PostgreSQL 15 (``scripts/ensure_servers.sh`` installs it
where missing), ``initdb`` into a temporary folder and ``pg_ctl start`` on a
free loopback port, as the ``postgres`` user when run as root (PostgreSQL
refuses root). Nothing to start by hand; ``stop`` removes it all.

    with LocalPostgres() as server:
        url = server.new_database("t1")     # postgresql://postgres@127.0.0.1:PORT/t1
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SETTINGS = {  # a test server: fast and disposable, not durable
    "listen_addresses": "127.0.0.1", "fsync": "off", "synchronous_commit": "off",
    "full_page_writes": "off", "max_connections": "200", "shared_buffers": "128MB",
}


def binary(name: str) -> str:
    """A PostgreSQL server program: Debian keeps them in /usr/lib/postgresql/<major>/bin."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True) or [shutil.which(name)]
    if not found[0]:
        raise RuntimeError(f"PostgreSQL 的 {name} 未安装：请运行 `bash scripts/ensure_servers.sh`"
                           "（或 apt-get install postgresql-15）")
    return found[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalPostgres:
    def __init__(self, root: str | os.PathLike | None = None):
        self.root = Path(root or tempfile.mkdtemp(prefix="parkbench-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        command = ["runuser", "-u", "postgres", "--", *args] if self.as_root else list(args)
        return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> LocalPostgres:
        self.root.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(binary("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8")
        options = " ".join(f"-c {k}={v}" for k, v in SETTINGS.items())
        self._run(binary("pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "-t", "60",
                  "-o", f"-p {self.port} -k {self.root} {options}", "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self, name: str) -> str:
        """A new empty database (name: letters, digits and _) and its URL."""
        import psycopg

        if not name.replace("_", "").isalnum():
            raise ValueError(name)
        with psycopg.connect(self.url(), autocommit=True) as pg:
            pg.execute(f'drop database if exists "{name}" with (force)')
            pg.execute(f'create database "{name}" template template0')
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(binary("pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, RuntimeError):
            pass
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> LocalPostgres:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
