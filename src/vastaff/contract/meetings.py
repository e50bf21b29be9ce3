"""The meetings calendar's numbers (Article 4.0 A and C; rules A4.1-A4.3), and `MeetingLimits`: the same numbers in
minutes and counts, as the optimizer (`vastaff.meetings`) and the checker (`check/meetings.py`) both read them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from vastaff.contract.terms import HHMM, Term, _Strict, whole
from vastaff.schemas.fields import minutes_of_day
from vastaff.schemas.meetings import MAX_MEETINGS, MAX_MINUTES, weekday_number

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MeetingCount = whole(1, MAX_MEETINGS)
Minutes = whole(1, MAX_MINUTES)
Month = whole(1, 12)


class MeetingTerms(_Strict):
    """`meetings:` of the model file. A4.1: pd/plt meetings; A4.2: faculty, grade-level, staff-development and
    committee meetings; A4.3 (only after the synchronous window) reads `workday.synchronous_window`."""

    pd_plt_day: Term[Weekday]
    pd_plt_start: Term[HHMM]
    pd_plt_per_week: Term[MeetingCount]
    pd_plt_max_minutes: Term[Minutes]
    per_week: Term[MeetingCount]
    per_month: Term[MeetingCount]
    per_school_year: Term[MeetingCount]
    max_minutes: Term[Minutes]
    end_by: Term[HHMM]
    school_year_start_month: Term[Month]
    start_grid_minutes: Term[Minutes]
    preferred_start: Term[HHMM]

    def limits(self, start_after: int) -> MeetingLimits:
        """The numbers in minutes after midnight and counts; `start_after`: the synchronous window's end (A4.3)."""
        return MeetingLimits(
            pd_plt_weekday=weekday_number(self.pd_plt_day.value),
            pd_plt_start=minutes_of_day(self.pd_plt_start.value),
            pd_plt_per_week=self.pd_plt_per_week.value,
            pd_plt_max_minutes=self.pd_plt_max_minutes.value,
            per_week=self.per_week.value,
            per_month=self.per_month.value,
            per_school_year=self.per_school_year.value,
            max_minutes=self.max_minutes.value,
            end_by=minutes_of_day(self.end_by.value),
            year_start_month=self.school_year_start_month.value,
            grid_minutes=self.start_grid_minutes.value,
            preferred_start=minutes_of_day(self.preferred_start.value),
            start_after=start_after,
        )


@dataclass(frozen=True)
class MeetingLimits:
    """Article 4.0 C per teacher, in minutes after midnight and counts.

    A4.1 (4.0 C(1)): pd/plt meetings only on `pd_plt_weekday` at `pd_plt_start`, at most `pd_plt_per_week` a week,
    each at most `pd_plt_max_minutes`. A4.2 (4.0 C(2), 4.0 A): the other kinds at most `per_week` a week, `per_month`
    a calendar month and `per_school_year` a school year (starting in `year_start_month`), each at most `max_minutes`
    and ending by `end_by`. A4.3 (4.0 A, 3.0): nothing starts before `start_after`. `grid_minutes` and
    `preferred_start` place a faculty-type meeting in its afternoon (a scheduling choice, not a rule).
    """

    pd_plt_weekday: int
    pd_plt_start: int
    pd_plt_per_week: int
    pd_plt_max_minutes: int
    per_week: int
    per_month: int
    per_school_year: int
    max_minutes: int
    end_by: int
    year_start_month: int
    grid_minutes: int
    preferred_start: int
    start_after: int
