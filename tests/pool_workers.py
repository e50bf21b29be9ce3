"""Test helper (not a test module): kill a local pool's worker process for real, as `kill -9` or the OOM killer would."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def kill_first_pool_worker(parent: int, within: float = 30.0, busy: float = 0.05) -> int | None:
    """SIGKILL the first forked child of `parent` that is a pool worker (same command line as the parent's; a Dask
    cluster's spawned workers have another) once it has spent `busy` CPU seconds — a forked worker idles without
    CPU, so it is then inside a job (a fixed wait let a fast machine finish the sample's schools first). Its pid."""
    own = Path(f"/proc/{parent}/cmdline").read_bytes()
    ticks = busy * os.sysconf("SC_CLK_TCK")
    end = time.time() + within
    while time.time() < end:
        for child in children(parent):
            try:
                if Path(f"/proc/{child}/cmdline").read_bytes() == own and cpu_ticks(child) >= ticks:
                    os.kill(child, signal.SIGKILL)
                    return child
            except (FileNotFoundError, ProcessLookupError):
                continue
        time.sleep(0.005)
    return None


def cpu_ticks(pid: int) -> int:
    """User + system CPU time of `pid` in clock ticks (/proc/PID/stat fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def children(pid: int) -> list[int]:
    """The pids of `pid`'s child processes (Linux /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        listed = task / "children"
        if listed.exists():
            found += [int(c) for c in listed.read_text().split()]
    return found
