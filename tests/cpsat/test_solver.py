"""cpsat/solver.py: one school's stages, lexicographic, with the floors known before searching."""

from __future__ import annotations

from tests.solve.builders import course, demand, teacher
from vastaff.cpsat.solver import SolveOptions, known_lower_bound, solve_school

OPTIONS = SolveOptions(time_limit=5.0)


def test_vacancies_floor_counts_the_sections_of_courses_nobody_may_teach(school):
    """60 ALG students and only an English teacher: at least ceil(60 / 35) = 2 vacant sections; other stages 0."""
    nobody = school([teacher("H1", "english")], [course("ALG", "math")], [demand("ALG", 9, 60)])
    assert known_lower_bound("vacancies", nobody) == 2
    assert known_lower_bound("money", nobody) == 0
    someone = school([teacher("H1", "math")], [course("ALG", "math")], [demand("ALG", 9, 60)])
    assert known_lower_bound("vacancies", someone) == 0


def stages(solution) -> list[tuple[str, str, float]]:
    return [(s.name, s.status, s.value) for s in solution.stages]


def test_stages_settle_vacancies_then_the_rest(three_math_courses, contract):
    """Three math sections, one teacher with one period: 1 vacancy (A6.1), 2 sections taken, 3 open (weight 2 each
    in `preferences`) and one section beyond the periods (a doubled period, weight 4); stages without terms (money,
    stability) are not searched, and seniority (its one teacher teaches) sits at its floor. Two periods: no vacancy,
    still one section beyond them."""
    solution = solve_school(three_math_courses(periods=1), contract, OPTIONS)
    assert solution.status == "OPTIMAL"
    assert stages(solution) == [("vacancies", "OPTIMAL", 1), ("preferences", "OPTIMAL", 10),
                                ("seniority", "OPTIMAL", 0)]
    assert solution.takes.sections.sum() == 2 and solution.opened.vacant.sum() == 1
    relaxed = solve_school(three_math_courses(periods=2), contract, OPTIONS)
    assert stages(relaxed) == [("vacancies", "OPTIMAL", 0), ("preferences", "OPTIMAL", 10),
                               ("seniority", "OPTIMAL", 0)]
    assert relaxed.takes.sections.sum() == 3


def test_strict_school_with_a_vacancy_is_infeasible(three_math_courses, contract):
    solution = solve_school(three_math_courses(periods=1), contract, SolveOptions(time_limit=5.0, strict=True))
    assert solution.status == "INFEASIBLE" and solution.takes.empty
