"""CP-SAT parameters of the period stages, compared on the stage models one district's solve really builds.

Usage:  .venv/bin/python bench/period_params.py DATA [--time-limit S]

Solves every school of DATA in this process (as a worker would, `nightly.school.solve_one`) and keeps each period
stage's model as CP-SAT got it (objective, bounds of the stages before, hint); then solves each kept model again under
each parameter variant below, one worker, stopping at the stage's a-priori floor, at most `--time-limit` seconds.
Prints one row per model and the total wall seconds per variant, and the models where a variant ends worse than the
default. The parameters of `cpsat/timetable.py` `STAGE_ATTEMPTS` were chosen from these variants, their order and
caps from `bench/period_attempts.py` (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import time

from ortools.sat.python import cp_model

import vastaff.cpsat.timetable as timetable
from vastaff.contract import load_contract
from vastaff.cpsat.search_tools import StopAtFloor
from vastaff.cpsat.solver import SolveOptions
from vastaff.io.district import load_district
from vastaff.nightly.school import solve_one
from vastaff.sections.problem import school_problems

VARIANTS = {"default": {}, "no symmetry": {"symmetry_level": 0}, "one presolve round": {"max_presolve_iterations": 1},
            "both": {"symmetry_level": 0, "max_presolve_iterations": 1}}


def kept_models(data: str) -> list[tuple[str, str, int, cp_model.CpModel]]:
    """(school, stage, floor, a copy of the model) of every period stage searched while solving `data`."""
    kept, school = [], [""]
    search = timetable._search

    def keeping(tm, name, floor, best, options, clock, last):
        tm.model.minimize(tm.stages[name])
        if best is not None:
            tm.vars.hint(tm.model, best)
        kept.append((school[0], name, floor, tm.model.clone()))
        return search(tm, name, floor, best, options, clock, last)

    timetable._search = keeping
    contract = load_contract()
    for p in school_problems(load_district(data, contract), contract):
        school[0] = p.school_id
        solve_one(p, contract, SolveOptions(time_limit=8.0), {})
    timetable._search = search
    return kept


def solve(model: cp_model.CpModel, floor: int, params: dict, seconds: float) -> tuple[str, float, float]:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers, solver.parameters.max_time_in_seconds = 1, seconds
    for key, value in params.items():
        setattr(solver.parameters, key, value)
    began = time.perf_counter()
    status = solver.solve(model, StopAtFloor(floor))
    value = solver.objective_value if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else float("inf")
    return solver.status_name(status), value, time.perf_counter() - began


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--time-limit", type=float, default=15.0)
    args = ap.parse_args()
    totals, worse = dict.fromkeys(VARIANTS, 0.0), []
    print("| school | stage | floor | " + " | ".join(VARIANTS) + " |")
    print("|---|---|---|" + "---|" * len(VARIANTS))
    for school, stage, floor, model in kept_models(args.data):
        extra = {"linearization_level": 0} if stage == "grade_peak_excess" else {}  # the stage's LP setting
        got = {k: solve(model, floor, {**extra, **v}, args.time_limit) for k, v in VARIANTS.items()}
        for k, (_, value, seconds) in got.items():
            totals[k] += seconds
            if value > got["default"][1]:
                worse.append((school, stage, k))
        print(f"| {school} | {stage} | {floor} | " + " | ".join(f"{s} {v:g} in {t:.2f} s" for s, v, t in got.values())
              + " |")
    print("\ntotal s: " + ", ".join(f"{k} {t:.1f}" for k, t in totals.items()))
    print("worse than the default: " + (", ".join(f"{s} {st} ({k})" for s, st, k in worse) or "none"))


if __name__ == "__main__":
    main()
