"""The IEP checks with a meetings calendar in the data (check/iep.py): the least spread counts only the teachers a
scheduled meeting leaves free (A4.3), and needs_coverage on a ROA Friday follows the 8:30-9:00 slot (3.0)."""

from __future__ import annotations

from people_plans import context, run_all, tiny_plan_tables, tiny_tables
from vastaff.check import iep, meetings

FRIDAY, MONDAY = "2026-09-18", "2026-09-14"


def data(scheduled: bool = True, roa: bool = True, iep_rows: list[dict] | None = None) -> dict:
    """The tiny district with a calendar (MONDAY instructional, FRIDAY a ROA Friday or not), a faculty meeting of
    E1 on MONDAY 13:00-14:00 (or none), and its IEP meetings replaced by `iep_rows`."""
    tables = tiny_tables()
    tables["calendar"] = [{"school_id": "VA1", "date": MONDAY, "kind": "instructional"},
                          {"school_id": "VA1", "date": FRIDAY, "kind": "roa_friday" if roa else "instructional"}]
    tables["meeting_requests"] = [{"request_id": "FAC", "school_id": "VA1", "kind": "faculty", "audience": "E1",
                                   "count": 1, "minutes": 60, "earliest": MONDAY, "latest": MONDAY}]
    if scheduled:
        tables["meetings"] = [{"meeting_id": "FAC-1", "request_id": "FAC", "school_id": "VA1", "kind": "faculty",
                               "date": MONDAY, "start": "13:00", "end": "14:00"}]
    if iep_rows is not None:
        tables["iep_meetings"] = iep_rows
    return tables


def iep_meeting(mid: str, date: str, start: str, end: str, eligible: str) -> dict:
    return {"meeting_id": mid, "school_id": "VA1", "student_id": f"ST-{mid}", "grade": 1, "date": date,
            "start": start, "end": end, "eligible_teacher_ids": eligible}


ELEMENTARY = [iep_meeting("M2", MONDAY, "13:00", "14:00", "E1;E2"), iep_meeting("M3", MONDAY, "10:00", "10:45", "E2")]
"""E1 may hold M2 by A7.1 but sits in FAC-1 then; M3 is E2's alone."""


def plan(*held: tuple[str, str, bool]) -> dict:
    tables = tiny_plan_tables()
    tables["iep_assignments"] = [{"meeting_id": m, "teacher_id": t, "needs_coverage": c} for m, t, c in held]
    return tables


def test_the_least_spread_counts_only_the_teachers_left_free(tmp_path):
    both_to_e2 = plan(("M2", "E2", False), ("M3", "E2", True))
    ctx = context(tmp_path, data(iep_rows=ELEMENTARY), both_to_e2)
    assert run_all((iep, meetings), ctx) == []
    assert iep.iep_figures(ctx)[iep.IEP_FIGURE] == [{
        "school_id": "VA1", "meetings": 2, "eligible_teachers": 1, "plan_spread": 0, "least_spread": 0,
        "least_proven": True, "needing_coverage": 1}]
    # control: without the faculty meeting E1 is free for M2, and giving both to E2 is no longer the least spread
    found = run_all((iep, meetings), context(tmp_path / "free", data(scheduled=False, iep_rows=ELEMENTARY), both_to_e2))
    assert [(v.rule, v.message) for v in found] == [(
        "A7.1", "VA1: IEP meetings are not equitably rotated: eligible teachers hold 0 (E1) to 2 (E2) meetings, a "
                "spread of 2, where 0 is achievable without overlapping meetings")]


def test_a_busy_teacher_holding_the_meeting_is_an_a4_3_finding_and_the_spread_is_not_judged(tmp_path):
    found = run_all((iep, meetings), context(tmp_path, data(iep_rows=ELEMENTARY), plan(("M2", "E1", False),
                                                                                         ("M3", "E2", True))))
    assert [(v.rule, v.message) for v in found] == [(
        "A4.3", "teacher E1: IEP meeting M2 (2026-09-14 13:00-14:00) overlaps meeting FAC-1 (faculty, 13:00-14:00)")]


def test_needs_coverage_on_a_roa_friday_follows_the_short_slot(tmp_path):
    rows = [iep_meeting("M2", FRIDAY, "09:15", "10:00", "E1;E2")]
    on_roa = context(tmp_path, data(iep_rows=rows), plan(("M2", "E1", True)))
    assert [v.message for v in iep.check_a7_2_coverage_flag(on_roa)] == [
        "IEP meeting M2 (09:15-10:00) has needs_coverage = true, but it does not meet the ROA Friday's synchronous "
        "slot 08:30-09:00 (3.0), so it must be false"]
    assert iep.check_a7_2_coverage_flag(context(tmp_path, data(iep_rows=rows), plan(("M2", "E1", False)))) == []
    # control: the same Friday as an ordinary instructional day -> the 08:00-11:00 window, coverage is due
    ordinary = context(tmp_path / "ordinary", data(roa=False, iep_rows=rows), plan(("M2", "E1", False)))
    assert [v.message for v in iep.check_a7_2_coverage_flag(ordinary)] == [
        "IEP meeting M2 (09:15-10:00) has needs_coverage = false, but it meets the synchronous window 08:00-11:00, "
        "so it must be true"]
