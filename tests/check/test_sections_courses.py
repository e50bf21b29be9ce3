"""A6.3: distinct courses per teacher and semester, the stipend beyond the limit and consent."""

from __future__ import annotations

import pytest

NINE = [f"MA-C{i}" for i in range(1, 8)]  # with MA-ALG1 and MA-HALG1: nine math courses in semester 1


@pytest.fixture
def nine_courses(case):
    """H1 teaches nine distinct semester-1 math courses over six academic periods (stipend_consent true)."""
    case.tables["periods"] += [{"school_id": "VA1", "period_id": f"P{i}", "kind": "academic", "order": i}
                               for i in (4, 5, 6)]
    for i, course in enumerate(NINE):
        case.add_course(course, "math", "math", semester="1")
        case.demand(course, 9, 10)
        case.sections.append(case.sec(f"S-C{i + 1}", course, "1", f"P{2 + i // 2}", "H1", {9: 10}))
    return case


def test_a6_3_nine_courses_with_consent_cost_one_stipend(nine_courses):
    report = nine_courses.report()
    assert report.ok
    assert report.figures["costs"]["stipend"] == 1200.0  # 1 course beyond 8 in semester 1 x $1,200
    assert report.figures["costs"]["stipend_courses"] == 1
    assert {"level": "high", "semester": "1", "teachers": 2, "min": 2, "mean": 5.5, "max": 9} in \
        report.figures["courses_per_teacher"]


def test_a6_3_nine_courses_without_consent(nine_courses):
    nine_courses.teacher("H1")["stipend_consent"] = "false"
    v = nine_courses.only(nine_courses.report(), "A6.3")
    assert v.message == "teacher H1 has 9 distinct courses in semester 1, above 8, without stipend_consent"
    assert v.article == "6.0 B(1)"
    assert "teachers.csv:H1" in nine_courses.keys(v)
    nine_courses.remove("S-C7")  # control: eight courses need no consent
    nine_courses.demand("MA-C7", 9, 0)
    assert nine_courses.report().ok


def test_a6_3_two_sections_of_one_course_count_once(nine_courses):
    nine_courses.teacher("H1")["stipend_consent"] = "false"
    nine_courses.section("S-C7")["course_id"] = "MA-C6"  # eight distinct courses, nine sections
    nine_courses.demand("MA-C6", 9, 20)
    nine_courses.demand("MA-C7", 9, 0)
    report = nine_courses.report()
    assert report.ok
    assert report.figures["costs"]["stipend"] == 0.0


def test_a6_3_a_year_course_counts_in_both_semesters(nine_courses):
    """8 semester-1 courses + EN-9 (year) = 9 in semester 1 and 1 in semester 2: one stipend course."""
    nine_courses.teacher("H1")["credentials"] = "math;english"
    nine_courses.remove("S-C7")
    nine_courses.demand("MA-C7", 9, 0)
    nine_courses.section("S-EN").update(teacher_id="H1", period_id="P6")
    report = nine_courses.report()
    assert report.ok
    assert report.figures["costs"]["stipend"] == 1200.0
    nine_courses.teacher("H1")["stipend_consent"] = "false"
    v = nine_courses.only(nine_courses.report(), "A6.3")
    assert "9 distinct courses in semester 1" in v.message
