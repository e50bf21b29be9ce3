"""The whole nightly plan: sections (nightly/sections.py), then people (locations, IEP meetings, caseloads),
then its run summary (schemas/run.RunSummary, built here and nowhere else; io/plan.py writes it as run.json).

The run is interruptible (vastaff.interrupt): the first Ctrl-C or SIGTERM stops every search, which keeps its best
solution so far, and the plan comes back FEASIBLE with `"interrupted": true` in run.json; the second Ctrl-C aborts.
"""

from __future__ import annotations

import os
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, NamedTuple, Sequence

import pandas as pd

from vastaff.contract import ContractModel
from vastaff.cpsat.matrix import matrix_figures, ranks_received
from vastaff.diff import summary_counts, teacher_changes
from vastaff.forked import ForkedCall
from vastaff.interrupt import interruptible
from vastaff.io.meetings import roster_warnings
from vastaff.people.caseload import CaseloadResult, assign_caseloads
from vastaff.people.iep import IepResult, assign_iep_meetings
from vastaff.people.iep.explain import with_vacant_grades
from vastaff.people.location import LocationResult, assign_locations
from vastaff.rules import Finding, Infeasible
from vastaff.schemas.district import District
from vastaff.schemas.run import (
    Changes, ConflictRecord, Costs, IepSummary, Listing, MatrixFigures, PeopleSummary, PeriodFigureRecord,
    PeriodsSummary, PrepTime, RunSummary, SchoolSummary, StageResult, StageTotal, Status, Timing, Vacancies,
)
from vastaff.sections.changes import changes_vs_previous
from vastaff.sections.costs import cost_totals
from vastaff.sections.timetable_figures import combine
from vastaff.nightly.prep_time import prep_time_flags
from vastaff.nightly.sections import SectionPlan, SolveSettings, plan_sections

LOCATION_COLUMNS = ["teacher_id", "work_location", "site_id", "room_id"]


@dataclass(frozen=True)
class NightlyPlan:
    """Tonight's plan tables (none when INFEASIBLE) and its run summary."""

    summary: RunSummary
    tables: dict[str, pd.DataFrame]
    changes: pd.DataFrame | None = None  # with a previous plan: per teacher and kind, what changed (changes.csv)
    locations: LocationResult | None = None  # tonight's work locations, for the report's "why" (no second run)

    @property
    def status(self) -> Status:
        return self.summary.status

    @property
    def feasible(self) -> bool:
        return self.summary.status.has_plan

    @property
    def run(self) -> dict:
        """run.json's content as a plain dict (a copy: for reading in notebooks and tests)."""
        return self.summary.dump()


class People(NamedTuple):
    """The people parts' answers."""

    locations: LocationResult
    iep: IepResult
    caseloads: CaseloadResult


def solve_nightly(district: District, contract: ContractModel, settings: SolveSettings,
                  on_school: Callable | None = None, meanwhile: Callable[[], None] | None = None) -> NightlyPlan:
    """Sections, then people, then the run summary; `on_school` hears of each school as its search ends. The people
    parts that need no sections run in a process forked as the run starts, beside the schools' problems (on the core
    that would wait) and searches (vastaff.forked; where none can be forked, in a thread while the schools are
    searched); `meanwhile`, the caller's own work that needs no plan, runs while they are searched (it may start a
    `Background` of its own)."""
    start = time.perf_counter()
    apart = ForkedCall(lambda: _people_apart(district, contract), "vastaff-people")  # beside the schools' problems

    def while_searching() -> None:
        apart.start()
        if meanwhile is not None:
            meanwhile()

    with interruptible() as stop, closing(apart):
        sections = plan_sections(district, contract, settings, on_school, meanwhile=while_searching)
        # locks that cannot hold leave a school without sections: an IEP rotation around them would only add
        # conflicts that are not the cause; the locations' and caseloads' own need no sections, so they are said too
        locked_out = any("LOCK" in c.rules for c in sections.conflicts)
        located, caseloads = apart.result()
        people, conflicts = (None, _own_conflicts(located, caseloads)) if locked_out else _people(
            district, contract, settings, sections, located, caseloads)
        interrupted = stop.is_set()
    prep = (prep_time_flags(sections.costs.teacher_id, district.previous, sections.sections, settings.prep_dates,
                            contract.assignment_change_notice_days) if people is not None else None)
    summary = run_summary(district, contract, settings, sections, time.perf_counter() - start,
                          people=people, conflicts=conflicts, interrupted=interrupted,
                          prep_time=prep[1] if prep else None)
    tables = _tables(sections, people, prep[0]) if people is not None else {}
    changes = teacher_changes(district.previous, tables) if tables and district.previous is not None else None
    return NightlyPlan(_with_changes(summary, changes), tables, changes,
                       people.locations if people is not None else None)


def _with_changes(summary: RunSummary, changes: pd.DataFrame | None) -> RunSummary:
    """run.json's changes_vs_previous with changes.csv's counts beside the stability stage's (A12's previous plan):
    teachers changed of any kind, as the console says, and per kind."""
    if changes is None or summary.changes_vs_previous is None:
        return summary
    counted = summary.changes_vs_previous.model_copy(update={
        "teachers_changed": int(changes["teacher_id"].nunique()), "by_kind": summary_counts(changes)})
    return summary.model_copy(update={"changes_vs_previous": counted})


def _people_apart(district: District, contract: ContractModel) -> tuple[LocationResult | Infeasible,
                                                                         CaseloadResult | Infeasible]:
    """A16/A19/A24–A26 locations and A7.3 caseloads, each or its conflicts: neither needs tonight's sections."""
    return (_or_conflicts(lambda: assign_locations(district, contract, district.previous)),
            _or_conflicts(lambda: assign_caseloads(district, contract)))


def _or_conflicts(part: Callable):
    try:
        return part()
    except Infeasible as exc:
        return exc


def _own_conflicts(*parts: object) -> list[Finding]:
    """The conflicts of the people parts that need no sections (locations, caseloads), in that order."""
    return [finding for part in parts if isinstance(part, Infeasible) for finding in part.findings]


def _people(district: District, contract: ContractModel, settings: SolveSettings, sections: SectionPlan,
            locations: LocationResult | Infeasible, caseloads: CaseloadResult | Infeasible
            ) -> tuple[People | None, list[Finding]]:
    """The people parts: `locations` and `caseloads` (`_people_apart`), and the A7.1/A7.2 IEP rotation, which needs
    tonight's sections. Conflicts in that order."""
    conflicts = _own_conflicts(locations)
    try:
        iep = assign_iep_meetings(district, contract, sections.sections, sections.section_grades,
                                  seed=settings.seed, time_limit=max(settings.time_limit / 10, 2.0))
    except Infeasible as exc:
        conflicts += with_vacant_grades(exc.findings, district.iep_meetings, sections.sections,
                                        sections.section_grades, sections.vacancy_reasons)
    except TimeoutError as exc:  # neither repair, greedy fill nor CP-SAT found an assignment in time
        conflicts.append(Finding(("A7.1", "A7.2"), f"IEP rotation found no assignment in time: {exc}"))
    conflicts += _own_conflicts(caseloads)
    return (None if conflicts else People(locations, iep, caseloads)), conflicts


def _tables(sections: SectionPlan, people: People, prep_time: pd.Series) -> dict[str, pd.DataFrame]:
    teachers = sections.costs.assign(prep_time=prep_time).merge(people.locations.assignments[LOCATION_COLUMNS],
                                                                on="teacher_id", how="left")
    return {"sections": sections.sections, "section_grades": sections.section_grades, "teachers": teachers,
            "iep_assignments": people.iep.assignments, "caseloads": people.caseloads.assignments}


def _previous_path(district: District) -> str | None:
    """The previous plan's folder (or workbook), absolute; None without one (or one built in memory)."""
    previous = district.previous
    return os.path.abspath(previous.path) if previous is not None and previous.path else None


def run_summary(district: District, contract: ContractModel, settings: SolveSettings, sp: SectionPlan,
                seconds: float, people: People | None = None, conflicts: Sequence[Finding] = (),
                interrupted: bool = False, prep_time: PrepTime | None = None) -> RunSummary:
    """run.json: status, objective (dollars), bound, gap, costs, vacancies, changes, stages, conflicts, people.

    `conflicts` are the people parts' (they make the run INFEASIBLE, after the sections' own under --strict).
    """
    costs = Costs(**cost_totals(sp.costs))
    bound, gap = _bound_and_gap(settings, sp, costs.total)
    status = _status(sp.status, conflicts, interrupted, all(p.status == "OPTIMAL" for p in sp.periods.values()))
    found = (sp.conflicts if sp.status == Status.INFEASIBLE else []) + list(conflicts)
    changes = changes_vs_previous(district.previous, sp.sections)
    return RunSummary(
        status=status,
        objective=costs.total,
        best_bound=bound,
        gap=gap,
        wall_seconds=round(seconds, 3),
        seed=settings.seed,
        method=settings.method,
        time_limit=settings.time_limit,
        contract_model=contract.name,
        contract_model_file=_model_file(contract),
        input_sha256=district.input_sha256,
        costs=costs,
        vacancies=Vacancies(count=len(sp.vacancies), items=sp.vacancies),
        changes_vs_previous=Changes(**changes) if changes is not None else None,
        previous_plan=_previous_path(district),
        objective_stages={name: _in_units(name, total) for name, total in sp.stages.items()},
        schools={sid: _school_summary(s) for sid, s in sp.schools.items()},
        periods=_periods_summary(sp),
        matrix=_matrix_summary(district, sp),
        timing=Timing(stage_seconds={sid: _stage_seconds(s, sp.periods.get(sid)) for sid, s in sp.schools.items()}),
        conflicts=[ConflictRecord.of(c) for c in found] if status == Status.INFEASIBLE else None,
        interrupted=interrupted,
        warnings=sp.jobs.warnings or None,
        people=_people_summary(people) if people is not None else None,
        prep_time=prep_time,
        roster_warnings=roster_warnings(district) or None,
    )


def _status(sections: Status, conflicts: Sequence[Finding], interrupted: bool, periods_proved: bool) -> Status:
    """A people conflict makes the run INFEASIBLE; an interrupted run, or one whose timetable is not proven optimal,
    claims no optimum, even where every other part had proven its own."""
    if conflicts:
        return Status.INFEASIBLE
    if (interrupted or not periods_proved) and sections == Status.OPTIMAL:
        return Status.FEASIBLE
    return Status(sections)


def _bound_and_gap(settings: SolveSettings, sp: SectionPlan, total: float) -> tuple[float | None, float | None]:
    """The money stage's proven bound in dollars and the relative gap; none for the clerk's fill (it proves nothing)."""
    if settings.method == "greedy":
        return None, None
    money = sp.stages.get("money")
    bound = round(money.bound / 100, 2) if money else 0.0
    return bound, 0.0 if total <= bound + 1e-9 else round((total - bound) / total, 6)


def _in_units(name: str, total: StageTotal) -> StageTotal:
    return total.model_copy(update={"value": _stage_value(name, total.value), "bound": _stage_value(name, total.bound)})


def _school_summary(solution) -> SchoolSummary:
    """One school: its status and each stage's status, value and bound (None where a stage found nothing)."""
    def number(name, x):
        return None if x != x else _stage_value(name, x)  # NaN: no solution in time
    return SchoolSummary(status=solution.status, stages={
        r.name: StageResult(status=r.status, value=number(r.name, r.value), bound=number(r.name, r.bound))
        for r in solution.stages})


def _stage_seconds(solution, periods) -> dict[str, float]:
    """A school's wall seconds per section stage, then per period stage (`periods.<measure>`)."""
    seconds = {r.name: round(r.seconds, 3) for r in solution.stages}
    seconds.update({f"periods.{r.name}": round(r.seconds, 3) for r in (periods.stages if periods else [])})
    return seconds


def _periods_summary(sp: SectionPlan) -> PeriodsSummary | None:
    """run.json `periods`: the district's timetable figures, then each school's, with how each was found."""
    if not sp.periods:
        return None
    schools = {sid: _period_record(p.status, p.figures, p.first_fit) for sid, p in sorted(sp.periods.items())}
    statuses = {p.status for p in sp.periods.values()}
    status = "OPTIMAL" if statuses == {"OPTIMAL"} else "GREEDY" if statuses == {"GREEDY"} else "FEASIBLE"
    firsts = [p.first_fit for p in sp.periods.values() if p.first_fit is not None]
    first = combine(firsts) if len(firsts) == len(sp.periods) else None
    return PeriodsSummary(**_period_record(status, combine([p.figures for p in sp.periods.values()]), first).dump(),
                          schools=schools)


def _period_record(status: str, figures, first_fit) -> PeriodFigureRecord:
    return PeriodFigureRecord(status=status, **figures.as_dict(),
                              first_fit=first_fit.as_dict() if first_fit is not None else None)


def _matrix_summary(district: District, sp: SectionPlan) -> dict[str, dict[str, MatrixFigures]] | None:
    """run.json `matrix` (A9.1): per school and level, how the plan's sections grant the teachers' choices."""
    if district.matrix.empty or sp.status == Status.INFEASIBLE:
        return None
    received = ranks_received(district.matrix, district.teachers, district.courses, sp.sections, sp.section_grades)
    return {school: {level: MatrixFigures(**f) for level, f in levels.items()}
            for school, levels in matrix_figures(received).items()}


def _people_summary(people: People) -> PeopleSummary:
    shortfalls = people.locations.shortfalls
    return PeopleSummary(
        locations=people.locations.figures,
        room_shortfall=Listing(count=len(shortfalls), items=shortfalls.to_dict("records")),
        iep=IepSummary(status=people.iep.status, schools=people.iep.figures),
        caseloads=people.caseloads.figures,
    )


def _stage_value(name: str, value: float) -> float:
    return round(value / 100, 2) if name == "money" else round(value, 6)


def _model_file(contract: ContractModel) -> str:
    return Path(contract.source).name if contract.source else ""
