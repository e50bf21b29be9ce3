"""The cells of an .xlsx workbook, read by python-calamine (the Rust library calamine).

Values come as Excel holds them: str (shared or inline strings, formula results), float (every number), bool, and
date / datetime / time / timedelta for numbers with a date or time format; a blank cell is "". Error cells
(`#N/A`, `#REF!`, ...) are the one value calamine does not give (it reads them as blank: python-calamine issue
#105), and a person needs to see `#N/A` to find the failed lookup: a workbook whose XML holds an error cell has
those cells read again by openpyxl, so only such a workbook pays for a second reading.
"""

from __future__ import annotations

import io
import zipfile

from python_calamine import CalamineError, CalamineWorkbook

ERROR_CELL = (b't="e"', b"t='e'")
"""The attribute of an error cell, as bytes to look for (a false match only costs the second reading)."""
READ_ERRORS = (CalamineError, zipfile.BadZipFile, KeyError, IndexError, ValueError, OSError)
"""What reading a broken workbook or sheet may raise: each becomes one problem naming the workbook or sheet."""


class Workbook:
    """One workbook's sheets, by title, as rows of cell values."""

    def __init__(self, data: bytes):
        self._data = data if _holds_error_cells(data) else None
        self._book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        self._openpyxl = None

    def sheet_titles(self) -> list[str]:
        return list(self._book.sheet_names)

    def rows(self, title: str) -> list[tuple[int, list]]:
        """(row number, cell values) for every row of a sheet that holds a cell; row numbers as Excel shows them."""
        grid = self._book.get_sheet_by_name(title).to_python(skip_empty_area=False)
        if self._data is not None:
            for (row, col), code in self._error_cells(title).items():
                grid[row][col] = code
        return [(row, cells) for row, cells in enumerate(grid, start=1) if any(c != "" for c in cells)]

    def _error_cells(self, title: str) -> dict[tuple[int, int], str]:
        """(row, column) from 0 -> the error code of each error cell of a sheet, as openpyxl reads it."""
        if self._openpyxl is None:
            import openpyxl  # here, not at the top: only a workbook with error cells needs it (0.2 s to import)

            self._openpyxl = openpyxl.load_workbook(io.BytesIO(self._data), read_only=True, data_only=True)
        return {(cell.row - 1, cell.column - 1): cell.value for line in self._openpyxl[title].iter_rows()
                for cell in line if cell.data_type == "e"}

    def close(self) -> None:
        self._book.close()
        if self._openpyxl is not None:
            self._openpyxl.close()


def _holds_error_cells(data: bytes) -> bool:
    """Whether any part of the workbook has an error cell (`t="e"`); zipfile.BadZipFile if it is no zip at all."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        parts = (package.read(name) for name in package.namelist() if name.endswith(".xml"))
        return any(mark in part for part in parts for mark in ERROR_CELL)
