"""`vastaff check DATA PLAN` — the independent contract checker: every violation with rule ID, article and rows."""

from __future__ import annotations

from pathlib import Path

import typer

from vastaff.check.report import print_report, report_json, write_csv
from vastaff.check.runner import run_checks
from vastaff.cli.common import EXIT_OK, EXIT_VIOLATIONS, console, input_errors_exit
from vastaff.contract import load_contract
from vastaff.errors import InputError, InputProblem
from vastaff.io.district import load_district
from vastaff.io.plan import load_plan

MODEL_HELP = "Contract model file (YAML). Default: models/va-2025-2027.yaml."


def register(app: typer.Typer) -> None:
    @app.command("check")
    def check(
        data: Path = typer.Argument(..., help="Data folder of CSV files, or one .xlsx workbook."),
        plan: Path = typer.Argument(..., help="Plan folder of CSV files, or one .xlsx workbook with sheets named like the files."),
        model: Path = typer.Option(None, "--model", help=MODEL_HELP),
        previous: Path = typer.Option(None, "--previous", help="Last night's plan for A12 X-time (default: DATA/previous/)."),
        json_out: bool = typer.Option(False, "--json", help="Print one JSON document {ok, violations, figures} on stdout."),
        csv_file: Path = typer.Option(None, "--csv", help="Also write the violations to this CSV file."),
    ) -> None:
        """Check a staffing plan against the contract, independently of the optimizer.

        Every violation is reported with its rule ID, article, a message and the rows involved
        (e.g. sections.csv:S12, teachers.csv:T0042), followed by figures: mean section sizes, courses
        per teacher, recomputed costs and vacancies. Exit 0 when the plan keeps every rule, 1 when
        any rule is broken, 2 when the data, plan or model is invalid.

        Example: vastaff check data/sample plans/tonight --csv violations.csv
        """
        with input_errors_exit():
            contract = load_contract(model)
            district = load_district(data, contract, previous=previous)
            if not plan.exists():
                raise InputError([InputProblem(str(plan), expected="a plan folder or .xlsx workbook (not found)")])
            plan_obj = load_plan(plan, label_prefix="plan/")
        report = run_checks(district, plan_obj, contract)
        if csv_file is not None:
            write_csv(report, csv_file)
        if json_out:
            print(report_json(report))
        else:
            print_report(report, console)
        raise typer.Exit(EXIT_OK if report.ok else EXIT_VIOLATIONS)
