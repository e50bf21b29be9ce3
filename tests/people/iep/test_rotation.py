"""A7.1 / A7.2 — the IEP-meeting rotation (vastaff.people.iep): minimal spread, no overlaps, coverage, stability,
determinism, groups of schools, the checker's agreement and a 20,000-teacher district."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import tiny_tables, write_tables
from tests.people.iep.builders import (
    CONTRACT, NO_SECTIONS, big_district, brute_force, checker_violations, counts, district, explicit, meeting,
    overlapping_pair, random_instance, teacher, tonight,
)
from vastaff.io.district import load_district
from vastaff.people.iep import Paths, assign_iep_meetings, meeting_times, rotate, rotation_pairs
from vastaff.people.iep.eligibility import eligible_pairs, school_groups
from vastaff.rules import Infeasible
from vastaff.schemas.district import District


def test_tiny_district_through_the_loader(tmp_path: Path):
    d = load_district(write_tables(tmp_path / "tiny", tiny_tables()))
    sections, grades = tonight({"H1": [9], "H2": [9], "E1": [1]})
    result = assign_iep_meetings(d, CONTRACT, sections, grades)
    # M1 (grade 9, default list) -> H1 or H2; M2 explicit E1;E2. Seniority tie-break: the junior one holds it.
    assert result.assignments.to_dict("records") == [
        {"meeting_id": "M1", "teacher_id": "H2", "needs_coverage": True},
        {"meeting_id": "M2", "teacher_id": "E2", "needs_coverage": False},
    ]
    assert result.figures == {"VA1": {"meetings": 2, "eligible_teachers": 4, "min": 0, "max": 1, "spread": 1,
                                      "needing_coverage": 1}}
    assert json.loads(json.dumps(result.figures)) == result.figures  # goes into run.json as it is
    assert result.status == "OPTIMAL"


# ----------------------------------------------------------------------------------------------
# A7.1 spread: hand-computed and brute force


def test_spread_is_balanced_by_hand():
    # 5 meetings at distinct times, 2 teachers eligible for all: 3/2 (spread 1), the junior B takes 3.
    meetings = [meeting(f"M{i}", 9, f"{9 + i:02d}:00", f"{9 + i:02d}:30", eligible=("A", "B")) for i in range(5)]
    result = explicit(district([teacher("A", year=2001), teacher("B", year=2015)], meetings))
    assert counts(result, ["A", "B"]) == {"A": 2, "B": 3}
    assert result.figures["VA1"]["spread"] == 1


def test_seniority_tie_break_control():
    meetings = [meeting(f"M{i}", 9, f"{9 + i:02d}:00", f"{9 + i:02d}:30", eligible=("A", "B")) for i in range(5)]
    result = explicit(district([teacher("A", year=2015), teacher("B", year=2001)], meetings))
    assert counts(result, ["A", "B"]) == {"A": 3, "B": 2}


@pytest.mark.parametrize("paths", [Paths(), Paths(flow=False)], ids=["flow", "cpsat"])
@pytest.mark.parametrize("seed", range(16))
def test_rotation_is_lexicographically_optimal_against_brute_force(seed: int, paths: Paths):
    teachers, meetings = random_instance(random.Random(seed))
    d = district(teachers, meetings)
    order = d.seniority_order().teacher_id.tolist()
    weights = {t: len(order) - i for i, t in enumerate(order)}
    best = brute_force(meetings, weights)
    if best is None:
        with pytest.raises(Infeasible) as exc:
            explicit(d, paths=paths)
        assert all(set(c.rules) <= {"A7.1", "A7.2"} and c.rows for c in exc.value.conflicts)
        return
    result = explicit(d, paths=paths)
    chosen = dict(zip(result.assignments.meeting_id, result.assignments.teacher_id))
    choice = tuple(chosen[m["meeting_id"]] for m in meetings)
    assert all(c in m["eligible_teacher_ids"] for c, m in zip(choice, meetings))
    assert not overlapping_pair(meetings, choice)
    eligible_teachers = sorted({t for m in meetings for t in m["eligible_teacher_ids"]})
    n = [choice.count(t) for t in eligible_teachers]
    got = (max(n) - min(n), int(result.assignments.needs_coverage.sum()), sum(weights[t] for t in choice))
    assert got == best
    assert result.figures["VA1"]["spread"] == best[0]


def test_spread_counts_only_teachers_eligible_for_some_meeting():
    # C teaches no meeting's grade: not among the eligible, so A and B at 1 each give spread 0.
    d = district([teacher("A"), teacher("B"), teacher("C")],
                 [meeting("M1", 9, "13:00", "14:00"), meeting("M2", 9, "13:00", "14:00")])
    result = assign_iep_meetings(d, CONTRACT, *tonight({"A": [9], "B": [9], "C": [10]}))
    assert result.figures["VA1"] == {"meetings": 2, "eligible_teachers": 2, "min": 1, "max": 1, "spread": 0,
                                     "needing_coverage": 0}


# ----------------------------------------------------------------------------------------------
# A7.2 overlaps and coverage


def _overlap_case(m2_start: str, m2_end: str) -> District:
    # M1/M2 are open to A and B; M3/M4 only to B. Balance wants A to take both M1 and M2 (2/2).
    return district([teacher("A"), teacher("B")], [
        meeting("M1", 9, "13:00", "14:00", eligible=("A", "B")),
        meeting("M2", 9, m2_start, m2_end, eligible=("A", "B")),
        meeting("M3", 9, "15:00", "15:30", eligible=("B",)),
        meeting("M4", 9, "16:00", "16:30", eligible=("B",)),
    ])


def test_overlapping_meetings_never_go_to_one_teacher():
    result = explicit(_overlap_case("13:30", "14:30"))
    chosen = dict(zip(result.assignments.meeting_id, result.assignments.teacher_id))
    assert chosen["M1"] != chosen["M2"]
    assert counts(result, ["A", "B"]) == {"A": 1, "B": 3}
    assert result.figures["VA1"]["spread"] == 2


def test_touching_meetings_may_go_to_one_teacher():
    result = explicit(_overlap_case("14:00", "15:00"))
    assert counts(result, ["A", "B"]) == {"A": 2, "B": 2}
    assert result.figures["VA1"]["spread"] == 0


def test_same_times_on_different_days_do_not_overlap():
    d = _overlap_case("13:30", "14:30")
    d.iep_meetings.loc[d.iep_meetings.meeting_id == "M2", "date"] = pd.Timestamp("2026-09-15")
    assert counts(explicit(d), ["A", "B"]) == {"A": 2, "B": 2}


def test_coverage_term_prefers_a_teacher_without_coverage_when_windows_differ():
    """A7.2 objective: if a model file gave teachers different windows, coverage would pick the teacher."""
    d = district([teacher("A", year=2020), teacher("B", year=2000)],
                 [meeting("M1", 9, "09:00", "10:00", eligible=("A", "B"))])
    meetings = meeting_times(d.iep_meetings)
    pairs = rotation_pairs(d, CONTRACT, meetings, *NO_SECTIONS)
    pairs["covered"] = (pairs.teacher_id == "A").to_numpy()  # A's window meets the meeting, B's does not
    result = rotate(meetings, pairs)
    # Without the coverage term, the seniority tie-break would give the meeting to the junior A.
    assert result.assignments.to_dict("records") == [{"meeting_id": "M1", "teacher_id": "B", "needs_coverage": False}]


# ----------------------------------------------------------------------------------------------
# Stability and determinism


def test_last_nights_teacher_is_kept_when_it_costs_nothing():
    meetings = [meeting("M1", 9, "13:00", "14:00", eligible=("A", "B"))]
    teachers = [teacher("A", year=2001), teacher("B", year=2015)]
    previous = pd.DataFrame([{"meeting_id": "M1", "teacher_id": "A", "needs_coverage": False}])
    assert explicit(district(teachers, meetings, previous)).assignments.teacher_id.tolist() == ["A"]
    assert explicit(district(teachers, meetings)).assignments.teacher_id.tolist() == ["B"]  # control


def test_last_nights_teacher_gives_way_to_the_spread():
    meetings = [meeting("M1", 9, "13:00", "14:00", eligible=("A", "B")),
                meeting("M2", 9, "15:00", "16:00", eligible=("A", "B"))]
    previous = pd.DataFrame([{"meeting_id": "M1", "teacher_id": "A", "needs_coverage": False},
                             {"meeting_id": "M2", "teacher_id": "A", "needs_coverage": False}])
    result = explicit(district([teacher("A"), teacher("B")], meetings, previous))
    assert counts(result, ["A", "B"]) == {"A": 1, "B": 1}


def test_same_input_same_frames():
    teachers, meetings = random_instance(random.Random(3))
    first = explicit(district(teachers, meetings))
    again = explicit(district(teachers, meetings))
    pd.testing.assert_frame_equal(first.assignments, again.assignments)
    assert first.figures == again.figures
    assert first.assignments.meeting_id.is_monotonic_increasing


# ----------------------------------------------------------------------------------------------
# Schools


def test_schools_are_solved_apart_unless_a_teacher_is_shared():
    meetings = [meeting("M1", 9, "09:00", "10:00", school="VA1", eligible=("A",)),
                meeting("M2", 9, "09:30", "10:30", school="VA2", eligible=("B",)),
                meeting("M3", 9, "09:30", "10:30", school="VA3", eligible=("A", "C"))]
    d = district([teacher("A", year=2020), teacher("B", school="VA2"), teacher("C", school="VA3")], meetings)
    m = meeting_times(d.iep_meetings)
    pairs = eligible_pairs(d, m, *NO_SECTIONS)
    assert school_groups(m, pairs) == [["VA1", "VA3"], ["VA2"]]
    chosen = dict(zip(*explicit(d).assignments[["meeting_id", "teacher_id"]].T.to_numpy()))
    assert chosen == {"M1": "A", "M2": "B", "M3": "C"}  # A's VA1 meeting overlaps M3: the shared model sees it


def test_no_meetings_gives_an_empty_rotation():
    result = explicit(district([teacher("A")]))
    assert result.assignments.empty and list(result.assignments.columns) == ["meeting_id", "teacher_id",
                                                                              "needs_coverage"]
    assert result.figures == {} and result.status == "OPTIMAL"


# ----------------------------------------------------------------------------------------------
# The independent checker agrees (vastaff.check.iep, written from the documentation alone)


@pytest.mark.parametrize("seed", range(6))
def test_checker_finds_no_violation(seed: int):
    teachers, meetings = random_instance(random.Random(100 + seed))
    d = district(teachers, meetings)
    try:
        result = explicit(d)
    except Infeasible:
        pytest.skip("instance infeasible")
    assert checker_violations(d, *NO_SECTIONS, result) == []


def test_checker_finds_no_violation_on_default_eligibility():
    d = district([teacher("A"), teacher("B"), teacher("C")],
                 [meeting(f"M{i}", 9 + i % 2, "09:00" if i < 3 else "13:00", "10:00" if i < 3 else "14:00")
                  for i in range(6)])
    sections, grades = tonight({"A": [9], "B": [9, 10], "C": [10]})
    assert checker_violations(d, sections, grades, assign_iep_meetings(d, CONTRACT, sections, grades)) == []


# ----------------------------------------------------------------------------------------------
# Performance: a 20,000-teacher district


def test_twenty_thousand_teachers_in_a_few_seconds():
    d, sections, grades = big_district()
    t0 = time.perf_counter()
    result = assign_iep_meetings(d, CONTRACT, sections, grades, time_limit=60)
    elapsed = time.perf_counter() - t0
    assert len(result.assignments) == 3000 and result.status == "OPTIMAL"
    assert all(f["spread"] <= 1 for f in result.figures.values())
    assert elapsed < 15, f"{elapsed:.1f} s"
