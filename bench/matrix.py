"""Benchmark of the matrix (A9.1): each generated district solved with its matrix.csv and without it.

Usage:  .venv/bin/python bench/matrix.py [--sizes 60 300 1000] [--seed 1] [--time-limit S]

For each size: `vastaff generate` (which writes matrix.csv) into bench/out/matrix-N-sS/, a copy without matrix.csv
beside it, `vastaff solve` of both in a fresh process each, `vastaff check` of both. One row per run: wall seconds,
status, every stage proven or not, vacancies, cost, the checker's A9.1 violations (blocking pairs and level moves),
and the matrix figures (teachers with choices, first choices, none granted). The targets: 0 A9.1 violations, no
vacancy and no dollar more than without the matrix, 1,000 teachers in < 15 s with every stage proven.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ladder import OUT, run  # noqa: E402  (bench scripts share the child-process runner)


def instances(n: int, seed: int) -> tuple[Path, Path]:
    """The district with its matrix.csv and the same district without it (generated once)."""
    with_matrix = OUT / f"matrix-{n}-s{seed}"
    without = OUT / f"matrix-{n}-s{seed}-none"
    if not (with_matrix / "matrix.csv").exists():
        _, _, proc = run(["generate", str(with_matrix), "--teachers", str(n), "--seed", str(seed), "--force"])
        if proc.returncode != 0:
            sys.exit(proc.stderr)
    if not without.exists():
        shutil.copytree(with_matrix, without, ignore=shutil.ignore_patterns("matrix.csv"))
    return with_matrix, without


def row(n: int, label: str, data: Path, time_limit: float | None) -> str:
    plan = OUT / f"plan-{data.name}"
    limit = ["--time-limit", str(time_limit)] if time_limit else []
    wall, peak, proc = run(["solve", str(data), "--out", str(plan), "--seed", "0", "--no-report", *limit])
    if proc.returncode != 0:
        return f"| {n} | {label} | solve failed: {proc.stderr.strip()[:160]} |"
    r = json.loads((plan / "run.json").read_text())
    _, _, check = run(["check", str(data), str(plan), "--json"])
    violations = json.loads(check.stdout)["violations"]
    a91 = sum("A9.1" in v["rule"] for v in violations)
    proven = all(s["status"] == "OPTIMAL" for school in r["schools"].values() for s in school["stages"].values())
    m = _matrix_totals(r.get("matrix") or {})
    return (f"| {n} | {label} | {wall:.1f} | {r['status']} | {'yes' if proven else 'no'} | {r['vacancies']['count']} | "
            f"{r['costs']['total']:,.0f} | {len(violations)} | {a91} | {m['teachers_with_choices']} | "
            f"{m['first_choice']} | {m['none_granted']} | {peak:.0f} |")


def _matrix_totals(block: dict) -> dict[str, int]:
    """run.json `matrix` (per school, per level) summed over the district."""
    keys = ("teachers_with_choices", "first_choice", "none_granted")
    levels = [fig for school in block.values() for fig in school.values()]
    return {k: sum(fig.get(k, 0) for fig in levels) for k in keys}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[60, 300, 1000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--time-limit", type=float, default=None)
    args = ap.parse_args()
    print("| teachers | matrix | wall s | status | all stages proven | vacancies | cost $ | check violations | "
          "A9.1 violations | with choices | first choice | none granted | peak MiB |")
    print("|" + "---|" * 13)
    for n in args.sizes:
        with_matrix, without = instances(n, args.seed)
        for label, data in (("yes", with_matrix), ("no", without)):
            print(row(n, label, data, args.time_limit), flush=True)


if __name__ == "__main__":
    main()
