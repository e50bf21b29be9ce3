"""From section counts to the rows of sections.csv and section_grades.csv, periods packed per teacher."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from vastaff.contract import ContractModel
from vastaff.schemas.fields import HOMEROOM
from vastaff.sections.problem import SEMESTERS_OF, SchoolProblem
from vastaff.sections.timetable_figures import PeriodData

SECTION_COLUMNS = ["section_id", "school_id", "course_id", "semester", "period_id", "teacher_id", "enrollment"]


@dataclass
class DecodedSections:
    sections: pd.DataFrame        # the documented sections.csv columns
    section_grades: pd.DataFrame  # section_id, grade, students


def decode_school(p: SchoolProblem, takes: pd.DataFrame, opened: pd.DataFrame, seats: pd.DataFrame,
                  contract: ContractModel, previous_periods: dict | None = None) -> DecodedSections:
    """Concrete sections: students of each grade split evenly, staffed sections first (teacher_id order)."""
    course = {c.course_id: c for c in p.courses.itertuples(index=False)}
    shape_course = dict(zip(p.shapes.sid, p.shapes.course_id))
    seats_of: dict[int, list[tuple[int, int]]] = {}
    for sid, grade, students in seats.sort_values(["sid", "grade"])[["sid", "grade", "students"]].itertuples(index=False):
        seats_of.setdefault(sid, []).append((grade, students))
    takers: dict[int, list[str]] = {}
    for teacher, sid, n in takes.sort_values(["sid", "teacher_id"])[["teacher_id", "sid", "sections"]].itertuples(index=False):
        takers.setdefault(sid, []).extend([teacher] * int(n))
    planned = []  # (course_id, sid, teacher or None, students per grade), in shape order
    for sid, k in opened.sort_values("sid")[["sid", "sections"]].itertuples(index=False):
        if k == 0:
            continue
        teachers = takers.get(sid, [])
        planned += [(shape_course[sid], sid, teachers[i] if i < len(teachers) else None, grades)
                    for i, grades in enumerate(split_students(seats_of[sid], int(k)))]
    rows, grade_rows = [], []
    for section_id, (course_id, sid, teacher, grades) in zip(number_sections(planned, p.previous_sections), planned):
        c = course[course_id]
        semester = "year" if c.elementary else c.semester
        period = HOMEROOM if (c.elementary and teacher) else None
        rows.append((section_id, p.school_id, course_id, semester, period, teacher, sum(grades.values())))
        grade_rows += [(section_id, g, n) for g, n in grades.items() if n > 0]
    sections = pd.DataFrame(rows, columns=SECTION_COLUMNS)
    sections = assign_periods(sections, p, contract, previous_periods or {})
    return DecodedSections(sections, pd.DataFrame(grade_rows, columns=["section_id", "grade", "students"]))


MATCHES = (("course_id", "sid", "teacher_id"), ("course_id", "teacher_id"), ("course_id", "sid"), ("course_id",))
"""How a section tonight takes one of last night's IDs, in this order: the same course, shape and teacher; the same
course and teacher; the same course and shape (another teacher took it over); the same course."""


def number_sections(planned: list[tuple], previous: pd.DataFrame | None) -> list[str]:
    """A section_id for each planned section (course_id, sid, teacher or None, ...): last night's IDs where they fit
    (`MATCHES`, each ID once, in ID order), then `<course_id>-NN`, the lowest numbers free. Without last night's plan:
    `<course_id>-01`, `-02`, ... in the planned order. Why: a section people know by its ID keeps it, with its
    teacher and so its period; before, every section was renumbered, and a night that gave one section of a course to
    another teacher moved the IDs of that course's other sections between teachers."""
    tonight = [{"course_id": c, "sid": _key(s), "teacher_id": t} for c, s, t, _ in planned]
    ids: list[str | None] = [None] * len(planned)
    last = [] if previous is None else [
        (section_id, {"course_id": c, "sid": _key(s), "teacher_id": _key(t)})
        for section_id, c, s, t in previous.sort_values("section_id").drop_duplicates("section_id")[
            ["section_id", "course_id", "sid", "teacher_id"]].itertuples(index=False)]  # each ID offered once
    for keys in MATCHES if last else ():
        used, offered = set(ids), {}
        for section_id, row in last:
            if section_id not in used:
                offered.setdefault(tuple(row[k] for k in keys), []).append(section_id)
        for i, row in enumerate(tonight):
            wanted = offered.get(tuple(row[k] for k in keys))
            if ids[i] is None and wanted:
                ids[i] = wanted.pop(0)
    taken, numbers = set(ids), {}
    for i, row in enumerate(tonight):
        while ids[i] is None:
            numbers[row["course_id"]] = numbers.get(row["course_id"], 0) + 1
            candidate = f"{row['course_id']}-{numbers[row['course_id']]:02d}"
            ids[i] = candidate if candidate not in taken else None
    return ids


def _key(value):
    """A match key: None for a missing teacher or shape (NaN), an int for a shape."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value) if isinstance(value, (float, np.integer)) else value


def split_students(grade_counts, k: int) -> list[dict[int, int]]:
    """Split each grade's students over k sections so that section sizes differ by at most one."""
    sections: list[dict[int, int]] = [dict() for _ in range(k)]
    offset = 0
    for grade, students in grade_counts:
        base, extra = divmod(int(students), k)
        for i in range(k):
            sections[i][int(grade)] = base + (1 if (i - offset) % k < extra else 0)
        offset = (offset + extra) % k
    return sections


def assign_periods(sections: pd.DataFrame, p: SchoolProblem, contract: ContractModel,
                   previous_periods: dict) -> pd.DataFrame:
    """A6.1/A6.2: pack each secondary teacher's sections into the school's academic periods."""
    subject = dict(zip(p.courses.course_id, p.courses.subject))
    eld = dict(zip(p.courses.course_id, p.courses.eld))
    secondary = sections.teacher_id.notna() & sections.period_id.isna()
    rows = sections[secondary]
    items = ((t, sid, subject[c], s, bool(eld[c]), preferred_period(previous_periods.get((t, c))))
             for t, sid, c, s in zip(rows.teacher_id, rows.section_id, rows.course_id, rows.semester))
    periods = pack_by_teacher(items, p.period_ids, contract)
    out = sections.copy()
    out.loc[secondary, "period_id"] = out.loc[secondary, "section_id"].map(periods)
    return out


def first_fit(data: PeriodData, contract: ContractModel, locks=None) -> dict[str, str] | None:
    """`pack_periods` per teacher, each section preferring its previous period; None if the packing fails. `locks`
    (`cpsat.timetable_locks.PeriodLocks`): the locked periods placed first, the forbidden ones skipped."""
    s = data.sections()
    rows = ((t, sid, subject, str(semester), bool(eld), preferred_period(data.previous.get((t, c))))
            for t, sid, c, subject, semester, eld in zip(s.teacher_id, s.section_id, s.course_id, s.subject,
                                                          s.semester, s.eld))
    fixed, banned = _locked_periods(locks)
    try:
        return pack_by_teacher(rows, data.period_ids, contract, fixed, banned)
    except RuntimeError:  # counts beyond the section model's bound: the search alone must find periods
        return None


def _locked_periods(locks) -> tuple[dict[str, str], frozenset[tuple[str, str]]]:
    """section_id -> the period a `require` lock puts it in (the first of the lock's sections not placed by another
    lock), and the (section_id, period_id) pairs a `forbid` lock rules out."""
    if locks is None:
        return {}, frozenset()
    fixed: dict[str, str] = {}
    for sids, period in locks.required:
        if not any(fixed.get(s) == period for s in sids):
            free = [s for s in sids if s not in fixed]
            if free:
                fixed[free[0]] = period
    return fixed, frozenset(locks.forbidden)


def pack_by_teacher(rows, period_ids, contract: ContractModel, fixed: dict[str, str] | None = None,
                    banned: frozenset = frozenset()) -> dict[str, str]:
    """`pack_periods` for each teacher's sections, teachers in id order (`rows`: the teacher, then the item)."""
    items: dict[str, list[tuple]] = {}
    for teacher, *item in rows:
        items.setdefault(teacher, []).append(tuple(item))
    out: dict[str, str] = {}
    for teacher in sorted(items):
        out.update(pack_periods(items[teacher], list(period_ids), contract, fixed or {}, banned))
    return out


def preferred_period(previous) -> str | None:
    """The period a (teacher, course) had most often last night (`previous`: one period, a list of them, or None)."""
    if previous is None or isinstance(previous, str):
        return previous
    return Counter(previous).most_common(1)[0][0] if len(previous) else None


def pack_periods(items: list[tuple], period_ids: list[str], contract: ContractModel,
                 fixed: dict[str, str] | None = None, banned: frozenset = frozenset()) -> dict[str, str]:
    """First-fit packing: year sections, then semester sections; ELD alone; a subject fills its own periods first.

    `items` are (section_id, subject, semester, eld, preferred_period). Opening new periods only when no
    period of the same subject has room uses exactly ceil(sections / max per period) periods per subject and
    semester — the bound the CP-SAT model enforces — so the packing always succeeds without locks. With them
    (LOCK), the sections `fixed` to a period go first, and no section goes where `banned` (section, period) says no.
    """
    cap = contract.max_sections_per_period
    eld_alone = contract.periods.eld_alone_in_period.value
    fixed = fixed or {}
    slots = {s: {p: [None, 0] for p in period_ids} for s in ("1", "2")}  # semester -> period -> [subject, count]
    out: dict[str, str] = {}
    order = sorted(items, key=lambda it: (it[0] not in fixed, it[2] != "year", not (it[3] and eld_alone), it[1], it[0]))
    for section_id, subject, semester, eld, preferred in order:
        label = ("ELD", section_id) if (eld and eld_alone) else subject
        limit = 1 if (eld and eld_alone) else cap
        sems = SEMESTERS_OF[semester]
        where = [fixed[section_id]] if section_id in fixed else period_ids
        open_ = [p for p in where if (section_id, p) not in banned]
        partial = [p for p in open_ if all(slots[s][p][0] == label and slots[s][p][1] < limit for s in sems)]
        empty = [p for p in open_ if all(slots[s][p][1] == 0 for s in sems)]
        if preferred in empty:
            empty.remove(preferred)
            empty.insert(0, preferred)
        choice = (partial or empty or [None])[0]
        if choice is None:
            raise RuntimeError(f"period packing failed for section {section_id}: counts exceed A6.1/A6.2 capacity")
        for s in sems:
            slots[s][choice][0] = label
            slots[s][choice][1] += 1
        out[section_id] = choice
    return out
