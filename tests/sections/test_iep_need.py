"""`sections.iep_need.iep_teachers_needed`: the A7.1/A7.2 coupling each school's section model reads — how many teachers
of a grade its overlapping blank-list IEP meetings need, and who is busy in an overlapping named meeting. One join for
the whole district, so meetings of two schools at the same hour must never count together."""

from __future__ import annotations

import pandas as pd

from vastaff.sections.iep_need import iep_teachers_needed, missed, single_grades


def meetings(*rows) -> pd.DataFrame:
    """(meeting_id, school_id, grade, date, start, end, eligible teacher ids)."""
    return pd.DataFrame([(m, s, g, d, a, b, tuple(e)) for m, s, g, d, a, b, e in rows],
                        columns=["meeting_id", "school_id", "grade", "date", "start", "end", "eligible_teacher_ids"])


def test_each_school_counts_only_its_own_overlapping_meetings():
    need = iep_teachers_needed(meetings(
        ("A1", "VA1", 3, "2026-09-14", 540, 600, ()),            # VA1: two blank grade-3 meetings at once ...
        ("A2", "VA1", 3, "2026-09-14", 570, 630, ()),
        ("A3", "VA1", 3, "2026-09-14", 580, 620, ("T9",)),       # ... and a named one T9 may be busy in
        ("A4", "VA1", 3, "2026-09-15", 540, 600, ()),            # another day: alone
        ("B1", "VA2", 3, "2026-09-14", 540, 600, ()),            # VA2 at the same hour: its own one teacher
        ("C1", "VA3", 4, "2026-09-14", 540, 600, ("T5",)),       # VA3: named meetings only, no need at all
    ))
    assert sorted(need) == ["VA1", "VA2"]
    assert need["VA1"].to_dict("records") == [{"grades": (3,), "teachers": 2, "excluded": frozenset({"T9"})}]
    assert need["VA2"].to_dict("records") == [{"grades": (3,), "teachers": 1, "excluded": frozenset()}]


def test_no_blank_meeting_needs_no_teacher():
    assert iep_teachers_needed(meetings(("C1", "VA3", 4, "2026-09-14", 540, 600, ("T5",)))) == {}
    assert iep_teachers_needed(meetings()) == {}


def test_only_a_teacher_surely_busy_is_counted_out():
    """A named meeting with two teachers may go to either: neither is counted out (one was once the grade's only
    teacher, and the need vanished); the one teacher of a named meeting is."""
    both = iep_teachers_needed(meetings(("A1", "VA1", 8, "2026-09-15", 600, 660, ()),
                                        ("A2", "VA1", 7, "2026-09-15", 630, 690, ("TG", "TX"))))
    assert both["VA1"].to_dict("records") == [{"grades": (8,), "teachers": 1, "excluded": frozenset()}]
    one = iep_teachers_needed(meetings(("A1", "VA1", 8, "2026-09-15", 600, 660, ()),
                                       ("A2", "VA1", 7, "2026-09-15", 630, 690, ("TG",))))
    assert one["VA1"].to_dict("records") == [{"grades": (8,), "teachers": 1, "excluded": frozenset({"TG"})}]


def test_a_teacher_in_a_scheduled_meeting_then_is_counted_out():
    """meetings.csv (A4.3): T16 sits in a committee 14:50-15:50 on the day of a blank grade-2 meeting at 15:00."""
    scheduled = pd.DataFrame({"teacher_id": ["T16", "T17"], "meeting_id": ["R1-01", "R2-01"],
                              "day": ["2026-09-16", "2026-09-17"], "start_min": [890, 890], "end_min": [950, 950]})
    need = iep_teachers_needed(meetings(("M1", "VA1", 2, "2026-09-16", "15:00", "15:30", ())), scheduled)
    assert need["VA1"].to_dict("records") == [{"grades": (2,), "teachers": 1, "excluded": frozenset({"T16"})}]


def test_a_teacher_busy_on_another_day_still_counts():
    """The grade's need of 2 comes from 09-15; TG is named alone in a meeting overlapping another grade-8 meeting on
    09-16 only, so TG still counts toward the 09-15 need (it was counted out for the grade on every day)."""
    need = iep_teachers_needed(meetings(("M1", "S1", 8, "2026-09-15", 600, 660, ()),
                                        ("M2", "S1", 8, "2026-09-15", 600, 660, ()),
                                        ("M3", "S1", 8, "2026-09-16", 600, 660, ()),
                                        ("M4", "S1", 7, "2026-09-16", 630, 690, ("TG",))))
    assert need["S1"].to_dict("records") == [{"grades": (8,), "teachers": 2, "excluded": frozenset()}]


def test_meetings_of_two_grades_at_once_need_two_teachers_of_either():
    """Hall's condition: grades 7 and 8 each need one teacher, and the two together two different ones."""
    need = iep_teachers_needed(meetings(("M7", "S1", 7, "2026-09-15", "10:00", "11:00", ()),
                                        ("M8", "S1", 8, "2026-09-15", "10:30", "11:30", ())))
    assert need["S1"].to_dict("records") == [{"grades": (7,), "teachers": 1, "excluded": frozenset()},
                                             {"grades": (8,), "teachers": 1, "excluded": frozenset()},
                                             {"grades": (7, 8), "teachers": 2, "excluded": frozenset()}]


def test_a_chain_of_meetings_needs_only_as_many_teachers_as_run_at_once():
    """09:00-11:00 overlaps 09:00-10:00 and 10:00-11:00, which do not overlap each other: two teachers, not three."""
    need = iep_teachers_needed(meetings(("L", "S1", 5, "2026-09-15", "09:00", "11:00", ()),
                                        ("A", "S1", 5, "2026-09-15", "09:00", "10:00", ()),
                                        ("B", "S1", 5, "2026-09-15", "10:00", "11:00", ()),
                                        ("C", "S1", 6, "2026-09-16", "10:00", "11:00", ())))
    assert need["S1"].to_dict("records") == [{"grades": (5,), "teachers": 2, "excluded": frozenset()},
                                             {"grades": (6,), "teachers": 1, "excluded": frozenset()}]


def test_a_grade_set_its_subset_already_covers_is_no_row():
    """Two grade-7 meetings at 09:00 need 2; grade 7 with grade 8 at 13:00 asks 2 as well: implied, left out."""
    need = iep_teachers_needed(meetings(("A", "S1", 7, "2026-09-15", "09:00", "10:00", ()),
                                        ("B", "S1", 7, "2026-09-15", "09:00", "10:00", ()),
                                        ("C", "S1", 7, "2026-09-15", "13:00", "14:00", ()),
                                        ("D", "S1", 8, "2026-09-15", "13:00", "14:00", ())))
    assert [(r["grades"], r["teachers"]) for r in need["S1"].to_dict("records")] == [((7,), 2), ((8,), 1)]


def test_a_teacher_busy_at_only_one_of_two_grades_meetings_still_counts_for_the_pair():
    """T9 is named alone at 10:30-10:45, during M7 only: counted out of grade 7, not of the pair (T9 may hold M8)."""
    need = iep_teachers_needed(meetings(("M7", "S1", 7, "2026-09-15", "10:00", "11:00", ()),
                                        ("M8", "S1", 8, "2026-09-15", "10:00", "10:20", ()),
                                        ("N", "S1", 7, "2026-09-15", "10:30", "10:45", ("T9",))))
    assert need["S1"].to_dict("records") == [{"grades": (7,), "teachers": 1, "excluded": frozenset({"T9"})},
                                             {"grades": (8,), "teachers": 1, "excluded": frozenset()},
                                             {"grades": (7, 8), "teachers": 2, "excluded": frozenset()}]


def test_a_plan_with_one_teacher_for_two_grades_misses_the_pair_only():
    """TG teaches shape 0 (grade 7) and shape 1 (grade 8); TH may teach grade 8 but teaches nothing: each grade has
    its teacher, the pair (7, 8) has one of two. The model starts with the single grades and is asked the pair after."""
    need = iep_teachers_needed(meetings(("M7", "S1", 7, "2026-09-15", "10:00", "11:00", ()),
                                        ("M8", "S1", 8, "2026-09-15", "10:00", "11:00", ())))["S1"]
    shape_grades = pd.DataFrame({"sid": [0, 1], "grade": [7, 8]})
    eligible = pd.DataFrame({"teacher_id": ["TG", "TG", "TH"], "sid": [0, 1, 1]})
    one = pd.DataFrame({"teacher_id": ["TG", "TG"], "sid": [0, 1], "sections": [1, 1]})
    two = pd.DataFrame({"teacher_id": ["TG", "TH"], "sid": [0, 1], "sections": [1, 1]})
    assert single_grades(need).grades.tolist() == [(7,), (8,)]
    assert missed(need, one, shape_grades, eligible, {"TG", "TH"}).grades.tolist() == [(7, 8)]
    assert missed(need, two, shape_grades, eligible, {"TG", "TH"}).empty
    assert missed(need, one, shape_grades, eligible, {"TG"}).empty  # TH not in general education: one is all there is


def test_a_teacher_busy_at_one_clique_is_counted_out_of_that_cliques_row():
    """Monday 13:00: M1 (blank) beside M2, which names T5 alone; Tuesday: M3 (blank). Monday needs a grade-1 teacher
    other than T5, Tuesday anyone; Monday's row implies Tuesday's. Merged by grade (the largest need, busy only where
    busy at both) T5 counted for Monday, the plan gave grade 1 to T5 and Monday's meeting had no one (exit 3)."""
    need = iep_teachers_needed(meetings(("M1", "S1", 1, "2026-09-14", "13:00", "14:00", ()),
                                        ("M2", "S1", 1, "2026-09-14", "13:00", "14:00", ("T5",)),
                                        ("M3", "S1", 1, "2026-09-15", "08:30", "09:30", ())))
    assert need["S1"].to_dict("records") == [{"grades": (1,), "teachers": 1, "excluded": frozenset({"T5"})}]


def test_a_meeting_naming_a_grades_only_teachers_asks_the_grade_for_one_more():
    """Two blank grade-2 meetings at 9:00 beside M3, which names E1 and E2: three meetings, and E1 and E2 hold at most
    two of them, so a grade-2 teacher other than E1 and E2 is needed (Hall's condition over the named meeting too). The
    clerk gave grade 2 to E1 and E2 only and exited 3; so could the optimizer have. A named pair that starts later is
    counted at its start: M4, M5 and M6 need a grade-5 teacher other than E5 and E6."""
    need = iep_teachers_needed(meetings(("M1", "VA1", 2, "2026-09-14", 540, 600, ()),
                                        ("M2", "VA1", 2, "2026-09-14", 540, 600, ()),
                                        ("M3", "VA1", 2, "2026-09-14", 540, 600, ("E1", "E2")),
                                        ("M4", "VA1", 5, "2026-09-15", 540, 600, ()),
                                        ("M5", "VA1", 5, "2026-09-15", 570, 630, ("E5", "E6")),
                                        ("M6", "VA1", 5, "2026-09-15", 570, 630, ("E5", "E6"))))
    assert need["VA1"].to_dict("records") == [
        {"grades": (2,), "teachers": 2, "excluded": frozenset()},
        {"grades": (2,), "teachers": 1, "excluded": frozenset({"E1", "E2"})},
        {"grades": (5,), "teachers": 1, "excluded": frozenset({"E5", "E6"})}]  # implies the plain row


def test_meetings_that_keep_their_listed_teachers_busy_count_them_out_whatever_their_grade():
    """M2 (grade 6) and M3 (grade 8) both name T3 and T4 and run with the blank grade-6 M1: T3 and T4 are both busy,
    so grade 6 needs another teacher. Named meetings of another grade were left out (their teachers are most likely
    of their own grade) even when they take every teacher they list, and solve exited 3 (an exact MIP's witness)."""
    need = iep_teachers_needed(meetings(("M1", "VA1", 6, "2026-09-14", 570, 630, ()),
                                        ("M2", "VA1", 6, "2026-09-14", 540, 600, ("T3", "T4")),
                                        ("M3", "VA1", 8, "2026-09-14", 570, 630, ("T3", "T4"))))
    assert need["VA1"].to_dict("records") == [{"grades": (6,), "teachers": 1, "excluded": frozenset({"T3", "T4"})}]
