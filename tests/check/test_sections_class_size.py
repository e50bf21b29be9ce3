"""A8.1–A8.5: class sizes, single-grade and consecutive-grade limits, the multi-grade differential."""

from __future__ import annotations

import pytest

from vastaff.check.runner import SECTION_MODULES, run_checks
from vastaff.contract import contract_from_dict, load_contract
from vastaff.io.plan import load_plan


def test_a8_1_k3_band_mean_in_both_semesters_is_one_violation(case):
    case.demand("EL-1", 1, 46)
    case.section("S-E1")["grades"] = {1: 23}
    case.section("S-E2")["grades"] = {1: 23}
    v = case.only(case.report(), "A8.1")
    assert v.message == ("VA1 band K-3, semesters 1 and 2: 2 general/ELD sections hold 46 students, a mean of 23.00, "
                         "above 22")
    assert case.keys(v) == ["sections.csv:S-E1", "sections.csv:S-E2"]
    assert v.article == "8.0"
    case.demand("EL-1", 1, 44)
    case.section("S-E1")["grades"] = {1: 22}
    case.section("S-E2")["grades"] = {1: 22}
    assert case.report().ok


def test_a8_1_band_4_12_semester_2_only(case):
    case.demand("EN-9", 9, 26)
    case.section("S-EN")["grades"] = {9: 26}  # semester 2 holds S-EN alone: mean 26; semester 1: 78 / 4 = 19.5
    v = case.only(case.report(), "A8.1")
    assert v.message == ("VA1 band 4-12, semester 2: 1 general/ELD sections hold 26 students, a mean of 26.00, "
                         "above 25")
    means = {(r["band"], r["semester"]): r["mean"] for r in case.report().figures["section_means"]}
    assert means == {("4-12", 1): 19.5, ("4-12", 2): 26.0, ("K-3", 1): 20.0, ("K-3", 2): 20.0}


def test_a8_1_vacancies_count_in_the_means(case):
    case.demand("EN-9", 9, 26)
    case.section("S-EN").update(grades={9: 26}, teacher_id=None)
    v = case.only(case.report(), "A8.1")
    assert "semester 2: 1 general/ELD sections hold 26 students" in v.message


def test_a8_1_section_max(case):
    case.demand("MA-ALG1", 9, 36)
    case.section("S-ALG")["grades"] = {9: 36}
    v = case.only(case.report(), "A8.1")
    assert v.message == "section S-ALG of MA-ALG1 (Algebra 1) holds 36 students, above the section maximum of 35"
    case.demand("MA-ALG1", 9, 35)
    case.section("S-ALG")["grades"] = {9: 35}
    assert case.report().ok


@pytest.fixture
def sped(case):
    """A special-education course SPED-9 taught by H3, a special-education classroom teacher."""
    case.add_course("SPED-9", "special_education", "special_education", program="special_education",
                    title="Learning Center 9")
    case.add_teacher("H3", department="special_education", credentials="special_education")
    case.demand("SPED-9", 9, 16)
    case.sections.append(case.sec("S-SPED", "SPED-9", "1", "P1", "H3", {9: 16}))
    return case


def test_a8_2_program_max(sped):
    v = sped.only(sped.report(), "A8.2")
    assert v.message == ("special_education section S-SPED of SPED-9 (Learning Center 9) holds 16 students, above the "
                         "special_education norm of 15")
    sped.demand("SPED-9", 9, 15)
    sped.section("S-SPED")["grades"] = {9: 15}
    report = sped.report()
    assert report.ok
    # outside the A8.1 means: semester 1 band 4-12 is still 77 students in 4 sections
    assert {"school_id": "VA1", "band": "4-12", "semester": 1, "sections": 4, "students": 77, "mean": 19.25,
            "limit": 25} in report.figures["section_means"]


def test_a8_3_grades_1_to_5_hold_one_grade(case):
    case.add_teacher("E3", level="elementary", credentials="multiple_subject", grade_min="K", grade_max="5")
    case.demand("EL-1", 2, 2)
    case.section("S-E1")["grades"] = {1: 18, 2: 2}
    case.section("S-E2")["grades"] = {1: 22}
    v = case.only(case.report(), "A8.3")
    assert v.message == ("section S-E1 of EL-1 (Grade 1 Homeroom) holds grades 1;2; a section with any of grades 1–5 "
                         "holds one grade only")
    assert v.article == "8.0(1)"
    case.section("S-E1")["grades"] = {1: 18}  # control: the two grade-2 students get their own homeroom
    case.sections.append(case.sec("S-E3", "EL-1", "year", "homeroom", "E3", {2: 2}))
    assert case.report().ok


def test_a8_3_does_not_touch_tk_and_k(case):
    case.add_teacher("E3", level="elementary", credentials="multiple_subject", grade_min="TK", grade_max="5")
    case.add_course("EL-K", "elementary", "multiple_subject", level="elementary", semester="year", title="Kinder")
    case.demand("EL-K", -1, 4)
    case.demand("EL-K", 0, 14)
    case.sections.append(case.sec("S-E3", "EL-K", "year", "homeroom", "E3", {-1: 4, 0: 14}))
    report = case.report()
    assert report.ok
    assert report.figures["costs"]["multigrade"] == 1200.0  # multi-grade, year: 2 semesters x $600
    case.demand("EL-K", 1, 1)
    case.section("S-E3")["grades"] = {-1: 4, 0: 14, 1: 1}
    v = case.only(case.report(), "A8.3")
    assert "holds grades TK;K;1" in v.message


@pytest.mark.parametrize("grades, ok", [({9: 20, 10: 10}, True), ({9: 20, 11: 10}, False),
                                        ({9: 10, 10: 10, 11: 10}, False)])
def test_a8_4_secondary_sections_span_two_consecutive_grades(case, grades, ok):
    for grade, n in grades.items():
        case.demand("MA-ALG1", grade, n)
    case.section("S-ALG")["grades"] = grades
    report = case.report()
    if ok:
        assert report.ok
        assert report.figures["costs"]["multigrade"] == 600.0
    else:
        v = case.only(report, "A8.4")
        assert v.message.endswith("spanning 3 grades; a secondary section spans at most 2 consecutive grades")
        assert v.article == "8.0(2)"


def test_a8_4_in_a_middle_school(case):
    case.tables["schools"][0]["levels"] = "elementary;middle;high"
    case.add_course("MS-M", "math", "math", level="middle", semester="1", title="Math 6-8")
    case.add_teacher("M1", level="middle", grade_min="6", grade_max="8")
    case.demand("MS-M", 6, 20)
    case.demand("MS-M", 8, 5)
    case.sections.append(case.sec("S-M", "MS-M", "1", "P1", "M1", {6: 20, 8: 5}))
    v = case.only(case.report(), "A8.4")
    assert v.message == ("section S-M of MS-M (Math 6-8) holds grades 6;8, spanning 3 grades; a secondary section "
                         "spans at most 2 consecutive grades")
    case.demand("MS-M", 8, 0)
    case.demand("MS-M", 7, 5)
    case.section("S-M")["grades"] = {6: 20, 7: 5}
    assert case.report().ok


def _no_multigrade_pay(frames, run):
    t = frames["teachers"]
    t.loc[t.teacher_id == "H1", ["multigrade_sections", "multigrade_cost"]] = [0, 0.0]
    run["costs"] = {"stipend": 0.0, "multigrade": 0.0, "xtime": 0.0, "total": 0.0}


def test_a8_5_multigrade_differential_per_semester(case):
    case.demand("MA-ALG1", 10, 10)
    case.demand("MA-ALG1", 9, 20)
    case.section("S-ALG")["grades"] = {9: 20, 10: 10}
    assert case.report().ok
    report = case.report(edit=_no_multigrade_pay)
    assert case.rules(report) == ["A8.5", "COSTS", "COSTS"]  # teachers.csv (A8.5) and run.json multigrade + total
    assert report.violations[0].message == (
        "teacher H1: plan/teachers.csv multigrade_sections 0, recomputed 1; multigrade_cost $0.00, "
        "recomputed $600.00 (multi-grade sections: S-ALG grades 9;10, semester 1)")
    assert report.violations[0].article == "8.0(3)"


def test_a8_5_only_in_teachers_csv(case):
    case.demand("MA-ALG1", 10, 10)
    case.demand("MA-ALG1", 9, 20)
    case.section("S-ALG")["grades"] = {9: 20, 10: 10}

    def teachers_only(frames, run):
        t = frames["teachers"]
        t.loc[t.teacher_id == "H1", "multigrade_cost"] = 1200.0

    v = case.only(case.report(edit=teachers_only), "A8.5")
    assert "multigrade_cost $1,200.00, recomputed $600.00" in v.message


def test_a8_5_year_section_costs_twice_and_a_vacancy_nothing(case):
    case.demand("EN-9", 9, 20)
    case.demand("EN-9", 10, 5)
    case.section("S-EN")["grades"] = {9: 20, 10: 5}
    report = case.report()
    assert report.ok
    assert report.figures["costs"]["multigrade"] == 1200.0
    assert report.figures["costs"]["multigrade_sections"] == 1
    case.section("S-EN")["teacher_id"] = None
    report = case.report()
    assert report.ok
    assert report.figures["costs"]["multigrade"] == 0.0
    assert report.figures["vacancies"] == 1


# A8.1 under band_mean_scope: teacher (8.0: the average of a teacher's roster) -----------------------------------

TEACHER_SCOPE = contract_from_dict(
    {**load_contract().model_dump(by_alias=True),
     "class_size": {**load_contract().model_dump(by_alias=True)["class_size"],
                    "band_mean_scope": {"value": "teacher", "article": "8.0", "rule": "A8.1"}}}, "teacher-scope")


def _teacher_report(case):
    return run_checks(case.district(), load_plan(case.write_plan()), TEACHER_SCOPE, modules=SECTION_MODULES)


def test_a8_1_teacher_scope_catches_a_roster_above_the_mean_that_the_school_mean_allows(case):
    """H1's semester-1 roster: 30 + 22 = 52 students in 2 sections, a mean of 26 above 25; the school's semester 1
    holds 87 students in 4 sections (21.75): fine under `school`, the control."""
    case.demand("MA-HALG1", 9, 22)
    case.section("S-HALG")["grades"] = {9: 22}
    assert case.report().ok
    v = case.only(_teacher_report(case), "A8.1")
    assert v.message == ("teacher H1 of VA1, band 4-12, semester 1: 2 general/ELD sections hold 52 students, a mean "
                         "of 26.00, above 25 (band_mean_scope: teacher)")
    assert case.keys(v) == ["sections.csv:S-ALG", "sections.csv:S-HALG", "teachers.csv:H1"]
    case.section("S-ALG")["grades"] = {9: 28}  # 28 + 22 = 50: a mean of 25
    case.demand("MA-ALG1", 9, 28)
    assert _teacher_report(case).ok


def test_a8_1_teacher_scope_holds_a_schools_vacant_sections_to_the_mean_as_one_roster(case):
    case.demand("EN-9", 9, 26)
    case.section("S-EN").update(grades={9: 26}, teacher_id=None)
    v = case.only(_teacher_report(case), "A8.1")
    assert v.message == ("the vacant sections of VA1, band 4-12, semesters 1 and 2: 1 general/ELD sections hold 26 "
                         "students, a mean of 26.00, above 25 (band_mean_scope: teacher)")
    assert case.keys(v) == ["sections.csv:S-EN"]
