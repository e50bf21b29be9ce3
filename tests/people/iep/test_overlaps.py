"""A7.2 overlaps (vastaff.people.iep.overlaps): cliques, chains and the clashes of an assignment."""

from __future__ import annotations

from tests.people.iep.builders import district, frame, meeting, plain_pairs, teacher
from vastaff.people.iep import meeting_times
from vastaff.people.iep.overlaps import clashing_pairs, overlap_chains, overlap_cliques


def test_overlap_cliques_and_chains():
    m = meeting_times(frame("iep_meetings", [
        meeting("A", 9, "09:00", "10:00"), meeting("B", 9, "09:30", "10:30"), meeting("C", 9, "10:00", "11:00"),
        meeting("D", 9, "11:00", "11:30"), meeting("E", 9, "09:15", "09:45", day="2026-09-15"),
    ]))
    assert overlap_cliques(m) == [["A", "B"], ["B", "C"]]
    assert overlap_chains(m) == [["A", "B", "C"]]


def test_clashing_pairs_are_the_later_of_two_overlapping_meetings_of_one_teacher():
    d = district([teacher("A"), teacher("B")], [
        meeting("M1", 9, "09:00", "10:00", eligible=("A", "B")), meeting("M2", 9, "09:30", "10:30", eligible=("A", "B")),
        meeting("M3", 9, "10:00", "11:00", eligible=("A", "B")),
    ])
    m, pairs = plain_pairs(d)
    held = pairs.set_index(["meeting_id", "teacher_id"]).index.isin([("M1", "A"), ("M2", "A"), ("M3", "A")])
    assert pairs.meeting_id[clashing_pairs(m, pairs, held)].tolist() == ["M2", "M3"]  # M3 starts before M2 ends
    touching = pairs.set_index(["meeting_id", "teacher_id"]).index.isin([("M1", "A"), ("M2", "B"), ("M3", "A")])
    assert clashing_pairs(m, pairs, touching).size == 0
