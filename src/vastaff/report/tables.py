"""The plan's tables for people (docs/data-format.md): `timetable.csv` and `vacancies.csv`.

Both are derived from the plan alone (sections.csv, section_grades.csv, run.json) plus the input's period order, so
`vastaff report` makes them for a plan folder made by any tool, and they always agree with sections.csv.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.schemas.district import District
from vastaff.schemas.fields import grade_name
from vastaff.schemas.plan import TIMETABLE_COLUMNS, VACANCY_COLUMNS

HOMEROOM = "homeroom"
GRADE_SEP = ", "
"""Between the grades of a multi-grade section, as people read them (`K, 1`)."""
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
    rows = _by_period(meets, keys)
    rows["_order"] = _period_orders(district, rows)
    rows = rows.sort_values(["teacher_id", "semester", "_order", "period_id"], kind="stable")
    return rows[TIMETABLE_COLUMNS].reset_index(drop=True).astype({"students": "int64"})


def _by_period(meets: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One row per key, in order of first appearance: the sections' IDs and courses `;`-joined in the order of
    `meets`, their students summed (vectorised by a section's place in its period: a doubled period holds 2)."""
    grouped = meets.groupby(keys, sort=False, dropna=False)  # a blank key is a group of its own, not lost
    group, place = grouped.ngroup().to_numpy(), grouped.cumcount().to_numpy()
    rows = meets.loc[place == 0, keys].reset_index(drop=True)
    joined = {}
    for column in ("section_id", "course_id"):
        values = meets[column].astype(str).to_numpy(dtype=object)
        text = np.empty(len(rows), dtype=object)
        text[group[place == 0]] = values[place == 0]
        for level in range(1, int(place.max()) + 1):
            at = place == level
            text[group[at]] = text[group[at]] + ";" + values[at]
        joined[column] = text
    students = np.bincount(group, weights=meets["enrollment"].to_numpy(dtype=float), minlength=len(rows))
    return rows.assign(section_ids=joined["section_id"], course_ids=joined["course_id"], students=students)


def _period_orders(district: District, rows: pd.DataFrame) -> np.ndarray:
    """Each row's period's place in its school's rotation (periods.csv `order`); the homeroom first, a period the
    input does not list last."""
    p = district.periods
    order = pd.Series(p["order"].astype(float).to_numpy(), index=pd.MultiIndex.from_arrays([p.school_id, p.period_id]))
    found = order.reindex(pd.MultiIndex.from_arrays([rows.school_id, rows.period_id])).to_numpy()
    found = np.where(np.isnan(found), len(order), found)
    return np.where(rows.period_id.to_numpy() == HOMEROOM, -1, found).astype(np.int64)


def grade_names(grades: str) -> str:
    """vacancies.csv's `-1;0;1` as people write it: `TK, K, 1` (report.html and plan.xlsx)."""
    return GRADE_SEP.join(grade_name(int(g)) for g in str(grades).split(";") if g.strip().lstrip("-").isdigit())


def vacancies_frame(sections: pd.DataFrame, section_grades: pd.DataFrame, run: dict) -> pd.DataFrame:
    """vacancies.csv: every section without a teacher, with its grades, students and run.json's reason and rule IDs
    (same content as run.json's `vacancies.items`; grades and rules `;`-separated)."""
    vacant = sections[sections.teacher_id.isna() | (sections.teacher_id.astype(str) == "")]
    if vacant.empty:
        return pd.DataFrame(columns=VACANCY_COLUMNS)
    reasons = _vacancy_reasons(run)
    mine = section_grades[section_grades.section_id.isin(vacant.section_id)]
    grades = mine.groupby("section_id").grade.agg(lambda g: ";".join(str(int(x)) for x in sorted(g)))
    rows = pd.DataFrame({
        "section_id": vacant.section_id, "school_id": vacant.school_id, "course_id": vacant.course_id,
        "grades": vacant.section_id.map(grades).fillna(""), "students": vacant.enrollment.astype("int64"),
        "reason": [reasons.get(s, (NO_REASON, ""))[0] for s in vacant.section_id],
        "rules": [reasons.get(s, (NO_REASON, ""))[1] for s in vacant.section_id],
    })
    return rows.sort_values("section_id", kind="stable")[VACANCY_COLUMNS].reset_index(drop=True)


def _vacancy_reasons(run) -> dict[str, tuple[str, str]]:
    """section_id -> (reason, rules `;`-joined) from run.json's `vacancies.items`; a hand-made run.json of another
    shape gives what it can (an audit's `{"items": ["S1"]}` or `"vacancies": 5` crashed the report)."""
    block = run.get("vacancies") if isinstance(run, dict) else None
    items = block.get("items") if isinstance(block, dict) else None
    reasons = {}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and isinstance(item.get("section_id"), str):
            rules = item.get("rules") if isinstance(item.get("rules"), list) else []
            reasons[item["section_id"]] = (str(item.get("reason", NO_REASON)), ";".join(map(str, rules)))
    return reasons


def plan_size(sections: pd.DataFrame, district: District) -> tuple[str, str]:
    """The plan at a glance (report.html's headline): its sections, how many are vacant (and their students), the
    students seated with a teacher; the classroom teachers who teach, and who teaches nothing — by ID and name (a plan
    may leave a teacher without sections; a principal asks who)."""
    vacant = int(sections.teacher_id.isna().sum())
    students = pd.to_numeric(sections.enrollment, errors="coerce").fillna(0)
    waiting = int(students[sections.teacher_id.isna()].sum())  # an audit read them as seated with a teacher
    seated = int(students.sum()) - waiting
    classroom = district.teachers[district.teachers.role == "classroom"]
    idle = classroom[~classroom.teacher_id.isin(sections.teacher_id.dropna())].sort_values("teacher_id")
    shown = ", ".join(f"{t} ({n})" if n else t for t, n in zip(idle.teacher_id[:IDLE_SHOWN], idle.name[:IDLE_SHOWN]))
    more = f" and {len(idle) - IDLE_SHOWN} more" if len(idle) > IDLE_SHOWN else ""
    teach = f"{len(classroom) - len(idle):,} of {len(classroom):,} teach"
    vacancies = f"{vacant:,} vacant" + (f" with {waiting:,} students" if waiting else "")
    return (f"{len(sections):,} ({vacancies}), {seated:,} students seated with a teacher",
            teach + (f"; none: {shown}{more}" if len(idle) else ""))


IDLE_SHOWN = 10
"""Teachers without sections the headline names before "and N more"."""


def site_moves(plan_teachers: pd.DataFrame, district: District) -> list[dict]:
    """Who works somewhere other than their current site tonight (report.html's "who moved"): teacher, name, from
    (their `current_site_id`, blank for none), to (the plan's site, or home), what they chose and whether the site was
    one they requested — in teacher order. Why, in contract terms, is in each teacher's card (A16, A19, A24-A26)."""
    t = district.teachers[["teacher_id", "name", "current_site_id", "work_location", "requested_site_ids"]]
    p = plan_teachers[["teacher_id", "work_location", "site_id"]].rename(columns={"work_location": "works"})
    both = t.merge(p.drop_duplicates("teacher_id"), on="teacher_id", how="inner").sort_values("teacher_id")
    both["to"] = both.site_id.where(both.works.astype(str).str.strip() == "site")
    moved = both[both.to.fillna("") != both.current_site_id.fillna("")]
    return [{"teacher_id": r.teacher_id, "name": r.name, "from": r.current_site_id if isinstance(r.current_site_id, str)
             else "", "to": r.to if isinstance(r.to, str) else "home", "chose": r.work_location,
             "requested": isinstance(r.to, str) and r.to in r.requested_site_ids}
            for r in moved.itertuples(index=False)]
