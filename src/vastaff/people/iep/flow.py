"""A7.1 without A7.2, as flows: the relaxation that bounds every stage and, usually, solves the rotation.

Without A7.2 the rotation is a transportation problem: meetings -> teachers with every count in a window [lo, hi].
Flow feasibility gives the least spread; a min-cost flow with lexicographic integer costs (coverage, stability,
seniority in one number) picks the best assignment at that spread.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from ortools.graph.python import max_flow

from vastaff.people.flows import compact_codes, window_flow


def costed_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    """One group's pairs, renumbered from 0, with seniority as ranks within the group (1 = least senior: the same
    order, smaller numbers) and their `cost` (lexicographic_costs)."""
    pairs = pairs.reset_index(drop=True).copy()
    pairs["weight"] = compact_codes(pairs.weight.to_numpy())[0].astype(np.int64) + 1
    pairs["cost"] = lexicographic_costs(pairs)
    return pairs


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


def has_idle_teacher(pairs: pd.DataFrame) -> bool:
    """LOCK: whether the school of these pairs (one school) has an eligible teacher the locks leave without any
    meeting (column `idle`, locks.py): A7.1's spread counts them, so the least count is 0."""
    return "idle" in pairs.columns and bool(pairs.idle.any())


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
    except OverflowError:  # costs too wide for the flow solver: CP-SAT takes over
        return FlowRotation(spread, None, 0, 0, 0)
    return FlowRotation(spread, best[1], best[2], best[2] + spread, int(best[0]))


class _RotationNetwork:
    """Nodes: meetings (supply 1), teachers (demand lo), one sink (the rest); arcs: eligible pairs, teacher -> sink."""

    def __init__(self, pairs: pd.DataFrame):
        self.m, self.n_meetings = compact_codes(pairs.m.to_numpy())
        self.t, self.n_teachers = compact_codes(pairs.t.to_numpy())
        self.degree = np.bincount(self.t, minlength=self.n_teachers)
        self.cost = pairs.cost.to_numpy(dtype=np.int64)
        self.idle = has_idle_teacher(pairs)

    def lo_candidates(self) -> range:
        """A window's lo is at most the average count and at most the fewest meetings a teacher may hold (0 when
        the locks leave an eligible teacher none: `has_idle_teacher`)."""
        return range(0, (0 if self.idle else min(self.n_meetings // self.n_teachers, int(self.degree.min()))) + 1)

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
        solved = window_flow(self.m, self.t, np.ones(len(self.m), dtype=np.int64), cost,
                             np.ones(self.n_meetings, dtype=np.int64), self.n_teachers, lo, hi)
        return None if solved is None else (solved[0], solved[1] > 0)
