"""Benchmark of `vastaff meetings`: a generated district's school year (generate/meetings.py), scheduled and checked.

Usage:  .venv/bin/python bench/meetings.py [--sizes 1000 20000] [--seed 1] [--time-limit S]

For each size: the district of bench/out/district-<n>-s<seed>/ (generated once, as bench/ladder.py does) with the
generator's calendar.csv and meeting_requests.csv (written by `vastaff generate` itself now; rewritten here, the same
files, so that a district generated before that has them too), copied to bench/out/meetings-<n>-s<seed>/; then, in this process,
load + schedule + write (the `meetings` command's work, timed as `wall s`) and the independent checker on the written
calendar. One markdown row per size: schools, requests, meetings asked and scheduled, attendance and its proven bound,
schools whose first stage is proven optimal (every request met or proven unmeetable), requests not fully met,
evenness, status, seconds, checker violations, peak memory of this process (MiB).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.ladder import OUT, instance  # noqa: E402
from vastaff.check.runner import run_checks  # noqa: E402
from vastaff.contract import load_contract  # noqa: E402
from vastaff.generate.meetings import build_meetings, write_meetings  # noqa: E402
from vastaff.io.district import load_district  # noqa: E402
from vastaff.io.plan import load_plan, write_plan  # noqa: E402
from vastaff.meetings import MeetingSettings, schedule_meetings  # noqa: E402

HEADER = ("| teachers | schools | requests | meetings asked | scheduled | attendance | bound | proven schools | "
          "requests not fully met | evenness | status | limit s | wall s | check s | check violations | peak MiB |")


def meetings_instance(n: int, seed: int) -> Path:
    """bench/out/meetings-<n>-s<seed>/: the district plus its generated calendar and requests (made once)."""
    path = OUT / f"meetings-{n}-s{seed}"
    if not path.exists():
        district = instance(n, seed)
        tmp = OUT / f".meetings-{n}-s{seed}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(district, tmp)
        tables = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in tmp.glob("*.csv")}
        write_meetings(build_meetings(tables, seed), tmp)
        tmp.rename(path)
    return path


def row(n: int, seed: int, time_limit: float) -> str:
    data, out = meetings_instance(n, seed), OUT / f"meetings-plan-{n}-s{seed}"
    contract = load_contract()
    start = time.perf_counter()
    district = load_district(data, contract)
    result = schedule_meetings(district, contract, MeetingSettings(time_limit=time_limit, seed=seed))
    write_plan(out, {}, result.run, files={"meetings.csv": result.meetings.to_csv(index=False, lineterminator="\n"),
                                           "meeting_counts.csv": result.counts.to_csv(index=False, lineterminator="\n")})
    wall = time.perf_counter() - start
    checked = time.perf_counter()
    violations = run_checks(district, load_plan(out), contract, modules=("meetings",)).violations
    check_s = time.perf_counter() - checked
    run = result.run
    proven = sum(s.stages["attendance"].status == "OPTIMAL" for s in run.schools.values())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (f"| {n:,} | {len(run.schools)} | {run.requests:,} | {run.requested:,} | {len(result.meetings):,} | "
            f"{run.objective:,} | {run.best_bound:,} | {proven}/{len(run.schools)} | {len(run.unscheduled)} | "
            f"{run.evenness} | {run.status} | {time_limit:g} | {wall:.1f} | {check_s:.1f} | {len(violations)} | "
            f"{peak:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 20000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=None,
                        help="deterministic seconds (default: the command's 20, and 1 per 100 teachers above 2,000)")
    args = parser.parse_args()
    print(HEADER)
    print("|" + "---|" * HEADER.count(" | ") + "---|")
    for n in args.sizes:
        limit = args.time_limit if args.time_limit is not None else max(20.0, n / 100)
        print(row(n, args.seed, limit), flush=True)


if __name__ == "__main__":
    main()
