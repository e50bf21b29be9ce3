"""What `vastaff solve` prints after its one-line result: where the files for people are, the first vacancies with
their reasons, and the next command to run (docs/decisions.md, "Files for people")."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from vastaff.report.context import ReportContext
from vastaff.schemas.fields import grade_name

VACANCIES_SHOWN = 5
MATRIX_SHOWN = 5
"""The most senior teachers without their first matrix choice that solve prints (the rest: a line saying how many)."""


def after_solve_lines(vacancies: pd.DataFrame, data: Path, out: Path, reports: bool) -> list[str]:
    """The report's place, up to VACANCIES_SHOWN vacancies (section, course, grades, students: reason [rules]), and
    the commands a person runs next."""
    lines = [f"Report: {out / 'report.html'} (workbook: {out / 'plan.xlsx'})" if reports
             else f"Timetable: {out / 'timetable.csv'} (no plan.xlsx or report.html)"]
    if len(vacancies):
        lines.append(f"Vacancies ({len(vacancies)}; all in {out / 'vacancies.csv'}):")
        lines += [f"  {vacancy_line(row)}" for row in vacancies.head(VACANCIES_SHOWN).itertuples()]
        if len(vacancies) > VACANCIES_SHOWN:
            lines.append(f"  ... {len(vacancies) - VACANCIES_SHOWN} more")
    lines.append(f"Next: vastaff check {data} {out}   |   vastaff explain {data} {out} --teacher ID")
    return lines


def locations_line(people) -> str | None:
    """run.json's work locations in one line (A16, A19): who works at a site and who at home, and the teachers who
    chose a site and found no place — said here, not left for report.html to reveal."""
    if people is None or not people.locations:
        return None
    loc, short = people.locations, people.room_shortfall.count
    line = (f"Work locations (A16, A19): {loc.get('on_site', 0)} at a site, {loc.get('at_home', 0)} at home "
            f"({loc.get('home_by_choice', 0)} by their choice)")
    if loc.get("traded"):
        line += f"; {loc['traded']} moved in trades of requested sites (A24)"
    return line + (f"; {short} who chose a site have no place there (A19 room shortfall; vastaff explain says "
                   "each one's reason)" if short else "")


def vacancy_line(row) -> str:
    """'VA01-H-ALG2-01 (VA01-H-ALG2, grades 9-10, 24 students): reason [DEMAND, CRED]' — grades by name (K, TK, UTK),
    as the reason names them; vacancies.csv keeps the documented numbers (`9;10`, `0`)."""
    rules = f" [{row.rules.replace(';', ', ')}]" if row.rules else ""
    named = [grade_name(int(g)) if g.lstrip("-").isdigit() else g for g in str(row.grades).split(";")]
    grades = f"grade{'s' if len(named) > 1 else ''} {'-'.join(named)}, " if row.grades else ""
    return f"{row.section_id} ({row.course_id}, {grades}{row.students} students): {row.reason}{rules}"




def matrix_lines(ctx: ReportContext) -> list[str]:
    """A9.1: the most senior teachers who did not get their first matrix choice, each with who or what is in the way
    (report/why); one line when everyone who listed choices got their first. Teachers by ID and seniority only: what
    solve prints goes to the nightly job's log, where names never go (report.html and plan.xlsx have them)."""
    from vastaff.report.why import matrix_missed, matrix_summary_lines  # the people parts load only when asked

    names = dict(zip(ctx.district.teachers.teacher_id, ctx.district.teachers["name"].fillna("").astype(str)))
    lines = [_unnamed(line, names) for line in matrix_summary_lines(ctx, MATRIX_SHOWN)]
    if not lines:
        return ["Matrix (A9.1): every teacher who listed choices got their first choice."]
    return ["Matrix (A9.1), most senior first among those without their first choice:", *(f"  {x}" for x in lines),
            *_more(matrix_missed(ctx), len(lines))]


def _more(missed: int | None, shown: int) -> list[str]:
    """The line after the matrix lines shown: how many more (when the report counted every outcome), or that there
    may be more (a solve without reports stops at MATRIX_SHOWN)."""
    if missed is None:
        return ["  ... perhaps more (vastaff explain DATA PLAN --teacher ID says each teacher's)"] \
            if shown == MATRIX_SHOWN else []
    return [f"  ... {missed - shown} more (every teacher's choices: report.html, plan.xlsx)"] if missed > shown else []


def _unnamed(line: str, names: dict[str, str]) -> str:
    """`line` with each `T00007 (Ann Lee, seniority #3)` of the "why" as `T00007 (seniority #3)`."""
    for tid in set(re.findall(r"(\S+) \(", line)):
        if names.get(tid):
            line = line.replace(f"{tid} ({names[tid]}, seniority #", f"{tid} (seniority #")
    return line
