"""Small elementary schools against a brute-force oracle of homerooms and IEP rotations (A7.1/A7.2 through the plan).

    .venv/bin/python bench/iep_chains.py [--schools 600] [--seed 7]

Each school: 2-4 general-education teachers of K to grade 2-5, one homeroom course for 1-4 grades (10 + 2g
students), 2-7 IEP meetings on one afternoon (13:00-14:30 starts, 30-60 minutes), lists blank (40 %), one teacher
(30 %) or two. The oracle tries every homeroom per grade to a different teacher who may teach it and every holder
per meeting (its list, else the grade's teacher) with nobody holding two overlapping meetings. Whenever it finds one,
`solve` must give a plan (no exit 3); every plan `solve` gives must pass `check` (the optimizer may also split a grade,
which the oracle does not try). Prints one line per school that breaks either, then the counts.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from itertools import permutations, product
from pathlib import Path

import pandas as pd

from vastaff import load_contract, load_district
from vastaff.check.runner import run_checks
from vastaff.io.plan import load_plan, write_plan
from vastaff.nightly import solve_nightly
from vastaff.nightly.sections import SolveSettings

TEACHER = {"school_id": "VA1", "level": "elementary", "department": "general", "role": "classroom",
           "seniority_tiebreak": 1, "credentials": "multiple_subject", "grade_min": "K", "home_region_id": "R1",
           "current_site_id": "", "work_location": "home", "ra_status": "none", "stipend_consent": "false",
           "requested_site_ids": ""}
HOMEROOM = {"school_id": "VA1", "subject": "elementary", "credential": "multiple_subject", "level": "elementary",
            "program": "general", "semester": "year"}


def school(rng: random.Random) -> tuple[dict[str, int], list[int], list[tuple]]:
    n = rng.randint(2, 4)
    ids = ["E1", "E2", "E3", "E4"][:n]
    teachers = {t: rng.choice([2, 3, 4, 5]) for t in ids}
    grades = rng.sample(range(6), rng.randint(max(1, n - 1), n))
    meetings = []
    for _ in range(rng.randint(2, 7)):
        start, r = 780 + 15 * rng.randint(0, 6), rng.random()
        names = () if r < 0.4 else tuple(sorted(rng.sample(ids, 1 if r < 0.7 else min(2, n))))
        meetings.append((rng.choice(grades), start, start + rng.choice([30, 45, 60]), names))
    return teachers, grades, meetings


def rotation_exists(teachers: dict[str, int], grades: list[int], meetings: list[tuple]) -> bool:
    for chosen in permutations(sorted(teachers), len(grades)):
        if any(g > teachers[t] for g, t in zip(grades, chosen)):
            continue
        teaching = dict(zip(grades, chosen))
        for holders in product(*[list(names) if names else [teaching[g]] for g, _, _, names in meetings]):
            if not any(holders[i] == holders[j] and meetings[i][1] < meetings[j][2] and meetings[j][1] < meetings[i][2]
                       for i in range(len(meetings)) for j in range(i + 1, len(meetings))):
                return True
    return False


def write(folder: Path, teachers: dict[str, int], grades: list[int], meetings: list[tuple]) -> Path:
    """A minimal district around one elementary school VA1 (no sites, rooms or caseload students)."""
    folder.mkdir(parents=True)
    hhmm = lambda m: f"{m // 60:02d}:{m % 60:02d}"  # noqa: E731
    tables = {
        "schools": [{"school_id": "VA1", "name": "VA1", "region_id": "R1", "levels": "elementary"}],
        "teachers": [{**TEACHER, "teacher_id": t, "name": t, "seniority_date": f"20{10 + i:02d}-08-15",
                      "grade_max": str(top)} for i, (t, top) in enumerate(teachers.items())],
        "courses": [{**HOMEROOM, "course_id": f"EL-{g}", "title": f"Grade {g}"} for g in grades],
        "demand": [{"school_id": "VA1", "course_id": f"EL-{g}", "grade": g, "students": 10 + 2 * g} for g in grades],
        "periods": [{"school_id": "VA1", "period_id": "P1", "kind": "academic", "order": 1}],
        "iep_meetings": [{"meeting_id": f"M{i}", "school_id": "VA1", "student_id": f"S{i}", "grade": g,
                          "date": "2026-09-14", "start": hhmm(s), "end": hhmm(e), "eligible_teacher_ids": ";".join(n)}
                         for i, (g, s, e, n) in enumerate(meetings)],
    }
    for name, rows in tables.items():
        pd.DataFrame(rows).to_csv(folder / f"{name}.csv", index=False)
    (folder / "regions.csv").write_text("region_id,name,x_km,y_km\nR1,North,0,0\n")
    (folder / "sites.csv").write_text("site_id,name,region_id,priority_site,status\n")
    (folder / "rooms.csv").write_text("room_id,site_id,kind,capacity,partitions\n")
    (folder / "sped_students.csv").write_text("student_id,school_id,grade\n")
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schools", type=int, default=600)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng, contract, started = random.Random(args.seed), load_contract(), time.time()
    counts = {"broken": 0, "with a rotation": 0, "without": 0}
    for _ in range(args.schools):
        teachers, grades, meetings = school(rng)
        exists = rotation_exists(teachers, grades, meetings)
        with tempfile.TemporaryDirectory() as tmp:
            district = load_district(write(Path(tmp) / "d", teachers, grades, meetings), contract)
            plan = solve_nightly(district, contract, SolveSettings(time_limit=5, processes=1))
            verdict = None
            if plan.feasible:
                write_plan(Path(tmp) / "p", plan.tables, plan.run)
                verdict = run_checks(district, load_plan(Path(tmp) / "p"), contract, None)
        if (exists and not plan.feasible) or (verdict is not None and not verdict.ok):
            counts["broken"] += 1
            print("BROKEN", teachers, grades, meetings, plan.run.get("conflicts") or verdict.violations, flush=True)
        counts["with a rotation" if exists else "without"] += 1
    summary = ", ".join(f"{k} {v}" for k, v in counts.items())
    print(f"{args.schools} schools in {time.time() - started:.0f} s: {summary}")
    return 1 if counts["broken"] else 0


if __name__ == "__main__":
    sys.exit(main())
