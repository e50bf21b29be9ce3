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
def homeroom_locks(ctx: CheckContext) -> tuple[dict, set, set]:
    """The locks that bear on who holds a homeroom (course locks in no academic period, or in `homeroom`):
    (teacher_id -> courses required, (teacher_id, course_id) forbidden, teachers forbidden every homeroom)."""
    k = ctx.district.locks
    k = k[k.period_id.isna() | k.period_id.eq(HOMEROOM)]
    required: dict[str, set[str]] = {}
    for t, c in zip(*(k[k["mode"].eq("require") & k.course_id.notna()][col] for col in ("teacher_id", "course_id"))):
        required.setdefault(t, set()).add(c)
    forbid = k[k["mode"].eq("forbid")]
    courses = set(zip(forbid.teacher_id[forbid.course_id.notna()], forbid.course_id[forbid.course_id.notna()]))
    return required, courses, set(forbid.teacher_id[forbid.course_id.isna() & forbid.period_id.eq(HOMEROOM)])


def barred(ctx: CheckContext, teacher_id: str, course_id: str) -> bool:
    """Whether a lock keeps the teacher out of a homeroom of the course: that course forbidden, every homeroom
    forbidden, or another course required (a teacher holds one homeroom)."""
    required, forbidden, no_homeroom = homeroom_locks(ctx)
    return ((teacher_id, course_id) in forbidden or teacher_id in no_homeroom
            or (teacher_id in required and course_id not in required[teacher_id]))


def locked_out(ctx: CheckContext, teacher_id: str, course_id: str, homeroom: bool) -> bool:
    """Whether a lock keeps the teacher from a section of the course: `barred` for a homeroom; for a secondary section,
    the course forbidden (a forbid with an academic period only moves it in the timetable)."""
    return barred(ctx, teacher_id, course_id) if homeroom else (teacher_id, course_id) in homeroom_locks(ctx)[1]


@cached
def homeroom_section_grades(ctx: CheckContext) -> dict[str, set[int]]:
    """section_id -> the grades with students in it, for every section of an elementary course (a homeroom, staffed or
    vacant)."""
    s = sections_full(ctx)
    homerooms = set(s.section_id[s.level.eq("elementary")])
    g = ctx.plan.section_grades
    g = g[g.section_id.isin(homerooms) & (g.students.astype("int64") > 0)]
    out: dict[str, set[int]] = {}
    for section, grade in zip(g.section_id, g.grade.astype("int64")):
        out.setdefault(section, set()).add(int(grade))
    return out


@cached
def grades_locked(ctx: CheckContext) -> dict[str, set[int]]:
    """teacher_id -> the grades homerooms hold that a `require` lock of an IEP meeting with a blank eligible list needs
    them to teach (A7.1)."""
    k, m = ctx.district.locks, ctx.district.iep_meetings
    if k.empty or m.empty:
        return {}
    blank = m[m.eligible_teacher_ids.map(len) == 0].set_index("meeting_id").grade
    held = set().union(*homeroom_section_grades(ctx).values())
    k = k[k["mode"].eq("require") & k.meeting_id.isin(blank.index)]
    out: dict[str, set[int]] = {}
    for teacher, meeting in zip(k.teacher_id, k.meeting_id):
        if int(blank[meeting]) in held:
            out.setdefault(teacher, set()).add(int(blank[meeting]))
    return out


def grade_barred(ctx: CheckContext, teacher_id: str, section_id: str | None) -> bool:
    """Whether a meeting lock needs the teacher to teach a grade the homeroom does not hold."""
    need = grades_locked(ctx).get(teacher_id)
    return bool(need) and section_id is not None and not pd.isna(section_id) \
        and not need <= homeroom_section_grades(ctx).get(section_id, set())


def grade_placed(ctx: CheckContext, teacher_id: str, section_id: str) -> bool:
    """Whether a meeting lock needs the teacher to teach a grade their homeroom holds: the lock placed them there
    against a senior without a homeroom (one with a homeroom holding that grade too could swap: `grade_barred` says
    when they cannot)."""
    return bool(grades_locked(ctx).get(teacher_id, set()) & homeroom_section_grades(ctx).get(section_id, set()))


def excused(ctx: CheckContext, senior: str, s_course: str | None, s_section: str | None, junior: str, j_course: str,
            j_section: str) -> bool:
    """A lock in the way of the swap: one placed the junior there (docs/contract.md, A9.1: a course lock, or a
    meeting lock needing a grade their homeroom holds), keeps the senior out of the junior's homeroom, or keeps the
    junior out of the senior's."""
    placed = j_course in homeroom_locks(ctx)[0].get(junior, set()) \
        or (s_section is None and grade_placed(ctx, junior, j_section))
    return (placed or barred(ctx, senior, j_course) or (s_course is not None and barred(ctx, junior, s_course))
            or grade_barred(ctx, senior, j_section) or grade_barred(ctx, junior, s_section))
