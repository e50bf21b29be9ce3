"""The nightly run as it is used: last night's plan as `--previous`. A night that changed nothing changes nothing
(last night's plan is the first incumbent and wins every tie, cpsat/incumbent.py); a night that changed one demand
row changes only that course's teachers (stage `continuity` keeps every teacher's sections per course and grades,
cpsat/stability.py; sections keep their IDs and periods, sections/decode.py and own_periods.py); a course lock moves
only that course's teachers. Each plan is checked by the independent checker."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from vastaff.check.runner import run_checks
from vastaff.contract import load_contract
from vastaff.generate import build_district, write_district
from vastaff.io.district import load_district
from vastaff.io.plan import load_plan, write_plan
from vastaff.nightly import solve_nightly
from vastaff.nightly.sections import SolveSettings

CONTRACT = load_contract()
PLAN_TABLES = ("sections", "section_grades", "teachers", "iep_assignments", "caseloads")
CHANGED_COURSE = "VA02-H-BIO"
"""A high-school course of the generated district whose grade-10 row tonight has two students more."""


def solve(data, out, previous=None):
    """One night: the plan written to `out`, reloaded, and the checker's report on it."""
    district = load_district(data, CONTRACT, previous=previous)
    plan = solve_nightly(district, CONTRACT, SolveSettings(time_limit=10))
    write_plan(out, plan.tables, plan.run)
    return plan, run_checks(district, load_plan(out), CONTRACT, district.previous)


@pytest.fixture(scope="module")
def night_one(tmp_path_factory):
    """A generated 100-teacher district (seed 51: before last night's plan was kept, its unchanged second night
    moved 67 sections and changed 10 teachers) and its first night's plan."""
    root = tmp_path_factory.mktemp("nights")
    data = write_district(build_district(100, 51, CONTRACT).tables, root / "data")
    plan, report = solve(data, root / "night1")
    assert report.ok, report.violations
    return root, data, plan


def test_an_unchanged_night_keeps_last_nights_plan_to_the_byte(night_one):
    root, data, first = night_one
    plan, report = solve(data, root / "same", previous=root / "night1")
    assert report.ok, report.violations
    for name in PLAN_TABLES:
        assert (root / "same" / f"{name}.csv").read_bytes() == (root / "night1" / f"{name}.csv").read_bytes(), name
    assert plan.changes.empty
    assert plan.run["status"] == "OPTIMAL" and plan.run["periods"]["period_changes"] == 0


def test_a_changed_demand_row_changes_only_the_teachers_of_its_course(night_one, tmp_path):
    root, data, first = night_one
    demand = pd.read_csv(data / "demand.csv")
    row = (demand.course_id == CHANGED_COURSE) & (demand.grade == 10)
    assert row.sum() == 1
    demand.loc[row, "students"] += 2
    tonight = shutil.copytree(data, tmp_path / "data")
    demand.to_csv(tonight / "demand.csv", index=False, lineterminator="\n")
    plan, report = solve(tonight, tmp_path / "night2", previous=root / "night1")
    assert report.ok, report.violations
    before, after = first.tables["sections"], plan.tables["sections"]
    of_course = set(before.teacher_id[before.course_id == CHANGED_COURSE]) | set(
        after.teacher_id[after.course_id == CHANGED_COURSE])
    assert set(plan.changes.teacher_id) <= of_course
    others = [s[s.course_id != CHANGED_COURSE][["section_id", "teacher_id", "period_id"]].reset_index(drop=True)
              for s in (before, after)]
    assert others[0].equals(others[1])
    both = before.merge(after, on="section_id", suffixes=("", "_tonight"))
    kept = both[both.teacher_id == both.teacher_id_tonight]
    assert len(kept) == len(before) and (kept.period_id == kept.period_id_tonight).all()  # every section, its period


def test_a_course_lock_moves_only_the_teachers_of_that_course(night_one, tmp_path):
    """A principal's decision the next night: a high-school teacher must teach a course a colleague taught (the
    credential allows it). Only that teacher and the course's teachers change; before, a lock night re-solved from the
    clerk's fill and moved the periods of teachers it did not concern."""
    root, data, first = night_one
    teacher, course = _a_course_to_take(data, first.tables["sections"])
    tonight = shutil.copytree(data, tmp_path / "data")
    (tonight / "locks.csv").write_text("lock_id,teacher_id,mode,course_id,semester,period_id,site_id,room_id,"
                                       f"meeting_id,reason\nL1,{teacher},require,{course},,,,,,principal\n")
    plan, report = solve(tonight, tmp_path / "night2", previous=root / "night1")
    assert report.ok, report.violations
    before = first.tables["sections"]
    assert set(plan.changes.teacher_id) <= {teacher} | set(before.teacher_id[before.course_id == course])
    assert teacher in set(plan.changes.teacher_id) and plan.run["status"] == "OPTIMAL"


def _a_course_to_take(data, sections: pd.DataFrame) -> tuple[str, str]:
    """The first (teacher, course) in ID order: a high-school course of the teacher's school that a colleague teaches
    and the teacher, teaching other courses of that credential, does not."""
    teachers = pd.read_csv(data / "teachers.csv", dtype=str)
    courses = pd.read_csv(data / "courses.csv", dtype=str).set_index("course_id")
    taught = sections.dropna(subset=["teacher_id"]).groupby("teacher_id").course_id.agg(set)
    for t in teachers[teachers.level == "high"].sort_values("teacher_id").itertuples():
        mine = taught.get(t.teacher_id, set())
        credentials = {courses.credential[c] for c in mine}
        for c in sorted(set(sections.course_id[sections.course_id.str.startswith(f"{t.school_id}-H-")]) - mine):
            if courses.credential[c] in credentials and courses.program[c] == "general" and len(mine) < 3:
                return t.teacher_id, c
    raise AssertionError("no course to take in the generated district")
