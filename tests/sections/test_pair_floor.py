"""The lightest heaviest doubled pair (`sections.pair_floor`): hand-counted cases and every matching by brute force."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from vastaff.check.timetable import _lightest_limit
from vastaff.sections.pair_floor import Meeting, lightest_heaviest_pair


def sem(size: int, label: str = "math") -> Meeting:
    return Meeting(label, False, size)


def year(size: int, label: str = "math") -> Meeting:
    return Meeting(label, True, size)


def test_two_year_sections_pair_only_where_year_pairs_are_allowed():
    # Five semester sections of 25 and two year sections of 23: the year pair (46) is the lightest, but with no
    # year pair to spare a 25 must share with a 23 (48).
    meetings = [sem(25)] * 5 + [year(23), year(23)]
    assert lightest_heaviest_pair(meetings, 1, 1) == 46
    assert lightest_heaviest_pair(meetings, 1, 0) == 48


def test_pairs_are_of_one_label():
    # The two lightest sections are of different subjects: each must pair within its own subject.
    meetings = [sem(10, "math"), sem(11, "art"), sem(30, "math"), sem(40, "art")]
    assert lightest_heaviest_pair(meetings, 1, 1) == 40
    assert lightest_heaviest_pair(meetings, 2, 2) == 51


def test_smallest_with_largest_among_the_lightest():
    # Two pairs from 10, 20, 21, 22, 23: 10 + 22 and 20 + 21 -> 41 (not 10 + 20 and 21 + 22 = 43).
    assert lightest_heaviest_pair([sem(n) for n in (10, 22, 20, 21, 23)], 2, 2) == 41


def test_two_singletons_alone_in_one_grade_never_pair():
    # The two lightest hold grade 9 as singletons that must meet apart (at the singleton-clash floor): each pairs
    # with a grade-10 section instead, 5 + 12 = 17 (the two grade-10 ones apart as well).
    nine, ten = frozenset({9}), frozenset({10})
    meetings = [Meeting("wl", False, 5, nine), Meeting("wl", False, 6, nine), Meeting("wl", False, 12, ten),
                Meeting("wl", False, 14, ten)]
    assert lightest_heaviest_pair(meetings, 1, 1) == 17
    assert lightest_heaviest_pair(meetings, 2, 2) == 19  # 5 + 14 and 6 + 12, not 5 + 12 and 6 + 14
    assert lightest_heaviest_pair([m._replace(alone_in=frozenset()) for m in meetings], 1, 1) == 11


def test_none_when_the_pairs_do_not_exist():
    assert lightest_heaviest_pair([sem(10, "math"), sem(10, "art")], 1, 1) is None
    assert lightest_heaviest_pair([year(10), year(12)], 1, 0) is None
    assert lightest_heaviest_pair([sem(10), sem(12), sem(14)], 2, 2) is None
    assert lightest_heaviest_pair([sem(10)], 0, 0) is None


def brute_force(meetings: list[Meeting], pairs: int, year_pairs: int) -> int | None:
    """Every set of `pairs` disjoint allowed pairs, the lightest heaviest one."""
    allowed = [(i, j) for i, j in combinations(range(len(meetings)), 2)
               if meetings[i].label == meetings[j].label and not meetings[i].alone_in & meetings[j].alone_in]
    best = None
    for chosen in combinations(allowed, pairs):
        used = [k for pair in chosen for k in pair]
        years = sum(meetings[i].year and meetings[j].year for i, j in chosen)
        if len(set(used)) == len(used) and years <= year_pairs:
            heaviest = max(meetings[i].enrollment + meetings[j].enrollment for i, j in chosen)
            best = heaviest if best is None else min(best, heaviest)
    return best


meeting = st.builds(Meeting, st.sampled_from(["math", "art"]), st.booleans(), st.integers(1, 40),
                    st.frozensets(st.sampled_from([9, 10]), max_size=2))


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(meeting, max_size=8), st.integers(1, 3), st.integers(0, 3))
def test_equals_every_matching_by_brute_force(meetings, pairs, year_pairs):
    assert lightest_heaviest_pair(meetings, pairs, year_pairs) == brute_force(meetings, pairs, year_pairs)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.integers(1, 40), min_size=2, max_size=24), st.data())
def test_one_label_many_meetings_is_the_lightest_paired_smallest_with_largest(sizes, data):
    """One subject, no year limit, no shared singleton grade: the floor is the 2p lightest sections paired lightest
    with heaviest (the classic min-max pairing). Twenty such sections took 12 s before the relaxation bound; here
    up to 24 (a 12-period school's teacher with every period doubled)."""
    pairs = data.draw(st.integers(1, len(sizes) // 2))
    lightest = sorted(sizes)[:2 * pairs]
    expected = max(lightest[k] + lightest[2 * pairs - 1 - k] for k in range(pairs))
    assert lightest_heaviest_pair([sem(n) for n in sizes], pairs, pairs) == expected


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(meeting, min_size=12, max_size=18), st.integers(3, 9), st.integers(0, 9))
def test_larger_mixes_agree_with_the_checkers_twin(meetings, pairs, year_pairs):
    """Two subjects, years and shared singleton grades, 12-18 sections — too many for the brute force: the same floor
    as the checker's own search (check/timetable.py, a threshold search written apart)."""
    twin = _lightest_limit([(m.label, m.year, m.enrollment, m.alone_in) for m in meetings], pairs, year_pairs)
    assert lightest_heaviest_pair(meetings, pairs, year_pairs) == twin
