"""cpsat/class_size.py: A8.1 section_max and band means, A8.2 program maxima, A8.5 multi-grade cost (8.0)."""

from __future__ import annotations

from tests.solve.builders import course, demand, teacher
from vastaff.cpsat.class_size import add_band_means, add_section_caps, multigrade_terms
from vastaff.rules import Finding


def fewest_sections(rig, p, contract_model=None, *, means: bool = False, diagnose: bool = False):
    r = rig(p, contract_model, diagnose=diagnose)
    add_section_caps(r.model, p, r.v, r.groups)
    if means:
        add_band_means(r.model, p, r.v, r.contract, r.groups)
    r.groups.assume_all()
    return r, r.optimum(sum(r.v.opened.values()))


def algebra(school, students: int, contract_model=None):
    return school([teacher("H1", "math")], [course("ALG", "math")], [demand("ALG", 9, students)],
                  contract_model=contract_model)


def test_section_max_splits_a_course(school, rig, amend):
    """A8.1 section_max 35: 40 students need 2 sections; with section_max 40, one."""
    assert fewest_sections(rig, algebra(school, 40))[1] == 2
    wider = amend("class_size.section_max.value", 40)
    assert fewest_sections(rig, algebra(school, 40, wider), wider)[1] == 1


def test_program_max_splits_special_education(school, rig, amend):
    """A8.2: 20 special-education students, program max 15 -> 2 sections (group A8.2); with a max of 20, one."""
    def sped(contract_model=None):
        return school([teacher("S1", "special_education", department="special_education")],
                      [course("SPED", "special_education", program="special_education")],
                      [demand("SPED", 9, 20)], contract_model=contract_model)
    r, fewest = fewest_sections(rig, sped(), diagnose=True)
    assert fewest == 2
    assert Finding(("A8.2",), "course SPED", (("courses.csv", "SPED"),)) in r.groups.literals.values()
    wider = amend("class_size.program_max.value.special_education", 20)
    assert fewest_sections(rig, sped(wider), wider)[1] == 1


def test_band_mean_forces_a_third_section(school, rig, amend):
    """A8.1 means: 60 grade-9 students fit 2 sections of 30 under section_max, but the 4-12 mean of 25 needs 3;
    with a mean of 30, 2 again."""
    assert fewest_sections(rig, algebra(school, 60))[1] == 2
    assert fewest_sections(rig, algebra(school, 60), means=True)[1] == 3
    wider = amend("class_size.band_mean_max.value.4-12", 30)
    assert fewest_sections(rig, algebra(school, 60, wider), wider, means=True)[1] == 2


def _lab(school, rig, contract_model=None, semester: str = "1", most: int = 2):
    """Grades 9, 10, 11 (5 students each), every section staffed and at most `most` of them: with 2, one section
    spans two grades (never three: A8.4 leaves no such shape)."""
    p = school([teacher("H1", "math")], [course("LAB", "math", semester=semester)],
               [demand("LAB", g, 5) for g in (9, 10, 11)], contract_model=contract_model)
    r = rig(p, contract_model, strict=True)
    add_section_caps(r.model, p, r.v, r.groups)
    r.model.add(r.opened("LAB") <= most)
    return r.optimum(sum(multigrade_terms(p, r.v, r.contract)))


def test_multigrade_section_costs_its_differential_per_semester(school, rig, amend):
    """A8.5 (8.0(3)), in cents: $600 for a semester section, twice for a year section, the model file's number."""
    assert _lab(school, rig) == 60_000
    assert _lab(school, rig, semester="year") == 120_000
    cheaper = amend("class_size.multigrade_cost.value", 250)
    assert _lab(school, rig, cheaper) == 25_000
    assert _lab(school, rig, most=3) == 0
