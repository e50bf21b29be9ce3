"""Tiny named districts, written as CSV folders, shared by the tests.

`tiny_tables()` is a one-school district small enough to reason about by hand:
VA1 (region R1) with an elementary and a high level, two sites, three rooms, five teachers.
Tests derive variants by editing the returned dict before writing it.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import pytest

from vastaff.schemas.inputs import INPUT_TABLES


@pytest.fixture(autouse=True)
def no_run_history(monkeypatch):
    """Tests record no run in a history store (`runs/vastaff.db` of the working directory) unless they ask for one:
    the store's own tests pass `--store` or set VASTAFF_STORE themselves."""
    monkeypatch.setenv("VASTAFF_STORE", "off")

TINY = {
    "regions": [
        {"region_id": "R1", "name": "North", "x_km": 0, "y_km": 0},
        {"region_id": "R2", "name": "South", "x_km": 0, "y_km": -20},
    ],
    "schools": [{"school_id": "VA1", "name": "Virtual Academy 1", "region_id": "R1", "levels": "elementary;high"}],
    "sites": [
        {"site_id": "S1", "name": "North Welcome Center", "region_id": "R1", "priority_site": "true", "status": "open"},
        {"site_id": "S2", "name": "South Welcome Center", "region_id": "R2", "priority_site": "false", "status": "open"},
    ],
    "rooms": [
        {"room_id": "S1-101", "site_id": "S1", "kind": "classroom", "capacity": 1, "partitions": "false"},
        {"room_id": "S1-200", "site_id": "S1", "kind": "shared", "capacity": 2, "partitions": "true"},
        {"room_id": "S2-101", "site_id": "S2", "kind": "classroom", "capacity": 1, "partitions": "false"},
    ],
    "teachers": [
        {"teacher_id": "E1", "name": "Ada Elem", "school_id": "VA1", "level": "elementary", "department": "general",
         "role": "classroom", "seniority_date": "2005-08-15", "seniority_tiebreak": 1, "credentials": "multiple_subject",
         "grade_min": "K", "grade_max": "5", "home_region_id": "R1", "current_site_id": "S1", "work_location": "site",
         "ra_status": "none", "stipend_consent": "false", "requested_site_ids": ""},
        {"teacher_id": "E2", "name": "Bo Elem", "school_id": "VA1", "level": "elementary", "department": "general",
         "role": "classroom", "seniority_date": "2012-08-15", "seniority_tiebreak": 1, "credentials": "multiple_subject",
         "grade_min": "K", "grade_max": "5", "home_region_id": "R2", "current_site_id": "", "work_location": "home",
         "ra_status": "none", "stipend_consent": "false", "requested_site_ids": ""},
        {"teacher_id": "H1", "name": "Cy Math", "school_id": "VA1", "level": "high", "department": "general",
         "role": "classroom", "seniority_date": "2001-01-10", "seniority_tiebreak": 1, "credentials": "math",
         "grade_min": "9", "grade_max": "12", "home_region_id": "R1", "current_site_id": "S1", "work_location": "either",
         "ra_status": "none", "stipend_consent": "true", "requested_site_ids": "S2"},
        {"teacher_id": "H2", "name": "Di English", "school_id": "VA1", "level": "high", "department": "general",
         "role": "classroom", "seniority_date": "2010-03-01", "seniority_tiebreak": 2, "credentials": "english;eld",
         "grade_min": "9", "grade_max": "12", "home_region_id": "R2", "current_site_id": "S2", "work_location": "site",
         "ra_status": "none", "stipend_consent": "false", "requested_site_ids": "S1;S2"},
        {"teacher_id": "R1T", "name": "Eve Resource", "school_id": "VA1", "level": "high", "department": "special_education",
         "role": "resource_specialist", "seniority_date": "2015-08-20", "seniority_tiebreak": 1, "credentials": "special_education",
         "grade_min": "9", "grade_max": "12", "home_region_id": "R1", "current_site_id": "", "work_location": "home",
         "ra_status": "granted", "stipend_consent": "false", "requested_site_ids": ""},
    ],
    "courses": [
        {"course_id": "EL-1", "school_id": "VA1", "title": "Grade 1 Homeroom", "subject": "elementary",
         "credential": "multiple_subject", "level": "elementary", "program": "general", "semester": "year"},
        {"course_id": "MA-ALG1", "school_id": "VA1", "title": "Algebra 1", "subject": "math", "credential": "math",
         "level": "high", "program": "general", "semester": "1"},
        {"course_id": "MA-HALG1", "school_id": "VA1", "title": "Honors Algebra 1", "subject": "math", "credential": "math",
         "level": "high", "program": "general", "semester": "1"},
        {"course_id": "EN-9", "school_id": "VA1", "title": "English 9", "subject": "english", "credential": "english",
         "level": "high", "program": "general", "semester": "year"},
        {"course_id": "ELD-1", "school_id": "VA1", "title": "ELD 1", "subject": "eld", "credential": "eld",
         "level": "high", "program": "eld", "semester": "1"},
    ],
    "demand": [
        {"school_id": "VA1", "course_id": "EL-1", "grade": 1, "students": 40},
        {"school_id": "VA1", "course_id": "MA-ALG1", "grade": 9, "students": 30},
        {"school_id": "VA1", "course_id": "MA-HALG1", "grade": 9, "students": 12},
        {"school_id": "VA1", "course_id": "EN-9", "grade": 9, "students": 25},
        {"school_id": "VA1", "course_id": "ELD-1", "grade": 9, "students": 10},
    ],
    "periods": [
        {"school_id": "VA1", "period_id": "ADV", "kind": "advisory", "order": 0},
        {"school_id": "VA1", "period_id": "P1", "kind": "academic", "order": 1},
        {"school_id": "VA1", "period_id": "P2", "kind": "academic", "order": 2},
        {"school_id": "VA1", "period_id": "P3", "kind": "academic", "order": 3},
    ],
    "iep_meetings": [
        {"meeting_id": "M1", "school_id": "VA1", "student_id": "ST1", "grade": 9, "date": "2026-09-14",
         "start": "09:00", "end": "10:00", "eligible_teacher_ids": ""},
        {"meeting_id": "M2", "school_id": "VA1", "student_id": "ST2", "grade": 1, "date": "2026-09-14",
         "start": "13:00", "end": "14:00", "eligible_teacher_ids": "E1;E2"},
    ],
    "sped_students": [
        {"student_id": "ST1", "school_id": "VA1", "grade": 9},
        {"student_id": "ST3", "school_id": "VA1", "grade": 10},
    ],
    "positions": [
        {"school_id": "VA1", "level": "high", "department": "general", "positions": 2},
    ],
}


def tiny_tables() -> dict[str, list[dict]]:
    """A fresh, editable copy of the tiny district."""
    return copy.deepcopy(TINY)


def problems(folder: Path) -> list[str]:
    """The lines `vastaff validate` would print for this data folder or workbook (empty when it loads)."""
    from vastaff.errors import InputError
    from vastaff.io.district import load_district

    try:
        load_district(folder)
    except InputError as exc:
        return [str(p) for p in exc.problems]
    return []


def write_book(path: Path, tables: dict, sheet_name=lambda name: name, extra_sheets=(), epoch=None,
               cell=lambda value: None if value == "" else value) -> Path:
    """The tables as an .xlsx workbook written cell by cell with openpyxl (shared strings, as Excel saves them): a
    sheet per table, the schema's columns that some row has (all of them for a sheet without rows), each value
    through `cell` (default: blanks as empty cells; numbers stay numbers, as Excel holds them)."""
    import openpyxl

    book = openpyxl.Workbook()
    if epoch is not None:
        book.epoch = epoch
    book.remove(book.active)
    for title in extra_sheets:
        book.create_sheet(title)["A1"] = "notes"
    for name, rows in tables.items():
        sheet = book.create_sheet(sheet_name(name))
        columns = list(INPUT_TABLES[name][0].model_fields)
        columns = [c for c in columns if any(c in r for r in rows)] or columns
        sheet.append(columns)
        for row in rows:
            sheet.append([cell(row.get(c)) for c in columns])
    book.save(path)
    return path


_WRITTEN: dict[Path, set[str]] = {}
"""The tables `write_tables` wrote into each folder, so that a later call without one of them removes its file."""


def write_tables(folder: Path, tables: dict[str, list[dict]]) -> Path:
    """Write `tables` as `<name>.csv` files (columns in schema order, extra columns after). A table an earlier call
    wrote into the same folder and this one does not have is removed: a case that drops its matrix.csv must not load
    the one written before (a test passed or failed depending on which test had cached the district first)."""
    folder.mkdir(parents=True, exist_ok=True)
    for gone in _WRITTEN.get(folder, set()) - set(tables):
        (folder / f"{gone}.csv").unlink(missing_ok=True)
    _WRITTEN[folder] = set(tables)
    for name, rows in tables.items():
        schema_cols = list(INPUT_TABLES[name][0].model_fields) if name in INPUT_TABLES else []
        frame = pd.DataFrame(rows)
        cols = [c for c in schema_cols if c in frame.columns] + [c for c in frame.columns if c not in schema_cols]
        frame[cols].to_csv(folder / f"{name}.csv", index=False) if rows else (folder / f"{name}.csv").write_text(
            ",".join(schema_cols) + "\n")
    return folder


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    """The tiny district as a CSV folder."""
    return write_tables(tmp_path / "tiny", tiny_tables())
