"""STRUCTURE: each malformed plan is reported once; the near-identical well-formed plan passes."""

from __future__ import annotations

import pandas as pd
import pytest


def test_valid_plan_passes_every_module(case):
    report = case.report(every_module=True)
    assert report.violations == []
    assert report.ok


@pytest.mark.parametrize(
    "field, bad, good, message",
    [
        ("teacher_id", "ZZ", "H2", "section S-ELD: teacher ZZ is not in teachers.csv"),
        ("period_id", "P9", "P3", "section S-ELD of ELD-1 (ELD 1): period P9 is not a period of VA1 in periods.csv"),
        ("period_id", "ADV", "P3", "section S-ELD of ELD-1 (ELD 1) is scheduled in advisory period ADV of VA1; "
                                   "advisory periods hold no classes"),
        ("period_id", "homeroom", "P3", "section S-ELD of ELD-1 (ELD 1) uses period homeroom, reserved for elementary "
                                        "homerooms; expected an academic period of VA1"),
        ("school_id", "VA2", "VA1", "section S-ELD is at school VA2 but its course ELD-1 (ELD 1) belongs to VA1"),
    ],
)
def test_section_references(case, field, bad, good, message):
    case.section("S-ELD")[field] = bad
    v = case.only(case.report(), "STRUCTURE")
    assert v.message == message
    assert "sections.csv:S-ELD" in case.keys(v)
    assert v.article == "plan formats"
    case.section("S-ELD")[field] = good
    assert case.report().ok


def test_unknown_course(case):
    case.sections.append(case.sec("S-X", "XX-1", "1", "P3", "H1", {}))
    v = case.only(case.report(), "STRUCTURE")
    assert v.message == "section S-X: course XX-1 is not in courses.csv"
    case.section("S-X")["course_id"] = "MA-HALG1"  # an empty second section of a real course is well formed
    assert case.report().ok


def test_staffed_secondary_section_needs_a_period_a_vacancy_does_not(case):
    case.section("S-ELD")["period_id"] = None
    v = case.only(case.report(), "STRUCTURE")
    assert v.message == ("section S-ELD of ELD-1 (ELD 1) has no period; a staffed secondary section needs an "
                         "academic period of VA1")
    case.section("S-ELD")["teacher_id"] = None
    report = case.report()
    assert report.ok
    assert report.figures["vacancies"] == 1


def test_elementary_section_is_a_year_homeroom(case):
    case.section("S-E1")["period_id"] = "P1"
    v = case.only(case.report(), "STRUCTURE")
    assert v.message == ("elementary section S-E1 of EL-1 (Grade 1 Homeroom) has period P1 instead of homeroom; "
                         "elementary sections are year-long homerooms")
    case.section("S-E1")["period_id"] = "homeroom"
    case.section("S-E1")["semester"] = "1"
    v = case.only(case.report(), "STRUCTURE")
    assert "has semester 1 instead of year" in v.message
    case.section("S-E1")["semester"] = "year"
    case.section("S-E2").update(teacher_id=None, period_id=None)  # an elementary vacancy may have a blank period
    assert case.report().ok


def test_semester_must_match_the_course(case):
    case.section("S-HALG")["semester"] = "2"
    v = case.only(case.report(), "STRUCTURE")
    assert v.message == ("section S-HALG of MA-HALG1 (Honors Algebra 1) is scheduled in semester 2 but the course is "
                         "a semester 1 course in courses.csv")
    assert case.keys(v) == ["courses.csv:MA-HALG1", "sections.csv:S-HALG"]


def _split_year_section(frames, run):
    s = frames["sections"]
    row = s[s.section_id == "S-EN"].iloc[0]
    halves = pd.DataFrame([{**row, "semester": "1"}, {**row, "semester": "2"}])
    frames["sections"] = pd.concat([s[s.section_id != "S-EN"], halves], ignore_index=True)


def test_year_section_split_over_two_rows_is_one_violation(case):
    v = case.only(case.report(edit=_split_year_section), "STRUCTURE")
    assert v.message.startswith("section S-EN of year course EN-9 (English 9) is written as two rows of sections.csv")
    assert v.message.endswith("a year section appears once, with semester year")


def test_duplicate_section_id(case):
    def twice(frames, run):
        s = frames["sections"]
        frames["sections"] = pd.concat([s, s[s.section_id == "S-ALG"]], ignore_index=True)

    v = case.only(case.report(edit=twice), "STRUCTURE")
    assert v.message == "section ID S-ALG appears on 2 rows of sections.csv (rows 4, 8); a section ID is unique"


def test_enrollment_is_the_sum_of_section_grades(case):
    case.section("S-ALG")["enrollment"] = 29
    v = case.only(case.report(), "STRUCTURE")
    assert v.message == "section S-ALG: enrollment 29 but section_grades.csv holds 30 students"


def test_section_grades_rows(case):
    def ghost(frames, run):
        g = frames["section_grades"]
        frames["section_grades"] = pd.concat([g, pd.DataFrame([{"section_id": "S-GHOST", "grade": 9, "students": 0}])])

    v = case.only(case.report(edit=ghost), "STRUCTURE")
    assert v.message == "section_grades.csv lists section S-GHOST (rows 8), which is not in sections.csv"

    def split_grade(frames, run):
        g = frames["section_grades"]
        alg = g[g.section_id == "S-ALG"].assign(students=15)
        frames["section_grades"] = pd.concat([g[g.section_id != "S-ALG"], alg, alg], ignore_index=True)

    v = case.only(case.report(edit=split_grade), "STRUCTURE")
    assert v.message.startswith("section S-ALG grade 9 appears on 2 rows of section_grades.csv")


def test_one_homeroom_per_elementary_teacher(case):
    case.section("S-E2")["teacher_id"] = "E1"
    v = case.only(case.report(), "STRUCTURE")
    assert v.message == "teacher E1 has 2 elementary homerooms (S-E1, S-E2); at most one per teacher"
    case.section("S-E2")["teacher_id"] = "E2"
    assert case.report().ok


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda t: t.drop(t.index[t.teacher_id == "E2"]),
         "the plan's teachers.csv omits 1 input teacher(s): E2; it lists every teacher of the input once"),
        (lambda t: pd.concat([t, t[t.teacher_id == "H1"]]),
         "teacher H1 appears on 2 rows of the plan's teachers.csv (rows 4, 7)"),
        (lambda t: pd.concat([t, t[t.teacher_id == "E2"].assign(teacher_id="ZZ")]),
         "the plan's teachers.csv lists teacher ZZ, who is not in the input teachers.csv"),
    ],
)
def test_teachers_csv_lists_every_input_teacher_once(case, edit, message):
    def apply(frames, run):
        frames["teachers"] = edit(frames["teachers"])

    v = case.only(case.report(edit=apply), "STRUCTURE")
    assert v.message == message
