"""The parts of `vastaff solve` that run in its own process before and after the schools' pool, and its collections.

Usage:  .venv/bin/python bench/serial_parts.py DATA [DATA ...] [--repeat 3]

Per data folder, one markdown row: the best of `--repeat` runs of loading the district, building the schools'
problems and the people part after the pool (the IEP rotation; locations and caseloads run during the pool), each in
this process; then one whole `vastaff solve DATA --out TMP --seed 0` (with reports) in a fresh process, run as the
console command runs it, with a `gc.callbacks` timer: seconds that process spent in garbage collections, and in
full (oldest-generation) ones.
"""

from __future__ import annotations

import argparse
import gc
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vastaff import cli
from vastaff.contract import load_contract
from vastaff.io.district import load_district
from vastaff.nightly import _people, _people_apart
from vastaff.nightly.sections import SolveSettings, plan_sections
from vastaff.sections.problem import school_problems


def best(fn, repeat: int) -> float:
    """The fewest seconds `fn()` took in `repeat` runs."""
    seconds = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - began)
    return min(seconds)


def collections(data: Path) -> tuple[float, float, float]:
    """(wall seconds, seconds in collections, seconds in full collections) of one whole solve in a fresh process."""
    done = subprocess.run([sys.executable, __file__, "--whole", str(data)], capture_output=True, text=True, check=True)
    return tuple(json.loads(done.stdout.strip().splitlines()[-1]))


def whole(data: Path) -> None:
    """This process: the console command's solve with the timer, then its three numbers as JSON on the last line."""
    spent, began = [0.0, 0.0], []

    def timer(phase: str, info: dict) -> None:
        if phase == "start":
            began.append(time.perf_counter())
            return
        took = time.perf_counter() - began.pop()
        spent[0] += took
        spent[1] += took if info["generation"] == 2 else 0.0

    gc.callbacks.append(timer)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        sys.argv = ["vastaff", "solve", str(data), "--out", f"{tmp}/plan", "--seed", "0"]
        try:
            cli.main()
        except SystemExit:
            pass
    print(json.dumps([time.perf_counter() - start, *spent]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--whole", action="store_true", help=argparse.SUPPRESS)  # the fresh process of `collections`
    args = parser.parse_args()
    if args.whole:
        return whole(args.data[0])
    contract = load_contract()
    rows = []
    for data in args.data:
        district = load_district(data, contract)
        settings = SolveSettings(time_limit=30, seed=0, processes=2)
        sections = plan_sections(district, contract, settings)
        located, caseloads = _people_apart(district, contract)
        rows.append((data.name, best(lambda: load_district(data, contract), args.repeat),
                     best(lambda: school_problems(district, contract), args.repeat),
                     best(lambda: _people(district, contract, settings, sections, located, caseloads), args.repeat),
                     *collections(data)))
    print("| data | load s | problems s | people after the pool s | whole solve s | collections s | full ones s |")
    print("|---|---|---|---|---|---|---|")
    for name, *values in rows:
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in values) + " |")


if __name__ == "__main__":
    main()
