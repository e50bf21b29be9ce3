"""Objective (4): among otherwise equal plans, ties go to the more senior teacher — a senior teacher is not left
without a section while a junior one who could trade places keeps the class (with or without last night's plan)."""

from __future__ import annotations

from tests.solve.builders import course, demand, elementary, secondary, solve_folder, teacher


def _idle(plan) -> set[str]:
    return set(plan.tables["teachers"].teacher_id) - set(plan.tables["sections"].teacher_id.dropna())


def test_more_homeroom_teachers_than_homerooms_idles_the_junior_ones(tmp_path):
    """Six grade K-5 teachers (listed most senior first, IDs in the reverse order), two homerooms: the two most
    senior teach them, whatever order their IDs sort in."""
    staff = {"Z6": 5, "Y5": 5, "X4": 5, "W3": 5, "V2": 5, "U1": 5}
    plan, report = solve_folder(elementary(tmp_path / "d", staff, {1: 20, 2: 20}, []), tmp_path / "p")
    assert plan.feasible and report.ok, report.violations if report else plan.run.get("conflicts")
    assert sorted(plan.tables["sections"].teacher_id) == ["Y5", "Z6"]
    assert _idle(plan) == {"X4", "W3", "V2", "U1"}


def test_one_section_goes_to_the_senior_of_two_math_teachers(tmp_path):
    """One ALG section, two math teachers: the senior (2001) teaches it, the junior (2020) has none; IDs sort the
    other way."""
    staff = [teacher("A-JUNIOR", "math", seniority_date="2020-08-15"),
             teacher("B-SENIOR", "math", seniority_date="2001-08-15")]
    data = secondary(tmp_path / "d", staff, [course("ALG", "math")], [demand("ALG", 9, 20)])
    plan, report = solve_folder(data, tmp_path / "p")
    assert plan.feasible and report.ok, report.violations if report else plan.run.get("conflicts")
    assert plan.tables["sections"].teacher_id.tolist() == ["B-SENIOR"]
    assert plan.run["objective_stages"]["seniority"]["value"] == 1  # the junior's weight: one teacher junior to none
