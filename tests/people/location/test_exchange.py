"""A24 (24.0): trades deferred acceptance leaves undone (people/location/exchange.py)."""

from __future__ import annotations

import numpy as np

from vastaff.people.location.exchange import trade
from vastaff.people.location.matching import deferred_acceptance


def full_sites(world, n: int, ids: tuple[str, ...] = ()):
    """Sites S1..Sn (or `ids`) in region R1, one classroom each."""
    ids = ids or tuple(f"S{i}" for i in range(1, n + 1))
    return [world.site(s, "R1") for s in ids], [world.room(f"{s}-101", s) for s in ids]


def behind_a_room_seeker(world, *movers: tuple[str, str, str]) -> list[dict]:
    """D, the most senior, seeks any room and asks for none; then each (teacher, current site, requests), more senior
    first: deferred acceptance alone leaves their trades undone."""
    return [world.teacher("D", "2000-01-01")] + [
        world.teacher(tid, f"{2001 + i}-01-01", current=current, requests=requests)
        for i, (tid, current, requests) in enumerate(movers)]


def test_a_senior_room_seeker_does_not_block_a_trade_that_leaves_them_home_all_the_same(world):
    sites, rooms = full_sites(world, 2)
    teachers = [world.teacher("A", "2001-01-01", current="S1", requests="S2"),
                world.teacher("C", "2002-01-01"),  # a site chooser with no site and no request: any room will do
                world.teacher("B", "2003-01-01", current="S2", requests="S1")]
    r = world.solve(sites, rooms, teachers)
    assert world.site_of(r) == {"A": "S2", "B": "S1", "C": None}
    assert r.figures["traded"] == 2
    assert r.explain("A") == ["A24: moves from S1 to S2 (request 1 granted; in a trade: B took their place at S1)"]
    assert r.explain("B") == ["A24: moves from S2 to S1 (request 1 granted; in a trade: A took their place at S2)"]
    assert r.explain("C") == ["A19: works from home (chose site but every site they may be given is full: A19 shortfall)",
                              "A19: no room left at S1, S2; junior B (to S1) came in a trade of requested sites "
                              "(A24 ranks requests above unlisted sites)"]
    # control: once C ranks S1, B may not move into it (C is more senior), so nobody trades and C stays home
    teachers[1]["requested_site_ids"] = "S1"
    r = world.solve(sites, rooms, teachers)
    assert world.site_of(r) == {"A": "S1", "B": "S2", "C": None}
    assert r.explain("B") == ["A24: request 1 not granted: S1 full (1 place: incumbent A (Teacher A))"]


def test_three_teachers_trade_round_a_cycle(world):
    sites, rooms = full_sites(world, 3)
    teachers = behind_a_room_seeker(world, ("A", "S1", "S2"), ("B", "S2", "S3"), ("C", "S3", "S1"))
    r = world.solve(sites, rooms, teachers)
    assert world.site_of(r) == {"A": "S2", "B": "S3", "C": "S1", "D": None}
    assert r.explain("A") == ["A24: moves from S1 to S2 (request 1 granted; in a trade: C took their place at S1)"]
    # control: when B asks for nothing the cycle is broken and everybody stays
    teachers[2]["requested_site_ids"] = ""
    assert world.site_of(world.solve(sites, rooms, teachers)) == {"A": "S1", "B": "S2", "C": "S3", "D": None}


def test_an_incumbent_left_out_of_their_site_takes_no_trade_into_it(world):
    # S1 has one place for two incumbents: senior I keeps it, junior J is left out and still wants it
    sites, rooms = full_sites(world, 2)
    teachers = [world.teacher("I", "2000-01-01", current="S1", requests="S2"),
                world.teacher("J", "2001-01-01", current="S1"),
                world.teacher("K", "2002-01-01", current="S2", requests="S1")]
    # I and K would both gain by trading, but J, S1's incumbent, comes before K there
    r = world.solve(sites, rooms, teachers)
    assert world.site_of(r) == {"I": "S1", "J": None, "K": "S2"}
    assert "A24: current site not kept: S1 full (1 place: incumbent I (Teacher I))" in r.explain("J")


def da_then_trade(lists, capacity, incumbent, requests):
    """deferred_acceptance, then trade, on plain lists; `requests[t]`: how many of t's list are requests."""
    starts = np.cumsum([0] + [len(x) for x in lists])
    site = np.array([s for x in lists for s in x], dtype="int64")
    request = np.array([k < requests[t] for t, x in enumerate(lists) for k in range(len(x))], dtype=bool)
    first = np.zeros(len(site), dtype=bool)
    inc = np.array(incumbent, dtype="int64")
    match, pos = deferred_acceptance(starts, site, np.array(capacity), inc)
    return [m.tolist() for m in (match, pos)], [m.tolist() for m in trade(starts, site, request, first, inc, match, pos)]


def test_trade_keeps_every_site_count_and_moves_only_traders():
    # teacher 0 seeks any room (no requests); 1 at site 0 asks for 1; 2 at site 1 asks for 0; 3 at site 2 asks nothing
    lists = [[0, 1, 2], [1, 0], [0, 1], [2]]
    before, after = da_then_trade(lists, [1, 1, 1], [-1, 0, 1, 2], [0, 1, 1, 0])
    assert before == [[-1, 0, 1, 2], [-1, 1, 1, 0]]
    assert after == [[-1, 1, 0, 2], [-1, 0, 0, 0], [-1, 2, 1, -1]]  # match, pos, who took each trader's place


def test_a_teacher_who_trades_twice_is_named_by_the_place_they_end_in(world):
    """A trades with B (S4 for S2), then with C (S2 for S8): each explanation names who holds, in the plan, the place
    the matching gave that teacher — not a partner who traded on."""
    sites, rooms = full_sites(world, 3, ("S2", "S4", "S8"))
    teachers = behind_a_room_seeker(world, ("B", "S2", "S4"), ("A", "S4", "S8;S2"), ("C", "S8", "S2"))
    r = world.solve(sites, rooms, teachers)
    assert world.site_of(r) == {"A": "S8", "B": "S4", "C": "S2", "D": None}
    assert r.explain("A") == ["A24: moves from S4 to S8 (request 1 granted; in a trade: B took their place at S4)"]
    assert r.explain("B") == ["A24: moves from S2 to S4 (request 1 granted; in a trade: C took their place at S2)"]
    assert r.explain("C") == ["A24: moves from S8 to S2 (request 1 granted; in a trade: A took their place at S8)"]
