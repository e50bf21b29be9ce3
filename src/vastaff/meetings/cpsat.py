"""The CP-SAT model of one school's meetings calendar and its two lexicographic stages.

Variables: `x[r, s]` = request r holds a meeting in slot s (a week of one month, or a day: problem.Slot), for the
slots the problem allows (A4.3 instructional days, A4.1 Tuesdays). Constraints, one method per rule family, per
audience class (problem.py): A4.1 at most one pd/plt meeting a week; A4.2 at most one faculty-type meeting a week,
four a calendar month, thirty a school year; no two meetings of one family on one day per teacher (implied when the
weekly limit is 1, so then not posted; above 1, a scheduling choice beyond A4.3, docs/decisions.md) and A4.3's pd/plt
versus faculty-type pairs that cannot share a day. A sum that cannot
exceed its limit is not posted.

Stages: (1) as many meetings as the rules allow, each counted once per teacher who attends it (attendance); (2) with
that much fixed, the most even spread: each request's window is cut into `count` equal runs of its slots (weeks),
each should hold one meeting; the objective counts the meetings out of place.
Deterministic: one worker, a fixed seed, a deterministic time budget (like cpsat/solver.py).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

from ortools.sat.python import cp_model

from vastaff.cpsat.budget import Budget
from vastaff.interrupt import stoppable
from vastaff.meetings.problem import SchoolProblem, Slot

_STATUS = {cp_model.OPTIMAL: "OPTIMAL", cp_model.FEASIBLE: "FEASIBLE", cp_model.INFEASIBLE: "INFEASIBLE",
           cp_model.MODEL_INVALID: "MODEL_INVALID", cp_model.UNKNOWN: "UNKNOWN"}


class MeetingModel:
    """Variables and constraints of one school (or of one request alone, for explanations)."""

    def __init__(self, p: SchoolProblem, only: tuple[str, ...] | None = None):
        self.p, self.model = p, cp_model.CpModel()
        ids = [r for r in sorted(p.requests) if only is None or r in only]
        self.x = {(r, s): self.model.new_bool_var(f"x[{r},{s.week},{s.month},{s.day}]")
                  for r in ids for s in p.requests[r].slots}
        self.by_request: dict[str, list] = defaultdict(list)
        for (r, _), var in self.x.items():
            self.by_request[r].append(var)
        self.classes = sorted({tuple(r for r in c if r in ids) for c in p.classes} - {()})
        self.ids = ids
        for build in (self._counts, self._a4_1_weeks, self._a4_2_weeks, self._a4_2_months, self._a4_2_years,
                      self._a4_3_one_a_day, self._a4_3_conflicts):
            build()
        self.scheduled = sum(self.x.values())

    def _cap(self, c: tuple[str, ...], rule: str, unit: Callable[[Slot], object], limit: int) -> None:
        """Per class and unit (week, month, school year, day): the class's meetings of a rule family at most
        `limit`."""
        groups: dict = defaultdict(list)
        for r in c:
            if self.p.requests[r].rule == rule:
                for s in self.p.requests[r].slots:
                    groups[unit(s)].append(self.x[r, s])
        for terms in groups.values():
            if len(terms) > limit:
                self.model.add(sum(terms) <= limit)

    def _counts(self) -> None:
        """At most `count` meetings of a request."""
        for r, terms in self.by_request.items():
            if len(terms) > self.p.requests[r].count:
                self.model.add(sum(terms) <= self.p.requests[r].count)

    def _a4_1_weeks(self) -> None:
        """A4.1 (4.0 C(1)): at most one pd/plt meeting a week per teacher."""
        for c in self.classes:
            self._cap(c, "A4.1", lambda s: s.week, self.p.limits.pd_plt_per_week)

    def _a4_2_weeks(self) -> None:
        """A4.2 (4.0 C(2)): at most one faculty-type meeting a week per teacher."""
        for c in self.classes:
            self._cap(c, "A4.2", lambda s: s.week, self.p.limits.per_week)

    def _a4_2_months(self) -> None:
        """A4.2: at most four in a calendar month."""
        for c in self.classes:
            self._cap(c, "A4.2", lambda s: s.month, self.p.limits.per_month)

    def _a4_2_years(self) -> None:
        """A4.2: at most thirty in a school year."""
        start = self.p.limits.year_start_month
        for c in self.classes:
            self._cap(c, "A4.2", lambda s: s.school_year(start), self.p.limits.per_school_year)

    def _a4_3_one_a_day(self) -> None:
        """A4.3: no teacher in two meetings of one family on one day (each family's meetings share a start or one
        afternoon). Slots are days whenever a weekly limit is above 1 (problem.Slot)."""
        for c in self.classes:
            if self.p.limits.pd_plt_per_week > 1:
                self._cap(c, "A4.1", lambda s: s.day, 1)
            if self.p.limits.per_week > 1:
                self._cap(c, "A4.2", lambda s: s.day, 1)

    def _a4_3_conflicts(self) -> None:
        """A4.3: a pd/plt and a faculty-type meeting of one class that cannot both fit their day (slots are days
        then)."""
        slot_of = {(r, s.day): s for r, s in self.x}
        for a, b, d in self.p.conflicts:
            if (a, d) in slot_of and (b, d) in slot_of:
                self.model.add_at_most_one(self.x[a, slot_of[a, d]], self.x[b, slot_of[b, d]])

    def evenness(self) -> cp_model.LinearExpr:
        """Meetings out of place: each request's weeks cut into `count` equal runs, |meetings in a run - 1| summed
        (an even spread over the weeks of its window, and so over its months)."""
        terms = []
        for r, req in sorted(self.p.requests.items()):
            if r not in self.by_request or req.count < 2:
                continue
            for k, run in enumerate(self._runs(r)):
                terms.append(self._distance(f"run[{r},{k}]", [self.x[r, s] for s in run], 1, 1))
        return sum(terms)

    def _runs(self, r: str) -> list[list[Slot]]:
        """A request's slots in `count` runs of consecutive weeks (as equal in weeks as can be)."""
        req = self.p.requests[r]
        weeks = sorted({s.week for s in req.slots})
        runs = min(req.count, len(weeks))
        cut = [weeks[k * len(weeks) // runs] for k in range(runs)] + [dt.date.max]
        return [[s for s in req.slots if cut[k] <= s.week < cut[k + 1]] for k in range(runs)]

    def hint_even(self) -> None:
        """Hint a slot in the middle of each run of every request: the even spread, where the limits let it be."""
        middles = {(r, run[len(run) // 2]) for r in self.by_request for run in self._runs(r)}
        for key, var in self.x.items():
            self.model.add_hint(var, int(key in middles))

    def _distance(self, name: str, terms: list, low: int, high: int) -> cp_model.IntVar:
        """A variable at least how far sum(terms) lies outside low..high."""
        dev = self.model.new_int_var(0, max(len(terms), high), name)
        self.model.add(dev >= sum(terms) - high)
        self.model.add(dev >= low - sum(terms))
        return dev

    def slots_of(self, solver: cp_model.CpSolver) -> dict[str, list[Slot]]:
        """Request -> the slots it meets in, in order."""
        out: dict[str, list[Slot]] = defaultdict(list)
        for (r, s), var in self.x.items():
            if solver.value(var):
                out[r].append(s)
        return {r: sorted(v) for r, v in out.items()}


@dataclass
class Stage:
    name: str
    status: str
    value: int
    bound: int
    seconds: float


@dataclass
class SchoolCalendar:
    """One school's outcome: the days each request meets, and how each stage ended."""

    school_id: str
    slots: dict[str, list[Slot]]
    stages: list[Stage]

    @property
    def optimal(self) -> bool:
        return all(s.status == "OPTIMAL" for s in self.stages)


def solve_school(p: SchoolProblem, budget: Budget, alone: dict[str, int], seed: int = 0) -> SchoolCalendar:
    """Both stages for each independent part of the school: the pd/plt family and the faculty-type family share no
    limit unless slots are days (problem.Slot), and are then solved apart, each in its share of the budget."""
    parts = [tuple(sorted(p.requests))] if p.by_day else [
        ids for rule in ("A4.1", "A4.2") if (ids := tuple(r for r in sorted(p.requests) if p.requests[r].rule == rule))]
    slots: dict[str, list[Slot]] = {}
    stages: list[list[Stage]] = []
    for n, part in enumerate(parts):
        given = budget.work / (len(parts) - n)
        share = Budget(budget.deadline, given)
        found, done = _solve_part(MeetingModel(p, only=part), share, alone, seed)
        budget.spend(given - share.work)
        slots.update(found)
        stages.append(done)
    return SchoolCalendar(p.school_id, slots, [_total(group) for group in zip(*stages)] if stages else [])


def _total(group: tuple[Stage, ...]) -> Stage:
    """One stage over the parts: values and bounds summed, OPTIMAL only if every part proved it."""
    statuses = {s.status for s in group}
    status = "OPTIMAL" if statuses == {"OPTIMAL"} else "FEASIBLE" if statuses <= {"OPTIMAL", "FEASIBLE"} else "UNKNOWN"
    return Stage(group[0].name, status, sum(s.value for s in group), sum(s.bound for s in group),
                 sum(s.seconds for s in group))


def _solve_part(mm: MeetingModel, budget: Budget, alone: dict[str, int], seed: int
                ) -> tuple[dict[str, list[Slot]], list[Stage]]:
    """Stage 1, the most attendance (a meeting counts once per teacher of its audience, then once more to prefer
    more meetings on a tie); stage 2, with that much, the most even spread. `alone`: each request's most meetings
    by its own limits (problem.most_alone); a calendar reaching their sum stops stage 1."""
    requests = {r: mm.p.requests[r] for r in mm.ids}
    unit = 1 + sum(r.count for r in requests.values())
    weight = {r: req.teachers * unit + 1 for r, req in requests.items()}
    attendance = sum(var * weight[r] for (r, _), var in mm.x.items())
    mm.model.maximize(attendance)
    mm.hint_even()
    ceiling = sum(weight[r] * min(req.count, alone.get(r, 0)) for r, req in requests.items())
    first, solver = _run(mm.model, "attendance", budget, seed, last=False, sense=-1, floor=ceiling)
    if first.status not in ("OPTIMAL", "FEASIBLE"):
        return {}, [first, Stage("evenness", "UNKNOWN", 0, 0, 0.0)]
    found = mm.slots_of(solver)
    mm.model.clear_hints()
    for var in mm.x.values():
        mm.model.add_hint(var, int(solver.value(var)))
    mm.model.add(attendance >= first.value)
    mm.model.minimize(mm.evenness())
    second, solver2 = _run(mm.model, "evenness", budget, seed, last=True, sense=1, floor=0)
    if second.status in ("OPTIMAL", "FEASIBLE"):
        found = mm.slots_of(solver2)
    first = Stage(first.name, first.status, first.value // unit, first.bound // unit, first.seconds)
    return found, [first, second]


class _StopAt(cp_model.CpSolverSolutionCallback):
    """Stop when a solution reaches a bound known a priori (CP-SAT may not prove it fast on its own)."""

    def __init__(self, sense: int, floor: int):
        super().__init__()
        self.sense, self.floor = sense, floor

    def on_solution_callback(self) -> None:
        if self.sense * self.objective_value <= self.sense * self.floor:
            self.stop_search()


def _run(model: cp_model.CpModel, name: str, budget: Budget, seed: int, last: bool, sense: int, floor: int
         ) -> tuple[Stage, cp_model.CpSolver]:
    """One stage within its share of the budget; a solution at `floor` (a bound known a priori) is optimal."""
    share = budget.stage(last)
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.num_workers, prm.random_seed = 1, seed
    prm.max_deterministic_time = max(share.work, 0.1)
    prm.max_time_in_seconds = max(share.wall, 0.5)
    prm.catch_sigint_signal = False  # Ctrl-C is the run's (vastaff.interrupt)
    began = time.perf_counter()
    callback = _StopAt(sense, floor)
    with stoppable(solver):
        status = solver.solve(model, callback)
    budget.spend(solver.deterministic_time)
    status_name = _STATUS[status]
    if status_name in ("OPTIMAL", "FEASIBLE") and sense * solver.objective_value <= sense * floor:
        status_name = "OPTIMAL"
    has = status_name in ("OPTIMAL", "FEASIBLE")
    value = round(solver.objective_value) if has else 0
    bound = value if status_name == "OPTIMAL" else (round(solver.best_objective_bound) if has else 0)
    return Stage(name, status_name, value, bound, time.perf_counter() - began), solver
