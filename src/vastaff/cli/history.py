"""`vastaff history [--teacher ID]` — the run history (docs/history.md).

Without --teacher: the last runs, newest first (when, command, data hash, model, status, cost, vacancies,
changes, plan folder). With --teacher: that teacher's row in every recorded run, night by night, and what
changed since the night before — the audit trail a chapter chair asks for in a grievance.
"""

from __future__ import annotations

import json
import sys

import typer
from rich import box
from rich.table import Table

from vastaff.cli.common import EXIT_INVALID, console
from vastaff.text import for_terminal

HISTORY_EXIT_CODES_HELP = ("Exit codes: 0 shown (also when nothing is recorded yet); 2 the store cannot be read "
                           "(bad URL, server down, not a vastaff store, or the store is off).")
STORE_OPTION_HELP = ("Run history store: an SQLite file path, sqlite:///FILE or postgresql://USER@HOST/DB; 'off' "
                     "records nothing (a command that writes a plan). Default: $VASTAFF_STORE, else runs/vastaff.db "
                     "in the working directory.")
HASH_SHOWN = 12
COMPARED = (("courses", "courses"), ("periods", "periods"), ("site", "site"), ("room", "room"),
            ("iep_meetings", "IEP meetings"), ("caseload", "caseload"))
"""The teacher's fields the trail compares night to night, and their words."""


def history(
    teacher: str = typer.Option(None, "--teacher", metavar="ID",
                                help="One teacher's assignments in every recorded run, oldest first (all of them)."),
    store: str = typer.Option(None, "--store", metavar="URL", help=STORE_OPTION_HELP),
    limit: int = typer.Option(20, "--limit", min=1, max=10**9,
                              help="Runs listed, newest first (not used with --teacher)."),
    json_out: bool = typer.Option(False, "--json", help="Print the rows as JSON on stdout instead of a table."),
) -> None:
    """List the recorded runs (solve, displace, scenario run and sweep, meetings), or one teacher's assignments night
    by night.

    A run keeps when it ran, its data's hash, the contract model, status, cost, vacancies, changes, plan folder.
    Per teacher it keeps courses, periods, site, room, IEP meetings, caseload and cost.
    With --teacher, "changed" names what differs from the same command's run before.

    \b
    Examples:
      vastaff history
      vastaff history --limit 5 --json
      vastaff history --teacher T00012
      vastaff history --store postgresql://vastaff@db.district.org/staffing --teacher T00012
      VASTAFF_STORE=/srv/vastaff/history.db vastaff history
    """
    from vastaff.store import StoreError, count_runs, list_runs, shown, store_url, teacher_trail  # SQLAlchemy: 0.15 s

    try:
        url = store_url(store)
        rows = teacher_trail(url, teacher) if teacher is not None else list_runs(url, limit)
        total = count_runs(url) if teacher is not None and not rows else None
    except StoreError as exc:
        print(f"vastaff history: {exc}", file=sys.stderr)
        raise typer.Exit(EXIT_INVALID) from None
    if json_out:
        print(json.dumps(rows, indent=2))
    elif teacher is not None:
        _print_trail(teacher, rows, total, shown(url))
    elif not rows:
        console.print(f"No run recorded in {for_terminal(shown(url))} yet.")
    else:
        print_fitted(runs_table(rows))


def register(app: typer.Typer) -> None:
    """Add `history` to the `vastaff` app (as vastaff.cli registers each command module)."""
    app.command("history", epilog=HISTORY_EXIT_CODES_HELP)(history)


def _print_trail(teacher: str, rows: list[dict], total: int | None, where: str) -> None:
    if rows:
        console.print(f"Teacher {for_terminal(teacher)}: {len(rows)} recorded run(s), oldest first "
                      f"({for_terminal(where)}).")
        print_fitted(trail_table(rows))
    elif total:
        console.print(f"No recorded run has a row for teacher {for_terminal(teacher)} ({total} run(s) in "
                      f"{for_terminal(where)}).")
    else:
        console.print(f"No run recorded in {for_terminal(where)} yet.")


def runs_table(rows: list[dict]) -> Table:
    """One line per run, newest first."""
    table = _table("run", "when (UTC)", "command", "data", "model", "status", "cost", "vacancies", "changes",
                   "plan folder")
    for r in rows:
        table.add_row(str(r["id"]), when(r["started"]), for_terminal(r["command"]),
                      for_terminal(r["input_sha256"][:HASH_SHOWN]), for_terminal(r["contract_model"]),
                      for_terminal(r["status"]), money(r["cost_total"]), _count(r["vacancies"]),
                      for_terminal(changes_text(r["changes"], r["command"])), for_terminal(r["plan_folder"]))
    return table


def trail_table(rows: list[dict]) -> Table:
    """One line per run in which the teacher has a row, oldest first, with what changed since the same command's
    run before (a nightly solve against the night before; a displace against the last displace; a scenario against
    the same scenario's last run, `same_run`)."""
    table = _table("run", "when (UTC)", "command", "data", "courses", "periods", "site", "room", "IEP meetings",
                   "caseload", "cost", "changed", "note", "plan folder")
    before: dict = {}
    for r in rows:  # the data folder beside each run: a trail across two districts' runs shows it
        table.add_row(str(r["run_id"]), when(r["started"]), for_terminal(r["command"]),
                      for_terminal(r.get("data_path") or ""), for_terminal(r["courses"]),
                      for_terminal(r["periods"]), for_terminal(r["site"] or ""), for_terminal(r["room"] or ""),
                      for_terminal(r["iep_meetings"]), str(r["caseload"]), money(r["cost"]),
                      what_changed(before.get(same_run(r)), r), for_terminal(r["note"] or ""),
                      for_terminal(r["plan_folder"]))
        before[same_run(r)] = r
    return table


def same_run(row: dict) -> str | tuple[str, str]:
    """What a run is compared with the last run of: its command — for a scenario, its command and run folder too (the
    stored command holds the scenario's name cut to 40 characters, so two scenarios of a sweep could look alike)."""
    return (row["command"], row["plan_folder"]) if row["command"].startswith("scenario") else row["command"]


def print_fitted(table: Table) -> None:
    """`table` if it fits the console; else one block per row, its first cell as a heading and one `column: value`
    line per other non-empty cell — a table squeezed into a narrow terminal (80 columns) cuts every cell short."""
    if console.measure(table, options=console.options.update_width(10_000)).maximum <= console.width:
        console.print(table)
        return
    headers = [str(column.header) for column in table.columns]
    columns = [list(column.cells) for column in table.columns]
    for i in range(table.row_count):
        console.print(f"{headers[0]} {columns[0][i]}", highlight=False)
        for header, cells in zip(headers[1:], columns[1:]):
            if str(cells[i]) not in ("", "–"):
                console.print(f"  {header}: {cells[i]}", highlight=False, overflow="fold")


def what_changed(before: dict | None, row: dict) -> str:
    """The teacher's fields that differ from the run before (`first` for the first run shown)."""
    if before is None:
        return "first"
    changed = [words for key, words in COMPARED if before.get(key) != row.get(key)]
    return ", ".join(changed) or "–"


CHANGE_WORDS = {"teachers_changed": "teachers changed", "periods": "periods moved", "sections": "sections new",
                "teachers": "course sets changed"}
"""How a solve's run.json `changes_vs_previous` counts read: `teachers 0` read as "no teacher changed" on a night
whose site and room moves it does not count; `teachers_changed` counts every kind of changes.csv (the console's count;
its `by_kind` is left to changes.csv and `vastaff diff`)."""
OUTCOME_WORDS = {"displaced": "displaced", "moved_level": "moved level", "retained": "retained",
                 "teachers": "teachers"}
"""How a displacement's outcome counts read: its `teachers` is the head count (read as "course sets changed 60")."""


def changes_text(changes: dict | None, command: str = "solve") -> str:
    """A run's changes as `periods moved 1, sections new 3, course sets changed 2`, a displacement's as `displaced 1,
    moved level 1, retained 58, teachers 60`, a meetings run's as keyed; blank without any."""
    if not changes:
        return ""
    words = OUTCOME_WORDS if command == "displace" else CHANGE_WORDS
    counts = {k: v for k, v in changes.items() if isinstance(v, int)}  # by_kind, a block, is changes.csv's own
    keys = [k for k in words if k in counts] + [k for k in counts if k not in words]
    return ", ".join(f"{words.get(key, key).replace('_', ' ')} {counts[key]}" for key in keys)


def when(started: str) -> str:
    """`2025-08-14T03:00:00Z` as `2025-08-14 03:00`."""
    return started.replace("T", " ")[:16]


def money(value: float | None) -> str:
    """Dollars as `$1,200.50`; a dash when the run has no cost (displace)."""
    return "–" if value is None else f"${value:,.2f}"


def _count(value: int | None) -> str:
    return "–" if value is None else str(value)


def _table(*columns: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
    for name in columns:
        table.add_column(name, justify="right" if name in ("run", "cost", "vacancies", "caseload") else "left")
    return table
