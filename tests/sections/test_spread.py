"""The spread timetable (sections/spread.py): the period stages' first hint, built without a solver.

Tiny hand-made schools as plan sections.csv / section_grades.csv / courses.csv rows; each test says which measure the
construction or its local moves must reach, and A6.1/A6.2 are read from the periods themselves.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings, strategies as st

from vastaff import load_contract
from vastaff.sections.decode import SECTION_COLUMNS, first_fit
from vastaff.sections.spread import polish, spread_periods
from vastaff.sections.timetable_figures import MEASURES, floor_of, floors, measures, period_data

CONTRACT = load_contract()


def data_of(courses: dict[str, tuple], sections: list[tuple], n_periods: int):
    """`courses`: course_id -> (subject, semester[, program]); `sections`: (section_id, course_id, teacher_id,
    {grade: students})."""
    c = pd.DataFrame([(cid, spec[0], spec[1], spec[2] if len(spec) > 2 else "general", "high")
                      for cid, spec in courses.items()],
                     columns=["course_id", "subject", "semester", "program", "level"])
    semester = dict(zip(c.course_id, c.semester))
    s = pd.DataFrame([(sid, "VA1", course, semester[course], None, teacher, sum(grades.values()))
                      for sid, course, teacher, grades in sections], columns=SECTION_COLUMNS)
    g = pd.DataFrame([(sid, grade, n) for sid, _, _, grades in sections for grade, n in grades.items()],
                     columns=["section_id", "grade", "students"])
    return period_data(s, g, c, [f"P{i}" for i in range(1, n_periods + 1)])


def held_by_period(data, periods: dict[str, str]) -> dict[tuple[str, str, str], list[str]]:
    """(teacher, term, period) -> the sections meeting there."""
    out: dict = {}
    for sid, teacher, term in data.meetings[["section_id", "teacher_id", "term"]].itertuples(index=False):
        out.setdefault((teacher, term, periods[sid]), []).append(sid)
    return out


def test_a_teachers_sections_take_distinct_periods_while_one_is_free():
    data = data_of({"ALG": ("math", "year")},
                   [(f"ALG-0{i}", "ALG", "T1", {9: 20 + i}) for i in range(1, 4)], 3)
    periods = spread_periods(data, CONTRACT)
    assert sorted(periods.values()) == ["P1", "P2", "P3"]
    assert measures(data.assigned(first_fit(data, CONTRACT)))["doubled"] == 2  # the clerk's P1 holds two, twice


def test_only_what_the_count_forces_is_doubled_the_smallest_pair_and_never_with_eld():
    """Five semester-1 sections in four periods: one doubled period (the floor), the two smallest math sections,
    and the ELD section alone (A6.2)."""
    data = data_of({"ALG": ("math", "1"), "ELD": ("eld", "1", "eld")},
                   [("ALG-01", "ALG", "T1", {9: 30}), ("ALG-02", "ALG", "T1", {9: 12}),
                    ("ALG-03", "ALG", "T1", {9: 29}), ("ALG-04", "ALG", "T1", {9: 11}),
                    ("ELD-01", "ELD", "T1", {9: 8})], 4)
    periods = spread_periods(data, CONTRACT)
    doubled = [sids for sids in held_by_period(data, periods).values() if len(sids) > 1]
    assert doubled == [sorted(doubled[0])] and sorted(doubled[0]) == ["ALG-02", "ALG-04"]
    got, low = measures(data.assigned(periods)), floors(data, CONTRACT)
    assert got["doubled"] == low["doubled"] == 1 and got["max_live_students"] == low["max_live_students"] == 30


def test_single_section_courses_of_a_grade_are_spread_over_the_periods():
    """Four teachers, each with one single-section grade-9 course and two other sections, three periods: the four
    singletons clash once at least (the floor) — the construction alone would pair more where the teachers' other
    sections leave no choice, the moves settle it."""
    courses = {"ENG9": ("english", "year"), "BIO9": ("science", "year"), "HIS9": ("history", "year"),
               "ART9": ("art", "year"), "ENG10": ("english", "year"), "BIO10": ("science", "year"),
               "HIS10": ("history", "year"), "ART10": ("art", "year")}
    sections = []
    for t, subject in enumerate(("ENG", "BIO", "HIS", "ART")):
        sections += [(f"{subject}9-01", f"{subject}9", f"T{t}", {9: 25}),
                     (f"{subject}10-01", f"{subject}10", f"T{t}", {10: 25}),
                     (f"{subject}10-02", f"{subject}10", f"T{t}", {10: 24})]
    data = data_of(courses, sections, 3)
    got = measures(data.assigned(spread_periods(data, CONTRACT)))
    assert got["singleton_clashes"] == floors(data, CONTRACT)["singleton_clashes"] == 2  # one pair, both semesters
    assert got["doubled"] == 0 and got["grade_peak_excess"] == 0


def test_a_teacher_the_greedy_order_cannot_place_starts_from_first_fit():
    """Two periods: the year math section takes one, semester-2 math (first by section_id) the other, and semester-2
    English is left with a period holding math — the first-fit packing puts the two math sections together."""
    data = data_of({"MATH2": ("math", "2"), "ENG2": ("english", "2"), "MATHY": ("math", "year")},
                   [("S00", "MATH2", "T0", {9: 5}), ("S01", "ENG2", "T0", {9: 5}), ("S02", "MATHY", "T0", {9: 5})], 2)
    periods = spread_periods(data, CONTRACT)
    assert periods == first_fit(data, CONTRACT) and periods["S00"] == periods["S02"] != periods["S01"]


def test_no_timetable_when_a_teachers_subjects_outnumber_the_periods():
    data = data_of({"ALG": ("math", "1"), "ENG": ("english", "1"), "BIO": ("science", "1")},
                   [("ALG-01", "ALG", "T1", {9: 20}), ("ENG-01", "ENG", "T1", {9: 20}),
                    ("BIO-01", "BIO", "T1", {9: 20})], 2)
    assert spread_periods(data, CONTRACT) is None


SUBJECTS = ("math", "english", "eld")


@st.composite
def small_schools(draw):
    """1-4 teachers with up to 7 sections each of shared courses (subject x semester), grades 9-11, 2-6 periods."""
    n_periods, sections = draw(st.integers(2, 6)), []
    for t in range(draw(st.integers(1, 4))):
        for k in range(draw(st.integers(1, 7))):
            subject, semester = draw(st.sampled_from(SUBJECTS)), draw(st.sampled_from(("1", "2", "year")))
            grades = {draw(st.sampled_from((9, 10, 11))): draw(st.integers(5, 30))}
            sections.append((f"S{t}{k}", f"{subject}-{semester}", f"T{t}", grades))
    courses = {f"{s}-{sem}": (s, sem, "eld" if s == "eld" else "general")
               for s in SUBJECTS for sem in ("1", "2", "year")}
    return data_of(courses, sections, n_periods)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(small_schools())
def test_every_spread_obeys_a6_places_every_section_and_is_repeatable(data):
    periods = spread_periods(data, CONTRACT)
    if periods is None:  # some teacher's sections do not fit: first-fit cannot place them either (its fallback)
        assert first_fit(data, CONTRACT) is None
        return
    assert_a6(data, periods)
    got, low = measures(data.assigned(periods)), floors(data, CONTRACT)
    assert all(got[m] >= floor_of(m, low, got["doubled"]) for m in MEASURES)
    assert got["doubled"] <= measures(data.assigned(first_fit(data, CONTRACT)))["doubled"]
    assert spread_periods(data, CONTRACT) == periods


def assert_a6(data, periods: dict[str, str]) -> None:
    assert set(periods) == set(data.sections().section_id) and set(periods.values()) <= set(data.period_ids)
    eld = dict(zip(data.meetings.section_id, data.meetings.eld))
    subject = dict(zip(data.meetings.section_id, data.meetings.subject))
    for sids in held_by_period(data, periods).values():
        assert len(sids) <= CONTRACT.max_sections_per_period                          # A6.1
        assert len(sids) == 1 or (len({subject[s] for s in sids}) == 1 and not any(eld[s] for s in sids))  # A6.1/2


@settings(max_examples=40, deadline=None, derandomize=True)
@given(small_schools())
def test_polishing_the_clerks_packing_keeps_a6_and_never_worsens_it(data):
    """What a CP-SAT stage found is polished by the spread's moves (`polish`); from the first-fit packing, the moves
    keep A6.1/A6.2 and lower (doubled periods, singleton clashes) lexicographically or keep them (the grade-peak excess
    only through the spread's grade overflow, which is not the same sum: `cpsat.timetable` compares measures)."""
    packed = first_fit(data, CONTRACT)
    if packed is None:
        return
    polished = polish(data, CONTRACT, packed, floors(data, CONTRACT))
    assert_a6(data, polished)
    before, after = (measures(data.assigned(p)) for p in (packed, polished))
    keys = ["doubled", "singleton_clashes"]
    assert [after[k] for k in keys] <= [before[k] for k in keys]


def reference_measures(data, periods: dict[str, str]) -> dict[str, int]:
    """The measures by pandas groupbys over `data.assigned(periods)` (the definitions of `timetable_figures`' docstring,
    as the first wave computed them): the oracle of the row counting `measures` does."""
    d = data.assigned(periods)
    group = ["teacher_id", "term", "period_id"]
    m = d.singletons.groupby(["term", "grade", "period_id"]).size()
    peak = d.grades.groupby(["term", "grade", "period_id"]).size().groupby(["term", "grade"]).max()
    held = d.grades.groupby(["term", "grade"]).size()
    changes = 0
    for key, then in data.previous.items():
        now = d.sections()
        now = now[(now.teacher_id == key[0]) & (now.course_id == key[1])].period_id.tolist()
        kept = sum(min(now.count(p), then.count(p)) for p in set(then))
        changes += min(len(now), len(then)) - kept
    live = d.meetings.groupby(group).enrollment.sum()
    return {"doubled": int((d.meetings.groupby(group).size() > 1).sum()),
            "singleton_clashes": int((m * (m - 1) // 2).sum()),
            "grade_peak_excess": int((peak - (-(-held // data.n_periods))).sum()) if len(peak) else 0,
            "period_changes": changes, "max_live_students": int(live.max()) if len(live) else 0}


@settings(max_examples=60, deadline=None, derandomize=True)
@given(small_schools(), st.randoms(use_true_random=False))
def test_measures_count_what_the_groupbys_count(data, rnd):
    """Any periods at all (A6 or not, some sections unplaced), and last night's periods of some (teacher, course)."""
    sids = sorted(set(data.meetings.section_id))
    periods = {sid: rnd.choice(data.period_ids) for sid in sids if rnd.random() < 0.9}
    pairs = sorted(set(zip(data.meetings.teacher_id, data.meetings.course_id)))
    previous = {key: tuple(rnd.choice(data.period_ids) for _ in range(rnd.randint(1, 3)))
                for key in pairs if rnd.random() < 0.5}
    data = type(data)(data.meetings, data.grades, data.singletons, data.period_ids, previous)
    assert measures(data, periods) == reference_measures(data, periods)
    assert measures(data.assigned(periods)) == reference_measures(data, periods)
