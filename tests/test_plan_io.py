"""Plan folders: write_plan is atomic, load_plan reads what it wrote, and the previous plan reaches the district
(`DATA/previous/`, or the `previous=` argument, which wins)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import tiny_tables, write_tables
from vastaff.errors import InputError, OutputError
from vastaff.io.district import load_district
from vastaff.io.plan import frame_for, load_plan, write_plan
from vastaff.schemas.plan import PLAN_COLUMNS


def tiny_plan(teacher: str = "H1") -> dict[str, pd.DataFrame]:
    """One algebra section taught by `teacher`, in the documented columns but not in their order."""
    sections = pd.DataFrame([{"teacher_id": teacher, "section_id": "S1", "school_id": "VA1", "course_id": "MA-ALG1",
                              "semester": "1", "period_id": "P1", "enrollment": 30, "note": "dropped"}])
    grades = pd.DataFrame([{"section_id": "S1", "grade": 9, "students": 30}])
    teachers = pd.DataFrame([{"teacher_id": teacher, "courses_s1": 1, "courses_s2": 0, "stipend_courses": 0,
                              "stipend_cost": 0.0, "multigrade_sections": 0, "multigrade_cost": 0.0, "xtime_hours": 0.0,
                              "xtime_cost": 0.0, "work_location": "home", "site_id": None, "room_id": None}])
    return {"sections": sections, "section_grades": grades, "teachers": teachers}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def leftovers(parent: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name not in keep)


# ----------------------------------------------------------------------------------------------
# Writing and reading a plan.


def test_write_then_load_round_trip(tmp_path):
    out = write_plan(tmp_path / "plan", tiny_plan(), {"status": "OPTIMAL", "objective": 0})
    assert sorted(p.name for p in out.iterdir()) == ["run.json", "section_grades.csv", "sections.csv", "teachers.csv"]
    assert (out / "sections.csv").read_text() == (
        "section_id,school_id,course_id,semester,period_id,teacher_id,enrollment\nS1,VA1,MA-ALG1,1,P1,H1,30\n")
    plan = load_plan(out)
    assert plan.sections.teacher_id.tolist() == ["H1"] and plan.sections.enrollment.dtype == "int64"
    assert list(plan.sections.columns) == PLAN_COLUMNS["sections"] + ["_row"]
    assert plan.teachers.site_id.isna().all() and plan.run == {"status": "OPTIMAL", "objective": 0}
    assert plan.iep_assignments.empty and list(plan.caseloads.columns) == ["student_id", "teacher_id", "_row"]
    assert plan.displacement is None


def test_run_json_takes_numpy_values(tmp_path):
    import numpy as np
    out = write_plan(tmp_path / "p", {}, {"objective": np.int64(7), "gap": np.float64(0.5), "rules": ("A6.1",)})
    assert json.loads((out / "run.json").read_text()) == {"objective": 7, "gap": 0.5, "rules": ["A6.1"]}


def test_frame_for_refuses_a_missing_column_and_an_unknown_table():
    with pytest.raises(ValueError, match=r"^plan table sections lacks column\(s\) enrollment$"):
        frame_for("sections", tiny_plan()["sections"].drop(columns=["enrollment"]))
    with pytest.raises(ValueError, match=r"^unknown plan table 'section'"):
        frame_for("section", [])
    rows = [{"meeting_id": "M1", "teacher_id": "E1", "needs_coverage": True}, {"meeting_id": "M2", "teacher_id": "E2"}]
    frame = frame_for("iep_assignments", rows)                    # a key left out of one dict is a blank cell
    assert frame.needs_coverage.tolist()[0] is True and pd.isna(frame.needs_coverage.tolist()[1])
    assert list(frame_for("caseloads", None).columns) == ["student_id", "teacher_id"]


def test_rewriting_a_plan_replaces_it_whole(tmp_path):
    out = tmp_path / "plan"
    write_plan(out, {**tiny_plan(), "displacement": pd.DataFrame(columns=PLAN_COLUMNS["displacement"])}, {"n": 1})
    write_plan(out, tiny_plan("H2"), {"n": 2})
    assert "displacement.csv" not in snapshot(out)
    assert load_plan(out).sections.teacher_id.tolist() == ["H2"]
    assert leftovers(tmp_path, {"plan"}) == []


def test_a_folder_vastaff_did_not_write_is_replaced_only_with_force(tmp_path):
    """The Python API's `write_plan(out, ...)` into a copy of a data folder deleted its CSV files and a person's notes
    (an audit); the commands pass `force` once their --out policy has accepted OUT."""
    data = write_tables(tmp_path / "data", tiny_tables())
    (data / "notes.txt").write_text("mine\n")
    before = snapshot(data)
    with pytest.raises(OutputError, match=r"is not a folder vastaff wrote \(it holds other files and no run.json\); "
                                          r"writing a plan there replaces it whole: give force=True to do so; "
                                          r"nothing was written\.$") as refused:
        write_plan(data, tiny_plan(), {"n": 1})
    assert refused.value.refused and snapshot(data) == before
    write_plan(data, tiny_plan(), {"n": 1}, force=True)
    assert "notes.txt" not in snapshot(data)


# ----------------------------------------------------------------------------------------------
# Atomicity: a failure mid-write leaves the old plan untouched and no temporary folder behind.


def test_failure_while_writing_files_leaves_the_old_plan(tmp_path, monkeypatch):
    out = write_plan(tmp_path / "plan", tiny_plan(), {"n": 1})
    before = snapshot(out)
    calls = {"n": 0}
    real = pd.DataFrame.to_csv

    def fail_on_second_table(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_csv", fail_on_second_table)
    with pytest.raises(OutputError) as exc:
        write_plan(out, tiny_plan("H2"), {"n": 2})
    assert exc.value.message == f"could not write {out}: disk full; what was there is unchanged."
    assert not exc.value.refused
    assert snapshot(out) == before and calls["n"] == 2
    assert leftovers(tmp_path, {"plan"}) == []


def test_failure_while_writing_run_json_leaves_the_old_plan(tmp_path):
    out = write_plan(tmp_path / "plan", tiny_plan(), {"n": 1})
    before = snapshot(out)
    with pytest.raises(TypeError, match="not JSON serialisable: object"):
        write_plan(out, tiny_plan("H2"), {"n": object()})
    assert snapshot(out) == before and leftovers(tmp_path, {"plan"}) == []


def test_failure_while_swapping_folders_puts_the_old_plan_back(tmp_path, monkeypatch):
    out = write_plan(tmp_path / "plan", tiny_plan(), {"n": 1})
    before = snapshot(out)
    real = Path.rename

    def fail_moving_the_new_plan_in(self, target):
        if Path(target) == out and ".tmp-" in self.name:
            raise OSError("rename failed")
        return real(self, target)

    monkeypatch.setattr(Path, "rename", fail_moving_the_new_plan_in)
    with pytest.raises(OutputError, match=r"could not write .*plan: rename failed; what was there is unchanged\.$"):
        write_plan(out, tiny_plan("H2"), {"n": 2})
    assert snapshot(out) == before and leftovers(tmp_path, {"plan"}) == []


def test_first_write_failure_leaves_nothing(tmp_path):
    with pytest.raises(ValueError):
        write_plan(tmp_path / "plan", {"sections": pd.DataFrame({"section_id": ["S1"]})}, {})
    assert leftovers(tmp_path, set()) == []


# ----------------------------------------------------------------------------------------------
# Loading a plan: problems, and the previous plan of a district.


def test_bad_plan_cells_are_input_problems(tmp_path):
    out = write_plan(tmp_path / "plan", tiny_plan(), {})
    (out / "sections.csv").write_text("section_id,school_id,course_id,semester,period_id,teacher_id,enrollment\n"
                                      "S1,VA1,MA-ALG1,3,P1,H1,-2\n")
    (out / "run.json").write_text("{not json")
    with pytest.raises(InputError) as exc:
        load_plan(out, label_prefix="plan/")
    assert [str(p) for p in exc.value.problems] == [
        "plan/run.json, row 1: expected valid JSON (Expecting property name enclosed in double quotes)",
        "plan/sections.csv, row 2, column enrollment: got '-2', expected a whole number >= 0",
        "plan/sections.csv, row 2, column semester: got '3', expected one of 1, 2, year",
    ]


def test_a_plan_table_separated_by_tabs_is_one_problem(tmp_path):
    out = write_plan(tmp_path / "plan", tiny_plan(), {})
    (out / "sections.csv").write_bytes((out / "sections.csv").read_bytes().replace(b",", b"\t"))
    with pytest.raises(InputError) as exc:
        load_plan(out, label_prefix="plan/")
    assert [str(p) for p in exc.value.problems] == [
        "plan/sections.csv, row 1: expected comma-separated columns (this header looks separated by tabs)"]


def test_plan_not_found(tmp_path):
    with pytest.raises(InputError) as exc:
        load_plan(tmp_path / "none")
    assert str(exc.value) == f"{tmp_path / 'none'}: expected a plan folder or .xlsx workbook (not found)"


def test_data_previous_folder_is_the_previous_plan(tmp_path):
    data = write_tables(tmp_path / "data", tiny_tables())
    write_plan(data / "previous", tiny_plan("H1"), {"night": "monday"})
    d = load_district(data)
    assert d.previous is not None and d.previous.run == {"night": "monday"}
    assert d.previous.sections.teacher_id.tolist() == ["H1"]


def test_previous_argument_wins_over_data_previous(tmp_path):
    data = write_tables(tmp_path / "data", tiny_tables())
    write_plan(data / "previous", tiny_plan("H1"), {"night": "monday"})
    other = write_plan(tmp_path / "plan0", tiny_plan("H2"), {"night": "sunday"})
    d = load_district(data, previous=other)
    assert d.previous.run == {"night": "sunday"} and d.previous.sections.teacher_id.tolist() == ["H2"]
    assert d.previous.path == str(other)


def test_no_previous_plan(tiny_dir):
    assert load_district(tiny_dir).previous is None


def test_previous_argument_that_does_not_exist(tmp_path):
    data = write_tables(tmp_path / "data", tiny_tables())
    with pytest.raises(InputError) as exc:
        load_district(data, previous=tmp_path / "plan0")
    assert str(exc.value) == f"{tmp_path / 'plan0'}: expected a plan folder or .xlsx workbook (not found)"


def test_problems_of_the_previous_plan_come_with_the_data_problems(tmp_path):
    tables = tiny_tables()
    tables["teachers"][0]["level"] = "elem"
    data = write_tables(tmp_path / "data", tables)
    prev = write_plan(data / "previous", tiny_plan(), {})
    (prev / "section_grades.csv").write_text("section_id,grade,students\nS1,nine,30\n")
    with pytest.raises(InputError) as exc:
        load_district(data)
    assert [str(p) for p in exc.value.problems] == [
        "previous/section_grades.csv, row 2, column grade: got 'nine', expected a grade: UTK, TK, K or 1..12 "
        "(UTK=-2, TK=-1, K=0)",
        "teachers.csv, row 2, column level: got 'elem', expected one of elementary, middle, high",
    ]


def test_an_empty_previous_folder_is_refused(tmp_path):
    """Reliability: an empty DATA/previous/ would silently switch stability and A12 off — it is invalid input."""
    data = write_tables(tmp_path / "data", tiny_tables())
    (data / "previous").mkdir()
    with pytest.raises(InputError) as err:
        load_district(data)
    assert str(err.value).startswith(f"{data / 'previous'}: expected last night's plan")


def test_writer_module_leaves_no_temporary_names_in_a_busy_folder(tmp_path):
    """Two plans written side by side: each rename targets only its own folder."""
    a = write_plan(tmp_path / "a", tiny_plan("H1"), {})
    b = write_plan(tmp_path / "b", tiny_plan("H2"), {})
    write_plan(a, tiny_plan("H2"), {})
    assert leftovers(tmp_path, {"a", "b"}) == [] and load_plan(b).sections.teacher_id.tolist() == ["H2"]
    assert load_plan(a).sections.teacher_id.tolist() == ["H2"]


def test_booleans_are_written_true_and_false(tmp_path):
    """The formats spell booleans `true`/`false` (pandas alone would write True/False); they load back as booleans."""
    rows = [{"meeting_id": "M1", "teacher_id": "E1", "needs_coverage": True},
            {"meeting_id": "M2", "teacher_id": "E2", "needs_coverage": False}]
    write_plan(tmp_path / "plan", {"iep_assignments": pd.DataFrame(rows)}, {"status": "OPTIMAL"})
    assert (tmp_path / "plan" / "iep_assignments.csv").read_text() == (
        "meeting_id,teacher_id,needs_coverage\nM1,E1,true\nM2,E2,false\n")
    assert load_plan(tmp_path / "plan").iep_assignments.needs_coverage.tolist() == [True, False]


def test_a_run_json_saved_with_a_byte_order_mark_is_read(tmp_path):
    """An editor that saves UTF-8 with a BOM (as CSV files may have): run.json was refused, 'Unexpected UTF-8 BOM'."""
    out = write_plan(tmp_path / "plan", tiny_plan(), {"status": "OPTIMAL", "objective": 0})
    (out / "run.json").write_text((out / "run.json").read_text(), encoding="utf-8-sig")
    assert load_plan(out).run == {"status": "OPTIMAL", "objective": 0}
