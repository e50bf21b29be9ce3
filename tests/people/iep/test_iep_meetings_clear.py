"""The rotation with a meetings calendar in the data (vastaff.people.iep.eligibility): IEP meetings kept clear of
the scheduled meetings (meetings.csv) of their teacher (A4.3), and coverage on a ROA Friday read from calendar.csv
(3.0: the 8:30-9:00 slot instead of the synchronous window)."""

from __future__ import annotations

import dataclasses
import time

import numpy as np
import pandas as pd
import pytest

from tests.people.iep.builders import DAY, NO_SECTIONS, district, explicit, frame, meeting, teacher
from vastaff.people.iep import meeting_times
from vastaff.people.iep.eligibility import clear_of_meetings, eligible_pairs
from vastaff.rules import Infeasible
from vastaff.schemas.meetings import MeetingsData

TEACHERS = [teacher("JUNIOR", year=2015), teacher("SENIOR", year=2000)]
"""Seniority tie-break: with nothing else to choose by, the junior teacher takes the meeting."""


def calendar_data(scheduled: list[tuple[str, str, str, str]] = (), roa: tuple[str, ...] = ()) -> MeetingsData:
    """A calendar (every listed ROA Friday `roa`), one request per scheduled meeting (meeting_id, audience, start,
    end) on DAY, each a faculty meeting of its audience."""
    cal = pd.DataFrame({"school_id": "VA1", "date": pd.to_datetime([DAY, *roa]),
                        "kind": ["instructional"] + ["roa_friday"] * len(roa)})
    requests = pd.DataFrame([{"request_id": f"R-{mid}", "school_id": "VA1", "kind": "faculty",
                              "audience": tuple(who.split(";")), "count": 1, "minutes": 60,
                              "earliest": pd.Timestamp(DAY), "latest": pd.Timestamp(DAY)}
                             for mid, who, _, _ in scheduled],
                            columns=["request_id", "school_id", "kind", "audience", "count", "minutes", "earliest",
                                     "latest"])
    meetings = pd.DataFrame([{"meeting_id": mid, "request_id": f"R-{mid}", "school_id": "VA1", "kind": "faculty",
                              "date": pd.Timestamp(DAY), "start": start, "end": end}
                             for mid, _, start, end in scheduled],
                            columns=["meeting_id", "request_id", "school_id", "kind", "date", "start", "end"])
    return MeetingsData(cal, requests, meetings)


def with_calendar(d, data: MeetingsData):
    return dataclasses.replace(d, meetings=data)


def holder(scheduled) -> str:
    d = with_calendar(district(TEACHERS, [meeting("M1", 9, "13:30", "14:30", eligible=("JUNIOR", "SENIOR"))]),
                      calendar_data(scheduled))
    return explicit(d).assignments.teacher_id.tolist()[0]


def test_a_teacher_in_a_faculty_meeting_at_that_time_is_not_chosen():
    assert holder([]) == "JUNIOR"                                               # control: no meetings.csv rows
    assert holder([("FAC-1", "JUNIOR", "13:00", "14:00")]) == "SENIOR"          # binding: JUNIOR is busy
    assert holder([("FAC-1", "JUNIOR", "14:30", "15:30")]) == "JUNIOR"          # touching is no overlap
    assert holder([("FAC-1", "SENIOR", "13:00", "14:00")]) == "JUNIOR"          # SENIOR's meeting changes nothing


def test_an_audience_word_reaches_the_school_teachers_it_names():
    """`all` makes every teacher of the school busy: nobody is free, and the rotation says why."""
    d = with_calendar(district(TEACHERS, [meeting("M1", 9, "13:30", "14:30", eligible=("JUNIOR", "SENIOR"))]),
                      calendar_data([("FAC-1", "all", "13:00", "14:00")]))
    with pytest.raises(Infeasible) as caught:
        explicit(d)
    assert [(f.rules, f.message, f.rows) for f in caught.value.findings] == [(
        ("A7.1", "A4.3"),
        "VA1 IEP meeting M1 (student S-M1, grade 9, 2026-09-14 13:30–14:30): no eligible teacher is free — all 2 "
        "eligible teachers (JUNIOR, SENIOR) attend a scheduled meeting then: FAC-1 (faculty, 13:00–14:00)",
        (("iep_meetings.csv", "M1"), ("meetings.csv", "FAC-1"), ("teachers.csv", "JUNIOR"), ("teachers.csv", "SENIOR")),
    )]


def test_a_meeting_nobody_was_eligible_for_is_reported_beside_the_busy_one():
    d = with_calendar(district(TEACHERS, [meeting("M1", 9, "13:30", "14:30", eligible=("JUNIOR",)),
                                          meeting("M2", 11, "09:00", "10:00")]),
                      calendar_data([("FAC-1", "JUNIOR", "14:00", "15:00")]))
    with pytest.raises(Infeasible) as caught:
        explicit(d)
    assert [f.rules for f in caught.value.findings] == [("A7.1",), ("A7.1", "A4.3")]
    assert caught.value.findings[1].message.endswith(
        "its only eligible teacher, JUNIOR, attends a scheduled meeting then: FAC-1 (faculty, 14:00–15:00)")


def test_clearing_keeps_the_pairs_of_other_days_and_teachers():
    d = with_calendar(district(TEACHERS, [meeting("M1", 9, "13:30", "14:30", eligible=("JUNIOR", "SENIOR")),
                                          meeting("M2", 9, "13:30", "14:30", day="2026-09-15",
                                                  eligible=("JUNIOR", "SENIOR"))]),
                      calendar_data([("FAC-1", "JUNIOR", "13:00", "14:00")]))
    m = meeting_times(d.iep_meetings)
    pairs = clear_of_meetings(d, m, eligible_pairs(d, m, *NO_SECTIONS))
    assert list(zip(pairs.meeting_id.astype(str), pairs.teacher_id.astype(str))) == [
        ("M1", "SENIOR"), ("M2", "JUNIOR"), ("M2", "SENIOR")]
    assert pairs.index.tolist() == [0, 1, 2]


def test_clearing_a_million_pairs_is_quick():
    """20,000 teachers of one school, 50 meetings each eligible to all of them, a faculty meeting for the high-school
    half at the time of half the meetings: 10^6 pairs, a quarter cleared, in seconds."""
    n = 20_000
    teachers = pd.DataFrame({"teacher_id": [f"T{i:05d}" for i in range(n)], "school_id": "VA1",
                             "level": np.where(np.arange(n) % 2, "high", "middle"), "department": "general",
                             "role": "classroom"})
    ids = tuple(teachers.teacher_id)
    meetings = [meeting(f"M{i:02d}", 9, "13:30" if i % 2 else "09:00", "14:30" if i % 2 else "10:00", eligible=ids)
                for i in range(50)]
    d = district([teacher("X")], meetings)
    d = dataclasses.replace(d, teachers=teachers, meetings=calendar_data([("FAC-1", "high", "13:00", "14:00")]))
    m = meeting_times(d.iep_meetings)
    pairs = eligible_pairs(d, m, *NO_SECTIONS)
    started = time.perf_counter()
    kept = clear_of_meetings(d, m, pairs)
    seconds = time.perf_counter() - started
    assert len(pairs) == 1_000_000 and len(kept) == 750_000
    busy = kept[kept.meeting_id.astype(str).isin([f"M{i:02d}" for i in range(1, 50, 2)])]
    assert len(busy) == 250_000 and not busy.teacher_id.astype(str).str[-1].isin(list("13579")).any()
    assert seconds < 5, seconds  # about 0.7 s on an idle machine


@pytest.mark.parametrize("start, end, roa, due", [
    ("09:15", "10:00", True, False),    # after the ROA Friday's 8:30-9:00 slot: no coverage needed
    ("08:45", "09:15", True, True),     # meets the slot
    ("08:00", "08:30", True, False),    # touches its start
    ("09:15", "10:00", False, True),    # the same time on an ordinary day meets the 8:00-11:00 window
])
def test_coverage_on_a_roa_friday_is_the_short_slot(start, end, roa, due):
    friday = "2026-09-18"
    d = district([teacher("A")], [meeting("M1", 9, start, end, day=friday, eligible=("A",))])
    d = with_calendar(d, calendar_data(roa=(friday,) if roa else ()))
    assert explicit(d).assignments.needs_coverage.tolist() == [due]
    assert np.array_equal(explicit(d).assignments.needs_coverage.to_numpy(), np.array([due]))


def test_a_lock_to_a_teacher_in_a_scheduled_meeting_then_cannot_hold():
    locks = frame("locks", [{"lock_id": "L1", "teacher_id": "JUNIOR", "mode": "require", "meeting_id": "M1"}])
    d = with_calendar(district(TEACHERS, [meeting("M1", 9, "13:30", "14:30", eligible=("JUNIOR", "SENIOR"))]),
                      calendar_data([("FAC-1", "JUNIOR", "13:00", "14:00")]))
    with pytest.raises(Infeasible) as caught:
        explicit(dataclasses.replace(d, locks=locks))
    assert [(f.rules, f.message) for f in caught.value.findings] == [(
        ("LOCK", "A4.3"), "lock L1: JUNIOR is locked to IEP meeting M1 but attends a scheduled meeting (meetings.csv) "
                          "that overlaps it")]
    # control: the faculty meeting ends as the IEP meeting starts
    free = with_calendar(d, calendar_data([("FAC-1", "JUNIOR", "12:30", "13:30")]))
    assert explicit(dataclasses.replace(free, locks=locks)).assignments.teacher_id.tolist() == ["JUNIOR"]


def test_a_lock_forbidding_the_one_free_listed_teacher_names_the_busy_one_and_its_meeting():
    """LOCK + A7.1 named only the forbidden teacher ("every eligible teacher (SENIOR)") of a meeting whose list names
    two: the other, in a scheduled meeting then, was left unsaid (a combined fuzz). The conflict says A4.3 and the
    meetings.csv row."""
    from tests.people.iep.test_iep_locks import lock, locked

    d = with_calendar(district(TEACHERS, [meeting("M1", 9, "13:30", "14:30", eligible=("JUNIOR", "SENIOR"))]),
                      calendar_data([("FAC-1", "JUNIOR", "13:00", "14:00")]))
    with pytest.raises(Infeasible) as caught:
        explicit(locked(d, lock("L1", "SENIOR", "M1", "forbid")))
    assert [(f.rules, f.message, f.rows) for f in caught.value.findings] == [(
        ("LOCK", "A7.1", "A4.3"),
        "lock L1: IEP meeting M1 (VA1, grade 9, 2026-09-14 13:30–14:30) has no teacher left: JUNIOR, on its list, "
        "attends a scheduled meeting then (A4.3): FAC-1 (faculty, 13:00–14:00); every other eligible teacher "
        "(SENIOR) is forbidden from it",
        (("iep_meetings.csv", "M1"), ("locks.csv", "L1"), ("meetings.csv", "FAC-1"), ("teachers.csv", "JUNIOR"),
         ("teachers.csv", "SENIOR")),
    )]
