"""Seniority order within each VA school, level and department (Article 10.0), and ties it cannot break.

Earlier `seniority_date` is more senior; a tie is broken by the lower `seniority_tiebreak`. Two teachers with
the same date and tiebreak in one school, level and department cannot be ordered by the data: that is an
input error naming both, never a silent coin flip on `teacher_id`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from vastaff.errors import InputProblem
from vastaff.io.tables import ROW
from vastaff.schemas.fields import LEVELS

GROUP = ["school_id", "level", "department"]
"""The A10 retention unit: a VA school, one of its levels, one department (Article 9.0(1))."""

SENIORITY = ["seniority_date", "seniority_tiebreak"]
LEVEL_ORDER = {level: i for i, level in enumerate(LEVELS)}
"""elementary = 0, middle = 1, high = 2: A10.1 moves go to a lower number."""


def table_label(district_path: str, name: str) -> str:
    """How an input table is named in messages: `teachers.csv`, or `book.xlsx:teachers` for a workbook."""
    path = Path(district_path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return f"{path.name}:{name}"
    return f"{name}.csv"


def rank_within_groups(teachers: pd.DataFrame) -> pd.DataFrame:
    """A10: every teacher with `seniority_rank` (1 = most senior within school, level and department)."""
    ordered = teachers.sort_values(GROUP + SENIORITY + ["teacher_id"], kind="stable")
    return ordered.assign(seniority_rank=ordered.groupby(GROUP, sort=False).cumcount() + 1).reset_index(drop=True)


def unbreakable_ties(teachers: pd.DataFrame, keys: list[str], label: str, why: str) -> list[InputProblem]:
    """Teachers sharing `keys` plus seniority date and tiebreak: one problem per later teacher, naming the first."""
    cols = keys + SENIORITY
    tied = teachers[teachers.duplicated(cols, keep=False)]
    if tied.empty:
        return []
    tied = tied.sort_values(cols + [ROW], kind="stable")
    grouped = tied.groupby(cols, sort=False)
    first_id = grouped["teacher_id"].transform("first")
    first_row = grouped[ROW].transform("first")
    later = tied[tied["teacher_id"] != first_id]
    context = [why.format(where=w) for w in _where(later, keys)]
    return [
        InputProblem(
            label, int(row), "seniority_tiebreak", str(tiebreak),
            f"a seniority_tiebreak that differs from teacher {first}'s (row {int(frow)}): {first} and {tid} "
            f"share seniority_date {date:%Y-%m-%d} and seniority_tiebreak {tiebreak} {ctx}, "
            f"a tie the data cannot break",
        )
        for tid, row, tiebreak, date, first, frow, ctx in zip(
            later["teacher_id"], later[ROW], later["seniority_tiebreak"], later["seniority_date"],
            first_id[later.index], first_row[later.index], context,
        )
    ]


def _where(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """'VA1 high general' for the keys of each row."""
    return frame[keys].astype(str).agg(" ".join, axis=1)


def group_ties(teachers: pd.DataFrame, label: str) -> list[InputProblem]:
    """A10: ties within one school, level and department (seniority_rank would be a coin flip)."""
    return unbreakable_ties(teachers, GROUP, label, "in {where} (Article 10.0)")
