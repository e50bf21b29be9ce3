"""The sections of every school: it orchestrates, it builds nothing itself (the part of `vastaff solve` before people).

schools (independent) -> per school, a job of vastaff.executor (`nightly/school.py`: clerk's greedy counts (the
fallback), CP-SAT stages, concrete sections, the period stage) on the local process pool or a Dask cluster -> costs ->
run.json. Each part lives in its own module.
A stop of the run (the first Ctrl-C, vastaff.interrupt) ends every school's search with its best solution so far.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field, replace
from typing import Callable

import pandas as pd

from vastaff.rules import Finding
from vastaff.contract import ContractModel
from vastaff.cpsat.budget import TimeShare
from vastaff.cpsat.explain import explain_school
from vastaff.cpsat.solver import SchoolSolution, SolveOptions
from vastaff.nightly.prep_time import PrepDates
from vastaff.nightly.school import GREEDY, clerk_fill, SchoolPeriods, SchoolResult, for_school, previous_periods_of, school_result, solve_one
from vastaff.schemas.district import District
from vastaff.schemas.run import StageTotal, Status
from vastaff.executor import Done, Job, open_executor
from vastaff.interrupt import stop_requested
from vastaff.sections.costs import teacher_costs
from vastaff.sections.decode import SECTION_COLUMNS
from vastaff.sections.plain import grouped
from vastaff.sections.problem import SchoolProblem, school_problems
from vastaff.sections.vacancies import vacancy_items


GREEDY_LIMIT = ("--method greedy: these are the conflicts of the clerk's fill, which tries one staffing; the optimizer "
                "(the default, --method cpsat) searches them all and may make a plan where the fill could not")
"""What a run of the clerk's fill that ends without a plan says after its conflicts: the fill swaps pairs of homerooms
only, where the data may need a rotation of three (docs/decisions.md, "Clerk's greedy")."""


@dataclass(frozen=True)
class SolveSettings:
    method: str = "cpsat"          # or "greedy"
    time_limit: float = 60.0       # seconds for the whole district
    seed: int = 0
    processes: int = 2
    strict: bool = False
    log: bool = False
    cluster: str | None = None     # a Dask scheduler address (vastaff.executor): schools run there, not locally
    prep_dates: PrepDates | None = None  # --first-day and --as-of (A9.2 preparation time); None without --first-day


def default_time_limit(teachers: int) -> float:
    """`vastaff solve` without --time-limit: 30 s + 1 s per 50 teachers, at most 540 s — a 20,000-teacher district
    then finishes (with loading and the people parts) within 10 minutes; the sample gets 31 s and needs a few."""
    return min(30.0 + teachers / 50, 540.0)


@dataclass
class SectionPlan:
    status: Status                  # OPTIMAL, FEASIBLE, or INFEASIBLE under --strict with vacancies
    sections: pd.DataFrame
    section_grades: pd.DataFrame
    costs: pd.DataFrame
    vacancies: list[dict]
    stages: dict[str, StageTotal]   # in the solver's units (money in cents)
    conflicts: list[Finding] = field(default_factory=list)
    schools: dict[str, SchoolSolution] = field(default_factory=dict)
    periods: dict[str, SchoolPeriods] = field(default_factory=dict)  # per school: the timetable's figures
    jobs: JobLog = field(default_factory=lambda: JobLog())  # where each school ran, how long; lost schools
    vacancy_reasons: dict[str, Finding] = field(default_factory=dict)  # section_id -> why it is vacant, with its rows


def plan_sections(district: District, contract: ContractModel, settings: SolveSettings,
                  on_school: Callable[[SchoolSolution], None] | None = None,
                  meanwhile: Callable[[], None] | None = None) -> SectionPlan:
    """Sections, teachers and periods for every school (DEMAND, CRED, A6.x, A8.x, A12). `meanwhile` is called once
    the schools' jobs are out (`Executor.run`): what this process does while it waits for them."""
    problems = school_problems(district, contract)
    previous = previous_periods_of(district.previous.sections if district.previous is not None else None)
    if settings.method == "greedy":
        if meanwhile is not None:
            meanwhile()
        results, jobs = [construction_result(p, contract, previous) for p in problems], JobLog()
    else:
        results, jobs = _solve_all(problems, contract, settings, previous, on_school, meanwhile)
    return _assemble(district, contract, problems, results, settings, jobs)


@dataclass
class JobLog:
    """How the schools' jobs went: where each ran, its wall and CPU seconds there (the longest school bounds the run,
    whatever the number of workers), and one warning per school whose job was lost (it keeps its construction)."""

    ran: dict[str, tuple[str, float, float]] = field(default_factory=dict)  # school_id -> (worker, seconds, cpu)
    warnings: list[str] = field(default_factory=list)


def _solve_all(problems, contract, settings, previous, on_school,
               meanwhile: Callable[[], None] | None = None) -> tuple[list[SchoolResult], JobLog]:
    """Schools as independent jobs (vastaff.executor: the local pool, or the Dask cluster of `settings.cluster`),
    largest first; each computes its own construction (the clerk's fill). A school whose job was lost (its worker
    died on every try) keeps its construction, with a warning: never a silent gap.

    A stop (the first Ctrl-C) ends every search with its best solution so far, and the schools not started yet keep
    their construction; a KeyboardInterrupt (the second Ctrl-C) aborts: it propagates and the workers are killed.
    """
    sizes = {p.school_id: max(len(p.eligible), 1) for p in problems}
    parallel = max(1, min(settings.processes, len(problems)))
    deadline = time.time() + settings.time_limit
    share = TimeShare(deadline, parallel, sum(sizes.values()))
    by_id = {p.school_id: p for p in problems}
    results: dict[str, SchoolResult] = {}
    log = JobLog()
    with open_executor(settings.cluster, parallel, initializer=_use_share, initargs=(share,)) as executor:
        jobs = _school_jobs(problems, contract, settings, previous, sizes, parallel, deadline)
        for done in executor.run(jobs, meanwhile=meanwhile):
            if done.lost is None:
                results[done.key] = _report(done.result, on_school)
                log.ran[done.key] = (done.worker, done.seconds, done.cpu)
            else:
                log.warnings.append(_lost_warning(done, executor.description))
                results[done.key] = _report(construction_result(by_id[done.key], contract, previous), on_school)
    return [results[p.school_id] for p in problems], log


def _school_jobs(problems, contract, settings, previous, sizes: dict[str, int], parallel: int,
                 deadline: float) -> list[Job]:
    """One job per school, largest first (better balance), carrying its seed and budget: deterministic seconds in
    proportion to its size, as if `parallel` processes shared the time limit — wherever it runs."""
    total = sum(sizes.values())
    raw = contract.model_dump(mode="json", by_alias=True)
    jobs = []
    for p in sorted(problems, key=lambda p: -sizes[p.school_id]):
        budget = max(1.0, settings.time_limit * parallel * sizes[p.school_id] / total)
        options = SolveOptions(time_limit=budget, seed=settings.seed, strict=False, log=settings.log)
        wall = FixedShare(budget, deadline) if settings.cluster else None  # locally: the run's TimeShare
        jobs.append(Job(p.school_id, _solve_in_worker,
                        (p, raw, options, sizes[p.school_id], for_school(previous, p), wall)))
    return jobs


@dataclass(frozen=True)
class FixedShare:
    """A school's wall-clock share fixed up front, for a cluster (its machines share no memory, so no TimeShare): the
    school's budget in wall seconds from when its job starts on its worker, and never past the run's deadline (so
    --time-limit still bounds the run on a cluster smaller than --processes, or a loaded one). The deterministic budget
    is the local pool's, and so is the plan; only this safety net against a slow machine differs from TimeShare, which
    also hands time a school leaves unused on to the schools after it."""

    seconds: float
    run_deadline: float  # time.time() of the client: the machines' clocks agree (NTP)

    def part_deadline(self, size: float = 1.0) -> float:
        return min(time.time() + self.seconds, self.run_deadline)


_SHARE: TimeShare | None = None  # a local worker's view of the district's TimeShare (set by the pool's initializer)


def _use_share(share: TimeShare) -> None:
    global _SHARE
    _SHARE = share


def _solve_in_worker(p: SchoolProblem, contract_raw: dict, options: SolveOptions, size: float, previous: dict,
                     share: TimeShare | FixedShare | None = None) -> SchoolResult:
    """A school's job, wherever it runs: the contract travels as plain data (pydantic generics do not pickle).
    The clerk's fill is computed here, in parallel, and the school's wall-clock deadline when it starts: from `share`
    when the job carries one (a cluster), else from the local run's TimeShare."""
    contract = ContractModel.model_validate(contract_raw)
    share = share or _SHARE
    if share is not None:
        options = replace(options, deadline=share.part_deadline(size))
    return solve_one(p, contract, options, previous)


def construction_result(p: SchoolProblem, contract: ContractModel, previous: dict) -> SchoolResult:
    """The school as the clerk's fill leaves it (status GREEDY), first-fit periods: `--method greedy`, and what a school
    whose job was lost keeps."""
    return school_result(p, _greedy_solution(p, clerk_fill(p, contract, movers=True)), contract,
                         for_school(previous, p))


def _lost_warning(done: Done, where: str) -> str:
    """Printed at once (stderr) and kept in the plan's warnings: which school fell back, and why."""
    warning = (f"school {done.key}: its job was lost on {where} ({done.lost}); the school keeps the clerk's fill "
               f"(status GREEDY)")
    print(f"vastaff: warning: {warning}", file=sys.stderr, flush=True)
    return warning


def _report(result: SchoolResult, on_school) -> SchoolResult:
    if on_school:
        on_school(result.solution)
    return result


def _greedy_solution(p: SchoolProblem, counts) -> SchoolSolution:
    takes, opened, seats = counts
    return SchoolSolution(p.school_id, GREEDY, takes, opened, seats)


def _assemble(district, contract, problems, results: list[SchoolResult], settings, jobs: JobLog) -> SectionPlan:
    solutions = [r.solution for r in results]
    sections = pd.concat([r.sections for r in results], ignore_index=True) if results else _empty_sections()
    grades = pd.concat([r.section_grades for r in results], ignore_index=True) if results else pd.DataFrame(
        columns=["section_id", "grade", "students"])
    sections = sections.sort_values("section_id", kind="stable").reset_index(drop=True)
    grades = grades.sort_values(["section_id", "grade"], kind="stable").reset_index(drop=True)
    costs = teacher_costs(district, contract, sections, grades)
    vac, why = vacancy_items(district, sections, grades, _eligible_by_shape(problems),
                             contract.max_courses_per_semester)
    status = _status(solutions, settings)
    conflicts = _lock_conflicts(problems, contract, settings, results)
    if conflicts:
        status = Status.INFEASIBLE
    elif settings.strict and vac:
        status = Status.INFEASIBLE
        conflicts = _explain_vacancies(problems, contract, settings, vac)
    return SectionPlan(status, sections, grades, costs, vac, _stage_totals(solutions), conflicts,
                       {s.school_id: s for s in solutions}, {r.school_id: r.periods for r in results}, jobs, why)


def _status(solutions: list[SchoolSolution], settings: SolveSettings) -> Status:
    """OPTIMAL only when CP-SAT proved every school optimal; the clerk's fill proves nothing."""
    proved = settings.method != "greedy" and all(s.status == "OPTIMAL" for s in solutions)
    return Status.OPTIMAL if proved else Status.FEASIBLE


def _lock_conflicts(problems, contract, settings, results: list[SchoolResult]) -> list[Finding]:
    """LOCK: the schools whose locks cannot hold with the contract — a lock no model can hold (found while building
    it), else a minimal core of the section model with vacancies allowed, else the timetable's (period locks)."""
    conflicts = []
    for p, r in zip(problems, results):
        if r.solution.status == "INFEASIBLE" and (r.solution.conflicts or not settings.strict):
            found = r.solution.conflicts or [explain_school(p, contract, seed=settings.seed, strict=False,
                                                            time_limit=max(settings.time_limit / 4, 5.0))]
            conflicts += [c if c is not None else _unexplained(p) for c in found]
        conflicts += r.periods.conflicts
    return conflicts


def _unexplained(p: SchoolProblem) -> Finding:
    return Finding(("LOCK",), f"the locks of school {p.school_id} cannot all hold with the contract rules (no "
                              f"smaller conflict found in time)", tuple(("locks.csv", lock["lock_id"]) for lock in p.locks))


def _explain_vacancies(problems, contract, settings, vac) -> list[Finding]:
    """--strict: a minimal core per school with vacancies; the vacancy's own reason where no core is found (and in a
    stopped run, which searches no more)."""
    conflicts = []
    schools = {v["course_id"] for v in vac}
    for p in problems:
        if not schools & set(p.courses.course_id):
            continue
        conflict = None if stop_requested() else explain_school(p, contract, seed=settings.seed,
                                                                time_limit=max(settings.time_limit / 4, 5.0))
        if conflict is not None:
            conflicts.append(conflict)
        else:  # the vacancy stage did not prove it unavoidable
            conflicts += [Finding(tuple(v["rules"]), v["reason"], (("courses.csv", v["course_id"]),))
                          for v in vac if v["course_id"] in set(p.courses.course_id)]
    return conflicts


def _eligible_by_shape(problems: list[SchoolProblem]) -> dict:
    """(course_id, grades) -> who may take a section of it: the eligible pairs and the level moves a vacancy opens
    (9.0(1)), each of whom a vacancy's reason says is full."""
    out = {}
    for p in problems:
        teachers = grouped(p.eligible.sid, p.eligible.teacher_id)
        for t, sid in sorted(p.vacancy_moves):
            teachers.setdefault(sid, []).append(t)
        for sid, course, grades in p.shapes[["sid", "course_id", "grades"]].itertuples(index=False):
            out[course, tuple(grades)] = teachers.get(sid, [])
    return out


def _stage_totals(solutions: list[SchoolSolution]) -> dict[str, StageTotal]:
    """Per objective stage, in solve order: value and bound summed over schools, and how many proved it optimal."""
    runs: dict[str, list] = {}
    for s in solutions:
        for r in s.stages:
            runs.setdefault(r.name, []).append(r)
    return {name: _stage_total(rs) for name, rs in runs.items()}


def _stage_total(runs: list) -> StageTotal:
    found = [r for r in runs if r.status != "UNKNOWN"]  # no solution in time: the school kept its previous plan
    return StageTotal(value=sum((r.value for r in found), 0.0), bound=sum((r.bound for r in found), 0.0),
                      optimal_parts=sum(r.status == "OPTIMAL" for r in found), parts=len(runs))


def _empty_sections() -> pd.DataFrame:
    return pd.DataFrame(columns=SECTION_COLUMNS)
