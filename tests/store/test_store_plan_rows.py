"""Store records from a plan's tables and run.json (vastaff.store.plan_rows), computed by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from store_helpers import MONDAY, T07, T12_MON
from vastaff.store import (
    RunRecord, TeacherRecord, command_text, list_runs, record_run, run_record, teacher_records, teacher_trail,
)
from vastaff.store.records import run_row

SECTIONS = pd.DataFrame([
    # section_id, course_id, semester, period_id, teacher_id
    ("S1", "ALG1", "1", "P2", "T1"), ("S2", "GEO", "year", "P4", "T1"), ("S3", "ALG1", "2", "P2", "T1"),
    ("S4", "BIO", "year", "homeroom", "T2"), ("S5", "CHEM", "year", None, None),  # S5: a vacancy
], columns=["section_id", "course_id", "semester", "period_id", "teacher_id"])
TEACHERS = pd.DataFrame([
    ("T1", "site", "S1", "S1-101", 1200.0, 250.5, 0.0),
    ("T2", "home", None, None, 0.0, 0.0, 0.0),
    ("T3", "site", "S2", "S2-101", 0.0, 0.0, 0.0),
], columns=["teacher_id", "work_location", "site_id", "room_id", "stipend_cost", "multigrade_cost", "xtime_cost"])
IEP = pd.DataFrame({"meeting_id": ["M7", "M1", "M3"], "teacher_id": ["T1", "T1", "T3"], "needs_coverage": [1, 0, 0]})
CASELOADS = pd.DataFrame({"student_id": ["st1", "st2", "st3"], "teacher_id": ["T3", "T3", "T2"]})
DISPLACEMENT = pd.DataFrame([
    ("T1", "retained", "high", None, "10.0(1)", 0.0), ("T2", "moved_level", "middle", None, "10.0(2)", 600.0),
    ("T4", "displaced", None, "S2", "11.0", 0.0),
], columns=["teacher_id", "outcome", "to_level", "site_id", "article", "xtime_cost"])


def test_a_plans_tables_give_one_record_per_teacher():
    assert teacher_records(TEACHERS, SECTIONS, IEP, CASELOADS) == [
        TeacherRecord("T1", "ALG1; GEO", "S1@P2 (S1); S2@P4; S3@P2 (S2)", "S1", "S1-101", "M1; M7", 0, 1450.5,
                      stipend_cost=1200.0, multigrade_cost=250.5, xtime_cost=0.0),
        TeacherRecord("T2", "BIO", "S4@homeroom", "home", None, "", 1, 0.0, **ZERO),
        TeacherRecord("T3", "", "", "S2", "S2-101", "M3", 2, 0.0, **ZERO),
    ]


ZERO = {"stipend_cost": 0.0, "multigrade_cost": 0.0, "xtime_cost": 0.0}


def test_a_teachers_cost_parts_are_those_of_teachers_csv_and_none_where_not_known():
    """A blank cell (an older or hand-made teachers.csv) is not known: None, never $0; the total counts what is known.
    Without any cost column (a solve's tables before costing) there is no part at all."""
    partial = TEACHERS.drop(columns="multigrade_cost").astype({"xtime_cost": object})
    partial.loc[partial.teacher_id == "T1", "xtime_cost"] = None
    records = {r.teacher_id: r for r in teacher_records(partial)}
    assert (records["T1"].stipend_cost, records["T1"].multigrade_cost, records["T1"].xtime_cost,
            records["T1"].cost) == (1200.0, None, None, 1200.0)
    assert (records["T3"].stipend_cost, records["T3"].multigrade_cost, records["T3"].xtime_cost) == (0.0, None, 0.0)
    bare = teacher_records(TEACHERS.drop(columns=["stipend_cost", "multigrade_cost", "xtime_cost"]))
    assert {(r.stipend_cost, r.multigrade_cost, r.xtime_cost, r.cost) for r in bare} == {(None, None, None, 0.0)}


def test_a_displacement_adds_its_outcome_and_its_x_time_and_its_displaced_teachers():
    records = {r.teacher_id: r for r in teacher_records(TEACHERS, displacement=DISPLACEMENT)}
    assert sorted(records) == ["T1", "T2", "T3", "T4"]
    assert (records["T1"].note, records["T1"].cost) == ("retained (10.0(1))", 1450.5)
    assert (records["T2"].note, records["T2"].cost) == ("moved_level to middle (10.0(2))", 600.0)
    assert (records["T2"].stipend_cost, records["T2"].xtime_cost) == (0.0, 600.0)  # X-time: both files' (A12)
    assert records["T3"].note is None
    assert records["T4"] == TeacherRecord("T4", cost=0.0, note="displaced (11.0), reports to S2", xtime_cost=0.0)
    alone = {r.teacher_id: r for r in teacher_records(displacement=DISPLACEMENT)}  # `vastaff displace`: no teachers
    assert [(t, r.stipend_cost, r.multigrade_cost, r.xtime_cost) for t, r in alone.items()] == [
        ("T1", None, None, 0.0), ("T2", None, None, 600.0), ("T4", None, None, 0.0)]


def test_records_from_a_plan_land_in_the_store_as_computed(sqlite_url):
    record_run(sqlite_url, MONDAY, teacher_records(TEACHERS, SECTIONS, IEP, CASELOADS))
    (row,) = teacher_trail(sqlite_url, "T1")
    assert {k: row[k] for k in ("courses", "periods", "site", "room", "iep_meetings", "caseload", "cost",
                                "stipend_cost", "multigrade_cost", "xtime_cost")} == {
        "courses": "ALG1; GEO", "periods": "S1@P2 (S1); S2@P4; S3@P2 (S2)", "site": "S1", "room": "S1-101",
        "iep_meetings": "M1; M7", "caseload": 0, "cost": 1450.5, "stipend_cost": 1200.0, "multigrade_cost": 250.5,
        "xtime_cost": 0.0}
    assert type(teacher_trail(sqlite_url, "T2")[0]["caseload"]) is int


def test_a_frame_of_teacher_rows_records_as_the_records_do(tmp_path):
    frame = pd.DataFrame([
        {"teacher_id": "T00012", "courses": "ALG1; GEO", "periods": "ALG1-01@P2; GEO-02@P4", "site": "S1",
         "room": "S1-101", "iep_meetings": "M1; M7", "caseload": np.int64(3), "cost": 1200.0,
         "stipend_cost": np.float64(1200.0), "multigrade_cost": 0.0, "xtime_cost": 0.0},
        {"teacher_id": "T00007", "courses": "BIO", "periods": "BIO-01@P1", "site": "home", "room": np.nan,
         "iep_meetings": "", "caseload": 0, "cost": 0.0},
    ])
    a, b = (tmp_path / "a.db", tmp_path / "b.db")
    record_run(str(a), MONDAY, frame)
    record_run(str(b), MONDAY, [T12_MON, T07])
    for teacher in ("T00012", "T00007"):
        assert teacher_trail(str(a), teacher) == teacher_trail(str(b), teacher)


SOLVE_JSON = {"status": "FEASIBLE", "seed": 11, "contract_model": "VA 2025-2027", "input_sha256": "ab" * 32,
              "objective": 3650.0, "costs": {"stipend": 2400.0, "multigrade": 1250.0, "xtime": 0.0, "total": 3650.0},
              "vacancies": {"count": 2, "items": [{"section_id": "MA-07", "course_id": "MA"},
                                                  {"section_id": "BIO-02", "course_id": "BIO"}]},
              "changes_vs_previous": {"sections": 3, "teachers": 2, "periods": 1}}
DISPLACE_JSON = {"command": "displace", "status": "OPTIMAL", "seed": None, "contract_model": "VA 2025-2027",
                 "input_sha256": "cd" * 32, "counts": {"teachers": 5, "retained": 3, "moved_level": 1, "displaced": 1}}


def test_a_run_record_reads_run_json_of_solve_and_of_displace():
    when = ("2025-08-12T03:00:00Z", "2025-08-12T03:05:00Z")
    assert run_record("solve", SOLVE_JSON, "data", "plans/tue", *when) == RunRecord(
        command="solve", started=when[0], ended=when[1], data_path="data", input_sha256="ab" * 32,
        contract_model="VA 2025-2027", status="FEASIBLE", plan_folder="plans/tue", seed=11, cost_total=3650.0,
        vacancies=2, changes={"sections": 3, "teachers": 2, "periods": 1}, cost_stipend=2400.0, cost_multigrade=1250.0,
        cost_xtime=0.0, vacancy_sections=["MA-07", "BIO-02"])
    displaced = run_record("displace", DISPLACE_JSON, "data", "plans/displace", *when)
    assert (displaced.status, displaced.seed, displaced.cost_total, displaced.vacancies) == ("OPTIMAL", None, None,
                                                                                            None)
    assert parts(displaced) == (None, None, None, None)
    assert displaced.changes == {"teachers": 5, "retained": 3, "moved_level": 1, "displaced": 1}
    assert run_record("scenario run", {}, "d", "p", *when).status == "UNKNOWN"


def test_a_run_with_no_plan_has_no_cost_and_a_displace_run_costs_its_x_time():
    """An INFEASIBLE scenario's run.json still carries the costs of the stages it got through: the history keeps
    none (None, shown "–"); a displace run's cost is its X-time (A12: 1 teacher moved level, $720)."""
    when = ("2025-08-12T03:00:00Z", "2025-08-12T03:05:00Z")
    failed = run_record("scenario sweep g2", {**SOLVE_JSON, "status": "INFEASIBLE"}, "d", "p", *when)
    assert (failed.status, failed.cost_total, failed.vacancies, *parts(failed)) == ("INFEASIBLE", *[None] * 6)
    moved = run_record("displace", {**DISPLACE_JSON, "costs": {"xtime": 720.0, "xtime_teachers": 1}}, "d", "p", *when)
    assert (moved.cost_total, *parts(moved)) == (720.0, None, None, 720.0, None)


def parts(run: RunRecord) -> tuple:
    return run.cost_stipend, run.cost_multigrade, run.cost_xtime, run.vacancy_sections


def test_run_json_of_another_shape_leaves_the_parts_it_lacks_none():
    """Read defensively: a meetings run (no costs, no vacancies), a run.json with no vacancy list or an odd one, a
    costs block without a part. An empty list is a list: no vacant section ("" in the store), not unknown."""
    when = ("2025-08-12T03:00:00Z", "2025-08-12T03:05:00Z")
    meetings = {"command": "meetings", "status": "OPTIMAL", "objective": 21, "seed": 0, "requested": 7}
    assert parts(run_record("meetings", meetings, "d", "p", *when)) == (None, None, None, None)
    odd = {"status": "OPTIMAL", "costs": {"stipend": 100.0, "total": 100.0}, "vacancies": {"count": 1, "items": "x"}}
    assert parts(run_record("solve", odd, "d", "p", *when)) == (100.0, None, None, None)
    assert parts(run_record("solve", {**odd, "costs": [1], "vacancies": 3}, "d", "p", *when)) == (None,) * 4
    items = [{"section_id": "S9"}, "S8", {"course_id": "no section"}, {"section_id": 12}]
    assert run_record("solve", {**odd, "vacancies": {"items": items}}, "d", "p", *when).vacancy_sections == ["S9", "12"]
    empty = run_record("solve", {**SOLVE_JSON, "vacancies": {"count": 0, "items": []}}, "d", "p", *when)
    assert empty.vacancy_sections == [] and run_row(empty)["vacancy_sections"] == ""
    assert run_row(run_record("solve", SOLVE_JSON, "d", "p", *when))["vacancy_sections"] == "MA-07; BIO-02"


def test_a_long_scenario_name_is_cut_to_the_command_column_and_still_recorded(sqlite_url):
    """A sweep's scenario names run past the store's 40-character command column: cut with "…", the plan folder keeps
    the whole name, and the record lands (it used to be skipped with a warning)."""
    name = "sample-stipend-caseload-stipend_per_course-1500-caseload_cap-26"
    command = command_text("scenario sweep", name)
    assert len(command) == 40 and command == ("scenario sweep " + name)[:39] + "…"
    assert command_text("scenario run", "baseline") == "scenario run baseline"
    record_run(sqlite_url, run_record(command, {"status": "OPTIMAL"}, "data", f"runs/{name}",
                                      "2026-12-05T03:00:00", "2026-12-05T03:01:00"), ())
    (run,) = list_runs(sqlite_url)
    assert run["command"] == command and run["plan_folder"].endswith(name)
