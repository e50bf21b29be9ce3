"""A school's incumbent (`cpsat.solver`): a complete solution of its model with every stage's value — a construction
completed (the clerk's fill, or last night's plan), or a stage search's answer — and what replaces it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
from ortools.sat.python import cp_model

from vastaff.cpsat.budget import Budget
from vastaff.cpsat.model import SchoolModel
from vastaff.cpsat.search_tools import cp_solver, set_hint
from vastaff.cpsat.ties import expression_range
from vastaff.interrupt import stoppable
from vastaff.sections.last_night import Counts
from vastaff.sections.problem import SchoolProblem

if TYPE_CHECKING:
    from vastaff.cpsat.solver import SolveOptions


@dataclass(frozen=True)
class Incumbent:
    """A complete solution of the model: every stage's value, and its section counts."""

    stage_values: dict[str, int]
    plan: Counts
    kept: bool = False  # last night's plan: a stage's search replaces it only when strictly better


def key(incumbent: Incumbent, group) -> tuple[int, ...]:
    """The incumbent's values of a group of stages, in order."""
    return tuple(incumbent.stage_values[name] for name, _ in group)


def better(found: Incumbent, incumbent: Incumbent, group) -> bool:
    """Whether a search's solution replaces the incumbent: at least as good on the group's stages, and strictly
    better where the incumbent is last night's plan (a tie keeps everybody where they were)."""
    if incumbent.kept:
        return key(found, group) < key(incumbent, group)
    return key(found, group) <= key(incumbent, group)


def first_incumbent(sm: SchoolModel, p: SchoolProblem, start: Counts | None, options: SolveOptions,
                    clock: Budget) -> Incumbent | None:
    """Last night's plan where it still holds (`SchoolProblem.last_night`), else last night's sections per teacher
    and shape with tonight's students around them (`repaired`), both kept on ties; else the construction's (`start`,
    the clerk's fill); else None."""
    if p.last_night is not None:
        kept = completed(sm, p.last_night, options, clock, kept=True)
        if kept is not None:
            return kept
    if not p.previous_shapes.empty:
        kept = repaired(sm, p, options, clock)
        if kept is not None:
            return kept
    return completed(sm, start, options, clock) if start is not None else None


REPAIRED_AT_BEST = ("vacancies", "money", "stability", "continuity")
"""The stages `repaired` completes at their best, vacancies first (one exact sum, `ties`: W · vacancies + the rest);
the later stages' terms depend on the sections opened, and are searched anyway."""


def repaired(sm: SchoolModel, p: SchoolProblem, options: SolveOptions, clock: Budget) -> Incumbent | None:
    """Last night's sections per teacher and shape fixed (`SchoolProblem.previous_shapes`; a teacher new tonight
    takes none), tonight's students seated around them, sections opened and left vacant as needed, the stages of
    `REPAIRED_AT_BEST` at their best: where a night changed a few demand rows, a plan that moves no teacher. Where
    that leaves sections vacant (a teacher gone, more students), the teachers of those courses are free to take them
    in a second completion, everyone else fixed: the plan a clerk would make — the gone teacher's sections to
    colleagues — and so the vacancy and money stages need no search where it reaches their floors (a 649-teacher
    school, one teacher gone: its cold searches took 34 s to give the same values). None where neither completes
    (e.g. a shape last night held is gone and its teacher must take another)."""
    given = {(t, s): int(n) for t, s, n in p.previous_shapes.itertuples(index=False)}
    fixed = _completed_around(sm, given, set(), options, clock)
    if fixed is None or not fixed.stage_values.get("vacancies"):
        return fixed
    opened = fixed.plan[1]
    course_of = dict(zip(p.shapes.sid, p.shapes.course_id))
    gaps = {course_of[s] for s, vacant in zip(opened.sid, opened.vacant) if vacant > 0}
    if not gaps:  # the vacancies are IEP cover (A7.1), not sections
        return fixed
    free = {pair for pair in sm.vars.takes if course_of[pair[1]] in gaps}
    staffed = _completed_around(sm, given, free, options, clock)
    return staffed if staffed is not None and _at_best(staffed) < _at_best(fixed) else fixed


def _at_best(incumbent: Incumbent) -> tuple[int, ...]:
    """The incumbent's values of `REPAIRED_AT_BEST`, in order: how two repairs compare."""
    return tuple(incumbent.stage_values[name] for name in REPAIRED_AT_BEST)


def _completed_around(sm: SchoolModel, given: dict, free: set, options: SolveOptions,
                      clock: Budget) -> Incumbent | None:
    """Every teacher's sections per shape as `given` (0 where not given), but the pairs in `free`, completed with the
    stages of `REPAIRED_AT_BEST` at their best; kept on ties."""
    at_best = [name for name in REPAIRED_AT_BEST if sm.stages.get(name)]
    rest = sum(sum(sm.stages[name]) for name in at_best if name != "vacancies")
    low, high = expression_range(sm.model, rest) if at_best != ["vacancies"] else (0, 0)
    weight = high - low + 1 if "vacancies" in at_best else 0
    set_hint(sm.model, [(var, given.get(pair, 0)) for pair, var in sm.vars.takes.items() if pair not in free])
    sm.model.minimize(weight * sum(sm.stages.get("vacancies", [])) + rest)
    solver = _solved_with_hints_fixed(sm, options, clock)
    return Incumbent(stage_values(sm, solver), extract(sm, solver), kept=True) if solver is not None else None


def completed(sm: SchoolModel, start: Counts, options: SolveOptions, clock: Budget,
              kept: bool = False) -> Incumbent | None:
    """The construction's counts completed to every variable of the model: a feasibility solve with the counts fixed
    (their hint values). None if they cannot be completed (the construction is then kept only as a last resort).
    Last night's plan (`kept`) is completed at its best: its stage values are what a search must beat, and a
    completion may leave a stage's auxiliary variables above what its counts give (a matrix stage of 4,640 where the
    same counts give 0)."""
    hint_counts(sm, start)
    if kept:
        sm.model.minimize(sum(sum(terms) for terms in sm.stages.values() if terms))
    solver = _solved_with_hints_fixed(sm, options, clock)
    return Incumbent(stage_values(sm, solver), start, kept) if solver is not None else None


def _solved_with_hints_fixed(sm: SchoolModel, options: SolveOptions, clock: Budget) -> cp_model.CpSolver | None:
    """The model solved with its hinted variables fixed (a tenth of the school's time), under the objective set, if
    any; the hints and that objective cleared after. None when it found no solution."""
    solver = cp_solver(options, max(options.time_limit / 10, 1.0), clock.wall_left() / 10)
    solver.parameters.fix_variables_to_their_hinted_value = True
    with stoppable(solver):
        status = solver.solve(sm.model)
    clock.spend(solver.deterministic_time)
    sm.model.clear_hints()
    sm.model.clear_objective()
    return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def from_solver(sm: SchoolModel, solver: cp_model.CpSolver) -> Incumbent:
    """The solver's solution as an incumbent."""
    return Incumbent(stage_values(sm, solver), extract(sm, solver))


def stage_values(sm: SchoolModel, solver: cp_model.CpSolver) -> dict[str, int]:
    return {name: round(solver.value(sum(terms))) for name, terms in sm.stages.items()}


def hint_counts(sm: SchoolModel, start) -> None:
    """Hint every count of a construction (e.g. the clerk's greedy fill): staffed, opened, vacant, seats."""
    if start is None:
        return
    takes, opened, seats = start
    given = {(t, s): n for t, s, n in takes[["teacher_id", "sid", "sections"]].itertuples(index=False)}
    v = sm.vars
    hints = [(var, given.get(key, 0)) for key, var in v.takes.items()]
    for sid, n, vac in opened[["sid", "sections", "vacant"]].itertuples(index=False):
        if sid in v.opened:
            hints += [(v.opened[sid], n), (v.vacant[sid], vac)]
    hints += [(v.seats[sid, grade], n) for sid, grade, n in seats[["sid", "grade", "students"]].itertuples(index=False)
              if (sid, grade) in v.seats]
    set_hint(sm.model, hints)


def extract(sm: SchoolModel, solver: cp_model.CpSolver) -> Counts:
    """The counts of the solver's solution: takes (staffed pairs only), opened, seats."""
    v = sm.vars
    takes = pd.DataFrame([(t, s, solver.value(x)) for (t, s), x in v.takes.items()],
                         columns=["teacher_id", "sid", "sections"])
    opened = pd.DataFrame([(s, solver.value(x), solver.value(v.vacant[s])) for s, x in v.opened.items()],
                          columns=["sid", "sections", "vacant"])
    seats = pd.DataFrame([(s, g, solver.value(x)) for (s, g), x in v.seats.items()],
                         columns=["sid", "grade", "students"])
    return takes[takes.sections > 0].reset_index(drop=True), opened, seats


def no_counts() -> Counts:
    """No sections: the counts of an infeasible school."""
    return (pd.DataFrame(columns=["teacher_id", "sid", "sections"]),
            pd.DataFrame(columns=["sid", "sections", "vacant"]),
            pd.DataFrame(columns=["sid", "grade", "students"]))
