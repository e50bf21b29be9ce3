"""LOCK (docs/contract.md, "Decisions people made"): the section model's part of locks.csv.

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
from vastaff.contract import ContractModel
from vastaff.sections.locks import homeroom_shapes, locked_free
from vastaff.sections.plain import grouped
from vastaff.sections.problem import SEMESTERS_OF, SchoolProblem


def add_locks(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, contract: ContractModel,
              groups: Groups) -> list[Finding]:
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
    _periods_of_a_course(model, p, v, contract, groups)
    _periods_required_of_a_course(model, p, v, groups)
    return conflicts + _grade_locks(model, p, v, groups)


def _periods_of_a_course(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, contract: ContractModel,
                         groups: Groups) -> None:
    """A `forbid` lock of a course in a period (the timetable's) also caps the teacher's sections of that course: in
    each semester, at most the periods left to it (neither forbidden to the course nor kept free) times what a period
    holds of one course (A6.1; one ELD section, A6.2). Without it the section model gave a teacher two ELD sections
    of a course locked out of one of two periods, and the timetable found none (exit 3 where a plan exists)."""
    forbidden: dict[tuple[str, str], list[dict]] = {}
    for lock in p.locks:
        if lock["mode"] == "forbid" and lock["course_id"] is not None and lock["period_id"] in p.period_ids:
            forbidden.setdefault((lock["teacher_id"], lock["course_id"]), []).append(lock)
    course = {c.course_id: c for c in p.courses.itertuples(index=False)}
    for (teacher, course_id), locks in sorted(forbidden.items()):
        c = course.get(course_id)
        takes = [v.takes[teacher, s] for s in v.shapes_of_course.get(course_id, []) if (teacher, s) in v.takes]
        if c is None or not takes:
            continue
        per = 1 if c.eld and contract.periods.eld_alone_in_period.value else contract.max_sections_per_period
        left = set(p.period_ids)
        for semester in SEMESTERS_OF[c.semester]:  # a year section keeps one period in both
            left -= locked_free(p, teacher, semester)
            left -= {lock["period_id"] for lock in locks if lock["semester"] in (None, semester, "year")}
        rows = tuple(row for lock in locks for row in lock_rows(lock))
        groups.enforce(model.add(sum(takes) <= len(left) * per), "LOCK", f"periods of {course_id} for {teacher}",
                       tuple(dict.fromkeys(rows)))


def _periods_required_of_a_course(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars,
                                  groups: Groups) -> None:
    """`require` locks of one course for one teacher in different periods (the timetable's) ask a section in each: at
    least as many sections as periods. Without it the model gave one section of Algebra 1 to a teacher locked to it in
    P1 and in P2, and the timetable could not keep both (exit 3 where two sections of 10 keep every lock)."""
    required: dict[tuple[str, str], list[dict]] = {}
    for lock in p.locks:
        if lock["mode"] == "require" and lock["course_id"] is not None and lock["period_id"] in p.period_ids:
            required.setdefault((lock["teacher_id"], lock["course_id"]), []).append(lock)
    for (teacher, course_id), locks in sorted(required.items()):
        periods = {lock["period_id"] for lock in locks}
        takes = [v.takes[teacher, s] for s in v.shapes_of_course.get(course_id, []) if (teacher, s) in v.takes]
        if len(periods) > 1 and takes:
            rows = tuple(dict.fromkeys(row for lock in locks for row in lock_rows(lock)))
            groups.enforce(model.add(sum(takes) >= len(periods)), "LOCK", f"periods of {course_id} for {teacher}",
                           rows)


def _grade_locks(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, groups: Groups) -> list[Finding]:
    """A `require` lock of an IEP meeting with a blank eligible list (A7.1): the teacher teaches a section of its
    grade. A teacher outside general education is never eligible for it; the IEP rotation names that conflict."""
    general = set(p.teachers.teacher_id[p.teachers.department == "general"])
    holding = grouped(p.shape_grades.grade, p.shape_grades.sid, set)
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
    """A required course the teacher may not teach (CRED: credential, level or grade range), whatever the plan. (A
    course of a level the teacher asked to move to is theirs to take once its own teachers are full: the move is
    opened for the lock, `sections.problem`, and the model says when they cannot be.)"""
    return Finding(("LOCK", "CRED"), f"lock {lock['lock_id']} requires teacher {lock['teacher_id']} to teach "
                                     f"{lock['course_id']}, which CRED does not allow them (credential, level or "
                                     f"grade range)", (*lock_rows(lock), ("courses.csv", lock["course_id"])))
