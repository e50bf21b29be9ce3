"""plan.xlsx written beside the checker: a forked process writes the workbook's big sheets (made from the plan alone)
while this one runs the checker, the "why" and the HTML page, then gets the checker's verdict for the last sheets.

On a 20,000-teacher district the workbook and the checker each take about as long as the rest: two cores make the
files for people in about half the time. Where there is one core, no `fork`, or the process fails in any way, the
workbook is written here instead — the same bytes either way (report/workbook.py writes the cells in one order).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from dataclasses import replace

from vastaff.report.context import ReportContext


class WorkbookJob:
    """plan.xlsx started from a context without the checker's verdict; `result(ctx)` with it gives the bytes."""

    def __init__(self, draft_ctx: ReportContext):
        self._process = self._conn = None
        self._sent = False
        if _cores() < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return
        mine, theirs = multiprocessing.get_context("fork").Pipe()
        try:
            self._process = multiprocessing.get_context("fork").Process(
                target=_write, args=(draft_ctx, theirs), daemon=True, name="vastaff-workbook")
            self._process.start()
        except OSError:  # no process to spare: the workbook is written in `result`
            self._process = None
            mine.close()
            theirs.close()
            return
        theirs.close()
        self._conn = mine

    def verdict(self, check) -> None:
        """Hand the checker's verdict to the process as soon as it exists, so that the workbook's last sheets and
        its file are written while this process makes the "why" and the page."""
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
        if self._conn is None:
            return plan_workbook(ctx)
        try:
            kind, value = self._conn.recv()
        except (EOFError, OSError):
            kind, value = "failed", None
        finally:
            self.close()
        return value if kind == "ok" else plan_workbook(ctx)

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

    def __enter__(self) -> WorkbookJob:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _write(draft_ctx: ReportContext, conn) -> None:
    """The forked process: the plan's sheets, then wait for the checker's verdict, then the rest; the bytes back."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops this process
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        from vastaff.report.workbook import WorkbookDraft

        draft = WorkbookDraft(draft_ctx)
        check = conn.recv()
        conn.send(("ok", draft.finish(replace(draft_ctx, check=check))))
    except EOFError:  # the parent gave up on the report
        pass
    except Exception as exc:  # noqa: BLE001 — the parent writes the workbook itself and reports a real error
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
