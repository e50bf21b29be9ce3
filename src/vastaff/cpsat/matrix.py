"""A9.1 (9.0; IX-A 2.0(c)-(d); 9.0(1)): the matrix — teachers' own ranked choices (matrix.csv), granted by seniority.

A teacher's choice is *granted* by a section (or shape) that fits it: a `grade` row by a homeroom holding that grade,
a `course_id` row by a section of that course, a `level` row by a section of a course of that level (a level move).
The rank a teacher *gets* is the best rank among their granted choices; none granted ranks below every listed one.

- Elementary, hard: no blocking pair. A senior S ranked a grade g above what S got; a junior J's homeroom holds g; S
  may take J's homeroom and J may take S's (or S has none). Exactly, over the counts: for each such S and shape s'
  holding g, the juniors' sections of s' are 0 unless S holds one of S's shapes granting a rank at least as good as
  g's, or one of S's shapes those juniors may not take (S holds at most one shape, STRUCTURE: that sum is 0 or 1;
  juniors with the same such shapes share one constraint). A lock in the way of the swap excuses the pair: a
  `require` lock placed J there (docs/contract.md, A9.1: of the course, or of a meeting needing a grade of s' when S
  holds no homeroom), a lock keeps S out of s' (a forbidden course or homeroom, a required other course, a meeting
  lock needing a grade s' does not hold: `sections.locks.barred_pairs`) or J out of S's shape. Such a swap keeps
  every section's students and staffing, so a plan free of blocking pairs always exists (`unblock` makes one).
- Secondary, preference: stage `matrix` (after `stability`, before `preferences`, unless the model file places it),
  lexicographic by seniority within each level of record through weights (`seniority_weights`); elementary teachers'
  choices enter it too, so that a choice no senior contests is granted (the hard rule alone would leave it to chance).
- Level moves (9.0(1)): `sections.problem` makes the pairs (into shapes no teacher of that level may take, and into
  shapes once each of that level's teachers who may take them is full, `if_full`: holds a homeroom, or, secondary,
  has no period left for it); here a teacher who moved into elementary holds at most one homeroom, like an
  elementary teacher (STRUCTURE), and the `if_full` conditions.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd
from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.cpsat.groups import Groups
from vastaff.cpsat.periods import no_room_for
from vastaff.cpsat.variables import SectionVars
from vastaff.io.locks import records
from vastaff.schemas.fields import grade_name
from vastaff.sections.locks import barred_pairs
from vastaff.sections.plain import grouped
from vastaff.sections.problem import SchoolProblem

MATRIX_WEIGHT_MAX = 2 ** 31
"""Largest value one level's matrix terms may take: exact lexicographic weights up to it, seniority tiers beyond."""


def grants(row: dict, course_id: str, course_level: str, grades, own_level: str) -> bool:
    """Whether a section of `course_id` (of `course_level`, holding `grades`) grants the choice `row` to its teacher."""
    if row["grade"] is not None:
        return course_level == "elementary" and row["grade"] in grades
    if row["course_id"] is not None:
        return row["course_id"] == course_id
    return row["level"] == course_level and course_level != own_level


def choices_by_teacher(p: SchoolProblem) -> dict[str, list[dict]]:
    """The school's matrix rows per teacher, in rank order."""
    out: dict[str, list[dict]] = {}
    for row in sorted(p.matrix, key=lambda r: (r["teacher_id"], r["rank"])):
        out.setdefault(row["teacher_id"], []).append(row)
    return out


class _School:
    """What the A9.1 constraints read of one school: shapes, levels, seniority, choices and locks."""

    def __init__(self, p: SchoolProblem, eligible: set[tuple[str, int]]):
        self.p = p
        level = dict(zip(p.courses.course_id, p.courses.level))
        self.course = dict(zip(p.shapes.sid, p.shapes.course_id))
        self.level = {sid: level[c] for sid, c in self.course.items()}
        self.grades = dict(zip(p.shapes.sid, p.shapes.grades))
        self.own = dict(zip(p.teachers.teacher_id, p.teachers.level))
        self.seniority = dict(zip(p.teachers.teacher_id, p.teachers["rank"]))
        self.choices = choices_by_teacher(p)
        self.shapes_of: dict[str, list[int]] = {}
        self.holders_of: dict[int, list[str]] = {}
        for teacher, sid in sorted(eligible, key=lambda e: (e[1], e[0])):
            self.shapes_of.setdefault(teacher, []).append(sid)
            self.holders_of.setdefault(sid, []).append(teacher)
        self.required = {(lock["teacher_id"], lock["course_id"]) for lock in p.locks
                         if lock["mode"] == "require" and lock["course_id"] is not None}
        self.grade_locked = {(lock["teacher_id"], lock["grade"]) for lock in p.grade_locks}
        self.barred = barred_pairs(p, self.shapes_of)
        self.allowed = {t: set(shapes) - {s for s in shapes if (t, s) in self.barred}
                        for t, shapes in self.shapes_of.items()}

    def may_take(self, teacher: str, sid: int) -> bool:
        return sid in self.allowed.get(teacher, ())

    def rank_of(self, teacher: str, sid: int | None) -> float:
        """The rank the shape grants the teacher (inf: none of their choices)."""
        if sid is None:
            return float("inf")
        own = self.own[teacher]
        return min((r["rank"] for r in self.choices.get(teacher, [])
                    if grants(r, self.course[sid], self.level[sid], self.grades[sid], own)), default=float("inf"))

    def wanted(self, senior: str) -> list[tuple[int, dict]]:
        """Homeroom shapes S may take holding a grade S ranked, with the best such row, best first."""
        out = []
        rows = [r for r in self.choices.get(senior, []) if r["grade"] is not None]
        for sid in self.shapes_of.get(senior, []):
            if self.level[sid] != "elementary" or not self.may_take(senior, sid):
                continue
            best = next((r for r in rows if r["grade"] in self.grades[sid]), None)
            if best is not None:
                out.append((sid, best))
        return sorted(out, key=lambda x: (x[1]["rank"], x[0]))

    def outranked(self, senior: str, junior: str, target: int) -> bool:
        """J is junior to S and no course lock placed J in `target` (docs/contract.md, A9.1)."""
        return self.seniority[junior] > self.seniority[senior] and (junior, self.course[target]) not in self.required

    def grade_placed(self, junior: str, target: int) -> bool:
        """A meeting lock needs J to teach a grade `target` holds: left without a homeroom, J would break it."""
        return any((junior, g) in self.grade_locked for g in self.grades[target])

    def blocks(self, senior: str, junior: str, target: int, held: int | None) -> bool:
        """A9.1: J (junior) holding `target` blocks S, who holds `held`, unless a lock is in the way of the swap: one
        placed J there (a course lock; a meeting lock needing a grade of `target` when S holds no homeroom), or one
        keeps J out of `held` (`may_take`)."""
        if held is None:
            return self.outranked(senior, junior, target) and not self.grade_placed(junior, target)
        return self.outranked(senior, junior, target) and self.may_take(junior, held)

    def seniors(self) -> list[str]:
        """Elementary teachers with grade choices, most senior first."""
        return sorted((t for t, rows in self.choices.items() if self.own.get(t) == "elementary"
                       and any(r["grade"] is not None for r in rows)), key=self.seniority.__getitem__)


def add_no_blocking_pairs(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, groups: Groups,
                          on=None) -> None:
    """A9.1 (IX-A 2.0(c)), hard: no senior elementary teacher and junior holder of a homeroom form a blocking pair.

    Juniors whose blocking depends on the same shapes of S share one constraint: their sections of the homeroom
    shape number at most min(juniors, k_max) times S's holding one of those shapes (0 or 1), exact on integers; for
    juniors a meeting lock placed there (`grade_placed`), times S's holding none of the shapes they could be given
    instead (left without a homeroom they would break the lock).
    `on`: a literal the constraints depend on, for a solve that turns the rule on only later (`cpsat.solver`)."""
    school = _School(p, set(v.takes))
    k_max = dict(zip(p.shapes.sid, p.shapes.k_max))
    for senior in school.seniors():
        mine = set(school.shapes_of.get(senior, []))
        for target, row in school.wanted(senior):
            better = {s for s in mine if school.rank_of(senior, s) <= row["rank"]}
            by_cover: dict[tuple[bool, tuple[int, ...]], list[str]] = {}
            for junior in school.holders_of.get(target, []):
                if not school.outranked(senior, junior, target):
                    continue
                if school.grade_placed(junior, target):  # blocked only while S holds a homeroom J could keep it in
                    key = (True, tuple(sorted((mine & school.allowed.get(junior, set())) - better)))
                else:
                    key = (False, tuple(sorted(better | (mine - school.allowed.get(junior, set())))))
                by_cover.setdefault(key, []).append(junior)
            for (placed, cover), juniors in sorted(by_cover.items()):
                room = min(len(juniors), int(k_max[target]))
                held = sum(v.takes[senior, s] for s in cover)
                ct = model.add(sum(v.takes[j, target] for j in juniors) <= room * (1 - held if placed else held))
                if on is not None:
                    ct.only_enforce_if(on)
                groups.enforce(ct, "A9.1", f"teacher {senior} ranks grade {grade_name(row['grade'])} above the "
                                           f"homerooms of juniors {', '.join(juniors)}",
                               (("matrix.csv", f"{senior}:{row['rank']}"), ("teachers.csv", senior),
                                *(("teachers.csv", j) for j in juniors)))


def add_level_moves(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars, contract: ContractModel,
                    groups: Groups) -> None:
    """STRUCTURE for 9.0(1) moves into elementary: a secondary teacher holds at most one homeroom. A9.1 (9.0(1)): a
    section teachers of its level may take goes to a teacher who moved level only once each of them is full
    (`if_full`: it would otherwise be a vacancy): holds a homeroom, or has no period left for it
    (`periods.no_room_for`)."""
    level = dict(zip(p.courses.course_id, p.courses.level))
    course_of = dict(zip(p.shapes.sid, p.shapes.course_id))
    homeroom = {sid for sid, c in course_of.items() if level[c] == "elementary"}

    def held(teacher: str) -> list:
        return [v.takes[teacher, s] for s in v.shapes_of_teacher.get(teacher, []) if s in homeroom]

    for teacher in p.teachers.teacher_id[~p.teachers.elementary]:
        if held(teacher):
            ct = model.add(sum(held(teacher)) <= 1)
            groups.enforce(ct, "STRUCTURE", f"teacher {teacher}", (("teachers.csv", teacher),))
    for (mover, sid), takers in sorted(p.if_full.items()):
        for taker in takers:
            if sid in homeroom:
                ct = model.add(v.takes[mover, sid] <= sum(held(taker)))
                why = f"teacher {mover} moves level into a homeroom only once {taker} holds one"
            else:
                full = no_room_for(model, p, v, contract, taker, sid)
                ct = model.add(v.takes[mover, sid] == 0).only_enforce_if(full.Not())
                why = (f"teacher {mover} moves level into {course_of[sid]} only once {taker} has no room for it: no "
                       f"period left, or the A6.3 course limit")
            groups.enforce(ct, "A9.1", f"{why} (9.0(1), a would-be vacancy)",
                           (("teachers.csv", mover), ("teachers.csv", taker)))


def matrix_terms(model: cp_model.CpModel, p: SchoolProblem, v: SectionVars) -> list:
    """A9.1, stage `matrix`: per teacher with choices, the ranks they miss above the one they get (0 for a first choice;
    choices no shape can grant are left out), weighted so that within a level of record the more senior comes first
    (IX-A 2.0(d); elementary too, beyond the hard rule: a choice nobody senior contests is granted)."""
    school = _School(p, set(v.takes))
    terms = []
    for level in sorted({school.own[t] for t in school.choices if t in school.own}):
        teachers = sorted((t for t in school.choices if school.own.get(t) == level), key=school.seniority.__getitem__)
        misses = [_misses(model, v, school, teacher) for teacher in teachers]
        weights = seniority_weights([len(m) for m in misses])
        terms += [w * sum(m) for w, m in zip(weights, misses) if m]
    return terms


def _misses(model: cp_model.CpModel, v: SectionVars, school: _School, teacher: str) -> list:
    """One literal per rank r from the first grantable one: 1 when the teacher gets no choice ranked r or better."""
    rank = {s: school.rank_of(teacher, s) for s in school.shapes_of.get(teacher, [])}
    granted: list = []
    missed = []
    for row in school.choices[teacher]:
        granted += [_holds(model, v, teacher, s) for s, r in rank.items() if r == row["rank"]]
        if granted:
            miss = model.new_bool_var(f"matrix_miss[{teacher},{row['rank']}]")
            model.add(miss + sum(granted) >= 1)
            missed.append(miss)
    return missed


def _holds(model: cp_model.CpModel, v: SectionVars, teacher: str, sid: int):
    """1 only if the teacher takes a section of the shape (the variable itself when it is 0/1)."""
    takes = v.takes[teacher, sid]
    if list(takes.proto.domain)[-1] <= 1:
        return takes
    lit = model.new_bool_var(f"matrix_holds[{teacher},{sid}]")
    model.add(lit <= takes)
    return lit


def seniority_weights(ranges: list[int], cap: int = MATRIX_WEIGHT_MAX) -> list[int]:
    """Weights for teachers in seniority order (each term between 0 and `ranges[i]`) that put the more senior first.

    Exact lexicographic (one unit of a teacher outweighs every junior's whole range) while the weighted sum stays
    under `cap`; beyond, teachers form seniority tiers, each tier outweighing the tiers junior to it and weighting its
    own teachers by seniority (n, n-1, ..., 1): the fewest tiers' members that keep the sum under `cap`.
    """
    for size in range(1, len(ranges) + 1):
        weights = _tiers(ranges, size)
        if sum(w * r for w, r in zip(weights, ranges)) <= cap:
            return weights
    return _tiers(ranges, max(len(ranges), 1))


def _tiers(ranges: list[int], size: int) -> list[int]:
    weights = [0] * len(ranges)
    unit = 1
    for start in reversed(range(0, len(ranges), size)):
        tier = range(start, min(start + size, len(ranges)))
        for j, i in enumerate(tier):
            weights[i] = unit * (len(tier) - j)
        unit += sum(weights[i] * ranges[i] for i in tier)
    return weights


def unblock(p: SchoolProblem, takes: pd.DataFrame) -> pd.DataFrame:
    """A9.1 on a construction (the clerk's fill): swap homerooms along blocking pairs, most senior first, until none
    is left. A swap keeps every shape's sections and seats, so the fill stays valid; it ends because each swap gives
    the senior a better rank and changes only juniors of theirs."""
    school = _School(p, set(map(tuple, p.plain_eligible[["teacher_id", "sid"]].itertuples(index=False))))
    count = {(t, s): int(n) for t, s, n in takes[["teacher_id", "sid", "sections"]].itertuples(index=False) if n > 0}
    seniors = school.seniors()
    changed = True
    while changed:
        changed = False
        for senior in seniors:
            while _swap_once(school, count, senior):
                changed = True
    return _frame(count)


def _swap_once(school: _School, count: dict[tuple[str, int], int], senior: str) -> bool:
    """One swap for the senior with the most junior holder of their best blocked choice; False when none blocks."""
    held = next((s for (t, s), n in count.items() if t == senior and n > 0), None)
    have = school.rank_of(senior, held)
    for target, row in school.wanted(senior):
        if row["rank"] >= have:
            break
        holders = [j for j in school.holders_of.get(target, []) if count.get((j, target), 0) > 0
                   and school.blocks(senior, j, target, held)]
        if not holders:
            continue
        junior = max(holders, key=school.seniority.__getitem__)
        count[junior, target] -= 1
        count[senior, target] = count.get((senior, target), 0) + 1
        if held is not None:
            count[senior, held] -= 1
            count[junior, held] = count.get((junior, held), 0) + 1
        return True
    return False


def swap_for(p: SchoolProblem, takes: pd.DataFrame, short: Callable[[pd.DataFrame], int]) -> pd.DataFrame:
    """Homeroom swaps between two teachers, each of whom may take the other's, that lower `short(takes)` (a count of
    what a construction misses, e.g. A7.1's rows) and leave no blocking pair (A9.1), until none does. A swap keeps every
    shape's sections and seats. `unblock`'s swaps answer to seniority alone: the senior who gets their first choice may
    be the one teacher of that grade who is busy at its meeting, where a plan gives the grade to someone more senior."""
    school = _School(p, set(map(tuple, p.plain_eligible[["teacher_id", "sid"]].itertuples(index=False))))
    count = {(t, s): int(n) for t, s, n in takes[["teacher_id", "sid", "sections"]].itertuples(index=False) if n > 0}
    locked = {t for t, _ in school.required} | {lock["teacher_id"] for lock in p.grade_locks}  # LOCK: never moved
    homeroom = {t: sid for t, sid in _homerooms(school, count).items() if t not in locked}
    best = short(takes)
    while best > 0:
        for a, b in [(a, b) for a in sorted(homeroom) for b in sorted(homeroom) if a < b]:
            if homeroom[a] == homeroom[b] or not (school.may_take(a, homeroom[b]) and school.may_take(b, homeroom[a])):
                continue
            _exchange(count, homeroom, a, b)
            now = short(_frame(count))
            if now < best and not any(_swap_once(school, dict(count), s) for s in school.seniors()):
                best = now
                break
            _exchange(count, homeroom, a, b)
        else:
            break
    return _frame(count)


def _homerooms(school: _School, count: dict[tuple[str, int], int]) -> dict[str, int]:
    """Teacher -> the one homeroom shape they hold (teachers holding one section of one elementary shape)."""
    held: dict[str, list[int]] = {}
    for (t, sid), n in count.items():
        held.setdefault(t, []).extend([sid] * n)
    return {t: sids[0] for t, sids in held.items() if len(sids) == 1 and school.level[sids[0]] == "elementary"}


def _exchange(count: dict[tuple[str, int], int], homeroom: dict[str, int], a: str, b: str) -> None:
    sa, sb = homeroom[a], homeroom[b]
    for t, gone, got in ((a, sa, sb), (b, sb, sa)):
        count[t, gone] -= 1
        count[t, got] = count.get((t, got), 0) + 1
    homeroom[a], homeroom[b] = sb, sa


def _frame(count: dict[tuple[str, int], int]) -> pd.DataFrame:
    rows = sorted((t, s, n) for (t, s), n in count.items() if n > 0)
    return pd.DataFrame(rows, columns=["teacher_id", "sid", "sections"])


def ranks_received(matrix: pd.DataFrame, teachers: pd.DataFrame, courses: pd.DataFrame, sections: pd.DataFrame,
                   section_grades: pd.DataFrame) -> pd.DataFrame:
    """Per teacher with choices: school_id, level (of record), choices, and the rank the plan grants (None: none)."""
    cols = ["teacher_id", "school_id", "level", "choices", "received"]
    if matrix is None or matrix.empty:
        return pd.DataFrame(columns=cols)
    level_of = dict(zip(courses.course_id, courses.level))
    grades = grouped(section_grades.section_id, section_grades.grade, lambda g: {int(x) for x in g})
    staffed = sections.dropna(subset=["teacher_id"])
    held: dict[str, list[tuple]] = {}
    for section, course, teacher in staffed[["section_id", "course_id", "teacher_id"]].itertuples(index=False):
        held.setdefault(teacher, []).append((course, level_of[course], grades.get(section, set())))
    own_level = dict(zip(teachers.teacher_id, teachers.level))
    school_of = dict(zip(teachers.teacher_id, teachers.school_id))
    rows = []
    choices: dict[str, list[dict]] = {}
    for row in records(matrix[["teacher_id", "rank", "grade", "course_id", "level"]]):
        choices.setdefault(row["teacher_id"], []).append(row)
    for teacher, listed in sorted(choices.items()):
        own = own_level[teacher]
        got = min((int(c["rank"]) for c in listed for course, level, g in held.get(teacher, [])
                   if grants(c, course, level, g, own)), default=None)
        rows.append((teacher, school_of[teacher], own, len(listed), got))
    out = pd.DataFrame(rows, columns=cols)
    out["received"] = pd.Series([r[-1] for r in rows], dtype=object)  # None, not NaN: no choice granted
    return out


def matrix_figures(received: pd.DataFrame) -> dict[str, dict[str, dict[str, int]]]:
    """run.json `matrix`: per school and level, teachers with choices, first choice, within the top 3, none granted."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for (school, level), g in received.groupby(["school_id", "level"], sort=True):
        got = g.received.dropna()
        out.setdefault(school, {})[level] = {
            "teachers_with_choices": len(g), "first_choice": int((got == 1).sum()),
            "within_top3": int((got <= 3).sum()), "none_granted": int(g.received.isna().sum())}
    return out
