"""`vastaff displace DATA --out PLAN` — seniority displacement: retained (A10), moved level (A10.1), displaced (A11)."""

from __future__ import annotations

import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import typer

from vastaff.cli.common import MODEL_HELP, console, input_errors_exit, output_errors_exit
from vastaff.cli.history import STORE_OPTION_HELP
from vastaff.store.choice import store_file
from vastaff.contract import DEFAULT_MODEL, ContractModel, load_contract
from vastaff.displace import displace, run_record
from vastaff.displace.report import markdown, terminal
from vastaff.displace.coverage import broken_lock_lines, uncovered_lines
from vastaff.io.district import load_district
from vastaff.io.outpath import atomic_file, check_file_path, check_out_path
from vastaff.io.runfolders import DISPLACEMENT
from vastaff.io.plan import write_plan
from vastaff.schemas.district import District

DISPLACE_EXIT_CODES_HELP = ("Exit codes: 0 written; 2 invalid input (one line per problem), or --out / --report "
                            "refused (nothing written); 4 could not write (the displacement at OUT unchanged).")


CUT_HELP = ("Remove N positions on top of positions.csv: SCHOOL:LEVEL:N (general department) or "
            "SCHOOL:LEVEL:DEPARTMENT:N; repeatable. A department absent from positions.csv starts from its head count.")


def register(app: typer.Typer) -> None:
    @app.command("displace", epilog=DISPLACE_EXIT_CODES_HELP)
    def displace_cmd(
        data: Path = typer.Argument(..., help="Data folder of CSV files, or one .xlsx workbook."),
        out: Path = typer.Option(..., "--out", help="Folder to write (displacement.csv and run.json): a new path, "
                                                    "an empty folder, or a folder vastaff displace wrote, with "
                                                    "nothing else in it."),
        model: Path = typer.Option(None, "--model", help=MODEL_HELP),
        cut: list[str] = typer.Option(None, "--cut", help=CUT_HELP, metavar="SCHOOL:LEVEL[:DEPARTMENT]:N"),
        report: Path = typer.Option(None, "--report", help="Also write the teacher-by-teacher report as markdown.",
                                    metavar="FILE.md"),
        force: bool = typer.Option(False, "--force", help="Replace --out even if it is a non-empty folder that is not "
                                                          "one vastaff displace wrote, or holds other files (never "
                                                          "DATA or a folder holding it)."),
        store: str = typer.Option(None, "--store", metavar="URL", help=STORE_OPTION_HELP),
    ) -> None:
        """Who is retained, who moves level and who is displaced, in seniority order (Articles 10.0, 10.0(1), 11.0).

        Uses positions.csv (school_id, level, department, positions); --cut removes positions on top of it.
        Writes displacement.csv and run.json atomically; prints the cut lines, moves and displaced teachers.

        Example: vastaff displace data/sample --out plans/displace --cut VA01:high:2 --report displace.md
        """
        start, started = time.perf_counter(), datetime.now(timezone.utc)
        inputs = [("data folder", data), ("contract model", model or DEFAULT_MODEL), ("run history", store_file(store))]
        with output_errors_exit():
            check_out_path(out, DISPLACEMENT, inputs=inputs, force=force)
            if report:
                check_file_path(report, inputs, out=out)
        with input_errors_exit():
            contract = load_contract(model)
            district = load_district(data, contract)
            result = displace(district, contract, cut or ())
        text = markdown(result, title=str(data), provenance=_provenance(district, contract)) if report else None
        run = run_record(result, district, contract, wall_seconds=time.perf_counter() - start)
        with output_errors_exit():
            write_plan(out, {"displacement": result.frame}, run, force=True)  # --out checked above
            if report:
                with atomic_file(report) as tmp:
                    tmp.write_text(text + "\n", encoding="utf-8")
        from vastaff import store as history  # SQLAlchemy only where a run is recorded

        record = history.run_record("displace", run.dump(), str(data), str(out), started, datetime.now(timezone.utc))
        warning = history.record_safely(store, record, history.teacher_records(displacement=result.frame))
        # recorded before the console lines, which a closed pipe (`| head`) ends
        console.print(terminal(result))
        if run.costs.xtime_teachers:
            console.print(f"X-time (A12): ${run.costs.xtime:,.2f} to {run.costs.xtime_teachers} moved teacher(s).")
        console.print(f"Wrote {out / 'displacement.csv'} and {out / 'run.json'}"
                      + (f"; report {report}" if report else "") + f" ({run.wall_seconds:.2f} s).")
        for line in uncovered_lines(result, district) + broken_lock_lines(result, district):
            print(f"warning: {line}", file=sys.stderr)
        if warning:
            print(f"warning: {warning}", file=sys.stderr)


def _provenance(district: District, contract: ContractModel) -> str:
    return f"Contract model {contract.name}; input sha256 {district.input_sha256[:12]}."
