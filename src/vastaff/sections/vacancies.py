"""Why a section is a vacancy (SPEC "Readings": each vacancy reported with its reason), in contract terms."""

from __future__ import annotations

import pandas as pd

from vastaff.schemas.district import District


def vacancy_reason(district: District, c, grades: tuple[int, ...], eligible: list[str]) -> tuple[tuple[str, ...], str]:
    """(rule IDs, sentence) for a section of course `c` (a courses.csv row) holding `grades` that no teacher takes."""
    course_id = c.course_id
    gtext = _grades_text(grades)
    where = f"{c.school_id} ({c.level})"
    if eligible:
        return (("DEMAND", "A6.1", "A6.3"),
                f"{where} course {course_id} {gtext}: every eligible teacher ({', '.join(sorted(eligible))}) is full "
                f"(A6.1/A6.2 periods or A6.3 course limit)")
    t = district.teachers
    t = t[(t.school_id == c.school_id) & (t.level == c.level) & (t.role == "classroom")]
    holders = t[t.credentials.map(lambda cs: c.credential in cs)]
    if holders.empty:
        return (("DEMAND", "CRED"), f"{where} course {course_id} {gtext}: no classroom teacher at {c.school_id} "
                                    f"({c.level}) holds credential {c.credential}")
    in_range = holders[(holders.grade_min <= min(grades)) & (holders.grade_max >= max(grades))]
    if in_range.empty:
        return (("DEMAND", "CRED"), f"{where} course {course_id} {gtext}: teachers holding {c.credential} "
                                    f"({', '.join(sorted(holders.teacher_id))}) are not authorized for {gtext}")
    return (("DEMAND", "CRED"), f"{where} course {course_id} {gtext}: special_education sections need a "
                                f"special_education department teacher; none holds {c.credential} for {gtext}")


def _grades_text(grades: tuple[int, ...]) -> str:
    names = {-2: "UTK", -1: "TK", 0: "K"}
    label = "-".join(names.get(g, str(g)) for g in grades)
    return f"grade {label}" if len(grades) == 1 else f"grades {label}"


def vacancy_items(district: District, sections: pd.DataFrame, section_grades: pd.DataFrame,
                  eligible_of: dict[tuple[str, tuple[int, ...]], list[str]]) -> list[dict]:
    """run.json `vacancies.items`: section_id, course_id, grades, rules, reason."""
    vac = sections[sections.teacher_id.isna()]
    if vac.empty:
        return []
    courses = {c.course_id: c for c in district.courses.itertuples(index=False)}
    grades = section_grades.groupby("section_id").grade.apply(lambda g: tuple(sorted(g)))
    items = []
    for sid, course in vac[["section_id", "course_id"]].itertuples(index=False):
        gr = grades.get(sid, ())
        rules, reason = vacancy_reason(district, courses[course], gr, eligible_of.get((course, gr), []))
        items.append({"section_id": sid, "course_id": course, "grades": list(gr), "rules": list(rules), "reason": reason})
    return items
