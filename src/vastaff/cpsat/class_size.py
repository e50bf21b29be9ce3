"""A8.1–A8.5 (8.0): band means, section and program maxima, single-grade and consecutive-grade sections.

A8.3 and A8.4 hold by construction: only admissible grade runs exist as shapes (`problem.grade_runs`).

A8.1's means follow the model's `band_mean_scope`. `school`: per school, band and semester, over the shapes' counts.
`teacher`: each teacher's general/ELD sections of a band, per semester — the counts alone cannot say whose sections
hold which students (the decode splits a shape's students evenly), so the model gets each holder's seats of each
shape and grade (`add_teacher_means`), and after the solve `teacher_seats` finds such seats for the solution's
fixed counts (nightly/class_split.py writes them into the sections): the count model stays exact.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

import pandas as pd

from vastaff.contract import ContractModel
from vastaff.cpsat.groups import Groups
from vastaff.cpsat.money import cents
from vastaff.cpsat.variables import SectionVars
from vastaff.sections.problem import SEMESTERS_OF, SchoolProblem


def add_section_caps(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, groups: Groups) -> None:
    """A8.1 section_max and A8.2 program_max: the seats of a shape fit its sections at the cap."""
    for shape, course, grades, cap, band in p.shapes[["sid", "course_id", "grades", "cap", "band"]].itertuples(
            index=False):
        ct = model.add(sum(v.seats[shape, g] for g in grades) <= int(cap) * v.opened[shape])
        rule = "A8.1" if band else "A8.2"
        groups.enforce(ct, rule, f"course {course}", (("courses.csv", course),))


def add_band_means(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, contract: ContractModel,
                   groups: Groups) -> None:
    """A8.1: per band and semester, general and ELD seats <= band mean x sections meeting (vacancies count);
    under `band_mean_scope: teacher`, per teacher instead (`add_teacher_means`)."""
    if contract.band_mean_scope == "teacher":
        add_teacher_means(model, p, v.takes, v.vacant, v.seats, contract, groups)
        return
    semesters = dict(zip(p.courses.course_id, p.courses.semester))
    means = contract.band_mean_max
    buckets: dict[tuple[str, str], tuple[list, list]] = {}
    for shape, course, grades, band in p.shapes[["sid", "course_id", "grades", "band"]].itertuples(index=False):
        if not band:
            continue
        for semester in SEMESTERS_OF[semesters[course]]:
            seats, opened = buckets.setdefault((band, semester), ([], []))
            seats.extend(v.seats[shape, g] for g in grades)
            opened.append(v.opened[shape])
    for (band, semester), (seats, opened) in sorted(buckets.items()):
        ct = model.add(sum(seats) <= means[band] * sum(opened))
        groups.enforce(ct, "A8.1", f"school {p.school_id} band {band} semester {semester}",
                       (("schools.csv", p.school_id),))


def multigrade_terms(p: SchoolProblem, v: SectionVars, contract: ContractModel) -> list:
    """A8.5: multigrade_cost per staffed multi-grade section and semester it meets (cents)."""
    semesters = dict(zip(p.courses.course_id, p.courses.semester))
    cost = cents(contract.multigrade_cost)
    terms = []
    for shape, course in p.shapes.loc[p.shapes.multigrade, ["sid", "course_id"]].itertuples(index=False):
        n_sem = len(SEMESTERS_OF[semesters[course]])
        terms.extend(cost * n_sem * v.takes[t, shape] for t in v.teachers_of_shape.get(shape, []))
    return terms


VACANT = None
"""The holder of a shape's vacant sections: under the teacher reading they average within the band mean as one
roster per school, band and semester (the roster a hire would take), so vacancies cannot absorb the students no
teacher's roster may hold."""


def add_teacher_means(model: cp_model.CpModel, p: SchoolProblem, takes: dict, vacant: dict, seats: dict,
                      contract: ContractModel, groups: Groups) -> dict:
    """A8.1 (8.0) per teacher: each holder's seats of a band shape (`held[holder, shape, grade]`) fill its sections
    (at most the cap each, none empty, a multi-grade section holds each grade), and per band and semester a
    holder's seats are at most the band mean x its sections. `takes`, `vacant`, `seats` are variables (the
    optimizer) or fixed counts (`teacher_seats`). Returns `held`."""
    semesters = dict(zip(p.courses.course_id, p.courses.semester))
    bound = p.students()
    holders: dict[int, list] = {}
    for (teacher, shape), n in takes.items():
        holders.setdefault(shape, []).append((teacher, n))
    held, rosters = {}, {}
    for shape, course, grades, band, cap, multi in p.shapes[
            ["sid", "course_id", "grades", "band", "cap", "multigrade"]].itertuples(index=False):
        if not band:
            continue
        for holder, n in [*holders.get(shape, []), (VACANT, vacant[shape])]:
            own = [model.new_int_var(0, int(bound[course, g]), f"held[{holder},{shape},{g}]") for g in grades]
            held.update({(holder, shape, g): x for g, x in zip(grades, own)})
            model.add(sum(own) <= int(cap) * n)
            model.add(sum(own) >= n)
            for x in own if multi else ():
                model.add(x >= n)
            for semester in SEMESTERS_OF[semesters[course]]:
                seat_terms, sections = rosters.setdefault((holder or "", band, semester), ([], []))
                seat_terms.extend(own)
                sections.append(n)
        for g in grades:
            model.add(sum(held[h, shape, g] for h, _ in holders.get(shape, [])) + held[VACANT, shape, g]
                      == seats[shape, g])
    means = contract.band_mean_max
    for (holder, band, semester), (seat_terms, sections) in sorted(rosters.items()):
        ct = model.add(sum(seat_terms) <= means[band] * sum(sections))
        who, rows = (f"teacher {holder}", (("teachers.csv", holder),)) if holder else (
            f"the vacant sections of school {p.school_id}", (("schools.csv", p.school_id),))
        groups.enforce(ct, "A8.1", f"{who} band {band} semester {semester}", rows)
    return held


def teacher_seats(p: SchoolProblem, contract: ContractModel, takes: pd.DataFrame, opened: pd.DataFrame,
                  seats: pd.DataFrame, seed: int = 0, time_limit: float = 10.0) -> pd.DataFrame | None:
    """A8.1 per teacher for fixed counts (a solution's takes, opened, seats): each holder's seats per band shape and
    grade (`teacher_id`, blank for the vacant sections; `sid`, `grade`, `students`), as close to the even split as
    the means allow. None when the counts admit no such seats (the clerk's fallback may not)."""
    model = cp_model.CpModel()
    fixed_takes = {(t, int(s)): int(n) for t, s, n in takes[["teacher_id", "sid", "sections"]].itertuples(index=False)
                   if n > 0}
    vacant = defaultdict(int, zip(opened.sid.astype(int), opened.vacant.astype(int)))
    k = defaultdict(int, zip(opened.sid.astype(int), opened.sections.astype(int)))
    fixed_seats = defaultdict(int, {(int(s), int(g)): int(n)
                                    for s, g, n in seats[["sid", "grade", "students"]].itertuples(index=False)})
    held = add_teacher_means(model, p, fixed_takes, vacant, fixed_seats, contract, Groups(model))
    n_of = {**{(t, s): n for (t, s), n in fixed_takes.items()}, **{(VACANT, s): n for s, n in vacant.items()}}
    gaps = []
    for (holder, shape, grade), x in held.items():
        # k x held - n x seats is 0 on the even split: the distance from it, in units of 1/k student
        gap = model.new_int_var(0, 10**9, "")
        model.add_abs_equality(gap, k[shape] * x - n_of[holder, shape] * fixed_seats[shape, grade])
        gaps.append(gap)
    model.minimize(sum(gaps))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers, solver.parameters.random_seed = 1, seed
    solver.parameters.max_deterministic_time = time_limit  # a work budget, not the clock: same input, same split
    solver.parameters.catch_sigint_signal = False  # Ctrl-C is the run's to handle (vastaff.interrupt)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    rows = [(holder, shape, grade, solver.value(x)) for (holder, shape, grade), x in held.items()]
    return pd.DataFrame(rows, columns=["teacher_id", "sid", "grade", "students"])
