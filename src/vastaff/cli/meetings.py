"""`vastaff meetings DATA --out PLAN` — the year's meetings calendar (Article 4.0 C; rules A4.1-A4.3)."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import typer

from vastaff.cli.common import (
    EXIT_INFEASIBLE, MODEL_HELP, TIME_LIMIT_EXPECTED, check_time_limit, input_errors_exit, output_errors_exit,
)
from vastaff.cli.history import STORE_OPTION_HELP
from vastaff.store.choice import store_file
from vastaff.contract import DEFAULT_MODEL, load_contract
from vastaff.io.district import load_district
from vastaff.io.meetings import require_calendar
from vastaff.io.outpath import check_out_path, probe_writable
from vastaff.io.runfolders import MEETINGS
from vastaff.io.plan import check_infeasible_path, write_infeasible, write_no_plan, write_plan
from vastaff.meetings import MeetingSettings, MeetingsResult, schedule_meetings

MEETINGS_EXIT_CODES_HELP = ("Exit codes: 0 written; 2 invalid input, or --out refused (nothing written); 3 --strict and "
                            "a request cannot be fully met (OUT.infeasible.json names the rules in conflict, and "
                            "OUT/run.json where OUT held no calendar; a calendar at OUT unchanged); 4 could not write "
                            "(the calendar at OUT unchanged).")


def register(app: typer.Typer) -> None:
    @app.command("meetings", epilog=MEETINGS_EXIT_CODES_HELP)
    def meetings(
        data: Path = typer.Argument(..., help="Data folder (or .xlsx workbook) with calendar.csv and "
                                              "meeting_requests.csv besides the district's files."),
        out: Path = typer.Option(..., "--out", help="Folder to write (meetings.csv, meeting_counts.csv, "
                                                    "run.json): a new path, an empty folder, or a folder vastaff "
                                                    "meetings wrote, with nothing else in it."),
        model: Path = typer.Option(None, "--model", help=MODEL_HELP),
        time_limit: float = typer.Option(20.0, "--time-limit", help="CP-SAT deterministic seconds over all schools "
                                                                    "(the wall clock stops the run at 3 times this). "
                                                                    f"Accepted: {TIME_LIMIT_EXPECTED}."),
        seed: int = typer.Option(0, "--seed", min=0, max=2**31 - 1,
                                 help="CP-SAT random seed; the same data, model and seed give the same files."),
        strict: bool = typer.Option(False, "--strict", help="Exit 3, naming the rules in conflict, when a request "
                                                            "cannot be fully met."),
        force: bool = typer.Option(False, "--force", help="Replace --out even if it is a non-empty folder that is not "
                                                          "one vastaff meetings wrote, or holds other files (never "
                                                          "DATA or a folder holding it)."),
        store: str = typer.Option(None, "--store", metavar="URL", help=STORE_OPTION_HELP),
    ) -> None:
        """Schedule the year's mandatory meetings: as many as Articles 4.0 A and C allow, spread evenly.

        Per teacher of a request's audience: at most one pd/plt meeting a week, Tuesdays at 13:50 (A4.1); at most
        one faculty, grade-level, staff-development or committee meeting a week, four a month, thirty a school
        year, ending by 15:50 (A4.2); instructional days only, after the synchronous window, never two at once
        (A4.3). Writes meetings.csv, meeting_counts.csv (per teacher: most in a week, a month, a year) and run.json,
        which lists every request not fully met with the rules and the reason.

        Example (data/sample has no calendar.csv; a generated district has one, with one or two requests a school
        that cannot be fully met on purpose, e.g. PLT over the winter recess):
        vastaff generate /tmp/district --teachers 60 --seed 1 && vastaff meetings /tmp/district --out plans/meetings
        """
        started = datetime.now(timezone.utc)
        inputs = [("data folder", data), ("contract model", model or DEFAULT_MODEL), ("run history", store_file(store))]
        with output_errors_exit():
            check_out_path(out, MEETINGS, inputs=inputs, force=force)
            check_infeasible_path(out, inputs, force=force)
        with input_errors_exit():
            check_time_limit(time_limit)
            contract = load_contract(model)
            district = load_district(data, contract, audiences=True)
            require_calendar(district)
        with output_errors_exit():
            probe_writable(out)
        result = schedule_meetings(district, contract, MeetingSettings(time_limit=time_limit, seed=seed,
                                                                       strict=strict))
        with output_errors_exit():
            if not result.feasible:
                where = write_infeasible(out, result.run)
                also = f" and {out / 'run.json'} (no calendar was there)" if write_no_plan(out, result.run) else ""
                _print_shortfalls(result, sys.stderr)
                print(f"INFEASIBLE (--strict): {len(result.shortfalls)} request(s) cannot be fully met; "
                      f"explained in {where}{also}; nothing else was written.", file=sys.stderr)
                raise typer.Exit(EXIT_INFEASIBLE)
            write_plan(out, {}, result.run, files={"meetings.csv": _csv(result.meetings),
                                                   "meeting_counts.csv": _csv(result.counts)}, force=True)
        warning = _record(store, result, data, out, started)  # before the console lines, which a closed pipe ends
        print(summary_line(result, out))
        _print_shortfalls(result, sys.stdout)
        if warning:
            print(f"warning: {warning}", file=sys.stderr)


def _record(store: str | None, result: MeetingsResult, data: Path, out: Path, started: datetime) -> str | None:
    """The run, and each teacher's meetings of the year, in the run history (`--store`); a one-line warning if it
    cannot be written (the calendar is written already). Its objective is attendance, not dollars: no cost; its
    `changes` are the meetings requested and scheduled and the requests not fully met."""
    from vastaff import store as history  # SQLAlchemy only where a run is recorded

    run = result.run
    record = replace(history.run_record("meetings", run.dump(), str(data), str(out), started,
                                        datetime.now(timezone.utc)),
                     cost_total=None, changes={"requested": run.requested, "scheduled": len(result.meetings),
                                               "requests_not_fully_met": len(run.unscheduled)})
    return history.record_safely(store, record, history.meeting_records(result.counts))


def summary_line(result: MeetingsResult, out: Path) -> str:
    run = result.run
    return (f"{run.status}: {len(result.meetings):,} of {run.requested:,} meetings scheduled (attendance "
            f"{run.objective:,}, bound {run.best_bound:,}; evenness {run.evenness}), {len(run.unscheduled)} "
            f"request(s) not fully met, {run.wall_seconds:.1f} s -> {out}")


def _print_shortfalls(result: MeetingsResult, stream) -> None:
    for finding in result.shortfalls:
        print(f"  {finding}", file=stream)


def _csv(frame) -> str:
    return frame.to_csv(index=False, lineterminator="\n")
