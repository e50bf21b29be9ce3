"""The state of the spread timetable's search (`sections.spread`): where each section meets, the counts the measures of
`sections.timetable_figures` are computed from, and what a set of moves would change — computed from the counts,
without making the moves (the search weighs thousands of moves for each one it makes).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from vastaff.contract import ContractModel
from vastaff.sections.timetable_figures import PeriodData, even_spread

ZERO = [0, 0, 0, 0, 0]
"""No change of (doubled, live groups above the floor, singleton clashes, grade overflow, Σ squared grade counts)."""

Moves = list[tuple["Section", int]]  # (section, the period index it goes to)


@dataclass(frozen=True, eq=False)
class Section:
    sid: str
    teacher: str
    terms: tuple[str, ...]
    label: str                        # sections of one label may share a period (`timetable_figures.sharing`)
    alone: bool                       # an ELD section that meets alone (A6.2)
    grades: tuple[tuple, ...]         # (term, grade) it holds
    singles: tuple[tuple, ...]        # (term, grade) where it is its course's only section holding the grade
    enrollment: int


class State:
    """The periods placed so far and the counts the measures are computed from.

    What a change weighs, lexicographically: first the teacher's side — doubled periods, then live groups above the
    largest live group's floor `live` (0 exactly when the largest live group is at its floor) —, then the grades' —
    singleton clashes, grade overflow (sections of a grade in a period beyond ⌈sections / periods⌉: 0 exactly when the
    grade-peak excess is 0), and Σ of the squared grade counts, not a measure: it spreads each grade evenly, which
    leaves room to clear the overflow. Why live groups before the grades, unlike the measures' order: a search proves
    clashes and grade peaks quickly but the live group slowly. Weighed in the measures' order, 11 of 22 ladder districts
    (tight 60-1,000 and standard 60-1,000, `--no-report`) needed a period search of 0.22-1.52 s, against 2 (0.02 and
    0.48 s).
    """

    def __init__(self, data: PeriodData, contract: ContractModel, live: int):
        self.n, self.live, self.k = data.n_periods, live, contract.max_sections_per_period
        self.at: dict[str, int] = {}
        self.slots: dict[tuple, list[Section]] = defaultdict(list)   # (teacher, term, period) -> sections
        self.load: dict[tuple, int] = defaultdict(int)                # (teacher, term, period) -> their enrollment
        self.held: dict[tuple, list[int]] = defaultdict(lambda: [0] * self.n)    # (term, grade) -> per period
        self.single: dict[tuple, list[int]] = defaultdict(lambda: [0] * self.n)  # the same, singleton sections
        self.holders: dict[tuple, list[Section]] = defaultdict(list)  # (term, grade) -> the sections holding it
        sizes = data.grades.assign(term=data.grades.term.astype(str)).groupby(["term", "grade"]).size()
        self.low = {key: int(even_spread(int(n), self.n)) for key, n in sizes.items()}

    def add(self, s: Section, p: int) -> None:
        for term in s.terms:
            self.slots[s.teacher, term, p].append(s)
            self.load[s.teacher, term, p] += s.enrollment
        for key in s.singles:
            self.single[key][p] += 1
        for key in s.grades:
            self.held[key][p] += 1
        self.at[s.sid] = p

    def remove(self, s: Section) -> None:
        p = self.at.pop(s.sid)
        for term in s.terms:
            self.slots[s.teacher, term, p].remove(s)
            self.load[s.teacher, term, p] -= s.enrollment
        for key in s.singles:
            self.single[key][p] -= 1
        for key in s.grades:
            self.held[key][p] -= 1

    def apply(self, moves: Moves) -> Moves:
        """Make the moves; returns the moves that undo them."""
        back = [(s, self.at[s.sid]) for s, _ in moves]
        for s, _ in moves:
            self.remove(s)
        for s, p in moves:
            self.add(s, p)
        return back

    def change(self, moves: Moves, exchange: bool = False) -> list[int]:
        """What the moves would change (see the class), from the counts alone; a section not placed yet is placed.
        `exchange`: the moves exchange two periods of one teacher, which changes nothing on the teacher's side."""
        slots, held, single = self._deltas(moves, exchange)
        return [*self._teacher_side(slots), *self._grade_side(held, single)]

    def lowers(self, moves: Moves, exchange: bool = False) -> bool:
        """`change(moves, exchange) < ZERO`, the grade side counted only when the teacher's side is even (most moves
        the search weighs double a period: the local search's hottest line)."""
        slots, held, single = self._deltas(moves, exchange)
        for d in self._teacher_side(slots):
            if d:
                return d < 0
        return next((d < 0 for d in self._grade_side(held, single) if d), False)

    def _deltas(self, moves: Moves, exchange: bool) -> tuple[dict, dict, dict]:
        """The moves' changes of the (teacher, term, period) slots (sections, enrollment), and of the grades' and the
        singletons' counts per period."""
        slots: dict[tuple, list[int]] = {}
        held: dict[tuple, int] = {}
        single: dict[tuple, int] = {}
        for s, q in moves:
            p = self.at.get(s.sid)
            if p == q:
                continue
            for term in () if exchange else s.terms:
                if p is not None:
                    _bump(slots, (s.teacher, term, p), -1, -s.enrollment)
                _bump(slots, (s.teacher, term, q), 1, s.enrollment)
            for counts, keys in ((held, s.grades), (single, s.singles)):
                for key in keys:
                    if p is not None:
                        counts[key, p] = counts.get((key, p), 0) - 1
                    counts[key, q] = counts.get((key, q), 0) + 1
        return slots, held, single

    def _teacher_side(self, slots: dict[tuple, list[int]]) -> tuple[int, int]:
        doubled = live = 0
        for slot, (dn, de) in slots.items():
            n, e = len(self.slots[slot]), self.load[slot]
            doubled += (n + dn > 1) - (n > 1)
            above, before = e + de - self.live, e - self.live
            live += (above if above > 0 else 0) - (before if before > 0 else 0)
        return doubled, live

    def _grade_side(self, held: dict[tuple, int], single: dict[tuple, int]) -> tuple[int, int, int]:
        """Changes of clashes (m·(m−1)/2 a period: d·(2m + d − 1)/2 for d more), overflow and Σ squares (d·(2h + d)),
        without max() or powers: the local search's hottest lines (the spread about 10 % faster)."""
        clashes = over = square = 0
        for (key, p), d in single.items():
            clashes += d * (2 * self.single[key][p] + d - 1) // 2
        for (key, p), d in held.items():
            h, low = self.held[key][p], self.low[key]
            above, before = h + d - low, h - low
            over += (above if above > 0 else 0) - (before if before > 0 else 0)
            square += d * (2 * h + d)
        return clashes, over, square

    def at_floors(self, doubled: int, clashes: int) -> bool:
        """Whether every measure the weights stand for is at its floor: `doubled` periods, `clashes`, no grade overflow,
        no live group above `live` (what is left, Σ squared grade counts, is no measure)."""
        slots = [(len(held), self.load[slot]) for slot, held in self.slots.items() if held]
        if sum(n > 1 for n, _ in slots) > doubled or any(load > self.live for _, load in slots):
            return False
        if any(h > self.low[key] for key, count in self.held.items() for h in count):
            return False
        return sum(m * (m - 1) // 2 for count in self.single.values() for m in count) <= clashes

    def fits(self, s: Section, p: int) -> bool:
        """A6.1/A6.2: `s` may join what its teacher has in period p in each of its semesters."""
        for term in s.terms:
            slot = [o for o in self.slots[s.teacher, term, p] if o is not s]
            if slot and (s.alone or len(slot) >= self.k or any(o.alone or o.label != s.label for o in slot)):
                return False
        return True

    def valid(self, moves: Moves) -> bool:
        """A6.1/A6.2 after the moves were made (an exchange of two periods keeps them whatever it moves)."""
        return all(self.fits(s, p) for s, p in moves)

    def free(self, s: Section, p: int) -> bool:
        return all(not self.slots[s.teacher, term, p] for term in s.terms)

    def doubled(self, s: Section) -> bool:
        """Does `s` share its period with another section of its teacher (in one of its semesters)?"""
        return any(len(self.slots[s.teacher, term, self.at[s.sid]]) > 1 for term in s.terms)

    def live_with(self, s: Section, p: int) -> int:
        """The largest group `s`'s teacher would meet in period p with `s` there."""
        return max(self.load[s.teacher, term, p] for term in s.terms) + s.enrollment

    def crowded(self) -> list[tuple[tuple, int, bool]]:
        """((term, grade), period, singletons?) where a measure is above what an even spread gives: the grade's
        sections beyond ⌈sections / periods⌉ (overflow), or its single-section courses at their most where another
        period holds two fewer (more clashes than the floor)."""
        over = [(key, p, False) for key, count in self.held.items() for p, held in enumerate(count)
                if held > self.low[key]]
        uneven = [(key, p, True) for key, count in self.single.items() if max(count) - min(count) > 1
                  for p, m in enumerate(count) if m == max(count)]
        return sorted(over + uneven)


def _bump(slots: dict[tuple, list[int]], slot: tuple, sections: int, enrollment: int) -> None:
    change = slots.setdefault(slot, [0, 0])
    change[0] += sections
    change[1] += enrollment
