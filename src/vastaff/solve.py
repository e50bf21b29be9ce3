"""`vastaff solve`: orchestrates the nightly plan — it builds nothing itself.

schools (independent) -> clerk's greedy counts (hint and fallback) -> CP-SAT stages per school (process pool)
-> concrete sections and periods -> costs -> run.json. Each part lives in its own module.
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

import pandas as pd

from vastaff.conflicts import Conflict
from vastaff.contract import ContractModel
from vastaff.cpsat.explain import explain_school
from vastaff.cpsat.solver import SchoolSolution, SolveOptions, solve_school
from vastaff.district import District
from vastaff.greedy import greedy_school
from vastaff.sections.costs import teacher_costs
from vastaff.sections.decode import SECTION_COLUMNS, decode_school
from vastaff.sections.problem import SchoolProblem, school_problems
from vastaff.sections.vacancies import vacancy_items


@dataclass(frozen=True)
class SolveSettings:
    method: str = "cpsat"          # or "greedy"
    time_limit: float = 60.0       # seconds for the whole district
    seed: int = 0
    processes: int = 2
    strict: bool = False
    log: bool = False


@dataclass
class SectionPlan:
    status: str
    sections: pd.DataFrame
    section_grades: pd.DataFrame
    costs: pd.DataFrame
    vacancies: list[dict]
    stages: dict[str, dict]
    conflicts: list[Conflict] = field(default_factory=list)
    school_status: dict[str, str] = field(default_factory=dict)


def plan_sections(district: District, contract: ContractModel, settings: SolveSettings,
                  on_school: Callable[[SchoolSolution], None] | None = None) -> SectionPlan:
    """Sections, teachers and periods for every school (DEMAND, CRED, A6.x, A8.x, A12)."""
    problems = school_problems(district, contract)
    greedy = {p.school_id: greedy_school(p, contract) for p in problems}
    if settings.method == "greedy":
        solutions = [_greedy_solution(p, greedy[p.school_id]) for p in problems]
    else:
        solutions = _solve_all(problems, contract, settings, greedy, on_school)
    return _assemble(district, contract, problems, solutions, settings)


def _solve_all(problems, contract, settings, greedy, on_school) -> list[SchoolSolution]:
    sizes = {p.school_id: max(len(p.eligible), 1) for p in problems}
    total = sum(sizes.values())
    parallel = max(1, min(settings.processes, len(problems)))
    deadline = time.time() + settings.time_limit
    jobs = []
    for p in problems:
        budget = max(1.0, settings.time_limit * parallel * sizes[p.school_id] / total)
        options = SolveOptions(time_limit=budget, seed=settings.seed, strict=False, log=settings.log, deadline=deadline)
        jobs.append((p, contract, options, greedy[p.school_id]))
    jobs.sort(key=lambda job: -sizes[job[0].school_id])  # largest first: better balance over the processes
    raw = contract.model_dump(mode="json", by_alias=True)
    results: dict[str, SchoolSolution] = {}
    try:
        if parallel == 1:
            for job in jobs:
                results[job[0].school_id] = _report(solve_school(*job), on_school)
        else:
            with ProcessPoolExecutor(max_workers=parallel) as pool:
                futures = {pool.submit(_solve_in_worker, p, raw, o, h): p.school_id for p, _, o, h in jobs}
                for future in futures:
                    results[futures[future]] = _report(future.result(), on_school)
    except KeyboardInterrupt:
        pass  # best plan so far: solved schools as solved, the others as the clerk's fill (FEASIBLE)
    return [results.get(p.school_id) or _greedy_solution(p, greedy[p.school_id], interrupted=True) for p in problems]


def _solve_in_worker(p: SchoolProblem, contract_raw: dict, options: SolveOptions, hint) -> SchoolSolution:
    """Process-pool entry: the contract travels as plain data (pydantic generics do not pickle)."""
    return solve_school(p, ContractModel.model_validate(contract_raw), options, hint)


def _report(solution: SchoolSolution, on_school) -> SchoolSolution:
    if on_school:
        on_school(solution)
    return solution


def _greedy_solution(p: SchoolProblem, counts, interrupted: bool = False) -> SchoolSolution:
    takes, opened, seats = counts
    status = "FEASIBLE" if interrupted else "GREEDY"
    return SchoolSolution(p.school_id, status, takes, opened, seats)


def _assemble(district, contract, problems, solutions, settings) -> SectionPlan:
    previous_periods = _previous_periods(district)
    decoded = [decode_school(p, s.takes, s.opened, s.seats, contract, previous_periods)
               for p, s in zip(problems, solutions)]
    sections = pd.concat([d.sections for d in decoded], ignore_index=True) if decoded else _empty_sections()
    grades = pd.concat([d.section_grades for d in decoded], ignore_index=True) if decoded else pd.DataFrame(
        columns=["section_id", "grade", "students"])
    sections = sections.sort_values("section_id", kind="stable").reset_index(drop=True)
    grades = grades.sort_values(["section_id", "grade"], kind="stable").reset_index(drop=True)
    costs = teacher_costs(district, contract, sections, grades)
    vac = vacancy_items(district, sections, grades, _eligible_by_shape(problems))
    statuses = {s.school_id: s.status for s in solutions}
    if settings.method == "greedy":
        status = "FEASIBLE"
    else:
        status = "OPTIMAL" if all(s == "OPTIMAL" for s in statuses.values()) else "FEASIBLE"
    conflicts = []
    if settings.strict and vac:
        status = "INFEASIBLE"
        conflicts = _explain_vacancies(problems, contract, settings, vac)
    return SectionPlan(status, sections, grades, costs, vac, _stage_totals(solutions), conflicts, statuses)


def _explain_vacancies(problems, contract, settings, vac) -> list[Conflict]:
    """--strict: a minimal core per school with vacancies; the vacancy's own reason where no core is found."""
    conflicts = []
    schools = {v["course_id"] for v in vac}
    for p in problems:
        if not schools & set(p.courses.course_id):
            continue
        conflict = explain_school(p, contract, seed=settings.seed, time_limit=max(settings.time_limit / 4, 5.0))
        if conflict is not None:
            conflicts.append(conflict)
        else:  # the vacancy stage did not prove it unavoidable
            conflicts += [Conflict(tuple(v["rules"]), v["reason"], (("courses.csv", v["course_id"]),))
                          for v in vac if v["course_id"] in set(p.courses.course_id)]
    return conflicts


def _eligible_by_shape(problems: list[SchoolProblem]) -> dict:
    out = {}
    for p in problems:
        teachers = p.eligible.groupby("sid").teacher_id.apply(list).to_dict()
        for sid, course, grades in p.shapes[["sid", "course_id", "grades"]].itertuples(index=False):
            out[course, tuple(grades)] = teachers.get(sid, [])
    return out


def _stage_totals(solutions: list[SchoolSolution]) -> dict[str, dict]:
    """Per objective stage: value and bound summed over schools, and how many schools proved it optimal."""
    out: dict[str, dict] = {}
    for s in solutions:
        for r in s.stages:
            agg = out.setdefault(r.name, {"value": 0.0, "bound": 0.0, "optimal_parts": 0, "parts": 0})
            agg["parts"] += 1
            if r.status == "UNKNOWN":  # no solution in time: the school kept its previous plan
                continue
            agg["value"] += r.value
            agg["bound"] += r.bound
            agg["optimal_parts"] += r.status == "OPTIMAL"
    return out


def _previous_periods(district: District) -> dict:
    prev = district.previous
    if prev is None or prev.sections.empty:
        return {}
    s = prev.sections.dropna(subset=["teacher_id", "period_id"])
    return {(t, c): p for t, c, p in s[["teacher_id", "course_id", "period_id"]].itertuples(index=False)}


def _empty_sections() -> pd.DataFrame:
    return pd.DataFrame(columns=SECTION_COLUMNS)
