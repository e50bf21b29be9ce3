"""`vastaff diff PLAN_A PLAN_B` — what changed between any two plans, teacher by teacher (docs/data-format.md).

The rows are changes.csv's (vastaff.diff: courses, periods, site, room, IEP meetings, caseloads) plus each teacher's
cost; above them, the plans' totals (teachers, staffed sections, vacancies, costs) side by side.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import typer
from rich import box
from rich.table import Table

from vastaff.cli.common import console, input_errors_exit, output_errors_exit, staffing_plan_problem
from vastaff.diff import SUMMARY, changes_csv, counts_line, plan_totals, summary_counts, teacher_changes
from vastaff.errors import InputError
from vastaff.io.district import load_district
from vastaff.io.outpath import atomic_file, check_file_path
from vastaff.io.plan import load_plan
from vastaff.schemas.district import Plan
from vastaff.schemas.plan import PLAN_TABLES
from vastaff.text import for_terminal

DIFF_EXIT_CODES_HELP = ("Exit codes: 0 compared (with or without changes); 2 a plan that cannot be read, or an "
                        "unusable --csv path (nothing written); 4 could not write the --csv file (a previous one "
                        "unchanged).")
READ_FILES = [f"{name}.csv" for name in PLAN_TABLES] + ["run.json"]
"""The files `diff` reads in each plan folder: --csv never replaces them."""
TOTALS = [("teachers", "teachers"), ("sections", "sections staffed"), ("vacancies", "vacancies")]
COSTS = [("total", "cost total"), ("stipend", "  stipends (A6.3)"), ("multigrade", "  multi-grade (A8.5)"),
         ("xtime", "  X-time (A12)")]


def diff(
    plan_a: Path = typer.Argument(..., help="The plan before: a plan folder, or one .xlsx workbook."),
    plan_b: Path = typer.Argument(..., help="The plan after: a plan folder, or one .xlsx workbook."),
    csv_file: Path = typer.Option(None, "--csv", help="Also write the rows (teacher_id, what, before, after, as "
                                                      "changes.csv, with the `cost` kind too) to this file, "
                                                      "atomically.", metavar="FILE.csv"),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON document {plan_a, plan_b, totals, "
                                                        "teachers_changed, counts, changes} on stdout instead."),
    limit: int = typer.Option(40, "--limit", min=0, help="Rows shown on the terminal (the --csv and --json hold all)."),
    data: Path = typer.Option(None, "--data", help="A data folder (or .xlsx workbook) whose teachers.csv names the "
                                                   "teachers: a `name` beside each teacher_id on the terminal, in "
                                                   "--csv and in --json (blank for a teacher it does not list).",
                              metavar="DATA"),
) -> None:
    """What changed between two plans, teacher by teacher: courses (sections per course), periods, site, room,
    IEP meetings, caseload and cost, with the plans' totals side by side.

    Section IDs are not compared (they are renumbered each night): courses compare each teacher's sections per
    course and semester, periods the periods of the courses the teacher keeps. A teacher in only one plan reads
    as blank in the other.

    \b
    Examples:
      vastaff diff plans/monday plans/tuesday
      vastaff diff plans/monday plans/tuesday --csv who-changed.csv --limit 10
      vastaff diff plans/monday plans/tuesday --data data/tuesday
      vastaff diff plans/monday plans/tuesday.xlsx --json > changes.json

    (A workbook here is a plan saved with a sheet per plan file, docs/data-format.md; not plan.xlsx, the plan for
    people.)
    """
    with output_errors_exit():
        if csv_file is not None:
            check_file_path(csv_file, _inputs(plan_a, plan_b, data))
    with input_errors_exit():
        before, after, names = read_inputs(plan_a, plan_b, data)
    changes = named(teacher_changes(before, after, costs=True), names)
    totals = {"a": plan_totals(before), "b": plan_totals(after)}
    with output_errors_exit():
        if csv_file is not None:
            with atomic_file(csv_file) as tmp:
                tmp.write_text(changes_csv(changes, for_people=True, names=names is not None), encoding="utf-8",
                               newline="")
    if json_out:
        print(json.dumps(diff_json(plan_a, plan_b, totals, changes), indent=2))
    else:
        print_diff(plan_a, plan_b, totals, changes, limit)
    if csv_file is not None:
        print(f"Wrote {csv_file}", file=sys.stderr if json_out else sys.stdout)


def register(app: typer.Typer) -> None:
    """`vastaff diff` on the main app."""
    app.command("diff", epilog=DIFF_EXIT_CODES_HELP)(diff)


def read_inputs(plan_a: Path, plan_b: Path, data: Path | None) -> tuple[Plan, Plan, dict[str, str] | None]:
    """Both plans and, with --data, the teachers' names (teacher_id -> name), every problem of all three at once."""
    problems = []
    try:
        before, after = read_plans(plan_a, plan_b)
    except InputError as exc:
        problems += exc.problems
    try:
        names = None if data is None else teacher_names(data)
    except InputError as exc:
        problems += exc.problems
    if problems:
        raise InputError(problems)
    return before, after, names


def teacher_names(data: Path) -> dict[str, str]:
    """teacher_id -> name, from a data folder read and validated as `solve` reads it (a plan folder is not data)."""
    district = load_district(data)
    return dict(zip(district.teachers["teacher_id"], district.teachers["name"]))


def named(changes: pd.DataFrame, names: dict[str, str] | None) -> pd.DataFrame:
    """The rows with a `name` column after teacher_id (blank where DATA lists no such teacher), given names."""
    if names is None:
        return changes
    return changes.assign(name=changes["teacher_id"].map(names).fillna(""))[
        ["teacher_id", "name", *[c for c in changes.columns if c != "teacher_id"]]]


def read_plans(*paths: Path) -> list[Plan]:
    """Each plan (load_plan), with every problem of every plan at once; a plan without sections and teachers is
    not a plan to compare (a data folder, a displacement plan, an empty folder)."""
    plans, problems = [], []
    for path in paths:
        try:
            plan = load_plan(path, label_prefix=f"{path}/" if path.is_dir() else "")
        except InputError as exc:
            problems += exc.problems
            continue
        if (problem := staffing_plan_problem(plan, path)) is not None:
            problems.append(problem)
        plans.append(plan)
    if problems:
        raise InputError(problems)
    return plans


def _inputs(plan_a: Path, plan_b: Path, data: Path | None) -> list[tuple[str, Path | None]]:
    """What `diff` reads, as (what, path): --csv may replace none of them (nor any file of the --data folder)."""
    given = [("plan A", plan_a), ("plan B", plan_b)]
    return given + [(f"{what}'s {name}", path / name) for what, path in given for name in READ_FILES] + [
        ("data folder", data)]


def diff_json(plan_a: Path, plan_b: Path, totals: dict, changes) -> dict:
    """The --json document: both plans' totals, teachers changed (all and per kind), and every row."""
    return {"plan_a": str(plan_a), "plan_b": str(plan_b), "totals": totals,
            "teachers_changed": int(changes["teacher_id"].nunique()), "counts": summary_counts(changes),
            "changes": changes.to_dict("records")}


def print_diff(plan_a: Path, plan_b: Path, totals: dict, changes, limit: int) -> None:
    """The terminal view: totals side by side, counts by kind, then the first `limit` rows."""
    _say(f"A: {for_terminal(plan_a)}\nB: {for_terminal(plan_b)}")
    console.print(totals_table(totals))
    if changes.empty:
        _say("No teacher changes between the two plans.")
        return
    _say(f"{for_terminal(counts_line(changes))}.")
    if limit:
        console.print(rows_table(changes.head(limit)))
    if len(changes) > limit:
        _say(f"... {len(changes) - limit} more row(s); the full list: --csv FILE.csv or --json")


def totals_table(totals: dict) -> Table:
    """Teachers, staffed sections, vacancies and costs of plan A and plan B, and the change."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
    table.add_column("")
    for name in ("A", "B", "change"):
        table.add_column(name, justify="right")
    a, b = totals["a"], totals["b"]
    for key, label in TOTALS:
        table.add_row(label, f"{a[key]:,}", f"{b[key]:,}", _signed(b[key] - a[key], money=False))
    for key, label in COSTS:
        x, y = a["costs"][key], b["costs"][key]
        table.add_row(label, f"${x:,.2f}", f"${y:,.2f}", _signed(round(y - x, 2), money=True))
    return table


def rows_table(changes) -> Table:
    """One line per (teacher, what): the change in words."""
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
    for name in ("teacher", "name", "what", "change") if "name" in changes else ("teacher", "what", "change"):
        table.add_column(name, no_wrap=name != "change")
    for row in changes.itertuples(index=False):
        who = [row.teacher_id, row.name] if "name" in changes else [row.teacher_id]
        table.add_row(*map(for_terminal, who), row.what, for_terminal(getattr(row, SUMMARY)))
    return table


def _say(line: str) -> None:
    console.print(line, soft_wrap=True)  # a long path or count line is never cut or wrapped


def _signed(delta: float, money: bool) -> str:
    if not delta:
        return ""
    sign = "+" if delta > 0 else "-"
    return f"{sign}${abs(delta):,.2f}" if money else f"{sign}{abs(delta):,}"
