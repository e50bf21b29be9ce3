"""`vastaff scenario run|compare` — placeholder until its issue lands."""

from __future__ import annotations

import typer

from vastaff.cli.common import not_built

app = typer.Typer(help="Matrix-process what-if scenarios (not built yet).", no_args_is_help=True)


@app.command("run", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def run(ctx: typer.Context) -> None:
    """Not built yet."""
    not_built("scenario run", "see the open issues")


@app.command("compare", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def compare(ctx: typer.Context) -> None:
    """Not built yet."""
    not_built("scenario compare", "see the open issues")
