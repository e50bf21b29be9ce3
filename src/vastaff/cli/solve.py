"""`vastaff solve DATA --out PLAN` — tonight's staffing plan, checked against the contract."""

from __future__ import annotations

import importlib
import os
import sys
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path

import typer

from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from vastaff.background import Background
from vastaff.cli.common import (
    EXIT_INFEASIBLE, MODEL_HELP, TIME_LIMIT_EXPECTED, check_time_limit, err_console, input_errors_exit,
    output_errors_exit,
)
from vastaff.cli.history import STORE_OPTION_HELP
from vastaff.store.choice import store_file
from vastaff.cli.recorder import HistoryJob
from vastaff.diff import changes_csv, changes_summary_lines
from vastaff.executor import cluster_address
from vastaff.contract import DEFAULT_MODEL, load_contract
from vastaff.io.district import load_district
from vastaff.io.meetings import roster_warnings
from vastaff.io.outpath import check_out_path, probe_writable
from vastaff.io.runfolders import PLAN, read_run, run_kind
from vastaff.interrupt import interruptible
from vastaff.io.plan import check_infeasible_path, infeasible_path, write_infeasible, write_no_plan, write_plan
from vastaff.nightly import solve_nightly
from vastaff.nightly.prep_time import parse_prep_dates
from vastaff.schemas.run import RunSummary
from vastaff.nightly.sections import GREEDY_LIMIT, SolveSettings, default_time_limit
from vastaff.report.console import after_solve_lines, locations_line, matrix_lines
from vastaff.report.context import plan_of
from vastaff.report.files import plan_files_for_people
from vastaff.report.tables import vacancies_frame

SOLVE_EXIT_CODES_HELP = ("Exit codes: 0 a plan (vacancies allowed unless --strict); 2 invalid input, or --out refused "
                         "(nothing written); 3 infeasible: conflicts by rule ID on stderr and in OUT.infeasible.json "
                         "(and in OUT/run.json where OUT held no plan), a plan at OUT unchanged; 4 could not write (the "
                         "plan at OUT unchanged); 130 aborted by a second Ctrl-C.")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def date_option(flag: str, help: str):
    """A YYYY-MM-DD option read as text (nightly/prep_time.parse_prep_dates says what is wrong in one line, exit 2)."""
    return typer.Option(None, flag, metavar="DATE", show_default=False, help=help)


class Method(str, Enum):
    cpsat = "cpsat"
    greedy = "greedy"


def register(app: typer.Typer) -> None:
    @app.command("solve", epilog=SOLVE_EXIT_CODES_HELP)
    def solve(
        data: Path = typer.Argument(..., help="Data folder of CSV files, or one .xlsx workbook."),
        out: Path = typer.Option(..., "--out", help="Plan folder to write: a new path, an empty folder, or a plan "
                                                    "folder vastaff solve wrote with nothing else in it, replaced "
                                                    "atomically."),
        model: Path = typer.Option(None, "--model", help=MODEL_HELP),
        time_limit: float = typer.Option(None, "--time-limit", show_default=False,
                                         help="Search budget in wall seconds for the whole district's sections "
                                              "(loading and the people parts come on top); each school's share is "
                                              "also a deterministic budget, so the plan does not depend on the "
                                              "machine's speed when every search ends within it. Default: 30 s + "
                                              f"1 s per 50 teachers, at most 540 s. Accepted: {TIME_LIMIT_EXPECTED}."),
        seed: int = typer.Option(0, "--seed", min=0, max=2**31 - 1, help="CP-SAT random seed; same input + model + seed = same plan."),
        previous: Path = typer.Option(None, "--previous", help="Last night's plan folder (wins over DATA/previous/)."),
        previous_force: bool = typer.Option(False, "--previous-force",
                                            help="Accept a previous plan whose IDs mostly do not match DATA."),
        force: bool = typer.Option(False, "--force", help="Replace --out even if it is a non-empty folder that is not "
                                                          "a plan, or holds other files (never DATA, the previous "
                                                          "plan or a folder holding them)."),
        strict: bool = typer.Option(False, "--strict", help="Vacancies make the plan INFEASIBLE (exit 3)."),
        method: Method = typer.Option(Method.cpsat, "--method", help="cpsat (optimizer) or greedy (the clerk's fill)."),
        processes: int = typer.Option(2, "--processes", min=1, help="Schools solved in parallel processes; with "
                                      "--cluster, how the time limit is split between schools (the cluster's workers "
                                      "decide how many run at once)."),
        cluster: str = typer.Option(None, "--cluster", metavar="URL", show_default=False,
                                    help="Dask scheduler address (tcp://HOST:8786): the schools run on that cluster, "
                                         "same plan as the local pool with the same --processes. Default: "
                                         "$VASTAFF_CLUSTER, else the local pool. Needs pip install "
                                         "'vastaff\\[cluster]' (docs/scaling.md)."),
        log: bool = typer.Option(False, "--log", help="Print the CP-SAT search log."),
        store: str = typer.Option(None, "--store", metavar="URL", help=STORE_OPTION_HELP),
        first_day: str = date_option("--first-day", "First day of instruction (YYYY-MM-DD): teachers whose sections "
                                     "changed against the previous plan within the model's notice days before it get "
                                     "prep_time = true in teachers.csv (A9.2, 9.0(2)). Default: nobody flagged."),
        as_of: str = date_option("--as-of", "The day the assignment is notified (YYYY-MM-DD), with --first-day. "
                                            "Default: today."),
        no_report: bool = typer.Option(False, "--no-report", help="Skip plan.xlsx and report.html (timetable.csv and "
                                                                  "vacancies.csv are always written)."),
    ) -> None:
        """Staff every section, teacher and period, IEP meeting, caseload and room under the contract, at least cost.

        Example: vastaff solve data/sample --out plans/sample && vastaff check data/sample plans/sample
        """
        started = _now()
        inputs = [*_inputs(data, previous, model), ("run history", store_file(store))]
        with output_errors_exit():
            check_out_path(out, PLAN, inputs=inputs, force=force)
            check_infeasible_path(out, inputs, force=force)
        with HistoryJob(store) as history:  # its imports load in a process of its own, beside the district's
            with input_errors_exit():
                check_time_limit(time_limit)
                prep_dates = parse_prep_dates(first_day, as_of, _now().astimezone().date())
                contract = load_contract(model)
                district = load_district(data, contract, previous=previous, previous_force=previous_force)
            for line in roster_warnings(district):
                _warn(line)
            with output_errors_exit():
                probe_writable(out)
            time_limit = time_limit or default_time_limit(len(district.teachers))
            settings = SolveSettings(method=method.value, time_limit=time_limit, seed=seed, processes=processes,
                                     strict=strict, log=log, cluster=cluster_address(cluster), prep_dates=prep_dates)
            later = Background(lambda: _import_for_later(reports=not no_report), "vastaff-imports")
            with interruptible():  # the first Ctrl-C stops the search and the plan is still written; the second aborts
                with input_errors_exit():  # --cluster: no Dask, no scheduler, no workers, other versions -> one line
                    plan = _solve_with_progress(district, contract, settings, live=sys.stderr.isatty(),
                                                meanwhile=later.start)
                later.result()  # joined before the report forks its workbook process (vastaff.background)
                with output_errors_exit():
                    if not plan.feasible:  # recorded too: the history shows the night that made no plan
                        _warn(_record(history, plan, data, infeasible_path(out), started))
                        _no_plan(out, plan.summary)
                    history.plan(plan.tables)  # its rows are made there while the files are made here
                    out = _where_to(out, plan.summary, inputs)
                    made = plan_of(plan.tables, plan.run, str(out))
                    files, ctx, report_warning = plan_files_for_people(district, made, contract, plan.changes,
                                                                       reports=not no_report, locations=plan.locations)
                    if plan.changes is not None:
                        files["changes.csv"] = changes_csv(plan.changes)
                    write_plan(out, plan.tables, plan.summary, files, force=True)  # --out checked first
            warning = _record(history, plan, data, out, started)  # before the console lines, which a closed pipe ends
            run, costs = plan.summary, plan.summary.costs
            vacant = f"{run.vacancies.count} {'vacancy' if run.vacancies.count == 1 else 'vacancies'}"
            print(f"{run.status}: {len(plan.tables['sections'])} sections, {vacant}, "
                  f"cost ${costs.total:,.2f} (stipend ${costs.stipend:,.2f}, multi-grade ${costs.multigrade:,.2f}, "
                  f"X-time ${costs.xtime:,.2f}), gap {'n/a (no bound)' if run.gap is None else run.gap}, "
                  f"{run.wall_seconds} s -> {out}")
            if run.periods is not None:
                print(periods_line(run.periods))
            if (where := locations_line(run.people)) is not None:
                print(where)
            if plan.changes is not None:
                print("\n".join(changes_summary_lines(plan.changes, out / "changes.csv")))
            if run.prep_time is not None:
                print(prep_time_line(run.prep_time))
            if report_warning:
                print(f"warning: {report_warning}", file=sys.stderr)
            vacancies = vacancies_frame(made.sections, made.section_grades, made.run)
            lines = after_solve_lines(vacancies, data, out, reports=ctx is not None and not no_report)
            if ctx is not None and len(district.matrix):
                lines[-1:-1] = matrix_lines(ctx)  # before the next commands, which end what solve prints
            print("\n".join(lines))
            _warn(warning)


def _record(history: HistoryJob, plan, data: Path, out: Path, started) -> str | None:
    """The run and each teacher's assignments in the run history (`--store`), none without a plan; a one-line
    warning if it cannot be written (the plan is written already)."""
    return history.record("solve", plan.run, str(data), str(out), started, plan.tables if plan.feasible else None)


def prep_time_line(prep) -> str:
    """run.json's `prep_time` in one line (A9.2)."""
    when = f"as of {prep.as_of}, {prep.days_before} day(s) before the first day {prep.first_day}"
    if not prep.within_notice:
        return f"Prep time (A9.2): nobody flagged: {when}, more than the {prep.notice_days} notice days"
    if not prep.previous_plan:
        return f"Prep time (A9.2): nobody flagged: no previous plan to compare with ({when})"
    who = ", ".join(prep.teachers[:10]) + (", ..." if len(prep.teachers) > 10 else "")
    return f"Prep time (A9.2): {len(prep.teachers)} teacher(s) flagged prep_time ({when}){': ' + who if who else ''}"


def periods_line(p) -> str:
    """run.json's `periods` in one line: each measure with its floor, then the teachers' average class sizes."""
    return (f"Periods ({p.status}): doubled {p.doubled} (floor {p.doubled_floor}), singleton clashes "
            f"{p.singleton_clashes} (floor {p.singleton_floor}), grade-peak excess {p.grade_peak_excess} (floor 0), "
            f"largest live group {p.max_live_students} (floor {p.max_live_floor}), period changes {p.period_changes}; "
            f"average class per teacher {p.teacher_mean_class_min:.1f}-{p.teacher_mean_class_max:.1f}")


def _inputs(data: Path, previous: Path | None, model: Path | None) -> list[tuple[str, Path | None]]:
    """What solve reads, never to be replaced by --out: DATA, the previous plan (--previous, else DATA/previous/)
    and the contract model."""
    if previous is None and os.path.isdir(data / "previous"):  # False, not an error, for a folder it cannot search
        previous = data / "previous"
    return [("data folder", data), ("previous plan", previous), ("contract model", model or DEFAULT_MODEL)]


def _where_to(out: Path, run: RunSummary, inputs) -> Path:
    """OUT, or, for a run a Ctrl-C (or SIGTERM) stopped while OUT holds a plan that was not stopped, OUT.interrupted
    beside it: a stopped search's plan is valid but worse (46 vacancies after 2 s of a 1,000-teacher district that
    the full run staffs), so it never replaces the last complete plan."""
    last = read_run(out) or {}
    if not run.interrupted or run_kind(out, last) != PLAN or last.get("interrupted"):
        return out  # nothing complete to keep (a stopped run's plan may be replaced by another)
    beside = out.with_name(f"{out.name}.interrupted")
    check_out_path(beside, PLAN, inputs=inputs)
    print(f"interrupted: the complete plan at {out} is kept; this run's plan goes to {beside}", file=sys.stderr)
    return beside


def _warn(warning: str | None) -> None:
    if warning:
        print(f"warning: {warning}", file=sys.stderr)


def _no_plan(out: Path, run: RunSummary) -> None:
    """No plan: the conflicts on stderr and in OUT.infeasible.json — and in OUT/run.json where OUT holds no plan yet;
    the plan at OUT, if any, stays as it was. Exit 3."""
    where = write_infeasible(out, run)
    if write_no_plan(out, run):  # OUT held no plan: its run.json says why there is none
        kept = f" and {out / 'run.json'}"
    else:
        kept = f"; the plan at {out} is unchanged" if (out / "run.json").is_file() else ""
    conflicts = run.conflicts or []
    for conflict in conflicts:
        print(f"{' + '.join(conflict.rules)}: {conflict.message}", file=sys.stderr)
    if run.method == Method.greedy:
        print(GREEDY_LIMIT, file=sys.stderr)
    print(f"{run.status}: {len(conflicts)} conflict(s); see {where}{kept}", file=sys.stderr)
    raise typer.Exit(EXIT_INFEASIBLE)


REPORT_WRITERS = ("vastaff.report.why", "vastaff.report.html", "vastaff.report.workbook")
"""What the command imports after the search, with reports: their writers (Jinja2, XlsxWriter), which report/files.py
imports only when asked. (The run history's SQLAlchemy loads in its own process, cli/recorder.py.)"""


def _import_for_later(reports: bool) -> None:
    """`REPORT_WRITERS`, imported while the schools are searched."""
    for name in REPORT_WRITERS if reports else ():
        importlib.import_module(name)


def _solve_with_progress(district, contract, settings: SolveSettings, live: bool, meanwhile=None):
    """Live on a terminal: schools done, and per finished school its stages (value, bound, status); quiet otherwise."""
    if not live:
        return solve_nightly(district, contract, settings, meanwhile=meanwhile)
    schools = len(district.schools)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err_console, transient=False) as progress:
        task = progress.add_task(f"solving {schools} school(s)", total=schools)

        def on_school(solution) -> None:
            stages = ", ".join(f"{r.name} {_fmt(r.name, r.value)} (bound {_fmt(r.name, r.bound)}, {r.status})"
                               for r in solution.stages)
            progress.console.print(f"  {solution.school_id}: {solution.status} — {stages or 'nothing to decide'}")
            progress.advance(task)

        return solve_nightly(district, contract, settings, on_school=on_school, meanwhile=meanwhile)


def _fmt(stage: str, value: float) -> str:
    return f"${value / 100:,.2f}" if stage == "money" else f"{value:g}"
