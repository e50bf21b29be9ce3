"""A6.3 (6.0 B(1)): at most 8 distinct courses per teacher and semester; beyond that only with stipend consent."""

from __future__ import annotations

from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.cpsat.groups import Groups
from vastaff.cpsat.money import cents
from vastaff.cpsat.variables import SectionVars
from vastaff.sections.problem import SEMESTERS_OF, SchoolProblem


def link_teaches(model: cp_model.CpModel, v: SectionVars) -> None:
    """teaches[t, c] is true exactly when the teacher takes at least one section of the course."""
    for (teacher, course), lit in v.teaches.items():
        takes = [v.takes[teacher, s] for s in v.shapes_of_course[course] if (teacher, s) in v.takes]
        model.add(sum(takes) >= 1).only_enforce_if(lit)
        model.add(sum(takes) == 0).only_enforce_if(~lit)


def add_course_limit(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, contract: ContractModel,
                     groups: Groups) -> list:
    """Returns the stipend terms (cents): stipend_per_course x courses beyond the limit, per semester."""
    limit = contract.max_courses_per_semester
    semesters = dict(zip(p.courses.course_id, p.courses.semester))
    consent = dict(zip(p.teachers.teacher_id, p.teachers.consent))
    by_teacher: dict[str, list[tuple[str, object]]] = {}
    for (teacher, course), lit in v.teaches.items():
        by_teacher.setdefault(teacher, []).append((course, lit))
    terms = []
    for teacher, items in sorted(by_teacher.items()):
        for semester in ("1", "2"):
            lits = [lit for course, lit in items if semester in SEMESTERS_OF[semesters[course]]]
            if len(lits) <= limit:
                continue
            if consent[teacher]:
                extra = model.new_int_var(0, len(lits) - limit, f"extra[{teacher},{semester}]")
                model.add(extra >= sum(lits) - limit)
                terms.append(cents(contract.stipend_per_course) * extra)
            else:
                ct = model.add(sum(lits) <= limit)
                groups.enforce(ct, "A6.3", f"teacher {teacher} semester {semester}", (("teachers.csv", teacher),))
    return terms
