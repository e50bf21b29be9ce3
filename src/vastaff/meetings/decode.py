"""From the days each request meets to meetings.csv (times placed) and meeting_counts.csv (per teacher).

Days: when the model decides weeks (problem.Slot), a meeting goes on the first weekday of WEEKDAY_PREFERENCE in its
slot. Times: a pd/plt meeting starts at the A4.1 time; a faculty-type meeting (A4.2) at the grid start nearest the
preferred start (14:50, where the on-site day would end) that keeps it clear of the pd/plt meetings of its day that
share a teacher with it (A4.3). The model already refused every day where no such start exists (problem.py).
Every meeting is one its request asked for: a day of its window, lasting its `minutes` (STRUCTURE, as the checker
reads meetings.csv back).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pandas as pd

from vastaff.meetings.problem import SchoolProblem, Slot, meeting_starts, place
from vastaff.schemas.meetings import (
    MEETING_COUNT_COLUMNS, MEETING_TABLES, hhmm, month_of, school_year_of, week_of,
)

MEETING_COLUMNS = list(MEETING_TABLES["meetings"].model_fields)
WEEKDAY_PREFERENCE = (2, 3, 0, 4, 1)
"""When the model decides a week, the day a meeting is held: Wednesday, Thursday, Monday, Friday, then Tuesday (the
pd/plt day, which already holds a meeting for many teachers)."""


def meeting_rows(p: SchoolProblem, slots: dict[str, list[Slot]]) -> list[dict]:
    """meetings.csv rows of one school: `<request_id>-<n>` numbered in date order, times placed."""
    lim, rows = p.limits, []
    days = {r: [_day(p.requests[r].slots[s]) for s in held] for r, held in slots.items()}
    pd_on: dict[dt.date, list[str]] = defaultdict(list)
    for r, on in days.items():
        if p.requests[r].rule == "A4.1":
            for d in on:
                pd_on[d].append(r)
    shares = _sharing(p)
    for r in sorted(days):
        req = p.requests[r]
        for n, d in enumerate(sorted(days[r]), start=1):
            if req.rule == "A4.1":
                start = lim.pd_plt_start
            else:
                busy = [(lim.pd_plt_start, lim.pd_plt_start + p.requests[a].minutes)
                        for a in pd_on.get(d, ()) if a in shares[r]]
                start = place(meeting_starts(req, lim), req.minutes, busy, lim.preferred_start)
                if start is None:  # the model refuses such a day (A4.3); never placed over another meeting
                    raise AssertionError(f"no start for request {r} on {d}")
            rows.append({"meeting_id": f"{r}-{n:02d}", "request_id": r, "school_id": p.school_id, "kind": req.kind,
                         "date": d.isoformat(), "start": hhmm(start), "end": hhmm(start + req.minutes)})
    return rows


def _day(days: tuple[dt.date, ...]) -> dt.date:
    """The day of a slot a meeting is held on: by WEEKDAY_PREFERENCE."""
    return min(days, key=lambda d: (WEEKDAY_PREFERENCE.index(d.weekday()) if d.weekday() in WEEKDAY_PREFERENCE
                                    else len(WEEKDAY_PREFERENCE), d))


def _sharing(p: SchoolProblem) -> dict[str, set[str]]:
    """Request -> the requests whose audience shares a teacher with it."""
    out: dict[str, set[str]] = defaultdict(set)
    for c in p.classes:
        for r in c:
            out[r].update(c)
    return out


def meetings_frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=MEETING_COLUMNS)
    return frame.sort_values(["school_id", "date", "start", "meeting_id"], kind="stable").reset_index(drop=True)


def teacher_counts(meetings: pd.DataFrame, attendance: pd.DataFrame, year_start_month: int) -> pd.DataFrame:
    """meeting_counts.csv: per teacher in any audience, the most meetings in a week (A4.1 and A4.2 families), in a
    calendar month and in a school year (the busiest school year when the calendar spans more than one)."""
    teachers = attendance[["teacher_id", "school_id"]].drop_duplicates().sort_values("teacher_id")
    held = attendance[["request_id", "teacher_id"]].merge(meetings[["request_id", "kind", "date"]], on="request_id")
    held = held.assign(family=held.kind.isin(("pd", "plt")).map({True: "a41", False: "a42"}),
                       week=week_of(held.date), month=month_of(held.date),
                       year=school_year_of(held.date, year_start_month))
    out = teachers.set_index("teacher_id")
    for family, unit, column in (("a41", "week", "a41_week_max"), ("a41", "year", "a41_year"),
                                 ("a42", "week", "a42_week_max"), ("a42", "month", "a42_month_max"),
                                 ("a42", "year", "a42_year")):
        mine = held[held.family == family]
        peak = mine.groupby(["teacher_id", unit]).size().groupby("teacher_id").max()
        out[column] = peak.reindex(out.index).fillna(0).astype("int64")
    return out.reset_index()[MEETING_COUNT_COLUMNS]
