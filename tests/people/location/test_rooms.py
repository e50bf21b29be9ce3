"""A19 (19.0): rooms — one teacher per classroom, shared rooms only with partitions, last night's room kept."""

from __future__ import annotations

import pandas as pd

from vastaff.people.location.rooms import assign_rooms, room_places, site_places


def rooms_frame(rows: list[dict]) -> pd.DataFrame:
    f = pd.DataFrame(rows)
    f["partitions"] = f["partitions"].eq("true")
    return f


def test_room_places_classroom_one_whatever_capacity_shared_needs_partitions(world):
    rooms = rooms_frame([
        world.room("C", "S1", "classroom", capacity=3, partitions=True),
        world.room("SP", "S1", "shared", capacity=3, partitions=True),
        world.room("SN", "S1", "shared", capacity=3, partitions=False),
    ])
    assert room_places(rooms).to_dict() == {"C": 1, "SP": 3, "SN": 1}
    assert site_places(rooms).to_dict() == {"S1": 5}


def test_shared_room_with_partitions_holds_its_capacity(world):
    sites = [world.site("S1", "R1")]
    rooms = [world.room("S1-200", "S1", "shared", capacity=2, partitions=True)]
    teachers = [world.teacher("A", "2001-01-01"), world.teacher("B", "2002-01-01"), world.teacher("C", "2003-01-01")]
    r = world.solve(sites, rooms, teachers)
    assert world.placed(r) == {"A": ("S1", "S1-200"), "B": ("S1", "S1-200"), "C": (None, None)}
    assert r.shortfalls["teacher_id"].tolist() == ["C"]


def test_shared_room_without_partitions_holds_one_teacher(world):
    sites = [world.site("S1", "R1")]
    rooms = [world.room("S1-200", "S1", "shared", capacity=2, partitions=False)]
    teachers = [world.teacher("A", "2001-01-01"), world.teacher("B", "2002-01-01"), world.teacher("C", "2003-01-01")]
    r = world.solve(sites, rooms, teachers)
    assert world.placed(r) == {"A": ("S1", "S1-200"), "B": (None, None), "C": (None, None)}
    assert r.shortfalls["teacher_id"].tolist() == ["B", "C"]
    assert r.shortfalls["reason"].tolist()[0] == "A19: chose site; every site they may be given is full: S1"


def test_classroom_holds_one_teacher_whatever_its_capacity(world):
    sites = [world.site("S1", "R1")]
    rooms = [world.room("S1-101", "S1", "classroom", capacity=30, partitions=True)]
    r = world.solve(sites, rooms, [world.teacher("A", "2001-01-01"), world.teacher("B", "2002-01-01")])
    assert world.placed(r) == {"A": ("S1", "S1-101"), "B": (None, None)}


def test_classrooms_go_before_shared_rooms_most_senior_first(world):
    sites = [world.site("S1", "R1")]
    rooms = [world.room("S1-001", "S1", "shared", capacity=2, partitions=True), world.room("S1-101", "S1")]
    teachers = [world.teacher("Junior", "2010-01-01"), world.teacher("Senior", "2001-01-01")]
    r = world.solve(sites, rooms, teachers)
    assert world.placed(r) == {"Senior": ("S1", "S1-101"), "Junior": ("S1", "S1-001")}
    assert r.figures["shared_room_teachers"] == 1


def test_teacher_who_stays_keeps_last_nights_room(world):
    sites = [world.site("S1", "R1")]
    rooms = [world.room("S1-001", "S1", "shared", capacity=2, partitions=True), world.room("S1-101", "S1")]
    teachers = [world.teacher("Junior", "2010-01-01", current="S1"), world.teacher("Senior", "2001-01-01", current="S1")]
    prev = world.previous_plan([("Junior", "S1", "S1-101"), ("Senior", "S1", "S1-001")])
    r = world.solve(sites, rooms, teachers, previous=prev)
    assert world.placed(r) == {"Junior": ("S1", "S1-101"), "Senior": ("S1", "S1-001")}
    assert r.figures["rooms_kept"] == 2
    # control: without last night's plan the senior gets the classroom
    r0 = world.solve(sites, rooms, teachers)
    assert world.placed(r0) == {"Junior": ("S1", "S1-001"), "Senior": ("S1", "S1-101")}


def test_last_nights_room_no_longer_valid_is_not_kept(world):
    sites = [world.site("S1", "R1")]
    rooms = [world.room("S1-001", "S1", "shared", capacity=2, partitions=False), world.room("S1-101", "S1")]
    teachers = [world.teacher("A", "2001-01-01", current="S1"), world.teacher("B", "2002-01-01", current="S1")]
    # both were in S1-001 last night; without partitions it now holds one: the more senior keeps it
    prev = world.previous_plan([("A", "S1", "S1-001"), ("B", "S1", "S1-001")])
    r = world.solve(sites, rooms, teachers, previous=prev)
    assert world.placed(r) == {"A": ("S1", "S1-001"), "B": ("S1", "S1-101")}
    assert r.figures["rooms_kept"] == 1


def test_room_of_another_site_last_night_is_not_kept():
    rooms = pd.DataFrame({"room_id": ["S1-101", "S2-101"], "site_id": ["S1", "S2"], "kind": ["classroom"] * 2,
                          "capacity": [1, 1], "partitions": [False, False]})
    placed = pd.DataFrame({"teacher_id": ["A"], "site_id": ["S1"], "rank": [0]})
    seats = assign_rooms(placed, rooms, pd.Series({"A": "S2-101"}))
    assert seats[["teacher_id", "room_id", "kept_room"]].values.tolist() == [["A", "S1-101", False]]


def test_rooms_of_sites_that_are_not_open_are_never_used(world):
    sites = [world.site("S1", "R1", status="temporarily_closed"), world.site("S3", "R1", status="closed"),
             world.site("S2", "R2")]
    rooms = [world.room("S1-101", "S1"), world.room("S3-101", "S3"), world.room("S2-101", "S2")]
    teachers = [world.teacher("A", "2001-01-01", current="S1"), world.teacher("B", "2002-01-01", current="S3"),
                world.teacher("C", "2003-01-01", requests="S1;S3")]
    r = world.solve(sites, rooms, teachers)
    assert set(r.assignments["site_id"].dropna()) == {"S2"}
    assert world.site_of(r) == {"A": "S2", "B": None, "C": None}


def test_home_chooser_gets_no_room(world):
    sites = [world.site("S1", "R1")]
    rooms = [world.room("S1-101", "S1")]
    r = world.solve(sites, rooms, [world.teacher("A", where="home", current="S1", requests="S1")])
    assert world.placed(r) == {"A": (None, None)}
    assert r.assignments["work_location"].tolist() == ["home"]
