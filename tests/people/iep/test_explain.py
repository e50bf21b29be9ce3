"""A7.1 / A7.2 infeasibility in contract terms (vastaff.people.iep.explain): exact messages and rows."""

from __future__ import annotations

import pytest

from tests.people.iep.builders import CONTRACT, district, explicit, meeting, teacher, tonight
from vastaff.people.iep import assign_iep_meetings
from vastaff.rules import Infeasible


def test_meeting_without_eligible_teacher_is_explained():
    d = district([teacher("A")], [meeting("M1", 9, "09:00", "10:00"), meeting("M2", 10, "09:00", "10:00")])
    with pytest.raises(Infeasible) as exc:
        assign_iep_meetings(d, CONTRACT, *tonight({"A": [10]}))
    [conflict] = exc.value.conflicts
    assert conflict.rules == ("A7.1",)
    assert conflict.message == ("VA1 IEP meeting M1 (student S-M1, grade 9, 2026-09-14 09:00–10:00): no eligible "
                                "teacher — no general-education classroom teacher of VA1 teaches grade 9 in "
                                "tonight's plan; VA1's IEP meetings without a teacher list are in grades 9–10, and "
                                "tonight 1 general-education classroom teacher teaches grade 10 of them")
    assert conflict.rows == (("iep_meetings.csv", "M1"),)


def test_a_school_with_fewer_teachers_than_grades_to_cover_says_so():
    """An audit's night: blank-list IEP meetings in six grades, five general-education teachers; the message named
    one grade as if the plan had chosen to leave it out."""
    grades = [0, 1, 2, 3, 4, 5]
    d = district([teacher(t) for t in "ABCDE"], [meeting(f"M{g}", g, "09:00", "10:00") for g in grades]
                 + [meeting("MX", 5, "11:00", "12:00", eligible=("A",))])
    with pytest.raises(Infeasible) as exc:
        assign_iep_meetings(d, CONTRACT, *tonight({t: [g] for t, g in zip("ABCDE", grades)}))
    assert [c.message for c in exc.value.conflicts] == [
        "VA1 IEP meeting M5 (student S-M5, grade 5, 2026-09-14 09:00–10:00): no eligible teacher — no general-"
        "education classroom teacher of VA1 teaches grade 5 in tonight's plan; VA1's IEP meetings without a teacher "
        "list are in grades K–5, and tonight 5 general-education classroom teachers teach grades K–4 of them"]


def test_more_overlapping_meetings_than_eligible_teachers_is_explained():
    d = district([teacher("A"), teacher("B"), teacher("C")], [
        meeting("M1", 9, "09:00", "10:00"), meeting("M2", 9, "09:30", "10:30"),
        meeting("M3", 9, "09:45", "11:00"), meeting("M4", 10, "09:45", "10:15"),
    ])
    with pytest.raises(Infeasible) as exc:
        assign_iep_meetings(d, CONTRACT, *tonight({"A": [9], "B": [9], "C": [10]}))
    [conflict] = exc.value.conflicts
    assert conflict.rules == ("A7.1", "A7.2")
    assert conflict.message == ("VA1: 3 IEP meetings (M1, M2, M3; grade 9) overlap on 2026-09-14 09:45–10:00 "
                                "but only 2 eligible teachers can hold them: A, B")
    assert conflict.rows == (("iep_meetings.csv", "M1"), ("iep_meetings.csv", "M2"), ("iep_meetings.csv", "M3"),
                             ("teachers.csv", "A"), ("teachers.csv", "B"))


def test_one_teacher_for_two_overlapping_meetings_names_only_the_meetings_at_fault():
    # M3 has its own teacher C; M1 and M2 overlap it but share A alone: Hall's set is {M1, M2} with {A}.
    d = district([teacher("A"), teacher("C")], [
        meeting("M1", 9, "09:00", "10:00", eligible=("A",)), meeting("M2", 9, "09:30", "10:30", eligible=("A",)),
        meeting("M3", 9, "09:45", "10:15", eligible=("A", "C")),
    ])
    with pytest.raises(Infeasible) as exc:
        explicit(d)
    [conflict] = exc.value.conflicts
    assert conflict.message == ("VA1: 2 IEP meetings (M1, M2; grade 9) overlap on 2026-09-14 09:30–10:00 "
                                "but only 1 eligible teacher can hold them: A")
    assert conflict.rows == (("iep_meetings.csv", "M1"), ("iep_meetings.csv", "M2"), ("teachers.csv", "A"))


def test_just_enough_teachers_for_overlapping_meetings_is_feasible():
    d = district([teacher("A"), teacher("B"), teacher("C")], [
        meeting("M1", 9, "09:00", "10:00"), meeting("M2", 9, "09:30", "10:30"),
        meeting("M3", 9, "09:45", "11:00"),
    ])
    result = assign_iep_meetings(d, CONTRACT, *tonight({"A": [9], "B": [9], "C": [9]}))
    assert sorted(result.assignments.teacher_id) == ["A", "B", "C"]


def test_chain_of_overlaps_that_no_clique_shows_is_explained_after_solving():
    # A-B overlap, B-C overlap, A and C do not: every clique can be staffed, the chain cannot.
    d = district([teacher("T1"), teacher("T2")], [
        meeting("MA", 9, "09:00", "10:00", eligible=("T1",)),
        meeting("MB", 9, "09:30", "10:30", eligible=("T1", "T2")),
        meeting("MC", 9, "10:15", "11:00", eligible=("T2",)),
    ])
    with pytest.raises(Infeasible) as exc:
        explicit(d)
    [conflict] = exc.value.conflicts
    assert conflict.rules == ("A7.1", "A7.2")
    assert conflict.message == ("VA1: IEP meetings MA, MB, MC (grade 9) on 2026-09-14 09:00–11:00 cannot each go "
                                "to one of their eligible teachers (T1, T2) without a teacher holding two "
                                "overlapping meetings")
