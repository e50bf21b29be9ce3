"""STRUCTURE: the tables for people agree with the plan — timetable.csv (what each teacher reads) and vacancies.csv
hold what sections.csv says, when the plan folder has them.

Both files are made from sections.csv (and are read back by nothing), so a hand edit to one of them changes nothing
the other rules check; a chapter chair's edit to timetable.csv passed `check` while teachers read it. Each file that
disagrees is one finding: how many places differ, the first few, and how to write it again.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from vastaff.check.core import SECTIONS, CheckContext, RowRef, section_rule, short_list, violation
from vastaff.check.iep import blank, clean_ids
from vastaff.rules import Finding
from vastaff.schemas.fields import HOMEROOM

RULE = "STRUCTURE"
SHOWN = 3
"""Differences named in a finding; the rest are counted."""
AGAIN = "it is made from sections.csv: `vastaff report DATA PLAN` writes it again"
TIMETABLE_COLUMNS = ("teacher_id", "semester", "period_id", "section_ids")


@section_rule
def check_timetable_file(ctx: CheckContext) -> list[Finding]:
    """STRUCTURE: timetable.csv lists, per teacher, semester and period, the sections sections.csv gives them there."""
    table = _people_table(ctx, "timetable.csv")
    if table is None:
        return []
    if absent := [c for c in TIMETABLE_COLUMNS if c not in table.columns]:
        return [violation(RULE, f"timetable.csv has no column {', '.join(absent)}; {AGAIN}")]
    listed = _timetable_cells(table)
    planned = _planned_cells(ctx.plan.sections)
    only_file, only_plan = listed - planned, planned - listed
    if not only_file and not only_plan:
        return []
    said = [f"timetable.csv has {_cell(c)}, sections.csv does not" for c in sorted(only_file)[:SHOWN]]
    said += [f"sections.csv has {_cell(c)}, timetable.csv does not" for c in sorted(only_plan)[:SHOWN]]
    return [violation(RULE, f"timetable.csv disagrees with sections.csv in {len(only_file) + len(only_plan)} place(s): "
                            f"{'; '.join(said)}; {AGAIN}",
                      [RowRef(SECTIONS, c[3]) for c in sorted(only_file | only_plan)[:SHOWN]])]


@section_rule
def check_vacancies_file(ctx: CheckContext) -> list[Finding]:
    """STRUCTURE: vacancies.csv lists exactly the sections of sections.csv without a teacher."""
    table = _people_table(ctx, "vacancies.csv")
    if table is None or "section_id" not in table:
        return []
    s = ctx.plan.sections
    vacant = set(s.loc[blank(s["teacher_id"]), "section_id"].astype(str))
    listed = set(table["section_id"].dropna().str.strip())
    if listed == vacant:
        return []
    parts = [f"it lists {short_list(sorted(listed - vacant))}, which sections.csv staffs or does not hold"
             if listed - vacant else "",
             f"it omits {short_list(sorted(vacant - listed))}, vacant in sections.csv" if vacant - listed else ""]
    return [violation(RULE, f"vacancies.csv disagrees with sections.csv: {'; '.join(p for p in parts if p)}; {AGAIN}",
                      [RowRef(SECTIONS, sid) for sid in sorted(listed ^ vacant)[:SHOWN]])]


def _people_table(ctx: CheckContext, name: str) -> pd.DataFrame | None:
    """The plan folder's `name` as text, or None when the plan is not a folder as it stands (`CheckContext.folder`)
    or the file is absent or unreadable."""
    if not ctx.folder or not ctx.plan.path or not Path(ctx.plan.path).is_dir():
        return None
    path = Path(ctx.plan.path) / name
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""]) if path.is_file() else None
    except (OSError, ValueError):
        return None  # a file people read, not one the plan is checked by: unreadable is not a violation
    return table.rename(columns=str.strip) if table is not None else None


def _timetable_cells(t: pd.DataFrame) -> set[tuple[str, str, str, str]]:
    """(teacher_id, semester, period_id, section_id) of each section a timetable.csv row lists."""
    rows = t[list(TIMETABLE_COLUMNS)].fillna("").astype(str)
    return {(r.teacher_id.strip(), r.semester.strip(), r.period_id.strip(), sid.strip())
            for r in rows.itertuples(index=False) for sid in r.section_ids.split(";") if sid.strip()}


def _planned_cells(s: pd.DataFrame) -> set[tuple[str, str, str, str]]:
    """The same cells from sections.csv: each staffed section in its period (an elementary homeroom in `homeroom`),
    a year section in both semesters."""
    c = pd.DataFrame({name: clean_ids(s[name]) for name in ("teacher_id", "semester", "period_id", "section_id")})
    c = c[c["teacher_id"].notna()].fillna({"period_id": HOMEROOM, "semester": ""})
    return {(r.teacher_id, semester, r.period_id, r.section_id) for r in c.itertuples(index=False)
            for semester in (("1", "2") if r.semester == "year" else (r.semester,))}


def _cell(c: tuple[str, str, str, str]) -> str:
    return f"{c[3]} for teacher {c[0]} in semester {c[1]}, period {c[2]}"


CHECKS = [check_timetable_file, check_vacancies_file]
