"""Trades that deferred acceptance leaves undone (A24): placed teachers who each requested the site another holds.

Why: deferred acceptance (matching.py) lets a room seeker's unlisted site (A19) count in seniority order like a
request. A24 protects only what a teacher *ranked*: "home or an unlisted site ranks below every listed site". So a
more senior teacher who is only looking for any room can block two teachers who asked for each other's sites, even
when that senior teacher ends at home all the same: A at S1 asks for S2, B at S2 asks for S1, senior C (no requests)
seeks a room; deferred acceptance keeps A at S1 and B at S2 and sends C home; trading them is allowed and leaves C
exactly where C was.

A trade is a cycle t1 -> t2 -> ... -> t1 of placed teachers in which each ti moves into the site t(i+1) holds and
ranked it among their requests above what they got. It is made only when each ti is the teacher that site ranks
first among everyone who ranked it above what they got (a closed site's teacher who requested it first, A25; then
seniority; nobody can be ranked above an incumbent, so a site whose incumbent still wants it and is not there takes
no trade). After a trade the traders rank fewer sites above what they got and nobody else changed, so nobody moved
into a site a teacher the site ranks higher ranked above what they got: A24 and A25 still hold, every site holds as
many teachers as before (A19), and a locked teacher never moves (their list is their lock). Trades are made one at a
time, the most senior trader's best site first, until none is left: each makes its traders better off, so it ends.
"""

from __future__ import annotations

import numpy as np

NOBODY = -1


def trade(starts: np.ndarray, proposals: np.ndarray, request: np.ndarray, first: np.ndarray,
          incumbent: np.ndarray, match: np.ndarray, pos: np.ndarray) -> tuple[np.ndarray, ...]:
    """A24: (match, pos, taker) after every trade; teacher t (0 = most senior) listed
    proposals[starts[t]:starts[t + 1]], `request` and `first` flag each proposal (a request; A25's closed-site
    request), `incumbent` each teacher's site (-1: none), as in `deferred_acceptance`, whose answer (match, pos) this
    improves. taker[t]: who holds, after every trade, the place t held after the matching (-1: t made no trade)."""
    owner = np.repeat(np.arange(len(starts) - 1), np.diff(starts))
    offset = np.arange(len(proposals)) - starts[owner]
    match, pos = match.copy(), pos.copy()
    place = np.arange(len(match))  # place[t]: whose place (as the matching left it) t holds
    while (cycle := _cycle(owner, offset, proposals, request, first, incumbent, match, pos)):
        took = [place[t] for t, _ in cycle[1:] + cycle[:1]]  # each takes the place of the next in the cycle
        for (t, p), theirs in zip(cycle, took):
            match[t], pos[t], place[t] = proposals[p], offset[p], theirs
    taker = np.full(len(match), NOBODY, dtype="int64")
    moved = np.flatnonzero(place != np.arange(len(match)))
    taker[place[moved]] = moved  # a teacher who traded twice is named once, by the place they hold at the end
    return match, pos, taker


def _wanted(owner, offset, match, pos) -> np.ndarray:
    """Per proposal: its teacher listed it above what they got (anything, when they got nothing)."""
    return (match[owner] < 0) | (offset < pos[owner])


def _claims(owner, offset, proposals, request, first, incumbent, match, pos) -> dict[int, int]:
    """Site -> the request a trade may give it to: the one the site ranks first among the requests listed above what
    their teacher got (A25 closed-site requests, then seniority); none for a site an incumbent still wants."""
    wanted = _wanted(owner, offset, match, pos)
    blocked = set(proposals[wanted & (incumbent[owner] == proposals)].tolist())
    p = np.flatnonzero(wanted & request)
    p = p[np.lexsort((owner[p], ~first[p], proposals[p]))]
    best = p[np.r_[True, proposals[p][1:] != proposals[p][:-1]]] if len(p) else p
    return {int(proposals[q]): int(q) for q in best if int(proposals[q]) not in blocked}


def _cycle(owner, offset, proposals, request, first, incumbent, match, pos) -> list[tuple[int, int]]:
    """The first trade found (teacher, proposal it gets): a depth-first search through 'claims a site held by', from
    the most senior placed claimant, each teacher's best site first; [] when there is none."""
    claims = _claims(owner, offset, proposals, request, first, incumbent, match, pos)
    mine: dict[int, list[int]] = {}
    for q in sorted(claims.values(), key=lambda q: (owner[q], offset[q])):
        if match[owner[q]] >= 0:
            mine.setdefault(int(owner[q]), []).append(q)
    holders: dict[int, list[int]] = {}
    for t in sorted(mine):
        holders.setdefault(int(match[t]), []).append(t)
    edges = {t: [(q, h) for q in qs for h in holders.get(int(proposals[q]), []) if h != t] for t, qs in mine.items()}
    done: set[int] = set()
    for start in sorted(mine):
        if start not in done and (found := _search(start, edges, done)):
            return found
    return []


def _search(start: int, edges: dict[int, list[tuple[int, int]]], done: set[int]) -> list[tuple[int, int]]:
    """Depth-first from `start`; the first cycle met (a step back onto the path), as (teacher, proposal) steps.
    Teachers explored without one are added to `done`: no cycle runs through them."""
    path: list[tuple[int, int]] = []  # (teacher, the proposal taking them to the next teacher on the path)
    on_path = {start: 0}
    stack = [(start, iter(edges[start]))]
    while stack:
        t, out = stack[-1]
        for q, h in out:
            if h in on_path:
                return path[on_path[h]:] + [(t, q)]
            if h not in done:
                path.append((t, q))
                on_path[h] = len(path)
                stack.append((h, iter(edges[h])))
                break
        else:
            stack.pop()
            done.add(t)
            del on_path[t]
            if path:
                path.pop()
    return []
