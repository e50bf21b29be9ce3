"""Seniority-stable assignment of teachers to sites (A24, A25): teacher-proposing deferred acceptance.

Why deferred acceptance (Gale–Shapley, teacher-proposing): A24 asks that requests fill space in
seniority order, that nobody *moves into* a site a more senior teacher ranked above what they got,
and that incumbents are never bumped by requests. Give every site the priority order "its incumbents
first, then everybody by seniority" and a capacity equal to its rooms' teacher places (A19). Deferred
acceptance then returns the stable matching that is best for every teacher at once; stability means:
if T prefers site S to their match, T proposed to S and was refused, and S ends full of teachers S
ranks above T — incumbents of S or teachers more senior than T. Hence (i) anyone who moved into S is
more senior than every teacher who ranked S higher and did not get it (the A24 condition), and (ii) an
incumbent who still wants their site can only lose it to more senior incumbents of the same site
(capacity shrank), never to a requester. The outcome does not depend on the proposal order, so it is
deterministic; proposals run in seniority order (few bumps). Cost: O(total proposals × log places),
well under a second for 20,000 teachers.

Permanent relocation (A25, 25.0 second sentence): a teacher of a closed site who proposes to a site they
requested comes right after that site's incumbents, before every other requester; such teachers rank among
themselves by seniority. The priority is per proposal (`first`), so the same teacher falling back on an unrequested
site (A26) ranks there by plain seniority. Deferred acceptance stays stable and order-free with priorities that
differ by site and proposal: a site refuses T only when full of teachers it ranks above T — its incumbents, then,
when T asked as a relocated teacher, more senior relocated requesters; otherwise relocated requesters of any
seniority and teachers more senior than T. That is what the checker verifies (A24, A25).

Locks (docs/contract.md, LOCK): a teacher locked to a site proposes to that site only and the site takes them before
anyone, its incumbents included ("a locked placement counts as an incumbent"; a lock is hard, so it also beats
a more senior incumbent when the site is short of places). The lock module makes sure a site never has more
locked teachers than places, so a locked teacher is never refused.
"""

from __future__ import annotations

import heapq

import numpy as np


def deferred_acceptance(starts: np.ndarray, proposals: np.ndarray, capacity: np.ndarray,
                        incumbent: np.ndarray, locked: np.ndarray | None = None,
                        first: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A24/A25: site of each teacher (-1 = none) and the position in their list where they were accepted.

    Teacher t (0 = most senior) proposes to proposals[starts[t]:starts[t + 1]] in order; site s holds at
    most capacity[s] teachers and prefers the teachers locked to it (locked[t] and incumbent[t] == s), then
    its incumbent(s) (incumbent[t] == s), then the proposals flagged `first` (A25: a closed site's teacher
    asking for a site they requested), then the others; within each group, lower t.
    """
    n = len(starts) - 1
    starts_l, props, cap, inc = starts.tolist(), proposals.tolist(), capacity.tolist(), incumbent.tolist()
    lock = [False] * n if locked is None else locked.tolist()
    ahead = [False] * len(props) if first is None else first.tolist()
    nxt = starts_l[:-1].copy()
    held: list[list[tuple[int, int]]] = [[] for _ in cap]
    match = [-1] * n
    for teacher in range(n):
        t = teacher
        while t >= 0:
            t = _propose(t, nxt, starts_l[t + 1], props, cap, inc, lock, ahead, held, match, n)
    pos = np.array(nxt, dtype="int64") - 1 - np.array(starts_l[:-1], dtype="int64")
    match_arr = np.array(match, dtype="int64")
    return match_arr, np.where(match_arr >= 0, pos, -1)


def _propose(t, nxt, end, props, cap, inc, lock, ahead, held, match, n) -> int:
    """Teacher t proposes down their list until held; returns the teacher bumped (or -1)."""
    while nxt[t] < end:
        p = nxt[t]
        s = props[p]
        nxt[t] += 1
        if cap[s] <= 0:
            continue
        key = (t - n if lock[t] else t) if inc[t] == s else (n + t if ahead[p] else 2 * n + t)
        h = held[s]
        if len(h) < cap[s]:
            heapq.heappush(h, (-key, t))
            match[t] = s
            return -1
        if key < -h[0][0]:
            _, out = heapq.heapreplace(h, (-key, t))
            match[t], match[out] = s, -1
            return out
    return -1
