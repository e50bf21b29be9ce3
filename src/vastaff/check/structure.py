"""STRUCTURE: the plan is well formed against docs/data-format.md before any contract rule is read.

Unknown IDs, sections at the wrong school or period, elementary homerooms, semesters that do not match the
course, enrollment that does not add up, and a teachers.csv that does not list every input teacher once.
The work-place columns of teachers.csv (site_id, room_id at home or on site) are checked by A19 in location.py.
"""

from __future__ import annotations

import pandas as pd

from vastaff.check.core import (
    COURSES, PERIODS, PLAN_TEACHERS, SECTIONS, SECTION_GRADES, TEACHERS, CheckContext, RowRef, course_label, each,
    plan_sections, refs, section_files_missing, section_rule, short_list, teacher_label, violation,
)
from vastaff.rules import Finding
from vastaff.schemas.fields import HOMEROOM, grade_name

RULE = "STRUCTURE"


@section_rule
def check_section_ids(ctx: CheckContext) -> list[Finding]:
    """STRUCTURE: section IDs are unique; a year course's section is one row with semester `year`."""
    s = ctx.plan.sections
    dup = s[s.section_id.duplicated(keep=False)]
    year_courses = set(ctx.district.courses.course_id[ctx.district.courses.semester == "year"])
    out = []
    for sid, grp in dup.groupby("section_id", sort=True):
        rows = ", ".join(str(r) for r in grp._row)
        course = grp.course_id.iloc[0]
        if set(grp.semester) == {"1", "2"} and len(grp) == 2 and grp.course_id.nunique() == 1 and course in year_courses:
            msg = (f"section {sid} of year course {course_label(ctx, course)} is written as two rows of sections.csv "
                   f"(rows {rows}: semester 1 and semester 2); a year section appears once, with semester year")
        else:
            msg = f"section ID {sid} appears on {len(grp)} rows of sections.csv (rows {rows}); a section ID is unique"
        out.append(violation(RULE, msg, [RowRef(SECTIONS, sid)]))
    return out


@section_rule
def check_section_grade_rows(ctx: CheckContext) -> list[Finding]:
    """STRUCTURE: section_grades.csv names sections of sections.csv, each grade of a section once."""
    g = ctx.plan.section_grades
    known = set(ctx.plan.sections.section_id)
    out = []
    unknown = g[~g.section_id.isin(known)]
    for sid, grp in unknown.groupby("section_id", sort=True):
        out.append(violation(RULE, f"section_grades.csv lists section {sid} (rows {', '.join(map(str, grp._row))}), "
                                   f"which is not in sections.csv",
                             [RowRef(SECTION_GRADES, f"{sid}:{grade_name(x)}") for x in grp.grade]))
    dup = g[g.section_id.isin(known) & g.duplicated(["section_id", "grade"], keep=False)]
    for (sid, grade), grp in dup.groupby(["section_id", "grade"], sort=True):
        out.append(violation(RULE, f"section {sid} grade {grade_name(grade)} appears on {len(grp)} rows of "
                                   f"section_grades.csv (rows {', '.join(map(str, grp._row))}); each grade of a section once",
                             [RowRef(SECTION_GRADES, f"{sid}:{grade_name(grade)}")]))
    return out


@section_rule
def check_references(ctx: CheckContext) -> list[Finding]:
    """STRUCTURE: a section's course and teacher exist, and the section is at its course's school."""
    s = plan_sections(ctx)
    teachers = set(ctx.district.teachers.teacher_id)
    out = []
    for r in each(s[s.course_school.isna()]):
        out.append(violation(RULE, f"section {r.section_id}: course {r.course_id} is not in courses.csv",
                             [RowRef(SECTIONS, r.section_id)]))
    for r in each(s[~s.vacancy & ~s.teacher_id.isin(teachers)]):
        out.append(violation(RULE, f"section {r.section_id}: teacher {r.teacher_id} is not in teachers.csv",
                             [RowRef(SECTIONS, r.section_id)]))
    wrong = s[s.course_school.notna() & (s.school_id != s.course_school)]
    for r in each(wrong):
        out.append(violation(RULE, f"section {r.section_id} is at school {r.school_id} but its course "
                                   f"{course_label(ctx, r.course_id)} belongs to {r.course_school}",
                             [RowRef(SECTIONS, r.section_id), RowRef(COURSES, r.course_id)]))
    return out


def _period_kinds(ctx: CheckContext, s: pd.DataFrame) -> pd.Series:
    """Kind of each section's period at its course's school: academic, advisory, or NaN (not listed)."""
    p = ctx.district.periods[["school_id", "period_id", "kind"]].rename(columns={"school_id": "course_school"})
    return s[["course_school", "period_id"]].merge(p, on=["course_school", "period_id"], how="left").kind


@section_rule
def check_secondary_periods(ctx: CheckContext) -> list[Finding]:
    """STRUCTURE: a secondary section meets in an academic period of its school (a vacancy may have none)."""
    s = plan_sections(ctx)
    s = s.assign(kind=_period_kinds(ctx, s).to_numpy())
    sec = s[s.level.isin(["middle", "high"])]
    blank = sec.period_id.isna()
    bad = sec[(blank & ~sec.vacancy) | (~blank & sec.kind.ne("academic").fillna(True))]
    out = []
    for r in each(bad):
        what = f"section {r.section_id} of {course_label(ctx, r.course_id)}"
        if pd.isna(r.period_id):
            why = f"{what} has no period; a staffed secondary section needs an academic period of {r.course_school}"
        elif r.period_id == HOMEROOM:
            why = f"{what} uses period homeroom, reserved for elementary homerooms; expected an academic period of {r.course_school}"
        elif r.kind == "advisory":
            why = f"{what} is scheduled in advisory period {r.period_id} of {r.course_school}; advisory periods hold no classes"
        else:
            why = f"{what}: period {r.period_id} is not a period of {r.course_school} in periods.csv"
        rows = [RowRef(SECTIONS, r.section_id)]
        if r.kind == "advisory":
            rows.append(RowRef(PERIODS, f"{r.course_school}:{r.period_id}"))
        out.append(violation(RULE, why, rows))
    return out


@section_rule
def check_homerooms(ctx: CheckContext) -> list[Finding]:
    """STRUCTURE: an elementary section is a homeroom (`year`, period homeroom; a vacancy's may be blank)."""
    s = plan_sections(ctx)
    el = s[s.level.eq("elementary")]
    period_ok = el.homeroom | (el.period_id.isna() & el.vacancy)
    bad = el[~period_ok | el.semester.ne("year")]
    out = []
    for r in each(bad):
        problems = []
        if not (r.homeroom or (pd.isna(r.period_id) and r.vacancy)):
            problems.append(f"period {r.period_id if pd.notna(r.period_id) else '(blank)'} instead of homeroom")
        if r.semester != "year":
            problems.append(f"semester {r.semester} instead of year")
        out.append(violation(RULE, f"elementary section {r.section_id} of {course_label(ctx, r.course_id)} has "
                                   f"{' and '.join(problems)}; elementary sections are year-long homerooms",
                             [RowRef(SECTIONS, r.section_id)]))
    return out


@section_rule
def check_semesters(ctx: CheckContext) -> list[Finding]:
    """STRUCTURE: a secondary section's semester is its course's semester ('1', '2' or 'year')."""
    s = plan_sections(ctx)
    repeated = set(ctx.plan.sections.section_id[ctx.plan.sections.section_id.duplicated()])
    bad = s[s.level.isin(["middle", "high"]) & (s.semester != s.course_semester) & ~s.section_id.isin(repeated)]
    return [violation(RULE, f"section {r.section_id} of {course_label(ctx, r.course_id)} is scheduled in semester "
                            f"{r.semester} but the course is a semester {r.course_semester} course in courses.csv",
                      [RowRef(SECTIONS, r.section_id), RowRef(COURSES, r.course_id)])
            for r in each(bad)]


@section_rule
def check_enrollment(ctx: CheckContext) -> list[Finding]:
    """STRUCTURE: a section's enrollment is the sum of its students in section_grades.csv."""
    s = plan_sections(ctx)[["section_id", "enrollment"]]
    held = ctx.plan.section_grades.groupby("section_id", sort=False).students.sum()
    s = s.assign(total=s.section_id.map(held).fillna(0).astype("int64"))
    bad = s[s.enrollment.astype("int64") != s.total]
    return [violation(RULE, f"section {r.section_id}: enrollment {r.enrollment} but section_grades.csv holds "
                            f"{r.total} students", [RowRef(SECTIONS, r.section_id)])
            for r in each(bad)]


@section_rule
def check_one_homeroom(ctx: CheckContext) -> list[Finding]:
    """STRUCTURE: an elementary classroom teacher has at most one homeroom."""
    s = plan_sections(ctx)
    el = s[s.level.eq("elementary") & ~s.vacancy]
    many = el[el.teacher_id.duplicated(keep=False)]
    return [violation(RULE, f"teacher {teacher_label(ctx, t)} has {len(grp)} elementary homerooms "
                            f"({', '.join(sorted(grp.section_id))}); at most one per teacher",
                      refs(SECTIONS, grp.section_id) + [RowRef(TEACHERS, t)])
            for t, grp in many.groupby("teacher_id", sort=True)]


@section_rule
def check_teacher_rows(ctx: CheckContext) -> list[Finding]:
    """STRUCTURE: the plan's teachers.csv lists every input teacher exactly once, and no one else."""
    plan_ids = ctx.plan.teachers.teacher_id
    known = ctx.district.teachers.teacher_id
    out = []
    missing = sorted(set(known) - set(plan_ids))
    if missing:
        out.append(violation(RULE, f"the plan's teachers.csv omits {len(missing)} input teacher(s): "
                                   f"{short_list(missing)}; it lists every teacher of the input once",
                             refs(TEACHERS, missing)))
    for t in sorted(set(plan_ids[plan_ids.duplicated()])):
        rows = ctx.plan.teachers._row[plan_ids == t]
        out.append(violation(RULE, f"teacher {teacher_label(ctx, t)} appears on {len(rows)} rows of the plan's "
                                   f"teachers.csv (rows {', '.join(map(str, rows))})", [RowRef(PLAN_TEACHERS, t)]))
    for t in sorted(set(plan_ids) - set(known)):
        out.append(violation(RULE, f"the plan's teachers.csv lists teacher {t}, who is not in the input teachers.csv",
                             [RowRef(PLAN_TEACHERS, t)]))
    return out


def check_section_files(ctx: CheckContext) -> list[Finding]:
    """STRUCTURE: a plan with sections or teachers.csv rows has sections.csv and section_grades.csv (else the section
    and IEP rules are not checked, runner.not_checked, rather than read as every section vacant)."""
    missing = section_files_missing(ctx.plan)
    return [violation(RULE, f"the plan has no {' and no '.join(missing)}; a plan holds sections.csv and "
                            "section_grades.csv beside teachers.csv (the section rules and A7.1/A7.2 are not checked "
                            "without them)")] if missing else []


CHECKS = [
    check_section_files,
    check_section_ids,
    check_section_grade_rows,
    check_references,
    check_secondary_periods,
    check_homerooms,
    check_semesters,
    check_enrollment,
    check_one_homeroom,
    check_teacher_rows,
]
