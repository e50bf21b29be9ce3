"""The checker's verdict for people and programs: a rich table, one JSON document, a CSV of violations.

The CSV is for people (it opens in a spreadsheet): text that would run as a formula is neutralised
(vastaff.text). It is written atomically: the file is whole, or the previous one is left as it was.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from vastaff.check.core import NOT_CHECKED, CheckReport
from vastaff.io.outpath import atomic_file
from vastaff.rules import Finding
from vastaff.text import for_spreadsheet, for_terminal

CSV_COLUMNS = ("rule", "article", "message", "rows")
MAX_ROWS_SHOWN = 6


def rows_text(v: Finding, limit: int | None = None) -> str:
    """'file:key;file:key' (the first `limit` of them, then how many more)."""
    items = [str(r) for r in v.rows]
    if limit is not None and len(items) > limit:
        items = items[:limit] + [f"... {len(items) - limit} more"]
    return ";".join(items)


def report_json(report: CheckReport) -> str:
    """{ok, violations: [{rule, article, message, rows: [{file, key}]}], figures: {...}}."""
    return json.dumps(report.as_dict(), indent=2, default=_plain)


def csv_text(report: CheckReport) -> str:
    """The violations as CSV: rule, article, message, rows as 'file:key;file:key'; formulas neutralised."""
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for v in report.violations:
        w.writerow([for_spreadsheet(cell) for cell in (v.rule, v.article, v.message, rows_text(v))])
    return buffer.getvalue()


def write_csv(report: CheckReport, path: str | Path) -> Path:
    """Write csv_text(report) to `path` atomically (vastaff.io.outpath): the whole file or, on an OSError, an
    OutputError (exit 4) and whatever was at `path` unchanged."""
    with atomic_file(path) as tmp:
        tmp.write_text(csv_text(report), encoding="utf-8", newline="")
    return Path(path)


def print_report(report: CheckReport, console: Console) -> None:
    """Violations (rule, article, message, rows), then each figure, then the verdict."""
    if report.violations:
        table = Table(title=f"{len(report.violations)} violation(s)", title_justify="left", show_lines=True)
        for col in ("rule", "article", "message", "rows"):
            table.add_column(col, overflow="fold")
        for v in report.violations:
            table.add_row(*map(for_terminal, (v.rule, v.article, v.message,
                                              rows_text(v, MAX_ROWS_SHOWN).replace(";", "\n"))))
        console.print(table)
    for name, value in report.figures.items():
        console.print(_figure_table(name, value, console))
    verdict = ("[bold green]OK[/]: no violation" if report.ok
               else f"[bold red]NOT OK[/]: {len(report.violations)} violation(s)")
    skipped = report.figures.get(NOT_CHECKED)
    console.print(verdict + (f"; not checked: {for_terminal(', '.join(skipped))} (why: the table 'not checked')"
                             if skipped else ""))


def _figure_table(name: str, value, console: Console) -> Table:
    """A figure as a table: a table of rows one line per row, or turned (one column per row) where only that fits the
    console, or is the narrower of two that do not (the periods of a few schools)."""
    title = for_terminal(name.replace("_", " "))
    if isinstance(value, list) and value and isinstance(value[0], dict):
        rows = [_merged(row) for row in value]
        plain, turned = _row_table(title, rows), _turned_table(title, rows)
        unbounded = console.options.update_width(10_000)  # a measure is clamped to the options' width
        plain_width, turned_width = (console.measure(t, options=unbounded) for t in (plain, turned))
        if plain_width.maximum <= console.width or (turned_width.maximum > console.width
                                                     and plain_width.minimum <= turned_width.minimum):
            return plain
        return turned
    table = Table(title=title, title_justify="left", show_header=False)
    items = value.items() if isinstance(value, dict) else [(name, value)]
    numbers = all(isinstance(v, (int, float)) for _, v in items)
    table.add_column("name")
    table.add_column("value", justify="right" if numbers else "left")
    for k, v in items:
        table.add_row(for_terminal(k), f"{v:,.2f}" if isinstance(v, float) else _cell(v))
    return table


def _merged(row: dict) -> dict[str, tuple[str, bool]]:
    """Key -> (cell text, is a number); a `..._floor` key is shown with the key before it, as "value (floor n)",
    rather than as a column or line of its own."""
    keys = list(row)
    cells = {}
    for i, key in enumerate(keys):
        if key.endswith("_floor") and i > 0:
            continue
        floor = keys[i + 1] if i + 1 < len(keys) and keys[i + 1].endswith("_floor") else None
        text = _cell(row[key]) + (f" (floor {_cell(row[floor])})" if floor else "")
        cells[key] = (text, isinstance(row[key], (int, float)) and not isinstance(row[key], bool))
    return cells


def _row_table(title: str, rows: list[dict]) -> Table:
    """One line per row, one column per key."""
    table = Table(title=title, title_justify="left")
    for key, (_, number) in rows[0].items():
        table.add_column(for_terminal(key.replace("_", " ")), justify="right" if number else "left")
    for row in rows:
        table.add_row(*(row.get(key, ("", False))[0] for key in rows[0]))
    return table


def _turned_table(title: str, rows: list[dict]) -> Table:
    """One column per row (its first value names it), one line per other key: the narrower way for figures with many
    keys and few rows (the periods of a few schools)."""
    first, *keys = rows[0]
    table = Table(title=title, title_justify="left")
    table.add_column(for_terminal(first.replace("_", " ")))
    for row in rows:
        table.add_column(row[first][0], justify="right")
    for key in keys:
        table.add_row(for_terminal(key.replace("_", " ")), *(row.get(key, ("", False))[0] for row in rows))
    return table


def _cell(v) -> str:
    """A figure's value as the checker rounded it (its JSON has the same), "–" for none; a mapping as `key value, ...`
    (the most meetings per teacher by rule: `A4.1 32, A4.2 28`), a list as `a, b`."""
    if isinstance(v, dict):
        return ", ".join(f"{for_terminal(k)} {_cell(x)}" for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return ", ".join(_cell(x) for x in v)
    return "–" if v is None else for_terminal(v)


def _plain(o: object):
    if hasattr(o, "item"):
        return o.item()
    if isinstance(o, (set, tuple)):
        return list(o)
    return str(o)
