"""A6.3: at most `max_courses_per_semester` distinct courses per teacher and semester, beyond only with consent."""

from __future__ import annotations

import pandas as pd

from vastaff.check.core import (
    SECTIONS, TEACHERS, CheckContext, RowRef, cached, each, has_section_plan, meetings, refs,
    section_rule, teacher_label, violation,
)
from vastaff.rules import Finding


@cached
def teacher_courses(ctx: CheckContext) -> pd.DataFrame:
    """Per input teacher: courses_s1, courses_s2 (distinct courses met), stipend_courses and stipend_cost.

    stipend_courses = Σ over semesters of max(0, courses − limit); a `year` course counts in both semesters.
    """
    m = meetings(ctx)
    m = m[~m.vacancy]
    counts = m.groupby(["teacher_id", "term"], sort=False).course_id.nunique().unstack("term")
    counts = counts.reindex(columns=[1, 2]).fillna(0).astype("int64")
    counts.columns = ["courses_s1", "courses_s2"]
    out = ctx.district.teachers[["teacher_id"]].merge(counts, left_on="teacher_id", right_index=True, how="left")
    out[["courses_s1", "courses_s2"]] = out[["courses_s1", "courses_s2"]].fillna(0).astype("int64")
    limit = ctx.contract.max_courses_per_semester
    out["stipend_courses"] = ((out.courses_s1 - limit).clip(lower=0) + (out.courses_s2 - limit).clip(lower=0)).astype("int64")
    out["stipend_cost"] = out.stipend_courses * float(ctx.contract.stipend_per_course)
    return out.reset_index(drop=True)


@section_rule
def check_a6_3(ctx: CheckContext) -> list[Finding]:
    """A6.3 6.0 B(1): more than `max_courses_per_semester` distinct courses in a semester need stipend_consent."""
    limit = ctx.contract.max_courses_per_semester
    c = teacher_courses(ctx).merge(ctx.district.teachers[["teacher_id", "stipend_consent"]], on="teacher_id")
    bad = c[((c.courses_s1 > limit) | (c.courses_s2 > limit)) & ~c.stipend_consent.astype(bool)]
    if bad.empty:
        return []
    m = meetings(ctx)
    m = m[m.teacher_id.isin(bad.teacher_id)]
    out = []
    for r in each(bad.sort_values("teacher_id")):
        over = [(sem, n) for sem, n in ((1, r.courses_s1), (2, r.courses_s2)) if n > limit]
        text = ", ".join(f"{n} distinct courses in semester {sem}" for sem, n in over)
        sections = m.section_id[(m.teacher_id == r.teacher_id) & m.term.isin([s for s, _ in over])]
        out.append(violation("A6.3", f"teacher {teacher_label(ctx, r.teacher_id)} has {text}, above {limit}, "
                                     f"without stipend_consent", [RowRef(TEACHERS, r.teacher_id)] + refs(SECTIONS, sections)))
    return out


def courses_figures(ctx: CheckContext) -> dict:
    """Distinct courses per classroom teacher and semester, by level: teachers, min, mean, max."""
    if not has_section_plan(ctx):
        return {}
    c = teacher_courses(ctx).merge(ctx.district.teachers[["teacher_id", "level", "role"]], on="teacher_id")
    c = c[c.role == "classroom"].melt(id_vars=["teacher_id", "level"], value_vars=["courses_s1", "courses_s2"],
                                       var_name="semester", value_name="courses")
    c["semester"] = c.semester.str[-1]
    g = c.groupby(["level", "semester"]).courses.agg(teachers="size", min="min", mean="mean", max="max").reset_index()
    rows = [{"level": r.level, "semester": r.semester, "teachers": int(r.teachers), "min": int(r.min),
             "mean": round(float(r.mean), 2), "max": int(r.max)} for r in each(g)]
    return {"courses_per_teacher": rows}


CHECKS = [check_a6_3]
FIGURES = [courses_figures]
