"""Rotation periods as a timetable people accept: one school's CP-SAT period model and its staged solve.

SPEC "Rotation periods as a schedule people accept" (4.0 B(3), 6.0 A(1)-(2)). The sections are fixed (the section
model chose them and their teachers); this decides only the academic period of each staffed secondary section.
Hard: each section takes one period (a `year` section the same one in both semesters), A6.1 and A6.2. Then the
measures of `vastaff.sections.timetable_figures`, lexicographically in SPEC's order: doubled periods, singleton
clashes, grade peaks, period changes against the previous plan, the largest live group.

Each stage minimises one measure under the bounds the stages before reached, from the best timetable so far as a
hint, and stops as soon as it reaches the measure's a-priori floor. The first-fit packing (`decode.pack_periods`,
which the section model's per-subject period bound makes always succeed), or it with last night's periods kept, is
the first hint and the fallback: a stage that finds nothing better keeps what it had. Determinism as in
`cpsat.solver`: one worker, a fixed seed, a deterministic budget shared by the stages; a stop of the run (the first
Ctrl-C) keeps the best timetable so far.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd
from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.cpsat.budget import Budget
from vastaff.cpsat.solver import SolveOptions, StageResult, StopAtFloor, cp_solver
from vastaff.cpsat.timetable_locks import PeriodLocks, period_locks
from vastaff.interrupt import stop_requested, stoppable
from vastaff.sections.decode import pack_periods, preferred_period
from vastaff.sections.timetable_figures import (
    MEASURES, PeriodData, PeriodFigures, a6_holds, even_spread, figures_of, floors, live_floor, measures, period_data,
    sharing,
)

DEFAULT_TIME_LIMIT = 10.0
"""Deterministic seconds for one school's timetable, over all stages."""

LIGHT_PRESOLVE = {"max_presolve_iterations": 1, "symmetry_level": 0}
STAGE_ATTEMPTS = {
    "doubled": ((LIGHT_PRESOLVE, 1.0),),
    "singleton_clashes": ((LIGHT_PRESOLVE, 1.0),),
    "grade_peak_excess": (({**LIGHT_PRESOLVE, "linearization_level": 0}, 0.2, 1.0),
                          ({**LIGHT_PRESOLVE, "linearization_level": 1}, 1.0)),
    "max_live_students": (({"max_presolve_iterations": 1}, 1.0),),
}
"""CP-SAT parameters of each period stage, as attempts: each gets its share of what is left of the stage's
deterministic budget (at most its cap, in deterministic seconds) and starts from the best timetable so far; the next
runs only when the one before did not reach or prove its value. Measured on ~100 stage models of the sample and three
ladder districts (one worker; bench/period_params.py, docs/benchmarks.md):

- doubled periods and singleton clashes: one presolve round instead of three and no symmetry detection (presolve
  took 0.2-0.4 s of solves that take tenths of a second; none ended worse). The largest live group keeps the
  symmetry (two of its proofs 15-35 % faster with it).
- grade peaks (maxima with a weak LP relaxation; with the LP, a 400-section school spent 9 s in LP iterations): with
  presolve's symmetry, five schools lost their hint and never reached the floor (0) in 15 s (one stuck at 32).
  Without it and without the LP most schools reach 0 in 0.01-0.5 deterministic seconds; where that attempt stops
  above it (six schools at 1-13, the sample's VA02 at 7) the LP reaches it in 0.04-2. Every school of the three
  districts then ends at 0 (before: 5 of 31 unproven); the sample pays about 2 s. Dropped: a first attempt with the
  symmetry capped at 0.3 s (districts 3-47 % slower: its presolve is wall time the cap does not count); the first
  attempt capped at 0.3 instead of 1 (13-26 % slower).
- the other stages keep the LP: it proves the singleton clashes' bound and the largest live group above its floor.
"""

ATTEMPT_WALL = 0.5
"""An attempt may use at least this share of the stage's wall time: its deterministic share decides where it stops
(repeatable); the wall clock is only the safety net."""


@dataclass
class Timetable:
    """One school's sections with their periods, the figures of that timetable, and how each stage ended."""

    status: str                       # OPTIMAL / FEASIBLE / INFEASIBLE (no timetable at all: periods left blank)
    sections: pd.DataFrame            # the input rows, period_id decided for staffed secondary sections
    figures: PeriodFigures
    first_fit: PeriodFigures | None   # the same figures for the first-fit packing (None when it failed)
    stages: list[StageResult] = field(default_factory=list)

    def stage(self, name: str) -> StageResult | None:
        return next((s for s in self.stages if s.name == name), None)


def solve_timetable(sections: pd.DataFrame, section_grades: pd.DataFrame, courses: pd.DataFrame, period_ids,
                    contract: ContractModel, previous_periods: dict | None = None, seed: int = 0,
                    time_limit: float = DEFAULT_TIME_LIMIT, deadline: float | None = None,
                    stages: tuple[str, ...] = MEASURES, locks: list[dict] = ()) -> Timetable:
    """Periods for one school's sections (SPEC sections.csv rows; vacancies get a blank period, homerooms keep theirs).

    `previous_periods`: (teacher_id, course_id) -> the period, or periods, of last night's sections; `stages`: the
    measures of MEASURES in the order to minimise them; `deadline`: wall clock (time.time()) to be done by; `locks`:
    locks.csv rows (course and period locks) that hold as hard constraints (`cpsat.timetable_locks`).
    """
    data = period_data(sections, section_grades, courses, period_ids, previous_periods)
    if data.meetings.empty or not data.period_ids:
        nothing = figures_of(data, contract)
        return Timetable("OPTIMAL" if data.meetings.empty else "INFEASIBLE", _placed(sections, courses, {}), nothing,
                         nothing)
    rules = period_locks(data, locks)
    start, bounds = starting_timetable(data, contract, stages), floors(data, contract)
    if start is not None and not rules.hold(start):
        start = None  # first-fit breaks a lock: no fallback, the search must find the timetable
    if start is not None and stop_requested():  # a stopped run builds no model: first-fit as it is
        status, periods, results = "FEASIBLE", start, []
    else:
        options = SolveOptions(time_limit=time_limit, seed=seed, deadline=deadline)
        status, periods, results = _staged(build_timetable_model(data, contract, rules), data, bounds, stages, start,
                                           options)
    before = figures_of(data.assigned(start), contract, bounds["doubled"]) if start is not None else None
    return Timetable(status, _placed(sections, courses, periods),
                     figures_of(data.assigned(periods), contract, bounds["doubled"]), before, results)


def first_fit(data: PeriodData, contract: ContractModel) -> dict[str, str] | None:
    """`decode.pack_periods` per teacher, each section preferring its previous period; None if the packing fails."""
    out: dict[str, str] = {}
    for teacher, group in data.sections().groupby("teacher_id", sort=True):
        items = [(sid, subject, str(semester), bool(eld), preferred_period(data.previous.get((teacher, course))))
                 for sid, course, subject, semester, eld
                 in group[["section_id", "course_id", "subject", "semester", "eld"]].itertuples(index=False)]
        try:
            out.update(pack_periods(items, list(data.period_ids), contract))
        except RuntimeError:  # counts beyond the section model's bound: the search alone must find periods
            return None
    return out


def starting_timetable(data: PeriodData, contract: ContractModel, stages: tuple[str, ...]) -> dict[str, str] | None:
    """The first hint and the fallback: first-fit, or it with last night's periods kept where A6.1/A6.2 allow —
    whichever is lexicographically better. Why both: a search rarely finds its way back to last night's periods once
    the earlier stages have settled on another optimum (a 446-section school: 66 changes where 0 were possible)."""
    packed = first_fit(data, contract)
    if packed is None or not data.previous:
        return packed
    kept = keep_previous(data, packed)
    if not a6_holds(data.assigned(kept), contract):
        return packed
    return min((kept, packed), key=lambda periods: [measures(data.assigned(periods))[m] for m in stages])


def keep_previous(data: PeriodData, periods: dict[str, str]) -> dict[str, str]:
    """`periods` with each teacher's sections of a course (in section_id order) in their previous periods of that
    course (in the order given), as many as there were."""
    out = dict(periods)
    for key, sids in data.sections().groupby(["teacher_id", "course_id"], sort=True).section_id.agg(list).items():
        then = [p for p in data.previous.get(key, ()) if p in data.period_ids]
        out.update(zip(sorted(sids), then))
    return out


class PeriodVars:
    """x[section, period]: the section meets in that academic period (one variable set for a `year` section); and the
    auxiliary variables, each with the value the periods imply, so that a hint is complete.

    Why complete: from x alone, CP-SAT's single worker needed up to 10 s to rebuild a 400-section school's hint.
    """

    def __init__(self, model: cp_model.CpModel, section_ids: list[str], period_ids: tuple[str, ...]):
        self.period_ids = period_ids
        self.x = {(s, p): model.new_bool_var(f"x[{s},{p}]") for s in section_ids for p in period_ids}
        self.implied: list[tuple[cp_model.IntVar, Callable[[dict[str, str]], int]]] = []

    def derived(self, var: cp_model.IntVar, value_of: Callable[[dict[str, str]], int]) -> cp_model.IntVar:
        """`var`, whose value in a timetable is `value_of(periods)` (section_id -> period_id)."""
        self.implied.append((var, value_of))
        return var

    def meets(self, section: str, period: str) -> cp_model.IntVar:
        return self.x[section, period]

    def count(self, section_ids, period: str) -> cp_model.LinearExpr:
        """How many of these sections meet in the period."""
        return sum(self.x[s, period] for s in section_ids)

    def hint(self, model: cp_model.CpModel, periods: dict[str, str]) -> None:
        """The timetable `periods` as a complete hint."""
        model.clear_hints()
        for (s, p), var in self.x.items():
            model.add_hint(var, periods[s] == p)
        for var, value_of in self.implied:
            model.add_hint(var, value_of(periods))

    def extract(self, solver: cp_model.CpSolver) -> dict[str, str]:
        return {s: p for (s, p), var in self.x.items() if solver.boolean_value(var)}


def _held(periods: dict[str, str], section_ids, period: str) -> int:
    """How many of these sections a timetable puts in the period."""
    return sum(periods[s] == period for s in section_ids)


@dataclass
class TimetableModel:
    model: cp_model.CpModel
    vars: PeriodVars
    stages: dict[str, cp_model.LinearExpr | int]  # measure name -> its expression (an int: nothing to decide)


def build_timetable_model(data: PeriodData, contract: ContractModel, locks: PeriodLocks | None = None
                          ) -> TimetableModel:
    """The hard rules (and the locks), then one objective expression per measure of MEASURES."""
    model = cp_model.CpModel()
    v = PeriodVars(model, data.sections().section_id.tolist(), data.period_ids)
    _one_period_each(model, data, v)
    for sids, period in (locks.required if locks else ()):
        model.add_bool_or([v.meets(s, period) for s in sids])  # no section: an empty clause, never true
    for sid, period in (locks.forbidden if locks else ()):
        model.add(v.meets(sid, period) == 0)
    stages = {"doubled": _a6_periods(model, data, v, contract), "singleton_clashes": _singleton_clashes(model, data, v),
              "grade_peak_excess": _grade_peaks(model, data, v), "period_changes": _period_changes(model, data, v),
              "max_live_students": _live_groups(model, data, v, contract, live_floor(data, contract))}
    return TimetableModel(model, v, stages)


def _one_period_each(model: cp_model.CpModel, data: PeriodData, v: PeriodVars) -> None:
    """Every timetabled section meets in exactly one academic period (a year section: the same in both semesters)."""
    for section_id in data.sections().section_id:
        model.add_exactly_one(v.meets(section_id, p) for p in data.period_ids)


def _a6_periods(model: cp_model.CpModel, data: PeriodData, v: PeriodVars, contract: ContractModel):
    """A6.1 6.0 A(1), A6.2 6.0 A(2): per teacher, semester and period at most k sections, of one subject, and an ELD
    section alone. Returns the doubled periods: (teacher, semester, period) holding more than one section."""
    k, doubled = contract.max_sections_per_period, []
    for (teacher, term), group in sharing(data, contract).groupby(["teacher_id", "term"], sort=True):
        labels: dict[str, list[str]] = {}
        for sid, label in zip(group.section_id, group.label):
            labels.setdefault(label, []).append(sid)
        held = tuple(group.section_id)
        for p in data.period_ids:
            if len(labels) > 1:
                used = []
                for label, sids in sorted(labels.items()):
                    u = v.derived(model.new_bool_var(f"uses[{teacher},{term},{p},{label}]"),
                                  lambda periods, sids=sids, p=p: _held(periods, sids, p) > 0)
                    for sid in sids:
                        model.add_implication(v.meets(sid, p), u)
                    used.append(u)
                model.add_at_most_one(used)
            if len(held) < 2:
                continue
            if k < 2:
                model.add(v.count(held, p) <= 1)
                continue
            d = v.derived(model.new_bool_var(f"doubled[{teacher},{term},{p}]"),
                          lambda periods, p=p, held=held: _held(periods, held, p) > 1)
            model.add(v.count(held, p) <= 1 + (k - 1) * d)
            doubled.append(d)
    return sum(doubled)


def _singleton_clashes(model: cp_model.CpModel, data: PeriodData, v: PeriodVars):
    """Per semester, grade and period: pairs among the single-section courses of that grade meeting there.

    m sections in a period make m(m−1)/2 pairs, a convex function of m: its tangents at 1..M−1 bound it from below
    and are tight at integers, so a minimised `pairs` equals it.
    """
    terms = []
    for (term, grade), group in data.singletons.groupby(["term", "grade"], sort=True):
        m, sids = len(group), tuple(group.section_id)
        for p in data.period_ids if m > 1 else ():
            meeting = v.count(sids, p)
            pairs = v.derived(model.new_int_var(0, m * (m - 1) // 2, f"clashes[{term},{grade},{p}]"),
                              lambda periods, sids=sids, p=p: math.comb(_held(periods, sids, p), 2))
            for j in range(1, m):
                model.add(pairs >= j * meeting - j * (j + 1) // 2)
            terms.append(pairs)
    return sum(terms)


def _grade_peaks(model: cp_model.CpModel, data: PeriodData, v: PeriodVars):
    """Per semester and grade: the most sections holding it in one period, above ⌈sections / periods⌉."""
    terms = []
    for (term, grade), group in data.grades.groupby(["term", "grade"], sort=True):
        n, low, sids = len(group), even_spread(len(group), data.n_periods), tuple(group.section_id)
        if n == low:
            continue  # a peak of its even spread whatever the timetable
        peak = v.derived(model.new_int_var(low, n, f"peak[{term},{grade}]"),
                         lambda periods, sids=sids: max(_held(periods, sids, p) for p in data.period_ids))
        for p in data.period_ids:
            model.add(peak >= v.count(sids, p))
        terms.append(peak - low)
    return sum(terms)


def _period_changes(model: cp_model.CpModel, data: PeriodData, v: PeriodVars):
    """Sections a teacher keeps in a course that do not keep a previous period of theirs (`--previous`)."""
    mine = data.sections().groupby(["teacher_id", "course_id"], sort=True).section_id.agg(list).to_dict()
    terms = []
    for key, periods in sorted(data.previous.items()):
        sids, then = mine.get(key), Counter(periods)
        if not sids:
            continue
        kept = []
        for p, n in sorted(then.items()):
            if p in data.period_ids:
                k = v.derived(model.new_int_var(0, min(n, len(sids)), f"kept[{key[0]},{key[1]},{p}]"),
                              lambda periods, sids=sids, p=p, n=n: min(n, _held(periods, sids, p)))
                model.add(k <= v.count(sids, p))
                kept.append(k)
        terms.append(min(len(sids), then.total()) - sum(kept))
    return sum(terms)


def _live_groups(model: cp_model.CpModel, data: PeriodData, v: PeriodVars, contract: ContractModel, floor: int):
    """The largest enrollment one teacher meets at once (one semester, one period); at least the largest section.

    Only sections that may share a period (A6.1, A6.2: one subject, never an ELD section) can meet together."""
    groups = [g for _, g in sharing(data, contract).groupby(["teacher_id", "term", "label"], sort=True) if len(g) > 1]
    sizes = [dict(zip(g.section_id, g.enrollment.astype(int))) for g in groups]
    if not sizes:
        return floor
    largest = v.derived(model.new_int_var(floor, max(floor, max(sum(e.values()) for e in sizes)), "max_live"),
                        lambda periods: max([floor] + [sum(n for s, n in e.items() if periods[s] == p)
                                                       for e in sizes for p in data.period_ids]))
    for e in sizes:
        for p in data.period_ids:
            model.add(largest >= sum(n * v.meets(s, p) for s, n in e.items()))
    return largest


def _staged(tm: TimetableModel, data: PeriodData, bounds: dict[str, int], stages: tuple[str, ...],
            start: dict[str, str] | None, options: SolveOptions) -> tuple[str, dict[str, str], list[StageResult]]:
    """Each stage minimises its measure under the bounds of the stages before, stopping at its floor (`bounds`);
    returns the status, the periods and how each stage ended."""
    wall = options.deadline if options.deadline is not None else time.time() + 3 * options.time_limit
    clock = Budget(wall, work=options.time_limit)
    best, values = start, measures(data.assigned(start)) if start is not None else None
    results: list[StageResult] = []
    cut_short = False
    for i, name in enumerate(stages):
        expr = tm.stages[name]
        if best is not None and (values[name] <= bounds[name] or isinstance(expr, int)):
            results.append(StageResult(name, "OPTIMAL", values[name], values[name], 0.0))  # nothing to search
        elif best is not None and stop_requested():
            cut_short = True  # stopped: the stages left keep the best timetable, unsearched
            break
        else:
            found, bound, seconds, work = _search(tm, name, bounds[name], best, options, clock, i == len(stages) - 1)
            if found is not None:
                found_values = measures(data.assigned(found))
                # a tie keeps what we had: the hint, which carries last night's periods where they were kept
                if best is None or [found_values[n] for n in stages[:i + 1]] < [values[n] for n in stages[:i + 1]]:
                    best, values = found, found_values
            if best is None:
                results.append(StageResult(name, "INFEASIBLE", math.nan, bound, seconds, work))
                return "INFEASIBLE", {}, results
            value = values[name]
            results.append(StageResult(name, "OPTIMAL" if value <= bound else "FEASIBLE", value, min(bound, value),
                                       seconds, work))
        if not isinstance(expr, int):
            tm.model.add(expr <= values[name])
    optimal = not cut_short and all(r.status == "OPTIMAL" for r in results)
    return "OPTIMAL" if optimal else "FEASIBLE", best, results


def _search(tm: TimetableModel, name: str, floor: int, best: dict[str, str] | None, options: SolveOptions,
            clock: Budget, last: bool) -> tuple[dict[str, str] | None, float, float, float]:
    """One stage's search from the best timetable so far, in the stage's attempts (`STAGE_ATTEMPTS`): (periods
    found or None, lower bound, seconds, work)."""
    tm.model.minimize(tm.stages[name])
    stage_time = clock.stage(last=last)
    stage_clock = Budget(time.time() + stage_time.wall, work=stage_time.work)
    found, bound, seconds, work = None, float(floor), 0.0, 0.0
    for params, share, *cap in STAGE_ATTEMPTS.get(name, (({}, 1.0),)):
        if found or best:
            tm.vars.hint(tm.model, found or best)
        solver = cp_solver(options, min(stage_clock.work * share, *cap, math.inf),
                           stage_clock.wall_left() * max(share, ATTEMPT_WALL))
        for key, value in params.items():
            setattr(solver.parameters, key, value)
        began = time.perf_counter()
        with stoppable(solver):
            status = solver.solve(tm.model, StopAtFloor(floor))
        seconds, work = seconds + time.perf_counter() - began, work + solver.deterministic_time
        stage_clock.spend(solver.deterministic_time)
        clock.spend(solver.deterministic_time)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = tm.vars.extract(solver)
        if status == cp_model.OPTIMAL or (status == cp_model.FEASIBLE and solver.objective_value <= floor):
            return found, solver.objective_value, seconds, work  # proven, or at the a-priori floor (StopAtFloor)
        if status == cp_model.FEASIBLE:
            bound = max(bound, math.ceil(solver.best_objective_bound - 1e-9))
        if stop_requested() or stage_clock.wall_left() <= 0:
            break
    return found, bound, seconds, work


def _placed(sections: pd.DataFrame, courses: pd.DataFrame, periods: dict[str, str]) -> pd.DataFrame:
    """The input rows with each secondary section's period (blank for a vacancy); homerooms as they were."""
    level = sections.course_id.map(dict(zip(courses.course_id, courses.level)))
    secondary = level.ne("elementary")
    out = sections.copy()
    out["period_id"] = out.period_id.astype(object)
    out.loc[secondary, "period_id"] = out.loc[secondary, "section_id"].map(periods)
    return out
