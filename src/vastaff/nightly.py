"""The whole nightly plan: sections (solve.py), then people (locations, IEP meetings, caseloads), then run.json.

The run is interruptible (vastaff.interrupt): the first Ctrl-C or SIGTERM stops every search, which keeps its best
solution so far, and the plan comes back FEASIBLE with `"interrupted": true` in run.json; the second Ctrl-C aborts.
"""

from __future__ import annotations

import time
from pathlib import Path
from dataclasses import dataclass
from typing import Callable

import pandas as pd

from vastaff.sections.changes import changes_vs_previous
from vastaff.conflicts import Conflict, Infeasible
from vastaff.people.caseload import assign_caseloads
from vastaff.people.iep import assign_iep_meetings
from vastaff.people.location import assign_locations
from vastaff.contract import ContractModel
from vastaff.schemas.district import District
from vastaff.interrupt import interruptible
from vastaff.sections.costs import cost_totals
from vastaff.sections.orchestrate import SectionPlan, SolveSettings, plan_sections

LOCATION_COLUMNS = ["teacher_id", "work_location", "site_id", "room_id"]


@dataclass
class NightlyPlan:
    status: str
    tables: dict[str, pd.DataFrame]
    run: dict

    @property
    def feasible(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE")


def solve_nightly(district: District, contract: ContractModel, settings: SolveSettings,
                  on_school: Callable | None = None) -> NightlyPlan:
    start = time.perf_counter()
    with interruptible() as stop:
        sections = plan_sections(district, contract, settings, on_school)
        people, conflicts = _people(district, contract, settings, sections)
        interrupted = stop.is_set()
    run = run_summary(district, contract, settings, sections, time.perf_counter() - start)
    status = sections.status
    if conflicts:
        status = "INFEASIBLE"
        run["conflicts"] = run.get("conflicts", []) + [c.as_dict() for c in conflicts]
    elif interrupted and status == "OPTIMAL":
        status = "FEASIBLE"  # an interrupted run claims no optimum, even where every part had proven its own
    run["status"], run["interrupted"] = status, interrupted
    if people is None:
        return NightlyPlan(status, {}, run)
    locations, iep, caseloads = people
    teachers = sections.costs.merge(locations.assignments[LOCATION_COLUMNS], on="teacher_id", how="left")
    tables = {"sections": sections.sections, "section_grades": sections.section_grades, "teachers": teachers,
              "iep_assignments": iep.assignments, "caseloads": caseloads.assignments}
    run["people"] = {
        "locations": locations.figures,
        "room_shortfall": {"count": len(locations.shortfalls),
                           "items": locations.shortfalls.to_dict("records")},
        "iep": {"status": iep.status, "schools": iep.figures},
        "caseloads": caseloads.figures,
    }
    return NightlyPlan(status, tables, run)


def _people(district: District, contract: ContractModel, settings: SolveSettings, sections: SectionPlan):
    """A16/A19/A24–A26 locations, A7.1/A7.2 IEP rotation (needs tonight's sections), A7.3 caseloads."""
    conflicts: list[Conflict] = []
    try:
        locations = assign_locations(district, contract, district.previous)
    except Infeasible as exc:
        conflicts += exc.conflicts
    try:
        iep = assign_iep_meetings(district, contract, sections.sections, sections.section_grades,
                                  seed=settings.seed, time_limit=max(settings.time_limit / 10, 2.0))
    except Infeasible as exc:
        conflicts += exc.conflicts
    except TimeoutError as exc:  # neither repair, greedy fill nor CP-SAT found an assignment in time
        conflicts.append(Conflict(("A7.1", "A7.2"), f"IEP rotation found no assignment in time: {exc}"))
    try:
        caseloads = assign_caseloads(district, contract)
    except Infeasible as exc:
        conflicts += exc.conflicts
    return (None if conflicts else (locations, iep, caseloads)), conflicts


def run_summary(district: District, contract: ContractModel, settings: SolveSettings, sp: SectionPlan,
                seconds: float) -> dict:
    """run.json: status, objective (dollars), bound, gap, costs, vacancies, changes, stages, conflicts."""
    costs = cost_totals(sp.costs)
    money = sp.stages.get("money")
    if settings.method == "greedy":
        bound, gap = None, None
    else:
        bound = round(money["bound"] / 100, 2) if money else 0.0
        gap = 0.0 if costs["total"] <= bound + 1e-9 else round((costs["total"] - bound) / costs["total"], 6)
    run = {
        "status": sp.status,
        "objective": costs["total"],
        "best_bound": bound,
        "gap": gap,
        "wall_seconds": round(seconds, 3),
        "seed": settings.seed,
        "method": settings.method,
        "time_limit": settings.time_limit,
        "contract_model": contract.name,
        "contract_model_file": _model_file(contract),
        "input_sha256": district.input_sha256,
        "costs": costs,
        "vacancies": {"count": len(sp.vacancies), "items": sp.vacancies},
        "changes_vs_previous": changes_vs_previous(district.previous, sp.sections),
        "objective_stages": {name: {"value": _stage_value(name, agg["value"]), "bound": _stage_value(name, agg["bound"]),
                                    "optimal_parts": agg["optimal_parts"], "parts": agg["parts"]}
                             for name, agg in sp.stages.items()},
        "schools": {sid: _school_summary(s) for sid, s in sp.schools.items()},
        "timing": {"stage_seconds": {sid: {r.name: round(r.seconds, 3) for r in s.stages}
                                     for sid, s in sp.schools.items()}},
    }
    if sp.status == "INFEASIBLE":
        run["conflicts"] = [c.as_dict() for c in sp.conflicts]
    return run


def _school_summary(solution) -> dict:
    """One school: its status and each stage's status, value and bound (None where a stage found nothing)."""
    def number(name, x):
        return None if x != x else _stage_value(name, x)  # NaN: no solution in time
    return {"status": solution.status,
            "stages": {r.name: {"status": r.status, "value": number(r.name, r.value), "bound": number(r.name, r.bound)}
                       for r in solution.stages}}


def _stage_value(name: str, value: float) -> float:
    return round(value / 100, 2) if name == "money" else round(value, 6)


def _model_file(contract: ContractModel) -> str:
    return Path(contract.source).name if contract.source else ""
