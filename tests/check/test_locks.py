"""LOCK: every row of locks.csv holds in the plan (docs/contract.md, LOCK), checked from the plan alone.

The tiny district's valid plan (tests/check/conftest.py): H1 teaches S-ALG (MA-ALG1, semester 1, P1) and S-HALG
(MA-HALG1, semester 1, P1); H2 teaches S-EN (EN-9, year, P1) and S-ELD (ELD-1, semester 1, P2); E1 and E2 hold
the EL-1 homerooms. Places: E1 at S1 in S1-101, E2 home, H1 at S2 in S2-101, H2 at S1 in S1-200. Each lock kind is
tested required and forbidden: a lock the plan breaks gives exactly one finding, a near-identical lock none.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.check.conftest import CONTRACT
from vastaff.check.runner import run_checks
from vastaff.io.plan import load_plan

BLANK = {"course_id": "", "semester": "", "period_id": "", "site_id": "", "room_id": "", "meeting_id": "",
         "reason": "decided by the principal"}


def lock(teacher_id: str, mode: str, lock_id: str = "L1", **fields) -> dict:
    return {"lock_id": lock_id, "teacher_id": teacher_id, "mode": mode, **BLANK, **fields}


def with_meeting(holder: str):
    """A plan edit: iep_assignments.csv gives meeting M1 to `holder`."""
    def edit(frames: dict, run: dict) -> None:
        frames["iep_assignments"] = pd.DataFrame([{"meeting_id": "M1", "teacher_id": holder, "needs_coverage": True}])
    return edit


def lock_findings(case, *locks: dict, edit=None) -> list[tuple[str, list[str]]]:
    """(message, rows) of each LOCK finding of the valid plan (after `edit`) under these locks."""
    case.tables["locks"] = list(locks)
    report = run_checks(case.district(), load_plan(case.write_plan(edit)), CONTRACT, modules=("locks",))
    assert {v.rule for v in report.violations} <= {"LOCK"}
    return [(v.message, [str(r) for r in v.rows]) for v in report.violations]


# ----------------------------------------------------------------------------------------------
# course_id (+ semester, + period_id)


def test_required_course_in_another_period_is_caught_with_the_sections_it_has(case):
    assert lock_findings(case, lock("H1", "require", course_id="MA-ALG1", period_id="P2")) == [(
        "lock L1 (require): teacher H1 must have a section of MA-ALG1 (Algebra 1) in period P2, but the plan gives "
        "them none; their sections of that course: S-ALG (semester 1, period P1)",
        ["locks.csv:L1", "teachers.csv:H1", "sections.csv:S-ALG"])]
    assert lock_findings(case, lock("H1", "require", course_id="MA-ALG1", period_id="P1")) == []


def test_required_course_of_another_teacher_is_caught(case):
    assert lock_findings(case, lock("H2", "require", course_id="MA-ALG1")) == [(
        "lock L1 (require): teacher H2 must have a section of MA-ALG1 (Algebra 1), but the plan gives them none; "
        "they teach no section of that course", ["locks.csv:L1", "teachers.csv:H2"])]
    assert lock_findings(case, lock("H1", "require", course_id="MA-ALG1")) == []


def test_forbidden_course_is_caught(case):
    assert lock_findings(case, lock("H1", "forbid", course_id="MA-HALG1")) == [(
        "lock L1 (forbid): teacher H1 must have no section of MA-HALG1 (Honors Algebra 1), but the plan gives them "
        "S-HALG (semester 1, period P1)", ["locks.csv:L1", "teachers.csv:H1", "sections.csv:S-HALG"])]
    assert lock_findings(case, lock("H2", "forbid", course_id="MA-HALG1")) == []


def test_a_year_section_meets_in_each_semester_a_lock_names(case):
    assert lock_findings(case, lock("H2", "forbid", course_id="EN-9", semester="2")) == [(
        "lock L1 (forbid): teacher H2 must have no section of EN-9 (English 9) in semester 2, but the plan gives them "
        "S-EN (semester year, period P1)", ["locks.csv:L1", "teachers.csv:H2", "sections.csv:S-EN"])]
    assert lock_findings(case, lock("H2", "require", course_id="EN-9", semester="2", period_id="P1")) == []


def test_required_course_in_its_semester_and_forbidden_in_the_other(case):
    assert lock_findings(case, lock("H1", "require", course_id="MA-ALG1", semester="1", period_id="P1"),
                         lock("H1", "forbid", "L2", course_id="MA-ALG1", semester="1", period_id="P2")) == []
    assert [m for m, _ in lock_findings(case, lock("H1", "forbid", "L2", course_id="MA-ALG1", semester="1",
                                                   period_id="P1"))] == [
        "lock L2 (forbid): teacher H1 must have no section of MA-ALG1 (Algebra 1) in semester 1 in period P1, but the "
        "plan gives them S-ALG (semester 1, period P1)"]


# ----------------------------------------------------------------------------------------------
# period_id alone (forbid only), + semester


def test_forbidden_period_is_caught(case):
    assert lock_findings(case, lock("H2", "forbid", period_id="P2")) == [(
        "lock L1 (forbid): teacher H2 must have no section in period P2, but the plan gives them "
        "S-ELD (semester 1, period P2)", ["locks.csv:L1", "teachers.csv:H2", "sections.csv:S-ELD"])]
    assert lock_findings(case, lock("H2", "forbid", period_id="P3")) == []


def test_forbidden_period_in_one_semester(case):
    """S-ELD meets in P2 in semester 1 only; S-EN (year) meets in P1 in both semesters."""
    assert lock_findings(case, lock("H2", "forbid", period_id="P2", semester="2")) == []
    assert lock_findings(case, lock("H2", "forbid", period_id="P1", semester="2")) == [(
        "lock L1 (forbid): teacher H2 must have no section in semester 2 in period P1, but the plan gives them "
        "S-EN (semester year, period P1)", ["locks.csv:L1", "teachers.csv:H2", "sections.csv:S-EN"])]


def test_forbidden_period_in_year_means_either_semester(case):
    assert [m for m, _ in lock_findings(case, lock("H2", "forbid", period_id="P2", semester="year"))] == [
        "lock L1 (forbid): teacher H2 must have no section in either semester in period P2, but the plan gives them "
        "S-ELD (semester 1, period P2)"]
    assert lock_findings(case, lock("H2", "forbid", period_id="P3", semester="year")) == []


def test_forbidden_homeroom(case):
    assert [m for m, _ in lock_findings(case, lock("E2", "forbid", period_id="homeroom"))] == [
        "lock L1 (forbid): teacher E2 must have no section in period homeroom, but the plan gives them "
        "S-E2 (semester year, period homeroom)"]
    case.remove("S-E2")
    assert lock_findings(case, lock("E2", "forbid", period_id="homeroom")) == []


# ----------------------------------------------------------------------------------------------
# site_id (+ room_id); home


def test_required_site_is_caught(case):
    assert lock_findings(case, lock("H1", "require", site_id="S1")) == [(
        "lock L1 (require): teacher H1 must work at site S1, but the plan has them at site S2 in room S2-101",
        ["locks.csv:L1", "teachers.csv:H1", "plan/teachers.csv:H1"])]
    assert lock_findings(case, lock("H1", "require", site_id="S2")) == []


def test_required_room_is_caught(case):
    assert [m for m, _ in lock_findings(case, lock("H2", "require", site_id="S1", room_id="S1-101"))] == [
        "lock L1 (require): teacher H2 must work at site S1 in room S1-101, but the plan has them at site S1 in room "
        "S1-200"]
    assert lock_findings(case, lock("H2", "require", site_id="S1", room_id="S1-200")) == []


def test_forbidden_site_and_room(case):
    assert [m for m, _ in lock_findings(case, lock("H1", "forbid", site_id="S2"))] == [
        "lock L1 (forbid): teacher H1 must not work at site S2, but the plan has them at site S2 in room S2-101"]
    assert lock_findings(case, lock("H1", "forbid", site_id="S1")) == []
    assert [m for m, _ in lock_findings(case, lock("H2", "forbid", site_id="S1", room_id="S1-200"))] == [
        "lock L1 (forbid): teacher H2 must not work at site S1 in room S1-200, but the plan has them at site S1 in "
        "room S1-200"]
    assert lock_findings(case, lock("H2", "forbid", site_id="S1", room_id="S1-101")) == []


def test_home_required_and_forbidden(case):
    assert lock_findings(case, lock("E1", "require", site_id="home")) == [(
        "lock L1 (require): teacher E1 must work from home, but the plan has them at site S1 in room S1-101",
        ["locks.csv:L1", "teachers.csv:E1", "plan/teachers.csv:E1"])]
    assert lock_findings(case, lock("E2", "require", site_id="home")) == []
    assert [m for m, _ in lock_findings(case, lock("E2", "forbid", site_id="home"))] == [
        "lock L1 (forbid): teacher E2 must not work from home, but the plan has them working from home"]
    assert lock_findings(case, lock("E1", "forbid", site_id="home")) == []


def test_a_teacher_missing_from_the_plan_holds_no_required_site(case):
    def drop_h1(frames: dict, run: dict) -> None:
        frames["teachers"] = frames["teachers"][frames["teachers"].teacher_id != "H1"]

    assert lock_findings(case, lock("H1", "require", site_id="S2"), edit=drop_h1) == [(
        "lock L1 (require): teacher H1 must work at site S2, but plan/teachers.csv has no row for them",
        ["locks.csv:L1", "teachers.csv:H1"])]
    assert lock_findings(case, lock("H1", "forbid", site_id="S2"), edit=drop_h1) == []


# ----------------------------------------------------------------------------------------------
# meeting_id


def test_required_meeting_is_caught(case):
    assert lock_findings(case, lock("H1", "require", meeting_id="M1"), edit=with_meeting("H2")) == [(
        "lock L1 (require): teacher H1 must hold IEP meeting M1, but iep_assignments.csv gives it to H2",
        ["locks.csv:L1", "teachers.csv:H1", "iep_assignments.csv:M1"])]
    assert lock_findings(case, lock("H1", "require", meeting_id="M1"), edit=with_meeting("H1")) == []


def test_forbidden_meeting_is_caught(case):
    assert lock_findings(case, lock("H1", "forbid", meeting_id="M1"), edit=with_meeting("H1")) == [(
        "lock L1 (forbid): teacher H1 must not hold IEP meeting M1, but iep_assignments.csv gives it to them",
        ["locks.csv:L1", "teachers.csv:H1", "iep_assignments.csv:M1"])]
    assert lock_findings(case, lock("H1", "forbid", meeting_id="M1"), edit=with_meeting("H2")) == []


def test_a_required_meeting_given_to_no_one(case):
    def other_meeting(frames: dict, run: dict) -> None:
        frames["iep_assignments"] = pd.DataFrame([{"meeting_id": "M2", "teacher_id": "E1", "needs_coverage": False}])

    assert lock_findings(case, lock("H1", "require", meeting_id="M1"), edit=other_meeting) == [(
        "lock L1 (require): teacher H1 must hold IEP meeting M1, but iep_assignments.csv gives it to no one",
        ["locks.csv:L1", "teachers.csv:H1"])]


def test_meeting_locks_wait_for_a_plan_with_iep_assignments(case):
    """A plan without iep_assignments.csv (sections only) is not judged on meetings, as A7.1 is not."""
    assert lock_findings(case, lock("H1", "require", meeting_id="M1")) == []


# ----------------------------------------------------------------------------------------------
# Several locks, the runner, no locks


def test_each_broken_lock_is_one_finding_in_file_order(case):
    found = lock_findings(case, lock("H2", "forbid", "Z9", period_id="P2"), lock("H1", "require", "A1", site_id="S2"),
                          lock("E1", "require", "B2", site_id="home"))
    assert [rows[0] for _, rows in found] == ["locks.csv:Z9", "locks.csv:B2"]


@pytest.mark.parametrize("locks", [[], [lock("H1", "require", course_id="MA-ALG1")]], ids=["no locks", "held"])
def test_the_whole_checker_on_the_valid_plan(case, locks):
    case.tables["locks"] = locks
    assert case.report(every_module=True).ok


def test_the_whole_checker_reports_a_broken_lock(case):
    case.tables["locks"] = [lock("H1", "forbid", course_id="MA-ALG1")]
    report = case.report(every_module=True)
    assert [(v.rule, v.article) for v in report.violations] == [("LOCK", "—")]
