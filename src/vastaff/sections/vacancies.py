"""Why a section is a vacancy (docs/contract.md, DEMAND: each vacancy reported with its reason), in contract terms."""

from __future__ import annotations

import pandas as pd

from vastaff.rules import Finding
from vastaff.schemas.district import District
from vastaff.schemas.fields import HOMEROOM, grade_name


def vacancy_reason(district: District, c, grades: tuple[int, ...], eligible: list[str],
                   at_course_limit: dict[str, tuple[str, int]] | None = None) -> Finding:
    """DEMAND (+ CRED, + LOCK, + STRUCTURE for a homeroom, or + A6.1 and/or A6.3): why no teacher takes a section of
    course `c` (a courses.csv row) holding `grades`, as a finding on the course's row. `at_course_limit`: eligible
    teacher -> (semester, courses) where the plan gives them A6.3's limit of other courses and they have no stipend
    consent (`at_course_limit`); the others are kept by their periods (A6.1/A6.2)."""
    gtext = _grades_text(grades)
    where = f"{c.school_id} ({c.level}) course {c.course_id} {gtext}"
    row = [("courses.csv", c.course_id)]
    locked_out = _locked_out(district, c.course_id, eligible)
    if eligible and set(locked_out) == set(eligible):
        ids = sorted(set(locked_out.values()))
        return Finding.of(("DEMAND", "LOCK"), f"{where}: every eligible teacher ({id_list(eligible)}) is "
                          f"locked out of the course (locks.csv {', '.join(ids)})",
                          row + [("locks.csv", i) for i in ids])
    if eligible and c.level == "elementary":  # homerooms: what fills an elementary teacher is their one homeroom
        return _homerooms_taken(district, where, eligible, row)
    if eligible:
        return _teachers_full(district, where, eligible, at_course_limit or {}, row)
    return Finding.of(("DEMAND", "CRED"), f"{where}: {_no_credentialed_teacher(district, c, grades, gtext)}", row)


def _teachers_full(district: District, where: str, eligible: list[str], limited: dict[str, tuple[str, int]],
                   row: list) -> Finding:
    """DEMAND + A6.3 for the teachers at the course limit, + A6.1 for the others (no period left where it fits; + LOCK
    where locks keep periods free)."""
    periods = sorted(set(eligible) - set(limited))
    free = _periods_kept_free(district, periods)
    parts = [f"{id_list(periods)} {'has' if len(periods) == 1 else 'have'} no period left where it fits (A6.1/A6.2)"
             + (f"; locks.csv {', '.join(free)} keep periods free" if free else "")] if periods else []
    for semester, courses in sorted(set(limited.values())):
        who = sorted(t for t, at in limited.items() if at == (semester, courses))
        parts.append(f"{id_list(who)} already {'teaches' if len(who) == 1 else 'teach'} {courses} other courses in "
                     f"semester {semester}, without stipend consent (A6.3)")
    rules = ("DEMAND", *(("A6.1",) if periods else ()), *(("A6.3",) if limited else ()), *(("LOCK",) if free else ()))
    return Finding.of(rules, f"{where}: every eligible teacher is full: {'; '.join(parts)}",
                      row + [("locks.csv", i) for i in free])


def courses_by_teacher(sections: pd.DataFrame) -> dict[str, dict[str, set[str]]]:
    """teacher -> semester ("1", "2") -> the distinct courses the plan gives them there (a `year` course in both)."""
    out: dict[str, dict[str, set[str]]] = {}
    for teacher, semester, course in zip(sections.teacher_id, sections.semester.astype(str), sections.course_id):
        if isinstance(teacher, str):
            for s in ("1", "2") if semester == "year" else (semester,):
                out.setdefault(teacher, {"1": set(), "2": set()})[s].add(course)
    return out


def at_course_limit(courses_of: dict[str, dict[str, set[str]]], consent: dict[str, bool], course_id: str,
                    semester: str, eligible: list[str], limit: int) -> dict[str, tuple[str, int]]:
    """Eligible teacher -> (the first semester the course meets in where the plan gives them `limit` or more other
    courses, how many), for teachers without stipend consent (`courses_of`: `courses_by_teacher`): A6.3 (6.0 B(1))
    keeps them from it."""
    meets = ("1", "2") if semester == "year" else (semester,)
    found = {}
    for teacher in eligible:
        others = [(s, len(courses_of.get(teacher, {}).get(s, set()) - {course_id})) for s in meets]
        at_limit = [(s, n) for s, n in others if n >= limit]
        if at_limit and not consent.get(teacher, False):
            found[teacher] = at_limit[0]
    return found


def _homerooms_taken(district: District, where: str, eligible: list[str], row: list) -> Finding:
    """DEMAND + STRUCTURE: every eligible teacher holds their one homeroom (LOCK too where a lock requires the one they
    hold) — or LOCK: a lock keeps some from any."""
    locks = district.locks
    kept = locks[(locks["mode"] == "forbid") & locks.course_id.isna() & (locks.period_id == HOMEROOM)
                 & locks.teacher_id.isin(eligible)]
    others = sorted(set(eligible) - set(kept.teacher_id))
    placed = _homerooms_required(district, others)
    by_lock = f" ({'; '.join(f'{t} by locks.csv {i}' for t, i in sorted(placed.items()))})" if placed else ""
    placed_rows = [("locks.csv", i) for i in sorted(placed.values())]
    if kept.empty:
        return Finding.of(("DEMAND", "STRUCTURE", *(("LOCK",) if placed else ())), f"{where}: every eligible teacher "
                          f"({id_list(eligible)}) holds a homeroom already (one per elementary classroom teacher)"
                          f"{by_lock}", row + placed_rows)
    rest = f"; the others ({id_list(others)}) hold a homeroom already{by_lock}" if others else ""
    ids = sorted(map(str, kept.lock_id))
    return Finding.of(("DEMAND", "LOCK", *(("STRUCTURE",) if others else ())),
                      f"{where}: {id_list(kept.teacher_id)} {'is' if len(set(kept.teacher_id)) == 1 else 'are'} kept "
                      f"from homerooms (locks.csv {', '.join(ids)}){rest}",
                      row + [("locks.csv", i) for i in ids] + placed_rows)


def _homerooms_required(district: District, teachers: list[str]) -> dict[str, str]:
    """teacher -> lock_id, for the teachers a `require` lock of an elementary course holds in that homeroom (a conflict
    named only the lock that kept another teacher from homerooms)."""
    locks, courses = district.locks, district.courses
    elementary = set(courses.course_id[courses.level == "elementary"])
    mine = locks[(locks["mode"] == "require") & locks.course_id.isin(elementary) & locks.teacher_id.isin(teachers)]
    return dict(zip(mine.teacher_id, mine.lock_id))


SHOWN_IDS = 8
"""Teacher IDs a vacancy reason names before "and N more": a reason stays one readable line in a large school."""


def id_list(ids, shown: int = SHOWN_IDS) -> str:
    """Sorted IDs, comma-separated, the first `shown` of them and how many more."""
    ids = sorted(map(str, ids))
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    return ", ".join(ids[:shown]) + more


def _locked_out(district: District, course_id: str, teachers: list[str]) -> dict[str, str]:
    """teacher -> lock_id, for the teachers a `forbid` lock of this course (any period) keeps from it."""
    locks = district.locks
    mine = locks[(locks["mode"] == "forbid") & (locks.course_id == course_id) & locks.period_id.isna()
                 & locks.teacher_id.isin(teachers)]
    return dict(zip(mine.teacher_id, mine.lock_id))


def _periods_kept_free(district: District, teachers: list[str]) -> list[str]:
    """The lock_ids of the `forbid` locks of a period alone that take periods from these teachers (A6.1 capacity)."""
    locks = district.locks
    mine = locks[(locks["mode"] == "forbid") & locks.course_id.isna() & locks.period_id.notna()
                 & locks.teacher_id.isin(teachers)]
    return sorted(map(str, mine.lock_id))


def _no_credentialed_teacher(district: District, c, grades: tuple[int, ...], gtext: str) -> str:
    """CRED: why no classroom teacher of the course's school and level may take the section."""
    t = district.teachers
    t = t[(t.school_id == c.school_id) & (t.level == c.level) & (t.role == "classroom")]
    holders = t[t.credentials.map(lambda cs: c.credential in cs)]
    if holders.empty:
        return f"no classroom teacher at {c.school_id} ({c.level}) holds credential {c.credential}"
    in_range = holders[(holders.grade_min <= min(grades)) & (holders.grade_max >= max(grades))]
    if in_range.empty:
        return f"teachers holding {c.credential} ({id_list(holders.teacher_id)}) are not authorized for {gtext}"
    return f"special_education sections need a special_education department teacher; none holds {c.credential} for {gtext}"


def _grades_text(grades: tuple[int, ...]) -> str:
    label = "-".join(grade_name(g) for g in grades)
    return f"grade {label}" if len(grades) == 1 else f"grades {label}"


def vacancy_items(district: District, sections: pd.DataFrame, section_grades: pd.DataFrame,
                  eligible_of: dict[tuple[str, tuple[int, ...]], list[str]], course_limit: int
                  ) -> tuple[list[dict], dict[str, Finding]]:
    """run.json `vacancies.items` (section_id, course_id, grades, rules, reason), and section_id -> the reason as a
    finding with its rows (the locks it names); `course_limit`: A6.3's courses per semester."""
    vac = sections[sections.teacher_id.isna()]
    if vac.empty:
        return [], {}
    courses = {c.course_id: c for c in district.courses.itertuples(index=False)}
    courses_of = courses_by_teacher(sections)
    consent = dict(zip(district.teachers.teacher_id, district.teachers.stipend_consent))
    grades = section_grades.groupby("section_id").grade.apply(lambda g: tuple(sorted(g)))
    items, reasons, found = [], {}, {}
    for sid, course in vac[["section_id", "course_id"]].itertuples(index=False):
        gr = grades.get(sid, ())
        if (course, gr) not in reasons:  # one reason per course and grades: 159,000 vacancies of a few hundred took
            c, eligible = courses[course], eligible_of.get((course, gr), [])  # minutes, one pandas query each
            limited = at_course_limit(courses_of, consent, course, str(c.semester), eligible, course_limit)
            reasons[course, gr] = vacancy_reason(district, c, gr, eligible, limited)
        reason = found[sid] = reasons[course, gr]
        items.append({"section_id": sid, "course_id": course, "grades": list(gr), "rules": list(reason.rules),
                      "reason": reason.message})
    return items, found
