"""LOCK (SPEC "Locks: decisions people made"): the section model's part of locks.csv.

A course lock decides whether the teacher teaches the course at all (its period is the timetable's part,
`cpsat/timetable.py`); a period locked free takes one academic period from the teacher's A6.1 capacity in its
semesters (`periods_locked_free`), and `homeroom` locked free leaves an elementary teacher without a homeroom. Each
lock is a constraint group of its own, so that a `--strict` or lock explanation names it with the rules in its way.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from vastaff.cpsat.groups import Groups
from vastaff.cpsat.variables import SectionVars
from vastaff.rules import Finding
from vastaff.schemas.fields import HOMEROOM, grade_name
from vastaff.sections.locks import homeroom_shapes
from vastaff.sections.problem import SchoolProblem


def add_locks(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, groups: Groups) -> list[Finding]:
    """The course and homeroom locks of the school as constraints; the locks no model can hold (the teacher may not
    teach the course at all: CRED) as conflicts, without a constraint."""
    conflicts = []
    for lock in p.locks:
        teacher, rows = lock["teacher_id"], lock_rows(lock)
        if lock["course_id"] is not None:
            takes = [v.takes[teacher, s] for s in v.shapes_of_course.get(lock["course_id"], []) if (teacher, s) in v.takes]
            if lock["mode"] == "require" and not v.shapes_of_course.get(lock["course_id"]):
                conflicts.append(no_students(lock))
            elif lock["mode"] == "require" and not takes:
                conflicts.append(_not_eligible(lock))
            elif lock["mode"] == "require":
                groups.enforce(model.add(sum(takes) >= 1), "LOCK", f"lock {lock['lock_id']}", rows)
            elif lock["period_id"] not in p.period_ids:  # a course+period forbid is the timetable's (timetable_locks)
                for x in takes:
                    groups.enforce(model.add(x == 0), "LOCK", f"lock {lock['lock_id']}", rows)
        elif lock["period_id"] == HOMEROOM:  # forbid (validated): no homeroom (an elementary section) for them
            for s in sorted(set(v.shapes_of_teacher.get(teacher, [])) & homeroom_shapes(p)):
                groups.enforce(model.add(v.takes[teacher, s] == 0), "LOCK", f"lock {lock['lock_id']}", rows)
    return conflicts + _grade_locks(model, p, v, groups)


def _grade_locks(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, groups: Groups) -> list[Finding]:
    """A `require` lock of an IEP meeting with a blank eligible list (A7.1): the teacher teaches a section of its
    grade. A teacher outside general education is never eligible for it; the IEP rotation names that conflict."""
    general = set(p.teachers.teacher_id[p.teachers.department == "general"])
    holding = p.shape_grades.groupby("grade").sid.apply(set).to_dict()
    conflicts = []
    for lock in p.grade_locks:
        teacher, grade = lock["teacher_id"], lock["grade"]
        if teacher not in general:
            continue
        takes = [v.takes[teacher, s] for s in v.shapes_of_teacher.get(teacher, []) if s in holding.get(grade, ())]
        rows = (*lock_rows(lock), ("iep_meetings.csv", lock["meeting_id"]))
        if not takes:
            conflicts.append(Finding(("LOCK", "A7.1", "CRED"), f"lock {lock['lock_id']} gives IEP meeting "
                                     f"{lock['meeting_id']} (grade {grade_name(grade)}, eligible: its grade's "
                                     f"teachers) to {teacher}, whom CRED allows no section of grade "
                                     f"{grade_name(grade)}", rows))
        else:
            groups.enforce(model.add(sum(takes) >= 1), "LOCK", f"lock {lock['lock_id']}", rows)
    return conflicts


def lock_rows(lock: dict) -> tuple:
    return (("locks.csv", lock["lock_id"]), ("teachers.csv", lock["teacher_id"]))


def no_students(lock: dict) -> Finding:
    """A required course with no students tonight (demand.csv): no section of it opens, whoever would teach it."""
    return Finding(("LOCK", "DEMAND"), f"lock {lock['lock_id']} requires teacher {lock['teacher_id']} to teach "
                                       f"{lock['course_id']}, which has no students tonight (demand.csv), so no "
                                       f"section of it opens", (*lock_rows(lock), ("courses.csv", lock["course_id"])))


def _not_eligible(lock: dict) -> Finding:
    """A required course the teacher may not teach (CRED: credential, level or grade range), whatever the plan."""
    return Finding(("LOCK", "CRED"), f"lock {lock['lock_id']} requires teacher {lock['teacher_id']} to teach "
                                     f"{lock['course_id']}, which CRED does not allow them (credential, level or "
                                     f"grade range)", (*lock_rows(lock), ("courses.csv", lock["course_id"])))
