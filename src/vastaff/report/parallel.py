"""The files for people made on both cores: a forked process runs the independent checker's leading rule modules
(`CheckJob`), another writes the workbook's big sheets (made from the plan alone, `WorkbookJob`), while this one makes
every "why" line that needs no verdict (report/why `prepare`), then runs the checker's other modules; the joined
verdict then goes to the workbook's last sheets and to the rest of the "why" and the HTML page here.

On a 20,000-teacher district the workbook and the checker each take about as long as the rest; on a 300-teacher one
the checker (0.36 s) covers the "why" (0.14 s) and the workbook's sheets (0.14 s), which used to follow it here.
Where there is one core, no `fork`, or a process fails in any way, its part is made here instead — the same bytes
either way (report/workbook.py writes the cells in one order; the checker is one function of the plan).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from dataclasses import replace
from typing import Callable

from vastaff.check.core import CheckReport
from vastaff.check.runner import MODULES, joined
from vastaff.report.context import ReportContext, verdict

FORKED = MODULES[:MODULES.index("caseload") + 1]
"""The rule modules the checker's process runs: the section rules, the timetable, the IEP rotation and the caseloads
(0.33 and 0.42 s of the checker's 0.50 and 0.61 s on tight districts of 60 and 300 teachers). The rest (locations,
incumbents, matrix and the others, 0.17-0.19 s) run here after the "why" that needs no verdict (0.2-0.3 s), in about the
time the process takes: the files took 0.66 -> 0.50 s (60 teachers) and 0.85 -> 0.69 s (300), median of 5-6 runs,
where the whole checker in the process used to leave this one waiting."""
HERE = MODULES[len(FORKED):]


class _Forked:
    """`target(*args, conn)` in a forked process, and this end of its pipe (both None where there is one core, no
    `fork`, or no process to spare: the caller then does the work itself)."""

    def __init__(self, target: Callable, args: tuple, name: str):
        self._process = self._conn = None
        if _cores() < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return
        mine, theirs = multiprocessing.get_context("fork").Pipe()
        try:
            self._process = multiprocessing.get_context("fork").Process(
                target=_quiet, args=(target, *args, theirs), daemon=True, name=name)
            _start_frozen(self._process)
        except OSError:
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


class CheckJob(_Forked):
    """The independent checker's verdict on a plan, run from its context without one (`draft_ctx`): the rule modules
    of `FORKED` in the process, the others here when the verdict is asked for (`result`)."""

    def __init__(self, draft_ctx: ReportContext):
        self.draft_ctx = draft_ctx
        super().__init__(_check, (draft_ctx,), "vastaff-check")

    def result(self) -> CheckReport:
        """The verdict: the process's modules joined to the others, checked here meanwhile; all of it here if the
        process has nothing to give."""
        rest = verdict(self.draft_ctx, HERE)
        found = self._receive("ok") if self._conn is not None else None
        self.close()
        return joined(found if found is not None else verdict(self.draft_ctx, FORKED), rest)


class WorkbookJob(_Forked):
    """plan.xlsx started from a context without the checker's verdict; `result(ctx)` with it gives the bytes."""

    def __init__(self, draft_ctx: ReportContext):
        self._sent = False
        super().__init__(_write, (draft_ctx,), "vastaff-workbook")

    def verdict(self, check) -> None:
        """Hand the checker's verdict to the process as soon as it exists, so that the workbook's last sheets and
        its file are written while this process makes the rest of the "why" and the page."""
        if self._conn is None or self._sent:
            return
        try:
            self._conn.send(check)
            self._sent = True
        except OSError:  # the process is gone: `result` writes the workbook here
            self.close()

    def result(self, ctx: ReportContext) -> bytes:
        """The workbook's bytes for the full context `ctx` (same plan as the draft, with the checker's verdict)."""
        from vastaff.report.workbook import plan_workbook  # XlsxWriter only when a workbook is asked for

        self.verdict(ctx.check)  # already sent by `files_for_people`, unless a caller skipped it
        found = self._receive("ok") if self._conn is not None else None
        self.close()
        return found if found is not None else plan_workbook(ctx)


def _start_frozen(process) -> None:
    """Fork `process` with every object of this one frozen (`gc.freeze`): the child's collections never walk what it
    inherited — on a 1,000-teacher plan they made the checker's process about a tenth slower, touching (and so
    copying) the parent's pages. Here they are thawed again right after, unless this process had frozen objects
    before: it then ends with its command (the console command freezes its objects as it starts, vastaff.cli.main),
    and what it still does never walks the district and the plan again (a 1,000-teacher solve: the full collection
    while it records the run, 0.06 s, is gone)."""
    ends_with_command = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        process.start()
    finally:
        if not ends_with_command:
            gc.unfreeze()


def _quiet(target: Callable, *args) -> None:
    """A forked process: Ctrl-C is the parent's to handle (it stops this process), SIGTERM ends it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    target(*args)


def _check(draft_ctx: ReportContext, conn) -> None:
    """The checker's process: the verdict of the `FORKED` modules back."""
    _answer(conn, lambda: verdict(draft_ctx, FORKED))


def _write(draft_ctx: ReportContext, conn) -> None:
    """The workbook's process: the plan's sheets, then wait for the checker's verdict, then the rest; the bytes back."""
    def book() -> bytes:
        from vastaff.report.workbook import WorkbookDraft

        draft = WorkbookDraft(draft_ctx)
        return draft.finish(replace(draft_ctx, check=conn.recv()))

    _answer(conn, book)


def _answer(conn, make: Callable) -> None:
    """Send ("ok", make()), or ("error", why) for the parent to make it itself; nothing when the parent gave up."""
    try:
        conn.send(("ok", make()))
    except EOFError:  # the parent gave up on the report
        pass
    except Exception as exc:  # noqa: BLE001 — the parent makes it itself and reports a real error
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
