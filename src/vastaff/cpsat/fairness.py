"""Preferences and fairness (objective stage `preferences`): class sizes (`objective.class_sizes`), balanced loads,
no more sections in a semester than a teacher has periods."""

from __future__ import annotations

from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.cpsat.variables import SectionVars
from vastaff.sections.locks import periods_locked_free
from vastaff.sections.problem import SEMESTERS_OF, SchoolProblem


def class_size_terms(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, contract: ContractModel) -> list:
    """`fewest_sections`: open no more sections than needed (classes as full as A8.1/A8.2 allow). `even`: first,
    weights.class_over_mean per student a course's sections seat above its band's A8.1 mean (the school-wide mean
    holds anyway; this keeps each course at it where the teachers allow), then the fewest sections."""
    w = contract.objective.weights
    terms = [w.section_count * sum(v.opened.values())]
    if contract.objective.class_sizes == "even":
        terms += _over_mean_terms(model, p, v, contract, w.class_over_mean)
    return terms


def _over_mean_terms(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, contract: ContractModel,
                     weight: int) -> list:
    """weight x max(0, seats − A8.1 band mean x sections) per shape of a band course."""
    means, terms = contract.band_mean_max, []
    students = p.students()
    for shape, course, grades, band in p.shapes[["sid", "course_id", "grades", "band"]].itertuples(index=False):
        if not band or weight == 0:
            continue
        seats = sum(v.seats[shape, g] for g in grades)
        over = model.new_int_var(0, int(sum(students[course, g] for g in grades)), f"over[{shape}]")
        model.add(over >= seats - means[band] * v.opened[shape])
        terms.append(weight * over)
    return terms


def load_spread_terms(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, contract: ContractModel) -> list:
    """weights.load_spread x (max - min section-semesters) among a level's secondary teachers who can teach."""
    meets = semesters_of_shapes(p)
    terms = []
    secondary = p.teachers[~p.teachers.elementary & p.teachers.teacher_id.isin(list(v.shapes_of_teacher))]
    for level, group in secondary.groupby("level", sort=True):
        if len(group) < 2:
            continue
        loads = []
        for teacher in group.teacher_id:
            load = sum(len(meets[s]) * v.takes[teacher, s]
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


def forced_double_terms(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, contract: ContractModel) -> list:
    """weights.forced_double x Σ over secondary teachers and semesters of max(0, sections meeting that semester − the
    academic periods the teacher's locks leave): each such section doubles a period (6.0 A(1)) — the floor of the
    timetable's first measure, `doubled`, which the period stages cannot go below once the sections are fixed. Without
    it, a teacher could be given 7 semester-1 sections (a doubled period) and none in semester 2 while a colleague of
    the same courses had free periods."""
    weight = contract.objective.weights.forced_double
    if weight == 0:
        return []
    meets = semesters_of_shapes(p)
    terms = []
    for teacher in p.teachers.teacher_id[~p.teachers.elementary]:
        shapes = v.shapes_of_teacher.get(teacher, [])
        for semester in ("1", "2"):
            takes = [v.takes[teacher, s] for s in shapes if semester in meets[s]]
            periods = p.n_periods - periods_locked_free(p, teacher, semester)
            most = sum(int(list(t.proto.domain)[-1]) for t in takes) - periods
            if most <= 0:
                continue
            over = model.new_int_var(0, most, f"forced_double[{teacher},{semester}]")
            model.add(over >= sum(takes) - periods)
            terms.append(weight * over)
    return terms


def semesters_of_shapes(p: SchoolProblem) -> dict[str, tuple[str, ...]]:
    """Shape id -> the semesters its course meets in ("1", "2", or both for a `year` course)."""
    semester = dict(zip(p.courses.course_id, p.courses.semester))
    return {sid: SEMESTERS_OF[semester[course]] for sid, course in zip(p.shapes.sid, p.shapes.course_id)}
