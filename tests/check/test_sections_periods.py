"""A6.1 and A6.2: a teacher's sections in one rotation period of a semester."""

from __future__ import annotations


def test_a6_1_two_subjects_in_one_period(case):
    case.teacher("H1")["credentials"] = "math;english"
    case.section("S-HALG")["period_id"] = "P2"
    case.section("S-EN").update(teacher_id="H1", period_id="P1")  # year: meets S-ALG in semester 1 only
    v = case.only(case.report(), "A6.1")
    assert v.message == ("teacher H1, semester 1, period P1: S-ALG (MA-ALG1, math), S-EN (EN-9, english): "
                         "sections of different subjects; sections share a period only when their courses have the "
                         "same subject")
    assert case.keys(v) == ["sections.csv:S-ALG", "sections.csv:S-EN"]
    assert v.article == "6.0 A(1)"
    case.section("S-EN")["period_id"] = "P3"
    assert case.report().ok


def test_a6_1_two_sections_of_one_subject_are_fine_three_are_not(case):
    case.section("S-ALG")["grades"] = {9: 10}
    case.section("S-HALG")["period_id"] = "P2"
    case.sections += [case.sec("S-ALG2", "MA-ALG1", "1", "P1", "H1", {9: 10}),
                      case.sec("S-ALG3", "MA-ALG1", "1", "P1", "H1", {9: 10})]
    v = case.only(case.report(), "A6.1")
    assert v.message == ("teacher H1, semester 1, period P1: S-ALG (MA-ALG1, math), S-ALG2 (MA-ALG1, math), "
                         "S-ALG3 (MA-ALG1, math): 3 sections, at most 2 per period")
    case.section("S-ALG3")["period_id"] = "P3"
    assert case.report().ok


def test_a6_1_year_sections_clash_in_both_semesters_once(case):
    case.add_course("SS-9", "social_science", "english", semester="year", title="World History")
    case.demand("SS-9", 9, 20)
    case.sections.append(case.sec("S-SS", "SS-9", "year", "P1", "H2", {9: 20}))
    v = case.only(case.report(), "A6.1")
    assert v.message.startswith("teacher H2, semesters 1 and 2, period P1: S-EN (EN-9, english), "
                                "S-SS (SS-9, social_science)")
    case.section("S-SS")["period_id"] = "P3"
    assert case.report().ok


def test_a6_1_a_year_and_a_semester_2_section(case):
    case.add_course("EN-9B", "english", "english", semester="2", title="English 9 Writing")
    case.add_course("SS-9B", "social_science", "english", semester="2", title="Civics")
    for course in ("EN-9B", "SS-9B"):
        case.demand(course, 9, 10)
    case.sections += [case.sec("S-ENB", "EN-9B", "2", "P1", "H2", {9: 10}),   # same subject as S-EN: fine
                      case.sec("S-SSB", "SS-9B", "2", "P3", "H2", {9: 10})]
    assert case.report().ok
    case.section("S-SSB")["period_id"] = "P1"  # now three sections in semester 2, period P1
    v = case.only(case.report(), "A6.1")
    assert v.message.startswith("teacher H2, semester 2, period P1:")
    assert v.message.endswith("3 sections, at most 2 per period; sections of different subjects; sections share a "
                              "period only when their courses have the same subject")


def test_a6_2_eld_section_alone_in_its_period(case):
    case.demand("ELD-1", 9, 10)
    case.remove("S-ELD")
    case.sections += [case.sec("S-ELDa", "ELD-1", "1", "P2", "H2", {9: 5}),
                      case.sec("S-ELDb", "ELD-1", "1", "P2", "H2", {9: 5})]
    v = case.only(case.report(), "A6.2")
    assert v.message == ("teacher H2, semester 1, period P2: ELD section S-ELDa, S-ELDb shares the period "
                         "with other sections (S-ELDa (ELD-1, eld), S-ELDb (ELD-1, eld)); an ELD section is the only "
                         "section of its teacher in its period")
    assert v.article == "6.0 A(2)"
    case.section("S-ELDb")["period_id"] = "P3"
    assert case.report().ok


def test_eld_with_another_subject_breaks_a6_1_and_a6_2(case):
    case.section("S-ELD")["period_id"] = "P1"
    assert case.rules(case.report()) == ["A6.1", "A6.2"]


def test_eld_of_another_teacher_in_the_same_period_is_fine(case):
    case.section("S-HALG")["period_id"] = "P2"  # H1 in P2 beside H2's ELD section: A6.2 is per teacher
    assert case.report().ok
