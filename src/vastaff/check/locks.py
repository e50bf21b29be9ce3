"""LOCK — every row of locks.csv holds in the plan (docs/contract.md, LOCK).

`require`: the plan has an assignment of that teacher matching every filled field of the row; `forbid`: it has none.
What an assignment is depends on the row's group (the loader has made sure a row fills exactly one):

- course_id (+ semester, + period_id): a row of sections.csv with that teacher and course (in that period);
- period_id alone (forbid only): any row of sections.csv with that teacher in that period;
- site_id (+ room_id): the plan's teachers.csv row — `home` is work_location home; a site is work_location site at
  that site_id (and that room_id);
- meeting_id: a row of iep_assignments.csv giving that meeting to that teacher.

Readings: a lock's `semester` matches a section that meets in one of the semesters it names, so `1` matches a
semester-1 and a `year` section, and `year` (both semesters) matches any section meeting in either — the same
reading for require and forbid (a `forbid` of period P in `year` keeps the teacher out of P all year). A group is
judged only when the plan has its table (sections or teachers rows; an iep_assignments table), like the rules it
sits beside: a displacement plan holds no section lock. A teacher missing from the plan's teachers.csv holds no
site lock of `require` (STRUCTURE reports the missing row too) and breaks no `forbid`.
"""

from __future__ import annotations

import pandas as pd

from vastaff.check.core import (
    PLAN_TEACHERS, SECTIONS, SEMESTER_MEETS, TEACHERS, CheckContext, RowRef, cached, course_label, finding,
    has_section_plan, refs, short_list, teacher_label,
)
from vastaff.check.core import plan_has_table
from vastaff.check.iep import clean_ids
from vastaff.rules import Finding
from vastaff.schemas.inputs import HOME_SITE, LOCK_GROUPS

RULE = "LOCK"
LOCKS_FILE, IEP_ASSIGNMENTS = "locks.csv", "iep_assignments.csv"
SEMESTER_TEXT = {"1": " in semester 1", "2": " in semester 2", "year": " in either semester"}


@cached
def lock_rows(ctx: CheckContext) -> list[dict]:
    """locks.csv in file order, one dict per row, a blank cell as None."""
    locks = ctx.district.locks
    locks = (locks.sort_values("_row", kind="stable") if "_row" in locks.columns else locks).astype(object)
    return locks.where(locks.notna(), None).to_dict("records")


@cached
def teacher_sections(ctx: CheckContext) -> pd.DataFrame:
    """Every staffed row of sections.csv: section_id, course_id, semester, period_id, teacher_id (clean IDs)."""
    s = ctx.plan.sections
    out = pd.DataFrame({c: clean_ids(s[c]) for c in ("section_id", "course_id", "semester", "period_id", "teacher_id")})
    return out[out.teacher_id.notna()].reset_index(drop=True)


def check_locks(ctx: CheckContext) -> list[Finding]:
    """LOCK (docs/contract.md): each locks.csv row holds — require: a matching assignment; forbid: none."""
    judges = {"course_id": _section_lock, "period_id": _section_lock, "site_id": _site_lock, "meeting_id": _meeting_lock}
    out: list[Finding] = []
    for lock in lock_rows(ctx):
        group = next((g for g in LOCK_GROUPS if lock[g] is not None), None)
        if group is not None:
            out += judges[group](ctx, lock)
    return out


def _head(ctx: CheckContext, lock: dict) -> str:
    return f"lock {lock['lock_id']} ({lock['mode']}): teacher {teacher_label(ctx, lock['teacher_id'])}"


def _rows(lock: dict, *plan_rows: RowRef) -> list[RowRef]:
    """The lock's row, the teacher's, then the plan rows that show what the plan did."""
    return [RowRef(LOCKS_FILE, lock["lock_id"]), RowRef(TEACHERS, lock["teacher_id"]), *plan_rows]


# ----------------------------------------------------------------------------------------------
# Sections: a course (in a semester, in a period), or a period alone


def _meets(semester, wanted: str | None) -> bool:
    """Whether a section of `semester` meets in one of the semesters a lock's `wanted` names (None: any)."""
    if wanted is None:
        return True
    return bool(set(SEMESTER_MEETS.get(str(semester), ())) & set(SEMESTER_MEETS[wanted]))


def _matching(lock: dict, sections: pd.DataFrame) -> pd.Series:
    """The teacher's sections that match every filled field of the lock."""
    ok = pd.Series(True, index=sections.index)
    if lock["course_id"] is not None:
        ok &= sections.course_id.eq(lock["course_id"]).fillna(False)
    if lock["period_id"] is not None:
        ok &= sections.period_id.eq(lock["period_id"]).fillna(False)
    return ok & sections.semester.map(lambda s: _meets(s, lock["semester"])).astype(bool)


def _listed(sections: pd.DataFrame) -> str:
    """'S-ALG (semester 1, period P1), S-EN (semester year, period P1)'."""
    period = sections.period_id.fillna("(none)")
    return short_list(sections.section_id + " (semester " + sections.semester.fillna("?") + ", period " + period + ")")


def _what_sections(ctx: CheckContext, lock: dict) -> str:
    course = f" of {course_label(ctx, lock['course_id'])}" if lock["course_id"] is not None else ""
    period = f" in period {lock['period_id']}" if lock["period_id"] is not None else ""
    return f"section{course}{SEMESTER_TEXT.get(lock['semester'], '')}{period}"


def _section_lock(ctx: CheckContext, lock: dict) -> list[Finding]:
    """LOCK for a course or period row: some (require) or no (forbid) section of the teacher matches it."""
    if not has_section_plan(ctx):
        return []
    s = teacher_sections(ctx)
    mine = s[s.teacher_id == lock["teacher_id"]]
    hits = mine[_matching(lock, mine)]
    what = _what_sections(ctx, lock)
    if lock["mode"] == "forbid":
        if hits.empty:
            return []
        return [finding(RULE, f"{_head(ctx, lock)} must have no {what}, but the plan gives them {_listed(hits)}",
                        _rows(lock, *refs(SECTIONS, hits.section_id)))]
    if not hits.empty:
        return []
    near = mine[mine.course_id == lock["course_id"]] if lock["course_id"] is not None else mine.iloc[:0]
    if lock["course_id"] is None:
        instead = ""
    elif near.empty:
        instead = "; they teach no section of that course"
    else:
        instead = f"; their sections of that course: {_listed(near)}"
    return [finding(RULE, f"{_head(ctx, lock)} must have a {what}, but the plan gives them none{instead}",
                    _rows(lock, *refs(SECTIONS, near.section_id)))]


# ----------------------------------------------------------------------------------------------
# Work location: home, a site, a room at a site


def _what_place(lock: dict) -> str:
    if lock["site_id"] == HOME_SITE:
        return "work from home"
    room = f" in room {lock['room_id']}" if lock["room_id"] is not None else ""
    return f"work at site {lock['site_id']}{room}"


def _cell(value) -> str | None:
    """A plan cell as clean text, None when blank."""
    return None if pd.isna(value) or not str(value).strip() else str(value).strip()


def _place_text(location, site, room) -> str:
    """Where the plan puts a teacher, as a message says it."""
    if location != "site":
        return "working from home"
    return f"at site {site if site is not None else '(blank)'}" + (f" in room {room}" if room is not None else
                                                                   " without a room")


def _site_lock(ctx: CheckContext, lock: dict) -> list[Finding]:
    """LOCK for a site row: the plan's teachers.csv puts the teacher there (require) or not (forbid)."""
    p = ctx.plan.teachers
    if p.empty:
        return []
    ids = clean_ids(p.teacher_id)
    mine = p[(ids == lock["teacher_id"]).fillna(False).to_numpy(dtype=bool)]
    if mine.empty:
        if lock["mode"] == "forbid":
            return []
        return [finding(RULE, f"{_head(ctx, lock)} must {_what_place(lock)}, but plan/teachers.csv has no row for them",
                        _rows(lock))]
    row = mine.iloc[0]
    location, site, room = _cell(row.work_location), _cell(row.site_id), _cell(row.room_id)
    if lock["site_id"] == HOME_SITE:
        held = location == "home"
    else:
        held = location == "site" and site == lock["site_id"] and lock["room_id"] in (None, room)
    if held == (lock["mode"] == "require"):
        return []
    must = "must" if lock["mode"] == "require" else "must not"
    return [finding(RULE, f"{_head(ctx, lock)} {must} {_what_place(lock)}, but the plan has them "
                          f"{_place_text(location, site, room)}", _rows(lock, RowRef(PLAN_TEACHERS, lock["teacher_id"])))]


# ----------------------------------------------------------------------------------------------
# IEP meetings


def _meeting_lock(ctx: CheckContext, lock: dict) -> list[Finding]:
    """LOCK for a meeting row: iep_assignments.csv gives the meeting to the teacher (require) or not (forbid)."""
    if not plan_has_table(ctx.plan, "iep_assignments"):
        return []
    a = ctx.plan.iep_assignments
    holders = sorted(set(clean_ids(a.teacher_id)[(clean_ids(a.meeting_id) == lock["meeting_id"]).fillna(False)]
                         .dropna()))
    held = lock["teacher_id"] in holders
    if held == (lock["mode"] == "require"):
        return []
    meeting = f"IEP meeting {lock['meeting_id']}"
    rows = _rows(lock, RowRef(IEP_ASSIGNMENTS, lock["meeting_id"])) if holders else _rows(lock)
    if lock["mode"] == "forbid":
        return [finding(RULE, f"{_head(ctx, lock)} must not hold {meeting}, but iep_assignments.csv gives it to them",
                        rows)]
    given = "gives it to " + ", ".join(teacher_label(ctx, t) for t in holders) if holders else "gives it to no one"
    return [finding(RULE, f"{_head(ctx, lock)} must hold {meeting}, but iep_assignments.csv {given}", rows)]


CHECKS = [check_locks]
