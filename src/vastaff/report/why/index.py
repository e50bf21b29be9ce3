"""The plan's holders and the data's rows as dicts, for the matrix's per-choice reasoning (report/why/matrix.py):
who holds each homeroom grade and course, which section grants a choice, each teacher's courses per semester and full
semesters, and `unfit` — CRED as the checker reads it (credential, grades, school and level, special education, role).
"""

from __future__ import annotations

from collections import Counter, namedtuple
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from vastaff.check.core import sections_full
from vastaff.check.courses import teacher_courses
from vastaff.check.matrix import homeroom_grades, seated_grades
from vastaff.report.why.lines import cols, grouped
from vastaff.report.why.tables import Tables, grade_range, grades_text


@dataclass
class Index:
    """Who holds what in the plan, and each teacher's and course's row, as dicts for the per-choice reasoning."""

    t: Tables

    @cached_property
    def teacher(self) -> dict:
        """teacher_id -> the row CRED and A6.3 read (school, level, department, role, credentials, grades, consent)."""
        return _records(self.t.teachers, ["teacher_id", "school_id", "level", "department", "role", "credentials",
                                          "creds", "grade_min", "grade_max", "stipend_consent"])

    @cached_property
    def course(self) -> dict:
        return _records(self.t.courses, ["course_id", "school_id", "level", "credential", "program", "semester", "lo",
                                         "hi"])

    @cached_property
    def forbidden(self) -> dict:
        """(teacher, course) -> the locks that forbid the teacher the course outright (no period named)."""
        k = self.t.ctx.district.locks
        k = k[k["mode"].eq("forbid") & k.course_id.notna() & k.period_id.isna()].sort_values("lock_id")
        return grouped(cols(k.teacher_id, k.course_id), k.lock_id)

    @cached_property
    def grade_holders(self) -> dict:
        """(school_id, grade) -> [(teacher, section, course)] of homerooms holding students of that grade."""
        h = homeroom_grades(self.t.check).sort_values("section_id")
        return grouped(cols(h.school_id, h.grade), cols(h.teacher_id, h.section_id, h.course_id))

    @cached_property
    def vacant_grades(self) -> dict:
        """(school_id, grade) -> [section] of vacant homerooms holding students of that grade."""
        s = sections_full(self.t.check)
        s = s[s.vacancy & s.homeroom.fillna(False).astype(bool)][["section_id", "course_school"]].drop_duplicates()
        h = s.merge(seated_grades(self.t.check), on="section_id").sort_values("section_id")
        return grouped(cols(h.course_school, h.grade), h.section_id)

    @cached_property
    def homeroom(self) -> dict:
        """teacher -> (section, course) of their homeroom (the first by section ID)."""
        s = self.t.staffed
        s = s[s.homeroom].sort_values("section_id").drop_duplicates("teacher_id")
        return dict(cols(s.teacher_id, cols(s.section_id, s.course_id)))

    @cached_property
    def span(self) -> dict:
        """homeroom section -> (lo, hi) of its grades with students ((None, None) without students)."""
        s = self.t.staffed[self.t.staffed.homeroom]
        lo, hi = (s[c].to_numpy(dtype=float).tolist() for c in ("lo", "hi"))
        return {sid: (None, None) if a != a else (int(a), int(b)) for sid, a, b in cols(s.section_id, lo, hi)}

    @cached_property
    def course_holders(self) -> dict:
        s = self.t.staffed.sort_values("section_id")
        return grouped(s.course_id, cols(s.teacher_id, s.section_id))

    @cached_property
    def granting(self) -> dict:
        """(teacher, 'grade'|'course_id'|'level', value) -> the first section (by ID) granting that choice."""
        s = self.t.staffed.sort_values("section_id")
        moved = s[s.level != s.teacher_id.map(self.t.teachers.level)]  # a level choice: a section of another level
        return _first_of(s, moved, homeroom_grades(self.t.check).sort_values("section_id"))

    @cached_property
    def courses_in(self) -> dict:
        c = teacher_courses(self.t.check)
        return {(tid, term): n for tid, a, b in cols(c.teacher_id, c.courses_s1, c.courses_s2)
                for term, n in ((1, a), (2, b))}

    @cached_property
    def full(self) -> set:
        """(teacher, semester) in which every academic period holds a section of theirs (A6.1)."""
        p = self.t.periods
        return set(cols(p.teacher_id[p.full], p.term[p.full]))

    @cached_property
    def vacant(self) -> Counter:
        """course_id -> its sections without a teacher."""
        s = self.t.ctx.plan.sections
        return Counter(s.course_id[s.teacher_id.isna()].tolist())


def _records(frame: pd.DataFrame, columns: list[str]) -> dict:
    """First column -> a named tuple of the columns, for many lookups of single rows."""
    Row = namedtuple("Row", columns)
    return {values[0]: Row(*values) for values in cols(*(frame[c] for c in columns))}


def _first_of(s: pd.DataFrame, moved: pd.DataFrame, h: pd.DataFrame) -> dict:
    """(teacher, kind, value) -> the first section (by ID) granting a choice of that kind and value: of its course
    (sections `s`), of its level (sections `moved`), of its grade (homeroom grades `h`)."""
    out: dict = {}
    for key, sid in [*(((t, "level", lv), x) for t, lv, x in cols(moved.teacher_id, moved.level, moved.section_id)),
                     *(((t, "course_id", c), x) for t, c, x in cols(s.teacher_id, s.course_id, s.section_id)),
                     *(((t, "grade", int(g)), x) for t, g, x in cols(h.teacher_id, h.grade, h.section_id))]:
        out.setdefault(key, sid)
    return out


def unfit(ix: Index, teacher_id: str, course_id: str, lo: int | None, hi: int | None, whole: bool = True
          ) -> str:
    """Why CRED keeps the teacher from a section of the course holding grades lo..hi ('' when it does not); with
    `whole=False` a course is fit when some of its grades are within the teacher's."""
    me, c = ix.teacher.get(teacher_id), ix.course.get(course_id)
    if me is None or c is None:
        return "" if c is not None else f"{course_id} has no demand"
    if me.role == "resource_specialist":
        return "resource specialists teach no sections"
    if c.school_id != me.school_id or c.level != me.level:
        return f"it is a {c.level} course of {c.school_id}, they teach {me.level} at {me.school_id}"
    if c.credential not in me.credentials:
        return f"it needs credential {c.credential} (they hold {me.creds or 'none'})"
    if lo is not None and hi is not None and (
            (lo < me.grade_min or hi > me.grade_max) if whole else (hi < me.grade_min or lo > me.grade_max)):
        held = f"{grades_text(lo, hi)} {'is' if lo == hi else 'are'}"
        return f"{held} outside their grades {grade_range(me.grade_min, me.grade_max)}"
    if c.program == "special_education" and me.department != "special_education":
        return "a special-education course needs the special-education department"
    return ""
