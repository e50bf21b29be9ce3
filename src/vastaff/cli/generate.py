"""`vastaff generate OUT --teachers N --seed S` — a realistic synthetic district in SPEC's input format."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import typer

from vastaff.cli.common import EXIT_INVALID, input_errors_exit
from vastaff.contract import load_contract
from vastaff.generate import OutputNotEmpty, check_out, check_size, generate_district, write_district

MODEL_HELP = "Contract model file (YAML) whose limits the demand must fit. Default: models/va-2025-2027.yaml."


def register(app: typer.Typer) -> None:
    @app.command("generate")
    def generate(
        out: Path = typer.Argument(..., help="Folder to write the CSV files into (absent or empty, unless --force)."),
        teachers: int = typer.Option(..., "--teachers", help="Teachers in the district, 20 to 20000."),
        seed: int = typer.Option(1, "--seed", help="Random seed; the same N and seed give byte-identical files."),
        force: bool = typer.Option(False, "--force", help="Replace OUT if it already holds files."),
        model: Path = typer.Option(None, "--model", help=MODEL_HELP),
    ) -> None:
        """Write a synthetic district: every input CSV of SPEC, optional ones included (iep_meetings,
        sped_students, positions), with demand feasible by construction under the contract model.

        The folder is written next to OUT first and renamed into place, so OUT is never half written.

        Example: vastaff generate data/sample --teachers 60 --seed 7
        """
        _refuse(_size_problem(teachers) or _seed_problem(seed))
        with input_errors_exit():
            contract = load_contract(model)
        started = time.perf_counter()
        try:
            check_out(out, force)
            tables = generate_district(teachers, seed, contract)
            write_district(tables, out, force=force)
        except OutputNotEmpty as exc:
            _refuse(str(exc))
        print(_summary(out, tables, seed, time.perf_counter() - started))


def _size_problem(teachers: int) -> str | None:
    try:
        check_size(teachers)
    except ValueError as exc:
        return f"--teachers: {exc}"
    return None


def _seed_problem(seed: int) -> str | None:
    return None if seed >= 0 else f"--seed: expected a whole number >= 0 (got {seed})"


def _refuse(problem: str | None) -> None:
    if problem:
        print(f"vastaff generate: {problem}; nothing was written.", file=sys.stderr)
        raise typer.Exit(EXIT_INVALID)


def _summary(out: Path, tables: dict, seed: int, seconds: float) -> str:
    """One line: teachers, schools, courses, seats."""
    return (f"Wrote {out}: {len(tables['teachers']):,} teachers, {len(tables['schools'])} schools, "
            f"{len(tables['courses']):,} courses, {int(tables['demand'].students.sum()):,} course seats "
            f"(seed {seed}, {seconds:.1f} s)")
