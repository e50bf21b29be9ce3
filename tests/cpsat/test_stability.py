"""cpsat/stability.py: changes against last night's plan (stage `stability`) and seniority tie-breaks."""

from __future__ import annotations

from vastaff.cpsat.courses import link_teaches
from vastaff.cpsat.stability import seniority_terms, stability_terms


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
    assert seniority_terms(r.model, p, r.v) == []


def test_the_change_falls_on_the_junior_teacher(algebra_for_two, rig, previous):
    """Both taught ALG last night and one section is left: the senior teacher keeps it (the junior's weight, 1,
    is paid)."""
    for senior, junior in (("H1", "H2"), ("H2", "H1")):
        p = previous(algebra_for_two(20, senior=senior), ("H1", "ALG", 1), ("H2", "ALG", 1))
        r = one_section(rig, p)
        assert r.optimum(sum(seniority_terms(r.model, p, r.v))) == 1
        assert (r.value(r.sections(senior, "ALG")), r.value(r.sections(junior, "ALG"))) == (1, 0)
