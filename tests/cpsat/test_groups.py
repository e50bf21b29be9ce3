"""cpsat/groups.py: constraint groups switched by one assumption literal each, only when diagnosing."""

from __future__ import annotations

from ortools.sat.python import cp_model

from vastaff.cpsat.groups import Groups
from vastaff.rules import Finding


def two_caps(diagnose: bool) -> tuple[cp_model.CpModel, Groups, cp_model.IntVar]:
    """x <= 3 and x <= 5, both in one A6.1 group about teacher H1."""
    model = cp_model.CpModel()
    groups = Groups(model, diagnose)
    x = model.new_int_var(0, 10, "x")
    for cap in (3, 5):
        groups.enforce(model.add(x <= cap), "A6.1", "teacher H1 semester 1", [("teachers.csv", "H1")])
    model.maximize(x)
    return model, groups, x


def largest_x(model: cp_model.CpModel, x: cp_model.IntVar) -> int:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    return solver.value(x)


def test_outside_diagnosis_constraints_are_plain():
    model, groups, x = two_caps(diagnose=False)
    assert groups.literals == {}
    assert largest_x(model, x) == 3


def test_a_group_has_one_literal_that_switches_all_its_constraints():
    model, groups, x = two_caps(diagnose=True)
    assert list(groups.literals.values()) == [Finding(("A6.1",), "teacher H1 semester 1", (("teachers.csv", "H1"),))]
    assert largest_x(model, x) == 10   # the literal may be false: both caps off together
    groups.assume_all()
    assert largest_x(model, x) == 3
