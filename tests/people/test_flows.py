"""The transportation helpers that the IEP rotation and the caseloads share (vastaff.people.flows)."""

import numpy as np

from vastaff.people.flows import compact_codes, hall_shortage, sorted_unique, window_flow


def test_compact_codes_rank_values_among_the_distinct_ones():
    codes, k = compact_codes(np.array([30, 10, 30, 20]))
    assert codes.tolist() == [2, 0, 2, 1] and k == 3
    codes, k = compact_codes(np.array(["T2", "T1", "T2"], dtype=object))
    assert codes.tolist() == [1, 0, 1] and k == 2
    assert sorted_unique(np.array([], dtype=np.int64)).size == 0


def test_hall_shortage_names_the_left_nodes_their_neighbours_cannot_take():
    # grade 9 (3 students) and 10 (2) share R1; grade 11 (1) has R2 alone; cap 2: {9, 10} need 5 > 2.
    supply = {9: 3, 10: 2, 11: 1}
    edges = [(9, "R1"), (10, "R1"), (11, "R2")]
    assert hall_shortage(supply, edges, capacity=2) == ([9, 10], ["R1"])
    assert hall_shortage(supply, edges, capacity=5) is None  # control: enough room


def test_window_flow_keeps_every_count_in_the_window_at_least_cost():
    # Two left nodes of 2 units each, both may go to right 0 (cost 1) or right 1 (cost 5).
    tails, heads = np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])
    capacity, cost, supply = np.full(4, 2), np.array([1, 5, 1, 5]), np.array([2, 2])
    cheapest, flows = window_flow(tails, heads, capacity, cost, supply, n_right=2, lo=0, hi=4)
    assert (cheapest, flows.tolist()) == (4, [2, 0, 2, 0])
    cheapest, flows = window_flow(tails, heads, capacity, cost, supply, n_right=2, lo=2, hi=2)
    assert cheapest == 12 and flows.reshape(2, 2).sum(axis=0).tolist() == [2, 2]
    assert window_flow(tails, heads, capacity, cost, supply, n_right=2, lo=3, hi=3) is None
