"""The files for people made on both cores: a forked process runs the independent checker's leading rule modules
(`CheckJob`), another writes the workbook's big sheets (made from the plan alone, `WorkbookJob`), while this one makes
every "why" line that needs no verdict (report/why `prepare`), then runs the checker's other modules; the joined
verdict then goes to the workbook's last sheets and to the rest of the "why" and the HTML page here.

On a 20,000-teacher district the workbook and the checker each take about as long as the rest; on a 300-teacher one
the checker (0.36 s) covers the "why" (0.14 s) and the workbook's sheets (0.14 s), which used to follow it here.
Where no process can be forked, or one fails in any way, its part is made here instead (vastaff.forked) — the same bytes
either way (report/workbook.py writes the cells in one order; the checker is one function of the plan).
"""

from __future__ import annotations

from dataclasses import replace

from vastaff.check.core import CheckReport
from vastaff.check.runner import MODULES, joined
from vastaff.forked import Forked, answer
from vastaff.report.context import ReportContext, verdict

FORKED = MODULES[:MODULES.index("caseload") + 1]
"""The rule modules the checker's process runs: the section rules, the timetable, the IEP rotation and the caseloads
(0.33 and 0.42 s of the checker's 0.50 and 0.61 s on tight districts of 60 and 300 teachers). The rest (locations,
incumbents, matrix and the others, 0.17-0.19 s) run here after the "why" that needs no verdict (0.2-0.3 s), in about the
time the process takes: the files took 0.66 -> 0.50 s (60 teachers) and 0.85 -> 0.69 s (300), median of 5-6 runs,
where the whole checker in the process used to leave this one waiting."""
HERE = MODULES[len(FORKED):]


class CheckJob(Forked):
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


class WorkbookJob(Forked):
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


def _check(draft_ctx: ReportContext, conn) -> None:
    """The checker's process: the verdict of the `FORKED` modules back."""
    answer(conn, lambda: verdict(draft_ctx, FORKED))


def _write(draft_ctx: ReportContext, conn) -> None:
    """The workbook's process: the plan's sheets, then wait for the checker's verdict, then the rest; the bytes back."""
    def book() -> bytes:
        from vastaff.report.workbook import WorkbookDraft

        draft = WorkbookDraft(draft_ctx)
        return draft.finish(replace(draft_ctx, check=conn.recv()))

    answer(conn, book)
