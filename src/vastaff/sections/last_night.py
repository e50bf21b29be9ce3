"""Last night's plan as section counts of tonight's shapes: the optimizer's first incumbent where it still fits.

A plan's section holds every grade of its shape (a multi-grade shape opens at most as many sections as its smallest
grade has students, `problem._shapes`), so each of last night's sections names its shape by its course and the grades
it seats. Where tonight's data kept every such shape, the counts are last night's own: decoded again
(`sections.decode`), they give back last night's section IDs, teachers, students and so periods — the plan an
unchanged night should keep (SPEC: as few changes as possible).
"""

from __future__ import annotations

import pandas as pd

from vastaff.schemas.district import Plan

Counts = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]


def last_night(school_id: str, shapes: pd.DataFrame,
               previous: Plan | None) -> tuple[Counts | None, pd.DataFrame, pd.DataFrame]:
    """Last night's sections of the school over tonight's `shapes` (sid, course_id, grades): its counts (takes, opened,
    seats) where every section's course and grades are a shape of tonight's (else None); the sections per teacher
    and shape of those that are (teacher_id, sid, sections; what `cpsat.stability.continuity_terms` keeps); and each
    section with its course, shape (NaN where none), teacher and period (what `decode.number_sections` names
    sections after, and `own_periods` keeps)."""
    placed, seated = _placed(school_id, shapes, previous)
    known = placed.dropna(subset=["sid"]).astype({"sid": "int64"})
    complete = not placed.empty and len(known) == len(placed)
    counts = (_takes(known), _opened(known, shapes), _seats(known, seated, shapes)) if complete else None
    return counts, _takes(known), placed


def _placed(school_id: str, shapes: pd.DataFrame, previous: Plan | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each of last night's sections of the school with its course, its shape tonight (sid; NaN where none), teacher
    and period, and the students each seated per grade."""
    columns = ["section_id", "course_id", "sid", "teacher_id", "period_id"]
    if previous is None or previous.sections.empty:
        return pd.DataFrame(columns=columns), pd.DataFrame(columns=["section_id", "grade", "students"])
    sections = previous.sections[previous.sections.school_id == school_id]
    seated = previous.section_grades[previous.section_grades.students > 0]
    seated = seated[seated.section_id.isin(set(sections.section_id))]
    grades = seated.groupby("section_id").grade.agg(lambda g: tuple(sorted(int(x) for x in g)))
    sid_of = {(c, tuple(int(x) for x in g)): s
              for s, c, g in shapes[["sid", "course_id", "grades"]].itertuples(index=False)}
    periods = sections.period_id if "period_id" in sections else pd.Series(None, index=sections.index, dtype=object)
    rows = [(section_id, course_id, sid_of.get((course_id, grades.get(section_id, ()))),
             None if pd.isna(teacher) else teacher, None if pd.isna(period) else period)
            for section_id, course_id, teacher, period in zip(sections.section_id, sections.course_id,
                                                              sections.teacher_id, periods)]
    return pd.DataFrame(rows, columns=columns).astype({"sid": "float64"}), seated


def _takes(placed: pd.DataFrame) -> pd.DataFrame:
    """Sections per teacher and shape."""
    staffed = placed.dropna(subset=["teacher_id"])
    out = staffed.groupby(["teacher_id", "sid"]).size().rename("sections").reset_index()
    return out[["teacher_id", "sid", "sections"]].astype({"sid": "int64", "sections": "int64"})


def _opened(placed: pd.DataFrame, shapes: pd.DataFrame) -> pd.DataFrame:
    """Sections per shape of tonight's, and how many of them nobody teaches (0 and 0 for a shape last night left
    closed: every count of the model is given)."""
    out = placed.assign(vacant=placed.teacher_id.isna()).groupby("sid").agg(
        sections=("section_id", "size"), vacant=("vacant", "sum"))
    out = out.reindex(shapes.sid, fill_value=0).rename_axis("sid").reset_index()
    return out.astype({"sid": "int64", "sections": "int64", "vacant": "int64"})


def _seats(placed: pd.DataFrame, seated: pd.DataFrame, shapes: pd.DataFrame) -> pd.DataFrame:
    """Students per shape and grade of tonight's shapes (0 where last night seated none)."""
    held = seated.merge(placed[["section_id", "sid"]], on="section_id").groupby(["sid", "grade"]).students.sum()
    every = shapes[["sid", "grades"]].explode("grades")
    index = pd.MultiIndex.from_arrays([every.sid.astype("int64"), every.grades.astype("int64")], names=["sid", "grade"])
    out = held.reindex(index, fill_value=0).rename("students").reset_index()
    return out.astype({"sid": "int64", "grade": "int64", "students": "int64"})
