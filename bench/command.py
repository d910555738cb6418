"""Run one whole command the way a user does (`python -m parkbench …` in a
fresh process) and measure what the user waits for: its wall time, and the
peak memory of its whole process tree (the command and any worker it
starts, such as the parse worker and its fork server).

Memory is the sum of the resident sizes of the process and its
descendants, sampled every 50 ms from /proc: a peak shorter than that can be
missed, so the kernel's own maximum of the command process (wait4's
ru_maxrss, never less than the true peak of that one process) is kept too
and the larger of the two reported.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_S = 0.05


@dataclass
class Run:
    wall_s: float
    peak_mb: float
    returncode: int
    stdout: bytes
    stderr: bytes


def parkbench(*args: str) -> Run:
    """``python -m parkbench ARGS`` from the repository root, measured."""
    return measure([sys.executable, "-m", "parkbench", *args])


def measure(argv: list[str]) -> Run:
    out_path, err_path = ROOT / "bench" / "data" / "command.out", ROOT / "bench" / "data" / "command.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(argv, cwd=ROOT, stdout=out, stderr=err)
        tree_peak = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            tree_peak = max(tree_peak, tree_rss_kb(process.pid))
            time.sleep(SAMPLE_S)
        wall_s = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    peak_kb = max(tree_peak, usage.ru_maxrss)
    return Run(wall_s, peak_kb / 1024, process.returncode, out_path.read_bytes(), err_path.read_bytes())


def tree_rss_kb(root: int) -> int:
    """Resident kB of ``root`` and every process below it (0 for any that ended meanwhile)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    # pid (comm) state ppid …: comm may hold spaces, so split after its closing ')'
                    parents[int(entry)] = int(f.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(_rss_kb(pid) for pid in tree)


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as f:
            for line in f:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0
