"""The plan's tables for people (SPEC "Plans people read"): `timetable.csv` and `vacancies.csv`.

Both are derived from the plan alone (sections.csv, section_grades.csv, run.json) plus the input's period order, so
`vastaff report` makes them for a plan folder made by any tool, and they always agree with sections.csv.
"""

from __future__ import annotations

import pandas as pd

from vastaff.schemas.district import District

TIMETABLE_COLUMNS = ["teacher_id", "school_id", "semester", "period_id", "section_ids", "course_ids", "students"]
VACANCY_COLUMNS = ["section_id", "school_id", "course_id", "grades", "students", "reason", "rules"]
HOMEROOM = "homeroom"
NO_REASON = "not given: the plan's run.json lists no reason for this vacancy"
"""A vacancy of a plan folder made by hand or by another tool, whose run.json says nothing about it."""


def timetable_frame(sections: pd.DataFrame, district: District) -> pd.DataFrame:
    """timetable.csv: one row per teacher, semester (1, 2) and period holding a section — a `year` section fills
    both semesters; homerooms as period `homeroom`. Rows by teacher, semester and rotation order (homeroom first);
    `section_ids` and `course_ids` list the sections of that period in section order (2 in a doubled period, A6.1)."""
    held = sections[sections.teacher_id.notna() & (sections.teacher_id.astype(str) != "")]
    if held.empty:
        return pd.DataFrame(columns=TIMETABLE_COLUMNS)
    meets = held.assign(semester=held.semester.astype(str).map({"1": ["1"], "2": ["2"], "year": ["1", "2"]}))
    meets = meets.explode("semester").sort_values("section_id", kind="stable")
    keys = ["teacher_id", "school_id", "semester", "period_id"]
    rows = meets.groupby(keys, sort=False).agg(
        section_ids=("section_id", ";".join), course_ids=("course_id", ";".join),
        students=("enrollment", "sum")).reset_index()
    rows["_order"] = [_period_order(district, s, p) for s, p in zip(rows.school_id, rows.period_id)]
    rows = rows.sort_values(["teacher_id", "semester", "_order", "period_id"], kind="stable")
    return rows[TIMETABLE_COLUMNS].reset_index(drop=True).astype({"students": "int64"})


def _period_order(district: District, school_id: str, period_id: str) -> int:
    """The period's place in the school's rotation (periods.csv `order`); the homeroom comes first."""
    if period_id == HOMEROOM:
        return -1
    order = _orders(district)
    return order.get((school_id, period_id), len(order))


def _orders(district: District) -> dict[tuple[str, str], int]:
    p = district.periods
    return dict(zip(zip(p.school_id, p.period_id), p["order"].astype(int)))


def vacancies_frame(sections: pd.DataFrame, section_grades: pd.DataFrame, run: dict) -> pd.DataFrame:
    """vacancies.csv: every section without a teacher, with its grades, students and run.json's reason and rule IDs
    (same content as run.json's `vacancies.items`; grades and rules `;`-separated)."""
    vacant = sections[sections.teacher_id.isna() | (sections.teacher_id.astype(str) == "")]
    if vacant.empty:
        return pd.DataFrame(columns=VACANCY_COLUMNS)
    reasons = {item["section_id"]: item for item in (run.get("vacancies") or {}).get("items", [])}
    grades = section_grades.groupby("section_id").grade.agg(lambda g: ";".join(str(int(x)) for x in sorted(g)))
    rows = pd.DataFrame({
        "section_id": vacant.section_id, "school_id": vacant.school_id, "course_id": vacant.course_id,
        "grades": vacant.section_id.map(grades).fillna(""), "students": vacant.enrollment.astype("int64"),
        "reason": [reasons.get(s, {}).get("reason", NO_REASON) for s in vacant.section_id],
        "rules": [";".join(reasons.get(s, {}).get("rules", [])) for s in vacant.section_id],
    })
    return rows.sort_values("section_id", kind="stable")[VACANCY_COLUMNS].reset_index(drop=True)
