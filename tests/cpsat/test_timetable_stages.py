"""The period stages one after another (cpsat/timetable.py `_staged`) on a school whose grade peaks cannot reach their
floor: a generated tight district (200 teachers, seed 12), whose VA02 has a grade that its teachers' doubled periods
and singleton clashes, both at their floors, leave one section too crowded in some period."""

from __future__ import annotations

from functools import partial

import pytest

import vastaff.nightly.school as school
from tests.solve.builders import matrix_after_class_sizes, without_forced_doubles
from vastaff.contract import load_contract
from vastaff.cpsat.solver import SolveOptions
from vastaff.cpsat.timetable import solve_timetable
from vastaff.generate import generate_district, write_district
from vastaff.io.district import load_district
from vastaff.sections.problem import school_problems
from vastaff.sections.timetable_figures import MEASURES

CONTRACT = without_forced_doubles(matrix_after_class_sizes(load_contract()))
"""The sections this school was found with make its grade peaks miss their floor: the situation under test."""


@pytest.fixture(scope="module")
def va02(tmp_path_factory):
    folder = write_district(generate_district(200, 12, CONTRACT, profile="tight"), tmp_path_factory.mktemp("d") / "d")
    problems = school_problems(load_district(folder, CONTRACT), CONTRACT)
    return next(p for p in problems if p.school_id == "VA02")


@pytest.mark.parametrize("spread", [True, False], ids=["spread-start", "first-fit-start"])
def test_a_stage_at_its_floor_binds_the_stages_after_it(va02, spread, monkeypatch):
    """From first-fit the doubled stage searches (so the model exists) and its timetable has the singleton clashes at
    their floor: that stage needs no search, but the grade-peak search after it must keep them there. It did not:
    it found 0 excess with more clashes, rejected it, and reported 1 unproven (bound 0)."""
    monkeypatch.setattr(school, "solve_timetable", partial(solve_timetable, spread=spread))
    periods = school.solve_one(va02, CONTRACT, SolveOptions(time_limit=20, seed=0), {}).periods
    assert [s.name for s in periods.stages] == list(MEASURES)
    assert [s.status for s in periods.stages] == ["OPTIMAL"] * len(MEASURES)
    assert periods.status == "OPTIMAL"
    figures = periods.figures
    assert (figures.doubled, figures.singleton_clashes) == (figures.doubled_floor, figures.singleton_floor)
    peak = periods.stages[MEASURES.index("grade_peak_excess")]
    assert peak.value == peak.bound == figures.grade_peak_excess == 1
    # no timetable without overflow: presolve's symmetry detection proves it in hundredths (its capped attempt runs
    # right after the search around the start, 0.1), where the guide's attempt cannot and the LP alone took 1.05
    # (`STAGE_ATTEMPTS`)
    assert peak.work < 0.5
    if not spread:
        assert periods.stages[MEASURES.index("doubled")].work > 0  # the model was built before the clashes' stage
        assert periods.stages[MEASURES.index("singleton_clashes")].work == 0
