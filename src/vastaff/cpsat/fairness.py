"""Preferences and fairness (objective stage `preferences`): as few sections as the rules allow, balanced loads."""

from __future__ import annotations

from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.cpsat.variables import SectionVars
from vastaff.sections.problem import SEMESTERS_OF, SchoolProblem


def section_count_terms(v: SectionVars, contract: ContractModel) -> list:
    """Open no more sections than needed: classes as full as A8.1/A8.2 allow."""
    return [contract.objective.weights.section_count * sum(v.opened.values())]


def load_spread_terms(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, contract: ContractModel) -> list:
    """weights.load_spread x (max - min section-semesters) among a level's secondary teachers who can teach."""
    semesters = dict(zip(p.courses.course_id, p.courses.semester))
    shape_course = dict(zip(p.shapes.sid, p.shapes.course_id))
    terms = []
    secondary = p.teachers[~p.teachers.elementary & p.teachers.teacher_id.isin(list(v.shapes_of_teacher))]
    for level, group in secondary.groupby("level", sort=True):
        if len(group) < 2:
            continue
        loads = []
        for teacher in group.teacher_id:
            load = sum(len(SEMESTERS_OF[semesters[shape_course[s]]]) * v.takes[teacher, s]
                       for s in v.shapes_of_teacher[teacher])
            var = model.new_int_var(0, 2 * p.max_sections_per_teacher(contract), f"load[{teacher}]")
            model.add(var == load)
            loads.append(var)
        hi = model.new_int_var(0, 2 * p.max_sections_per_teacher(contract), f"loadmax[{level}]")
        lo = model.new_int_var(0, 2 * p.max_sections_per_teacher(contract), f"loadmin[{level}]")
        model.add_max_equality(hi, loads)
        model.add_min_equality(lo, loads)
        terms.append(contract.objective.weights.load_spread * (hi - lo))
    return terms
