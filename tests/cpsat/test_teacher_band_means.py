"""cpsat/class_size.py under `band_mean_scope: teacher` (A8.1, 8.0): each teacher's general/ELD sections of a band
average at most the band mean, and the count model stays exact (a roster may average a large and a small section)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.solve.builders import course, demand, teacher
from vastaff.cpsat.class_size import add_band_means, add_section_caps, teacher_seats
from vastaff.rules import Finding


@pytest.fixture
def per_teacher(amend):
    return amend("class_size.band_mean_scope.value", "teacher")


def fewest(rig, p, contract_model, diagnose: bool = False):
    """The fewest sections, every one staffed (a school's vacant sections are a roster of their own)."""
    r = rig(p, contract_model, strict=True, diagnose=diagnose)
    add_section_caps(r.model, p, r.v, r.groups)
    add_band_means(r.model, p, r.v, r.contract, r.groups)
    r.groups.assume_all()
    return r, r.optimum(sum(r.v.opened.values()))


def separate(school, contract_model):
    """H1 teaches only math (ALG, 60 students), H2 only English (ENG, 40): the school's mean allows 2 + 2 sections
    (100 / 4 = 25), but H1's 60 algebra students need 3 sections of their own."""
    return school([teacher("H1", "math"), teacher("H2", "english")], [course("ALG", "math"), course("ENG", "english")],
                  [demand("ALG", 9, 60), demand("ENG", 9, 40)], contract_model=contract_model)


def test_the_teacher_reading_opens_a_section_the_school_reading_does_not(school, rig, contract, per_teacher):
    assert fewest(rig, separate(school, contract), contract)[1] == 4
    r, n = fewest(rig, separate(school, per_teacher), per_teacher)
    assert n == 5 and r.value(r.opened("ALG")) == 3 and r.value(r.opened("ENG")) == 2


def test_a_teachers_roster_may_average_a_large_and_a_small_section(school, rig, per_teacher):
    """Exact, not per course: H1 (math and English) and H2 (math); ALG 53, ENG 20. Three sections hold under the
    teacher reading: H1 takes ALG with 28 and ENG with 20 (mean 24), H2 ALG with 25. Holding each course's sections
    to the mean would need a third algebra section."""
    p = school([teacher("H1", "math;english"), teacher("H2", "math")],
               [course("ALG", "math"), course("ENG", "english")],
               [demand("ALG", 9, 53), demand("ENG", 9, 20)], contract_model=per_teacher)
    r, n = fewest(rig, p, per_teacher)
    assert n == 3


def test_a_roster_above_the_mean_is_named_in_an_explanation(school, rig, per_teacher):
    r, _ = fewest(rig, separate(school, per_teacher), per_teacher, diagnose=True)
    group = Finding(("A8.1",), "teacher H1 band 4-12 semester 1", (("teachers.csv", "H1"),))
    assert group in r.groups.literals.values()


def test_teacher_seats_split_fixed_counts_so_every_roster_keeps_the_mean(school, per_teacher):
    """The even split of ALG's 53 students (27 / 26) breaks H2's roster; `teacher_seats` gives H2 at most 25."""
    p = school([teacher("H1", "math;english"), teacher("H2", "math")],
               [course("ALG", "math"), course("ENG", "english")],
               [demand("ALG", 9, 53), demand("ENG", 9, 20)], contract_model=per_teacher)
    sid = {c: s for s, c in zip(p.shapes.sid, p.shapes.course_id)}
    takes = pd.DataFrame([("H1", sid["ALG"], 1), ("H2", sid["ALG"], 1), ("H1", sid["ENG"], 1)],
                         columns=["teacher_id", "sid", "sections"])
    opened = pd.DataFrame([(sid["ALG"], 2, 0), (sid["ENG"], 1, 0)], columns=["sid", "sections", "vacant"])
    seats = pd.DataFrame([(sid["ALG"], 9, 53), (sid["ENG"], 9, 20)], columns=["sid", "grade", "students"])
    held = teacher_seats(p, per_teacher, takes, opened, seats)
    got = {(t, s): n for t, s, n in held[held.students > 0][["teacher_id", "sid", "students"]].itertuples(index=False)}
    assert got == {("H1", sid["ALG"]): 28, ("H2", sid["ALG"]): 25, ("H1", sid["ENG"]): 20}
    no_room = opened.assign(sections=[1, 1])  # one algebra section for 53 students: above section_max, no split
    assert teacher_seats(p, per_teacher, takes.iloc[[0, 2]], no_room, seats) is None
