"""The grade-peak stage's search around a timetable (cpsat/timetable_around.py): who may move, that nobody else
does, and a school whose spread ends one section above an even spread settled by it."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

import vastaff.nightly.school as school
from tests.sections.test_spread import data_of
from vastaff.contract import load_contract
from vastaff.cpsat.solver import SolveOptions
from vastaff.cpsat.timetable_around import around, crowded_grades, free_sections
from vastaff.cpsat.timetable_model import build_timetable_model
from vastaff.generate import generate_district, write_district
from vastaff.io.district import load_district
from vastaff.sections.problem import school_problems
from vastaff.sections.timetable_figures import MEASURES, measures

CONTRACT = load_contract()
COURSES = {"MATH": ("math", "1"), "ENG": ("english", "1"), "ART": ("art", "1"), "PE": ("pe", "1")}
SECTIONS = [("M1", "MATH", "T1", {9: 20}), ("E1", "ENG", "T2", {9: 20}), ("E2", "ENG", "T2", {10: 20}),
            ("A1", "ART", "T3", {10: 20}), ("P1", "PE", "T4", {11: 20})]
CROWDED = {"M1": "P1", "E1": "P1", "E2": "P2", "A1": "P1", "P1": "P1"}
"""Grade 9's two sections in one period of two: a grade-peak excess of 1."""


def test_a_grade_crowding_a_period_frees_every_section_of_its_teachers():
    data = data_of(COURSES, SECTIONS, 2)
    assert crowded_grades(data, CROWDED) == {9}
    assert free_sections(data, CROWDED) == {"M1", "E1", "E2"}  # T2's grade-10 section too; T3 and T4 stay
    assert free_sections(data, {**CROWDED, "E1": "P2"}) == set()  # grades 9 and 10 even


def test_the_search_around_moves_only_the_free_sections_and_spreads_the_grade():
    data = data_of(COURSES, SECTIONS, 2)
    tm = build_timetable_model(data, CONTRACT)
    tm.model.minimize(tm.stages["grade_peak_excess"])
    tm.vars.hint(tm.model, CROWDED)
    before = len(tm.model.proto.constraints)
    model = around(tm, data, CROWDED)
    assert len(model.proto.constraints) == before + 2 * len(tm.vars.period_ids)  # A1 and P1, each in every period
    assert len(tm.model.proto.constraints) == before  # a copy: the stage's own model keeps no fixing
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    found = tm.vars.extract(solver)
    assert measures(data, found)["grade_peak_excess"] == 0
    assert {sid: found[sid] for sid in ("A1", "P1")} == {"A1": "P1", "P1": "P1"}


@pytest.fixture(scope="module")
def va05(tmp_path_factory):
    folder = write_district(generate_district(220, 402, CONTRACT), tmp_path_factory.mktemp("d") / "d")
    problems = school_problems(load_district(folder, CONTRACT), CONTRACT)
    return next(p for p in problems if p.school_id == "VA05")


def test_a_spread_one_section_above_an_even_grade_is_settled_around_it(va05):
    """The spread's moves leave grade 9 one section above an even spread in semester 1 (freeing it takes a chain of
    moves through a year ELD section, its grade's singleton). The whole model settled it in 0.57 deterministic s
    (0.1 with presolve's symmetry, 0.1 of the guide, 0.37 of LP); its ten teachers of grade 9 alone in 0.02."""
    periods = school.solve_one(va05, CONTRACT, SolveOptions(time_limit=20, seed=0), {}).periods
    assert periods.status == "OPTIMAL"
    peak = periods.stages[MEASURES.index("grade_peak_excess")]
    assert peak.value == peak.bound == periods.figures.grade_peak_excess == 0
    assert 0 < peak.work < 0.1


@pytest.fixture(scope="module")
def va01_far(tmp_path_factory):
    folder = write_district(generate_district(200, 511, CONTRACT, profile="tight"), tmp_path_factory.mktemp("d") / "d")
    problems = school_problems(load_district(folder, CONTRACT), CONTRACT)
    return next(p for p in problems if p.school_id == "VA01")


def test_a_start_far_above_the_floor_is_not_searched_around(va01_far):
    """The clash stage's timetable leaves the grade peaks 11 above their floor: around it the LP found nothing in its
    0.1 deterministic s, then the guide reached 0 in 0.02 (`AROUND_ABOVE`)."""
    periods = school.solve_one(va01_far, CONTRACT, SolveOptions(time_limit=20, seed=0), {}).periods
    assert periods.stages[MEASURES.index("singleton_clashes")].work > 0  # the start comes from a CP-SAT stage
    peak = periods.stages[MEASURES.index("grade_peak_excess")]
    assert peak.value == peak.bound == 0
    assert peak.work < 0.15
