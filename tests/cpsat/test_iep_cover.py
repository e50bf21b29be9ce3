"""cpsat/iep_cover.py: A7.1/A7.2 coupling (7.0 A) — enough general teachers teach a grade with IEP meetings."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from vastaff.cpsat.iep_cover import above_vacancies, iep_cover_terms


def needing(p, teachers: int, excluded: frozenset = frozenset()):
    """Grade 9 needs `teachers` different teachers tonight (overlapping blank meetings); `excluded` do not count."""
    need = pd.DataFrame({"grades": [(9,)], "teachers": [teachers], "excluded": [excluded]})
    return replace(p, iep_need=need)


def shortfall(rig, p, sections: int) -> tuple[int, set[str]]:
    """Fewest missing teachers when `sections` ALG sections are taken, and who takes them in that optimum (the terms
    weigh each missing teacher above every vacancy: `above_vacancies`)."""
    r = rig(p)
    r.model.add(r.all_takes() == sections)
    weighted = r.optimum(sum(iep_cover_terms(r.model, p, r.v)))
    assert weighted % above_vacancies(p) == 0
    return weighted // above_vacancies(p), {t for t in ("H1", "H2") if r.value(r.sections(t, "ALG"))}


def test_two_meetings_need_two_teachers_of_the_grade(algebra_for_two, rig):
    """Two overlapping grade-9 meetings: one ALG section leaves one teacher missing; two sections go to two teachers."""
    p = needing(algebra_for_two(40), 2)
    assert shortfall(rig, p, 1)[0] == 1
    assert shortfall(rig, p, 2) == (0, {"H1", "H2"})
    assert shortfall(rig, needing(algebra_for_two(40), 1), 1)[0] == 0


def test_a_teacher_busy_in_a_named_meeting_does_not_count(algebra_for_two, rig):
    """H2 is named in an overlapping meeting: only H1 can cover, so the one section goes to H1."""
    p = needing(algebra_for_two(40), 2, frozenset({"H2"}))
    assert shortfall(rig, p, 1) == (0, {"H1"})


def test_no_meetings_no_terms(algebra_for_two, rig):
    p = algebra_for_two(40)
    r = rig(p)
    assert iep_cover_terms(r.model, p, r.v) == []

