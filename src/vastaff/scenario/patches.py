"""Data patches on the raw tables of a base data folder: set, scale, add, drop.

Tables are read as text cells (exactly what the CSV or workbook holds), patched, and written as a new CSV
folder that `load_district` then validates like any input. Rows are selected by column values: `where` matches
all given columns; a list means any of its values; cells and values are compared as the column's type reads
them (grade `K` = 0, `TRUE` = true, `Open` = open), and in a ';'-list column (credentials, levels,
requested_site_ids, eligible_teacher_ids) a value matches a cell that contains it.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError

from vastaff.errors import InputError, InputProblem, shown
from vastaff.io.tables import ROW, TableSource
from vastaff.scenario.schema import AddPatch, DropPatch, ScalePatch, SetPatch, column_parser, schema_columns
from vastaff.schemas.inputs import INPUT_TABLES

UNPARSED = object()


class PatchError(Exception):
    """A patch that cannot apply to this data (selects no row, scales a non-number): fails its scenario."""


@dataclass(frozen=True)
class Applied:
    """What one patch did, for run.json; a table the scenario brings itself (`tables:`) is recorded the same way,
    with kind `table` and no patch index."""

    index: int | None
    kind: str
    table: str
    rows: int
    summary: str
    note: str | None = None

    def as_dict(self) -> dict:
        d = {"patch": self.index} if self.index is not None else {}
        d |= {"kind": self.kind, "table": self.table, "rows": self.rows, "summary": self.summary}
        return d | ({"note": self.note} if self.note else {})


def read_tables(path: Path) -> dict[str, pd.DataFrame]:
    """Every input table of a data folder or workbook as text cells plus `_row`; layout problems are InputError."""
    source = TableSource.open(path)
    frames, problems = {}, []
    try:
        for name in INPUT_TABLES:
            if source.has(name):
                frames[name], layout = _text_table(source, name)
                problems += layout
    finally:
        source.close()
    if problems:
        raise InputError(problems)
    return frames


def read_table_file(table: str, file: Path) -> tuple[pd.DataFrame, list[InputProblem]]:
    """One input table from a CSV file of any name (a scenario's own `tables:`), as text cells plus `_row`, and
    the problems of its layout (named by the file's name, rows as a spreadsheet numbers them)."""
    return _text_table(TableSource(file.parent, files={table: file}), table)


def own_tables(tables: dict[str, Path]) -> tuple[dict[str, pd.DataFrame], list[Applied]]:
    """The tables a scenario brings itself (table -> CSV file), each with its record; InputError on a layout
    problem."""
    frames, records, problems = {}, [], []
    for name, file in tables.items():
        frames[name], layout = read_table_file(name, file)
        problems += layout
        records.append(Applied(None, "table", name, len(frames[name]),
                               f"{name}: {_rows(len(frames[name]))} from {file} (instead of the base data's)"))
    if problems:
        raise InputError(problems)
    return frames, records


def _text_table(source: TableSource, name: str) -> tuple[pd.DataFrame, list[InputProblem]]:
    frame, layout = source.read_table(name)
    cells = frame.drop(columns=[ROW]).map(cell_text) if len(frame.columns) > 1 else frame.drop(columns=[ROW])
    return cells.assign(**{ROW: frame[ROW]}), layout


def cell_text(v: object) -> str:
    """A cell as CSV text: blanks empty, 3.0 as 3, Excel dates as YYYY-MM-DD, booleans as true/false."""
    if isinstance(v, str):
        return v.strip()
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date().isoformat()
    if isinstance(v, dt.time):
        return v.strftime("%H:%M")
    if isinstance(v, (list, tuple)):
        return ";".join(cell_text(x) for x in v)
    return str(v).strip()


def write_tables(frames: dict[str, pd.DataFrame], folder: Path, previous: Path | None = None) -> Path:
    """Write every table as `<name>.csv` (text cells, `_row` dropped); copy the files of last night's plan folder
    to `previous/` if given, so the folder is a complete input of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        frame.drop(columns=[ROW]).to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    if previous is not None and previous.is_dir():
        (folder / "previous").mkdir()
        for file in sorted(p for p in previous.iterdir() if p.is_file()):
            shutil.copyfile(file, folder / "previous" / file.name)
    return folder


def apply_patches(frames: dict[str, pd.DataFrame], patches: list) -> tuple[dict[str, pd.DataFrame], list[Applied]]:
    """Apply `patches` in order; PatchError naming the patch when one cannot apply."""
    frames = dict(frames)
    applied = []
    for i, patch in enumerate(patches):
        frames[patch.table], record = apply_patch(frames.get(patch.table), patch, i)
        applied.append(record)
    return frames, applied


def apply_patch(frame: pd.DataFrame | None, patch, index: int) -> tuple[pd.DataFrame, Applied]:
    """One patch on one table (None: the table is absent from the base folder)."""
    if frame is None:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in schema_columns(patch.table)}
                             | {ROW: pd.Series(dtype="Int64")})
    if isinstance(patch, AddPatch):
        return _add(frame, patch, index)
    mask = select(frame, patch.table, patch.where)
    n = int(mask.sum())
    if n == 0 and not patch.allow_empty:
        raise PatchError(f"patch {index} ({patch.kind} {patch.table}): no row of {patch.table}.csv matches "
                         f"{where_text(patch.where)} (set allow_empty: true if that is expected)")
    if isinstance(patch, SetPatch):
        return _set(frame, mask, patch, index)
    if isinstance(patch, ScalePatch):
        return _scale(frame, mask, patch, index)
    if isinstance(patch, DropPatch):
        kept = frame[~mask].reset_index(drop=True)
        return kept, Applied(index, "drop", patch.table, n, f"{patch.table} {where_text(patch.where)}: "
                             f"{_rows(n)} dropped", patch.note)
    raise TypeError(f"unknown patch {patch!r}")


def select(frame: pd.DataFrame, table: str, where: dict) -> pd.Series:
    """Rows whose cells match every `where` column (a list: any of its values)."""
    mask = pd.Series(True, index=frame.index)
    for column, wanted in where.items():
        cells = frame[column] if column in frame.columns else pd.Series("", index=frame.index)
        mask &= column_matches(cells, table, column, wanted if isinstance(wanted, list) else [wanted])
    return mask


def column_matches(cells: pd.Series, table: str, column: str, wanted: list) -> pd.Series:
    """Cells equal to any wanted value, compared as the column's type reads them (once per distinct cell)."""
    parse = column_parser(table, column) or (lambda v: cell_text(v))
    targets = [_parse(parse, "" if w is None else w) for w in wanted]
    distinct = {v: _parse(parse, v) for v in cells.unique()}
    hit = {v: any(_equal(p, t) for t in targets) for v, p in distinct.items()}
    return cells.map(hit).astype(bool)


def _parse(parse, v: object) -> object:
    try:
        return parse(v)
    except (ValidationError, ValueError):
        return (UNPARSED, cell_text(v))


def _equal(cell: object, target: object) -> bool:
    """Equality, except that a ';'-list cell matches a target whose items it all holds (blank matches blank)."""
    if isinstance(cell, tuple) and cell[:1] != (UNPARSED,) and isinstance(target, tuple) and target[:1] != (UNPARSED,):
        return set(target) <= set(cell) if target else not cell
    if cell is None or target is None:
        return cell == target or (cell in (None, "") and target in (None, ""))
    return cell == target


def _set(frame: pd.DataFrame, mask: pd.Series, patch: SetPatch, index: int) -> tuple[pd.DataFrame, Applied]:
    frame = frame.copy()
    for column, value in patch.set.items():
        if column not in frame.columns:
            frame.insert(len(frame.columns) - 1, column, "")
        frame.loc[mask, column] = cell_text(value)
    changes = ", ".join(f"{c}={cell_text(v) or '(blank)'}" for c, v in patch.set.items())
    return frame, Applied(index, "set", patch.table, int(mask.sum()),
                          f"{patch.table} {where_text(patch.where)}: {changes} ({_rows(int(mask.sum()))})", patch.note)


SLACK = 1e-9
"""What a product of binary floats may miss its decimal value by: 45 x 0.7 is 31.499999999999996, whose half goes up
to 32 (rounding `nearest`, halves up) — without it 31, and `up` of 20 x 1.1 would be 23."""


def _scale(frame: pd.DataFrame, mask: pd.Series, patch: ScalePatch, index: int) -> tuple[pd.DataFrame, Applied]:
    frame = frame.copy()
    column = patch.column
    if column not in frame.columns:
        frame.insert(len(frame.columns) - 1, column, "")
    values = pd.to_numeric(frame.loc[mask, column], errors="coerce")
    scaled = values.to_numpy(dtype=float) * patch.factor
    for bad, what in ((values.isna(), "is not a number"), (~np.isfinite(scaled), "is too large to scale")):
        if bad.any():
            first = values.index[bad]
            rows = ", ".join(_row_label(frame, i) for i in first[:5])
            raise PatchError(f"patch {index} (scale {patch.table}): column {column} {what} in {rows} "
                             f"(got {shown(str(frame.loc[first[0], column]))!r})")
    rounded = {"nearest": np.floor(scaled + 0.5 + SLACK), "up": np.ceil(scaled - SLACK),
               "down": np.floor(scaled + SLACK)}[patch.rounding]
    frame.loc[mask, column] = [str(int(v)) for v in rounded]
    before, after = int(round(values.sum())), int(rounded.sum())
    summary = (f"{patch.table} {where_text(patch.where)}: {column} x{patch.factor:g} rounded {patch.rounding} "
               f"({_rows(int(mask.sum()))}; {column} {before} -> {after}, {after - before:+d})")
    return frame, Applied(index, "scale", patch.table, int(mask.sum()), summary, patch.note)


def _add(frame: pd.DataFrame, patch: AddPatch, index: int) -> tuple[pd.DataFrame, Applied]:
    new = pd.DataFrame([{c: cell_text(v) for c, v in row.items()} for row in patch.rows])
    columns = [c for c in frame.columns if c != ROW] + [c for c in new.columns if c not in frame.columns]
    new = new.reindex(columns=columns, fill_value="").fillna("")
    new[ROW] = pd.NA
    out = pd.concat([frame.reindex(columns=columns + [ROW]).fillna({c: "" for c in columns}), new], ignore_index=True)
    return out, Applied(index, "add", patch.table, len(new), f"{patch.table}: {_rows(len(new))} added", patch.note)


def where_text(where: dict) -> str:
    """`where site_id=WC02, grade=9|10` (or `every row`)."""
    if not where:
        return "(every row)"
    parts = []
    for column, value in where.items():
        values = value if isinstance(value, list) else [value]
        parts.append(f"{column}=" + "|".join(cell_text(v) or "(blank)" for v in values))
    return "where " + ", ".join(parts)


def _rows(n: int) -> str:
    return f"{n} row" + ("" if n == 1 else "s")


def _row_label(frame: pd.DataFrame, i) -> str:
    row = frame.loc[i, ROW]
    return f"row {int(row)}" if pd.notna(row) else "an added row"
