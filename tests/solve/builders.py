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


HOMEROOM = {"school_id": "VA1", "subject": "elementary", "credential": "multiple_subject", "level": "elementary",
            "program": "general", "semester": "year"}


def elementary(folder: Path, teachers: dict[str, int], grades: dict[int, int], meetings: list[tuple],
               **extra) -> Path:
    """One elementary school VA1: teachers (ID -> highest grade they may teach, from K), one homeroom course per grade
    (grade -> students), IEP meetings (grade, start and end in minutes, listed teachers) on 2026-09-14, and `extra`
    tables (e.g. locks)."""
    t = tiny_tables()
    base = t["teachers"][0]
    t["teachers"] = [{**base, "teacher_id": tid, "name": tid, "grade_max": str(top) if top else "K",
                      "seniority_date": f"20{10 + i:02d}-08-15"} for i, (tid, top) in enumerate(teachers.items())]
    t["courses"] = [{**HOMEROOM, "course_id": f"EL-{g}", "title": f"Grade {g}"} for g in grades]
    t["demand"] = [{"school_id": "VA1", "course_id": f"EL-{g}", "grade": g, "students": n} for g, n in grades.items()]
    t["iep_meetings"] = [{"meeting_id": f"M{i}", "school_id": "VA1", "student_id": f"S{i}", "grade": g,
                          "date": "2026-09-14", "start": _hhmm(s), "end": _hhmm(e),
                          "eligible_teacher_ids": ";".join(listed)} for i, (g, s, e, listed) in enumerate(meetings)]
    t["sped_students"], t["positions"] = [], []
    t.update(extra)
    return write_tables(folder, t)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
