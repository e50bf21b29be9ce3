"""A7.3 — resource-specialist caseloads (Article 7.0 B(1)).

Each student of `sped_students.csv` goes to one resource specialist (role `resource_specialist`) of the
student's school whose grade range covers the student's grade, at most `caseload_cap` students each.
Per school, lexicographically:

1. the largest caseload;
2. the spread: max − min caseload among the specialists who cover at least one of the school's students;
3. stability: students moved away from last night's specialist (`district.previous.caseloads`);
4. seniority tie-break (docs/contract.md, A7.3): the more senior specialist gets the lighter caseload.

Why flows and not CP-SAT: students of one school and grade are interchangeable, so this is a transportation
problem (grades -> covering specialists) whose flows are integral. Stage 1 is the least cap on every caseload
that still places everyone (max-flow feasibility, binary search); stage 2 the largest floor under that cap
(feasibility with lower bounds as node demands); stages 3-4 one min-cost flow within [floor, cap] whose arc
costs order stability strictly before seniority. Exact, deterministic and a few milliseconds per school.

The counts are then turned into students deterministically: students keep last night's specialist where the
counts allow (lowest student_id first), the others fill the remaining places in student_id order,
specialists in teacher_id order.

Infeasibility is explained before solving with a max-flow (Hall's theorem): a set of grades whose students
outnumber `caseload_cap` × the specialists covering any of them, read off the minimum cut.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from vastaff.contract import ContractModel
from vastaff.people.flows import compact_codes, hall_shortage, window_flow
from vastaff.people.wording import counted, grades_phrase
from vastaff.rules import Finding, Infeasible
from vastaff.schemas.district import District
from vastaff.schemas.fields import grade_name

STUDENTS_FILE, TEACHERS_FILE = "sped_students.csv", "teachers.csv"


@dataclass(frozen=True)
class CaseloadResult:
    """The A7.3 caseloads: one row per student (sorted by student_id), figures, solver status."""

    assignments: pd.DataFrame  # student_id, teacher_id
    figures: dict              # {"specialists": {teacher_id: n},
    #                             "schools": {school_id: {students, specialists, max, min, spread}}}
    status: str = "OPTIMAL"    # always OPTIMAL: the flows are exact


def assign_caseloads(district: District, contract: ContractModel) -> CaseloadResult:
    """A7.3: every special-education student to one covering resource specialist, caseloads balanced per school.

    Raises Infeasible (rule A7.3) when a grade has no specialist or a set of grades has too many students.
    """
    students = district.sped_students.sort_values("student_id", kind="stable").reset_index(drop=True)
    students = students[["student_id", "school_id", "grade"]].astype({"student_id": "str", "school_id": "str"})
    specialists = resource_specialists(district)
    edges = covering_edges(students, specialists)
    _raise_if_uncoverable(students, edges, contract.caseload_cap)

    students = students.assign(previous=previous_specialist(district, students, edges))
    counts = [_solve_school(cells.reset_index(drop=True), students[students.school_id == school], contract.caseload_cap)
              for school, cells in edges.groupby("school_id", sort=True)]
    counts_frame = pd.concat(counts, ignore_index=True) if counts else _empty_counts()
    assignments = students_from_counts(students, counts_frame)
    return CaseloadResult(assignments, caseload_figures(students, specialists, edges, assignments))


# ----------------------------------------------------------------------------------------------
# Data.


def resource_specialists(district: District) -> pd.DataFrame:
    """A7.3: the resource specialists (role resource_specialist), with grade range and seniority weight."""
    order = district.seniority_order()
    order = order[order.role == "resource_specialist"]
    out = order[["teacher_id", "school_id", "grade_min", "grade_max"]].astype({"teacher_id": "str", "school_id": "str"})
    out = out.assign(weight=np.arange(len(out), 0, -1, dtype="int64"))  # the most senior weighs most
    return out.sort_values("teacher_id", kind="stable").reset_index(drop=True)


def covering_edges(students: pd.DataFrame, specialists: pd.DataFrame) -> pd.DataFrame:
    """A7.3 eligibility per (school, grade, specialist): the specialist's grade range covers the grade.

    One row per pair with `students` = students of that school and grade.
    """
    demand = students.groupby(["school_id", "grade"], sort=True).size().rename("students").reset_index()
    pairs = demand.merge(specialists, on="school_id")
    pairs = pairs[(pairs.grade >= pairs.grade_min) & (pairs.grade <= pairs.grade_max)]
    cols = ["school_id", "grade", "teacher_id", "students", "weight"]
    return pairs[cols].sort_values(["school_id", "grade", "teacher_id"], kind="stable").reset_index(drop=True)


def previous_specialist(district: District, students: pd.DataFrame, edges: pd.DataFrame) -> pd.Series:
    """Stability: last night's specialist of each student, where that specialist may still take them (else NA)."""
    prev = district.previous.caseloads if district.previous is not None else None
    if prev is None or prev.empty:
        return pd.Series(pd.NA, index=students.index, dtype="str")
    last = prev[["student_id", "teacher_id"]].astype("str").drop_duplicates("student_id")
    joined = students[["student_id", "school_id", "grade"]].merge(last, on="student_id", how="left")
    allowed = joined.merge(edges[["school_id", "grade", "teacher_id"]], on=["school_id", "grade", "teacher_id"],
                           how="left", indicator=True)["_merge"].eq("both").to_numpy()
    return pd.Series(np.where(allowed, joined.teacher_id, None), index=students.index, dtype="str")


def _empty_counts() -> pd.DataFrame:
    return pd.DataFrame({"school_id": pd.Series(dtype="str"), "grade": pd.Series(dtype="int64"),
                         "teacher_id": pd.Series(dtype="str"), "y": pd.Series(dtype="int64"),
                         "keep": pd.Series(dtype="int64")})


# ----------------------------------------------------------------------------------------------
# Infeasibility in contract terms.


def _raise_if_uncoverable(students: pd.DataFrame, edges: pd.DataFrame, cap: int) -> None:
    conflicts = uncovered_grades(students, edges) + over_cap_grades(students, edges, cap)
    if conflicts:
        raise Infeasible(conflicts)


def uncovered_grades(students: pd.DataFrame, edges: pd.DataFrame) -> list[Finding]:
    """A7.3: students whose grade no resource specialist of their school covers (one conflict per school and grade)."""
    covered = edges[["school_id", "grade"]].drop_duplicates()
    marked = students.merge(covered, on=["school_id", "grade"], how="left", indicator=True)
    orphans = marked[marked["_merge"] == "left_only"]
    conflicts = []
    for (school, grade), group in orphans.groupby(["school_id", "grade"], sort=True):
        ids = sorted(group.student_id)
        conflicts.append(Finding.of(
            "A7.3",
            f"{school}: {counted(len(ids), 'student')} in grade {grade_name(grade)} ({', '.join(ids)}) but no "
            f"resource specialist of {school} covers grade {grade_name(grade)}",
            [(STUDENTS_FILE, s) for s in ids]))
    return conflicts


def over_cap_grades(students: pd.DataFrame, edges: pd.DataFrame, cap: int) -> list[Finding]:
    """A7.3 (Hall's theorem): grades whose students exceed cap × the specialists covering any of them."""
    conflicts = []
    for school, cells in edges.groupby("school_id", sort=True):
        per_grade = cells.drop_duplicates("grade").set_index("grade").students
        short = hall_shortage(per_grade.to_dict(), zip(cells.grade, cells.teacher_id), cap)
        if short is None:
            continue
        grades, teachers = short
        ids = sorted(students.student_id[(students.school_id == school) & students.grade.isin(grades)])
        cover = f"{counted(len(teachers), 'resource specialist')} cover{'s' if len(teachers) == 1 else ''} them"
        conflicts.append(Finding.of(
            "A7.3",
            f"{school}: {counted(len(ids), 'student')} in {grades_phrase(grades)} but {cover} (cap {cap} each): "
            f"{', '.join(teachers)}",
            [(STUDENTS_FILE, s) for s in ids] + [(TEACHERS_FILE, t) for t in teachers]))
    return conflicts


# ----------------------------------------------------------------------------------------------
# One school: exact flows on counts.


class _CaseloadNetwork:
    """Grades (supply: their students) -> covering specialists -> sink, every caseload in a window [lo, hi].

    Each (grade, specialist) cell has two parallel arcs: "kept" (up to the students of that grade who had this
    specialist last night) and "other"; "other" costs `w_moved` more, so kept places fill first.
    """

    def __init__(self, cells: pd.DataFrame):
        self.g, self.n_grades = compact_codes(cells.grade.to_numpy())
        self.s, self.n_specialists = compact_codes(cells.teacher_id.astype(str).to_numpy())
        self.supply = cells.drop_duplicates("grade").students.to_numpy(dtype=np.int64)  # cells sorted by grade
        self.total = int(self.supply.sum())
        self.prev = cells.prev.to_numpy(dtype=np.int64)
        self.weight = cells.weight.to_numpy(dtype=np.int64)
        self.w_moved = self.total * int(self.weight.max()) + 1

    def least_max(self, cap: int) -> int:
        """A7.3 balance, first: the smallest largest caseload (<= cap, feasible by the Hall check)."""
        low, high = -(-self.total // self.n_specialists), cap
        while low < high:
            mid = (low + high) // 2
            low, high = (low, mid) if self._solve(0, mid) is not None else (mid + 1, high)
        return high

    def largest_min(self, hi: int) -> int:
        """A7.3 balance, then: the largest smallest caseload with every caseload <= hi."""
        low, high = 0, min(self.total // self.n_specialists, hi)
        while low < high:
            mid = (low + high + 1) // 2
            low, high = (mid, high) if self._solve(mid, hi) is not None else (low, mid - 1)
        return low

    def cheapest(self, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
        """Stability, then seniority, within the window: students per cell (y) and of them kept."""
        return self._solve(lo, hi, costs=True)

    def _solve(self, lo: int, hi: int, costs: bool = False) -> tuple[np.ndarray, np.ndarray] | None:
        """Students per cell and, of them, kept (the "kept" arcs first, then the "other" arcs of every cell)."""
        cost = (np.concatenate([self.weight, self.weight + self.w_moved]) if costs
                else np.zeros(2 * len(self.g), dtype=np.int64))
        solved = window_flow(np.concatenate([self.g, self.g]), np.concatenate([self.s, self.s]),
                             np.concatenate([self.prev, self.supply[self.g]]), cost, self.supply,
                             self.n_specialists, lo, hi)
        if solved is None:
            return None
        kept, other = np.split(solved[1], 2)
        return kept + other, kept


def _solve_school(cells: pd.DataFrame, students: pd.DataFrame, cap: int) -> pd.DataFrame:
    """A7.3 for one school, stage by stage: least max, largest min, then stability and seniority."""
    prev = students.dropna(subset=["previous"]).groupby(["grade", "previous"]).size()
    cells = cells.assign(prev=[int(prev.get((g, t), 0)) for g, t in zip(cells.grade, cells.teacher_id)])
    net = _CaseloadNetwork(cells)
    hi = net.least_max(cap)
    lo = net.largest_min(hi)
    y, keep = net.cheapest(lo, hi)
    return cells[["school_id", "grade", "teacher_id"]].assign(y=y, keep=keep)


# ----------------------------------------------------------------------------------------------
# From counts to students.


def students_from_counts(students: pd.DataFrame, counts: pd.DataFrame) -> pd.DataFrame:
    """Kept students first (lowest student_id of each previous caseload), then the rest fill free places in order."""
    keys = ["school_id", "grade"]
    s = students.sort_values("student_id", kind="stable").copy()
    with_prev = s[s.previous.notna()]
    quota = with_prev.merge(counts.rename(columns={"teacher_id": "previous"})[keys + ["previous", "keep"]],
                            on=keys + ["previous"], how="left").keep.fillna(0).to_numpy()
    rank = with_prev.groupby(keys + ["previous"], sort=False).cumcount().to_numpy()
    kept_mask = pd.Series(False, index=s.index)
    kept_mask[with_prev.index] = rank < quota
    kept = s[kept_mask].assign(teacher_id=s.previous[kept_mask])

    rest = s[~kept_mask].copy()
    rest["pos"] = rest.groupby(keys, sort=False).cumcount()
    free = counts.assign(free=counts.y - counts.keep).sort_values(keys + ["teacher_id"], kind="stable")
    slots = free.loc[free.index.repeat(free.free.clip(lower=0)), keys + ["teacher_id"]].copy()
    slots["pos"] = slots.groupby(keys, sort=False).cumcount()
    filled = rest.merge(slots, on=keys + ["pos"], how="left")
    out = pd.concat([kept[["student_id", "teacher_id"]], filled[["student_id", "teacher_id"]]], ignore_index=True)
    return out.sort_values("student_id", kind="stable").reset_index(drop=True).astype({"teacher_id": "str"})


def caseload_figures(
    students: pd.DataFrame, specialists: pd.DataFrame, edges: pd.DataFrame, assignments: pd.DataFrame
) -> dict:
    """Caseload per specialist (every specialist, 0 included) and, per school with students, its max/min/spread."""
    load = assignments.teacher_id.value_counts()
    per_specialist = {t: int(load.get(t, 0)) for t in specialists.teacher_id}
    schools = {}
    for school, cells in edges.groupby("school_id", sort=True):
        eligible = sorted(cells.teacher_id.unique())
        loads = [per_specialist[t] for t in eligible]
        schools[school] = {"students": int((students.school_id == school).sum()), "specialists": len(eligible),
                           "max": max(loads), "min": min(loads), "spread": max(loads) - min(loads)}
    return {"specialists": per_specialist, "schools": schools}
