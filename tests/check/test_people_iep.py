"""A7.1 / A7.2 checks: IEP meeting rotation, overlaps, coverage flags; minimum spread against brute force."""

from __future__ import annotations

import itertools
import random

import pandas as pd
import pytest

from people_plans import context, edit_rows, run_all, tiny_plan_tables, tiny_tables, written_plan
from vastaff.check import iep
from vastaff.check.iep_spread import minimum_spread


def meeting(mid: str, grade: int, start: str, end: str, eligible: str = "", date: str = "2026-09-14") -> dict:
    return {"meeting_id": mid, "school_id": "VA1", "student_id": f"ST-{mid}", "grade": grade, "date": date,
            "start": start, "end": end, "eligible_teacher_ids": eligible}


def assign(*pairs: tuple[str, str, bool]) -> list[dict]:
    return [{"meeting_id": m, "teacher_id": t, "needs_coverage": c} for m, t, c in pairs]


def test_tiny_plan_passes(tmp_path):
    assert run_all(iep, context(tmp_path)) == []


# ---------------------------------------------------------------------------------------------- A7.1 assignment

def test_unassigned_meeting_is_reported_once(tmp_path):
    plan = tiny_plan_tables()
    plan["iep_assignments"] = assign(("M1", "H1", True))
    found = run_all(iep, context(tmp_path, plan=plan))
    assert [(v.rule, v.article) for v in found] == [("A7.1", "7.0 A(1)")]
    assert found[0].message == ("IEP meeting M2 (VA1, grade 1, 2026-09-14 13:00-14:00) is not assigned to any teacher; "
                                "2 teacher(s) are eligible")
    assert [(r.file, r.key) for r in found[0].rows] == [("iep_meetings.csv", "M2")]


def test_meeting_assigned_twice(tmp_path):
    plan = tiny_plan_tables()
    plan["iep_assignments"].append({"meeting_id": "M2", "teacher_id": "E2", "needs_coverage": False})
    found = iep.check_a7_1_assignment(context(tmp_path, plan=plan))
    assert [v.message for v in found] == ["IEP meeting M2 is assigned 2 times (E1, E2); it goes to exactly one teacher"]


def test_teacher_without_a_section_of_the_grade_is_not_eligible(tmp_path):
    plan = tiny_plan_tables()
    edit_rows(plan["iep_assignments"], "meeting_id", "M1", teacher_id="E2")
    found = run_all(iep, context(tmp_path, plan=plan))
    assert len(found) == 1 and found[0].rule == "A7.1"
    assert found[0].message == ("IEP meeting M1 is assigned to teacher E2, who is not eligible: eligible are the "
                                "general-education classroom teachers of VA1 with a grade-9 section")


def test_control_other_teacher_of_the_grade_is_eligible(tmp_path):
    plan = tiny_plan_tables()
    edit_rows(plan["iep_assignments"], "meeting_id", "M1", teacher_id="H2")
    assert run_all(iep, context(tmp_path, plan=plan)) == []


@pytest.mark.parametrize("teacher, shown", [("H1", "H1"), ("", "(blank)")])
def test_explicit_list_wins_over_the_grade(tmp_path, teacher, shown):
    """H1 teaches the grade but is not on M2's list; a blank teacher is no one on it (and never a crash)."""
    plan = tiny_plan_tables()
    edit_rows(plan["iep_assignments"], "meeting_id", "M2", teacher_id=teacher)
    found = iep.check_a7_1_assignment(context(tmp_path, plan=plan))
    assert [v.message for v in found] == [
        f"IEP meeting M2 is assigned to teacher {shown}, who is not eligible: its eligible_teacher_ids are E1;E2"]


def test_eligibility_follows_the_plan_under_test(tmp_path):
    """Default eligibility is read from the plan's sections: move grade 9 away from H2 and H2 is not eligible."""
    plan = tiny_plan_tables()
    edit_rows(plan["iep_assignments"], "meeting_id", "M1", teacher_id="H2")
    edit_rows(plan["section_grades"], "section_id", "EN9-A", grade=10)
    found = iep.check_a7_1_assignment(context(tmp_path, plan=plan))
    assert len(found) == 1 and "teacher H2, who is not eligible" in found[0].message


def test_special_education_teacher_is_not_eligible_by_default(tmp_path):
    data = tiny_tables()
    edit_rows(data["teachers"], "teacher_id", "H2", department="special_education")
    plan = tiny_plan_tables()
    edit_rows(plan["iep_assignments"], "meeting_id", "M1", teacher_id="H2")
    found = iep.check_a7_1_assignment(context(tmp_path, data=data, plan=plan))
    assert len(found) == 1 and "teacher H2, who is not eligible" in found[0].message


def test_unknown_meeting(tmp_path):
    plan = tiny_plan_tables()
    plan["iep_assignments"].append({"meeting_id": "M9", "teacher_id": "H1", "needs_coverage": False})
    found = iep.check_a7_1_assignment(context(tmp_path, plan=plan))
    assert [v.message for v in found] == [
        "iep_assignments.csv assigns meeting M9 to teacher H1, but iep_meetings.csv has no such meeting"]


def test_no_iep_file_means_nothing_to_check(tmp_path):
    plan = tiny_plan_tables()
    plan["iep_assignments"] = None
    assert run_all(iep, context(tmp_path, plan=plan)) == []
    assert iep.iep_figures(context(tmp_path, plan=plan)) == {}


def test_header_only_iep_file_reports_every_meeting(tmp_path):
    tables = tiny_plan_tables()
    tables["iep_assignments"] = []
    plan = written_plan(tmp_path / "plan", {k: v for k, v in tables.items()})
    found = run_all(iep, context(tmp_path, plan=plan))
    assert [(v.rule, v.rows[0].key) for v in found] == [("A7.1", "M1"), ("A7.1", "M2")]


def test_written_plan_folder_without_iep_file_is_skipped(tmp_path):
    tables = {k: v for k, v in tiny_plan_tables().items() if k != "iep_assignments"}
    plan = written_plan(tmp_path / "plan", tables)
    assert run_all(iep, context(tmp_path, plan=plan)) == []


# ---------------------------------------------------------------------------------------------- A7.1 spread

def _four_grade9_meetings() -> dict:
    data = tiny_tables()
    data["iep_meetings"] = [meeting(f"M{i}", 9, f"{12 + i}:00", f"{12 + i}:30") for i in range(1, 5)]
    return data


def test_uneven_rotation_is_reported(tmp_path):
    plan = tiny_plan_tables()
    plan["iep_assignments"] = assign(("M1", "H1", False), ("M2", "H1", False), ("M3", "H1", False), ("M4", "H2", False))
    found = run_all(iep, context(tmp_path, data=_four_grade9_meetings(), plan=plan))
    assert [(v.rule, v.article) for v in found] == [("A7.1", "7.0 A(1)")]
    assert found[0].message == ("VA1: IEP meetings are not equitably rotated: eligible teachers hold 1 (H2) to 3 (H1) "
                                "meetings, a spread of 2, where 0 is achievable without overlapping meetings")
    assert [(r.file, r.key) for r in found[0].rows] == [("schools.csv", "VA1")]


def test_control_even_rotation(tmp_path):
    plan = tiny_plan_tables()
    plan["iep_assignments"] = assign(("M1", "H1", False), ("M2", "H2", False), ("M3", "H1", False), ("M4", "H2", False))
    ctx = context(tmp_path, data=_four_grade9_meetings(), plan=plan)
    assert run_all(iep, ctx) == []
    assert iep.iep_figures(ctx)[iep.IEP_FIGURE] == [
        {"school_id": "VA1", "meetings": 4, "eligible_teachers": 2, "plan_spread": 0, "least_spread": 0,
         "least_proven": True, "needing_coverage": 0}]


def test_spread_respects_no_overlap(tmp_path):
    """M1, M2 at the same time (H1 or H2); M3, M4 only H1. The best is H1 3, H2 1 (spread 2), not 2/2."""
    data = tiny_tables()
    data["iep_meetings"] = [meeting("M1", 9, "09:00", "10:00"), meeting("M2", 9, "09:00", "10:00"),
                            meeting("M3", 9, "13:00", "14:00", "H1"), meeting("M4", 9, "14:00", "15:00", "H1")]
    plan = tiny_plan_tables()
    plan["iep_assignments"] = assign(("M1", "H1", True), ("M2", "H2", True), ("M3", "H1", False), ("M4", "H1", False))
    ctx = context(tmp_path, data=data, plan=plan)
    assert run_all(iep, ctx) == []
    row = iep.iep_figures(ctx)[iep.IEP_FIGURE][0]
    assert (row["plan_spread"], row["least_spread"], row["least_proven"]) == (2, 2, True)


def _brute_force_spread(meetings: pd.DataFrame, pairs: pd.DataFrame) -> int | None:
    options = [sorted(pairs.loc[pairs.meeting_id == m, "teacher_id"]) for m in meetings.meeting_id]
    teachers = sorted(pairs.teacher_id.unique())
    rows = meetings.to_dict("records")
    best = None
    for choice in itertools.product(*options):
        clash = any(choice[i] == choice[j] and rows[i]["date"] == rows[j]["date"]
                    and rows[i]["start_min"] < rows[j]["end_min"] and rows[j]["start_min"] < rows[i]["end_min"]
                    for i, j in itertools.combinations(range(len(rows)), 2))
        if clash:
            continue
        counts = [choice.count(t) for t in teachers]
        spread = max(counts) - min(counts)
        best = spread if best is None else min(best, spread)
    return best


def _random_instance(rng: random.Random) -> tuple[pd.DataFrame, pd.DataFrame]:
    n_meetings, teachers = rng.randint(2, 6), [f"T{i}" for i in range(rng.randint(2, 4))]
    starts = [rng.choice([480, 510, 540, 600, 780]) for _ in range(n_meetings)]
    meetings = pd.DataFrame({"meeting_id": [f"M{i}" for i in range(n_meetings)],
                             "date": [rng.choice(["d1", "d2"]) for _ in range(n_meetings)],
                             "start_min": starts, "end_min": [s + rng.choice([30, 60]) for s in starts]})
    pairs = [(m, t) for m in meetings.meeting_id
             for t in rng.sample(teachers, rng.randint(1, len(teachers)))]
    return meetings, pd.DataFrame(pairs, columns=["meeting_id", "teacher_id"])


@pytest.mark.parametrize("seed", range(40))
def test_minimum_spread_matches_brute_force(seed):
    meetings, pairs = _random_instance(random.Random(seed))
    expected = _brute_force_spread(meetings, pairs)
    got = minimum_spread(meetings, pairs)
    if expected is None:
        assert not got.feasible and got.proven
    else:
        assert (got.value, got.proven) == (expected, True)
        assert set(got.witness) == set(meetings.meeting_id)


def test_brute_force_cases_include_overlaps_and_infeasible():
    """The random cases above are not all trivial: some are infeasible, some lose to overlaps."""
    results = [(_brute_force_spread(*_random_instance(random.Random(s))), s) for s in range(40)]
    assert any(r is None for r, _ in results)
    assert len({r for r, _ in results if r is not None}) >= 2


# ---------------------------------------------------------------------------------------------- A7.2

def _overlap_data(second_start: str, second_end: str) -> dict:
    data = tiny_tables()
    data["iep_meetings"][0]["eligible_teacher_ids"] = "H1"
    data["iep_meetings"].append(meeting("M3", 9, second_start, second_end, "H1"))
    return data


def test_overlapping_meetings_of_one_teacher(tmp_path):
    plan = tiny_plan_tables()
    plan["iep_assignments"].append({"meeting_id": "M3", "teacher_id": "H1", "needs_coverage": True})
    found = run_all(iep, context(tmp_path, data=_overlap_data("09:30", "10:30"), plan=plan))
    assert [(v.rule, v.article) for v in found] == [("A7.2", "7.0 A(2)")]
    assert found[0].message == ("teacher H1 holds overlapping IEP meetings on 2026-09-14: M1 (09:00-10:00) and "
                                "M3 (09:30-10:30)")
    assert [(r.file, r.key) for r in found[0].rows] == [
        ("teachers.csv", "H1"), ("iep_meetings.csv", "M1"), ("iep_meetings.csv", "M3")]


def test_control_touching_meetings_do_not_overlap(tmp_path):
    plan = tiny_plan_tables()
    plan["iep_assignments"].append({"meeting_id": "M3", "teacher_id": "H1", "needs_coverage": True})
    assert run_all(iep, context(tmp_path, data=_overlap_data("10:00", "10:45"), plan=plan)) == []


def test_control_same_time_other_day(tmp_path):
    data = _overlap_data("09:30", "10:30")
    data["iep_meetings"][-1]["date"] = "2026-09-15"
    plan = tiny_plan_tables()
    plan["iep_assignments"].append({"meeting_id": "M3", "teacher_id": "H1", "needs_coverage": True})
    assert run_all(iep, context(tmp_path, data=data, plan=plan)) == []


def test_wrong_coverage_flag(tmp_path):
    plan = tiny_plan_tables()
    edit_rows(plan["iep_assignments"], "meeting_id", "M2", needs_coverage=True)
    found = run_all(iep, context(tmp_path, plan=plan))
    assert [(v.rule, v.article) for v in found] == [("A7.2", "7.0 A(2)")]
    assert found[0].message == ("IEP meeting M2 (13:00-14:00) has needs_coverage = true, but it does not meet the "
                                "synchronous window 08:00-11:00, so it must be false")


@pytest.mark.parametrize("start,end,due", [("07:00", "08:00", False), ("07:30", "08:01", True),
                                           ("10:59", "12:00", True), ("11:00", "12:00", False)])
def test_coverage_flag_at_the_window_edges(tmp_path, start, end, due):
    data = tiny_tables()
    data["iep_meetings"][1].update(start=start, end=end)
    plan = tiny_plan_tables()
    edit_rows(plan["iep_assignments"], "meeting_id", "M2", needs_coverage=due)
    ctx = context(tmp_path, data=data, plan=plan)
    assert iep.check_a7_2_coverage_flag(ctx) == []
    edit_rows(plan["iep_assignments"], "meeting_id", "M2", needs_coverage=not due)
    assert len(iep.check_a7_2_coverage_flag(context(tmp_path, data=data, plan=plan))) == 1


def test_coverage_figure_counts_meetings_in_the_window(tmp_path):
    data = tiny_tables()
    data["iep_meetings"][1].update(start="10:30", end="11:30")
    plan = tiny_plan_tables()
    edit_rows(plan["iep_assignments"], "meeting_id", "M2", needs_coverage=True)
    figures = iep.iep_figures(context(tmp_path, data=data, plan=plan))
    assert [r["needing_coverage"] for r in figures[iep.IEP_FIGURE]] == [2]
