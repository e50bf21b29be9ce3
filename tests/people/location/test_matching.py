"""A24 (24.0): requests fill space in seniority order; incumbents are never bumped (deferred acceptance)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.people.location.matching import deferred_acceptance


def da(lists: list[list[int]], capacity: list[int], incumbent: list[int]):
    """deferred_acceptance on plain lists (teacher 0 is the most senior)."""
    starts = np.cumsum([0] + [len(x) for x in lists])
    flat = np.array([s for x in lists for s in x], dtype="int64")
    match, pos = deferred_acceptance(starts, flat, np.array(capacity), np.array(incumbent))
    return match.tolist(), pos.tolist()


def test_deferred_acceptance_by_hand():
    # site 0 has 1 place, site 1 has 1 place. Teacher 2 is the incumbent of site 0.
    # 0 (most senior) wants [0, 1]; 1 wants [0, 1]; 2 wants [0].
    # 0 holds site 0 until 2 (incumbent) bumps them; 0 then takes site 1 and 1 gets nothing.
    assert da([[0, 1], [0, 1], [0]], [1, 1], [-1, -1, 0]) == ([1, -1, 0], [1, -1, 0])
    # control: without incumbency teacher 0 keeps site 0 and 1 takes site 1
    assert da([[0, 1], [0, 1], [0]], [1, 1], [-1, -1, -1]) == ([0, 1, -1], [0, 1, -1])


def test_deferred_acceptance_skips_sites_without_places():
    assert da([[0, 1]], [0, 1], [-1]) == ([1], [1])
    assert da([[0]], [0], [-1]) == ([-1], [-1])


def one_room_sites(world):
    return [world.site("S1", "R1"), world.site("S2", "R2")], [world.room("S1-101", "S1"), world.room("S2-101", "S2")]


def test_three_teachers_wanting_one_room_most_senior_gets_it(world):
    sites, rooms = one_room_sites(world)
    rooms = rooms + [world.room("S1-102", "S1"), world.room("S1-103", "S1")]
    teachers = [world.teacher("T3", "2012-01-01", where="either", current="S1", requests="S2"),
                world.teacher("T1", "2004-01-01", where="either", current="S1", requests="S2"),
                world.teacher("T2", "2008-01-01", where="either", current="S1", requests="S2")]
    r = world.solve(sites, rooms, teachers)
    assert world.site_of(r) == {"T1": "S2", "T2": "S1", "T3": "S1"}
    assert r.explain("T1") == ["A24: moves from S1 to S2 (request 1 granted)"]
    assert r.explain("T2") == ["A24: request 1 not granted: S2 full (1 place: more senior T1 (Teacher T1))"]
    assert r.explain("T3") == ["A24: request 1 not granted: S2 full (1 place: more senior T1 (Teacher T1))"]
    assert r.figures["requests_granted_by_rank"] == {"1": 1}
    assert r.figures["requests_not_granted"] == 2


def test_equal_seniority_dates_are_decided_by_the_tiebreak(world):
    sites, rooms = one_room_sites(world)
    teachers = [world.teacher("A", "2005-08-15", tiebreak=2, where="either", requests="S2"),
                world.teacher("B", "2005-08-15", tiebreak=1, where="either", requests="S2")]
    r = world.solve(sites, rooms, teachers)
    assert world.site_of(r) == {"A": None, "B": "S2"}
    # control: swap the tiebreaks and the room goes the other way
    teachers[0]["seniority_tiebreak"], teachers[1]["seniority_tiebreak"] = 1, 2
    assert world.site_of(world.solve(sites, rooms, teachers)) == {"A": "S2", "B": None}


def test_incumbent_is_not_bumped_by_a_more_senior_requester(world):
    sites, rooms = one_room_sites(world)
    teachers = [world.teacher("Inc", "2015-01-01", where="either", current="S2"),
                world.teacher("Senior", "2001-01-01", where="either", current="S1", requests="S2")]
    r = world.solve(sites, rooms, teachers)
    assert world.site_of(r) == {"Inc": "S2", "Senior": "S1"}
    assert r.explain("Senior") == ["A24: request 1 not granted: S2 full (1 place: incumbent Inc (Teacher Inc))"]
    # control: once the incumbent chooses home, the senior requester moves in
    teachers[0]["work_location"] = "home"
    r = world.solve(sites, rooms, teachers)
    assert world.site_of(r) == {"Inc": None, "Senior": "S2"}
    assert r.explain("Inc") == ["A16: leaves S2; works from home (chose home)"]


def test_incumbent_who_gets_a_higher_request_frees_their_site(world):
    sites, rooms = one_room_sites(world)
    teachers = [world.teacher("A", "2001-01-01", where="either", current="S1", requests="S2"),
                world.teacher("B", "2002-01-01", where="either", current="S2", requests="S1")]
    # each wants the other's site: they swap (requests rank above the current site), nobody is bumped
    r = world.solve(sites, rooms, teachers)
    assert world.site_of(r) == {"A": "S2", "B": "S1"}
    # control: if B does not ask to move, A stays where they are
    teachers[1]["requested_site_ids"] = ""
    assert world.site_of(world.solve(sites, rooms, teachers)) == {"A": "S1", "B": "S2"}


def test_senior_who_ranks_a_closed_site_is_not_owed_it(world):
    sites = [world.site("S1", "R1"), world.site("S2", "R2"), world.site("S3", "R1", status="temporarily_closed")]
    rooms = [world.room("S1-101", "S1"), world.room("S2-101", "S2"), world.room("S3-101", "S3")]
    teachers = [world.teacher("Senior", "2001-01-01", where="either", current="S1", requests="S3;S2"),
                world.teacher("Junior", "2009-01-01", where="either", requests="S1")]
    r = world.solve(sites, rooms, teachers)
    # S3 is set aside: the senior's first request they may be given is S2, which they get; Junior moves into S1
    assert world.site_of(r) == {"Senior": "S2", "Junior": "S1"}
    assert r.explain("Senior") == ["A24: moves from S1 to S2 (request 2 granted)",
                                   "A25: request 1 (S3) not considered: site temporarily closed"]
    assert "S3" not in set(r.assignments["site_id"].dropna())


def test_requests_below_the_current_site_are_never_taken(world):
    sites, rooms = one_room_sites(world)
    teachers = [world.teacher("A", "2001-01-01", where="either", current="S1", requests="S1;S2")]
    r = world.solve(sites, rooms, teachers)
    assert world.site_of(r) == {"A": "S1"}
    assert r.preferences[["site_id", "source", "req_rank"]].values.tolist() == [["S1", "request", 1], ["S2", "request", 2]]


def test_same_input_gives_the_same_answer_whatever_the_row_order(world):
    sites = [world.site("S1", "R1"), world.site("S2", "R2"), world.site("S3", "R3")]
    rooms = [world.room("S1-101", "S1"), world.room("S2-101", "S2"), world.room("S2-200", "S2", "shared", 2, True),
             world.room("S3-101", "S3")]
    teachers = [world.teacher(f"T{i}", f"20{i % 7:02d}-01-01", tiebreak=i, where=["site", "either", "home"][i % 3],
                              current=["", "S1", "S2"][i % 3], requests=["S2;S3", "S1", ""][(i // 3) % 3])
                for i in range(9)]
    first = world.solve(sites, rooms, teachers)
    again = world.solve(sites[::-1], rooms[::-1], teachers[::-1])
    pd.testing.assert_frame_equal(first.assignments, again.assignments)
    pd.testing.assert_frame_equal(first.shortfalls, again.shortfalls)
    pd.testing.assert_frame_equal(first.explanations, again.explanations)
    assert first.figures == again.figures
