"""CP-SAT parameters of the section stages, compared on whole schools: each stage's seconds, its presolve's share and
whether the values and the plans stay the same.

Usage:  .venv/bin/python bench/stage_params.py DATA [DATA ...] [--variant NAME=JSON ...] [--repeat N]

Solves every school of each DATA in this process (`cpsat.solver.solve_school` from the clerk's fill, as a worker
does, 20 deterministic seconds, seed 0) once per variant and repeat, the variants alternating so that a slower
minute of the machine hits them alike. A variant is `cpsat/solver.py` `STAGE_PARAMS` with some stages' parameters
replaced, e.g. `--variant 'vac-default={"vacancies": {"linearization_level": 2}}'`; `current` (the shipped
parameters) always runs. Prints, per DATA, variant and repeat: the seconds of each stage summed over the schools
(deterministic seconds in brackets), the seconds CP-SAT spent before its search started (presolve and loading, read
from its log) against all its seconds, a digest of every stage's value and status, and a digest of the plans' counts.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import re
import time
from collections import Counter
from pathlib import Path

import vastaff.cpsat.solver as solver
from vastaff.contract import load_contract
from vastaff.io.district import load_district
from vastaff.nightly.school import clerk_fill
from vastaff.sections.problem import school_problems

SHIPPED = copy.deepcopy(solver.STAGE_PARAMS)


class PresolveClock:
    """Wraps `cpsat.solver.cp_solver`: every solver it makes logs to a callback that notes when the search starts."""

    def __init__(self):
        self.before_search = self.total = 0.0
        self._make = solver.cp_solver

    def __enter__(self):
        solver.cp_solver = self._solver
        return self

    def __exit__(self, *exc):
        solver.cp_solver = self._make

    def _solver(self, *args):
        made = self._make(*args)
        made.parameters.log_search_progress, made.parameters.log_to_stdout = True, False
        started = []
        made.log_callback = lambda line: started.extend(re.findall(r"^Starting search at ([0-9.]+)s", line))
        solve = made.solve

        def timed(model, *a, **k):
            began = time.perf_counter()
            status = solve(model, *a, **k)
            seconds = time.perf_counter() - began
            self.total += seconds
            self.before_search += float(started[0]) if started else seconds
            return status

        made.solve = timed
        return made


def run(problems, starts, contract, params: dict) -> dict:
    """Every school solved under `params`: stage seconds and work, presolve share, digests."""
    solver.STAGE_PARAMS = params
    seconds, work, values, plans = Counter(), Counter(), [], []
    with PresolveClock() as clock:
        for p, start in zip(problems, starts):
            found = solver.solve_school(p, contract, solver.SolveOptions(time_limit=20, seed=0), start)
            for stage in found.stages:
                seconds[stage.name] += stage.seconds
                work[stage.name] += stage.work
            values.append([(s.name, s.value, s.status) for s in found.stages])
            plans.append(found.takes.to_csv(index=False) + found.opened.to_csv(index=False))
    solver.STAGE_PARAMS = SHIPPED
    return {"stages": {k: (round(seconds[k], 3), round(work[k], 3)) for k in seconds},
            "before_search": round(clock.before_search, 3), "cp_sat": round(clock.total, 3),
            "values": _digest(repr(values)), "plans": _digest("".join(plans))}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="+", type=Path)
    ap.add_argument("--variant", action="append", default=[], help="NAME=JSON: stage -> CP-SAT parameters")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    variants = {"current": SHIPPED}
    for spec in args.variant:
        name, _, text = spec.partition("=")
        variants[name] = {**SHIPPED, **json.loads(text)}
    contract = load_contract()
    for data in args.data:
        problems = school_problems(load_district(data, contract), contract)
        starts = [clerk_fill(p, contract) for p in problems]
        for repeat in range(args.repeat):
            for name, params in variants.items():
                r = run(problems, starts, contract, params)
                stages = ", ".join(f"{k} {s} ({w})" for k, (s, w) in r["stages"].items())
                print(f"{data.name} | {name} | {repeat + 1} | {stages} | before search {r['before_search']} of "
                      f"{r['cp_sat']} s | values {r['values']} | plans {r['plans']}", flush=True)


if __name__ == "__main__":
    main()
