"""Time the files for people on one plan: the checker (report_context), the per-teacher why, plan.xlsx, report.html.

Usage:  .venv/bin/python bench/report_files.py DATA PLAN

Prints one markdown row: teachers, sections, seconds per step, the total, and the sizes of plan.xlsx and report.html.
"""

from __future__ import annotations

import resource
import sys
import time

from vastaff.contract import load_contract
from vastaff.io.district import load_district
from vastaff.io.plan import load_plan
from vastaff.report.context import report_context
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
    ctx, check_s = timed(report_context, district, plan, contract)
    why, why_s = timed(explain_all, ctx)
    book, book_s = timed(plan_workbook, ctx)
    page, html_s = timed(report_html, ctx, why)
    total = check_s + why_s + book_s + html_s
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| teachers | sections | load s | checker s | why s | plan.xlsx s | report.html s | total s (after load) | "
          "plan.xlsx MB | report.html MB | peak MiB |")
    print("|" + "---|" * 11)
    print(f"| {len(district.teachers):,} | {len(plan.sections):,} | {load_s:.1f} | {check_s:.1f} | {why_s:.1f} | "
          f"{book_s:.1f} | {html_s:.1f} | {total:.1f} | {len(book) / 1e6:.1f} | {len(page.encode()) / 1e6:.1f} | "
          f"{peak:.0f} |")


if __name__ == "__main__":
    main()
