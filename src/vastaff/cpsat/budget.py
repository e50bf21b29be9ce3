"""Time budgets: how a run's time limit is split between its parts (schools, groups of schools) and their stages.

Two types, because they are held differently:

- `TimeShare` is a run's wall-clock deadline split between parts as they start. It is shared: the parts start in
  any of the run's processes, and the one counter they update (the size not started yet) lives in shared memory.
- `Budget` is one part's own time, held by the one process that solves it: a wall-clock deadline (what keeps the run
  on time) and, optionally, CP-SAT deterministic seconds (what makes runs repeatable, see cpsat/solver.py). Every
  stage but the last may use a share of what is left of both, so the first stages, which matter most, get the most
  time, and time a stage leaves unused passes on.

Wall time is `time.time()` throughout: a deadline means the same in every process of the run.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from typing import NamedTuple


class TimeShare:
    """The run's wall-clock deadline, split between parts as they start.

    A part starting with T seconds left, of size s, while parts of total size R have not started yet gets
    T * s / (s + R / P) on P processes: its own work plus its part of what is still queued. Time a part leaves
    unused passes on to the parts after it. Sizes are in the caller's unit: a school's eligible teacher-shape pairs
    (nightly/sections.py, the model's size), one per group of schools (people/iep, which then splits what is left
    evenly between the groups still to solve).
    """

    def __init__(self, deadline: float, processes: int = 1, total: float = 1.0):
        self.deadline, self.processes = deadline, processes
        self.unstarted = multiprocessing.Value("d", total)

    def part_deadline(self, size: float = 1.0, at_least: float = 0.0) -> float:
        """The wall-clock deadline of a part of `size` starting now (at least `at_least` seconds from now)."""
        with self.unstarted.get_lock():
            self.unstarted.value -= size
            rest = max(self.unstarted.value, 0.0)
        now = time.time()
        share = max(self.deadline - now, 0.0) * size / (size + rest / self.processes)
        return now + max(share, at_least)


class StageTime(NamedTuple):
    """What one stage may use: CP-SAT deterministic seconds and wall seconds."""

    work: float
    wall: float


class Budget:
    """One part's time: a wall-clock deadline and deterministic seconds of work (unbounded unless given).

    Every stage but the last may use `stage_share` of what is left of both; the last stage gets all of it.
    """

    STAGE_SHARE = 2 / 3

    def __init__(self, deadline: float, work: float = math.inf, stage_share: float = STAGE_SHARE):
        self.deadline, self.work, self.stage_share = deadline, work, stage_share

    def wall_left(self) -> float:
        return max(self.deadline - time.time(), 0.0)

    def stage(self, last: bool) -> StageTime:
        share = 1.0 if last else self.stage_share
        return StageTime(self.work * share, self.wall_left() * share)

    def spend(self, work: float) -> None:
        """Deterministic seconds a stage used (CP-SAT's `deterministic_time`)."""
        self.work = max(self.work - work, 0.0)
