"""A9.1 and LOCK: the locks in the way of a matrix swap, read from the data and the plan alone (docs/contract.md, A9.1;
docs/decisions.md, "A meeting lock needs a grade").

A blocking pair is excused when a lock stands in the way of the swap: a `require` lock placed the junior in their
homeroom (of its course, or of a meeting needing a grade it holds); a course lock outside the academic periods keeps
the senior out of the junior's homeroom or the junior out of the senior's (that course forbidden, `homeroom`
forbidden, another course required); or a `require` lock of an IEP meeting with a blank eligible list (A7.1 gives it
to a teacher of its grade tonight) needs a grade that homerooms hold, and the other homeroom does not hold it — a
teacher holds one homeroom, so the swap would break the lock.
"""

from __future__ import annotations

import pandas as pd

from vastaff.check.core import CheckContext, cached, sections_full
from vastaff.schemas.fields import HOMEROOM


@cached
def homeroom_locks(ctx: CheckContext) -> dict[str, list[tuple[str, str, str | None]]]:
    """teacher_id -> (lock_id, mode, course_id) of the locks that bear on who holds a homeroom: course locks in no
    academic period, or in `homeroom` (a blank course_id there: every homeroom)."""
    k = ctx.district.locks
    k = k[k.course_id.notna() & k.period_id.isna() | k.period_id.eq(HOMEROOM)]
    out: dict[str, list[tuple[str, str, str | None]]] = {}
    for lock, teacher, mode, course in zip(k.lock_id, k.teacher_id, k["mode"], k.course_id):
        out.setdefault(teacher, []).append((lock, mode, None if pd.isna(course) else course))
    return out


def barring(ctx: CheckContext, teacher_id: str, course_id: str) -> list[str]:
    """The locks that keep the teacher out of a homeroom of the course: that course forbidden, every homeroom
    forbidden, or another course required (a teacher holds one homeroom)."""
    mine = homeroom_locks(ctx).get(teacher_id, [])
    forbids = [lock for lock, mode, course in mine if mode == "forbid" and course in (course_id, None)]
    required = [(lock, course) for lock, mode, course in mine if mode == "require" and course is not None]
    other = [] if any(course == course_id for _, course in required) else [lock for lock, _ in required]
    return forbids + other


def barred(ctx: CheckContext, teacher_id: str, course_id: str) -> bool:
    """Whether a lock keeps the teacher out of a homeroom of the course (`barring`)."""
    return bool(barring(ctx, teacher_id, course_id))


def locked_out(ctx: CheckContext, teacher_id: str, course_id: str, homeroom: bool) -> bool:
    """Whether a lock keeps the teacher from a section of the course: `barred` for a homeroom; for a secondary section,
    the course forbidden (a forbid with an academic period only moves it in the timetable)."""
    if homeroom:
        return barred(ctx, teacher_id, course_id)
    return any(mode == "forbid" and course == course_id for _, mode, course in homeroom_locks(ctx).get(teacher_id, []))


def seated_grades(ctx: CheckContext) -> pd.DataFrame:
    """(section_id, grade) of every grade with students in a section (a homeroom holds the grades it seats)."""
    g = ctx.plan.section_grades[["section_id", "grade", "students"]]
    return g[g.students.astype("int64") > 0][["section_id", "grade"]].astype({"grade": "int64"}).drop_duplicates()


@cached
def homeroom_section_grades(ctx: CheckContext) -> dict[str, set[int]]:
    """section_id -> the grades `seated_grades` finds in it, for every section of an elementary course (a homeroom,
    staffed or vacant)."""
    s = sections_full(ctx)
    g = seated_grades(ctx)
    g = g[g.section_id.isin(set(s.section_id[s.level.eq("elementary")]))]
    return {section: set(map(int, grades)) for section, grades in g.groupby("section_id").grade}


@cached
def grades_locked(ctx: CheckContext) -> dict[str, list[tuple[str, int]]]:
    """teacher_id -> (lock_id, grade) of each `require` lock of an IEP meeting with a blank eligible list whose grade
    homerooms hold: A7.1 gives the meeting to a teacher of that grade."""
    k, m = ctx.district.locks, ctx.district.iep_meetings
    if k.empty or m.empty:
        return {}
    blank = m[m.eligible_teacher_ids.map(len) == 0].set_index("meeting_id").grade
    held = set().union(*homeroom_section_grades(ctx).values())
    k = k[k["mode"].eq("require") & k.meeting_id.isin(blank.index)]
    out: dict[str, list[tuple[str, int]]] = {}
    for lock, teacher, meeting in zip(k.lock_id, k.teacher_id, k.meeting_id):
        if int(blank[meeting]) in held:
            out.setdefault(teacher, []).append((lock, int(blank[meeting])))
    return out


def grade_barring(ctx: CheckContext, teacher_id: str, section_id: str | None) -> list[str]:
    """The meeting locks that need the teacher to teach a grade the homeroom does not hold."""
    if section_id is None or pd.isna(section_id):
        return []
    grades = homeroom_section_grades(ctx).get(section_id, set())
    return [lock for lock, grade in grades_locked(ctx).get(teacher_id, []) if grade not in grades]


def grade_placing(ctx: CheckContext, teacher_id: str, section_id: str) -> list[str]:
    """The meeting locks that need the teacher to teach a grade their homeroom holds: they placed them there against
    a senior without a homeroom (one with a homeroom holding that grade too could swap: `grade_barring` says when
    they cannot)."""
    grades = homeroom_section_grades(ctx).get(section_id, set())
    return [lock for lock, grade in grades_locked(ctx).get(teacher_id, []) if grade in grades]


def in_the_way(ctx: CheckContext, senior: str, s_course: str | None, s_section: str | None, junior: str,
               j_course: str, j_section: str) -> list[str]:
    """The locks in the way of the swap, sorted (none: the pair blocks): one placed the junior there (docs/contract.md,
    A9.1: a course lock, or a meeting lock needing a grade their homeroom holds when the senior has none), keeps the
    senior out of the junior's homeroom, or keeps the junior out of the senior's."""
    placed = [lock for lock, mode, course in homeroom_locks(ctx).get(junior, []) if mode == "require"
              and course == j_course]
    placed += grade_placing(ctx, junior, j_section) if s_section is None or pd.isna(s_section) else []
    kept = barring(ctx, senior, j_course) + (barring(ctx, junior, s_course) if s_course is not None else [])
    kept += grade_barring(ctx, senior, j_section) + grade_barring(ctx, junior, s_section)
    return sorted(set(placed + kept))


def excused(ctx: CheckContext, senior: str, s_course: str | None, s_section: str | None, junior: str, j_course: str,
            j_section: str) -> bool:
    """Whether a lock is in the way of the swap (`in_the_way`)."""
    return bool(in_the_way(ctx, senior, s_course, s_section, junior, j_course, j_section))
