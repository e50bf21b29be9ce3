"""Stability against last night's plan (objective stage `stability`): sections and courses kept per teacher."""

from __future__ import annotations

from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.cpsat.variables import SectionVars
from vastaff.sections.problem import SchoolProblem


def stability_terms(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, contract: ContractModel) -> list:
    """weights.section_change x |sections of (teacher, course) - last night's| + weights.teacher_change x teachers whose
    courses changed, a teacher of last night's plan who taught nothing there included (as `changes_vs_previous`
    counts them; a teacher new tonight has no set to change)."""
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
    taught.update({teacher: set() for teacher in p.idle_last_night})  # no course last night: any course is a change
    for teacher, courses in sorted(taught.items()):
        flips = [(~lit if c in courses else lit) for c, lit in v.courses_of(teacher)]
        if flips:
            changed = model.new_bool_var(f"changed[{teacher}]")
            model.add_max_equality(changed, flips)
            terms.append(w.teacher_change * changed)
    return terms


def continuity_terms(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars) -> list:
    """Sections per teacher and shape (a course and its grades) against last night's, |now - then| summed over the
    teachers whose sections last night had shapes of tonight's (`SchoolProblem.previous_shapes`): stage `continuity`,
    stability's tie-break. Stability counts a teacher's sections per course; within its optimum this keeps which
    grades those sections seat, so that a night that changed a few demand rows leaves every other teacher's sections,
    and so their periods (the timetable keeps a section's period where it can), as they were. A teacher new tonight,
    or a previous plan without section_grades.csv, has nothing to keep: no term."""
    before = {(t, s): int(n) for t, s, n in p.previous_shapes.itertuples(index=False)}
    known = {t for t, _ in before}
    terms = []
    for key, now in v.takes.items():
        if key[0] not in known:
            continue
        then = before.get(key, 0)
        if then == 0:
            terms.append(now)
            continue
        diff = model.new_int_var(0, max(then, int(list(now.proto.domain)[-1])), f"shape_diff[{key[0]},{key[1]}]")
        model.add(diff >= now - then)
        model.add(diff >= then - now)
        terms.append(diff)
    return terms


def seniority_terms(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars) -> list:
    """Tie-breaks for the more senior teacher (the objective's last stage): among otherwise equal plans, a teacher
    left without any section is a junior one, and (with --previous) changes fall on junior teachers.

    Weight of a teacher = how many classroom teachers of the school are junior to them (most senior: largest).
    """
    order = p.teachers.sort_values("rank").teacher_id.tolist()
    weight = {t: len(order) - i for i, t in enumerate(order)}
    terms = _idle_terms(model, v, order, weight)
    if not p.has_previous:  # without last night's plan nobody's assignment "changes"
        return terms
    taught = p.previous.groupby("teacher_id").course_id.agg(set).to_dict()
    for teacher, courses in sorted(taught.items()):
        flips = [(~lit if c in courses else lit) for c, lit in v.courses_of(teacher)]
        if flips:
            changed = model.new_bool_var(f"senior_changed[{teacher}]")
            model.add_max_equality(changed, flips)
            terms.append(weight[teacher] * changed)
    return terms


def _idle_terms(model: cp_model.CpModel, v: SectionVars, order: list[str], weight: dict[str, int]) -> list:
    """weight x (teaches nothing) for each teacher who could teach something: a senior teacher is not idled while a
    junior one, who could trade places, keeps the class."""
    terms = []
    for teacher in order:
        lits = [lit for _, lit in v.courses_of(teacher)]
        if lits:
            teaches = model.new_bool_var(f"senior_teaches[{teacher}]")
            model.add_max_equality(teaches, lits)
            terms.append(weight[teacher] * (1 - teaches))
    return terms
