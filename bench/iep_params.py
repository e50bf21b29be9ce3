"""The IEP rotation's CP-SAT parameters (`people/iep/cpsat.py` `rotation_solver`) compared on whole districts.

Usage:  .venv/bin/python bench/iep_params.py DATA [DATA ...] [--level N ...]

Plans each DATA's sections once (`nightly.sections.plan_sections`, 2 processes, seed 0), then rotates its IEP
meetings (`assign_iep_meetings`, the 2 s the nightly run gives it) once per LP linearization level (default: 1, the
CP-SAT default, and 2, the shipped one). Prints per DATA and level: seconds, status, how many groups went to CP-SAT,
and a digest of the assignments — equal digests mean the same rotation.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

import vastaff.people.iep.cpsat as iep_cpsat
import vastaff.people.iep.rotation as rotation
from vastaff.contract import load_contract
from vastaff.io.district import load_district
from vastaff.nightly.sections import SolveSettings, plan_sections
from vastaff.people.iep import assign_iep_meetings


def rotate(district, contract, plan, level: int) -> tuple[float, str, int, str]:
    """(seconds, status, groups searched by CP-SAT, digest) of the rotation with the LP at `level`."""
    make, search, searched = iep_cpsat.rotation_solver, rotation.cpsat_rotation, [0]

    def solver(seed, seconds):
        made = make(seed, seconds)
        made.parameters.linearization_level = level
        return made

    def counted(*args, **kwargs):
        searched[0] += 1
        return search(*args, **kwargs)

    iep_cpsat.rotation_solver, rotation.cpsat_rotation = solver, counted
    try:
        began = time.perf_counter()
        result = assign_iep_meetings(district, contract, plan.sections, plan.section_grades, seed=0, time_limit=2.0)
        seconds = time.perf_counter() - began
    finally:
        iep_cpsat.rotation_solver, rotation.cpsat_rotation = make, search
    digest = hashlib.sha256(result.assignments.to_csv(index=False).encode()).hexdigest()[:8]
    return seconds, result.status, searched[0], digest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="+", type=Path)
    ap.add_argument("--level", nargs="+", type=int, default=[1, 2])
    args = ap.parse_args()
    contract = load_contract()
    print("| district | level | seconds | status | groups to CP-SAT | rotation |")
    print("|---|---|---|---|---|---|")
    for data in args.data:
        district = load_district(data, contract)
        plan = plan_sections(district, contract, SolveSettings(time_limit=20, seed=0, processes=2))
        for level in args.level:
            seconds, status, searched, digest = rotate(district, contract, plan, level)
            print(f"| {data.name} | {level} | {seconds:.3f} | {status} | {searched} | {digest} |", flush=True)


if __name__ == "__main__":
    main()
