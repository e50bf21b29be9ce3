"""Work in a forked process, on the second core, while this process does its own: the report's checker and workbook
(report/parallel.py) and the nightly plan's people parts that need no sections (`ForkedCall`, vastaff.nightly).

A forked process only ever saves time: where there is one core, no `fork`, no process may be started (a daemonic
process, as a Dask worker's), or the process fails in any way, its work is done in this process instead — the same
answer either way, later.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Callable, Generic, TypeVar

from vastaff.background import Background
from vastaff.interrupt import die_with_parent

T = TypeVar("T")


class Forked:
    """`target(*args, conn)` in a forked process, and this end of its pipe (both None where there is one core, no
    `fork`, or no process to spare: the caller then does the work itself)."""

    def __init__(self, target: Callable, args: tuple, name: str):
        self._process = self._conn = None
        if cores() < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return
        mine, theirs = multiprocessing.get_context("fork").Pipe()
        try:
            self._process = multiprocessing.get_context("fork").Process(
                target=_quiet, args=(target, os.getpid(), *args, theirs), daemon=True, name=name)
            _start_frozen(self._process)
        except (OSError, AssertionError):  # AssertionError: a daemonic process may not have children
            self._process = None
            mine.close()
            theirs.close()
            return
        theirs.close()
        self._conn = mine

    def _receive(self, expected: str):
        """The process's next message if it is `expected` (else None: it failed, and is stopped)."""
        try:
            kind, value = self._conn.recv()
        except (EOFError, OSError):
            kind, value = "failed", None
        if kind != expected:
            self.close()
        return value if kind == expected else None

    def close(self) -> None:
        """Stop the process if it still runs (an interrupted or failed report)."""
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._process = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class ForkedCall(Generic[T]):
    """`fn()` in a process forked at once, so that what this process does next overlaps it on the second core;
    `result()` gives its value, or raises its error. Where no process could be forked, `start()` runs `fn` in a
    `Background` thread instead and `result()` waits for that (or computes `fn` itself, never started); a process that
    fails leaves `result()` to compute `fn` here."""

    def __init__(self, fn: Callable[[], T], name: str):
        self._here = Background(fn, name)
        self._job: Forked | None = Forked(_call, (fn,), name)
        if self._job._conn is None:
            self._job = None

    @property
    def forked(self) -> bool:
        """Whether `fn` runs in a process of its own."""
        return self._job is not None

    def start(self) -> None:
        """Where no process was forked: begin `fn` in a thread (once it is safe, see vastaff.background)."""
        if self._job is None:
            self._here.start()

    def result(self) -> T:
        """`fn`'s value, from the process, the thread, or computed here; its error raised here."""
        if self._job is not None:
            found = self._job._receive("ok")
            self.close()
            if found is not None:
                return found[0]
        return self._here.result()

    def close(self) -> None:
        """Stop the process if it still runs (the caller gave up: an error, a second Ctrl-C)."""
        if self._job is not None:
            self._job.close()
            self._job = None


def _call(fn: Callable, conn) -> None:
    """The process of a `ForkedCall`: ("ok", (value,)) back — a one-tuple, so that a value None is still an answer;
    an error sends ("error", why), and the caller computes `fn` itself, raising the error there."""
    answer(conn, lambda: (fn(),))


_ENDS_WITH_COMMAND = False
"""Whether this process ends with its command (`command_process`): then what `_start_frozen` freezes stays frozen."""


@contextmanager
def command_process() -> Iterator[None]:
    """The body is the console command, and the process ends with it (vastaff.cli.main): every fork's freeze then
    stays (`_start_frozen`). Said outright, not read from `gc.get_freeze_count()`, which walks every frozen object —
    14 ms a fork once the command line's imports are frozen (vastaff/imports.py), three forks on a solve's path."""
    global _ENDS_WITH_COMMAND
    was, _ENDS_WITH_COMMAND = _ENDS_WITH_COMMAND, True
    try:
        yield
    finally:
        _ENDS_WITH_COMMAND = was


def _start_frozen(process) -> None:
    """Fork `process` with every object of this one frozen (`gc.freeze`): the child's collections never walk what it
    inherited — on a 1,000-teacher plan they made the checker's process about a tenth slower, touching (and so
    copying) the parent's pages. Here they are thawed again right after, unless this process ends with its command
    (`command_process`): what it still does then never walks the district and the plan again (a 1,000-teacher
    solve: the full collection while it records the run, 0.06 s, is gone)."""
    gc.freeze()
    try:
        process.start()
    finally:
        if not _ENDS_WITH_COMMAND:
            gc.unfreeze()


def _quiet(target: Callable, parent: int, *args) -> None:
    """A forked process: Ctrl-C is the parent's to handle (it stops this process), SIGTERM ends it, and so does the
    end of its parent, however it ends (`kill -9`: vastaff.interrupt.die_with_parent)."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    target(*args)


def answer(conn, make: Callable) -> None:
    """Send ("ok", make()), or ("error", why) for the parent to make it itself; nothing when the parent gave up."""
    try:
        conn.send(("ok", make()))
    except (EOFError, BrokenPipeError):  # the parent gave up
        pass
    except Exception as exc:  # noqa: BLE001 — the parent makes it itself and reports a real error
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
