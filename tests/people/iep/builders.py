"""Small IEP districts built directly as frames (the loader's dtypes), so brute-force comparisons stay fast.

`district(teachers, meetings)` with `teacher(...)` and `meeting(...)` rows; `tonight({teacher: grades})` gives the
sections that make default eligibility; `big_district(...)` a generated one with thousands of meetings.
"""

from __future__ import annotations

import itertools
import random

import pandas as pd

from vastaff.contract import load_contract
from vastaff.people.iep import IepResult, assign_iep_meetings, meeting_times, rotation_pairs
from vastaff.people.iep.eligibility import eligible_pairs, needs_coverage
from vastaff.people.iep.flow import costed_pairs, lexicographic_costs
from vastaff.people.wording import hhmm
from vastaff.schemas.district import District, Plan
from vastaff.schemas.inputs import INPUT_TABLES

CONTRACT = load_contract()
SECTION_COLUMNS = ["section_id", "school_id", "course_id", "semester", "period_id", "teacher_id", "enrollment"]
DAY = "2026-09-14"


def teacher(tid: str, *, school: str = "VA1", department: str = "general", role: str = "classroom",
            year: int = 2010, tiebreak: int = 1, grades: tuple[int, int] = (0, 12)) -> dict:
    return {"teacher_id": tid, "name": tid, "school_id": school, "level": "high", "department": department,
            "role": role, "seniority_date": pd.Timestamp(f"{year}-08-15"), "seniority_tiebreak": tiebreak,
            "grade_min": grades[0], "grade_max": grades[1]}


def meeting(mid: str, grade: int, start: str, end: str, *, day: str = DAY, school: str = "VA1",
            eligible: tuple[str, ...] = ()) -> dict:
    return {"meeting_id": mid, "school_id": school, "student_id": f"S-{mid}", "grade": grade,
            "date": pd.Timestamp(day), "start": start, "end": end, "eligible_teacher_ids": tuple(eligible)}


def frame(name: str, rows: list[dict]) -> pd.DataFrame:
    cols = list(INPUT_TABLES[name][0].model_fields)
    out = pd.DataFrame(rows, columns=cols) if rows else pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
    out["_row"] = range(2, len(out) + 2)
    return out


def district(teachers: list[dict], meetings: list[dict] = (), previous: pd.DataFrame | None = None) -> District:
    empty = {name: frame(name, []) for name in INPUT_TABLES}
    prev = None
    if previous is not None:
        prev = Plan(*(pd.DataFrame() for _ in range(3)), iep_assignments=previous, caseloads=pd.DataFrame())
    return District(**{**empty, "teachers": frame("teachers", teachers),
                       "iep_meetings": frame("iep_meetings", list(meetings))}, previous=prev)


def tonight(teaching: dict[str, list[int]], school: str = "VA1") -> tuple[pd.DataFrame, pd.DataFrame]:
    """sections + section_grades: teacher -> the grades of their one section (10 students each)."""
    sections, grades = [], []
    for i, (tid, gs) in enumerate(sorted(teaching.items())):
        sid = f"SEC{i}"
        sections.append({"section_id": sid, "school_id": school, "course_id": "C", "semester": "1",
                         "period_id": "P1", "teacher_id": tid, "enrollment": 10 * len(gs)})
        grades += [{"section_id": sid, "grade": g, "students": 10} for g in gs]
    return (pd.DataFrame(sections, columns=SECTION_COLUMNS),
            pd.DataFrame(grades, columns=["section_id", "grade", "students"]).astype({"grade": "int64", "students": "int64"}))


NO_SECTIONS = tonight({})


def explicit(d: District, seed: int = 0, **options) -> IepResult:
    """The rotation of a district whose meetings all carry explicit eligible lists (no sections needed)."""
    return assign_iep_meetings(d, CONTRACT, *NO_SECTIONS, seed=seed, **options)


def counts(result: IepResult, teachers: list[str]) -> dict[str, int]:
    held = result.assignments.teacher_id.value_counts()
    return {t: int(held.get(t, 0)) for t in teachers}


def group_pairs(d: District, sections: pd.DataFrame = NO_SECTIONS[0],
                grades: pd.DataFrame = NO_SECTIONS[1]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Meeting times and the costed pairs of a one-school district, as its rotation computes them."""
    m = meeting_times(d.iep_meetings)
    return m, costed_pairs(rotation_pairs(d, CONTRACT, m, sections, grades))


def plain_pairs(d: District) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Meeting times and eligible pairs with equal weights, no coverage and no previous teacher, costed."""
    m = meeting_times(d.iep_meetings)
    pairs = eligible_pairs(d, m, *NO_SECTIONS).assign(covered=False, weight=1, previous=False)
    pairs["cost"] = lexicographic_costs(pairs)
    return m, pairs


def checker_violations(d: District, sections: pd.DataFrame, grades: pd.DataFrame, result: IepResult) -> list:
    """What the independent checker (vastaff.check.iep, written from the documentation alone) finds in the rotation."""
    from vastaff.check import iep as check_iep
    from vastaff.check.core import CheckContext

    plan = Plan(sections=sections, section_grades=grades, teachers=pd.DataFrame(),
                iep_assignments=result.assignments, caseloads=pd.DataFrame())
    ctx = CheckContext(d, plan, CONTRACT)
    return [v for check in check_iep.CHECKS for v in check(ctx)]


# ----------------------------------------------------------------------------------------------
# Random instances and their brute-force optimum


def random_instance(rng: random.Random) -> tuple[list[dict], list[dict]]:
    names = [f"T{i}" for i in range(rng.randint(2, 4))]
    teachers = [teacher(t, year=rng.randint(1995, 2020), tiebreak=i) for i, t in enumerate(names)]
    meetings = []
    for i in range(rng.randint(3, 6)):
        start = 7 * 60 + 30 * rng.randint(0, 10)
        end = start + 30 * rng.randint(1, 3)
        eligible = tuple(sorted(rng.sample(names, rng.randint(1, len(names)))))
        meetings.append(meeting(f"M{i}", 9, hhmm(start), hhmm(end), day=rng.choice([DAY, "2026-09-15"]),
                                eligible=eligible))
    return teachers, meetings


def brute_force(meetings: list[dict], weights: dict[str, int]) -> tuple | None:
    """Best (spread, coverage, seniority) over every valid assignment, or None if there is none."""
    eligible_teachers = sorted({t for m in meetings for t in m["eligible_teacher_ids"]})
    window = CONTRACT.synchronous_window
    best = None
    for choice in itertools.product(*(m["eligible_teacher_ids"] for m in meetings)):
        if overlapping_pair(meetings, choice):
            continue
        n = [choice.count(t) for t in eligible_teachers]
        cov = sum(bool(needs_coverage([_min(m["start"])], [_min(m["end"])], window)[0]) for m in meetings)
        key = (max(n) - min(n), cov, sum(weights[t] for t in choice))
        best = key if best is None or key < best else best
    return best


def overlapping_pair(meetings: list[dict], choice: tuple) -> bool:
    for (a, ta), (b, tb) in itertools.combinations(zip(meetings, choice), 2):
        if ta == tb and a["date"] == b["date"] and _min(a["start"]) < _min(b["end"]) and _min(b["start"]) < _min(a["end"]):
            return True
    return False


def _min(text: str) -> int:
    return int(text[:2]) * 60 + int(text[3:])


# ----------------------------------------------------------------------------------------------
# A 20,000-teacher district


def big_district(n_teachers: int = 20_000, n_schools: int = 20, meetings_per_school: int = 150, seed: int = 0):
    """Schools of elementary (one homeroom grade each), middle and high teachers (two grades each), meetings over
    10 school days 07:30–15:30, a sample of explicit lists."""
    rng = random.Random(seed)
    teachers, teaching, meetings = [], {}, []
    per_school = n_teachers // n_schools
    for s in range(n_schools):
        school = f"VA{s + 1}"
        for i in range(per_school):
            tid = f"{school}-T{i:04d}"
            teachers.append(teacher(tid, school=school, year=rng.randint(1990, 2024), tiebreak=i))
            kind = i % 3
            teaching[tid] = ([rng.randint(0, 5)] if kind == 0 else
                             [g := rng.randint(6, 7), g + 1] if kind == 1 else [g := rng.randint(9, 11), g + 1])
        for k in range(meetings_per_school):
            start = 7 * 60 + 30 + 15 * rng.randint(0, 26)
            meetings.append(meeting(f"{school}-M{k:04d}", rng.randint(0, 12), hhmm(start),
                                    hhmm(start + rng.choice([30, 45, 60])), school=school,
                                    day=f"2026-09-{14 + rng.randint(0, 9):02d}"))
    sections, grades = [], []
    for i, (tid, gs) in enumerate(teaching.items()):
        sections.append((f"SEC{i}", tid.split("-")[0], "C", "1", "P1", tid, 10 * len(gs)))
        grades += [(f"SEC{i}", g, 10) for g in gs]
    sections = pd.DataFrame(sections, columns=SECTION_COLUMNS)
    grades = pd.DataFrame(grades, columns=["section_id", "grade", "students"])
    return district(teachers, meetings), sections, grades


def clashing_district():
    """60 teachers, 200 meetings in one school: the flow's optimum clashes (A7.2), so the repair paths run."""
    return big_district(n_teachers=60, n_schools=1, meetings_per_school=200, seed=2)
