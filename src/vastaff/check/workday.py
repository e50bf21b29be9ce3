"""The workday around IEP meetings (Article 4.0 A, 4.0 C(1)), as figures beside the verdict, never violations: the
school sets its IEP meetings' times, so meetings outside the on-site window or on the PD/PLT slot are counted per
school and warned about, not charged to the plan.

Read from the docs and the model file alone (independent of people/iep/workday.py): a meeting is outside the on-site
window when it starts before `workday.onsite_window` starts or ends after it ends — after `meetings.end_by` instead
on a day its school has a faculty, grade-level, staff-development or committee meeting scheduled (meetings.csv of
the data); it is on the PD/PLT slot when it falls on `meetings.pd_plt_day` and meets [pd_plt_start, pd_plt_start +
pd_plt_max_minutes). Touching an edge is fine.
"""

from __future__ import annotations

import pandas as pd

from vastaff.check.core import CheckContext
from vastaff.schemas.fields import minutes_of_day
from vastaff.schemas.meetings import A42_KINDS, weekday_number

WORKDAY_FIGURE = "Workday: IEP meetings outside the on-site window or on the PD/PLT slot (4.0 A, 4.0 C(1))"


def workday_table(ctx: CheckContext) -> pd.DataFrame:
    """Per IEP meeting: school_id, meeting_id, `outside` (the on-site window) and `pd_slot`."""
    m = ctx.district.iep_meetings[["meeting_id", "school_id", "date", "start", "end"]].copy()
    begin, finish = minutes_of_day(m["start"].astype(str)), minutes_of_day(m["end"].astype(str))
    terms = ctx.contract.meetings
    opens, closes = ctx.contract.onsite_window_minutes
    closes = _faculty_days(ctx, m).map({False: closes, True: minutes_of_day(terms.end_by.value)})
    m["outside"] = (begin < opens) | (finish > closes)
    slot = minutes_of_day(terms.pd_plt_start.value)
    on_day = pd.to_datetime(m["date"]).dt.day_of_week == weekday_number(terms.pd_plt_day.value)
    m["pd_slot"] = on_day & (begin < slot + terms.pd_plt_max_minutes.value) & (finish > slot)
    return m


def _faculty_days(ctx: CheckContext, m: pd.DataFrame) -> pd.Series:
    """True where the meeting's school has a faculty-type meeting scheduled that day (the data's meetings.csv)."""
    data = ctx.district.meetings
    if data is None or data.meetings.empty:
        return pd.Series(False, index=m.index)
    held = data.meetings.loc[data.meetings["kind"].isin(A42_KINDS), ["school_id", "date"]].drop_duplicates()
    found = m[["school_id", "date"]].merge(held.assign(_long=True), on=["school_id", "date"], how="left")["_long"]
    return pd.Series(found.notna().to_numpy(), index=m.index)


def workday_figures(ctx: CheckContext) -> dict:
    """One row per school with a meeting outside the on-site window or on the PD/PLT slot: its IEP meetings and
    those two counts; nothing when there is none."""
    m = workday_table(ctx)
    if m.empty:
        return {}
    rows = []
    for school, group in m.groupby("school_id", sort=True):
        outside, pd_slot = int(group["outside"].sum()), int(group["pd_slot"].sum())
        if outside or pd_slot:
            rows.append({"school_id": str(school), "iep_meetings": int(len(group)),
                         "outside_onsite_window": outside, "on_pd_plt_slot": pd_slot})
    return {WORKDAY_FIGURE: rows} if rows else {}


FIGURES = [workday_figures]
