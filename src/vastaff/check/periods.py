"""A6.1 and A6.2: what a teacher may hold in one rotation period of a semester (Article 6.0 A)."""

from __future__ import annotations

import pandas as pd

from vastaff.check.core import (
    SECTIONS, CheckContext, cached, each, meetings, merged_over_semesters, refs, section_rule,
    semesters_text, teacher_label, violation,
)
from vastaff.rules import Finding


@cached
def period_meetings(ctx: CheckContext) -> pd.DataFrame:
    """Staffed section-semesters in a rotation period (homerooms and blank periods hold no rotation)."""
    m = meetings(ctx)
    return m[~m.vacancy & m.period_id.notna() & ~m.homeroom]


def _groups(m: pd.DataFrame) -> pd.DataFrame:
    """Per teacher, semester and period: the sections (sorted tuple), their subjects and programs."""
    keys = ["teacher_id", "term", "period_id"]
    m = m.sort_values(keys + ["section_id"])
    return m.groupby(keys, as_index=False, sort=True).agg(
        sections=("section_id", tuple), courses=("course_id", tuple), subjects=("subject", tuple),
        programs=("program", tuple))


def _listing(r) -> str:
    return ", ".join(f"{s} ({c}, {subj})" for s, c, subj in zip(r.sections, r.courses, r.subjects))


@section_rule
def check_a6_1(ctx: CheckContext) -> list[Finding]:
    """A6.1 6.0 A(1): per teacher, semester and period at most 2 sections, 2 only of one subject."""
    m = period_meetings(ctx)
    keys = ["teacher_id", "term", "period_id"]
    n = m.groupby(keys, sort=False).section_id.transform("size")
    subjects = m.groupby(keys, sort=False).subject.transform("nunique")
    limit = ctx.contract.max_sections_per_period
    over = m[(n > limit) | ((n > 1) & (subjects > 1))]
    if over.empty:
        return []
    g = merged_over_semesters(_groups(over), ["teacher_id", "period_id"])
    out = []
    for r in each(g):
        where = f"teacher {teacher_label(ctx, r.teacher_id)}, {semesters_text(r.sems)}, period {r.period_id}"
        problems = []
        if len(r.sections) > limit:
            problems.append(f"{len(r.sections)} sections, at most {limit} per period")
        if len(set(x for x in r.subjects if pd.notna(x))) > 1:
            problems.append("sections of different subjects; sections share a period only when their courses "
                            "have the same subject")
        out.append(violation("A6.1", f"{where}: {_listing(r)}: " + "; ".join(problems), refs(SECTIONS, r.sections)))
    return out


@section_rule
def check_a6_2(ctx: CheckContext) -> list[Finding]:
    """A6.2 6.0 A(2): an ELD section is the only section of its teacher in its period and semester."""
    if not ctx.contract.periods.eld_alone_in_period.value:
        return []
    m = period_meetings(ctx)
    keys = ["teacher_id", "term", "period_id"]
    n = m.groupby(keys, sort=False).section_id.transform("size")
    eld = m.program.eq("eld").groupby([m[k] for k in keys], sort=False).transform("any")
    shared = m[eld & (n > 1)]
    if shared.empty:
        return []
    g = merged_over_semesters(_groups(shared), ["teacher_id", "period_id"])
    out = []
    for r in each(g):
        eld_ids = [s for s, p in zip(r.sections, r.programs) if p == "eld"]
        out.append(violation("A6.2", f"teacher {teacher_label(ctx, r.teacher_id)}, {semesters_text(r.sems)}, period "
                                     f"{r.period_id}: ELD section {', '.join(eld_ids)} shares the period with other "
                                     f"sections ({_listing(r)}); an ELD section is the only section of its teacher "
                                     f"in its period", refs(SECTIONS, r.sections)))
    return out


CHECKS = [check_a6_1, check_a6_2]
