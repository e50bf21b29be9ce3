"""What the IEP rotation (A7.1/A7.2) and the caseloads (A7.3) share: both are transportation problems.

Meetings or students (the left side, each with a supply) go along eligible pairs to teachers or specialists (the
right side, each taking at most a capacity), so both code their IDs as small integers for the flow solvers and both
explain infeasibility with Hall's theorem: a set of left nodes whose supply exceeds what its neighbours can take.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique by sorting (numpy's hash-based unique is slower on millions of int64)."""
    values = np.sort(values, kind="stable")
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def compact_codes(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Each value's rank among the distinct values (0..k-1, in sorted order), and k."""
    distinct = sorted_unique(values)
    return np.searchsorted(distinct, values).astype(np.int32), len(distinct)


def window_flow(tails: np.ndarray, heads: np.ndarray, capacity: np.ndarray, cost: np.ndarray, supply: np.ndarray,
                n_right: int, lo: int, hi: int) -> tuple[int, np.ndarray] | None:
    """The cheapest flow sending each left node's `supply` along arcs tails[i] -> heads[i] (left codes -> right codes,
    with `capacity` and unit `cost`) so that every right node receives between lo and hi units: its cost and the
    flow on each arc; None when no flow keeps every count within [lo, hi].

    The lower bound is a node demand: each right node takes lo and may pass hi - lo more on to one sink, which takes
    what is left. Raises OverflowError when the costs are too wide for the flow solver.
    """
    supply = np.asarray(supply, dtype=np.int64)
    n_left, total = len(supply), int(supply.sum())
    sink = n_left + n_right
    right = np.arange(n_right, dtype=np.int32) + n_left
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(np.asarray(tails, dtype=np.int32),
                                              (np.asarray(heads) + n_left).astype(np.int32),
                                              np.asarray(capacity, dtype=np.int64), np.asarray(cost, dtype=np.int64))
    flow.add_arcs_with_capacity_and_unit_cost(right, np.full(n_right, sink, dtype=np.int32),
                                              np.full(n_right, hi - lo, dtype=np.int64),
                                              np.zeros(n_right, dtype=np.int64))
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), np.concatenate([
        supply, np.full(n_right, -lo, dtype=np.int64), [-(total - lo * n_right)]]))
    status = flow.solve()
    if status == flow.INFEASIBLE:
        return None
    if status != flow.OPTIMAL:
        raise OverflowError("costs too wide for the min-cost flow solver")
    return flow.optimal_cost(), flow.flows(np.arange(len(tails), dtype=np.int32))


def hall_shortage(supply: Mapping[Hashable, int], edges: Iterable[tuple[Hashable, Hashable]],
                  capacity: int) -> tuple[list, list] | None:
    """Hall's theorem on a transportation problem: None when every unit of `supply` can go along `edges` to right
    nodes taking at most `capacity` each; else a set of left nodes whose supply exceeds what its neighbours can take,
    and those neighbours (both sorted).

    Max-flow source → left → right → sink; the set is the source side of the minimum cut (edges cannot be cut, so
    every neighbour of the set is on the source side too).
    """
    edges = list(edges)
    left, right = sorted(supply), sorted({r for _, r in edges})
    left_node = {x: 1 + i for i, x in enumerate(left)}
    right_node = {x: 1 + len(left) + i for i, x in enumerate(right)}
    sink = 1 + len(left) + len(right)
    total = sum(supply.values())
    flow = max_flow.SimpleMaxFlow()
    for x in left:
        flow.add_arc_with_capacity(0, left_node[x], int(supply[x]))
    for x, y in edges:
        flow.add_arc_with_capacity(left_node[x], right_node[y], total + 1)
    for y in right:
        flow.add_arc_with_capacity(right_node[y], sink, capacity)
    flow.solve(0, sink)
    if flow.optimal_flow() >= total:
        return None
    side = set(flow.get_source_side_min_cut())
    return [x for x in left if left_node[x] in side], [y for y in right if right_node[y] in side]
