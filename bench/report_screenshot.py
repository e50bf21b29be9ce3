"""report.html of a plan, timed, and a screenshot of it in headless Chromium (docs/report-sample.png).

    .venv/bin/python bench/report_screenshot.py [--data data/sample] [--plan PLAN] [--out docs/report-sample.png]
                                                [--html FILE] [--address '#teacher=T00012'] [--no-screenshot]

Without --plan, DATA is solved first (`vastaff solve`, the nightly plan; not recorded in the run history) into a
temporary folder. Prints the seconds spent loading, checking (the report's context runs the independent checker)
and rendering, and the page's size; then opens the page in `chromium` at 1280 x 2000 and writes the PNG to --out
(atomically). --html keeps the page.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from vastaff.contract import load_contract
from vastaff.io.district import load_district
from vastaff.io.outpath import atomic_file
from vastaff.io.plan import load_plan
from vastaff.report.context import report_context
from vastaff.report.html import report_html

WINDOW = "1280,2000"
CHROMIUM_SECONDS = 120


def render(data: Path, plan: Path) -> str:
    """The page for DATA and PLAN, printing how long each step took."""
    start = time.perf_counter()
    contract = load_contract(None)
    district, loaded = load_district(data, contract), load_plan(plan)
    checked = time.perf_counter()
    ctx = report_context(district, loaded, contract)
    rendered = time.perf_counter()
    page = report_html(ctx)
    done = time.perf_counter()
    print(f"{data} + {plan}: {len(district.teachers):,} teachers; load {checked - start:.1f} s, "
          f"context (checker) {rendered - checked:.1f} s, render {done - rendered:.2f} s, "
          f"page {len(page.encode()) / 1e6:.2f} MB")
    return page


def screenshot(page: Path, out: Path, address: str) -> None:
    """A 1280 x 2000 screenshot of the page in headless Chromium, written to OUT atomically."""
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("no `chromium` on PATH (Debian: apt-get install chromium)")
    with atomic_file(out) as tmp:
        subprocess.run([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--user-data-dir={page.parent / 'profile'}", "--virtual-time-budget=10000",
                        f"--screenshot={tmp.resolve()}",
                        f"--window-size={WINDOW}", page.resolve().as_uri() + address],
                       check=True, timeout=CHROMIUM_SECONDS, capture_output=True)
    print(f"screenshot -> {out}")


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--data", type=Path, default=Path("data/sample"))
    args.add_argument("--plan", type=Path, help="a plan folder (default: solve DATA into a temporary folder)")
    args.add_argument("--out", type=Path, default=Path("docs/report-sample.png"))
    args.add_argument("--html", type=Path, help="also keep the page here")
    args.add_argument("--address", default="", help="appended to the page's address, e.g. '#teacher=T00012'")
    args.add_argument("--no-screenshot", action="store_true")
    a = args.parse_args()
    with tempfile.TemporaryDirectory(prefix="vastaff-report-") as work:
        work = Path(work)
        plan = a.plan
        if plan is None:
            plan = work / "plan"
            # a picture is no run of record: nothing goes into the run history
            subprocess.run([sys.executable, "-m", "vastaff", "solve", str(a.data), "--out", str(plan)], check=True,
                           stdout=subprocess.DEVNULL, env={**os.environ, "VASTAFF_STORE": "off"})
        page = work / "report.html"
        page.write_text(render(a.data, plan), encoding="utf-8")
        if a.html:
            with atomic_file(a.html) as tmp:
                shutil.copyfile(page, tmp)
        if not a.no_screenshot:
            screenshot(page, a.out, a.address)


if __name__ == "__main__":
    main()
