"""The A7.1/A7.2 coupling made exact where Hall's rows are not enough: a school's IEP meetings that overlap one another.

`sections/iep_need.py`'s rows are necessary conditions, one clique of meetings at a time. A chain of meetings asks
more: K 13:00-13:45 (blank list), K 13:45-14:45 (E4 alone), grade 5 13:30-14:30 (E4 or E5). E4 must hold the second,
so E5 the third, so K's teacher must not be E5 — no row says so, and a plan giving K to E5 left the rotation without
an answer (exit 3) where a plan with one exists. So a school's meetings are cut into *sets*, one per run of overlapping
meetings of a day with a blank-list meeting among them; after the section stages each set is tried against the plan
(`assignable`, a small exhaustive search), and a set it fails is modelled whole (`cpsat/iep_cover.exact_meeting_terms`:
one Boolean per meeting and candidate) and the school solved again (`nightly/school.solve_coupled`).

A set counts only its own school's meetings: a teacher a list names at two schools is held to one meeting at a time
by the rotation (people/iep), so the sets ask no more than a valid rotation does.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import groupby
from typing import Mapping, NamedTuple

import pandas as pd

from vastaff.io.locks import group_of, records
from vastaff.schemas.district import District
from vastaff.schemas.fields import minutes_of_day

SEARCH_NODES = 20_000
"""`assignable` gives up after this many partial assignments (the set is then modelled: safe, only slower)."""


class Meeting(NamedTuple):
    """One IEP meeting as a set sees it: who may hold it, whatever tonight's plan (`candidates`, ID order)."""

    meeting_id: str
    grade: int | None  # a blank list's grade: its holder must teach it tonight (A7.1); None for a named meeting
    start: int         # minutes after midnight
    end: int
    candidates: tuple[str, ...]


MeetingSet = tuple[Meeting, ...]


def iep_meeting_sets(district: District, scheduled: pd.DataFrame | None) -> dict[str, list[MeetingSet]]:
    """Per school: its sets of overlapping meetings (a day's run of meetings each overlapping the run so far, two or
    more, or one a meeting lock names; one with a blank list at least), meetings by start then ID. A blank list's
    candidates are the school's general-education classroom teachers; a named list's, its teachers; less those in a
    scheduled meeting then (A4.3) and as the meeting locks say (LOCK: `require` leaves its teacher alone, `forbid`
    takes one away)."""
    iep = district.iep_meetings
    if iep.empty or not iep.eligible_teacher_ids.map(len).eq(0).any():
        return {}
    t = district.teachers
    general = t[(t.department == "general") & (t.role == "classroom")].groupby("school_id").teacher_id.agg(sorted)
    rows = iep.assign(day=pd.to_datetime(iep.date).dt.strftime("%Y-%m-%d"), i0=minutes_of_day(iep.start.astype(str)),
                      i1=minutes_of_day(iep.end.astype(str))).sort_values(["school_id", "day", "i0", "meeting_id"])
    names = ["school_id", "day", "i0", "i1", "meeting_id", "grade", "eligible_teacher_ids"]
    plain = [dict(zip(names, r)) for r in zip(*(rows[c].tolist() for c in names))]  # a frame per day was 0.1 s
    locks = _meeting_locks(district)
    runs = [(school, run) for (school, _), ms in groupby(plain, key=lambda m: (m["school_id"], m["day"]))
            for run in _runs(list(ms)) if (len(run) > 1 or str(run[0]["meeting_id"]) in locks)
            and any(not m["eligible_teacher_ids"] for m in run)]
    busy = _scheduled_by_day(scheduled, {run[0]["day"] for _, run in runs})
    out: dict[str, list[MeetingSet]] = defaultdict(list)
    for school, run in runs:
        out[school].append(tuple(_meeting(m, general.get(school, []), busy, locks) for m in run))
    return dict(out)


def _runs(day: list[dict]) -> list[list[dict]]:
    """A day's meetings (by start) cut where none so far runs on: each run is a connected set of overlaps."""
    runs: list[list[dict]] = []
    until = -1
    for m in day:
        if runs and m["i0"] < until:
            runs[-1].append(m)
        else:
            runs.append([m])
        until = max(until, m["i1"])
    return runs


def _meeting(m: dict, staff: list[str], busy: dict[tuple[str, str], list], locks: dict[str, dict[str, set]]
             ) -> Meeting:
    listed = sorted(m["eligible_teacher_ids"])
    who = [c for c in (listed or staff) if not any(s < m["i1"] and m["i0"] < e for s, e in busy.get((m["day"], c), ()))]
    lock = locks.get(str(m["meeting_id"]), {})
    if lock.get("require"):
        who = [c for c in who if c in lock["require"]]
    who = [c for c in who if c not in lock.get("forbid", ())]
    return Meeting(str(m["meeting_id"]), None if listed else int(m["grade"]), int(m["i0"]), int(m["i1"]), tuple(who))


def _scheduled_by_day(scheduled: pd.DataFrame | None, days: set[str]) -> dict[tuple[str, str], list[tuple[int, int]]]:
    """(day, teacher_id) -> (start, end) of each scheduled meeting the teacher attends that day (meetings.csv, A4.3),
    on `days` only (a year's calendar is tens of thousands of rows; the sets' days are a few)."""
    if scheduled is None or scheduled.empty or not days:
        return {}
    scheduled = scheduled[scheduled.day.isin(days)]
    out: dict[tuple[str, str], list] = defaultdict(list)
    for t, day, s, e in zip(scheduled.teacher_id.tolist(), scheduled.day.tolist(), scheduled.start_min.tolist(),
                            scheduled.end_min.tolist()):
        out[str(day), str(t)].append((int(s), int(e)))
    return out


def _meeting_locks(district: District) -> dict[str, dict[str, set]]:
    """meeting_id -> mode -> teachers: locks.csv's meeting locks."""
    out: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    for row in records(district.locks):
        if group_of(row) == "meeting_id":
            out[str(row["meeting_id"])][str(row["mode"])].add(str(row["teacher_id"]))
    return out


def overlap(a: Meeting, b: Meeting) -> bool:
    """A7.2: two meetings intersect (touching is fine)."""
    return a.start < b.end and b.start < a.end


def cliques(ms: MeetingSet) -> list[tuple[int, ...]]:
    """The positions of the meetings running at each meeting's start, two or more, each set once: every set of
    pairwise-overlapping meetings lies in one of them (intervals)."""
    out: list[tuple[int, ...]] = []
    for m in ms:
        running = tuple(i for i, o in enumerate(ms) if o.start <= m.start < o.end)
        if len(running) > 1 and running not in out:
            out.append(running)
    return out


def unassignable(sets: list[MeetingSet], taught: Mapping[str, set[int]]) -> list[MeetingSet]:
    """The sets whose meetings a plan teaching `taught` cannot each give one candidate, no one holding two at once."""
    return [ms for ms in sets if not assignable(ms, taught)]


class _TooBig(Exception):
    pass


def assignable(ms: MeetingSet, taught: Mapping[str, set[int]], nodes: int = SEARCH_NODES) -> bool:
    """Whether each meeting can go to one candidate (a blank list's teaching its grade) with no one holding two
    overlapping meetings: meetings in start order, candidates in ID order, back-tracking (False past `nodes`)."""
    options = [[t for t in m.candidates if m.grade is None or m.grade in taught.get(t, ())] for m in ms]
    if not all(options):
        return False
    held: dict[str, list[int]] = defaultdict(list)
    left = [nodes]

    def place(i: int) -> bool:
        if i == len(ms):
            return True
        left[0] -= 1
        if left[0] < 0:
            raise _TooBig
        for t in options[i]:
            if not any(overlap(ms[i], ms[j]) for j in held[t]):
                held[t].append(i)
                if place(i + 1):
                    return True
                held[t].pop()
        return False

    try:
        return place(0)
    except (_TooBig, RecursionError):
        return False
