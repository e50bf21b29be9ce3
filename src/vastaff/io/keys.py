"""Keys no two rows of a table may share: one problem per repeated key, naming the row where it first appeared — over
the keys as every row writes them, also a row with another problem of its own (all problems at once)."""

from __future__ import annotations

import pandas as pd

from vastaff.errors import InputProblem
from vastaff.io.tables import ROW
from vastaff.schemas.fields import _text


def keys_as_written(typed: pd.DataFrame, raw: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """An ID key as every row writes it, also rows with another problem of their own (a repeated ID on a row with
    a bad cell was reported only once that cell was fixed: not every problem at once); a key of several columns as
    typed (a grade is written 9 or 09)."""
    if len(keys) > 1 or keys[0] not in raw.columns:
        return typed
    ids = raw[keys[0]].map(lambda v: _text(v).strip())
    return pd.DataFrame({keys[0]: ids, ROW: raw[ROW]})[ids != ""]


def duplicates(frame: pd.DataFrame, keys: list[str], label: str) -> list[InputProblem]:
    """One problem per repeated key, naming the row where it first appeared."""
    if frame.empty:
        return []
    dup = frame.duplicated(keys, keep=False)
    if not dup.any():
        return []
    rows = frame[dup]
    first = rows.groupby(keys, sort=False)[ROW].transform("min")
    later = rows[rows[ROW] != first]
    col = keys[-1]
    what = "a unique " + " + ".join(keys)
    values = later[keys].astype(str).agg(":".join, axis=1) if len(keys) > 1 else later[col].astype(str)
    return [
        InputProblem(label, int(r), col, v, f"{what} (already on row {int(f)})")
        for r, v, f in zip(later[ROW], values, first[rows[ROW] != first])
    ]
