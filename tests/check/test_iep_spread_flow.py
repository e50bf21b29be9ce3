"""check/iep_spread.py: the least IEP spread by flow first (bound and, mostly, the witness), CP-SAT only where the
flow's assignments keep overlapping — every path against brute force, locks included."""

from __future__ import annotations

import itertools
import random

import pandas as pd
import pytest

from vastaff.check import iep_spread
from vastaff.check.iep_spread import minimum_spread


def _brute(meetings: pd.DataFrame, pairs: pd.DataFrame, locked: dict) -> int | None:
    teachers = sorted(pairs.teacher_id.unique())
    options = []
    for m in meetings.meeting_id:
        mine = [t for t in sorted(pairs.loc[pairs.meeting_id == m, "teacher_id"]) if locked.get((m, t), True)]
        required = [t for (mm, t), held in locked.items() if mm == m and held]
        options.append([t for t in mine if not required or t in required])
    rows = meetings.to_dict("records")
    best = None
    for choice in itertools.product(*options):
        if any(choice[i] == choice[j] and rows[i]["date"] == rows[j]["date"]
               and rows[i]["start_min"] < rows[j]["end_min"] and rows[j]["start_min"] < rows[i]["end_min"]
               for i, j in itertools.combinations(range(len(rows)), 2)):
            continue
        counts = [choice.count(t) for t in teachers]
        best = max(counts) - min(counts) if best is None else min(best, max(counts) - min(counts))
    return best


def _instance(rng: random.Random) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    n, teachers = rng.randint(2, 7), [f"T{i}" for i in range(rng.randint(2, 4))]
    starts = [rng.choice([480, 510, 540]) for _ in range(n)]
    meetings = pd.DataFrame({"meeting_id": [f"M{i}" for i in range(n)],
                             "date": [rng.choice(["d1", "d2"]) for _ in range(n)],
                             "start_min": starts, "end_min": [s + rng.choice([30, 60]) for s in starts]})
    pairs = pd.DataFrame([(m, t) for m in meetings.meeting_id
                          for t in rng.sample(teachers, rng.randint(1, len(teachers)))],
                         columns=["meeting_id", "teacher_id"])
    eligible = list(pairs.itertuples(index=False, name=None))
    locked = {pair: rng.random() < 0.5 for pair in rng.sample(eligible, rng.randint(0, 2))}
    return meetings, pairs, locked


@pytest.mark.parametrize("seed", range(60))
def test_least_spread_with_locks_matches_brute_force(seed):
    meetings, pairs, locked = _instance(random.Random(1000 + seed))
    expected = _brute(meetings, pairs, locked)
    got = minimum_spread(meetings, pairs, locked=locked)
    if expected is None:
        assert not got.feasible and got.proven
    else:
        assert (got.value, got.proven) == (expected, True)
        assert set(got.witness) == set(meetings.meeting_id)
        assert all(locked.get((m, t), True) for m, t in got.witness.items())


def test_every_path_is_taken_by_the_random_cases(monkeypatch):
    """The flow alone, the flow's repair and CP-SAT each decide some of the cases above (none is dead code)."""
    taken = {"repair": 0, "cpsat": 0}
    repair, cpsat = iep_spread._repaired_flow, iep_spread._cpsat_spread

    def counted_repair(*a):
        taken["repair"] += 1
        return repair(*a)

    def counted_cpsat(*a):
        taken["cpsat"] += 1
        return cpsat(*a)

    monkeypatch.setattr(iep_spread, "_repaired_flow", counted_repair)
    monkeypatch.setattr(iep_spread, "_cpsat_spread", counted_cpsat)
    for seed in range(60):
        minimum_spread(*_instance(random.Random(1000 + seed))[:2])
    assert taken["repair"] > taken["cpsat"] > 0


def test_a_flow_witness_that_overlaps_is_repaired_by_flows():
    """Two teachers, four meetings; the balanced flow may give T0 the two 8:00 meetings; the repair moves one."""
    meetings = pd.DataFrame({"meeting_id": ["A", "B", "C", "D"], "date": ["d"] * 4,
                             "start_min": [480, 480, 600, 660], "end_min": [540, 540, 660, 720]})
    pairs = pd.DataFrame([(m, t) for m in "ABCD" for t in ("T0", "T1")], columns=["meeting_id", "teacher_id"])
    got = minimum_spread(meetings, pairs)
    assert (got.value, got.proven) == (0, True)
    assert got.witness["A"] != got.witness["B"]


def test_a_required_lock_of_an_ineligible_teacher_leaves_no_assignment():
    meetings = pd.DataFrame({"meeting_id": ["A"], "date": ["d"], "start_min": [480], "end_min": [540]})
    pairs = pd.DataFrame({"meeting_id": ["A"], "teacher_id": ["T0"]})
    got = minimum_spread(meetings, pairs, locked={("A", "T9"): True})
    assert (got.feasible, got.proven) == (False, True)


def _clashing_by_definition(meetings: pd.DataFrame, witness: dict[str, str]) -> list[tuple[str, str]]:
    """A7.2 as a groupby: per teacher and day, in start order, a meeting starting before the latest end so far."""
    held = meetings.assign(teacher_id=meetings["meeting_id"].astype(str).map(witness)).dropna(subset=["teacher_id"])
    held = held.sort_values(["teacher_id", "date", "start_min", "meeting_id"], kind="stable")
    ends_before = held.groupby(["teacher_id", "date"])["end_min"].cummax().groupby(
        [held["teacher_id"], held["date"]]).shift()
    late = held[held["start_min"] < ends_before]
    return list(zip(late["meeting_id"].astype(str), late["teacher_id"].astype(str)))


@pytest.mark.parametrize("seed", range(40))
def test_the_repairs_clashes_are_a72s(seed):
    """The flow repair's clash finder against A7.2's definition, on witnesses that leave some meetings unassigned."""
    rng = random.Random(2000 + seed)
    meetings, pairs, _ = _instance(rng)
    witness = {m: t for m, t in pairs.drop_duplicates("meeting_id").itertuples(index=False) if rng.random() < 0.9}
    assert iep_spread._clashing(meetings, witness) == _clashing_by_definition(meetings, witness)
