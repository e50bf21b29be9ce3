"""The `vastaff` command line: one module per command, registered here."""

from __future__ import annotations

import gc
import signal
import sys
from contextlib import contextmanager
from typing import Iterator

from vastaff.errors import INTERRUPTED
from vastaff.imports import imports_unwalked


@contextmanager
def _interruptible_imports() -> Iterator[None]:
    """While the program's modules load (half a second): SIGTERM as Ctrl-C, and either one `INTERRUPTED` line and exit
    130 — an audit saw Python's traceback for a Ctrl-C then, and a silent exit 143 for a SIGTERM. The handler before
    comes back afterwards (a test process importing the command line keeps its own); `main` sets it for the command.
    A signal that lands in a finalizer (`__del__`, a weakref callback) raises where Python only reports and drops the
    exception, and the command went on to write a plan (exit 0, a loaded test machine saw it): such a drop is kept
    and ends the imports the same way."""
    try:
        previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    except ValueError:  # imported outside the main thread: no handler can be set there
        yield
        return
    hook, dropped = sys.unraisablehook, []
    sys.unraisablehook = lambda u: dropped.append(u) if issubclass(u.exc_type, KeyboardInterrupt) else hook(u)
    try:
        yield
        if dropped:
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        raise SystemExit(130) from None  # EXIT_INTERRUPTED, whose module is among those interrupted
    finally:
        sys.unraisablehook = hook
        signal.signal(signal.SIGTERM, previous)


with _interruptible_imports(), imports_unwalked():  # every command's modules: no collection walks them, made or after
    import typer

    from vastaff.cli import (
        check, diff, displace, explain, generate, history, meetings, report, rules, scenario, solve, validate,
    )
    from vastaff.cli.common import EXIT_INTERRUPTED, EXIT_INVALID, WRITTEN_BEFORE_STOP, reflow_help
    from vastaff.forked import command_process
    from vastaff.release import version

app = typer.Typer(
    name="vastaff",
    help="Staffing optimizer for the Virtual Academies: solve, check, report, explain, diff, history, displace, "
         "meetings, generate, validate, scenario, rules.\n\n"
         "Example: vastaff solve data/sample --out plans/sample && vastaff check data/sample plans/sample\n\n"
         "Exit codes (each command's --help gives its own): 0 done; 1 check found a violation, or a scenario failed; "
         "2 invalid input or an output refused, nothing written; 3 infeasible; 4 could not write; 130 interrupted.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
for module in (validate, solve, check, report, explain, diff, history, displace, meetings, generate, rules):
    module.register(app)
app.add_typer(scenario.app, name="scenario")

YOUNG_OBJECTS = 20_000
"""The console command's first collection threshold (`gc.set_threshold`), see `main`."""


def _print_version(value: bool) -> None:
    if value:
        print(f"vastaff {version()}")
        raise typer.Exit()


@app.callback()
def _options(
    _version: bool = typer.Option(False, "--version", "-V", is_eager=True, callback=_print_version,
                                  help="Print the vastaff version and exit."),
) -> None:
    """Options that come before the command."""


for commands in (app, scenario.app):
    reflow_help(commands)


def interrupted_line() -> str:
    """INTERRUPTED, or what was written whole before the interruption (a scenario run's finished runs) and that
    nothing else was."""
    done = WRITTEN_BEFORE_STOP
    if not done:
        return INTERRUPTED
    named = ", ".join(done[:5]) + (f" and {len(done) - 5} more" if len(done) > 5 else "")
    return f"vastaff: interrupted; written before it: {named}; nothing else was written."


def main() -> None:
    """The console command. Ctrl-C or SIGTERM outside a solve's search (loading, writing), or a second one during it,
    ends the command with one line on stderr and exit 130 (typer turns the KeyboardInterrupt into that exit code).

    The objects there are when the command starts (the interpreter's and the program's modules, classes and
    functions) live as long as the process: they are frozen (`gc.freeze`) so that no collection walks them again, in
    this process or in the processes it forks (a 1,000-teacher solve: 0.36 -> 0.24 s of collections in this process,
    300 teachers 0.14 -> 0.12 s, 60 teachers 0.13 -> 0.09 s); every process it forks for work beside its own (the
    report's, the people parts', the history's) freezes what is alive by then too, and this process keeps it frozen
    (vastaff/forked.py `command_process`: it ends with its command).
    The process ends with the command: its objects are frozen once more so that the interpreter's exit does not walk
    them all once more — 0.2-0.3 s of a 3 s solve of 300 teachers, nothing to collect that the end of the process
    does not free anyway (every file is closed and every record committed by then).
    Young objects are collected after `YOUNG_OBJECTS` allocations instead of Python's 700, here and in the processes
    it forks (pandas makes many short-lived containers, nearly all freed by their counts before a collection comes):
    a 1,000-teacher solve's collections took 0.135 -> 0.062 CPU s over all its processes, its largest process the
    same size."""
    gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS, *thresholds[1:])
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM: as Ctrl-C
    try:
        with command_process():
            app()
    except (KeyboardInterrupt, SystemExit) as exc:  # KeyboardInterrupt: one typer did not catch itself
        if isinstance(exc, SystemExit) and exc.code != EXIT_INTERRUPTED:
            raise
        print(interrupted_line(), file=sys.stderr)
        raise SystemExit(EXIT_INTERRUPTED) from None
    except OSError as exc:  # a path the system would not let a command look at, where no reader said it: one line
        if isinstance(exc, BrokenPipeError):
            raise
        print(f"{exc.filename or 'vastaff'}: expected a file or folder that can be read ({exc.strerror or exc})",
              file=sys.stderr)
        raise SystemExit(EXIT_INVALID) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
        gc.freeze()
        gc.set_threshold(*thresholds)
