"""The cells of an .xlsx workbook, read by python-calamine (the Rust library calamine).

Values come as Excel holds them: str (shared or inline strings, formula results), float (every number), bool, and
date / datetime / time / timedelta for numbers with a date or time format; a blank cell is "". Error cells
(`#N/A`, `#REF!`, ...) are the one value calamine does not give (it reads them as blank: python-calamine issue
#105), and a person needs to see `#N/A` to find the failed lookup: a workbook whose XML holds an error cell has
those cells read again by openpyxl, so only such a workbook pays for a second reading.

A formula whose result was never saved (a program such as openpyxl wrote the workbook, nothing computed it) is blank
to calamine too, and an optional cell left blank is silently its default: such cells are read again by openpyxl
(`unsaved_formulas`), and the reader reports each (io/tables.py) instead of taking the blank.
"""

from __future__ import annotations

import io
import re
import zipfile

from python_calamine import CalamineError, CalamineWorkbook

ERROR_CELL = (b't="e"', b"t='e'")
"""The attribute of an error cell, as bytes to look for (a false match only costs the second reading)."""
UNSAVED_FORMULA = re.compile(rb"(?:</f>|<f\b[^>]*/>)\s*(?:<v\s*/>|</c>)")
"""A formula element followed by an empty `<v/>` or by the cell's end: no saved result. Excel and LibreOffice always
save one; `<v></v>` (a saved empty text) is not matched."""
DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]+[0-9]+:)?([A-Z]+)([0-9]+)"')
MAX_SHEET_CELLS = 5_000_000
"""The most cells a sheet's range may span (columns x rows up to its last cell): 15 times a 20,000-teacher district's
largest table. calamine holds a sheet's whole range: one stray cell at XFD1048576 made it ask for 512 GiB and abort
the process, one at A1048576 of a 17-column sheet took 0.9 GB (a workbook fuzz)."""


class OversizedSheet(ValueError):
    """A sheet whose range spans more than MAX_SHEET_CELLS cells: its message is the problem's expectation."""


READ_ERRORS = (CalamineError, zipfile.BadZipFile, KeyError, IndexError, ValueError, OSError)
"""What reading a broken workbook or sheet may raise: each becomes one problem naming the workbook or sheet."""


class Workbook:
    """One workbook's sheets, by title, as rows of cell values."""

    def __init__(self, data: bytes):
        self._errors, self._unsaved, huge = _marks(data)
        self._data = data if self._errors or self._unsaved or huge else None
        self._openpyxl: dict[bool, object] = {}
        self._huge = self._oversized() if huge else {}
        self._book = CalamineWorkbook.from_filelike(io.BytesIO(data))

    def sheet_titles(self) -> list[str]:
        return list(self._book.sheet_names)

    def rows(self, title: str) -> list[tuple[int, list]]:
        """(row number, cell values) for every row of a sheet that holds a cell; row numbers as Excel shows them.
        OversizedSheet for a sheet spanning more than MAX_SHEET_CELLS cells."""
        if title in self._huge:
            raise OversizedSheet(self._huge[title])
        grid = self._book.get_sheet_by_name(title).to_python(skip_empty_area=False)
        if self._errors:
            for (row, col), code in self._error_cells(title).items():
                grid[row][col] = code
        return [(row, cells) for row, cells in enumerate(grid, start=1) if any(c != "" for c in cells)]

    def unsaved_formulas(self, title: str) -> dict[tuple[int, int], str]:
        """(row as Excel shows it, column from 0) -> the formula (`=A2+1`) of each cell of a sheet whose formula has
        no saved result; empty for a workbook that has none."""
        if not self._unsaved:
            return {}
        results = self._cells(title, True)
        return {(row, col): str(value) for (row, col), value in self._cells(title, False).items()
                if isinstance(value, str) and value.startswith("=") and results.get((row, col)) is None}

    def _error_cells(self, title: str) -> dict[tuple[int, int], str]:
        """(row, column) from 0 -> the error code of each error cell of a sheet, as openpyxl reads it."""
        return {(row - 1, col): value for (row, col), value in self._cells(title, True, "e").items()}

    def _cells(self, title: str, results: bool, data_type: str | None = None) -> dict[tuple[int, int], object]:
        """(row, column from 0) -> value of a sheet's non-empty cells as openpyxl reads them: with `results`, the
        saved results of formulas, else the formulas; only cells of `data_type` if given."""
        if results not in self._openpyxl:
            import openpyxl  # here, not at the top: only a workbook with such cells needs it (0.2 s to import)

            self._openpyxl[results] = openpyxl.load_workbook(io.BytesIO(self._data), read_only=True,
                                                             data_only=results)
        return {(cell.row, cell.column - 1): cell.value for line in self._openpyxl[results][title].iter_rows()
                for cell in line if cell.value is not None and data_type in (None, cell.data_type)}

    def _oversized(self) -> dict[str, str]:
        """Title -> what is wrong, for each sheet whose range (as openpyxl reads its dimension) is too large to read."""
        import openpyxl  # only a workbook with such a sheet needs it

        try:
            book = openpyxl.load_workbook(io.BytesIO(self._data), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 — calamine must not read it unseen (it may abort the process)
            raise ValueError(f"a sheet spans more than {MAX_SHEET_CELLS:,} cells ({type(exc).__name__})") from None
        self._openpyxl[True] = book
        out = {}
        for sheet in book.worksheets:
            columns, rows = sheet.max_column or 0, sheet.max_row or 0
            if columns * rows > MAX_SHEET_CELLS:
                out[sheet.title] = (f"a sheet of at most {MAX_SHEET_CELLS:,} cells (it spans {columns:,} columns x "
                                    f"{rows:,} rows, to {sheet.calculate_dimension().split(':')[-1]}: a cell far "
                                    "outside the table — Ctrl+End in Excel finds it; delete those rows and columns)")
        return out

    def close(self) -> None:
        self._book.close()
        for book in self._openpyxl.values():
            book.close()


def _marks(data: bytes) -> tuple[bool, bool, bool]:
    """Whether any part of the workbook has an error cell (`t="e"`), a formula without a saved result, and a sheet
    whose dimension spans more than MAX_SHEET_CELLS cells; zipfile.BadZipFile if it is no zip at all."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = [package.read(name) for name in package.namelist() if name.endswith(".xml")]
    return (any(mark in part for part in parts for mark in ERROR_CELL),
            any(UNSAVED_FORMULA.search(part) for part in parts),
            any(_cells_spanned(part) > MAX_SHEET_CELLS for part in parts))


def _cells_spanned(part: bytes) -> int:
    """Columns x rows up to the last cell a worksheet's `<dimension>` names (near its start); 0 for any other part."""
    found = DIMENSION.search(part, 0, 4096)
    if not found:
        return 0
    column = 0
    for letter in found.group(1).decode():
        column = column * 26 + ord(letter) - 64
    return column * int(found.group(2))
