"""One school from counts to a timetable: what a worker process of `nightly/sections.py` does for each school.

clerk's fill (the fallback) -> CP-SAT section stages (from last night's plan where it holds, `cpsat.incumbent`) ->
concrete sections (last night's section IDs kept, first-fit periods) -> the period stage (docs/contract.md, "The
timetable": doubled periods, singleton clashes, grade peaks, period changes, the largest live group, in
the model file's `objective.period_stages` order), then each section's own period of last night where no measure
changes. `--method greedy` stops at the first-fit periods: the clerk's timetable, which the benchmark compares with
the optimizer's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from vastaff.contract import ContractModel
from vastaff.rules import Finding
from vastaff.schemas.fields import grade_name
from vastaff.cpsat.solver import SchoolSolution, SolveOptions, StageResult, solve_school
from vastaff.cpsat.matrix import swap_for, unblock
from vastaff.cpsat.timetable import solve_timetable
from vastaff.cpsat.locks import no_students
from vastaff.cpsat.timetable_conflict import conflicting_locks
from vastaff.cpsat.timetable_locks import period_locks
from vastaff.nightly.class_split import split_by_teacher
from vastaff.sections.decode import decode_school, first_fit
from vastaff.sections.greedy import greedy_school, refill_homerooms
from vastaff.sections.iep_exact import unassignable
from vastaff.sections.iep_need import grades_taught, missed, single_grades
from vastaff.sections.locks import required_shapes
from vastaff.sections.own_periods import own_periods
from vastaff.sections.problem import SchoolProblem
from vastaff.sections.timetable_figures import PeriodFigures, period_data, timetable_figures

GREEDY = "GREEDY"

TIMETABLE_WALL = 0.1
"""A school's timetable may run past the school's wall-clock deadline by this share of the school's budget (at least
2 s): the sections (vacancies and money first) get the school's whole time, as before the timetable existed, and a
school whose sections used it all still gets a timetable search, not only the first-fit packing."""


@dataclass(frozen=True)
class SchoolPeriods:
    """How one school's timetable was found, and its figures (value and floors)."""

    status: str                       # OPTIMAL / FEASIBLE (CP-SAT), GREEDY (first-fit), INFEASIBLE (first-fit kept)
    figures: PeriodFigures
    first_fit: PeriodFigures | None = None  # the clerk's first-fit packing's figures: what the timetable is judged against
    stages: list[StageResult] = field(default_factory=list)
    conflicts: list[Finding] = field(default_factory=list)  # period locks that cannot hold with A6.1/A6.2


@dataclass
class SchoolResult:
    """One school's answer: its section counts and stages, its sections.csv / section_grades.csv rows, its periods."""

    solution: SchoolSolution
    sections: pd.DataFrame
    section_grades: pd.DataFrame
    periods: SchoolPeriods

    @property
    def school_id(self) -> str:
        return self.solution.school_id


def solve_one(p: SchoolProblem, contract: ContractModel, options: SolveOptions,
              previous_periods: dict) -> SchoolResult:
    """The clerk's fill, the CP-SAT stages (from last night's plan where it holds, else from the fill), then the
    school's timetable by CP-SAT (`TIMETABLE_WALL`)."""
    solution = solve_coupled(p, contract, options, clerk_fill(p, contract))
    used = sum(r.work for r in solution.stages)
    result = school_result(p, solution, contract, previous_periods,
                           replace(options, time_limit=max(options.time_limit - used, 1.0)))
    if result.periods.status != "INFEASIBLE" or not result.periods.conflicts:
        return result
    return _locked_teachers_barred(p, contract, options, previous_periods, result)


def _locked_teachers_barred(p: SchoolProblem, contract: ContractModel, options: SolveOptions, previous_periods: dict,
                            failed: SchoolResult) -> SchoolResult:
    """LOCK + A6.1/A6.2: the period locks leave some teacher's sections no timetable. The section model counts periods
    per semester, not which period a lock pins (a course locked to P1 beside a period kept free in semester 1 leaves a
    `year` section only P1, which the locked course holds). Solved again with the teachers the conflict names kept
    to the courses their locks require: a plan (its other sections vacant, FEASIBLE: not proven best) where the locks
    allow one, else the conflict stands."""
    named = {str(row[1]) for finding in failed.periods.conflicts for row in finding.rows if row[0] == "locks.csv"}
    teachers = {lock["teacher_id"] for lock in p.locks if str(lock["lock_id"]) in named}
    kept = {(lock["teacher_id"], lock["course_id"]) for lock in p.locks
            if lock["mode"] == "require" and lock["course_id"] is not None}
    course_of = dict(zip(p.shapes.sid, p.shapes.course_id))
    allowed = [t not in teachers or (t, course_of[sid]) in kept
               for t, sid in zip(p.eligible.teacher_id, p.eligible.sid)]
    if all(allowed):
        return failed
    q = replace(p, eligible=p.eligible[allowed].reset_index(drop=True))
    solution = solve_coupled(q, contract, options, clerk_fill(q, contract))
    if solution.status == "INFEASIBLE":  # the school's other locks need those teachers elsewhere (a meeting's grade):
        return failed                    # a school without sections passed for a plan, and its meetings for A7.1's
    again = school_result(q, solution, contract, previous_periods, options)
    if again.periods.status == "INFEASIBLE":
        return failed
    return replace(again, solution=replace(again.solution, status="FEASIBLE"))


def solve_coupled(p: SchoolProblem, contract: ContractModel, options: SolveOptions,
                  start: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]) -> SchoolSolution:
    """The section stages asking the A7.1/A7.2 coupling's single grades, then again with the rows of several grades
    (meetings of two grades at one hour need two teachers) its plan misses, until it misses none it was not asked;
    then again with each set of overlapping meetings the plan leaves without an assignment modelled whole
    (sections/iep_exact.py: a chain of named meetings asks more than the rows), until none is left; then again with
    the level moves into the shapes it leaves vacant (9.0(1): a section of them is a would-be vacancy once every
    teacher of its level who may take it is full), until none is left to open."""
    general = set(p.teachers.teacher_id[p.teachers.department == "general"])
    asked = single_grades(p.iep_need)
    while True:
        solution = solve_school(replace(p, iep_need=asked), contract, options, start)
        if solution.status == "INFEASIBLE":
            return solution
        short = missed(p.iep_need, solution.takes, p.shape_grades, p.eligible, general)
        already = set(asked.grades)
        new = short[np.array([g not in already for g in short.grades], dtype=bool)]
        if not new.empty:
            asked = pd.concat([asked, new], ignore_index=True)
            continue
        failed = [ms for ms in unassignable(p.meeting_sets, grades_taught(solution.takes, p.shape_grades))
                  if ms not in p.exact_meetings]
        moves = {} if failed else vacancy_moves(p, solution.opened)
        if not failed and not moves:
            return solution
        p = replace(p, exact_meetings=p.exact_meetings + failed) if failed else with_moves(p, moves)


def vacancy_moves(p: SchoolProblem, opened: pd.DataFrame) -> dict:
    """The deferred level moves (9.0(1), `SchoolProblem.vacancy_moves`) into the shapes a plan leaves vacant."""
    vacant = set(opened.sid[opened.vacant > 0])
    return {pair: takers for pair, takers in p.vacancy_moves.items() if pair[1] in vacant}


def with_moves(p: SchoolProblem, moves: dict) -> SchoolProblem:
    """`p` with the level moves `moves` opened: eligible pairs, each once its level's teachers are full (`if_full`)."""
    added = pd.DataFrame(list(moves), columns=["teacher_id", "sid"]).astype({"sid": "int64"})
    eligible = pd.concat([p.eligible, added], ignore_index=True).sort_values(["sid", "teacher_id"])
    return replace(p, eligible=eligible.reset_index(drop=True), if_full={**p.if_full, **moves},
                   vacancy_moves={pair: t for pair, t in p.vacancy_moves.items() if pair not in moves})


def clerk_fill(p: SchoolProblem, contract: ContractModel,
               movers: bool = False) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The clerk's greedy counts with A9.1's blocking pairs swapped away (`cpsat.matrix.unblock`) and the homerooms that
    left vacant given to the teachers it left without one (`refill_homerooms`, unblocked again), then homerooms
    swapped where that left an IEP meeting's grade without a free general teacher (A7.1, `cpsat.matrix.swap_for`): the
    construction of `--method greedy` and the optimizer's first incumbent and fallback."""
    takes, opened, seats = greedy_school(p, contract, movers)
    takes, changed = unblock(p, takes), True
    while changed:  # each round fills at least one vacant homeroom, so it ends
        takes, opened, changed = refill_homerooms(p, takes, opened)
        takes = unblock(p, takes) if changed else takes
    if not p.iep_need.empty:  # A7.1/A7.2 where A9.1's swaps left a meeting's grade without a free teacher
        general = set(p.teachers.teacher_id[p.teachers.department == "general"])
        need = single_grades(p.iep_need)
        takes = swap_for(p, takes, lambda t: len(missed(need, t, p.shape_grades, p.eligible, general)))
    return takes, opened, seats


def school_result(p: SchoolProblem, solution: SchoolSolution, contract: ContractModel, previous_periods: dict,
                  options: SolveOptions | None = None) -> SchoolResult:
    """Concrete sections of `solution`; their periods by CP-SAT under `options`, first-fit without (greedy).

    `previous_periods`: (teacher_id, course_id) -> last night's periods of those sections, in section_id order."""
    decoded = decode_school(p, solution.takes, solution.opened, solution.seats, contract, previous_periods)
    decoded = split_by_teacher(p, solution, decoded, contract, options.seed if options else 0)  # A8.1 per teacher
    if options is None:
        sections, conflicts = clerk_periods(p, decoded.sections, decoded.section_grades, contract, previous_periods)
        conflicts = _courses_not_given(p, solution.takes) + conflicts
        figures = timetable_figures(sections, decoded.section_grades, p.courses, p.period_ids, contract,
                                    previous_periods)
        return SchoolResult(solution, sections, decoded.section_grades,
                            SchoolPeriods("INFEASIBLE" if conflicts else GREEDY, figures, conflicts=conflicts))
    extra = max(2.0, TIMETABLE_WALL * options.time_limit)
    deadline = max(options.deadline, time.time() + extra) if options.deadline is not None else None
    tt = solve_timetable(decoded.sections, decoded.section_grades, p.courses, p.period_ids, contract,
                         previous_periods, seed=options.seed, time_limit=options.time_limit, deadline=deadline,
                         stages=tuple(contract.objective.period_stages), locks=p.locks,
                         own=own_periods(decoded.sections, p.previous_sections))
    if tt.status == "INFEASIBLE":  # only period locks can do this (first-fit always fits A6.1/A6.2): a conflict
        figures = timetable_figures(decoded.sections, decoded.section_grades, p.courses, p.period_ids, contract,
                                    previous_periods)
        return SchoolResult(solution, decoded.sections, decoded.section_grades,
                            SchoolPeriods("INFEASIBLE", figures, figures, tt.stages, [_period_conflict(p, named=
                            conflicting_locks(decoded.sections, decoded.section_grades, p.courses, p.period_ids,
                                              contract, p.locks))]))
    return SchoolResult(solution, tt.sections, decoded.section_grades,
                        SchoolPeriods(tt.status, tt.figures, tt.first_fit, tt.stages))


def clerk_periods(p: SchoolProblem, sections: pd.DataFrame, section_grades: pd.DataFrame, contract: ContractModel,
                  previous_periods: dict) -> tuple[pd.DataFrame, list[Finding]]:
    """`--method greedy`'s timetable: the first-fit packing, with the school's period locks (LOCK) placed first and
    their forbidden periods skipped; a lock that packing cannot keep is a conflict (the optimizer's search may)."""
    if not any(lock["period_id"] in p.period_ids for lock in p.locks):
        return sections, []
    data = period_data(sections, section_grades, p.courses, p.period_ids, previous_periods)
    rules = period_locks(data, p.locks)
    periods = first_fit(data, contract, rules)
    if periods is None or not rules.hold(periods):
        return sections, [_period_conflict(p, "no timetable in the clerk's first-fit packing (--method greedy) "
                                               "within A6.1/A6.2; --method cpsat searches the timetable")]
    out = sections.copy()
    placed = out.section_id.isin(periods.keys())
    out.loc[placed, "period_id"] = out.loc[placed, "section_id"].map(periods)
    return out, []


def _courses_not_given(p: SchoolProblem, takes: pd.DataFrame) -> list[Finding]:
    """LOCK: each lock asking for a section the clerk's fill could not honour (the teacher full, or the sections all
    taken before) — the optimizer may: a course `require`, or an IEP meeting's grade (`grade_locks`: without it the
    A7.1 rotation said only that the meeting had no teacher). A course without students is the model's own conflict
    (`cpsat.locks`)."""
    held = set(zip(takes.teacher_id, takes.sid))
    return [no_students(lock) if not sids and lock.get("course_id") is not None else _not_given(lock)
            for lock, sids in required_shapes(p) if not any((lock["teacher_id"], sid) in held for sid in sids)]


def _not_given(lock: dict) -> Finding:
    rows = (("locks.csv", lock["lock_id"]), ("teachers.csv", lock["teacher_id"]))
    if lock.get("course_id") is not None:
        return Finding(("LOCK",), f"lock {lock['lock_id']}: the clerk's fill (--method greedy) could not give teacher "
                                  f"{lock['teacher_id']} a section of {lock['course_id']}; --method cpsat may", rows)
    grade = grade_name(lock["grade"])
    return Finding(("LOCK", "A7.1"), f"lock {lock['lock_id']}: the clerk's fill (--method greedy) could not give "
                                     f"teacher {lock['teacher_id']} a section of grade {grade}, which IEP meeting "
                                     f"{lock['meeting_id']} needs (its eligible list is blank: its grade's teachers); "
                                     "--method cpsat may", (*rows, ("iep_meetings.csv", lock["meeting_id"])))


def _period_conflict(p: SchoolProblem, why: str = "no timetable within A6.1/A6.2",
                     named: list[dict] | None = None) -> Finding:
    """LOCK + A6.1/A6.2: period locks leave some teacher's sections `why` (`named`; else all the school's)."""
    locked = named if named is not None else [lock for lock in p.locks if lock["period_id"] is not None]
    teachers = sorted({lock["teacher_id"] for lock in locked})
    who = f"teacher{'s' if len(teachers) > 1 else ''} {', '.join(teachers)}"
    ids = ", ".join(str(lock["lock_id"]) for lock in locked)
    what = f"the period lock {ids} of school {p.school_id} ({who}) leaves" if len(locked) == 1 else \
        f"the period locks {ids} of school {p.school_id} ({who}) leave"
    return Finding(("LOCK", "A6.1", "A6.2"), f"{what} their sections {why}",
                   tuple(("locks.csv", lock["lock_id"]) for lock in locked))


def previous_periods_of(previous_sections: pd.DataFrame | None) -> dict[tuple[str, str], list[str]]:
    """(teacher_id, course_id) -> the rotation periods of last night's sections, in section_id order."""
    if previous_sections is None or previous_sections.empty:
        return {}
    s = previous_sections.dropna(subset=["teacher_id", "period_id"])
    s = s[s.period_id.astype(str) != "homeroom"].sort_values("section_id")
    return {key: list(periods) for key, periods in s.groupby(["teacher_id", "course_id"], sort=True).period_id}


def for_school(previous_periods: dict, p: SchoolProblem) -> dict:
    """The part of `previous_periods` about this school's teachers (what travels to its worker)."""
    teachers = set(p.teachers.teacher_id)
    return {key: value for key, value in previous_periods.items() if key[0] in teachers}
