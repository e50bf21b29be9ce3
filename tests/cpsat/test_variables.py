"""cpsat/variables.py: variables exist only for CRED-eligible pairs, with the bounds the problem allows."""

from __future__ import annotations

from tests.solve.builders import course, demand, teacher


def bounds(r, var) -> tuple[int, int]:
    domain = list(r.model.proto.variables[var.index].domain)
    return domain[0], domain[-1]


def test_takes_and_teaches_exist_only_for_credentialed_pairs(school, rig):
    """CRED (9.0(1)) by pruning: the math teacher gets no variable for English, the English teacher none for math."""
    p = school([teacher("H1", "math"), teacher("H2", "english")],
               [course("ALG", "math"), course("EN9", "english")], [demand("ALG", 9, 30), demand("EN9", 9, 20)])
    v = rig(p, demand=False).v
    assert v.shapes_of_course == {"ALG": [0], "EN9": [1]}
    assert sorted(v.takes) == [("H1", 0), ("H2", 1)]
    assert sorted(v.teaches) == [("H1", "ALG"), ("H2", "EN9")]
    assert v.courses_of("H1") == [("ALG", v.teaches["H1", "ALG"])]
    assert v.courses_of("nobody") == []


def test_bounds_come_from_the_shape_and_the_periods(school, rig):
    """60 grade-9 students, band mean 25: at most 3 sections; one period holds 2 of them (A6.1), three periods all 3."""
    for periods, takes_max in ((1, 2), (3, 3)):
        p = school([teacher("H1", "math")], [course("ALG", "math")], [demand("ALG", 9, 60)], periods)
        r = rig(p, demand=False)
        assert bounds(r, r.v.opened[0]) == (0, 3)
        assert bounds(r, r.v.vacant[0]) == (0, 3)
        assert bounds(r, r.v.seats[0, 9]) == (0, 60)
        assert bounds(r, r.v.takes["H1", 0]) == (0, takes_max)


def test_an_elementary_teacher_takes_at_most_one_section_of_a_shape(school, rig):
    """40 grade-1 students (K-3 mean 22): 2 sections may open, but a homeroom teacher takes one."""
    p = school([teacher("E1", "multiple_subject", level="elementary", grade_min="K", grade_max="5")],
               [course("EL-1", "elementary", "multiple_subject", level="elementary", semester="year")],
               [demand("EL-1", 1, 40)])
    r = rig(p, demand=False)
    assert bounds(r, r.v.opened[0]) == (0, 2)
    assert bounds(r, r.v.takes["E1", 0]) == (0, 1)


def test_sections_of_a_course_span_all_its_shapes(school, rig):
    """LAB grades 10 and 11 (30 each): shapes (10), (11) with 2 sections each and (10, 11) with 3 — 7 in all."""
    p = school([teacher("H1", "math")], [course("LAB", "math")], [demand("LAB", 10, 30), demand("LAB", 11, 30)])
    r = rig(p, demand=False)
    assert p.shapes.grades.tolist() == [(10,), (11,), (10, 11)]
    assert r.optimum(r.sections("H1", "LAB"), maximize=True) == 7
