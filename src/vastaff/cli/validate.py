"""`vastaff validate DATA` — every input problem, or a one-screen summary of the district."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import typer
from rich import box
from rich.table import Table

from vastaff.cli.common import MODEL_HELP, console, input_errors_exit
from vastaff.contract import ContractModel, load_contract
from vastaff.schemas.district import District
from vastaff.io.district import load_district
from vastaff.io.meetings import roster_warnings
from vastaff.people.iep.listed import listed_conflict_warnings
from vastaff.people.iep.workday import listed_warnings, workday_warnings
from vastaff.report.summary import headline, rooms_vs_choosers, school_level_table

VALIDATE_EXIT_CODES_HELP = "Exit codes: 0 valid; 2 invalid input (nothing is written: validate only reads)."


def register(app: typer.Typer) -> None:
    @app.command("validate", epilog=VALIDATE_EXIT_CODES_HELP)
    def validate(
        data: Path = typer.Argument(..., help="Data folder of CSV files, or one .xlsx workbook with a sheet per file."),
        model: Path = typer.Option(None, "--model", help=MODEL_HELP),
        previous: Path = typer.Option(None, "--previous", help="Last night's plan folder (default: DATA/previous/ if present)."),
        previous_force: bool = typer.Option(False, "--previous-force",
                                            help="Accept a previous plan whose IDs mostly do not match DATA."),
    ) -> None:
        """Check a data folder (or .xlsx workbook) against the documented formats (docs/data-format.md): every problem, or a one-screen summary.

        Invalid input: one line per problem (file, spreadsheet row, column, value, expected), all at once; exit 2.

        Valid input: counts per school and level, seats per A8.1 band vs. teacher capacity, rooms vs. site-choosers; exit 0.
        IEP meetings the school set outside the on-site window or on the PD/PLT slot (4.0 A, C(1)) are warnings on
        stderr, counted per school (still exit 0); so are overlapping meetings whose eligible lists name fewer
        teachers than there are meetings (A7.1 + A7.2: `vastaff solve` would stop on them).

        Example: vastaff validate data/sample --model models/va-2025-2027.yaml
        """
        with input_errors_exit():
            contract = load_contract(model)
            district = load_district(data, contract, previous=previous, previous_force=previous_force)
        print_summary(district, contract)
        warnings = (workday_warnings(district, contract) + listed_warnings(district)
                    + listed_conflict_warnings(district) + roster_warnings(district))
        for line in warnings:
            print(f"warning: {line}", file=sys.stderr)


HEADERS = {
    "school_id": "school", "classroom": "class-\nroom", "specialists": "RSP", "seats_K-3": "seats\nK-3",
    "seats_4-12": "seats\n4-12", "seats_programs": "seats\nA8.2", "sections_needed": "sections\nneeded",
    "capacity": "capa-\ncity", "region_id": "region", "open_sites": "open\nsites", "room_places": "room\nplaces",
    "site_choosers": "chose\nsite", "either": "chose\neither",
}


def print_summary(district: District, contract: ContractModel) -> None:
    """The one-screen summary of a valid district."""
    console.print(headline(district, contract))
    console.print(_table(
        "Per school and level: classroom teachers, resource specialists (RSP), course seats in the A8.1 bands "
        "and in A8.2 programs, sections needed at the band means / program norms vs. capacity "
        "(elementary: homerooms; secondary: sections per semester, A6.1)",
        school_level_table(district, contract)))
    console.print(_table("A19: room places at open sites vs. teachers who chose site or either, per region "
                         "(current site's region, else home region); a rough check — places go by seniority (A24) "
                         "and may go to other regions' teachers, so solve's room shortfall is the exact count",
                         rooms_vs_choosers(district)))


def _table(title: str, frame: pd.DataFrame) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False,
                  padding=(0, 1), collapse_padding=True)
    for col in frame.columns:
        table.add_column(HEADERS.get(str(col), str(col)), justify="right" if frame[col].dtype.kind in "iuf" else "left",
                         no_wrap=True)
    for row in frame.itertuples(index=False):
        table.add_row(*(str(v) for v in row))
    return table
