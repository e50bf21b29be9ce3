"""cpsat/matrix.py: A9.1 (9.0; IX-A 2.0(c)-(d); 9.0(1)) — the matrix, teachers' own ranked choices by seniority.

Elementary: no blocking pair (hard); secondary: the `matrix` stage, the most senior first; level moves only into
shapes no teacher of that level may take. Schools are loaded from CSV (matrix.csv, locks.csv) through the real loader.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest
from ortools.sat.python import cp_model

from tests.solve.builders import course, demand, secondary, teacher
from vastaff import load_district
from vastaff.cpsat.class_size import add_section_caps
from vastaff.cpsat.homerooms import add_one_homeroom
from vastaff.cpsat.locks import add_locks
from vastaff.cpsat.matrix import (
    add_level_moves, add_no_blocking_pairs, matrix_figures, ranks_received, seniority_weights, unblock,
)
from vastaff.cpsat.model import build_school_model
from vastaff.cpsat.solver import SolveOptions, solve_school
from vastaff.nightly.school import with_moves
from vastaff.rules import Finding
from vastaff.sections.greedy import greedy_school
from vastaff.sections.problem import school_problems

SENIOR, JUNIOR = "2001-01-10", "2012-08-15"


def choice(tid: str, rank: int, grade: str = "", course_id: str = "", level: str = "") -> dict:
    return {"teacher_id": tid, "rank": rank, "grade": grade, "course_id": course_id, "level": level}


def elementary(tid: str, date: str, lo: str = "K", hi: str = "5") -> dict:
    return teacher(tid, "multiple_subject", level="elementary", grade_min=lo, grade_max=hi, seniority_date=date)


def homerooms(*grades: int) -> tuple[list[dict], list[dict]]:
    """One year-long homeroom course EL-g per grade, 20 students each (one section)."""
    return ([course(f"EL-{g}", "elementary", "multiple_subject", level="elementary", semester="year") for g in grades],
            [demand(f"EL-{g}", g, 20) for g in grades])


@pytest.fixture
def load(tmp_path: Path, contract):
    """`load(teachers, courses, demands, matrix=[...], locks=[...], levels=..., periods=3)`: VA1's problem."""
    folders = itertools.count(1)

    def build(teachers, courses, demands, *, periods: int = 3, levels: str | None = None, **extra):
        folder = secondary(tmp_path / f"s{next(folders)}", teachers, courses, demands, periods, **extra)
        if levels is not None:
            schools = (folder / "schools.csv").read_text().replace("elementary;high", levels)
            (folder / "schools.csv").write_text(schools)
        district = load_district(folder, contract)
        return school_problems(district, contract)[0], district
    return build


def lock(lock_id: str, tid: str, mode: str, course_id: str = "", period_id: str = "") -> dict:
    return {"lock_id": lock_id, "teacher_id": tid, "mode": mode, "course_id": course_id, "semester": "",
            "period_id": period_id, "site_id": "", "room_id": "", "meeting_id": "", "reason": "test"}


def assigned(p, takes: pd.DataFrame) -> list[tuple[str, str]]:
    """(teacher, course) of every (teacher, shape) count, sorted."""
    course_of = dict(zip(p.shapes.sid, p.shapes.course_id))
    return sorted((t, course_of[s]) for t, s in takes[["teacher_id", "sid"]].itertuples(index=False))


def homeroom_rig(rig, p, *, rule: bool = True, locks: bool = False, diagnose: bool = False):
    r = rig(p, diagnose=diagnose)
    add_section_caps(r.model, p, r.v, r.groups)  # a homeroom's 20 students need its section
    add_one_homeroom(r.model, p, r.v, r.groups)
    if locks:
        add_locks(r.model, p, r.v, r.contract, r.groups)
    if rule:
        add_no_blocking_pairs(r.model, p, r.v, r.groups)
    return r


def senior_keeps_grade_1(r, p) -> int | None:
    """Largest takes[E1, EL-1] in a plan with every homeroom staffed (None: no such plan)."""
    r.model.add(sum(r.v.vacant.values()) == 0)
    return r.optimum(r.sections("E1", "EL-1"), maximize=True)


E1_WANTS_2 = [choice("E1", 1, grade="2"), choice("E1", 2, grade="1")]


def test_the_smallest_blocking_pair_is_forbidden(load, rig):
    """E1 (senior) ranks grade 2 first; E2 (junior) holding grade 2 while E1 holds grade 1 is a blocking pair."""
    courses, demands = homerooms(1, 2)
    teachers = [elementary("E1", SENIOR), elementary("E2", JUNIOR)]
    p, _ = load(teachers, courses, demands, matrix=E1_WANTS_2)
    assert senior_keeps_grade_1(homeroom_rig(rig, p), p) == 0
    assert senior_keeps_grade_1(homeroom_rig(rig, p, rule=False), p) == 1
    # control: E1 ranks grade 1 first, so E1 at grade 1 blocks nobody
    p, _ = load(teachers, courses, demands, matrix=[choice("E1", 1, grade="1"), choice("E1", 2, grade="2")])
    assert senior_keeps_grade_1(homeroom_rig(rig, p), p) == 1


def test_a_senior_without_a_homeroom_takes_the_juniors(load, rig):
    """One homeroom (grade 2) that E1 ranked: E2 (junior) may not hold it while E1 has none; E2 without the choice may."""
    courses, demands = homerooms(2)
    teachers = [elementary("E1", SENIOR), elementary("E2", JUNIOR)]
    p, _ = load(teachers, courses, demands, matrix=[choice("E1", 1, grade="2")])
    r = homeroom_rig(rig, p)
    assert r.optimum(r.sections("E2", "EL-2"), maximize=True) == 0
    p, _ = load(teachers, courses, demands, matrix=[choice("E2", 1, grade="2")])
    r = homeroom_rig(rig, p)
    assert r.optimum(r.sections("E2", "EL-2"), maximize=True) == 1


def test_a_junior_not_qualified_for_the_seniors_homeroom_blocks_nobody(load, rig):
    """E2 is authorized for grade 2 only: E2 cannot take E1's grade-1 homeroom, so E1 at grade 1 is no blocking pair
    and the rule costs no vacancy (the only plan staffing both)."""
    courses, demands = homerooms(1, 2)
    p, _ = load([elementary("E1", SENIOR), elementary("E2", JUNIOR, lo="2", hi="2")], courses, demands,
                matrix=E1_WANTS_2)
    assert senior_keeps_grade_1(homeroom_rig(rig, p), p) == 1


def test_a_lock_that_placed_the_junior_overrides_the_matrix(load, rig):
    """locks.csv requires E2 in EL-2: E1 keeps grade 1 (the site departed from seniority). The control without the
    lock is the first test's 0."""
    courses, demands = homerooms(1, 2)
    teachers = [elementary("E1", SENIOR), elementary("E2", JUNIOR)]
    p, _ = load(teachers, courses, demands, matrix=E1_WANTS_2, locks=[lock("L1", "E2", "require", "EL-2")])
    assert senior_keeps_grade_1(homeroom_rig(rig, p, locks=True), p) == 1


@pytest.mark.parametrize("locked", [lock("L1", "E1", "require", "EL-1"), lock("L1", "E1", "forbid", "EL-2"),
                                    lock("L1", "E2", "forbid", "EL-1")])
def test_a_lock_in_the_way_of_the_swap_excuses_the_pair(load, rig, locked):
    """E1 placed in EL-1 or kept out of EL-2, or E2 kept out of EL-1, by a lock: the swap would break it."""
    courses, demands = homerooms(1, 2)
    p, _ = load([elementary("E1", SENIOR), elementary("E2", JUNIOR)], courses, demands, matrix=E1_WANTS_2,
                locks=[locked])
    assert senior_keeps_grade_1(homeroom_rig(rig, p, locks=True), p) == 1


def test_the_blocking_pair_group_names_both_teachers_and_the_choice(load, rig):
    """Diagnosis: one group per senior, junior and choice, so a --strict explanation names the matrix row."""
    courses, demands = homerooms(1, 2)
    p, _ = load([elementary("E1", SENIOR), elementary("E2", JUNIOR)], courses, demands, matrix=E1_WANTS_2)
    r = homeroom_rig(rig, p, diagnose=True)
    groups = sorted((g for g in r.groups.literals.values() if g.rule == "A9.1"), key=str)
    rows = (("matrix.csv", "E1:1"), ("teachers.csv", "E1"), ("teachers.csv", "E2"))
    assert groups == [Finding.of("A9.1", "teacher E1 ranks grade 1 above the homerooms of juniors E2",
                                 (("matrix.csv", "E1:2"), *rows[1:])),
                      Finding.of("A9.1", "teacher E1 ranks grade 2 above the homerooms of juniors E2", rows)]


def test_the_solver_fixes_the_clerks_blocking_pair(load, contract):
    """The clerk's fill gives E1 grade 1 (teacher_id order): a blocking pair. `unblock` swaps it, and the optimizer
    (which cannot complete the fill) still ends with E1 in grade 2 and no vacancy."""
    courses, demands = homerooms(1, 2)
    p, _ = load([elementary("E1", SENIOR), elementary("E2", JUNIOR)], courses, demands, matrix=E1_WANTS_2)
    fill = greedy_school(p, contract)
    assert assigned(p, fill[0]) == [("E1", "EL-1"), ("E2", "EL-2")]
    assert assigned(p, unblock(p, fill[0])) == [("E1", "EL-2"), ("E2", "EL-1")]
    solution = solve_school(p, contract, SolveOptions(time_limit=5), fill)
    assert assigned(p, solution.takes) == [("E1", "EL-2"), ("E2", "EL-1")]
    assert solution.stage("vacancies").value == 0


def test_the_repaired_fill_completes_in_the_model(load, contract):
    """`unblock`'s counts satisfy every constraint of the full model (the solver keeps it as its first incumbent)."""
    courses, demands = homerooms(1, 2, 3)
    teachers = [elementary("E1", SENIOR), elementary("E2", "2008-01-01"), elementary("E3", JUNIOR)]
    matrix = [choice("E1", 1, grade="3"), choice("E2", 1, grade="3"), choice("E2", 2, grade="2")]
    p, _ = load(teachers, courses, demands, matrix=matrix)
    fill = greedy_school(p, contract)
    repaired = unblock(p, fill[0])
    assert assigned(p, repaired) == [("E1", "EL-3"), ("E2", "EL-2"), ("E3", "EL-1")]
    assert completes(p, repaired, contract)
    assert not completes(p, fill[0], contract)  # the fill as the clerk left it: E1 at grade 1, E3 at grade 3


def completes(p, takes: pd.DataFrame, contract) -> bool:
    """Whether the full school model has a solution with these (teacher, shape) counts."""
    sm = build_school_model(p, contract)
    given = {(t, s): n for t, s, n in takes[["teacher_id", "sid", "sections"]].itertuples(index=False)}
    for key, var in sm.vars.takes.items():
        sm.model.add(var == int(given.get(key, 0)))
    return cp_model.CpSolver().solve(sm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def two_algebras(load, senior: str, matrix: list[dict]):
    """Math teachers H1, H2 and two semester-1 courses of 20 students (one section each), 1 period: the load spread
    gives each one section; which one is the matrix's."""
    dates = {senior: SENIOR}
    teachers = [teacher(t, "math", seniority_date=dates.get(t, JUNIOR)) for t in ("H1", "H2")]
    return load(teachers, [course("ALG", "math"), course("GEO", "math")],
                [demand("ALG", 9, 20), demand("GEO", 9, 20)], periods=1, matrix=matrix)


BOTH_WANT_ALG = [choice(t, r, course_id=c) for t in ("H1", "H2") for r, c in ((1, "ALG"), (2, "GEO"))]


@pytest.mark.parametrize("senior, other", [("H1", "H2"), ("H2", "H1")])
def test_the_senior_secondary_teacher_gets_the_first_choice(load, contract, senior, other):
    """Both rank ALG first: the senior gets it; stage `matrix` (after stability, before preferences) = the junior's one
    missed rank (preferences: 2 sections x weight 2, load spread 0)."""
    p, _ = two_algebras(load, senior, BOTH_WANT_ALG)
    solution = solve_school(p, contract, SolveOptions(time_limit=5), greedy_school(p, contract))
    assert assigned(p, solution.takes) == sorted([(senior, "ALG"), (other, "GEO")])
    assert [(s.name, s.value) for s in solution.stages][-3:] == [("matrix", 1), ("preferences", 4), ("seniority", 0)]


def test_without_choices_there_is_no_matrix_stage(load, contract):
    p, _ = two_algebras(load, "H1", [])
    assert "matrix" not in build_school_model(p, contract).stages


def test_seniority_weights_are_lexicographic_then_tiered():
    """Exact: one step of a teacher outweighs every junior's whole range; under a small cap, tiers of seniority."""
    assert seniority_weights([2, 2]) == [3, 1]
    assert seniority_weights([1, 1, 1]) == [4, 2, 1]
    assert seniority_weights([3, 1, 2]) == [6, 3, 1]   # 6 > 3 x 1 + 1 x 2
    assert seniority_weights([1, 1, 1, 1], cap=15) == [8, 4, 2, 1]   # exact: 8 + 4 + 2 + 1 = 15
    assert seniority_weights([1, 1, 1, 1], cap=14) == [6, 4, 2, 1]   # tiers E1-E3 (3, 2, 1) x 2, then E4
    assert seniority_weights([1, 1, 1, 1], cap=10) == [4, 3, 2, 1]   # one tier, by seniority


def algebra_school(load, *teachers: dict, move: bool = True):
    """High-school ALG (20 grade-9 students, one section); middle-school math teacher M1 (grades 6-9) who asks to move
    to high (9.0(1)) unless `move` is False; English teacher H1 of the high school."""
    staff = [teacher("M1", "math", level="middle", grade_min="6", grade_max="9"), teacher("H1", "english"), *teachers]
    return load(staff, [course("ALG", "math"), course("EN", "english")], [demand("ALG", 9, 20), demand("EN", 9, 20)],
                levels="middle;high", matrix=[choice("M1", 1, level="high")] if move else [])


def test_a_level_move_fills_a_would_be_vacancy(load, contract):
    """No high-school teacher may teach ALG: M1 takes it (and keeps the middle level of record); without the
    level row ALG stays vacant."""
    p, _ = algebra_school(load)
    solution = solve_school(p, contract, SolveOptions(time_limit=5), greedy_school(p, contract))
    assert assigned(p, solution.takes) == [("H1", "EN"), ("M1", "ALG")]
    assert p.teachers.set_index("teacher_id").level["M1"] == "middle"
    p, _ = algebra_school(load, move=False)
    assert "M1" not in set(p.eligible.teacher_id)
    solution = solve_school(p, contract, SolveOptions(time_limit=5), greedy_school(p, contract))
    assert solution.stage("vacancies").value == 1


def test_a_level_move_is_refused_where_a_teacher_of_that_level_may_take_it(load):
    """A high-school math teacher H2 exists: ALG is not M1's to take, even though M1 asked."""
    p, _ = algebra_school(load, teacher("H2", "math", seniority_date=JUNIOR))
    assert sorted(p.eligible.teacher_id) == ["H1", "H2"]


def test_a_move_into_a_shape_of_the_level_waits_for_a_vacancy(load):
    """H2 (high math) may take ALG: M1's move into it is deferred (`vacancy_moves`, H2 named), not a pair of the
    model — opened only where a plan without it leaves an ALG section vacant."""
    p, _ = algebra_school(load, teacher("H2", "math", seniority_date=JUNIOR))
    alg = int(p.shapes.sid[p.shapes.course_id == "ALG"].iloc[0])
    assert p.vacancy_moves == {("M1", alg): ("H2",)} and not p.if_full


@pytest.mark.parametrize(("alg", "english", "m1_may_take"), [(6, 0, True), (5, 0, False), (4, 1, True),
                                                               (3, 1, False), (2, 0, False)])
def test_a_mover_takes_a_section_of_the_level_only_once_its_teachers_have_no_period_for_it(
        load, full_model, alg, english, m1_may_take):
    """9.0(1) for a secondary section: M1 may take ALG once H2 has no period for one more (3 periods, 2 sections a
    period of one subject, A6.1/A6.2): 6 ALG fill every period, 4 ALG and 1 English too; 5 ALG leave a period with
    one ALG section (room for another), 3 ALG and 1 English a period free."""
    h2 = teacher("H2", "math;english", seniority_date=JUNIOR)
    staff = [teacher("M1", "math", level="middle", grade_min="6", grade_max="9"), teacher("H1", "english"), h2]
    p, _ = load(staff, [course("ALG", "math"), course("EN", "english")], [demand("ALG", 9, 300), demand("EN", 9, 20)],
                levels="middle;high", matrix=[choice("M1", 1, level="high")])
    r = full_model(with_moves(p, p.vacancy_moves))
    r.model.add(r.sections("H2", "ALG") == alg)
    r.model.add(r.sections("H2", "EN") == english)
    assert (r.optimum(r.sections("M1", "ALG"), maximize=True) > 0) is m1_may_take


def test_a_secondary_teacher_moving_to_elementary_holds_one_homeroom(load, rig, contract):
    """H1 (high, multiple-subject K-12) asks for elementary; nobody elementary may teach grade 1: two grade-1 sections
    (40 students), H1 takes one of them at most (STRUCTURE, like an elementary teacher)."""
    courses, _ = homerooms(1)
    h1 = teacher("H1", "multiple_subject", grade_min="K", grade_max="12")
    p, _ = load([h1], courses, [demand("EL-1", 1, 40)], matrix=[choice("H1", 1, level="elementary")])
    r = rig(p)
    assert r.optimum(r.sections("H1", "EL-1"), maximize=True) == 2
    add_level_moves(r.model, p, r.v, contract, r.groups)
    assert r.optimum(r.sections("H1", "EL-1"), maximize=True) == 1
    takes, opened, _ = greedy_school(p, contract)   # the clerk's fill keeps the same rule
    assert takes.to_dict("records") == [{"teacher_id": "H1", "sid": takes.sid[0], "sections": 1}]
    assert opened.to_dict("records") == [{"sid": takes.sid[0], "sections": 2, "vacant": 1}]


def test_ranks_received_and_the_figures(load, contract):
    """Per teacher the best granted rank; per school and level: with choices, first, within 3, none."""
    p, district = algebra_school(load, teacher("H2", "math", seniority_date=JUNIOR))
    sections = pd.DataFrame({"section_id": ["ALG-01", "EN-01"], "course_id": ["ALG", "EN"], "teacher_id": ["H2", "H1"]})
    grades = pd.DataFrame({"section_id": ["ALG-01", "EN-01"], "grade": [9, 9], "students": [20, 20]})
    matrix = pd.DataFrame([choice("H1", 1, course_id="ALG") | {"grade": None, "level": None},
                           choice("H1", 2, course_id="EN") | {"grade": None, "level": None},
                           choice("H2", 1, course_id="EN") | {"grade": None, "level": None},
                           choice("H2", 2, course_id="ALG") | {"grade": None, "level": None},
                           choice("M1", 1, level="high") | {"grade": None, "course_id": None}])
    got = ranks_received(matrix, district.teachers, district.courses, sections, grades)
    assert got.to_dict("records") == [
        {"teacher_id": "H1", "school_id": "VA1", "level": "high", "choices": 2, "received": 2},
        {"teacher_id": "H2", "school_id": "VA1", "level": "high", "choices": 2, "received": 2},
        {"teacher_id": "M1", "school_id": "VA1", "level": "middle", "choices": 1, "received": None}]
    assert matrix_figures(got) == {"VA1": {
        "high": {"teachers_with_choices": 2, "first_choice": 0, "within_top3": 2, "none_granted": 0},
        "middle": {"teachers_with_choices": 1, "first_choice": 0, "within_top3": 0, "none_granted": 1}}}
