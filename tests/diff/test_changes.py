"""plan_changes on two hand-made plans (tests/diff/plans.py): every kind, renumbered sections, teachers in one plan
only; the same rows from in-memory tables and from plan folders; the period rule with a near-identical control."""

from __future__ import annotations

import pandas as pd

from tests.diff.plans import EXPECTED, monday, tuesday, with_costs, write
from vastaff.diff import (
    CHANGE_COLUMNS, changes_csv, changes_summary_lines, plan_changes, plan_totals, summary_counts, teacher_changes,
)
from vastaff.io.plan import load_plan


def rows(frame: pd.DataFrame) -> list[list[str]]:
    return frame[CHANGE_COLUMNS].values.tolist()


def test_in_memory_tables_give_the_hand_computed_changes():
    changes = plan_changes(monday(), tuesday())
    assert list(changes.columns) == CHANGE_COLUMNS
    assert rows(changes) == EXPECTED


def test_plan_folders_give_the_same_rows_as_in_memory_tables(tmp_path):
    """The nightly solve compares a loaded previous plan with tonight's in-memory tables: all mixes agree."""
    before, after = load_plan(write(tmp_path / "mon", monday())), load_plan(write(tmp_path / "tue", tuesday()))
    assert rows(plan_changes(before, after)) == EXPECTED
    assert rows(plan_changes(before, tuesday())) == EXPECTED


def test_costs_are_a_kind_only_when_asked():
    assert rows(plan_changes(monday(), tuesday(), costs=True)) == with_costs()


def test_a_plan_compared_with_itself_has_no_change_even_renumbered():
    renumbered = monday()
    renumbered["sections"]["section_id"] = ["Z9", "Z8", "Z7", "Z6", "Z5", "Z4", "Z3"]
    assert plan_changes(monday(), renumbered, costs=True).empty
    assert list(plan_changes(monday(), renumbered).columns) == CHANGE_COLUMNS


def _alg(*periods: str) -> dict[str, pd.DataFrame]:
    """T1 teaching ALG1 (semester 1) in the given periods, nothing else."""
    return {"sections": pd.DataFrame({"section_id": [f"S{i}" for i in range(len(periods))], "course_id": "ALG1",
                                      "semester": "1", "period_id": list(periods), "teacher_id": "T1"})}


def test_a_gained_section_moves_no_period_unless_the_kept_one_moved():
    """P2 -> P2 + P5: the kept section stays in P2, a `courses` change only. Control: P2 -> P3 + P5, the kept
    section cannot be matched to P2 any more, so `periods` too."""
    assert rows(plan_changes(_alg("P2"), _alg("P2", "P5"))) == [["T1", "courses", "ALG1 x1", "ALG1 x2"]]
    assert rows(plan_changes(_alg("P2"), _alg("P3", "P5"))) == [
        ["T1", "courses", "ALG1 x1", "ALG1 x2"],
        ["T1", "periods", "ALG1 S1 P2", "ALG1 S1 P3; ALG1 S1 P5"]]
    assert plan_changes(_alg("P5", "P2"), _alg("P2", "P5")).empty  # order of rows is no change


def test_periods_sort_naturally_and_doubled_periods_count():
    """P10 after P9 (not after P1); two sections of one course in one period read "x2"."""
    changes = plan_changes(_alg("P9", "P10", "P10"), _alg("P9", "P10", "P11"))
    assert rows(changes) == [["T1", "periods", "ALG1 S1 P9; ALG1 S1 P10 x2", "ALG1 S1 P9; ALG1 S1 P10; ALG1 S1 P11"]]


def test_a_course_in_two_semesters_is_told_apart():
    """A hand-made plan may hold one course in both semesters: then the course text names the semester."""
    before = _alg("P1")
    after = {"sections": before["sections"].assign(semester="2")}
    assert rows(plan_changes(before, after)) == [["T1", "courses", "ALG1 S1 x1", "ALG1 S2 x1"]]


def test_summaries_say_each_change_in_words():
    said = teacher_changes(monday(), tuesday(), costs=True).set_index(["teacher_id", "what"])["summary"]
    assert said.to_dict() == {
        ("T1", "courses"): "ALG1 sections 1 -> 2",
        ("T1", "cost"): "cost 0.00 -> 1,200.00",
        ("T2", "periods"): "CHEM S2 P3 -> P6",
        ("T2", "site"): "site S1 -> S2",
        ("T2", "room"): "room R2 -> R5",
        ("T2", "iep"): "IEP meetings: gains M2",
        ("T3", "iep"): "IEP meetings: loses M2",
        ("T4", "caseload"): "caseload 3 -> 3 students: gains ST10; loses ST2",
        ("T5", "courses"): "loses course ENG (not in the later plan)",
        ("T5", "site"): "site S1 -> - (not in the later plan)",
        ("T5", "room"): "room R3 -> - (not in the later plan)",
        ("T6", "courses"): "gains course ENG (new in the later plan)",
        ("T6", "site"): "site - -> home (new in the later plan)",
    }


def test_counts_are_teachers_per_kind():
    assert summary_counts(plan_changes(monday(), tuesday())) == {
        "courses": 3, "periods": 1, "site": 3, "room": 2, "iep": 2, "caseload": 1}
    assert summary_counts(plan_changes(monday(), tuesday(), costs=True))["cost"] == 1  # T5, T6: no money moved
    assert summary_counts(plan_changes(monday(), monday())) == dict.fromkeys(
        ["courses", "periods", "site", "room", "iep", "caseload"], 0)


def test_console_summary_lines_for_the_lead():
    changes = teacher_changes(monday(), tuesday())
    assert changes_summary_lines(changes, "plans/tue/changes.csv", first=3) == [
        "Changes against the previous plan: 6 teacher(s) changed: courses 3, periods 1, site 3, room 2, iep 2, "
        "caseload 1.",
        "  T1 courses: ALG1 sections 1 -> 2",
        "  T2 periods: CHEM S2 P3 -> P6",
        "  T2 site: site S1 -> S2",
        "  ... 9 more row(s); all 12 in plans/tue/changes.csv"]
    plain = plan_changes(monday(), tuesday())  # without the summary column: before -> after
    assert changes_summary_lines(plain, "c.csv", first=1)[1] == "  T1 courses: ALG1 x1; GEO x1 -> ALG1 x2; GEO x1"
    assert changes_summary_lines(plain, "c.csv", first=20)[-1] == "  All in c.csv"
    assert changes_summary_lines(plan_changes(monday(), monday()), "c.csv") == [
        "No teacher's assignment changed against the previous plan (c.csv has no rows)."]


def test_csv_text_is_raw_for_the_plan_and_neutralised_for_people():
    changes = pd.DataFrame([["T1", "room", "-R1", "=R2"]], columns=CHANGE_COLUMNS)
    assert changes_csv(changes) == "teacher_id,what,before,after\nT1,room,-R1,=R2\n"
    assert changes_csv(changes, for_people=True) == "teacher_id,what,before,after\nT1,room,'-R1,'=R2\n"


def test_plan_totals():
    assert plan_totals(tuesday()) == {"teachers": 5, "sections": 7, "vacancies": 0, "costs": {
        "stipend": 1200.0, "multigrade": 0.0, "xtime": 0.0, "total": 1200.0}}
    assert plan_totals(monday())["vacancies"] == 1
