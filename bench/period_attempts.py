"""The period stages' attempts (`cpsat/timetable.py` `STAGE_ATTEMPTS`) compared on whole schools, over seeds.

Usage:  .venv/bin/python bench/period_attempts.py VARIANT [VARIANT ...] --data DIR [DIR ...] [--seeds 0 1]

Solves every school of each DIR in this process (as a worker would, `nightly.school.solve_one`, `SCHOOL_BUDGET`) once
per seed and variant, and prints per variant and period stage: wall seconds, deterministic seconds (CP-SAT's
repeatable work) and how many stages ended unproven. A variant replaces some stages' attempts; `committed` is the
code as it is. The stages feed each other (a different grade-peak timetable is a different largest-live-group model),
so the totals over schools and seeds are what to compare, and deterministic seconds before wall seconds (two variants
run side by side slow each other). `-v` prints each stage that took more than a second.
"""

from __future__ import annotations

import argparse

import vastaff.cpsat.timetable as timetable
from vastaff.contract import load_contract
from vastaff.cpsat.solver import SolveOptions
from vastaff.cpsat.timetable import LP, LP_CUTS, NO_LP, Attempt
from vastaff.io.district import load_district
from vastaff.nightly.school import solve_one
from vastaff.sections.problem import school_problems

SCHOOL_BUDGET = 10.0
"""Deterministic seconds per school, about what a 1,000-teacher district's run gives its larger schools."""
BEFORE_GRADES = (Attempt(NO_LP, 0.2, 1.0), Attempt(LP))
BEFORE_LIVE = (Attempt({"max_presolve_iterations": 1}),)
VARIANTS = {
    "committed": {},
    "before": {"grade_peak_excess": BEFORE_GRADES, "max_live_students": BEFORE_LIVE},
    "grades: guide 0.3, maxima 1.0, LP": {"grade_peak_excess": (
        Attempt(NO_LP, 0.2, 0.3, guided=True), Attempt(NO_LP, 0.2, 1.0), Attempt(LP))},
    "grades: guide 0.5, LP": {"grade_peak_excess": (Attempt(NO_LP, 0.2, 0.5, guided=True), Attempt(LP))},
    "grades: guide 0.1, LP": {"grade_peak_excess": (Attempt(NO_LP, 0.2, 0.1, guided=True), Attempt(LP))},
    "grades: guide 1.0, LP": {"grade_peak_excess": (Attempt(NO_LP, 0.2, 1.0, guided=True), Attempt(LP))},
    "grades: guide 0.3, guide with LP, LP": {"grade_peak_excess": (
        Attempt(NO_LP, 0.2, 0.3, guided=True), Attempt(LP, 0.5, guided=True), Attempt(LP))},
    "live: one presolve round (before)": {"max_live_students": BEFORE_LIVE},
    "live: no LP 0.05, LP with cuts": {"max_live_students": (Attempt(NO_LP, 0.2, 0.05), Attempt(LP_CUTS))},
    "live: LP with cuts": {"max_live_students": (Attempt(LP_CUTS),)},
    "live: no LP 0.05, LP": {"max_live_students": (Attempt(NO_LP, 0.2, 0.05), Attempt(LP))},
}


def measure(variant: str, data: list[str], seeds: list[int], verbose: bool) -> dict[str, list[float]]:
    """stage -> [wall seconds, deterministic seconds, unproven] summed over the schools of `data` and `seeds`."""
    saved = dict(timetable.STAGE_ATTEMPTS)
    timetable.STAGE_ATTEMPTS.update(VARIANTS[variant])
    contract, totals = load_contract(), {}
    try:
        for folder in data:
            problems = school_problems(load_district(folder, contract), contract)
            for seed in seeds:
                for p in problems:
                    result = solve_one(p, contract, SolveOptions(time_limit=SCHOOL_BUDGET, seed=seed), {})
                    for stage in result.periods.stages:
                        total = totals.setdefault(stage.name, [0.0, 0.0, 0])
                        total[0] += stage.seconds
                        total[1] += stage.work
                        total[2] += stage.status != "OPTIMAL"
                        if verbose and stage.seconds > 1:
                            print(f"    {folder} seed {seed} {p.school_id} {stage.name}: {stage.seconds:.1f} s, "
                                  f"{stage.work:.2f} det-s, {stage.status} {stage.value:g}")
    finally:
        timetable.STAGE_ATTEMPTS.clear()
        timetable.STAGE_ATTEMPTS.update(saved)
    return totals


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("variants", nargs="+", choices=sorted(VARIANTS), metavar="VARIANT",
                    help="one or more of: " + "; ".join(VARIANTS))
    ap.add_argument("--data", nargs="+", required=True)
    ap.add_argument("--seeds", nargs="+", type=int, default=[0, 1])
    ap.add_argument("-v", action="store_true", help="print every stage that took more than a second")
    args = ap.parse_args()
    print("| variant | stage | wall s | deterministic s | unproven |")
    print("|---|---|---|---|---|")
    for variant in args.variants:
        totals = measure(variant, args.data, args.seeds, args.v)
        for stage, (wall, work, unproven) in totals.items():
            print(f"| {variant} | {stage} | {wall:.1f} | {work:.2f} | {unproven} |")
        print(f"| {variant} | all | {sum(t[0] for t in totals.values()):.1f} | "
              f"{sum(t[1] for t in totals.values()):.2f} | {sum(t[2] for t in totals.values())} |", flush=True)


if __name__ == "__main__":
    main()
