"""9.0(1) into secondary levels, end to end: a teacher who asked to move to a level takes the sections its own teachers
cannot (no period left, or the A6.3 limit), so that neither the optimizer's plan nor the clerk's leaves a vacancy the
independent checker says the mover could take (DEMAND), nor a move it says was no vacancy (A9.1)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import example, given, settings, strategies as st

from tests.solve.builders import course, demand, secondary, solve_folder, teacher
from tests.solve.test_matrix_solve import choice

SUBJECTS = ("math", "english", "science")
credentials = st.lists(st.sampled_from(SUBJECTS), min_size=1, max_size=2, unique=True).map(sorted).map(";".join)


@st.composite
def schools(draw):
    """A middle-and-high school: 1-4 high courses of 10-160 students (semester 1, 2 or year), an English teacher and
    1-3 more high-school teachers of one or two subjects (some consenting to stipends), 1-2 middle-school teachers
    authorized to grade 9 or 10 who ask to move to high, 2-5 periods. Before the moves into would-be vacancies, a
    random search of this kind found a plan the checker faulted in about one school of eight."""
    courses, demands = [], []
    for i in range(draw(st.integers(1, 4))):
        subject = draw(st.sampled_from(SUBJECTS))
        courses.append(course(f"C{i}", subject, semester=draw(st.sampled_from(["1", "2", "year"]))))
        demands.append(demand(f"C{i}", draw(st.sampled_from([9, 10])), draw(st.integers(10, 160))))
    staff = [teacher("H0", "english")]
    consent = st.sampled_from(["true", "false"])
    staff += [teacher(f"H{j}", draw(credentials), seniority_date=f"20{10 + j}-01-01", stipend_consent=draw(consent))
              for j in range(1, draw(st.integers(2, 4)))]
    movers = [teacher(f"M{k}", draw(credentials), level="middle", grade_min="6",
                      grade_max=draw(st.sampled_from(["9", "10"])), seniority_date=f"200{k}-01-01")
              for k in range(draw(st.integers(1, 2)))]
    return staff + movers, courses, demands, draw(st.integers(2, 5))


def _found(staff: list[dict], courses: list[tuple[str, str, str, int, int]], periods: int):
    """A school the random search found faulted, as an example: courses as (id, subject, semester, grade, students)."""
    return example((staff, [course(c, s, semester=sem) for c, s, sem, _, _ in courses],
                    [demand(c, g, n) for c, _, _, g, n in courses], periods))


@settings(max_examples=15, deadline=None, derandomize=True, database=None)
@given(schools())
@_found([teacher("H0", "english"), teacher("H1", "science", seniority_date="2011-01-01"),
         teacher("M0", "science", level="middle", grade_min="6", grade_max="10", seniority_date="2000-01-01")],
        [("C0", "science", "1", 9, 160), ("C1", "science", "year", 10, 60)], 3)
def test_neither_plan_leaves_a_vacancy_a_teacher_who_asked_to_move_could_take(school):
    staff, courses, demands, periods = school
    movers = [t["teacher_id"] for t in staff if t["level"] == "middle"]
    with tempfile.TemporaryDirectory() as tmp:
        data = secondary(Path(tmp) / "d", staff, courses, demands, periods,
                         matrix=[choice(m, 1, level="high") for m in movers])
        (data / "schools.csv").write_text((data / "schools.csv").read_text().replace("elementary;high", "middle;high"))
        for method in ("cpsat", "greedy"):
            plan, report = solve_folder(data, Path(tmp) / method, method=method, time_limit=5)
            assert plan.feasible and report.ok, (method, [v.message for v in report.violations] if report else None)
