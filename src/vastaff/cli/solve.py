"""`vastaff solve` — placeholder until its issue lands."""

from __future__ import annotations

import typer

from vastaff.cli.common import not_built


def register(app: typer.Typer) -> None:
    @app.command("solve", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
    def _cmd(ctx: typer.Context) -> None:
        """Not built yet."""
        not_built("solve", "see the open issues")
