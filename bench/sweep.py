"""Sweep throughput: N scenarios of the sample on one process, on the local pool and on a local Dask cluster.

    .venv/bin/python bench/sweep.py [--scenarios 24] [--workers 2] [--time-limit S] [--json OUT]

Expands a grid of N scenarios (scenarios/three-course-cap.yaml — the sample with a 3-course cap, every classroom
teacher consenting, so each plan is priced — with `stipend_per_course` at $1,200, $1,250, ...: one value per
scenario) and runs it three times, each into its own temporary RUNS: in this process alone (1 process), on the local
pool of `--workers` processes, and on a `distributed.LocalCluster` of `--workers` single-threaded worker processes on
127.0.0.1 (started, with vastaff imported on its workers, before the timing, as a long-lived cluster would be;
worker-saturation 1.0). Prints, as markdown: each run's wall seconds, scenarios per minute, mean seconds per
scenario inside its job, speed-up over 1 process, and Dask's overhead per job against the local pool; then whether
the three runs' plan files are identical.

Target (issue 17): >= 1.8x the throughput of 1 process on 2 cores for the pool and the cluster alike, Dask's overhead
< 10 % per job. Run it on a quiet machine: other work on the cores inflates every wall second.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import dask
import yaml
from distributed import Client, LocalCluster

from vastaff.scenario.runner import run_scenarios
from vastaff.scenario.sweep import load_sweep

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "scenarios" / "three-course-cap.yaml"
PLAN_FILES = ("sections.csv", "section_grades.csv", "teachers.csv", "iep_assignments.csv", "caseloads.csv")
SATURATION = 1.0
"""One scenario per worker thread at a time, the next to the first worker that frees up (as in the local pool)."""


def grid(folder: Path, scenarios: int) -> Path:
    """A sweep file of `scenarios` scenarios: the stipend from $1,200 in $50 steps."""
    path = folder / "bench-sweep.yaml"
    path.write_text(yaml.safe_dump({
        "name": "bench-sweep", "description": "throughput bench: the stipend per course beyond a 3-course cap",
        "base": str(BASE), "labels": {"stipend_per_course": "stipend"},
        "vary": {"stipend_per_course": [1200 + 50 * i for i in range(scenarios)]}}), encoding="utf-8")
    return path


def timed(name: str, sweep, out: Path, **how) -> dict:
    start = time.perf_counter()
    outcomes = run_scenarios(sweep.scenarios, out, time_limit=how.pop("time_limit"), **how)
    wall = time.perf_counter() - start
    failed = [o.name for o in outcomes if not o.ok]
    jobs = [o.seconds for o in outcomes]
    print(f"{name}: {wall:.1f} s for {len(outcomes)} scenarios ({len(failed)} failed)", file=sys.stderr, flush=True)
    return {"run": name, "wall": wall, "scenarios": len(outcomes), "failed": failed, "job_mean": sum(jobs) / len(jobs),
            "job_seconds": {o.name: o.seconds for o in outcomes}, "status": {o.name: o.status for o in outcomes},
            "digests": {f"{o.name}/{file}": digest(out / o.name / file) for o in outcomes for file in PLAN_FILES}}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "-"


def start_cluster(workers: int) -> tuple[LocalCluster, float]:
    start = time.perf_counter()
    # the workers' statistical profiler samples every task's stack every 10 ms: 8 % of a scenario's time, measured
    # (docs/scaling.md says to start real workers the same way)
    with dask.config.set({"distributed.scheduler.worker-saturation": SATURATION,
                          "distributed.worker.profile.enabled": False}):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
    with Client(cluster, set_as_default=False) as client:
        client.wait_for_workers(workers)
        client.run(importlib.import_module, "vastaff.scenario.runner")
    return cluster, time.perf_counter() - start


def report(rows: list[dict], workers: int, cluster_start: float) -> str:
    one, pool = rows[0], rows[1]
    lines = ["| run | wall (s) | scenarios / min | mean s per scenario (in its job) | speed-up vs 1 process |",
             "|---|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['run']} | {r['wall']:.1f} | {60 * r['scenarios'] / r['wall']:.2f} | {r['job_mean']:.2f} "
                     f"| {one['wall'] / r['wall']:.2f}x |")
    if len(rows) > 2:
        dask_row = rows[2]
        per_job = (dask_row["wall"] - pool["wall"]) / dask_row["scenarios"] * workers
        lines += ["", f"Dask against the local pool: mean job {100 * (dask_row['job_mean'] / pool['job_mean'] - 1):+.1f} %"
                  f", wall {per_job:+.2f} s per job per worker ({100 * per_job / pool['job_mean']:+.1f} % of a "
                  f"pool job); cluster start-up {cluster_start:.1f} s (not timed above)."]
    differ = sorted({f for r in rows[1:] for f, d in r["digests"].items() if d != one["digests"][f]})
    statuses = sorted({s for r in rows for s in r["status"].values()})
    lines += ["", f"Plan files identical across the runs: {'yes' if not differ else 'NO: ' + ', '.join(differ)} "
                  f"(statuses: {', '.join(statuses)}; a search ended by the wall clock, on a loaded machine, may "
                  f"find another plan)."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=None, help="per scenario (default: the base's, 30 s)")
    parser.add_argument("--no-cluster", action="store_true", help="skip the Dask run")
    parser.add_argument("--json", type=Path, help="also write the measurements as JSON")
    parser.add_argument("--keep", type=Path, help="keep the three RUNS folders under this new folder")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="vastaff-bench-sweep-"))
    work.mkdir(parents=True, exist_ok=args.keep is None)
    try:
        sweep = load_sweep(grid(work, args.scenarios))
        rows = [timed("1 process", sweep, work / "one", processes=1, time_limit=args.time_limit),
                timed(f"local pool, {args.workers} processes", sweep, work / "pool", processes=args.workers,
                      time_limit=args.time_limit)]
        cluster_start = 0.0
        if not args.no_cluster:
            cluster, cluster_start = start_cluster(args.workers)
            with cluster:
                rows.append(timed(f"Dask, {args.workers} workers on 127.0.0.1", sweep, work / "dask",
                                  cluster=cluster.scheduler_address, time_limit=args.time_limit))
        print(report(rows, args.workers, cluster_start))
        if args.json:
            args.json.write_text(json.dumps({"rows": rows, "cluster_start": cluster_start}, indent=2))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
