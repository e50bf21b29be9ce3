"""Row schemas of the meetings calendar (Article 4.0 C): calendar.csv, meeting_requests.csv and meetings.csv, and
the container `MeetingsData` that a District carries when its data folder holds them.

Both the optimizer (`vastaff.meetings`) and the checker read a request's audience through `attendance`: who is in a
request's meetings is a reading of the input (like a teacher's school), not a rule, so it is written once, here.
Calendar arithmetic every rule shares (weeks, months, school years) is here too. Never imports ortools.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import pandas as pd
from pydantic import BeforeValidator, Field

from vastaff.schemas.fields import LEVELS, Date, DerivedId, Id, Time, _choice, _id_list, _text, minutes_of_day, whole
from vastaff.schemas.inputs import Row

DAY_KINDS = ("instructional", "roa_friday", "no_school")
"""calendar.csv kinds: a day of instruction, the ROA Friday at the end of a two-week cycle (3.0), no school."""
A41_KINDS = ("pd", "plt")
"""Professional Development and Professional Learning Team meetings (4.0 C(1), rule A4.1)."""
A42_KINDS = ("faculty", "grade_level", "staff_development", "committee")
"""Faculty, Grade Level, Staff Development and Committee meetings (4.0 C(2), rule A4.2)."""
MEETING_KINDS = A41_KINDS + A42_KINDS
AUDIENCE_WORDS = ("all", *LEVELS, "special_education")
"""An audience cell that is one of these words names a group of the school's teachers; any other is a ';'-list of
teacher IDs (a word wins over a teacher ID spelled the same)."""
MAX_MEETINGS = 366
"""Meetings one request asks for (meeting_requests.csv `count`): one a day for a year at most."""
MAX_MINUTES = 1_440
"""Minutes one meeting lasts (meeting_requests.csv `minutes`); the contract allows far fewer (A4.1, A4.2)."""


def rule_of_kind(kind: str) -> str:
    """The rule ID whose limits a meeting kind counts against: A4.1 for pd/plt, A4.2 for the others."""
    return "A4.1" if kind in A41_KINDS else "A4.2"


def _audience(v: object) -> tuple[str, ...]:
    """A word of AUDIENCE_WORDS (as a 1-tuple, lower case), or a non-empty ';'-list of teacher IDs."""
    text = _text(v)
    if text.lower() in AUDIENCE_WORDS:
        return (text.lower(),)
    try:
        items = _id_list(text)
    except ValueError:
        items = ()
    if not items:
        raise ValueError(f"expected one of {', '.join(AUDIENCE_WORDS)}, or a ';'-separated list of teacher IDs")
    if any(item.lower() in AUDIENCE_WORDS for item in items):  # `high;T00004` read as every high teacher and one more
        raise ValueError(f"expected one of {', '.join(AUDIENCE_WORDS)}, or a ';'-separated list of teacher IDs, not "
                         f"both in one cell")
    return items


Audience = Annotated[tuple[str, ...], BeforeValidator(_audience)]
DayKind = Annotated[str, BeforeValidator(_choice(*DAY_KINDS))]
MeetingKind = Annotated[str, BeforeValidator(_choice(*MEETING_KINDS))]


class CalendarRow(Row):
    school_id: Id = Field(description="VA school (schools.csv)")
    date: Date = Field(description="a day of the school year; a date absent from the file is no_school")
    kind: DayKind = Field(description="instructional, roa_friday (3.0) or no_school")


class MeetingRequestRow(Row):
    request_id: Id = Field(description="request ID, unique in the file; meetings and reasons name it")
    school_id: Id = Field(description="VA school (schools.csv)")
    kind: MeetingKind = Field(description="pd or plt (4.0 C(1)); faculty, grade_level, staff_development or "
                                          "committee (4.0 C(2))")
    audience: Audience = Field(description="all, a level, special_education, or a ';'-list of the school's teacher IDs")
    count: whole(1, MAX_MEETINGS) = Field(description="meetings wanted")
    minutes: whole(1, MAX_MINUTES) = Field(description="how long each meeting lasts, minutes")
    earliest: Date = Field(description="first day a meeting may be held")
    latest: Date = Field(description="last day a meeting may be held (inclusive)")


class MeetingRow(Row):
    meeting_id: DerivedId = Field(description="meeting ID, unique in the file")
    request_id: Id = Field(description="the request it meets (meeting_requests.csv)")
    school_id: Id = Field(description="the request's school")
    kind: MeetingKind = Field(description="the request's kind")
    date: Date = Field(description="the day it is held")
    start: Time = Field(description="start time HH:MM")
    end: Time = Field(description="end time HH:MM")


class MeetingCountRow(Row):
    teacher_id: Id = Field(description="a teacher in the audience of at least one request")
    school_id: Id = Field(description="the teacher's school")
    a41_week_max: whole(0, MAX_MEETINGS) = Field(description="most pd/plt meetings in one week (A4.1)")
    a41_year: whole(0, MAX_MEETINGS) = Field(description="pd/plt meetings in the busiest school year")
    a42_week_max: whole(0, MAX_MEETINGS) = Field(description="most faculty-type meetings in one week (A4.2)")
    a42_month_max: whole(0, MAX_MEETINGS) = Field(description="most faculty-type meetings in one calendar month (A4.2)")
    a42_year: whole(0, MAX_MEETINGS) = Field(description="faculty-type meetings in the busiest school year (A4.2)")


MEETING_TABLES: dict[str, type[Row]] = {"calendar": CalendarRow, "meeting_requests": MeetingRequestRow,
                                         "meetings": MeetingRow}
"""The meetings calendar's input tables (`<name>.csv`, or sheets of a workbook); `meetings` is also the output."""
MEETING_COUNT_COLUMNS = list(MeetingCountRow.model_fields)


@dataclass(frozen=True)
class MeetingsData:
    """The meetings calendar of a data folder: one typed frame per file (each keeps `_row`), empty when absent.

    calendar: school_id, date (datetime64), kind. requests: request_id, school_id, kind, audience (tuple), count,
    minutes, earliest, latest. meetings: meeting_id, request_id, school_id, kind, date, start, end (scheduled
    meetings, e.g. the output of `vastaff meetings` copied into the data folder for `solve`).
    """

    calendar: pd.DataFrame
    requests: pd.DataFrame
    meetings: pd.DataFrame
    roster: tuple = ()
    """Problems of the requests' audiences (a listed teacher who left the data or the school, an audience holding
    nobody): `vastaff meetings` refuses them (`load_district(..., audiences=True)`); every other command reads the
    audience without those teachers and says so (`roster_warnings`) — a teacher's leaving never stops tonight's solve."""

    def attendance(self, teachers: pd.DataFrame) -> pd.DataFrame:
        """(request_id, teacher_id): who is in each request's meetings; see `attendance`."""
        return attendance(self.requests, teachers)

    def busy(self, teachers: pd.DataFrame) -> pd.DataFrame:
        """The scheduled meetings (meetings.csv) of every teacher: teacher_id, meeting_id, day (YYYY-MM-DD),
        start_min, end_min (minutes after midnight); what a teacher's IEP meetings must stay clear of (A4.3)."""
        m = self.meetings
        held = attendance(self.requests, teachers)[["request_id", "teacher_id"]].merge(
            m[["meeting_id", "request_id", "date", "start", "end"]], on="request_id")
        return pd.DataFrame({"teacher_id": held.teacher_id, "meeting_id": held.meeting_id,
                             "day": pd.to_datetime(held.date).dt.strftime("%Y-%m-%d"),
                             "start_min": minutes_of_day(held.start.astype(str)),
                             "end_min": minutes_of_day(held.end.astype(str))}).reset_index(drop=True)


def attendance(requests: pd.DataFrame, teachers: pd.DataFrame) -> pd.DataFrame:
    """(request_id, school_id, teacher_id) for every teacher in a request's audience, sorted.

    `all`: every teacher of the school; a level: the school's teachers of that level; `special_education`: the
    school's special-education department; a list: those teachers (of that school: others are left out here, and
    the loader refuses them).
    """
    cols = ["request_id", "school_id", "teacher_id"]
    if requests.empty:
        return pd.DataFrame(columns=cols)
    req = requests[["request_id", "school_id", "audience"]].explode("audience").rename(columns={"audience": "item"})
    staff = teachers[["teacher_id", "school_id", "level", "department"]]
    by_word = req[req["item"].isin(AUDIENCE_WORDS)].merge(staff, on="school_id")
    by_word = by_word[(by_word["item"] == "all") | (by_word["item"] == by_word["level"])
                      | ((by_word["item"] == "special_education") & (by_word["department"] == "special_education"))]
    listed = req[~req["item"].isin(AUDIENCE_WORDS)].merge(
        staff[["teacher_id", "school_id"]], left_on=["item", "school_id"], right_on=["teacher_id", "school_id"])
    out = pd.concat([by_word[cols], listed[cols]], ignore_index=True).drop_duplicates()
    return out.sort_values(["request_id", "teacher_id"], kind="stable").reset_index(drop=True)


# ----------------------------------------------------------------------------------------------
# The calendar's units, as every meetings rule counts them


def week_of(dates: pd.Series) -> pd.Series:
    """The Monday of each date's week (weeks run Monday to Sunday), as datetime64."""
    d = pd.to_datetime(dates)
    return (d - pd.to_timedelta(d.dt.day_of_week, unit="D")).dt.normalize()


def month_of(dates: pd.Series) -> pd.Series:
    """Each date's calendar month as 'YYYY-MM'."""
    return pd.to_datetime(dates).dt.strftime("%Y-%m")


def school_year_of(dates: pd.Series, start_month: int) -> pd.Series:
    """The school year of each date, named by the calendar year it starts in (start_month: its first month)."""
    d = pd.to_datetime(dates)
    return (d.dt.year - (d.dt.month < start_month).astype("int64")).astype("int64")


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def weekday_number(name: str) -> int:
    """Python's weekday number of a day name (monday = 0)."""
    return WEEKDAYS.index(name)


def hhmm(minutes: int) -> str:
    """Minutes after midnight as HH:MM."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"

