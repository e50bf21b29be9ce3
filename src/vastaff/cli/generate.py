"""`vastaff generate OUT --teachers N --seed S` — a realistic synthetic district in the documented input format."""

from __future__ import annotations

import sys
import time
from enum import Enum
from pathlib import Path

import typer

from vastaff.cli.common import MODEL_DEFAULT_HELP, EXIT_INVALID, input_errors_exit, output_errors_exit
from vastaff.contract import DEFAULT_MODEL, load_contract
from vastaff.generate import check_size, generate_district, write_district
from vastaff.io.outpath import check_out_path, probe_writable
from vastaff.io.runfolders import DISTRICT

GENERATE_EXIT_CODES_HELP = ("Exit codes: 0 written; 2 invalid option or model, or OUT refused (nothing written); 4 "
                            "could not write OUT (what was there is unchanged).")


class Profile(str, Enum):
    standard = "standard"
    tight = "tight"


MODEL_HELP = f"Contract model file (YAML) whose limits the demand must fit. {MODEL_DEFAULT_HELP}"


def register(app: typer.Typer) -> None:
    @app.command("generate", epilog=GENERATE_EXIT_CODES_HELP)
    def generate(
        out: Path = typer.Argument(..., help="Folder to write the CSV files into (absent or empty, unless --force)."),
        teachers: int = typer.Option(..., "--teachers", help="Teachers in the district, 20 to 20000."),
        seed: int = typer.Option(1, "--seed", help="Random seed; the same N and seed give byte-identical files."),
        force: bool = typer.Option(False, "--force", help="Replace OUT if it already holds files (never a file, nor a "
                                                          "folder holding the model, the current or the home folder)."),
        model: Path = typer.Option(None, "--model", help=MODEL_HELP),
        profile: Profile = typer.Option(Profile.standard, "--profile",
                                        help="standard, or tight: one school where stipends and multi-grade sections "
                                             "are forced, its money optimum known by construction (for benchmarks)."),
    ) -> None:
        """Write a synthetic district in the documented formats, its demand feasible by construction under the
        contract model.

        Every input CSV, optional ones included (iep_meetings, sped_students, positions, matrix, and the meetings
        calendar's calendar.csv and meeting_requests.csv: a 180-day school year with holidays and a ROA Friday every
        second week, about 40 meeting requests per school, ready for vastaff meetings; one or two a school are the
        mistakes a principal makes, such as PLT over the winter recess, which the meetings run reports as not fully
        met, with the rule).

        The folder is written next to OUT first and renamed into place, so OUT is never half written.

        Example: vastaff generate /tmp/district --teachers 60 --seed 7
        """
        _refuse(_size_problem(teachers) or _seed_problem(seed))
        with output_errors_exit():
            check_out_path(out, DISTRICT, inputs=[("contract model", model or DEFAULT_MODEL)], force=force)
        with input_errors_exit():
            contract = load_contract(model)
        started = time.perf_counter()
        with output_errors_exit():
            probe_writable(out)
        tables = generate_district(teachers, seed, contract, profile=profile.value)
        with output_errors_exit():
            write_district(tables, out, force=force)
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
    schools = len(tables["schools"])
    return (f"Wrote {out}: {len(tables['teachers']):,} teachers, {schools} school{'s' * (schools != 1)}, "
            f"{len(tables['courses']):,} courses, {int(tables['demand'].students.sum()):,} course seats "
            f"(seed {seed}, {seconds:.1f} s)")
