"""Changes of tonight's plan against last night's (`--previous`): what the stability stage minimised."""

from __future__ import annotations

import pandas as pd

from vastaff.schemas.district import Plan


def changes_vs_previous(previous: Plan | None, sections: pd.DataFrame) -> dict | None:
    """Counts of teachers whose courses changed, sections whose (course, teacher, semester) is new, moved periods."""
    if previous is None or previous.sections.empty:
        return None
    before = previous.sections.dropna(subset=["teacher_id"])
    now = sections.dropna(subset=["teacher_id"])
    key = ["teacher_id", "course_id", "semester"]
    b = before.groupby(key).size().rename("before")
    n = now.groupby(key).size().rename("now")
    both = pd.concat([b, n], axis=1).fillna(0)
    sections_changed = int((both.now - both.before).clip(lower=0).sum())
    courses_b = before.groupby("teacher_id").course_id.agg(frozenset)
    courses_n = now.groupby("teacher_id").course_id.agg(frozenset)
    teachers = sorted(set(courses_b.index) | set(courses_n.index))
    teachers_changed = sum(courses_b.get(t, frozenset()) != courses_n.get(t, frozenset()) for t in teachers)
    pk = ["teacher_id", "course_id", "semester", "period_id"]
    pb = set(map(tuple, before[pk].astype(str).values))
    pn = set(map(tuple, now[pk].astype(str).values))
    kept = set(map(tuple, before[key].astype(str).values)) & set(map(tuple, now[key].astype(str).values))
    periods_changed = sum(1 for row in pn - pb if tuple(row[:3]) in kept)
    return {"sections": sections_changed, "teachers": int(teachers_changed), "periods": int(periods_changed)}
