"""The period measures at their floors: bounded part by part (cpsat/timetable_model.py `TimetableModel.at_floor`,
cpsat/timetable.py `PARTS_BEFORE`), the largest live group's floor at the singleton-clash floor
(sections/timetable_figures.py `LIVE_SPREAD`), and the grade-peak guide's proof (`_search`).

Tiny hand-made schools (the helpers of test_timetable.py), property tests that neither the parts nor the floor cut off
a timetable, and the generated school whose largest live group's proof they made quick.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

import vastaff.cpsat.timetable as timetable_module
from vastaff.cpsat.solver import SolveOptions
from vastaff.cpsat.timetable import LP, Attempt
from vastaff.cpsat.timetable_model import build_timetable_model
from vastaff.generate import generate_district, write_district
from vastaff.io.district import load_district
from vastaff.nightly.school import solve_one
from vastaff.sections.problem import school_problems
from vastaff.sections.timetable_figures import LIVE_SPREAD, floors, period_data

from tests.cpsat.test_timetable import CONTRACT, P3, period_of, school, small_schools, timetable
from tests.solve.builders import without_forced_doubles

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
    pairs a grade-9 section with a grade-10 one, the lightest such 5 + 12 = 17, the floor of such timetables (for
    the others the largest section, 14)."""
    tt = timetable(school(*LANGUAGES), spread=spread)
    assert (tt.figures.singleton_clashes, tt.figures.doubled) == (0, 1)
    assert (tt.figures.max_live_students, tt.figures.max_live_floor) == (17, 17)
    assert tt.stage("max_live_students").status == "OPTIMAL" and tt.status == "OPTIMAL"
    p = period_of(tt)
    assert p["FRE1-01"] == p["ITA1-01"] and len({p["GER1-01"], p["JPN1-01"], p["FRE1-01"]}) == 3


def test_at_the_singleton_floor_the_live_floor_skips_pairs_of_singletons_of_one_grade():
    """The lightest pair is 5 + 6 (both grade-9 singletons, which at the singleton floor meet apart): the floor for
    timetables at both floors is 5 + 12 = 17; for the others the largest section, 14."""
    bounds = floors(period_data(*school(*LANGUAGES), P3), CONTRACT)
    assert (bounds["doubled"], bounds["singleton_clashes"]) == (1, 0)
    assert (bounds["max_live_students"], bounds[LIVE_SPREAD]) == (14, 17)


@st.composite
def singleton_schools(draw):
    """2-4 periods; one teacher with more semester-1 world-language sections than periods, each the only section of
    its course (so every pair they double is of singletons), and a colleague with 0-4 single-section math courses of
    the same grades; grades 9-11, so a grade has fewer or more singletons than periods."""
    periods = tuple(f"P{i}" for i in range(1, draw(st.integers(2, 4)) + 1))
    counts = {"T1": draw(st.integers(len(periods) + 1, 2 * len(periods))), "T2": draw(st.integers(0, 4))}
    courses, sections = {}, []
    for teacher, n in counts.items():
        for i in range(n):
            course = f"{teacher}C{i}"
            courses[course] = ("world_language" if teacher == "T1" else "math", "1")
            grade, size = draw(st.sampled_from((9, 10, 11))), draw(st.integers(1, 30))
            sections.append((f"{course}-01", course, teacher, {grade: size}))
    return school(courses, sections), periods


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(small_schools(), singleton_schools()))
def test_no_timetable_at_the_doubled_and_singleton_floors_meets_fewer_than_its_live_floor(case):
    """`LIVE_SPREAD` is a lower bound: the least largest live group of the model with the doubled periods and the
    singleton clashes at their floors, solved here without the stages (or their floor cuts), never lies below it."""
    rows, periods = case
    data = period_data(*rows, periods)
    bounds = floors(data, CONTRACT)
    tm = build_timetable_model(data, CONTRACT)
    assume(not isinstance(tm.stages["max_live_students"], int))
    tm.model.add(tm.stages["doubled"] <= bounds["doubled"])
    tm.model.add(tm.stages["singleton_clashes"] <= bounds["singleton_clashes"])
    tm.model.minimize(tm.stages["max_live_students"])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assume(solver.solve(tm.model) == cp_model.OPTIMAL)
    assert solver.objective_value >= bounds[LIVE_SPREAD]


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
    period crowds grade 9, an excess of 1. The guide's attempt (here the first, then the LP alone) proves no timetable
    has less overflow, and the overflow bounds the excess: the stage ends there, with no further attempt."""
    rows = school({"ALG": ("math", "1"), "ENG": ("english", "1"), "BIO": ("science", "1")},
                  [("ALG-01", "ALG", "T1", {9: 20}), ("ALG-02", "ALG", "T1", {9: 21}),
                   ("ENG-01", "ENG", "T1", {10: 22}), ("BIO-01", "BIO", "T1", {11: 23})])
    guide = next(a for a in timetable_module.STAGE_ATTEMPTS["grade_peak_excess"] if a.guided)
    monkeypatch.setitem(timetable_module.STAGE_ATTEMPTS, "grade_peak_excess", (guide, Attempt(LP)))
    solvers = []
    real = timetable_module.cp_solver
    monkeypatch.setattr(timetable_module, "cp_solver", lambda *a: solvers.append(real(*a)) or solvers[-1])
    tt = timetable(rows)
    peak = tt.stage("grade_peak_excess")
    assert (peak.status, peak.value, peak.bound) == ("OPTIMAL", 1, 1)
    assert len(solvers) == 1


def test_a_teacher_whose_light_pairs_crowd_a_grade_is_proven_quickly(tmp_path):
    """A generated tight district (60 teachers, seed 33): VA01's world-language teacher's lightest pairs would crowd a
    grade's singletons, so the largest live group is 27 against a floor of 26 for timetables at the doubled floor. The
    proof took the stage 4.5 deterministic seconds with only the sums bounded, 0.53 with the parts; at the singleton
    floor too the floor is 27 (`LIVE_SPREAD`), which the stage's first attempt reaches."""
    found_with = without_forced_doubles(CONTRACT)  # the sections of this situation
    folder = write_district(generate_district(60, 33, found_with, profile="tight"), tmp_path / "d")
    va01 = next(p for p in school_problems(load_district(folder, found_with), found_with) if p.school_id == "VA01")
    periods = solve_one(va01, found_with, SolveOptions(time_limit=20, seed=0), {}).periods
    live = next(s for s in periods.stages if s.name == "max_live_students")
    assert (live.status, live.value, live.bound) == ("OPTIMAL", 27, 27)
    assert (periods.figures.max_live_students, periods.figures.max_live_floor) == (27, 27)
    assert live.work < 0.1
