"""The clerk's greedy fill (`vastaff solve --method greedy`): course by course, least-loaded credentialed teacher.

It is the baseline the optimizer is compared with, and the optimizer's first incumbent (its fallback).
Single-grade sections only, each at most the band mean (so A8.1 holds by construction), every contract rule
respected; a section no teacher can take is a vacancy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from vastaff.contract import ContractModel
from vastaff.sections.locks import (
    barred_pairs, homeroom_shapes, periods_locked_free, required_shapes, year_periods,
)
from vastaff.sections.plain import grouped
from vastaff.sections.problem import SEMESTERS_OF, SchoolProblem

YEAR = "Y"
"""The pseudo-semester of a teacher's `year` sections alone (`_TeacherState`): they need a period free in both."""


def greedy_school(p: SchoolProblem, contract: ContractModel,
                  movers: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Counts in the optimizer's form: takes (teacher_id, sid, sections), opened (sid, sections, vacant), seats.

    Decisions people made come first (LOCK): each lock that asks a teacher to teach a course, or a grade (an IEP
    meeting's), takes one of its sections before the clerk's course order; the fill never gives a forbidden course
    or homeroom, nor a period locked free. `movers`: a section no teacher of its level can take as the fill stands
    goes to a teacher who asked to move to that level (9.0(1), `SchoolProblem.vacancy_moves`) — what a clerk does, but
    not the optimizer's start, whose model opens those moves only after a plan left such a vacancy."""
    course = {c.course_id: c for c in p.courses.itertuples(index=False)}
    state = _TeacherState(p, contract)
    moving = _movers(p, state) if movers else {}
    eligible = grouped(p.plain_eligible.sid, p.plain_eligible.teacher_id)  # if_full moves: the model's
    singles = p.shapes[~p.shapes.multigrade].sort_values(["course_id", "sid"])
    students = p.students()
    left, opened, seats = {}, [], []
    for sid, course_id, grades, cap, band in singles[["sid", "course_id", "grades", "cap", "band"]].itertuples(index=False):
        n = int(students[course_id, grades[0]])
        size = min(cap, contract.band_mean_max[band]) if band else cap
        left[sid] = (course_id, math.ceil(n / size))
        opened.append([sid, left[sid][1], 0])
        seats.append((sid, grades[0], n))
    fill = _Fill(state, eligible, course, left, {row[0]: row for row in opened}, {s: n for s, _, n in seats})
    _locks_first(p, fill)
    _meetings_first(p, fill)
    for row in opened:
        course_id, k = left[row[0]]
        c = course[course_id]
        for _ in range(k):
            fits = [t for t in eligible.get(row[0], []) if state.can_take(t, row[0], c)]
            fits = fits or [t for t in moving.get(row[0], []) if state.can_take(t, row[0], c)]
            if not fits:
                row[2] += 1
                continue
            state.take(min(fits, key=lambda x: (state.spared(x, c), state.load[x], x)), row[0], c)
    multi = p.shapes[p.shapes.multigrade]
    opened += [(sid, 0, 0) for sid in multi.sid]
    seats += [(sid, g, 0) for sid, grades in multi[["sid", "grades"]].itertuples(index=False) for g in grades]
    return (pd.DataFrame([(t, s, n) for (t, s), n in sorted(state.takes.items())],
                         columns=["teacher_id", "sid", "sections"]),
            pd.DataFrame([tuple(r) for r in opened], columns=["sid", "sections", "vacant"]).sort_values("sid")
            .reset_index(drop=True),
            pd.DataFrame(seats, columns=["sid", "grade", "students"]))


def _movers(p: SchoolProblem, state: _TeacherState) -> dict[int, list[str]]:
    """sid -> the teachers who asked to move to its level and may take it once its own level cannot (9.0(1): the
    deferred moves, and those a lock opened); the locks that bar one of them from it counted into `state`."""
    homerooms = homeroom_shapes(p)
    moving: dict[int, list[str]] = {}
    for t, sid in sorted({*p.vacancy_moves, *(pair for pair in p.if_full if pair[1] not in homerooms)}):
        moving.setdefault(sid, []).append(t)
    shapes_of: dict[str, list[int]] = {}
    for sid, teachers in moving.items():
        for t in teachers:
            shapes_of.setdefault(t, []).append(sid)
    state.barred |= barred_pairs(p, shapes_of)
    return moving


def refill_homerooms(p: SchoolProblem, takes: pd.DataFrame, opened: pd.DataFrame
                     ) -> tuple[pd.DataFrame, pd.DataFrame, bool]:
    """DEMAND: vacant homerooms to elementary teachers holding none, the most senior first — A9.1's swaps leave a
    junior without a homeroom when a senior who had none takes theirs (`cpsat.matrix.unblock`), and a clerk gives
    that junior the homeroom still vacant. Returns the counts and whether any changed (then unblock again)."""
    homerooms = homeroom_shapes(p)
    rank = dict(zip(p.teachers.teacher_id, p.teachers["rank"]))
    elementary = set(p.teachers.teacher_id[p.teachers.elementary])
    count = {(t, s): int(n) for t, s, n in takes[["teacher_id", "sid", "sections"]].itertuples(index=False) if n > 0}
    free = elementary - {t for t, s in count if s in homerooms}
    eligible = p.plain_eligible
    barred = barred_pairs(p, grouped(eligible.teacher_id, eligible.sid))
    vacant = dict(zip(opened.sid, opened.vacant))
    may = {sid: [t for t in eligible.teacher_id[eligible.sid == sid] if (t, sid) not in barred]
           for sid in homerooms if vacant.get(sid, 0) > 0}
    changed = False
    for sid in sorted(may, key=lambda s: (sum(t in free for t in may[s]), s)):  # the fewest takers first
        for t in sorted((t for t in may[sid] if t in free), key=rank.__getitem__)[:vacant[sid]]:
            count[t, sid], vacant[sid], changed = 1, vacant[sid] - 1, True
            free.discard(t)
    if not changed:
        return takes, opened, False
    rows = [(t, s, n) for (t, s), n in sorted(count.items())]
    return (pd.DataFrame(rows, columns=["teacher_id", "sid", "sections"]),
            opened.assign(vacant=opened.sid.map(vacant).astype("int64")), True)


@dataclass
class _Fill:
    """The clerk's fill in progress: `left`: sid -> (course_id, sections not yet taken); `rows`: sid -> [sid,
    sections, vacant]; `students`: sid -> its students."""

    state: _TeacherState
    eligible: dict
    course: dict
    left: dict
    rows: dict
    students: dict

    def take_one(self, t: str, sids) -> bool:
        """Teacher `t` takes a section of one of `sids`: one the students need, else one more where they can be split
        further (two teachers locked to one 22-student course teach 11 each). False when none fits."""
        fit = [sid for sid in sids if sid in self.left and t in self.eligible.get(sid, [])
               and self.state.can_take(t, sid, self.course[self.left[sid][0]])]
        sid = next((sid for sid in fit if self.left[sid][1] > 0), None)
        if sid is not None:
            self.left[sid] = (self.left[sid][0], self.left[sid][1] - 1)
        else:
            sid = next((sid for sid in fit if self.students[sid] > self.rows[sid][1]), None)
            if sid is None:
                return False
            self.rows[sid][1] += 1
        self.state.take(t, sid, self.course[self.left[sid][0]])
        return True


def _locks_first(p: SchoolProblem, fill: _Fill) -> None:
    """Each lock that asks a teacher for a course or a grade takes one of its sections before the clerk's course
    order."""
    for lock, sids in required_shapes(p):
        t = lock["teacher_id"]
        if not any(fill.state.takes.get((t, sid), 0) for sid in sids):
            fill.take_one(t, sids)


def _meetings_first(p: SchoolProblem, fill: _Fill) -> None:
    """A7.1/A7.2: blank-list IEP meetings held at once go to different general teachers of their grades, so before the
    course order each row of the coupling (sections/iep_need.py) gets its teachers, least loaded first — a clerk who
    gave the only UTK teacher the K homeroom left UTK's meeting without anyone (exit 3 where a plan exists)."""
    if p.iep_need.empty:
        return
    general = set(p.teachers.teacher_id[p.teachers.department == "general"])
    grade_of = {sid: grades[0] for sid, grades in zip(p.shapes.sid, p.shapes.grades) if sid in fill.left}
    for grades, needed, excluded in p.iep_need[["grades", "teachers", "excluded"]].itertuples(index=False):
        sids = [sid for sid, g in grade_of.items() if g in grades]
        counted = general - excluded
        have = {t for (t, sid), n in fill.state.takes.items() if n and sid in sids and t in counted}
        free = sorted({t for sid in sids for t in fill.eligible.get(sid, []) if t in counted} - have,
                      key=lambda t: (fill.state.load[t], t))
        for t in free:
            if len(have) >= needed:
                break
            if fill.take_one(t, sids):
                have.add(t)


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


class _TeacherState:
    """What a teacher already holds: homerooms, sections per subject and semester, ELD periods, courses, and the
    sections of each shape (`takes`) with their load in section-semesters."""

    def __init__(self, p: SchoolProblem, contract: ContractModel):
        self.contract = contract
        self.periods = {(t, s): p.n_periods - periods_locked_free(p, t, s) for t in p.teachers.teacher_id for s in "12"}
        # "Y": the year sections alone, which need a period free in both semesters (sections.locks.year_periods)
        self.periods.update({(t, YEAR): _or(year_periods(p, t), p.n_periods) for t in p.teachers.teacher_id})
        shapes_of = grouped(p.plain_eligible.teacher_id, p.plain_eligible.sid)
        self.barred = barred_pairs(p, shapes_of)
        self.takes: dict[tuple[str, int], int] = {}
        self.load = {t: 0 for t in p.teachers.teacher_id}
        self.elementary = dict(zip(p.teachers.teacher_id, p.teachers.elementary))
        self.consent = dict(zip(p.teachers.teacher_id, p.teachers.consent))
        self.special = set(p.teachers.teacher_id[p.teachers.department == "special_education"])
        self.eld_alone = contract.periods.eld_alone_in_period.value
        self.subject_sections: dict[tuple[str, str], dict[str, int]] = {}
        self.eld: dict[tuple[str, str], int] = {}
        self.courses: dict[tuple[str, str], set[str]] = {}
        self.homerooms: dict[str, int] = {}

    def can_take(self, t: str, sid: int, c) -> bool:
        """A homeroom goes by the course, not the teacher's level: a secondary teacher moving into elementary
        (9.0(1)) holds one at most, like an elementary teacher (cpsat/matrix.add_level_moves)."""
        course_id = c.course_id
        if (t, sid) in self.barred:
            return False
        if c.elementary or self.elementary[t]:
            return c.elementary and self.homerooms.get(t, 0) == 0
        for s in SEMESTERS_OF[c.semester]:
            courses = self.courses.get((t, s), set())
            if course_id not in courses and len(courses) >= self.contract.max_courses_per_semester and not self.consent[t]:
                return False
        return all(self._periods_used(t, s, None if (c.eld and self.eld_alone) else c.subject) <= self.periods[t, s]
                   for s in self._terms(c))

    def spared(self, t: str, c) -> bool:
        """A special-education teacher is kept for what only that department may teach (CRED): a general course
        goes to one of them only when no general teacher can take it. A clerk who gave one the grade 2 homeroom left
        the special day class vacant, and A9.1's swaps then handed them grade 5, the only teacher of a grade whose IEP
        meeting needs a general-education teacher (A7.1)."""
        return t in self.special and c.program != "special_education"

    @staticmethod
    def _terms(c) -> tuple[str, ...]:
        """The semesters a section of `c` takes a period in, and YEAR for a year section."""
        return SEMESTERS_OF[c.semester] + ((YEAR,) if c.semester == "year" else ())

    def take(self, t: str, sid: int, c) -> None:
        course_id = c.course_id
        self.takes[t, sid] = self.takes.get((t, sid), 0) + 1
        self.load[t] += len(SEMESTERS_OF[c.semester])
        if c.elementary:
            self.homerooms[t] = 1
            return
        for s in SEMESTERS_OF[c.semester]:
            self.courses.setdefault((t, s), set()).add(course_id)
        for s in self._terms(c):
            if c.eld and self.eld_alone:
                self.eld[t, s] = self.eld.get((t, s), 0) + 1
            else:
                subjects = self.subject_sections.setdefault((t, s), {})
                subjects[c.subject] = subjects.get(c.subject, 0) + 1

    def _periods_used(self, t: str, s: str, subject: str | None) -> int:
        """A6.1/A6.2 periods needed after adding one section of `subject` (None = an ELD section)."""
        per = self.contract.max_sections_per_period
        subjects = dict(self.subject_sections.get((t, s), {}))
        if subject is not None:
            subjects[subject] = subjects.get(subject, 0) + 1
        eld = self.eld.get((t, s), 0) + (1 if subject is None else 0)
        return eld + sum(math.ceil(n / per) for n in subjects.values())
