"""The nightly plan on the local process pool and on a local Dask cluster: wall time, per-school job times, same plan?

    .venv/bin/python bench/cluster.py DATA [--workers 2] [--processes 2] [--time-limit S] [--seed 0] [--json OUT]

Starts a `distributed.LocalCluster` (`--workers` single-threaded worker processes on 127.0.0.1; its start-up is
timed apart), then runs `solve_nightly` on DATA twice with the same settings: on the local pool (`--processes`
processes) and on the cluster. Prints, as markdown: both runs' wall seconds (the whole nightly plan, and the sections
part the executor distributes), each school's job seconds where it ran (wall, and its worker process's CPU seconds: what
other work on the machine does not inflate), whether the plan tables are byte-identical, and the projection for N
workers from the local run's jobs (largest school first, each to the first free worker, as the executor submits them):
the longest school bounds the plan whatever N. The cluster's workers import vastaff before the timed run, as on a
long-lived cluster; the scheduler hands out one school per worker at a time (worker-saturation 1.0).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

import dask
from distributed import Client, LocalCluster

from vastaff import nightly
from vastaff.contract import load_contract
from vastaff.io.district import load_district
from vastaff.nightly import solve_nightly
from vastaff.nightly.sections import SectionPlan, SolveSettings, default_time_limit
from vastaff.sections.problem import school_problems

PROJECTED_WORKERS = (1, 2, 4, 8, 16, 32)
NAN = float("nan")
SATURATION = 1.0
"""The scheduler's worker-saturation: one job per worker thread at a time, the next school goes to the first worker
that frees up, as in the local pool (Dask's default, 1.1, rounds up to two on a one-thread worker)."""


def timed_run(district, contract, settings: SolveSettings) -> dict:
    """One whole nightly plan: wall seconds, the sections part's, per-school (worker, seconds), the tables' digest."""
    sections: list[tuple[SectionPlan, float]] = []
    plan_sections = nightly.plan_sections

    def keep(*args, **kwargs) -> SectionPlan:  # the bench's probe: what solve_nightly's sections part reports
        start = time.perf_counter()
        sp = plan_sections(*args, **kwargs)
        sections.append((sp, time.perf_counter() - start))
        return sp

    nightly.plan_sections = keep
    try:
        start = time.perf_counter()
        plan = solve_nightly(district, contract, settings)
        wall = time.perf_counter() - start
    finally:
        nightly.plan_sections = plan_sections
    sp, sections_wall = sections[0]
    return {"wall": round(wall, 1), "sections_wall": round(sections_wall, 1), "status": str(plan.status),
            "schools": {sid: {"worker": w, "seconds": s, "cpu": c} for sid, (w, s, c) in sorted(sp.jobs.ran.items())},
            "lost": sp.jobs.warnings, "digest": digest(plan.tables)}


def digest(tables: dict) -> str:
    """SHA-256 of every plan table as CSV: equal digests, byte-identical plans."""
    h = hashlib.sha256()
    for name in sorted(tables):
        h.update(name.encode() + tables[name].to_csv(index=False).encode())
    return h.hexdigest()


def projection(seconds: list[float], workers: int) -> float:
    """The sections' makespan on `workers` workers: jobs in the given order, each to the first free worker."""
    free = [0.0] * workers
    for s in seconds:
        free[free.index(min(free))] += s
    return max(free)


def report(local: dict, cluster: dict, args, district, sizes: dict[str, int], started: float) -> str:
    lines = [f"### {args.data}: {len(district.teachers):,} teachers, {len(district.schools)} schools",
             "", f"`{' '.join(sys.argv)}` — time limit {args.time_limit:g} s, --processes {args.processes}, "
                 f"{args.workers} Dask workers (start-up and vastaff's import on them {started:.1f} s, not counted); "
                 f"load average {args.load[0]:.1f} before, {os.getloadavg()[0]:.1f} after", "",
             "| run | nightly plan (s) | sections part (s) | status | plan digest |", "|---|---:|---:|---|---|"]
    for name, run in (("local pool", local), ("Dask cluster", cluster)):
        lines.append(f"| {name} | {run['wall']} | {run['sections_wall']} | {run['status']} | {run['digest'][:12]} |")
    same = "identical" if local["digest"] == cluster["digest"] else "DIFFERENT"
    lines += ["", f"Plan tables: {same}.", "",
              "| school | local wall (s) | local CPU (s) | cluster wall (s) | cluster CPU (s) | cluster worker |",
              "|---|---:|---:|---:|---:|---|"]
    order = sorted(local["schools"], key=lambda s: -local["schools"][s]["seconds"])
    for sid in order:
        here, there = local["schools"][sid], cluster["schools"].get(sid, {})
        lines.append(f"| {sid} | {here['seconds']:.1f} | {here['cpu']:.1f} | {there.get('seconds', NAN):.1f} | "
                     f"{there.get('cpu', NAN):.1f} | {there.get('worker', 'lost')} |")
    submitted = sorted(local["schools"], key=lambda s: -sizes[s])
    wall = [local["schools"][sid]["seconds"] for sid in submitted]
    cpu = [local["schools"][sid]["cpu"] for sid in submitted]
    lines += ["", f"Sum of the jobs: local {sum(wall):.1f} s wall, {sum(cpu):.1f} s CPU; cluster "
                  f"{sum(x['seconds'] for x in cluster['schools'].values()):.1f} s wall, "
                  f"{sum(x['cpu'] for x in cluster['schools'].values()):.1f} s CPU.", "",
              "Projection of the sections part from the local jobs (largest school first, each to the first free "
              "worker):", "", "| workers | from wall seconds (s) | from CPU seconds (s) |", "|---:|---:|---:|"]
    lines += [f"| {n} | {projection(wall, n):.1f} | {projection(cpu, n):.1f} |" for n in PROJECTED_WORKERS]
    longest = max(cpu)
    lines.append(f"\nLongest school: {order[0]} at {local['schools'][order[0]]['seconds']:.1f} s wall; by CPU "
                 f"{submitted[cpu.index(longest)]} at {longest:.1f} s.")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--workers", type=int, default=2, help="Dask worker processes (one thread each)")
    ap.add_argument("--processes", type=int, default=2, help="the local pool's size; on both runs, the budget split")
    ap.add_argument("--time-limit", type=float, default=None, help="default: vastaff solve's own")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=Path, default=None, help="also write both runs' figures here")
    args = ap.parse_args()
    args.load = os.getloadavg()  # other work on the machine: timings under load are not a quiet machine's
    contract = load_contract()
    district = load_district(args.data, contract)
    args.time_limit = args.time_limit or default_time_limit(len(district.teachers))
    settings = SolveSettings(time_limit=args.time_limit, seed=args.seed, processes=args.processes)
    local = timed_run(district, contract, settings)
    start = time.perf_counter()
    with dask.config.set({"distributed.scheduler.worker-saturation": SATURATION,
                          "distributed.worker.profile.enabled": False}), LocalCluster(  # as docs/scaling.md says
            n_workers=args.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None) as c:
        with Client(c.scheduler_address) as client:  # warm workers, as on a long-lived cluster: vastaff imported
            client.run(importlib.import_module, "vastaff.nightly.sections")
        started = time.perf_counter() - start
        cluster = timed_run(district, contract, replace(settings, cluster=c.scheduler_address))
    sizes = {p.school_id: len(p.eligible) for p in school_problems(district, contract)}  # the executor's order
    print(report(local, cluster, args, district, sizes, started))
    if args.json:
        args.json.write_text(json.dumps({"local": local, "cluster": cluster}, indent=1))


if __name__ == "__main__":
    main()
