"""Reading tables from a folder of CSV files or one .xlsx workbook, and validating them column by column.

Rows are numbered as a spreadsheet shows them: header = row 1, first data row = row 2 (column `_row`); blank
lines count as rows but hold no data. What a real export contains is read gracefully: a UTF-8 byte-order mark,
Windows line endings, Windows-1252 text, spaces or capitals in headers, quoted cells, trailing empty cells,
`Teachers.CSV`, a sheet named `teachers.csv`, Excel numbers/dates/booleans instead of text. What cannot be read
is one InputProblem each (a ragged row, a repeated column, an empty file, an unclosed quote, a folder that cannot
be listed, a folder or broken link where a file should be), never an exception.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import TypeAdapter, ValidationError

from vastaff.errors import InputProblem
from vastaff.io.entries import table_files
from vastaff.io.grid import RAGGED, ROW, _csv_records, _decode, _is_blank, grid_frame, header_names, no_rows
from vastaff.io.workbook import READ_ERRORS, OversizedSheet, Workbook
from vastaff.schemas.fields import _text
from vastaff.schemas.inputs import Row

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
UNSAVED = "unsaved_formulas"
"""frame.attrs: the problem of each cell whose formula has no saved result, said by `validate_rows` for the columns
its schema reads (an extra column is never read) — once, as that, not also as the blank it reads as."""
BAD = "_bad"
"""The column of `validate_cells` naming a row's bad cells."""


@dataclass
class TableSource:
    """Where tables come from: a folder of `<name>.csv` files, or one workbook with sheets `<name>`.

    File and sheet names match in any letter case; a sheet may also be named `<name>.csv`.
    `problems` holds what is wrong with the source as a whole (an unreadable workbook); a table with two files or
    sheets, or a folder or broken link in place of its file (io/entries.py), is not read, and reading it gives that
    problem (`unreadable`).
    """

    path: Path
    sheets: dict[str, Any] | None = None
    files: dict[str, Path] = field(default_factory=dict)
    problems: list[InputProblem] = field(default_factory=list)
    unreadable: dict[str, InputProblem] = field(default_factory=dict)
    digest: "hashlib._Hash" = field(default_factory=hashlib.sha256)
    _book: Any = None

    @classmethod
    def open(cls, path: str | Path) -> "TableSource":
        path = Path(path)
        source = cls(path)
        try:
            mode = path.stat().st_mode
        except PermissionError as exc:  # under a folder it may not look into
            why = f"a file or folder that can be read ({exc.strerror})"
            source.problems.append(InputProblem(str(path), expected=why))
            return source
        except OSError:
            return source  # not there: each reader says what it expected
        if stat.S_ISREG(mode) and path.suffix.lower() in WORKBOOK_SUFFIXES:
            source._open_workbook()
        elif stat.S_ISDIR(mode):
            source._index_folder()
        return source

    def _index_folder(self) -> None:
        try:
            listing = sorted(self.path.iterdir())
            if listing:  # a folder listed but not searchable (no x permission): its files cannot be looked at
                listing[0].lstat()
        except OSError as exc:
            why = exc.strerror or exc
            self.problems.append(InputProblem(str(self.path), expected=f"a folder that can be read ({why})"))
            return
        self.files, self.unreadable = table_files(listing)  # a folder or broken link named like a file: a problem

    def _open_workbook(self) -> None:
        self.sheets = {}
        try:
            data = self.path.read_bytes()
            self.digest.update(data)
            self._book = Workbook(data)
        except READ_ERRORS as exc:
            self.problems.append(InputProblem(
                self.path.name, expected=f"an .xlsx workbook that Excel can open ({type(exc).__name__}: {exc})"))
            return
        for title in self._book.sheet_titles():
            name = title.strip().lower().removesuffix(".csv").strip()
            if name in self.sheets:
                self.unreadable[name] = InputProblem(
                    self.path.name, expected=f"one sheet for table {name} (found '{self.sheets[name]}' and '{title}')")
                continue
            self.sheets[name] = title

    def close(self) -> None:
        if self._book is not None:
            self._book.close()
            self._book = None

    def label(self, name: str) -> str:
        """How a table is named in messages: the file name, or `workbook.xlsx, sheet name`."""
        if self.sheets is not None:
            return f"{self.path.name}, sheet {name}"
        file = self.files.get(name)
        return file.name if file is not None else f"{name}.csv"

    def exists(self) -> bool:
        return os.path.isdir(self.path) or self.sheets is not None or bool(self.problems)

    def has(self, name: str) -> bool:
        return name in (self.sheets if self.sheets is not None else self.files)

    def read_table(self, name: str) -> tuple[pd.DataFrame, list[InputProblem]]:
        """The raw table (cells as text, or Excel values), header names normalised, plus `_row`; and
        every problem of its layout (empty file, repeated column, ragged row)."""
        label = self.label(name)
        if name in self.unreadable:
            return no_rows(), [self.unreadable[name]]
        if self.sheets is not None:
            try:
                records = self._book.rows(self.sheets[name])
                unsaved = self._book.unsaved_formulas(self.sheets[name])
            except READ_ERRORS as exc:
                why = str(exc) if isinstance(exc, OversizedSheet) else f"a readable sheet ({type(exc).__name__}: {exc})"
                return no_rows(), [InputProblem(label, expected=why)]
            frame, problems = grid_frame(records, label)
            frame.attrs[UNSAVED] = unsaved_formula_problems(unsaved, records, label)
            return frame, problems
        try:
            data = self.files[name].read_bytes()
        except OSError as exc:
            return no_rows(), [InputProblem(label, expected=f"a file that can be read ({exc.strerror or exc})")]
        self.digest.update(name.encode() + b"\0" + data)
        text, problem = _decode(data, label)
        if problem is not None:
            return no_rows(), [problem]
        records, problems = _csv_records(text, label)
        if not records and problems:
            return no_rows(), problems
        frame, more = grid_frame(records, label)
        return frame, problems + more

    def read(self, name: str) -> pd.DataFrame:
        """The raw table only (layout problems dropped); see read_table."""
        return self.read_table(name)[0]


def unsaved_formula_problems(unsaved: dict[tuple[int, int], str], records: list[tuple[int, list]],
                             label: str) -> list[InputProblem]:
    """One problem per cell whose formula has no saved result (io/workbook.py) under a named header cell, the
    column `validate_rows` says it for."""
    header = header_names(next((cells for _, cells in records if not _is_blank(cells)), []))
    return [InputProblem(label, row, header[col], formula, UNSAVED_FORMULA_EXPECTED)
            for (row, col), formula in sorted(unsaved.items()) if col < len(header) and header[col]]


UNSAVED_FORMULA_EXPECTED = ("a value, not a formula whose result was never saved (a program wrote the workbook "
                            "without computing it): open the workbook in Excel or LibreOffice, save it, and run again")



def raw_ids(frame: pd.DataFrame, column: str) -> set[str]:
    """Every ID a table lists, also on rows with a problem of their own, even too many cells: one bad row, one line."""
    listed = {_text(v) for v in pd.unique(frame[column])} if column in frame.columns else set()
    return (listed | set(frame.attrs.get(RAGGED, {}).get(column, ()))) - {""}


@lru_cache(maxsize=None)
def _field_adapters(schema: type[Row]) -> dict[str, TypeAdapter]:
    return {
        name: TypeAdapter(Annotated[(info.annotation, *info.metadata)]) if info.metadata else TypeAdapter(info.annotation)
        for name, info in schema.model_fields.items()
    }


def _parse_column(adapter: TypeAdapter, values: list) -> tuple[list, dict[int, str]]:
    """Typed values, and {index: expected} for the cells that do not parse; each distinct cell is parsed once."""
    codes, uniques = _factorize(values)
    parsed: list = []
    failed: dict[int, str] = {}
    for u, v in enumerate(uniques):
        try:
            parsed.append(adapter.validate_python(v))
        except ValidationError as exc:
            parsed.append(None)
            failed[u] = _expected(exc.errors()[0])
    lookup = np.empty(len(parsed), dtype=object)
    for u, value in enumerate(parsed):
        lookup[u] = value
    out = lookup[codes].tolist() if len(codes) else []
    bad: dict[int, str] = {}
    if failed:
        for i in np.flatnonzero(np.isin(codes, list(failed))):
            bad[int(i)] = failed[int(codes[i])]
    return out, bad


def _factorize(values: list) -> tuple[np.ndarray, list]:
    """Codes and distinct values; cells of different Python types stay apart (an Excel TRUE is not the number 1)."""
    if set(map(type, values)) <= {str}:
        codes, uniques = pd.factorize(np.asarray(values, dtype=object))
        return codes, list(uniques)
    index: dict[tuple, int] = {}
    uniques: list = []
    codes = np.empty(len(values), dtype=np.intp)
    for i, v in enumerate(values):
        key = (type(v), v)
        code = index.get(key)
        if code is None:
            code = index[key] = len(uniques)
            uniques.append(v)
        codes[i] = code
    return codes, uniques


def validate_rows(
    frame: pd.DataFrame, schema: type[Row], label: str, optional: set[str] = frozenset()
) -> tuple[pd.DataFrame, list[InputProblem]]:
    """Validate every cell against `schema`; return the rows without problems as typed columns, and every problem.

    A column in `optional` may be absent (its field default fills it). Extra columns are ignored.
    """
    typed, bad, problems = _typed_cells(frame, schema, label, optional)
    return _complete_rows(frame, schema, typed, bad), problems


def validate_cells(
    frame: pd.DataFrame, schema: type[Row], label: str, optional: set[str] = frozenset()
) -> tuple[pd.DataFrame, pd.DataFrame, list[InputProblem]]:
    """`validate_rows`, and apart every row as far as its cells are good (object columns, a bad cell None, column BAD
    the names of the row's bad cells, None on a row without): what the rows of other files are judged against
    (io/judging.py), so that a row with one bad cell still takes part in every check its good cells allow."""
    typed, bad, problems = _typed_cells(frame, schema, label, optional)
    if typed is None:
        return empty_frame(schema), empty_frame(schema), problems
    cells = pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in typed.items()}, columns=list(typed))
    cells[ROW] = frame[ROW].to_numpy(dtype="int64")
    marks = np.full(len(frame), None, dtype=object)
    for i, columns in bad.items():
        marks[i] = frozenset(columns)
    cells[BAD] = marks
    return _complete_rows(frame, schema, typed, bad), cells, problems


def _complete_rows(frame: pd.DataFrame, schema: type[Row], typed: dict[str, list] | None, bad: dict[int, set[str]]
                   ) -> pd.DataFrame:
    """The rows without a bad cell, as typed columns."""
    if typed is None or len(bad) == len(frame):
        return empty_frame(schema)
    ok = np.ones(len(frame), dtype=bool)
    ok[list(bad)] = False
    keep = np.flatnonzero(ok)
    if len(keep) < len(ok):
        typed = {c: [v[i] for i in keep] for c, v in typed.items()}
    out = pd.DataFrame(typed, columns=list(schema.model_fields))  # ';'-lists stay tuples in object columns
    out[ROW] = frame[ROW].to_numpy(dtype="int64")[keep]
    return out


def _typed_cells(frame: pd.DataFrame, schema: type[Row], label: str, optional: set[str]
                 ) -> tuple[dict[str, list] | None, dict[int, set[str]], list[InputProblem]]:
    """Each column's typed cells (None where bad; None for all when a column is missing), {index: the columns of its
    bad cells} of each row with one, and every problem."""
    columns = list(schema.model_fields)
    missing = [c for c in columns if c not in frame.columns and c not in optional]
    if missing:
        problems = [InputProblem(label, 1, c, expected=f"a column named {c} (column missing)") for c in missing]
        return None, {}, problems
    adapters = _field_adapters(schema)
    rows = frame[ROW].to_numpy(dtype="int64")
    typed: dict[str, list] = {}
    problems: list[InputProblem] = []
    bad_cells: dict[int, set[str]] = {}
    for name in columns:
        if name not in frame.columns:
            typed[name] = [schema.model_fields[name].get_default(call_default_factory=True)] * len(frame)
            continue
        values = frame[name].tolist()
        typed[name], bad = _parse_column(adapters[name], values)
        unsaved = [u for u in frame.attrs.get(UNSAVED, ()) if u.column == name]
        problems += unsaved
        said = {u.row for u in unsaved}
        for i, expected in bad.items():
            if int(rows[i]) not in said:
                problems.append(InputProblem(label, int(rows[i]), name, _cell(values[i]), expected))
            bad_cells.setdefault(i, set()).add(name)
    return typed, bad_cells, problems


def empty_frame(schema: type[Row]) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in schema.model_fields})
    frame[ROW] = pd.Series(dtype="int64")
    return frame


def _cell(value: object) -> str:
    return _text(value) if not isinstance(value, str) else value.strip()


def _expected(err: dict) -> str:
    msg = err["msg"].removeprefix("Value error, ")
    return msg.removeprefix("expected ")

