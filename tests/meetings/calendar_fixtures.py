"""The tiny district (tests/conftest.py: school VA1, teachers E1, E2 elementary, H1, H2 high, R1T high special
education) with a meetings calendar, for the meetings loader, optimizer and checker tests.

Dates are in the autumn of 2026: Monday 2026-08-31 starts the first week, Tuesday 2026-09-01 is its pd day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from tests.conftest import tiny_tables, write_tables
from vastaff.check.runner import run_checks
from vastaff.contract import load_contract
from vastaff.io.district import load_district
from vastaff.io.plan import load_plan
from vastaff.meetings import MeetingSettings, schedule_meetings
from vastaff.schemas.district import District

CONTRACT = load_contract()
MONDAY = dt.date(2026, 8, 31)
MEETING_COLUMNS = ["meeting_id", "request_id", "school_id", "kind", "date", "start", "end"]


def day(week: int, weekday: int) -> dt.date:
    """Weekday (0 = Monday) of week `week` (0 = the week of 2026-08-31)."""
    return MONDAY + dt.timedelta(weeks=week, days=weekday)


def calendar(first: dt.date, last: dt.date, roa_fridays: bool = False, closed: tuple[dt.date, ...] = (),
             school: str = "VA1") -> list[dict]:
    """Every weekday from `first` to `last`: instructional, a ROA Friday every second week (odd weeks) when asked,
    `closed` days no_school."""
    rows, d = [], first
    while d <= last:
        if d.weekday() < 5:
            roa = roa_fridays and d.weekday() == 4 and ((d - MONDAY).days // 7) % 2 == 1
            kind = "no_school" if d in closed else "roa_friday" if roa else "instructional"
            rows.append({"school_id": school, "date": d.isoformat(), "kind": kind})
        d += dt.timedelta(days=1)
    return rows


def request(rid: str, kind: str, audience: str, count: int, first: dt.date, last: dt.date, minutes: int = 60,
            school: str = "VA1") -> dict:
    return {"request_id": rid, "school_id": school, "kind": kind, "audience": audience, "count": count,
            "minutes": minutes, "earliest": first.isoformat(), "latest": last.isoformat()}


def meeting(mid: str, rid: str, kind: str, on: dt.date, start: str, end: str, school: str = "VA1") -> dict:
    return {"meeting_id": mid, "request_id": rid, "school_id": school, "kind": kind, "date": on.isoformat(),
            "start": start, "end": end}


def data_dir(folder: Path, cal: list[dict], requests: list[dict], meetings: list[dict] | None = None,
             edit=None) -> Path:
    """The tiny district with calendar.csv, meeting_requests.csv (and meetings.csv) in `folder`."""
    tables = tiny_tables()
    if edit is not None:
        edit(tables)
    write_tables(folder, tables)
    pd.DataFrame(cal, columns=["school_id", "date", "kind"]).to_csv(folder / "calendar.csv", index=False)
    pd.DataFrame(requests, columns=["request_id", "school_id", "kind", "audience", "count", "minutes", "earliest",
                                    "latest"]).to_csv(folder / "meeting_requests.csv", index=False)
    if meetings is not None:
        pd.DataFrame(meetings, columns=MEETING_COLUMNS).to_csv(folder / "meetings.csv", index=False)
    return folder


def schedule(folder: Path, contract=CONTRACT, time_limit: float = 5.0, seed: int = 0, strict: bool = False):
    """`vastaff meetings` on a data folder, in Python."""
    district = load_district(folder, contract)
    return schedule_meetings(district, contract, MeetingSettings(time_limit=time_limit, seed=seed, strict=strict))


def check_meetings(data: Path | District, plan: Path, meetings: list[dict] | None, iep: list[dict] | None = None,
                   contract=CONTRACT) -> list[str]:
    """The meetings module's findings (as `RULES: message` lines) for a plan of `meetings` (None: no meetings.csv)
    and IEP assignments; `data` a data folder or a district loaded from one."""
    plan.mkdir(parents=True, exist_ok=True)
    if meetings is not None:
        pd.DataFrame(meetings, columns=MEETING_COLUMNS).to_csv(plan / "meetings.csv", index=False)
    if iep is not None:
        pd.DataFrame(iep, columns=["meeting_id", "teacher_id", "needs_coverage"]).to_csv(
            plan / "iep_assignments.csv", index=False)
    district = data if isinstance(data, District) else load_district(data, contract)
    report = run_checks(district, load_plan(plan), contract, modules=("meetings",))
    return [str(v) for v in report.violations]
