"""One school's section-staffing problem, prepared with pandas joins before any solver variable exists.

A *shape* is a course with a run of consecutive grades (a single grade, or a multi-grade run allowed by A8.3
and A8.4); the optimizer decides how many sections of each shape open, how the students of each grade split
among shapes, and how many sections of each shape each eligible teacher takes. Periods are packed afterwards
(see `decode.pack_periods`): the per-subject count bound of A6.1/A6.2 is exact for that packing.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Callable

import numpy as np
import pandas as pd

from vastaff.io.locks import group_of, records

from vastaff.contract import ContractModel
from vastaff.schemas.district import District
from vastaff.sections.iep_exact import MeetingSet, iep_meeting_sets
from vastaff.sections.iep_need import iep_teachers_needed, no_iep_need, room_for_meetings
from vastaff.sections.last_night import Counts, last_night, last_night_rows
from vastaff.sections.locks import barred_pairs, grade_locks
from vastaff.sections.plain import grouped

A81_PROGRAMS = ("general", "eld")
SEMESTERS_OF = {"1": ("1",), "2": ("2",), "year": ("1", "2")}


@dataclass
class SchoolProblem:
    """Everything the section staffing of one school needs, as plain frames (never imports ortools)."""

    school_id: str
    courses: pd.DataFrame      # course_id, subject, program, level, semester, eld, elementary
    demand: pd.DataFrame       # course_id, grade, students (> 0)
    shapes: pd.DataFrame       # sid (shape id, int), course_id, grades (tuple), cap, band ('' outside A8.1), multigrade, k_max
    shape_grades: pd.DataFrame  # sid, course_id, grade
    teachers: pd.DataFrame     # teacher_id, level, elementary, consent, rank (seniority), prev_taught
    eligible: pd.DataFrame     # teacher_id, sid (CRED-pruned pairs)
    period_ids: list[str]      # academic periods in rotation order
    previous: pd.DataFrame     # teacher_id, course_id, sections (last night's plan; empty without one)
    has_previous: bool = False
    iep_need: pd.DataFrame = field(default_factory=lambda: no_iep_need())
    meeting_sets: list[MeetingSet] = field(default_factory=list)  # its overlapping IEP meetings (sections.iep_exact)
    exact_meetings: list[MeetingSet] = field(default_factory=list)  # those the model assigns itself
    meta: dict = field(default_factory=dict)
    locks: list[dict] = field(default_factory=list)  # locks.csv rows of its teachers about courses or periods
    grade_locks: list[dict] = field(default_factory=list)  # meeting locks that need a grade (sections.locks)
    matrix: list[dict] = field(default_factory=list)  # matrix.csv rows of its teachers (A9.1), by teacher and rank
    last_night: Counts | None = None  # last night's plan as counts of these shapes, where it has only such shapes
    previous_shapes: pd.DataFrame = field(default_factory=lambda: _no_previous_shapes())  # teacher_id, sid, sections
    previous_sections: pd.DataFrame | None = None  # last night's: section_id, course_id, sid, teacher_id, period_id
    idle_last_night: frozenset = frozenset()  # teachers in last night's plan who taught no section there
    if_full: dict = field(default_factory=dict)  # (mover, sid) -> teachers of its level who must be full first
    vacancy_moves: dict = field(default_factory=dict)  # the same for secondary shapes, opened for a vacancy only

    @property
    def plain_eligible(self) -> pd.DataFrame:
        """`eligible` without the level moves `if_full` conditions (what a construction may use as it goes)."""
        if not self.if_full:
            return self.eligible
        return self.eligible[[(t, s) not in self.if_full for t, s in zip(self.eligible.teacher_id, self.eligible.sid)]]

    @property
    def n_periods(self) -> int:
        return len(self.period_ids)

    def students(self) -> dict[tuple[str, int], int]:
        """(course_id, grade) -> students to seat (demand's rows): what the model builders look up per variable, where
        a pandas lookup each costs more than the variable it sizes."""
        return students_of(self.demand)

    def max_sections_per_teacher(self, contract: ContractModel) -> int:
        """Upper bound on one teacher's sections of one shape: every period full (A6.1)."""
        return self.n_periods * contract.max_sections_per_period


def students_of(demand: pd.DataFrame) -> dict[tuple[str, int], int]:
    """(course_id, grade) -> students to seat, from demand.csv's rows (unique per course and grade)."""
    return {(c, int(g)): int(n) for c, g, n in zip(demand.course_id, demand.grade, demand.students)}


def school_problems(district: District, contract: ContractModel) -> list[SchoolProblem]:
    """One problem per school, in school_id order (schools share no teacher, course or band)."""
    shapes_all = _shapes(district, contract)
    periods = district.academic_periods()
    section_locks = [lock for lock in records(district.locks) if group_of(lock) in ("course_id", "period_id")]
    choices = matrix_rows(district)
    eligible_all = _eligible(district, shapes_all, section_locks, set(periods.period_id), choices)
    deferred_all, eligible_all = eligible_all[eligible_all.deferred], eligible_all[~eligible_all.deferred]
    prev = _previous_counts(district)
    ranks = district.seniority_order().reset_index(names="rank")[["teacher_id", "rank"]]
    teachers = district.teachers.merge(ranks, on="teacher_id")
    teachers = teachers[teachers.role == "classroom"].assign(
        elementary=lambda t: t.level == "elementary", consent=lambda t: t.stipend_consent,
        prev_taught=lambda t: t.teacher_id.isin(prev.teacher_id),
    )
    courses = district.courses.assign(eld=lambda c: c.program == "eld", elementary=lambda c: c.level == "elementary")
    needs_grade = grade_locks(district.locks, district.iep_meetings)
    scheduled = _scheduled(district)
    needs = iep_teachers_needed(district.iep_meetings, scheduled, _grades_taught(eligible_all, shapes_all))
    meeting_sets = iep_meeting_sets(district, scheduled)
    then = last_night_rows(district.previous)
    idle = set() if district.previous is None else (
        set(district.previous.teachers.teacher_id) - set(district.previous.sections.teacher_id.dropna()))
    of_shapes, of_eligible, of_deferred, of_teachers, of_courses, of_demand, of_periods = (
        _per_school(frame) for frame in (shapes_all, eligible_all, deferred_all, teachers, courses,
                                         district.demand[district.demand.students > 0], periods))
    out = []
    for school in sorted(district.schools.school_id):
        tt = of_teachers(school)
        staff = set(tt.teacher_id)
        locks = [lock for lock in section_locks if lock["teacher_id"] in staff]
        grades_locked = [lock for lock in needs_grade if lock["teacher_id"] in staff]
        need = needs[school] if school in needs else no_iep_need()
        shapes = _room_for_locks(of_shapes(school).reset_index(drop=True), locks, grades_locked)
        general = set(tt.teacher_id[tt.department == "general"])
        seats = students_of(of_demand(school))
        mine = of_eligible(school)
        shapes = room_for_meetings(shapes, need, seats,
                                   {sid for t, sid in zip(mine.teacher_id.tolist(), mine.sid.tolist()) if t in general})
        local = dict(zip(shapes["sid"], shapes.index))  # shapes are numbered 0..n-1 within a school
        shapes["sid"] = shapes.index
        eligible = of_eligible(school).assign(sid=lambda e: e["sid"].map(local).astype("int64"))  # int when empty
        deferred = of_deferred(school).assign(sid=lambda e: e["sid"].map(local).astype("int64"))
        eligible, deferred = _locked_moves(eligible, deferred, shapes, locks)
        shapes = _room_for_the_mean(shapes, eligible, of_courses(school), seats, len(of_periods(school)),
                                    contract.max_sections_per_period)
        counts, kept, named = last_night(school, shapes, then)
        shapes = _room_for_last_night(shapes, named, seats)
        out.append(SchoolProblem(
            school_id=school,
            courses=of_courses(school)[["course_id", "subject", "program", "level", "semester", "eld", "elementary"]]
            .sort_values("course_id").reset_index(drop=True),
            demand=of_demand(school)[["course_id", "grade", "students"]].sort_values(["course_id", "grade"])
            .reset_index(drop=True),
            shapes=shapes.drop(columns="school_id"),
            shape_grades=shapes[["sid", "course_id", "grades"]].explode("grades").rename(columns={"grades": "grade"})
            .astype({"grade": "int64"}).reset_index(drop=True),
            teachers=tt[["teacher_id", "level", "department", "elementary", "consent", "rank", "prev_taught"]]
            .sort_values("teacher_id").reset_index(drop=True),
            eligible=eligible[["teacher_id", "sid"]]
            .sort_values(["sid", "teacher_id"]).reset_index(drop=True),
            if_full={(t, sid): ts for t, sid, ts in zip(eligible.teacher_id.tolist(), eligible.sid.tolist(),
                                                        eligible.if_full.tolist()) if ts},
            vacancy_moves=dict(zip(zip(deferred.teacher_id.tolist(), deferred.sid.tolist()),
                                   deferred.if_full.tolist())),
            period_ids=of_periods(school).period_id.tolist(),
            previous=prev[prev.teacher_id.isin(tt.teacher_id)].reset_index(drop=True),
            has_previous=district.previous is not None,
            iep_need=need,
            meeting_sets=meeting_sets.get(school, []),
            locks=locks,
            grade_locks=grades_locked,
            matrix=[row for row in choices if row["teacher_id"] in staff],
            last_night=counts,
            previous_shapes=kept,
            previous_sections=named if len(named) else None,
            idle_last_night=frozenset(staff & idle),
        ))
    return out


def _room_for_locks(shapes: pd.DataFrame, locks: list[dict], grade_locks: list[dict]) -> pd.DataFrame:
    """A single-grade shape may open one more section per lock that asks a teacher for its course or grade (LOCK):
    `k_max` is the fewest sections that seat the students, but two teachers locked to one 22-student course need two
    sections of 11 (a plan with them exists; without the room the model called the locks a conflict)."""
    by_course = Counter(lock["course_id"] for lock in locks if lock["mode"] == "require" and lock["course_id"])
    by_grade = Counter(lock["grade"] for lock in grade_locks)
    if not by_course and not by_grade:
        return shapes
    extra = [0 if multi else by_course[course] + by_grade[grades[0]]
             for course, grades, multi in zip(shapes.course_id, shapes.grades, shapes.multigrade)]
    return shapes.assign(k_max=shapes.k_max + np.array(extra, dtype="int64"))


def _room_for_the_mean(shapes: pd.DataFrame, eligible: pd.DataFrame, courses: pd.DataFrame, seats: dict,
                       n_periods: int, per_period: int) -> pd.DataFrame:
    """A8.1's mean is per school and band, vacancies included, and `k_max` lets each course open only the sections
    that keep its own students at the mean. A course whose teachers cannot open those (nobody may teach it; one
    ELD period, ELD stands alone in it, A6.2; a grade nobody may teach; more homerooms than teachers) has sections
    above the mean, so the band's other sections must come below it: each single-grade shape someone may teach, in
    every band such a course spans, may then open as many more sections as the band falls short (never more than
    students). Without the room, a course of 18 that could be two sections of 9 was not, and the mean was met with one
    more vacancy (vacancies first: the plan was called optimal with one too many); a grade of the same course that
    its teacher may take, or a course in the second band of a homeroom of grades 3 and 4, got none (exact MIPs')."""
    eld, homeroom = set(courses.course_id[courses.eld]), set(courses.course_id[courses.elementary])
    course_of = dict(zip(shapes.sid.tolist(), shapes.course_id.tolist()))
    teachers: dict[str, set] = defaultdict(set)
    for t, sid in zip(eligible.teacher_id.tolist(), eligible.sid.tolist()):
        teachers[course_of[sid]].add(t)
    taught = set(eligible.sid.tolist())
    bands: dict[str, set] = defaultdict(set)
    wanted: dict[str, int] = defaultdict(int)  # course -> the sections its students ask for
    untaught: dict[str, int] = defaultdict(int)  # course -> those of its shapes nobody may teach
    shape_rows = list(zip(*(shapes[c].tolist() for c in ("sid", "course_id", "grades", "band", "multigrade", "k_max"))))
    for sid, course, _, band, multi, k in shape_rows:
        if band and not multi:
            bands[course].add(band)
            wanted[course] += int(k)
            untaught[course] += 0 if sid in taught else int(k)
    by_band: dict[str, int] = defaultdict(int)
    full = set()  # courses whose teachers cannot open the sections it asks for: more room there is no use
    for course, k in sorted(wanted.items()):
        can = len(teachers[course]) * (1 if course in homeroom else n_periods * (1 if course in eld else per_period))
        full |= {course} if k > can else set()
        for band in bands[course]:
            by_band[band] += max(k - can, untaught[course], 0)
    if not any(by_band.values()):
        return shapes
    k_max = [min(k + by_band[band], max(k, seats[course, g[0]]))
             if band and not multi and sid in taught and course not in full else k
             for sid, course, g, band, multi, k in shape_rows]
    return shapes.assign(k_max=np.array(k_max, dtype="int64"))


def _room_for_last_night(shapes: pd.DataFrame, named: pd.DataFrame, seats: dict) -> pd.DataFrame:
    """Each shape may open as many sections as last night's plan had of it, and a course's single-grade shapes as many
    more as it had sections beyond tonight's room (never more than students): stability ranks above class sizes. With
    30 students where last night seated 60 in three sections, the bound of two sections made the plan drop one (a
    change: three sections of 10 keep everyone's); with a grade of a course gone, its teacher lost the course where a
    grade left could have been split."""
    if not len(named):
        return shapes
    had = named.sid.dropna().astype("int64").value_counts().to_dict()
    course_ids, grades_of = shapes.course_id.tolist(), shapes.grades.tolist()
    students = [sum(seats.get((c, g), 0) for g in grades) for c, grades in zip(course_ids, grades_of)]
    k_max = [max(k, min(had.get(sid, 0), n)) for sid, k, n in zip(shapes.sid.tolist(), shapes.k_max.tolist(), students)]
    single = [len(g) == 1 for g in grades_of]
    room = defaultdict(int, named.course_id.value_counts().to_dict())
    for course, k, one in zip(course_ids, k_max, single):
        room[course] -= k if one else 0
    k_max = [min(k + room[c], n) if one and room[c] > 0 and k < n else k
             for c, k, n, one in zip(course_ids, k_max, students, single)]
    return shapes.assign(k_max=np.array(k_max, dtype="int64"))


def _grades_taught(eligible: pd.DataFrame, shapes: pd.DataFrame) -> dict[str, set]:
    """teacher_id -> the grades of the shapes they may teach (CRED)."""
    grades_of = dict(zip(shapes.sid.tolist(), shapes.grades.tolist()))
    out: dict[str, set] = defaultdict(set)
    for t, sid in zip(eligible.teacher_id.tolist(), eligible.sid.tolist()):
        out[t].update(grades_of[sid])
    return out


def _no_previous_shapes() -> pd.DataFrame:
    return pd.DataFrame({"teacher_id": pd.Series(dtype=object), "sid": pd.Series(dtype="int64"),
                         "sections": pd.Series(dtype="int64")})


def _per_school(frame: pd.DataFrame) -> Callable[[str], pd.DataFrame]:
    """school_id -> its rows of `frame` (in their order, their index kept; none: an empty frame of the same columns):
    one grouping instead of a filter of the whole frame per school."""
    groups = {school: rows for school, rows in frame.groupby("school_id", sort=False)}
    return lambda school: groups[school] if school in groups else frame.iloc[0:0]


def matrix_rows(district: District) -> list[dict]:
    """matrix.csv's rows (A9.1) as {teacher_id, rank, grade, course_id, level}, a blank as None, by teacher and rank."""
    if district.matrix.empty:
        return []
    rows = records(district.matrix[["teacher_id", "rank", "grade", "course_id", "level"]])
    out = [{**r, "rank": int(r["rank"]), "grade": None if r["grade"] is None else int(r["grade"])} for r in rows]
    return sorted(out, key=lambda r: (r["teacher_id"], r["rank"]))


def _scheduled(district: District) -> pd.DataFrame | None:
    """The scheduled meetings (meetings.csv) each teacher attends, or None without a calendar."""
    data = district.meetings
    return None if data is None or data.meetings.empty else data.busy(district.teachers)


def _shapes(district: District, contract: ContractModel) -> pd.DataFrame:
    """Every admissible section shape per course: single grades, plus multi-grade runs A8.3/A8.4 allow. Grouped over
    plain rows: a pandas group per course was a third of building a 1,000-teacher district's problems."""
    dem = district.demand[district.demand.students > 0].merge(
        district.courses[["course_id", "program", "level"]], on="course_id")
    by_course: dict[tuple, dict[int, int]] = defaultdict(dict)
    rows_in = zip(dem.school_id.tolist(), dem.course_id.tolist(), dem.program.tolist(), dem.level.tolist(),
                  dem.grade.tolist(), dem.students.tolist())
    for school, course, program, level, grade, students in rows_in:  # (course_id, grade) is unique in demand.csv
        by_course[school, course, program, level][grade] = students
    rows = []
    for (school, course, program, level), students in sorted(by_course.items()):
        cap = section_cap(program, contract)
        for grades in grade_runs(sorted(students), contract):
            band = _band(grades, program, contract)
            eff = min(cap, contract.band_mean_max[band]) if band else cap
            total = sum(students[x] for x in grades)
            k_max = math.ceil(total / eff) if len(grades) == 1 else min(min(students[x] for x in grades), math.ceil(total / eff))
            rows.append({"school_id": school, "course_id": course, "grades": grades, "cap": cap, "band": band,
                         "multigrade": len(grades) > 1, "k_max": max(k_max, 1)})
    shapes = pd.DataFrame(rows, columns=["school_id", "course_id", "grades", "cap", "band", "multigrade", "k_max"])
    # typed even when empty (no students anywhere): a boolean mask of dtype object would select columns instead
    shapes = shapes.astype({"cap": "int64", "multigrade": bool, "k_max": "int64"})
    shapes["sid"] = np.arange(len(shapes))
    return shapes


def section_cap(program: str, contract: ContractModel) -> int:
    """Largest section: A8.2 program norm for special_education/tk/utk, else section_max (A8.1)."""
    return min(contract.program_max.get(program, contract.section_max), contract.section_max)


def grade_runs(grades: list[int], contract: ContractModel) -> list[tuple[int, ...]]:
    """Single grades and the consecutive multi-grade runs A8.3 (grades 1-5 single) and A8.4 (span) allow."""
    lo1, hi1 = contract.single_grade_range
    present = set(grades)
    runs = [(g,) for g in grades]
    for start in grades:
        for length in range(2, max(contract.max_consecutive_grades, 3) + 1):
            run = tuple(range(start, start + length))
            if not set(run) <= present or any(lo1 <= x <= hi1 for x in run):
                continue
            if max(run) >= contract.multigrade_from_grade and length > contract.max_consecutive_grades:
                continue
            runs.append(run)
    return runs


def _band(grades: tuple[int, ...], program: str, contract: ContractModel) -> str:
    """A8.1 band from the highest grade >= 0; "" for programs outside the A8.1 means (A8.2)."""
    if program not in A81_PROGRAMS:
        return ""
    return contract.band_of(max(max(grades), 0))


def _eligible(district: District, shapes: pd.DataFrame, locks: list[dict], academic: set[str],
              choices: list[dict]) -> pd.DataFrame:
    """CRED (9.0(1)): same school and level, credential held, every grade authorized, sped by sped dept; and the level
    moves teachers asked for in matrix.csv (A9.1, 9.0(1)), into shapes no teacher of that level may take (a lock
    that bars a teacher from the shape counts: `sections.locks.barred_pairs`) — and into shapes that teachers of
    the level may take, `if_full` naming them: a section of one is a would-be vacancy once each of them is full. Into
    a secondary shape such a move is `deferred`: the section model opens it only where a plan without it leaves a
    vacancy (`nightly.school.solve_coupled`), so that it costs nothing where the level staffs its own sections."""
    t = district.teachers[district.teachers.role == "classroom"]
    creds = t[["teacher_id", "school_id", "level", "department", "credentials", "grade_min", "grade_max"]].explode(
        "credentials").rename(columns={"credentials": "credential"}).dropna(subset=["credential"])
    s = shapes.merge(district.courses[["course_id", "credential", "level", "program"]], on="course_id")
    s = s.assign(g_lo=s.grades.map(min), g_hi=s.grades.map(max))
    own = _cred_pairs(s, creds)
    moves = pd.DataFrame([(r["teacher_id"], r["level"]) for r in choices if r["level"] is not None],
                         columns=["teacher_id", "level"])
    asked = _cred_pairs(s, creds.drop(columns="level").merge(moves, on="teacher_id"))
    # "only where no teacher of that level can take it (it would otherwise be a vacancy)"
    view = SimpleNamespace(shapes=shapes, teachers=t, locks=locks, period_ids=academic,
                           courses=district.courses.assign(elementary=district.courses.level == "elementary"))
    barred = barred_pairs(view, grouped(own.teacher_id, own.sid)) if locks else set()
    free = own[np.array([(t_, s_) not in barred for t_, s_ in zip(own.teacher_id.tolist(), own.sid.tolist())],
                        dtype=bool)]
    takers = grouped(free.sid, free.teacher_id, lambda ts: tuple(sorted(ts)))  # a pandas group each: 0.05 s
    homeroom = set(s.sid[s.level == "elementary"])
    asked = asked.assign(if_full=[takers.get(sid, ()) for sid in asked.sid],
                         deferred=asked.sid.isin(free.sid) & ~asked.sid.isin(homeroom))
    return pd.concat([own.assign(if_full=[()] * len(own), deferred=False), asked], ignore_index=True).drop_duplicates(
        ["school_id", "teacher_id", "sid"])


def _locked_moves(eligible: pd.DataFrame, deferred: pd.DataFrame, shapes: pd.DataFrame,
                  locks: list[dict]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The deferred level moves a `require` lock asks for (LOCK: a person's decision) opened from the start, each
    still only once its level's teachers are full (`if_full`, 9.0(1)); the others stay deferred."""
    required = {(lock["teacher_id"], lock["course_id"]) for lock in locks if lock["mode"] == "require"}
    course_of = dict(zip(shapes.sid.tolist(), shapes.course_id.tolist()))
    asked = np.array([(t, course_of[sid]) in required for t, sid in zip(deferred.teacher_id.tolist(),
                                                                         deferred.sid.tolist())], dtype=bool)
    return pd.concat([eligible, deferred[asked]], ignore_index=True), deferred[~asked]


def _cred_pairs(s: pd.DataFrame, creds: pd.DataFrame) -> pd.DataFrame:
    """(school_id, teacher_id, sid) where the credential, the level given in `creds`, the grades and sped match."""
    pairs = s.merge(creds, on=["school_id", "level", "credential"])
    ok = (pairs.g_lo >= pairs.grade_min) & (pairs.g_hi <= pairs.grade_max) & (
        (pairs.program != "special_education") | (pairs.department == "special_education"))
    return pairs.loc[ok, ["school_id", "teacher_id", "sid"]].drop_duplicates()


def _previous_counts(district: District) -> pd.DataFrame:
    """Sections per teacher and course in last night's plan (A12 and stability)."""
    cols = ["teacher_id", "course_id", "sections"]
    prev = district.previous
    if prev is None or prev.sections.empty:
        return pd.DataFrame(columns=cols)
    s = prev.sections.dropna(subset=["teacher_id"])
    return s.groupby(["teacher_id", "course_id"]).size().rename("sections").reset_index()[cols]
