"""`schedule_meetings(district, contract, settings)`: the year's meetings calendar (Article 4.0 C; A4.1-A4.3).

Per school (schools are independent): the problem (problem.py), the two CP-SAT stages (cpsat.py), the meetings with
their times and the per-teacher counts (decode.py), and a reason for every request not fully met (explain.py).
Time: `time_limit` deterministic seconds split between the schools by their size (slots of their requests), so the
same data, model and seed give the same files; the run also stops at WALL_FACTOR times it in wall seconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pandas as pd

from vastaff.contract import ContractModel
from vastaff.cpsat.budget import Budget, TimeShare
from vastaff.interrupt import interruptible, stop_requested
from vastaff.meetings.cpsat import SchoolCalendar, solve_school
from vastaff.meetings.decode import meeting_rows, meetings_frame, teacher_counts
from vastaff.meetings.explain import shortfalls
from vastaff.meetings.problem import SchoolProblem, build_problems, most_alone
from vastaff.rules import Finding
from vastaff.schemas.district import District
from vastaff.schemas.run import (
    ConflictRecord, MeetingSchool, MeetingShortfall, MeetingsRun, RowRecord, StageResult, Status,
)


WALL_FACTOR = 3
"""The run's wall-clock backstop, in multiples of its deterministic budget (CP-SAT's deterministic clock runs slower
than the wall clock on large or busy machines; a stage stopped by the wall clock is valid but may differ between
runs)."""


@dataclass(frozen=True)
class MeetingSettings:
    time_limit: float = 60.0  # deterministic seconds over all schools
    seed: int = 0
    strict: bool = False      # a request not fully met makes the run INFEASIBLE


@dataclass
class MeetingsResult:
    """meetings.csv and meeting_counts.csv as frames, the requests not fully met, and the run record."""

    meetings: pd.DataFrame
    counts: pd.DataFrame
    shortfalls: list[Finding]
    run: MeetingsRun

    @property
    def feasible(self) -> bool:
        return self.run.status.has_plan


def schedule_meetings(district: District, contract: ContractModel, settings: MeetingSettings = MeetingSettings()
                      ) -> MeetingsResult:
    """Schedule every school's requests; `district.meetings` must hold the calendar and the requests."""
    began = time.perf_counter()
    data = district.meetings
    if data is None:
        raise ValueError("district has no meetings calendar (io.meetings.require_calendar checks it)")
    lim = contract.meeting_limits
    attendance = data.attendance(district.teachers)
    problems = build_problems(data.requests, data.calendar, attendance, lim)
    alone = [{r: most_alone(req, lim) for r, req in p.requests.items()} for p in problems]
    with interruptible():
        calendars = _solve_all(problems, alone, settings)
        interrupted = stop_requested()
    rows, found = [], []
    for p, cal, most in zip(problems, calendars, alone):
        rows += meeting_rows(p, cal.slots)
        found += shortfalls(p, cal.slots, most)
    meetings = meetings_frame(rows)
    counts = teacher_counts(meetings, attendance, lim.year_start_month)
    run = _run_record(district, contract, settings, problems, calendars, found, meetings,
                      time.perf_counter() - began, interrupted)
    return MeetingsResult(meetings, counts, found, run)


def _size(p: SchoolProblem) -> int:
    return max(1, sum(len(r.slots) for r in p.requests.values()))


def _solve_all(problems: list[SchoolProblem], alone: list[dict[str, int]], settings: MeetingSettings
               ) -> list[SchoolCalendar]:
    total = sum(_size(p) for p in problems) or 1
    wall = TimeShare(time.time() + WALL_FACTOR * settings.time_limit, total=total)
    out = []
    for p, most in zip(problems, alone):
        budget = Budget(wall.part_deadline(_size(p)), work=settings.time_limit * _size(p) / total)
        out.append(solve_school(p, budget, most, settings.seed))
    return out


def _run_record(district: District, contract: ContractModel, settings: MeetingSettings,
                problems: list[SchoolProblem], calendars: list[SchoolCalendar], found: list[Finding],
                meetings: pd.DataFrame, seconds: float, interrupted: bool) -> MeetingsRun:
    stages = [{s.name: s for s in cal.stages} for cal in calendars]
    value = sum(st["attendance"].value for st in stages if "attendance" in st)
    bound = sum(st["attendance"].bound for st in stages if "attendance" in st)
    optimal = all(cal.optimal and len(cal.stages) == 2 for cal in calendars) and not interrupted
    status = Status.INFEASIBLE if settings.strict and found else Status.OPTIMAL if optimal else Status.FEASIBLE
    held = meetings.groupby("request_id").size()
    return MeetingsRun(
        status=status, objective=value, best_bound=max(bound, value),
        evenness=sum(st["evenness"].value for st in stages if "evenness" in st),
        wall_seconds=round(seconds, 3), seed=settings.seed, time_limit=settings.time_limit,
        contract_model=contract.name, input_sha256=district.input_sha256,
        requests=len(district.meetings.requests), requested=int(district.meetings.requests["count"].sum()),
        unscheduled=[_shortfall(f, district.meetings.requests, held) for f in found],
        schools={p.school_id: _school(p, cal, held) for p, cal in zip(problems, calendars)},
        conflicts=[ConflictRecord.of(f) for f in found] if status == Status.INFEASIBLE else None,
        interrupted=interrupted,
    )


def _shortfall(f: Finding, requests: pd.DataFrame, held: pd.Series) -> MeetingShortfall:
    request_id = f.rows[0].key
    req = requests.set_index("request_id").loc[request_id]
    return MeetingShortfall(request_id=request_id, school_id=req.school_id, kind=req.kind, requested=int(req["count"]),
                            scheduled=int(held.get(request_id, 0)), rules=list(f.rules), reason=f.message,
                            rows=[RowRecord(file=file, key=key) for file, key in f.rows])


def _school(p: SchoolProblem, cal: SchoolCalendar, held: pd.Series) -> MeetingSchool:
    return MeetingSchool(
        requests=len(p.requests), requested=sum(r.count for r in p.requests.values()),
        scheduled=int(sum(held.get(r, 0) for r in p.requests)), audience_classes=len(p.classes),
        stages={s.name: StageResult(status=s.status, value=s.value, bound=s.bound) for s in cal.stages})
