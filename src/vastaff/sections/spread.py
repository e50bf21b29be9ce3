"""A timetable without a solver: each teacher's sections spread over the academic periods, then improved by local
moves — the period stages' first hint (docs/contract.md, "The timetable"; 6.0 A(1)-(2)).

Why: the clerk's first-fit packing (`decode.pack_periods`) fills a subject's period before opening another, so it
doubles periods a teacher has free; every CP-SAT stage then spent its time repairing it (on a 1,000-teacher district
~20 of the run's ~26 stage seconds). A hint already at a measure's a-priori floor settles that stage with no search.

The construction places each teacher's sections (year ones first, ELD ones that meet alone next) in a period free
in all their semesters where one is left — the one adding the fewest singleton clashes, then grade overflow — and
doubles a period (one subject, at most max_sections_per_period) only when none is. The local search then exchanges two
periods of one teacher (everything the teacher has in them: no teacher-side measure changes), moves one section into
another period of its teacher where A6.1/A6.2 allow, or swaps two of a teacher's sections where one shares its period,
keeping a change only when it lowers what `spread_state.State` weighs, lexicographically: doubled periods, live groups
above their floor, singleton clashes, grade overflow (0 exactly when the grade-peak excess is 0), then an even spread
of each grade. Where no single teacher's move helps, a crowded grade gets a move of two teachers (`_kick`).
Deterministic: fixed orders, no randomness.
"""

from __future__ import annotations

from collections import defaultdict

from vastaff.contract import ContractModel
from vastaff.interrupt import stop_requested
from vastaff.sections.decode import first_fit
from vastaff.sections.spread_state import ZERO, Moves, Section, State
from vastaff.sections.timetable_figures import PeriodData, floors, measures, sharing

MAX_PASSES = 30
"""Rounds of the local search at most (it stops earlier when a round changes nothing): the first over all teachers,
each later one over the teachers the round before could have made a move worth making for."""

ORDERS = (sorted, lambda teachers: sorted(teachers, reverse=True),
          lambda teachers: sorted(teachers, key=lambda t: (-len(teachers[t]), t)))
"""The orders in which the construction places teachers: the next is tried only while the best so far is above the
doubled, clash or grade-peak floor (the tight districts of 300 teachers: 4 of 5 such schools reached every floor with
the second order; each start is 0.04-0.12 s there)."""


def spread_periods(data: PeriodData, contract: ContractModel, low: dict[str, int] | None = None
                   ) -> dict[str, str] | None:
    """section_id -> period_id for every timetabled section, A6.1 and A6.2 holding; None when some teacher's sections
    do not fit at all. A teacher whose sections the construction cannot place (its greedy order can spend a free
    period a later section needed) starts from their first-fit packing, which fits whenever the counts are within the
    section model's bound. The best of the constructions in `ORDERS` (lexicographically in the measures' order);
    `low`: the school's `floors`, when already computed."""
    low = floors(data, contract) if low is None else low
    best, best_key = None, None
    for order in ORDERS:
        found = _spread_once(data, contract, low, order)
        if found is None:
            return None
        got = measures(data, found)
        key = [got[k] for k in ("doubled", "singleton_clashes", "grade_peak_excess", "max_live_students")]
        if best_key is None or key < best_key:
            best, best_key = found, key
        if (got["doubled"] <= low["doubled"] and got["singleton_clashes"] <= low["singleton_clashes"]
                and got["grade_peak_excess"] == 0) or stop_requested():
            break
    return best


def _spread_once(data: PeriodData, contract: ContractModel, low: dict[str, int], order) -> dict[str, str] | None:
    """One construction, teachers in `order`, then the local moves."""
    sections, state, by_teacher = _empty_state(data, contract, low["max_live_students"])
    packed = None
    for teacher in order(by_teacher):
        if not all([_place_best(state, s) for s in sorted(by_teacher[teacher], key=_placing_order)]):
            packed = first_fit(data, contract) if packed is None else packed
            if packed is None:
                return None
            mine = by_teacher[teacher]
            state.apply([(s, data.period_ids.index(packed[s.sid])) for s in mine if s.sid in state.at])
            for s in mine:
                if s.sid not in state.at:
                    state.add(s, data.period_ids.index(packed[s.sid]))
    _search(state, by_teacher, low)
    return {s.sid: data.period_ids[state.at[s.sid]] for s in sections}


def polish(data: PeriodData, contract: ContractModel, periods: dict[str, str], low: dict[str, int]) -> dict[str, str]:
    """`periods` (every timetabled section placed, A6.1/A6.2 holding) after the spread's local moves: what a CP-SAT
    stage found, with what the moves can still lower of the measures after it (e.g. the largest live group once the
    grade peaks moved sections); never worse in the spread's weights (`State`). `low`: the school's `floors`."""
    sections, state, by_teacher = _empty_state(data, contract, low["max_live_students"])
    for s in sections:
        state.add(s, data.period_ids.index(periods[s.sid]))
    _search(state, by_teacher, low)
    return {s.sid: data.period_ids[state.at[s.sid]] for s in sections}


def _empty_state(data: PeriodData, contract: ContractModel,
                 live: int) -> tuple[list[Section], State, dict[str, list[Section]]]:
    """The school's sections, a State with none placed (who holds each grade known), and the sections by teacher."""
    sections = _sections(data, contract)
    state = State(data, contract, live)
    by_teacher: dict[str, list[Section]] = defaultdict(list)
    for s in sections:
        by_teacher[s.teacher].append(s)
        for key in s.grades:
            state.holders[key].append(s)
    return sections, state, by_teacher


def _search(state: State, by_teacher: dict[str, list[Section]], low: dict[str, int] | None = None) -> None:
    """Rounds of local moves until one changes nothing, or (`low`: the school's floors) every measure is at its
    floor — the moves would only even out the grades further."""
    restless = set(by_teacher)  # teachers whose moves may have become worth making
    for _ in range(MAX_PASSES):
        if stop_requested():
            break  # a stopped run: the timetable so far (every state of it keeps A6.1/A6.2)
        if low is not None and state.at_floors(low["doubled"], low["singleton_clashes"]):
            break
        moved = {teacher for teacher in sorted(restless) if _improve(state, by_teacher[teacher])}
        if not moved:
            moved = _kick(state, by_teacher)
        if not moved:
            break
        restless = _neighbours(state, moved, by_teacher)


def _placing_order(s: Section):
    """Year sections first (they need a period free in both semesters), then ELD sections that meet alone, then the
    ones holding most single-section grades."""
    return len(s.terms) < 2, not s.alone, -len(s.singles), -len(s.grades), s.sid


def _sections(data: PeriodData, contract: ContractModel) -> list[Section]:
    m = sharing(data, contract)
    terms, grades, singles = defaultdict(list), defaultdict(list), defaultdict(list)
    for sid, term in zip(m.section_id, m.term):
        terms[sid].append(str(term))
    for sid, term, grade in zip(data.grades.section_id, data.grades.term, data.grades.grade):
        grades[sid].append((str(term), grade))
    for sid, term, grade in zip(data.singletons.section_id, data.singletons.term, data.singletons.grade):
        singles[sid].append((str(term), grade))
    first = m.drop_duplicates("section_id")
    return [Section(sid, teacher, tuple(sorted(terms[sid])), label, bool(a), tuple(grades[sid]), tuple(singles[sid]),
                    int(n))
            for sid, teacher, label, a, n in zip(first.section_id, first.teacher_id, first.label, first.alone,
                                                 first.enrollment)]


def _place_best(state: State, s: Section) -> bool:
    """Put `s` in the free period that costs least; if none is free, double the period that costs least (then the
    smallest live group). False: nowhere (the caller re-places the teacher's sections)."""
    free = [p for p in range(state.n) if state.free(s, p)]
    options = free or [p for p in range(state.n) if state.fits(s, p)]
    if not options:
        return False
    state.add(s, min(options, key=lambda p: (state.change([(s, p)]), state.live_with(s, p), p)))
    return True


def _improve(state: State, mine: list[Section]) -> bool:
    """One round of moves over one teacher's periods; True when something got better."""
    return any([_try(state, moves, exchange) for moves, exchange in _moves(state, mine)])


def _moves(state: State, mine: list[Section], periods: tuple[int, ...] | None = None):
    """A teacher's moves, generated as the ones before are made, each with whether it exchanges two periods: every
    exchange of two periods (one of `periods`, if given), every section (in one of `periods`) into another period
    where A6.1/A6.2 allow, every two sections in different periods swapped where one of them shares its period (what
    an exchange cannot do: a lighter pair for the live group)."""
    n, at = state.n, state.at
    periods = tuple(range(n)) if periods is None else periods
    for p in range(n):
        for q in range(p + 1, n):
            if p in periods or q in periods:
                exchange = [(s, q if at[s.sid] == p else p) for s in mine if at[s.sid] in (p, q)]
                if exchange:
                    yield exchange, True
    for s in mine:
        if at[s.sid] in periods:
            yield from (([(s, q)], False) for q in range(n) if q != at[s.sid] and state.fits(s, q))
    for i, s in enumerate(mine):
        for o in mine[i + 1:]:
            if (at[s.sid] != at[o.sid] and (at[s.sid] in periods or at[o.sid] in periods)
                    and (state.doubled(s) or state.doubled(o))):
                yield [(s, at[o.sid]), (o, at[s.sid])], False


def _try(state: State, moves: Moves, exchange: bool = False, before: list[int] = ZERO) -> bool:
    """Make the moves if, with `before` (moves already made), they lower what `State` weighs, lexicographically, and
    A6.1/A6.2 hold; otherwise leave everything as it was. `exchange`: see `State.change`."""
    if before is ZERO:
        if not state.lowers(moves, exchange):
            return False
    elif [a + b for a, b in zip(before, state.change(moves, exchange))] >= ZERO:
        return False
    back = state.apply(moves)
    if state.valid(moves):
        return True
    state.apply(back)
    return False


def _neighbours(state: State, moved: set[str], by_teacher: dict[str, list[Section]]) -> set[str]:
    """The teachers of `moved` and those holding a grade one of their sections holds: whose moves' worth the moves of
    `moved` changed."""
    keys = {key for teacher in moved for s in by_teacher[teacher] for key in s.grades}
    return moved | {o.teacher for key in keys for o in state.holders[key]}


def _kick(state: State, by_teacher: dict[str, list[Section]]) -> set[str]:
    """Where the moves of one teacher are stuck: a move of a section where a grade is crowded (`State.crowded`), then
    one move of another teacher in the periods it touched, kept when the pair lowers what `State` weighs; returns the
    two teachers (none: nothing found)."""
    for key, p, singles in state.crowded():
        for s in sorted((o for o in state.holders[key] if state.at[o.sid] == p and (not singles or key in o.singles)),
                        key=lambda o: o.sid):
            for first, exchange in list(_moves(state, by_teacher[s.teacher], (p,))):
                if all(m is not s for m, _ in first):
                    continue
                one = state.change(first, exchange)
                back = state.apply(first)
                touched = tuple(sorted({p, *(q for _, q in first)}))
                if state.valid(first):
                    for other in _sharing(state, first, touched):
                        if any(_try(state, second, swaps, one)
                               for second, swaps in list(_moves(state, by_teacher[other], touched))):
                            return {s.teacher, other}
                state.apply(back)
    return set()


def _sharing(state: State, moves: Moves, periods: tuple[int, ...]) -> list[str]:
    """Other teachers with a section in `periods` holding a grade the moved sections hold."""
    moved = {m.teacher for m, _ in moves}
    keys = {key for m, _ in moves for key in m.grades}
    return sorted({o.teacher for key in keys for o in state.holders[key]
                   if o.teacher not in moved and state.at[o.sid] in periods})
