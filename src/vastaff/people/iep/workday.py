"""The workday around IEP meetings (Article 4.0 A and C(1)): meetings the school set outside the on-site window, or
on the PD/PLT slot, counted per school.

The school sets its IEP meetings' times (iep_meetings.csv), so these are warnings with counts, not violations: the
rotation (A7.1/A7.2) assigns them as they are. The on-site window (`workday.onsite_window`, 08:00-14:50) runs to
`meetings.end_by` (15:50) on a day a faculty-type meeting (4.0 C(2)) of the school is scheduled (meetings.csv); the
PD/PLT slot is `meetings.pd_plt_day` from `pd_plt_start` for `pd_plt_max_minutes` (Tuesday 13:50-14:50).
The checker's twin is check/workday.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.contract import ContractModel
from vastaff.schemas.district import District
from vastaff.schemas.fields import minutes_of_day
from vastaff.schemas.meetings import A42_KINDS, hhmm

WORKDAY_COLUMNS = ["school_id", "iep_meetings", "outside_onsite_window", "on_pd_plt_slot"]


def workday_flags(district: District, contract: ContractModel) -> pd.DataFrame:
    """Per IEP meeting (meeting_id, school_id, date): `outside_onsite` and `on_pd_slot` (4.0 A, 4.0 C(1))."""
    m = district.iep_meetings
    start, end = minutes_of_day(m.start.astype(str)), minutes_of_day(m.end.astype(str))
    lim = contract.meeting_limits
    onsite_start, onsite_end = contract.onsite_window_minutes
    day_end = np.where(_faculty_day(district, m), lim.end_by, onsite_end)
    pd_day = pd.to_datetime(m.date).dt.day_of_week.to_numpy() == lim.pd_plt_weekday
    slot_end = lim.pd_plt_start + lim.pd_plt_max_minutes
    return pd.DataFrame({"meeting_id": m.meeting_id.to_numpy(), "school_id": m.school_id.to_numpy(),
                         "outside_onsite": (start < onsite_start) | (end > day_end),
                         "on_pd_slot": pd_day & (start < slot_end) & (end > lim.pd_plt_start)})


def _faculty_day(district: District, m: pd.DataFrame) -> np.ndarray:
    """Per IEP meeting: a faculty-type meeting of its school is scheduled (meetings.csv) that day."""
    data = district.meetings
    if data is None or data.meetings.empty or m.empty:
        return np.zeros(len(m), dtype=bool)
    held = data.meetings[data.meetings.kind.isin(A42_KINDS)]
    days = set(zip(held.school_id.astype(str), pd.to_datetime(held.date)))
    return np.fromiter((k in days for k in zip(m.school_id.astype(str), pd.to_datetime(m.date))), dtype=bool,
                       count=len(m))


def workday_counts(district: District, contract: ContractModel) -> pd.DataFrame:
    """Per school with IEP meetings: how many, how many outside the on-site window, how many on the PD/PLT slot."""
    flags = workday_flags(district, contract)
    if flags.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c != "school_id" else "object") for c in WORKDAY_COLUMNS})
    counts = flags.groupby("school_id", sort=True).agg(iep_meetings=("meeting_id", "size"),
                                                       outside_onsite_window=("outside_onsite", "sum"),
                                                       on_pd_plt_slot=("on_pd_slot", "sum"))
    return counts.reset_index().astype({c: "int64" for c in WORKDAY_COLUMNS[1:]})[WORKDAY_COLUMNS]


def workday_warnings(district: District, contract: ContractModel, shown: int = 5) -> list[str]:
    """One line per school and kind: the count and the first `shown` meeting IDs (for `vastaff validate`)."""
    flags = workday_flags(district, contract)
    lim = contract.meeting_limits
    onsite_start, onsite_end = contract.onsite_window_minutes
    what = {
        "outside_onsite": f"outside the on-site window {hhmm(onsite_start)}-{hhmm(onsite_end)} ({hhmm(lim.end_by)} "
                          f"on a day with a faculty-type meeting) (4.0 A)",
        "on_pd_slot": f"on the PD/PLT slot ({contract.meetings.pd_plt_day.value.capitalize()}s "
                      f"{hhmm(lim.pd_plt_start)}-{hhmm(lim.pd_plt_start + lim.pd_plt_max_minutes)}, 4.0 C(1))",
    }
    lines = []
    for school, group in flags.groupby("school_id", sort=True):
        for column, text in what.items():
            ids = sorted(group.meeting_id[group[column]].astype(str))
            if ids:
                more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
                lines.append(f"{school}: {len(ids)} of {len(group)} IEP meeting(s) {text}: "
                             f"{', '.join(ids[:shown])}{more}")
    return lines


def listed_warnings(district: District, shown: int = 5) -> list[str]:
    """One line per school whose explicit eligible lists name teachers who are not general-education classroom
    teachers (A7.1 rotates meetings among those): the list is taken as written, so such a teacher may be given the
    meeting — the analyst sees it before the run (for `vastaff validate`)."""
    t = district.teachers
    other = {tid: f"{dept} {role}" for tid, dept, role in zip(t.teacher_id, t.department, t.role)
             if (dept, role) != ("general", "classroom")}
    found: dict[str, list[str]] = {}
    for meeting, school, listed in zip(district.iep_meetings.meeting_id, district.iep_meetings.school_id,
                                       district.iep_meetings.eligible_teacher_ids):
        found.setdefault(school, []).extend(f"{meeting} lists {tid} ({other[tid]})" for tid in listed if tid in other)
    lines = []
    for school, items in sorted(found.items()):
        if items:
            more = f" and {len(items) - shown} more" if len(items) > shown else ""
            lines.append(f"{school}: {'; '.join(items[:shown])}{more} — not a general-education classroom teacher "
                         "(A7.1); the list is taken as written, so they may be given the meeting")
    return lines
