"""LOCK (docs/contract.md, "Decisions people made") in the IEP rotation: the meeting locks of locks.csv.

A meeting lock narrows A7.1's eligibility and never widens it (a lock never excuses a contract rule): `require` leaves
the meeting to its locked teacher alone, who must be eligible for it tonight; `forbid` takes the pair away. The
rotation then runs unchanged on the pairs the locks leave (rotation.py), each path (flow, repair, greedy, CP-SAT)
seeing only those. A group is first rotated without its locks and that rotation kept when it keeps them, so a lock
the plan keeps anyway changes nothing.

A7.1's spread stays over the teachers the contract makes eligible: one the locks leave without any meeting still
holds 0, so the pairs of that school carry `idle` (the school's least count is 0; flow.py and cpsat.py read it).

When the locks cannot hold with A7.1/A7.2, `Infeasible` names LOCK, the locks.csv rows and the contract rules: a
required teacher who is not eligible (or sits in a scheduled meeting then, A4.3), two teachers required for one
meeting, a pair both required and forbidden, two overlapping meetings required of one teacher, a meeting whose every
eligible teacher is forbidden, and what the contract's own explanations (explain.py, cpsat.py) find on the pairs the
locks leave.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from vastaff.io.locks import group_of, records
from vastaff.people.iep.eligibility import busy_pairs
from vastaff.people.iep.explain import (
    MEETINGS_FILE, SCHEDULED_FILE, TEACHERS_FILE, scheduled_text, too_few_teachers_for_overlaps,
)
from vastaff.people.wording import hhmm
from vastaff.rules import Finding, Infeasible
from vastaff.schemas.district import District
from vastaff.schemas.fields import grade_name

LOCKS_FILE = "locks.csv"
LOCK_COLUMNS = ["lock_id", "teacher_id", "mode", "meeting_id"]


def meeting_locks(district: District, meetings: pd.DataFrame, pairs: pd.DataFrame) -> MeetingLocks | None:
    """The meeting locks of `district.locks` against a rotation's meetings (`meeting_times`) and eligible pairs
    (`rotation_pairs`); None when locks.csv has none (validation: each names a meeting and a teacher of one school)."""
    locks = district.locks
    locks = locks.sort_values("_row", kind="stable") if "_row" in locks.columns else locks
    rows = [r for r in records(locks) if group_of(r) == "meeting_id"]
    if not rows:
        return None
    frame = pd.DataFrame(rows, columns=list(rows[0]))[LOCK_COLUMNS].astype(str).reset_index(drop=True)
    frame["m"] = pd.Index(meetings.meeting_id.astype(str)).get_indexer(frame.meeting_id)
    frame["t"] = pairs.teacher_id.cat.categories.get_indexer(frame.teacher_id)
    teachers = district.teachers.drop_duplicates("teacher_id").set_index("teacher_id")[["department", "role"]]
    frame = frame.join(teachers, on="teacher_id")
    frame["busy"] = _busy(district, meetings, frame)
    allowed = _allowed(frame, pairs)
    return MeetingLocks(frame, allowed, _idle(pairs, allowed), _busy_listed(district, meetings, pairs))


def _busy_listed(district: District, meetings: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """A4.3: the teachers an explicit eligible list names whom a scheduled meeting then keeps out of `pairs` — m,
    teacher_id and the scheduled meeting_id, kind, start, end (what a meeting left to nobody names besides its
    locks)."""
    codes = pairs.teacher_id.cat.categories
    listed = [(m, t) for m, ids in zip(meetings.m.tolist(), meetings.eligible_teacher_ids) for t in ids]
    kept = set(zip(pairs.m.tolist(), pairs.teacher_id.astype(str).tolist()))
    known = set(codes)
    listed = [(m, t) for m, t in listed if (m, t) not in kept and t in known]
    columns = ["m", "teacher_id", "meeting_id", "kind", "start", "end"]
    if not listed:
        return pd.DataFrame(columns=columns)
    ids = [t for _, t in listed]
    probe = pd.DataFrame({"m": [m for m, _ in listed], "t": codes.get_indexer(ids),
                          "teacher_id": pd.Categorical(ids, categories=codes)})
    return busy_pairs(district, meetings, probe).assign(teacher_id=lambda b: b.teacher_id.astype(str))[columns]


def _busy(district: District, meetings: pd.DataFrame, locks: pd.DataFrame) -> np.ndarray:
    """Per lock: its teacher attends a scheduled meeting (meetings.csv) overlapping its IEP meeting (A4.3)."""
    known = np.flatnonzero(locks.m.to_numpy() >= 0)
    teachers = pd.Index(sorted(locks.teacher_id.unique()))
    probe = pd.DataFrame({"m": locks.m.to_numpy()[known], "t": teachers.get_indexer(locks.teacher_id.iloc[known]),
                          "teacher_id": pd.Categorical(locks.teacher_id.iloc[known], categories=teachers)})
    busy = np.zeros(len(locks), dtype=bool)
    busy[known[busy_pairs(district, meetings, probe).row.to_numpy(dtype=np.int64)]] = True
    return busy


def _allowed(locks: pd.DataFrame, pairs: pd.DataFrame) -> np.ndarray:
    """Per pair: no `forbid` takes it, and its meeting is required of no teacher or of its own."""
    width = len(pairs.teacher_id.cat.categories)
    keys = pairs.m.to_numpy(dtype=np.int64) * width + pairs.t.to_numpy(dtype=np.int64)
    forbid, require = locks[locks["mode"] == "forbid"], locks[locks["mode"] == "require"]
    ok = ~np.isin(keys, forbid.m.to_numpy(dtype=np.int64) * width + forbid.t.to_numpy(dtype=np.int64))
    required = np.isin(pairs.m.to_numpy(), require.m.to_numpy())
    return ok & (~required | np.isin(keys, require.m.to_numpy(dtype=np.int64) * width + require.t.to_numpy()))


def _idle(pairs: pd.DataFrame, allowed: np.ndarray) -> np.ndarray:
    """Per pair: its school has an eligible teacher (A7.1) whom the locks leave no meeting of that school."""
    width = len(pairs.teacher_id.cat.categories)
    keys = pairs.s.to_numpy(dtype=np.int64) * width + pairs.t.to_numpy(dtype=np.int64)  # (school, teacher)
    lost = np.setdiff1d(keys, keys[allowed])
    return np.isin(pairs.s.to_numpy(), lost // width)


@dataclass(frozen=True)
class MeetingLocks:
    """The meeting locks of a district, coded against one rotation's meetings (`m`) and teachers (`t`)."""

    rows: pd.DataFrame    # lock_id, teacher_id, mode, meeting_id, m, t, department, role: in locks.csv order
    allowed: np.ndarray   # per pair of the rotation: the locks leave it
    idle: np.ndarray      # per pair: its school has an eligible teacher the locks leave without any meeting
    busy_listed: pd.DataFrame  # listed teachers a scheduled meeting keeps out (A4.3): `_busy_listed`

    def restricted(self, pairs: pd.DataFrame, rows: np.ndarray | None = None) -> pd.DataFrame:
        """The pairs the locks leave, with `idle` (see the module's docstring); `pairs` are the rotation's, or its
        `rows` (positions, e.g. one group's)."""
        allowed, idle = (self.allowed, self.idle) if rows is None else (self.allowed[rows], self.idle[rows])
        return pairs.assign(idle=idle)[allowed]

    def kept_by(self, held: pd.DataFrame) -> bool:
        """LOCK: whether a group's rotation (its held pairs: m, t) keeps every lock of its meetings."""
        pairs = set(zip(held.m.tolist(), held.t.tolist()))
        mine = self.rows[self.rows.m.isin(held.m)]
        return all(((m, t) in pairs) == (mode == "require") for m, t, mode in zip(mine.m, mine.t, mine["mode"]))

    def raise_if_unholdable(self, meetings: pd.DataFrame, pairs: pd.DataFrame) -> None:
        """Infeasible (LOCK + A7.1 / A7.2) when the locks cannot hold with the contract, whatever the rotation."""
        findings = (_contradictions(self.rows) + _two_teachers(self.rows) + _ineligible(self.rows, meetings, pairs)
                    + _overlapping(self.rows, meetings))
        if not findings:
            restricted = self.restricted(pairs)
            findings = _all_forbidden(self.rows, meetings, pairs, restricted, self.busy_listed)
            findings = findings or [self.blame(f) for f in too_few_teachers_for_overlaps(meetings, restricted)]
        if findings:
            raise Infeasible(findings)

    def blame(self, finding: Finding) -> Finding:
        """A contract finding on the pairs the locks leave, as LOCK's: with the locks of the meetings it names."""
        named = {key for file, key in finding.rows if file == MEETINGS_FILE}
        mine = self.rows[self.rows.meeting_id.isin(named)]
        mine = self.rows if mine.empty else mine
        ids = mine.lock_id.tolist()
        return Finding.of(("LOCK", *finding.rules), f"{finding.message} (under {_locks_phrase(ids)})",
                          [*finding.rows, *_lock_refs(ids)])

    def blamed(self, error: Infeasible) -> Infeasible:
        """The Infeasible of a rotation of the pairs the locks leave, each finding blamed on its locks."""
        return Infeasible([f if "LOCK" in f.rules else self.blame(f) for f in error.findings])


def _locks_phrase(ids: list[str]) -> str:
    ids = list(dict.fromkeys(ids))
    return f"lock{'s' if len(ids) > 1 else ''} {', '.join(ids)}"


def _lock_refs(ids) -> list[tuple[str, str]]:
    return [(LOCKS_FILE, i) for i in ids]


def _finding(rules: tuple[str, ...], ids: list[str], text: str, meetings, teachers) -> Finding:
    """'lock L1: <text>' on the lock rows, the meetings and the teachers."""
    rows = _lock_refs(ids) + [(MEETINGS_FILE, m) for m in meetings] + [(TEACHERS_FILE, t) for t in teachers]
    return Finding.of(rules, f"{_locks_phrase(ids)}: {text}", rows)


def _contradictions(locks: pd.DataFrame) -> list[Finding]:
    """LOCK: one teacher both required and forbidden to hold one meeting."""
    out = []
    for (m, t), rows in locks.groupby(["meeting_id", "teacher_id"], sort=True):
        if rows["mode"].nunique() > 1:
            out.append(_finding(("LOCK",), rows.lock_id.tolist(),
                                f"{t} is both required and forbidden to hold IEP meeting {m}", [m], [t]))
    return out


def _two_teachers(locks: pd.DataFrame) -> list[Finding]:
    """LOCK + A7.1: one meeting required of two teachers (it goes to exactly one)."""
    out = []
    for m, rows in locks[locks["mode"] == "require"].groupby("meeting_id", sort=True):
        teachers = sorted(rows.teacher_id.unique())
        if len(teachers) > 1:
            out.append(_finding(("LOCK", "A7.1"), rows.lock_id.tolist(), f"IEP meeting {m} is locked to "
                                f"{', '.join(teachers)}, but it goes to exactly one teacher", [m], teachers))
    return out


def _ineligible(locks: pd.DataFrame, meetings: pd.DataFrame, pairs: pd.DataFrame) -> list[Finding]:
    """LOCK + A7.1: a meeting required of a teacher A7.1 does not make eligible for it tonight."""
    width = len(pairs.teacher_id.cat.categories)
    eligible = set((pairs.m.to_numpy(dtype=np.int64) * width + pairs.t.to_numpy(dtype=np.int64)).tolist())
    out = []
    for lock in locks[locks["mode"] == "require"].itertuples():
        if lock.t >= 0 and lock.m * width + lock.t in eligible:
            continue
        why, rule = _why_not_eligible(lock, meetings.iloc[lock.m])
        out.append(_finding(("LOCK", rule), [lock.lock_id], f"{lock.teacher_id} is locked to IEP meeting "
                            f"{lock.meeting_id} but {why}", [lock.meeting_id], [lock.teacher_id]))
    return out


def _why_not_eligible(lock, meeting) -> tuple[str, str]:
    """Why, and the rule: A7.1 (the meeting's explicit list, else general-education classroom teachers teaching its
    grade tonight), or A4.3 (a scheduled meeting of the teacher overlaps it)."""
    listed = tuple(meeting.eligible_teacher_ids)
    if listed and lock.teacher_id not in listed:
        return f"is not on its eligible_teacher_ids list ({', '.join(listed)})", "A7.1"
    if not listed and (lock.department, lock.role) != ("general", "classroom"):
        return f"is not a general-education classroom teacher ({lock.department}, {lock.role})", "A7.1"
    if lock.busy:
        return "attends a scheduled meeting (meetings.csv) that overlaps it", "A4.3"
    return f"teaches no section of grade {grade_name(meeting.grade)} tonight", "A7.1"


def _overlapping(locks: pd.DataFrame, meetings: pd.DataFrame) -> list[Finding]:
    """LOCK + A7.2: two overlapping meetings required of one teacher."""
    out = []
    required = locks[locks["mode"] == "require"].drop_duplicates(["teacher_id", "meeting_id"])
    for t, rows in required.groupby("teacher_id", sort=True):
        held = meetings.iloc[sorted(rows.m)]
        for a, b in combinations(held.itertuples(), 2):
            if a.day == b.day and a.start_min < b.end_min and b.start_min < a.end_min:
                ids = locks[(locks.teacher_id == t) & locks.meeting_id.isin([a.meeting_id, b.meeting_id])
                            & (locks["mode"] == "require")].lock_id.tolist()
                out.append(_finding(("LOCK", "A7.2"), ids, f"{t} is locked to IEP meetings {a.meeting_id} "
                                    f"({_times(a)}) and {b.meeting_id} ({_times(b)}), which overlap on {a.day}",
                                    [a.meeting_id, b.meeting_id], [t]))
    return out


def _times(meeting) -> str:
    return f"{hhmm(int(meeting.start_min))}–{hhmm(int(meeting.end_min))}"


def _all_forbidden(locks: pd.DataFrame, meetings: pd.DataFrame, pairs: pd.DataFrame, restricted: pd.DataFrame,
                   busy_listed: pd.DataFrame) -> list[Finding]:
    """LOCK + A7.1: a meeting whose every eligible teacher a lock forbids (after the checks above, the only way the
    locks leave a meeting nobody); + A4.3 with the scheduled meetings that keep the others its list names."""
    left = np.bincount(restricted.m.to_numpy(), minlength=len(meetings))
    out = []
    for m in np.flatnonzero(left == 0).tolist():
        meeting = meetings.iloc[m]
        teachers = sorted(pairs.teacher_id[pairs.m.to_numpy() == m].astype(str))
        ids = locks[(locks.m == m) & (locks["mode"] == "forbid") & locks.teacher_id.isin(teachers)].lock_id.tolist()
        busy, held, why = _busy_clause(busy_listed[busy_listed.m == m])
        finding = _finding(("LOCK", "A7.1", *(["A4.3"] if busy else [])), ids, (
            f"IEP meeting {meeting.meeting_id} ({meeting.school_id}, grade {grade_name(meeting.grade)}, {meeting.day} "
            f"{_times(meeting)}) has no teacher left: {why}every {'other ' if busy else ''}eligible teacher "
            f"({', '.join(teachers)}) is forbidden from it"), [meeting.meeting_id], sorted([*teachers, *busy]))
        out.append(Finding.of(finding.rules, finding.message, [*finding.rows, *[(SCHEDULED_FILE, i) for i in held]]))
    return out


def _busy_clause(busy: pd.DataFrame) -> tuple[list[str], list[str], str]:
    """(teachers, scheduled meeting IDs, `T12, on its list, attends a scheduled meeting then (A4.3): M (committee,
    14:50–15:35); `) of the teachers a meeting's list names who attend a scheduled meeting then; empty without any."""
    if busy.empty:
        return [], [], ""
    who = sorted(busy.teacher_id.unique())
    held, text = scheduled_text(busy)
    verb = "attends" if len(who) == 1 else "attend"
    return who, held, f"{', '.join(who)}, on its list, {verb} a scheduled meeting then (A4.3): {text}; "
