"""cpsat/courses.py: A6.3 (6.0 B(1)) at most 8 courses per teacher and semester; beyond, a stipend with consent."""

from __future__ import annotations

from tests.solve.builders import course, demand, teacher
from vastaff.cpsat.courses import add_course_limit, link_teaches


def courses_school(school, consent: bool = False, first: int = 9, second: int = 0):
    """One math teacher; `first` semester-1 and `second` semester-2 courses of 10 grade-9 students each."""
    names = [(f"A{i}", "1") for i in range(first)] + [(f"B{i}", "2") for i in range(second)]
    return school([teacher("H1", "math", stipend_consent="true" if consent else "false")],
                  [course(c, "math", semester=s) for c, s in names], [demand(c, 9, 10) for c, _ in names])


def limited(rig, p, contract_model=None):
    r = rig(p, contract_model)
    link_teaches(r.model, r.v)
    return r, add_course_limit(r.model, p, r.v, r.contract, r.groups)


def test_teaches_is_true_exactly_when_a_section_is_taken(school, rig):
    """One ALG section taken, no GEO section: exactly one `teaches` literal can be true — any two without the link."""
    p = school([teacher("H1", "math")], [course("ALG", "math"), course("GEO", "math")],
               [demand("ALG", 9, 10), demand("GEO", 9, 10)])
    r = rig(p)
    link_teaches(r.model, r.v)
    r.model.add(r.sections("H1", "ALG") == 1)
    r.model.add(r.sections("H1", "GEO") == 0)
    assert r.optimum(sum(r.v.teaches.values()), maximize=True) == 1
    assert r.optimum(sum(r.v.teaches.values())) == 1
    unlinked = rig(p)
    assert unlinked.optimum(sum(unlinked.v.teaches.values()), maximize=True) == 2


def test_without_consent_a_teacher_takes_at_most_eight_courses(school, rig, amend):
    """9 courses, no stipend consent: 8 are taken; with a limit of 9, all 9."""
    p = courses_school(school)
    r, stipends = limited(rig, p)
    assert stipends == [] and r.optimum(r.all_takes(), maximize=True) == 8
    r, _ = limited(rig, p, amend("courses.max_courses_per_semester.value", 9))
    assert r.optimum(r.all_takes(), maximize=True) == 9


def test_the_limit_holds_per_semester(school, rig, amend):
    """5 courses in each semester: a limit of 4 leaves 8 taken, a limit of 5 all 10."""
    p = courses_school(school, first=5, second=5)
    for limit, most in ((4, 8), (5, 10)):
        r, _ = limited(rig, p, amend("courses.max_courses_per_semester.value", limit))
        assert r.optimum(r.all_takes(), maximize=True) == most


def test_with_consent_the_ninth_course_costs_a_stipend(school, rig, amend):
    """All 9 courses taken by a consenting teacher: one course beyond 8 costs $1,200 (cents); $1,000 if the
    model file says so."""
    p = courses_school(school, consent=True)
    for dollars, cost in ((1200, 120_000), (1000, 100_000)):
        r, stipends = limited(rig, p, amend("courses.stipend_per_course.value", dollars))
        r.model.add(r.all_takes() == 9)
        assert r.optimum(sum(stipends)) == cost
