"""The spread search's state (sections/spread_state.py): what a set of moves would change, computed from the counts
without making them, must be what making them changes."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from tests.sections.test_spread import CONTRACT, small_schools
from vastaff.sections.spread import _empty_state


def weights(state) -> list[int]:
    """What `State` weighs, counted over the whole state: doubled slots, enrollment above the live floor, singleton
    clashes, grade overflow and the sum of squared grade counts."""
    slots = [(len(held), state.load[slot]) for slot, held in state.slots.items() if held]
    return [sum(n > 1 for n, _ in slots), sum(max(0, load - state.live) for _, load in slots),
            sum(m * (m - 1) // 2 for count in state.single.values() for m in count),
            sum(max(0, h - state.low[key]) for key, count in state.held.items() for h in count),
            sum(h * h for count in state.held.values() for h in count)]


@settings(max_examples=80, deadline=None, derandomize=True)
@given(small_schools(), st.randoms(use_true_random=False), st.integers(0, 40))
def test_a_moves_change_is_what_making_it_changes(data, rnd, live):
    sections, state, _ = _empty_state(data, CONTRACT, live)
    for s in sections:
        state.add(s, rnd.randrange(state.n))
    moves = [(s, rnd.randrange(state.n)) for s in rnd.sample(sections, rnd.randint(1, min(3, len(sections))))]
    before, expected = weights(state), state.change(moves)
    back = state.apply(moves)
    assert [a - b for a, b in zip(weights(state), before)] == expected
    assert state.lowers(back) == (state.change(back) < [0] * 5)  # undoing them, weighed the short way
