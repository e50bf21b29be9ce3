"""The validated district: one typed DataFrame per input table, plus the indexes rules need.

Every frame keeps `_row`, the spreadsheet row of its source line, so messages can point back at it.
Never imports ortools.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from vastaff.schemas.inputs import LockRow, MatrixRow
from vastaff.schemas.meetings import MeetingsData

if TYPE_CHECKING:  # schemas sit below the contract layer: a type only
    from vastaff.contract import ContractModel


@dataclass(frozen=True)
class Plan:
    """A plan folder: sections, section_grades, teachers, iep_assignments, caseloads, displacement, run.json."""

    sections: pd.DataFrame
    section_grades: pd.DataFrame
    teachers: pd.DataFrame
    iep_assignments: pd.DataFrame
    caseloads: pd.DataFrame
    displacement: pd.DataFrame | None = None
    run: dict = field(default_factory=dict)
    path: str = ""


def no_locks() -> pd.DataFrame:
    """locks.csv absent: an empty table with its columns (and `_row`), so every reader may filter it as is."""
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in LockRow.model_fields})
    frame["_row"] = pd.Series(dtype="int64")
    return frame


MATRIX_DTYPES = {"teacher_id": object, "rank": "int64", "grade": "Int64", "course_id": object, "level": object,
                 "_row": "int64"}
"""District.matrix's columns: `grade` is nullable (pd.NA on a course_id or level row); a blank ID or level is None."""


def matrix_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """matrix.csv's typed rows with MATRIX_DTYPES (the loader's rows, or an empty table)."""
    frame = frame.astype({c: t for c, t in MATRIX_DTYPES.items() if c in frame.columns})
    for col in ("course_id", "level"):
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    return frame


def no_matrix() -> pd.DataFrame:
    """matrix.csv absent: an empty table with its columns (and `_row`), typed as a loaded one."""
    return matrix_dtypes(pd.DataFrame({c: pd.Series(dtype=object) for c in [*MatrixRow.model_fields, "_row"]}))


@dataclass(frozen=True)
class District:
    """Tonight's data for every VA school."""

    schools: pd.DataFrame
    regions: pd.DataFrame
    sites: pd.DataFrame
    rooms: pd.DataFrame
    teachers: pd.DataFrame
    courses: pd.DataFrame
    demand: pd.DataFrame
    periods: pd.DataFrame
    iep_meetings: pd.DataFrame
    sped_students: pd.DataFrame
    positions: pd.DataFrame
    locks: pd.DataFrame = field(default_factory=no_locks)
    """Decisions people made (docs/contract.md, LOCK): one row per locks.csv row; empty without the file."""
    matrix: pd.DataFrame = field(default_factory=no_matrix)
    """Teachers' ranked choices (docs/contract.md, A9.1): one row per matrix.csv row; empty without the file.
    Columns teacher_id, rank (int64), grade (Int64, <NA> unless a grade row), course_id, level (None when blank),
    _row."""
    meetings: MeetingsData | None = None
    """The meetings calendar (Article 4.0 C): calendar.csv, meeting_requests.csv, meetings.csv; None without any."""
    has_positions: bool = False
    previous: Plan | None = None
    path: str = ""
    input_sha256: str = ""

    def academic_periods(self) -> pd.DataFrame:
        """Academic rotation periods per school, in rotation order (advisory periods hold no classes)."""
        p = self.periods[self.periods["kind"] == "academic"]
        return p.sort_values(["school_id", "order", "period_id"], kind="stable")[["school_id", "period_id", "order"]]

    def seniority_order(self) -> pd.DataFrame:
        """Teachers from most to least senior: earlier seniority_date, then lower tiebreak, then ID."""
        return self.teachers.sort_values(
            ["seniority_date", "seniority_tiebreak", "teacher_id"], kind="stable"
        ).reset_index(drop=True)

    def course_grades(self, contract: ContractModel) -> pd.DataFrame:
        """Demand rows joined with their course (program, level, subject, credential, semester)."""
        cols = ["course_id", "subject", "credential", "level", "program", "semester", "title"]
        return self.demand.drop(columns=["_row"]).merge(self.courses[cols], on="course_id", how="inner")
