"""Shared CLI plumbing: loading with clean exit codes (2 on invalid input, never a traceback)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Iterator

import typer
from rich.console import Console

from vastaff.errors import InputError

EXIT_OK, EXIT_VIOLATIONS, EXIT_INVALID, EXIT_INFEASIBLE = 0, 1, 2, 3
console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


@contextmanager
def input_errors_exit() -> Iterator[None]:
    """Print every input problem, one line each, and exit 2."""
    try:
        yield
    except InputError as exc:
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        print(f"{len(exc.problems)} input problem(s); nothing was written.", file=sys.stderr)
        raise typer.Exit(EXIT_INVALID) from None


def not_built(command: str, issue: str) -> None:
    print(f"vastaff {command}: not built yet ({issue}).", file=sys.stderr)
    raise typer.Exit(1)
