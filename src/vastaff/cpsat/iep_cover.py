"""A7.1/A7.2 coupling (7.0 A): enough different general-education teachers teach the grades of IEP meetings held at
once.

IEP eligibility (a blank list) depends on tonight's sections, so a plan can make a meeting impossible to
hold. Each missing teacher is penalised in the `vacancies` stage above every vacancy the school could have (a
missing teacher means a meeting no one may hold, exit 3; a vacancy is allowed): the section plan leaves the IEP
rotation feasible whenever the staff allows it, at the cost of vacancies if it must. At the weight of one vacancy,
a tie (one vacancy fewer, one teacher missing) went to the plan with no rotation (an exact MIP found it).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from vastaff.cpsat.variables import SectionVars
from vastaff.sections.problem import SchoolProblem


def iep_cover_terms(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars) -> list:
    """One shortfall per row of `p.iep_need` (sections/iep_need.py): how many of the `teachers` different general
    teachers, not `excluded`, each teaching one of its `grades`, tonight's plan leaves missing."""
    if p.iep_need.empty:
        return []
    general = set(p.teachers.teacher_id[p.teachers.department == "general"])
    shapes_with = p.shape_grades.groupby("grade").sid.apply(set).to_dict()
    weight, terms = above_vacancies(p), []
    for grades, needed, excluded in p.iep_need[["grades", "teachers", "excluded"]].itertuples(index=False):
        with_grades = set().union(*(shapes_with.get(g, ()) for g in grades))
        teaching = []
        for teacher in sorted(general - excluded):
            takes = [v.takes[teacher, s] for s in v.shapes_of_teacher.get(teacher, []) if s in with_grades]
            if takes:
                y = model.new_bool_var(f"teaches_grades[{teacher},{'-'.join(map(str, grades))}]")
                model.add(sum(takes) >= 1).only_enforce_if(y)
                teaching.append(y)
        target = min(int(needed), len(teaching))
        if target == 0:
            continue
        short = model.new_int_var(0, target, f"iep_short[{'-'.join(map(str, grades))}]")
        model.add(short >= target - sum(teaching))
        terms.append(weight * short)
    return terms


def above_vacancies(p: SchoolProblem) -> int:
    """A weight above every vacancy the school's sections could have (their most, plus one)."""
    return int(p.shapes.k_max.sum()) + 1
