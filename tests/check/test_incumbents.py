"""check/incumbents.py: A24's "incumbents are never bumped by requests", on the tiny district (see
test_people_location.py): E1 is S1's incumbent in S1-101; H1 leaves S1 for S2 by its own request; H2 moves into S1 by
request. A SPEC-only probe sent an incumbent home for a junior requester and `vastaff check` said OK."""

from __future__ import annotations

from people_plans import context, edit_rows, run_all, tiny_plan_tables, tiny_tables
from test_people_location import place
from vastaff.check import incumbents


def test_an_incumbent_who_leaves_by_their_own_request_is_not_bumped(tmp_path):
    assert run_all(incumbents, context(tmp_path)) == []


def test_an_incumbent_sent_home_while_a_requester_moves_in_is_bumped(tmp_path):
    plan = place(tiny_plan_tables(), "E1")
    [found] = run_all(incumbents, context(tmp_path, plan=plan))
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
