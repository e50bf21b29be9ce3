"""`vastaff solve DATA --out PLAN` — tonight's staffing plan, checked against the contract."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path

import typer

from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from vastaff.cli.common import EXIT_INFEASIBLE, err_console, input_errors_exit
from vastaff.contract import load_contract
from vastaff.io.district import load_district
from vastaff.io.plan import write_plan
from vastaff.nightly import solve_nightly
from vastaff.solve import SolveSettings, default_time_limit


class Method(str, Enum):
    cpsat = "cpsat"
    greedy = "greedy"


def register(app: typer.Typer) -> None:
    @app.command("solve")
    def solve(
        data: Path = typer.Argument(..., help="Data folder of CSV files, or one .xlsx workbook."),
        out: Path = typer.Option(..., "--out", help="Plan folder to write (replaced atomically)."),
        model: Path = typer.Option(None, "--model", help="Contract model YAML. Default: models/va-2025-2027.yaml."),
        time_limit: float = typer.Option(None, "--time-limit", min=0.1, show_default=False,
                                         help="Search budget in wall seconds for the whole district's sections "
                                              "(loading and the people parts come on top). Default: 30 s + 1 s per "
                                              "50 teachers, at most 540 s."),
        seed: int = typer.Option(0, "--seed", help="CP-SAT random seed; same input + model + seed = same plan."),
        previous: Path = typer.Option(None, "--previous", help="Last night's plan folder (wins over DATA/previous/)."),
        strict: bool = typer.Option(False, "--strict", help="Vacancies make the plan INFEASIBLE (exit 3)."),
        method: Method = typer.Option(Method.cpsat, "--method", help="cpsat (optimizer) or greedy (the clerk's fill)."),
        processes: int = typer.Option(2, "--processes", min=1, help="Schools solved in parallel processes."),
        log: bool = typer.Option(False, "--log", help="Print the CP-SAT search log."),
    ) -> None:
        """Staff every section, teacher and period under Articles 6, 8, 9 and 12, at least cost.

        Exit 0 with a plan (vacancies allowed unless --strict), 2 on invalid input, 3 when infeasible
        (conflicts by rule ID in run.json and on stderr).

        Example: vastaff solve data/sample --out plans/sample && vastaff check data/sample plans/sample
        """
        with input_errors_exit():
            contract = load_contract(model)
            district = load_district(data, contract, previous=previous)
        time_limit = time_limit or default_time_limit(len(district.teachers))
        settings = SolveSettings(method=method.value, time_limit=time_limit, seed=seed, processes=processes,
                                 strict=strict, log=log)
        plan = _solve_with_progress(district, contract, settings, live=sys.stderr.isatty())
        if not plan.feasible:
            write_plan(out, {}, plan.run)
            for conflict in plan.run.get("conflicts", []):
                print(f"{' + '.join(conflict['rules'])}: {conflict['message']}", file=sys.stderr)
            print(f"INFEASIBLE: {len(plan.run.get('conflicts', []))} conflict(s); see {out}/run.json", file=sys.stderr)
            raise typer.Exit(EXIT_INFEASIBLE)
        write_plan(out, plan.tables, plan.run)
        run = plan.run
        print(f"{run['status']}: {len(plan.tables['sections'])} sections, {run['vacancies']['count']} vacancies, "
              f"cost ${run['costs']['total']:,.2f} (stipend ${run['costs']['stipend']:,.2f}, multi-grade "
              f"${run['costs']['multigrade']:,.2f}, X-time ${run['costs']['xtime']:,.2f}), gap {run['gap']}, "
              f"{run['wall_seconds']} s -> {out}")


def _solve_with_progress(district, contract, settings: SolveSettings, live: bool):
    """Live on a terminal: schools done, and per finished school its stages (value, bound, status); quiet otherwise."""
    if not live:
        return solve_nightly(district, contract, settings)
    schools = len(district.schools)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err_console, transient=False) as progress:
        task = progress.add_task(f"solving {schools} school(s)", total=schools)

        def on_school(solution) -> None:
            stages = ", ".join(f"{r.name} {_fmt(r.name, r.value)} (bound {_fmt(r.name, r.bound)}, {r.status})"
                               for r in solution.stages)
            progress.console.print(f"  {solution.school_id}: {solution.status} — {stages or 'nothing to decide'}")
            progress.advance(task)

        return solve_nightly(district, contract, settings, on_school=on_school)


def _fmt(stage: str, value: float) -> str:
    return f"${value / 100:,.2f}" if stage == "money" else f"{value:g}"
