"""The CP-SAT period model of one school: x[section, period], the hard rules (each section one period, A6.1, A6.2,
the locks) and one objective expression per measure of `sections.timetable_figures.MEASURES` (docs/contract.md,
"The timetable"). `cpsat.timetable` searches it stage by stage.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from ortools.sat.python import cp_model

from vastaff.contract import ContractModel
from vastaff.cpsat.search_tools import set_hint
from vastaff.cpsat.timetable_locks import PeriodLocks
from vastaff.sections.timetable_figures import PeriodData, even_spread, forced_doubles, live_floor, sharing


class PeriodVars:
    """x[section, period]: the section meets in that academic period (one variable set for a `year` section); and the
    auxiliary variables, each with the value the periods imply, so that a hint is complete.

    Why complete: from x alone, CP-SAT's single worker needed up to 10 s to rebuild a 400-section school's hint.
    """

    def __init__(self, model: cp_model.CpModel, section_ids: list[str], period_ids: tuple[str, ...]):
        self.period_ids = period_ids
        self.x = {(s, p): model.new_bool_var(f"x[{s},{p}]") for s in section_ids for p in period_ids}
        self.implied: list[tuple[cp_model.IntVar, Callable[[dict[str, str]], int]]] = []

    def derived(self, var: cp_model.IntVar, value_of: Callable[[dict[str, str]], int]) -> cp_model.IntVar:
        """`var`, whose value in a timetable is `value_of(periods)` (section_id -> period_id)."""
        self.implied.append((var, value_of))
        return var

    def meets(self, section: str, period: str) -> cp_model.IntVar:
        return self.x[section, period]

    def count(self, section_ids, period: str) -> cp_model.LinearExpr:
        """How many of these sections meet in the period."""
        return sum(self.x[s, period] for s in section_ids)

    def hint(self, model: cp_model.CpModel, periods: dict[str, str]) -> None:
        """The timetable `periods` as a complete hint."""
        set_hint(model, [*((var, periods[s] == p) for (s, p), var in self.x.items()),
                         *((var, value_of(periods)) for var, value_of in self.implied)])

    def extract(self, solver: cp_model.CpSolver) -> dict[str, str]:
        return {s: p for (s, p), var in self.x.items() if solver.boolean_value(var)}


def _held(periods: dict[str, str], section_ids, period: str) -> int:
    """How many of these sections a timetable puts in the period."""
    return sum(periods[s] == period for s in section_ids)


@dataclass
class TimetableModel:
    model: cp_model.CpModel
    vars: PeriodVars
    stages: dict[str, cp_model.LinearExpr | int]  # measure name -> its expression (an int: nothing to decide)
    # measure -> an objective easier to search, 0 exactly when the measure is 0 (cpsat.timetable.Attempt.guided)
    guides: dict[str, cp_model.LinearExpr | int] = field(default_factory=dict)
    # measure -> (part, its least value): the parts of a measure at its floor, each at its own (`at_floor`)
    parts: dict[str, list[tuple[cp_model.LinearExpr, int]]] = field(default_factory=dict)

    def at_floor(self, name: str) -> None:
        """Every part of measure `name` at its least value: what the measure at its a-priori floor implies, and the
        stage's bound on the sum says only in total (`cpsat.timetable.PARTS_BEFORE`: where that helps a search)."""
        for part, least in self.parts.get(name, ()):
            self.model.add(part <= least)


def build_timetable_model(data: PeriodData, contract: ContractModel, locks: PeriodLocks | None = None,
                          live: int | None = None) -> TimetableModel:
    """The hard rules (and the locks), then one objective expression per measure of MEASURES and the grade peak's
    guide (`_grade_overflow`). `live`: the largest live group's floor for every timetable, when already computed
    (`live_floor` without the doubled floor: the variable's domain must hold before the doubled stage settles)."""
    model = cp_model.CpModel()
    v = PeriodVars(model, data.sections().section_id.tolist(), data.period_ids)
    _one_period_each(model, data, v)
    for sids, period in (locks.required if locks else ()):
        model.add_bool_or([v.meets(s, period) for s in sids])  # no section: an empty clause, never true
    for sid, period in (locks.forbidden if locks else ()):
        model.add(v.meets(sid, period) == 0)
    doubled = _a6_periods(model, data, v, contract)
    stages = {"doubled": sum(doubled.values(), start=0), "singleton_clashes": _singleton_clashes(model, data, v),
              "grade_peak_excess": _grade_peaks(model, data, v), "period_changes": _period_changes(model, data, v),
              "max_live_students": _live_groups(model, data, v, contract,
                                                live_floor(data, contract, at_doubled_floor=False) if live is None else live)}
    parts = {"doubled": _forced_per_semester(data, contract, doubled),
             "singleton_clashes": _even_singletons(data, v)}
    return TimetableModel(model, v, stages, {"grade_peak_excess": _grade_overflow(model, data, v)}, parts)


def _forced_per_semester(data: PeriodData, contract: ContractModel,
                         doubled: dict[tuple[str, str], cp_model.LinearExpr]):
    """The doubled periods at their floor (A6.1 6.0 A(1)): each teacher and semester doubles no more than its forced
    periods (`forced_doubles`), since none can double fewer and the floor is their sum."""
    forced = forced_doubles(data, contract)
    return [(expr, int(forced.at[teacher, term])) for (teacher, term), expr in sorted(doubled.items())]


def _even_singletons(data: PeriodData, v: PeriodVars):
    """The singleton clashes at their floor: m·(m−1)/2 is strictly convex, so the least sum over the periods is
    reached only where each semester's grade holds at most ⌈singletons / periods⌉ of them in every period."""
    parts = []
    for _, group in data.singletons.groupby(["term", "grade"], sort=True):
        sids, most = tuple(group.section_id), even_spread(len(group), data.n_periods)
        parts += [(v.count(sids, p), most) for p in data.period_ids] if len(sids) > most else []
    return parts


def _one_period_each(model: cp_model.CpModel, data: PeriodData, v: PeriodVars) -> None:
    """Every timetabled section meets in exactly one academic period (a year section: the same in both semesters)."""
    for section_id in data.sections().section_id:
        model.add_exactly_one(v.meets(section_id, p) for p in data.period_ids)


def _a6_periods(model: cp_model.CpModel, data: PeriodData, v: PeriodVars, contract: ContractModel):
    """A6.1 6.0 A(1), A6.2 6.0 A(2): per teacher, semester and period at most k sections, of one subject, and an ELD
    section alone. Returns the doubled periods per (teacher, semester): its periods holding more than one section."""
    k, doubled = contract.max_sections_per_period, {}
    for (teacher, term), group in sharing(data, contract).groupby(["teacher_id", "term"], sort=True):
        labels: dict[str, list[str]] = {}
        for sid, label in zip(group.section_id, group.label):
            labels.setdefault(label, []).append(sid)
        held = tuple(group.section_id)
        for p in data.period_ids:
            if len(labels) > 1:
                used = []
                for label, sids in sorted(labels.items()):
                    u = v.derived(model.new_bool_var(f"uses[{teacher},{term},{p},{label}]"),
                                  lambda periods, sids=sids, p=p: _held(periods, sids, p) > 0)
                    for sid in sids:
                        model.add_implication(v.meets(sid, p), u)
                    used.append(u)
                model.add_at_most_one(used)
            if len(held) < 2:
                continue
            if k < 2:
                model.add(v.count(held, p) <= 1)
                continue
            d = v.derived(model.new_bool_var(f"doubled[{teacher},{term},{p}]"),
                          lambda periods, p=p, held=held: _held(periods, held, p) > 1)
            model.add(v.count(held, p) <= 1 + (k - 1) * d)
            doubled[teacher, term] = doubled.get((teacher, term), 0) + d
    return doubled


def _singleton_clashes(model: cp_model.CpModel, data: PeriodData, v: PeriodVars):
    """Per semester, grade and period: pairs among the single-section courses of that grade meeting there.

    m sections in a period make m(m−1)/2 pairs, a convex function of m: its tangents at 1..M−1 bound it from below
    and are tight at integers, so a minimised `pairs` equals it.
    """
    terms = []
    for (term, grade), group in data.singletons.groupby(["term", "grade"], sort=True):
        m, sids = len(group), tuple(group.section_id)
        for p in data.period_ids if m > 1 else ():
            meeting = v.count(sids, p)
            pairs = v.derived(model.new_int_var(0, m * (m - 1) // 2, f"clashes[{term},{grade},{p}]"),
                              lambda periods, sids=sids, p=p: math.comb(_held(periods, sids, p), 2))
            for j in range(1, m):
                model.add(pairs >= j * meeting - j * (j + 1) // 2)
            terms.append(pairs)
    return sum(terms)


def _uneven_grades(data: PeriodData):
    """(term, grade, sections, ⌈sections / periods⌉, section ids) of each semester's grade a timetable can spread
    unevenly (a grade with no more sections than its even spread peaks at it whatever the timetable)."""
    for (term, grade), group in data.grades.groupby(["term", "grade"], sort=True):
        n, low = len(group), even_spread(len(group), data.n_periods)
        if n > low:
            yield term, grade, n, low, tuple(group.section_id)


def _grade_peaks(model: cp_model.CpModel, data: PeriodData, v: PeriodVars):
    """Per semester and grade: the most sections holding it in one period, above ⌈sections / periods⌉."""
    terms = []
    for term, grade, n, low, sids in _uneven_grades(data):
        peak = v.derived(model.new_int_var(low, n, f"peak[{term},{grade}]"),
                         lambda periods, sids=sids: max(_held(periods, sids, p) for p in data.period_ids))
        for p in data.period_ids:
            model.add(peak >= v.count(sids, p))
        terms.append(peak - low)
    return sum(terms)


def _grade_overflow(model: cp_model.CpModel, data: PeriodData, v: PeriodVars):
    """Per semester, grade and period: sections holding the grade there beyond ⌈sections / periods⌉ — 0 exactly when
    the grade-peak excess is 0, and a search's guide towards it (each period's overflow counts, where the excess of a
    sum of maxima moves only when a grade's fullest period empties)."""
    terms = []
    for term, grade, n, low, sids in _uneven_grades(data):
        for p in data.period_ids:
            over = v.derived(model.new_int_var(0, n - low, f"overflow[{term},{grade},{p}]"),
                             lambda periods, sids=sids, p=p, low=low: max(0, _held(periods, sids, p) - low))
            model.add(over >= v.count(sids, p) - low)
            terms.append(over)
    return sum(terms)


def _period_changes(model: cp_model.CpModel, data: PeriodData, v: PeriodVars):
    """Sections a teacher keeps in a course that do not keep a previous period of theirs (`--previous`)."""
    mine = data.sections().groupby(["teacher_id", "course_id"], sort=True).section_id.agg(list).to_dict()
    terms = []
    for key, periods in sorted(data.previous.items()):
        sids, then = mine.get(key), Counter(periods)
        if not sids:
            continue
        kept = []
        for p, n in sorted(then.items()):
            if p in data.period_ids:
                k = v.derived(model.new_int_var(0, min(n, len(sids)), f"kept[{key[0]},{key[1]},{p}]"),
                              lambda periods, sids=sids, p=p, n=n: min(n, _held(periods, sids, p)))
                model.add(k <= v.count(sids, p))
                kept.append(k)
        terms.append(min(len(sids), then.total()) - sum(kept))
    return sum(terms)


def _live_groups(model: cp_model.CpModel, data: PeriodData, v: PeriodVars, contract: ContractModel, floor: int):
    """The largest enrollment one teacher meets at once (one semester, one period); at least the largest section.

    Only sections that may share a period (A6.1, A6.2: one subject, never an ELD section) can meet together."""
    groups = [g for _, g in sharing(data, contract).groupby(["teacher_id", "term", "label"], sort=True) if len(g) > 1]
    sizes = [dict(zip(g.section_id, g.enrollment.astype(int))) for g in groups]
    if not sizes:
        return floor
    largest = v.derived(model.new_int_var(floor, max(floor, max(sum(e.values()) for e in sizes)), "max_live"),
                        lambda periods: max([floor] + [sum(n for s, n in e.items() if periods[s] == p)
                                                       for e in sizes for p in data.period_ids]))
    for e in sizes:
        for p in data.period_ids:
            model.add(largest >= sum(n * v.meets(s, p) for s, n in e.items()))
    return largest
