"""Solve one school's model stage by stage (lexicographic), each stage fixing the one before.

Time: a school has a deterministic budget (`max_deterministic_time`, what makes runs repeatable) and a wall-clock
deadline (what keeps the district on time); each stage, the last too, may use two thirds of what is left of both (the
school's timetable follows, inside the same share).
Determinism: one CP-SAT worker, a fixed `random_seed`; a school whose stages all end on their deterministic budget
(or prove optimality) gives the same plan on any machine. A stage stopped by the wall deadline is still valid but may
differ between runs (large schools: CP-SAT's deterministic clock runs 5-10x slower than the wall clock there).
Parallelism comes from solving schools in separate processes, never from workers inside one solve.
A stop of the run (the first Ctrl-C, vastaff.interrupt) ends the running search with its best solution so far, and the
stages after it are not searched: the school keeps its incumbent, FEASIBLE.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import pandas as pd
from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.cpsat.budget import Budget
from vastaff.cpsat.incumbent import Incumbent, better, completed, first_incumbent, from_solver, hint_counts, no_counts
from vastaff.cpsat.matrix import unblock
from vastaff.cpsat.model import SchoolModel, build_school_model
from vastaff.cpsat.search_tools import LIGHT_PRESOLVE, StopAtFloor, cp_solver
from vastaff.cpsat.ties import Tie, tie_breaker
from vastaff.interrupt import stop_requested, stoppable
from vastaff.rules import Finding
from vastaff.sections.last_night import Counts
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
    deadline: float | None = None  # wall clock (time.time()) by which this school should be done


@dataclass
class StageResult:
    name: str
    status: str
    value: float
    bound: float
    seconds: float
    work: float = 0.0  # CP-SAT's deterministic time spent (repeatable, unlike seconds)


@dataclass
class SchoolSolution:
    """Section counts per shape and teacher, and how each stage ended."""

    school_id: str
    status: str                                # OPTIMAL / FEASIBLE / INFEASIBLE
    takes: pd.DataFrame                        # teacher_id, sid, sections
    opened: pd.DataFrame                       # sid, sections, vacant
    seats: pd.DataFrame                        # sid, grade, students
    stages: list[StageResult] = field(default_factory=list)
    conflicts: list[Finding] = field(default_factory=list)  # INFEASIBLE: locks no model can hold (LOCK + CRED)

    def stage(self, name: str) -> StageResult | None:
        return next((s for s in self.stages if s.name == name), None)


def solve_school(p: SchoolProblem, contract: ContractModel, options: SolveOptions,
                 start: Counts | None = None) -> SchoolSolution:
    """Lexicographic stages in the model file's order, with a construction `start` (takes, opened, seats) as fallback.

    Every stage searches from scratch under the bounds of the stages before (a cold start) and is compared with the
    incumbent — last night's plan where it still holds tonight (`incumbent.first_incumbent`), else the construction,
    completed to a full solution, then each stage's answer. A stage that finds nothing better than the incumbent keeps
    it, so a school always comes back with a valid plan; last night's plan it keeps on a tie too, so that a night that
    changed nothing of a school's changes nothing of its plan. Why cold: with the incumbent
    as a hint, CP-SAT's single worker stayed next to it (41 vacancies after 20 s on a 1,270-teacher school, where a cold
    start proved 0 in 12 s; the money stage of a 1,185-teacher school needed 22 s from the hint, 14 s cold).
    A stop of the run before the school starts gives the construction as it is (no model is built).

    A9.1's blocking-pair rule waits for the matrix stage (`_hold_a91`): the stages before solve the relaxation
    without it, which a swap of homerooms nearly always turns into a plan that holds it at the same values — and
    where it does not, the school is solved again with the rule from the start. Why: on a 322-teacher school of the
    5,000-teacher district the rule made the vacancy, money and preference stages take 18.5 s instead of 1.2 s.
    """
    if start is not None and stop_requested():
        return SchoolSolution(p.school_id, "FEASIBLE", *start)
    solution = _solve_stages(p, contract, options, start, defer_a91=True)
    return solution if solution is not None else _solve_stages(p, contract, options, start, defer_a91=False)


def _solve_stages(p: SchoolProblem, contract: ContractModel, options: SolveOptions, start,
                  defer_a91: bool) -> SchoolSolution | None:
    """`solve_school`'s stages; None when A9.1, deferred, cannot hold at the values the stages before it reached."""
    sm = build_school_model(p, contract, strict=options.strict, defer_a91=defer_a91)
    if sm.lock_conflicts:
        return SchoolSolution(p.school_id, "INFEASIBLE", *no_counts(), conflicts=sm.lock_conflicts)
    clock = _budget(options)
    incumbent = first_incumbent(sm, p, start, options, clock)
    active = [(name, terms) for name, terms in sm.stages.items() if terms]
    if "matrix" not in [name for name, _ in active][2:]:
        _turn_on_a91(sm)  # no stage to wait for, or one inside the first search: the rule holds throughout
    results: list[StageResult] = []
    solved = cut_short = False
    i = 0
    while i < len(active):
        if sm.a91 is not None and active[i][0] == "matrix":
            incumbent = _hold_a91(sm, p, incumbent, options, clock)
            if incumbent is None:
                return None
        tie = tie_breaker(sm.model, active[:2]) if i == 0 else None
        group = active[i:i + 2] if tie is not None else active[i:i + 1]
        floors = {name: known_lower_bound(name, p) for name, _ in group}
        if _tie_break_unsearched(group, results, incumbent, floors):
            search = _Search(cp_model.FEASIBLE, None, dict(floors), 0.0)
        elif incumbent is not None and all(incumbent.stage_values[n] <= f for n, f in floors.items()):
            search = _Search(cp_model.OPTIMAL, None, dict(floors), 0.0)  # already at the floor: nothing to search
        elif stop_requested() and (incumbent is not None or start is not None):
            cut_short = True  # stopped: the stages left keep the incumbent, unsearched
            break
        else:
            hinted = _hint_large(sm, group, incumbent)
            search = _search(sm, group, floors, tie, options, clock)
            if hinted:
                sm.model.clear_hints()
        if search.status == cp_model.INFEASIBLE:
            return SchoolSolution(p.school_id, "INFEASIBLE", *no_counts(), stages=results)
        if search.found is not None and (incumbent is None or better(search.found, incumbent, group)):
            incumbent = search.found
        if incumbent is None:
            results.append(StageResult(group[0][0], "UNKNOWN", float("nan"), float("nan"), search.seconds, search.work))
            break  # keep the construction as it is
        for k, (name, terms) in enumerate(group):
            if name not in search.bounds:
                break  # the tie-breaker stage was not settled: it gets its own search next
            value, bound = incumbent.stage_values[name], search.bounds[name]
            proved = value <= bound
            results.append(StageResult(name, "OPTIMAL" if proved else "FEASIBLE", value,
                                       float(value) if proved else bound, search.seconds if k == 0 else 0.0,
                                       search.work if k == 0 else 0.0))
            sm.model.add(sum(terms) <= value)
            solved, i = True, i + 1
    if incumbent is None and start is None:  # nothing to decide (no demand) and no construction
        _turn_on_a91(sm)
        solver = cp_solver(options, options.time_limit, clock.wall_left())
        if solver.solve(sm.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return SchoolSolution(p.school_id, "INFEASIBLE", *no_counts(), stages=results)
        incumbent, solved = from_solver(sm, solver), True
    plan = incumbent.plan if incumbent is not None else start
    if sm.a91 is not None and incumbent is not None:  # stopped before the matrix stage: the rule holds all the same
        plan = (unblock(p, plan[0]), *plan[1:])
    overall = "OPTIMAL" if solved and not cut_short and all(r.status == "OPTIMAL" for r in results) else "FEASIBLE"
    return SchoolSolution(p.school_id, overall, *plan, stages=results)


def _tie_break_unsearched(group, results: list[StageResult], incumbent: Incumbent | None, floors: dict) -> bool:
    """The seniority tie-break is not searched where a stage before it was not proven (its time ran out): the time is
    worth more to the schools still queued than a tie-break among plans not proven equal — on the 20,000-teacher
    district it took 15 s and left the matrix stage 17 % worse (docs/benchmarks.md). The incumbent keeps its ties."""
    return (group[0][0] == "seniority" and incumbent is not None and any(r.status != "OPTIMAL" for r in results)
            and incumbent.stage_values["seniority"] > floors["seniority"])


def _turn_on_a91(sm: SchoolModel) -> None:
    """A9.1's blocking-pair constraints hold from here on (`sm.a91` None: they do)."""
    if sm.a91 is not None:
        sm.model.add(sm.a91 == 1)
        sm.a91 = None


def _hold_a91(sm: SchoolModel, p: SchoolProblem, incumbent: Incumbent | None, options: SolveOptions,
              clock: Budget) -> Incumbent | None:
    """A9.1's blocking pairs, turned on before the matrix stage. The stages so far solved the relaxation without them,
    so their values are lower bounds of the real ones; the incumbent with its blocking pairs swapped away
    (`matrix.unblock`: every shape keeps its sections and seats), completed under every stage's bound so far, is a
    plan that reaches them — the incumbent of the matrix stage. None when the swaps cost a stage (e.g. X-time of a
    teacher new to the homeroom): whether the values can be reached with the rule is then unknown."""
    _turn_on_a91(sm)
    if incumbent is None:
        return None
    takes, opened, seats = incumbent.plan
    return completed(sm, (unblock(p, takes), opened, seats), options, clock, kept=incumbent.kept)


@dataclass(frozen=True)
class _Search:
    status: int
    found: Incumbent | None
    bounds: dict[str, float]     # a lower bound per stage it settles (the tie-breaker only when proven)
    seconds: float
    work: float = 0.0


def _search(sm: SchoolModel, group, floors: dict[str, int], tie: Tie | None, options: SolveOptions,
            clock: Budget) -> _Search:
    """One cold CP-SAT search of a stage, or of two stages as one exact lexicographic objective (W * first + second,
    W larger than the second's whole range). Stops as soon as every stage of the group sits at its floor, and a
    combined search also as soon as its first stage does: the first stage is then proven, and the second gets a search
    of its own with the first fixed — where presolve proves it in a fraction of a second, while the combined
    objective's bound may never recover from presolve (a tight school: 15 s to its budget, then money alone in 0.02 s).
    """
    name, terms = group[0]
    tried = 0.0, 0.0
    if name in FLOOR_FIRST and tie is None:
        at_floor, *tried = _at_floor(sm, name, terms, floors[name], options, clock)
        if at_floor is not None:
            return _Search(cp_model.OPTIMAL, at_floor, {name: float(floors[name])}, *tried)
    objective, weight, tie_high, target = sum(terms), 1, 0, floors[name]
    if tie is not None:
        (tie_name, tie_terms), weight, tie_high = group[1], tie.weight, tie.high
        objective, target = weight * objective + sum(tie_terms), weight * floors[name] + floors[tie_name]
    sm.model.minimize(objective)
    # the last stage too leaves a third of the school's time: the timetable and the work around it follow inside the
    # school's share, not past it at the cost of the schools still queued (20,000 teachers: docs/benchmarks.md)
    solver = _tuned(cp_solver(options, *clock.stage(last=False)), sm, name)
    began = time.perf_counter()
    with stoppable(solver):
        status = solver.solve(sm.model, StopAtFloor(target, sum(terms) if tie is not None else None, floors[name]))
    seconds, work = time.perf_counter() - began + tried[0], solver.deterministic_time + tried[1]
    clock.spend(solver.deterministic_time)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _Search(status, None, {name: float(floors[name])}, seconds, work)
    found = from_solver(sm, solver)
    if status == cp_model.OPTIMAL or solver.objective_value <= target:
        return _Search(status, found, {n: float(found.stage_values[n]) for n, _ in group}, seconds, work)
    if found.stage_values[name] <= floors[name]:
        return _Search(status, found, {name: float(floors[name])}, seconds, work)  # first proven; second next
    # W * first + second >= bound and second <= tie_high give first >= (bound - tie_high) / W
    bound = max(float(floors[name]), float(math.ceil((solver.best_objective_bound - tie_high) / weight - 1e-9)))
    return _Search(status, found, {name: bound}, seconds, work)


FLOOR_FIRST = {"matrix"}
"""Stages whose search first asks for a solution at the floor (every teacher's first choice, where nobody contests
one): a feasibility search with the objective fixed, on `FLOOR_SHARE` of the stage's time. Where the floor holds,
propagation finds it 3-4x sooner than the optimisation walks down to it (the tight 1,000-teacher district's VA05 and
VA07: 0.25-0.3 s against 0.9-1.05 s); where a contested choice rules it out, presolve says so in milliseconds."""
FLOOR_SHARE = 0.2


def _at_floor(sm: SchoolModel, name: str, terms, floor: int, options: SolveOptions,
              clock: Budget) -> tuple[Incumbent | None, float, float]:
    """A solution with the stage's terms at `floor` (None: none found in its share), seconds and work."""
    model = sm.model.clone()
    model.clear_objective()
    model.add(sum(terms) <= floor)
    work, wall = clock.stage(last=False)
    solver = _tuned(cp_solver(options, work * FLOOR_SHARE, wall * FLOOR_SHARE), sm, name)
    began = time.perf_counter()
    with stoppable(solver):
        status = solver.solve(model)
    clock.spend(solver.deterministic_time)
    found = from_solver(sm, solver) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
    return found, time.perf_counter() - began, solver.deterministic_time


STAGE_PARAMS = {"vacancies": {"linearization_level": 2, **LIGHT_PRESOLVE}, "preferences": LIGHT_PRESOLVE}
"""CP-SAT parameters of a section stage beyond `cp_solver`'s, by the stage its search settles first. The vacancy stage
(with money as its tie-breaker) with linearization level 2: on the matrix district's elementary school VA02 the
default search took 7.6 s (0.46 deterministic s, mostly LP) from 2 vacancies to 0, level 2 0.34 s. Over 45 schools
(bench/out matrix-1000-s1, district-1000-s1, district-tight-1000-s1, -300-s1, -60-s1; `solve_school`, 10 deterministic
s, seed 0): that stage's deterministic seconds 1.19 -> 0.72,
the money stage's 0.18 -> 0.01 (settled with the vacancies more often), every stage proven, the later stages' work
the same to the last digit (they start cold: same model, same search). Level 0 instead made it slower (20 s, 4
vacancies left on VA02), so did level 2 for the preferences stage (docs/benchmarks.md). Its presolve, 70 % of its time,
light too: the vacancy stage's seconds 25-45 % lower on 12 districts of 60-1,000 teachers (`bench/stage_params.py`:
tight 1,000 0.83-0.95 -> 0.56-0.58 s, its deterministic work 0.101 -> 0.097 s; on tight 300 money then needs a search of
its own, 0.04 s, where the combined one had settled it: the two stages 0.26-0.27 -> 0.21-0.24 s), every value and plan
the same (24 districts, plans to the byte).
The preference stage with one presolve round and no symmetry detection: its search takes hundredths of a second after
a presolve of a tenth (a 95-teacher school of the tight 1,000-teacher district: 0.10 s presolve, 0.08 s search). Over
the 12 schools of district-tight-1000-s1 and of district-1000-s1 (`solve_school`, 20 deterministic s, seed 0, twice
each): preference stages 1.08-1.21 -> 0.67-0.71 s, every stage's value the same and proven (also district-tight-300-s2,
district-300-s1). The same for the matrix stage saved less (1.74-1.83 -> 1.51-1.58 s) and, by settling on another of
its optima, gave district-tight-60-s1 a timetable whose largest live group (30, floor 29) took 5.4 s to prove
(measured again at 868913c: the matrix stage 0.1-0.2 s less at 1,000 teachers, other optima and so other plans)."""
HINTED = {"matrix": 5_000}
"""Stages searched from the incumbent's counts as a hint in school models of more than this many variables (the others
start cold, see `solve_school`). On the 5,000-teacher district's schools (13,000 variables) a cold matrix search often
found no solution at all in its time; from the hint (whole district, back to back) first choices 2,327 -> 2,388 of
3,048, none granted 433 -> 372, matrix stages proven 8 -> 9 of 18, the same 99 s. On the 1,000-teacher schools (3,300)
the hint made no difference but cost time."""


def _hint_large(sm: SchoolModel, group, incumbent: Incumbent | None) -> bool:
    """Hint the incumbent's counts for a stage of `HINTED` in a large model; whether it did."""
    name = group[0][0]
    if incumbent is None or name not in HINTED or len(sm.model.proto.variables) <= HINTED[name]:
        return False
    hint_counts(sm, incumbent.plan)
    return True


STAGE_PARAMS_UP_TO = 5_000
"""`STAGE_PARAMS` apply to school models of at most this many variables: measured to help up to 3,300 (the
1,000-teacher districts' schools); on the 20,000-teacher district (14,000-33,000) the vacancy stage took longer with
level 2 (VA09 11.9 -> 17.6 s, VA12 9.3 -> 13.7 s) and left money unproven in one school, where it had been proven in all
19 without it."""

def _tuned(solver: cp_model.CpSolver, sm: SchoolModel, stage: str) -> cp_model.CpSolver:
    """`solver` with the parameters of `STAGE_PARAMS` for `stage`, where the model is small enough."""
    if len(sm.model.proto.variables) <= STAGE_PARAMS_UP_TO:
        for key, value in STAGE_PARAMS.get(stage, {}).items():
            setattr(solver.parameters, key, value)
    return solver


def _budget(options: SolveOptions) -> Budget:
    """The school's time: its deterministic budget, and its wall deadline (3 x the budget from now unless given)."""
    deadline = options.deadline if options.deadline is not None else time.time() + 3 * options.time_limit
    return Budget(deadline, work=options.time_limit)


def known_lower_bound(stage: str, p: SchoolProblem) -> int:
    """Every stage's terms are non-negative; vacancies also count the sections of courses nobody may teach."""
    if stage != "vacancies":
        return 0
    staffed = set(p.shapes.course_id[p.shapes.sid.isin(p.eligible.sid)])
    orphans = p.demand[~p.demand.course_id.isin(staffed)].merge(
        p.shapes.groupby("course_id").cap.max().rename("cap"), on="course_id")
    per_course = orphans.groupby("course_id").agg(students=("students", "sum"), cap=("cap", "first"))
    return int((-(-per_course.students // per_course.cap)).sum())


