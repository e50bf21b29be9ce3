"""Tiny secondary districts for the optimizer tests, derived from tests/conftest.py's tiny district."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import tiny_tables, write_tables

from vastaff import load_contract, load_district
from vastaff.check.runner import run_checks
from vastaff.io.plan import load_plan, write_plan
from vastaff.nightly import solve_nightly
from vastaff.nightly.sections import SolveSettings

TEACHER = tiny_tables()["teachers"][2]  # H1, high math, consent


def teacher(tid: str, credentials: str, **over) -> dict:
    return {**TEACHER, "teacher_id": tid, "name": tid, "credentials": credentials, "stipend_consent": "false",
            "requested_site_ids": "", "current_site_id": "", "work_location": "home", **over}


def course(cid: str, subject: str, credential: str | None = None, program: str = "general",
           semester: str = "1", level: str = "high") -> dict:
    return {"course_id": cid, "school_id": "VA1", "title": cid, "subject": subject,
            "credential": credential or subject, "level": level, "program": program, "semester": semester}


def demand(cid: str, grade: int, students: int) -> dict:
    return {"school_id": "VA1", "course_id": cid, "grade": grade, "students": students}


def secondary(folder: Path, teachers: list[dict], courses: list[dict], demands: list[dict],
              periods: int = 3, **extra) -> Path:
    """One high school VA1 with `periods` academic periods and no IEP meetings or caseload students."""
    t = tiny_tables()
    t["teachers"] = teachers
    t["courses"] = courses
    t["demand"] = demands
    t["periods"] = [{"school_id": "VA1", "period_id": "ADV", "kind": "advisory", "order": 0}] + [
        {"school_id": "VA1", "period_id": f"P{i}", "kind": "academic", "order": i} for i in range(1, periods + 1)]
    t["iep_meetings"] = []
    t["sped_students"] = []
    t.update(extra)
    return write_tables(folder, t)


def solve_folder(data: Path, out: Path, **settings):
    """Solve, write the plan, reload it and run the independent checker on it."""
    contract = load_contract()
    district = load_district(data, contract)
    plan = solve_nightly(district, contract, SolveSettings(**{"time_limit": 10, **settings}))
    if plan.feasible:
        write_plan(out, plan.tables, plan.run)
        report = run_checks(district, load_plan(out), contract, district.previous)
    else:
        report = None
    return plan, report


def matrix_after_class_sizes(contract):
    """The contract with the section stages in their order before 2026-12-06 (the matrix after the class sizes): what
    the generated schools of some tests were found with, whose sections make the situation under test."""
    stages = ["vacancies", "money", "stability", "preferences", "matrix", "seniority"]
    return contract.model_copy(update={"objective": contract.objective.model_copy(update={"stages": stages})})


def without_forced_doubles(contract):
    """The contract without the preferences stage's forced doubles (weight 0, as before 2026-12-07): what the
    generated schools of some timetable tests were found with, whose sections make the situation under test."""
    weights = contract.objective.weights.model_copy(update={"forced_double": 0})
    return contract.model_copy(update={"objective": contract.objective.model_copy(update={"weights": weights})})


LOCK_COLUMNS = ["lock_id", "teacher_id", "mode", "course_id", "semester", "period_id", "site_id", "room_id",
                "meeting_id", "reason"]


def lock(lock_id: str, teacher_id: str, mode: str, **fields) -> dict:
    """A locks.csv row: the fields given, every other column blank."""
    return {c: "" for c in LOCK_COLUMNS} | {"lock_id": lock_id, "teacher_id": teacher_id, "mode": mode} | fields
