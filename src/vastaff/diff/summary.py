"""What a person reads about a plan's changes: counts by kind, the console lines after a solve with `--previous`,
plan-level totals for `vastaff diff`, and the CSV text (docs/data-format.md, "changes.csv"; docs/operations.md).
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from vastaff.diff.teachers import (
    CHANGE_COLUMNS, COST_PARTS, PLAN_KINDS, SUMMARY, WHAT_ORDER, PlanTables, plan_facts, text,
)
from vastaff.schemas.district import Plan
from vastaff.text import for_spreadsheet


def summary_counts(changes: pd.DataFrame) -> dict[str, int]:
    """Teachers changed per kind, in WHAT_ORDER: the six kinds always (0 when none), `cost` when it has rows."""
    per_kind = changes.groupby("what")["teacher_id"].nunique() if len(changes) else pd.Series(dtype=int)
    return {what: int(per_kind.get(what, 0)) for what in WHAT_ORDER if what in PLAN_KINDS or what in per_kind}


def counts_line(changes: pd.DataFrame) -> str:
    """"9 teacher(s) changed: courses 8, periods 3" (kinds without a change left out)."""
    kinds = ", ".join(f"{what} {n}" for what, n in summary_counts(changes).items() if n)
    return f"{changes['teacher_id'].nunique()} teacher(s) changed: {kinds}"


def row_text(row) -> str:
    """A change in words: its summary when the frame has one (teacher_changes), else "before -> after"."""
    said = getattr(row, SUMMARY, None)
    return said if isinstance(said, str) and said else f"{row.before or '-'} -> {row.after or '-'}"


def changes_summary_lines(changes: pd.DataFrame, path, first: int = 5) -> list[str]:
    """The console summary after a solve with `--previous`: teachers changed by kind, the first rows, the file.

    Plain text (IDs are shown as they are): print it with `print`, not through rich markup.
    """
    if changes.empty:
        return [f"No teacher's assignment changed against the previous plan ({path} has no rows)."]
    lines = [f"Changes against the previous plan: {counts_line(changes)}."]
    lines += [f"  {r.teacher_id} {r.what}: {row_text(r)}" for r in changes.head(first).itertuples(index=False)]
    more = len(changes) - min(first, len(changes))
    lines.append(f"  ... {more} more row(s); all {len(changes)} in {path}" if more else f"  All in {path}")
    return lines


def changes_csv(changes: pd.DataFrame, for_people: bool = False, names: bool = False) -> str:
    """changes.csv's text (`teacher_id, what, before, after`, "\\n" line ends). `for_people` (a `--csv` a person
    opens) neutralises text a spreadsheet would run as a formula; the plan's own file keeps raw values. `names`:
    the rows' `name` column after teacher_id (`vastaff diff --data`)."""
    columns = [CHANGE_COLUMNS[0], "name", *CHANGE_COLUMNS[1:]] if names else CHANGE_COLUMNS
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in changes[columns].itertuples(index=False):
        writer.writerow([for_spreadsheet(v) for v in row] if for_people else list(row))
    return buffer.getvalue()


def plan_totals(plan: PlanTables) -> dict:
    """Plan-level figures for `vastaff diff`: teachers, staffed sections, vacancies, and costs (teachers.csv)."""
    sections = plan.sections if isinstance(plan, Plan) else plan.get("sections")
    teacher = sections["teacher_id"].map(text) if sections is not None else pd.Series(dtype=object)
    facts = plan_facts(plan)
    parts = [round(sum(c[i] for c in facts.costs.values()), 2) for i in range(len(COST_PARTS))]
    return {"teachers": len(facts.teachers()), "sections": int((teacher != "").sum()),
            "vacancies": int((teacher == "").sum()),
            "costs": {"stipend": parts[0], "multigrade": parts[1], "xtime": parts[2], "total": round(sum(parts), 2)}}
