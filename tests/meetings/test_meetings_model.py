"""The meetings optimizer (vastaff.meetings): each rule binding on a tiny case, the reasons it gives, evenness,
determinism, the per-teacher counts, and solve -> check on a generated district."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from tests.conftest import write_tables
from tests.meetings.calendar_fixtures import (
    CONTRACT, calendar, check_meetings, data_dir, day, request, schedule,
)
from vastaff.contract import contract_from_dict
from vastaff.generate import generate_district
from vastaff.generate.meetings import build_meetings, school_calendar
from vastaff.rules import Finding, RowRef

ONE_WEEK = calendar(day(0, 0), day(0, 4))


def dated(result) -> list[tuple[str, str, str, str]]:
    return [(r.request_id, r.date, r.start, r.end) for r in result.meetings.itertuples()]


def test_a4_1_two_pd_requests_in_one_week_one_is_scheduled_the_other_is_listed(tmp_path):
    """A4.1: one pd/plt meeting a week per teacher. The all-staff PD wins (more teachers attend it)."""
    data = data_dir(tmp_path, ONE_WEEK, [request("PD", "pd", "all", 1, day(0, 0), day(0, 4)),
                                         request("PLT", "plt", "high", 1, day(0, 0), day(0, 4), minutes=50)])
    result = schedule(data)
    assert dated(result) == [("PD", "2026-09-01", "13:50", "14:50")]
    assert result.shortfalls == [Finding(
        ("A4.1",), "request PLT (plt, audience high): 1 of 1 meetings not scheduled: alone it could hold 1, but "
                   "teachers of its audience also attend PD, whose meetings take the weeks it could use (at most 1 "
                   "pd/plt meeting a week)",
        (RowRef("meeting_requests.csv", "PLT"), RowRef("meeting_requests.csv", "PD")))]
    assert result.run.status == "OPTIMAL" and result.run.objective == 5 and result.run.best_bound == 5


def test_a_request_its_own_limits_and_other_meetings_both_cut_names_both(tmp_path):
    """PLT wants 3 in one week (its own limit: 1) and PD takes that week: the reason named only the one-a-week limit,
    which leaves it 1, not 0 (a probe written from the documentation alone); now both, and PD."""
    data = data_dir(tmp_path, ONE_WEEK, [request("PD", "pd", "all", 1, day(0, 0), day(0, 4)),
                                         request("PLT", "plt", "high", 3, day(0, 0), day(0, 4), minutes=50)])
    (short,) = schedule(data).shortfalls
    assert short == Finding(
        ("A4.1", "A4.3"),
        "request PLT (plt, audience high): 3 of 3 meetings not scheduled: its window holds 1 week with an "
        "instructional Tuesday (A4.3), and a teacher attends at most 1 pd/plt meeting a week; alone it could hold 1, "
        "but teachers of its audience also attend PD, whose meetings take the weeks it could use (at most 1 pd/plt "
        "meeting a week)",
        (RowRef("meeting_requests.csv", "PLT"), RowRef("meeting_requests.csv", "PD")))


def test_a4_1_pd_for_different_audiences_share_a_tuesday(tmp_path):
    """Control: PLT of the elementary and of the high teachers have no teacher in common, so both meet that week."""
    data = data_dir(tmp_path, ONE_WEEK, [request("PLT-E", "plt", "elementary", 1, day(0, 0), day(0, 4)),
                                         request("PLT-H", "plt", "high", 1, day(0, 0), day(0, 4))])
    result = schedule(data)
    assert [r[:2] for r in dated(result)] == [("PLT-E", "2026-09-01"), ("PLT-H", "2026-09-01")]
    assert result.shortfalls == []


def test_a4_1_pd_longer_than_an_hour_is_refused(tmp_path):
    data = data_dir(tmp_path, ONE_WEEK, [request("PD", "pd", "all", 1, day(0, 0), day(0, 4), minutes=75)])
    result = schedule(data)
    assert result.meetings.empty
    assert [str(f) for f in result.shortfalls] == [
        "A4.1: request PD (pd, audience all): none of its 1 meetings can be held: it lasts 75 minutes; a pd meeting "
        "lasts at most 60"]


def test_a4_2_a_month_with_five_faculty_meetings_wanted_holds_four(tmp_path):
    """A4.2: four a calendar month. September 2026 has five weeks with school days (Aug 31 is in August)."""
    sept = calendar(day(0, 0), day(4, 4))
    data = data_dir(tmp_path, sept, [request("FAC", "faculty", "all", 5, dt.date(2026, 9, 1), dt.date(2026, 9, 30))])
    result = schedule(data)
    assert len(result.meetings) == 4
    assert result.meetings.date.str[:7].eq("2026-09").all()
    assert [str(f) for f in result.shortfalls] == [
        "A4.2: request FAC (faculty, audience all): 1 of 5 meetings not scheduled: at most 4 such meetings a calendar "
        "month and 30 a school year: 4 fit its window"]


def test_a4_2_one_a_week_per_teacher_across_requests(tmp_path):
    """A4.2: the faculty meeting and the grade-level meeting of the high teachers cannot share a week; the
    elementary grade-level meeting shares no teacher with the high one."""
    two_weeks = calendar(day(0, 0), day(1, 4))
    data = data_dir(tmp_path, two_weeks, [request("FAC", "faculty", "all", 1, day(0, 0), day(1, 4)),
                                          request("GL-H", "grade_level", "high", 1, day(0, 0), day(1, 4), 45),
                                          request("GL-E", "grade_level", "elementary", 1, day(0, 0), day(1, 4), 45)])
    result = schedule(data)
    weeks = {r.request_id: dt.date.fromisoformat(r.date).isocalendar().week for r in result.meetings.itertuples()}
    assert len(weeks) == 3 and weeks["FAC"] != weeks["GL-H"] and weeks["FAC"] != weeks["GL-E"]
    assert result.shortfalls == []


def test_a4_2_thirty_a_school_year(tmp_path):
    """A4.2: 32 weekly committee meetings over 40 weeks, never more than four a month: 30 fit a school year."""
    year = calendar(day(0, 0), day(39, 4))
    data = data_dir(tmp_path, year, [request("COM", "committee", "H1;H2", 32, day(0, 0), day(39, 4), 30)])
    result = schedule(data)
    assert len(result.meetings) == 30
    assert result.counts.set_index("teacher_id").loc["H1", ["a42_week_max", "a42_month_max", "a42_year"]].tolist() \
        == [1, 4, 30]
    assert [f.rules for f in result.shortfalls] == [("A4.2",)]


def test_a4_3_roa_fridays_and_days_without_school_hold_no_meeting(tmp_path):
    """A4.3: a window of a ROA Friday and days without school holds nothing; the next week's Thursday is used."""
    cal = calendar(day(0, 0), day(1, 4), roa_fridays=True, closed=tuple(day(1, d) for d in range(4)))
    data = data_dir(tmp_path, cal, [request("FAC", "faculty", "all", 1, day(1, 0), day(1, 4)),
                                    request("COM", "committee", "E1", 1, day(0, 3), day(1, 4))])
    result = schedule(data)
    assert dated(result) == [("COM", "2026-09-03", "14:50", "15:50")]
    assert [str(f) for f in result.shortfalls] == [
        "A4.3: request FAC (faculty, audience all): none of its 1 meetings can be held: its window holds no "
        "instructional day"]


def test_a4_3_a_pd_and_a_faculty_meeting_that_cannot_share_a_day(tmp_path):
    """A4.3 binding: with the synchronous window until 13:00 and meetings ending by 15:00 (a hypothetical model), a
    60-minute faculty meeting fits no start beside a 13:50-14:50 pd meeting: on the one school day, one of them."""
    raw = CONTRACT.model_dump(by_alias=True, exclude={"source"})
    raw["workday"]["synchronous_window"]["value"]["end"] = "13:00"
    raw["meetings"]["end_by"]["value"] = "15:00"
    model = contract_from_dict(raw)
    tuesday = [{"school_id": "VA1", "date": day(0, 1).isoformat(), "kind": "instructional"}]
    data = data_dir(tmp_path, tuesday, [request("PD", "pd", "all", 1, day(0, 0), day(0, 4)),
                                        request("FAC", "faculty", "high", 1, day(0, 0), day(0, 4))])
    result = schedule(data, contract=model)
    assert dated(result) == [("PD", "2026-09-01", "13:50", "14:50")]
    assert [f.rules for f in result.shortfalls] == [("A4.2", "A4.3")]
    assert "a pd/plt and a faculty-type meeting that cannot share a day" in result.shortfalls[0].message


def test_a4_3_faculty_meetings_start_after_the_pd_meeting_of_the_day(tmp_path):
    """Control: with the shipped numbers a faculty meeting on a pd Tuesday starts 14:50, when the pd meeting ends."""
    tuesday = [{"school_id": "VA1", "date": day(0, 1).isoformat(), "kind": "instructional"}]
    data = data_dir(tmp_path, tuesday, [request("PD", "pd", "all", 1, day(0, 0), day(0, 4)),
                                        request("FAC", "faculty", "all", 1, day(0, 0), day(0, 4))])
    assert dated(schedule(data)) == [("PD", "2026-09-01", "13:50", "14:50"), ("FAC", "2026-09-01", "14:50", "15:50")]


def test_meetings_spread_evenly_over_the_window(tmp_path):
    """Evenness: two meetings over eight weeks fall one in each half; a PD every week of four fills each week."""
    eight = calendar(day(0, 0), day(7, 4))
    data = data_dir(tmp_path, eight, [request("FAC", "faculty", "all", 2, day(0, 0), day(7, 4)),
                                      request("PD", "pd", "all", 4, day(0, 0), day(3, 4))])
    result = schedule(data)
    fac = sorted(dt.date.fromisoformat(r.date) for r in result.meetings.itertuples() if r.request_id == "FAC")
    assert fac[0] < day(4, 0) <= fac[1]
    assert result.run.evenness == 0 and result.run.schools["VA1"].stages["evenness"].status == "OPTIMAL"


def test_the_same_seed_gives_the_same_calendar(tmp_path):
    year = calendar(day(0, 0), day(11, 4), roa_fridays=True)
    requests = [request("PD", "pd", "all", 6, day(0, 0), day(11, 4)),
                request("PLT", "plt", "elementary", 5, day(0, 0), day(11, 4), 50),
                request("FAC", "faculty", "all", 3, day(0, 0), day(11, 4)),
                request("COM", "committee", "H1;E1", 4, day(2, 0), day(9, 4), 45)]
    data = data_dir(tmp_path, year, requests)
    first, again = schedule(data, seed=3), schedule(data, seed=3)
    assert first.meetings.equals(again.meetings) and first.counts.equals(again.counts)
    assert first.shortfalls == [] and len(first.meetings) == 18


def test_per_teacher_counts(tmp_path):
    cal = calendar(day(0, 1), day(4, 2))  # September only
    data = data_dir(tmp_path, cal, [request("PD", "pd", "all", 2, day(0, 0), day(4, 4)),
                                    request("GL", "grade_level", "elementary", 3, day(0, 0), day(4, 4), 45)])
    counts = schedule(data).counts
    assert counts.to_dict("records") == [
        {"teacher_id": t, "school_id": "VA1", "a41_week_max": 1, "a41_year": 2, "a42_week_max": int(t[0] == "E"),
         "a42_month_max": 3 * int(t[0] == "E"), "a42_year": 3 * int(t[0] == "E")}
        for t in ("E1", "E2", "H1", "H2", "R1T")]


def test_strict_makes_a_request_not_fully_met_infeasible(tmp_path):
    data = data_dir(tmp_path, ONE_WEEK, [request("FAC", "faculty", "all", 2, day(0, 0), day(0, 4))])
    result = schedule(data, strict=True)
    assert result.run.status == "INFEASIBLE" and not result.feasible
    assert [c.rules for c in result.run.conflicts] == [["A4.2", "A4.3"]]


def test_generated_calendar_has_180_school_days_and_a_roa_friday_every_second_week():
    days = school_calendar(2025)
    assert (days.kind != "no_school").sum() == 180
    roa = days[days.kind == "roa_friday"].date.tolist()
    assert all(d.weekday() == 4 for d in roa) and all((b - a).days % 14 == 0 for a, b in zip(roa, roa[1:]))
    assert len(roa) == 17  # a holiday or a recess takes the others
    assert dt.date(2025, 11, 27) not in set(days.date[days.kind != "no_school"])  # Thanksgiving


def test_solve_then_check_a_generated_district(tmp_path):
    """The generator's calendar and requests for a small district (part of generate_district's tables, as
    build_meetings makes them): scheduled, then checked with no violation."""
    tables = generate_district(20, seed=5)
    for name, frame in build_meetings(tables, seed=5).items():
        pd.testing.assert_frame_equal(tables[name], frame)
    folder = tmp_path / "district"
    write_tables(folder, {name: frame.to_dict("records") for name, frame in tables.items()})
    result = schedule(folder, time_limit=4)
    assert len(result.meetings) > 50 and result.run.objective <= result.run.best_bound
    rows = result.meetings.to_dict("records")
    assert check_meetings(folder, tmp_path / "plan", rows) == []
    assert {f.rules for f in result.shortfalls} <= {("A4.1", "A4.3"), ("A4.2",), ("A4.2", "A4.3")}
