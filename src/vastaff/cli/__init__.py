"""The `vastaff` command line: one module per command, registered here."""

from __future__ import annotations

import typer

from vastaff.cli import check, displace, generate, scenario, solve, validate

app = typer.Typer(
    name="vastaff",
    help="Staffing optimizer for the Virtual Academies: solve, check, displace, generate, validate, scenario.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
for module in (validate, solve, check, displace, generate):
    module.register(app)
app.add_typer(scenario.app, name="scenario")


def main() -> None:
    app()
