"""The spread start (`sections/spread.py`) against the floors and the clerk's first-fit packing, school by school.

Usage:  .venv/bin/python bench/spread.py DIR [DIR ...]

Solves each school's sections as a worker would (the clerk's fill, the CP-SAT section stages, decoding, the per-teacher
class split; 10 deterministic seconds), then times the spread and prints, per school, the floors and the first-fit and
spread values of doubled periods, singleton clashes, grade-peak excess and the largest live group. A school whose
spread holds every measure at its floor needs no period search at all.
"""

from __future__ import annotations

import argparse
import time

from vastaff.contract import load_contract
from vastaff.cpsat.solver import SolveOptions, solve_school
from vastaff.io.district import load_district
from vastaff.nightly.class_split import split_by_teacher
from vastaff.nightly.school import clerk_fill
from vastaff.sections.decode import decode_school, first_fit
from vastaff.sections.problem import school_problems
from vastaff.sections.spread import spread_periods
from vastaff.sections.timetable_figures import floors, measures, period_data

SHOWN = ("doubled", "singleton_clashes", "grade_peak_excess", "max_live_students")


def school_rows(path: str, contract) -> list[tuple]:
    district = load_district(path, contract)
    rows = []
    for p in school_problems(district, contract):
        solution = solve_school(p, contract, SolveOptions(time_limit=10.0, seed=0), clerk_fill(p, contract))
        decoded = decode_school(p, solution.takes, solution.opened, solution.seats, contract, {})
        decoded = split_by_teacher(p, solution, decoded, contract, 0)
        data = period_data(decoded.sections, decoded.section_grades, p.courses, p.period_ids, {})
        if data.meetings.empty:
            continue
        low = floors(data, contract)
        began = time.perf_counter()
        spread = spread_periods(data, contract, low)
        seconds = time.perf_counter() - began
        clerk = measures(data.assigned(first_fit(data, contract)))
        got = measures(data.assigned(spread)) if spread is not None else None
        rows.append((p.school_id, len(data.sections()), [low[m] for m in SHOWN], [clerk[m] for m in SHOWN],
                     [got[m] for m in SHOWN] if got else None, seconds))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="+")
    args = parser.parse_args()
    contract = load_contract()
    print("| district | school | sections | floors (doubled, clashes, peak, live) | first-fit | spread "
          "| at every floor | spread s |")
    print("|---|---|---|---|---|---|---|---|")
    for path in args.data:
        for school, n, low, clerk, got, seconds in school_rows(path, contract):
            at_floor = got is not None and all(g <= f for g, f in zip(got, low))
            print(f"| {path} | {school} | {n} | {low} | {clerk} | {got} | {'yes' if at_floor else 'no'} | "
                  f"{seconds:.2f} |")


if __name__ == "__main__":
    main()
