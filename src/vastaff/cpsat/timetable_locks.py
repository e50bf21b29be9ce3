"""LOCK (docs/contract.md, "Decisions people made"): what locks.csv asks of a school's timetable.

A course lock with a period: `require` — at least one of the teacher's sections of the course (meeting in the lock's
semester, if it names one) meets in that period; `forbid` — none does. A period lock alone (`forbid` only): none of
the teacher's sections meeting in the lock's semester (both when blank) meets in that period. A `year` section meets in
semesters 1 and 2, so a lock of either semester reaches it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vastaff.sections.timetable_figures import PeriodData


@dataclass(frozen=True)
class PeriodLocks:
    """The locks as plain facts about sections: what `cpsat/timetable.py` adds as constraints, and how to test a
    timetable (section_id -> period_id) against them."""

    required: tuple[tuple[tuple[str, ...], str], ...] = ()  # (sections, period): one of them meets in the period
    forbidden: tuple[tuple[str, str], ...] = ()             # (section, period): it never meets there
    rows: tuple[str, ...] = ()                               # lock_id of every lock that reached a section

    def hold(self, periods: dict[str, str]) -> bool:
        return (all(any(periods.get(s) == p for s in sids) for sids, p in self.required)
                and all(periods.get(s) != p for s, p in self.forbidden))


def period_locks(data: PeriodData, locks) -> PeriodLocks:
    """The course-with-period and period-alone locks of `locks` (locks.csv rows as dicts) over `data`'s sections."""
    sections = data.sections()
    required, forbidden, rows = [], [], []
    for lock in locks:
        period = lock["period_id"]
        if period is None or period not in data.period_ids:
            continue
        meets = np.array([_meets_in(sem, lock["semester"]) for sem in sections.semester.astype(str)], dtype=bool)
        mine = sections[(sections.teacher_id == lock["teacher_id"]).to_numpy(dtype=bool) & meets]
        if lock["course_id"] is not None:
            mine = mine[mine.course_id == lock["course_id"]]
        sids = tuple(sorted(mine.section_id))
        if lock["mode"] == "require":
            required.append((sids, period))  # no section at all: a constraint no timetable meets (a conflict)
        else:
            forbidden += [(s, period) for s in sids]
        rows.append(lock["lock_id"])
    return PeriodLocks(tuple(required), tuple(forbidden), tuple(rows))


def _meets_in(semester: str, locked: str | None) -> bool:
    """Does a section of `semester` meet in the semester a lock names (blank or `year`: any)?"""
    return locked in (None, "year") or semester == "year" or semester == locked
