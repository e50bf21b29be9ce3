"""Benchmark ladder for `vastaff solve`: generator instances by fixed seed, optimizer vs. the clerk's greedy fill,
and (with --mip) vs. an exact HiGHS model of the same section rules (bench/mip_peer.py).

Usage:  .venv/bin/python bench/ladder.py [--sizes 60 300 1000 5000 20000] [--time-limit S] [--seed 1 [2 ...]]
                                         [--profile standard|tight] [--mip [--mip-time-limit S]]

For each size and seed: generate (into bench/out/), solve with CP-SAT and with --method greedy in a fresh
process each, run the independent checker, and print one table row: teachers, sections, wall time, status,
objective, bound, gap, vacancies, greedy cost and vacancies, checker violations, peak memory (MiB).
`--profile tight` districts force money in one school (generate/tight.py) and know its optimum, which the money
table prints beside vastaff's and the MIP's (with --mip): value / bound, status and seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
VASTAFF = [sys.executable, "-m", "vastaff"]
MIP_PEER = [sys.executable, str(ROOT / "bench" / "mip_peer.py")]


def run(args: list[str], command: list[str] = VASTAFF) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run a vastaff command (or another `command`) in a child process; wall seconds and the child's peak RSS (MiB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run([*command, *args], capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024, proc


def instance(n: int, seed: int, profile: str = "standard") -> Path:
    """The data folder of a size, seed and profile under bench/out/, generated once; a `tight` one has a note
    beside it, `<folder>.known.json`, with the money optimum known by construction."""
    if profile == "standard":
        path = OUT / f"district-{n}-s{seed}"
        if not path.exists():
            wall, _, proc = run(["generate", str(path), "--teachers", str(n), "--seed", str(seed)])
            if proc.returncode != 0:
                sys.exit(proc.stderr)
        return path
    path = OUT / f"district-{profile}-{n}-s{seed}"
    if not path.exists() or not known_path(path).exists():
        from vastaff.generate import build_district, write_district  # the library: the known optimum comes with it

        g = build_district(n, seed, profile=profile)
        write_district(g.tables, path, force=True)
        known_path(path).write_text(json.dumps({"profile": profile, "teachers": n, "seed": seed,
                                                "known_money": g.known_money,
                                                "known_total": sum(g.known_money.values())}, indent=1) + "\n")
    return path


def known_path(data: Path) -> Path:
    return data.with_name(data.name + ".known.json")


def known_total(data: Path) -> float | None:
    """The district's money optimum known by construction (tight profile), else None."""
    note = known_path(data)
    return json.loads(note.read_text())["known_total"] if note.exists() else None


def digest(path: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(path.glob("*.csv")):
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[60, 300, 1000, 5000, 20000])
    ap.add_argument("--time-limit", type=float, default=None, help="default: vastaff solve's own (30 s + 1 s per 50 "
                                                                   "teachers, at most 540 s)")
    ap.add_argument("--seed", type=int, nargs="+", default=[1], help="one row per size and seed")
    ap.add_argument("--profile", choices=["standard", "tight"], default="standard",
                    help="generator profile; tight forces money in one school and knows its optimum")
    ap.add_argument("--mip", action="store_true", help="also solve each instance with the HiGHS peer (mip_peer.py)")
    ap.add_argument("--mip-time-limit", type=float, default=120.0, help="HiGHS wall seconds per school and stage")
    args = ap.parse_args()
    header = ("| teachers | seed | instance | sections | limit s | wall s | status | objective $ | bound $ | gap | "
              "vacancies | greedy $ | greedy vacancies | greedy s | check violations | peak MiB |")
    print(header)
    print("|" + "|".join(["---"] * (header.count("|") - 1)) + "|")
    runs = []
    for n in args.sizes:
        for seed in args.seed:
            data = instance(n, seed, args.profile)
            solved = solve_row(n, seed, data, args.time_limit)
            if solved is not None:
                runs.append((n, seed, data, *solved))
    print_stages([(n, seed, r) for n, seed, _, r, _, _ in runs])
    print_periods([(n, seed, r, g) for n, seed, _, r, _, g in runs])
    if args.mip or args.profile != "standard":
        print_money([(n, seed, data, r, wall, mip(data, args.mip_time_limit) if args.mip else None)
                     for n, seed, data, r, wall, _ in runs])


def solve_row(n: int, seed: int, data: Path, time_limit: float | None) -> tuple[dict, float, dict | None] | None:
    """Solve (CP-SAT and greedy) and check one instance, print its row; run.json, the solve's wall seconds and the
    greedy run.json (None when the clerk's fill has no plan)."""
    limit = ["--time-limit", str(time_limit)] if time_limit else []
    plan = OUT / f"plan-{data.name.removeprefix('district-')}"
    wall, peak, proc = run(["solve", str(data), "--out", str(plan), *limit, "--seed", "0"])
    if proc.returncode != 0:
        print(f"| {n} | {seed} | solve failed: {proc.stderr.strip()[:200]} |")
        return None
    r = json.loads((plan / "run.json").read_text())
    gplan = OUT / f"greedy-{data.name.removeprefix('district-')}"
    gwall, _, gproc = run(["solve", str(data), "--out", str(gplan), "--method", "greedy"])
    g = None
    if gproc.returncode == 0:
        g = json.loads((gplan / "run.json").read_text())
        greedy = f"{g['objective']:,.0f} | {g['vacancies']['count']}"
    else:  # no plan (e.g. the clerk's fill leaves an IEP meeting no teacher): its reason is in OUT.infeasible.json
        greedy = f"{gproc.returncode == 3 and 'INFEASIBLE' or 'failed'} | —"
    _, _, check = run(["check", str(data), str(plan), "--json"])
    try:
        violations = len(json.loads(check.stdout)["violations"])
    except (json.JSONDecodeError, KeyError):
        violations = f"? ({check.returncode})"
    sections = sum(1 for _ in open(plan / "sections.csv")) - 1
    print(f"| {n} | {seed} | {digest(data)} | {sections} | {r['time_limit']:.0f} | {wall:.1f} | {r['status']} | "
          f"{r['objective']:,.0f} | "
          f"{r['best_bound']:,.0f} | {r['gap']:.4f} | {r['vacancies']['count']} | {greedy} | "
          f"{gwall:.1f} | {violations} | {peak:,.0f} |", flush=True)
    return r, wall, g


def mip(data: Path, time_limit: float) -> dict:
    """The HiGHS peer on one data folder, in a child process: per-school results, summed, and its wall seconds."""
    wall, _, proc = run([str(data), "--json", "--time-limit", str(time_limit)], MIP_PEER)
    if proc.returncode != 0:
        return {"status": f"failed: {proc.stderr.strip()[-120:]}", "wall": wall}
    schools = json.loads(proc.stdout.strip().splitlines()[-1])
    proved = all(s["status"] == "OPTIMAL" for s in schools)
    return {"status": "OPTIMAL" if proved else ",".join(sorted({s["status"] for s in schools} - {"OPTIMAL"})),
            "vacancies": sum(s["vacancies"] for s in schools), "money": sum(s["money"] for s in schools),
            "bound": sum(s["money_bound"] for s in schools), "seconds": sum(s["seconds"] for s in schools),
            "slowest": max(s["seconds"] for s in schools), "wall": wall}


def print_money(rows: list[tuple[int, int, Path, dict, float, dict | None]]) -> None:
    """vastaff's money stage against the optimum known by construction (tight) and the MIP peer (--mip)."""
    print("\n| teachers | seed | known $ | vastaff wall s | vastaff status | vacancies | money $ (value / bound) | "
          "MIP status | MIP vacancies | MIP money $ (value / bound) | MIP solve s (slowest school) | MIP wall s | "
          "agree |")
    print("|" + "|".join(["---"] * 13) + "|")
    for n, seed, data, r, wall, m in rows:
        known = known_total(data)
        stages = r["objective_stages"]
        vac, money = stages.get("vacancies", {}), stages.get("money", {"value": 0.0, "bound": 0.0})
        cells = [f"{n}", f"{seed}", "–" if known is None else f"{known:,.0f}", f"{wall:.1f}", r["status"],
                 f"{vac.get('value', 0):.0f}", f"{money['value']:,.0f} / {money['bound']:,.0f}"]
        if m is None or "money" not in m:
            cells += [m["status"] if m else "–"] + ["–"] * 4
        else:
            cells += [m["status"], f"{m['vacancies']:.0f}", f"{m['money']:,.0f} / {m['bound']:,.0f}",
                      f"{m['seconds']:.1f} ({m['slowest']:.1f})", f"{m['wall']:.1f}"]
        values = {money["value"]} | ({known} if known is not None else set()) | (
            {m["money"]} if m and "money" in m else set())
        cells.append("yes" if len(values) == 1 else "NO")
        print("| " + " | ".join(cells) + " |", flush=True)


def print_stages(runs: list[tuple[int, int, dict]]) -> None:
    """Per objective stage (run.json): value / bound summed over schools, schools proved optimal / schools."""
    names = list(dict.fromkeys(name for _, _, r in runs for name in r["objective_stages"]))
    print("\n| teachers | seed | " + " | ".join(names) + " | IEP rotation | solve's own wall s |")
    print("|" + "|".join(["---"] * (len(names) + 4)) + "|")
    for n, seed, r in runs:
        cells = []
        for name in names:
            st = r["objective_stages"].get(name)
            gap = (st["value"] - st["bound"]) / st["value"] if st and st["value"] else 0.0
            cells.append("–" if st is None else f"{st['value']:,.0f} / {st['bound']:,.0f}"
                         f"{f' ({gap:.1%})' if gap else ''}, {st['optimal_parts']}/{st['parts']}")
        iep = r.get("people", {}).get("iep", {}).get("status", "–")
        print(f"| {n} | {seed} | " + " | ".join(cells) + f" | {iep} | {r['wall_seconds']:.1f} |", flush=True)


def print_periods(runs: list[tuple[int, int, dict, dict | None]]) -> None:
    """The timetable (run.json `periods`): optimizer / floor / clerk's first-fit (--method greedy) per measure, how
    many schools proved every measure, and the period stage's seconds (all schools, and the slowest)."""
    print("\n| teachers | seed | doubled (vastaff / floor / greedy) | singleton clashes (vastaff / floor / greedy) | "
          "grade-peak excess (vastaff / greedy) | max live students (vastaff / floor / greedy) | "
          "class average per teacher | schools proved | period stage s (slowest school) |")
    print("|" + "|".join(["---"] * 9) + "|")
    for n, seed, r, g in runs:
        p, gp = r.get("periods") or {}, (g or {}).get("periods") or {}
        if not p:
            continue
        proved = sum(s["status"] == "OPTIMAL" for s in p["schools"].values())
        seconds = [sum(v for k, v in stages.items() if k.startswith("periods."))
                   for stages in r["timing"]["stage_seconds"].values()]
        print(f"| {n} | {seed} | {p['doubled']} / {p['doubled_floor']} / {gp.get('doubled', '–')} | "
              f"{p['singleton_clashes']} / {p['singleton_floor']} / {gp.get('singleton_clashes', '–')} | "
              f"{p['grade_peak_excess']} / {gp.get('grade_peak_excess', '–')} | "
              f"{p['max_live_students']} / {p['max_live_floor']} / {gp.get('max_live_students', '–')} | "
              f"{p['teacher_mean_class_min']:.1f}–{p['teacher_mean_class_max']:.1f} | {proved}/{len(p['schools'])} | "
              f"{sum(seconds):.1f} ({max(seconds, default=0):.1f}) |", flush=True)


if __name__ == "__main__":
    main()
