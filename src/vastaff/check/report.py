"""The checker's verdict for people and programs: a rich table, one JSON document, a CSV of violations."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from vastaff.check.core import CheckReport, Violation

CSV_COLUMNS = ("rule", "article", "message", "rows")
MAX_ROWS_SHOWN = 6


def rows_text(v: Violation, limit: int | None = None) -> str:
    """'file:key;file:key' (the first `limit` of them, then how many more)."""
    items = [str(r) for r in v.rows]
    if limit is not None and len(items) > limit:
        items = items[:limit] + [f"... {len(items) - limit} more"]
    return ";".join(items)


def report_json(report: CheckReport) -> str:
    """{ok, violations: [{rule, article, message, rows: [{file, key}]}], figures: {...}}."""
    return json.dumps(report.as_dict(), indent=2, default=_plain)


def write_csv(report: CheckReport, path: str | Path) -> Path:
    """The violations as CSV: rule, article, message, rows as 'file:key;file:key'."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        for v in report.violations:
            w.writerow([v.rule, v.article, v.message, rows_text(v)])
    return path


def print_report(report: CheckReport, console: Console) -> None:
    """Violations (rule, article, message, rows), then each figure, then the verdict."""
    if report.violations:
        table = Table(title=f"{len(report.violations)} violation(s)", title_justify="left", show_lines=True)
        for col in ("rule", "article", "message", "rows"):
            table.add_column(col, overflow="fold")
        for v in report.violations:
            table.add_row(v.rule, v.article, v.message, rows_text(v, MAX_ROWS_SHOWN).replace(";", "\n"))
        console.print(table)
    for name, value in report.figures.items():
        console.print(_figure_table(name, value))
    verdict = "[bold green]OK[/]: no violation" if report.ok else f"[bold red]NOT OK[/]: {len(report.violations)} violation(s)"
    console.print(verdict)


def _figure_table(name: str, value) -> Table:
    title = name.replace("_", " ")
    if isinstance(value, list) and value and isinstance(value[0], dict):
        table = Table(title=title, title_justify="left")
        for col in value[0]:
            table.add_column(str(col), justify="right" if isinstance(value[0][col], (int, float)) else "left")
        for row in value:
            table.add_row(*(str(row.get(c, "")) for c in value[0]))
        return table
    table = Table(title=title, title_justify="left", show_header=False)
    table.add_column("name")
    table.add_column("value", justify="right")
    items = value.items() if isinstance(value, dict) else [(name, value)]
    for k, v in items:
        table.add_row(str(k), f"{v:,.2f}" if isinstance(v, float) else str(v))
    return table


def _plain(o: object):
    if hasattr(o, "item"):
        return o.item()
    if isinstance(o, (set, tuple)):
        return list(o)
    return str(o)
