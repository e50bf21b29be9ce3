"""One school's meetings calendar as data (Article 4.0 C): the days each request may use, the audience classes whose
limits bind, and the pairs of meetings that cannot share a day.

Aggregation: every meeting of a request has the request's audience, so the per-teacher limits (A4.1, A4.2) bind on
*audience classes*: teachers grouped by the set of requests whose audience holds them. A class whose set lies inside
another's is bound by that one's limits already, so only the maximal sets are kept. Schools are independent.

Days: a request may use the `instructional` days of its window (A4.3: never a ROA Friday or a day without school);
pd/plt only the A4.1 weekday (Tuesday). Times: a pd/plt meeting starts at 13:50 (A4.1); a faculty-type meeting
(A4.2) starts on a grid after the synchronous window (A4.3) and ends by 15:50 (A4.2). With at most one meeting of
each family a week per teacher, the only meetings of one teacher that can fall on one day are a pd/plt meeting and a
faculty-type one: such a pair conflicts (A4.3, no teacher in two meetings at once) when no grid start of the second
avoids the first. All pd/plt meetings start at one time, so a faculty-type meeting that avoids the longest pd/plt
meeting of its day avoids them all: pairwise conflicts are exact.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import pandas as pd
from ortools.graph.python import max_flow

from vastaff.contract.meetings import MeetingLimits
from vastaff.rules import Finding, RowRef
from vastaff.schemas.meetings import MAX_MEETINGS as MAX_MEETINGS_PER_REQUEST
from vastaff.schemas.meetings import A41_KINDS, hhmm, month_of, rule_of_kind, week_of

REQUESTS_FILE = "meeting_requests.csv"


class Slot(NamedTuple):
    """What the model decides: a meeting of a request in one week's days of one calendar month (`day` None), or on
    one day. Days of one week and month are alike to every limit when a teacher has at most one meeting of each
    family a week and no pd/plt meeting rules out a faculty-type meeting's day: then the model decides weeks (and
    decode.py the day), a quarter of the variables and none of the symmetry; otherwise it decides days."""

    week: dt.date
    month: str
    day: dt.date | None = None

    def school_year(self, start_month: int) -> int:
        year, month = int(self.month[:4]), int(self.month[5:])
        return year - (month < start_month)


@dataclass(frozen=True)
class Request:
    """One request: its kind, rule family (A4.1 or A4.2), count and length, the days it may use, and why it may use
    none (`blocked`, a Finding) when that is known before any search."""

    request_id: str
    kind: str
    rule: str
    count: int
    minutes: int
    audience: str
    days: tuple[dt.date, ...]
    blocked: Finding | None = None
    teachers: int = 0
    """Teachers in its audience: a meeting of it counts once for each (the model's first stage)."""
    slots: dict[Slot, tuple[dt.date, ...]] = field(default_factory=dict, compare=False)
    """The request's days grouped as the model sees them (see `Slot`), in order."""

    @property
    def ref(self) -> RowRef:
        return RowRef(REQUESTS_FILE, self.request_id)


@dataclass(frozen=True)
class SchoolProblem:
    """What the CP-SAT model of one school reads."""

    school_id: str
    limits: MeetingLimits
    requests: dict[str, Request]
    classes: list[tuple[str, ...]]
    """Maximal audience classes: the requests a group of teachers attends together (sorted)."""
    conflicts: list[tuple[str, str, dt.date]] = field(default_factory=list)
    """(pd/plt request, faculty-type request, day) that cannot both meet that day (A4.3)."""
    by_day: bool = False
    """Slots are days (see `Slot`)."""

    def starts(self, request_id: str) -> list[int]:
        """The start times a request's meetings may have, minutes after midnight (A4.1, A4.2, A4.3)."""
        return meeting_starts(self.requests[request_id], self.limits)


def meeting_starts(request: Request, lim: MeetingLimits) -> list[int]:
    """A4.1: pd/plt at one time; A4.2/A4.3: a grid from the end of the synchronous window, ending by `end_by`."""
    if request.kind in A41_KINDS:
        return [lim.pd_plt_start]
    last = lim.end_by - request.minutes
    return list(range(lim.start_after, last + 1, lim.grid_minutes))


def build_problems(requests: pd.DataFrame, calendar: pd.DataFrame, attendance: pd.DataFrame,
                   lim: MeetingLimits) -> list[SchoolProblem]:
    """One problem per school that has requests, in school order."""
    out = []
    for school, reqs in requests.sort_values("request_id").groupby("school_id", sort=True):
        days = calendar[(calendar.school_id == school) & (calendar.kind == "instructional")].date
        present = attendance[attendance.school_id == school]
        out.append(school_problem(str(school), reqs, sorted(d.date() for d in pd.to_datetime(days)), present, lim))
    return out


def school_problem(school: str, reqs: pd.DataFrame, instructional: list[dt.date], attendance: pd.DataFrame,
                   lim: MeetingLimits) -> SchoolProblem:
    size = attendance.groupby("request_id").size()
    requests = {r.request_id: replace(_request(r, instructional, lim), teachers=int(size.get(r.request_id, 0)))
                for r in reqs.itertuples(index=False)}
    problem = SchoolProblem(school, lim, requests, audience_classes(attendance))
    problem.conflicts.extend(_conflicts(problem))
    by_day = bool(problem.conflicts) or lim.pd_plt_per_week > 1 or lim.per_week > 1
    dates = pd.Series(pd.to_datetime(instructional), dtype="datetime64[ns]")
    slot_of = {d: Slot(w.date(), m, d if by_day else None)
               for d, w, m in zip(instructional, week_of(dates), month_of(dates))}
    slotted = {r: replace(req, slots=_grouped(req.days, slot_of)) for r, req in requests.items()}
    return replace(problem, requests=slotted, by_day=by_day)


def _grouped(days: tuple[dt.date, ...], slot_of: dict[dt.date, Slot]) -> dict[Slot, tuple[dt.date, ...]]:
    out: dict[Slot, list[dt.date]] = {}
    for d in days:
        out.setdefault(slot_of[d], []).append(d)
    return {slot: tuple(ds) for slot, ds in out.items()}


def audience_classes(attendance: pd.DataFrame) -> list[tuple[str, ...]]:
    """The maximal sets of requests some teacher attends together, sorted (a set inside another is left out: its
    limits are implied)."""
    sets = set(attendance.sort_values("request_id").groupby("teacher_id").request_id.agg(tuple))
    maximal: list[frozenset[str]] = []
    for c in sorted(sets, key=lambda c: (-len(c), c)):
        if not any(set(c) <= m for m in maximal):
            maximal.append(frozenset(c))
    return sorted(tuple(sorted(m)) for m in maximal)


def _request(r, instructional: list[dt.date], lim: MeetingLimits) -> Request:
    """A request with its usable days, or blocked with the rule that leaves it none."""
    rule = rule_of_kind(r.kind)
    audience = ";".join(r.audience)
    first, last = r.earliest.date(), r.latest.date()
    days = [d for d in instructional if first <= d <= last]
    if r.kind in A41_KINDS:
        days = [d for d in days if d.weekday() == lim.pd_plt_weekday]
    base = Request(r.request_id, r.kind, rule, int(r.count), int(r.minutes), audience, tuple(days))
    why = _blocked(base, lim)
    if why is None:
        return base
    rules, text = why
    message = f"request {r.request_id} ({r.kind}, audience {audience}): none of its {r.count} meetings can be " \
              f"held: {text}"
    return replace(base, days=(), blocked=Finding(rules, message, (base.ref,)))


def _blocked(r: Request, lim: MeetingLimits) -> tuple[tuple[str, ...], str] | None:
    """Why a request can hold no meeting at all, whatever the others do (rules, reason), or None."""
    longest = lim.pd_plt_max_minutes if r.rule == "A4.1" else lim.max_minutes
    if r.minutes > longest:
        return (r.rule,), f"it lasts {r.minutes} minutes; a {r.kind} meeting lasts at most {longest}"
    if r.rule == "A4.1" and lim.pd_plt_start < lim.start_after:
        return ("A4.1", "A4.3"), (f"pd/plt meetings start at {hhmm(lim.pd_plt_start)}, inside the synchronous "
                                  f"window that ends at {hhmm(lim.start_after)}")
    if not meeting_starts(r, lim):
        return ("A4.2", "A4.3"), (f"a {r.minutes}-minute meeting cannot start after the synchronous window "
                                  f"({hhmm(lim.start_after)}) and end by {hhmm(lim.end_by)}")
    if not r.days:
        day = f"instructional {_weekday_name(lim.pd_plt_weekday)}" if r.rule == "A4.1" else "instructional day"
        return (("A4.1", "A4.3") if r.rule == "A4.1" else ("A4.3",)), f"its window holds no {day}"
    return None


def _weekday_name(n: int) -> str:
    return dt.date(2024, 1, 1 + n).strftime("%A")  # 2024-01-01 is a Monday


def _conflicts(p: SchoolProblem) -> list[tuple[str, str, dt.date]]:
    """(pd/plt request, faculty-type request, day): the pairs of one class that cannot meet on one day (A4.3)."""
    pairs = set()
    for c in p.classes:
        pds = [p.requests[r] for r in c if p.requests[r].rule == "A4.1" and p.requests[r].days]
        others = [p.requests[r] for r in c if p.requests[r].rule == "A4.2" and p.requests[r].days]
        for a in pds:
            for b in others:
                if not _fits_around(p.starts(b.request_id), b.minutes, p.limits.pd_plt_start, a.minutes):
                    pairs.update((a.request_id, b.request_id, d) for d in set(a.days) & set(b.days))
    return sorted(pairs)


def most_alone(req: Request, lim: MeetingLimits) -> int:
    """The most meetings a request could hold if it were the only one: its count, its slots and its own limits (a
    week, and for A4.2 a month and a school year). Weeks, the slots of a week in one month, months and school years
    nest, so this is a maximum flow: source -> week -> (week, month) -> month -> school year -> sink."""
    unlimited = 10 * MAX_MEETINGS_PER_REQUEST
    per_week = lim.pd_plt_per_week if req.rule == "A4.1" else lim.per_week
    per_month = lim.per_month if req.rule == "A4.2" else unlimited
    per_year = lim.per_school_year if req.rule == "A4.2" else unlimited
    flow, node = max_flow.SimpleMaxFlow(), {"source": 0, "sink": 1}

    def arc(a: object, b: object, capacity: int) -> None:
        flow.add_arc_with_capacity(node.setdefault(a, len(node)), node.setdefault(b, len(node)), capacity)

    segments: dict[tuple[dt.date, str], int] = defaultdict(int)
    for slot in req.slots:
        segments[slot.week, slot.month] += 1
    if not segments:
        return 0
    for week in sorted({w for w, _ in segments}):
        arc("source", ("week", week), per_week)
    for (week, month), n in sorted(segments.items()):
        arc(("week", week), ("segment", week, month), n)
        arc(("segment", week, month), ("month", month), unlimited)
    years = {m: Slot(dt.date.min, m).school_year(lim.year_start_month) for _, m in segments}
    for month, year in sorted(years.items()):
        arc(("month", month), ("year", year), per_month)
    for year in sorted(set(years.values())):
        arc(("year", year), "sink", per_year)
    flow.solve(0, 1)
    return min(req.count, flow.optimal_flow())


def _fits_around(starts: list[int], minutes: int, busy_start: int, busy_minutes: int) -> bool:
    return any(s + minutes <= busy_start or s >= busy_start + busy_minutes for s in starts)


def place(starts: list[int], minutes: int, busy: list[tuple[int, int]], preferred: int) -> int | None:
    """The start nearest `preferred` (the earlier on a tie) whose meeting avoids every busy (start, end)."""
    free = [s for s in starts if all(s + minutes <= b0 or s >= b1 for b0, b1 in busy)]
    return min(free, key=lambda s: (abs(s - preferred), s)) if free else None
