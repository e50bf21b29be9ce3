"""`vastaff report DATA PLAN` — the files for people (timetable.csv, vacancies.csv, plan.xlsx, report.html) for any
plan folder: one made by `vastaff solve`, by hand, or by another tool."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer

from vastaff.cli.check import MODEL_HELP
from vastaff.cli.common import input_errors_exit, output_errors_exit, previous_for, staffing_plan_problem
from vastaff.contract import load_contract
from vastaff.diff import CHANGE_COLUMNS, teacher_changes
from vastaff.errors import InputError, InputProblem
from vastaff.io.district import load_district
from vastaff.io.meetings import load_plan_meetings
from vastaff.io.outpath import atomic_files, check_report_out, probe_writable
from vastaff.io.plan import load_plan, write_content
from vastaff.io.previous import require_plan_of
from vastaff.report.files import files_for_people

REPORT_EXIT_CODES_HELP = ("Exit codes: 0 written (violations, if any, are in the report); 2 invalid data, plan or "
                          "model, or an unusable --out (nothing written); 4 could not write (files already there "
                          "are left whole).")


def register(app: typer.Typer) -> None:
    @app.command("report", epilog=REPORT_EXIT_CODES_HELP)
    def report(
        data: Path = typer.Argument(..., help="Data folder of CSV files, or one .xlsx workbook."),
        plan: Path = typer.Argument(..., help="Plan folder (or an .xlsx workbook with sheets named like its files)."),
        model: Path = typer.Option(None, "--model", help=MODEL_HELP),
        out: Path = typer.Option(None, "--out", help="Folder for the files (a new or empty folder, or a plan "
                                                     "folder). Default: PLAN itself; required when PLAN is a workbook."),
        no_report: bool = typer.Option(False, "--no-report", help="Only timetable.csv and vacancies.csv."),
    ) -> None:
        """Write timetable.csv, vacancies.csv, plan.xlsx and report.html for a plan, with the independent checker's
        verdict inside.

        The plan's own files are never touched. What changed since the previous plan (the one the plan was made
        against, else DATA/previous/) goes into the report; without it, changes.csv in PLAN, if any.

        Example: vastaff report data/sample plans/sample (then open plans/sample/report.html in a browser)
        """
        with input_errors_exit():
            contract = load_contract(model)
            target = _target(out, _existing(plan))
            plan_obj = load_plan(plan, label_prefix="plan/")
            if (problem := staffing_plan_problem(plan_obj, plan)) is not None:
                raise InputError([problem])
            previous, forced = previous_for(plan_obj, data, None, False)
            district = load_district(data, contract, previous=previous, previous_force=forced)
            require_plan_of(district, plan_obj, plan)
            load_plan_meetings(plan, district)  # read by the checker's verdict later, where its problems crashed
        with output_errors_exit():
            if out is not None:
                check_report_out(out, plan, inputs=_inputs(data, plan, previous, model))
            probe_writable(target)
            changes = _changes(plan) if district.previous is None else teacher_changes(district.previous, plan_obj)
            files, ctx = files_for_people(district, plan_obj, contract, changes, reports=not no_report)
            atomic_files(target, files, write_content)  # all of them, or none replaced
        verdict = "OK" if ctx.check.ok else f"{len(ctx.check.violations)} violation(s), listed in the report"
        print(f"Wrote {', '.join(files)} -> {target} (checker: {verdict})")


def _inputs(data: Path, plan: Path, previous: Path | None, model: Path | None) -> list[tuple[str, Path | None]]:
    """What `report` reads, which --out may neither be nor hold: the data, the previous plan, the model and a plan
    workbook (a folder holding `plan.xlsx` as the plan got the workbook for people in its place)."""
    return [("data folder", data), ("previous plan", previous), ("contract model", model),
            ("plan", None if plan.is_dir() else plan)]


def _existing(plan: Path) -> Path:
    if not plan.exists():
        raise InputError([InputProblem(str(plan), expected="a plan folder or .xlsx workbook (not found)")])
    return plan


def _target(out: Path | None, plan: Path) -> Path:
    """Where the files go: --out, else the plan folder (a workbook plan needs --out)."""
    if out is None and not plan.is_dir():
        raise InputError([InputProblem(str(plan), expected="--out FOLDER: a workbook plan has no folder to write into")])
    return out if out is not None else plan


def _changes(plan: Path) -> pd.DataFrame | None:
    """PLAN/changes.csv (what changed since the previous plan), as `vastaff solve --previous` wrote it; None without."""
    path = plan / "changes.csv"
    if not plan.is_dir() or not path.is_file():
        return None
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return frame if list(frame.columns) == list(CHANGE_COLUMNS) else None
