"""The checker's meetings rules (check/meetings.py): for A4.1, A4.2 and A4.3 a plan that breaks the rule on purpose
and a near-identical control that keeps it. The tiny district: E1, E2 elementary; H1, H2 high; R1T high special
education (tests/meetings/calendar_fixtures.py); autumn 2026, ROA Fridays in odd weeks."""

from __future__ import annotations

import pytest

from tests.meetings.calendar_fixtures import CONTRACT, calendar, check_meetings, data_dir, day, meeting, request
from vastaff.errors import InputError
from vastaff.io.district import load_district

REQUESTS = [request("PD", "pd", "all", 10, day(0, 0), day(39, 4)),
            request("PLT-E", "plt", "elementary", 10, day(0, 0), day(39, 4), 50),
            request("PLT-H", "plt", "high", 10, day(0, 0), day(39, 4), 50),
            request("FAC", "faculty", "all", 9, day(0, 0), day(39, 4)),
            request("GL-E", "grade_level", "elementary", 9, day(0, 0), day(39, 4), 45),
            request("COM", "committee", "H1;H2", 31, day(0, 0), day(39, 4), 45)]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    """The district with 40 weeks of calendar and REQUESTS, loaded once."""
    folder = data_dir(tmp_path_factory.mktemp("data"), calendar(day(0, 0), day(39, 4), roa_fridays=True), REQUESTS)
    return load_district(folder, CONTRACT)


def findings(data, tmp_path, rows, iep=None):
    return check_meetings(data, tmp_path / "plan", rows, iep)


def test_a_calendar_that_keeps_every_rule_has_no_finding(data, tmp_path):
    rows = [meeting("PD-1", "PD", "pd", day(0, 1), "13:50", "14:50"),
            meeting("PLT-E-1", "PLT-E", "plt", day(1, 1), "13:50", "14:40"),
            meeting("PLT-H-1", "PLT-H", "plt", day(1, 1), "13:50", "14:40"),
            meeting("FAC-1", "FAC", "faculty", day(0, 1), "14:50", "15:50"),
            meeting("GL-E-1", "GL-E", "grade_level", day(1, 2), "14:50", "15:35"),
            meeting("COM-1", "COM", "committee", day(1, 3), "11:00", "11:45")]
    assert findings(data, tmp_path, rows) == []


def test_a4_1_pd_only_on_tuesdays_at_1350(data, tmp_path):
    rows = [meeting("PD-1", "PD", "pd", day(0, 2), "13:50", "14:50"),
            meeting("PD-2", "PD", "pd", day(1, 1), "14:00", "15:00")]
    assert findings(data, tmp_path, rows) == [
        "A4.1: meeting PD-1 (pd, 2026-09-02 13:50-14:50) is on a Wednesday at 13:50: pd/plt meetings are held only on "
        "Tuesdays at 13:50",
        "A4.1: meeting PD-2 (pd, 2026-09-08 14:00-15:00) is on a Tuesday at 14:00: pd/plt meetings are held only on "
        "Tuesdays at 13:50"]
    rows = [meeting("PD-1", "PD", "pd", day(0, 1), "13:50", "14:50"),
            meeting("PD-2", "PD", "pd", day(1, 1), "13:50", "14:50")]
    assert findings(data, tmp_path, rows) == []


def test_a4_1_at_most_an_hour(data, tmp_path):
    assert findings(data, tmp_path, [meeting("PD-1", "PD", "pd", day(0, 1), "13:50", "15:00")]) == [
        "STRUCTURE: meeting PD-1 (pd, 2026-09-01 13:50-15:00) lasts 70 minutes; request PD's meetings last 60",
        "A4.1: meeting PD-1 (pd, 2026-09-01 13:50-15:00) lasts 70 minutes; a pd/plt meeting lasts at most 60"]


def test_a4_1_one_pd_or_plt_meeting_a_week(data, tmp_path):
    """PD and the high PLT on one Tuesday: H1, H2 and R1T attend two (and at once: A4.3)."""
    rows = [meeting("PD-1", "PD", "pd", day(0, 1), "13:50", "14:50"),
            meeting("PLT-H-1", "PLT-H", "plt", day(0, 1), "13:50", "14:40")]
    found = findings(data, tmp_path, rows)
    assert found == [
        "A4.1: teacher(s) H1, H2, R1T: 2 pd/plt meetings in the week of 2026-08-31 (PD-1, PLT-H-1); at most 1",
        "A4.3: meeting PD-1 (pd, 2026-09-01 13:50-14:50) and meeting PLT-H-1 (13:50-14:40) overlap; teacher(s) H1, "
        "H2, R1T attend both"]
    control = [meeting("PLT-E-1", "PLT-E", "plt", day(0, 1), "13:50", "14:40"),
               meeting("PLT-H-1", "PLT-H", "plt", day(0, 1), "13:50", "14:40")]
    assert findings(data, tmp_path, control) == []


def test_a_meeting_is_one_its_request_asked_for(tmp_path):
    """STRUCTURE (docs/data-format.md: a request wants `count` meetings of `minutes` each, between earliest and
    latest): a meeting outside its request's window, or of another length, is reported; controls pass."""
    asks = [request("PD", "pd", "all", 3, day(1, 0), day(2, 4))]
    data = load_district(data_dir(tmp_path / "data", calendar(day(0, 0), day(3, 4), roa_fridays=True), asks),
                         CONTRACT)
    rows = [meeting("PD-1", "PD", "pd", day(0, 1), "13:50", "14:50"),
            meeting("PD-2", "PD", "pd", day(2, 1), "13:50", "14:20"),
            meeting("PD-3", "PD", "pd", day(3, 1), "13:50", "14:50")]
    assert findings(data, tmp_path, rows) == [
        "STRUCTURE: meeting PD-1 (pd, 2026-09-01 13:50-14:50) is outside the window of request PD, 2026-09-07 to "
        "2026-09-18",
        "STRUCTURE: meeting PD-3 (pd, 2026-09-22 13:50-14:50) is outside the window of request PD, 2026-09-07 to "
        "2026-09-18",
        "STRUCTURE: meeting PD-2 (pd, 2026-09-15 13:50-14:20) lasts 30 minutes; request PD's meetings last 60"]
    controls = [meeting("PD-1", "PD", "pd", day(1, 1), "13:50", "14:50"),
                meeting("PD-2", "PD", "pd", day(2, 1), "13:50", "14:50")]
    assert findings(data, tmp_path / "control", controls) == []


def test_a4_2_at_most_an_hour_and_ending_by_1550(data, tmp_path):
    assert findings(data, tmp_path, [meeting("FAC-1", "FAC", "faculty", day(0, 3), "15:00", "16:10")]) == [
        "STRUCTURE: meeting FAC-1 (faculty, 2026-09-03 15:00-16:10) lasts 70 minutes; request FAC's meetings last 60",
        "A4.2: meeting FAC-1 (faculty, 2026-09-03 15:00-16:10) lasts 70 minutes; a faculty-type meeting lasts at most "
        "60",
        "A4.2: meeting FAC-1 (faculty, 2026-09-03 15:00-16:10) ends after 15:50"]
    assert findings(data, tmp_path, [meeting("FAC-1", "FAC", "faculty", day(0, 3), "14:50", "15:50")]) == []


def test_a4_2_one_a_week(data, tmp_path):
    rows = [meeting("FAC-1", "FAC", "faculty", day(0, 0), "14:50", "15:50"),
            meeting("GL-E-1", "GL-E", "grade_level", day(0, 2), "14:50", "15:35")]
    assert findings(data, tmp_path, rows) == [
        "A4.2: teacher(s) E1, E2: 2 faculty-type meetings in the week of 2026-08-31 (FAC-1, GL-E-1); at most 1"]
    rows[1] = meeting("GL-E-1", "GL-E", "grade_level", day(1, 2), "14:50", "15:35")
    assert findings(data, tmp_path, rows) == []


def committee(weeks: list[int]) -> list[dict]:
    return [meeting(f"COM-{n:02d}", "COM", "committee", day(w, 3), "14:50", "15:35") for n, w in enumerate(weeks, 1)]


def test_a4_2_four_a_calendar_month(data, tmp_path):
    """The Thursdays of weeks 0-4 are September 3-24 and October 1: four in September."""
    assert findings(data, tmp_path, committee([0, 1, 2, 3])) == []
    six = committee([0, 1, 2, 3]) + [meeting("COM-05", "COM", "committee", day(3, 1), "14:50", "15:35")]
    assert findings(data, tmp_path, six) == [
        "A4.2: teacher(s) H1, H2: 2 faculty-type meetings in the week of 2026-09-21 (COM-04, COM-05); at most 1",
        "A4.2: teacher(s) H1, H2: 5 faculty-type meetings in the month 2026-09 (COM-01, COM-02, COM-03, COM-04, "
        "COM-05); at most 4"]


def test_a4_2_thirty_a_school_year(data, tmp_path):
    """Weekly committee meetings, skipping the fifth week of a month: 30 keep the rules, 31 break A4.2."""
    weeks = [w for w in range(40) if day(w, 3).day <= 28][:31]
    assert findings(data, tmp_path, committee(weeks[:30])) == []
    found = findings(data, tmp_path, committee(weeks))
    assert len(found) == 1 and found[0].startswith(
        "A4.2: teacher(s) H1, H2: 31 faculty-type meetings in the school year 2026-2027 (COM-01, COM-02, ")
    assert found[0].endswith("COM-31); at most 30")


def test_a4_3_instructional_days_only(data, tmp_path):
    """Friday of week 1 is a ROA Friday; a Saturday is not in the calendar (no school)."""
    rows = [meeting("FAC-1", "FAC", "faculty", day(1, 4), "14:50", "15:50"),
            meeting("GL-E-1", "GL-E", "grade_level", day(2, 5), "14:50", "15:35")]
    assert findings(data, tmp_path, rows) == [
        "A4.3: meeting FAC-1 (faculty, 2026-09-11 14:50-15:50): 2026-09-11 is a ROA Friday at school VA1, not an "
        "instructional day",
        "A4.3: meeting GL-E-1 (grade_level, 2026-09-19 14:50-15:35): 2026-09-19 is a day without school at school "
        "VA1, not an instructional day"]
    rows = [meeting("FAC-1", "FAC", "faculty", day(0, 4), "14:50", "15:50"),
            meeting("GL-E-1", "GL-E", "grade_level", day(2, 4), "14:50", "15:35")]
    assert findings(data, tmp_path, rows) == []


def test_a4_3_after_the_synchronous_window(data, tmp_path):
    assert findings(data, tmp_path, [meeting("COM-1", "COM", "committee", day(0, 3), "10:30", "11:15")]) == [
        "A4.3: meeting COM-1 (committee, 2026-09-03 10:30-11:15) starts before the synchronous window ends at 11:00"]
    assert findings(data, tmp_path, [meeting("COM-1", "COM", "committee", day(0, 3), "11:00", "11:45")]) == []


def test_a4_3_no_teacher_in_two_meetings_at_once(data, tmp_path):
    rows = [meeting("PD-1", "PD", "pd", day(0, 1), "13:50", "14:50"),
            meeting("COM-1", "COM", "committee", day(0, 1), "14:30", "15:15")]
    assert findings(data, tmp_path, rows) == [
        "A4.3: meeting COM-1 (committee, 2026-09-01 14:30-15:15) and meeting PD-1 (13:50-14:50) overlap; teacher(s) "
        "H1, H2 attend both"]
    rows[1] = meeting("COM-1", "COM", "committee", day(0, 1), "14:50", "15:35")
    assert findings(data, tmp_path, rows) == []


IEP = [{"meeting_id": "M1", "teacher_id": "H1", "needs_coverage": "true"},
       {"meeting_id": "M2", "teacher_id": "E1", "needs_coverage": "false"}]
"""The tiny district's IEP meetings: M1 and M2 on Monday 2026-09-14, 09:00-10:00 and 13:00-14:00."""


def test_a4_3_iep_meetings_clear_of_the_scheduled_meetings_of_the_data(tmp_path):
    """A solve plan (iep_assignments.csv, no meetings.csv) against the scheduled meetings of DATA/meetings.csv."""
    cal = calendar(day(0, 0), day(3, 4))

    def plan_findings(start: str, end: str) -> list[str]:
        scheduled = [meeting("GL-E-1", "GL-E", "grade_level", day(2, 0), start, end)]
        data = data_dir(tmp_path / f"data-{start}", cal, REQUESTS, meetings=scheduled)
        return check_meetings(data, tmp_path / f"plan-{start}", None, IEP)

    assert plan_findings("13:30", "14:15") == [
        "A4.3: teacher E1: IEP meeting M2 (2026-09-14 13:00-14:00) overlaps meeting GL-E-1 (grade_level, "
        "13:30-14:15)"]
    assert plan_findings("14:00", "14:45") == []


def test_the_calendar_of_the_data_is_checked_when_the_plan_has_none(tmp_path):
    """The documented night: `meetings`, its meetings.csv into DATA, `solve`, `check DATA PLAN` — the plan folder
    holds no meetings.csv, and DATA's was checked only against the IEP meetings: a faculty meeting on a ROA Friday
    and two in one week were "OK"."""
    cal = calendar(day(0, 0), day(3, 4), roa_fridays=True)
    scheduled = [meeting("FAC-1", "FAC", "faculty", day(1, 4), "14:50", "15:50"),
                 meeting("FAC-2", "FAC", "faculty", day(1, 2), "14:50", "15:50")]
    data = data_dir(tmp_path / "data", cal, REQUESTS, meetings=scheduled)
    got = check_meetings(data, tmp_path / "plan", None, IEP)
    assert [line.split(":")[0] for line in got] == ["A4.2", "A4.3"], got
    assert "ROA Friday" in got[1] and "FAC-1" in got[1]


def test_a4_3_iep_meetings_clear_of_the_meetings_of_the_plan(data, tmp_path):
    """A plan holding both: its own meetings.csv is what the IEP meetings must avoid."""
    rows = [meeting("FAC-1", "FAC", "faculty", day(2, 0), "11:00", "12:00")]
    assert findings(data, tmp_path, rows, IEP) == []
    rows = [meeting("FAC-1", "FAC", "faculty", day(2, 0), "13:00", "14:00")]
    assert findings(data, tmp_path, rows, IEP) == [
        "A4.3: teacher E1: IEP meeting M2 (2026-09-14 13:00-14:00) overlaps meeting FAC-1 (faculty, 13:00-14:00)"]


def test_a_plan_meeting_of_an_unknown_request_is_invalid_input(data, tmp_path):
    with pytest.raises(InputError) as caught:
        findings(data, tmp_path, [meeting("X-1", "NOPE", "faculty", day(0, 3), "14:50", "15:50")])
    assert [str(p) for p in caught.value.problems] == [
        "plan/meetings.csv, row 2, column request_id: got 'NOPE', expected a request_id of meeting_requests.csv"]
