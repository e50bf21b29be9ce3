"""A7.1 with A7.2 (7.0 A): the least spread of IEP meeting counts one school can achieve — the checker's own models
(`minimum_spread`), built from the contract's rules alone, independent of every solver; `check/iep.py` compares the
plan's spread with it.

Two steps, so that a 20,000-teacher plan is checked in seconds: a flow bound first (the least spread when overlaps
are ignored, exact by max-flow with lower bounds), whose witness usually has no overlapping meetings and then proves
the minimum outright; only when it does overlap does a CP-SAT model with that bound and that hint finish the proof.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

SPREAD_TIME_LIMIT = 10.0
"""Seconds CP-SAT may spend per school proving the minimum spread; a violation is reported only with a witness."""


@dataclass(frozen=True)
class SpreadResult:
    """The smallest max - min of meeting counts achievable for one school, as far as the checker got."""

    feasible: bool
    value: int | None          # best spread found (None when no valid assignment was found)
    proven: bool               # value is proven minimal
    witness: dict[str, str]    # meeting_id -> teacher_id achieving `value`


@dataclass(frozen=True)
class _Arcs:
    """The (meeting, teacher) pairs allowed after locks, as codes: meeting m (row of `meetings`), teacher t."""

    m: np.ndarray
    t: np.ndarray
    meeting_ids: np.ndarray
    teacher_ids: np.ndarray


def minimum_spread(meetings: pd.DataFrame, pairs: pd.DataFrame, time_limit: float = SPREAD_TIME_LIMIT,
                   hint: dict[str, str] | None = None, locked: dict[tuple[str, str], bool] | None = None
                   ) -> SpreadResult:
    """A7.1 with A7.2 (7.0 A): the least max - min of meeting counts over the eligible teachers, no overlaps.

    `meetings` has meeting_id, date, start_min, end_min; `pairs` has meeting_id, teacher_id; `locked`: (meeting,
    teacher) -> held or not, from locks.csv (LOCK: a lock may widen the least spread, never excuse a wider one).
    The spread is measured over every teacher of `pairs` (eligible for at least one meeting), locks or not.
    """
    meetings = meetings.sort_values("meeting_id", kind="stable").reset_index(drop=True)
    arcs = _allowed_arcs(meetings, pairs, locked or {})
    if arcs is None:
        return SpreadResult(False, None, True, {})
    bound, witness = _flow_bound(len(meetings), arcs, _upper_spread(meetings, arcs, hint))
    if bound is None:
        return SpreadResult(False, None, True, {})
    repaired = _repaired_flow(meetings, arcs, bound)
    if repaired is not None:
        return SpreadResult(True, bound, True, repaired)
    return _cpsat_spread(meetings, arcs, bound, witness, time_limit)


def _allowed_arcs(meetings: pd.DataFrame, pairs: pd.DataFrame, locked: dict[tuple[str, str], bool]) -> _Arcs | None:
    """The eligible pairs minus those a lock forbids or takes away (a meeting required of one teacher goes to no
    other); None when a lock requires a meeting of a teacher who may not hold it (check/locks.py reports that)."""
    p = pairs[["meeting_id", "teacher_id"]].astype(str).drop_duplicates()
    teacher_ids = np.array(sorted(p["teacher_id"].unique()), dtype=object)
    if locked:
        p = _unlocked(p, locked)
        if p is None:
            return None
    meeting_ids = meetings["meeting_id"].astype(str).to_numpy(dtype=object)
    m_codes = pd.Index(meeting_ids).get_indexer(p["meeting_id"])
    t_codes = pd.Index(teacher_ids).get_indexer(p["teacher_id"])
    inside = m_codes >= 0
    return _Arcs(m_codes[inside], t_codes[inside], meeting_ids, teacher_ids)


def _unlocked(p: pd.DataFrame, locked: dict[tuple[str, str], bool]) -> pd.DataFrame | None:
    """LOCK on IEP meetings: forbidden pairs go; a required pair leaves its meeting no other teacher."""
    keys = pd.MultiIndex.from_frame(p[["meeting_id", "teacher_id"]])
    required = {m: t for (m, t), held in locked.items() if held}
    if not keys.isin(list(required.items())).sum() == len(required):
        return None
    forbidden = [k for k, held in locked.items() if not held]
    others = p["meeting_id"].isin(list(required)) & ~keys.isin(list(required.items()))
    return p[~(keys.isin(forbidden) | others)]


def _upper_spread(meetings: pd.DataFrame, arcs: _Arcs, hint: dict[str, str] | None) -> int:
    """A spread no larger than the least one when the hint is a complete allowed assignment, else all meetings."""
    n = len(meetings)
    if not hint:
        return n
    chosen = pd.Series([hint.get(mid) for mid in arcs.meeting_ids], dtype=object)
    allowed = set(zip(arcs.m.tolist(), arcs.t.tolist()))
    codes = pd.Index(arcs.teacher_ids).get_indexer(chosen.fillna(""))
    if (codes < 0).any() or any((m, t) not in allowed for m, t in enumerate(codes.tolist())):
        return n
    counts = np.bincount(codes, minlength=len(arcs.teacher_ids))
    return int(counts.max() - counts.min())


def _flow_bound(n_meetings: int, arcs: _Arcs, upper: int) -> tuple[int | None, dict[str, str]]:
    """The least spread ignoring A7.2 (every lower spread is impossible even with overlaps allowed) and an
    assignment achieving it; (None, {}) when no assignment exists at all. Feasibility is monotone in the spread,
    so the least one is found by bisection between the trivial bound and `upper`."""
    n_teachers = len(arcs.teacher_ids)
    if n_meetings == 0:
        return 0, {}
    if n_teachers == 0 or len(np.unique(arcs.m)) < n_meetings:
        return None, {}
    lo_spread = 0 if n_meetings % n_teachers == 0 else 1
    best = _assignment_with_spread(n_meetings, arcs, max(upper, lo_spread)) or \
        _assignment_with_spread(n_meetings, arcs, n_meetings)
    if best is None:
        return None, {}
    hi_spread = best[0]
    while lo_spread < hi_spread:
        mid = (lo_spread + hi_spread) // 2
        found = _assignment_with_spread(n_meetings, arcs, mid)
        if found is None:
            lo_spread = mid + 1
        else:
            best, hi_spread = found, found[0]
    return best[0], best[1]


def _assignment_with_spread(n_meetings: int, arcs: _Arcs, spread: int) -> tuple[int, dict[str, str]] | None:
    """An assignment whose counts lie in [low, low + spread] for some whole `low` (overlaps ignored), with its actual
    spread; None when there is none. Tries every `low` the average allows, the average's floor first."""
    n_teachers = len(arcs.teacher_ids)
    mean_floor = n_meetings // n_teachers
    ceil = -(-n_meetings // n_teachers)
    for low in sorted(range(max(0, ceil - spread), mean_floor + 1), key=lambda v: abs(v - mean_floor)):
        flow = _bounded_flow(n_meetings, arcs, low, low + spread)
        if flow is not None:
            counts = np.bincount(arcs.t[flow], minlength=n_teachers)
            witness = dict(zip(arcs.meeting_ids[arcs.m[flow]], arcs.teacher_ids[arcs.t[flow]]))
            return int(counts.max() - counts.min()), witness
    return None


def _bounded_flow(n_meetings: int, arcs: _Arcs, low: int, high: int) -> np.ndarray | None:
    """Max-flow with lower bounds as a zero-cost transportation problem: every meeting supplies 1, every teacher
    takes `low` and up to `high - low` more through the sink. The arcs carrying flow, or None when infeasible."""
    n_teachers = len(arcs.teacher_ids)
    rest = n_meetings - n_teachers * low
    if rest < 0 or rest > n_teachers * (high - low):
        return None
    sink = n_meetings + n_teachers
    flow = min_cost_flow.SimpleMinCostFlow()
    teachers = np.arange(n_teachers, dtype=np.int64) + n_meetings
    tails = np.concatenate([arcs.m.astype(np.int64), teachers])
    heads = np.concatenate([arcs.t.astype(np.int64) + n_meetings, np.full(n_teachers, sink, dtype=np.int64)])
    caps = np.concatenate([np.ones(len(arcs.m), dtype=np.int64), np.full(n_teachers, high - low, dtype=np.int64)])
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, np.zeros(len(tails), dtype=np.int64))
    supplies = np.concatenate([np.ones(n_meetings, dtype=np.int64), np.full(n_teachers, -low, dtype=np.int64),
                               np.array([-rest], dtype=np.int64)])
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int64), supplies)
    if flow.solve() != flow.OPTIMAL:
        return None
    return flow.flows(np.arange(len(arcs.m), dtype=np.int64)) > 0


REPAIR_ROUNDS = 40
"""Rounds of the flow repair: each takes away the arcs of meetings a teacher held on top of an overlapping one."""


def _repaired_flow(meetings: pd.DataFrame, arcs: _Arcs, spread: int) -> dict[str, str] | None:
    """An assignment with A7.2 at `spread`, found by flows alone: while a flow's teacher holds overlapping
    meetings, that teacher may no longer hold the later ones and the flow is solved again. None when the rounds run
    out or the flow becomes infeasible (then CP-SAT decides); any result is a witness, as every step only
    restricts."""
    keep = np.ones(len(arcs.m), dtype=bool)
    for _ in range(REPAIR_ROUNDS):
        sub = _Arcs(arcs.m[keep], arcs.t[keep], arcs.meeting_ids, arcs.teacher_ids)
        found = _assignment_with_spread(len(meetings), sub, spread)
        if found is None:
            return None
        clashes = _clashing(meetings, found[1])
        if not clashes:
            return found[1]
        meeting_code = pd.Index(arcs.meeting_ids).get_indexer([m for m, _ in clashes])
        teacher_code = pd.Index(arcs.teacher_ids).get_indexer([t for _, t in clashes])
        drop = pd.MultiIndex.from_arrays([arcs.m, arcs.t]).isin(list(zip(meeting_code, teacher_code)))
        keep &= ~drop
    return None


def _clashing(meetings: pd.DataFrame, witness: dict[str, str]) -> list[tuple[str, str]]:
    """A7.2: the (meeting, teacher) of `witness` that start before an earlier meeting of that teacher and day ends
    (touching is fine), by teacher, day, start and meeting. Over plain rows: the repair asks once per round, and the
    pandas version was a tenth of checking a 1,000-teacher plan."""
    held: dict[tuple, list[tuple]] = {}
    for meeting, day, start, end in zip(meetings["meeting_id"].astype(str).tolist(), meetings["date"].tolist(),
                                        meetings["start_min"].tolist(), meetings["end_min"].tolist()):
        teacher = witness.get(meeting)
        if teacher is not None:
            held.setdefault((teacher, day), []).append((start, meeting, end))
    late = []
    for (teacher, _), rows in sorted(held.items()):
        ends = None  # the latest end of the teacher's meetings that day so far
        for start, meeting, end in sorted(rows):
            if ends is not None and start < ends:
                late.append((meeting, teacher))
            ends = end if ends is None else max(ends, end)
    return late


def _cpsat_spread(meetings: pd.DataFrame, arcs: _Arcs, bound: int, hint: dict[str, str],
                  time_limit: float) -> SpreadResult:
    """CP-SAT for the cases the flow leaves open: the least spread with A7.2, at least `bound`, from `hint`."""
    model = cp_model.CpModel()
    x = [model.new_bool_var(f"x[{m},{t}]") for m, t in zip(arcs.m, arcs.t)]
    frame = pd.DataFrame({"m": arcs.m, "t": arcs.t, "var": np.arange(len(x))})
    for _, rows in frame.groupby("m")["var"]:
        model.add_exactly_one(x[i] for i in rows)
    n = len(meetings)
    hi, lo = model.new_int_var(0, n, "max_count"), model.new_int_var(0, n, "min_count")
    held = frame.groupby("t")["var"].agg(list).reindex(range(len(arcs.teacher_ids)), fill_value=[])
    for rows in held:
        count = sum(x[i] for i in rows)
        model.add(hi >= count)
        model.add(lo <= count)
    _no_overlap(model, x, frame, _overlap_cliques(meetings))
    model.add(hi - lo >= bound)
    model.minimize(hi - lo)
    for i, (m, t) in enumerate(zip(arcs.m, arcs.t)):
        model.add_hint(x[i], hint.get(arcs.meeting_ids[m]) == arcs.teacher_ids[t])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    solver.parameters.catch_sigint_signal = False  # else a later Ctrl-C kills the process outright
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return SpreadResult(False, None, status == cp_model.INFEASIBLE, {})
    witness = {str(arcs.meeting_ids[m]): str(arcs.teacher_ids[t]) for (m, t), var in zip(zip(arcs.m, arcs.t), x)
               if solver.boolean_value(var)}
    value = int(round(solver.objective_value))
    return SpreadResult(True, value, status == cp_model.OPTIMAL or value == bound, witness)


def _overlap_cliques(meetings: pd.DataFrame) -> list[list[int]]:
    """The maximal sets of one day's meetings that all overlap: for intervals, the meetings running at some
    meeting's start (touching end = start is no overlap). Rows of `meetings` as codes."""
    cliques = []
    for _, day in meetings.groupby("date", sort=True):
        starts, ends = day["start_min"].to_numpy(), day["end_min"].to_numpy()
        codes = day.index.to_numpy()
        seen: set[tuple[int, ...]] = set()
        for s in np.unique(starts):
            running = tuple(codes[(starts <= s) & (ends > s)].tolist())
            if len(running) > 1 and running not in seen:
                seen.add(running)
                cliques.append(list(running))
    return cliques


def _no_overlap(model: cp_model.CpModel, x: list, frame: pd.DataFrame, cliques: list[list[int]]) -> None:
    """A7.2: a teacher holds at most one meeting of each set of mutually overlapping meetings."""
    for clique in cliques:
        inside = frame[frame["m"].isin(clique)]
        for _, rows in inside.groupby("t")["var"]:
            if len(rows) > 1:
                model.add_at_most_one(x[i] for i in rows)
