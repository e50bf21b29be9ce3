"""cpsat/homerooms.py: STRUCTURE (plan formats) — at most one homeroom per elementary classroom teacher."""

from __future__ import annotations

from vastaff.cpsat.homerooms import add_one_homeroom
from vastaff.rules import Finding


def staffed_homerooms(rig, p, *, rule: bool = True) -> int:
    r = rig(p)
    if rule:
        add_one_homeroom(r.model, p, r.v, r.groups)
    return r.optimum(r.all_takes(), maximize=True)


def test_one_teacher_takes_one_homeroom(two_homerooms, rig):
    """Two homerooms, one teacher: 1 staffed (2 without the rule); two teachers staff both."""
    assert staffed_homerooms(rig, two_homerooms("E1")) == 1
    assert staffed_homerooms(rig, two_homerooms("E1"), rule=False) == 2
    assert staffed_homerooms(rig, two_homerooms("E1", "E2")) == 2


def test_the_homeroom_group_names_the_teacher(two_homerooms, rig):
    """Diagnosis: one group per teacher, so an explanation can say which teacher's homerooms are in conflict."""
    p = two_homerooms("E1")
    r = rig(p, diagnose=True)
    add_one_homeroom(r.model, p, r.v, r.groups)
    homerooms = [g for g in r.groups.literals.values() if g.rule == "STRUCTURE"]
    assert homerooms == [Finding(("STRUCTURE",), "teacher E1", (("teachers.csv", "E1"),))]
