"""The lightest doubled periods a teacher can have: the live-group floor's search (SPEC "Rotation periods", 6.0 A(1)).

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
    partner heavier than the best found ends the scan); a teacher's semester holds a dozen meetings at most. Two
    choices that use the same meetings lead to the same state: it is searched again only with a lighter heaviest pair
    so far (on a 60-teacher tight school, 34,804 -> 19,780 calls of `grow`).
    """
    items = sorted(meetings, key=lambda m: (m.enrollment, m.label, not m.year))
    n, best = len(items), math.inf
    seen: dict[tuple[int, int, int], int] = {}  # (used, start, year_left) -> the lightest heaviest searched from it

    def grow(used: int, start: int, left: int, year_left: int, heaviest: int) -> None:
        nonlocal best
        if left == 0:
            best = heaviest
            return
        key = (used, start, year_left)  # `left` follows from `used`
        if seen.get(key, math.inf) <= heaviest:
            return
        seen[key] = heaviest
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
