"""A8.1–A8.5 (8.0): band means, section and program maxima, single-grade and consecutive-grade sections.

A8.3 and A8.4 hold by construction: only admissible grade runs exist as shapes (`problem.grade_runs`).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.cpsat.groups import Groups
from vastaff.cpsat.money import cents
from vastaff.cpsat.variables import SectionVars
from vastaff.sections.problem import SEMESTERS_OF, SchoolProblem


def add_section_caps(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, groups: Groups) -> None:
    """A8.1 section_max and A8.2 program_max: the seats of a shape fit its sections at the cap."""
    for shape, course, grades, cap in p.shapes[["sid", "course_id", "grades", "cap"]].itertuples(index=False):
        ct = model.add(sum(v.seats[shape, g] for g in grades) <= int(cap) * v.opened[shape])
        rule = "A8.1" if p.shapes.band[shape] else "A8.2"
        groups.enforce(ct, rule, f"course {course}", (("courses.csv", course),))


def add_band_means(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, contract: ContractModel,
                   groups: Groups) -> None:
    """A8.1: per band and semester, general and ELD seats <= band mean x sections meeting (vacancies count)."""
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
