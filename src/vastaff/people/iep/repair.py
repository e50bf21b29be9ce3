"""A7.2 repairs of the flow's assignment, and the greedy rotation: valid rotations without CP-SAT.

`repaired_rotation` undoes each clash of the flow's assignment by the cheapest move or swap that keeps the counts in
the flow's window, so a repair that costs what the flow costs is optimal on every stage. When it fails,
`widened_repair` retries with the window widened, and `greedy_rotation` builds a rotation in time order (meetings
with one eligible teacher first, such as a lock leaves); either starts CP-SAT and is its fallback.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from vastaff.people.iep.flow import FlowRotation
from vastaff.people.iep.overlaps import clashing_pairs


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
        wider = replace(flow, lo=max(flow.lo - step, 0), hi=flow.hi + step)
        held = repaired_rotation(meetings, pairs, wider)
        if held is not None:
            return held
    return None


def greedy_rotation(meetings: pd.DataFrame, pairs: pd.DataFrame) -> np.ndarray | None:
    """A7.2 by construction: meetings with one eligible teacher first (they have no choice: a lock's, or a list of
    one), then the rest in time order, each to the eligible teacher free then who holds fewest meetings so far
    (cheapest pair on ties). None when some meeting finds every eligible teacher busy."""
    options = pairs.groupby("m").indices
    times = meetings.set_index("m")[["day", "start_min", "end_min"]]
    times = times.assign(choice=[len(options.get(m, ())) > 1 for m in times.index])
    times = times.sort_values(["choice", "day", "start_min", "end_min"], kind="stable").drop(columns="choice")
    teacher, cost = pairs.t.to_numpy(), pairs.cost.to_numpy()
    held = np.zeros(len(pairs), dtype=bool)
    count: dict[int, int] = {}
    busy: dict[tuple[int, object], list[tuple[int, int]]] = {}  # (teacher, day) -> their meetings' [start, end)
    for m, day, start, end in times.itertuples():
        free = [j for j in options.get(m, ())
                if all(e <= start or s >= end for s, e in busy.get((teacher[j], day), ()))]
        if not free:
            return None
        j = min(free, key=lambda j: (count.get(teacher[j], 0), cost[j]))
        held[j] = True
        count[teacher[j]] = count.get(teacher[j], 0) + 1
        busy.setdefault((teacher[j], day), []).append((start, end))
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
