"""A16, A19, A24, A25, A26 checks on the tiny district and on crafted request cases.

Tiny district: sites S1 (region R1 at 0,0; priority) and S2 (R2 at 0,-20); rooms S1-101 (classroom),
S1-200 (shared, capacity 2, partitions), S2-101 (classroom). The valid plan: E1 S1-101 (incumbent),
H1 S2-101 (first request), H2 S1-200 (first request), E2 and R1T at home; S1-200 keeps one free place.
"""

from __future__ import annotations

from people_plans import context, edit_rows, run_all, teacher_row, tiny_plan_tables, tiny_tables
from vastaff.check import closures, location

LOCATION = (location, closures)  # A16, A19, A24 and the closed sites (A25, A26)


def place(plan: dict, tid: str, where: str = "home", site: str = "", room: str = "") -> dict:
    edit_rows(plan["teachers"], "teacher_id", tid, **teacher_row(tid, where, site, room))
    return plan


def rules(found) -> list[tuple[str, str]]:
    return [(v.rule, v.article) for v in found]


def test_tiny_plan_passes(tmp_path):
    assert run_all(LOCATION, context(tmp_path)) == []


def test_no_plan_teachers_means_nothing_to_check(tmp_path):
    plan = tiny_plan_tables()
    plan["teachers"] = None
    assert run_all(LOCATION, context(tmp_path, plan=plan)) == []


# ---------------------------------------------------------------------------------------------- A16

def test_home_chooser_placed_on_site(tmp_path):
    """docs/contract.md, A19: "a teacher who chose home gets no room" — E2 (no RA) given one is A19's."""
    plan = place(tiny_plan_tables(), "E2", "site", "S1", "S1-200")
    found = run_all(LOCATION, context(tmp_path, plan=plan))
    assert rules(found) == [("A19", "19.0")]
    assert found[0].message == "teacher E2 chose to work from home but the plan places them on site at S1 (room S1-200)"
    assert [(r.file, r.key) for r in found[0].rows] == [("teachers.csv", "E2"), ("sites.csv", "S1")]


def test_home_chooser_with_ra_is_still_never_placed(tmp_path):
    """docs/contract.md, A16: a teacher with RA granted or pending "is never placed at a site after choosing `home`" —
    and, given a room, A19's too."""
    plan = place(tiny_plan_tables(), "R1T", "site", "S1", "S1-200")
    found = location.check_a16_home_choice(context(tmp_path, plan=plan))
    assert [(v.rule, v.article) for v in found] == [("A16", "16.0"), ("A19", "19.0")]
    assert found[1].message == ("teacher R1T chose to work from home but the plan places them on site at S1 (room "
                                "S1-200); a home chooser gets no room")


# ---------------------------------------------------------------------------------------------- A19 fields and rooms

def test_on_site_without_a_room(tmp_path):
    plan = place(tiny_plan_tables(), "H1", "site", "S2")
    found = run_all(LOCATION, context(tmp_path, plan=plan))
    assert rules(found) == [("A19", "19.0")]
    assert found[0].message == "teacher H1 works on site at S2 but has no room"


def test_room_of_another_site(tmp_path):
    plan = place(tiny_plan_tables(), "H2", "site", "S1", "S2-101")
    place(plan, "H1", "site", "S2", "S1-200")
    found = location.check_a19_location_fields(context(tmp_path, plan=plan))
    assert [v.message for v in found] == ["teacher H1 is placed at site S2 but given room S1-200 of site S1",
                                          "teacher H2 is placed at site S1 but given room S2-101 of site S2"]


def test_home_with_a_room(tmp_path):
    plan = place(tiny_plan_tables(), "R1T", "home", "", "S1-200")
    found = run_all(LOCATION, context(tmp_path, plan=plan))
    assert rules(found) == [("A19", "19.0")]
    assert found[0].message == ("teacher R1T works from home but has site_id (blank) and room_id S1-200; "
                                "both are blank at home")


def test_classroom_holds_one_teacher(tmp_path):
    plan = place(tiny_plan_tables(), "H2", "site", "S1", "S1-101")
    found = run_all(LOCATION, context(tmp_path, plan=plan))
    assert rules(found) == [("A19", "19.0")]
    assert found[0].message == "room S1-101 (classroom) at site S1 holds 2 teachers (E1, H2); at most 1"
    assert [(r.file, r.key) for r in found[0].rows] == [
        ("rooms.csv", "S1-101"), ("teachers.csv", "E1"), ("teachers.csv", "H2")]


def test_classroom_capacity_is_ignored(tmp_path):
    data = tiny_tables()
    edit_rows(data["rooms"], "room_id", "S1-101", capacity=3, partitions="true")
    plan = place(tiny_plan_tables(), "H2", "site", "S1", "S1-101")
    assert rules(location.check_a19_room_capacity(context(tmp_path, data=data, plan=plan))) == [("A19", "19.0")]


def _two_in_shared(partitions: str) -> tuple[dict, dict]:
    data = tiny_tables()
    edit_rows(data["rooms"], "room_id", "S1-200", partitions=partitions)
    plan = place(tiny_plan_tables(), "E1", "site", "S1", "S1-200")
    return data, plan


def test_shared_room_without_partitions_holds_one(tmp_path):
    data, plan = _two_in_shared("false")
    found = run_all(LOCATION, context(tmp_path, data=data, plan=plan))
    assert rules(found) == [("A19", "19.0")]
    assert found[0].message == ("room S1-200 (shared, capacity 2, no partitions) at site S1 holds 2 teachers (E1, H2); "
                                "at most 1")


def test_control_shared_room_with_partitions_holds_its_capacity(tmp_path):
    data, plan = _two_in_shared("true")
    assert run_all(LOCATION, context(tmp_path, data=data, plan=plan)) == []


def _h2_without_requests() -> dict:
    data = tiny_tables()
    edit_rows(data["teachers"], "teacher_id", "H2", requested_site_ids="")
    return data


def test_site_chooser_home_while_a_room_is_free(tmp_path):
    plan = place(tiny_plan_tables(), "H2")
    found = run_all(LOCATION, context(tmp_path, data=_h2_without_requests(), plan=plan))
    assert rules(found) == [("A19", "19.0")]
    assert found[0].message == ("teacher H2 chose to work on site but works from home while room S1-200 at site S1 "
                                "has 2 free place(s)")


def test_a_site_chooser_with_an_ra_is_owed_a_free_room_too(tmp_path):
    """A16 lets a teacher with an RA work from home; it does not let the plan send one who chose `site` home while a
    room is free (a probe written from the docs alone found 17 such plans passing)."""
    data = _h2_without_requests()
    edit_rows(data["teachers"], "teacher_id", "H2", ra_status="pending")
    plan = place(tiny_plan_tables(), "H2")
    found = run_all(LOCATION, context(tmp_path, data=data, plan=plan))
    assert [(v.rule, v.message) for v in found] == [("A19", "teacher H2 chose to work on site but works from home "
                                                            "while room S1-200 at site S1 has 2 free place(s)")]


def test_control_site_chooser_home_when_no_room_is_free_is_a_shortfall(tmp_path):
    data = _h2_without_requests()
    data["rooms"] = [r for r in data["rooms"] if r["room_id"] != "S1-200"]
    plan = place(tiny_plan_tables(), "H2")
    ctx = context(tmp_path, data=data, plan=plan)
    assert run_all(LOCATION, ctx) == []
    figures = location.location_figures(ctx)
    assert figures["A19 rooms and shortfall per site"] == [
        {"site_id": "S1", "region_id": "R1", "status": "open", "places": 1, "placed": 1, "free": 0,
         "site_choosers_at_home": 0},
        {"site_id": "S2", "region_id": "R2", "status": "open", "places": 1, "placed": 1, "free": 0,
         "site_choosers_at_home": 1}]
    assert figures["A19/A24 work location"]["site_choosers_at_home"] == 1


# ---------------------------------------------------------------------------------------------- A24

def _requests_district(tiebreaks: dict[str, tuple[str, int]], requests: dict[str, str],
                       current: dict[str, str] | None = None) -> dict:
    """Tiny district whose high teachers are replaced by `tiebreaks` (id -> (date, tiebreak)), all 'either'
    choosers with the given requests; S1 has one classroom, S2 one classroom."""
    data = tiny_tables()
    template = next(t for t in data["teachers"] if t["teacher_id"] == "H1")
    data["teachers"] = [t for t in data["teachers"] if t["teacher_id"] in ("E2", "R1T")]
    for tid, (date, tb) in tiebreaks.items():
        data["teachers"].append({**template, "teacher_id": tid, "name": tid, "seniority_date": date,
                                 "seniority_tiebreak": tb, "current_site_id": (current or {}).get(tid, ""),
                                 "requested_site_ids": requests.get(tid, ""), "work_location": "either"})
    data["rooms"] = [r for r in data["rooms"] if r["room_id"] != "S1-200"]
    data["iep_meetings"] = []
    return data


def _requests_plan(places: dict[str, tuple[str, str]]) -> dict:
    plan = tiny_plan_tables()
    plan["teachers"] = [teacher_row("E2"), teacher_row("R1T")]
    plan["teachers"] += [teacher_row(t, "site", s, r) if s else teacher_row(t) for t, (s, r) in places.items()]
    plan["iep_assignments"] = None
    return plan


THREE = {"A": ("2001-01-01", 1), "B": ("2005-01-01", 2), "C": ("2005-01-01", 1)}
"""Seniority A > C > B: B and C share a date, C's lower tiebreak makes C more senior."""
ALL_WANT_S1 = {"A": "S1", "B": "S1", "C": "S1"}


def test_three_want_one_room_most_senior_gets_it(tmp_path):
    plan = _requests_plan({"A": ("S1", "S1-101"), "B": ("", ""), "C": ("", "")})
    assert run_all(LOCATION, context(tmp_path, data=_requests_district(THREE, ALL_WANT_S1), plan=plan)) == []


def test_three_want_one_room_junior_takes_it(tmp_path):
    plan = _requests_plan({"A": ("", ""), "B": ("S1", "S1-101"), "C": ("", "")})
    found = run_all(LOCATION, context(tmp_path, data=_requests_district(THREE, ALL_WANT_S1), plan=plan))
    assert rules(found) == [("A24", "24.0")]
    assert found[0].message == ("teacher B (seniority 2005-01-01, tiebreak 2) moved into site S1, which more senior "
                                "teacher A (seniority 2001-01-01, tiebreak 1) listed as request 1, above what they got "
                                "(home)")
    assert [(r.file, r.key) for r in found[0].rows] == [
        ("teachers.csv", "B"), ("teachers.csv", "A"), ("sites.csv", "S1")]


def test_equal_dates_decided_by_tiebreak(tmp_path):
    two = {k: v for k, v in THREE.items() if k != "A"}
    wants = {"B": "S1", "C": "S1"}
    ok = _requests_plan({"B": ("", ""), "C": ("S1", "S1-101")})
    assert run_all(LOCATION, context(tmp_path, data=_requests_district(two, wants), plan=ok)) == []
    bad = _requests_plan({"B": ("S1", "S1-101"), "C": ("", "")})
    found = run_all(LOCATION, context(tmp_path, data=_requests_district(two, wants), plan=bad))
    assert [v.message for v in found] == [
        "teacher B (seniority 2005-01-01, tiebreak 2) moved into site S1, which more senior teacher C "
        "(seniority 2005-01-01, tiebreak 1) listed as request 1, above what they got (home)"]


def test_incumbent_is_never_bumped(tmp_path):
    """C works at S1 now and stays; A wants S1 more but an incumbent keeps the room."""
    data = _requests_district(THREE, {"A": "S1"}, current={"C": "S1"})
    plan = _requests_plan({"A": ("", ""), "B": ("", ""), "C": ("S1", "S1-101")})
    assert run_all(LOCATION, context(tmp_path, data=data, plan=plan)) == []


def test_unlisted_site_ranks_below_every_listed_site(tmp_path):
    """A got S2 (not listed), so A still ranks S1 above it: B cannot move into S1."""
    plan = _requests_plan({"A": ("S2", "S2-101"), "B": ("S1", "S1-101"), "C": ("", "")})
    found = run_all(LOCATION, context(tmp_path, data=_requests_district(THREE, {"A": "S1", "B": "S1"}), plan=plan))
    assert rules(found) == [("A24", "24.0")]
    assert "listed as request 1, above what they got (site S2)" in found[0].message


def test_control_senior_got_what_they_ranked_higher(tmp_path):
    """A ranks S2 then S1 and got S2: B may move into S1."""
    plan = _requests_plan({"A": ("S2", "S2-101"), "B": ("S1", "S1-101"), "C": ("", "")})
    data = _requests_district(THREE, {"A": "S2;S1", "B": "S1"})
    assert run_all(LOCATION, context(tmp_path, data=data, plan=plan)) == []


def test_request_left_unmet_while_the_site_has_room(tmp_path):
    plan = _requests_plan({"A": ("", ""), "B": ("", ""), "C": ("", "")})
    found = run_all(LOCATION, context(tmp_path, data=_requests_district(THREE, {"C": "S2"}), plan=plan))
    assert rules(found) == [("A24", "24.0")]
    assert found[0].message == ("teacher C listed site S2 as request 1, above what they got (home) while S2 has 1 "
                                "free place(s)")


def test_a_mover_into_a_site_that_keeps_a_free_place_took_nobodys_place(tmp_path):
    """A (senior) asked for S2 and is home; B moved into S2, which still has a place: A's unmet request is the one
    violation (free space), not also 'B moved into S2, which A wanted' (a chair's edit gave six such lines)."""
    data = _requests_district(THREE, {"A": "S2", "B": "S2"})
    data["rooms"].append({"room_id": "S2-102", "site_id": "S2", "kind": "classroom", "capacity": 1,
                          "partitions": "false"})
    plan = _requests_plan({"A": ("", ""), "B": ("S2", "S2-101"), "C": ("", "")})
    found = run_all(LOCATION, context(tmp_path, data=data, plan=plan))
    assert [v.message for v in found] == [
        "teacher A listed site S2 as request 1, above what they got (home) while S2 has 1 free place(s)"]


def test_senior_ranking_ignores_a_site_that_is_not_open(tmp_path):
    """A ranks S2 first, but S2 is temporarily closed: A got S1, the best site A may be given."""
    data = _requests_district(THREE, {"A": "S2;S1", "C": "S1"})
    edit_rows(data["sites"], "site_id", "S2", status="temporarily_closed")
    plan = _requests_plan({"A": ("S1", "S1-101"), "B": ("", ""), "C": ("", "")})
    ctx = context(tmp_path, data=data, plan=plan)
    assert run_all(LOCATION, ctx) == []
    work = location.location_figures(ctx)["A19/A24 work location"]
    assert (work["teachers_with_requests"], work["got_a_requested_site"]) == (2, 1)


def test_a_closed_sites_teacher_ranks_every_open_site_they_requested(tmp_path):
    """A's site S3 (region R1) closed; A requests S2 (region R2) and got S1: B moving into S2 takes A's choice (A25,
    permanent relocation: a closed site's teachers choose first, in any region)."""
    data = _requests_district(THREE, {"A": "S2", "B": "S2"}, current={"A": "S3"})
    data["sites"].append({"site_id": "S3", "name": "Old", "region_id": "R1", "priority_site": "false", "status": "closed"})
    plan = _requests_plan({"A": ("S1", "S1-101"), "B": ("S2", "S2-101"), "C": ("", "")})
    found = run_all(LOCATION, context(tmp_path, data=data, plan=plan))
    assert rules(found) == [("A25", "25.0")]
    data_open = _requests_district(THREE, {"A": "S2", "B": "S2"})
    found = run_all(LOCATION, context(tmp_path, data=data_open, plan=plan))
    assert rules(found) == [("A24", "24.0")]


# ---------------------------------------------------------------------------------------------- A25

def _s2_temporarily_closed() -> dict:
    data = tiny_tables()
    edit_rows(data["sites"], "site_id", "S2", status="temporarily_closed")
    edit_rows(data["teachers"], "teacher_id", "H1", requested_site_ids="")
    edit_rows(data["teachers"], "teacher_id", "H2", requested_site_ids="")
    return data


def _h1_home(plan: dict) -> dict:
    return place(plan, "H1")


def test_nobody_at_a_temporarily_closed_site(tmp_path):
    plan = _h1_home(place(tiny_plan_tables(), "H2", "site", "S2", "S2-101"))
    found = run_all(LOCATION, context(tmp_path, data=_s2_temporarily_closed(), plan=plan))
    assert rules(found) == [("A25", "25.0")]
    assert found[0].message == "teacher H2 is placed at site S2, which is temporarily closed"


def test_control_temporarily_closed_teacher_at_an_open_site(tmp_path):
    plan = _h1_home(tiny_plan_tables())
    assert run_all(LOCATION, context(tmp_path, data=_s2_temporarily_closed(), plan=plan)) == []


def test_temporarily_closed_teacher_who_did_not_ask_goes_home(tmp_path):
    data = _s2_temporarily_closed()
    edit_rows(data["teachers"], "teacher_id", "H2", work_location="either", requested_site_ids="")
    found = run_all(LOCATION, context(tmp_path, data=data, plan=_h1_home(tiny_plan_tables())))
    assert rules(found) == [("A25", "25.0")]
    assert found[0].message == ("teacher H2 of temporarily closed site S2 neither chose site nor listed requests, so "
                                "works from home, but the plan places them at S1")
    control = place(_h1_home(tiny_plan_tables()), "H2")
    assert run_all(LOCATION, context(tmp_path, data=data, plan=control)) == []


def test_temporarily_closed_teacher_who_asked_is_left_home_with_room_free(tmp_path):
    data = _s2_temporarily_closed()
    plan = place(_h1_home(tiny_plan_tables()), "H2")
    found = run_all(LOCATION, context(tmp_path, data=data, plan=plan))
    assert rules(found) == [("A25", "25.0")]
    assert found[0].message == ("teacher H2 of temporarily closed site S2 asked to work at an open site but works from "
                                "home while room S1-200 at site S1 has 2 free place(s)")
    edit_rows(data["teachers"], "teacher_id", "H2", ra_status="granted")
    assert run_all(LOCATION, context(tmp_path, data=data, plan=plan)) == []


# ---------------------------------------------------------------------------------------------- A26

def _s2_closed(extra_regions=(), extra_sites=(), extra_rooms=()) -> dict:
    """S2 (region R2) closed for good; H2 (home R2, site chooser) worked there; H1 asks nothing."""
    data = tiny_tables()
    edit_rows(data["sites"], "site_id", "S2", status="closed")
    edit_rows(data["teachers"], "teacher_id", "H1", requested_site_ids="")
    edit_rows(data["teachers"], "teacher_id", "H2", requested_site_ids="")
    data["regions"] += list(extra_regions)
    data["sites"] += list(extra_sites)
    data["rooms"] += list(extra_rooms)
    return data


R3 = {"region_id": "R3", "name": "Harbor", "x_km": 0, "y_km": -30}
S3 = {"site_id": "S3", "name": "Harbor WC", "region_id": "R3", "priority_site": "false", "status": "open"}
S3_101 = {"room_id": "S3-101", "site_id": "S3", "kind": "classroom", "capacity": 1, "partitions": "false"}


def _a26_plan(h2_site: str, h2_room: str) -> dict:
    plan = place(tiny_plan_tables(), "H1", "site", "S1", "S1-200")
    return place(plan, "H2", "site", h2_site, h2_room)


def test_closed_site_teacher_placed_away_from_the_nearest_region(tmp_path):
    """R2 has no open site; R3 (10 km from home R2) is nearer than R1 (20 km) and S3 has a free room."""
    data = _s2_closed([R3], [S3], [S3_101])
    found = run_all(LOCATION, context(tmp_path, data=data, plan=_a26_plan("S1", "S1-200")))
    assert rules(found) == [("A26", "26.0")]
    assert found[0].message == ("teacher H2 of closed site S2 (region R2) is placed at S1 in region R1, 20 km from home "
                                "region R2, while nearer region(s) R3 have a free place")


def test_control_closed_site_teacher_in_the_nearest_region(tmp_path):
    data = _s2_closed([R3], [S3], [S3_101])
    assert run_all(LOCATION, context(tmp_path, data=data, plan=_a26_plan("S3", "S3-101"))) == []


def test_control_nearest_region_full_allows_the_next(tmp_path):
    data = _s2_closed([R3], [S3], [S3_101])
    plan = place(_a26_plan("S1", "S1-200"), "E2")
    plan["teachers"].append(teacher_row("X1", "site", "S3", "S3-101"))
    template = next(t for t in data["teachers"] if t["teacher_id"] == "E1")
    data["teachers"].append({**template, "teacher_id": "X1", "current_site_id": "S3", "seniority_date": "1999-01-01"})
    assert closures.check_a26_region(context(tmp_path, data=data, plan=plan)) == []


def test_closed_site_region_with_room_comes_first(tmp_path):
    s4 = {"site_id": "S4", "name": "South 2", "region_id": "R2", "priority_site": "false", "status": "open"}
    s4_room = {"room_id": "S4-101", "site_id": "S4", "kind": "classroom", "capacity": 1, "partitions": "false"}
    data = _s2_closed([R3], [S3, s4], [S3_101, s4_room])
    found = closures.check_a26_region(context(tmp_path, data=data, plan=_a26_plan("S3", "S3-101")))
    assert [v.message for v in found] == ["teacher H2 of closed site S2 (region R2) is placed at S3 in region R3, "
                                          "while region R2 of that site still has a free place"]
    assert closures.check_a26_region(context(tmp_path, data=data, plan=_a26_plan("S4", "S4-101"))) == []


def test_tied_nearest_regions_are_all_allowed(tmp_path):
    r4 = {"region_id": "R4", "name": "East", "x_km": 10, "y_km": -20}
    s5 = {"site_id": "S5", "name": "East WC", "region_id": "R4", "priority_site": "false", "status": "open"}
    s5_room = {"room_id": "S5-101", "site_id": "S5", "kind": "classroom", "capacity": 1, "partitions": "false"}
    data = _s2_closed([R3, r4], [S3, s5], [S3_101, s5_room])
    assert closures.check_a26_region(context(tmp_path, data=data, plan=_a26_plan("S5", "S5-101"))) == []
    assert closures.check_a26_region(context(tmp_path, data=data, plan=_a26_plan("S3", "S3-101"))) == []


def test_nobody_at_a_closed_site(tmp_path):
    data = _s2_closed()
    plan = place(tiny_plan_tables(), "H1", "site", "S2", "S2-101")
    found = run_all(LOCATION, context(tmp_path, data=data, plan=place(plan, "H2", "site", "S1", "S1-200")))
    assert rules(found) == [("A26", "26.0")]
    assert found[0].message == "teacher H1 is placed at site S2, which is closed"


def test_runner_reports_people_rules_from_a_plan_folder(tmp_path):
    """Through run_checks, as `vastaff check` calls it: the A19 violation of a written plan folder comes out."""
    from people_plans import CONTRACT, district_of, written_plan
    from vastaff.check.runner import run_checks

    tables = place(tiny_plan_tables(), "E2", "site", "S1", "S1-200")
    report = run_checks(district_of(tmp_path, tiny_tables()), written_plan(tmp_path / "plan", tables), CONTRACT)
    people = [v for v in report.violations if v.rule in ("A7.1", "A7.2", "A7.3", "A16", "A19", "A24", "A25", "A26")]
    assert [(v.rule, v.rows[0].key) for v in people] == [("A19", "E2")]
    assert "A19 rooms and shortfall per site" in report.figures


def test_a_senior_held_at_a_locked_site_has_no_claim_on_the_sites_the_lock_keeps_them_from(tmp_path):
    """A ranks S1 first; B moves into S1. Without a lock that wrongs A (A24); with a lock requiring A at S2, S1 is a
    site A may not be given, so A's ranking ignores it (check/site_locks.py) and nobody is wronged."""
    data = _requests_district(THREE, {"A": "S1;S2", "B": "S1"})
    plan = _requests_plan({"A": ("S2", "S2-101"), "B": ("S1", "S1-101"), "C": ("", "")})
    found = run_all(LOCATION, context(tmp_path / "free", data=data, plan=plan))
    assert [v.message for v in found] == [
        "teacher B (seniority 2005-01-01, tiebreak 2) moved into site S1, which more senior teacher A "
        "(seniority 2001-01-01, tiebreak 1) listed as request 1, above what they got (site S2)"]
    data["locks"] = [{"lock_id": "L1", "teacher_id": "A", "mode": "require", "course_id": "", "semester": "",
                      "period_id": "", "site_id": "S2", "room_id": "", "meeting_id": "", "reason": "principal"}]
    assert run_all(LOCATION, context(tmp_path / "locked", data=data, plan=plan)) == []


def test_a_closed_site_offers_no_places_in_the_a19_figure(tmp_path):
    """A closed site's rooms are no places (the report's Sites table summed them: 180 places where 152 were open)."""
    figures = location.location_figures(context(tmp_path, data=_s2_closed(), plan=_a26_plan("S1", "S1-200")))
    rows = {r["site_id"]: r for r in figures["A19 rooms and shortfall per site"]}
    assert (rows["S2"]["status"], rows["S2"]["places"], rows["S2"]["free"]) == ("closed", 0, 0)
    assert rows["S1"]["places"] == 3
