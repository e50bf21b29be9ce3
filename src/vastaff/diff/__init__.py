"""What changed between two plans, teacher by teacher (docs/data-format.md, "changes.csv"; `vastaff diff`).

Plain tables in, a DataFrame out: `plan_changes(before, after)` works on a `Plan` read from a folder and on a
nightly solve's in-memory tables alike. It imports no reader or writer, so `io` and `nightly` may call it.

    from vastaff.diff import plan_changes, changes_summary_lines
    changes = plan_changes(district.previous, nightly.tables)          # teacher_id, what, before, after
    print("\\n".join(changes_summary_lines(changes, out / "changes.csv")))
"""

from vastaff.diff.summary import changes_csv, changes_summary_lines, counts_line, plan_totals, summary_counts
from vastaff.diff.teachers import (
    CHANGE_COLUMNS, PLAN_KINDS, SUMMARY, WHAT_ORDER, PlanTables, plan_changes, teacher_changes,
)

__all__ = [
    "CHANGE_COLUMNS", "PLAN_KINDS", "SUMMARY", "WHAT_ORDER", "PlanTables", "changes_csv", "changes_summary_lines",
    "counts_line", "plan_changes", "plan_totals", "summary_counts", "teacher_changes",
]
