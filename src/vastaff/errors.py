"""Input problems: one clear line each (file, row, column, value, expected), reported all at once."""

from __future__ import annotations

from dataclasses import dataclass

INTERRUPTED = "vastaff: interrupted; nothing was written."
"""The one line a command aborted by Ctrl-C or SIGTERM leaves (vastaff.cli and vastaff.__main__, which comes first)."""

SHOWN_CHARACTERS = 80
"""An echoed value longer than this is cut (with "…"): a 10 MB cell stays one readable line."""


@dataclass(frozen=True, order=True)
class InputProblem:
    """One thing wrong with the input, located as a spreadsheet shows it (header = row 1).

    `noun` names what `column` is: a table column, or a `key` of a contract model file. Value and column are kept
    whole and shown cut to SHOWN_CHARACTERS.
    """

    file: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str = ""
    noun: str = "column"

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", {self.noun} {shown(self.column)}"  # a header cell may be a 10 MB text too
        got = f"got {shown(self.value)!r}, " if self.value is not None else ""
        return f"{where}: {got}expected {self.expected}"


def shown(value: str) -> str:
    """`value` as a message echoes it: cut to SHOWN_CHARACTERS, with "…" when cut."""
    return value if len(value) <= SHOWN_CHARACTERS else value[:SHOWN_CHARACTERS] + "…"


class InputError(Exception):
    """Raised with every problem found in one input (exit code 2 at the CLI), in a stable order:
    by file, then row, then column."""

    def __init__(self, problems: list[InputProblem]):
        self.problems = sorted(set(problems), key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))


def _problem_order(p: InputProblem) -> tuple:
    return (p.file, p.row if p.row is not None else -1, p.column or "", p.value or "", p.expected)


class OutputError(Exception):
    """The output location cannot be used or written (exit 4 at the CLI; exit 2 when refused before any work).

    `refused` is True when the path was refused up front (not a plan folder, the data folder itself, ...): that is
    a usage problem, exit 2. A failure while writing (read-only, disk full, a file in the way) is exit 4.
    """

    def __init__(self, message: str, refused: bool = False):
        self.message, self.refused = message, refused
        super().__init__(message)
