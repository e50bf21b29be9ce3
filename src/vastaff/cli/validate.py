"""`vastaff validate DATA` — every input problem, or a one-screen summary of the district."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from vastaff.cli.common import console, input_errors_exit
from vastaff.contract import load_contract
from vastaff.io.district import load_district
from vastaff.summary import band_capacity, rooms_vs_choosers, staff_by_school_level

MODEL_HELP = "Contract model file (YAML). Default: models/va-2025-2027.yaml."


def register(app: typer.Typer) -> None:
    @app.command("validate")
    def validate(
        data: Path = typer.Argument(..., help="Data folder of CSV files, or one .xlsx workbook."),
        model: Path = typer.Option(None, "--model", help=MODEL_HELP),
    ) -> None:
        """Check a data folder against SPEC's formats and print a summary.

        Every problem is one line: file, row (header = row 1), column, value, what is expected; exit 2.

        Example: vastaff validate data/sample
        """
        with input_errors_exit():
            contract = load_contract(model)
            district = load_district(data, contract)
        _print_summary(district, contract)


def _print_summary(district, contract) -> None:
    console.print(f"[bold]{district.path}[/bold]: valid ({len(district.teachers)} teachers, "
                  f"{len(district.courses)} courses, {int(district.demand.students.sum())} course seats, "
                  f"{len(district.schools)} schools); contract model {contract.name}")
    console.print(_table("Staff and courses per school and level", staff_by_school_level(district)))
    console.print(_table("A8.1 demand per band vs. teacher capacity", band_capacity(district, contract)))
    console.print(_table("A19 room places in open sites vs. teachers who chose site, per region", rooms_vs_choosers(district)))


def _table(title: str, frame) -> Table:
    table = Table(title=title, title_justify="left")
    for col in frame.columns:
        table.add_column(str(col), justify="right" if frame[col].dtype.kind in "iuf" else "left")
    for row in frame.itertuples(index=False):
        table.add_row(*(str(v) for v in row))
    return table
