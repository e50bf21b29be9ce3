"""The displacement report, teacher by teacher: a markdown file (`--report`) and rich tables for the terminal.

Both say who is retained, moved or displaced, why, in seniority order, and the cut line (least senior retained
teacher) of every school, level and department. Names, IDs and reasons are shown literally: escaped for Markdown
and for rich markup (vastaff.text).
"""

from __future__ import annotations

import pandas as pd
from rich.console import Group
from rich.table import Table

from vastaff.displace.api import DisplacementResult
from vastaff.text import for_terminal, markdown_cell, markdown_text

LINE_HEADERS = ["school", "level", "department", "teachers", "positions", "retained", "cut line (least senior retained)",
                "moved out", "moved in", "vacancies left", "displaced"]
MOVE_HEADERS = ["school", "department", "step", "teacher", "from", "to", "credential", "seniority"]
DISPLACED_HEADERS = ["school", "level", "department", "rank", "teacher", "seniority", "site", "why"]
TEACHER_HEADERS = ["rank", "teacher", "name", "seniority", "outcome", "to level", "site", "article", "why"]


def _date(value) -> str:
    return "" if pd.isna(value) else f"{value:%Y-%m-%d}"


def _seniority(date, tiebreak) -> str:
    return f"{_date(date)} #{int(tiebreak)}"


def _blank(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def line_rows(result: DisplacementResult) -> list[list[str]]:
    """One row per school, level and department, with its cut line."""
    rows = []
    for r in result.cut_lines.itertuples(index=False):
        line = "none retained" if pd.isna(r.cut_line_teacher_id) else (
            f"{r.cut_line_teacher_id} (rank {int(r.cut_line_rank)}, "
            f"{_seniority(r.cut_line_seniority_date, r.cut_line_tiebreak)})")
        rows.append([r.school_id, r.level, r.department, str(r.teachers), _positions(r), str(r.retained), line,
                     str(r.moved_out), str(r.moved_in), str(r.vacancies_left), str(r.displaced)])
    return rows


def _positions(r) -> str:
    """'3', '2 (head count)', or '1 (cut 1 of 2)'."""
    if r.cut:
        return f"{r.positions} (cut {r.cut} of {r.listed_positions})"
    return f"{r.positions}" if r.listed else f"{r.positions} (head count)"


def move_rows(result: DisplacementResult) -> list[list[str]]:
    """A10.1 moves in step order."""
    return [[m.school_id, m.department, str(m.step), m.teacher_id, m.from_level, m.to_level, _blank(m.credential),
             _seniority(m.seniority_date, m.seniority_tiebreak)] for m in result.moves.itertuples(index=False)]


def displaced_rows(result: DisplacementResult) -> list[list[str]]:
    """A11 displaced teachers in seniority order within their school, level and department."""
    d = result.detail[result.detail["outcome"] == "displaced"]
    return [[r.school_id, r.from_level, r.department, str(r.seniority_rank), r.teacher_id,
             _seniority(r.seniority_date, r.seniority_tiebreak), _blank(r.site_id), r.why]
            for r in d.itertuples(index=False)]


def teacher_rows(group: pd.DataFrame) -> list[list[str]]:
    """Every teacher of one school, level and department in seniority order."""
    return [[str(r.seniority_rank), r.teacher_id, _blank(r.name), _seniority(r.seniority_date, r.seniority_tiebreak),
             r.outcome, _blank(r.to_level), _blank(r.site_id), r.article, r.why]
            for r in group.itertuples(index=False)]


def summary_sentence(result: DisplacementResult) -> str:
    c = result.counts
    return (f"{c['teachers']} teachers: {c['retained']} retained (Article 10.0), {c['moved_level']} moved level "
            f"(Article 10.0(1)), {c['displaced']} displaced to the priority site (Article 11.0)."
            + _short_before(result))


def _short_before(result: DisplacementResult) -> str:
    """The departments positions.csv itself gives fewer positions than teachers: there more leave than any --cut says
    (a cut of 2 at a department already 2 short moves 4 out), which the table shows only as two numbers."""
    lines = result.cut_lines
    short = lines[lines["listed"] & (lines["listed_positions"] < lines["teachers"])]
    if short.empty:
        return ""
    named = [f"{r.school_id} {r.level} {r.department} {r.listed_positions} for {r.teachers} teachers"
             for r in short.head(SHOWN_SHORT).itertuples(index=False)]
    more = f" and {len(short) - SHOWN_SHORT} more" if len(short) > SHOWN_SHORT else ""
    return (f" Before any cut, positions.csv already has fewer positions than teachers in {len(short)} "
            f"department(s): {', '.join(named)}{more}.")


SHOWN_SHORT = 5
"""Departments short of positions named in the summary; the rest are counted."""


# ---------------------------------------------------------------------------------------------- markdown


def markdown(result: DisplacementResult, title: str = "", provenance: str = "") -> str:
    """The whole report as markdown: summary, cut lines, moves, displaced, then every department teacher by teacher."""
    parts = [f"# Seniority displacement{': ' + markdown_text(title) if title else ''}", ""]
    if provenance:
        parts += [markdown_text(provenance), ""]
    cuts = ", ".join(c.spelled() for c in result.cuts) or "none"
    parts += [f"Positions from {markdown_text(result.positions_source)}; cuts: {markdown_text(cuts)}.", "",
              summary_sentence(result), ""]
    parts += ["## Cut lines (Article 10.0)", "",
              "Each school, level and department keeps its most senior teachers up to its positions "
              "(earlier seniority date, then lower tiebreak). The cut line is the least senior teacher retained.", ""]
    parts += _md_table(LINE_HEADERS, line_rows(result))
    parts += ["## Moves one or more levels down (Article 10.0(1))", "",
              "Vacancies (positions above the teachers retained) go to the most senior displaced teacher of the same "
              "school and department who holds the credential of a course of that level and whose grades meet it. "
              "Teachers are taken in seniority order across levels; each is placed if they and every more senior "
              "teacher placed can all be seated, and takes the nearest level down that leaves a seat for the rest. "
              "The step is the order of the moves.", ""]
    moves = move_rows(result)
    parts += _md_table(MOVE_HEADERS, moves) if moves else ["No teacher moves level.", ""]
    parts += ["## Displaced teachers and their reporting site (Article 11.0)", ""]
    displaced = displaced_rows(result)
    parts += _md_table(DISPLACED_HEADERS, displaced) if displaced else ["No teacher is displaced.", ""]
    parts += ["## Teacher by teacher", ""]
    for key, group in result.detail.groupby(["school_id", "from_level", "department"], sort=False):
        parts += [f"### {markdown_text(' '.join(key))}", ""]
        parts += _md_table(TEACHER_HEADERS, teacher_rows(group))
    return "\n".join(parts)


def _md_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table; every cell shown literally, on one table row whatever line breaks it holds."""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(markdown_cell(cell) for cell in row) + " |" for row in rows]
    return out + [""]


# ---------------------------------------------------------------------------------------------- terminal

TERM_LINE_HEADERS = ["department", "teachers", "positions", "kept", "cut line", "out", "in", "displaced"]
TERM_LINE_NOTE = "out / in: teachers moved down to / from another level (Article 10.0(1))"
TERM_MOVE_HEADERS = ["step", "teacher", "seniority", "department", "move", "credential"]
TERM_DISPLACED_HEADERS = ["teacher", "seniority", "department", "rank", "site", "why not moved down"]


def terminal(result: DisplacementResult, max_rows: int = 40) -> Group:
    """Rich tables: cut lines of the departments that change, moves, displaced teachers (at most max_rows each)."""
    lines = result.cut_lines
    changed = (lines["positions"] != lines["teachers"]) | (lines["moved_in"] > 0)
    unchanged = int((~changed).sum())
    parts = [summary_sentence(result),
             _rich_table("Cut lines (Article 10.0): least senior retained teacher", TERM_LINE_HEADERS,
                         _term_lines(lines[changed]), max_rows,
                         "; ".join([TERM_LINE_NOTE] + [f"{unchanged} other school level department(s) keep their head "
                                                       "count"] * bool(unchanged)))]
    if not result.moves.empty:
        parts.append(_rich_table("Moves down (Article 10.0(1)), in order", TERM_MOVE_HEADERS,
                                 _term_moves(result.moves), max_rows))
    displaced = result.detail[result.detail["outcome"] == "displaced"]
    if not displaced.empty:
        parts.append(_rich_table("Displaced (Article 11.0), reporting to the priority site", TERM_DISPLACED_HEADERS,
                                 _term_displaced(displaced), max_rows))
    return Group(*parts)


def _term_lines(lines: pd.DataFrame) -> list[list[str]]:
    return [[f"{r.school_id} {r.level} {r.department}", str(r.teachers), _positions(r), str(r.retained),
             "-" if pd.isna(r.cut_line_teacher_id) else
             f"{r.cut_line_teacher_id}\n{_seniority(r.cut_line_seniority_date, r.cut_line_tiebreak)}",
             str(r.moved_out), str(r.moved_in), str(r.displaced)] for r in lines.itertuples(index=False)]


def _term_moves(moves: pd.DataFrame) -> list[list[str]]:
    return [[str(m.step), m.teacher_id, _seniority(m.seniority_date, m.seniority_tiebreak),
             f"{m.school_id} {m.department}", f"{m.from_level} -> {m.to_level}", _blank(m.credential)]
            for m in moves.itertuples(index=False)]


def _term_displaced(displaced: pd.DataFrame) -> list[list[str]]:
    return [[r.teacher_id, _seniority(r.seniority_date, r.seniority_tiebreak),
             f"{r.school_id} {r.from_level} {r.department}", str(r.seniority_rank), _blank(r.site_id),
             r.move_note]
            for r in displaced.itertuples(index=False)]


def _rich_table(title: str, headers: list[str], rows: list[list[str]], max_rows: int, caption: str = "") -> Table:
    more = len(rows) - max_rows
    notes = [caption] if caption else []
    if more > 0:
        notes.append(f"... and {more} more row(s): see --report or displacement.csv")
    table = Table(title=title, title_justify="left", caption="; ".join(notes) or None, caption_justify="left")
    for h in headers:
        table.add_column(h, overflow="fold", min_width=max(map(len, h.split())))  # a header word is never broken
    if "cut line" in headers:  # nor a cut line's seniority date
        table.columns[headers.index("cut line")].min_width = len("2000-01-01")
    for row in rows[:max_rows]:
        table.add_row(*map(for_terminal, row))
    return table
