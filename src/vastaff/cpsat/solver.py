"""Solve one school's model stage by stage (lexicographic), each stage fixing the one before.

Determinism: one CP-SAT worker, a fixed `random_seed`, and a *deterministic* time budget per stage
(`max_deterministic_time`), so the same input, model and seed give the same plan on any machine that
finishes within the budget. A wall-clock cap (3x the budget) only guards against pathological cases;
when it fires the result is FEASIBLE and may differ between runs. Parallelism comes from solving schools
in separate processes, never from workers inside one solve.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pandas as pd
from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.cpsat.model import SchoolModel, build_school_model
from vastaff.sections.problem import SchoolProblem

_STATUS = {cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "FEASIBLE", cp_model.INFEASIBLE: "INFEASIBLE",
           cp_model.MODEL_INVALID: "MODEL_INVALID", cp_model.UNKNOWN: "UNKNOWN"}


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float = 60.0      # deterministic seconds for this school, over all stages
    seed: int = 0
    workers: int = 1
    strict: bool = False
    log: bool = False
    deadline: float | None = None  # wall clock (time.time()) by which the whole district should be done


@dataclass
class StageResult:
    name: str
    status: str
    value: float
    bound: float
    seconds: float


@dataclass
class SchoolSolution:
    """Section counts per shape and teacher, and how each stage ended."""

    school_id: str
    status: str                                # OPTIMAL / FEASIBLE / INFEASIBLE
    takes: pd.DataFrame                        # teacher_id, sid, sections
    opened: pd.DataFrame                       # sid, sections, vacant
    seats: pd.DataFrame                        # sid, grade, students
    stages: list[StageResult] = field(default_factory=list)

    def stage(self, name: str) -> StageResult | None:
        return next((s for s in self.stages if s.name == name), None)


def solve_school(p: SchoolProblem, contract: ContractModel, options: SolveOptions,
                 start: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame] | None = None) -> SchoolSolution:
    """Lexicographic stages in the model file's order, starting from a construction `start` (takes, opened, seats).

    A stage that finds no solution in its time keeps the previous stage's plan (or the construction itself), so a
    school always comes back with a valid plan.
    """
    sm = build_school_model(p, contract, strict=options.strict)
    _hint_counts(sm, start)
    remaining = options.time_limit
    if start is not None:
        remaining -= _complete_hint(sm, options)
    active = [(name, terms) for name, terms in sm.stages.items() if terms]
    results: list[StageResult] = []
    best = start
    solved = False
    for i, (name, terms) in enumerate(active):
        objective = sum(terms)
        sm.model.minimize(objective)
        solver = _solver(options, remaining / (len(active) - i))
        if options.deadline is not None:  # --time-limit is wall time for the district: never far past it
            solver.parameters.max_time_in_seconds = min(solver.parameters.max_time_in_seconds,
                                                        max(options.deadline - time.time(), 1.0))
        floor = known_lower_bound(name, p)
        began = time.perf_counter()
        status = solver.solve(sm.model, _StopAtFloor(floor))
        seconds = time.perf_counter() - began
        remaining = max(remaining - solver.deterministic_time, 0.0)
        if status == cp_model.INFEASIBLE:
            return SchoolSolution(p.school_id, "INFEASIBLE", *_empty(), stages=results)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            results.append(StageResult(name, "UNKNOWN", float("nan"), float("nan"), seconds))
            break  # keep the last plan found
        value = round(solver.objective_value)
        bound = max(solver.best_objective_bound, floor)
        proved = status == cp_model.OPTIMAL or value <= bound
        results.append(StageResult(name, "OPTIMAL" if proved else "FEASIBLE", value, float(bound) if proved else bound, seconds))
        sm.model.add(objective <= value)
        _hint_solution(sm.model, solver)
        best, solved = _extract(sm, solver), True
    if best is None:  # nothing to decide (no demand) and no construction
        solver = _solver(options, options.time_limit)
        if solver.solve(sm.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return SchoolSolution(p.school_id, "INFEASIBLE", *_empty(), stages=results)
        best, solved = _extract(sm, solver), True
    overall = "OPTIMAL" if solved and all(r.status == "OPTIMAL" for r in results) else "FEASIBLE"
    return SchoolSolution(p.school_id, overall, *best, stages=results)


class _StopAtFloor(cp_model.CpSolverSolutionCallback):
    """Stop as soon as a solution reaches a lower bound we know a priori.

    CP-SAT's presolve rewrites these objectives over substituted variables and can lose their trivial
    lower bound (seen: a sum of non-negative vacancies solved to 0 in 0.3 s, then 30 s spent failing to
    prove that nothing below 0 exists). A solution at a valid lower bound is optimal.
    """

    def __init__(self, floor: float):
        super().__init__()
        self.floor = floor

    def on_solution_callback(self) -> None:
        if self.objective_value <= self.floor:
            self.stop_search()


def known_lower_bound(stage: str, p: SchoolProblem) -> int:
    """Every stage's terms are non-negative; vacancies also count the sections of courses nobody may teach."""
    if stage != "vacancies":
        return 0
    staffed = set(p.shapes.course_id[p.shapes.sid.isin(p.eligible.sid)])
    orphans = p.demand[~p.demand.course_id.isin(staffed)].merge(
        p.shapes.groupby("course_id").cap.max().rename("cap"), on="course_id")
    per_course = orphans.groupby("course_id").agg(students=("students", "sum"), cap=("cap", "first"))
    return int((-(-per_course.students // per_course.cap)).sum())


def _solver(options: SolveOptions, budget: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.num_workers = options.workers
    prm.random_seed = options.seed
    prm.max_deterministic_time = max(budget, 0.5)
    prm.max_time_in_seconds = max(3 * budget, 5.0)
    prm.log_search_progress = options.log
    return solver


def _hint_counts(sm: SchoolModel, start) -> None:
    """Hint every count of a construction (e.g. the clerk's greedy fill): staffed, opened, vacant, seats."""
    if start is None:
        return
    takes, opened, seats = start
    given = {(t, s): n for t, s, n in takes[["teacher_id", "sid", "sections"]].itertuples(index=False)}
    v = sm.vars
    for key, var in v.takes.items():
        sm.model.add_hint(var, int(given.get(key, 0)))
    for sid, n, vac in opened[["sid", "sections", "vacant"]].itertuples(index=False):
        if sid in v.opened:
            sm.model.add_hint(v.opened[sid], int(n))
            sm.model.add_hint(v.vacant[sid], int(vac))
    for sid, grade, n in seats[["sid", "grade", "students"]].itertuples(index=False):
        if (sid, grade) in v.seats:
            sm.model.add_hint(v.seats[sid, grade], int(n))


def _complete_hint(sm: SchoolModel, options: SolveOptions) -> float:
    """Complete the construction's hint (auxiliary variables too) with the hinted counts fixed: a quick
    feasibility solve, so that the first stage starts from a full solution instead of searching for one
    (seen at 20,000 teachers: large schools found no solution at all from a partial hint). Returns its time."""
    solver = _solver(options, max(options.time_limit / 10, 1.0))
    solver.parameters.fix_variables_to_their_hinted_value = True
    if solver.solve(sm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        _hint_solution(sm.model, solver)
    return solver.deterministic_time


def _hint_solution(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    """The previous stage's solution as a complete hint for the next stage."""
    model.clear_hints()
    for i in range(len(model.proto.variables)):
        var = model.get_int_var_from_proto_index(i)
        model.add_hint(var, solver.value(var))


def _extract(sm: SchoolModel, solver: cp_model.CpSolver) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    v = sm.vars
    takes = pd.DataFrame([(t, s, solver.value(x)) for (t, s), x in v.takes.items()],
                         columns=["teacher_id", "sid", "sections"])
    opened = pd.DataFrame([(s, solver.value(x), solver.value(v.vacant[s])) for s, x in v.opened.items()],
                          columns=["sid", "sections", "vacant"])
    seats = pd.DataFrame([(s, g, solver.value(x)) for (s, g), x in v.seats.items()],
                         columns=["sid", "grade", "students"])
    return takes[takes.sections > 0].reset_index(drop=True), opened, seats


def _empty() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return (pd.DataFrame(columns=["teacher_id", "sid", "sections"]),
            pd.DataFrame(columns=["sid", "sections", "vacant"]),
            pd.DataFrame(columns=["sid", "grade", "students"]))
