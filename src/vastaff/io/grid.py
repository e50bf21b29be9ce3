"""CSV text -> rows of cells -> a frame of raw cells: the layout of one table's file, before any column is typed.

Rows are numbered as a spreadsheet shows them (header = row 1). What a real export contains is read gracefully
(a byte-order mark, Windows-1252 or UTF-16 text, quoted cells over several lines, trailing empty cells); what cannot
be read is one InputProblem each: wide text without a byte-order mark, an unclosed quote, a ragged row, a repeated
or nameless column, a header separated by something else than commas, an empty file.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from typing import Any

import numpy as np
import pandas as pd

from vastaff.errors import InputProblem
from vastaff.schemas.fields import _text

ROW = "_row"
RAGGED = "ragged_ids"  # frame.attrs: the first cell (its ID) of each row left out for more cells than the header
EMPTY_FILE = "a header row naming the columns (the file is empty)"
UNCLOSED_QUOTE = "a closing quote"
UNREADABLE_ROW = "a readable CSV row"
_NEWLINE = re.compile(r"\r\n|\r|\n")
csv.field_size_limit(16 * 2**20)  # a cell of up to 16 MiB


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
    if (title := _title_above(records)) is not None:
        return no_rows(), [InputProblem(label, *title)]
    names = header_names(header)
    while names and names[-1] == "" and not _under(records[1:], len(names) - 1):
        names.pop()
    problems = _header_problems(names, header_row, label) + _nameless_columns(names, records[1:], header_row, label)
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


def _under(records: list[tuple[int, list]], column: int) -> list[int]:
    """The rows with a value in `column` (0-based)."""
    return [row for row, cells in records if len(cells) > column and _text(cells[column]) != ""]


def header_names(header: list) -> list[str]:
    """A header row's cells as column names: trimmed, in lower case, without a byte-order mark."""
    return [_text(h).lstrip("\ufeff").strip().lower() for h in header]


def _title_above(records: list[tuple[int, list]]) -> tuple | None:
    """(row, column, value, expected) when the first row holds one or two cells and the next one the column names —
    a title above the header (an export's "Staff list, 2026-12-01", split at its comma in a CSV file): one line, not
    one per nameless column and per row (every table has three columns or more)."""
    (row, first), rest = records[0], records[1:]
    filled = [_text(c) for c in first if _text(c) != ""]
    below = [c for c in rest[0][1] if _text(c) != ""] if rest else []
    if len(filled) > 2 or len(below) < 3 or not all(isinstance(c, str) for c in below):
        return None
    return (row, None, ", ".join(filled), f"the column names in the first row (it holds a title?; row {rest[0][0]} "
                                          "looks like the header: delete the rows above it)")


def _nameless_columns(names: list[str], records: list[tuple[int, list]], row: int, label: str) -> list[InputProblem]:
    """One problem per blank header cell with values under it: its values belong to no column (a header shifted
    or cut short) — one line for the header, not one per row as a row too long for the header would be."""
    problems = []
    for i, name in enumerate(names):
        if name == "" and (rows := _under(records, i)):
            where = f"row {rows[0]} has" if len(rows) == 1 else f"rows {rows[0]}-{rows[-1]} have"
            problems.append(InputProblem(label, row, None, None, f"a name for column {i + 1} (its header cell is "
                                                                 f"blank, and {where} values under it)"))
    return problems


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
