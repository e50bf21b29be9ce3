"""cpsat/explain.py: an infeasible school (`--strict`) explained as a minimal set of rule groups."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from tests.solve.builders import course, demand, teacher
from vastaff.cpsat.explain import _shrink, explain_school
from vastaff.cpsat.groups import Groups
from vastaff.rules import Finding


def eld_and_english(school, contract_model=None):
    """One English/ELD teacher with one period, an ELD section and an English section."""
    return school([teacher("H2", "english;eld")],
                  [course("ELD1", "english", "eld", program="eld"), course("EN9", "english")],
                  [demand("ELD1", 9, 10), demand("EN9", 9, 20)], periods=1, contract_model=contract_model)


def test_eld_alone_conflict_names_its_groups(school, contract):
    """A6.2: ELD needs the only period for itself, so EN9 cannot be staffed; the core is the two courses' DEMAND
    groups, the teacher's period group and the caps that make each course open a section."""
    staffed = "must be fully staffed by eligible teachers (H2)"
    assert explain_school(eld_and_english(school), contract) == Finding(
        ("DEMAND", "A6.1", "A6.2", "A8.1", "CRED"),
        "VA1: these cannot all hold — "
        f"DEMAND course ELD1 (10 students) {staffed}; DEMAND course ELD1 grade 9 (10 students) {staffed}; "
        f"DEMAND course EN9 (20 students) {staffed}; DEMAND course EN9 grade 9 (20 students) {staffed}; "
        "A6.1+A6.2 teacher H2 semester 1 has 1 academic period(s); A8.1 course ELD1: its students sit in its sections, "
        "at most 35 students each; A8.1 course EN9: its students sit in its sections, at most 35 students each",
        (("courses.csv", "ELD1"), ("demand.csv", "ELD1:9"), ("courses.csv", "EN9"), ("demand.csv", "EN9:9"),
         ("teachers.csv", "H2")))


def test_without_eld_alone_the_school_is_feasible(school, amend):
    """The same school with eld_alone_in_period false: both sections share the period, nothing to explain."""
    relaxed = amend("periods.eld_alone_in_period.value", False)
    assert explain_school(eld_and_english(school, relaxed), relaxed) is None


def test_a_course_nobody_may_teach_is_explained_by_cred(school, contract):
    p = school([teacher("H1", "english")], [course("ALG", "math")], [demand("ALG", 9, 20)])
    conflict = explain_school(p, contract)
    assert conflict.rules == ("DEMAND", "A8.1", "CRED")
    assert "DEMAND course ALG (20 students) must be fully staffed by eligible teachers (no eligible teacher)" \
        in conflict.message


def test_a_grades_demand_group_counts_that_grades_students(school, contract):
    p = school([teacher("H1", "english")], [course("ALG", "math")], [demand("ALG", 9, 12), demand("ALG", 10, 8)])
    message = explain_school(p, contract).message
    assert "DEMAND course ALG (20 students) must be fully staffed" in message
    assert "DEMAND course ALG grade 9 (12 students) must be fully staffed" in message  # it said 20: the course's


def test_two_homerooms_for_one_teacher_are_explained_by_structure(two_homerooms, contract):
    conflict = explain_school(two_homerooms("E1"), contract)
    assert conflict.rules == ("DEMAND", "A8.1", "STRUCTURE", "CRED")
    assert conflict.message.endswith(
        "; A8.1 course EL-1: its students sit in its sections, at most 35 students each; A8.1 course EL-2: its "
        "students sit in its sections, at most 35 students each; STRUCTURE teacher E1 holds at most one homeroom")


def one_period_overflow(school, three_math_courses, three_courses: bool):
    """One math teacher, one period (2 sections, A6.1): three one-section courses, or 80 students of one course
    (3 sections under section_max 35)."""
    if three_courses:
        return three_math_courses(periods=1)
    return school([teacher("H1", "math")], [course("ALG", "math")], [demand("ALG", 9, 80)], periods=1)


@pytest.mark.parametrize("three_courses", [True, False], ids=["three-courses", "one-course"])
def test_a_single_subject_period_overflow_names_a61(school, three_math_courses, contract, three_courses):
    conflict = explain_school(one_period_overflow(school, three_math_courses, three_courses), contract)
    assert "A6.1" in conflict.rules
    assert ("teachers.csv", "H1") in conflict.rows


def test_the_deletion_filter_keeps_a_minimal_core():
    """x <= 3 (A6.1), x >= 5 (A8.1), x >= 4 (A6.3), all three handed in as a core: x >= 5 goes — the other two
    still conflict — and neither of those can go. (The filter behind every explanation; CP-SAT's own cores on the
    tiny schools above are minimal already.)"""
    model = cp_model.CpModel()
    groups = Groups(model, diagnose=True)
    x = model.new_int_var(0, 10, "x")
    for ct, rule in ((x <= 3, "A6.1"), (x >= 5, "A8.1"), (x >= 4, "A6.3")):
        groups.enforce(model.add(ct), rule, "teacher H1")
    lits = {i: model.get_bool_var_from_proto_index(i) for i in groups.literals}
    core = _shrink(model, sorted(lits), lits, seed=0, time_limit=5.0)
    assert [groups.literals[i].rule for i in core] == ["A6.1", "A6.3"]
