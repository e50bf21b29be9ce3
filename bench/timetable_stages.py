"""The period stages of every school's timetable under variants of `cpsat/timetable.py`, on the same sections.

Usage:  .venv/bin/python bench/timetable_stages.py DIR [DIR ...] [--variants committed no-parts ...] [--first-fit]

Solves every school of each DIR once as a worker would (`nightly.school.solve_one`, seed 0, 10 deterministic s) and
keeps the sections each hands to its timetable; then times the timetable alone (`solve_timetable`, the same
arguments) under each variant, from the spread start (or first-fit with `--first-fit`). Prints, per variant, the
deterministic seconds of each period stage summed over the schools (CP-SAT's repeatable work), stages unproven, and
how many timetables equal the first variant's. The variants:

- `committed`: the code as it is;
- `no-parts`: no stage starts with the measures at their floors bounded part by part (`PARTS_BEFORE` empty);
- `parts-everywhere`: every stage after the first does;
- `no-singleton-floor`: the largest live group's stage floor ignores the singleton-clash floor (`LIVE_SPREAD`);
- `grades-swapped`: the grade-peak stage's first two attempts the other way round (guide first, then the capped
  attempt with presolve's symmetry detection: the order until 2026-12-06);
- `guide-0.3`: the grade-peak stage's guide capped at 0.3 deterministic s (`GUIDE_CAP` until 2026-12-07);
- `no-around`: the grade-peak stage without its first attempt, the search around the start (`AROUND_CAP`).
"""

from __future__ import annotations

import argparse
import hashlib
from contextlib import contextmanager
from dataclasses import replace

import vastaff.cpsat.timetable as timetable
import vastaff.nightly.school as school
from vastaff.contract import load_contract
from vastaff.cpsat.solver import SolveOptions
from vastaff.io.district import load_district
from vastaff.sections.problem import school_problems
from vastaff.sections.timetable_figures import MEASURES


@contextmanager
def variant(name: str):
    """The module state of `cpsat.timetable` for one variant, restored after."""
    parts, floor_of, attempts = timetable.PARTS_BEFORE, timetable.floor_of, dict(timetable.STAGE_ATTEMPTS)
    if name == "no-parts":
        timetable.PARTS_BEFORE = ()
    elif name == "parts-everywhere":
        timetable.PARTS_BEFORE = MEASURES[1:]
    elif name == "no-singleton-floor":
        timetable.floor_of = lambda measure, bounds, doubled, clashes=None: floor_of(measure, bounds, doubled)
    elif name == "grades-swapped":
        first, second, *rest = attempts["grade_peak_excess"]
        timetable.STAGE_ATTEMPTS["grade_peak_excess"] = (second, first, *rest)
    elif name == "no-around":
        timetable.STAGE_ATTEMPTS["grade_peak_excess"] = tuple(a for a in attempts["grade_peak_excess"] if not a.around)
    elif name == "guide-0.3":
        timetable.STAGE_ATTEMPTS["grade_peak_excess"] = tuple(
            replace(a, cap=0.3) if a.guided else a for a in attempts["grade_peak_excess"])
    try:
        yield
    finally:
        timetable.PARTS_BEFORE, timetable.floor_of = parts, floor_of
        timetable.STAGE_ATTEMPTS.update(attempts)


def timetable_calls(folders: list[str]) -> list[tuple[str, tuple, dict]]:
    """(school, args, kwargs) of every school's `solve_timetable` call, from one solve of each folder."""
    contract, calls, real = load_contract(), [], school.solve_timetable

    def spy(*args, **kwargs):
        calls.append((args, {k: v for k, v in kwargs.items() if k != "deadline"}))
        return real(*args, **kwargs)

    school.solve_timetable = spy
    named = []
    try:
        for folder in folders:
            for p in school_problems(load_district(folder, contract), contract):
                school.solve_one(p, contract, SolveOptions(time_limit=10.0, seed=0), {})
                named.append(f"{folder.rstrip('/').split('/')[-1]}/{p.school_id}")
    finally:
        school.solve_timetable = real
    return [(name, args, kwargs) for name, (args, kwargs) in zip(named, calls)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="+")
    parser.add_argument("--variants", nargs="+", default=["committed", "no-parts", "parts-everywhere",
                                                          "no-singleton-floor"])
    parser.add_argument("--first-fit", action="store_true", help="start from first-fit instead of the spread")
    args = parser.parse_args()
    calls = timetable_calls(args.data)
    print(f"{len(calls)} school timetables, {'first-fit' if args.first_fit else 'spread'} start\n")
    print("| variant | " + " | ".join(MEASURES) + " | all | unproven | same timetables |")
    print("|---" * (len(MEASURES) + 4) + "|")
    first: list[str] | None = None
    for name in args.variants:
        work, unproven, digests = dict.fromkeys(MEASURES, 0.0), 0, []
        with variant(name):
            for _, a, kw in calls:
                tt = timetable.solve_timetable(*a, **{**kw, "spread": not args.first_fit})
                for stage in tt.stages:
                    work[stage.name] += stage.work
                unproven += tt.status != "OPTIMAL"
                digests.append(hashlib.sha256(tt.sections[["section_id", "period_id"]].to_csv().encode()).hexdigest())
        first = first or digests
        same = sum(x == y for x, y in zip(first, digests))
        print(f"| {name} | " + " | ".join(f"{work[m]:.2f}" for m in MEASURES)
              + f" | {sum(work.values()):.2f} | {unproven} | {same}/{len(calls)} |")


if __name__ == "__main__":
    main()
