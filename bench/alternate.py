"""The whole `vastaff solve` of this checkout against another commit's, run alternately on the same data: the way
to compare two versions on a machine whose speed drifts from one minute to the next (a base run, then this one, again
and again, so that both see the same states).

Usage:  .venv/bin/python bench/alternate.py DATA --base COMMIT [--runs 8] [-- solve options ...]

The base commit is checked out into a temporary git worktree (removed after); both versions run with this
checkout's Python environment, each with `PYTHONPATH` at its own src/. Each run is a fresh process writing to a
temporary plan folder with `--store off`, after one uncounted run of each. Prints, per version, the wall seconds of
every run sorted, their median, least and most.
Example: .venv/bin/python bench/alternate.py bench/out/district-tight-300-s1 --base 4fcd431 --runs 8
With the run history recorded (the options after `--` come last, and the last `--store` wins):
         .venv/bin/python bench/alternate.py bench/out/district-tight-60-s1 --base 6273be0 -- --store /tmp/alt.db
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = "import sys; from vastaff.cli import main; sys.argv = ['vastaff', *sys.argv[1:]]; sys.exit(main())"


def solve_seconds(src: Path, data: Path, out: Path, extra: list[str]) -> float:
    """One whole `vastaff solve` with the package at `src`, in wall seconds (an error if it fails)."""
    began = time.perf_counter()
    subprocess.run([sys.executable, "-c", RUN, "solve", str(data), "--out", str(out), "--force", "--store", "off",
                    *extra], env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"}, cwd=ROOT, check=True,
                   capture_output=True)
    return time.perf_counter() - began


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path)
    ap.add_argument("--base", required=True, help="the commit to compare with (any git revision)")
    ap.add_argument("--runs", type=int, default=8, help="runs of each version, alternating")
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    args, extra = ap.parse_args(argv[:cut]), argv[cut + 1:]  # after --: options for both solves
    with tempfile.TemporaryDirectory(prefix="vastaff-alternate-") as tmp:
        base = Path(tmp) / "base"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(base), args.base], cwd=ROOT, check=True)
        try:
            versions = {f"base {args.base}": base / "src", "this checkout": ROOT / "src"}
            for src in versions.values():  # uncounted: compiles the base's bytecode, warms the file cache
                solve_seconds(src, args.data, Path(tmp) / "plan", extra)
            seconds: dict[str, list[float]] = {name: [] for name in versions}
            for _ in range(args.runs):
                for name, src in versions.items():
                    seconds[name].append(solve_seconds(src, args.data, Path(tmp) / "plan", extra))
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=ROOT, check=False)
    for name, runs in seconds.items():
        runs.sort()
        print(f"{name}: median {statistics.median(runs):.3f} s, least {runs[0]:.3f}, most {runs[-1]:.3f} "
              f"({' '.join(f'{s:.2f}' for s in runs)})")


if __name__ == "__main__":
    main()
