"""A7.3 checks: every special-education student on exactly one fitting resource specialist's caseload, under the cap."""

from __future__ import annotations

from people_plans import CONTRACT, context, edit_rows, run_all, tiny_plan_tables, tiny_tables, written_plan
from vastaff.check import caseload


def rules(found) -> list[tuple[str, str]]:
    return [(v.rule, v.article) for v in found]


def _with_second_specialist(grade_min: str = "9", grade_max: str = "12", school: str = "VA1") -> dict:
    data = tiny_tables()
    r1t = next(t for t in data["teachers"] if t["teacher_id"] == "R1T")
    data["teachers"].append({**r1t, "teacher_id": "R2T", "name": "Flo Resource", "grade_min": grade_min,
                             "grade_max": grade_max, "school_id": school})
    return data


def test_tiny_plan_passes(tmp_path):
    ctx = context(tmp_path)
    assert run_all(caseload, ctx) == []
    assert caseload.caseload_figures(ctx)["A7.3 caseload per specialist"] == [
        {"teacher_id": "R1T", "school_id": "VA1", "students": 2, "cap": CONTRACT.caseload_cap}]


def test_student_on_no_caseload(tmp_path):
    plan = tiny_plan_tables()
    plan["caseloads"] = plan["caseloads"][:1]
    found = run_all(caseload, context(tmp_path, plan=plan))
    assert rules(found) == [("A7.3", "7.0 B(1)")]
    assert found[0].message == "student ST3 (VA1, grade 10) is on no resource specialist's caseload"
    assert [(r.file, r.key) for r in found[0].rows] == [("sped_students.csv", "ST3")]


def test_student_on_two_caseloads(tmp_path):
    plan = tiny_plan_tables()
    plan["caseloads"].append({"student_id": "ST3", "teacher_id": "R2T"})
    found = run_all(caseload, context(tmp_path, data=_with_second_specialist(), plan=plan))
    assert rules(found) == [("A7.3", "7.0 B(1)")]
    assert found[0].message == ("student ST3 is on 2 caseloads (R1T, R2T); a student goes to exactly one resource "
                                "specialist")


def test_control_student_moved_to_the_other_specialist(tmp_path):
    plan = tiny_plan_tables()
    edit_rows(plan["caseloads"], "student_id", "ST3", teacher_id="R2T")
    assert run_all(caseload, context(tmp_path, data=_with_second_specialist(), plan=plan)) == []


def test_specialist_whose_grades_do_not_cover_the_student(tmp_path):
    plan = tiny_plan_tables()
    edit_rows(plan["caseloads"], "student_id", "ST3", teacher_id="R2T")
    found = run_all(caseload, context(tmp_path, data=_with_second_specialist("9", "9"), plan=plan))
    assert [v.message for v in found] == [
        "student ST3 (VA1, grade 10) is on the caseload of R2T, whose grade range 9..9 does not cover grade 10"]


def test_specialist_of_another_school(tmp_path):
    data = _with_second_specialist(school="VA2")
    data["schools"].append({"school_id": "VA2", "name": "VA 2", "region_id": "R1", "levels": "high"})
    plan = tiny_plan_tables()
    edit_rows(plan["caseloads"], "student_id", "ST3", teacher_id="R2T")
    found = run_all(caseload, context(tmp_path, data=data, plan=plan))
    assert [v.message for v in found] == [
        "student ST3 (VA1, grade 10) is on the caseload of R2T, a resource specialist of VA2, not of VA1"]


def test_classroom_teacher_holds_no_caseload(tmp_path):
    plan = tiny_plan_tables()
    edit_rows(plan["caseloads"], "student_id", "ST3", teacher_id="H1")
    found = run_all(caseload, context(tmp_path, plan=plan))
    assert rules(found) == [("A7.3", "7.0 B(1)")]
    assert found[0].message == ("student ST3 (VA1, grade 10) is on the caseload of H1, who is a classroom teacher, "
                                "not a resource specialist")


def test_unknown_student_and_unknown_teacher(tmp_path):
    plan = tiny_plan_tables()
    plan["caseloads"].append({"student_id": "ST9", "teacher_id": "R1T"})
    edit_rows(plan["caseloads"], "student_id", "ST3", teacher_id="NOBODY")
    found = run_all(caseload, context(tmp_path, plan=plan))
    assert [v.message for v in found] == [
        "caseloads.csv puts student ST9 on teacher R1T's caseload, but sped_students.csv has no such student",
        "student ST3 is on the caseload of teacher NOBODY, who is not in teachers.csv"]


def _students(n: int) -> tuple[dict, dict]:
    data = tiny_tables()
    data["sped_students"] = [{"student_id": f"ST{i}", "school_id": "VA1", "grade": 9} for i in range(n)]
    plan = tiny_plan_tables()
    plan["caseloads"] = [{"student_id": f"ST{i}", "teacher_id": "R1T"} for i in range(n)]
    return data, plan


def test_caseload_above_the_cap(tmp_path):
    cap = CONTRACT.caseload_cap
    data, plan = _students(cap + 1)
    found = run_all(caseload, context(tmp_path, data=data, plan=plan))
    assert rules(found) == [("A7.3", "7.0 B(1)")]
    assert found[0].message == f"teacher R1T has a caseload of {cap + 1} students; the cap is {cap}"


def test_control_caseload_at_the_cap(tmp_path):
    cap = CONTRACT.caseload_cap
    data, plan = _students(cap)
    ctx = context(tmp_path, data=data, plan=plan)
    assert run_all(caseload, ctx) == []
    assert caseload.caseload_figures(ctx)["A7.3 caseloads per school"] == [
        {"school_id": "VA1", "specialists": 1, "students": cap, "max": cap, "min": cap, "cap": cap}]


def test_no_caseload_file_means_nothing_to_check(tmp_path):
    plan = tiny_plan_tables()
    plan["caseloads"] = None
    ctx = context(tmp_path, plan=plan)
    assert run_all(caseload, ctx) == [] and caseload.caseload_figures(ctx) == {}


def test_header_only_caseload_file_reports_every_student(tmp_path):
    tables = tiny_plan_tables()
    tables["caseloads"] = []
    found = run_all(caseload, context(tmp_path, plan=written_plan(tmp_path / "plan", tables)))
    assert [v.rows[0].key for v in found] == ["ST1", "ST3"]


def test_messages_keep_whole_grades_beside_an_unknown_student(tmp_path):
    plan = tiny_plan_tables()
    plan["caseloads"].append({"student_id": "ST9", "teacher_id": "R1T"})
    edit_rows(plan["caseloads"], "student_id", "ST3", teacher_id="R2T")
    found = caseload.check_a7_3_specialist(context(tmp_path, data=_with_second_specialist("9", "9"), plan=plan))
    assert [v.message for v in found] == [
        "student ST3 (VA1, grade 10) is on the caseload of R2T, whose grade range 9..9 does not cover grade 10"]
