"""The nightly run as it is used: last night's plan as `--previous`, tonight's data a little different.

Usage:  .venv/bin/python bench/second_night.py DATA [DATA ...] [--changes 0 6 30] [--leavers 0 1] [--seed 1]
                                                [--no-report]

Per data folder: night 1 is `vastaff solve DATA --out N1 --seed 0` (with reports unless --no-report); then per
number K of `--changes` and L of `--leavers`, tonight's data is DATA with K demand rows (of more than 4 students)
changed by -3..+3 students and L secondary classroom teachers gone (their rows of teachers.csv and matrix.csv, and
their IDs in meeting_requests.csv's audiences — a request for them alone goes too — and iep_meetings.csv's eligible
lists; `random.Random(seed)`; K = L = 0: the same data), solved with `--previous N1` and checked by `vastaff check`
with the same `--previous` (A12).
One markdown row per night 2: the whole command's seconds (`time.perf_counter` around the child process), status,
the stages not proven, vacancies, teachers in changes.csv by kind, the timetable's period changes, the sections
whose teacher, students or period differ from night 1's (by section_id), and the checker's violations.
Everything is written under bench/out/second-night/.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import random
import shutil
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ladder import OUT, run  # noqa: E402  (bench scripts run as files)

WORK = OUT / "second-night"


def tonight(data: Path, k: int, leavers: int, seed: int) -> Path:
    """DATA with k demand rows changed by -3..+3 students (at least 1 left) and `leavers` secondary classroom
    teachers gone, written next to the runs."""
    out = WORK / f"{data.name}-k{k}-l{leavers}-s{seed}"
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(data, out)
    rng = random.Random(seed)
    demand = read(out / "demand.csv")
    for row in rng.sample([r for r in demand if int(r["students"]) > 4], k):
        row["students"] = str(max(1, int(row["students"]) + rng.choice([-3, -2, -1, 1, 2, 3])))
    write(out / "demand.csv", demand)
    teachers = read(out / "teachers.csv")
    secondary = [r["teacher_id"] for r in teachers if r["level"] != "elementary" and r["role"] == "classroom"]
    gone = set(rng.sample(secondary, leavers))
    write(out / "teachers.csv", [r for r in teachers if r["teacher_id"] not in gone])
    for name, column in (("matrix.csv", None), ("meeting_requests.csv", "audience"),
                         ("iep_meetings.csv", "eligible_teacher_ids")):
        if (out / name).exists():
            rows = read(out / name)
            if column is None:
                rows = [r for r in rows if r["teacher_id"] not in gone]
            for r in rows if column else ():
                r[column] = ";".join(t for t in r[column].split(";") if t and t not in gone)
            if name == "meeting_requests.csv":  # a request for the leavers alone has no audience left: gone too
                rows = [r for r in rows if r[column]]
            write(out / name, rows)
    return out


def read(path: Path) -> list[dict]:
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def write(path: Path, rows: list[dict]) -> None:
    with open(path, newline="") as f:
        header = next(csv.reader(f))
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def solve(data: Path, plan: Path, extra: list[str]) -> tuple[float, dict | None, str]:
    """`vastaff solve` in a child process: wall seconds, run.json (None without a plan) and the last stderr line."""
    shutil.rmtree(plan, ignore_errors=True)
    wall, _, proc = run(["solve", str(data), "--out", str(plan), "--seed", "0", *extra])
    run_json = json.loads((plan / "run.json").read_text()) if proc.returncode == 0 else None
    return wall, run_json, (proc.stderr.strip().splitlines() or [""])[-1]


def moved_sections(before: Path, after: Path) -> int:
    """Sections (by section_id) whose teacher, enrollment or period differ between two plans, or only in one."""
    def rows(plan: Path) -> dict[str, tuple]:
        with open(plan / "sections.csv", newline="") as f:
            return {r["section_id"]: (r["teacher_id"], r["enrollment"], r["period_id"]) for r in csv.DictReader(f)}
    a, b = rows(before), rows(after)
    return sum(a.get(s) != b.get(s) for s in set(a) | set(b))


def unproven(r: dict) -> str:
    """The section stages with a school not proven, and the periods' status."""
    stages = [name for name, total in r["objective_stages"].items() if total["optimal_parts"] != total["parts"]]
    periods = r["periods"]["status"] if r.get("periods") else "-"
    return (", ".join(stages) or "none") + f"; periods {periods}"


def changed(plan: Path) -> str:
    """changes.csv's teachers by kind."""
    with open(plan / "changes.csv", newline="") as f:
        kinds = Counter(r["what"] for r in csv.DictReader(f))
    return ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())) or "none"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="+", type=Path)
    ap.add_argument("--changes", nargs="+", type=int, default=[0, 6, 30], help="demand rows changed tonight")
    ap.add_argument("--leavers", nargs="+", type=int, default=[0], help="secondary teachers gone tonight")
    ap.add_argument("--seed", type=int, default=1, help="which rows change, and by how much")
    ap.add_argument("--no-report", action="store_true", help="solve without plan.xlsx and report.html")
    args = ap.parse_args()
    extra = ["--no-report"] if args.no_report else []
    WORK.mkdir(parents=True, exist_ok=True)
    print("| data | rows changed | teachers gone | night 1 s | night 2 s | status | not proven | vacancies | "
          "teachers changed | period changes | sections differing | violations |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for data in args.data:
        first = WORK / f"{data.name}-night1"
        wall1, r1, err = solve(data, first, extra)
        if r1 is None:
            print(f"| {data.name} | — | — | night 1 failed: {err} |")
            continue
        for k, gone in itertools.product(args.changes, args.leavers):
            today = data if k == gone == 0 else tonight(data, k, gone, args.seed)
            plan = WORK / f"{data.name}-k{k}-l{gone}-night2"
            wall, r, err = solve(today, plan, [*extra, "--previous", str(first)])
            if r is None:
                print(f"| {data.name} | {k} | {gone} | {wall1:.1f} | {wall:.1f} | failed: {err} |")
                continue
            _, _, check = run(["check", str(today), str(plan), "--previous", str(first), "--json"])
            found = json.loads(check.stdout)["violations"] if check.stdout.strip() else None
            violations = len(found) if found is not None else f"? ({check.returncode})"
            period_changes = r["periods"]["period_changes"] if r.get("periods") else "-"
            print(f"| {data.name} | {k} | {gone} | {wall1:.1f} | {wall:.1f} | {r['status']} | {unproven(r)} | "
                  f"{r['vacancies']['count']} | {changed(plan)} | {period_changes} | {moved_sections(first, plan)} | "
                  f"{violations} |", flush=True)


if __name__ == "__main__":
    main()
