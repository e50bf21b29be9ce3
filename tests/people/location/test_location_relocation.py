"""A25 (25.0, second sentence), permanent relocation: a closed site's teachers choose before every other requester.

The issue in miniature: welcome center WC04 (region R2) closes for good and WC03 (also R2) has one free room besides
its incumbent's. A teacher of WC04 and a more senior teacher of WC01 (R1) both request WC03: the room goes to the
relocated teacher. Among themselves relocated teachers choose by seniority; incumbents keep their rooms; on a site
they did not request (A26's placement) a relocated teacher has no priority. Geography of conftest.py: R1 at 0 km,
R2 at 10 km, R3 at 30 km.
"""

from __future__ import annotations

import numpy as np

from test_location_locks import checker, lock, run
from vastaff.people.location.matching import deferred_acceptance


def wc_sites(world, wc03_rooms: int = 2):
    """WC01 (R1, one room), WC03 (R2, `wc03_rooms` rooms), WC04 (R2, closed), WC05 (R3, one room)."""
    sites = [world.site("WC01", "R1"), world.site("WC03", "R2"), world.site("WC04", "R2", status="closed"),
             world.site("WC05", "R3")]
    rooms = [world.room("WC01-1", "WC01"), world.room("WC04-1", "WC04"), world.room("WC05-1", "WC05")]
    rooms += [world.room(f"WC03-{i}", "WC03") for i in range(1, wc03_rooms + 1)]
    return sites, rooms


def issue_teachers(world, relocated_requests: str = "WC03", relocated_choice: str = "either"):
    """Senior S of WC01 and R of closed WC04 both request WC03, where junior Inc works now."""
    return [world.teacher("S", "2000-01-01", where="either", current="WC01", requests="WC03"),
            world.teacher("R", "2015-01-01", where=relocated_choice, current="WC04", requests=relocated_requests),
            world.teacher("Inc", "2016-01-01", current="WC03")]


def test_deferred_acceptance_takes_first_proposals_after_the_incumbents():
    """One site with 2 places: teacher 2 is its incumbent; 0 (most senior) and 1 propose, 1's proposal flagged first."""
    args = np.array([0, 1, 2, 3]), np.array([0, 0, 0]), np.array([2]), np.array([-1, -1, 0])
    match, _ = deferred_acceptance(*args, first=np.array([False, True, False]))
    assert match.tolist() == [-1, 0, 0]
    # control: no flag, plain seniority after the incumbent
    assert deferred_acceptance(*args)[0].tolist() == [0, -1, 0]
    # a flag never beats the incumbent: with one place the incumbent keeps it
    args = args[:2] + (np.array([1]), args[3])
    assert deferred_acceptance(*args, first=np.array([True, True, False]))[0].tolist() == [-1, -1, 0]


def test_the_relocated_teacher_gets_the_free_room_before_a_more_senior_requester(world):
    sites, rooms = wc_sites(world)
    d, r = run(world, sites, rooms, issue_teachers(world))
    assert world.placed(r) == {"Inc": ("WC03", "WC03-2"), "R": ("WC03", "WC03-1"), "S": ("WC01", "WC01-1")}
    assert r.explain("R") == [
        "A25: relocated from closed site WC04, chose before other requesters: placed at WC03 (request 1 granted)"]
    assert r.explain("S") == [
        "A24: request 1 not granted: WC03 full (2 places: incumbent Inc (Teacher Inc); relocated from a closed site R "
        "(Teacher R))"]
    assert r.figures["requests_granted_by_rank"] == {"1": 1} and r.figures["requests_not_granted"] == 1
    assert checker(d, r) == []


def test_control_without_the_request_the_senior_teacher_gets_the_room(world):
    """R did not request WC03: S (more senior) takes it by A24, and A26 places R, a site chooser, near home (R1)."""
    sites, rooms = wc_sites(world)
    d, r = run(world, sites, rooms, issue_teachers(world, relocated_requests="", relocated_choice="site"))
    assert world.site_of(r) == {"Inc": "WC03", "R": "WC01", "S": "WC03"}
    assert r.explain("S") == ["A24: moves from WC01 to WC03 (request 1 granted)"]
    assert r.explain("R") == ["A26: current site WC04 closed; placed at WC01 (in region R1, the nearest to home region "
                              "R1 with a room left)", "A26: no room left at WC03"]
    assert checker(d, r) == []


def test_relocated_teachers_choose_among_themselves_by_seniority(world):
    sites, rooms = wc_sites(world)
    teachers = issue_teachers(world) + [world.teacher("Q", "2010-01-01", where="either", current="WC04",
                                                      requests="WC03")]
    d, r = run(world, sites, rooms, teachers)
    assert world.site_of(r) == {"Inc": "WC03", "Q": "WC03", "R": "WC05", "S": "WC01"}
    # R (an `either` chooser who listed requests) goes on to the sites A26 allows: R2 and R1 are full, R3 is next
    assert r.explain("R") == [
        "A26: current site WC04 closed; placed at WC05 (in region R3, the nearest to home region R1 with a room left)",
        "A25: request 1 not granted: WC03 full (2 places: incumbent Inc (Teacher Inc); relocated from a closed site Q "
        "(Teacher Q))",
        "A26: no room left at WC01"]
    assert checker(d, r) == []


def test_an_incumbent_is_never_bumped_by_a_relocated_teacher(world):
    sites, rooms = wc_sites(world, wc03_rooms=1)
    d, r = run(world, sites, rooms, issue_teachers(world))
    assert world.site_of(r) == {"Inc": "WC03", "R": "WC05", "S": "WC01"}
    assert r.explain("R")[1] == "A25: request 1 not granted: WC03 full (1 place: incumbent Inc (Teacher Inc))"
    assert checker(d, r) == []


def test_no_priority_on_a_site_the_relocated_teacher_did_not_request(world):
    """R requests WC01 only (held by its incumbent I1); A26 sends R to WC03, its closed site's region, where senior S
    (not relocated) requested the one room: S keeps the seniority order there, and R goes on to WC05 (R3)."""
    sites, rooms = wc_sites(world, wc03_rooms=1)
    teachers = [world.teacher("S", "2000-01-01", where="either", requests="WC03"),
                world.teacher("R", "2015-01-01", current="WC04", requests="WC01", home="R3"),
                world.teacher("I1", "2016-01-01", current="WC01")]
    d, r = run(world, sites, rooms, teachers)
    assert world.site_of(r) == {"I1": "WC01", "R": "WC05", "S": "WC03"}
    assert r.explain("R") == [
        "A26: current site WC04 closed; placed at WC05 (in region R3, the nearest to home region R3 with a room left)",
        "A25: request 1 not granted: WC01 full (1 place: incumbent I1 (Teacher I1))", "A26: no room left at WC03"]
    assert checker(d, r) == []


def test_a_request_in_another_region_comes_before_the_closed_sites_region(world):
    """A26 places only those whose requests cannot be met: R's request WC05 (R3) wins although WC03, in the closed
    site's region R2, has a free room; the checker's A26 agrees."""
    sites, rooms = wc_sites(world)
    teachers = [world.teacher("R", "2015-01-01", current="WC04", requests="WC05", home="R3")]
    d, r = run(world, sites, rooms, teachers)
    assert world.site_of(r) == {"R": "WC05"}
    assert checker(d, r) == []
    # control: without the request, A26 places R in the closed site's region
    teachers[0]["requested_site_ids"] = ""
    d, r = run(world, sites, rooms, teachers)
    assert world.site_of(r) == {"R": "WC03"}
    assert r.explain("R") == ["A26: current site WC04 closed; placed at WC03 (in region R2 of closed site WC04)"]


# ----------------------------------------------------------------------------------------------
# Locks: a lock never excuses A25


def test_a_lock_that_gives_a_relocated_teachers_choice_to_another_requester(world):
    """Plain: R takes WC03 (one free room). Locked to WC01, R is kept from WC03 by their own lock, so WC03 is not in R's
    ranking (docs/contract.md, A24: a ranking ignores the sites the teacher may not be given) and S, more senior, may
    take it."""
    sites, rooms = wc_sites(world, wc03_rooms=1)
    teachers = [world.teacher("S", "2000-01-01", where="either", requests="WC03"),
                world.teacher("R", "2015-01-01", where="either", current="WC04", requests="WC03")]
    assert world.site_of(run(world, sites, rooms, teachers)[1]) == {"R": "WC03", "S": None}
    d, r = run(world, sites, rooms, teachers, [lock("L1", "R", "require", "WC01")])
    assert world.site_of(r) == {"R": "WC01", "S": "WC03"} and checker(d, r) == []


def test_a_lock_to_a_requested_site_outside_the_region_is_no_a26_conflict(world):
    """R requests WC03 then WC05 (R3); a lock requires WC05. WC05 is R's own choice (A25), so A26's region does not
    apply, and request 1, WC03, is a site R's lock keeps them from: not owed (A24), though it has free places."""
    sites, rooms = wc_sites(world)
    teachers = [world.teacher("R", "2015-01-01", where="either", current="WC04", requests="WC03;WC05")]
    d, r = run(world, sites, rooms, teachers, [lock("L1", "R", "require", "WC05")])
    assert world.site_of(r) == {"R": "WC05"} and checker(d, r) == []
