"""`vastaff check DATA PLAN` — the independent contract checker: every violation with rule ID, article and rows."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import typer

from vastaff.check.report import print_report, report_json, write_csv
from vastaff.check.runner import run_checks
from vastaff.cli.common import (
    EXIT_OK, EXIT_VIOLATIONS, MODEL_HELP, console, input_errors_exit, output_errors_exit, previous_for,
)
from vastaff.cli.solve import date_option
from vastaff.contract import DEFAULT_MODEL, load_contract
from vastaff.errors import InputError, InputProblem
from vastaff.io.district import load_district
from vastaff.io.outpath import check_file_path, probe_writable
from vastaff.io.plan import load_plan
from vastaff.io.previous import require_plan_of
from vastaff.nightly.prep_time import PrepDates, parse_prep_dates
from vastaff.schemas.district import District, Plan
from vastaff.schemas.inputs import INPUT_TABLES
from vastaff.schemas.meetings import MEETING_TABLES
from vastaff.schemas.plan import PLAN_TABLES

CHECK_EXIT_CODES_HELP = ("Exit codes: 0 no violation; 1 violations; 2 invalid data, plan or model, or an unusable "
                         "--csv path (a folder, under a file, an input of the check; nothing written); 4 could not "
                         "write the --csv file (read-only, disk full; no half-written file, a previous one unchanged).")
READ_FILES = [f"{name}.csv" for name in (*INPUT_TABLES, *PLAN_TABLES, *MEETING_TABLES)] + ["meeting_counts.csv",
                                                                                       "run.json"]
"""The files `check` may read in the data, plan and previous-plan folders: never overwritten by --csv."""
PLAN_FILES = [f"{name}.csv" for name in PLAN_TABLES] + ["meetings.csv", "meeting_counts.csv", "run.json"]
"""The files of a plan folder, whichever command wrote it (solve, displace, meetings) or by hand."""


def _plan_and_data(plan: Path, data: Path, contract, previous: Path | None, previous_force: bool, dates: PrepDates,
                   as_of: str | None) -> tuple[Plan, District]:
    """The plan and the district it is checked against; the problems of both at once (a plan that cannot be read
    still lets the data's own problems be said in the same run)."""
    problems: list[InputProblem] = []
    plan_obj = None
    try:
        if not plan.exists():
            raise InputError([InputProblem(str(plan), expected="a plan folder or .xlsx workbook (not found)")])
        plan_obj = with_prep_dates(load_plan(plan, label_prefix="plan/"), dates, as_of is not None)
        if (problem := _no_plan_file(plan)) is not None:
            raise InputError([problem])
    except InputError as exc:
        problems, plan_obj = exc.problems, None
    previous, forced = previous_for(plan_obj, data, previous, previous_force)
    try:
        district = load_district(data, contract, previous=previous, previous_force=forced)
    except InputError as exc:
        raise InputError(problems + exc.problems) from None
    if problems:
        raise InputError(problems)
    require_plan_of(district, plan_obj, plan)
    return plan_obj, district


def _no_plan_file(plan: Path) -> InputProblem | None:
    """A folder holding none of a plan's files (mistyped, or a user's own): it claims nothing, so every rule would be
    `not checked` and the verdict OK with exit 0 — `check DATA wrong_folder && publish` would pass."""
    try:
        names = {entry.name.lower() for entry in plan.iterdir()} if plan.is_dir() else None
    except OSError:
        return None  # load_plan said what it could not read
    if names is None or names & set(PLAN_FILES):
        return None
    return InputProblem(str(plan), expected=f"a plan folder: one or more of {', '.join(PLAN_FILES)} (found none)")


def register(app: typer.Typer) -> None:
    @app.command("check", epilog=CHECK_EXIT_CODES_HELP)
    def check(
        data: Path = typer.Argument(..., help="Data folder of CSV files, or one .xlsx workbook."),
        plan: Path = typer.Argument(..., help="Plan folder of CSV files, or one .xlsx workbook with sheets named like the files."),
        model: Path = typer.Option(None, "--model", help=MODEL_HELP),
        previous: Path = typer.Option(None, "--previous",
                                      help="Last night's plan for A12 X-time. Default: the one the plan was made with "
                                           "(run.json previous_plan) if it is there, else DATA/previous/."),
        previous_force: bool = typer.Option(False, "--previous-force",
                                            help="Accept a previous plan whose IDs mostly do not match DATA."),
        names: bool = typer.Option(False, "--names", help="Show teachers' names next to their IDs (table, --json and "
                                                          "--csv alike). Default: IDs only, no names in logs."),
        first_day: str = date_option("--first-day", "First day of instruction (YYYY-MM-DD) for A9.2's prep_time "
                                     "flags. Default: the plan's run.json (prep_time.first_day); without one, no "
                                     "teacher may be flagged."),
        as_of: str = date_option("--as-of", "The day the assignment is notified (YYYY-MM-DD), with --first-day. "
                                            "Default: the plan's run.json (prep_time.as_of), else today."),
        json_out: bool = typer.Option(False, "--json", help="Print one JSON document {ok, violations, figures} on stdout."),
        csv_file: Path = typer.Option(None, "--csv", help="Also write the violations to this CSV file (atomically)."),
    ) -> None:
        """Check a staffing plan against the contract, independently of the optimizer.

        Every violation is reported with its rule ID, article, a message and the rows involved
        (e.g. sections.csv:S12, teachers.csv:T0042), followed by figures: mean section sizes, courses
        per teacher, recomputed costs and vacancies. Teachers are named by ID unless --names is given.

        Example: vastaff check data/sample plans/sample --csv violations.csv
        """
        with input_errors_exit():
            dates = parse_prep_dates(first_day, as_of, date.today())
            contract = load_contract(model)
            plan_obj, district = _plan_and_data(plan, data, contract, previous, previous_force, dates, as_of)
        _warn_other_model(plan_obj, contract)
        with input_errors_exit(), output_errors_exit():  # a plan's meetings.csv is read by its check: bad rows exit 2
            if csv_file is not None:
                check_file_path(csv_file, _inputs(data, plan, previous, model or DEFAULT_MODEL))
                probe_writable(csv_file)
            report = run_checks(district, plan_obj, contract, names=names, folder=True)
            if csv_file is not None:
                write_csv(report, csv_file)
        if json_out:
            print(report_json(report))
        else:
            print_report(report, console)
        raise typer.Exit(EXIT_OK if report.ok else EXIT_VIOLATIONS)


def _warn_other_model(plan: Plan, contract) -> None:
    """One line on stderr when the plan says it was made under another contract model than the one it is checked
    against (a scenario's model): its costs and limits differ, and so may the verdict."""
    made_under = plan.run.get("contract_model") if isinstance(plan.run, dict) else None
    if isinstance(made_under, str) and made_under and made_under != contract.name:
        file = plan.run.get("contract_model_file")
        shipped = DEFAULT_MODEL.parent / file if isinstance(file, str) and file else None
        hint = f" (--model {shipped if shipped.is_file() else file})" if shipped is not None else ""
        print(f"vastaff check: the plan was made under contract model {made_under}, checked here against "
              f"{contract.name}; give its model to check it under its own terms{hint}", file=sys.stderr)


def with_prep_dates(plan: Plan, dates: PrepDates | None, as_of_given: bool) -> Plan:
    """The plan with --first-day/--as-of in place of its run.json's prep_time dates (A9.2); without --as-of the
    plan's own as_of stays (the checker names it if unreadable), else today's."""
    if dates is None:
        return plan
    block = plan.run.get("prep_time") if isinstance(plan.run.get("prep_time"), dict) else {}
    kept = block.get("as_of") if not as_of_given and isinstance(block.get("as_of"), str) else None
    prep = {**block, "first_day": dates.first_day.isoformat(), "as_of": kept or dates.as_of.isoformat()}
    return replace(plan, run={**plan.run, "prep_time": prep})


def _inputs(data: Path, plan: Path, previous: Path | None, model: Path) -> list[tuple[str, Path]]:
    """What `check` reads, as (what, path): --csv may replace none of them."""
    given = [("data", data), ("plan", plan), ("previous plan", previous or data / "previous"), ("contract model", model)]
    files = [(f"{what}'s {name}", path / name) for what, path in given[:3] for name in READ_FILES]
    return given + files
