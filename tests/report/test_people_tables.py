"""report/tables.py: timetable.csv and vacancies.csv — exact rows on a hand-made plan, and agreement with sections.csv
and run.json on generated districts."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from vastaff import load_contract, load_district
from vastaff.generate import generate_district, write_district
from vastaff.nightly import solve_nightly
from vastaff.nightly.sections import SolveSettings
from vastaff.report.tables import NO_REASON, timetable_frame, vacancies_frame

SECTIONS = pd.DataFrame([
    # section_id, school, course, semester, period, teacher, enrollment
    ("E-1", "VA1", "G1", "year", "homeroom", "E1", 24),
    ("A-2", "VA1", "ALG", "1", "P2", "H1", 20),
    ("A-1", "VA1", "ALG", "1", "P2", "H1", 21),   # doubled with A-2 (A6.1)
    ("G-1", "VA1", "GEO", "year", "P10", "H1", 25),  # P10 comes after P2 in the rotation, not before it
    ("B-1", "VA1", "BIO", "2", None, None, 30),    # a vacancy
], columns=["section_id", "school_id", "course_id", "semester", "period_id", "teacher_id", "enrollment"])
GRADES = pd.DataFrame([("B-1", 10, 18), ("B-1", 9, 12), ("A-1", 9, 21)], columns=["section_id", "grade", "students"])


class Periods:
    periods = pd.DataFrame([("VA1", "P2", "academic", 2), ("VA1", "P10", "academic", 10)],
                           columns=["school_id", "period_id", "kind", "order"])


def test_timetable_rows_per_teacher_semester_and_period():
    """A year section fills both semesters; a doubled period is one row listing both sections; rotation order."""
    rows = timetable_frame(SECTIONS, Periods()).values.tolist()
    assert rows == [
        ["E1", "VA1", "1", "homeroom", "E-1", "G1", 24],
        ["E1", "VA1", "2", "homeroom", "E-1", "G1", 24],
        ["H1", "VA1", "1", "P2", "A-1;A-2", "ALG;ALG", 41],
        ["H1", "VA1", "1", "P10", "G-1", "GEO", 25],
        ["H1", "VA1", "2", "P10", "G-1", "GEO", 25],
    ]


def test_vacancies_carry_run_json_reasons_and_rules():
    run = {"vacancies": {"count": 1, "items": [
        {"section_id": "B-1", "course_id": "BIO", "grades": [9, 10], "rules": ["DEMAND", "CRED"],
         "reason": "no teacher of VA1 holds a science credential"}]}}
    assert vacancies_frame(SECTIONS, GRADES, run).values.tolist() == [
        ["B-1", "VA1", "BIO", "9;10", 30, "no teacher of VA1 holds a science credential", "DEMAND;CRED"]]


def test_a_vacancy_without_a_reason_in_run_json_says_so():
    """A plan made by hand has no run.json reasons: the row is still there, and says why it has no reason."""
    assert vacancies_frame(SECTIONS, GRADES, {}).values.tolist() == [["B-1", "VA1", "BIO", "9;10", 30, NO_REASON, ""]]


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), teachers=st.integers(20, 40))
def test_tables_agree_with_sections_and_run_json(tmp_path_factory, seed, teachers):
    """Generated districts, the clerk's fill (which leaves vacancies): every (teacher, semester, period, section) of
    sections.csv is in timetable.csv exactly once, students add up, and vacancies.csv is run.json's list."""
    folder = tmp_path_factory.mktemp("gen")
    contract = load_contract()
    write_district(generate_district(teachers, seed, contract), folder, force=True)
    district = load_district(folder, contract)
    plan = solve_nightly(district, contract, SolveSettings(method="greedy", time_limit=5, seed=seed, processes=1))
    # the clerk's fill may leave a grade without a teacher, and then an IEP meeting of that grade without an
    # eligible one (A7.1): such a run has no plan, so no tables
    assume(plan.feasible)
    sections = plan.tables["sections"]
    timetable = timetable_frame(sections, district)
    assert sorted(_meetings_of_timetable(timetable)) == sorted(_meetings_of_sections(sections))
    held = sections.set_index("section_id").enrollment
    assert all(row.students == sum(held[s] for s in row.section_ids.split(";")) for row in timetable.itertuples())
    vacancies = vacancies_frame(sections, plan.tables["section_grades"], plan.run)
    items = plan.run["vacancies"]["items"]
    assert len(vacancies) == plan.run["vacancies"]["count"] == len(items)
    assert vacancies[["section_id", "course_id", "reason", "rules", "grades"]].values.tolist() == sorted(
        [[i["section_id"], i["course_id"], i["reason"], ";".join(i["rules"]), ";".join(map(str, sorted(i["grades"])))]
         for i in items])


def _meetings_of_timetable(timetable: pd.DataFrame) -> list[tuple]:
    return [(r.teacher_id, r.semester, r.period_id, s) for r in timetable.itertuples() for s in r.section_ids.split(";")]


def _meetings_of_sections(sections: pd.DataFrame) -> list[tuple]:
    held = sections[sections.teacher_id.notna()]
    return [(r.teacher_id, sem, r.period_id, r.section_id) for r in held.itertuples()
            for sem in ({"year": ("1", "2")}.get(str(r.semester), (str(r.semester),)))]
