"""Per-teacher figures and costs of a staffed plan (teachers.csv): A6.3 stipends, A8.5 multi-grade, A12 X-time."""

from __future__ import annotations

import pandas as pd

from vastaff.contract import ContractModel
from vastaff.schemas.district import District

COST_COLUMNS = ["teacher_id", "courses_s1", "courses_s2", "stipend_courses", "stipend_cost", "multigrade_sections",
                "multigrade_cost", "xtime_hours", "xtime_cost"]


def teacher_costs(district: District, contract: ContractModel, sections: pd.DataFrame,
                  section_grades: pd.DataFrame) -> pd.DataFrame:
    """One row per input teacher with the documented cost columns of the plan's teachers.csv."""
    staffed = sections.dropna(subset=["teacher_id"])
    per_sem = staffed.assign(sem=staffed.semester.map({"1": ["1"], "2": ["2"], "year": ["1", "2"]})).explode("sem")
    courses = per_sem.groupby(["teacher_id", "sem"]).course_id.nunique().unstack(fill_value=0)
    courses = courses.reindex(columns=["1", "2"], fill_value=0).rename(columns={"1": "courses_s1", "2": "courses_s2"})
    out = district.teachers[["teacher_id"]].merge(courses, left_on="teacher_id", right_index=True, how="left").fillna(0)
    limit = contract.max_courses_per_semester
    out["stipend_courses"] = (out.courses_s1 - limit).clip(lower=0) + (out.courses_s2 - limit).clip(lower=0)
    out["stipend_cost"] = out.stipend_courses * contract.stipend_per_course
    grades = section_grades[section_grades.students > 0].groupby("section_id").grade.nunique()
    multi = staffed[staffed.section_id.map(grades).fillna(0) > 1]
    multi = multi.assign(n_sem=multi.semester.map({"1": 1, "2": 1, "year": 2}))
    mg = multi.groupby("teacher_id").agg(multigrade_sections=("section_id", "size"), sem=("n_sem", "sum"))
    out = out.merge(mg, left_on="teacher_id", right_index=True, how="left").fillna({"multigrade_sections": 0, "sem": 0})
    out["multigrade_cost"] = out.pop("sem") * contract.multigrade_cost
    owed = xtime_owed(district, staffed)
    out["xtime_hours"] = out.teacher_id.isin(owed) * contract.xtime_hours
    out["xtime_cost"] = out.xtime_hours * contract.xtime_hourly_rate
    ints = ["courses_s1", "courses_s2", "stipend_courses", "multigrade_sections"]
    out[ints] = out[ints].astype("int64")
    return out[COST_COLUMNS].sort_values("teacher_id").reset_index(drop=True)


def xtime_owed(district: District, staffed: pd.DataFrame) -> set[str]:
    """A12: teachers who taught sections last night and now teach a course_id they did not teach there."""
    prev = district.previous
    if prev is None or prev.sections.empty:
        return set()
    before = prev.sections.dropna(subset=["teacher_id"])[["teacher_id", "course_id"]].drop_duplicates()
    now = staffed[["teacher_id", "course_id"]].drop_duplicates()
    now = now[now.teacher_id.isin(before.teacher_id)]
    new = now.merge(before, how="left", indicator=True)
    return set(new.loc[new._merge == "left_only", "teacher_id"])


def cost_totals(costs: pd.DataFrame) -> dict[str, float]:
    totals = {"stipend": float(costs.stipend_cost.sum()), "multigrade": float(costs.multigrade_cost.sum()),
              "xtime": float(costs.xtime_cost.sum())}
    totals["total"] = sum(totals.values())
    return {k: round(v, 2) for k, v in totals.items()}
