"""Per-teacher changes between two plans (docs/data-format.md, "changes.csv"; `vastaff diff`).

One row per (teacher, what) that changed, `what` in WHAT_ORDER: `courses`, `periods`, `site`, `room`, `iep`,
`caseload` (the documented kinds) and, on request, `cost`. Both plans are plain tables — a `Plan` read from a folder or
the dict of DataFrames a nightly solve holds in memory — so the nightly `changes.csv`, `vastaff diff` and
`scenario compare --diff` all come from this one function.

Section IDs are renumbered every night, so nothing here keys on them:
- `courses` compares each teacher's multiset of (course, semester): a teacher who gains a second section of a
  course they already teach has changed courses ("MA-ALG1 x1" -> "MA-ALG1 x2").
- `periods` compares each teacher's (course, semester, period) only within the (course, semester) pairs taught in
  both plans: a kept section whose period cannot be matched to a period of the same course and semester in the
  other plan has moved. A section gained or lost moves no period by itself (that is a `courses` change), so a
  teacher gets a `periods` row only when a period moved beyond what the course change implies. Its before/after
  are the teacher's whole timetable, so a reader sees the move in context.
- `site` is the site ID, or `home` for a teacher working at home; `room` the room ID (blank at home).
- `iep` the teacher's IEP meeting IDs (iep_assignments.csv); `caseload` the students they carry (caseloads.csv).
- `cost` the teacher's stipend + multi-grade + X-time dollars (teachers.csv), compared to the cent.
A teacher missing from one plan reads as blank there (no sections, no site, no meetings, no students).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from vastaff.schemas.district import Plan

CHANGE_COLUMNS = ["teacher_id", "what", "before", "after"]
"""changes.csv's columns (docs/data-format.md)."""
SUMMARY = "summary"
"""An extra column of `teacher_changes`: the change in words ("gains course GEO", "MA-ALG1 S1 P2 -> P4")."""
PLAN_KINDS = ("courses", "periods", "site", "room", "iep", "caseload")
WHAT_ORDER = (*PLAN_KINDS, "cost")
SEMESTER_LABEL = {"1": "S1", "2": "S2", "year": "year"}
SEP = "; "
COST_PARTS = ("stipend_cost", "multigrade_cost", "xtime_cost")

PlanTables = Plan | Mapping[str, pd.DataFrame]
"""A plan as a `Plan` (a folder read by io/plan.load_plan) or a mapping of its tables (a nightly solve's)."""


@dataclass(frozen=True)
class Facts:
    """One plan's per-teacher facts, keyed by teacher_id; a teacher absent from a table is absent from its dict."""

    sections: dict[str, Counter]        # (course_id, semester, period_id) -> sections
    places: dict[str, tuple[str, str]]  # (site or "home", room)
    meetings: dict[str, frozenset]
    students: dict[str, frozenset]
    costs: dict[str, tuple[float, ...]]  # COST_PARTS, in dollars rounded to the cent

    def teachers(self) -> set[str]:
        return set(self.sections) | set(self.places) | set(self.meetings) | set(self.students) | set(self.costs)


def plan_changes(before: PlanTables, after: PlanTables, costs: bool = False) -> pd.DataFrame:
    """changes.csv's rows: `teacher_id, what, before, after`, by teacher_id then WHAT_ORDER (`cost` only if asked)."""
    return teacher_changes(before, after, costs)[CHANGE_COLUMNS]


def teacher_changes(before: PlanTables, after: PlanTables, costs: bool = False) -> pd.DataFrame:
    """`plan_changes` plus a `summary` column saying the change in words, for the console and comparisons."""
    b, a = plan_facts(before), plan_facts(after)
    kinds = [k for k in WHAT_ORDER if costs or k != "cost"]
    rows = []
    gone, new = b.teachers() - a.teachers(), a.teachers() - b.teachers()
    for teacher in sorted(b.teachers() | a.teachers()):
        whose = " (not in the later plan)" if teacher in gone else " (new in the later plan)" if teacher in new else ""
        for what in kinds:
            found = KINDS[what](b, a, teacher)
            if found is not None:
                rows.append((teacher, what, *found[:2], found[2] + whose))
    return pd.DataFrame(rows, columns=[*CHANGE_COLUMNS, SUMMARY], dtype=object)


# ---------------------------------------------------------------------------------------------------------
# Reading a plan's tables


def plan_facts(plan: PlanTables) -> Facts:
    """The per-teacher facts of one plan; a table or column the plan lacks reads as blank."""
    sections = _table(plan, "sections", ["teacher_id", "course_id", "semester", "period_id"])
    teachers = _table(plan, "teachers", ["teacher_id", "work_location", "site_id", "room_id"], COST_PARTS)
    iep = _table(plan, "iep_assignments", ["teacher_id", "meeting_id"])
    caseloads = _table(plan, "caseloads", ["teacher_id", "student_id"])
    timetable: dict[str, Counter] = {}
    for t, c, s, p in sections.itertuples(index=False):
        timetable.setdefault(t, Counter())[(c, s, p)] += 1
    places = {t: ("home" if w == "home" else site, "" if w == "home" else room)
              for t, w, site, room in teachers[["teacher_id", "work_location", "site_id", "room_id"]]
              .itertuples(index=False)}
    money = {t: tuple(map(float, parts)) for t, *parts in teachers[["teacher_id", *COST_PARTS]].itertuples(index=False)}
    return Facts(timetable, places, _sets(iep, "meeting_id"), _sets(caseloads, "student_id"), money)


def _table(plan: PlanTables, name: str, columns: list[str], amounts=()) -> pd.DataFrame:
    """`columns` of one table as text (blank for a missing table, column or cell) and `amounts` as dollars rounded
    to the cent (0 when missing), rows without a teacher dropped."""
    frame = getattr(plan, name, None) if isinstance(plan, Plan) else plan.get(name)
    if frame is None:
        frame = pd.DataFrame(columns=[*columns, *amounts])
    data = {c: (_texts(frame[c]) if c in frame.columns else "") for c in columns}
    data |= {c: (pd.to_numeric(frame[c], errors="coerce").fillna(0.0).round(2) if c in frame.columns else 0.0)
             for c in amounts}
    out = pd.DataFrame(data, index=frame.index)
    return out[out["teacher_id"] != ""].reset_index(drop=True)


def _sets(frame: pd.DataFrame, column: str) -> dict[str, frozenset]:
    return {t: frozenset(g[column]) - {""} for t, g in frame.groupby("teacher_id", sort=False)}


def _texts(column: pd.Series) -> pd.Series:
    """`text` of every cell; a column of strings and blanks the fast way (a nightly plan has ~10^4 sections)."""
    if pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty"):
        return column.astype(object).where(column.notna(), "").astype(str).str.strip()
    return column.map(text)


def text(value) -> str:
    """A cell as comparable text: blanks empty, whole floats without `.0` (a section's semester `1.0` is `1`)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def natural(value: str) -> tuple:
    """Sort key that puts P2 before P10 and T9 before T10; the text itself breaks ties (P02 vs P2)."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", value) if p), value


def _joined(items, sep: str = SEP) -> str:
    return sep.join(sorted(items, key=natural))


# ---------------------------------------------------------------------------------------------------------
# One function per kind: (before, after, summary) of a teacher, or None when unchanged


def _courses(b: Facts, a: Facts, teacher: str) -> tuple[str, str, str] | None:
    """`courses`: the multiset of (course, semester), e.g. "MA-ALG1 x2; SC-BIO x1"."""
    cb, ca = _per_course(b.sections.get(teacher)), _per_course(a.sections.get(teacher))
    if cb == ca:
        return None
    labels = _course_labels(cb.keys() | ca.keys())
    keys = sorted(cb.keys() | ca.keys(), key=lambda k: natural(labels[k]))
    parts = [_course_change(labels[k], cb[k], ca[k]) for k in keys if cb[k] != ca[k]]
    return _course_text(cb, labels), _course_text(ca, labels), SEP.join(parts)


def _course_change(label: str, before: int, after: int) -> str:
    """"gains course GEO", "loses course GEO (2 sections)", "MA-ALG1 sections 1 -> 2"."""
    many = f" ({max(before, after)} sections)" if max(before, after) > 1 else ""
    if before == 0:
        return f"gains course {label}{many}"
    if after == 0:
        return f"loses course {label}{many}"
    return f"{label} sections {before} -> {after}"


def _per_course(timetable: Counter | None) -> Counter:
    out: Counter = Counter()
    for (course, semester, _), n in (timetable or Counter()).items():
        out[(course, semester)] += n
    return out


def _course_labels(keys) -> dict[tuple[str, str], str]:
    """A course by its ID; with its semester too when the teacher has it in more than one (hand-made plans)."""
    semesters = Counter(course for course, _ in keys)
    return {(c, s): f"{c} {_semester(s)}" if semesters[c] > 1 else c for c, s in keys}


def _course_text(counts: Counter, labels: dict) -> str:
    return _joined(f"{labels[k]} x{n}" for k, n in counts.items() if n)


def _periods(b: Facts, a: Facts, teacher: str) -> tuple[str, str, str] | None:
    """`periods`: a kept (course, semester) section whose period moved; the whole timetable before and after."""
    tb, ta = b.sections.get(teacher) or Counter(), a.sections.get(teacher) or Counter()
    if tb == ta:  # most teachers, most nights
        return None
    moves = []
    for course, semester in sorted(_per_course(tb).keys() & _per_course(ta).keys(), key=lambda k: natural(" ".join(k))):
        pb, pa = _periods_of(tb, course, semester), _periods_of(ta, course, semester)
        kept = min(sum(pb.values()), sum(pa.values()))
        if kept - sum((pb & pa).values()) > 0:
            gone, new = _joined((pb - pa).elements(), ", "), _joined((pa - pb).elements(), ", ")
            moves.append(f"{course} {_semester(semester)} {gone or '-'} -> {new or '-'}")
    if not moves:
        return None
    return _timetable_text(tb), _timetable_text(ta), SEP.join(moves)


def _periods_of(timetable: Counter, course: str, semester: str) -> Counter:
    return Counter({(p or "-"): n for (c, s, p), n in timetable.items() if (c, s) == (course, semester)})


def _timetable_text(timetable: Counter) -> str:
    """"MA-ALG1 S1 P2; SC-BIO year P4"; a course held twice in one period gets " x2"."""
    return _joined(f"{c} {_semester(s)} {p or '-'}" + (f" x{n}" if n > 1 else "") for (c, s, p), n in timetable.items())


def _semester(semester: str) -> str:
    return SEMESTER_LABEL.get(semester, semester)


def _site(b: Facts, a: Facts, teacher: str) -> tuple[str, str, str] | None:
    """`site`: the site ID, or `home`."""
    return _value("site", b.places.get(teacher, ("", ""))[0], a.places.get(teacher, ("", ""))[0])


def _room(b: Facts, a: Facts, teacher: str) -> tuple[str, str, str] | None:
    """`room`: the room ID (blank at home)."""
    return _value("room", b.places.get(teacher, ("", ""))[1], a.places.get(teacher, ("", ""))[1])


def _value(name: str, before: str, after: str) -> tuple[str, str, str] | None:
    return None if before == after else (before, after, f"{name} {before or '-'} -> {after or '-'}")


def _iep(b: Facts, a: Facts, teacher: str) -> tuple[str, str, str] | None:
    """`iep`: the IEP meetings the teacher attends (A7.1), by meeting ID."""
    return _id_sets("IEP meeting", "IEP meetings", b.meetings.get(teacher, frozenset()),
                    a.meetings.get(teacher, frozenset()))


def _caseload(b: Facts, a: Facts, teacher: str) -> tuple[str, str, str] | None:
    """`caseload`: the students the resource specialist carries (A7.3), by student ID."""
    return _id_sets("caseload", "students", b.students.get(teacher, frozenset()), a.students.get(teacher, frozenset()))


def _id_sets(name: str, unit: str, before: frozenset, after: frozenset) -> tuple[str, str, str] | None:
    if before == after:
        return None
    moved = [f"gains {_joined(after - before, ', ')}" if after - before else "",
             f"loses {_joined(before - after, ', ')}" if before - after else ""]
    head = f"{name} {len(before)} -> {len(after)} {unit}" if name == "caseload" else unit
    return _joined(before), _joined(after), f"{head}: {SEP.join(m for m in moved if m)}"


def _cost(b: Facts, a: Facts, teacher: str) -> tuple[str, str, str] | None:
    """`cost` (vastaff diff only): stipend (A6.3) + multi-grade (A8.5) + X-time (A12) dollars of teachers.csv."""
    before, after = b.costs.get(teacher), a.costs.get(teacher)
    if before == after:
        return None
    if (before is None or after is None) and not sum(before or after):
        return None  # a teacher who came or left costing nothing: no money moved
    total = [f"{sum(p):,.2f}" if p is not None else "-" for p in (before, after)]
    return _cost_text(before), _cost_text(after), f"cost {total[0]} -> {total[1]}"


def _cost_text(parts: tuple[float, ...] | None) -> str:
    """"1320.00 (stipend 1200.00, multigrade 120.00, xtime 0.00)"; blank for a teacher not in the plan."""
    if parts is None:
        return ""
    stipend, multigrade, xtime = parts
    return f"{sum(parts):.2f} (stipend {stipend:.2f}, multigrade {multigrade:.2f}, xtime {xtime:.2f})"


KINDS: dict[str, Callable[[Facts, Facts, str], tuple[str, str, str] | None]] = {
    "courses": _courses, "periods": _periods, "site": _site, "room": _room, "iep": _iep, "caseload": _caseload,
    "cost": _cost,
}
