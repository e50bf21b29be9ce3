"""A8.1–A8.5: class sizes, multi-grade limits and the multi-grade differential (Article 8.0)."""

from __future__ import annotations

import pandas as pd

from vastaff.check.core import (
    SECTIONS, TEACHERS, CheckContext, RowRef, cached, column_mismatches, course_label, each, grades_text,
    has_section_plan, meetings, merged_over_semesters, refs, section_rule, sections_full, semesters_text,
    teacher_label, violation,
)
from vastaff.rules import Finding

MEAN_PROGRAMS = ("general", "eld")


def _band(ctx: CheckContext, top: pd.Series) -> pd.Series:
    """A8.1 band of each section from its highest grade >= 0 (as the contract model says)."""
    bands = {v: ctx.contract.band_of(int(v)) for v in top.dropna().unique()}
    return top.map(bands)


BAND_KEYS = ["course_school", "band", "term"]


@cached
def band_meetings(ctx: CheckContext) -> pd.DataFrame:
    """General/ELD section-semesters with students (vacancies included), with their A8.1 band."""
    m = meetings(ctx)
    m = m[m.program.isin(MEAN_PROGRAMS) & (m.students > 0)]
    return m.assign(band=_band(ctx, m.top))


@cached
def band_groups(ctx: CheckContext) -> pd.DataFrame:
    """Per school, band and semester: general/ELD sections with students, their students, mean and limit."""
    return _mean_groups(ctx, band_meetings(ctx), BAND_KEYS)


def _mean_groups(ctx: CheckContext, m: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    by = m.groupby(keys, sort=True)
    g = pd.DataFrame({"students": by.students.sum(), "n": by.size()}).reset_index()
    g["mean"] = g.students / g.n
    g["limit"] = g.band.map(ctx.contract.band_mean_max)
    return g


VACANT = "(vacant)"
"""Under `band_mean_scope: teacher` a school's vacant sections of a band average within the mean as one roster: the
roster a hire would take (otherwise vacancies could absorb the students no teacher's roster may hold)."""
ROSTER_KEYS = ["course_school", "roster", "band", "term"]


@cached
def roster_meetings(ctx: CheckContext) -> pd.DataFrame:
    """`band_meetings` with each section's `roster`: its teacher, or VACANT."""
    m = band_meetings(ctx)
    return m.assign(roster=m.teacher_id.fillna(VACANT))


@cached
def roster_groups(ctx: CheckContext) -> pd.DataFrame:
    """Per school, teacher (or the school's vacant sections), band and semester: as `band_groups`."""
    return _mean_groups(ctx, roster_meetings(ctx), ROSTER_KEYS)


def _over_means(g: pd.DataFrame, keys: list[str], m: pd.DataFrame) -> pd.DataFrame:
    """The groups of `g` above their band mean, each with its sections, semesters merged when the sections agree."""
    over = g[g["mean"] > g["limit"]]
    if over.empty:
        return over.assign(sections=pd.Series(dtype=object), sems=pd.Series(dtype=object))
    m = m.merge(over[keys], on=keys).sort_values("section_id")
    over = over.merge(m.groupby(keys).section_id.agg(tuple).rename("sections").reset_index(), on=keys)
    return merged_over_semesters(over, [k for k in keys if k != "term"])


def _mean_text(r) -> str:
    return (f"band {r.band}, {semesters_text(r.sems)}: {r.n} general/ELD sections hold {r.students} students, "
            f"a mean of {r.mean:.2f}, above {r.limit}")


def band_mean_findings(ctx: CheckContext) -> list[Finding]:
    """A8.1's means under the model's `band_mean_scope`: per school, or per teacher's roster (8.0)."""
    if ctx.contract.band_mean_scope == "school":
        return [violation("A8.1", f"{r.course_school} {_mean_text(r)}", refs(SECTIONS, r.sections))
                for r in each(_over_means(band_groups(ctx), BAND_KEYS, band_meetings(ctx)))]
    out = []
    for r in each(_over_means(roster_groups(ctx), ROSTER_KEYS, roster_meetings(ctx))):
        who = (f"the vacant sections of {r.course_school}" if r.roster == VACANT
               else f"teacher {teacher_label(ctx, r.roster)} of {r.course_school}")
        rows = refs(SECTIONS, r.sections) + ([] if r.roster == VACANT else [RowRef(TEACHERS, r.roster)])
        out.append(violation("A8.1", f"{who}, {_mean_text(r)} (band_mean_scope: teacher)", rows))
    return out


@section_rule
def check_a8_1(ctx: CheckContext) -> list[Finding]:
    """A8.1 8.0: per school (or per teacher, `band_mean_scope`), band and semester the mean general/ELD section is
    within band_mean_max; none above section_max."""
    out = band_mean_findings(ctx)
    s = sections_full(ctx)
    cap = ctx.contract.section_max
    for r in each(s[s.program.isin(MEAN_PROGRAMS) & (s.students > cap)].sort_values("section_id")):
        out.append(violation("A8.1", f"section {r.section_id} of {course_label(ctx, r.course_id)} holds {r.students} "
                                     f"students, above the section maximum of {cap}", [RowRef(SECTIONS, r.section_id)]))
    return out


@section_rule
def check_a8_2(ctx: CheckContext) -> list[Finding]:
    """A8.2 8.0: special_education, tk and utk sections stay within their in-person norm (program_max)."""
    s = sections_full(ctx)
    caps = ctx.contract.program_max
    s = s[s.program.isin(list(caps))].assign(cap=lambda x: x.program.map(caps))
    bad = s[s.students > s.cap].sort_values("section_id")
    return [violation("A8.2", f"{r.program} section {r.section_id} of {course_label(ctx, r.course_id)} holds "
                              f"{r.students} students, above the {r.program} norm of {r.cap}",
                      [RowRef(SECTIONS, r.section_id)])
            for r in each(bad)]


@section_rule
def check_a8_3(ctx: CheckContext) -> list[Finding]:
    """A8.3 8.0(1): a section holding any grade in single_grade_range holds one grade only."""
    lo, hi = ctx.contract.single_grade_range
    s = sections_full(ctx)
    g = ctx.plan.section_grades
    touched = set(g.section_id[(g.students.astype("int64") > 0) & g.grade.astype("int64").between(lo, hi)])
    bad = s[s.section_id.isin(touched) & (s.n_grades > 1)].sort_values("section_id")
    text = grades_text(ctx, bad.section_id)
    return [violation("A8.3", f"section {r.section_id} of {course_label(ctx, r.course_id)} holds grades "
                              f"{text[r.section_id]}; "
                              f"a section with any of grades {lo}–{hi} holds one grade only",
                      [RowRef(SECTIONS, r.section_id)])
            for r in each(bad)]


@section_rule
def check_a8_4(ctx: CheckContext) -> list[Finding]:
    """A8.4 8.0(2): a section holding a grade >= multigrade_from_grade spans at most max_consecutive_grades grades."""
    s = sections_full(ctx)
    span = ctx.contract.max_consecutive_grades
    bad = s[(s.hi >= ctx.contract.multigrade_from_grade) & (s.hi - s.lo + 1 > span)].sort_values("section_id")
    text = grades_text(ctx, bad.section_id)
    return [violation("A8.4", f"section {r.section_id} of {course_label(ctx, r.course_id)} holds grades "
                              f"{text[r.section_id]}, "
                              f"spanning {int(r.hi - r.lo + 1)} grades; a secondary section spans at most {span} "
                              f"consecutive grades", [RowRef(SECTIONS, r.section_id)])
            for r in each(bad)]


def multigrade_meetings(ctx: CheckContext) -> pd.DataFrame:
    """Staffed semesters of multi-grade sections (more than one grade with students): each costs multigrade_cost."""
    m = meetings(ctx)
    return m[~m.vacancy & (m.n_grades > 1)]


@cached
def teacher_multigrade(ctx: CheckContext) -> pd.DataFrame:
    """Per input teacher: multigrade_sections (sections) and multigrade_cost (per semester met; vacancies none)."""
    m = multigrade_meetings(ctx)
    by = m.groupby("teacher_id", sort=False)
    per = pd.DataFrame({"sections": by.section_id.nunique(), "times": by.size()})
    out = ctx.district.teachers[["teacher_id"]].copy()
    out["multigrade_sections"] = out.teacher_id.map(per.sections).astype(float).fillna(0).astype("int64")
    times = out.teacher_id.map(per.times).astype(float).fillna(0)
    out["multigrade_cost"] = times * float(ctx.contract.multigrade_cost)
    return out.reset_index(drop=True)


def multigrade_detail(ctx: CheckContext, teacher_ids: list[str]) -> dict[str, str]:
    """teacher_id -> 'multi-grade sections: S4 grades 9;10, semester 1; ...' for the teachers named."""
    m = multigrade_meetings(ctx)
    m = m[m.teacher_id.isin(set(teacher_ids))].sort_values(["teacher_id", "section_id", "term"])
    text = grades_text(ctx, m.section_id)
    notes: dict[str, list[str]] = {}
    for (t, sid), grp in m.groupby(["teacher_id", "section_id"], sort=True):
        notes.setdefault(t, []).append(f"{sid} grades {text[sid]}, {semesters_text(grp.term)}")
    return {t: "multi-grade sections: " + "; ".join(notes[t]) if t in notes else "no multi-grade section"
            for t in teacher_ids}


@section_rule
def check_a8_5(ctx: CheckContext) -> list[Finding]:
    """A8.5 8.0(3): the plan pays multigrade_cost per multi-grade section and semester it meets, per teacher."""
    return column_mismatches(ctx, teacher_multigrade(ctx), {"multigrade_sections": "count", "multigrade_cost": "money"},
                             "A8.5", detail=multigrade_detail)


def size_figures(ctx: CheckContext) -> dict:
    """Mean general/ELD section size per school, band and semester (A8.1)."""
    if not has_section_plan(ctx):
        return {}
    g = band_groups(ctx)
    rows = [{"school_id": r.course_school, "band": r.band, "semester": int(r.term), "sections": int(r.n),
             "students": int(r.students), "mean": round(float(r.mean), 2), "limit": int(r.limit)}
            for r in each(g)]
    return {"section_means": rows}


CHECKS = [check_a8_1, check_a8_2, check_a8_3, check_a8_4, check_a8_5]
FIGURES = [size_figures]
