"""A7.1 / A7.2 — IEP-meeting rotation (Article 7.0 A(1), A(2)), solved after tonight's sections are staffed.

Each IEP meeting goes to exactly one eligible general-education teacher (A7.1); a teacher never holds two
meetings that overlap (same date, intersecting [start, end); touching is fine) (A7.2). Per school, among the
teachers eligible for at least one of its meetings, the objective is lexicographic:

1. A7.1 spread: max − min of meeting counts;
2. A7.2 coverage: meetings that intersect the synchronous window and so need classroom coverage;
3. stability: meetings moved away from last night's teacher (`district.previous.iep_assignments`);
4. seniority tie-break (SPEC objective tier 4): the more senior teacher gets fewer meetings.

How it is solved, per group of schools (a school, unless an explicit `eligible_teacher_ids` list names one
teacher for meetings of several schools; such schools share one model):

- **Flow.** Without A7.2 the problem is a transportation problem: meetings -> teachers with every count in a
  window [lo, hi]. Flow feasibility gives the least spread; a min-cost flow with lexicographic integer costs
  (stages 2-4 in one number) picks the best assignment at that spread. This relaxation bounds every stage.
  If its assignment gives no teacher two overlapping meetings, it is optimal (the usual case in a big school:
  fewer meetings than teachers, so nobody holds two).
- **Repair.** Otherwise each clash is undone by the cheapest move or swap that keeps the counts in the window;
  if the repaired assignment costs what the relaxation costs, it is optimal on every stage.
- **CP-SAT** otherwise (or for a group of several schools): one Boolean per eligible pair, A7.2 as at-most-one
  per teacher and maximal set of overlapping meetings, the spread and then the costs, each fixed in turn.
- **Fallbacks.** When the repair fails in the flow's window, it is retried with the window widened (up to
  WIDENINGS times), else a greedy rotation in time order (A7.2 by construction); that rotation starts CP-SAT and
  is kept unless CP-SAT finds a smaller spread. A run ends without a rotation only if even the greedy one fails.
- **Stop.** A stop of the run (the first Ctrl-C, vastaff.interrupt) ends every CP-SAT search that has a rotation to
  fall back on and skips the next ones: the group keeps its best rotation so far (FEASIBLE).

Determinism: IDs are sorted and coded once; the flow and the repair are deterministic; CP-SAT runs one worker
with a fixed `random_seed`, and an answer it does not prove optimal within the time limit is dropped for the
repaired flow (status FEASIBLE), so the same input, contract and seed give identical frames — except on the
fallback path, where a smaller spread found within the time limit is taken.
"""

from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np
import pandas as pd
from ortools.graph.python import max_flow, min_cost_flow
from ortools.sat.python import cp_model

from vastaff.conflicts import Conflict, Infeasible
from vastaff.contract import ContractModel
from vastaff.schemas.district import District
from vastaff.interrupt import stop_requested, stoppable

SOLVER_WORKERS = 1  # one worker: CP-SAT is then deterministic for a given model and seed
FLOW_FIRST = True   # try the exact flow path before CP-SAT (tests switch it off to cross-check CP-SAT)
MEETINGS_FILE, TEACHERS_FILE = "iep_meetings.csv", "teachers.csv"
ASSIGNMENT_COLUMNS = ["meeting_id", "teacher_id", "needs_coverage"]


@dataclass(frozen=True)
class IepResult:
    """The A7.1/A7.2 rotation: one row per meeting (sorted by meeting_id), figures per school, solver status."""

    assignments: pd.DataFrame  # meeting_id, teacher_id, needs_coverage (bool)
    figures: dict              # {school_id: {meetings, eligible_teachers, min, max, spread, needing_coverage}}
    status: str                # OPTIMAL (proven on every stage) or FEASIBLE (not proven within the time limit)


def assign_iep_meetings(
    district: District,
    contract: ContractModel,
    sections: pd.DataFrame,
    section_grades: pd.DataFrame,
    *,
    seed: int = 0,
    time_limit: float = 10.0,
) -> IepResult:
    """A7.1 + A7.2: give every IEP meeting to one eligible teacher, spread evenly, without overlaps.

    `sections` / `section_grades` are tonight's plan tables (SPEC columns; a blank teacher_id is a vacancy).
    `time_limit` (wall seconds) bounds the CP-SAT fallback, shared by the schools that need it; the flow and
    repair paths do not depend on it. `seed` is CP-SAT's random_seed.
    Raises Infeasible (rules A7.1 / A7.2) when some meeting cannot be held.
    """
    meetings = meeting_times(district.iep_meetings)
    if meetings.empty:
        empty = pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(ASSIGNMENT_COLUMNS, ("str", "str", "bool"))})
        return IepResult(empty, {}, "OPTIMAL")
    pairs = eligible_pairs(district, meetings, sections, section_grades)
    pairs["covered"] = pair_needs_coverage(pairs, meetings, contract)
    pairs["weight"] = seniority_weights(district, pairs)
    pairs["previous"] = previous_pairs(district, pairs)
    _raise_if_unholdable(meetings, pairs)

    held, status = [], "OPTIMAL"
    group_of = school_group_codes(meetings, pairs)
    meeting_rows = pd.Series(group_of[meetings.s.to_numpy()]).groupby(group_of[meetings.s.to_numpy()]).indices
    pair_rows = pd.Series(group_of[pairs.s.to_numpy()]).groupby(group_of[pairs.s.to_numpy()]).indices
    budget = Budget(time_limit, len(meeting_rows))
    for g in sorted(meeting_rows):
        chosen, group_status = _solve_group(meetings.iloc[meeting_rows[g]], pairs.iloc[pair_rows[g]], seed, budget)
        held.append(chosen)
        status = status if group_status == "OPTIMAL" else "FEASIBLE"
    chosen = pd.concat(held).sort_values("m", kind="stable")
    assignments = pd.DataFrame({"meeting_id": chosen.meeting_id.astype(str).to_numpy(),
                                "teacher_id": chosen.teacher_id.astype(str).to_numpy(),
                                "needs_coverage": chosen.covered.to_numpy(dtype=bool)})
    return IepResult(assignments, rotation_figures(meetings, pairs, chosen), status)


# ----------------------------------------------------------------------------------------------
# Data: meeting times, eligibility, coverage, weights. IDs are coded as integers in ID order
# (`m` meeting, `t` teacher, `s` school) so the big joins never touch strings.


def meeting_times(iep: pd.DataFrame) -> pd.DataFrame:
    """Meetings sorted by ID: `m` (row code), `s` (school code), `day` (YYYY-MM-DD), start/end in minutes."""
    m = iep.sort_values("meeting_id", kind="stable").reset_index(drop=True).copy()
    m["m"] = np.arange(len(m), dtype=np.int64)
    m["s"] = pd.Categorical(m.school_id, categories=sorted(m.school_id.unique())).codes.astype(np.int64)
    m["day"] = pd.to_datetime(m["date"]).dt.strftime("%Y-%m-%d") if len(m) else pd.Series(dtype="str")
    m["start_min"] = _minutes(m["start"])
    m["end_min"] = _minutes(m["end"])
    return m


def _minutes(hhmm: pd.Series) -> pd.Series:
    parts = hhmm.astype("str").str.split(":", expand=True)
    if parts.empty:
        return pd.Series(dtype="int64")
    return parts[0].astype("int64") * 60 + parts[1].astype("int64")


def teacher_codes(district: District, meetings: pd.DataFrame) -> pd.Index:
    """Every teacher ID (teachers.csv and explicit lists), sorted: position = teacher code `t`."""
    listed = meetings.eligible_teacher_ids.explode().dropna()
    return pd.Index(np.unique(np.concatenate([district.teachers.teacher_id.to_numpy(dtype=object),
                                              listed.to_numpy(dtype=object)]).astype(str)))


def eligible_pairs(
    district: District, meetings: pd.DataFrame, sections: pd.DataFrame, section_grades: pd.DataFrame
) -> pd.DataFrame:
    """A7.1 eligibility: the meeting's explicit list, else the school's general classroom teachers of that grade.

    "Teaches that grade" means the teacher has a section in tonight's plan with students of that grade.
    An explicit `eligible_teacher_ids` list is taken as the district wrote it (it overrides the default).
    Rows sorted by meeting then teacher: codes m, t, s and the IDs meeting_id, teacher_id, school_id
    (categoricals over those codes, so a million pairs cost no strings).
    """
    teachers = teacher_codes(district, meetings)
    schools = pd.Index(sorted(meetings.school_id.unique()))
    listed = meetings.eligible_teacher_ids.map(len).to_numpy() > 0
    explicit = meetings.loc[listed, ["m", "eligible_teacher_ids"]].explode("eligible_teacher_ids")
    explicit_t = teachers.get_indexer(explicit.eligible_teacher_ids.astype(str))
    by_grade = grade_teachers(district, sections, section_grades)
    n_grades = GRADE_SPAN
    by_grade = pd.DataFrame({"key": schools.get_indexer(by_grade.school_id) * n_grades + by_grade.grade.to_numpy() + 2,
                             "t": teachers.get_indexer(by_grade.teacher_id)})
    default = meetings.loc[~listed, ["m", "s", "grade"]]
    default = pd.DataFrame({"m": default.m.to_numpy(), "key": default.s.to_numpy() * n_grades + default.grade.to_numpy(
        dtype=np.int64) + 2}).merge(by_grade[by_grade.key >= 0], on="key")
    width = len(teachers)
    keys = _sorted_unique(np.concatenate([
        explicit.m.to_numpy(dtype=np.int64) * width + explicit_t,
        default.m.to_numpy(dtype=np.int64) * width + default.t.to_numpy(dtype=np.int64),
    ]))
    m, t = keys // width, keys % width
    s = meetings.s.to_numpy()[m]
    return pd.DataFrame({
        "m": m, "t": t, "s": s,
        "meeting_id": pd.Categorical.from_codes(m, categories=meetings.meeting_id.astype(str)),
        "teacher_id": pd.Categorical.from_codes(t, categories=teachers),
        "school_id": pd.Categorical.from_codes(s, categories=schools),
    })


GRADE_SPAN = 16  # grades UTK (-2) .. 12, as 0..14 in a code


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique by sorting (numpy's hash-based unique is slower on millions of int64)."""
    values = np.sort(values, kind="stable")
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _compact(codes: np.ndarray) -> tuple[np.ndarray, int]:
    """Codes renumbered 0..k-1 in the same order, and k."""
    distinct = _sorted_unique(codes)
    return np.searchsorted(distinct, codes).astype(np.int32), len(distinct)


def grade_teachers(district: District, sections: pd.DataFrame, section_grades: pd.DataFrame) -> pd.DataFrame:
    """(school_id, grade, teacher_id) of every general-education classroom teacher teaching that grade tonight."""
    staffed = sections.loc[sections.teacher_id.notna(), ["section_id", "teacher_id"]]
    taught = staffed.merge(section_grades.loc[section_grades.students > 0, ["section_id", "grade"]], on="section_id")
    t = district.teachers
    general = t.loc[(t.department == "general") & (t.role == "classroom"), ["teacher_id", "school_id"]]
    out = taught[["teacher_id", "grade"]].drop_duplicates().astype({"teacher_id": "str"})
    out = out.merge(general, on="teacher_id")
    return out[["school_id", "grade", "teacher_id"]].astype({"grade": "int64"})


def needs_coverage(start_min, end_min, window: tuple[int, int]) -> np.ndarray:
    """A7.2: a meeting needs classroom coverage when [start, end) intersects the synchronous window [ws, we)."""
    ws, we = window
    return (np.asarray(start_min) < we) & (np.asarray(end_min) > ws)


def pair_needs_coverage(pairs: pd.DataFrame, meetings: pd.DataFrame, contract: ContractModel) -> np.ndarray:
    """A7.2 per (meeting, teacher): the teacher's synchronous window is the contract's, the same for everyone.

    So today coverage depends only on the meeting's time, and the coverage stage cannot change anything; it
    is kept per pair (and in the objective) so that a model file with per-level windows changes only this.
    """
    m = pairs.m.to_numpy()
    return needs_coverage(meetings.start_min.to_numpy()[m], meetings.end_min.to_numpy()[m], contract.synchronous_window)


def seniority_weights(district: District, pairs: pd.DataFrame) -> np.ndarray:
    """Tie-break weight per pair's teacher (SPEC objective tier 4): the most senior teacher weighs most."""
    teachers = pairs.teacher_id.cat.categories
    order = district.seniority_order().teacher_id.astype(str)
    weight = np.zeros(len(teachers), dtype=np.int64)
    found = teachers.get_indexer(order)
    weight[found[found >= 0]] = (len(order) - np.arange(len(order)))[found >= 0]
    return weight[pairs.t.to_numpy()]


def previous_pairs(district: District, pairs: pd.DataFrame) -> np.ndarray:
    """Stability: True where last night's plan gave this meeting to this teacher."""
    prev = district.previous.iep_assignments if district.previous is not None else None
    if prev is None or prev.empty:
        return np.zeros(len(pairs), dtype=bool)
    width = len(pairs.teacher_id.cat.categories)
    m = pd.Index(pairs.meeting_id.cat.categories).get_indexer(prev.meeting_id.astype(str))
    t = pairs.teacher_id.cat.categories.get_indexer(prev.teacher_id.astype(str))
    known = (m >= 0) & (t >= 0)
    return np.isin(pairs.m.to_numpy() * width + pairs.t.to_numpy(), m[known] * width + t[known])


def school_group_codes(meetings: pd.DataFrame, pairs: pd.DataFrame) -> np.ndarray:
    """Per school code, its group: schools are linked when one teacher is eligible for meetings of both."""
    n = int(meetings.s.max()) + 1
    parent = list(range(n))

    def root(s: int) -> int:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    keys = _sorted_unique(pairs.t.to_numpy() * n + pairs.s.to_numpy())  # (teacher, school) links
    t, s = keys // n, keys % n
    same_teacher = t[1:] == t[:-1]
    for first, other in zip(s[:-1][same_teacher].tolist(), s[1:][same_teacher].tolist()):
        a, b = sorted((root(first), root(other)))
        parent[b] = a
    return np.array([root(s) for s in range(n)], dtype=np.int64)


def school_groups(meetings: pd.DataFrame, pairs: pd.DataFrame) -> list[list[str]]:
    """The groups of schools that share one model, as sorted school IDs."""
    group = school_group_codes(meetings, pairs)
    schools = sorted(meetings.school_id.unique())
    return [[schools[s] for s in range(len(schools)) if group[s] == g] for g in sorted(set(group))]


# ----------------------------------------------------------------------------------------------
# Overlaps (A7.2): maximal sets of pairwise-overlapping meetings, per day.


def overlap_cliques(meetings: pd.DataFrame, key: str = "meeting_id") -> list[list]:
    """A7.2: maximal cliques of overlapping meetings (same day, intersecting [start, end)), two or more each."""
    cliques: list[list] = []
    for _, day in meetings.groupby("day", sort=True):
        # At equal times ends come first: touching meetings do not overlap.
        events = sorted([(e, 0, m) for m, e in zip(day[key], day.end_min)]
                        + [(s, 1, m) for m, s in zip(day[key], day.start_min)])
        active: list = []
        grew = False
        for _, is_start, m in events:
            if is_start:
                active.append(m)
                grew = True
                continue
            if grew and len(active) > 1:
                cliques.append(sorted(active))
            grew = False
            active.remove(m)
    return cliques


def overlap_chains(meetings: pd.DataFrame, key: str = "meeting_id") -> list[list]:
    """A7.2: per day, runs of meetings linked by overlaps (each chain can be checked on its own)."""
    chains: list[list] = []
    for _, day in meetings.sort_values(["day", "start_min", key], kind="stable").groupby("day", sort=True):
        current: list = []
        reach = -1
        for m, s, e in zip(day[key], day.start_min, day.end_min):
            if current and s >= reach:
                chains.append(current)
                current = []
            current.append(m)
            reach = max(reach, e) if len(current) > 1 else e
        chains.append(current)
    return [sorted(c) for c in chains if len(c) > 1]


# ----------------------------------------------------------------------------------------------
# Infeasibility in contract terms, detected before solving.


def _raise_if_unholdable(meetings: pd.DataFrame, pairs: pd.DataFrame) -> None:
    conflicts = no_eligible_teacher(meetings, pairs)
    if not conflicts:
        conflicts = too_few_teachers_for_overlaps(meetings, pairs)
    if conflicts:
        raise Infeasible(conflicts)


def no_eligible_teacher(meetings: pd.DataFrame, pairs: pd.DataFrame) -> list[Conflict]:
    """A7.1: a meeting nobody may hold (no general classroom teacher of the school teaches its grade tonight)."""
    orphan = meetings[np.bincount(pairs.m.to_numpy(), minlength=len(meetings)) == 0]
    return [
        Conflict(("A7.1",),
                 f"{m.school_id} IEP meeting {m.meeting_id} (student {m.student_id}, grade {grade_name(m.grade)}, "
                 f"{m.day} {m.start}–{m.end}): no eligible teacher — no general-education classroom teacher of "
                 f"{m.school_id} teaches grade {grade_name(m.grade)} in tonight's plan",
                 ((MEETINGS_FILE, m.meeting_id),))
        for m in orphan.itertuples()
    ]


def too_few_teachers_for_overlaps(meetings: pd.DataFrame, pairs: pd.DataFrame) -> list[Conflict]:
    """A7.1 + A7.2: overlapping meetings outnumber the teachers eligible for them (Hall's condition)."""
    m = pairs.m.to_numpy()
    n_eligible = np.bincount(m, minlength=len(meetings))
    bounds = np.searchsorted(m, np.arange(len(meetings) + 1))  # pairs are sorted by meeting
    t, names = pairs.t.to_numpy(), pairs.teacher_id.cat.categories
    seen: set[frozenset] = set()
    conflicts = []
    for clique in overlap_cliques(meetings, key="m"):
        # A set S breaking Hall's condition has only meetings with fewer than |S| eligible teachers.
        suspects, size = clique, len(clique) + 1
        while len(suspects) < size:
            size = len(suspects)
            suspects = [k for k in suspects if n_eligible[k] < size]
        if not suspects:
            continue
        short = _hall_violator(suspects, {k: t[bounds[k]:bounds[k + 1]].tolist() for k in suspects})
        if short is None or frozenset(short[0]) in seen:
            continue
        seen.add(frozenset(short[0]))
        conflicts.append(_shortage_conflict(meetings.iloc[short[0]], sorted(names[short[1]])))
    return conflicts


def _hall_violator(clique: list[int], eligible: dict[int, list[int]]) -> tuple[list[int], list[int]] | None:
    """Meetings of one clique that no one-meeting-per-teacher matching covers, with their teachers; or None."""
    holder: dict[int, int] = {}

    def augment(m: int, visited: set[int]) -> bool:
        for t in eligible[m]:
            if t not in visited:
                visited.add(t)
                if t not in holder or augment(holder[t], visited):
                    holder[t] = m
                    return True
        return False

    unmatched = [m for m in clique if not augment(m, set())]
    if not unmatched:
        return None
    # König: everything reachable from the unmatched meetings by alternating paths breaks Hall's condition.
    meetings_set, teachers_set, frontier = set(unmatched), set(), list(unmatched)
    while frontier:
        m = frontier.pop()
        for t in eligible[m]:
            if t not in teachers_set:
                teachers_set.add(t)
                if holder[t] not in meetings_set:
                    meetings_set.add(holder[t])
                    frontier.append(holder[t])
    return sorted(meetings_set), sorted(teachers_set)


def _shortage_conflict(short: pd.DataFrame, teachers: list[str]) -> Conflict:
    start, end = int(short.start_min.max()), int(short.end_min.min())
    schools = ", ".join(sorted(short.school_id.unique()))
    ids = short.meeting_id.tolist()
    plural = "s" if len(teachers) != 1 else ""
    who = f"only {len(teachers)} eligible teacher{plural} can hold them: {', '.join(teachers)}"
    message = (f"{schools}: {len(short)} IEP meetings ({', '.join(ids)}; {grades_phrase(short.grade.unique())}) "
               f"overlap on {short.day.iloc[0]} {hhmm(start)}–{hhmm(end)} but {who}")
    rows = tuple((MEETINGS_FILE, m) for m in ids) + tuple((TEACHERS_FILE, t) for t in teachers)
    return Conflict(("A7.1", "A7.2"), message, rows)


def _chain_conflicts(meetings: pd.DataFrame, pairs: pd.DataFrame) -> list[Conflict]:
    """A7.1 + A7.2 after CP-SAT said infeasible: the overlap chains that no rotation can hold."""
    conflicts = []
    for chain in overlap_chains(meetings):
        sub = meetings[meetings.meeting_id.isin(chain)]
        sub_pairs = pairs[pairs.m.isin(sub.m)]
        if _RotationModel(sub, sub_pairs).feasible():
            continue
        teachers = sorted(sub_pairs.teacher_id.unique())
        message = (f"{', '.join(sorted(sub.school_id.unique()))}: IEP meetings {', '.join(chain)} "
                   f"({grades_phrase(sub.grade.unique())}) on {sub.day.iloc[0]} "
                   f"{hhmm(int(sub.start_min.min()))}–{hhmm(int(sub.end_min.max()))} cannot each go to one of their "
                   f"eligible teachers ({', '.join(teachers)}) without a teacher holding two overlapping meetings")
        rows = tuple((MEETINGS_FILE, m) for m in chain) + tuple((TEACHERS_FILE, t) for t in teachers)
        conflicts.append(Conflict(("A7.1", "A7.2"), message, rows))
    if not conflicts:
        conflicts.append(Conflict(("A7.1", "A7.2"),
                                  f"{', '.join(sorted(meetings.school_id.unique()))}: the IEP meetings cannot be "
                                  f"rotated over their eligible teachers without overlaps",
                                  tuple((MEETINGS_FILE, m) for m in meetings.meeting_id)))
    return conflicts


def grade_name(grade: int) -> str:
    return {-2: "UTK", -1: "TK", 0: "K"}.get(int(grade), str(int(grade)))


def grades_phrase(grades) -> str:
    """'grade 9', 'grades 9–10', 'grades K–2, 5': consecutive grades as ranges."""
    runs: list[list[int]] = []
    for g in sorted({int(g) for g in grades}):
        if runs and g == runs[-1][-1] + 1:
            runs[-1].append(g)
        else:
            runs.append([g])
    text = ", ".join(grade_name(r[0]) if len(r) == 1 else f"{grade_name(r[0])}–{grade_name(r[-1])}" for r in runs)
    return f"grade{'s' if sum(map(len, runs)) > 1 else ''} {text}"


def hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


# ----------------------------------------------------------------------------------------------
# One group of schools: the exact flow path, a repaired flow, then CP-SAT.


class Budget:
    """The call's wall-clock time limit, shared evenly by the groups still to solve."""

    def __init__(self, seconds: float, groups: int):
        self.deadline, self.groups = time.monotonic() + seconds, max(groups, 1)

    MIN_SECONDS = 1.0  # a group that needs CP-SAT gets at least this, even past the deadline

    def share(self) -> float:
        """Seconds for the next group."""
        share = max(self.deadline - time.monotonic(), 0.0) / self.groups
        self.groups = max(self.groups - 1, 1)
        return max(share, self.MIN_SECONDS)


CPSAT_MAX_PAIRS = 20_000
"""Above this many eligible pairs a repaired flow rotation is final: CP-SAT would spend its time in presolve."""


def _solve_group(meetings: pd.DataFrame, pairs: pd.DataFrame, seed: int, budget: Budget) -> tuple[pd.DataFrame, str]:
    """Rotate one group's meetings: the flow optimum, else the repaired flow, else CP-SAT.

    OPTIMAL when proven: the flow's optimum has no overlap, or its repair costs no more than the relaxation,
    or CP-SAT proves it. A CP-SAT answer not proven optimal is dropped for the repaired flow when there is one,
    so that the result never depends on how fast the machine was.
    """
    pairs = pairs.reset_index(drop=True).copy()
    # Seniority as ranks within the group (1 = least senior): same order, small numbers for the costs.
    pairs["weight"] = _compact(pairs.weight.to_numpy())[0].astype(np.int64) + 1
    pairs["cost"] = lexicographic_costs(pairs)
    share = budget.share()
    if not FLOW_FIRST or meetings.s.nunique() > 1:
        return _cpsat_rotation(meetings, pairs, seed, share, 0, None)
    flow = flow_rotation(pairs)
    if flow.held is not None and not clashing_pairs(meetings, pairs, flow.held).size:
        return pairs[flow.held], "OPTIMAL"
    start = repaired_rotation(meetings, pairs, flow)
    if start is not None and int(pairs.cost.to_numpy()[start].sum()) == flow.cost:
        return pairs[start], "OPTIMAL"  # the relaxation's bound is met on every stage
    if start is not None and len(pairs) > CPSAT_MAX_PAIRS:
        return pairs[start], "FEASIBLE"  # the spread is proven least; the tie-break stages are not
    if start is None:  # a valid rotation to start CP-SAT from and to fall back on if it finds nothing better
        start = widened_repair(meetings, pairs, flow)
    if start is None:
        start = greedy_rotation(meetings, pairs)
    return _cpsat_rotation(meetings, pairs, seed, share, flow.spread, start)


@dataclass(frozen=True)
class FlowRotation:
    spread: int                 # least A7.1 spread without A7.2: a lower bound of the true one
    held: np.ndarray | None     # per pair, held; lexicographically best at that spread (None: costs too wide)
    lo: int                     # the window of counts [lo, hi] the held assignment keeps to
    hi: int
    cost: int                   # its lexicographic cost: a lower bound at that spread


def flow_rotation(pairs: pd.DataFrame) -> FlowRotation:
    """A7.1 without A7.2, as flows: meetings -> teachers with every count in a window [lo, hi].

    For each feasible lo the least hi comes from flow feasibility (a lo that cannot beat the best spread so far
    costs one check); among the windows of the least spread, a min-cost flow with lexicographic costs
    (coverage, stability, seniority) picks the assignment.
    """
    net = _RotationNetwork(pairs)
    highest: dict[int, int] = {}
    spread = net.n_meetings
    for lo in net.lo_candidates():
        hi = net.least_hi(lo, lo + spread)
        if hi is not None:
            highest[lo] = hi
            spread = min(spread, hi - lo)
    best = None
    try:
        for lo in sorted(lo for lo, hi in highest.items() if hi - lo == spread):
            cost, held = net.cheapest(lo, lo + spread)
            if best is None or cost < best[0]:
                best = (cost, held, lo)
    except _CostOverflow:
        return FlowRotation(spread, None, 0, 0, 0)
    return FlowRotation(spread, best[1], best[2], best[2] + spread, int(best[0]))


class _CostOverflow(Exception):
    pass


class _RotationNetwork:
    """Nodes: meetings (supply 1), teachers (demand lo), one sink (the rest); arcs: eligible pairs, teacher -> sink."""

    def __init__(self, pairs: pd.DataFrame):
        self.m, self.n_meetings = _compact(pairs.m.to_numpy())
        self.t, self.n_teachers = _compact(pairs.t.to_numpy())
        self.degree = np.bincount(self.t, minlength=self.n_teachers)
        self.cost = pairs.cost.to_numpy(dtype=np.int64)

    def lo_candidates(self) -> range:
        """A window's lo is at most the average count and at most the fewest meetings a teacher may hold."""
        return range(0, min(self.n_meetings // self.n_teachers, int(self.degree.min())) + 1)

    def least_hi(self, lo: int, ceiling: int) -> int | None:
        """Smallest hi <= ceiling such that counts in [lo, hi] are achievable (None if there is none)."""
        low = max(lo, -(-self.n_meetings // self.n_teachers))
        if low > ceiling:
            return None
        if (lo > 0 or ceiling < self.n_meetings) and not self.feasible(lo, ceiling):
            return None  # (with lo 0 and no ceiling every assignment fits)
        high = ceiling
        if high > low and self.feasible(lo, low):
            return low  # the usual case: the average rounded up
        low += 1 if high > low else 0
        while low < high:  # feasible at high; the window only widens as hi grows
            mid = (low + high) // 2
            low, high = (low, mid) if self.feasible(lo, mid) else (mid + 1, high)
        return high

    def feasible(self, lo: int, hi: int) -> bool:
        """Whether every meeting can go to a teacher with all counts in [lo, hi]."""
        if lo > 0:
            return self._solve(lo, hi, np.zeros_like(self.cost)) is not None
        flow = max_flow.SimpleMaxFlow()  # no lower bound: a plain max flow is enough, and faster
        source, sink = self.n_meetings + self.n_teachers, self.n_meetings + self.n_teachers + 1
        meetings = np.arange(self.n_meetings, dtype=np.int32)
        teachers = np.arange(self.n_teachers, dtype=np.int32) + self.n_meetings
        flow.add_arcs_with_capacity(np.full(self.n_meetings, source, dtype=np.int32), meetings,
                                    np.ones(self.n_meetings, dtype=np.int64))
        flow.add_arcs_with_capacity(self.m, self.t + self.n_meetings, np.ones(len(self.m), dtype=np.int64))
        flow.add_arcs_with_capacity(teachers, np.full(self.n_teachers, sink, dtype=np.int32),
                                    np.full(self.n_teachers, hi, dtype=np.int64))
        flow.solve(source, sink)
        return flow.optimal_flow() == self.n_meetings

    def cheapest(self, lo: int, hi: int) -> tuple[int, np.ndarray]:
        """Least lexicographic cost with counts in [lo, hi] (a window least_hi found feasible); held per pair."""
        return self._solve(lo, hi, self.cost)

    def _solve(self, lo: int, hi: int, cost: np.ndarray) -> tuple[int, np.ndarray] | None:
        flow = min_cost_flow.SimpleMinCostFlow()
        sink = self.n_meetings + self.n_teachers
        teachers = np.arange(self.n_teachers, dtype=np.int32) + self.n_meetings
        flow.add_arcs_with_capacity_and_unit_cost(self.m, self.t + self.n_meetings,
                                                  np.ones(len(self.m), dtype=np.int64), cost)
        flow.add_arcs_with_capacity_and_unit_cost(teachers, np.full(self.n_teachers, sink, dtype=np.int32),
                                                  np.full(self.n_teachers, hi - lo, dtype=np.int64),
                                                  np.zeros(self.n_teachers, dtype=np.int64))
        supplies = np.concatenate([np.ones(self.n_meetings, dtype=np.int64),
                                   np.full(self.n_teachers, -lo, dtype=np.int64),
                                   [-(self.n_meetings - lo * self.n_teachers)]])
        flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
        status = flow.solve()
        if status == flow.INFEASIBLE:
            return None
        if status != flow.OPTIMAL:
            raise _CostOverflow()  # costs too wide for the flow solver: CP-SAT takes over
        return flow.optimal_cost(), flow.flows(np.arange(len(self.m), dtype=np.int32)) > 0


def lexicographic_costs(pairs: pd.DataFrame) -> np.ndarray:
    """One integer cost per pair ordering A7.2 coverage, then stability, then seniority strictly.

    Each term is taken relative to the meeting's cheapest pair (every meeting holds exactly one pair, so this
    shifts the total by a constant): a term that cannot differ within any meeting, such as coverage under
    one synchronous window for everyone, drops out and keeps the numbers small.
    """
    n_meetings = pairs.m.nunique()
    by_meeting = pairs.groupby("m")
    seniority = pairs.weight.to_numpy(dtype=np.int64)
    had_previous = by_meeting.previous.transform("any").to_numpy(dtype=bool)
    moved = (had_previous & ~pairs.previous.to_numpy(dtype=bool)).astype(np.int64)
    covered = pairs.covered.to_numpy(dtype=bool).astype(np.int64)
    covered = covered - by_meeting.covered.transform("min").to_numpy(dtype=bool).astype(np.int64)
    w_moved = n_meetings * int(seniority.max()) + 1
    w_covered = w_moved * (n_meetings + 1) if moved.any() else w_moved
    return covered * w_covered + moved * w_moved + seniority


def clashing_pairs(meetings: pd.DataFrame, pairs: pd.DataFrame, held: np.ndarray) -> np.ndarray:
    """A7.2: held pairs whose teacher already holds an earlier meeting that overlaps (indices into pairs)."""
    h = pairs.loc[held, ["m", "t"]]
    h = h[h.t.duplicated(keep=False)]
    if h.empty:
        return np.array([], dtype=np.int64)
    times = meetings.set_index("m")[["day", "start_min", "end_min"]]
    h = h.join(times, on="m").sort_values(["t", "day", "start_min", "m"])
    h["reach"] = h.groupby(["t", "day"]).end_min.cummax()
    earlier = h.groupby(["t", "day"]).reach.shift()
    return h.index[(h.start_min < earlier).to_numpy()].to_numpy()


def repaired_rotation(meetings: pd.DataFrame, pairs: pd.DataFrame, flow: FlowRotation) -> np.ndarray | None:
    """A7.2 repair of the flow's assignment, keeping every count within the flow's window [lo, hi].

    Each meeting that overlaps an earlier one of its teacher is moved to another eligible teacher free at that
    time (if both counts stay in the window), or swapped against a meeting of such a teacher that the first
    teacher can hold, whichever adds least cost. The result obeys A7.1 and A7.2 at the flow's spread; None
    when a clash cannot be undone this way.
    """
    if flow.held is None:
        return None
    repair = _Repair(meetings, pairs, flow.held, flow.lo, flow.hi)
    for i in clashing_pairs(meetings, pairs, flow.held):
        if repair.clashes(i) and not repair.fix(i):
            return None
    held = repair.held
    return held if not clashing_pairs(meetings, pairs, held).size else None


WIDENINGS = 3
"""How many times `widened_repair` widens the flow's count window by one on each side."""


def widened_repair(meetings: pd.DataFrame, pairs: pd.DataFrame, flow: FlowRotation) -> np.ndarray | None:
    """The repair of `repaired_rotation` with the count window [lo, hi] widened step by step: a valid rotation
    whose spread exceeds the least by at most 2 * WIDENINGS (None if even the widest window cannot be repaired)."""
    if flow.held is None:
        return None
    for step in range(1, WIDENINGS + 1):
        wider = FlowRotation(flow.spread, flow.held, max(flow.lo - step, 0), flow.hi + step, flow.cost)
        held = repaired_rotation(meetings, pairs, wider)
        if held is not None:
            return held
    return None


def greedy_rotation(meetings: pd.DataFrame, pairs: pd.DataFrame) -> np.ndarray | None:
    """A7.2 by construction: meetings in time order, each to the eligible teacher free then who holds fewest
    meetings so far (cheapest pair on ties). None when some meeting finds every eligible teacher busy."""
    times = meetings.set_index("m")[["day", "start_min", "end_min"]].sort_values(["day", "start_min", "end_min"],
                                                                                 kind="stable")
    options = pairs.groupby("m").indices
    teacher, cost = pairs.t.to_numpy(), pairs.cost.to_numpy()
    held = np.zeros(len(pairs), dtype=bool)
    count: dict[int, int] = {}
    busy_until: dict[tuple[int, object], int] = {}  # (teacher, day) -> end of their latest meeting (by start)
    for m, day, start, end in times.itertuples():
        free = [j for j in options.get(m, ()) if busy_until.get((teacher[j], day), -1) <= start]
        if not free:
            return None
        j = min(free, key=lambda j: (count.get(teacher[j], 0), cost[j]))
        held[j] = True
        count[teacher[j]] = count.get(teacher[j], 0) + 1
        busy_until[teacher[j], day] = max(busy_until.get((teacher[j], day), -1), end)
    return held


class _Repair:
    """The held assignment as per-teacher meeting sets, with the moves and swaps of `repaired_rotation`."""

    def __init__(self, meetings: pd.DataFrame, pairs: pd.DataFrame, held: np.ndarray, lo: int, hi: int):
        self.held, self.lo, self.hi = held.copy(), lo, hi
        self.m, self.t = pairs.m.to_numpy(), pairs.t.to_numpy()
        self.cost = pairs.cost.to_numpy()
        # pairs are sorted by (m, t): a pair is found by binary search on one integer key
        self.width = int(self.t.max()) + 1
        self.keys = self.m * self.width + self.t
        self.first = pairs.groupby("m").indices
        times = meetings.set_index("m")
        self.day = times.day.to_dict()
        self.start, self.end = times.start_min.to_dict(), times.end_min.to_dict()
        self.holds: dict[int, set[int]] = {}
        for i in np.flatnonzero(held).tolist():
            self.holds.setdefault(int(self.t[i]), set()).add(int(self.m[i]))

    def _pair(self, m: int, t: int) -> int | None:
        i = int(np.searchsorted(self.keys, m * self.width + t))
        return i if i < len(self.keys) and self.keys[i] == m * self.width + t else None

    def _options(self, m: int) -> list[int]:
        """The pairs of meeting m, cheapest first."""
        idx = self.first[m]
        return idx[np.argsort(self.cost[idx], kind="stable")].tolist()

    def _overlap(self, a: int, b: int) -> bool:
        return self.day[a] == self.day[b] and self.start[a] < self.end[b] and self.start[b] < self.end[a]

    def _free(self, t: int, m: int, ignoring: int = -1) -> bool:
        return not any(self._overlap(m, o) for o in self.holds.get(t, ()) if o not in (m, ignoring))

    def clashes(self, i: int) -> bool:
        return bool(self.held[i]) and not self._free(int(self.t[i]), int(self.m[i]))

    def _give(self, i: int, j: int) -> None:
        """Pair i is no longer held, pair j is."""
        self.held[i], self.held[j] = False, True
        self.holds[int(self.t[i])].discard(int(self.m[i]))
        self.holds.setdefault(int(self.t[j]), set()).add(int(self.m[j]))

    def fix(self, i: int) -> bool:
        """Undo the clash of held pair i by the cheapest move or swap that keeps counts in [lo, hi]."""
        options = self._moves(i) + self._swaps(i)
        if not options:
            return False
        _, gives = min(options, key=lambda o: o[0])  # the first of equal deltas: moves, cheaper pairs first
        for old, new in gives:
            self._give(old, new)
        return True

    def _moves(self, i: int) -> list[tuple[int, list[tuple[int, int]]]]:
        """Meeting m of teacher t to another eligible teacher free then, both counts staying in the window."""
        m, t = int(self.m[i]), int(self.t[i])
        if len(self.holds[t]) <= self.lo:
            return []
        return [(int(self.cost[j] - self.cost[i]), [(i, j)]) for j in self._options(m)
                if int(self.t[j]) != t and len(self.holds.get(int(self.t[j]), ())) < self.hi
                and self._free(int(self.t[j]), m)]

    def _swaps(self, i: int) -> list[tuple[int, list[tuple[int, int]]]]:
        """Meeting m of teacher t against a meeting m3 of another teacher: t takes m3, the other takes m."""
        m, t = int(self.m[i]), int(self.t[i])
        out = []
        for j in self._options(m):
            other = int(self.t[j])
            if other == t:
                continue
            for m3 in sorted(self.holds.get(other, ())):
                k = self._pair(m3, t)
                if k is None or not self._free(other, m, ignoring=m3) or not self._free(t, m3, ignoring=m):
                    continue
                give_up = self._pair(m3, other)
                delta = int(self.cost[j] + self.cost[k] - self.cost[i] - self.cost[give_up])
                out.append((delta, [(i, j), (give_up, k)]))
        return out


def spread_of(pairs: pd.DataFrame, held: np.ndarray) -> int:
    """A7.1: max − min meeting count over the teachers of `pairs` (one school)."""
    codes, n = _compact(pairs.t.to_numpy())
    counts = np.bincount(codes[held], minlength=n)
    return int(counts.max() - counts.min())


class _RotationModel:
    """CP-SAT: x[meeting, teacher] for eligible pairs only; constraints A7.1 and A7.2; the objective stages."""

    def __init__(self, meetings: pd.DataFrame, pairs: pd.DataFrame):
        self.meetings = meetings
        self.pairs = pairs.reset_index(drop=True)
        self.model = cp_model.CpModel()
        self.x = [self.model.new_bool_var(f"x{i}") for i in range(len(self.pairs))]
        self.by_meeting = self.pairs.groupby("m", sort=True).indices
        self._one_teacher_per_meeting()
        self._no_overlapping_meetings()

    def _one_teacher_per_meeting(self) -> None:
        """A7.1: each meeting goes to exactly one eligible teacher."""
        for idx in self.by_meeting.values():
            self.model.add_exactly_one([self.x[i] for i in idx])

    def _no_overlapping_meetings(self) -> None:
        """A7.2: a teacher holds at most one meeting of each set of pairwise-overlapping meetings."""
        teacher = self.pairs.t.tolist()
        for clique in overlap_cliques(self.meetings, key="m"):
            per_teacher: dict[int, list] = {}
            for m in clique:
                for i in self.by_meeting.get(m, ()):
                    per_teacher.setdefault(teacher[i], []).append(self.x[i])
            for held in per_teacher.values():
                if len(held) > 1:
                    self.model.add_at_most_one(held)

    def spread(self, bound: int = 0) -> cp_model.LinearExprT:
        """A7.1: Σ over schools of max − min meeting count among teachers eligible for its meetings."""
        terms = []
        for s, p in self.pairs.groupby("s", sort=True):
            n_meetings = int(self.meetings.s.eq(s).sum())
            counts = [cp_model.LinearExpr.sum([self.x[i] for i in p.index[idx]])
                      for idx in p.groupby("t", sort=True).indices.values()]
            n = len(counts)
            hi = self.model.new_int_var(-(-n_meetings // n), n_meetings, f"max_{s}")
            lo = self.model.new_int_var(0, n_meetings // n, f"min_{s}")
            for c in counts:
                self.model.add(c <= hi)
                self.model.add(c >= lo)
            # Counts are integers summing to n_meetings: equal counts need n to divide it.
            self.model.add(hi - lo >= (1 if n_meetings % n else 0))
            terms.append(hi - lo)
        total = cp_model.LinearExpr.sum(terms)
        self.model.add(total >= bound)
        return total

    def cost(self) -> cp_model.LinearExprT:
        """A7.2 coverage, stability and seniority as one lexicographic sum (see lexicographic_costs)."""
        return cp_model.LinearExpr.weighted_sum(self.x, self.pairs.cost.astype("int64").tolist())

    def hint(self, values) -> None:
        self.model.clear_hints()
        for var, v in zip(self.x, values):
            self.model.add_hint(var, bool(v))

    def feasible(self) -> bool:
        return _solver(0, 10.0).solve(self.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _solver(seed: int, seconds: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = SOLVER_WORKERS
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(seconds, 0.05)
    solver.parameters.symmetry_level = 0          # symmetry detection costs more than it saves on these models
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.catch_sigint_signal = False  # Ctrl-C is the run's to handle (vastaff.interrupt)
    return solver


def _cpsat_rotation(meetings: pd.DataFrame, pairs: pd.DataFrame, seed: int, seconds: float,
                    lower: int, start: np.ndarray | None) -> tuple[pd.DataFrame, str]:
    """CP-SAT in two solves: the least spread (skipped when `start` already meets `lower`), then the costs.

    An answer not proven optimal is used only when there is no `start` (then the status says FEASIBLE).
    """
    deadline = time.monotonic() + seconds
    rm = _RotationModel(meetings, pairs)
    spread = rm.spread(lower)
    best, proven = start, True
    if start is not None:
        rm.hint(start)
    if start is None or _spread_value(rm, start) > lower:
        rm.model.minimize(spread)
        fallback = start is not None
        code, found = _solve(rm, seed, (deadline - time.monotonic()) / 2, meetings, pairs, fallback)
        if found is not None and (code == cp_model.OPTIMAL or best is None
                                  or _spread_value(rm, found) < _spread_value(rm, best)):
            best = found
            rm.hint(best)
        proven = code == cp_model.OPTIMAL
    if best is None:
        raise TimeoutError(f"A7.1: no IEP rotation for {', '.join(sorted(meetings.school_id.unique()))} "
                           f"within the time limit")
    rm.model.add(spread <= _spread_value(rm, best))
    rm.model.minimize(rm.cost())
    code, found = _solve(rm, seed, deadline - time.monotonic(), meetings, pairs, True)  # `best` is the fallback
    if found is not None and (code == cp_model.OPTIMAL or start is None):
        best = found
    proven = proven and code == cp_model.OPTIMAL
    return rm.pairs[best], "OPTIMAL" if proven else "FEASIBLE"


def _solve(rm: _RotationModel, seed: int, seconds: float, meetings: pd.DataFrame,
           pairs: pd.DataFrame, fallback: bool) -> tuple[int, np.ndarray | None]:
    """One CP-SAT solve; INFEASIBLE becomes the A7.1/A7.2 explanation of the overlap chains at fault.
    With a rotation to `fallback` on, a stop of the run ends the solve, or skips it (UNKNOWN, nothing found)."""
    if fallback and stop_requested():
        return cp_model.UNKNOWN, None
    solver = _solver(seed, seconds)
    with stoppable(solver) if fallback else nullcontext():
        code = solver.solve(rm.model)
    if code == cp_model.INFEASIBLE:
        raise Infeasible(_chain_conflicts(meetings, pairs))
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return code, None
    return code, np.array([solver.boolean_value(v) for v in rm.x], dtype=bool)


def _spread_value(rm: _RotationModel, held: np.ndarray) -> int:
    """Σ over schools of the spread of `held` (the value the spread expression takes there)."""
    return sum(spread_of(p, held[p.index.to_numpy()]) for _, p in rm.pairs.groupby("s", sort=True))


# ----------------------------------------------------------------------------------------------
# Figures.


def rotation_figures(meetings: pd.DataFrame, pairs: pd.DataFrame, held: pd.DataFrame) -> dict:
    """Per school: meetings, eligible teachers, min/max/spread of meeting counts, meetings needing coverage."""
    eligible = pairs[["s", "t"]].drop_duplicates()
    counts = eligible.merge(held.groupby(["s", "t"]).size().rename("n").reset_index(), on=["s", "t"], how="left")
    counts["n"] = counts.n.fillna(0).astype("int64")
    per_school = counts.groupby("s").n.agg(["size", "min", "max"])
    covered = held.groupby("s").covered.sum()
    n_meetings = meetings.groupby("s").size()
    schools = sorted(meetings.school_id.unique())
    return {
        schools[s]: {"meetings": int(n_meetings[s]), "eligible_teachers": int(r["size"]), "min": int(r["min"]),
                     "max": int(r["max"]), "spread": int(r["max"] - r["min"]), "needing_coverage": int(covered[s])}
        for s, r in per_school.iterrows()
    }
