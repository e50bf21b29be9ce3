"""A25 (25.0, second sentence) in the checker: a closed site's teachers choose before every other requester.

The district: the tiny district's regions R1 (S1) and R2 (S2), plus S4, closed for good, in R2. S2 has two
classrooms, one held by its incumbent Inc; S1 has one (two where a test says so). S (2000) works at S1 and requests
S2; R (2015) worked at S4 and requests S2 too. E2 and R1T work from home as in the tiny district.
"""

from __future__ import annotations

from people_plans import context, run_all, teacher_row, tiny_plan_tables, tiny_tables
from vastaff.check import closures, location

LOCATION = (location, closures)


def teacher(template: dict, tid: str, date: str, current: str, requests: str, where: str = "either") -> dict:
    return {**template, "teacher_id": tid, "name": tid, "seniority_date": date, "seniority_tiebreak": 1,
            "current_site_id": current, "requested_site_ids": requests, "work_location": where, "home_region_id": "R1"}


def district(r_requests: str = "S2", s_requests: str = "S2", s1_rooms: int = 1, s2_rooms: int = 2,
             extra: tuple = ()) -> dict:
    data = tiny_tables()
    template = next(t for t in data["teachers"] if t["teacher_id"] == "H1")
    data["sites"].append({"site_id": "S4", "name": "Locke", "region_id": "R2", "priority_site": "false",
                          "status": "closed"})
    data["rooms"] = [{"room_id": f"{site}-10{i}", "site_id": site, "kind": "classroom", "capacity": 1,
                      "partitions": "false"} for site, n in (("S1", s1_rooms), ("S2", s2_rooms), ("S4", 1))
                     for i in range(1, n + 1)]
    data["teachers"] = [t for t in data["teachers"] if t["teacher_id"] in ("E2", "R1T")] + [
        teacher(template, "Inc", "2016-01-01", "S2", "", where="site"),
        teacher(template, "S", "2000-01-01", "S1", s_requests),
        teacher(template, "R", "2015-01-01", "S4", r_requests)] + [teacher(template, *q) for q in extra]
    data["iep_meetings"] = []
    return data


def plan(**places: str) -> dict:
    """Plan tables: Inc in S2-101, E2 and R1T at home, and each `teacher=room` given (a blank room: home)."""
    tables = tiny_plan_tables()
    tables["teachers"] = [teacher_row("E2"), teacher_row("R1T"), teacher_row("Inc", "site", "S2", "S2-101")]
    tables["teachers"] += [teacher_row(t, "site", room[:2], room) if room else teacher_row(t)
                           for t, room in places.items()]
    tables["iep_assignments"] = None
    return tables


def messages(found) -> list[str]:
    return [f"{v.rule}: {v.message}" for v in found]


REVERSE_A25 = ("A25: teacher S (seniority 2000-01-01, tiebreak 1) moved into site S2, which teacher R (seniority "
               "2015-01-01, tiebreak 1) of closed site S4 listed as request 1, above what they got ({got}); a closed "
               "site's teachers choose their requested sites before anyone else moves in")


def test_the_relocated_teacher_in_the_free_room_passes(tmp_path):
    assert run_all(LOCATION, context(tmp_path, district(), plan(S="S1-101", R="S2-102"))) == []


def test_the_reverse_plan_is_an_a25_violation(tmp_path):
    """The issue: the free room at S2 went to S, more senior but of another site, and R went home."""
    found = run_all(LOCATION, context(tmp_path, district(), plan(S="S2-102", R="")))
    assert messages(found) == [REVERSE_A25.format(got="home")]
    assert [(r.file, r.key) for r in found[0].rows] == [
        ("teachers.csv", "S"), ("teachers.csv", "R"), ("sites.csv", "S2")]
    assert location.check_a24_seniority(context(tmp_path, district(), plan(S="S2-102", R=""))) == []
    # R placed by A26 at S1 (S's old room: R2 is full, R1 is nearest home) changes what R got, not the verdict
    found = run_all(LOCATION, context(tmp_path, district(), plan(S="S2-102", R="S1-101")))
    assert messages(found) == [REVERSE_A25.format(got="site S1")]


def test_control_without_the_request_the_senior_teacher_takes_the_room(tmp_path):
    data = district(r_requests="")
    assert run_all(LOCATION, context(tmp_path, data, plan(S="S2-102", R="S1-101"))) == []
    # and then R moving into S2 is a plain A24 move past a more senior requester
    found = run_all(LOCATION, context(tmp_path, data, plan(S="S1-101", R="S2-102")))
    assert messages(found) == [
        "A24: teacher R (seniority 2015-01-01, tiebreak 1) moved into site S2, which more senior teacher S (seniority "
        "2000-01-01, tiebreak 1) listed as request 1, above what they got (site S1)"]


def test_relocated_teachers_choose_among_themselves_by_seniority(tmp_path):
    data = district(extra=(("Q", "2010-01-01", "S4", "S2"),))
    assert run_all(LOCATION, context(tmp_path, data, plan(S="S1-101", Q="S2-102", R=""))) == []
    found = run_all(LOCATION, context(tmp_path, data, plan(S="S1-101", R="S2-102", Q="")))
    assert messages(found) == [
        "A25: teacher R (seniority 2015-01-01, tiebreak 1) of closed site S4 moved into site S2, which more senior "
        "teacher Q (seniority 2010-01-01, tiebreak 1) of closed site S4 listed as request 1, above what they got "
        "(home); a closed site's teachers choose among themselves in seniority order"]


def test_a_relocated_teacher_who_did_not_request_the_site_has_no_priority_there(tmp_path):
    """Q of S4 (more senior than R, no requests) placed at S2 by A26 takes R's requested place: A25."""
    data = district(extra=(("Q", "2010-01-01", "S4", "", "site"),))
    found = run_all(LOCATION, context(tmp_path, data, plan(S="S1-101", Q="S2-102", R="")))
    assert messages(found) == [
        "A25: teacher Q (seniority 2010-01-01, tiebreak 1) of closed site S4 moved into site S2, which teacher R "
        "(seniority 2015-01-01, tiebreak 1) of closed site S4 listed as request 1, above what they got (home); a "
        "closed site's teachers choose their requested sites before anyone else moves in"]


def test_an_incumbent_is_never_bumped_for_a_relocated_teacher(tmp_path):
    assert run_all(LOCATION, context(tmp_path, district(s2_rooms=1), plan(S="S1-101", R=""))) == []


def test_a_requested_site_in_another_region_is_not_an_a26_violation(tmp_path):
    """R requests S1 (region R1) and is placed there although the closed site's region R2 has a free place at S2:
    that is R's A25 choice. Placed there without requesting it, A26 sends R to R2 first."""
    chose = context(tmp_path, district(r_requests="S1", s_requests="", s1_rooms=2), plan(S="S1-101", R="S1-102"))
    assert run_all(LOCATION, chose) == []
    placed = context(tmp_path, district(r_requests="", s_requests="", s1_rooms=2), plan(S="S1-101", R="S1-102"))
    assert messages(run_all(LOCATION, placed)) == [
        "A26: teacher R of closed site S4 (region R2) is placed at S1 in region R1, while region R2 of that site "
        "still has a free place"]


def test_a_relocated_teachers_request_in_another_region_fills_free_space(tmp_path):
    """A24 ("requests fill available space") now counts every open site a closed site's teacher requested."""
    ctx = context(tmp_path, district(r_requests="S1", s_requests="", s1_rooms=2), plan(S="S1-101", R="S2-102"))
    assert messages(run_all(LOCATION, ctx)) == [
        "A24: teacher R listed site S1 as request 1, above what they got (site S2) while S1 has 1 free place(s)"]
