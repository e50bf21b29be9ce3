"""The period measures at their floors, bounded part by part (cpsat/timetable_model.py `TimetableModel.at_floor`,
cpsat/timetable.py `PARTS_BEFORE`), and the grade-peak guide's proof (`_search`).

Tiny hand-made schools (the helpers of test_timetable.py), a property test that the parts never cut off a timetable at
the floors, and the generated school whose largest live group's proof the parts made quick.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from ortools.sat.python import cp_model

import vastaff.cpsat.timetable as timetable_module
from vastaff.cpsat.solver import SolveOptions
from vastaff.cpsat.timetable_model import build_timetable_model
from vastaff.generate import generate_district, write_district
from vastaff.io.district import load_district
from vastaff.nightly.school import solve_one
from vastaff.sections.problem import school_problems
from vastaff.sections.timetable_figures import period_data

from tests.cpsat.test_timetable import CONTRACT, P3, period_of, school, small_schools, timetable

# One teacher, four semester-1 world-language sections, each the only section of its course (a singleton) in P3: one
# period doubled. The two lightest sections are both grade 9, the two heaviest both grade 10.
LANGUAGES = ({c: ("world_language", "1") for c in ("FRE1", "GER1", "ITA1", "JPN1")},
             [("FRE1-01", "FRE1", "T1", {9: 5}), ("GER1-01", "GER1", "T1", {9: 6}),
              ("ITA1-01", "ITA1", "T1", {10: 12}), ("JPN1-01", "JPN1", "T1", {10: 14})])


def feasible(data, placed: dict[str, str], at_floor: tuple[str, ...] = ()) -> bool:
    """Whether the period model, with the measures `at_floor` bounded part by part, admits the timetable `placed`
    (section_id -> period_id)."""
    tm = build_timetable_model(data, CONTRACT)
    for name in at_floor:
        tm.at_floor(name)
    for (sid, period), var in tm.vars.x.items():
        tm.model.add(var == int(placed[sid] == period))
    return cp_model.CpSolver().solve(tm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def test_the_singletons_at_their_floor_spread_evenly():
    """Two grade-9 singletons in three periods clash nowhere at the floor (0): the part bounds alone forbid them one
    period, which the model without them allows."""
    data = period_data(*school(*LANGUAGES), P3)
    together = {"FRE1-01": "P1", "GER1-01": "P1", "ITA1-01": "P2", "JPN1-01": "P3"}
    assert feasible(data, together)
    assert not feasible(data, together, ("singleton_clashes",))


def test_each_teacher_doubles_only_their_forced_periods_at_the_floor():
    """Four sections in three periods force one doubled period; at the floor the teacher doubles no second one."""
    data = period_data(*school(*LANGUAGES), P3)
    twice = {"FRE1-01": "P1", "ITA1-01": "P1", "GER1-01": "P2", "JPN1-01": "P2"}
    assert feasible(data, twice)
    assert not feasible(data, twice, ("doubled",))
    assert feasible(data, {**twice, "JPN1-01": "P3"}, ("doubled",))


@pytest.mark.parametrize("spread", [True, False], ids=["spread-start", "first-fit-start"])
def test_the_lightest_pair_that_keeps_the_singletons_apart_is_the_largest_live_group(spread):
    """The lightest pair (5 + 6) would put both grade-9 singletons in one period: at the singleton floor the teacher
    pairs a grade-9 section with a grade-10 one, the lightest such 5 + 12 = 17, above the floor of 14 (the largest
    section), proven."""
    tt = timetable(school(*LANGUAGES), spread=spread)
    assert (tt.figures.singleton_clashes, tt.figures.doubled) == (0, 1)
    assert (tt.figures.max_live_students, tt.figures.max_live_floor) == (17, 14)
    assert tt.stage("max_live_students").status == "OPTIMAL" and tt.status == "OPTIMAL"
    p = period_of(tt)
    assert p["FRE1-01"] == p["ITA1-01"] and len({p["GER1-01"], p["JPN1-01"], p["FRE1-01"]}) == 3


@settings(max_examples=20, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(small_schools())
def test_the_parts_at_the_floors_admit_every_timetable_at_the_floors(case):
    """The bounds are implied, never a restriction: the solved timetable, where it holds both floors, stays feasible
    with both measures bounded part by part."""
    rows, periods = case
    tt = timetable(rows, periods=periods)
    f = tt.figures
    assume(tt.status == "OPTIMAL" and (f.doubled, f.singleton_clashes) == (f.doubled_floor, f.singleton_floor))
    data = period_data(*rows, periods)
    placed = {sid: p for sid, p in period_of(tt).items() if sid in set(data.sections().section_id)}
    assert feasible(data, placed, ("doubled", "singleton_clashes"))


def test_a_guide_proven_at_one_overflow_ends_the_grade_peak_stage(monkeypatch):
    """Four sections in three periods, the only same-subject pair both grade 9 (of two grade-9 sections): the doubled
    period crowds grade 9, an excess of 1. The guide's attempt proves no timetable has less overflow, and the overflow
    bounds the excess: the stage ends there, with no further attempt."""
    rows = school({"ALG": ("math", "1"), "ENG": ("english", "1"), "BIO": ("science", "1")},
                  [("ALG-01", "ALG", "T1", {9: 20}), ("ALG-02", "ALG", "T1", {9: 21}),
                   ("ENG-01", "ENG", "T1", {10: 22}), ("BIO-01", "BIO", "T1", {11: 23})])
    solvers = []
    real = timetable_module.cp_solver
    monkeypatch.setattr(timetable_module, "cp_solver", lambda *a: solvers.append(real(*a)) or solvers[-1])
    tt = timetable(rows)
    peak = tt.stage("grade_peak_excess")
    assert (peak.status, peak.value, peak.bound) == ("OPTIMAL", 1, 1)
    assert len(solvers) == 1


def test_a_teacher_whose_light_pairs_crowd_a_grade_is_proven_quickly(tmp_path):
    """A generated tight district (60 teachers, seed 33): VA01's world-language teacher's lightest pairs would crowd a
    grade's singletons, so the largest live group is 27 against the a-priori floor of 26. The proof took the stage
    4.5 deterministic seconds with only the sums bounded, 0.87 with the parts."""
    folder = write_district(generate_district(60, 33, CONTRACT, profile="tight"), tmp_path / "d")
    va01 = next(p for p in school_problems(load_district(folder, CONTRACT), CONTRACT) if p.school_id == "VA01")
    periods = solve_one(va01, CONTRACT, SolveOptions(time_limit=20, seed=0), {}).periods
    live = next(s for s in periods.stages if s.name == "max_live_students")
    assert (live.status, live.value, live.bound) == ("OPTIMAL", 27, 27)
    assert (periods.figures.max_live_students, periods.figures.max_live_floor) == (27, 26)
    assert live.work < 2.0
