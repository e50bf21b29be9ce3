"""The checker's timetable figures (docs/contract.md, "The timetable") on hand-made plans of the
tiny district: VA1 has three academic periods P1–P3 (and an advisory one), at most 2 sections per period (A6.1),
ELD sections alone (A6.2). Every expected number is worked out by hand in the comments."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.check.conftest import CONTRACT
from vastaff.check.core import CheckContext
from vastaff.check.timetable import COLUMNS, timetable_figure, timetable_figures
from vastaff.io.district import load_district
from vastaff.io.plan import load_plan

ROOT = Path(__file__).resolve().parents[2]


def figures(case, contract=CONTRACT) -> dict:
    """school_id -> its row of the "periods" figure (the tiny district: VA1 and the district)."""
    ctx = CheckContext(case.district(), load_plan(case.write_plan()), contract)
    return {row["school_id"]: row for row in timetable_figure(ctx)["periods"]}


def with_periods(contract, **values):
    """The contract with other `periods` terms (e.g. max_sections_per_period=3)."""
    terms = {name: getattr(contract.periods, name).model_copy(update={"value": v}) for name, v in values.items()}
    return contract.model_copy(update={"periods": contract.periods.model_copy(update=terms)})


def test_valid_plan_figures_by_hand(case):
    # H1: S-ALG (30) and S-HALG (12) both in P1, semester 1 -> 1 doubled period, 42 students at once.
    # H2: S-EN (25, year) in P1, S-ELD (10) in P2. Homerooms hold no rotation period.
    # Grade 9, semester 1: four single-section courses, three in P1 -> 3 clashes; floor q, r = divmod(4, 3)
    # -> 1·2·1/2 = 1. Peak 3 against ⌈4/3⌉ = 2 -> excess 1; semester 2 (S-EN alone) adds nothing.
    # Means: H1 (30 + 12)/2 = 21.0, H2 (25 + 10)/2 = 17.5 (a year section counts once).
    va1 = {"school_id": "VA1", "doubled": 1, "doubled_floor": 0, "singleton_clashes": 3, "singleton_floor": 1,
           "grade_peak_excess": 1, "max_live_students": 42, "max_live_floor": 30, "teacher_mean_class_min": 17.5,
           "teacher_mean_class_max": 21.0}
    assert figures(case) == {"VA1": va1, "district": {**va1, "school_id": "district"}}
    assert list(va1) == COLUMNS


def test_a_doubled_period_and_its_control(case):
    case.section("S-HALG")["period_id"] = "P2"
    f = figures(case)["VA1"]
    # No doubled period; P1: S-ALG, S-EN and P2: S-HALG, S-ELD -> 2 clashes; peak 2 = ⌈4/3⌉.
    assert (f["doubled"], f["max_live_students"], f["singleton_clashes"], f["grade_peak_excess"]) == (0, 30, 2, 0)


def test_doubled_floor_from_sections_beyond_the_periods(case):
    # H1: four semester-1 math sections in 3 periods -> at least 1 doubled period; placed with 2 doubled.
    case.sections[2:4] = [case.sec("S-A1", "MA-ALG1", "1", "P1", "H1", {9: 20}),
                          case.sec("S-A2", "MA-ALG1", "1", "P1", "H1", {9: 21}),
                          case.sec("S-A3", "MA-ALG1", "1", "P2", "H1", {9: 22}),
                          case.sec("S-A4", "MA-HALG1", "1", "P2", "H1", {9: 23})]
    f = figures(case)["VA1"]
    # Live: 22 + 23 = 45; floor: H1 must double, the two smallest math sections 20 + 21 = 41 > largest 23.
    assert (f["doubled"], f["doubled_floor"], f["max_live_students"], f["max_live_floor"]) == (2, 1, 45, 41)
    assert figures(case, with_periods(CONTRACT, max_sections_per_period=3))["VA1"]["doubled_floor"] == 1
    # Six sections: 3 beyond the periods -> 3 doubled periods with k = 2, ⌈3/2⌉ = 2 with k = 3, none with k = 1.
    case.sections += [case.sec("S-A5", "MA-ALG1", "1", "P3", "H1", {9: 5}),
                      case.sec("S-A6", "MA-ALG1", "1", "P3", "H1", {9: 5})]
    assert figures(case)["VA1"]["doubled_floor"] == 3
    assert figures(case, with_periods(CONTRACT, max_sections_per_period=3))["VA1"]["doubled_floor"] == 2
    assert figures(case, with_periods(CONTRACT, max_sections_per_period=1))["VA1"]["doubled_floor"] == 0


def test_a_teacher_who_must_double_two_periods_meets_the_heavier_of_the_lightest_pairs(case):
    # H1: five semester-1 math sections (10, 22, 20, 21, 23) in 3 periods -> 2 doubled periods, four sections in
    # pairs: the four smallest 10, 20, 21, 22 paired smallest with largest -> 10 + 22 and 20 + 21: floor 32 ∨ 41 = 41
    # (the two smallest alone, 10 + 20 = 30, is below it). Placed: P1 10 + 22, P2 20 + 21, P3 23 -> 41.
    case.sections[2:4] = [case.sec("S-A1", "MA-ALG1", "1", "P1", "H1", {9: 10}),
                          case.sec("S-A2", "MA-ALG1", "1", "P1", "H1", {9: 22}),
                          case.sec("S-A3", "MA-ALG1", "1", "P2", "H1", {9: 20}),
                          case.sec("S-A4", "MA-HALG1", "1", "P2", "H1", {9: 21}),
                          case.sec("S-A5", "MA-ALG1", "1", "P3", "H1", {9: 23})]
    f = figures(case)["VA1"]
    assert (f["doubled"], f["doubled_floor"], f["max_live_students"], f["max_live_floor"]) == (2, 2, 41, 41)
    # Three to a period: one doubled period suffices, and the smallest pair is the floor again.
    assert figures(case, with_periods(CONTRACT, max_sections_per_period=3))["VA1"]["max_live_floor"] == 30


def test_year_sections_pair_only_with_a_double_to_spare_in_both_semesters(case):
    # H1: S-HALG to P2 (no doubled period). H2: year English sections S-EN and S-EN2 (23 each), semester-1 ones
    # S-ES1, S-ES2 (25 each); S-ELD gone. Semester 1: 4 sections in 3 periods -> 1 doubled period; semester 2: 2 -> 0.
    case.section("S-HALG")["period_id"] = "P2"
    case.remove("S-ELD")
    case.add_course("EN-S", "english", "english", semester="1")
    case.section("S-EN")["grades"] = {9: 23}
    case.sections += [case.sec("S-EN2", "EN-9", "year", "P2", "H2", {9: 23}),
                      case.sec("S-ES1", "EN-S", "1", "P1", "H2", {9: 25}),
                      case.sec("S-ES2", "EN-S", "1", "P3", "H2", {9: 25})]
    # P1 holds S-EN + S-ES1 in semester 1: doubled 1 = the floor, so each teacher doubles exactly their forced
    # periods and the two year sections (46) may not pair (that would double semester 2 too): 23 + 25 = 48.
    f = figures(case)["VA1"]
    assert (f["doubled"], f["doubled_floor"], f["max_live_students"], f["max_live_floor"]) == (1, 1, 48, 48)
    # Control: both year sections in P1 (both semesters doubled: 2 > the floor) -> only the plain floor 23 + 23.
    case.section("S-EN2")["period_id"], case.section("S-ES1")["period_id"] = "P1", "P2"
    f = figures(case)["VA1"]
    assert (f["doubled"], f["doubled_floor"], f["max_live_students"], f["max_live_floor"]) == (2, 1, 46, 46)


def eld_year_case(case) -> None:
    """H2: two English 9 year sections and two semester-1 ELD sections (P = 3)."""
    case.remove("S-ELD")
    case.sections += [case.sec("S-EN2", "EN-9", "year", "P1", "H2", {9: 10}),
                      case.sec("S-ELDa", "ELD-1", "1", "P2", "H2", {9: 5}),
                      case.sec("S-ELDb", "ELD-1", "1", "P3", "H2", {9: 5})]


def test_eld_sections_raise_the_floor_of_year_sections(case):
    eld_year_case(case)
    # Without ELD: semester 1 has 4 sections in 3 periods (floor 1), semester 2 has 2 (floor 0).
    # ELD alone: the 2 year sections have 3 − 0 − max(2, 0) = 1 period free of ELD in both semesters, so they
    # double 1 period in each semester: floor 1 + 1 = 2 (H1's two sections fit: 0). Placed: P1 in both semesters.
    f = figures(case)["VA1"]
    assert (f["doubled"], f["doubled_floor"]) == (1 + 2, 2)
    assert figures(case, with_periods(CONTRACT, eld_alone_in_period=False))["VA1"]["doubled_floor"] == 1


def test_eld_split_over_semesters_leaves_year_sections_room(case):
    eld_year_case(case)
    case.add_course("ELD-2", "eld", "eld", program="eld", semester="2")
    case.sections[-1] = case.sec("S-ELDb", "ELD-2", "2", "P3", "H2", {9: 5})
    # 3 − 0 − max(1, 1) = 2 periods for 2 year sections: no forced doubling; 3 sections a semester: none either.
    assert figures(case)["VA1"]["doubled_floor"] == 0


def singleton_case(case) -> None:
    """Two grade-9 courses with one section each: S-ALG (semester 1, P1) and S-EN (year, P1)."""
    case.sections = [s for s in case.sections if s["section_id"] in ("S-E1", "S-ALG", "S-EN")]


def test_two_singleton_courses_in_one_period_clash(case):
    singleton_case(case)
    f = figures(case)["VA1"]
    # Semester 1: 1 pair in P1 (floor: 2 courses over 3 periods -> 0); semester 2: S-EN alone.
    assert (f["singleton_clashes"], f["singleton_floor"]) == (1, 0)
    # Peak 2 in semester 1 against ⌈2/3⌉ = 1.
    assert f["grade_peak_excess"] == 1
    case.section("S-EN")["period_id"] = "P2"
    f = figures(case)["VA1"]
    assert (f["singleton_clashes"], f["grade_peak_excess"]) == (0, 0)


def test_a_course_with_two_sections_holding_the_grade_is_no_singleton(case):
    singleton_case(case)
    case.sections.append(case.sec("S-ALG2", "MA-ALG1", "1", "P2", "H1", {9: 10}))
    # MA-ALG1 has two grade-9 sections: S-EN is the only singleton of grade 9 -> no clash.
    assert figures(case)["VA1"]["singleton_clashes"] == 0
    # Grade 10 students in S-ALG: MA-ALG1 is a singleton of grade 10, alone in its grade.
    case.section("S-ALG")["grades"] = {9: 20, 10: 5}
    assert figures(case)["VA1"]["singleton_clashes"] == 0
    # ... until S-EN (P1) holds grade 10 too: one grade-10 clash in semester 1.
    case.section("S-EN")["grades"] = {9: 20, 10: 5}
    assert figures(case)["VA1"]["singleton_clashes"] == 1


def test_singleton_floor_spreads_courses_over_the_periods(case):
    # Grade 9, semester 1: seven single-section courses over 3 periods: q, r = 2, 1 -> 1·3·2/2 + 2·2·1/2 = 5.
    for i in range(3):
        case.add_course(f"X{i}", "math", "math", semester="1")
        case.sections.append(case.sec(f"S-X{i}", f"X{i}", "1", f"P{i + 1}", None, {9: 5}))
    case.sections += [case.sec(f"S-Y{i}", f"X{i}", "1", f"P{i + 1}", f"H{i % 2 + 1}", {9: 5}) for i in range(3)]
    # the S-X* vacancies do not count; X0 (P1), X1 (P2), X2 (P3) join ALG, HALG, EN (P1) and ELD (P2).
    f = figures(case)["VA1"]
    assert f["singleton_floor"] == 5
    # P1: ALG, HALG, EN, X0 -> 6 pairs; P2: ELD, X1 -> 1; P3: X2 -> 0.
    assert f["singleton_clashes"] == 7
    # Peak 4 against ⌈7/3⌉ = 3 in semester 1; semester 2: S-EN alone.
    assert f["grade_peak_excess"] == 1


def test_singletons_that_meet_apart_at_their_floor_never_pair(case):
    # H1 alone: four semester-1 courses of one subject, one section each, in 3 periods -> 1 doubled period: grade 9
    # of 5 and 6, grade 10 of 12 and 14. The lightest pair 5 + 6 puts both grade-9 singletons in one period; with no
    # more singletons of a grade than periods, a plan at the singleton floor (0) keeps them apart: 5 + 12 = 17.
    case.sections = [s for s in case.sections if s["section_id"] == "S-E1"]
    for cid, grade, size, period in (("W1", 9, 5, "P1"), ("W2", 9, 6, "P2"), ("W3", 10, 12, "P1"),
                                     ("W4", 10, 14, "P3")):
        case.add_course(cid, "world_language", "math")
        case.sections.append(case.sec(f"S-{cid}", cid, "1", period, "H1", {grade: size}))
    f = figures(case)["VA1"]
    assert (f["doubled"], f["doubled_floor"], f["singleton_clashes"], f["singleton_floor"]) == (1, 1, 0, 0)
    assert (f["max_live_students"], f["max_live_floor"]) == (17, 17)
    # Control: the two grade-9 ones together (a clash: above that floor) -> the plain floor, the largest section 14.
    case.section("S-W2")["period_id"], case.section("S-W3")["period_id"] = "P1", "P2"
    f = figures(case)["VA1"]
    assert (f["singleton_clashes"], f["max_live_students"], f["max_live_floor"]) == (1, 14, 14)


def test_live_students_and_class_means_ignore_vacancies_and_homerooms(case):
    case.section("S-E1")["grades"] = {1: 5}
    case.sections.append(case.sec("S-VAC", "MA-ALG1", "1", None, None, {9: 100}))
    case.sections.append(case.sec("S-ALG2", "MA-ALG1", "1", "P3", "H1", {9: 10}))
    f = figures(case)["VA1"]
    # H1: (30 + 12 + 10)/3 = 17.33 -> 17.3; H2 17.5. The vacancy of 100 and E1's homeroom of 5 count nowhere.
    assert (f["teacher_mean_class_min"], f["teacher_mean_class_max"]) == (17.3, 17.5)
    assert (f["max_live_students"], f["max_live_floor"]) == (42, 30)


def test_district_row_and_a_school_without_secondary_sections(case):
    case.tables["schools"].append({"school_id": "VA2", "name": "Virtual Academy 2", "region_id": "R2",
                                   "levels": "high"})
    rows = figures(case)
    assert list(rows) == ["VA1", "VA2", "district"]
    assert rows["VA2"] == {"school_id": "VA2", **{c: 0 for c in COLUMNS[1:8]}, "teacher_mean_class_min": None,
                           "teacher_mean_class_max": None}
    assert rows["district"] == {**rows["VA1"], "school_id": "district"}


def test_a_plan_without_sections_has_no_figure(case):
    ctx = CheckContext(case.district(), load_plan(case.write_plan(edit=_no_sections)), CONTRACT)
    assert timetable_figure(ctx) == {}


def _no_sections(frames: dict, run: dict) -> None:
    for name in ("sections", "section_grades"):
        frames[name] = frames[name].iloc[0:0]
    frames["teachers"] = frames["teachers"].iloc[0:0]


# ------------------------------------------------------------------------------------------------
# data/sample, solved by the clerk's fill (fast): the figures exist and agree with a plain recount.


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> CheckContext:
    out = tmp_path_factory.mktemp("sample") / "plan"
    done = subprocess.run([sys.executable, "-m", "vastaff", "solve", str(ROOT / "data/sample"), "--out", str(out),
                           "--method", "greedy", "--seed", "0"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return CheckContext(load_district(ROOT / "data/sample", CONTRACT), load_plan(out), CONTRACT)


def test_sample_plan_figures(sample):
    f = timetable_figures(sample)
    assert list(f.columns) == COLUMNS and list(f.school_id) == ["VA01", "VA02", "district"]
    schools, district = f.iloc[:-1], f.iloc[-1]
    assert (f.doubled >= f.doubled_floor).all() and (f.singleton_clashes >= f.singleton_floor).all()
    assert (f.max_live_students >= f.max_live_floor).all() and (f.max_live_floor > 0).all()
    assert (f.teacher_mean_class_min <= f.teacher_mean_class_max).all()
    for c in ("doubled", "doubled_floor", "singleton_clashes", "singleton_floor", "grade_peak_excess"):
        assert district[c] == schools[c].sum()
    assert district.max_live_students == schools.max_live_students.max()
    # A plain recount from sections.csv: a year row meets twice; homerooms and vacancies hold no period.
    s = sample.plan.sections
    s = s[s.teacher_id.notna() & s.period_id.notna() & s.period_id.ne("homeroom")]
    terms = {"1": [1], "2": [2], "year": [1, 2]}
    held: dict = {}
    for r in s.itertuples():
        for t in terms[str(r.semester)]:
            held.setdefault((r.teacher_id, t, r.period_id), []).append(int(r.enrollment))
    assert district.doubled == sum(len(v) >= 2 for v in held.values())
    assert district.max_live_students == max(sum(v) for v in held.values())
