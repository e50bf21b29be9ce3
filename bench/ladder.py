"""Benchmark ladder for `vastaff solve`: generator instances by fixed seed, optimizer vs. the clerk's greedy fill.

Usage:  .venv/bin/python bench/ladder.py [--sizes 60 300 1000 5000 20000] [--time-limit S] [--seed 1]

For each size: generate (fixed seed, into bench/out/), solve with CP-SAT and with --method greedy in a fresh
process each, run the independent checker, and print one table row: teachers, sections, wall time, status,
objective, bound, gap, vacancies, greedy cost and vacancies, checker violations, peak memory (MiB).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
VASTAFF = [sys.executable, "-m", "vastaff"]


def run(args: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run a vastaff command in a child process; wall seconds and the child's peak RSS (MiB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run([*VASTAFF, *args], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024, proc


def instance(n: int, seed: int) -> Path:
    path = OUT / f"district-{n}-s{seed}"
    if not path.exists():
        wall, _, proc = run(["generate", str(path), "--teachers", str(n), "--seed", str(seed)])
        if proc.returncode != 0:
            sys.exit(proc.stderr)
    return path


def digest(path: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(path.glob("*.csv")):
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[60, 300, 1000, 5000, 20000])
    ap.add_argument("--time-limit", type=float, default=None, help="default: vastaff solve's own (30 s + 1 s per 50 "
                                                                   "teachers, at most 540 s)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    header = ("| teachers | instance | sections | limit s | wall s | status | objective $ | bound $ | gap | vacancies | "
              "greedy $ | greedy vacancies | greedy s | check violations | peak MiB |")
    print(header)
    print("|" + "|".join(["---"] * (header.count("|") - 1)) + "|")
    stages = []
    for n in args.sizes:
        data = instance(n, args.seed)
        limit = ["--time-limit", str(args.time_limit)] if args.time_limit else []
        plan = OUT / f"plan-{n}"
        wall, peak, proc = run(["solve", str(data), "--out", str(plan), *limit, "--seed", "0"])
        if proc.returncode != 0:
            print(f"| {n} | solve failed: {proc.stderr.strip()[:200]} |")
            continue
        r = json.loads((plan / "run.json").read_text())
        gplan = OUT / f"greedy-{n}"
        gwall, _, gproc = run(["solve", str(data), "--out", str(gplan), "--method", "greedy"])
        g = json.loads((gplan / "run.json").read_text())
        _, _, check = run(["check", str(data), str(plan), "--json"])
        try:
            violations = len(json.loads(check.stdout)["violations"])
        except (json.JSONDecodeError, KeyError):
            violations = f"? ({check.returncode})"
        sections = sum(1 for _ in open(plan / "sections.csv")) - 1
        stages.append((n, r))
        print(f"| {n} | {digest(data)} | {sections} | {r['time_limit']:.0f} | {wall:.1f} | {r['status']} | "
              f"{r['objective']:,.0f} | "
              f"{r['best_bound']:,.0f} | {r['gap']:.4f} | {r['vacancies']['count']} | {g['objective']:,.0f} | "
              f"{g['vacancies']['count']} | {gwall:.1f} | {violations} | {peak:,.0f} |", flush=True)
    print_stages(stages)


def print_stages(runs: list[tuple[int, dict]]) -> None:
    """Per objective stage (run.json): value / bound summed over schools, schools proved optimal / schools."""
    names = list(dict.fromkeys(name for _, r in runs for name in r["objective_stages"]))
    print("\n| teachers | " + " | ".join(names) + " | IEP rotation | solve's own wall s |")
    print("|" + "|".join(["---"] * (len(names) + 3)) + "|")
    for n, r in runs:
        cells = []
        for name in names:
            st = r["objective_stages"].get(name)
            gap = (st["value"] - st["bound"]) / st["value"] if st and st["value"] else 0.0
            cells.append("–" if st is None else f"{st['value']:,.0f} / {st['bound']:,.0f}"
                         f"{f' ({gap:.1%})' if gap else ''}, {st['optimal_parts']}/{st['parts']}")
        iep = r.get("people", {}).get("iep", {}).get("status", "–")
        print(f"| {n} | " + " | ".join(cells) + f" | {iep} | {r['wall_seconds']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
