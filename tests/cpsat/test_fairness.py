"""cpsat/fairness.py: stage `preferences` — as few sections as the caps allow, balanced loads per level, no more
sections in a semester than the periods."""

from __future__ import annotations

from tests.solve.builders import course, demand, teacher
from vastaff.cpsat.class_size import add_section_caps
from vastaff.cpsat.fairness import class_size_terms, forced_double_terms, load_spread_terms


def test_section_count_weighs_each_open_section(school, rig, amend):
    """40 students, section_max 35: 2 sections at weight 2 = 4; weight 5 = 10."""
    p = school([teacher("H1", "math")], [course("ALG", "math")], [demand("ALG", 9, 40)])
    for weight, cost in ((2, 4), (5, 10)):
        r = rig(p, amend("objective.weights.section_count", weight))
        add_section_caps(r.model, p, r.v, r.groups)
        assert r.optimum(sum(class_size_terms(r.model, p, r.v, r.contract))) == cost


def test_even_class_sizes_open_a_section_that_brings_a_course_to_its_band_mean(school, rig, amend):
    """60 grade-9 students, section_max 35, A8.1 mean 25: fewest_sections opens 2 (of 30: weight 2 x 2 = 4); even
    opens 3 (of 20: 6), since 2 sections seat 10 students above 2 x 25 (2 x 2 + 10 = 14 > 6)."""
    p = school([teacher("H1", "math"), teacher("H2", "math")], [course("ALG", "math")], [demand("ALG", 9, 60)])
    for choice, sections, cost in (("fewest_sections", 2, 4), ("even", 3, 6)):
        r = rig(p, amend("objective.class_sizes", choice))
        add_section_caps(r.model, p, r.v, r.groups)
        assert r.optimum(sum(class_size_terms(r.model, p, r.v, r.contract))) == cost
        r.model.add(sum(class_size_terms(r.model, p, r.v, r.contract)) <= cost)
        assert r.optimum(sum(r.v.opened.values())) == sections


def spread(rig, p, sections: int, contract_model=None) -> int:
    """Least load spread when `sections` sections of ALG are all taken."""
    r = rig(p, contract_model)
    r.model.add(r.all_takes() == sections)
    return r.optimum(sum(load_spread_terms(r.model, p, r.v, r.contract)))


def test_sections_are_shared_as_evenly_as_possible(algebra_for_two, rig, amend):
    """3 sections for 2 teachers: 2 and 1 (spread 1); 4 sections: 2 and 2 (0); weight 3: 3."""
    assert spread(rig, algebra_for_two(75), 3) == 1
    assert spread(rig, algebra_for_two(100), 4) == 0
    assert spread(rig, algebra_for_two(75), 3, amend("objective.weights.load_spread", 3)) == 3


def test_a_year_section_is_load_in_both_semesters(algebra_for_two, rig):
    """3 year sections: loads 4 and 2 section-semesters, spread 2."""
    assert spread(rig, algebra_for_two(75, semester="year"), 3) == 2


def test_only_teachers_who_can_teach_are_compared(school, rig):
    """An English teacher with no English course is not a load of 0; a lone math teacher has nobody to compare with."""
    p = school([teacher("H1", "math"), teacher("H2", "math"), teacher("H3", "english")],
               [course("ALG", "math")], [demand("ALG", 9, 100)])
    assert spread(rig, p, 4) == 0
    alone = school([teacher("H1", "math")], [course("ALG", "math")], [demand("ALG", 9, 100)])
    r = rig(alone)
    assert load_spread_terms(r.model, alone, r.v, r.contract) == []


def forced(rig, p, h1_sections: int | None = None, contract_model=None) -> int:
    """Least weight of forced doubles when every ALG section is taken (H1 taking `h1_sections` of them, if given)."""
    r = rig(p, contract_model)
    if h1_sections is not None:
        r.model.add(r.sections("H1", "ALG") == h1_sections)
    r.model.add(r.all_takes() == sum(r.v.opened.values()))
    return r.optimum(sum(forced_double_terms(r.model, p, r.v, r.contract)))


def test_a_section_beyond_a_semesters_periods_weighs_a_forced_double(algebra_for_two, rig, amend):
    """140 students: 4 sections of at most 35 in a school of 3 periods: 2 and 2 force nothing; H1 taking all 4 meets 4
    sections in 3 periods (one doubled: weight 4); weight 7: 7; a year course doubles in both semesters (8)."""
    assert forced(rig, algebra_for_two(140)) == 0
    assert forced(rig, algebra_for_two(140), 4) == 4
    assert forced(rig, algebra_for_two(140), 4, amend("objective.weights.forced_double", 7)) == 7
    assert forced(rig, algebra_for_two(140, semester="year"), 4) == 8


def test_the_preferences_stage_spreads_a_teachers_sections_over_both_semesters(school, full_model, amend):
    """H1 and H2 teach ALG1 (semester 1) and ALG2 (semester 2), 4 sections each, in 3 periods. Without the forced
    doubles H1 taking all of ALG1 and H2 all of ALG2 balances the year's loads as well as 2 + 2 each does; with the
    other preference weights 0, the stage weighs H1's 4 semester-1 sections alone: one forced double (4)."""
    p = school([teacher("H1", "math"), teacher("H2", "math")],
               [course("ALG1", "math", semester="1"), course("ALG2", "math", semester="2")],
               [demand("ALG1", 9, 140), demand("ALG2", 9, 140)])
    quiet = amend("objective.weights.section_count", 0, "objective.weights.load_spread", 0,
                  "objective.weights.class_over_mean", 0)
    for h1_alg1, weight in ((None, 0), (4, 4)):
        r = full_model(p, quiet)
        if h1_alg1 is not None:
            r.model.add(r.sections("H1", "ALG1") == h1_alg1)
        assert r.optimum(sum(r.stages["vacancies"])) == 0
        r.model.add(sum(r.stages["vacancies"]) == 0)
        assert r.optimum(sum(r.stages["preferences"])) == weight


def test_no_forced_double_terms_at_weight_zero(algebra_for_two, rig, amend):
    p = algebra_for_two(140)
    r = rig(p, amend("objective.weights.forced_double", 0))
    assert forced_double_terms(r.model, p, r.v, r.contract) == []
