"""Property tests (hypothesis) on small random districts: A16, A19, A24, A25, A26 hold on every answer.

A25 is read as for a permanent relocation too: a closed site's teacher may request any open site and, on the sites
they requested, comes before every other requester (after the incumbents); A26 places the others.

Every condition is recomputed here from the input rows, independently of vastaff.people.location's internals.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vastaff.people.location import assign_locations

REGIONS = [
    {"region_id": "R1", "name": "North", "x_km": 0, "y_km": 0},
    {"region_id": "R2", "name": "East", "x_km": 10, "y_km": 0},
    {"region_id": "R3", "name": "South", "x_km": 30, "y_km": 0},
    {"region_id": "R4", "name": "West", "x_km": -10, "y_km": 0},
]
XY = {r["region_id"]: (r["x_km"], r["y_km"]) for r in REGIONS}
SITE_IDS = ["S1", "S2", "S3", "S4", "S5"]


@st.composite
def districts(draw):
    n_sites = draw(st.integers(2, 5))
    sites = [{"site_id": s, "name": s, "region_id": draw(st.sampled_from(list(XY))), "priority_site": "false",
              "status": draw(st.sampled_from(["open", "open", "open", "temporarily_closed", "closed"]))}
             for s in SITE_IDS[:n_sites]]
    rooms = []
    for s in sites:
        for k in range(draw(st.integers(0, 3))):
            kind = draw(st.sampled_from(["classroom", "shared"]))
            rooms.append({"room_id": f"{s['site_id']}-{k}", "site_id": s["site_id"], "kind": kind,
                          "capacity": draw(st.integers(1, 3)), "partitions": draw(st.sampled_from(["true", "false"]))})
    ids = [s["site_id"] for s in sites]
    teachers = []
    for i in range(draw(st.integers(1, 10))):
        requests = draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
        teachers.append({
            "seniority_date": draw(st.sampled_from(["2001-01-01", "2005-06-01", "2010-09-01"])),
            "seniority_tiebreak": draw(st.integers(1, 3)),
            "work_location": draw(st.sampled_from(["site", "site", "either", "home"])),
            "current_site_id": draw(st.sampled_from([""] + ids)),
            "requested_site_ids": ";".join(requests),
            "home_region_id": draw(st.sampled_from(list(XY))),
            "ra_status": draw(st.sampled_from(["none", "none", "granted", "pending"])),
            "tid": f"T{i:02d}",
        })
    return sites, rooms, teachers


def places_of(rooms: list[dict]) -> dict[str, int]:
    return {r["room_id"]: (r["capacity"] if r["kind"] == "shared" and r["partitions"] == "true" else 1) for r in rooms}


def by_distance(origin: str, candidates: set[str]) -> list[set[str]]:
    """Candidate regions grouped by distance from origin, nearest group first (ties share a group)."""
    d = sorted((math.dist(XY[origin], XY[r]), r) for r in candidates)
    groups: list[set[str]] = []
    last = None
    for km, r in d:
        if last is None or km > last + 1e-9:
            groups.append(set())
        groups[-1].add(r)
        last = km
    return groups


def check_answer(sites, rooms, teachers, result) -> None:
    """A16, A19, A24, A25, A26 recomputed from the rows."""
    status = {s["site_id"]: s["status"] for s in sites}
    region = {s["site_id"]: s["region_id"] for s in sites}
    room_site = {r["room_id"]: r["site_id"] for r in rooms}
    cap = places_of(rooms)
    site_cap = {s: sum(c for r, c in cap.items() if room_site[r] == s) for s in status}
    got = {t: (None if pd.isna(s) else s, None if pd.isna(r) else r)
           for t, s, r in zip(result.assignments["teacher_id"], result.assignments["site_id"],
                              result.assignments["room_id"])}
    by_id = {t["tid"]: t for t in teachers}
    assert set(got) == set(by_id)
    occupancy = pd.Series([r for _, r in got.values() if r]).value_counts().to_dict()
    at_site = pd.Series([s for s, _ in got.values() if s]).value_counts().to_dict()
    full = {s: at_site.get(s, 0) >= site_cap[s] for s in status}
    open_sites = {s for s, v in status.items() if v == "open"}
    open_regions = {region[s] for s in open_sites}

    def seniority(t):
        return (t["seniority_date"], t["seniority_tiebreak"])

    def a26_tiers(t) -> list[set[str]]:
        """Regions a closed site's teacher may be placed in, in A26 order: its own region, then by distance home."""
        own = [{region[t["current_site_id"]]} & open_regions]
        return [g for g in own + by_distance(t["home_region_id"], open_regions) if g]

    def tier_of(t, reg) -> int:
        return next(i for i, g in enumerate(a26_tiers(t)) if reg in g)

    def requested(t) -> list[str]:
        return [s for s in t["requested_site_ids"].split(";") if s]

    def ranking(t) -> list[str]:
        """The open sites a teacher requested (A25: a closed site's teacher may request any), in their order."""
        return [] if t["work_location"] == "home" else [s for s in requested(t) if s in open_sites]

    def relocated(t) -> bool:
        return status.get(t["current_site_id"]) == "closed"

    def claim(t, site) -> tuple:
        """How a site ranks a teacher who is not its incumbent: a closed site's teacher asking for a site they
        requested first (A25), then by seniority (A24)."""
        return (0 if relocated(t) and site in requested(t) else 1, seniority(t))

    for tid, (s, r) in got.items():
        t = by_id[tid]
        cur_status = status.get(t["current_site_id"])
        # A16: a home chooser is never placed
        if t["work_location"] == "home":
            assert s is None, tid
        # A19: on site with a room of that site; at home with neither
        assert (s is None) == (r is None), tid
        if s is not None:
            assert room_site[r] == s, tid
            # A25 / A26: only open sites
            assert status[s] == "open", tid
            # A26: a closed site's teacher not at a requested site (their A25 choice) is in its region, else the
            # nearest region to home with a room left
            if cur_status == "closed" and s not in requested(t):
                k = tier_of(t, region[s])
                assert all(full[x] for x in open_sites if tier_of(t, region[x]) < k), tid
            # A25: an `either` teacher of a temporarily closed site with no request goes home
            if cur_status == "temporarily_closed" and t["work_location"] == "either":
                assert t["requested_site_ids"], tid
        else:
            # A19 / A25 / A26: who seeks a room goes home only when every open site is full
            moved_out = cur_status in ("temporarily_closed", "closed")
            seeks = t["work_location"] == "site" or (moved_out and t["work_location"] == "either"
                                                     and t["requested_site_ids"])
            if seeks:
                assert all(full[x] for x in open_sites), tid
    for room_id, n in occupancy.items():
        assert n <= cap[room_id], room_id

    for tid, (s, _) in got.items():
        t = by_id[tid]
        # A24/A25: nobody moves into a site that a teacher the site ranks higher ranked above what they got
        if s is not None and s != t["current_site_id"]:
            for u in teachers:
                if claim(u, s) < claim(t, s):
                    rank = ranking(u)
                    mine = got[u["tid"]][0]
                    above = rank[: rank.index(mine)] if mine in rank else rank
                    assert s not in above, f"{tid} moved into {s} that {u['tid']}, ranked higher there, wanted more"
        # A24: requests fill available space: no site ranked above what the teacher got has a free place
        rank = ranking(t)
        above = rank[: rank.index(s)] if s in rank else rank
        assert all(full[x] for x in above), tid
        # A24: an incumbent who still wants their site only loses it to more senior incumbents
        cur = t["current_site_id"]
        if cur and status[cur] == "open" and t["work_location"] != "home" and s != cur:
            better = s is not None and s in rank and (cur not in rank or rank.index(s) < rank.index(cur))
            if not better:
                holders = [by_id[h] for h, (hs, _) in got.items() if hs == cur]
                assert all(h["current_site_id"] == cur and seniority(h) <= seniority(t) for h in holders), tid


def rows(world, sites, rooms, teachers):
    trows = [world.teacher(t["tid"], t["seniority_date"], t["seniority_tiebreak"], t["work_location"],
                           t["current_site_id"], t["requested_site_ids"], t["home_region_id"], t["ra_status"])
             for t in teachers]
    return [dict(s) for s in sites], [dict(r) for r in rooms], trows


def solve_fast(world, sites, rooms, teachers, regions=REGIONS):
    """assign_locations on the rows, built as frames directly (see test_frames_match_the_loader)."""
    return assign_locations(world.frames(world.base_tables(sites, rooms, teachers, regions)), world.contract)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(districts())
def test_every_answer_satisfies_the_location_rules(world, case):
    sites, rooms, teachers = case
    result = solve_fast(world, *rows(world, sites, rooms, teachers))
    check_answer(sites, rooms, teachers, result)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(districts())
def test_answer_does_not_depend_on_row_order(world, case):
    sites, rooms, teachers = rows(world, *case)
    first = solve_fast(world, sites, rooms, teachers)
    again = solve_fast(world, sites[::-1], rooms[::-1], teachers[::-1], regions=REGIONS[::-1])
    pd.testing.assert_frame_equal(first.assignments, again.assignments)
    pd.testing.assert_frame_equal(first.explanations, again.explanations)


def test_frames_match_the_loader(world):
    """The fast frame builder gives the answer the CSV loader gives (so the properties hold for the CLI path)."""
    sites = [world.site("S1", "R1"), world.site("S2", "R2", status="temporarily_closed"), world.site("S3", "R3", "closed")]
    rooms = [world.room("S1-1", "S1"), world.room("S1-2", "S1", "shared", 2, True), world.room("S2-1", "S2")]
    teachers = [world.teacher("A", "2001-01-01", current="S2"), world.teacher("B", "2001-01-01", 2, "either", "S3", "S1"),
                world.teacher("C", "2003-01-01", where="either", current="S1"), world.teacher("D", requests="S2;S1")]
    tables = world.base_tables(sites, rooms, teachers)
    by_csv = assign_locations(world.load(tables), world.contract)
    by_frames = assign_locations(world.frames(tables), world.contract)
    pd.testing.assert_frame_equal(by_csv.assignments, by_frames.assignments)
    pd.testing.assert_frame_equal(by_csv.explanations, by_frames.explanations)
    assert world.site_of(by_csv) == {"A": "S1", "B": "S1", "C": "S1", "D": None}


def exchanged(result, a: str, b: str):
    """`result` with teachers a and b trading their sites and rooms (both placed)."""
    frame = result.assignments.set_index("teacher_id")
    frame.loc[[a, b], ["site_id", "room_id"]] = frame.loc[[b, a], ["site_id", "room_id"]].to_numpy()
    return type("Exchanged", (), {"assignments": frame.reset_index()})()


def gains(t: dict, got: str | None, offered: str) -> bool:
    """Whether a teacher ranked `offered` among their requests above what they got."""
    asked = [s for s in t["requested_site_ids"].split(";") if s]
    return t["work_location"] != "home" and offered in asked and (got not in asked
                                                                  or asked.index(offered) < asked.index(got))


@st.composite
def full_sites(draw):
    """Open sites whose rooms hold about their incumbents, and teachers asking for each other's sites: trades are
    what matters here (in `districts` two teachers rarely want each other's site)."""
    n_sites = draw(st.integers(2, 4))
    ids = SITE_IDS[:n_sites]
    sites = [{"site_id": s, "name": s, "region_id": draw(st.sampled_from(list(XY))), "priority_site": "false",
              "status": "open"} for s in ids]
    teachers = []
    for i in range(draw(st.integers(2, 9))):
        current = draw(st.sampled_from(ids))
        others = draw(st.permutations([s for s in ids if s != current]))
        teachers.append({"seniority_date": draw(st.sampled_from(["2001-01-01", "2005-06-01", "2010-09-01"])),
                         "seniority_tiebreak": i + 1, "work_location": draw(st.sampled_from(["site", "either"])),
                         "current_site_id": draw(st.sampled_from([current, current, ""])),
                         "requested_site_ids": ";".join(others[:draw(st.integers(0, len(others)))]),
                         "home_region_id": draw(st.sampled_from(list(XY))), "ra_status": "none", "tid": f"T{i:02d}"})
    held = pd.Series([t["current_site_id"] for t in teachers]).value_counts()
    rooms = [{"room_id": f"{s}-{k}", "site_id": s, "kind": "classroom", "capacity": 1, "partitions": "false"}
             for s in ids for k in range(max(0, int(held.get(s, 0)) + draw(st.integers(-1, 0))))]
    return sites, rooms, teachers


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(full_sites())
def test_no_exchange_the_rules_allow_is_left_undone(world, case):
    """A24: two placed teachers who each ranked the other's site above their own are traded whenever the trade
    breaks no rule, so check_answer fails on every such trade left undone; the answer with its trades keeps every
    rule itself and does not depend on the order of the rows."""
    sites, rooms, teachers = case
    result = solve_fast(world, *rows(world, sites, rooms, teachers))
    check_answer(sites, rooms, teachers, result)
    again = solve_fast(world, *(r[::-1] for r in rows(world, sites, rooms, teachers)), regions=REGIONS[::-1])
    pd.testing.assert_frame_equal(result.assignments, again.assignments)
    site = dict(zip(result.assignments["teacher_id"], result.assignments["site_id"].where(
        result.assignments["site_id"].notna(), None)))
    by_id = {t["tid"]: t for t in teachers}
    placed = sorted(t for t, s in site.items() if s is not None)
    for i, a in enumerate(placed):
        for b in placed[i + 1:]:
            if site[a] != site[b] and gains(by_id[a], site[a], site[b]) and gains(by_id[b], site[b], site[a]):
                with pytest.raises(AssertionError):
                    check_answer(sites, rooms, teachers, exchanged(result, a, b))
