"""A9.1 — the matrix (docs/contract.md), checked from the plan alone: blocking pairs of elementary homerooms, level
moves only into a would-be vacancy, and the figures per school and level.

The tiny district (tests/conftest.py) gets a grade-2 homeroom course here: E1 (seniority 2005, #2 of the district
after H1) holds S-E1 (EL-1, grade 1) and E2 (2012, #4) holds S-E2 (EL-2, grade 2); both may teach K-5 with a
multiple_subject credential. Each finding is shown with a near-identical plan that has none.
"""

from __future__ import annotations

import pytest

from tests.check.conftest import CONTRACT
from vastaff.check.runner import run_checks
from vastaff.io.plan import load_plan

BLANK = {"grade": "", "course_id": "", "level": ""}


def choice(teacher_id: str, rank: int, **field) -> dict:
    return {"teacher_id": teacher_id, "rank": rank, **BLANK, **field}


def lock(lock_id: str, teacher_id: str, course_id: str) -> dict:
    return {"lock_id": lock_id, "teacher_id": teacher_id, "mode": "require", "course_id": course_id, "semester": "",
            "period_id": "", "site_id": "", "room_id": "", "meeting_id": "", "reason": "principal"}


@pytest.fixture
def two_grades(case):
    """E1 and E2 in homerooms of grade 1 and grade 2; E1 ranks grade 2 first, grade 1 second."""
    case.grade_two_homeroom()
    case.tables["matrix"] = [choice("E1", 1, grade="2"), choice("E1", 2, grade="1"), choice("E2", 1, grade="K")]
    return case


def matrix_report(case):
    """The matrix module alone on the case's plan."""
    report = run_checks(case.district(), load_plan(case.write_plan()), CONTRACT, modules=("matrix",))
    assert {v.rule for v in report.violations} <= {"A9.1"}
    return report


def findings(case) -> list[tuple[str, list[str]]]:
    return [(v.message, [str(r) for r in v.rows]) for v in matrix_report(case).violations]


# ----------------------------------------------------------------------------------------------
# Elementary: no blocking pair


def test_the_smallest_blocking_pair_is_caught(two_grades):
    assert findings(two_grades) == [(
        "teacher E1 (seniority #2) ranked grade 2 as choice 1 but got grade 1 in S-E1 (choice 2), while junior E2 "
        "(seniority #4) holds grade 2 in homeroom S-E2; they could swap",
        ["teachers.csv:E1", "teachers.csv:E2", "matrix.csv:E1:1", "sections.csv:S-E2", "sections.csv:S-E1"])]
    assert two_grades.report().ok  # the plan keeps every section rule: the pair is the matrix's alone


def test_no_pair_once_they_swap(two_grades):
    two_grades.section("S-E1")["teacher_id"] = "E2"
    two_grades.section("S-E2")["teacher_id"] = "E1"
    assert findings(two_grades) == []


def test_no_pair_when_the_junior_is_senior(two_grades):
    two_grades.teacher("E2")["seniority_date"] = "2001-01-01"
    assert findings(two_grades) == []


def test_no_pair_when_the_senior_may_not_teach_the_grade(two_grades):
    two_grades.teacher("E1")["grade_max"] = "1"
    assert findings(two_grades) == []


def test_no_pair_when_the_junior_may_not_teach_the_seniors_homeroom(two_grades):
    two_grades.teacher("E2")["grade_min"] = "2"
    assert findings(two_grades) == []


def test_a_senior_without_a_homeroom_blocks_too(two_grades):
    """E3 (most senior of all) ranked grade 2 and has no homeroom: E2 would simply be left without one."""
    two_grades.add_teacher("E3", level="elementary", credentials="multiple_subject", grade_min="K", grade_max="5",
                           seniority_date="1999-01-01")
    two_grades.tables["matrix"] = [choice("E3", 1, grade="2")]
    assert findings(two_grades) == [(
        "teacher E3 (seniority #1) ranked grade 2 as choice 1 but got no homeroom, while junior E2 (seniority #5) "
        "holds grade 2 in homeroom S-E2; E3 could take it",
        ["teachers.csv:E3", "teachers.csv:E2", "matrix.csv:E3:1", "sections.csv:S-E2"])]


def test_one_finding_per_senior_naming_the_most_junior_holder(two_grades):
    """E4 (2020, the most junior) holds a second grade-2 homeroom: E1's one finding names E4 and counts E2."""
    two_grades.add_teacher("E4", level="elementary", credentials="multiple_subject", grade_min="K", grade_max="5",
                           seniority_date="2020-01-01")
    two_grades.demand("EL-2", 2, 40)
    two_grades.sections.append(two_grades.sec("S-E4", "EL-2", "year", "homeroom", "E4", {2: 20}))
    (message, rows), = findings(two_grades)
    assert message == ("teacher E1 (seniority #2) ranked grade 2 as choice 1 but got grade 1 in S-E1 (choice 2), while "
                       "junior E4 (seniority #6) holds grade 2 in homeroom S-E4 (and 1 more junior holder of it); they "
                       "could swap")
    assert rows == ["teachers.csv:E1", "teachers.csv:E4", "matrix.csv:E1:1", "sections.csv:S-E4", "sections.csv:S-E1"]


def test_an_unlisted_grade_ranks_below_every_listed_one(two_grades):
    two_grades.tables["matrix"] = [choice("E1", 1, grade="2")]
    (message, _), = findings(two_grades)
    assert "but got grade 1 in S-E1 (not listed)" in message


def test_a_lock_that_placed_the_junior_is_an_exception(two_grades):
    two_grades.tables["locks"] = [lock("L1", "E2", "EL-2")]
    assert findings(two_grades) == []
    two_grades.tables["locks"] = [lock("L1", "E2", "EL-1")]  # control: a lock on another course places E2 nowhere
    assert len(findings(two_grades)) == 1


def test_a_lock_that_keeps_the_senior_is_an_exception(two_grades):
    two_grades.tables["locks"] = [lock("L1", "E1", "EL-1")]
    assert findings(two_grades) == []


def test_a_meeting_lock_that_needs_the_seniors_grade_is_an_exception(two_grades):
    """A `require` lock of a grade-1 IEP meeting with a blank eligible list (A7.1: a teacher of grade 1 holds it)
    keeps E1 in the one homeroom of grade 1: the swap would break it (docs/decisions.md, "A meeting lock needs a
    grade"). A meeting of grade 2 (E2's homeroom holds it) keeps E1 nowhere."""
    meeting = {"meeting_id": "M3", "school_id": "VA1", "student_id": "ST3", "grade": 1, "date": "2026-09-15",
               "start": "13:00", "end": "14:00", "eligible_teacher_ids": ""}
    two_grades.tables["iep_meetings"] = [*two_grades.tables["iep_meetings"], meeting]
    two_grades.tables["locks"] = [{**lock("L1", "E1", ""), "meeting_id": "M3"}]
    assert findings(two_grades) == []
    meeting["grade"] = 2
    assert len(findings(two_grades)) == 1


def test_a_meeting_lock_that_placed_the_junior_is_an_exception_for_a_senior_without_a_homeroom(two_grades):
    """E3 (most senior) ranked grade 2 and has no homeroom; E2 is locked to a grade-2 meeting with a blank eligible
    list: the lock placed E2 in the grade-2 homeroom (the swap would leave E2 without one)."""
    two_grades.add_teacher("E3", level="elementary", credentials="multiple_subject", grade_min="K", grade_max="5",
                           seniority_date="1999-01-01")
    two_grades.tables["matrix"] = [choice("E3", 1, grade="2")]
    meeting = {"meeting_id": "M3", "school_id": "VA1", "student_id": "ST3", "grade": 2, "date": "2026-09-15",
               "start": "13:00", "end": "14:00", "eligible_teacher_ids": ""}
    two_grades.tables["iep_meetings"] = [*two_grades.tables["iep_meetings"], meeting]
    two_grades.tables["locks"] = [{**lock("L1", "E2", ""), "meeting_id": "M3"}]
    assert findings(two_grades) == []
    meeting["grade"] = 1  # control: a meeting of grade 1 placed E2 nowhere
    assert len(findings(two_grades)) == 1


# ----------------------------------------------------------------------------------------------
# Level moves (9.0(1))


@pytest.fixture
def mover(two_grades):
    """H3, a high teacher who may also teach K-5 and asked to move to elementary, holds a new kindergarten homeroom."""
    case = two_grades
    case.add_teacher("H3", credentials="math;multiple_subject", grade_min="K", seniority_date="2020-01-01")
    case.add_course("EL-K", "elementary", "multiple_subject", level="elementary", semester="year",
                    title="Kindergarten Homeroom")
    case.demand("EL-K", 0, 20)
    case.sections.append(case.sec("S-EK", "EL-K", "year", "homeroom", "H3", {0: 20}))
    case.tables["matrix"] = [choice("H3", 1, level="elementary")]
    return case


def test_a_level_move_into_a_would_be_vacancy_is_allowed(mover):
    assert findings(mover) == []


def test_a_level_move_is_caught_when_a_teacher_of_that_level_was_free(mover):
    mover.add_teacher("E3", level="elementary", credentials="multiple_subject", grade_min="K", grade_max="5")
    assert findings(mover) == [(
        "teacher H3 (high) teaches section S-EK of EL-K (Kindergarten Homeroom), a move to elementary they asked "
        "for, but it was no vacancy: E3 (elementary, school VA1) could take it",
        ["teachers.csv:H3", "sections.csv:S-EK", "matrix.csv:H3:1", "teachers.csv:E3"])]
    mover.teacher("E3")["grade_min"] = "1"  # control: E3 may not teach kindergarten
    assert findings(mover) == []


def test_a_level_not_asked_for_is_left_to_cred(mover):
    mover.add_teacher("E3", level="elementary", credentials="multiple_subject", grade_min="K", grade_max="5")
    mover.tables["matrix"] = [choice("H3", 1, course_id="MA-ALG1")]
    assert findings(mover) == []


def geometry_move(case, more_in_p3: int) -> None:
    """E1 (asked for high) teaches geometry in P2; H1 holds 2 math sections in P1 and P2 and `more_in_p3` in P3."""
    case.teacher("E1").update(credentials="multiple_subject;math", grade_max="12")
    case.tables["matrix"] = [choice("E1", 3, level="high"), *case.tables["matrix"]]
    case.add_course("MA-GEO", "math", "math")
    case.sections.append(case.sec("S-GEO", "MA-GEO", "1", "P2", "E1", {10: 20}))
    extra = [("P2", "A"), ("P2", "B")] + [("P3", f"C{i}") for i in range(more_in_p3)]
    case.sections += [case.sec(f"S-ALG-{x}", "MA-ALG1", "1", p, "H1", {9: 1}) for p, x in extra]


def test_a_secondary_move_is_caught_while_the_math_teacher_has_room_in_a_period(two_grades):
    geometry_move(two_grades, more_in_p3=1)
    assert findings(two_grades)[-1][0] == (
        "teacher E1 (elementary) teaches section S-GEO of MA-GEO (MA-GEO), a move to high they asked for, but it was "
        "no vacancy: H1 (high, school VA1) could take it")


def test_a_secondary_move_is_allowed_when_every_period_is_full(two_grades):
    geometry_move(two_grades, more_in_p3=2)
    assert [m for m, _ in findings(two_grades) if "S-GEO" in m] == []


# ----------------------------------------------------------------------------------------------
# Figures


def test_figures_per_school_and_level(two_grades):
    """E1 got choice 2; E2 listed only K (not granted); H1 got its first choice, H2 its second, R1T none."""
    two_grades.tables["matrix"] += [
        choice("H1", 1, course_id="MA-HALG1"), choice("H1", 2, course_id="EN-9"),
        choice("H2", 1, course_id="MA-ALG1"), choice("H2", 2, course_id="EN-9"), choice("H2", 3, level="elementary"),
        choice("R1T", 1, course_id="MA-ALG1")]
    assert matrix_report(two_grades).figures["matrix"] == [
        {"school_id": "VA1", "level": "elementary", "teachers_with_choices": 2, "first_choice": 0, "within_top3": 1,
         "none_granted": 1},
        {"school_id": "VA1", "level": "high", "teachers_with_choices": 3, "first_choice": 1, "within_top3": 2,
         "none_granted": 1},
    ]


def test_no_figures_without_a_matrix(case):
    report = matrix_report(case)
    assert report.ok and "matrix" not in report.figures


def test_a_lock_that_keeps_the_junior_out_of_the_seniors_homeroom_is_an_exception(two_grades):
    forbid = {**lock("L1", "E2", "EL-1"), "mode": "forbid"}
    two_grades.tables["locks"] = [forbid]
    assert findings(two_grades) == []
    two_grades.tables["locks"] = [{**forbid, "teacher_id": "H2", "course_id": "EN-9"}]  # control: another teacher
    assert len(findings(two_grades)) == 1
