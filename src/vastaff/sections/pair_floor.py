"""The lightest doubled periods a teacher can have: the live-group floor's search (docs/contract.md, 6.0 A(1)).

A teacher who must double d periods of a semester (`timetable_figures.forced_doubles`) puts two sections of one label
(`timetable_figures.sharing`: one subject, an ELD section that meets alone never) in each of them. No timetable
meets fewer students in its heaviest doubled period than the lightest heaviest pair of any d disjoint such pairs.

Where the school's timetable holds the doubled floor, every teacher doubles exactly their forced periods in each
semester, and a pair of two `year` sections doubles a period in *both* semesters: at most min(d₁, d₂) such pairs.
A teacher with one `year` pair to spare in semester 1 and none in semester 2 must pair a semester section instead
— on the 1,000-teacher tight district two schools' optimum (48) sat there, 2 above the floor without this rule.

Where the school's timetable also holds the singleton-clash floor, every semester's grade spreads its singletons
evenly: a grade with no more singletons than periods has at most one in each period, so two of them never pair.
"""

from __future__ import annotations

import math
from typing import NamedTuple


class Meeting(NamedTuple):
    """One section meeting in a semester, as the pairing sees it."""

    label: str
    year: bool
    enrollment: int
    alone_in: frozenset = frozenset()  # grades it holds as a singleton that must have a period to itself


def lightest_heaviest_pair(meetings: list[Meeting], pairs: int, year_pairs: int) -> int | None:
    """The smallest possible enrollment of the heaviest of `pairs` disjoint pairs, each of one label and sharing no
    grade of `alone_in`, at most `year_pairs` of them two `year` sections; None when `meetings` hold no such pairs.

    Branch and bound over pairs chosen in order of their lighter section (meetings sorted by enrollment, so a
    partner heavier than the best found ends the scan). Two choices that use the same meetings lead to the same state:
    it is searched again only with a lighter heaviest pair so far (on a 60-teacher tight school, 34,804 -> 19,780 calls
    of `grow`). A state whose relaxation (`_relaxed`: years and shared grades aside) cannot beat the best found is not
    searched: 20 meetings of one label took 12 s, now 15 ms; 24 meetings of two labels 10.8 s, now 9 ms.
    """
    items = sorted(meetings, key=lambda m: (m.enrollment, m.label, not m.year))
    n, best = len(items), math.inf
    seen: dict[tuple[int, int, int], int] = {}  # (used, start, year_left) -> the lightest heaviest searched from it
    sums = sorted({a.enrollment + b.enrollment for i, a in enumerate(items) for b in items[i + 1:]
                   if a.label == b.label})  # every pair size of one label: where `_relaxed` looks for its bound

    def grow(used: int, start: int, left: int, year_left: int, heaviest: int) -> None:
        nonlocal best
        if left == 0:
            best = heaviest
            return
        key = (used, start, year_left)  # `left` follows from `used`
        if seen.get(key, math.inf) <= heaviest:
            return
        seen[key] = heaviest
        if max(heaviest, _relaxed(items, used, start, left, sums)) >= best:
            return
        for i in range(start, n):
            if used >> i & 1:
                continue
            if n - i < 2 * left:  # not enough meetings left for the pairs still needed
                return
            a = items[i]
            for j in range(i + 1, n):
                b = items[j]
                weight = max(heaviest, a.enrollment + b.enrollment)
                if weight >= best:
                    break
                both_year = a.year and b.year
                if used >> j & 1 or b.label != a.label or (both_year and year_left == 0) or a.alone_in & b.alone_in:
                    continue
                grow(used | 1 << i | 1 << j, i + 1, left - 1, year_left - both_year, weight)

    if pairs > 0:
        grow(0, 0, pairs, year_pairs, 0)
    return None if best == math.inf else int(best)


def _relaxed(items: list[Meeting], used: int, start: int, left: int, sums: list[int]) -> float:
    """A lower bound of the heaviest of `left` more pairs, years and shared grades aside: the smallest pair size X (of
    `sums`, every pair size of one label) at which the free meetings hold `left` disjoint pairs of one label within X;
    inf when they never do."""
    by_label: dict[str, list[int]] = {}
    for k in range(start, len(items)):
        if not used >> k & 1:
            by_label.setdefault(items[k].label, []).append(items[k].enrollment)
    if sum(len(v) // 2 for v in by_label.values()) < left:
        return math.inf
    lo, hi = 0, len(sums)  # the first X of `sums` with enough pairs, by bisection (more pairs fit a larger X)
    while lo < hi:
        mid = (lo + hi) // 2
        if sum(_most_pairs_within(v, sums[mid]) for v in by_label.values()) >= left:
            hi = mid
        else:
            lo = mid + 1
    return sums[lo] if lo < len(sums) else math.inf


def _most_pairs_within(sizes: list[int], x: int) -> int:
    """The most disjoint pairs of `sizes` (ascending) each at most `x`: the heaviest pairs with the lightest when it
    fits, else sits out (no pair holds it) — the greedy that is optimal for a size threshold."""
    i, j, pairs = 0, len(sizes) - 1, 0
    while i < j:
        if sizes[i] + sizes[j] <= x:
            pairs, i = pairs + 1, i + 1
        j -= 1
    return pairs
