"""Why a teacher's sections meet in other periods than last night: the timetable's stages (docs/contract.md, "The
timetable": doubled periods, singleton clashes and grade peaks come before period changes against the previous plan).

A principal read 'VA01-H-APUSH year P5 -> P2' in changes.csv for a teacher nothing else had changed for, and no line
of `explain` said why.
"""

from __future__ import annotations

import pandas as pd

from vastaff.diff import SUMMARY, teacher_changes
from vastaff.people.wording import counted
from vastaff.report.context import ReportContext
from vastaff.report.why.lines import empty, lines, row_refs
from vastaff.report.why.tables import Tables

MEASURES = {"doubled": "doubled periods", "singleton_clashes": "singleton clashes",
            "grade_peak_excess": "grade peaks above an even spread", "max_live_students": "largest live group"}
"""The timetable's measures other than period changes (objective.period_stages), as the line names them."""


def period_change_lines(t: Tables) -> pd.DataFrame:
    """A6.1 (6.0 A(1)): a teacher whose kept sections meet in other periods than in the previous plan — the moves in
    a line, and the school's period changes tonight: the fewest its timetable can make once the measures that come
    first are as low as they go, where run.json says the school's timetable is proven (else: not proven)."""
    changes = t.once("why.changes", lambda t: _changes(t.ctx))
    if changes is None or changes.empty:
        return empty()
    moved = changes[(changes.what == "periods") & changes.teacher_id.isin(t.teachers.index)]
    if moved.empty:
        return empty()
    schools = moved.teacher_id.map(t.teachers.school_id)
    run = t.ctx.plan.run if isinstance(t.ctx.plan.run, dict) else {}
    first = _before_changes(t.ctx.contract.objective.period_stages)
    message = [f"periods moved since the previous plan: {summary}; {_school_text(run, school, first)}"
               for summary, school in zip(moved[SUMMARY], schools)]
    return lines("periods", moved.teacher_id, "A6.1", message,
                 row_refs(("teachers.csv", moved.teacher_id), ("schools.csv", schools)))


def _changes(ctx: ReportContext) -> pd.DataFrame | None:
    """The changes against the previous plan with their line (`summary`): the solve's, else worked out from the
    previous plan the district holds; None without one."""
    if ctx.changes is not None and SUMMARY in ctx.changes.columns:
        return ctx.changes
    previous = ctx.district.previous
    return teacher_changes(previous, ctx.plan) if previous is not None else None


def _before_changes(stages) -> list[str]:
    """The measures the model file's objective.period_stages puts before period changes."""
    stages = list(stages)
    return stages[:stages.index("period_changes")] if "period_changes" in stages else stages


def _joined(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def _school_text(run: dict, school: str, before: list[str]) -> str:
    """What the school's timetable says of its period changes (run.json `periods.schools`); `before`: the measures
    that come first (`_before_changes`)."""
    figures = ((run.get("periods") or {}).get("schools") or {}).get(school)
    if not before:
        return f"{school}'s timetable keeps last night's periods before every other measure of its own"
    if not isinstance(figures, dict) or not isinstance(figures.get("period_changes"), int):
        return (f"{school}'s timetable keeps last night's periods only once its "
                f"{_joined([MEASURES[k] for k in before])} are as few as they can be (docs/contract.md, The timetable)")
    first = _joined([f"{MEASURES[k]} ({figures.get(k)})" for k in before])
    moves = counted(figures["period_changes"], "kept section period")
    if figures.get("status") == "OPTIMAL":
        return (f"tonight's timetable at {school} moves {moves}, the fewest it can once its {first}, which come "
                "first, are as low as they go (4.0 B(3))")
    return (f"tonight's timetable at {school} moves {moves}, after its {first}, which come first (4.0 B(3)); it was "
            f"not proven optimal ({figures.get('status')})")
