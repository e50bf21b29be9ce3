"""A7.1 / A7.2 with CP-SAT: for a group of several schools, and when the flow's repair is not proven optimal.

One Boolean per eligible pair; A7.1 as exactly one teacher per meeting; A7.2 as at most one meeting per teacher in
each maximal set of overlapping meetings; then two solves: the least spread, then the costs at that spread.
One worker and a fixed `random_seed`; an answer not proven optimal replaces a valid start only where it is better on
the spread (see `cpsat_rotation`). A stop of the run (vastaff.interrupt) ends or skips every solve that has a
rotation to fall back on.
"""

from __future__ import annotations

from contextlib import nullcontext

import numpy as np
import pandas as pd
from ortools.sat.python import cp_model

from vastaff.cpsat.budget import Budget
from vastaff.interrupt import stop_requested, stoppable
from vastaff.people.flows import compact_codes
from vastaff.people.iep.explain import chain_finding, unrotatable
from vastaff.people.iep.flow import has_idle_teacher
from vastaff.people.iep.overlaps import overlap_chains, overlap_cliques
from vastaff.rules import Finding, Infeasible

SOLVER_WORKERS = 1  # one worker: CP-SAT is then deterministic for a given model and seed


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
            if has_idle_teacher(p):  # an eligible teacher the locks leave without a meeting holds 0
                self.model.add(lo == 0)
            terms.append(hi - lo)
        total = cp_model.LinearExpr.sum(terms)
        self.model.add(total >= bound)
        return total

    def spread_value(self, held: np.ndarray) -> int:
        """Σ over schools of the spread of `held` (the value the spread expression takes there)."""
        return sum(spread_of(p, held[p.index.to_numpy()]) for _, p in self.pairs.groupby("s", sort=True))

    def cost(self) -> cp_model.LinearExprT:
        """A7.2 coverage, stability and seniority as one lexicographic sum (see flow.lexicographic_costs)."""
        return cp_model.LinearExpr.weighted_sum(self.x, self.pairs.cost.astype("int64").tolist())

    def hint(self, values) -> None:
        self.model.clear_hints()
        for var, v in zip(self.x, values):
            self.model.add_hint(var, bool(v))

    def feasible(self) -> bool:
        return rotation_solver(0, 10.0).solve(self.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def spread_of(pairs: pd.DataFrame, held: np.ndarray) -> int:
    """A7.1: max − min meeting count over the teachers of `pairs` (one school), and its idle teachers (locks)."""
    codes, n = compact_codes(pairs.t.to_numpy())
    counts = np.bincount(codes[held], minlength=n)
    return int(counts.max() - (0 if has_idle_teacher(pairs) else counts.min()))


def rotation_solver(seed: int, seconds: float) -> cp_model.CpSolver:
    """CP-SAT as the rotation uses it: one worker, `seed`, `seconds` of wall time, Ctrl-C left to vastaff."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = SOLVER_WORKERS
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(seconds, 0.05)
    solver.parameters.symmetry_level = 0          # symmetry detection costs more than it saves on these models
    solver.parameters.cp_model_probing_level = 0
    # The costs stage is an assignment with overlap cliques, its lexicographic costs one weighted sum: with the LP's
    # default linearization one worker stalled (a 35-meeting school of a generated 250-teacher district: 490 against
    # a bound of 382 for 10 s), level 2 proves it at once (5 ms). Over 70 districts never slower; docs/benchmarks.md.
    solver.parameters.linearization_level = 2
    solver.parameters.catch_sigint_signal = False  # Ctrl-C is the run's to handle (vastaff.interrupt)
    return solver


def cpsat_rotation(meetings: pd.DataFrame, pairs: pd.DataFrame, seed: int, budget: Budget, lower: int,
                   start: np.ndarray | None, search: bool = True) -> tuple[pd.DataFrame, str]:
    """CP-SAT in two solves: the least spread (skipped when `start` already meets `lower`), then the costs.

    An answer not proven optimal is used only when there is no `start` (then the status says FEASIBLE).
    Without `search` no solve runs (as if CP-SAT found nothing in time): `start` is kept, FEASIBLE.
    Raises TimeoutError when there is neither an answer nor a `start`.
    """
    rm = _RotationModel(meetings, pairs)
    spread = rm.spread(lower)
    best, proven = start, True
    if start is not None:
        rm.hint(start)
    if start is None or rm.spread_value(start) > lower:
        rm.model.minimize(spread)
        fallback = start is not None
        code, found = _solve(rm, seed, budget.stage(last=False).wall, fallback, search)
        if found is not None and (code == cp_model.OPTIMAL or best is None
                                  or rm.spread_value(found) < rm.spread_value(best)):
            best = found
            rm.hint(best)
        proven = code == cp_model.OPTIMAL
    if best is None:
        raise TimeoutError(f"A7.1: no IEP rotation for {', '.join(sorted(meetings.school_id.unique()))} "
                           f"within the time limit")
    rm.model.add(spread <= rm.spread_value(best))
    rm.model.minimize(rm.cost())
    code, found = _solve(rm, seed, budget.stage(last=True).wall, True, search)  # `best` is the fallback
    if found is not None and (code == cp_model.OPTIMAL or start is None):
        best = found
    proven = proven and code == cp_model.OPTIMAL
    return rm.pairs[best], "OPTIMAL" if proven else "FEASIBLE"


def _solve(rm: _RotationModel, seed: int, seconds: float, fallback: bool,
           search: bool) -> tuple[int, np.ndarray | None]:
    """One CP-SAT solve; INFEASIBLE becomes the A7.1/A7.2 explanation of the overlap chains at fault.
    With a rotation to `fallback` on, a stop of the run ends the solve, or skips it (UNKNOWN, nothing found)."""
    if not search or (fallback and stop_requested()):
        return cp_model.UNKNOWN, None
    solver = rotation_solver(seed, seconds)
    with stoppable(solver) if fallback else nullcontext():
        code = solver.solve(rm.model)
    if code == cp_model.INFEASIBLE:
        raise Infeasible(chain_findings(rm.meetings, rm.pairs))
    if code not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return code, None
    return code, np.array([solver.boolean_value(v) for v in rm.x], dtype=bool)


def chain_findings(meetings: pd.DataFrame, pairs: pd.DataFrame) -> list[Finding]:
    """A7.1 + A7.2 after CP-SAT said infeasible: the overlap chains that no rotation can hold."""
    findings = []
    for chain in overlap_chains(meetings):
        sub = meetings[meetings.meeting_id.isin(chain)]
        sub_pairs = pairs[pairs.m.isin(sub.m)]
        if not _RotationModel(sub, sub_pairs).feasible():
            findings.append(chain_finding(sub, sorted(sub_pairs.teacher_id.unique())))
    return findings or [unrotatable(meetings)]
