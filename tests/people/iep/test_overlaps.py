"""A7.2 overlaps (vastaff.people.iep.overlaps): cliques, chains and the clashes of an assignment."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

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


def _clashing_by_definition(meetings: pd.DataFrame, pairs: pd.DataFrame, held: np.ndarray) -> np.ndarray:
    """A7.2 as a groupby: per teacher and day, in start order, a held pair starting before the latest end so far."""
    h = pairs.loc[held, ["m", "t"]]
    h = h[h.t.duplicated(keep=False)]
    if h.empty:
        return np.array([], dtype=np.int64)
    times = meetings.set_index("m")[["day", "start_min", "end_min"]]
    h = h.join(times, on="m").sort_values(["t", "day", "start_min", "m"])
    h["reach"] = h.groupby(["t", "day"]).end_min.cummax()
    earlier = h.groupby(["t", "day"]).reach.shift()
    return h.index[(h.start_min < earlier).to_numpy()].to_numpy()


@pytest.mark.parametrize("seed", range(40))
def test_clashing_pairs_follow_a72s_definition_in_its_order(seed):
    """The rotation's repair walks the clashes in the order given: by teacher, day, start and meeting."""
    rng = random.Random(3000 + seed)
    n = rng.randint(2, 9)
    starts = [rng.choice([480, 500, 510, 540, 570]) for _ in range(n)]
    meetings = pd.DataFrame({"m": range(n), "day": [rng.choice(["d1", "d2"]) for _ in range(n)],
                             "start_min": starts, "end_min": [s + rng.choice([20, 30, 60]) for s in starts]})
    pairs = pd.DataFrame([(m, t) for m in range(n) for t in range(3)], columns=["m", "t"])
    held = np.zeros(len(pairs), dtype=bool)
    for m in range(n):
        held[3 * m + rng.randrange(3)] = True
    assert clashing_pairs(meetings, pairs, held).tolist() == _clashing_by_definition(meetings, pairs, held).tolist()
