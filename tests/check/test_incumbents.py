"""check/incumbents.py: A24's "incumbents are never bumped by requests", on the tiny district (see
test_people_location.py): E1 is S1's incumbent in S1-101; H1 leaves S1 for S2 by its own request; H2 moves into S1 by
request. A probe written from the documentation alone sent an incumbent home for a junior requester and `vastaff check`
said OK."""

from __future__ import annotations

from people_plans import context, edit_rows, run_all, tiny_plan_tables, tiny_tables
from test_people_location import place
from vastaff.check import incumbents


def test_an_incumbent_who_leaves_by_their_own_request_is_not_bumped(tmp_path):
    assert run_all(incumbents, context(tmp_path)) == []


def _s1_full_of_a_requester(tmp_path):
    """S1 with one place, its classroom: E1, its incumbent, sent home while H2 moved in by request."""
    tables = tiny_tables()
    tables["rooms"] = [r for r in tables["rooms"] if r["room_id"] != "S1-200"]
    return context(tmp_path, tables, place(place(tiny_plan_tables(), "E1"), "H2", "site", "S1", "S1-101"))


def test_an_incumbent_sent_home_while_a_requester_moves_in_is_bumped(tmp_path):
    [found] = run_all(incumbents, _s1_full_of_a_requester(tmp_path))
    assert (found.rule, found.message) == ("A24", "teacher E1, an incumbent of S1, works from home while H2 moved into "
                                                  "S1 by request (incumbents are never bumped by requests)")
    assert [(r.file, r.key) for r in found.rows] == [("teachers.csv", "E1"), ("sites.csv", "S1"),
                                                     ("teachers.csv", "H2")]


def test_an_incumbent_who_chose_home_is_not_bumped(tmp_path):
    tables = tiny_tables()
    edit_rows(tables["teachers"], "teacher_id", "E1", work_location="home")
    assert run_all(incumbents, context(tmp_path, data=tables, plan=place(tiny_plan_tables(), "E1"))) == []


def test_each_bumped_incumbent_names_who_moved_in(tmp_path):
    """H2, S2's incumbent, sent home while H1 moves into S2 by request; E1 kept at S1."""
    [found] = run_all(incumbents, context(tmp_path, plan=place(tiny_plan_tables(), "H2")))
    assert found.message == ("teacher H2, an incumbent of S2, works from home while H1 moved into S2 by request "
                             "(incumbents are never bumped by requests)")


def _no_requests():
    """The tiny district without requests, and its plan with everyone at their current site: E1 in S1-101, H1 (who
    chose either) in S1-200, H2 in S2-101 — S1-200 keeps one free place."""
    tables = tiny_tables()
    for tid in ("H1", "H2"):
        edit_rows(tables["teachers"], "teacher_id", tid, requested_site_ids="")
    plan = place(place(tiny_plan_tables(), "H1", "site", "S1", "S1-200"), "H2", "site", "S2", "S2-101")
    return tables, plan


def test_everyone_at_their_current_site_is_fine(tmp_path):
    assert run_all(incumbents, context(tmp_path, *_no_requests())) == []


def test_an_incumbent_moved_to_a_site_they_did_not_request_while_theirs_has_room(tmp_path):
    """A chapter chair's edit `check` passed: nobody moved in by request, so nobody was 'bumped'."""
    tables, plan = _no_requests()
    tables["rooms"].append({"room_id": "S2-102", "site_id": "S2", "kind": "classroom", "capacity": 1,
                            "partitions": "false"})
    [found] = run_all(incumbents, context(tmp_path, tables, place(plan, "E1", "site", "S2", "S2-102")))
    assert (found.rule, found.message) == ("A24", "teacher E1, an incumbent of S1 who chose site, is placed at S2, "
                                                  "which they did not request, while S1 has 2 free place(s) (a teacher "
                                                  "changes site only on request)")
    assert [(r.file, r.key) for r in found.rows] == [("teachers.csv", "E1"), ("sites.csv", "S1")]


def test_an_either_chooser_sent_home_while_their_site_has_room(tmp_path):
    tables, plan = _no_requests()
    [found] = run_all(incumbents, context(tmp_path, tables, place(plan, "H1")))
    assert found.message == ("teacher H1, an incumbent of S1 who chose either, works from home while S1 has 2 free "
                             "place(s) (a teacher changes site only on request)")


def test_a_site_chooser_sent_home_beside_a_free_place_is_said_by_a19_alone(tmp_path):
    tables, plan = _no_requests()
    assert run_all(incumbents, context(tmp_path, tables, place(plan, "E1"))) == []


def test_an_incumbent_moved_when_their_site_is_full_is_not_this_rule(tmp_path):
    tables, plan = _no_requests()
    tables["rooms"] = [r for r in tables["rooms"] if r["room_id"] != "S1-200"] + [
        {"room_id": "S2-102", "site_id": "S2", "kind": "classroom", "capacity": 1, "partitions": "false"}]
    plan = place(place(plan, "H1", "site", "S1", "S1-101"), "E1", "site", "S2", "S2-102")
    assert run_all(incumbents, context(tmp_path, tables, plan)) == []


def test_names_show_beside_every_teacher_a_location_message_names(tmp_path):
    """`check --names`: the location rules wrote IDs alone (the section rules name teachers themselves)."""
    import dataclasses

    from vastaff.check.runner import checks_of

    ctx = dataclasses.replace(_s1_full_of_a_requester(tmp_path), names=True)
    [found] = checks_of(ctx, ("incumbents",)).violations
    assert found.message == ("teacher E1 (Ada Elem), an incumbent of S1, works from home while H2 (Di English) moved "
                             "into S1 by request (incumbents are never bumped by requests)")


def test_a_site_chooser_at_home_beside_a_free_place_is_not_also_bumped(tmp_path):
    """E1 sent home while S1 keeps places: A19's finding alone, though H2 moved into S1 by request."""
    assert run_all(incumbents, context(tmp_path, plan=place(tiny_plan_tables(), "E1"))) == []


def test_two_incumbents_traded_without_asking(tmp_path):
    """E1 (S1) and H2 (S2), full sites, swapped though neither asked: each bumped by the other."""
    tables, plan = _no_requests()
    tables["rooms"] = [r for r in tables["rooms"] if r["room_id"] != "S1-200"]
    plan = place(place(place(plan, "H1"), "E1", "site", "S2", "S2-101"), "H2", "site", "S1", "S1-101")
    edit_rows(tables["teachers"], "teacher_id", "H1", work_location="home")
    assert [f.message for f in run_all(incumbents, context(tmp_path, tables, plan))] == [
        "teacher E1, an incumbent of S1, is placed at S2 while H2 moved into S1 without requesting it (an incumbent "
        "keeps their site before anyone placed there)",
        "teacher H2, an incumbent of S2, is placed at S1 while E1 moved into S2 without requesting it (an incumbent "
        "keeps their site before anyone placed there)"]
