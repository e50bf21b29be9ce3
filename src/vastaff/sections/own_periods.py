"""A section keeps its own period of last night (docs/decisions.md, "Last night's plan": a section kept by the same
teacher keeps its period when it can), where the timetable's measures allow it.

The period stages count a teacher's period changes per course (`timetable_figures._period_changes`: the periods a
teacher holds of a course, against last night's), so any timetable that gives a teacher's sections of a course the
same periods between them is as good as another — and a search may hand them out in any order. Students are enrolled
in sections, not in a teacher's course: section VA07-H-ALG1-01 moving from P3 to P4 while -02 moves from P4 to P3
changes every one of their students' days. Here each teacher's sections of one course and semester take back their
own periods of last night from among the periods they hold together, kept only where no measure changes.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from vastaff.schemas.fields import HOMEROOM
from vastaff.sections.timetable_figures import PeriodData, measures


def own_periods(sections: pd.DataFrame, previous: pd.DataFrame | None) -> dict[str, str]:
    """section_id -> last night's period, for tonight's `sections` (section_id, course_id, teacher_id) that last
    night's plan (`previous`: section_id, course_id, teacher_id, period_id) had with the same ID, course and teacher
    in an academic period."""
    if previous is None or previous.empty:
        return {}
    then = {s: (c, t, p) for s, c, t, p in previous[["section_id", "course_id", "teacher_id", "period_id"]].itertuples(
        index=False) if isinstance(p, str) and p and p != HOMEROOM}
    return {s: then[s][2] for s, c, t in sections[["section_id", "course_id", "teacher_id"]].itertuples(index=False)
            if s in then and then[s][:2] == (c, t)}


def keep_own_periods(data: PeriodData, periods: dict[str, str], own: dict[str, str]) -> dict[str, str]:
    """`periods` with each teacher's sections of one course and semester holding their own periods of last night
    (`own`) where those are among the group's periods; a group's exchange is kept only where every measure of the
    timetable stays the same."""
    if not own:
        return periods
    base, out = measures(data, periods), dict(periods)
    s = data.sections()
    for _, group in s.groupby(["teacher_id", "course_id", "semester"], sort=True):
        sids = sorted(group.section_id)
        exchanged = _exchanged(sids, out, own)
        if exchanged is None:
            continue
        trial = {**out, **exchanged}
        if measures(data, trial) == base:
            out = trial
    return out


def _exchanged(sids: list[str], periods: dict[str, str], own: dict[str, str]) -> dict[str, str] | None:
    """The group's periods handed out again: first to the sections whose own period is among them, then the rest in
    the order they held them; None where nothing would change."""
    left = Counter(periods[s] for s in sids)
    new = {}
    for s in sids:
        if own.get(s) is not None and left[own[s]] > 0:
            new[s] = own[s]
            left[own[s]] -= 1
    for s in sids:
        if s not in new and left[periods[s]] > 0:
            new[s] = periods[s]
            left[periods[s]] -= 1
    rest = sorted(left.elements())
    for s in sids:
        if s not in new:
            new[s] = rest.pop(0)
    return None if all(new[s] == periods[s] for s in sids) else new
