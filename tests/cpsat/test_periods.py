"""cpsat/periods.py: A6.1 (6.0 A(1)) two sections per period, of one subject; A6.2 (6.0 A(2)) ELD alone."""

from __future__ import annotations

from tests.solve.builders import course, demand, teacher
from vastaff.cpsat.periods import add_period_capacity


def most_sections(rig, p, contract_model=None) -> int:
    r = rig(p, contract_model)
    add_period_capacity(r.model, p, r.v, r.contract, r.groups)
    return r.optimum(r.all_takes(), maximize=True)


def test_two_sections_per_period(three_math_courses, rig, amend):
    """A6.1: one period holds 2 of the 3 math sections; with 3 per period, all of them."""
    p = three_math_courses(periods=1)
    assert most_sections(rig, p) == 2
    assert most_sections(rig, p, amend("periods.max_sections_per_period.value", 3)) == 3


def test_two_subjects_do_not_share_a_period(school, rig):
    """A6.1: a math and an English section need a period each: 1 of them in one period, both in two."""
    for periods, most in ((1, 1), (2, 2)):
        p = school([teacher("H1", "math;english")], [course("MA1", "math"), course("EN1", "english")],
                   [demand("MA1", 9, 10), demand("EN1", 9, 10)], periods)
        assert most_sections(rig, p) == most


def test_eld_section_is_alone_in_its_period(school, rig, amend):
    """A6.2: two periods, ELD and three English sections: ELD takes a period alone, so 3 are staffed; without
    eld_alone_in_period ELD pairs with English and all 4 are."""
    courses = [course("ELD1", "english", "eld", program="eld")] + [course(f"EN{g}", "english") for g in (9, 10, 11)]
    demands = [demand("ELD1", 9, 10)] + [demand(f"EN{g}", g, 20) for g in (9, 10, 11)]
    p = school([teacher("H2", "english;eld")], courses, demands, periods=2)
    assert most_sections(rig, p) == 3
    assert most_sections(rig, p, amend("periods.eld_alone_in_period.value", False)) == 4
