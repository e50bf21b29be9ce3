"""A4.1, A4.2, A4.3 — the meetings calendar (Article 4.0 A and C; 3.0), checked per teacher.

The plan's meetings.csv (from `vastaff meetings`, or made by hand; else the data's, which `solve` reads) against the
data's calendar.csv and meeting_requests.csv: a meeting is attended by every teacher of its request's audience.
A4.1: pd/plt meetings only on Tuesdays at 13:50, at most 60 minutes, at most one a week per teacher. A4.2: faculty,
grade-level, staff-development and committee meetings at most 60 minutes, ending by 15:50, at most one a week, four a
calendar month and thirty a school year per teacher. A4.3: only on instructional days (never a ROA Friday or a day
the calendar does not list), never before the synchronous window ends, no teacher in two meetings at once; and a
plan's IEP meetings (iep_assignments.csv) clear of the scheduled meetings of their teacher. Teachers with the same
meetings are reported together. Imports nothing of the meetings optimizer.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from vastaff.check.core import CheckContext, RowRef, cached, finding, short_list
from vastaff.io.meetings import load_plan_meetings
from vastaff.rules import Finding
from vastaff.schemas.fields import minutes_of_day
from vastaff.schemas.meetings import A41_KINDS, hhmm, month_of, school_year_of, week_of

MEETINGS_FILE, TEACHERS_FILE, IEP_FILE = "meetings.csv", "teachers.csv", "iep_assignments.csv"
FAMILY = {"A4.1": "pd/plt", "A4.2": "faculty-type"}


@cached
def plan_meetings(ctx: CheckContext) -> pd.DataFrame | None:
    """The meetings the plan goes by, with `rule`, `begin` and `finish` (minutes): the plan folder's meetings.csv,
    else the data's (where `solve` reads it: a night's `check DATA PLAN` checks the calendar it ran with); None
    without either."""
    frame = load_plan_meetings(Path(ctx.plan.path), ctx.district) if ctx.plan.path else None
    data = ctx.district.meetings
    if frame is None and data is not None and not data.meetings.empty:
        frame = data.meetings
    return None if frame is None else _timed(frame)


def _timed(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(rule=frame.kind.isin(A41_KINDS).map({True: "A4.1", False: "A4.2"}),
                        begin=minutes_of_day(frame.start.astype(str)), finish=minutes_of_day(frame.end.astype(str)),
                        day=pd.to_datetime(frame.date))


@cached
def attended(ctx: CheckContext) -> pd.DataFrame:
    """(teacher_id, meeting) for every teacher in the audience of every meeting of the plan."""
    m = plan_meetings(ctx)
    who = ctx.district.meetings.attendance(ctx.district.teachers)[["request_id", "teacher_id"]]
    return who.merge(m, on="request_id")


def _meeting(mid: str) -> RowRef:
    return RowRef(MEETINGS_FILE, str(mid))


def _teachers(ids) -> list[RowRef]:
    return [RowRef(TEACHERS_FILE, str(t)) for t in ids]


def _when(r) -> str:
    return f"meeting {r.meeting_id} ({r.kind}, {r.day.date()} {r.start}-{r.end})"


def check_a4_1_tuesday_1350(ctx: CheckContext) -> list[Finding]:
    """A4.1 (4.0 C(1)): pd/plt meetings only on the A4.1 weekday at the A4.1 time, at most pd_plt_max_minutes."""
    m, lim = plan_meetings(ctx), ctx.contract.meeting_limits
    if m is None:
        return []
    pds = m[m.rule == "A4.1"]
    wrong = pds[(pds.day.dt.day_of_week != lim.pd_plt_weekday) | (pds.begin != lim.pd_plt_start)]
    day = ctx.contract.meetings.pd_plt_day.value.capitalize()
    out = [finding("A4.1", f"{_when(r)} is on a {r.day.day_name()} at {r.start}: pd/plt meetings are held only on "
                           f"{day}s at {hhmm(lim.pd_plt_start)}", [_meeting(r.meeting_id)]) for r in wrong.itertuples()]
    return out + _too_long(pds, "A4.1", lim.pd_plt_max_minutes)


def check_a4_1_one_a_week(ctx: CheckContext) -> list[Finding]:
    """A4.1: at most pd_plt_per_week pd/plt meetings a week per teacher."""
    if plan_meetings(ctx) is None:
        return []
    return _over(ctx, "A4.1", "week", ctx.contract.meeting_limits.pd_plt_per_week)


def check_a4_2_length_and_end(ctx: CheckContext) -> list[Finding]:
    """A4.2 (4.0 C(2); 4.0 A): a faculty-type meeting lasts at most max_minutes and ends by end_by."""
    m, lim = plan_meetings(ctx), ctx.contract.meeting_limits
    if m is None:
        return []
    others = m[m.rule == "A4.2"]
    late = others[others.finish > lim.end_by]
    return _too_long(others, "A4.2", lim.max_minutes) + [
        finding("A4.2", f"{_when(r)} ends after {hhmm(lim.end_by)}", [_meeting(r.meeting_id)])
        for r in late.itertuples()]


def check_a4_2_per_week_month_year(ctx: CheckContext) -> list[Finding]:
    """A4.2: per teacher at most per_week faculty-type meetings a week, per_month a calendar month, per_school_year
    a school year."""
    if plan_meetings(ctx) is None:
        return []
    lim = ctx.contract.meeting_limits
    return (_over(ctx, "A4.2", "week", lim.per_week) + _over(ctx, "A4.2", "month", lim.per_month)
            + _over(ctx, "A4.2", "school year", lim.per_school_year))


def check_a4_3_instructional_afternoon(ctx: CheckContext) -> list[Finding]:
    """A4.3 (4.0 A; 3.0): meetings only on instructional days of the school's calendar, after the synchronous
    window."""
    m, lim = plan_meetings(ctx), ctx.contract.meeting_limits
    if m is None:
        return []
    cal = ctx.district.meetings.calendar[["school_id", "date", "kind"]].rename(columns={"date": "day",
                                                                                       "kind": "day_kind"})
    m = m.merge(cal, on=["school_id", "day"], how="left").fillna({"day_kind": "no_school"})
    out = [finding("A4.3", f"{_when(r)}: {r.day.date()} is {_day_kind(r.day_kind)} at school {r.school_id}, not an "
                           f"instructional day", [_meeting(r.meeting_id), RowRef("calendar.csv", r.school_id)])
           for r in m[m.day_kind != "instructional"].itertuples()]
    early = m[m.begin < lim.start_after]
    return out + [finding("A4.3", f"{_when(r)} starts before the synchronous window ends at {hhmm(lim.start_after)}",
                          [_meeting(r.meeting_id)]) for r in early.itertuples()]


def check_a4_3_one_at_a_time(ctx: CheckContext) -> list[Finding]:
    """A4.3: no teacher in two meetings at once (overlapping times on one day)."""
    m = plan_meetings(ctx)
    if m is None:
        return []
    pairs = m.merge(m, on=["school_id", "day"], suffixes=("", "_b"))
    pairs = pairs[(pairs.meeting_id < pairs.meeting_id_b) & (pairs.begin < pairs.finish_b)
                  & (pairs.begin_b < pairs.finish)]
    who = attended(ctx)[["meeting_id", "teacher_id"]]
    both = pairs.merge(who, on="meeting_id").merge(who.rename(columns={"meeting_id": "meeting_id_b"}),
                                                   on=["meeting_id_b", "teacher_id"])
    out = []
    for (_, _), group in both.groupby(["meeting_id", "meeting_id_b"], sort=True):
        r, teachers = group.iloc[0], sorted(group.teacher_id)
        out.append(finding("A4.3", f"{_when(r)} and meeting {r.meeting_id_b} ({r.start_b}-{r.end_b}) overlap; "
                                   f"teacher(s) {short_list(teachers)} attend both",
                           [_meeting(r.meeting_id), _meeting(r.meeting_id_b), *_teachers(teachers)]))
    return out


def check_a4_3_iep_clear(ctx: CheckContext) -> list[Finding]:
    """A4.3 (with A7.2): a teacher's IEP meetings (iep_assignments.csv) overlap none of their scheduled meetings."""
    if ctx.plan.iep_assignments.empty:
        return []
    hit = iep_overlaps(ctx, ctx.plan.iep_assignments[["meeting_id", "teacher_id"]])
    return [finding("A4.3", f"teacher {r.teacher_id}: IEP meeting {r.meeting_id_iep} ({r.day.date()} {r.start_iep}-"
                            f"{r.end_iep}) overlaps meeting {r.meeting_id} ({r.kind}, {r.start}-{r.end})",
                    [RowRef(TEACHERS_FILE, r.teacher_id), RowRef(IEP_FILE, r.meeting_id_iep), _meeting(r.meeting_id)])
            for r in hit.sort_values(["teacher_id", "day", "i0"]).itertuples()]


def iep_overlaps(ctx: CheckContext, held: pd.DataFrame) -> pd.DataFrame:
    """A4.3: for (meeting_id, teacher_id) rows of IEP meetings, every scheduled meeting of that teacher overlapping
    the IEP meeting (same day, intersecting times; touching is fine): teacher_id, meeting_id_iep, day, start_iep,
    end_iep, i0, i1 (minutes), the scheduled meeting_id, kind, start, end, and any other column of `held`. Empty when
    nothing is scheduled."""
    sched = plan_meetings(ctx)
    if sched is None or held.empty:
        return pd.DataFrame(columns=["teacher_id", "meeting_id_iep", "day", "start_iep", "end_iep", "i0", "i1",
                                     "meeting_id", "kind", "start", "end"])
    m = ctx.district.iep_meetings[["meeting_id", "date", "start", "end"]]
    m = m.assign(day=pd.to_datetime(m.date), i0=minutes_of_day(m.start.astype(str)),
                 i1=minutes_of_day(m.end.astype(str)))
    sched = sched[sched.day.isin(m.day.unique())]
    who = ctx.district.meetings.attendance(ctx.district.teachers)[["request_id", "teacher_id"]]
    busy = who[who.request_id.isin(sched.request_id)].merge(sched, on="request_id")
    iep = held[held.teacher_id.isin(busy.teacher_id)].merge(m, on="meeting_id")
    hit = iep.merge(busy, on=["teacher_id", "day"], suffixes=("_iep", ""))
    return hit[(hit.i0 < hit.finish) & (hit.begin < hit.i1)]


def _day_kind(kind: str) -> str:
    return {"roa_friday": "a ROA Friday", "no_school": "a day without school"}.get(kind, kind)


def _too_long(m: pd.DataFrame, rule: str, most: int) -> list[Finding]:
    long = m[m.finish - m.begin > most]
    return [finding(rule, f"{_when(r)} lasts {r.finish - r.begin} minutes; a {FAMILY[rule]} meeting lasts at most "
                          f"{most}", [_meeting(r.meeting_id)]) for r in long.itertuples()]


def _over(ctx: CheckContext, rule: str, unit: str, limit: int) -> list[Finding]:
    """Teachers with more than `limit` meetings of a family in one unit; teachers with the same meetings together."""
    held = attended(ctx)
    held = held[held.rule == rule]
    key = {"week": lambda d: week_of(d).dt.date.astype(str), "month": month_of,
           "school year": lambda d: school_year_of(d, ctx.contract.meeting_limits.year_start_month).astype(str)}
    held = held.assign(unit=key[unit](held.day))
    n = held.groupby(["teacher_id", "unit"]).meeting_id.transform("size")
    over = held[n > limit].sort_values("meeting_id")
    sets = over.groupby(["teacher_id", "unit"]).meeting_id.agg(tuple).rename("ids").reset_index()
    out = []
    for (when, ids), group in sets.groupby(["unit", "ids"], sort=True):
        teachers = sorted(group.teacher_id)
        out.append(finding(rule, f"teacher(s) {short_list(teachers)}: {len(ids)} {FAMILY[rule]} meetings in the "
                                 f"{unit} {_unit_name(unit, when)} ({', '.join(ids)}); at most {limit}",
                           [*_teachers(teachers), *(_meeting(i) for i in ids)]))
    return out


def _unit_name(unit: str, when: str) -> str:
    if unit == "week":
        return f"of {when}"
    return f"{when}-{int(when) + 1}" if unit == "school year" else when


def figures(ctx: CheckContext) -> dict:
    """Meetings scheduled and the busiest teacher's counts."""
    m = plan_meetings(ctx)
    if m is None:
        return {}
    held = attended(ctx)
    per_teacher = held.groupby(["teacher_id", "rule"]).size()
    return {"meetings": {"scheduled": int(len(m)), "requests": int(m.request_id.nunique()),
                         "teachers": int(held.teacher_id.nunique()),
                         "most_per_teacher": {rule: int(n.max()) for rule, n in per_teacher.groupby(level="rule")}}}


def check_as_requested(ctx: CheckContext) -> list[Finding]:
    """STRUCTURE: a meeting is one its request asked for — held within the request's window (earliest..latest) and
    lasting exactly its `minutes` (docs/data-format.md, "meeting_requests.csv": `count` meetings of `minutes` each,
    wanted between earliest and latest)."""
    m = plan_meetings(ctx)
    if m is None:
        return []
    asked = ctx.district.meetings.requests.drop_duplicates("request_id")[["request_id", "minutes", "earliest",
                                                                          "latest"]]
    m = m.merge(asked, on="request_id")
    outside = m[(m.day < m.earliest) | (m.day > m.latest)]
    length = m[m.finish - m.begin != m.minutes]
    early_or_late = [finding("STRUCTURE", f"{_when(r)} is outside the window of request {r.request_id}, "
                                          f"{r.earliest.date()} to {r.latest.date()}", _asked(r))
                     for r in outside.itertuples()]
    return early_or_late + [finding("STRUCTURE", f"{_when(r)} lasts {r.finish - r.begin} minutes; request "
                                                 f"{r.request_id}'s meetings last {r.minutes}", _asked(r))
                            for r in length.itertuples()]


def _asked(r) -> list[RowRef]:
    return [_meeting(r.meeting_id), RowRef("meeting_requests.csv", str(r.request_id))]


CHECKS = [check_as_requested, check_a4_1_tuesday_1350, check_a4_1_one_a_week, check_a4_2_length_and_end,
          check_a4_2_per_week_month_year,
          check_a4_3_instructional_afternoon, check_a4_3_one_at_a_time, check_a4_3_iep_clear]
FIGURES = [figures]
