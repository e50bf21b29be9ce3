"""`vastaff explain DATA PLAN --teacher ID` — why, for one teacher: every decision of the plan with the rule that
bounds it (vastaff.report.why)."""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path

import typer

from vastaff.cli.common import MODEL_HELP, EXIT_INVALID, input_errors_exit, previous_for, staffing_plan_problem
from vastaff.contract import load_contract
from vastaff.errors import InputError, InputProblem
from vastaff.io.district import load_district
from vastaff.io.meetings import load_plan_meetings
from vastaff.io.plan import load_plan
from vastaff.io.previous import require_plan_of
from vastaff.report.context import report_context
from vastaff.report.why import explain_teacher, heading

EXPLAIN_EXIT_CODES_HELP = ("Exit codes: 0 explained; 2 invalid data, plan or model, a plan of another district, or a "
                           "teacher the data does not have (nothing is written: explain only reads).")
CLOSEST = 3
"""IDs suggested for a teacher the data does not have."""


def register(app: typer.Typer) -> None:
    """`vastaff explain` on the main app."""
    app.command("explain", epilog=EXPLAIN_EXIT_CODES_HELP)(explain)


def explain(
    data: Path = typer.Argument(..., help="Data folder of CSV files, or one .xlsx workbook."),
    plan: Path = typer.Argument(..., help="Plan folder (from vastaff solve, by hand or another tool), or one .xlsx "
                                          "workbook with sheets named like the files."),
    teacher: str = typer.Option(..., "--teacher", help="The teacher's ID (teachers.csv teacher_id)."),
    model: Path = typer.Option(None, "--model", help=MODEL_HELP),
    previous: Path = typer.Option(None, "--previous", help="Last night's plan (A12 X-time, rooms kept). Default: "
                                                           "the one the plan was made with (run.json "
                                                           "previous_plan) if it is there, else DATA/previous/."),
    previous_force: bool = typer.Option(False, "--previous-force",
                                        help="Accept a --previous plan whose IDs mostly do not match DATA."),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document {teacher, findings: [{rules, "
                                                        "article, message, rows}]} instead."),
) -> None:
    """Why a plan gives one teacher what it gives them, rule by rule.

    Their sections (CRED) and what bounds them (full periods A6.1/A6.2, the course limit A6.3, the band mean A8.1),
    the courses they may not teach (CRED), their work location (A16, A19, A24-A26), IEP meetings (A7.1/A7.2),
    caseload (A7.3), costs (A6.3, A8.5, A12), locks (LOCK) and matrix choices (A9.1).

    Each line reads `RULE (article): why`, e.g. `A16 (16.0): works from home (chose home)`, or, for a teacher
    whose periods are full, `A6.1 (6.0 A(1)): semester 1: all 6 academic periods hold a section; ...`.

    Example: vastaff explain data/sample plans/sample --teacher T00012
    """
    with input_errors_exit():
        contract = load_contract(model)
        if not plan.exists():
            raise InputError([InputProblem(str(plan), expected="a plan folder or .xlsx workbook (not found)")])
        plan_obj = load_plan(plan, label_prefix="plan/")
        previous, forced = previous_for(plan_obj, data, previous, previous_force)
        district = load_district(data, contract, previous=previous, previous_force=forced)
        if (problem := staffing_plan_problem(plan_obj, plan)) is not None:
            raise InputError([problem])
        require_plan_of(district, plan_obj, plan)
        load_plan_meetings(plan, district)  # read by the checker's verdict later, where its problems crashed
    known = list(district.teachers.teacher_id)
    if teacher not in set(known):
        print(unknown_teacher(teacher, known, data), file=sys.stderr)
        raise typer.Exit(EXIT_INVALID)
    ctx = report_context(district, plan_obj, contract)
    findings = explain_teacher(ctx, teacher)
    if json_out:
        print(json.dumps({"teacher": _teacher(district, teacher), "findings": [
            {"rules": list(f.rules), "article": f.article, "message": f.message, "rows": f.rows_dicts()}
            for f in findings]}, indent=2))
        return
    print(heading(ctx, teacher))
    for f in findings:
        article = f" ({f.article})" if f.article.strip("— ") else ""  # DEMAND, LOCK: no article of their own
        print(f"{' + '.join(f.rules)}{article}: {f.message}")


def unknown_teacher(teacher: str, known: list[str], data: Path) -> str:
    """The one line for a teacher the data does not have, with the closest IDs it does have."""
    score = {k: difflib.SequenceMatcher(None, teacher, k).ratio() for k in set(known)}
    closest = sorted(score, key=lambda k: (-score[k], k))[:CLOSEST]
    hint = f"; closest IDs: {', '.join(closest)}" if closest else "; the data has no teachers"
    return f"vastaff explain: no teacher {teacher} in {data}{hint}"


def _teacher(district, teacher_id: str) -> dict:
    t = district.teachers[district.teachers.teacher_id == teacher_id].iloc[0]
    return {"teacher_id": teacher_id, "name": str(t["name"]), "school_id": str(t.school_id), "level": str(t.level),
            "department": str(t.department), "role": str(t.role)}
