"""Loader benchmark: a big synthetic district (tiny_tables() replicated with new IDs), timed end to end.

    .venv/bin/python bench/load_bench.py --teachers 20000 [--schools 20] [--xlsx]

Prints one markdown table row per input: the CSV folder, the same folder with ~24% of teacher rows broken
(the error path), and with --xlsx the same district as one workbook; then how fast this machine runs Python.
"""

from __future__ import annotations

import argparse
import copy
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import tiny_tables, write_tables  # noqa: E402

from vastaff.errors import InputError  # noqa: E402
from vastaff.io.district import load_district  # noqa: E402
from vastaff.schemas.inputs import INPUT_TABLES  # noqa: E402


def big_tables(teachers: int, schools: int = 20) -> dict[str, list[dict]]:
    """`tiny_tables()` replicated: `schools` copies of VA1 (own sites, rooms, courses), teachers copied to `teachers`."""
    tiny = tiny_tables()
    per_school = -(-teachers // schools)
    out: dict[str, list[dict]] = {name: [] for name in tiny}
    out["regions"] = tiny["regions"]
    made = 0
    for s in range(1, schools + 1):
        school, site = f"VA{s}", (lambda sid: f"{sid}-{s}")
        out["schools"] += [{**r, "school_id": school} for r in tiny["schools"]]
        out["sites"] += [{**r, "site_id": site(r["site_id"]), "priority_site": "true" if s == 1 and r["priority_site"] == "true" else "false"}
                         for r in tiny["sites"]]
        out["rooms"] += [{**r, "room_id": f"{r['room_id']}-{s}", "site_id": site(r["site_id"])} for r in tiny["rooms"]]
        out["courses"] += [{**r, "course_id": f"{r['course_id']}-{s}", "school_id": school} for r in tiny["courses"]]
        out["demand"] += [{**r, "course_id": f"{r['course_id']}-{s}", "school_id": school} for r in tiny["demand"]]
        out["periods"] += [{**r, "school_id": school} for r in tiny["periods"]]
        out["sped_students"] += [{**r, "student_id": f"{r['student_id']}-{s}", "school_id": school} for r in tiny["sped_students"]]
        out["positions"] += [{**r, "school_id": school} for r in tiny["positions"]]
        copy = 0
        while made < teachers and copy * len(tiny["teachers"]) < per_school:
            for r in tiny["teachers"]:
                if made >= teachers:
                    break
                out["teachers"].append({
                    **r, "teacher_id": f"{r['teacher_id']}-{s}-{copy}", "school_id": school,
                    "seniority_tiebreak": made,
                    "current_site_id": site(r["current_site_id"]) if r["current_site_id"] else "",
                    "requested_site_ids": ";".join(site(x) for x in r["requested_site_ids"].split(";") if x),
                })
                made += 1
            copy += 1
        out["iep_meetings"] += [
            {**r, "meeting_id": f"{r['meeting_id']}-{s}", "school_id": school,
             "eligible_teacher_ids": ";".join(f"{x}-{s}-0" for x in r["eligible_teacher_ids"].split(";") if x)}
            for r in tiny["iep_meetings"]]
    return out


def write_workbook(path: Path, tables: dict[str, list[dict]]) -> Path:
    """One .xlsx workbook with a sheet per table, columns in schema order."""
    with pd.ExcelWriter(path) as xw:
        for name, rows in tables.items():
            cols = list(INPUT_TABLES[name][0].model_fields)
            pd.DataFrame(rows, columns=cols).to_excel(xw, sheet_name=name, index=False)
    return path


def _seconds(fn, repeat: int) -> float:
    """Best wall time of `repeat` runs (the machine may be shared: the best run is the least disturbed)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def _problems(path: Path) -> int:
    try:
        load_district(path)
    except InputError as exc:
        return len(exc.problems)
    return 0


def _loop_seconds() -> float:
    t0 = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - t0


def _peak_mib(fn) -> float:
    """Peak Python memory of one run, in MiB (a separate run: tracing slows Python down several times)."""
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--teachers", type=int, default=20000)
    ap.add_argument("--schools", type=int, default=20)
    ap.add_argument("--xlsx", action="store_true", help="also time one .xlsx workbook")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    tables = big_tables(args.teachers, args.schools)
    tmp = Path(tempfile.mkdtemp(prefix="vastaff-bench-"))
    try:
        data = write_tables(tmp / "data", tables)
        print(f"| input | teachers | schools | seconds (best of {args.repeat}) | peak MiB (traced) |")
        print("|---|---|---|---|---|")
        inputs = [("CSV folder", data)]
        if args.xlsx:
            inputs.append((".xlsx workbook", write_workbook(tmp / "district.xlsx", tables)))
        bad = copy.deepcopy(tables)
        for i, row in enumerate(bad["teachers"]):
            if i % 10 == 0:
                row["level"] = "elem"
            if i % 7 == 0:
                row["requested_site_ids"] = "NOWHERE"
        bad_dir = write_tables(tmp / "bad", bad)
        seconds = _seconds(lambda: _problems(bad_dir), args.repeat)
        print(f"| CSV folder, {_problems(bad_dir)} problems | {len(bad['teachers'])} | {len(bad['schools'])} | {seconds:.2f} | - |")
        for what, path in inputs:
            district = load_district(path)
            assert len(district.teachers) == args.teachers, len(district.teachers)
            seconds = _seconds(lambda: load_district(path), args.repeat)
            peak = _peak_mib(lambda: load_district(path))
            print(f"| {what} | {len(district.teachers)} | {len(district.schools)} | {seconds:.2f} | {peak:.0f} |")
        print(f"\nmachine: a 10-million-step Python loop takes {_loop_seconds():.2f} s (about 0.4 s on an idle laptop)")
        print(f"command: .venv/bin/python bench/load_bench.py --teachers {args.teachers} --schools {args.schools}"
              + (" --xlsx" if args.xlsx else ""))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
