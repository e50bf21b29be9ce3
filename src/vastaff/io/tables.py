"""Reading tables from a folder of CSV files or one .xlsx workbook, and validating them column by column.

Rows are numbered as a spreadsheet shows them: header = row 1, first data row = row 2 (column `_row`); blank
lines count as rows but hold no data. What a real export contains is read gracefully: a UTF-8 byte-order mark,
Windows line endings, Windows-1252 text, spaces or capitals in headers, quoted cells, trailing empty cells,
`Teachers.CSV`, a sheet named `teachers.csv`, Excel numbers/dates/booleans instead of text. What cannot be read
is one InputProblem each (a ragged row, a repeated column, an empty file, an unclosed quote, a folder that cannot
be listed, a folder or broken link where a file should be), never an exception.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import TypeAdapter, ValidationError

from vastaff.errors import InputProblem
from vastaff.io.entries import table_files
from vastaff.io.workbook import READ_ERRORS, Workbook
from vastaff.schemas.fields import _text
from vastaff.schemas.inputs import Row

ROW = "_row"
RAGGED = "ragged_ids"  # frame.attrs: the first cell (its ID) of each row left out for more cells than the header
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
EMPTY_FILE = "a header row naming the columns (the file is empty)"
UNCLOSED_QUOTE = "a closing quote"
UNREADABLE_ROW = "a readable CSV row"
_NEWLINE = re.compile(r"\r\n|\r|\n")
csv.field_size_limit(16 * 2**20)  # a cell of up to 16 MiB


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
        if path.is_file() and path.suffix.lower() in WORKBOOK_SUFFIXES:
            source._open_workbook()
        elif path.is_dir():
            source._index_folder()
        return source

    def _index_folder(self) -> None:
        try:
            listing = sorted(self.path.iterdir())
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
        return self.path.is_dir() or self.sheets is not None

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
            except READ_ERRORS as exc:
                return no_rows(), [
                    InputProblem(label, expected=f"a readable sheet ({type(exc).__name__}: {exc})")]
            return grid_frame(records, label)
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


def raw_ids(frame: pd.DataFrame, column: str) -> set[str]:
    """Every ID a table lists, also on rows with a problem of their own, even too many cells: one bad row, one line."""
    listed = {_text(v) for v in pd.unique(frame[column])} if column in frame.columns else set()
    return (listed | set(frame.attrs.get(RAGGED, {}).get(column, ()))) - {""}


def no_rows() -> pd.DataFrame:
    """A raw table with no columns and no rows (a file that could not be read)."""
    return pd.DataFrame({ROW: pd.Series(dtype="int64")})


def _decode(data: bytes, label: str) -> tuple[str, InputProblem | None]:
    """UTF-8 (with or without BOM); UTF-16 with its BOM, as Excel writes "Unicode Text"; Windows-1252, as Excel
    writes 'CSV' on Windows, if it is none of those. UTF-32, and wide text without a BOM, is one problem — not a
    header whose every column reads as missing."""
    wide = _wide_text(data)
    if wide is not None:
        return "", InputProblem(label, expected=f"text in UTF-8 (the file is {wide}: save it as CSV UTF-8)")
    encodings = ("utf-16",) if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            return data.decode(encoding), None
        except UnicodeDecodeError:
            continue
    tried = " nor ".join(ENCODINGS[e] for e in encodings)
    return "", InputProblem(label, expected=f"text in UTF-8 (the file is neither {tried})")


ENCODINGS = {"utf-16": "UTF-16", "utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}


def _wide_text(data: bytes) -> str | None:
    """What wide text `data` is, if it is UTF-32 (by its BOM) or has no BOM and many NUL bytes (ASCII in UTF-16 is half
    NULs; a stray NUL in a cell is not this); None otherwise."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "UTF-32"
    head = data[:1000]
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and head.count(0) * 4 > len(head):
        return "UTF-16 or UTF-32 without a byte-order mark"
    return None


def _csv_records(text: str, label: str) -> tuple[list[tuple[int, list]], list[InputProblem]]:
    """(spreadsheet row number, cells) per record; a quoted cell may span lines and is still one row.

    A quote that never closes would make the rest of the file one cell (and a screenful of consequences): that is
    one problem, naming the line where the quote opens, and the records before it are kept.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list]] = []
    row, last_start, end = 0, 1, 0
    try:
        for row, cells in enumerate(reader, start=1):
            records.append((row, cells))
            last_start, end = end + 1, reader.line_num
    except csv.Error as exc:
        return records, [InputProblem(label, row + 1, expected=f"{UNREADABLE_ROW} ({exc})")]
    if records and _open_at_end(text, last_start):
        row, cells = records.pop()
        opened = last_start + len(_NEWLINE.findall("".join(cells[:-1])))
        return records, [InputProblem(label, row, expected=(
            f"{UNCLOSED_QUOTE} (unclosed quote: the quote opened on line {opened} never closes, so the rest of "
            "the file would be one cell)"))]
    return records, []


def _open_at_end(text: str, line: int) -> bool:
    """Whether the record starting on `line` ends inside a quoted cell (the file ends before its closing quote)."""
    lines = itertools.islice(io.StringIO(text, newline=""), line - 1, None)
    try:
        for _ in csv.reader(lines, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def truncated(problems: list[InputProblem]) -> bool:
    """Whether a table's rows stop early (an unclosed quote, an unreadable row): references into it would be noise."""
    return any(p.expected.startswith((UNCLOSED_QUOTE, UNREADABLE_ROW)) for p in problems)


def _is_blank(cells: list) -> bool:
    return all(_text(c) == "" for c in cells)


def grid_frame(records: list[tuple[int, list]], label: str) -> tuple[pd.DataFrame, list[InputProblem]]:
    """Header + data rows -> a frame of raw cells with `_row`; blank rows are skipped, ragged rows reported."""
    records = [(r, cells) for r, cells in records if not _is_blank(cells)]
    if not records:
        return no_rows(), [InputProblem(label, 1, expected=EMPTY_FILE)]
    header_row, header = records[0]
    names = [_text(h).lstrip("\ufeff").strip().lower() for h in header]
    while names and names[-1] == "":
        names.pop()
    problems = _header_problems(names, header_row, label)
    width = len(names)
    keep_rows, cells_by_row, ragged_ids = [], [], []
    for row, cells in records[1:]:
        if len(cells) != width:
            if len(cells) > width and not _is_blank(cells[width:]):
                problems.append(InputProblem(label, row, None, None, f"at most {width} cells, one per header "
                                             f"column (this row has {_last_filled(cells)}; a cell holding a comma "
                                             "needs quotes)"))
                ragged_ids.append(_text(cells[0]).strip())
                continue
            cells = cells[:width] + [""] * (width - len(cells))
        keep_rows.append(row)
        cells_by_row.append(cells)
    by_column = list(zip(*cells_by_row)) if cells_by_row else [()] * width
    columns: dict[str, Any] = {}
    for i, name in enumerate(names):
        if name and name not in columns:
            columns[name] = list(by_column[i])
    frame = pd.DataFrame(columns, dtype=object) if columns else pd.DataFrame(index=range(len(keep_rows)))
    frame[ROW] = np.array(keep_rows, dtype="int64")
    if names and ragged_ids:
        frame.attrs[RAGGED] = {names[0]: ragged_ids}
    return frame, problems


def _last_filled(cells: list) -> int:
    return max(i + 1 for i, c in enumerate(cells) if _text(c) != "")


def _header_problems(names: list[str], row: int, label: str) -> list[InputProblem]:
    seen: dict[str, int] = {}
    problems = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
    for name, n in seen.items():
        if name and n > 1:
            problems.append(InputProblem(label, row, name, None, f"each column once (this header names it {n} times)"))
    if len(names) == 1:
        for sep, what in ((";", "';'"), ("\t", "tabs")):
            if sep in names[0]:
                problems.append(InputProblem(
                    label, row, None, None, f"{COMMAS} (this header looks separated by {what})"))
    return problems


COMMAS = "comma-separated columns"


def other_separator(layout: list[InputProblem]) -> bool:
    """Whether the header is separated by something else than commas: its columns are then not validated (each would
    read as missing, on top of the one line that says why)."""
    return any(p.expected.startswith(COMMAS) for p in layout)


# ----------------------------------------------------------------------------------------------
# Validation: each column through its field's own pydantic type, once per distinct cell value.


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
    columns = list(schema.model_fields)
    missing = [c for c in columns if c not in frame.columns and c not in optional]
    if missing:
        problems = [InputProblem(label, 1, c, expected=f"a column named {c} (column missing)") for c in missing]
        return empty_frame(schema), problems
    adapters = _field_adapters(schema)
    rows = frame[ROW].to_numpy(dtype="int64")
    typed: dict[str, list] = {}
    problems: list[InputProblem] = []
    ok = np.ones(len(frame), dtype=bool)
    for name in columns:
        if name not in frame.columns:
            typed[name] = [schema.model_fields[name].get_default(call_default_factory=True)] * len(frame)
            continue
        values = frame[name].tolist()
        typed[name], bad = _parse_column(adapters[name], values)
        for i, expected in bad.items():
            problems.append(InputProblem(label, int(rows[i]), name, _cell(values[i]), expected))
            ok[i] = False
    if not ok.any():
        return empty_frame(schema), problems
    keep = np.flatnonzero(ok)
    if len(keep) < len(ok):
        typed = {c: [v[i] for i in keep] for c, v in typed.items()}
    out = pd.DataFrame(typed, columns=columns)  # ';'-lists stay tuples in object columns
    out[ROW] = rows[keep]
    return out, problems


def empty_frame(schema: type[Row]) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in schema.model_fields})
    frame[ROW] = pd.Series(dtype="int64")
    return frame


def _cell(value: object) -> str:
    return _text(value) if not isinstance(value, str) else value.strip()


def _expected(err: dict) -> str:
    msg = err["msg"].removeprefix("Value error, ")
    return msg.removeprefix("expected ")

