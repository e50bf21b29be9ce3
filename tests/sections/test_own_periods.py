"""sections/own_periods.py: a teacher's sections of one course take back their own periods of last night from among
the periods they hold together, where no measure of the timetable changes."""

from __future__ import annotations

import pandas as pd

from vastaff.sections.own_periods import keep_own_periods, own_periods
from vastaff.sections.timetable_figures import measures, period_data

COURSES = pd.DataFrame({"course_id": ["ALG", "GEO"], "subject": ["math", "math"], "program": ["general", "general"],
                        "level": ["high", "high"]})


def timetable(*rows: tuple) -> tuple:
    """(section_id, teacher_id, grade, students, period) rows of one semester: the school's data and its periods."""
    sections = pd.DataFrame([(s, "VA1", s.split("-")[0], "1", p, t, n) for s, t, _, n, p in rows],
                            columns=["section_id", "school_id", "course_id", "semester", "period_id", "teacher_id",
                                     "enrollment"])
    grades = pd.DataFrame([(s, g, n) for s, _, g, n, _ in rows], columns=["section_id", "grade", "students"])
    data = period_data(sections.assign(period_id=None), grades, COURSES, ["P1", "P2", "P3"])
    return data, {s: p for s, _, _, _, p in rows}


def test_own_periods_are_last_nights_for_the_same_section_course_and_teacher():
    tonight = pd.DataFrame({"section_id": ["ALG-01", "ALG-02", "GEO-01", "GEO-02"],
                            "course_id": ["ALG", "ALG", "GEO", "GEO"], "teacher_id": ["H1", "H1", "H2", "H3"]})
    last = pd.DataFrame({"section_id": ["ALG-01", "ALG-02", "GEO-01", "GEO-02"],
                         "course_id": ["ALG", "ALG", "GEO", "GEO"], "teacher_id": ["H1", "H1", "H9", "H3"],
                         "period_id": ["P1", "P2", "P3", None]})
    assert own_periods(tonight, last) == {"ALG-01": "P1", "ALG-02": "P2"}  # GEO-01 changed teacher, GEO-02 had none
    assert own_periods(tonight, None) == {}


def test_a_teachers_sections_hand_back_each_others_periods():
    """H1's two grade-9 ALG sections hold P2 and P1 tonight, P1 and P2 last night: the same day for H1, another for
    their students. They exchange; every measure is the same."""
    data, periods = timetable(("ALG-01", "H1", 9, 20, "P2"), ("ALG-02", "H1", 9, 20, "P1"))
    kept = keep_own_periods(data, periods, {"ALG-01": "P1", "ALG-02": "P2"})
    assert kept == {"ALG-01": "P1", "ALG-02": "P2"}
    assert measures(data, kept) == measures(data, periods)


def test_an_exchange_that_changes_a_measure_is_not_made():
    """ALG-01 is the only ALG section of grade 9 and GEO-01 the only GEO one, in P1: ALG-01 taking back P1 would make
    a singleton clash, so H1's sections stay as the timetable has them."""
    data, periods = timetable(("ALG-01", "H1", 9, 20, "P2"), ("ALG-02", "H1", 10, 20, "P1"),
                              ("GEO-01", "H2", 9, 20, "P1"))
    assert keep_own_periods(data, periods, {"ALG-01": "P1", "ALG-02": "P2"}) == periods
