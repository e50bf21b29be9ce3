"""sections/iep_exact.py: a school's sets of overlapping IEP meetings (who may hold each, whatever the plan) and
whether a plan's grades leave each set an assignment (A7.1: a blank list's holder teaches its grade; A7.2: nobody
holds two meetings at once)."""

from __future__ import annotations

import pandas as pd

from tests.solve.builders import elementary, lock
from vastaff import load_contract, load_district
from vastaff.sections.iep_exact import Meeting, assignable, cliques, iep_meeting_sets

CHAIN = [(0, 780, 825, ()), (0, 825, 885, ("E4",)), (5, 810, 870, ("E4", "E5"))]
"""K 13:00-13:45 (blank), K 13:45-14:45 (E4 alone), grade 5 13:30-14:30 (E4 or E5): one run of overlaps."""


def sets_of(tmp_path, meetings, scheduled=None, **extra):
    data = elementary(tmp_path / "d", {"E1": 5, "E4": 5, "E5": 4}, {0: 14, 5: 13}, meetings, **extra)
    return iep_meeting_sets(load_district(data, load_contract()), scheduled)


def test_a_run_of_overlaps_is_one_set_with_each_meetings_candidates(tmp_path):
    assert sets_of(tmp_path, CHAIN) == {"VA1": [(
        Meeting("M0", 0, 780, 825, ("E1", "E4", "E5")),
        Meeting("M2", None, 810, 870, ("E4", "E5")),
        Meeting("M1", None, 825, 885, ("E4",)),
    )]}


def test_touching_meetings_make_no_set_and_named_ones_alone_need_none(tmp_path):
    """13:00-13:45 then 13:45-14:45 touch (A7.2 allows it): no overlap, no set; two named meetings overlapping each
    other ask nothing of the plan."""
    assert sets_of(tmp_path, [(0, 780, 825, ()), (0, 825, 885, ())]) == {}
    assert sets_of(tmp_path, [(0, 780, 825, ()), (0, 900, 960, ("E1",)), (5, 920, 980, ("E4",))]) == {}


def test_a_teacher_in_a_scheduled_meeting_or_a_forbid_lock_is_no_candidate(tmp_path):
    """A4.3: E1 sits in a scheduled meeting 13:30-14:00 (overlapping M0); LOCK: E5 is forbidden M0, E4 required."""
    scheduled = pd.DataFrame({"teacher_id": ["E1"], "day": ["2026-09-14"], "start_min": [810], "end_min": [840]})
    (ms,) = sets_of(tmp_path, CHAIN, scheduled)["VA1"]
    assert ms[0].candidates == ("E4", "E5")
    (ms,) = sets_of(tmp_path, CHAIN, locks=[lock("L1", "E5", "forbid", meeting_id="M0")])["VA1"]
    assert ms[0].candidates == ("E1", "E4")
    (ms,) = sets_of(tmp_path, CHAIN, locks=[lock("L1", "E4", "require", meeting_id="M0")])["VA1"]
    assert ms[0].candidates == ("E4",)


def test_the_chain_has_an_assignment_only_if_the_kindergarten_is_not_the_tied_teachers():
    ms = (Meeting("M0", 0, 780, 825, ("E1", "E4", "E5")), Meeting("M2", None, 810, 870, ("E4", "E5")),
          Meeting("M1", None, 825, 885, ("E4",)))
    assert not assignable(ms, {"E5": {0}, "E1": {5}})
    assert assignable(ms, {"E1": {0}, "E4": {5}})
    assert assignable(ms, {"E4": {0}, "E1": {5}}), "E4 holds M0 until 13:45 and M1 from 13:45 (touching), E5 M2"
    assert not assignable(ms, {}), "nobody teaches K"


def test_a_search_past_its_budget_says_no_so_the_set_is_modelled():
    ms = tuple(Meeting(f"M{i}", None, 780, 840, ("E1", "E2")) for i in range(3))
    assert not assignable(ms, {})
    two = ms[:2]
    assert assignable(two, {}) and not assignable(two, {}, nodes=1)


def test_cliques_are_the_meetings_running_at_each_start():
    ms = (Meeting("A", None, 780, 825, ()), Meeting("B", None, 810, 870, ()), Meeting("C", None, 825, 885, ()))
    assert cliques(ms) == [(0, 1), (1, 2)]


def test_a_meeting_a_lock_names_is_a_set_alone(tmp_path):
    """A forbid lock on the one blank meeting of a grade: Hall's rows do not read locks, so it is tried as a set."""
    sets = sets_of(tmp_path, [(0, 780, 825, ())], locks=[lock("L1", "E5", "forbid", meeting_id="M0")])
    assert sets == {"VA1": [(Meeting("M0", 0, 780, 825, ("E1", "E4")),)]}
    assert not assignable(sets["VA1"][0], {"E5": {0}}) and assignable(sets["VA1"][0], {"E4": {0}})
