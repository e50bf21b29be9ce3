"""A school whose search finds nothing in time keeps the clerk's construction: never an empty plan."""

from __future__ import annotations

from ortools.sat.python import cp_model

from tests.solve.builders import course, demand, secondary, teacher
from vastaff import load_contract, load_district
from vastaff.cpsat import solver as solver_module
from vastaff.cpsat.solver import SolveOptions, solve_school
from vastaff.greedy import greedy_school
from vastaff.sections.problem import school_problems


class _NeverFinds(cp_model.CpSolver):
    def solve(self, model, callback=None):
        """Runs out of time at once (an empty model gives the response its statistics come from)."""
        super().solve(cp_model.CpModel())
        return cp_model.UNKNOWN


def test_stage_without_solution_keeps_the_construction(tmp_path, monkeypatch):
    data = secondary(tmp_path / "d", [teacher("H1", "math"), teacher("H2", "math")], [course("ALG", "math")],
                     [demand("ALG", 9, 60)])
    contract = load_contract()
    p = school_problems(load_district(data, contract), contract)[0]
    start = greedy_school(p, contract)
    monkeypatch.setattr(solver_module, "_solver", lambda options, budget: _NeverFinds())
    result = solve_school(p, contract, SolveOptions(time_limit=1), start)
    assert result.status == "FEASIBLE"
    assert result.takes.equals(start[0]) and result.opened.equals(start[1])
    assert [s.status for s in result.stages] == ["UNKNOWN"]
