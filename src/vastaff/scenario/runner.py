"""Run scenarios: patch the base data, validate it, solve the nightly plan, displace when asked, check, write.

Each scenario is one job of vastaff.executor: a process of the local pool (one CP-SAT worker each, so N scenarios
use N cores) or a worker of a Dask cluster (`cluster`), which reads the scenario's files and writes RUNS by their
absolute paths (a filesystem shared with the cluster's machines). It writes `RUNS/<name>/`: the plan files with
timetable.csv and vacancies.csv, run.json (with a `scenario` block, the figures and the checker's verdict), `input/`
(the patched data the plan was solved on: the documented columns only, teachers' names blank, see `rerun_tables`) and
`model.yaml` (the effective contract), so `vastaff check RUNS/<name>/input RUNS/<name> --model RUNS/<name>/model.yaml`
re-checks it. A failing scenario writes run.json with its status and `error.txt`, and never stops the others; nor
does one whose job was lost. RUNS and each RUNS/<name>/ go through io/outpath's policy first; a run folder is
replaced only once the new one is whole.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from vastaff.executor import Job, open_executor
from vastaff.forked import cores
from vastaff.interrupt import interruptible

from vastaff.check.runner import run_checks
from vastaff.schemas.district import District
from vastaff.displace import displace, run_record
from vastaff.errors import InputError, OutputError
from vastaff.io.district import load_district
from vastaff.io.outpath import (
    check_out_path, make_temp_dir, probe_writable, remove_stale, replace_dir, through_link, write_errors,
)
from vastaff.io.runfolders import RUNS, SCENARIO_RUN, run_kind
from vastaff.io.plan import load_plan, write_plan, write_run
from vastaff.io.tables import ROW
from vastaff.nightly import solve_nightly
from vastaff.report.context import plan_of
from vastaff.report.files import table_files
from vastaff.scenario.failures import ScenarioFailed, first_lines, write_failure
from vastaff.scenario.figures import plan_figures
from vastaff.scenario.load import LoadedScenario, load_scenario, name_problems
from vastaff.scenario.overrides import model_yaml
from vastaff.scenario.patches import Applied, PatchError, apply_patches, own_tables, read_tables, write_tables
from vastaff.scenario.schema import schema_columns
from vastaff.schemas.run import CheckVerdict, DisplacementRun, ScenarioBlock, ScenarioRun, ScenarioStatus
from vastaff.nightly.sections import GREEDY_LIMIT, SolveSettings, default_time_limit

NOT_WRITTEN = ScenarioStatus.NOT_WRITTEN
"""Status of a scenario whose folder could not be written (disk full, read-only): the folder that was there stays."""

INVALID_INPUT = ScenarioStatus.INVALID_INPUT
"""Status of a scenario whose patches, patched data or displacement input is invalid."""

UNREAD_COLUMNS = {"teachers": ["name"]}
"""Personal columns no rule reads: blank in a run's input/ (kept as columns, so input/ is still valid input)."""


@dataclass(frozen=True)
class RunOutcome:
    """How one scenario ended: its folder, status, a one-line message; ok is False for a failed scenario;
    written is False when its folder could not be written (status NOT_WRITTEN)."""

    name: str
    status: ScenarioStatus
    ok: bool
    folder: Path
    message: str
    seconds: float
    written: bool = True
    error_file: Path | None = None  # a failure beside the last good run, which it kept (OUT/<name>.error.txt)


def run_scenarios(scenarios: Iterable[LoadedScenario | str | Path], out: str | Path, processes: int | None = None,
                  time_limit: float | None = None, on_done: Callable[[RunOutcome], None] | None = None,
                  force: bool = False, cluster: str | None = None) -> list[RunOutcome]:
    """Run every scenario into `out/<name>/`, `processes` at a time (default: one per scenario, at most the
    cores) — or on the Dask cluster at `cluster` (vastaff.executor; its workers decide how many at once); `time_limit`
    overrides each scenario's solve.time_limit. Outcomes come back in the given order; `on_done` hears of each as it
    finishes. A scenario whose job was lost (its worker died on every try) is an ERROR outcome, its folder written
    here: never a gap.

    Before anything runs: OutputError(refused=True) when `out` or a `out/<name>/` is not ours (`force`: write
    anyway, see check_run_folders), OutputError when `out` cannot be written; InputError when the cluster cannot be
    used (vastaff.executor.dask_executor).
    """
    loaded = [s if isinstance(s, LoadedScenario) else load_scenario(s) for s in scenarios]
    _unique_names(loaded)
    out = Path(out)
    check_run_folders(loaded, out, force)
    plains, runs = [s.plain() for s in loaded], os.path.abspath(out)
    jobs = [Job(str(i), run_job, (plain, runs, time_limit)) for i, plain in enumerate(plains)]
    workers = max(1, min(processes or cores(), len(jobs)))
    outcomes: dict[int, RunOutcome] = {}
    with interruptible(), open_executor(cluster, workers) as executor:  # an unusable cluster: before RUNS is made
        for s in loaded:
            probe_writable(out / s.name)
        for done in executor.run(jobs):
            i = int(done.key)
            result = done.result if done.lost is None else \
                lost_job(plains[i], runs, f"on {executor.description} ({done.lost})")
            outcomes[i] = _report(_outcome(result, out), on_done)
    for s in loaded:
        remove_stale(out / s.name, any_process=True)  # the work folders of attempts whose worker died, anywhere
    return [outcomes[i] for i in range(len(jobs))]


def _unique_names(loaded: list[LoadedScenario]) -> None:
    """InputError naming each scenario whose name an earlier one has (they would write one run folder)."""
    problems = name_problems([(s.label, s.name) for s in loaded])
    if problems:
        raise InputError(problems)


def check_run_folders(loaded: list[LoadedScenario], out: Path, force: bool = False) -> None:
    """RUNS must be new or a folder of runs, each RUNS/<name>/ new or a run folder (io/outpath.check_out_path);
    neither may be, or hold, what a scenario reads (for RUNS, its previous plans aside: a run may follow
    another of the same folder). One line per refused folder."""
    reads = [read for s in loaded for read in _reads(s)]
    runs_reads = [read for s in loaded for read in _reads(s, previous=False)]
    check_out_path(out, RUNS, inputs=runs_reads, force=True)  # where RUNS is; what it holds is checked last
    problems = []
    for s in loaded:
        try:
            check_out_path(out / s.name, SCENARIO_RUN, inputs=reads, force=force)
        except OutputError as exc:
            problems.append(exc.message)
    if problems:
        raise OutputError("\n".join(problems), refused=True)
    check_out_path(out, RUNS, inputs=runs_reads, force=force)


def _reads(s: LoadedScenario, previous: bool = True) -> list[tuple[str, Path | None]]:
    """What scenario `s` reads (io/outpath inputs): its data, model and file, and its previous plan if asked."""
    reads = [("data folder", s.data), ("contract model", s.model), ("scenario file", s.file)]
    reads += [(f"{name} table", path) for name, path in s.tables.items()]
    return reads + [("previous plan", s.previous)] if previous else reads



def _report(outcome: RunOutcome, on_done) -> RunOutcome:
    if on_done:
        on_done(outcome)
    return outcome


def _outcome(d: dict, out: Path) -> RunOutcome:
    """The job's answer, with its folder as the caller spelled `out` (the job had it absolute)."""
    kept = out / f"{d['name']}.error.txt" if d.get("kept") else None
    return RunOutcome(d["name"], ScenarioStatus(d["status"]), d["ok"], out / d["name"], d["message"], d["seconds"],
                      d["written"], kept)


def run_job(plain: dict, out: str, time_limit: float | None) -> dict:
    """A worker's job (plain data in and out): run one scenario into `out/<name>/`; never raises. The run is made
    in a work folder `.<name>.work-*` beside it and replaces `out/<name>/` only once whole."""
    start = time.perf_counter()
    return _write_run(plain, out, start, lambda work: _run_in(work, plain, time_limit, start))


def lost_job(plain: dict, out: str, where: str) -> dict:
    """What stands for a scenario whose job was lost (`where`: on which executor, and why): an ERROR run folder with
    that line in run.json and error.txt, as a scenario that failed by itself has."""
    message = f"its job was lost {where}"

    def fill(work: Path) -> tuple[ScenarioStatus, bool, str]:
        write_failure(work, plain, ScenarioFailed(ScenarioStatus.ERROR, [message]), 0.0)
        return ScenarioStatus.ERROR, False, message

    return _write_run(plain, out, time.perf_counter(), fill)


def _write_run(plain: dict, out: str, start: float, fill: Callable[[Path], tuple[ScenarioStatus, bool, str]]) -> dict:
    """`fill(work)` makes the run folder `work/plan`, which then replaces `out/<name>/`: the outcome as plain data."""
    name = plain["scenario"]["name"]
    folder = Path(out) / name
    error_file, kept = folder.with_name(f"{name}.error.txt"), False
    try:
        with write_errors(folder):
            work = make_temp_dir(through_link(folder), "work")  # beside what it replaces: one file system
            try:
                status, ok, message = fill(work)
                kept = not ok and _good_run(folder)  # a failure never replaces the last good run: it goes beside
                if kept:
                    shutil.copyfile(work / "plan" / "error.txt", error_file)
                else:
                    replace_dir(work / "plan", folder)
                    error_file.unlink(missing_ok=True)
            finally:
                shutil.rmtree(work, ignore_errors=True)
        written = True
    except OutputError as exc:
        status, ok, message, written = NOT_WRITTEN, False, exc.message, False
    return {"name": name, "status": status.value, "ok": ok, "folder": str(folder), "message": message,
            "seconds": round(time.perf_counter() - start, 3), "written": written, "kept": kept}


def _good_run(folder: Path) -> bool:
    """Whether FOLDER holds a scenario's run that ended with a plan (a failed run has error.txt)."""
    return run_kind(folder) == SCENARIO_RUN and not (folder / "error.txt").exists()


def _run_in(work: Path, plain: dict, time_limit: float | None, start: float) -> tuple[ScenarioStatus, bool, str]:
    """Run one scenario into `work/plan` (its run folder, a success's or a failure's): status, ok, message.
    A write failure (OSError, OutputError) is not the scenario's: it propagates."""
    try:
        sc = LoadedScenario.from_plain(plain)
        run = run_one(sc, work, time_limit)
        return ScenarioStatus(run.status), True, _success_line(run)
    except ScenarioFailed as failed:
        write_failure(work, plain, failed, time.perf_counter() - start)
        return failed.status, False, first_lines(failed.lines)
    except (OSError, OutputError):
        raise
    except Exception as exc:  # a bug must not take the other scenarios down
        message = f"{type(exc).__name__}: {exc}"
        write_failure(work, plain, ScenarioFailed(ScenarioStatus.ERROR, [message, traceback.format_exc()]),
                       time.perf_counter() - start)
        return ScenarioStatus.ERROR, False, message


def run_one(sc: LoadedScenario, work: Path, time_limit: float | None) -> ScenarioRun:
    """Patch, validate, solve, displace, check; the finished plan folder is `work/plan`. Returns its run record."""
    start = time.perf_counter()
    district, applied = patched_district(sc, work / "input")
    if sc.scenario.displaces() and not district.has_positions:
        raise ScenarioFailed(INVALID_INPUT, ["the displacement cannot run: the data has no positions.csv (`displace: "
                                             "true` needs it, or an `add` patch of table positions)"])
    block = sc.scenario.solve
    settings = SolveSettings(method=block.method, seed=block.seed, processes=1, strict=block.strict,
                             time_limit=time_limit or block.time_limit or default_time_limit(len(district.teachers)))
    plan = solve_nightly(district, sc.contract, settings)
    run = ScenarioRun(**dict(plan.summary), scenario=scenario_block(sc, applied, settings.time_limit))
    if not plan.feasible:
        conflicts = [f"{' + '.join(c.rules)}: {c.message}" for c in run.conflicts or []]
        lines = [f"{plan.status}: {len(conflicts)} conflict(s)", *conflicts]
        lines += [GREEDY_LIMIT] if block.method == "greedy" else []
        raise ScenarioFailed(ScenarioStatus(plan.status), lines, run)
    tables = dict(plan.tables)
    if sc.scenario.displaces():
        tables["displacement"], displacement = _displacement(district, sc)
        run = run.model_copy(update={"displacement": displacement})
    write_plan(work / "plan", tables, run, table_files(district, plan_of(plan.tables, plan.run)), force=True)
    written = load_plan(work / "plan")
    report = run_checks(district, written, sc.contract)
    run = run.model_copy(update={
        "check": CheckVerdict(violations=len(report.violations), by_rule=_by_rule(report.violations)),
        "figures": plan_figures(written, district, sc.contract, report, (work / "input" / "matrix.csv").is_file()),
        "scenario": run.scenario.model_copy(update={"wall_seconds": round(time.perf_counter() - start, 3)}),
    })
    _finish(work / "plan", work / "input", sc, run)
    return run


def patched_district(sc: LoadedScenario, folder: Path) -> tuple[District, list[Applied]]:
    """The base tables, with the scenario's own tables instead of the base's, then its patches; written to
    `folder` and validated like any input. Returns the district and what each table file and patch did."""
    try:
        frames = read_tables(sc.data)
    except InputError as exc:
        raise ScenarioFailed(INVALID_INPUT, [f"base data {sc.data} is invalid:"] + [str(p) for p in exc.problems])
    try:
        own, brought = own_tables(sc.tables)
    except InputError as exc:
        raise ScenarioFailed(INVALID_INPUT, ["a table of the scenario is invalid:"] + [str(p) for p in exc.problems])
    try:
        frames, applied = apply_patches(frames | own, sc.scenario.patches)
    except PatchError as exc:
        raise ScenarioFailed(INVALID_INPUT, [str(exc)])
    write_tables(rerun_tables(frames), folder,
                 previous=sc.previous or (sc.data / "previous" if sc.data.is_dir() else None))
    try:
        return load_district(folder, sc.contract, previous=sc.previous), brought + applied
    except InputError as exc:
        raise ScenarioFailed(INVALID_INPUT, [f"the patched data is invalid ({len(exc.problems)} problem(s)):"]
                             + [str(p) for p in exc.problems]) from None


def rerun_tables(frames: dict) -> dict:
    """What a run keeps of its input (input/): the tables with the documented columns only (no rule reads another) and
    the UNREAD_COLUMNS blank; every value the solver reads is kept exactly as given."""
    kept = {}
    for name, frame in frames.items():
        frame = frame[[c for c in frame.columns if c in schema_columns(name) or c == ROW]].copy()
        for column in UNREAD_COLUMNS.get(name, []):
            if column in frame.columns:
                frame[column] = ""
        kept[name] = frame
    return kept


def _displacement(district: District, sc: LoadedScenario) -> tuple[pd.DataFrame, DisplacementRun]:
    """A10, A10.1, A11 on the scenario's data: displacement.csv and its run record."""
    try:
        result = displace(district, sc.contract)
    except InputError as exc:
        raise ScenarioFailed(INVALID_INPUT, ["the displacement cannot run on the patched data:"]
                             + [str(p) for p in exc.problems]) from None
    return result.frame, run_record(result, district, sc.contract)


def scenario_block(sc: LoadedScenario, applied: list[Applied], time_limit: float) -> ScenarioBlock:
    """run.json's `scenario` block: what was asked and what the patches did (`time_limit`: the one used)."""
    s = sc.scenario
    return ScenarioBlock(
        name=s.name, description=s.description, file=str(sc.file) if sc.file else None, data=s.data,
        model=s.model or sc.model.name, contract_model=sc.contract.name, hypothetical=sc.contract.hypothetical,
        model_overrides=s.model_overrides, previous=s.previous, displace=s.displaces(),
        solve={**s.solve.model_dump(), "time_limit": time_limit}, patches=[a.as_dict() for a in applied])


def _by_rule(violations) -> dict[str, int]:
    counts: dict[str, int] = {}
    for v in violations:
        rule = getattr(v, "rule", None) or "?"
        counts[rule] = counts.get(rule, 0) + 1
    return dict(sorted(counts.items()))


def _finish(plan_dir: Path, input_dir: Path, sc: LoadedScenario, run: ScenarioRun) -> None:
    """Put the patched input and the effective model beside the plan, and the final run.json."""
    if input_dir.exists():
        shutil.move(str(input_dir), str(plan_dir / "input"))
    _write_model(plan_dir, sc)
    write_run(plan_dir, run)


def _write_model(plan_dir: Path, sc: LoadedScenario) -> None:
    if sc.scenario.model_overrides:
        header = (f"Effective contract model of scenario {sc.name}: {sc.model.name} with model_overrides "
                  f"{json.dumps(sc.scenario.model_overrides)}.\nHYPOTHETICAL: not the signed contract.")
        (plan_dir / "model.yaml").write_text(model_yaml(sc.contract_raw, header), encoding="utf-8")
    else:
        shutil.copyfile(sc.model, plan_dir / "model.yaml")


def _success_line(run: ScenarioRun) -> str:
    f = run.figures or {}
    line = (f"{run.status}: cost ${run.costs.total:,.2f}, {f.get('sections')} sections, "
            f"{f.get('vacancies')} vacancies")
    if f.get("displaced") is not None:
        line += f", {f['displaced']} displaced, {f['moved_level']} moved level"
    return line + f", {run.check.violations} check violation(s)"
