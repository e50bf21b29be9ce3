"""`build_meetings(tables, seed)`: a realistic meetings calendar for a generated district (Article 4.0 C).

calendar.csv: one school year of 180 school days from mid-August, the same for every school: weekends left out,
holidays and recesses (Labor Day, Veterans Day, Thanksgiving week, three weeks of winter recess, Martin Luther King
Day, Presidents' Day, spring recess, Memorial Day) listed as no_school, and every second Friday a ROA Friday (3.0).
meeting_requests.csv: about 40 requests per school, close to what a principal asks for in a year: PD for everyone
and PLT by level on alternate Tuesdays; a monthly faculty meeting; grade-level meetings per level; staff development
for everyone and for the special-education department; committees of a few named teachers. The totals of a busy
teacher come near the A4.2 limits, so a few requests cannot be fully met: what `vastaff meetings` must prove.
Deterministic per seed: its own random stream, apart from the district's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from vastaff.generate.special_ed import HORIZON_START
from vastaff.schemas.meetings import MEETING_TABLES

SCHOOL_DAYS = 180
COMMITTEES = (16, 24)
"""Committees per school: a random number in this range (with the other requests, about 40 a school)."""
MAX_COMMITTEES = 2
"""Committees one teacher sits on."""
MEETING_SORT_KEYS = {"calendar": ["school_id", "date"], "meeting_requests": ["request_id"]}
STREAM = 0x4D45  # "ME": the meetings' random stream, apart from generate.common.Streams


FIRST_YEAR = int(HORIZON_START[:4])
"""The generated school year starts in the year of the generated IEP meetings (special_ed.HORIZON_START, in the
autumn), so they fall on its school days, some on a ROA Friday."""


def build_meetings(tables: dict[str, pd.DataFrame], seed: int = 1, first_year: int = FIRST_YEAR
                   ) -> dict[str, pd.DataFrame]:
    """calendar and meeting_requests for the district `tables` (generate_district's), as CSV cells, sorted."""
    rng = np.random.default_rng((int(seed), STREAM))
    days = school_calendar(first_year)
    schools = sorted(tables["schools"].school_id)
    calendar = pd.concat([days.assign(school_id=s) for s in schools], ignore_index=True)
    teachers = tables["teachers"]
    requests = pd.concat([_school_requests(s, teachers[teachers.school_id == s], days, rng) for s in schools],
                         ignore_index=True)
    out = {"calendar": calendar, "meeting_requests": requests}
    return {name: _cells(name, frame) for name, frame in out.items()}


def school_calendar(first_year: int) -> pd.DataFrame:
    """date, kind for every weekday from the first school day to the 180th (holidays and recesses no_school)."""
    first = _weekday_on_or_after(dt.date(first_year, 8, 12), 3)  # a Thursday in mid-August
    closed = _holidays(first_year)
    rows, school_days, day = [], 0, first
    while school_days < SCHOOL_DAYS:
        if day.weekday() < 5:
            if day in closed:
                rows.append((day, "no_school"))
            else:
                roa = day.weekday() == 4 and ((day - first).days // 7) % 2 == 1
                rows.append((day, "roa_friday" if roa else "instructional"))
                school_days += 1
        day += dt.timedelta(days=1)
    return pd.DataFrame(rows, columns=["date", "kind"])


def _weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _nth_monday(year: int, month: int, n: int) -> dt.date:
    return _weekday_on_or_after(dt.date(year, month, 1), 0) + dt.timedelta(weeks=n - 1)


def _last_monday(year: int, month: int) -> dt.date:
    end = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return end - dt.timedelta(days=end.weekday())


def _week(monday: dt.date, weeks: int = 1) -> set[dt.date]:
    return {monday + dt.timedelta(days=i) for i in range(7 * weeks)}


def _holidays(first_year: int) -> set[dt.date]:
    """The district's days without school in the school year starting in `first_year`."""
    y, z = first_year, first_year + 1
    thanksgiving = _weekday_on_or_after(dt.date(y, 11, 1), 3) + dt.timedelta(weeks=3)
    winter = dt.date(y, 12, 22) - dt.timedelta(days=dt.date(y, 12, 22).weekday())
    return ({_nth_monday(y, 9, 1), dt.date(y, 11, 11), _nth_monday(z, 1, 3), _nth_monday(z, 2, 3),
             _last_monday(z, 5)}
            | _week(thanksgiving - dt.timedelta(days=3)) | _week(winter, 3) | _week(_last_monday(z, 3)))


def _school_requests(school: str, staff: pd.DataFrame, days: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """About 40 requests of one school (see the module docstring)."""
    open_days = days.date[days.kind != "no_school"]
    first, last = open_days.min(), open_days.max()
    fall_end = open_days[open_days < dt.date(first.year, 12, 31)].max()
    spring = open_days[open_days > fall_end].min()
    levels = sorted(set(staff.level))
    rows = [("pd", "all", 16, 60, first, last), ("faculty", "all", 8, 60, first, last),
            ("staff_development", "all", 3, 60, first, last)]
    rows += [("plt", level, 16, 50, first, last) for level in levels]
    rows += [("grade_level", level, 8, 45, first, last) for level in levels]
    if (staff.department == "special_education").any():
        rows.append(("staff_development", "special_education", 3, 60, first, last))
    seats = dict.fromkeys(staff.teacher_id.sort_values(), MAX_COMMITTEES)
    for _ in range(int(rng.integers(*COMMITTEES))):
        window = [(first, last), (first, fall_end), (spring, last)][int(rng.integers(0, 3))]
        count = int(rng.integers(2, 5)) if window == (first, last) else int(rng.integers(2, 4))
        rows.append(("committee", _members(seats, rng), count, int(rng.choice([30, 45, 60])), *window))
    rows += [_unmeetable(int(k), first, rng, seats) for k in rng.choice(3, size=int(rng.integers(1, 3)), replace=False)]
    frame = pd.DataFrame([r for r in rows if r[1]], columns=["kind", "audience", "count", "minutes", "earliest",
                                                             "latest"])
    frame.insert(0, "school_id", school)
    frame.insert(0, "request_id", [f"{school}-M{i:02d}" for i in range(1, len(frame) + 1)])
    return frame


def _members(seats: dict[str, int], rng: np.random.Generator) -> str:
    """4 to 10 teachers with a committee seat left (each sits on at most MAX_COMMITTEES), ';'-joined."""
    free = [t for t, n in seats.items() if n > 0]
    chosen = sorted(rng.choice(free, size=min(len(free), int(rng.integers(4, 11))), replace=False)) if free else []
    for t in chosen:
        seats[t] -= 1
    return ";".join(chosen)


def _unmeetable(template: int, first: dt.date, rng: np.random.Generator, seats: dict[str, int]) -> tuple:
    """A request a principal gets wrong: a 90-minute committee meeting (A4.2), six committee meetings in October
    (A4.2: four a month), PLT over the winter recess (A4.1, A4.3: no instructional Tuesday)."""
    if template == 2:
        winter = dt.date(first.year, 12, 23)
        return ("plt", "all", 2, 50, winter, winter + dt.timedelta(days=10))
    members = _members(seats, rng)
    if template == 0:
        return ("committee", members, 2, 90, first, dt.date(first.year + 1, 6, 1))
    return ("committee", members, 6, 45, dt.date(first.year, 10, 1), dt.date(first.year, 10, 31))


def _cells(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The table in its file's columns, dates as YYYY-MM-DD, sorted by its key."""
    columns = list(MEETING_TABLES[name].model_fields)
    out = frame.copy()
    for col in ("date", "earliest", "latest"):
        if col in out.columns:
            out[col] = [d.isoformat() for d in out[col]]
    return out[columns].sort_values(MEETING_SORT_KEYS[name], kind="stable").reset_index(drop=True)


def write_meetings(tables: dict[str, pd.DataFrame], folder: str | Path) -> None:
    """Write calendar.csv and meeting_requests.csv into `folder` (a folder being filled, e.g. by write_folder)."""
    for name, frame in tables.items():
        frame.to_csv(Path(folder) / f"{name}.csv", index=False, lineterminator="\n")
