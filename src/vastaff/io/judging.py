"""What the rows of other files are judged against: every row of a table as far as its cells are good.

A row with a bad cell is left out of the typed tables a District holds, not out of the checks its good cells allow
(all problems at once): a teacher whose stipend_consent is `yes` still has a school, so a lock or a matrix.csv row
naming them with a course of another school is said in the same run, not after the flag is fixed; and a period whose
`order` is bad is still a period of its school, not "no academic period". Each check names the columns it reads
(`views`) and sees the rows whose cells in those columns are good, with those columns only: a check never reads a
bad cell, and one reading a column it did not name fails (KeyError), never silently.

Left out as before: a row whose school_id names no school, and the repeats of a key (the first row counts). Such a
row's problem is said on its own row; judged against it, valid rows of other files were blamed too ("expected a
course of school VA09" of a lock, for a teacher's bad school).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.io.grid import ROW
from vastaff.io.tables import BAD, raw_ids

Reads = dict[str, tuple[str, ...]]
"""Table -> the columns a check reads of it."""


def judging_tables(cells: dict[str, pd.DataFrame], raw: dict[str, pd.DataFrame], broken: set[str],
                   keys: dict[str, list[str]]) -> dict[str, pd.DataFrame]:
    """The rows other rows are judged against (`cells`: io/tables.validate_cells), without rows whose school_id
    names no school and without the repeats of a key in `keys` (the first row counts)."""
    schools = None if "schools" in broken else raw_ids(raw["schools"], "school_id")
    out = {}
    for name, f in cells.items():
        if schools is not None and name != "schools" and "school_id" in f.columns and not f.empty:
            f = f[f.school_id.isin(schools)]
        out[name] = _first_of_each_key(f, keys[name]) if name in keys and not f.empty else f
    return out


def _first_of_each_key(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Without the repeats of a key (the first row counts); a row whose key holds a bad cell names nothing and
    repeats nothing."""
    repeat = frame.duplicated(keys) & frame[keys].notna().all(axis=1)
    return frame[~repeat.to_numpy()]


def views(tables: dict[str, pd.DataFrame], reads: Reads) -> dict[str, pd.DataFrame]:
    """What a check sees of each table it reads: `usable`."""
    return {name: usable(tables[name], columns) for name, columns in reads.items()}


def usable(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """The rows whose cells in `columns` are all good, with those columns and `_row`, typed as a District's tables."""
    keep = np.ones(len(frame), dtype=bool)
    if BAD in frame.columns:
        marks = frame[BAD].to_numpy()
        for i in np.flatnonzero(pd.notna(marks)):
            keep[i] = marks[i].isdisjoint(columns)
    return with_dtypes(frame.loc[keep, [*columns, ROW]].infer_objects())


def with_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as datetime64, counts and grades as int64, flags as bool (also on an empty table)."""
    for col in ("seniority_date", "date"):
        if col in frame.columns and frame[col].dtype.kind != "M":
            frame[col] = pd.to_datetime(frame[col])
    for col in ("seniority_tiebreak", "grade_min", "grade_max", "grade", "students", "order", "capacity", "positions",
                ROW):
        if col in frame.columns and frame[col].dtype != "int64":
            frame[col] = frame[col].astype("int64")
    for col in ("priority_site", "partitions", "stipend_consent"):
        if col in frame.columns and frame[col].dtype != bool:
            frame[col] = frame[col].astype(bool)
    return frame
