"""Changes of tonight's plan against last night's (`--previous`): what the stability stage minimised."""

from __future__ import annotations

from collections import Counter

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
    return {"sections": sections_changed, "teachers": int(teachers_changed), "periods": _moved(before, now, key)}


def _moved(before: pd.DataFrame, now: pd.DataFrame, key: list[str]) -> int:
    """Kept sections that moved period: per teacher, course and semester, the sections kept (the fewer of last night's
    and tonight's) less those that meet in a period they met in last night — a section added or dropped is none."""
    periods_b = before.groupby(key).period_id.agg(lambda p: Counter(p.astype(str)))
    periods_n = now.groupby(key).period_id.agg(lambda p: Counter(p.astype(str)))
    moved = 0
    for k in periods_b.index.intersection(periods_n.index):
        b, n = periods_b[k], periods_n[k]
        moved += min(b.total(), n.total()) - (b & n).total()
    return int(moved)
