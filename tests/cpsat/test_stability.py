"""cpsat/stability.py: changes against last night's plan (stage `stability`) and seniority tie-breaks."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from tests.solve.builders import course, demand, teacher
from vastaff.cpsat.courses import link_teaches
from vastaff.cpsat.stability import continuity_terms, seniority_terms, stability_terms


def one_section(rig, p, contract_model=None):
    """ALG's one section is taken by exactly one of H1 and H2."""
    r = rig(p, contract_model)
    link_teaches(r.model, r.v)
    r.model.add(r.all_takes() == 1)
    return r


def test_the_teacher_of_last_night_keeps_the_section(algebra_for_two, rig, previous):
    """H1 taught ALG last night: the stable plan gives it to H1 again (no change)."""
    p = previous(algebra_for_two(20), ("H1", "ALG", 1))
    r = one_section(rig, p)
    assert r.optimum(sum(stability_terms(r.model, p, r.v, r.contract))) == 0
    assert r.value(r.sections("H1", "ALG")) == 1


def test_a_change_costs_its_weights(algebra_for_two, rig, previous, amend):
    """ALG moved from H1 to H2: one section less for H1 and one more for H2 (section_change 3 each) and H1's courses
    changed (teacher_change 2) = 8; with weights 1 and 5, 7."""
    p = previous(algebra_for_two(20), ("H1", "ALG", 1))
    lighter = ("objective.weights.section_change", 1, "objective.weights.teacher_change", 5)
    for changes, cost in (((), 8), (lighter, 7)):
        r = one_section(rig, p, amend(*changes))
        r.model.add(r.sections("H2", "ALG") == 1)
        assert r.optimum(sum(stability_terms(r.model, p, r.v, r.contract))) == cost


def test_without_last_nights_plan_nothing_changes(algebra_for_two, rig):
    p = algebra_for_two(20)
    r = one_section(rig, p)
    assert stability_terms(r.model, p, r.v, r.contract) == []
    idle = seniority_terms(r.model, p, r.v)  # no change to weigh: only who is left without a section
    assert len(idle) == 2 and r.optimum(sum(idle)) == 1  # one section: the junior (weight 1) has none


def test_the_change_falls_on_the_junior_teacher(algebra_for_two, rig, previous):
    """Both taught ALG last night and one section is left: the senior teacher keeps it (the junior's weight, 1, is
    paid twice: a change, and left without a section)."""
    for senior, junior in (("H1", "H2"), ("H2", "H1")):
        p = previous(algebra_for_two(20, senior=senior), ("H1", "ALG", 1), ("H2", "ALG", 1))
        r = one_section(rig, p)
        assert r.optimum(sum(seniority_terms(r.model, p, r.v))) == 2
        assert (r.value(r.sections(senior, "ALG")), r.value(r.sections(junior, "ALG"))) == (1, 0)


def _two_grades_of_algebra(school, previous, *last_night: tuple[str, tuple[int, ...], int]):
    """ALG for grades 9 and 10 (20 students each), math teachers H1 and H2 who each taught one ALG section last
    night; `last_night`: (teacher, grades, sections) of the shapes they held (SchoolProblem.previous_shapes)."""
    p = school([teacher(t, "math") for t in ("H1", "H2")], [course("ALG", "math")],
               [demand("ALG", 9, 20), demand("ALG", 10, 20)])
    p = previous(p, ("H1", "ALG", 1), ("H2", "ALG", 1))
    sid = dict(zip(p.shapes.grades, p.shapes.sid))
    shapes = pd.DataFrame([(t, sid[g], n) for t, g, n in last_night], columns=["teacher_id", "sid", "sections"])
    return replace(p, previous_shapes=shapes), sid


def test_continuity_keeps_the_grades_of_each_teachers_sections(school, previous, rig):
    """H1 taught ALG's grade-9 section, H2 its grade-10 one: stability is the same either way (one ALG section each);
    continuity is 0 only where each keeps their grade, 4 for the swap (two sections less, two more)."""
    p, sid = _two_grades_of_algebra(school, previous, ("H1", (9,), 1), ("H2", (10,), 1))
    for h1, h2, cost in (((9,), (10,), 0), ((10,), (9,), 4)):
        r = rig(p)
        link_teaches(r.model, r.v)
        r.model.add(r.v.takes["H1", sid[h1]] == 1)
        r.model.add(r.v.takes["H2", sid[h2]] == 1)
        assert r.optimum(sum(stability_terms(r.model, p, r.v, r.contract))) == 0
        assert r.optimum(sum(continuity_terms(r.model, p, r.v))) == cost


def test_continuity_has_nothing_to_keep_for_a_teacher_without_known_shapes(school, previous, rig):
    """Only H1's shapes are known: H2's sections cost nothing; a previous plan without section_grades.csv (no shape
    known) gives no term at all."""
    p, sid = _two_grades_of_algebra(school, previous, ("H1", (9,), 1))
    r = rig(p)
    assert sorted(str(term) for term in continuity_terms(r.model, p, r.v)) == sorted(
        [f"shape_diff[H1,{sid[9,]}]"] + [f"takes[H1,{s}]" for g, s in sid.items() if g != (9,)])
    assert continuity_terms(r.model, replace(p, previous_shapes=p.previous_shapes.iloc[:0]), r.v) == []
