"""LOCK + A6.1/A6.2: which period locks a school without a timetable should name — the fewest that still leave none.

The timetable's hard rules bind one teacher's sections at a time (one period each; A6.1/A6.2 per teacher, semester
and period; a lock names one teacher), so a school has no timetable exactly when some teacher's sections have none
with their own locks. Each teacher is tried alone; of a teacher without a timetable, each lock is left out in turn
while the others still leave none (a deletion filter: no lock named can be spared). Before, the conflict named every
period lock of the school, also a vacuous one of a teacher whose sections were fine.
"""

from __future__ import annotations

import pandas as pd
from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.cpsat.timetable_locks import period_locks
from vastaff.cpsat.timetable_model import build_timetable_model
from vastaff.sections.timetable_figures import period_data

TRY_SECONDS = 2.0
"""Deterministic seconds for one teacher's question (a handful of sections: answered in milliseconds); a question
left open counts as "has a timetable", so its lock is named."""


def conflicting_locks(sections: pd.DataFrame, section_grades: pd.DataFrame, courses: pd.DataFrame, period_ids,
                      contract: ContractModel, locks: list[dict]) -> list[dict]:
    """The period locks to name, in file order: every teacher's own fewest that leave their sections no timetable
    (all the period locks when no teacher alone lacks one, which the rules above rule out)."""
    locked = [lock for lock in locks if lock["period_id"] is not None]
    named: list[dict] = []
    for teacher in sorted({lock["teacher_id"] for lock in locked}):
        mine = sections[sections.teacher_id == teacher]
        data = period_data(mine, section_grades[section_grades.section_id.isin(mine.section_id)], courses, period_ids)
        kept = [lock for lock in locked if lock["teacher_id"] == teacher]
        if _has_timetable(data, contract, kept):
            continue
        for lock in list(kept):
            rest = [other for other in kept if other is not lock]
            if not _has_timetable(data, contract, rest):
                kept = rest
        named += kept
    order = {id(lock): i for i, lock in enumerate(locked)}
    return sorted(named, key=lambda lock: order[id(lock)]) or locked


def _has_timetable(data, contract: ContractModel, locks: list[dict]) -> bool:
    """Whether one teacher's sections have periods within A6.1/A6.2 that keep `locks`."""
    rules = period_locks(data, locks)
    if data.meetings.empty:
        return not rules.required  # a required period with no section to meet in it
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = TRY_SECONDS
    return solver.solve(build_timetable_model(data, contract, rules).model) != cp_model.INFEASIBLE
