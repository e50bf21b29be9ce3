"""plan.xlsx: the plan as the staffing office reads it in a spreadsheet.

Sheets, in order: Summary (run, costs, the checker's verdict and violations, key figures per school), Teachers,
Timetable, Sections, Vacancies, Changes, IEP, Caseloads, Rooms. Every sheet has a bold header row (the CSV files'
column names as words: `Teacher ID`, `Sections S1`), frozen, with an autofilter over the data; grades as people write
them (K, not 0); columns sized from their content (capped); numbers are numbers, dollars in a money format,
dates are dates.

Written with XlsxWriter, one pass per sheet, column by column (the plan's sheets first, then those of the
checker: report/parallel.py writes the first while the checker runs). Names, titles and IDs are typed by people:
every text cell is written with `write_string` into a workbook that never turns a string into a formula, number or link, so a
teacher named `=HYPERLINK("x")` or `+1` is shown exactly as typed and nothing in the file runs. The same context
gives the same bytes: the creation date is fixed.
"""

from __future__ import annotations

import io
import math
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import repeat
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import xlsxwriter
from pandas.api.types import infer_dtype, is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

from vastaff.check.workday import WORKDAY_FIGURE
from vastaff.report import workbook_sheets as sheets
from vastaff.report.context import ReportContext, clash_table, courses_by_school

OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
"""Text stays text (formula injection), and the file is built in memory (the caller writes it atomically)."""
CREATED = datetime(2025, 1, 1)
"""The workbook's creation date: fixed, so that the same plan gives byte-identical files."""
MONEY = '"$"#,##0.00'
WIDTH_CAP = 50
"""Widest column, in characters: longer text (reasons, timetable cells, lists of names) is cut off on screen."""
SUMMARY_COLUMNS = ["part", "item", "value", "limit or floor", "note"]
WORDS = {"id": "ID", "iep": "IEP", "s1": "S1", "s2": "S2", "xtime": "X-time", "eld": "ELD", "ids": "IDs"}
"""How a column name's words read in a header where they are not plain words."""
NO_PREVIOUS = "No previous plan: run `vastaff solve --previous PLAN` to list what changed for each teacher."
NO_CHANGES = "Nothing changed against the previous plan."
NO_CLASH = "No singleton clash: no two single-section courses of one grade meet in the same period."


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its frame, the columns in dollars, the rows whose numbers are dollars (Summary), and a line
    shown under the header when the frame has no rows."""

    title: str
    frame: pd.DataFrame
    money: tuple[str, ...] = ()
    money_rows: frozenset[int] = field(default_factory=frozenset)
    empty_note: str = ""


SHEETS = ("Summary", "Teachers", "Timetable", "Singleton clashes", "Sections", "Vacancies", "Changes", "IEP",
          "Caseloads", "Rooms")
"""The sheets in the order a reader sees them."""


def plan_workbook(ctx: ReportContext) -> bytes:
    """The bytes of plan.xlsx for `ctx`."""
    return WorkbookDraft(ctx).finish(ctx)


class WorkbookDraft:
    """plan.xlsx in two steps, so that the big sheets can be written while the checker runs (report/parallel.py):
    the sheets made from the plan alone first (`ctx.check` may be None then), the checker's sheets in `finish`.
    Both ways write the cells in the same order, so they give the same bytes."""

    def __init__(self, ctx: ReportContext):
        self._buffer = io.BytesIO()
        self._book = xlsxwriter.Workbook(self._buffer, OPTIONS)
        self._book.set_properties({"title": "Staffing plan", "author": "vastaff", "created": CREATED})
        self._formats = _Formats(self._book)
        self._sheets = {title: self._book.add_worksheet(title) for title in SHEETS}
        for sheet in plan_sheets(ctx):
            _write_sheet(self._sheets[sheet.title], self._formats, sheet)

    def finish(self, ctx: ReportContext) -> bytes:
        """Write the sheets that need the checker's verdict and return the file's bytes."""
        for sheet in checked_sheets(ctx):
            _write_sheet(self._sheets[sheet.title], self._formats, sheet)
        self._book.close()
        return self._buffer.getvalue()


def workbook_sheets(ctx: ReportContext) -> list[Sheet]:
    """The sheets of plan.xlsx, in order, as frames."""
    by_title = {sheet.title: sheet for sheet in [*plan_sheets(ctx), *checked_sheets(ctx)]}
    return [by_title[title] for title in SHEETS]


def plan_sheets(ctx: ReportContext) -> list[Sheet]:
    """The sheets made from the plan and the input alone (the big ones)."""
    return [
        Sheet("Teachers", sheets.teachers_sheet(ctx), money=sheets.TEACHER_MONEY),
        Sheet("Timetable", sheets.timetable_sheet(ctx)),
        Sheet("Singleton clashes", clash_table(ctx), empty_note=NO_CLASH),
        Sheet("Sections", sheets.sections_sheet(ctx)),
        Sheet("Vacancies", sheets.vacancies_sheet(ctx), empty_note="No vacancy: every section has a teacher."),
        Sheet("Changes", sheets.changes_sheet(ctx), empty_note=NO_PREVIOUS if ctx.changes is None else NO_CHANGES),
        Sheet("IEP", sheets.iep_sheet(ctx)),
    ]


def checked_sheets(ctx: ReportContext) -> list[Sheet]:
    """The sheets that carry the checker's verdict or figures."""
    summary, money_rows = summary_frame(ctx)
    return [
        Sheet("Summary", summary, money_rows=money_rows),
        Sheet("Caseloads", sheets.caseloads_sheet(ctx)),
        Sheet("Rooms", sheets.rooms_sheet(ctx)),
    ]


# ----------------------------------------------------------------------------------------------
# Summary


class Line(NamedTuple):
    part: str
    item: str
    value: Any = None
    bound: Any = None
    note: str = ""
    money: bool = False


def summary_frame(ctx: ReportContext) -> tuple[pd.DataFrame, frozenset[int]]:
    """The Summary sheet (part, item, value, limit or floor, note) and the rows whose numbers are dollars."""
    lines = [*_run_lines(ctx), *_check_lines(ctx), *_school_lines(ctx)]
    frame = pd.DataFrame([line[:5] for line in lines], columns=SUMMARY_COLUMNS, dtype=object)
    return frame, frozenset(i for i, line in enumerate(lines) if line.money)


def _block(value) -> dict:
    """A block of run.json, or {} when a hand-made run.json lacks it or holds something else."""
    return value if isinstance(value, dict) else {}


def _run_lines(ctx: ReportContext) -> list[Line]:
    """What run.json says: status, money (A6.3, A8.5, A12), vacancies, time, model, input; blank when absent."""
    run = _block(ctx.plan.run)
    costs = _block(run.get("costs"))
    listed = _block(run.get("vacancies")).get("count")
    hash_note = "" if not run.get("input_sha256") or not ctx.district.input_sha256 else (
        "matches the input read now" if run["input_sha256"] == ctx.district.input_sha256
        else f"differs from the input read now ({ctx.district.input_sha256})")
    return [
        Line("run", "status", run.get("status")),
        Line("run", "method", run.get("method")),
        Line("run", "objective ($)", run.get("objective"), money=True),
        Line("run", "best bound ($)", run.get("best_bound"), money=True),
        Line("run", "gap", run.get("gap")),
        Line("cost", "stipend (A6.3)", costs.get("stipend"), money=True),
        Line("cost", "multi-grade (A8.5)", costs.get("multigrade"), money=True),
        Line("cost", "X-time (A12)", costs.get("xtime"), money=True),
        Line("cost", "total", costs.get("total"), money=True),
        Line("run", "vacancies", len(ctx.vacancies),
             note="" if listed in (None, len(ctx.vacancies)) else f"run.json counts {listed}"),
        Line("run", "wall seconds", run.get("wall_seconds")),
        Line("run", "contract model", run.get("contract_model"), note=f"checked against {ctx.contract.name}"),
        Line("run", "input sha256", run.get("input_sha256"), note=hash_note),
    ]


def _check_lines(ctx: ReportContext) -> list[Line]:
    """The independent checker's verdict, then each violation: rule IDs, article, message."""
    found = ctx.check.violations
    verdict = "OK" if not found else f"{len(found)} violation{'s' * (len(found) != 1)}"
    return [Line("check", "verdict", verdict),
            *(Line("violation", ", ".join(v.rules), v.article, note=v.message) for v in found)]


def _school_lines(ctx: ReportContext) -> list[Line]:
    """Per school (then the district), the checker's key figures, each beside its limit or floor."""
    f = ctx.check.figures
    vacant = ctx.vacancies.school_id.value_counts()
    per_school: dict[str, list[Line]] = {}

    def add(school, item, value, bound=None, note=""):
        part = "district" if school == "district" else f"school {school}"
        per_school.setdefault(str(school), []).append(Line(part, item, value, bound, note))

    for school, n in ctx.plan.sections.school_id.value_counts().sort_index().items():
        add(school, "sections", int(n), note=f"{int(vacant.get(school, 0))} vacant")
    for r in _rows(f, "section_means"):
        add(r.get("school_id"), f"mean class size, band {r.get('band')}, semester {r.get('semester')} (A8.1)",
            r.get("mean"), r.get("limit"), f"limit; {r.get('students')} students in {r.get('sections')} sections")
    most, limit = courses_by_school(ctx), ctx.contract.max_courses_per_semester
    for school, r in most.iterrows():
        notes = [f"{int(r.paid)} over it with their consent, paid a stipend" if r.paid else "",
                 f"{int(r.unpaid)} without stipend_consent" if r.unpaid else ""]
        add(school, "most courses per teacher in a semester (A6.3)", int(r.most), limit,
            "; ".join(["limit", *(n for n in notes if n)]))
    for r in _rows(f, "periods"):
        add(r.get("school_id"), "doubled periods (A6.1)", r.get("doubled"), r.get("doubled_floor"),
            "floor: no timetable has fewer")
        add(r.get("school_id"), "singleton clashes", r.get("singleton_clashes"), r.get("singleton_floor"),
            "floor: no timetable has fewer")
        add(r.get("school_id"), "grade-peak excess", r.get("grade_peak_excess"), 0, "floor: no timetable has less")
        add(r.get("school_id"), "largest live group (students one teacher meets at once)", r.get("max_live_students"),
            r.get("max_live_floor"), "floor: no timetable has fewer")
    for r in _rows(f, "A7.1/A7.2 IEP meetings per school"):
        add(r.get("school_id"), "IEP meetings: spread between teachers (A7.1)", r.get("plan_spread"),
            r.get("least_spread"), f"least possible{'' if r.get('least_proven') else ' (not proven)'}; "
                                   f"{r.get('meetings')} meetings, {r.get('needing_coverage')} needing coverage")
    for r in _rows(f, "A7.3 caseloads per school"):
        add(r.get("school_id"), "largest caseload (A7.3)", r.get("max"), r.get("cap"),
            f"cap; {r.get('students')} students, {r.get('specialists')} specialists")
    for r in _rows(f, WORKDAY_FIGURE):
        add(r.get("school_id"), "IEP meetings the school set outside the on-site window / on the PD/PLT slot (4.0 A)",
            f"{r.get('outside_onsite_window')} / {r.get('on_pd_plt_slot')}", None,
            f"a warning, not a violation; {r.get('iep_meetings')} meetings")
    for r in _rows(f, "matrix"):
        add(r.get("school_id"), f"matrix choices granted, {r.get('level')} (A9.1)",
            f"{r.get('first_choice')} first / {r.get('within_top3')} top 3 / {r.get('none_granted')} none", None,
            f"by seniority; {r.get('teachers_with_choices')} teachers listed choices")
    return [line for school in sorted(per_school, key=lambda s: (s == "district", s)) for line in per_school[school]]


def _rows(figures: dict, key: str) -> list[dict]:
    return [r for r in figures.get(key) or [] if isinstance(r, dict)]


# ----------------------------------------------------------------------------------------------
# Writing


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook):
        self.header = book.add_format({"bold": True, "bottom": 1})
        self.money = book.add_format({"num_format": MONEY})
        self.date = book.add_format({"num_format": "yyyy-mm-dd"})


def _write_sheet(ws, formats: _Formats, sheet: Sheet) -> None:
    """Header, data column by column, widths, frozen header and autofilter, into worksheet `ws`."""
    frame = sheet.frame
    row_formats = [formats.money if i in sheet.money_rows else None for i in range(len(frame))] \
        if sheet.money_rows else None
    for col, name in enumerate(frame.columns):
        ws.write_string(0, col, heading(str(name)), formats.header)
        money = name in sheet.money
        _write_column(ws, col, frame[name], formats.money if money else None, row_formats, formats)
        ws.set_column(col, col, _width(heading(str(name)), frame[name], money or row_formats is not None))
    rows = len(frame)
    if not rows and sheet.empty_note:
        ws.write_string(1, 0, sheet.empty_note)
        rows = 1
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, rows, max(len(frame.columns) - 1, 0))


def heading(name: str) -> str:
    """A column as a header reads: `teacher_id` -> `Teacher ID`, `sections_s1` -> `Sections S1`, `xtime_hours` ->
    `X-time hours` (the frames keep the CSV files' names)."""
    text = " ".join(WORDS.get(word, word) for word in name.replace("_", " ").split(" "))
    return text[:1].upper() + text[1:]


def _write_column(ws, col: int, values: pd.Series, fmt, row_formats: list | None, formats: _Formats) -> None:
    """One column from row 1: numbers and dates typed, text as text, blanks left empty. `row_formats`, when given,
    is each row's format (the Summary's money rows), else every cell gets `fmt`."""
    if row_formats is None and is_numeric_dtype(values) and not is_bool_dtype(values):
        numbers = values.to_numpy(dtype=float, na_value=math.nan)
        _write_rows(ws.write_number, col, np.flatnonzero(np.isfinite(numbers)), numbers, fmt)
    elif row_formats is None and infer_dtype(values, skipna=True) in ("string", "empty"):
        filled = (values.notna() & values.astype(object).ne("")).to_numpy(bool)
        _write_rows(ws.write_string, col, np.flatnonzero(filled), values.to_numpy(dtype=object), fmt)
    else:
        cells = values.dt.to_pydatetime() if is_datetime64_any_dtype(values) else values.to_numpy(dtype=object)
        for row, (value, cell_format) in enumerate(zip(cells, row_formats or repeat(fmt)), start=1):
            _write_value(ws, row, col, value, cell_format, formats)


def _write_rows(write, col: int, rows: np.ndarray, values: np.ndarray, fmt) -> None:
    """`write` each of `values[rows]` into its row (below the header): the one loop per cell, run by `map`."""
    n = len(rows)
    deque(map(write, (rows + 1).tolist(), repeat(col, n), values[rows].tolist(), repeat(fmt, n)), maxlen=0)


def _write_value(ws, row: int, col: int, value, fmt, formats: _Formats) -> None:
    """A cell of a column of mixed or other types: blank, text, boolean, date, number; anything else as text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return
    if isinstance(value, str):
        if value:
            ws.write_string(row, col, value, fmt)
    elif isinstance(value, (bool, np.bool_)):
        ws.write_boolean(row, col, bool(value), fmt)
    elif isinstance(value, (datetime, date)):
        ws.write_datetime(row, col, value, formats.date)
    elif isinstance(value, (int, float, np.number)):
        try:
            number = float(value)
        except OverflowError:  # a whole number past a float's range (a hand-made run.json): its digits, as text
            ws.write_string(row, col, str(value), fmt)
            return
        if math.isfinite(number):
            ws.write_number(row, col, number, fmt)
    elif str(value):
        ws.write_string(row, col, str(value), fmt)


def _width(header: str, values: pd.Series, money: bool) -> int:
    """Characters wide: the longest cell (numbers with thousands separators), at least the header and its filter
    button, at most WIDTH_CAP."""
    if values.empty:
        longest = 0
    elif is_datetime64_any_dtype(values):
        longest = 10
    elif is_numeric_dtype(values) and not is_bool_dtype(values):
        extent = pd.to_numeric(values, errors="coerce").abs().max()
        longest = len(f"{extent:,.2f}") + money if pd.notna(extent) else 0
    else:
        longest = int(values.dropna().astype(str).str.len().max() or 0) if values.notna().any() else 0
    return min(WIDTH_CAP, max(len(header) + 3, longest + 2))
