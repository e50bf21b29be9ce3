"""The live-group floor's pair search on large teachers: worst seconds over random instances, optimizer and checker.

Usage:  .venv/bin/python bench/pair_floor.py [--sizes 12 16 20 24] [--labels 1 2 3] [--instances 5]

For each number of sections and of subjects: `instances` random teachers (sizes 5-35, half `year`, a fifth holding a
singleton grade), every section paired (`pairs` = sections / 2, a quarter of them year pairs at most) — the worst case
of a school whose periods are all doubled. Prints the worst seconds of `sections.pair_floor.lightest_heaviest_pair`
(the optimizer's floor) and of `check.timetable._lightest_limit` (the checker's twin), and whether they agree.
"""

from __future__ import annotations

import argparse
import random
import time

from vastaff.check.timetable import _lightest_limit
from vastaff.sections.pair_floor import Meeting, lightest_heaviest_pair


def instance(n: int, labels: int, seed: int) -> list[Meeting]:
    rng = random.Random(seed)
    return [Meeting(f"L{rng.randrange(labels)}", rng.random() < 0.5, rng.randrange(5, 36),
                    frozenset({rng.randrange(9, 13)}) if rng.random() < 0.2 else frozenset()) for _ in range(n)]


def timed(fn, *args) -> tuple[object, float]:
    start = time.perf_counter()
    value = fn(*args)
    return value, time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[12, 16, 20, 24])
    ap.add_argument("--labels", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--instances", type=int, default=5)
    args = ap.parse_args()
    print("| sections | subjects | optimizer worst s | checker worst s | agree |")
    print("|---|---|---|---|---|")
    for n in args.sizes:
        for labels in args.labels:
            worst_o = worst_c = 0.0
            agree = True
            for seed in range(args.instances):
                meetings = instance(n, labels, seed)
                mine, t_o = timed(lightest_heaviest_pair, meetings, n // 2, n // 4)
                twin, t_c = timed(_lightest_limit, [(m.label, m.year, m.enrollment, m.alone_in) for m in meetings],
                                  n // 2, n // 4)
                worst_o, worst_c, agree = max(worst_o, t_o), max(worst_c, t_c), agree and mine == twin
            print(f"| {n} | {labels} | {worst_o:.3f} | {worst_c:.3f} | {'yes' if agree else 'NO'} |", flush=True)


if __name__ == "__main__":
    main()
