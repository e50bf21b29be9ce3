"""assign_locations: the plan's location columns, figures, explanations, stability, speed, and the checker's verdict."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import pytest

from vastaff import generate
from vastaff.check import location as location_checks
from vastaff.check.core import CheckContext
from vastaff.schemas.district import District, Plan
from vastaff.people.location import LocationResult, assign_locations
from vastaff.schemas.plan import PLAN_COLUMNS


def test_tiny_district_by_hand(world, tiny_dir):
    """tests/conftest.py's tiny district: H1 (most senior) asks S2, H2 asks S1 then S2; E1 stays at S1."""
    from vastaff.io.district import load_district

    r = assign_locations(load_district(tiny_dir, world.contract), world.contract)
    assert isinstance(r, LocationResult)
    assert list(r.assignments.columns) == ["teacher_id", "work_location", "site_id", "room_id"]
    assert set(r.assignments.columns) <= set(PLAN_COLUMNS["teachers"])
    # E1 (incumbent of S1, 2005) keeps S1 and, most senior there, its classroom; H2 moves into S1's shared room;
    # H1 (2001) moves into S2 (request 1); E2 and R1T chose home.
    assert world.placed(r) == {"E1": ("S1", "S1-101"), "E2": (None, None), "H1": ("S2", "S2-101"),
                               "H2": ("S1", "S1-200"), "R1T": (None, None)}
    assert r.assignments["work_location"].tolist() == ["site", "home", "site", "site", "home"]
    assert r.shortfalls.empty
    assert r.explanations.to_dict("records") == [
        {"teacher_id": "H1", "rule": "A24", "article": "24.0", "message": "A24: moves from S1 to S2 (request 1 granted)"},
        {"teacher_id": "H2", "rule": "A24", "article": "24.0", "message": "A24: moves from S2 to S1 (request 1 granted)"},
    ]
    assert r.figures == {
        "teachers": 5, "on_site": 3, "at_home": 2, "home_by_choice": 2, "shortfall": 0,
        "shortfall_by_region": {}, "shortfall_by_site": {}, "requests_granted_by_rank": {"1": 2},
        "requests_not_granted": 0, "traded": 0, "moves": {"stayed": 1, "moved": 2, "left_site": 0, "joined_site": 0},
        "places": 4, "places_used": 3, "shared_room_teachers": 1, "rooms_kept": 0,
    }


def test_a19_shortfall_figures_per_site_and_region(world):
    sites = [world.site("S1", "R1"), world.site("S2", "R2")]
    rooms = [world.room("S1-101", "S1")]
    teachers = [world.teacher("A", "2001-01-01", current="S1"), world.teacher("B", "2002-01-01", requests="S2;S1"),
                world.teacher("C", "2003-01-01"), world.teacher("D", "2004-01-01", where="either", requests="S1")]
    r = world.solve(sites, rooms, teachers)
    assert world.site_of(r) == {"A": "S1", "B": None, "C": None, "D": None}
    assert r.shortfalls.to_dict("records") == [
        {"teacher_id": "B", "site_id": "S2", "region_id": "R2",
         "reason": "A19: chose site; every site they may be given is full: S2, S1"},
        {"teacher_id": "C", "site_id": "S1", "region_id": "R1",
         "reason": "A19: chose site; every site they may be given is full: S1"},
    ]
    assert r.figures["shortfall_by_site"] == {"S1": 1, "S2": 1}
    assert r.figures["shortfall_by_region"] == {"R1": 1, "R2": 1}
    assert r.explain("B") == [
        "A19: works from home (chose site but every site they may be given is full: A19 shortfall)",
        "A24: request 1 not granted: S2 has no room",
        "A24: request 2 not granted: S1 full (1 place: incumbent A (Teacher A))"]
    # D chose either: home is not a shortfall
    assert r.explain("D") == ["A24: request 1 not granted: S1 full (1 place: incumbent A (Teacher A))"]


def big_district(n_teachers: int, seed: int = 0) -> District:
    """A synthetic district with n_teachers, 8 regions, 40 sites (3 temporarily closed, 2 closed), frames built directly."""
    rng = np.random.default_rng(seed)
    regions = pd.DataFrame({"region_id": [f"R{i}" for i in range(8)], "x_km": rng.uniform(-40, 40, 8),
                            "y_km": rng.uniform(-40, 40, 8)})
    n_sites = 40
    site_ids = np.array([f"WC{i:02d}" for i in range(n_sites)], dtype=object)
    status = np.array(["open"] * n_sites, dtype=object)
    status[[5, 17, 29]] = "temporarily_closed"
    status[[11, 33]] = "closed"
    sites = pd.DataFrame({"site_id": site_ids, "region_id": regions["region_id"].to_numpy()[np.arange(n_sites) % 8],
                          "priority_site": np.arange(n_sites) == 0, "status": status})
    per_site = n_teachers // 100
    room_site = np.repeat(site_ids, per_site)
    kind = np.where(rng.random(len(room_site)) < 0.2, "shared", "classroom")
    rooms = pd.DataFrame({"room_id": [f"{s}-{i:04d}" for s, i in zip(room_site, np.tile(np.arange(per_site), n_sites))],
                          "site_id": room_site, "kind": kind, "capacity": rng.integers(1, 5, len(room_site)),
                          "partitions": rng.random(len(room_site)) < 0.7})
    schools = pd.DataFrame({"school_id": [f"VA{i}" for i in range(20)], "region_id": regions["region_id"].to_numpy()[
        np.arange(20) % 8]})
    n = n_teachers
    requests = [tuple(site_ids[rng.choice(n_sites, k, replace=False)]) for k in rng.choice([0, 0, 0, 1, 2, 3], n)]
    current = np.where(rng.random(n) < 0.6, site_ids[rng.integers(0, n_sites, n)], None)
    teachers = pd.DataFrame({
        "teacher_id": [f"T{i:05d}" for i in range(n)],
        "school_id": [f"VA{i}" for i in rng.integers(0, 20, n)],
        "seniority_date": (pd.Timestamp("1995-01-01") + pd.to_timedelta(rng.integers(0, 9000, n), unit="D")
                           ).astype("datetime64[s]"),
        "seniority_tiebreak": rng.integers(1, 20, n),
        "home_region_id": regions["region_id"].to_numpy()[rng.integers(0, 8, n)],
        "current_site_id": current,
        "work_location": rng.choice(np.array(["site", "home", "either"], dtype=object), n, p=[0.4, 0.3, 0.3]),
        "ra_status": rng.choice(np.array(["none", "granted", "pending"], dtype=object), n, p=[0.9, 0.05, 0.05]),
        "requested_site_ids": requests,
    })
    empty = pd.DataFrame()
    return District(schools=schools, regions=regions, sites=sites, rooms=rooms, teachers=teachers, courses=empty,
                    demand=empty, periods=empty, iep_meetings=empty, sped_students=empty, positions=empty)


@pytest.mark.slow
def test_twenty_thousand_teachers_in_seconds(world):
    d = big_district(20_000)
    start = time.perf_counter()
    r = assign_locations(d, world.contract)
    seconds = time.perf_counter() - start
    print(f"\nassign_locations, 20,000 teachers: {seconds:.2f} s; {r.figures['on_site']} on site, "
          f"{r.figures['shortfall']} shortfalls, {len(r.explanations)} explanation rows")
    assert seconds < 10  # measured 1-2 s on the 2-core CI box; a quadratic step would take minutes
    assert len(r.assignments) == 20_000 and r.assignments["teacher_id"].is_unique
    # rooms never over their A19 places
    seats = r.assignments.dropna(subset=["room_id"]).groupby("room_id").size()
    limit = np.where((d.rooms["kind"] == "shared") & d.rooms["partitions"], d.rooms["capacity"], 1)
    assert (seats <= pd.Series(limit, index=d.rooms["room_id"]).reindex(seats.index)).all()


def test_last_nights_plan_is_kept_when_nothing_changed(world):
    d = big_district(2_000, seed=4)
    first = assign_locations(d, world.contract)
    e = pd.DataFrame()
    again = assign_locations(d, world.contract, Plan(e, e, first.assignments, e, e))
    pd.testing.assert_frame_equal(first.assignments, again.assignments)
    assert again.figures["rooms_kept"] == first.figures["on_site"] > 0
    # control: rooms are kept even when tonight's seniority order would seat people differently
    swapped = d.teachers.assign(seniority_tiebreak=100 - d.teachers["seniority_tiebreak"])
    d2 = District(**{**d.__dict__, "teachers": swapped})
    fresh = assign_locations(d2, world.contract)
    kept = assign_locations(d2, world.contract, Plan(e, e, first.assignments, e, e))
    same_site = fresh.assignments["site_id"].eq(first.assignments["site_id"])
    assert kept.assignments.loc[same_site, "room_id"].equals(first.assignments.loc[same_site, "room_id"])
    assert not fresh.assignments.loc[same_site, "room_id"].equals(first.assignments.loc[same_site, "room_id"])


# ----------------------------------------------------------------------------------------------
# The independent checker (vastaff.check.location, written from the documentation alone) on our answers.


def violations(district: District, result: LocationResult, contract) -> list[str]:
    e = pd.DataFrame()
    ctx = CheckContext(district=district, plan=Plan(e, e, result.assignments, e, e), contract=contract)
    return [f"{v.rule}: {v.message}" for check in location_checks.CHECKS for v in check(ctx)]


def test_checker_finds_nothing_on_the_tiny_district(world, tiny_dir):
    from vastaff.io.district import load_district

    d = load_district(tiny_dir, world.contract)
    assert violations(d, assign_locations(d, world.contract), world.contract) == []


def test_checker_finds_nothing_on_a_generated_district(world, tmp_path):
    from vastaff.generate.writer import write_district
    from vastaff.io.district import load_district

    write_district(generate.generate_district(60, 7), tmp_path / "sample")
    d = load_district(tmp_path / "sample", world.contract)
    assert violations(d, assign_locations(d, world.contract), world.contract) == []


def test_checker_finds_nothing_on_a_big_district(world):
    """Closed sites' teachers included: their requests (A25: chosen first, in any region) are read alike."""
    d = big_district(3_000, seed=2)
    closed = d.teachers["current_site_id"].isin(d.sites.loc[d.sites["status"] == "closed", "site_id"])
    relocated = d.teachers[closed & (d.teachers["requested_site_ids"].map(len) > 0)]
    assert len(relocated) > 10, "closed sites' teachers with requests, or A25 is not exercised"
    assert violations(d, assign_locations(d, world.contract), world.contract) == []


def test_checker_agrees_on_a_closed_sites_request_in_the_region_nearest_home(world):
    """A24/A25 read a closed site's requests the same way: any open site, chosen before other requesters."""
    # the only A26 teacher: closed S3 in R2 (S2 open there), home R3 (S5), `either`, requests S5 only: S5 is theirs.
    sites = [world.site("S1", "R1"), world.site("S2", "R2"), world.site("S3", "R2", status="closed"),
             world.site("S5", "R3")]
    rooms = [world.room("S1-101", "S1"), world.room("S2-101", "S2"), world.room("S5-101", "S5")]
    tables = world.base_tables(sites, rooms, [world.teacher("A", where="either", current="S3", home="R3",
                                                            requests="S5")])
    d = world.load(tables)
    r = assign_locations(d, world.contract)
    assert world.site_of(r) == {"A": "S5"}
    assert violations(d, r, world.contract) == []


def test_degenerate_districts_give_a_plan_not_a_crash(world):
    """No teachers; no open site with rooms; no sites at all: everyone works from home, with the reason."""
    r = world.solve([world.site("S1", "R1")], [world.room("S1-1", "S1")], [])
    assert r.assignments.empty and list(r.assignments.columns) == ["teacher_id", "work_location", "site_id", "room_id"]
    assert r.figures["teachers"] == 0 and r.figures["places"] == 1
    sites = [world.site("S1", "R1", "closed"), world.site("S2", "R2", "temporarily_closed")]
    teachers = [world.teacher("A", current="S1", requests="S2"), world.teacher("B", where="either", current="S2")]
    r = world.solve(sites, [world.room("S1-1", "S1")], teachers)
    assert world.site_of(r) == {"A": None, "B": None}
    assert r.shortfalls["reason"].tolist() == ["A26: chose site; no open site has a room"]
    r = assign_locations(world.load(world.base_tables([], [], [world.teacher("A")])), world.contract)
    assert r.shortfalls.to_dict("records") == [
        {"teacher_id": "A", "site_id": None, "region_id": "R1", "reason": "A19: chose site; no open site has a room"}]
    assert json.loads(json.dumps(r.shortfalls.to_dict("records"), allow_nan=False))[0]["site_id"] is None
    assert r.explain("A") == ["A19: works from home (chose site but no open site has a room: A19 shortfall)"]
