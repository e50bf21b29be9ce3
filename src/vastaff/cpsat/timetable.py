"""Rotation periods as a timetable people accept: one school's CP-SAT period model and its staged solve.

docs/contract.md, "The timetable" (4.0 B(3), 6.0 A(1)-(2)). The sections are fixed (the section
model chose them and their teachers); this decides only the academic period of each staffed secondary section.
Hard: each section takes one period (a `year` section the same one in both semesters), A6.1 and A6.2. Then the
measures of `vastaff.sections.timetable_figures`, lexicographically in the documented order: doubled periods, singleton
clashes, grade peaks, period changes against the previous plan, the largest live group.

Each stage minimises one measure under the bounds the stages before reached, from the best timetable so far as a
hint, and stops as soon as it reaches the measure's a-priori floor. The best of the spread timetable
(`sections.spread`: a construction and local moves, no solver) and the first-fit packing (`decode.pack_periods`, which
the section model's per-subject period bound makes always succeed), each also with last night's periods kept, is the
first hint and the fallback: a stage that finds nothing better keeps what it had, and a stage the start already holds
at its floor needs no search — when all do, no model is built. Determinism as in
`cpsat.solver`: one worker, a fixed seed, a deterministic budget shared by the stages; a stop of the run (the first
Ctrl-C) keeps the best timetable so far.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd
from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.cpsat.budget import Budget
from vastaff.cpsat.search_tools import LIGHT_PRESOLVE, StopAtFloor, cp_solver
from vastaff.cpsat.solver import SolveOptions, StageResult
from vastaff.cpsat.timetable_locks import PeriodLocks, period_locks
from vastaff.cpsat.timetable_around import around
from vastaff.cpsat.timetable_model import TimetableModel, build_timetable_model
from vastaff.interrupt import stop_requested, stoppable
from vastaff.sections.decode import first_fit
from vastaff.sections.own_periods import keep_own_periods
from vastaff.sections.spread import polish, spread_periods
from vastaff.sections.timetable_figures import (
    LIVE_ABOVE, MEASURES, PeriodData, PeriodFigures, a6_holds, figures_of, floor_of, floors, measures, period_data,
)

DEFAULT_TIME_LIMIT = 10.0
"""Deterministic seconds for one school's timetable, over all stages."""


@dataclass(frozen=True)
class Attempt:
    """One CP-SAT search within a period stage: its parameters, its share of what is left of the stage's deterministic
    budget, at most `cap` deterministic seconds; `guided`: it minimises the measure's guide (`TimetableModel.guides`,
    0 exactly when the measure is 0) and runs only when the stage's floor is 0; `around`: only the sections of the
    teachers holding a crowded grade may move (`cpsat.timetable_around`), from the best timetable so far — it settles
    the stage only by reaching the floor, and bounds nothing."""

    params: dict
    share: float = 1.0
    cap: float = math.inf
    guided: bool = False
    around: bool = False


GUIDE_CAP = 0.1
"""Deterministic seconds the grade-peak stage's guided attempt gets at most (`STAGE_ATTEMPTS`). Where the guide reaches
0 it does so within hundredths; where it stalls, the LP attempt after it settles the stage. Over the 119 school
timetables of the tight ladder (60-300 teachers, seeds 1-6; 300 also seed 301), a standard 300, the sample
and two 1,000-teacher districts (`bench/timetable_stages.py --variants committed guide-0.3`): the stage's
deterministic seconds 0.65 -> 0.44 from the spread start (tight 300 seed 4's VA01 0.56 -> 0.34, 0.86 -> 0.50 s of
wall time: the guide stalled at an excess of 1 for its whole 0.3, then the LP proved 0 in 0.19 s) and 1.03 -> 0.79
from first-fit on 84 of them, every timetable the same; a cap of 0.05 changed one. The 18 schools of a tight
5,000-teacher district search no period stage at all (the spread reaches every floor); 20,000 not measured. (Measured
before the search around the start, `AROUND_CAP`, which now settles such stalls first.)"""

AROUND_CAP = 0.1
"""Deterministic seconds the grade-peak stage's search around its start (`Attempt.around`) gets at most. It runs
first: the stage searches mostly where the spread ended one section above an even grade, which the teachers of that
grade alone settle in 0.00-0.06 deterministic s (`bench/timetable_stages.py --variants committed no-around`: the 5 of
122 school timetables that search it from the spread 1.58 -> 0.11 deterministic s, 2.6 -> 0.24 s; the 7 of 89 from
first-fit 1.16 -> 0.05; each at 0, proven). Where no timetable without overflow exists (a generated 200-teacher
district's VA02, `tests/cpsat/test_timetable_stages.py`) it costs its cap: the stage 0.04 -> 0.14."""

AROUND_ABOVE = 2
"""The search around the start runs only from a timetable at most this far above the stage's floor: what the spread's
moves leave (each of those 12 timetables started 1 above; from a clash stage's timetable 11 above, on an unseen
200-teacher district, it found nothing in its cap where the guide reached 0 in 0.02)."""

NO_LP, LP, LP_CUTS = ({**LIGHT_PRESOLVE, "linearization_level": level} for level in (0, 1, 2))
LP_SYMMETRY = {**LP, "symmetry_level": 2}
STAGE_ATTEMPTS = {
    "doubled": (Attempt(LIGHT_PRESOLVE),),
    "singleton_clashes": (Attempt(LIGHT_PRESOLVE),),
    "grade_peak_excess": (Attempt(LP, 0.2, AROUND_CAP, around=True), Attempt(LP_SYMMETRY, 0.2, 0.1),
                          Attempt(NO_LP, 0.2, GUIDE_CAP, guided=True), Attempt(LP)),
    "period_changes": (Attempt(LP_CUTS),),
    "max_live_students": (Attempt(NO_LP, 0.2, 0.05), Attempt(LP_CUTS)),
}
"""CP-SAT's attempts at each period stage, in order: each starts from the best timetable so far; the next runs only
when the one before did not reach or prove the stage's value. Measured on the stage models and whole schools of the
sample and the ladder districts, several seeds (`bench/period_params.py`, `bench/period_attempts.py`,
docs/benchmarks.md):

- doubled periods and singleton clashes: one presolve round instead of three and no symmetry detection (presolve
  took 0.2-0.4 s of solves that take tenths of a second; none ended worse).
- grade peaks, a sum of maxima: first a search around the start (`AROUND_CAP`). Then: with presolve's symmetry five
  schools lost their hint and never reached the floor (0) in 15 s. The search for the maxima without the LP often
  stalls above 0 (the sample's VA02 at 7 for a whole deterministic second); the guide, each grade's overflow in each
  period, reaches 0 at once on most schools, and the LP (slow: seconds of LP iterations on a 400-section school)
  settles the rest. Over 42 school solves, the stage's deterministic seconds 13.1 -> 8.4, every one at 0. Where the
  guide finds no timetable without overflow, the grade peaks may have no such timetable at all: the LP with presolve's
  symmetry detection proves that in hundredths of a second where the LP alone took seconds (a 37-teacher school of two
  generated 200-teacher districts, tight and standard, seed 12: excess 1 proven in 0.5 instead of 2.0 s, 0.04
  deterministic s of its own; 3.9 s -> 0.6 s from first-fit), capped at 0.1 deterministic s. It runs before the guide:
  where the guide stalls (its 0.3 deterministic s spent) the capped attempt often settles the stage at once, proving
  the excess or finding a timetable without overflow, and where the guide would reach 0 at once it costs its cap. Over
  108 school timetables (`bench/timetable_stages.py --variants grades-swapped committed`): 0.30 deterministic s less
  on three of the seven schools that search this stage from the spread start and 0.10 more on one (tight 60 seed 33's
  VA01), the stage's total 2.74 -> 1.93 (3.73 -> 2.85 from first-fit); no change on 198 timetables of
  500-1,200-teacher districts. Where neither settles it, the LP alone does (a 58-teacher school of a generated
  700-teacher district 0.6 deterministic s), and so it does where the guide stalls past `GUIDE_CAP`.
- period changes (with `--previous`): `linearization_level` 2 and the light presolve. A night whose sections differ
  from last night's searched this stage with CP-SAT's defaults for seconds, and left it unproven: a 159-section school
  of a 300-teacher district with six demand rows changed, 10.3 s (7 deterministic s) to 6 changes against an optimum of
  3; from the same hint level 2 proves 3 in 0.11 s. Four schools of that night: 0.6-10.3 s -> 0.07-0.16 s.
- the largest live group: most schools reach the floor at once without the LP; where not, the LP's search along the
  hint spent seconds in LP iterations (a 496-section school: 3.5 s), which `linearization_level` 2 halves. Over the
  same 42 solves 6.8 -> 1.7 deterministic seconds.
"""

PARTS_BEFORE = ("max_live_students",)
"""The stages whose search starts with each measure settled at its floor bounded part by part
(`TimetableModel.at_floor`: each teacher's doubled periods per semester, each grade's singletons per period). The
largest live group's proofs need them: a teacher whose light pairs would crowd a grade's singletons (tight 60 seed 33's
world-language teacher) took 4.5 deterministic s to prove 27 against a floor of 26, 0.53 with them (and, since the
singleton-clash floor tightened its floor to 27, none). Over 108 school timetables (the sample, the ladder and sweep
districts of 60-1,000 teachers; `bench/timetable_stages.py --variants no-parts committed`) the live-group stages 0.32
-> 0.18 deterministic s from the spread start and 4.23 -> 0.10 from first-fit, the same values. Not before the other
stages: there they turn the grade-peak searches chaotic (1.93 -> 9.13 from the spread start, 2.85 -> 1.15 from
first-fit: presolve's symmetry detection loses or wins its quick proof).
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
                    stages: tuple[str, ...] = MEASURES, locks: list[dict] = (), spread: bool = True,
                    own: dict[str, str] | None = None) -> Timetable:
    """Periods for one school's sections (sections.csv rows; vacancies get a blank period, homerooms keep theirs).

    `previous_periods`: (teacher_id, course_id) -> the period, or periods, of last night's sections; `stages`: the
    measures of MEASURES in the order to minimise them; `deadline`: wall clock (time.time()) to be done by; `locks`:
    locks.csv rows (course and period locks) that hold as hard constraints (`cpsat.timetable_locks`); `spread`: False
    starts from the first-fit packing alone, so that the CP-SAT stages do all the work (the period model's tests);
    `own`: section_id -> last night's period of the same section (`sections.own_periods`), which each teacher's
    sections of a course hand back among themselves where no measure changes.
    """
    data = period_data(sections, section_grades, courses, period_ids, previous_periods)
    if data.meetings.empty or not data.period_ids:
        nothing = figures_of(data, contract)
        return Timetable("OPTIMAL" if data.meetings.empty else "INFEASIBLE", _placed(sections, courses, {}), nothing,
                         nothing)
    rules = period_locks(data, locks)
    packed, bounds = first_fit(data, contract, rules), floors(data, contract)
    spreading = spread and not stop_requested()  # a stopped run keeps first-fit: the spread would take its seconds
    spread_start = spread_periods(data, contract, bounds) if spreading else None
    start = starting_timetable(data, contract, stages, [spread_start, packed], rules)
    if start is not None and stop_requested():  # a stopped run builds no model: the start as it is
        status, periods, results = "FEASIBLE", start, []
    else:
        options = SolveOptions(time_limit=time_limit, seed=seed, deadline=deadline)
        status, periods, results = _staged(
            lambda: build_timetable_model(data, contract, rules, bounds[LIVE_ABOVE]),
            data, bounds, stages, start, options, _polisher(data, contract, rules, bounds))
    if status != "INFEASIBLE":
        periods = keep_own_periods(data, periods, own or {})
    before = figures_of(data, contract, bounds, packed) if packed is not None else None
    return Timetable(status, _placed(sections, courses, periods),
                     figures_of(data, contract, bounds, periods), before, results)


def starting_timetable(data: PeriodData, contract: ContractModel, stages: tuple[str, ...],
                       candidates: list[dict[str, str] | None], rules: PeriodLocks) -> dict[str, str] | None:
    """The first hint and the fallback: the lexicographically best of `candidates` (the spread timetable of
    `sections.spread`, the first-fit packing) and each of them with last night's periods kept where A6.1/A6.2 allow,
    among those that keep the locks (None: the search alone must find one). Why the kept ones: a search rarely finds
    its way back to last night's periods once the earlier stages have settled on another optimum (a 446-section
    school: 66 changes where 0 were possible)."""
    found = [c for c in candidates if c is not None]
    if data.previous:
        found += [kept for kept in (keep_previous(data, c) for c in list(found))
                  if a6_holds(data.assigned(kept), contract)]
    valid = [c for c in found if rules.hold(c)]
    return min(valid, key=lambda periods: _in_order(measures(data, periods), stages), default=None)


def _in_order(values: dict[str, int], stages: tuple[str, ...]) -> list[int]:
    """The measures' values in the stages' order: what compares timetables lexicographically."""
    return [values[m] for m in stages]


def keep_previous(data: PeriodData, periods: dict[str, str]) -> dict[str, str]:
    """`periods` with each teacher's sections of a course (in section_id order) in their previous periods of that
    course (in the order given), as many as there were."""
    out = dict(periods)
    for key, sids in data.sections().groupby(["teacher_id", "course_id"], sort=True).section_id.agg(list).items():
        then = [p for p in data.previous.get(key, ()) if p in data.period_ids]
        out.update(zip(sorted(sids), then))
    return out


def _polisher(data: PeriodData, contract: ContractModel, rules: PeriodLocks,
              low: dict[str, int]) -> Callable[[dict[str, str]], dict[str, str] | None]:
    """The spread's local moves from a timetable a stage found (`spread.polish`); None where they moved a lock."""
    def run(periods: dict[str, str]) -> dict[str, str] | None:
        polished = polish(data, contract, periods, low)
        return polished if rules.hold(polished) else None
    return run


def _staged(build: Callable[[], TimetableModel], data: PeriodData, bounds: dict[str, int], stages: tuple[str, ...],
            start: dict[str, str] | None, options: SolveOptions,
            polisher: Callable[[dict[str, str]], dict[str, str] | None] | None = None,
            ) -> tuple[str, dict[str, str], list[StageResult]]:
    """Each stage minimises its measure under the bounds of the stages before, stopping at its floor (`bounds`);
    returns the status, the periods and how each stage ended. The model is built (`build`) only when a stage must
    search: a start at every floor needs none. What a search finds is `polisher`ed when a later stage is above its
    floor, and kept polished when that is lexicographically better (the grade-peak search of a tight school moved
    sections, and the local moves brought its largest live group back to the floor the search would have spent
    1.4 s on)."""
    wall = options.deadline if options.deadline is not None else time.time() + 3 * options.time_limit
    clock = Budget(wall, work=options.time_limit)
    best, values = start, measures(data, start) if start is not None else None
    results: list[StageResult] = []
    tm, cut_short = None, False
    for i, name in enumerate(stages):
        floor = floor_of(name, bounds, *(values[m] if values and m in stages[:i] else None
                                         for m in ("doubled", "singleton_clashes")))
        if best is not None and values[name] <= floor:
            results.append(StageResult(name, "OPTIMAL", values[name], values[name], 0.0))  # nothing to search
            if tm is not None:
                _settle(tm, name, values[name])  # a model built already: later stages keep this one at its floor
            continue
        if best is not None and stop_requested():
            cut_short = True  # stopped: the stages left keep the best timetable, unsearched
            break
        if tm is None:
            tm = build()
            for done in stages[:i]:
                _settle(tm, done, values[done])
        if best is not None and isinstance(tm.stages[name], int):
            results.append(StageResult(name, "OPTIMAL", values[name], values[name], 0.0))  # nothing to decide
            continue
        if name == "max_live_students" and floor > bounds[LIVE_ABOVE] and not isinstance(tm.stages[name], int):
            tm.model.add(tm.stages[name] >= floor)  # the doubled floor holds: a cut presolve cannot derive
        if name in PARTS_BEFORE:
            for done in stages[:i]:
                if values[done] <= floor_of(done, bounds, values["doubled"], values["singleton_clashes"]):
                    tm.at_floor(done)
        found, bound, seconds, work = _search(tm, data, name, floor, best, options, clock, i == len(stages) - 1)
        if found is not None:
            found_values = measures(data, found)
            # a tie keeps what we had: the hint, which carries last night's periods where they were kept
            if best is None or [found_values[n] for n in stages[:i + 1]] < [values[n] for n in stages[:i + 1]]:
                best, values = _polished(found, found_values, polisher, data, bounds, stages, i)
        if best is None:
            results.append(StageResult(name, "INFEASIBLE", math.nan, bound, seconds, work))
            return "INFEASIBLE", {}, results
        value = values[name]
        results.append(StageResult(name, "OPTIMAL" if value <= bound else "FEASIBLE", value, min(bound, value),
                                   seconds, work))
        _settle(tm, name, value)
    optimal = not cut_short and all(r.status == "OPTIMAL" for r in results)
    return "OPTIMAL" if optimal else "FEASIBLE", best, results


def _polished(found: dict[str, str], values: dict[str, int], polisher, data: PeriodData, bounds: dict[str, int],
              stages: tuple[str, ...], i: int) -> tuple[dict[str, str], dict[str, int]]:
    """`found` polished when a stage after the i-th is above its floor and the polish is lexicographically better."""
    later = stages[i + 1:]
    if polisher is None or all(values[n] <= floor_of(n, bounds, values["doubled"], values["singleton_clashes"])
                               for n in later):
        return found, values
    polished = polisher(found)
    if polished is None:
        return found, values
    polished_values = measures(data, polished)
    better = _in_order(polished_values, stages) < _in_order(values, stages)
    return (polished, polished_values) if better else (found, values)


def _settle(tm: TimetableModel, name: str, value: int) -> None:
    """The later stages keep the measure at the value its stage reached."""
    if not isinstance(tm.stages[name], int):
        tm.model.add(tm.stages[name] <= value)


def _search(tm: TimetableModel, data: PeriodData, name: str, floor: int, best: dict[str, str] | None,
            options: SolveOptions, clock: Budget, last: bool) -> tuple[dict[str, str] | None, float, float, float]:
    """One stage's search from the best timetable so far, in the stage's attempts (`STAGE_ATTEMPTS`): (periods
    found or None, lower bound, seconds, work)."""
    stage_time = clock.stage(last=last)
    stage_clock = Budget(time.time() + stage_time.wall, work=stage_time.work)
    found, bound, seconds, work = None, float(floor), 0.0, 0.0
    for attempt in STAGE_ATTEMPTS.get(name, (Attempt({}),)):
        if (attempt.guided and (floor != 0 or name not in tm.guides)) or (attempt.around and not _near(
                data, name, floor, found or best)):
            continue
        tm.model.minimize(tm.guides[name] if attempt.guided else tm.stages[name])
        if found or best:
            tm.vars.hint(tm.model, found or best)
        model = around(tm, data, found or best) if attempt.around else tm.model
        solver = cp_solver(options, stage_clock.work * attempt.share,
                           stage_clock.wall_left() * max(attempt.share, ATTEMPT_WALL))
        solver.parameters.max_deterministic_time = min(solver.parameters.max_deterministic_time, attempt.cap)
        for key, value in attempt.params.items():
            setattr(solver.parameters, key, value)
        began = time.perf_counter()
        with stoppable(solver):
            status = solver.solve(model, StopAtFloor(floor))
        seconds, work = seconds + time.perf_counter() - began, work + solver.deterministic_time
        stage_clock.spend(solver.deterministic_time)
        clock.spend(solver.deterministic_time)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = tm.vars.extract(solver)
        if attempt.around:
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and solver.objective_value <= floor:
                return found, floor, seconds, work  # at the floor, whatever stayed fixed
        elif status == cp_model.OPTIMAL and attempt.guided and solver.objective_value > 0:
            bound = max(bound, 1.0)  # no timetable without overflow: the excess is at least 1
            if solver.objective_value <= bound:  # the excess is at most the overflow: this one is at the bound
                return found, bound, seconds, work
        elif status == cp_model.OPTIMAL or (status == cp_model.FEASIBLE and solver.objective_value <= floor):
            return found, floor if attempt.guided else solver.objective_value, seconds, work  # proven or at the floor
        elif status == cp_model.FEASIBLE and not attempt.guided:
            bound = max(bound, math.ceil(solver.best_objective_bound - 1e-9))
        if stop_requested() or stage_clock.wall_left() <= 0:
            break
    return found, bound, seconds, work


def _near(data: PeriodData, name: str, floor: int, periods: dict[str, str] | None) -> bool:
    """Whether `periods` is at most `AROUND_ABOVE` above the stage's floor: what a search around it is for."""
    return periods is not None and measures(data, periods)[name] <= floor + AROUND_ABOVE


def _placed(sections: pd.DataFrame, courses: pd.DataFrame, periods: dict[str, str]) -> pd.DataFrame:
    """The input rows with each secondary section's period (blank for a vacancy); homerooms as they were."""
    level = sections.course_id.map(dict(zip(courses.course_id, courses.level)))
    secondary = level.ne("elementary")
    out = sections.copy()
    out["period_id"] = out.period_id.astype(object)
    out.loc[secondary, "period_id"] = out.loc[secondary, "section_id"].map(periods)
    return out
