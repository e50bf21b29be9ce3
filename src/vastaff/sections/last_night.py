"""Last night's plan as section counts of tonight's shapes: the optimizer's first incumbent where it still fits.

A plan's section holds every grade of its shape (a multi-grade shape opens at most as many sections as its smallest
grade has students, `problem._shapes`), so each of last night's sections names its shape by its course and the grades
it seats. Where tonight's data kept every such shape, the counts are last night's own: decoded again
(`sections.decode`), they give back last night's section IDs, teachers, students and so periods — the plan an
unchanged night should keep (docs/contract.md, "The objective": the `stability` stage, as few changes as possible).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import pandas as pd

from vastaff.schemas.district import Plan

Counts = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]
PLACED = ["section_id", "course_id", "sid", "teacher_id", "period_id"]
NO_TAKES = pd.DataFrame([], columns=["teacher_id", "sid", "sections"]).astype({"sid": "int64", "sections": "int64"})
"""Sections per teacher and shape of a school without last night's plan."""


@dataclass(frozen=True)
class LastNightRows:
    """Last night's plan as plain rows, read once for every school (a pandas filter per school was 1.2 s of a
    20,000-teacher district's problems)."""

    sections: dict[str, list[tuple]]            # school_id -> (section_id, course_id, teacher or None, period or None)
    seated: dict[str, list[tuple[int, int]]]    # section_id -> (grade, students > 0), grades in order


def last_night_rows(previous: Plan | None) -> LastNightRows | None:
    """`previous` as `LastNightRows` (None without a previous plan or sections)."""
    if previous is None or previous.sections.empty:
        return None
    s = previous.sections
    periods = s.period_id if "period_id" in s else pd.Series(None, index=s.index, dtype=object)
    sections: dict[str, list[tuple]] = defaultdict(list)
    for row in zip(*(column.tolist() for column in (s.school_id, s.section_id, s.course_id, s.teacher_id, periods))):
        school, section_id, course_id, teacher, period = row
        sections[school].append((section_id, course_id, _text(teacher), _text(period)))
    seated: dict[str, list[tuple[int, int]]] = defaultdict(list)
    g = previous.section_grades
    for section_id, grade, students in sorted(zip(g.section_id.tolist(), g.grade.astype(int).tolist(),
                                                  g.students.astype(int).tolist())):
        if students > 0:
            seated[section_id].append((grade, students))
    return LastNightRows(dict(sections), dict(seated))


def _text(value) -> str | None:
    return None if value is None or pd.isna(value) or value == "" else str(value)


def last_night(school_id: str, shapes: pd.DataFrame,
               rows: LastNightRows | None) -> tuple[Counts | None, pd.DataFrame, pd.DataFrame]:
    """Last night's sections of the school over tonight's `shapes` (sid, course_id, grades): its counts (takes, opened,
    seats) where every section's course and grades are a shape of tonight's (else None); the sections per teacher
    and shape of those that are (teacher_id, sid, sections; what `cpsat.stability.continuity_terms` keeps); and each
    section with its course, shape (NaN where none), teacher and period (what `decode.number_sections` names
    sections after, and `own_periods` keeps)."""
    mine = rows.sections.get(school_id, []) if rows is not None else []
    shape_rows = zip(shapes.sid.tolist(), shapes.course_id.tolist(), shapes.grades.tolist()) if mine else ()
    sid_of = {(c, tuple(int(x) for x in g)): int(s) for s, c, g in shape_rows}
    placed = [(section_id, course_id, sid_of.get((course_id, tuple(g for g, _ in rows.seated.get(section_id, ())))),
               teacher, period) for section_id, course_id, teacher, period in mine]
    known = [p for p in placed if p[2] is not None]
    takes = _takes(known)
    counts = (takes, _opened(known, shapes), _seats(known, rows, shapes)) if placed and len(known) == len(placed) \
        else None
    return counts, takes, pd.DataFrame(placed, columns=PLACED).astype({"sid": "float64"})


def _takes(known: list[tuple]) -> pd.DataFrame:
    """Sections per teacher and shape."""
    held = Counter((teacher, sid) for _, _, sid, teacher, _ in known if teacher is not None)
    if not held:  # a first night: no frame to build row by row
        return NO_TAKES.copy()
    return pd.DataFrame([(t, s, n) for (t, s), n in sorted(held.items())],
                        columns=["teacher_id", "sid", "sections"]).astype({"sid": "int64", "sections": "int64"})


def _opened(known: list[tuple], shapes: pd.DataFrame) -> pd.DataFrame:
    """Sections per shape of tonight's, and how many of them nobody teaches (0 and 0 for a shape last night left
    closed: every count of the model is given)."""
    opened = Counter(sid for _, _, sid, _, _ in known)
    vacant = Counter(sid for _, _, sid, teacher, _ in known if teacher is None)
    return pd.DataFrame([(int(s), opened[s], vacant[s]) for s in shapes.sid],
                        columns=["sid", "sections", "vacant"]).astype("int64")


def _seats(known: list[tuple], rows: LastNightRows, shapes: pd.DataFrame) -> pd.DataFrame:
    """Students per shape and grade of tonight's shapes (0 where last night seated none)."""
    held = Counter()
    for section_id, _, sid, _, _ in known:
        for grade, students in rows.seated.get(section_id, ()):
            held[sid, grade] += students
    return pd.DataFrame([(int(s), int(g), held[int(s), int(g)]) for s, grades in shapes[["sid", "grades"]].itertuples(
        index=False) for g in grades], columns=["sid", "grade", "students"]).astype("int64")
