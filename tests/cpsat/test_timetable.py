"""Rotation periods decided by CP-SAT (cpsat/timetable.py) and their figures (sections/timetable_figures.py).

Tiny hand-made schools: plan sections.csv / section_grades.csv / courses.csv rows built here, so each test says
exactly which sections a teacher holds. The A6.1/A6.2 assertions read the result rows directly, not the figures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from vastaff import load_contract, load_district
from vastaff.cpsat.timetable import Timetable, first_fit, solve_timetable
from vastaff.cpsat.timetable_model import build_timetable_model
from vastaff.interrupt import interruptible, request_stop
from vastaff.sections.decode import SECTION_COLUMNS
from vastaff.sections.timetable_figures import (
    MEASURES, PeriodFigures, combine, measures, period_data, school_figures, timetable_figures,
)

CONTRACT = load_contract()
ROOT = Path(__file__).resolve().parents[2]
P3 = ("P1", "P2", "P3")


def school(courses: dict[str, tuple], sections: list[tuple]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Rows of one high school VA1. `courses`: course_id -> (subject, semester[, program]); `sections`:
    (section_id, course_id, teacher_id or None, {grade: students}[, period_id])."""
    c = pd.DataFrame([(cid, spec[0], spec[1], spec[2] if len(spec) > 2 else "general", "high")
                      for cid, spec in courses.items()],
                     columns=["course_id", "subject", "semester", "program", "level"])
    semester = dict(zip(c.course_id, c.semester))
    s = pd.DataFrame([(row[0], "VA1", row[1], semester[row[1]], row[4] if len(row) > 4 else None, row[2],
                       sum(row[3].values())) for row in sections], columns=SECTION_COLUMNS)
    g = pd.DataFrame([(row[0], grade, n) for row in sections for grade, n in row[3].items()],
                     columns=["section_id", "grade", "students"])
    return s, g, c


def timetable(rows, periods=P3, **kw) -> Timetable:
    return solve_timetable(*rows, list(periods), CONTRACT, **kw)


def period_of(tt: Timetable) -> dict[str, str]:
    return dict(zip(tt.sections.section_id, tt.sections.period_id))


def assert_a6(tt: Timetable, courses: pd.DataFrame, periods=P3) -> None:
    """A6.1 6.0 A(1) and A6.2 6.0 A(2) on the result rows; every staffed secondary section in an academic period."""
    rows = tt.sections.merge(courses, on="course_id", suffixes=("", "_course"))
    staffed = rows[rows.teacher_id.notna() & rows.level.ne("elementary")]
    assert staffed.period_id.isin(periods).all()
    assert rows[rows.teacher_id.isna()].period_id.isna().all()  # a vacancy has no period
    for term in ("1", "2"):
        meeting = staffed[staffed.semester.isin([term, "year"])]
        for (teacher, period), held in meeting.groupby(["teacher_id", "period_id"]):
            assert len(held) <= CONTRACT.max_sections_per_period, (teacher, term, period)
            if len(held) > 1:
                assert held.subject.nunique() == 1, (teacher, term, period)   # A6.1
                assert not held.program.eq("eld").any(), (teacher, term, period)  # A6.2


@pytest.mark.parametrize("spread", [True, False], ids=["spread-start", "first-fit-start"])
def test_first_fit_doubles_two_sections_that_the_optimum_spreads(spread):
    rows = school({"ALG": ("math", "year")},
                  [("ALG-01", "ALG", "T1", {9: 30}), ("ALG-02", "ALG", "T1", {9: 28})])
    tt = timetable(rows, spread=spread)
    assert tt.first_fit.doubled == 2  # first-fit fills P1 with both sections, in both semesters
    assert tt.first_fit.max_live_students == 58
    assert tt.figures.doubled == 0 and tt.figures.max_live_students == 30
    assert period_of(tt)["ALG-01"] != period_of(tt)["ALG-02"]
    assert tt.stage("doubled").status == "OPTIMAL" and tt.status == "OPTIMAL"


@pytest.mark.parametrize("spread", [True, False], ids=["spread-start", "first-fit-start"])
def test_eld_forces_doubled_periods_above_the_count_rule(spread):
    """P = 2: the semester-1 ELD section takes a period alone, so the two year math sections share the other one —
    in semester 2 as well, where the count rule (2 sections, 2 periods) would allow none."""
    rows = school({"ALG": ("math", "year"), "ELD": ("eld", "1", "eld")},
                  [("ALG-01", "ALG", "T1", {9: 20}), ("ALG-02", "ALG", "T1", {9: 20}),
                   ("ELD-01", "ELD", "T1", {9: 12})])
    count_rule = max(0, 3 - 2) + max(0, 2 - 2)
    tt = timetable(rows, periods=("P1", "P2"), spread=spread)
    assert count_rule == 1
    assert tt.figures.doubled_floor == 2 and tt.figures.doubled == 2
    assert tt.stage("doubled").status == "OPTIMAL" and tt.stage("doubled").bound == 2
    assert period_of(tt)["ALG-01"] == period_of(tt)["ALG-02"] != period_of(tt)["ELD-01"]
    assert_a6(tt, rows[2], periods=("P1", "P2"))


@pytest.mark.parametrize("spread", [True, False], ids=["spread-start", "first-fit-start"])
def test_three_forced_doubles_put_two_full_sections_together(spread):
    """Six periods, eight semester-1 history sections of 25 and a year one of 23: three periods doubled, and only one
    pair can hold the 23 — the largest live group is 50, the floor (the smallest pair alone would say 48)."""
    rows = school({"ETHN": ("history", "1"), "USH": ("history", "year")},
                  [(f"ETHN-0{i}", "ETHN", "T1", {11: 25}) for i in range(1, 9)] + [("USH-01", "USH", "T1", {11: 23})])
    tt = timetable(rows, periods=tuple(f"P{i}" for i in range(1, 7)), spread=spread)
    assert (tt.figures.doubled, tt.figures.doubled_floor) == (3, 3)
    assert (tt.figures.max_live_students, tt.figures.max_live_floor) == (50, 50)
    assert tt.status == "OPTIMAL"
    if spread:  # the start is at every floor: nothing to prove
        assert [s.work for s in tt.stages] == [0.0] * len(MEASURES)


@pytest.mark.parametrize("spread", [True, False], ids=["spread-start", "first-fit-start"])
def test_two_year_sections_do_not_pair_where_the_second_semester_has_no_double_to_spare(spread):
    """Three periods; semester 1: two history sections of 25 and two year ones of 23 -> one doubled period; semester 2
    holds the year sections alone -> none. Pairing the two year sections (46) would double semester 2 as well, so at
    the doubled floor a 25 shares with a 23: the largest live group's floor is 48, and it is the optimum."""
    rows = school({"ETHN": ("history", "1"), "USH": ("history", "year")},
                  [("ETHN-01", "ETHN", "T1", {11: 25}), ("ETHN-02", "ETHN", "T1", {11: 25}),
                   ("USH-01", "USH", "T1", {11: 23}), ("USH-02", "USH", "T1", {11: 23})])
    tt = timetable(rows, spread=spread)
    assert (tt.figures.doubled, tt.figures.doubled_floor) == (1, 1)
    assert (tt.figures.max_live_students, tt.figures.max_live_floor) == (48, 48)
    assert tt.status == "OPTIMAL" and tt.stage("max_live_students").status == "OPTIMAL"
    assert period_of(tt)["USH-01"] != period_of(tt)["USH-02"]


@pytest.mark.parametrize("spread", [True, False], ids=["spread-start", "first-fit-start"])
def test_two_single_section_grade9_courses_get_different_periods(spread):
    rows = school({"ENG9": ("english", "year"), "BIO": ("science", "year")},
                  [("ENG9-01", "ENG9", "T1", {9: 25}), ("BIO-01", "BIO", "T2", {9: 24})])
    tt = timetable(rows, spread=spread)
    assert tt.first_fit.singleton_clashes == 2  # both in P1, once per semester
    assert tt.figures.singleton_clashes == 0
    assert period_of(tt)["ENG9-01"] != period_of(tt)["BIO-01"]
    assert [(s.name, s.status, s.value) for s in tt.stages][:3] == [
        ("doubled", "OPTIMAL", 0), ("singleton_clashes", "OPTIMAL", 0), ("grade_peak_excess", "OPTIMAL", 0)]


MIXED = ({"ALG": ("math", "year"), "GEOM": ("math", "1"), "ENG9": ("english", "year"), "ENG10": ("english", "2"),
          "BIO": ("science", "year"), "ELD": ("eld", "year", "eld"), "HIST": ("social_science", "1")},
         [("ALG-01", "ALG", "T1", {9: 20, 10: 4}), ("ALG-02", "ALG", "T1", {9: 22}),
          ("GEOM-01", "GEOM", "T1", {10: 26}),
          ("ENG9-01", "ENG9", "T2", {9: 25}), ("ENG10-01", "ENG10", "T2", {10: 27}), ("ELD-01", "ELD", "T2", {9: 8}),
          ("BIO-01", "BIO", "T3", {9: 24}), ("BIO-02", "BIO", "T3", {10: 23}), ("HIST-01", "HIST", None, {10: 30})])


def test_previous_periods_are_kept_when_nothing_changed():
    """Last night's timetable, an optimum with its periods relabelled (as good for every earlier measure), is kept."""
    rows = school(*MIXED)
    fresh = timetable(rows)
    relabel = {"P1": "P3", "P2": "P1", "P3": "P2"}
    last_night = {sid: relabel[p] for sid, p in period_of(fresh).items() if p in relabel}
    assert last_night != {sid: p for sid, p in period_of(fresh).items() if p in relabel}
    previous: dict = {}
    for sid, course, teacher, *_ in MIXED[1]:
        if teacher is not None:
            previous.setdefault((teacher, course), []).append(last_night[sid])
    previous = {key: (ps[0] if len(ps) == 1 else ps) for key, ps in previous.items()}  # one period, or a list
    kept = timetable(rows, previous_periods=previous)
    assert kept.figures.period_changes == 0 and kept.stage("period_changes").status == "OPTIMAL"
    assert {sid: p for sid, p in period_of(kept).items() if p in relabel} == last_night
    assert kept.figures.as_dict() == {**fresh.figures.as_dict(), "period_changes": 0}


def test_a_year_section_takes_one_period_that_both_semesters_keep_free():
    """P = 2: the year math section and each semester's other section split the two periods."""
    rows = school({"ALG": ("math", "year"), "ENG": ("english", "1"), "BIO": ("science", "2")},
                  [("ALG-01", "ALG", "T1", {9: 20}), ("ENG-01", "ENG", "T1", {9: 21}),
                   ("BIO-01", "BIO", "T1", {9: 22})])
    tt = timetable(rows, periods=("P1", "P2"))
    p = period_of(tt)
    assert p["ENG-01"] == p["BIO-01"] != p["ALG-01"]
    data = period_data(tt.sections, rows[1], rows[2], ["P1", "P2"])
    assert sorted(data.meetings[data.meetings.section_id == "ALG-01"].term) == ["1", "2"]
    assert tt.figures.doubled == 0
    assert_a6(tt, rows[2], periods=("P1", "P2"))


def test_vacancies_get_no_period_and_homerooms_keep_theirs():
    courses = {"HR1": ("elementary", "year"), "ALG": ("math", "year")}
    rows = school(courses, [("HR1-01", "HR1", "E1", {1: 20}, "homeroom"), ("ALG-01", "ALG", "T1", {9: 20}),
                            ("ALG-02", "ALG", None, {9: 20}, "P1")])
    s, g, c = rows
    c.loc[c.course_id == "HR1", "level"] = "elementary"
    p = period_of(timetable((s, g, c)))
    assert p["HR1-01"] == "homeroom" and p["ALG-01"] in P3 and pd.isna(p["ALG-02"])


def test_same_input_and_seed_give_the_same_timetable():
    first, second = timetable(school(*MIXED), seed=3), timetable(school(*MIXED), seed=3)
    pd.testing.assert_frame_equal(first.sections, second.sections)
    assert [(s.name, s.status, s.value, s.bound) for s in first.stages] == [
        (s.name, s.status, s.value, s.bound) for s in second.stages]


def test_a_stopped_run_keeps_the_first_fit_timetable():
    """Stopped before its timetable, a school neither searches nor builds the spread start: first-fit as it is."""
    rows = school({"ALG": ("math", "year")},
                  [("ALG-01", "ALG", "T1", {9: 30}), ("ALG-02", "ALG", "T1", {9: 28})])
    with interruptible():
        request_stop()
        tt = timetable(rows)
    assert tt.status == "FEASIBLE" and tt.stages == []
    assert tt.figures == tt.first_fit and tt.figures.doubled == 2
    assert_a6(tt, rows[2])


def test_figures_of_plain_rows():
    """Hand-counted: P1 holds T1's two math sections, T2's English and T3's semester-1 biology."""
    rows = school({"ALG": ("math", "year"), "ENG": ("english", "year"), "BIO": ("science", "1"),
                   "HIST": ("social_science", "year")},
                  [("ALG-01", "ALG", "T1", {9: 20}, "P1"), ("ALG-02", "ALG", "T1", {9: 22}, "P1"),
                   ("ENG-01", "ENG", "T2", {9: 25}, "P1"), ("BIO-01", "BIO", "T3", {9: 18}, "P1"),
                   ("HIST-01", "HIST", None, {9: 30}, None)])
    previous = {("T1", "ALG"): ["P1", "P2"], ("T2", "ENG"): "P3", ("T9", "ALG"): "P1"}
    f = timetable_figures(*rows, list(P3), CONTRACT, previous)
    # doubled: T1/P1 in both semesters; clashes: ENG and BIO (single-section grade-9 courses) in P1, semester 1;
    # peaks: semester 1 has 4 grade-9 sections in P1 (even spread 2), semester 2 has 3 (even spread 1);
    # changes: T1 keeps one of its two previous periods, T2 none of its one; T9 teaches nothing now.
    # floors: 2 single-section courses over 3 periods need not clash; nobody must double, so the largest section (25).
    # class averages: T1 (20 + 22) / 2 = 21, T2 25, T3 18.
    assert f == PeriodFigures(doubled=2, doubled_floor=0, singleton_clashes=1, singleton_floor=0, grade_peak_excess=4,
                              max_live_students=42, max_live_floor=25, period_changes=2, teacher_mean_class_min=18.0,
                              teacher_mean_class_max=25.0)
    # a school without timetabled sections (class averages 0) leaves the district's smallest average alone
    assert combine([f, PeriodFigures(doubled=1, max_live_students=50)]) == PeriodFigures(
        doubled=3, singleton_clashes=1, grade_peak_excess=4, max_live_students=50, max_live_floor=25, period_changes=2,
        teacher_mean_class_min=18.0, teacher_mean_class_max=25.0)


SUBJECTS = ("math", "english", "eld")


@st.composite
def small_schools(draw):
    """1-3 teachers with up to 6 sections each of shared courses (subject x semester), grades 9-10, 2-4 periods."""
    periods = tuple(f"P{i}" for i in range(1, draw(st.integers(2, 4)) + 1))
    sections = []
    for t in range(draw(st.integers(1, 3))):
        for k in range(draw(st.integers(1, 6))):
            subject, semester = draw(st.sampled_from(SUBJECTS)), draw(st.sampled_from(("1", "2", "year")))
            grades = {draw(st.sampled_from((9, 10))): draw(st.integers(5, 30))}
            sections.append((f"S{t}{k}", f"{subject}-{semester}", f"T{t}", grades))
    courses = {f"{s}-{sem}": (s, sem, "eld" if s == "eld" else "general")
               for s in SUBJECTS for sem in ("1", "2", "year")}
    return school(courses, sections), periods


@pytest.mark.parametrize("spread", [True, False], ids=["spread-start", "first-fit-start"])
@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(small_schools())
def test_every_timetable_obeys_a6_and_is_no_worse_than_first_fit(spread, case):
    rows, periods = case
    start = first_fit(period_data(*rows, periods), CONTRACT)
    assume(start is not None)  # counts within the section model's A6.1/A6.2 bound
    tt = timetable(rows, periods=periods, spread=spread)
    assert_a6(tt, rows[2], periods)
    after, before = tt.figures.as_dict(), tt.first_fit.as_dict()
    assert [after[m] for m in MEASURES] <= [before[m] for m in MEASURES]
    assert after["doubled"] >= after["doubled_floor"]
    assert {s.name: s.value for s in tt.stages} == {m: after[m] for m in MEASURES}


@settings(max_examples=25, deadline=None, derandomize=True)
@given(small_schools(), st.randoms(use_true_random=False))
def test_the_grade_overflow_guide_is_zero_exactly_when_the_grade_peak_excess_is(case, rnd):
    """The guide of the grade-peak stage (cpsat.timetable.Attempt.guided): reaching 0 settles the stage."""
    rows, periods = case
    data = period_data(*rows, periods)
    tm = build_timetable_model(data, CONTRACT)
    placed = {sid: rnd.choice(periods) for sid in data.sections().section_id}
    overflow = sum(value_of(placed) for var, value_of in tm.vars.implied if var.name.startswith("overflow["))
    excess = measures(data.assigned(placed))["grade_peak_excess"]
    assert overflow >= excess and (overflow == 0) == (excess == 0)


@pytest.fixture(scope="module")
def sample_plan(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "plan"
    done = subprocess.run([sys.executable, "-m", "vastaff", "solve", str(ROOT / "data/sample"), "--out", str(out),
                           "--time-limit", "30", "--seed", "0"], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return out


def test_sample_district_timetables_have_no_doubled_period(sample_plan):
    district = load_district(ROOT / "data/sample", CONTRACT)
    sections = pd.read_csv(sample_plan / "sections.csv", dtype={"semester": str})
    grades = pd.read_csv(sample_plan / "section_grades.csv")
    periods = district.academic_periods()
    retimed = {}
    for school_id, rows in sections.groupby("school_id"):
        courses = district.courses[district.courses.school_id == school_id]
        ids = periods[periods.school_id == school_id].period_id.tolist()
        for spread in (False, True):
            tt = solve_timetable(rows, grades, courses, ids, CONTRACT, time_limit=10, spread=spread)
            assert tt.figures.doubled == 0 < tt.first_fit.doubled, school_id
            assert tt.status == "OPTIMAL" and [s.status for s in tt.stages] == ["OPTIMAL"] * len(MEASURES), school_id
            assert tt.figures.grade_peak_excess == 0 and tt.figures.singleton_clashes < tt.first_fit.singleton_clashes
            assert tt.figures.max_live_students == tt.figures.max_live_floor, school_id
            assert_a6(tt, courses, tuple(ids))
            if spread:  # the spread start is at every floor: no stage searches
                assert [s.work for s in tt.stages] == [0.0] * len(MEASURES), school_id
            else:  # reached through the guide at once; minimising the maxima themselves stalled at 7 for 1 det. s
                assert tt.stage("grade_peak_excess").work < 0.3, school_id
        retimed[school_id] = tt
    recomputed = school_figures(pd.concat([tt.sections for tt in retimed.values()]), grades, district.courses,
                                periods, CONTRACT)
    assert recomputed == {school_id: tt.figures for school_id, tt in retimed.items()}