"""A9.2 (9.0(2)), preparation time: "If a teacher is notified of a change in their tentative assignment five calendar
days prior to the first day of instruction, the teacher may request preparation time (IX-A 2.0)."

With `--first-day` (and `--as-of`, default the day of the run), a teacher whose sections changed against the previous
plan, while `as_of` is at most `assignment_change_notice_days` calendar days before `first_day` (or after it: a
later notice is shorter still), is flagged `prep_time = true` in teachers.csv and listed in run.json's `prep_time`.
A teacher's sections changed when the multiset of their sections' (course_id, semester) differs — a course gained or
lost, or a number of sections of a course — as `courses` in changes.csv; a new period or other students alone is no
new assignment. Without `--first-day` nobody is flagged and run.json has no `prep_time`; without a previous plan
nothing changed against it, so nobody is flagged either.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

import pandas as pd

from vastaff.errors import InputError, InputProblem
from vastaff.schemas.district import Plan
from vastaff.schemas.fields import DATE_RANGE
from vastaff.schemas.run import PrepTime


@dataclass(frozen=True)
class PrepDates:
    """The first day of instruction and the day the assignment is notified (`--as-of`)."""

    first_day: date
    as_of: date

    def within_notice(self, notice_days: int) -> bool:
        """9.0(2): `as_of` at most `notice_days` calendar days before the first day (or on or after it)."""
        return (self.first_day - self.as_of).days <= notice_days


def assignments(sections: pd.DataFrame | None) -> dict[str, Counter]:
    """teacher_id -> Counter of (course_id, semester) over the teacher's sections (vacancies have none)."""
    if sections is None or sections.empty:
        return {}
    staffed = sections.dropna(subset=["teacher_id"])[["teacher_id", "course_id", "semester"]].astype(str)
    out: dict[str, Counter] = {}
    for teacher, course, semester in staffed.itertuples(index=False):
        out.setdefault(teacher, Counter())[course, semester] += 1
    return out


def changed_teachers(previous: Plan | None, sections: pd.DataFrame) -> set[str]:
    """Teachers whose sections' (course, semester) multiset differs from the previous plan's; none without one."""
    if previous is None:
        return set()
    before, now = assignments(previous.sections), assignments(sections)
    return {t for t in before.keys() | now.keys() if before.get(t, Counter()) != now.get(t, Counter())}


def prep_time_flags(teacher_ids: pd.Series, previous: Plan | None, sections: pd.DataFrame, dates: PrepDates | None,
                    notice_days: int) -> tuple[pd.Series, PrepTime | None]:
    """teachers.csv's `prep_time` (aligned with `teacher_ids`) and run.json's `prep_time` (None without dates)."""
    if dates is None:
        return pd.Series(False, index=teacher_ids.index, dtype=bool), None
    within = dates.within_notice(notice_days)
    changed = changed_teachers(previous, sections) if within else set()
    flags = teacher_ids.astype(str).isin(changed).astype(bool)
    record = PrepTime(first_day=dates.first_day.isoformat(), as_of=dates.as_of.isoformat(), notice_days=notice_days,
                      days_before=(dates.first_day - dates.as_of).days, within_notice=within,
                      previous_plan=previous is not None, teachers=sorted(teacher_ids[flags].astype(str)))
    return flags, record


def parse_prep_dates(first_day: str | None, as_of: str | None, today: date) -> PrepDates | None:
    """`--first-day` and `--as-of` (default `today`) as PrepDates; None without --first-day. InputError (one line
    per bad option, exit 2) for a date that is not YYYY-MM-DD or --as-of without --first-day."""
    problems, days = [], {}
    for option, text in (("--first-day", first_day), ("--as-of", as_of)):
        if text is not None:
            days[option] = _iso_date(text)
            if days[option] is None:
                problems.append(InputProblem(option, value=text, expected=f"a date YYYY-MM-DD from {DATE_RANGE[0]} "
                                                                          f"to {DATE_RANGE[1]}, e.g. 2026-08-12"))
    if as_of is not None and first_day is None:
        problems.append(InputProblem("--as-of", value=as_of, expected="--first-day with it (the first day of "
                                                                      "instruction the notice is counted against)"))
    if problems:
        raise InputError(problems)
    return PrepDates(days["--first-day"], days.get("--as-of") or today) if first_day is not None else None


def _iso_date(text: str) -> date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        return None
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if DATE_RANGE[0] <= day <= DATE_RANGE[1] else None  # the data's dates' bounds
