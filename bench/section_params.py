"""The section stages' CP-SAT parameters (`cpsat/solver.py` `STAGE_PARAMS`) against CP-SAT's defaults.

Usage:  .venv/bin/python bench/section_params.py {committed,default} DIR [DIR ...]

Solves the section stages (vacancies, money, preferences, matrix) of every school of each DIR in this process, from
the clerk's fill as a worker does, 10 deterministic seconds per school, seed 0; prints per stage the wall and
deterministic seconds summed over the schools, and every stage that ended unproven. Run the two variants side by side
(they then slow each other alike) or one after the other on a quiet machine.
"""

from __future__ import annotations

import argparse

import vastaff.cpsat.solver as solver
from vastaff.contract import load_contract
from vastaff.cpsat.solver import SolveOptions, solve_school
from vastaff.io.district import load_district
from vastaff.nightly.school import clerk_fill
from vastaff.sections.problem import school_problems


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("variant", choices=["committed", "default"])
    ap.add_argument("data", nargs="+")
    args = ap.parse_args()
    if args.variant == "default":
        solver.STAGE_PARAMS.clear()
    contract, totals, unproven = load_contract(), {}, []
    for folder in args.data:
        for p in school_problems(load_district(folder, contract), contract):
            solution = solve_school(p, contract, SolveOptions(time_limit=10.0, seed=0), clerk_fill(p, contract))
            for stage in solution.stages:
                total = totals.setdefault(stage.name, [0.0, 0.0])
                total[0] += stage.seconds
                total[1] += stage.work
                if stage.status != "OPTIMAL":
                    unproven.append(f"{folder} {p.school_id} {stage.name}: {stage.value:g} (bound {stage.bound:g})")
    print("| variant | stage | wall s | deterministic s |\n|---|---|---|---|")
    for stage, (wall, work) in totals.items():
        print(f"| {args.variant} | {stage} | {wall:.1f} | {work:.2f} |")
    print("unproven: " + ("; ".join(unproven) or "none"))


if __name__ == "__main__":
    main()
