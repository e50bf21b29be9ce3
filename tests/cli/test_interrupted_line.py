"""The line a second Ctrl-C leaves (cli.main): "nothing was written", unless a scenario run had written some runs whole
before it (an audit read "nothing was written" beside two run folders just rewritten)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from vastaff.cli import INTERRUPTED, interrupted_line
from vastaff.cli.scenario import _progress


def outcome(name: str, ok: bool, written: bool = True, error_file: Path | None = None) -> SimpleNamespace:
    return SimpleNamespace(name=name, ok=ok, written=written, error_file=error_file, message="m", seconds=1.0,
                           folder=Path("runs") / name)


def test_nothing_written_before_the_interruption_says_so(capsys):
    _progress(3)
    assert interrupted_line() == INTERRUPTED == "vastaff: interrupted; nothing was written."


def test_the_runs_a_scenario_run_wrote_before_the_interruption_are_named(capsys):
    done = _progress(9)
    for o in [outcome("base", True), outcome("bad", False, written=False), outcome("cap", False),
              outcome("kept", False, error_file=Path("runs/kept.error.txt"))]:
        done(o)
    assert interrupted_line() == ("vastaff: interrupted; written before it: runs/base, runs/cap, "
                                  "runs/kept.error.txt; nothing else was written.")
    _progress(1)  # the next command's own list
    assert interrupted_line() == INTERRUPTED
