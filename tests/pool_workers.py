"""Test helper (not a test module): kill a local pool's worker process for real, as `kill -9` or the OOM killer would."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def kill_first_pool_worker(parent: int, within: float = 30.0, after: float = 0.5) -> int | None:
    """SIGKILL the first forked child of `parent` that is a pool worker (same command line as the parent's; a Dask
    cluster's spawned workers have another), `after` seconds once it is there (to let it start a job). Its pid."""
    own = Path(f"/proc/{parent}/cmdline").read_bytes()
    end = time.time() + within
    while time.time() < end:
        for child in children(parent):
            try:
                if Path(f"/proc/{child}/cmdline").read_bytes() == own:
                    time.sleep(after)
                    os.kill(child, signal.SIGKILL)
                    return child
            except (FileNotFoundError, ProcessLookupError):
                continue
        time.sleep(0.02)
    return None


def children(pid: int) -> list[int]:
    """The pids of `pid`'s child processes (Linux /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        listed = task / "children"
        if listed.exists():
            found += [int(c) for c in listed.read_text().split()]
    return found
