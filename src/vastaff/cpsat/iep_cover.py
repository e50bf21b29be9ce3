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
from vastaff.sections.iep_exact import cliques
from vastaff.sections.plain import grouped
from vastaff.sections.problem import SchoolProblem


def iep_cover_terms(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars) -> list:
    """One shortfall per row of `p.iep_need` (sections/iep_need.py): how many of the `teachers` different general
    teachers, not `excluded`, each teaching one of its `grades`, tonight's plan leaves missing."""
    if p.iep_need.empty:
        return []
    general = set(p.teachers.teacher_id[p.teachers.department == "general"])
    shapes_with = grouped(p.shape_grades.grade, p.shape_grades.sid, set)
    weight, terms = above_vacancies(p), []
    for grades, needed, excluded in p.iep_need[["grades", "teachers", "excluded"]].itertuples(index=False):
        with_grades = set().union(*(shapes_with.get(g, ()) for g in grades))
        teaching = [y for teacher in sorted(general - excluded) if (y := _teaching(
            model, v, teacher, with_grades, f"teaches_grades[{teacher},{'-'.join(map(str, grades))}]")) is not None]
        target = min(int(needed), len(teaching))
        if target == 0:
            continue
        short = model.new_int_var(0, target, f"iep_short[{'-'.join(map(str, grades))}]")
        model.add(short >= target - sum(teaching))
        terms.append(weight * short)
    return terms


def exact_meeting_terms(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars) -> list:
    """The meeting sets `p.exact_meetings` (sections/iep_exact.py) as an assignment: one Boolean per meeting and
    candidate, a blank list's candidate teaching its grade tonight (A7.1), at most one meeting per candidate among
    those running at once (A7.2); one miss per meeting, weighed as `iep_cover_terms`' shortfalls."""
    if not p.exact_meetings:
        return []
    shapes_with = grouped(p.shape_grades.grade, p.shape_grades.sid, set)
    teaching: dict[tuple[str, int], object] = {}

    def teaches(teacher: str, grade: int):
        if (teacher, grade) not in teaching:
            teaching[teacher, grade] = _teaching(model, v, teacher, shapes_with.get(grade, set()),
                                                 f"teaches_grade[{teacher},{grade}]")
        return teaching[teacher, grade]

    weight, terms = above_vacancies(p), []
    for ms in p.exact_meetings:
        holds: dict[tuple[int, str], cp_model.IntVar] = {}
        for i, m in enumerate(ms):
            for t in m.candidates:
                y = None if m.grade is None else teaches(t, m.grade)
                if m.grade is None or y is not None:
                    holds[i, t] = model.new_bool_var(f"holds[{m.meeting_id},{t}]")
                    if y is not None:
                        model.add_implication(holds[i, t], y)
            miss = model.new_bool_var(f"iep_miss[{m.meeting_id}]")
            model.add(sum(holds[i, t] for t in m.candidates if (i, t) in holds) + miss == 1)
            terms.append(weight * miss)
        for running in cliques(ms):
            for t in sorted({t for i in running for t in ms[i].candidates}):
                at_once = [holds[i, t] for i in running if (i, t) in holds]
                if len(at_once) > 1:
                    model.add_at_most_one(at_once)
    return terms


def _teaching(model: cp_model.CpModel, v: SectionVars, teacher: str, sids: set, name: str):
    """A literal true only if the teacher takes a section of one of the shapes `sids` (None: they may take none)."""
    takes = [v.takes[teacher, s] for s in v.shapes_of_teacher.get(teacher, []) if s in sids]
    if not takes:
        return None
    y = model.new_bool_var(name)
    model.add(sum(takes) >= 1).only_enforce_if(y)
    return y


def above_vacancies(p: SchoolProblem) -> int:
    """A weight above every vacancy the school's sections could have (their most, plus one)."""
    return int(p.shapes.k_max.sum()) + 1
