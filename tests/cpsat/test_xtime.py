"""cpsat/xtime.py: A12 (12.0) — a teacher with sections last night who gets a new course is owed X-time once."""

from __future__ import annotations

from tests.solve.builders import course, demand, teacher
from vastaff.cpsat.courses import link_teaches
from vastaff.cpsat.xtime import xtime_terms

COURSES = ("ALG", "GEO", "TRIG")


def math_school(school, previous):
    """Math teachers H1 (taught ALG last night) and H2 (taught nothing); ALG, GEO, TRIG of 20 students each."""
    p = school([teacher("H1", "math"), teacher("H2", "math")], [course(c, "math") for c in COURSES],
               [demand(c, 9, 20) for c in COURSES])
    return previous(p, ("H1", "ALG", 1))


def xtime(rig, p, contract_model=None, **given: int) -> int:
    """Least X-time (cents) when `given` fixes sections per teacher and course, e.g. H1_GEO=1."""
    r = rig(p, contract_model)
    link_teaches(r.model, r.v)
    for key, n in given.items():
        r.model.add(r.sections(*key.split("_")) == n)
    return r.optimum(sum(xtime_terms(r.model, p, r.v, r.contract)))


def test_keeping_last_nights_course_owes_nothing(school, rig, previous):
    assert xtime(rig, math_school(school, previous), H1_ALG=1, H1_GEO=0, H1_TRIG=0) == 0


def test_xtime_is_owed_once_per_teacher(school, rig, previous, amend):
    """H1 gets two new courses: 12 hours x $60 once = $720 (cents); at $30 an hour, $360."""
    p = math_school(school, previous)
    assert xtime(rig, p, H1_GEO=1) == 72_000
    assert xtime(rig, p, H1_GEO=1, H1_TRIG=1) == 72_000
    assert xtime(rig, p, amend("xtime.xtime_hourly_rate.value", 30), H1_GEO=1) == 36_000


def test_no_xtime_without_sections_last_night(school, rig, previous):
    """H2 taught nothing last night: a new course owes nothing (12.0 is about switching); no plan, no terms."""
    p = math_school(school, previous)
    assert xtime(rig, p, H2_GEO=1, H2_TRIG=1, H1_ALG=1) == 0
    bare = school([teacher("H1", "math")], [course("GEO", "math")], [demand("GEO", 9, 20)])
    r = rig(bare)
    assert xtime_terms(r.model, bare, r.v, r.contract) == []
