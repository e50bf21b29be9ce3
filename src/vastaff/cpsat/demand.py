"""DEMAND (every student in exactly one section) and CRED (9.0(1), by variable pruning)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.cpsat.groups import Groups
from vastaff.cpsat.variables import SectionVars
from vastaff.sections.problem import SchoolProblem


def add_demand(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, contract: ContractModel,
               groups: Groups, strict: bool) -> None:
    """DEMAND: each grade's students are seated; a section is a teacher's or a vacancy; no empty section."""
    by_grade: dict[tuple[str, int], list] = {}
    course_of = dict(zip(p.shapes.sid, p.shapes.course_id))
    for (shape, grade), var in v.seats.items():
        by_grade.setdefault((course_of[shape], grade), []).append(var)
    for course, grade, students in p.demand.itertuples(index=False):
        ct = model.add(sum(by_grade[course, grade]) == students)
        groups.enforce(ct, "DEMAND", f"course {course} grade {grade}", (("demand.csv", f"{course}:{grade}"),))
    multigrade = dict(zip(p.shapes.sid, p.shapes.multigrade))
    grades_of = dict(zip(p.shapes.sid, p.shapes.grades))
    for shape, opened in v.opened.items():
        seats = [v.seats[shape, g] for g in grades_of[shape]]
        model.add(sum(seats) >= opened)
        if multigrade[shape]:
            for s in seats:
                model.add(s >= opened)  # a multi-grade section really holds each of its grades
        staffed = [v.takes[t, shape] for t in v.teachers_of_shape.get(shape, [])]
        model.add(opened == v.vacant[shape] + sum(staffed))
    for course, shapes in v.shapes_of_course.items():
        if strict:
            ct = model.add(sum(v.vacant[s] for s in shapes) == 0)
            groups.enforce(ct, "DEMAND", f"course {course}", (("courses.csv", course),))


def vacancy_terms(v: SectionVars) -> list:
    """Stage `vacancies`: sections no eligible teacher takes."""
    return [sum(v.vacant.values())]
