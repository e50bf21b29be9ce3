"""DEMAND and CRED: every demanded student sits in a section of the course; every teacher may teach it."""

from __future__ import annotations

import pandas as pd

from vastaff.check.core import (
    COURSES, DEMAND_FILE, SECTIONS, TEACHERS, CheckContext, RowRef, cached, course_label, each, grades_text,
    has_section_plan, plan_sections, refs, section_rule, sections_full, teacher_label, violation,
)
from vastaff.rules import Finding
from vastaff.schemas.fields import grade_name

PLACED_STATUSES = ("OPTIMAL", "FEASIBLE")


def placed_students(ctx: CheckContext) -> pd.DataFrame:
    """Students per course and grade in the plan's sections (sections of unknown courses left out)."""
    s = plan_sections(ctx)
    s = s[s.course_school.notna()][["section_id", "course_id"]]
    g = ctx.plan.section_grades[["section_id", "grade", "students"]].merge(s, on="section_id", how="inner")
    g = g.assign(grade=g.grade.astype("int64"), students=g.students.astype("int64"))
    return g


@section_rule
def check_demand(ctx: CheckContext) -> list[Finding]:
    """DEMAND: per course and grade, the students in its sections equal demand.csv exactly."""
    g = placed_students(ctx)
    placed = g.groupby(["course_id", "grade"], as_index=False, sort=False).students.sum().rename(columns={"students": "placed"})
    d = ctx.district.demand[["course_id", "grade", "students"]].rename(columns={"students": "demand"})
    m = d.merge(placed, on=["course_id", "grade"], how="outer", indicator=True)
    m["in_demand"] = m._merge.ne("right_only")
    m["placed"] = m.placed.fillna(0).astype("int64")
    m["demand"] = m.demand.fillna(0).astype("int64")
    bad = m[m.placed != m.demand].sort_values(["course_id", "grade"])
    if bad.empty:
        return []
    holders = g[g.students > 0].merge(bad[["course_id", "grade"]], on=["course_id", "grade"])
    sections_of = holders.groupby(["course_id", "grade"]).section_id.agg(lambda x: sorted(set(x)))
    out = []
    for r in each(bad):
        what = f"course {course_label(ctx, r.course_id)} grade {grade_name(r.grade)}"
        if not r.in_demand:
            msg = f"{what}: sections hold {r.placed} students but demand.csv has no grade {grade_name(r.grade)} for this course"
        elif r.placed < r.demand:
            msg = (f"{what}: sections hold {r.placed} of the {r.demand} students of demand.csv "
                   f"({r.demand - r.placed} not placed in any section)")
        else:
            msg = f"{what}: sections hold {r.placed} students, {r.placed - r.demand} more than the {r.demand} of demand.csv"
        rows = refs(SECTIONS, sections_of.get((r.course_id, r.grade), []))
        if r.in_demand:
            rows.append(RowRef(DEMAND_FILE, f"{r.course_id}:{grade_name(r.grade)}"))
        out.append(violation("DEMAND", msg, rows))
    return out


@section_rule
def check_vacancies_reported(ctx: CheckContext) -> list[Finding]:
    """DEMAND: on OPTIMAL/FEASIBLE, every vacancy (blank teacher_id) is listed in run.json `vacancies.items`."""
    run = ctx.plan.run or {}
    if run.get("status") not in PLACED_STATUSES:
        return []
    s = plan_sections(ctx)
    vacant = set(s.section_id[s.vacancy])
    block = run.get("vacancies") or {}
    items = (block.get("items") or []) if isinstance(block, dict) else []
    items = [i for i in items if isinstance(i, dict)]
    listed = {str(i.get("section_id")) for i in items}
    out = []
    for sid in sorted(vacant - listed):
        course = s.course_id[s.section_id == sid].iloc[0]
        out.append(violation("DEMAND", f"section {sid} of {course_label(ctx, course)} has no teacher but is not "
                                       f"listed in run.json vacancies.items (each vacancy is reported with its reason)",
                             [RowRef(SECTIONS, sid)]))
    for sid in sorted(listed - vacant):
        out.append(violation("DEMAND", f"run.json vacancies.items lists section {sid}, which is not a section "
                                       f"without a teacher in sections.csv", [RowRef("run.json", f"vacancies:{sid}")]))
    for i in items:
        sid = str(i.get("section_id"))
        if sid in vacant and not str(i.get("reason") or "").strip():
            out.append(violation("DEMAND", f"run.json vacancies.items gives no reason for vacancy {sid}",
                                 [RowRef("run.json", f"vacancies:{sid}")]))
    count = block.get("count") if isinstance(block, dict) else None
    if count is not None and count != len(items):
        out.append(violation("DEMAND", f"run.json vacancies.count is {count} but vacancies.items lists {len(items)}",
                             [RowRef("run.json", "vacancies")]))
    return out


@cached
def credential_keys(ctx: CheckContext) -> set[str]:
    """'teacher_id|credential' for every credential a teacher holds."""
    t = ctx.district.teachers[["teacher_id", "credentials"]].explode("credentials").dropna()
    return set(t.teacher_id + "|" + t.credentials)


@section_rule
def check_cred(ctx: CheckContext) -> list[Finding]:
    """CRED 9.0(1): credential, grade range, school and level of the teacher; sped sections by sped staff only."""
    teachers = ctx.district.teachers.set_index("teacher_id")
    s = sections_full(ctx)
    s = s[~s.vacancy & s.course_school.notna() & s.teacher_id.isin(teachers.index)]
    tid = s.teacher_id

    def of_teacher(column: str) -> pd.Series:
        return tid.map(teachers[column])

    asked = ctx.district.matrix.dropna(subset=["level"])  # 9.0(1): a level the teacher asked for in matrix.csv
    moved = (tid + "|" + s.level).isin(set(asked.teacher_id + "|" + asked.level))  # (check.matrix judges the move)
    flags = pd.DataFrame({
        "no_credential": ~(tid + "|" + s.credential).isin(credential_keys(ctx)),
        "grade_out": s.lo.notna() & ((s.lo < of_teacher("grade_min")) | (s.hi > of_teacher("grade_max"))),
        "other_school": s.course_school != of_teacher("school_id"),
        "other_level": (s.level != of_teacher("level")) & ~moved,
        "sped_by_general": s.program.eq("special_education") & of_teacher("department").ne("special_education"),
        "specialist": of_teacher("role").eq("resource_specialist"),
    })
    bad = s[flags.any(axis=1)].join(flags).sort_values("section_id")
    if bad.empty:
        return []
    text = grades_text(ctx, bad.section_id[bad.grade_out])
    return [_cred_violation(ctx, r, teachers.loc[r.teacher_id], text.get(r.section_id, "")) for r in each(bad)]


def _cred_violation(ctx: CheckContext, r, t: pd.Series, grades: str) -> Finding:
    problems = []
    if r.no_credential:
        problems.append(f"lacks credential {r.credential} (holds {', '.join(t.credentials) or 'none'})")
    if r.grade_out:
        problems.append(f"grades {grades} are not all within the teacher's "
                        f"{grade_name(t.grade_min)}..{grade_name(t.grade_max)}")
    if r.other_school:
        problems.append(f"the course is at school {r.course_school}, the teacher at {t.school_id}")
    if r.other_level:
        problems.append(f"the course is {r.level}, the teacher {t.level}")
    if r.sped_by_general:
        problems.append("a special_education section needs a special-education teacher")
    if r.specialist:
        problems.append("resource specialists teach no sections")
    return violation("CRED", f"teacher {teacher_label(ctx, r.teacher_id)} may not teach section {r.section_id} of "
                             f"{course_label(ctx, r.course_id)}: " + "; ".join(problems),
                     [RowRef(SECTIONS, r.section_id), RowRef(TEACHERS, r.teacher_id), RowRef(COURSES, r.course_id)])


def vacancy_figures(ctx: CheckContext) -> dict:
    """Vacancies: sections without a teacher."""
    if not has_section_plan(ctx):
        return {}
    s = plan_sections(ctx)
    return {"vacancies": int(s.vacancy.sum())}


CHECKS = [check_demand, check_vacancies_reported, check_cred]
FIGURES = [vacancy_figures]
