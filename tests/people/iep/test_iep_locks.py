"""LOCK in the IEP rotation (vastaff.people.iep.locks): meeting locks hold on every path, a lock the rotation keeps
anyway changes nothing, and locks that cannot hold with A7.1/A7.2 are explained with their rows."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import tiny_tables, write_tables
from tests.people.iep.builders import (
    CONTRACT, NO_SECTIONS, checker_violations, clashing_district, district, frame, meeting, teacher, tonight,
)
from vastaff.check.core import CheckContext
from vastaff.check.locks import check_locks
from vastaff.io.district import load_district
from vastaff.people.iep import IepResult, Paths, assign_iep_meetings, meeting_times, rotation_pairs
from vastaff.people.iep.cpsat import spread_of
from vastaff.people.iep.flow import costed_pairs, flow_rotation
from vastaff.people.iep.locks import meeting_locks
from vastaff.people.iep.repair import greedy_rotation
from vastaff.rules import Infeasible
from vastaff.schemas.district import District, Plan


def lock(lock_id: str, teacher_id: str, meeting_id: str, mode: str = "require") -> dict:
    return {"lock_id": lock_id, "teacher_id": teacher_id, "mode": mode, "course_id": None, "semester": None,
            "period_id": None, "site_id": None, "room_id": None, "meeting_id": meeting_id, "reason": ""}


def locked(d: District, *locks: dict) -> District:
    return replace(d, locks=frame("locks", list(locks)))


def chosen(result: IepResult) -> dict[str, str]:
    return dict(zip(result.assignments.meeting_id, result.assignments.teacher_id))


def lock_violations(d: District, sections: pd.DataFrame, grades: pd.DataFrame, result: IepResult) -> list:
    """What the independent checker's LOCK check (vastaff.check.locks) finds in the rotation."""
    plan = Plan(sections=sections, section_grades=grades, teachers=pd.DataFrame(),
                iep_assignments=result.assignments, caseloads=pd.DataFrame())
    return check_locks(CheckContext(d, plan, CONTRACT))


# Grade 7: A (senior) and B (junior); grade 8: C alone. Unlocked, the seniority tie-break gives M1 to the junior B.
SMALL = tonight({"A": [7], "B": [7], "C": [8]})


def small() -> District:
    return district([teacher("A", year=2001), teacher("B", year=2015), teacher("C", year=2005),
                     teacher("S", department="special_education", role="resource_specialist")],
                    [meeting("M1", 7, "13:00", "14:00"), meeting("M2", 8, "13:00", "14:00")])


def rotate_small(d: District, **options) -> IepResult:
    return assign_iep_meetings(d, CONTRACT, *SMALL, **options)


def test_unlocked_control_gives_m1_to_the_junior_teacher():
    result = rotate_small(small())
    assert chosen(result) == {"M1": "B", "M2": "C"}
    assert result.figures["VA1"] == {"meetings": 2, "eligible_teachers": 3, "min": 0, "max": 1, "spread": 1,
                                     "needing_coverage": 0}


PATHS = {"flow": Paths(), "cpsat": Paths(flow=False)}


@pytest.mark.parametrize("paths", PATHS.values(), ids=PATHS.keys())
def test_require_gives_the_meeting_to_the_locked_teacher(paths: Paths):
    d = locked(small(), lock("L1", "A", "M1"))
    result = rotate_small(d, paths=paths)
    assert chosen(result) == {"M1": "A", "M2": "C"}
    # B, eligible for M1 but left without a meeting by the lock, still counts in A7.1's spread (as the checker's).
    assert result.figures["VA1"] == {"meetings": 2, "eligible_teachers": 3, "min": 0, "max": 1, "spread": 1,
                                     "needing_coverage": 0}
    assert result.status == "OPTIMAL"
    assert lock_violations(d, *SMALL, result) == [] and checker_violations(d, *SMALL, result) == []


@pytest.mark.parametrize("paths", PATHS.values(), ids=PATHS.keys())
def test_forbid_gives_the_meeting_to_someone_else(paths: Paths):
    d = locked(small(), lock("L1", "B", "M1", "forbid"))
    result = rotate_small(d, paths=paths)
    assert chosen(result) == {"M1": "A", "M2": "C"}
    assert lock_violations(d, *SMALL, result) == [] and checker_violations(d, *SMALL, result) == []


def test_the_checker_sees_the_unlocked_rotation_break_the_locks():
    """Control for the two tests above: the same locks judged on the rotation made without them."""
    d = locked(small(), lock("L1", "A", "M1"), lock("L2", "B", "M1", "forbid"))
    found = lock_violations(d, *SMALL, rotate_small(small()))
    assert [(f.rules, f.rows[0]) for f in found] == [(("LOCK",), ("locks.csv", "L1")), (("LOCK",), ("locks.csv", "L2"))]


def test_a_kept_lock_changes_nothing():
    d = locked(small(), lock("L1", "B", "M1"), lock("L2", "A", "M1", "forbid"), lock("L3", "A", "M2", "forbid"))
    plain, with_locks = rotate_small(small()), rotate_small(d)
    pd.testing.assert_frame_equal(with_locks.assignments, plain.assignments)
    assert (with_locks.figures, with_locks.status) == (plain.figures, plain.status)


def _kept_and_broken(result: IepResult, pairs: pd.DataFrame) -> tuple[list[dict], list[dict]]:
    """Locks on the clashing district: some its rotation keeps, some it breaks (another eligible teacher)."""
    held = chosen(result)
    kept = [lock(f"K{i}", held[m], m) for i, m in enumerate(["VA1-M0003", "VA1-M0050", "VA1-M0120"])]
    kept += [lock("K9", next(t for t in _eligible(pairs, "VA1-M0007") if t != held["VA1-M0007"]), "VA1-M0007",
                  "forbid")]
    broken = [lock(f"B{i}", next(t for t in _eligible(pairs, m) if t != held[m]), m)
              for i, m in enumerate(["VA1-M0010", "VA1-M0099", "VA1-M0150"])]
    broken += [lock("B9", held["VA1-M0180"], "VA1-M0180", "forbid")]
    return kept, broken


def _eligible(pairs: pd.DataFrame, meeting_id: str) -> list[str]:
    return sorted(pairs.teacher_id[pairs.meeting_id == meeting_id].astype(str))


def test_kept_locks_change_nothing_on_a_district_full_of_ties():
    """200 meetings, 60 teachers: many rotations tie, so only rotating without the locks first keeps the same one."""
    d, sections, grades = clashing_district()
    plain = assign_iep_meetings(d, CONTRACT, sections, grades)
    pairs = rotation_pairs(d, CONTRACT, meeting_times(d.iep_meetings), sections, grades)
    kept, _ = _kept_and_broken(plain, pairs)
    result = assign_iep_meetings(locked(d, *kept), CONTRACT, sections, grades)
    pd.testing.assert_frame_equal(result.assignments, plain.assignments)
    assert (result.figures, result.status) == (plain.figures, plain.status)


LOCKED_PATHS = {"flow+repair": Paths(), "greedy": Paths(repair=False, widened=False, cpsat=False),
                "cpsat": Paths(flow=False)}


@pytest.mark.parametrize("paths", LOCKED_PATHS.values(), ids=LOCKED_PATHS.keys())
def test_every_path_keeps_the_locks(paths: Paths):
    d, sections, grades = clashing_district()
    plain = assign_iep_meetings(d, CONTRACT, sections, grades)
    pairs = rotation_pairs(d, CONTRACT, meeting_times(d.iep_meetings), sections, grades)
    kept, broken = _kept_and_broken(plain, pairs)
    d = locked(d, *kept, *broken)
    assert len(lock_violations(d, sections, grades, plain)) == len(broken)  # the unlocked rotation breaks them
    result = assign_iep_meetings(d, CONTRACT, sections, grades, paths=paths)
    assert lock_violations(d, sections, grades, result) == []
    # one eligible teacher per meeting, no overlaps, right coverage flags (the spread is A7.1's other half)
    assert [v for v in checker_violations(d, sections, grades, result) if "not equitably" not in v.message] == []
    assert result.status == ("FEASIBLE" if paths.cpsat is False else "OPTIMAL")


# ----------------------------------------------------------------------------------------------
# Locks that cannot hold with the contract


def conflicts_of(d: District, sections=SMALL) -> list:
    with pytest.raises(Infeasible) as exc:
        assign_iep_meetings(d, CONTRACT, *sections)
    return exc.value.conflicts


def test_lock_on_a_teacher_who_teaches_no_section_of_the_grade():
    [conflict] = conflicts_of(locked(small(), lock("L9", "C", "M1")))
    assert conflict.rules == ("LOCK", "A7.1")
    assert conflict.message == "lock L9: C is locked to IEP meeting M1 but teaches no section of grade 7 tonight"
    assert conflict.rows == (("iep_meetings.csv", "M1"), ("locks.csv", "L9"), ("teachers.csv", "C"))
    assert str(conflict).startswith("LOCK + A7.1: lock L9: C is locked")


def test_lock_on_a_teacher_who_is_not_general_education():
    [conflict] = conflicts_of(locked(small(), lock("L2", "S", "M2")))
    assert conflict.message == ("lock L2: S is locked to IEP meeting M2 but is not a general-education classroom "
                                "teacher (special_education, resource_specialist)")


def test_lock_on_a_teacher_missing_from_the_explicit_list():
    d = district([teacher("A"), teacher("B"), teacher("C")], [meeting("M1", 9, "09:00", "10:00", eligible=("A", "B"))])
    [conflict] = conflicts_of(locked(d, lock("L1", "C", "M1")), NO_SECTIONS)
    assert conflict.rules == ("LOCK", "A7.1")
    assert conflict.message == ("lock L1: C is locked to IEP meeting M1 but is not on its eligible_teacher_ids list "
                                "(A, B)")
    result = assign_iep_meetings(locked(d, lock("L1", "A", "M1")), CONTRACT, *NO_SECTIONS)  # control
    assert chosen(result) == {"M1": "A"}


def test_every_eligible_teacher_forbidden():
    d = locked(small(), lock("L1", "A", "M1", "forbid"), lock("L2", "B", "M1", "forbid"))
    [conflict] = conflicts_of(d)
    assert conflict.rules == ("LOCK", "A7.1")
    assert conflict.message == ("locks L1, L2: IEP meeting M1 (VA1, grade 7, 2026-09-14 13:00–14:00) has no teacher "
                                "left: every eligible teacher (A, B) is forbidden from it")
    assert conflict.rows == (("iep_meetings.csv", "M1"), ("locks.csv", "L1"), ("locks.csv", "L2"),
                             ("teachers.csv", "A"), ("teachers.csv", "B"))
    assert chosen(rotate_small(locked(small(), lock("L1", "A", "M1", "forbid")))) == {"M1": "B", "M2": "C"}


def _two_overlapping(m2_start: str, m2_end: str) -> District:
    return district([teacher("A"), teacher("B")], [meeting("M1", 9, "09:00", "10:00", eligible=("A", "B")),
                                                   meeting("M2", 9, m2_start, m2_end, eligible=("A", "B"))])


def test_two_overlapping_meetings_required_of_one_teacher():
    d = locked(_two_overlapping("09:30", "10:30"), lock("L1", "A", "M1"), lock("L2", "A", "M2"))
    [conflict] = conflicts_of(d, NO_SECTIONS)
    assert conflict.rules == ("LOCK", "A7.2")
    assert conflict.message == ("locks L1, L2: A is locked to IEP meetings M1 (09:00–10:00) and M2 (09:30–10:30), "
                                "which overlap on 2026-09-14")
    assert conflict.rows == (("iep_meetings.csv", "M1"), ("iep_meetings.csv", "M2"), ("locks.csv", "L1"),
                             ("locks.csv", "L2"), ("teachers.csv", "A"))
    touching = locked(_two_overlapping("10:00", "11:00"), lock("L1", "A", "M1"), lock("L2", "A", "M2"))  # control
    assert chosen(assign_iep_meetings(touching, CONTRACT, *NO_SECTIONS)) == {"M1": "A", "M2": "A"}


def test_one_meeting_required_of_two_teachers():
    d = locked(_two_overlapping("13:00", "14:00"), lock("L1", "A", "M1"), lock("L2", "B", "M1"))
    [conflict] = conflicts_of(d, NO_SECTIONS)
    assert conflict.rules == ("LOCK", "A7.1")
    assert conflict.message == "locks L1, L2: IEP meeting M1 is locked to A, B, but it goes to exactly one teacher"


def test_a_pair_both_required_and_forbidden():
    d = locked(_two_overlapping("13:00", "14:00"), lock("L1", "A", "M1"), lock("L2", "A", "M1", "forbid"))
    [conflict] = conflicts_of(d, NO_SECTIONS)
    assert conflict.rules == ("LOCK",)
    assert conflict.message == "locks L1, L2: A is both required and forbidden to hold IEP meeting M1"
    assert conflict.rows == (("iep_meetings.csv", "M1"), ("locks.csv", "L1"), ("locks.csv", "L2"),
                             ("teachers.csv", "A"))


def test_forbids_that_leave_overlapping_meetings_too_few_teachers():
    d = district([teacher("A"), teacher("B"), teacher("C")],
                 [meeting("M1", 9, "09:00", "10:00", eligible=("A", "B", "C")),
                  meeting("M2", 9, "09:30", "10:30", eligible=("A", "B"))])
    [conflict] = conflicts_of(locked(d, lock("L1", "B", "M1", "forbid"), lock("L2", "B", "M2", "forbid"),
                                     lock("L3", "C", "M1", "forbid")), NO_SECTIONS)
    assert conflict.rules == ("LOCK", "A7.1", "A7.2")
    assert conflict.message == ("VA1: 2 IEP meetings (M1, M2; grade 9) overlap on 2026-09-14 09:30–10:00 but only "
                                "1 eligible teacher can hold them: A (under locks L1, L2, L3)")
    assert conflict.rows == (("iep_meetings.csv", "M1"), ("iep_meetings.csv", "M2"), ("locks.csv", "L1"),
                             ("locks.csv", "L2"), ("locks.csv", "L3"), ("teachers.csv", "A"))
    control = locked(d, lock("L1", "B", "M1", "forbid"), lock("L2", "B", "M2", "forbid"))
    assert chosen(assign_iep_meetings(control, CONTRACT, *NO_SECTIONS)) == {"M1": "C", "M2": "A"}


def test_a_forbid_that_breaks_an_overlap_chain_is_explained_after_solving():
    # MA-MB and MB-MC overlap, MA and MC do not: each clique can be staffed; without T3, the chain cannot.
    d = district([teacher("T1"), teacher("T2"), teacher("T3")], [
        meeting("MA", 9, "09:00", "10:00", eligible=("T1",)),
        meeting("MB", 9, "09:30", "10:30", eligible=("T1", "T2", "T3")),
        meeting("MC", 9, "10:15", "11:00", eligible=("T2",)),
    ])
    assert chosen(assign_iep_meetings(d, CONTRACT, *NO_SECTIONS)) == {"MA": "T1", "MB": "T3", "MC": "T2"}
    [conflict] = conflicts_of(locked(d, lock("L1", "T3", "MB", "forbid")), NO_SECTIONS)
    assert conflict.rules == ("LOCK", "A7.1", "A7.2")
    assert conflict.message == ("VA1: IEP meetings MA, MB, MC (grade 9) on 2026-09-14 09:00–11:00 cannot each go to "
                                "one of their eligible teachers (T1, T2) without a teacher holding two overlapping "
                                "meetings (under lock L1)")
    assert ("locks.csv", "L1") in conflict.rows


# ----------------------------------------------------------------------------------------------
# A7.1's spread under locks: a teacher the locks leave without a meeting counts 0


def test_spread_counts_an_eligible_teacher_the_locks_leave_idle():
    # A and B may hold M1-M4; C only M5, from which a lock forbids them.
    meetings = [meeting(f"M{i}", 9, f"{8 + i:02d}:00", f"{8 + i:02d}:30", eligible=("A", "B")) for i in range(1, 5)]
    meetings.append(meeting("M5", 9, "15:00", "15:30", eligible=("A", "B", "C")))
    d = locked(district([teacher("A"), teacher("B"), teacher("C")], meetings), lock("L1", "C", "M5", "forbid"))
    m = meeting_times(d.iep_meetings)
    pairs = rotation_pairs(d, CONTRACT, m, *NO_SECTIONS)
    locks = meeting_locks(d, m, pairs)
    left = costed_pairs(locks.restricted(pairs))
    assert set(left.teacher_id.astype(str)) == {"A", "B"} and left.idle.all()
    flow = flow_rotation(left)
    assert (flow.lo, flow.hi, flow.spread) == (0, 3, 3)  # counts 3/2 and C's 0
    assert spread_of(left, flow.held) == 3
    assert flow_rotation(left.drop(columns="idle")).spread == 1  # control: without C, 3/2 is a spread of 1
    for paths in PATHS.values():
        result = assign_iep_meetings(d, CONTRACT, *NO_SECTIONS, paths=paths)
        assert result.figures["VA1"] == {"meetings": 5, "eligible_teachers": 3, "min": 0, "max": 3, "spread": 3,
                                         "needing_coverage": 2}


# ----------------------------------------------------------------------------------------------
# The greedy fallback with the meetings a lock leaves one teacher, and locks.csv through the loader


def test_greedy_rotation_places_the_meeting_a_lock_leaves_one_teacher_first():
    # In time order M1 would go to A (equal counts and costs: the first pair) and leave M2, locked to A, nobody.
    d = locked(_two_overlapping("09:30", "10:30"), lock("L1", "A", "M2"))
    m = meeting_times(d.iep_meetings)
    pairs = rotation_pairs(d, CONTRACT, m, *NO_SECTIONS).assign(weight=1)
    left = costed_pairs(meeting_locks(d, m, pairs).restricted(pairs))
    held = greedy_rotation(m, left)
    assert dict(zip(left.meeting_id[held], left.teacher_id[held])) == {"M1": "B", "M2": "A"}


def test_locks_csv_through_the_loader(tmp_path: Path):
    tables = tiny_tables()
    tables["locks"] = [{"lock_id": "L1", "teacher_id": "H1", "mode": "require", "course_id": "", "semester": "",
                        "period_id": "", "site_id": "", "room_id": "", "meeting_id": "M1", "reason": "parent asked"}]
    d = load_district(write_tables(tmp_path / "tiny", tables))
    sections, grades = tonight({"H1": [9], "H2": [9], "E1": [1]})
    result = assign_iep_meetings(d, CONTRACT, sections, grades)
    assert chosen(result) == {"M1": "H1", "M2": "E2"}  # without the lock: M1 -> H2 (test_rotation.py)
    assert lock_violations(d, sections, grades, result) == []
