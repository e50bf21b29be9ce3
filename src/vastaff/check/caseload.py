"""A7.3 — resource-specialist caseloads (Article 7.0 B(1)).

Every student of sped_students.csv goes to exactly one resource specialist of the student's school whose
grade range covers the student's grade; no specialist above `caseload_cap`. Checked only when the plan has
caseloads.csv (a displacement plan has none).
"""

from __future__ import annotations

import pandas as pd

from vastaff.check.core import CheckContext, RowRef, cached, finding
from vastaff.check.core import plan_has_table
from vastaff.check.iep import clean_ids
from vastaff.rules import Finding


def _applies(ctx: CheckContext) -> bool:
    return plan_has_table(ctx.plan, "caseloads")


@cached
def caseload_rows(ctx: CheckContext) -> pd.DataFrame:
    """caseloads.csv joined with the student's school and grade and the teacher's school, role and grades."""
    c = ctx.plan.caseloads
    rows = pd.DataFrame({"student_id": clean_ids(c["student_id"]), "teacher_id": clean_ids(c["teacher_id"])})
    students = ctx.district.sped_students[["student_id", "school_id", "grade"]].astype({"student_id": "string"})
    teachers = ctx.district.teachers[["teacher_id", "school_id", "role", "grade_min", "grade_max"]]
    teachers = teachers.rename(columns={"school_id": "teacher_school"}).astype({"teacher_id": "string"})
    out = rows.merge(students, on="student_id", how="left").merge(teachers, on="teacher_id", how="left")
    return out.astype({"grade": "Int64", "grade_min": "Int64", "grade_max": "Int64"})


def _student(sid: str) -> RowRef:
    return RowRef("sped_students.csv", str(sid))


def _teacher(tid: str) -> RowRef:
    return RowRef("teachers.csv", str(tid))


def check_a7_3_every_student(ctx: CheckContext) -> list[Finding]:
    """A7.3 (7.0 B(1)): every student of sped_students.csv is on exactly one caseload; no unknown student."""
    if not _applies(ctx):
        return []
    rows = caseload_rows(ctx)
    students = ctx.district.sped_students
    out = []
    for r in students[~students["student_id"].isin(rows["student_id"].dropna())].itertuples():
        out.append(finding("A7.3", f"student {r.student_id} ({r.school_id}, grade {r.grade}) is on no "
                           f"resource specialist's caseload", (_student(r.student_id),)))
    for sid, tids in rows[rows.duplicated("student_id", keep=False) & rows["school_id"].notna()].groupby(
            "student_id", sort=True)["teacher_id"]:
        out.append(finding("A7.3", f"student {sid} is on {len(tids)} caseloads ({', '.join(map(str, tids))}); "
                           f"a student goes to exactly one resource specialist",
                           (_student(sid),) + tuple(_teacher(t) for t in tids)))
    for r in rows[rows["school_id"].isna()].itertuples():
        out.append(finding("A7.3", f"caseloads.csv puts student {r.student_id} on teacher {r.teacher_id}'s "
                           f"caseload, but sped_students.csv has no such student",
                           (RowRef("caseloads.csv", str(r.student_id)),)))
    return out


def check_a7_3_specialist(ctx: CheckContext) -> list[Finding]:
    """A7.3 (7.0 B(1)): a student's specialist is a resource specialist of the student's school covering the grade."""
    if not _applies(ctx):
        return []
    rows = caseload_rows(ctx).dropna(subset=["school_id"])
    out = []
    for r in rows[rows["teacher_school"].isna()].itertuples():
        out.append(finding("A7.3", f"student {r.student_id} is on the caseload of teacher {r.teacher_id}, "
                           f"who is not in teachers.csv", (_student(r.student_id),)))
    known = rows.dropna(subset=["teacher_school"])
    wrong = known[(known["role"] != "resource_specialist") | (known["teacher_school"] != known["school_id"])
                  | (known["grade"] < known["grade_min"]) | (known["grade"] > known["grade_max"])]
    for r in wrong.itertuples():
        out.append(finding("A7.3", f"student {r.student_id} ({r.school_id}, grade {r.grade}) is on the "
                           f"caseload of {r.teacher_id}, {_why_not_specialist(r)}",
                           (_student(r.student_id), _teacher(r.teacher_id))))
    return out


def _why_not_specialist(r) -> str:
    if r.role != "resource_specialist":
        return f"who is a {r.role} teacher, not a resource specialist"
    if r.teacher_school != r.school_id:
        return f"a resource specialist of {r.teacher_school}, not of {r.school_id}"
    return f"whose grade range {r.grade_min}..{r.grade_max} does not cover grade {r.grade}"


def caseload_counts(ctx: CheckContext) -> pd.DataFrame:
    """Students per resource specialist (every specialist of the data, 0 when none), with the school."""
    t = ctx.district.teachers
    specialists = t[t["role"] == "resource_specialist"][["teacher_id", "school_id"]].astype({"teacher_id": "string"})
    rows = caseload_rows(ctx).dropna(subset=["teacher_id"]).drop_duplicates(["student_id", "teacher_id"])
    n = rows.groupby("teacher_id").size().rename("students").reset_index()
    listed = specialists.merge(n, on="teacher_id", how="outer")
    listed["school_id"] = listed["school_id"].fillna("(not a specialist)")
    return listed.fillna({"students": 0}).astype({"students": int}).sort_values("teacher_id")


def check_a7_3_cap(ctx: CheckContext) -> list[Finding]:
    """A7.3 (7.0 B(1)): no resource specialist holds more than caseload_cap students."""
    if not _applies(ctx):
        return []
    cap = ctx.contract.caseload_cap
    counts = caseload_counts(ctx)
    over = counts[counts["students"] > cap]
    return [finding("A7.3", f"teacher {r.teacher_id} has a caseload of {r.students} students; "
                    f"the cap is {cap}", (_teacher(r.teacher_id),))
            for r in over.itertuples()]


def caseload_figures(ctx: CheckContext) -> dict:
    """Figures beside the verdict: students per resource specialist, and per school the largest (A7.3)."""
    if not _applies(ctx):
        return {}
    counts = caseload_counts(ctx)
    cap = ctx.contract.caseload_cap
    per_school = counts.groupby("school_id", sort=True)["students"].agg(["size", "sum", "max", "min"])
    return {
        "A7.3 caseload per specialist": [
            {"teacher_id": str(t), "school_id": str(s), "students": int(n), "cap": cap}
            for t, s, n in zip(counts["teacher_id"], counts["school_id"], counts["students"])],
        "A7.3 caseloads per school": [
            {"school_id": str(s), "specialists": int(r["size"]), "students": int(r["sum"]), "max": int(r["max"]),
             "min": int(r["min"]), "cap": cap} for s, r in per_school.iterrows()],
    }


CHECKS = [check_a7_3_every_student, check_a7_3_specialist, check_a7_3_cap]
FIGURES = [caseload_figures]
