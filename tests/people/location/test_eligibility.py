"""A16 (16.0), A19 (19.0) regions, A25 (25.0), A26 (26.0): who may or must be on site, and where."""

from __future__ import annotations

import pandas as pd

from vastaff.people.location.eligibility import distance_tiers, region_distances


def test_a16_home_chooser_stays_home_even_with_rooms_free(world):
    sites = [world.site("S1", "R1")]
    rooms = [world.room("S1-101", "S1")]
    r = world.solve(sites, rooms, [world.teacher("A", where="home", requests="S1")])
    assert world.site_of(r) == {"A": None}
    assert r.explain("A") == ["A16: request 1 (S1) not considered: chose home, so no site is considered"]
    # control: the same teacher choosing `either` gets the request
    r = world.solve(sites, rooms, [world.teacher("A", where="either", requests="S1")])
    assert world.site_of(r) == {"A": "S1"}


def test_a16_ra_site_chooser_is_served_in_seniority_order_not_after_others(world):
    sites = [world.site("S1", "R1")]
    rooms = [world.room("S1-101", "S1")]
    teachers = [world.teacher("RA", "2001-01-01", ra="pending"), world.teacher("NoRA", "2005-01-01")]
    r = world.solve(sites, rooms, teachers)
    assert world.site_of(r) == {"RA": "S1", "NoRA": None}
    # the RA teacher left without a room is still a shortfall (they chose site), with RA noted
    teachers[0]["seniority_date"], teachers[1]["seniority_date"] = "2009-01-01", "2001-01-01"
    r = world.solve(sites, rooms, teachers)
    assert world.site_of(r) == {"RA": None, "NoRA": "S1"}
    assert r.shortfalls["reason"].tolist() == [
        "A19: chose site; every site they may be given is full: S1 (RA pending: home allowed, A16)"]


def test_a19_either_without_current_site_or_request_works_from_home(world):
    sites = [world.site("S1", "R1")]
    rooms = [world.room("S1-101", "S1")]
    r = world.solve(sites, rooms, [world.teacher("E", where="either"), world.teacher("S", "2012-01-01", where="site")])
    assert world.site_of(r) == {"E": None, "S": "S1"}
    assert r.shortfalls.empty
    assert r.explain("S") == ["A19: placed at S1 (open site in school region R1)"]


def test_a19_site_chooser_goes_to_the_nearest_region_with_a_room_left(world):
    # R1 (school region) full with an incumbent; R2 is 10 km away, R3 is 30 km away
    sites = [world.site("S1", "R1"), world.site("S2", "R2"), world.site("S3", "R3")]
    rooms = [world.room("S1-101", "S1"), world.room("S2-101", "S2"), world.room("S3-101", "S3")]
    teachers = [world.teacher("Inc", "2015-01-01", current="S1"), world.teacher("A", "2001-01-01"),
                world.teacher("B", "2002-01-01")]
    r = world.solve(sites, rooms, teachers)
    # nearest first: A (more senior) gets R2's room, B the next nearest with a room left (R3)
    assert world.site_of(r) == {"Inc": "S1", "A": "S2", "B": "S3"}
    assert r.explain("A") == ["A19: placed at S2 (open site in region R2, the nearest to school region R1 with a "
                              "room left)", "A19: no room left at S1"]
    assert r.shortfalls.empty
    # control: one teacher more than rooms -> the most junior site chooser is a shortfall naming what was tried
    teachers.append(world.teacher("C", "2003-01-01"))
    r = world.solve(sites, rooms, teachers)
    assert world.site_of(r)["C"] is None
    assert r.shortfalls.to_dict("records") == [{
        "teacher_id": "C", "site_id": "S1", "region_id": "R1",
        "reason": "A19: chose site; every site they may be given is full: S1, S2, S3"}]
    assert r.figures["shortfall_by_region"] == {"R1": 1}
    assert r.explain("C") == ["A19: works from home (chose site but every site they may be given is full: A19 "
                              "shortfall)", "A19: no room left at S1, S2, S3"]


def test_a19_site_chooser_who_requested_a_far_site_gets_it(world):
    sites = [world.site("S1", "R1"), world.site("S3", "R3")]
    rooms = [world.room("S1-101", "S1"), world.room("S3-101", "S3")]
    r = world.solve(sites, rooms, [world.teacher("A", requests="S3")])
    assert world.site_of(r) == {"A": "S3"}
    assert r.explain("A") == ["A24: placed at S3 (request 1 granted)"]


def test_a25_nobody_at_a_temporarily_closed_site_its_teachers_by_choice(world):
    sites = [world.site("S1", "R1", status="temporarily_closed"), world.site("S2", "R1"), world.site("S4", "R2")]
    rooms = [world.room("S1-101", "S1"), world.room("S1-102", "S1"), world.room("S2-101", "S2"),
             world.room("S2-102", "S2"), world.room("S4-101", "S4")]
    teachers = [
        world.teacher("Either", "2001-01-01", where="either", current="S1"),              # home
        world.teacher("Site", "2002-01-01", where="site", current="S1"),                  # an open site
        world.teacher("Req", "2003-01-01", where="either", current="S1", requests="S4"),  # its request
    ]
    r = world.solve(sites, rooms, teachers)
    assert world.site_of(r) == {"Either": None, "Site": "S2", "Req": "S4"}
    assert r.explain("Either") == [
        "A25: current site S1 temporarily closed; works from home (chose either and listed no open site)"]
    assert r.explain("Site") == ["A25: current site S1 temporarily closed; placed at S2 (open site in school region R1)"]
    assert r.explain("Req") == ["A25: current site S1 temporarily closed; placed at S4 (request 1 granted)"]
    # control: the same site open again: everyone stays at S1
    sites[0]["status"] = "open"
    assert world.site_of(world.solve(sites, rooms, teachers)) == {"Either": "S1", "Site": "S1", "Req": "S4"}


def test_a25_requester_whose_requests_are_full_goes_to_another_open_site(world):
    sites = [world.site("S1", "R1", status="temporarily_closed"), world.site("S2", "R1"), world.site("S4", "R2")]
    rooms = [world.room("S2-101", "S2"), world.room("S4-101", "S4")]
    teachers = [world.teacher("Inc", "2015-01-01", where="either", current="S4"),
                world.teacher("Req", "2003-01-01", where="either", current="S1", requests="S4")]
    r = world.solve(sites, rooms, teachers)
    assert world.site_of(r) == {"Inc": "S4", "Req": "S2"}
    assert r.explain("Req") == [
        "A25: current site S1 temporarily closed; placed at S2 (open site in school region R1)",
        "A24: request 1 not granted: S4 full (1 place: incumbent Inc (Teacher Inc))"]
    # control: without a request the `either` teacher of the closed site works from home
    teachers[1]["requested_site_ids"] = ""
    assert world.site_of(world.solve(sites, rooms, teachers)) == {"Inc": "S4", "Req": None}


def closure_sites(world):
    # S3 (closed) is in R2; S2 is open in R2; S1 is open in R1 (the school's and the teacher's home region)
    sites = [world.site("S1", "R1"), world.site("S2", "R2"), world.site("S3", "R2", status="closed"),
             world.site("S5", "R3")]
    rooms = [world.room("S1-101", "S1"), world.room("S2-101", "S2"), world.room("S3-101", "S3"),
             world.room("S5-101", "S5")]
    return sites, rooms


def test_a26_teacher_of_a_closed_site_is_placed_in_that_sites_region(world):
    sites, rooms = closure_sites(world)
    r = world.solve(sites, rooms, [world.teacher("A", current="S3", home="R3")])
    assert world.site_of(r) == {"A": "S2"}
    assert r.explain("A") == ["A26: current site S3 closed; placed at S2 (in region R2 of closed site S3)"]


def test_a26_else_the_region_with_an_open_site_nearest_home(world):
    sites, rooms = closure_sites(world)
    teachers = [world.teacher("Inc", "2015-01-01", current="S2"), world.teacher("A", "2001-01-01", current="S3", home="R3")]
    r = world.solve(sites, rooms, teachers)
    # R2 is full with its incumbent: A goes to R3 (nearest their home region), not to the school region R1
    assert world.site_of(r) == {"Inc": "S2", "A": "S5"}
    assert r.explain("A") == ["A26: current site S3 closed; placed at S5 (in region R3, the nearest to home region R3 "
                              "with a room left)", "A26: no room left at S2"]
    # control: with home in R1 the nearest region is R1
    teachers[1]["home_region_id"] = "R1"
    assert world.site_of(world.solve(sites, rooms, teachers)) == {"Inc": "S2", "A": "S1"}


def test_a25_closed_sites_teacher_gets_a_request_in_a_farther_region(world):
    """Permanent relocation (25.0): a closed site's teacher chooses from their requests wherever they are; A26's
    region (R2, where S2 has a room) is only for one whose requests cannot be met."""
    sites, rooms = closure_sites(world)
    r = world.solve(sites, rooms, [world.teacher("A", where="either", current="S3", home="R3", requests="S1;S2")])
    assert world.site_of(r) == {"A": "S1"}
    assert r.explain("A") == [
        "A25: relocated from closed site S3, chose before other requesters: placed at S1 (request 1 granted)"]


def test_a26_either_chooser_without_requests_works_from_home(world):
    sites, rooms = closure_sites(world)
    r = world.solve(sites, rooms, [world.teacher("A", where="either", current="S3")])
    assert world.site_of(r) == {"A": None}
    assert r.shortfalls.empty


def test_a26_ties_in_nearest_allow_every_tied_region(world):
    regions = world.regions + [{"region_id": "R4", "name": "West", "x_km": -10, "y_km": 0}]
    # home R1: R2 (10 km east) and R4 (10 km west) are tied; S3's own region R3 has no open site
    sites = [world.site("S2", "R2"), world.site("S3", "R3", status="closed"), world.site("S4", "R4")]
    rooms = [world.room("S2-101", "S2"), world.room("S3-101", "S3"), world.room("S4-101", "S4")]
    teachers = [world.teacher("A", "2001-01-01", current="S3"), world.teacher("B", "2002-01-01", current="S3")]
    r = world.solve(sites, rooms, teachers, regions=regions)
    assert world.site_of(r) == {"A": "S2", "B": "S4"}
    d = region_distances(pd.DataFrame(regions))
    tiers = distance_tiers(d, ["R1"], {"R1", "R2", "R3", "R4"})
    assert tiers[["region_id", "dtier"]].values.tolist() == [["R1", 0], ["R2", 1], ["R4", 1], ["R3", 2]]
    # control: the same district with R4 a little farther than R2 -> only S2 is in the nearest tier
    regions[-1]["x_km"] = -11
    r = world.solve(sites, rooms, teachers, regions=regions)
    assert world.site_of(r) == {"A": "S2", "B": "S4"}
    assert r.explain("B")[0] == ("A26: current site S3 closed; placed at S4 (in region R4, the nearest to home "
                                 "region R1 with a room left)")


def test_a25_request_in_the_region_nearest_home_comes_before_the_closed_sites_region(world):
    sites, rooms = closure_sites(world)
    teachers = [world.teacher("A", "2001-01-01", where="either", current="S3", home="R3", requests="S5")]
    r = world.solve(sites, rooms, teachers)
    # S5 (R3) is requested: granted although the closed site's region R2 still has a room at S2
    assert world.site_of(r) == {"A": "S5"}
    assert r.explain("A") == [
        "A25: relocated from closed site S3, chose before other requesters: placed at S5 (request 1 granted)"]
    # control: S5 held by its incumbent -> the request cannot be met, and A26 places A in region R2
    teachers.append(world.teacher("Inc", "2015-01-01", where="either", current="S5"))
    r = world.solve(sites, rooms, teachers)
    assert world.site_of(r) == {"A": "S2", "Inc": "S5"}
    assert r.explain("A") == ["A26: current site S3 closed; placed at S2 (in region R2 of closed site S3)",
                              "A25: request 1 not granted: S5 full (1 place: incumbent Inc (Teacher Inc))"]
