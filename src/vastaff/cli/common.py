"""Shared CLI plumbing: loading with clean exit codes (2 on invalid input, never a traceback)."""

from __future__ import annotations

import inspect
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import typer
from rich.console import Console

from vastaff.errors import InputError, InputProblem, OutputError
from vastaff.schemas.district import Plan
from vastaff.schemas.fields import TIME_LIMIT_RANGE

EXIT_OK, EXIT_VIOLATIONS, EXIT_INVALID, EXIT_INFEASIBLE, EXIT_WRITE = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130  # a second Ctrl-C: aborted, nothing written
WRITTEN_BEFORE_STOP: list[str] = []
"""What a command wrote, whole, before a second Ctrl-C aborted it (a scenario run's finished runs): the interrupted
line names them instead of saying that nothing was written (cli.main)."""
EXIT_CODES_HELP = ("Exit codes: 0 ok; 1 violations (check only); 2 invalid input or unusable output path "
                   "(nothing written); 3 infeasible; 4 could not write the output (the last good plan is intact); "
                   "130 aborted by a second Ctrl-C.")
TIME_LIMIT_EXPECTED = f"a number of seconds from {TIME_LIMIT_RANGE[0]:g} to {TIME_LIMIT_RANGE[1]:,} (one day)"
MODEL_DEFAULT_HELP = ("Default: the va-2025-2027 model installed with vastaff (the repository's "
                      "models/va-2025-2027.yaml); an edited copy is read only when named here.")
"""The end of every --model option's help: the default is the installed package's copy, not ./models/ of the folder
the command runs in."""
MODEL_HELP = f"Contract model file (YAML). {MODEL_DEFAULT_HELP}"
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


@contextmanager
def output_errors_exit() -> Iterator[None]:
    """One line for an unusable or unwritable output location: exit 2 if refused up front, else exit 4."""
    try:
        yield
    except OutputError as exc:
        print(exc.message, file=sys.stderr)
        raise typer.Exit(EXIT_INVALID if exc.refused else EXIT_WRITE) from None


def check_time_limit(seconds: float | None) -> None:
    """InputError (one line, exit 2) unless `--time-limit` is unset or within TIME_LIMIT_RANGE: `inf`, `nan`, `1e12`
    and `0` are refused before any work (inf would search without end and write `Infinity`, not JSON, to run.json).
    Every command with --time-limit calls it (solve, meetings, scenario run and sweep)."""
    low, high = TIME_LIMIT_RANGE
    if seconds is not None and not low <= seconds <= high:  # nan compares False: refused too
        raise InputError([InputProblem("--time-limit", value=f"{seconds:g}", expected=TIME_LIMIT_EXPECTED)])


def reflow_help(app: typer.Typer) -> None:
    """Each command's help with its paragraphs reflowed (`reflowed`): typer's rich help keeps a docstring's line ends,
    which the source wraps at 120 characters, as line breaks — ragged lines in every help and the command list.
    Its flags show no value type (`flags_without_type`), its arguments their names in capitals (`arguments_named`)."""
    for info in app.registered_commands:
        doc = info.help or inspect.getdoc(info.callback)
        if doc:
            info.help = reflowed(doc)
        flags_without_type(info.callback)
        arguments_named(info.callback)
    if app.registered_callback is not None:
        flags_without_type(app.registered_callback.callback)


def flags_without_type(callback) -> None:
    """The on/off options of CALLBACK shown without a type: typer's help writes `--json <bool>`, as if the flag took
    a value (`--json true` is a usage error). An empty metavar is what the help shows in the type column."""
    for parameter in inspect.signature(callback).parameters.values():
        option = parameter.default
        if isinstance(option, typer.models.OptionInfo) and parameter.annotation in (bool, "bool") \
                and option.metavar is None:
            option.metavar = ""


def arguments_named(callback) -> None:
    """The arguments of CALLBACK shown as the help texts name them (`vastaff solve [OPTIONS] DATA`): typer's usage
    line writes `{data}`, braces a user might type."""
    for parameter in inspect.signature(callback).parameters.values():
        argument = parameter.default
        if isinstance(argument, typer.models.ArgumentInfo) and argument.metavar is None:
            argument.metavar = parameter.name.upper()


def reflowed(doc: str) -> str:
    """`doc` with each paragraph on one line, except paragraphs with indented lines (examples), kept as written."""
    paragraphs = inspect.cleandoc(doc).split("\n\n")
    return "\n\n".join(p if any(line.startswith(" ") for line in p.splitlines()[1:]) else " ".join(p.split())
                       for p in paragraphs)


def made_against(plan: Plan, data: Path) -> Path | None:
    """The previous plan `plan` was made against (run.json `previous_plan`) when it is there and is not DATA/previous/
    (which `load_district` reads anyway), said on stderr; None otherwise (DATA/previous/, if any: A12 then says what
    it was not given). A scenario run checked against its own input/ is read against input/previous/, the copy of
    the previous plan it was solved against: the folder run.json names may hold a newer run by now."""
    named = plan.run.get("previous_plan") if isinstance(plan.run, dict) else None
    if not isinstance(named, str) or not named or not Path(named).exists():
        return None
    own = data / "previous"
    if own.exists() and (Path(named).resolve() == own.resolve() or _own_input(plan, data)):
        return None
    print(f"vastaff: A12 (X-time) against the previous plan this plan was made with: {named} (run.json "
          "previous_plan)", file=sys.stderr)
    return Path(named)


def _own_input(plan: Plan, data: Path) -> bool:
    """DATA is the plan's own input/ folder (a scenario run's)."""
    return bool(plan.path) and (Path(plan.path) / "input").resolve() == data.resolve()


def previous_for(plan: Plan | None, data: Path, given: Path | None, force: bool) -> tuple[Path | None, bool]:
    """The previous plan a plan is read against, and whether it is taken whatever its IDs (`previous_force`): `given`
    (--previous), judged unless `force`; else the one the plan was made with (`made_against`), which the solve that
    made the plan took — with --previous-force where it needed it — and is not judged again."""
    recorded = None if given is not None or plan is None else made_against(plan, data)
    return given or recorded, force or recorded is not None


def staffing_plan_problem(plan: Plan, path: Path) -> InputProblem | None:
    """Why `plan` has nothing for diff, explain or report (no sections and no teachers: a displacement plan, a
    meetings calendar, an empty folder), or None; a displacement plan is told where its own report is."""
    if not (plan.sections.empty and plan.teachers.empty):
        return None
    hint = ("; a displacement plan's report is `vastaff displace DATA --out PLAN --report FILE.md`"
            if plan.displacement is not None else "")
    return InputProblem(str(path), expected=f"a plan with rows in sections.csv or teachers.csv (from vastaff "
                                            f"solve{hint})")
