"""cpsat/demand.py: DEMAND — every student seated, every section a teacher's or a vacancy; `--strict` forbids
vacancies."""

from __future__ import annotations

from tests.solve.builders import course, demand, teacher
from vastaff.cpsat.demand import vacancy_terms


def test_every_student_of_a_grade_is_seated(school, rig):
    """30 grade-9 students of ALG sit in its one shape; without DEMAND nothing asks for a seat."""
    p = school([teacher("H1", "math")], [course("ALG", "math")], [demand("ALG", 9, 30)])
    r = rig(p)
    assert r.optimum(r.v.seats[0, 9]) == 30
    bare = rig(p, demand=False)
    assert bare.optimum(bare.v.seats[0, 9]) == 0


def _two_algebra_sections(school, rig, credential: str, strict: bool = False):
    p = school([teacher("H1", credential)], [course("ALG", "math")], [demand("ALG", 9, 60)])
    r = rig(p, strict=strict)
    r.model.add(r.opened("ALG") == 2)
    return r


def test_a_section_no_eligible_teacher_takes_is_a_vacancy(school, rig):
    """Two ALG sections and only an English teacher: both vacant; a math teacher staffs both."""
    r = _two_algebra_sections(school, rig, "english")
    assert r.optimum(sum(vacancy_terms(r.v))) == 2
    r = _two_algebra_sections(school, rig, "math")
    assert r.optimum(sum(vacancy_terms(r.v))) == 0


def test_strict_forbids_vacancies(school, rig):
    """`--strict`: the sections nobody may teach make the school infeasible; with a math teacher it is feasible."""
    assert _two_algebra_sections(school, rig, "english", strict=True).optimum(0) is None
    assert _two_algebra_sections(school, rig, "math", strict=True).optimum(0) == 0


def test_a_multigrade_section_holds_each_of_its_grades(school, rig):
    """LAB: 2 grade-10 and 30 grade-11 students. Every section holding grade 10 takes one of its 2 students, so at
    most 4 sections open (2 with grade 10, 2 of grade 11 alone); with 4 grade-10 students 5 open."""
    for grade10, most in ((2, 4), (4, 5)):
        p = school([teacher("H1", "math")], [course("LAB", "math")],
                   [demand("LAB", 10, grade10), demand("LAB", 11, 30)])
        r = rig(p)
        assert r.optimum(r.opened("LAB"), maximize=True) == most
