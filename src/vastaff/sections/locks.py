"""LOCK (docs/contract.md, "Decisions people made"): what locks.csv asks of a school's sections, as plain facts.

Shared by the optimizer (`cpsat/locks.py`, `cpsat/matrix.py`, `cpsat/periods.py`) and the clerk's fill
(`sections/greedy.py`), so that both read a lock the same way:
- a course lock without an academic period decides whether the teacher teaches the course at all (`require`: at least
  one section, `forbid`: none); with an academic period it is the timetable's (`cpsat/timetable_locks.py`);
- `homeroom` locked free: no elementary section (homeroom) for the teacher; a period locked free takes one academic
  period from the teacher's A6.1 capacity in its semesters, and the teacher's `year` sections fit the periods free
  in both semesters (`year_periods`);
- a `require` lock of an IEP meeting whose eligible list is blank (A7.1: a teacher of its grade tonight): the teacher
  teaches a section holding that grade (`grade_locks`).
"""

from __future__ import annotations

import pandas as pd

from vastaff.io.locks import group_of, records
from vastaff.schemas.fields import HOMEROOM
from vastaff.sections.plain import grouped


def grade_locks(locks: pd.DataFrame, meetings: pd.DataFrame) -> list[dict]:
    """The `require` locks of IEP meetings with a blank eligible list, as {lock_id, teacher_id, meeting_id, grade}:
    A7.1 gives such a meeting to a teacher of its grade, so the lock holds only if tonight's sections give the
    teacher one of that grade (a meeting with an explicit list does not depend on the sections)."""
    if locks.empty or meetings.empty:
        return []
    blank = {m: int(g) for m, g, ids in meetings[["meeting_id", "grade", "eligible_teacher_ids"]]
             .itertuples(index=False) if len(ids) == 0}
    return [{"lock_id": lock["lock_id"], "teacher_id": lock["teacher_id"], "meeting_id": lock["meeting_id"],
             "grade": blank[lock["meeting_id"]]}
            for lock in records(locks) if group_of(lock) == "meeting_id" and lock["mode"] == "require"
            and lock["meeting_id"] in blank]


def homeroom_shapes(p) -> set[int]:
    """The shapes of elementary courses (their sections are homerooms). A teacher who moved level (9.0(1)) may hold
    secondary sections too, which a `homeroom` lock does not reach."""
    elementary = set(p.courses.course_id[p.courses.elementary])
    return set(p.shapes.sid[p.shapes.course_id.isin(elementary)])


def periods_locked_free(p, teacher: str, semester: str) -> int:
    """How many academic periods of the school the teacher must keep free in the semester."""
    return len(locked_free(p, teacher, semester))


def locked_free(p, teacher: str, semester: str) -> set[str]:
    """The academic periods the teacher must keep free in the semester (forbid locks of a period alone)."""
    return {lock["period_id"] for lock in p.locks
            if lock["teacher_id"] == teacher and lock["course_id"] is None and lock["period_id"] in p.period_ids
            and lock["semester"] in (None, semester, "year")}


def year_periods(p, teacher: str) -> int | None:
    """The academic periods free in both semesters, where the teacher's `year` sections meet (one period in each):
    None when the locks keep the same periods free in both (the per-semester capacity then says it all)."""
    first, second = locked_free(p, teacher, "1"), locked_free(p, teacher, "2")
    return None if first == second else p.n_periods - len(first | second)


def barred_pairs(p, shapes_of: dict[str, list[int]]) -> set[tuple[str, int]]:
    """(teacher, shape) pairs a lock keeps apart: a forbidden course (without an academic period), `homeroom`
    forbidden (every elementary shape of the teacher); for a teacher of one assignment (an elementary teacher), a
    required course bars every other course; a meeting lock that needs a grade some homeroom holds (`grade_locks`)
    bars every homeroom without it (a teacher holds one homeroom). `shapes_of`: each teacher's eligible shapes; `p`: a
    SchoolProblem, or any view with its shapes, teachers, courses, locks and academic period_ids (the district's, for
    level moves, which reads course locks only)."""
    course = dict(zip(p.shapes.sid, p.shapes.course_id))
    own = dict(zip(p.teachers.teacher_id, p.teachers.level))
    out, homerooms = _homerooms_without(p, shapes_of), homeroom_shapes(p)
    for lock in p.locks:
        teacher, locked = lock["teacher_id"], lock["course_id"]
        for sid in shapes_of.get(teacher, []):
            if lock["mode"] == "forbid" and locked is None and lock["period_id"] == HOMEROOM:
                if sid in homerooms:
                    out.add((teacher, sid))
            elif lock["mode"] == "forbid" and locked == course[sid] and lock["period_id"] not in p.period_ids:
                out.add((teacher, sid))
            elif lock["mode"] == "require" and locked is not None and locked != course[sid] \
                    and own.get(teacher) == "elementary":
                out.add((teacher, sid))
    return out


def _homerooms_without(p, shapes_of: dict[str, list[int]]) -> set[tuple[str, int]]:
    """(teacher, homeroom shape) pairs where a meeting lock needs the teacher to teach a grade that homerooms hold and
    the shape does not hold it: the lock is kept only by a homeroom of that grade (docs/decisions.md, A9.1)."""
    homerooms = homeroom_shapes(p)
    grades = dict(zip(p.shapes.sid, p.shapes.grades))
    held = {g for sid in homerooms for g in grades[sid]}
    return {(lock["teacher_id"], sid) for lock in getattr(p, "grade_locks", []) if lock["grade"] in held
            for sid in shapes_of.get(lock["teacher_id"], []) if sid in homerooms and lock["grade"] not in grades[sid]}


def required_shapes(p) -> list[tuple[dict, list[int]]]:
    """Each lock that asks the teacher to teach something (a required course, a meeting's grade: `grade_locks`), with
    the shapes that would hold it, in lock_id order."""
    grades = grouped(p.shape_grades.grade, p.shape_grades.sid, sorted)
    courses = grouped(p.shapes.course_id, p.shapes.sid, sorted)
    out = [(lock, courses.get(lock["course_id"], [])) for lock in p.locks
           if lock["mode"] == "require" and lock["course_id"] is not None]
    out += [(lock, grades.get(lock["grade"], [])) for lock in p.grade_locks]
    return sorted(out, key=lambda item: str(item[0]["lock_id"]))
