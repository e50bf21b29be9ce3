"""Stability against last night's plan (objective stage `stability`): sections and courses kept per teacher."""

from __future__ import annotations

from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.cpsat.variables import SectionVars
from vastaff.sections.problem import SchoolProblem


def stability_terms(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, contract: ContractModel) -> list:
    """weights.section_change x |sections of (teacher, course) - last night's| + weights.teacher_change x teachers whose courses changed."""
    if not p.has_previous:
        return []
    w = contract.objective.weights
    prev = {(t, c): n for t, c, n in p.previous.itertuples(index=False)}
    terms = []
    for (teacher, course) in sorted(set(v.teaches) | set(prev)):
        if (teacher, course) not in v.teaches:
            continue  # no longer eligible: the change is forced, a constant
        before = int(prev.get((teacher, course), 0))
        now = v.sections_of(teacher, course)
        diff = model.new_int_var(0, 10_000, f"secdiff[{teacher},{course}]")
        model.add(diff >= now - before)
        model.add(diff >= before - now)
        terms.append(w.section_change * diff)
    taught = p.previous.groupby("teacher_id").course_id.agg(set).to_dict()
    for teacher, courses in sorted(taught.items()):
        flips = [(~lit if c in courses else lit) for c, lit in v.courses_of(teacher)]
        if flips:
            changed = model.new_bool_var(f"changed[{teacher}]")
            model.add_max_equality(changed, flips)
            terms.append(w.teacher_change * changed)
    return terms


def seniority_terms(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars) -> list:
    """Tie-breaks for the more senior teacher: among otherwise equal plans, changes fall on junior teachers.

    Weight of a teacher = how many classroom teachers of the school are junior to them (most senior: largest).
    Only with --previous (without last night's plan nobody's assignment "changes").
    """
    if not p.has_previous:
        return []
    order = p.teachers.sort_values("rank").teacher_id.tolist()
    weight = {t: len(order) - i for i, t in enumerate(order)}
    taught = p.previous.groupby("teacher_id").course_id.agg(set).to_dict()
    terms = []
    for teacher, courses in sorted(taught.items()):
        flips = [(~lit if c in courses else lit) for c, lit in v.courses_of(teacher)]
        if flips:
            changed = model.new_bool_var(f"senior_changed[{teacher}]")
            model.add_max_equality(changed, flips)
            terms.append(weight[teacher] * changed)
    return terms
