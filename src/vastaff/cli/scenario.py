"""`vastaff scenario run|compare|sweep` — matrix-process what-ifs and proposal costing, side by side."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import typer
from rich.console import Console

from vastaff.cli.common import (
    EXIT_OK, EXIT_VIOLATIONS, EXIT_WRITE, WRITTEN_BEFORE_STOP, check_time_limit, console, input_errors_exit,
    output_errors_exit,
)
from vastaff.cli.history import STORE_OPTION_HELP
from vastaff.errors import InputError, InputProblem, OutputError
from vastaff.executor import cluster_address
from vastaff.io.outpath import NOTHING_WRITTEN, atomic_file, check_file_path, check_out_path
from vastaff.io.runfolders import RUNS
from vastaff.store.choice import store_file

RUN_EXIT_CODES_HELP = ("Exit codes: 0 all succeeded; 1 any scenario failed; 2 invalid scenario file, or OUT or an "
                       "OUT/<name>/ refused (nothing is run); 4 OUT or a run folder could not be written (the run "
                       "that was there is unchanged); 130 aborted by a second Ctrl-C.")
SWEEP_EXIT_CODES_HELP = ("Exit codes: 0 all succeeded; 1 any scenario failed; 2 invalid sweep file (one line per "
                         "problem), OUT refused, or the cluster unusable (nothing is run); 4 OUT, a run folder or a "
                         "comparison file could not be written; 130 aborted by a second Ctrl-C.")
COMPARE_EXIT_CODES_HELP = ("Exit codes: 0 compared; 2 invalid run folder, or an output file that is a folder (nothing "
                           "written); 4 an output file could not be written (what was there is unchanged).")

app = typer.Typer(help="What-if scenarios: run them (each a full plan), then compare side by side; sweep a grid of "
                       "contract terms.\n\nExample: vastaff scenario run scenarios/*.yaml --out runs/sample && "
                       "vastaff scenario compare runs/sample\n\nExit codes: 0 done; 1 a scenario failed; 2 invalid "
                       "input, nothing written; 4 could not write.",
                  no_args_is_help=True)

SHOW_DIFF = 25
CLUSTER_HELP = ("Dask scheduler address (tcp://HOST:8786): the scenarios run on that cluster, same results as the "
                "local pool; its workers must see the scenarios' files and OUT at the same paths (a shared "
                "filesystem). Default: $VASTAFF_CLUSTER, else the local pool. Needs pip install 'vastaff\\[cluster]' "
                "(docs/scaling.md).")


@app.command("run", epilog=RUN_EXIT_CODES_HELP)
def run(
    scenarios: list[Path] = typer.Argument(..., help="Scenario YAML files (see scenarios/ and docs/scenarios.md)."),
    out: Path = typer.Option(..., "--out", help="Folder of runs: each scenario is written to OUT/<name>/."),
    processes: int = typer.Option(None, "--processes", min=1,
                                  help="Scenarios run at once, one process each (default: one per core)."),
    time_limit: float = typer.Option(None, "--time-limit",
                                     help="Search budget per scenario in seconds (overrides each file's solve.time_limit)."),
    force: bool = typer.Option(False, "--force", help="Write into OUT and replace OUT/<name>/ even if they are not "
                                                      "scenario runs (never a scenario's data, model or previous plan, "
                                                      "nor a folder holding them)."),
    cluster: str = typer.Option(None, "--cluster", metavar="URL", show_default=False, help=CLUSTER_HELP),
    store: str = typer.Option(None, "--store", metavar="URL", help=STORE_OPTION_HELP),
) -> None:
    """Run each scenario: patch the data, validate it, solve the plan (and the displacement when it changes
    positions), check it; write OUT/<name>/ with the plan files, run.json, input/ and model.yaml.

    Scenarios run in parallel processes, or on a Dask cluster (--cluster). A failing scenario (a patch that selects nothing, invalid patched data,
    an infeasible plan) is reported on stderr and in OUT/<name>/error.txt (OUT/<name>.error.txt beside a good
    run of it, which is kept), and the others go on.
    OUT must be new or a folder of runs, and each OUT/<name>/ new or a run folder (with run.json), unless --force.

    \b
    Example:
      vastaff scenario run scenarios/*.yaml --out runs/sample --time-limit 20
      vastaff scenario compare runs/sample --csv compare.csv --png compare.png --html compare.html
    """
    from vastaff.scenario import load_scenarios, run_scenarios

    with input_errors_exit(), output_errors_exit():
        check_time_limit(time_limit)
        loaded = load_scenarios(scenarios)
        _history_kept(out, store)
        started = datetime.now(timezone.utc)
        outcomes = run_scenarios(loaded, out, processes=processes, time_limit=time_limit, on_done=_progress(len(loaded)),
                                 force=force, cluster=cluster_address(cluster))
    _record(store, loaded, outcomes, started)
    _exit(outcomes, out, f"Next: vastaff scenario compare {out}")


def _history_kept(out: Path, store: str | None) -> None:
    """Refuse (exit 2) a folder of runs that is, or holds, the run history this run records into: `--force` would
    replace it with the runs (with --out runs it is refused for the default store already)."""
    check_out_path(out, RUNS, inputs=[("run history", store_file(store))], force=True)


def _exit(outcomes, out: Path, next_step: str) -> None:
    """The summary line and the exit code: 0 all succeeded, 1 any failed, 4 any run folder not written."""
    failed = [o for o in outcomes if not o.ok]
    summary = f"{len(outcomes) - len(failed)} of {len(outcomes)} scenario(s) succeeded -> {out}"
    if failed:
        print(summary + f"; failed: {', '.join(o.name for o in failed)}", file=sys.stderr)
        raise typer.Exit(EXIT_VIOLATIONS if all(o.written for o in failed) else EXIT_WRITE)
    print(f"{summary}. {next_step}")
    raise typer.Exit(EXIT_OK)


def _record(store: str | None, scenarios, outcomes, started: datetime, command: str = "scenario run") -> None:
    """Each scenario that wrote a run folder, in the run history (command `<command> <name>`); a store that cannot
    be written is one warning line."""
    from vastaff import store as history
    from vastaff.io.plan import load_plan

    data = {s.name: str(s.data) for s in scenarios}
    for o in outcomes:
        run_json = o.folder / "run.json"
        if not o.written or not run_json.is_file():
            continue
        plan = load_plan(o.folder) if o.ok else None
        teachers = history.teacher_records(plan.teachers, plan.sections, plan.iep_assignments, plan.caseloads,
                                           plan.displacement) if plan is not None else ()
        summary = json.loads(run_json.read_text(encoding="utf-8"))
        record = history.run_record(history.command_text(command, o.name), summary, data.get(o.name, ""),
                                    str(o.folder), started, datetime.now(timezone.utc))
        warning = history.record_safely(store, record, teachers)
        if warning:
            print(f"warning: {warning}", file=sys.stderr)
            return


def _progress(total: int):
    """One line per scenario as it finishes, counted at the end (`[3/24]`): ok on stdout, FAILED on stderr; each run
    folder written is noted for the line of a second Ctrl-C (`WRITTEN_BEFORE_STOP`, this command's alone)."""
    finished = 0
    WRITTEN_BEFORE_STOP.clear()

    def print_outcome(o) -> None:
        nonlocal finished
        finished += 1
        line = f"{o.name}: {o.message} ({o.seconds:.1f} s)"
        count = f"[{finished}/{total}]"
        if o.ok:
            print(f"ok      {line} -> {o.folder} {count}", flush=True)
        elif o.error_file is not None:
            print(f"FAILED  {line} -> {o.error_file} (the last good run kept in {o.folder}) {count}", file=sys.stderr,
                  flush=True)
        elif o.written:
            print(f"FAILED  {line} -> {o.folder / 'error.txt'} {count}", file=sys.stderr, flush=True)
        else:
            print(f"FAILED  {line} {count}", file=sys.stderr, flush=True)
        if o.ok or o.written:
            WRITTEN_BEFORE_STOP.append(str(o.folder if o.error_file is None else o.error_file))

    return print_outcome


@app.command("sweep", epilog=SWEEP_EXIT_CODES_HELP)
def sweep(
    grid: Path = typer.Argument(..., help="Sweep YAML file (see scenarios/sweeps/ and docs/scenarios.md)."),
    out: Path = typer.Option(..., "--out", help="Folder of runs: each scenario is written to OUT/<name>/, the "
                                                "comparison beside them."),
    processes: int = typer.Option(None, "--processes", min=1,
                                  help="Scenarios run at once, one process each (default: one per core)."),
    time_limit: float = typer.Option(None, "--time-limit",
                                     help="Search budget per scenario in seconds (overrides the solve.time_limit)."),
    cluster: str = typer.Option(None, "--cluster", metavar="URL", show_default=False, help=CLUSTER_HELP),
    base: str = typer.Option(None, "--base", help="Scenario to compare against (default: the first of the grid)."),
    force: bool = typer.Option(False, "--force", help="Write into OUT and replace OUT/<name>/ even if they are not "
                                                      "scenario runs (never an input, nor a folder holding one)."),
    store: str = typer.Option(None, "--store", metavar="URL", help=STORE_OPTION_HELP),
) -> None:
    """Expand a grid of contract terms and data patches into scenarios, run them as `scenario run` does, and
    compare them.

    OUT/sweep.csv (a row per scenario: its terms, status and every figure), OUT/compare.csv,
    OUT/compare.png, OUT/compare.html (with a cost curve per swept term) and OUT/cost-curves.png. Those five files
    are replaced by the next sweep into OUT; nothing else beside the run folders is touched.

    \b
    Example:
      vastaff scenario sweep scenarios/sweeps/sample-stipend-caseload.yaml --out runs/sweep --time-limit 20
    """
    from vastaff.scenario.sweep import load_sweep
    from vastaff.scenario.sweep_run import run_sweep, write_sweep_files

    with input_errors_exit(), output_errors_exit():
        check_time_limit(time_limit)
        swept = load_sweep(grid)
        if base is not None and base not in [p.name for p in swept.points]:
            raise InputError([InputProblem("--base", value=base, expected="a scenario of the sweep: "
                                           + ", ".join(p.name for p in swept.points))])
        _history_kept(out, store)
        print(f"Sweep {swept.name}: {len(swept.points)} scenario(s) over {', '.join(swept.terms)}", flush=True)
        started = datetime.now(timezone.utc)
        result = run_sweep(swept, out, processes=processes, time_limit=time_limit, cluster=cluster_address(cluster),
                           on_done=_progress(len(swept.points)), force=force, base=base)
    _record(store, swept.scenarios, result.outcomes, started, command="scenario sweep")
    wide = console if console.is_terminal else Console(highlight=False, width=200)
    wide.print(result.rich_table())
    with output_errors_exit():
        for path in write_sweep_files(result, out):
            print(f"Wrote {path}")
    _exit(result.outcomes, out, f"Open {out / 'compare.html'}")


@app.command("compare", epilog=COMPARE_EXIT_CODES_HELP)
def compare(
    runs: list[Path] = typer.Argument(..., help="Run folders (OUT/<name>/), or an OUT/ folder holding them."),
    base: str = typer.Option(None, "--base", help="Run to compare against (default: the one named baseline, else the first)."),
    csv: Path = typer.Option(None, "--csv", help="Write the side-by-side figures as CSV.", metavar="FILE.csv"),
    png: Path = typer.Option(None, "--png", help="Write the charts: cost parts per scenario, and below them one panel "
                                                 "per effect (vacancies, room shortfall, teachers at home, doubled "
                                                 "periods, displaced, IEP spread, caseloads, the matrix).",
                             metavar="FILE.png"),
    html: Path = typer.Option(None, "--html", help="Write one self-contained page: the runs, the figure table, the "
                                                   "charts and who changes.", metavar="FILE.html"),
    diff: Path = typer.Option(None, "--diff", help="Write the per-teacher differences against the base as CSV.",
                              metavar="FILE.csv"),
) -> None:
    """Figures a negotiator reads, side by side, and who changes, teacher by teacher.

    Cost and its parts, sections and mean size per band, teachers without sections, stipend courses, room shortfall,
    IEP spread, caseloads, displaced and moved teachers, vacancies, doubled periods, the matrix (choices granted),
    contract violations; changes against the base in brackets; then who changes, teacher by teacher. Only the files
    named are written (--csv, --png, --html, --diff), each whole (a temporary file beside, renamed into place);
    nothing is deleted.

    \b
    Example:
      vastaff scenario compare runs/sample --base baseline --csv compare.csv --html compare.html --diff compare-who.csv
    """
    from vastaff.scenario import compare_runs

    with output_errors_exit():
        for path in (csv, png, html, diff):
            if path is not None:
                check_file_path(path, _run_folders(runs))
        _distinct_outputs({"--csv": csv, "--png": png, "--html": html, "--diff": diff})
    with input_errors_exit():
        comparison = compare_runs(runs, base=base)
    wide = console if console.is_terminal else Console(highlight=False, width=60 + 18 * len(comparison.names))
    wide.print(comparison.rich_table())
    _print_diff(comparison)
    with output_errors_exit():
        for path, write in ((csv, comparison.to_csv), (png, lambda tmp: tmp.write_bytes(comparison.chart_png())),
                            (html, comparison.to_html), (diff, comparison.diff_to_csv)):
            if path is not None:
                with atomic_file(path) as tmp:
                    write(tmp)
                print(f"Wrote {path}")


SUFFIX = {"--csv": ".csv", "--png": ".png", "--html": ".html", "--diff": ".csv"}


def _distinct_outputs(outputs: dict[str, Path | None]) -> None:
    """Two options naming one file (the second silently replaced the first), or an existing file of another kind
    (`--png sc/baseline.yaml` replaced the scenario file): refused before anything is written."""
    given = {option: path for option, path in outputs.items() if path is not None}
    seen: dict[str, str] = {}
    for option, path in given.items():
        key = os.path.normcase(os.path.realpath(path))
        if key in seen:
            raise OutputError(f"{seen[key]} and {option} name the same file {path}; {NOTHING_WRITTEN}", refused=True)
        seen[key] = option
        if path.exists() and path.suffix.lower() != SUFFIX[option]:
            raise OutputError(f"{option} {path} would replace a file that is not a {SUFFIX[option]} file; "
                              f"{NOTHING_WRITTEN}", refused=True)


def _run_folders(runs: list[Path]) -> list[tuple[str, Path]]:
    """The run folders compared (each given one, or the runs a given folder of runs holds): inputs, whose files no
    output may replace (io/outpath)."""
    folders = []
    for path in runs:
        try:
            inside = sorted(p for p in path.iterdir() if (p / "run.json").is_file()) if path.is_dir() else []
        except OSError:  # compare_runs names an unreadable folder
            inside = []
        folders += [("compared run", path)] if (path / "run.json").is_file() else [("compared run", p) for p in inside]
    return folders


def _print_diff(comparison) -> None:
    from vastaff.scenario.html import unknown_base  # the comparison's modules load with the command that needs them

    d = comparison.teacher_diff
    if d.empty:
        print(unknown_base(comparison) or f"No teacher changes against {comparison.base}.")
        return
    counts = d.groupby("scenario", sort=False)["teacher_id"].nunique()
    print("Teachers affected against " + comparison.base + ": "
          + ", ".join(f"{name} {n}" for name, n in counts.items()))
    for row in d.head(SHOW_DIFF).itertuples(index=False):
        print(f"  {row.scenario}: {row.teacher_id} ({row.school_id}) {row.summary}")
    if len(d) > SHOW_DIFF:
        print(f"  ... {len(d) - SHOW_DIFF} more change(s); the full list: --diff FILE.csv")
