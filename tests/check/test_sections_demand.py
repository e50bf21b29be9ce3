"""DEMAND and CRED: a plan breaking the rule once is reported once; the near-identical plan passes."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "grades, message",
    [
        ({9: 29}, "course MA-ALG1 (Algebra 1) grade 9: sections hold 29 of the 30 students of demand.csv "
                  "(1 not placed in any section)"),
        ({9: 31}, "course MA-ALG1 (Algebra 1) grade 9: sections hold 31 students, 1 more than the 30 of demand.csv"),
    ],
)
def test_demand_met_exactly(case, grades, message):
    case.section("S-ALG")["grades"] = grades
    v = case.only(case.report(), "DEMAND")
    assert v.message == message
    assert case.keys(v) == ["demand.csv:MA-ALG1:9", "sections.csv:S-ALG"]
    assert v.article == "—"


def test_demand_grade_that_has_no_demand(case):
    case.section("S-ALG")["grades"] = {9: 30, 10: 1}
    v = case.only(case.report(), "DEMAND")
    assert v.message == ("course MA-ALG1 (Algebra 1) grade 10: sections hold 1 students but demand.csv has no grade 10 "
                         "for this course")
    assert case.keys(v) == ["sections.csv:S-ALG"]
    case.demand("MA-ALG1", 10, 1)  # control: the grade-10 student is demanded (S-ALG is then multi-grade, paid)
    assert case.report().ok


def test_demand_counts_students_across_sections(case):
    case.section("S-ALG")["grades"] = {9: 15}
    case.sections.append(case.sec("S-ALG2", "MA-ALG1", "1", "P2", "H1", {9: 14}))
    v = case.only(case.report(), "DEMAND")
    assert "sections hold 29 of the 30 students" in v.message
    assert case.keys(v) == ["demand.csv:MA-ALG1:9", "sections.csv:S-ALG", "sections.csv:S-ALG2"]
    case.section("S-ALG2")["grades"] = {9: 15}
    assert case.report().ok


def test_vacancy_is_allowed_when_listed_in_run_json(case):
    case.section("S-ELD")["teacher_id"] = None
    report = case.report()
    assert report.ok
    assert report.figures["vacancies"] == 1

    def unlisted(frames, run):
        run["vacancies"] = {"count": 0, "items": []}

    v = case.only(case.report(edit=unlisted), "DEMAND")
    assert v.message == ("section S-ELD of ELD-1 (ELD 1) has no teacher but is not listed in run.json vacancies.items "
                         "(each vacancy is reported with its reason)")

    def infeasible(frames, run):  # only OPTIMAL/FEASIBLE runs list their vacancies
        unlisted(frames, run)
        run["status"] = "INFEASIBLE"

    assert case.report(edit=infeasible).ok


def test_run_json_lists_a_vacancy_that_is_staffed(case):
    def phantom(frames, run):
        run["vacancies"] = {"count": 1, "items": [{"section_id": "S-ELD", "course_id": "ELD-1", "grades": [9],
                                                   "reason": "no teacher"}]}

    v = case.only(case.report(edit=phantom), "DEMAND")
    assert v.message == ("run.json vacancies.items lists section S-ELD, which is not a section without a teacher in "
                         "sections.csv")


def test_cred_credential(case):
    case.section("S-EN").update(teacher_id="H1", period_id="P2")
    v = case.only(case.report(), "CRED")
    assert v.message == ("teacher H1 may not teach section S-EN of EN-9 (English 9): lacks credential english "
                         "(holds math)")
    assert case.keys(v) == ["courses.csv:EN-9", "sections.csv:S-EN", "teachers.csv:H1"]
    assert v.article == "9.0(1)"
    case.teacher("H1")["credentials"] = "math;english"
    assert case.report().ok


def test_cred_grade_range(case):
    case.teacher("E2")["grade_min"] = "2"
    v = case.only(case.report(), "CRED")
    assert v.message.endswith("grades 1 are not all within the teacher's 2..5")
    case.teacher("E2")["grade_min"] = "1"
    assert case.report().ok


def test_cred_school_and_level(case):
    case.tables["schools"].append({"school_id": "VA2", "name": "Virtual Academy 2", "region_id": "R1",
                                   "levels": "elementary;high"})
    case.tables["iep_meetings"][1]["eligible_teacher_ids"] = "E1"  # the loader requires eligible teachers of the school
    case.teacher("E2")["school_id"] = "VA2"
    v = case.only(case.report(), "CRED")
    assert v.message.endswith("the course is at school VA1, the teacher at VA2")
    case.teacher("E2")["school_id"] = "VA1"
    case.teacher("E2")["level"] = "high"
    v = case.only(case.report(), "CRED")
    assert v.message.endswith("the course is elementary, the teacher high")


def _sped_course(case, teacher_id):
    case.add_course("SPED-9", "special_education", "special_education", program="special_education")
    case.demand("SPED-9", 9, 8)
    case.sections.append(case.sec("S-SPED", "SPED-9", "1", "P2", teacher_id, {9: 8}))


def test_cred_special_education_sections_by_the_department(case):
    case.teacher("H1")["credentials"] = "math;special_education"
    _sped_course(case, "H1")
    v = case.only(case.report(), "CRED")
    assert v.message.endswith("a special_education section needs a special-education teacher")
    case.teacher("H1")["department"] = "special_education"
    assert case.report().ok


def test_cred_resource_specialists_teach_no_sections(case):
    _sped_course(case, "R1T")
    v = case.only(case.report(), "CRED")
    assert v.message == ("teacher R1T may not teach section S-SPED of SPED-9 (SPED-9): resource "
                         "specialists teach no sections")
    case.teacher("R1T")["role"] = "classroom"
    assert case.report().ok


@pytest.mark.parametrize("change, message", [
    ({"count": 2}, "run.json vacancies.count is 2 but vacancies.items lists 1"),
    ({"reason": ""}, "run.json vacancies.items gives no reason for vacancy S-ELD"),
])
def test_run_json_vacancy_block_is_consistent(case, change, message):
    case.section("S-ELD")["teacher_id"] = None

    def edit(frames, run):
        if "count" in change:
            run["vacancies"]["count"] = change["count"]
        else:
            run["vacancies"]["items"][0]["reason"] = change["reason"]

    assert case.only(case.report(edit=edit), "DEMAND").message == message
