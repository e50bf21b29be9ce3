"""A7.1 with A7.2 (7.0 A): the least spread of IEP meeting counts one school can achieve — the checker's own tiny
CP-SAT model (`minimum_spread`), built from SPEC.md alone, independent of every solver; `check/iep.py` compares the
plan's spread with it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from ortools.sat.python import cp_model

SPREAD_TIME_LIMIT = 10.0
"""Seconds CP-SAT may spend per school proving the minimum spread; a violation is reported only with a witness."""


@dataclass(frozen=True)
class SpreadResult:
    """The smallest max - min of meeting counts achievable for one school, as far as CP-SAT got."""

    feasible: bool
    value: int | None          # best spread found (None when no valid assignment was found)
    proven: bool               # value is proven minimal
    witness: dict[str, str]    # meeting_id -> teacher_id achieving `value`


def minimum_spread(meetings: pd.DataFrame, pairs: pd.DataFrame, time_limit: float = SPREAD_TIME_LIMIT,
                   hint: dict[str, str] | None = None, locked: dict[tuple[str, str], bool] | None = None
                   ) -> SpreadResult:
    """A7.1 with A7.2 (7.0 A): the least max - min of meeting counts over the eligible teachers, no overlaps.

    `meetings` has meeting_id, date, start_min, end_min; `pairs` has meeting_id, teacher_id; `locked`: (meeting,
    teacher) -> held or not, from locks.csv (LOCK: a lock may widen the least spread, never excuse a wider one).
    """
    model = cp_model.CpModel()
    teachers = sorted(pairs["teacher_id"].unique())
    m = meetings.set_index("meeting_id")
    x: dict[tuple[str, str], cp_model.IntVar] = {}
    for mid, tid in sorted(zip(pairs["meeting_id"], pairs["teacher_id"])):
        x[mid, tid] = model.new_bool_var(f"x[{mid},{tid}]")
    by_meeting: dict[str, list] = {mid: [] for mid in m.index}
    by_teacher: dict[str, list[tuple[str, cp_model.IntVar]]] = {t: [] for t in teachers}
    for (mid, tid), var in x.items():
        by_meeting[mid].append(var)
        by_teacher[tid].append((mid, var))
    for mid, vars_ in by_meeting.items():
        model.add_exactly_one(vars_)
    for (mid, tid), held in (locked or {}).items():
        if (mid, tid) in x:
            model.add(x[mid, tid] == int(held))
        elif held:  # required of a teacher who may not hold it: the lock check (check/locks.py) reports it
            model.add_bool_or([])
    hi = model.new_int_var(0, len(m), "max_count")
    lo = model.new_int_var(0, len(m), "min_count")
    for tid, held in by_teacher.items():
        count = sum(v for _, v in held)
        model.add(hi >= count)
        model.add(lo <= count)
        _no_overlap(model, m, tid, held)
    model.minimize(hi - lo)
    if hint:
        for (mid, tid), var in x.items():
            model.add_hint(var, hint.get(mid) == tid)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    solver.parameters.catch_sigint_signal = False  # else a later Ctrl-C kills the process outright
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return SpreadResult(False, None, status == cp_model.INFEASIBLE, {})
    witness = {mid: tid for (mid, tid), var in x.items() if solver.boolean_value(var)}
    return SpreadResult(True, int(round(solver.objective_value)), status == cp_model.OPTIMAL, witness)


def _no_overlap(model: cp_model.CpModel, m: pd.DataFrame, tid: str, held: list) -> None:
    """A7.2: one teacher's meetings of a day as optional intervals; touching end = start is allowed."""
    by_day: dict[object, list] = {}
    for mid, var in held:
        by_day.setdefault(m.at[mid, "date"], []).append((mid, var))
    for day, items in by_day.items():
        if len(items) < 2:
            continue
        intervals = [model.new_optional_fixed_size_interval_var(
            int(m.at[mid, "start_min"]), int(m.at[mid, "end_min"] - m.at[mid, "start_min"]), var, f"i[{mid},{tid}]")
            for mid, var in items]
        model.add_no_overlap(intervals)


