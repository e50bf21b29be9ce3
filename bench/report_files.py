"""Time the files for people on one plan, the way `vastaff solve` and `vastaff report` make them.

Usage:  .venv/bin/python bench/report_files.py DATA PLAN

Prints two markdown rows:
- steps one after the other in this process: the checker, the per-teacher why (work locations given, as a solve
  has them), plan.xlsx, report.html;
- `files_for_people` as solve calls it: the workbook's big sheets in a forked process while this one runs the checker,
  the why and the page (report/parallel.py) — the number the target is about;
- `files_for_people` as `solve --no-report` calls it (the checker and the two CSV tables, which every solve makes),
  and the difference: what the reports themselves cost.
"""

from __future__ import annotations

import resource
import sys
import time

from vastaff.contract import load_contract
from vastaff.io.district import load_district
from vastaff.io.plan import load_plan
from vastaff.people.location import assign_locations
from vastaff.report.context import report_context
from vastaff.report.files import files_for_people
from vastaff.report.html import report_html
from vastaff.report.why import explain_all
from vastaff.report.workbook import plan_workbook


def timed(step, *args):
    start = time.perf_counter()
    value = step(*args)
    return value, time.perf_counter() - start


def main() -> None:
    data, plan_dir = sys.argv[1:3]
    contract = load_contract()
    (district, plan), load_s = timed(lambda: (load_district(data, contract), load_plan(plan_dir)))
    locations = assign_locations(district, contract, district.previous)
    ctx, check_s = timed(report_context, district, plan, contract)
    why, why_s = timed(explain_all, ctx, locations)
    book, book_s = timed(plan_workbook, ctx)
    page, html_s = timed(report_html, ctx, why)
    (files, _), together_s = timed(files_for_people, district, plan, contract, None, True, locations)
    _, tables_s = timed(files_for_people, district, plan, contract, None, False, locations)
    assert files["plan.xlsx"] == book, "the forked workbook differs from the one written here"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| teachers | sections | load s | checker s | why s | plan.xlsx s | report.html s | one after the other s | "
          "as solve makes them s | --no-report s | the reports' own s | plan.xlsx MB | report.html MB | peak MiB |")
    print("|" + "---|" * 14)
    print(f"| {len(district.teachers):,} | {len(plan.sections):,} | {load_s:.1f} | {check_s:.1f} | {why_s:.1f} | "
          f"{book_s:.1f} | {html_s:.1f} | {check_s + why_s + book_s + html_s:.1f} | {together_s:.1f} | {tables_s:.1f} | "
          f"{together_s - tables_s:.1f} | "
          f"{len(book) / 1e6:.1f} | {len(page.encode()) / 1e6:.1f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
