"""cpsat/model.py: one school's CP-SAT model — every rule family wired, objective stages in the model file's order."""

from __future__ import annotations

STAGES = ["vacancies", "money", "stability", "continuity", "preferences", "seniority"]
"""The model file's stages, with `continuity` (stability's tie-break, cpsat/stability.py) right after stability."""


def least_vacancies(full_model, p, **options) -> int | None:
    r = full_model(p, **options)
    return r.optimum(sum(r.stages["vacancies"]))


def test_stages_follow_the_model_file(three_math_courses, full_model, amend):
    p = three_math_courses()
    assert list(full_model(p).stages) == STAGES
    money_first = ["money", "vacancies", "stability", "matrix", "preferences", "seniority"]
    without_choices = ["money", "vacancies", "stability", "continuity", "preferences", "seniority"]  # no A9.1 stage:
    assert list(full_model(p, amend("objective.stages", money_first)).stages) == without_choices  # nobody ranked one


def test_diagnosis_groups_every_hard_rule_and_has_no_objective(three_math_courses, full_model):
    """Three math courses, one teacher: DEMAND per course and grade, DEMAND per course (strict), A6.1 for the
    teacher's semester, A8.1 per course and for the band; a normal build has no group at all."""
    p = three_math_courses()
    r = full_model(p, strict=True, diagnose=True)
    assert r.stages == {}
    courses = ("MA1", "MA2", "MA3")
    assert sorted((g.rule, g.message) for g in r.groups.literals.values()) == sorted(
        [("DEMAND", f"course {c} grade 9") for c in courses] + [("DEMAND", f"course {c}") for c in courses]
        + [("A8.1", f"course {c}") for c in courses]
        + [("A6.1", "teacher H1 semester 1"), ("A8.1", "school VA1 band 4-12 semester 1")])
    assert full_model(p).groups.literals == {}


def test_the_rule_families_decide_the_vacancies_together(three_math_courses, full_model):
    """Three one-section courses, one teacher: one period (A6.1: 2 sections) leaves 1 vacancy, two periods none;
    --strict with one period is infeasible."""
    assert least_vacancies(full_model, three_math_courses(periods=1)) == 1
    assert least_vacancies(full_model, three_math_courses(periods=2)) == 0
    assert least_vacancies(full_model, three_math_courses(periods=1), strict=True) is None
