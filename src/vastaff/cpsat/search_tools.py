"""CP-SAT plumbing every search of vastaff shares: the solver with the run's settings, a hint written in one go, and
the callback that stops a search at a floor known a priori."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

if TYPE_CHECKING:
    from vastaff.cpsat.solver import SolveOptions

LIGHT_PRESOLVE = {"max_presolve_iterations": 1, "symmetry_level": 0}
"""One presolve round and no symmetry detection: on models that a search settles in a few hundredths of a second, a
full presolve costs more than it saves (the period stages, the section model's preference and matrix stages)."""


class StopAtFloor(cp_model.CpSolverSolutionCallback):
    """Stop as soon as a solution reaches a lower bound we know a priori — of the objective, or of `first` (the first
    stage of a combined objective) when it is given.

    CP-SAT's presolve rewrites these objectives over substituted variables and can lose their trivial
    lower bound (seen: a sum of non-negative vacancies solved to 0 in 0.3 s, then 30 s spent failing to
    prove that nothing below 0 exists). A solution at a valid lower bound is optimal.
    """

    def __init__(self, floor: float, first=None, first_floor: float = 0):
        super().__init__()
        self.floor, self.first, self.first_floor = floor, first, first_floor

    def on_solution_callback(self) -> None:
        if self.objective_value <= self.floor or (self.first is not None
                                                  and self.value(self.first) <= self.first_floor):
            self.stop_search()


def set_hint(model: cp_model.CpModel, hints: Iterable[tuple[cp_model.IntVar, int]]) -> None:
    """Replace the model's hint with these (variable, value) pairs, written into the proto in one go: `add_hint`
    costs ~16 µs a call, 0.5 s for the 30,000 variables of a 500-section school's timetable."""
    model.clear_hints()
    pairs = list(hints)
    model.Proto().solution_hint.vars.extend([var.index for var, _ in pairs])
    model.Proto().solution_hint.values.extend([int(value) for _, value in pairs])


def cp_solver(options: SolveOptions, budget: float, wall: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.num_workers = options.workers
    prm.random_seed = options.seed
    prm.max_deterministic_time = max(budget, 0.5)
    prm.max_time_in_seconds = max(wall, 1.0)
    prm.log_search_progress = options.log
    prm.catch_sigint_signal = False  # Ctrl-C is the run's to handle (vastaff.interrupt), not one solve's to swallow
    return solver
