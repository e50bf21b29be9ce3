"""`load_district` on CSV folders: typed tables, every kind of input problem with its exact line, and the
things a real analyst's export contains (BOM, CRLF, Windows-1252, ragged rows, blank lines, odd headers)."""

from __future__ import annotations

import importlib.util
import shutil
import string
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import problems, tiny_tables, write_tables
from vastaff.errors import InputError
from vastaff.io.district import load_district

BENCH = Path(__file__).resolve().parents[1] / "bench" / "load_bench.py"




def edited(tmp_path: Path, edit, name: str = "data") -> Path:
    tables = tiny_tables()
    edit(tables)
    return write_tables(tmp_path / name, tables)


def add_school_va2(t: dict) -> None:
    t["schools"].append({"school_id": "VA2", "name": "Virtual Academy 2", "region_id": "R2", "levels": "middle;high"})


def rewrite(folder: Path, name: str, change) -> Path:
    """Edit one CSV file's text (or bytes) in place."""
    file = folder / f"{name}.csv"
    file.write_bytes(change(file.read_bytes()))
    return folder


# ----------------------------------------------------------------------------------------------
# A valid folder loads into typed tables.


def test_tiny_district_loads_typed(tiny_dir):
    d = load_district(tiny_dir)
    t = d.teachers.set_index("teacher_id")
    assert list(d.teachers.columns) == ["teacher_id", "name", "school_id", "level", "department", "role",
                                        "seniority_date", "seniority_tiebreak", "credentials", "grade_min",
                                        "grade_max", "home_region_id", "current_site_id", "work_location",
                                        "ra_status", "stipend_consent", "requested_site_ids", "_row"]
    assert t.loc["E1", "grade_min"] == 0 and t.loc["H1", "grade_max"] == 12          # K = 0
    assert t.loc["H2", "credentials"] == ("english", "eld")
    assert t.loc["H2", "requested_site_ids"] == ("S1", "S2") and t.loc["E1", "requested_site_ids"] == ()
    assert pd.isna(t.loc["E2", "current_site_id"]) and t.loc["E1", "current_site_id"] == "S1"
    assert t.loc["H1", "seniority_date"] == pd.Timestamp("2001-01-10")
    assert t.stipend_consent.dtype == bool and bool(t.loc["H1", "stipend_consent"]) is True
    assert d.teachers._row.tolist() == [2, 3, 4, 5, 6]
    assert d.schools.levels.tolist() == [("elementary", "high")]
    assert d.sites.priority_site.tolist() == [True, False]
    assert d.demand.grade.dtype == "int64" and d.demand.students.sum() == 117
    assert d.seniority_order().teacher_id.tolist() == ["H1", "E1", "H2", "E2", "R1T"]
    assert d.academic_periods().period_id.tolist() == ["P1", "P2", "P3"]
    assert d.has_positions and d.previous is None and len(d.input_sha256) == 64


def test_a_row_with_a_bad_cell_still_has_its_references_checked_in_the_same_run(tmp_path):
    """A probe written from the documentation alone: `stipend_consent = yes` hid the same row's unknown region and site
    until it was fixed; the bad cell is said once, not again as a reference."""
    def edit(t):
        h1 = next(r for r in t["teachers"] if r["teacher_id"] == "H1")
        h1.update(stipend_consent="yes", home_region_id="RZZ", requested_site_ids="S1;SZZ", current_site_id="S 1")
    assert problems(edited(tmp_path, edit)) == [
        "teachers.csv, row 4, column current_site_id: got 'S 1', expected an ID of letters, digits and _ - . : / "
        "that starts with a letter or digit, at most 64 characters",
        "teachers.csv, row 4, column home_region_id: got 'RZZ', expected a region_id listed in regions.csv",
        "teachers.csv, row 4, column requested_site_ids: got 'SZZ', expected a site_id listed in sites.csv",
        "teachers.csv, row 4, column stipend_consent: got 'yes', expected true or false"]


def test_input_hash_changes_with_any_cell(tmp_path):
    a = load_district(write_tables(tmp_path / "a", tiny_tables())).input_sha256
    b = load_district(write_tables(tmp_path / "b", tiny_tables())).input_sha256
    c = load_district(edited(tmp_path, lambda t: t["demand"][0].update(students=41), "c")).input_sha256
    assert a == b != c


def test_optional_tables_may_be_absent(tmp_path):
    folder = write_tables(tmp_path / "d", tiny_tables())
    for name in ("iep_meetings", "sped_students", "positions"):
        (folder / f"{name}.csv").unlink()
    d = load_district(folder)
    assert d.iep_meetings.empty and d.sped_students.empty and d.positions.empty and not d.has_positions
    assert list(d.positions.columns) == ["school_id", "level", "department", "positions", "_row"]
    assert d.iep_meetings.date.dtype.kind == "M" and d.positions.positions.dtype == "int64"


def test_positions_department_defaults_to_general(tmp_path):
    folder = edited(tmp_path, lambda t: [r.pop("department") for r in t["positions"]])
    assert load_district(folder).positions.department.tolist() == ["general"]


# ----------------------------------------------------------------------------------------------
# Every kind of problem, with its exact line.

CELL_PROBLEMS = [
    ("level outside the allowed values", lambda t: t["teachers"][1].update(level="elem"),
     "teachers.csv, row 3, column level: got 'elem', expected one of elementary, middle, high"),
    ("program outside the allowed values", lambda t: t["courses"][2].update(program="honors"),
     "courses.csv, row 4, column program: got 'honors', expected one of general, eld, special_education, tk, utk"),
    ("unparseable date", lambda t: t["teachers"][0].update(seniority_date="15/08/2005"),
     "teachers.csv, row 2, column seniority_date: got '15/08/2005', expected a date YYYY-MM-DD"),
    ("a day not on the calendar", lambda t: t["teachers"][0].update(seniority_date="2005-02-30"),
     "teachers.csv, row 2, column seniority_date: got '2005-02-30', expected a date YYYY-MM-DD that is on the calendar "
     "(there is no such day)"),
    ("teacher with no seniority date", lambda t: t["teachers"][0].update(seniority_date=""),
     "teachers.csv, row 2, column seniority_date: got '', expected a date YYYY-MM-DD (cell is blank)"),
    ("grade above 12", lambda t: t["demand"][1].update(grade="13"),
     "demand.csv, row 3, column grade: got '13', expected a grade: UTK, TK, K or 1..12 (UTK=-2, TK=-1, K=0)"),
    ("grade as a word", lambda t: t["teachers"][2].update(grade_min="ninth"),
     "teachers.csv, row 4, column grade_min: got 'ninth', expected a grade: UTK, TK, K or 1..12 (UTK=-2, TK=-1, K=0)"),
    ("boolean yes", lambda t: t["sites"][1].update(priority_site="yes"),
     "sites.csv, row 3, column priority_site: got 'yes', expected true or false"),
    ("boolean 1", lambda t: t["teachers"][0].update(stipend_consent="1"),
     "teachers.csv, row 2, column stipend_consent: got '1', expected true or false"),
    ("number", lambda t: t["regions"][0].update(x_km="far"),
     "regions.csv, row 2, column x_km: got 'far', expected a number from -10,000 to 10,000"),
    ("negative count", lambda t: t["demand"][0].update(students=-3),
     "demand.csv, row 2, column students: got '-3', expected a whole number >= 0"),
    ("negative positions", lambda t: t["positions"][0].update(positions=-1),
     "positions.csv, row 2, column positions: got '-1', expected a whole number >= 0"),
    ("room capacity 0", lambda t: t["rooms"][1].update(capacity=0),
     "rooms.csv, row 3, column capacity: got '0', expected a whole number >= 1"),
    ("Arabic-Indic digits", lambda t: t["demand"][0].update(students="\u0663\u0660"),
     "demand.csv, row 2, column students: got '\u0663\u0660', expected a whole number >= 0"),
    ("full-width digits", lambda t: t["regions"][0].update(x_km="\uff11\uff12"),
     "regions.csv, row 2, column x_km: got '\uff11\uff12', expected a number from -10,000 to 10,000"),
    ("full-width digits in a time", lambda t: t["iep_meetings"][1].update(start="\uff11\uff13:00"),
     "iep_meetings.csv, row 3, column start: got '\uff11\uff13:00', expected a time HH:MM"),
    ("fractional tiebreak", lambda t: t["teachers"][0].update(seniority_tiebreak="1.5"),
     "teachers.csv, row 2, column seniority_tiebreak: got '1.5', expected a whole number"),
    ("period order", lambda t: t["periods"][0].update(order="first"),
     "periods.csv, row 2, column order: got 'first', expected a whole number"),
    ("time", lambda t: t["iep_meetings"][1].update(start="1pm"),
     "iep_meetings.csv, row 3, column start: got '1pm', expected a time HH:MM"),
    ("blank ID", lambda t: t["teachers"][4].update(teacher_id=" "),
     "teachers.csv, row 6, column teacher_id: got '', expected a value (cell is blank)"),
    ("levels list", lambda t: t["schools"][0].update(levels="elementary;bogus"),
     "schools.csv, row 2, column levels: got 'elementary;bogus', expected a ';'-separated list of elementary, middle, high"),
    ("semester", lambda t: t["courses"][1].update(semester="3"),
     "courses.csv, row 3, column semester: got '3', expected one of 1, 2, year"),
    ("site status", lambda t: t["sites"][1].update(status="shut"),
     "sites.csv, row 3, column status: got 'shut', expected one of open, temporarily_closed, closed"),
    ("room kind", lambda t: t["rooms"][0].update(kind="lab"),
     "rooms.csv, row 2, column kind: got 'lab', expected one of classroom, shared"),
    ("work location", lambda t: t["teachers"][0].update(work_location="office"),
     "teachers.csv, row 2, column work_location: got 'office', expected one of site, home, either"),
    ("ra status", lambda t: t["teachers"][0].update(ra_status="yes"),
     "teachers.csv, row 2, column ra_status: got 'yes', expected one of none, granted, pending"),
    ("role", lambda t: t["teachers"][0].update(role="teacher"),
     "teachers.csv, row 2, column role: got 'teacher', expected one of classroom, resource_specialist"),
    ("department", lambda t: t["teachers"][0].update(department="math"),
     "teachers.csv, row 2, column department: got 'math', expected one of general, special_education"),
    ("position department", lambda t: t["positions"][0].update(department="art"),
     "positions.csv, row 2, column department: got 'art', expected one of general, special_education"),
    ("period kind", lambda t: t["periods"][0].update(kind="lunch"),
     "periods.csv, row 2, column kind: got 'lunch', expected one of advisory, academic"),
]

CROSS_PROBLEMS = [
    ("duplicate teacher ID", lambda t: t["teachers"].append(dict(t["teachers"][2], name="Copy")),
     "teachers.csv, row 7, column teacher_id: got 'H1', expected a unique teacher_id (already on row 4)"),
    ("duplicate region ID", lambda t: t["regions"].append(dict(t["regions"][0])),
     "regions.csv, row 4, column region_id: got 'R1', expected a unique region_id (already on row 2)"),
    ("duplicate demand course and grade", lambda t: t["demand"].append(dict(t["demand"][1], students=3)),
     "demand.csv, row 7, column grade: got 'MA-ALG1:9', expected a unique course_id + grade (already on row 3)"),
    ("duplicate period of a school", lambda t: t["periods"].append(dict(t["periods"][2], order=9)),
     "periods.csv, row 6, column period_id: got 'VA1:P2', expected a unique school_id + period_id (already on row 4)"),
    ("course at an unknown school", lambda t: t["courses"][1].update(school_id="VA9"),
     "courses.csv, row 3, column school_id: got 'VA9', expected a school_id listed in schools.csv"),
    ("requested site that does not exist", lambda t: t["teachers"][3].update(requested_site_ids="S1;S3"),
     "teachers.csv, row 5, column requested_site_ids: got 'S3', expected a site_id listed in sites.csv"),
    ("current site that does not exist", lambda t: t["teachers"][0].update(current_site_id="S5"),
     "teachers.csv, row 2, column current_site_id: got 'S5', expected a site_id listed in sites.csv, or blank"),
    ("room at an unknown site", lambda t: t["rooms"][2].update(site_id="S3"),
     "rooms.csv, row 4, column site_id: got 'S3', expected a site_id listed in sites.csv"),
    ("home region unknown", lambda t: t["teachers"][4].update(home_region_id="R7"),
     "teachers.csv, row 6, column home_region_id: got 'R7', expected a region_id listed in regions.csv"),
    ("school region unknown", lambda t: t["schools"][0].update(region_id="R7"),
     "schools.csv, row 2, column region_id: got 'R7', expected a region_id listed in regions.csv"),
    ("demand of an unknown course", lambda t: t["demand"][2].update(course_id="MA-GEO"),
     "demand.csv, row 4, column course_id: got 'MA-GEO', expected a course_id listed in courses.csv"),
    ("sped student at an unknown school", lambda t: t["sped_students"][0].update(school_id="VA3"),
     "sped_students.csv, row 2, column school_id: got 'VA3', expected a school_id listed in schools.csv"),
    ("eligible teacher unknown", lambda t: t["iep_meetings"][1].update(eligible_teacher_ids="E1;E9"),
     "iep_meetings.csv, row 3, column eligible_teacher_ids: got 'E9', expected a teacher_id listed in teachers.csv"),
    ("eligible teacher of another school",
     lambda t: (add_school_va2(t), t["teachers"][1].update(school_id="VA2", level="middle", grade_min=6, grade_max=8)),
     "iep_meetings.csv, row 3, column eligible_teacher_ids: got 'E2', expected a teacher_id of school VA1 "
     "(teachers.csv puts this teacher at VA2)"),
    ("priority site that is not open", lambda t: t["sites"][0].update(status="temporarily_closed"),
     "sites.csv, row 2, column status: got 'temporarily_closed', expected open for a priority site "
     "(priority_site = true, Article 11.0)"),
    ("demand row whose course belongs to another school",
     lambda t: (add_school_va2(t), t["demand"][1].update(school_id="VA2")),
     "demand.csv, row 3, column school_id: got 'VA2', expected VA1, the school_id of course MA-ALG1 in courses.csv"),
    ("demand grade outside the course's level", lambda t: t["demand"][1].update(grade=8),
     "demand.csv, row 3, column grade: got '8', expected a grade of course MA-ALG1's level, high: 9..12"),
    ("demand TK grade in a high course", lambda t: t["demand"][1].update(grade="TK"),
     "demand.csv, row 3, column grade: got 'TK', expected a grade of course MA-ALG1's level, high: 9..12"),
    ("grade_min above grade_max", lambda t: t["teachers"][0].update(grade_min="5", grade_max="K"),
     "teachers.csv, row 2, column grade_max: got 'K', expected a grade at or above grade_min 5"),
    ("a period named homeroom", lambda t: t["periods"][1].update(period_id="Homeroom"),
     "periods.csv, row 3, column period_id: got 'Homeroom', expected a period_id other than homeroom "
     "(reserved for elementary homerooms)"),
    ("meeting end before start", lambda t: t["iep_meetings"][0].update(end="08:30"),
     "iep_meetings.csv, row 2, column end: got '08:30', expected a time after start 09:00"),
    ("meeting end equal to start", lambda t: t["iep_meetings"][0].update(end="09:00"),
     "iep_meetings.csv, row 2, column end: got '09:00', expected a time after start 09:00"),
    ("elementary course not year-long", lambda t: t["courses"][0].update(semester="2"),
     "courses.csv, row 2, column semester: got '2', expected year for an elementary course "
     "(elementary sections are year-long homerooms)"),
    ("teacher level the school does not offer", lambda t: t["teachers"][2].update(level="middle"),
     "teachers.csv, row 4, column level: got 'middle', expected a level school VA1 offers: elementary, high (schools.csv)"),
    ("course level the school does not offer", lambda t: t["courses"][4].update(level="middle"),
     ["courses.csv, row 6, column level: got 'middle', expected a level school VA1 offers: elementary, high (schools.csv)",
      "demand.csv, row 6, column grade: got '9', expected a grade of course ELD-1's level, middle: 6..8"]),
]


@pytest.mark.parametrize("edit, expected", [c[1:] for c in CELL_PROBLEMS + CROSS_PROBLEMS],
                         ids=[c[0] for c in CELL_PROBLEMS + CROSS_PROBLEMS])
def test_each_problem_is_one_exact_line(tmp_path, edit, expected):
    assert problems(edited(tmp_path, edit)) == ([expected] if isinstance(expected, str) else expected)


CONTROLS = [
    ("meeting one minute long", lambda t: t["iep_meetings"][0].update(end="09:01")),
    ("grade_min equal to grade_max", lambda t: t["teachers"][0].update(grade_min="3", grade_max="3")),
    ("demand at the bottom of the course's level", lambda t: t["demand"][1].update(grade=9)),
    ("demand at the top of the level", lambda t: t["demand"][2].update(grade=12)),
    ("elementary demand in UTK", lambda t: t["demand"][0].update(grade="UTK")),
    ("a period named homeroom_A", lambda t: t["periods"][1].update(period_id="homeroom_A")),
    ("priority site open, another closed", lambda t: t["sites"][1].update(status="closed")),
    ("zero students", lambda t: t["demand"][0].update(students=0)),
    ("zero positions", lambda t: t["positions"][0].update(positions=0)),
    ("same period ID at two schools",
     lambda t: (add_school_va2(t), t["periods"].append(dict(t["periods"][1], school_id="VA2")))),
    ("same grade in two courses", lambda t: t["demand"].append(dict(t["demand"][1], course_id="EN-9", grade=10))),
    ("eligible teachers of the meeting's school", lambda t: t["iep_meetings"][1].update(eligible_teacher_ids="E2;E1")),
    ("blank current site", lambda t: t["teachers"][0].update(current_site_id="")),
    ("negative tiebreak", lambda t: t["teachers"][0].update(seniority_tiebreak="-4")),
    ("extra column", lambda t: [r.update(note="keep me") for r in t["teachers"]]),
]


@pytest.mark.parametrize("edit", [c[1] for c in CONTROLS], ids=[c[0] for c in CONTROLS])
def test_near_identical_valid_rows_load(tmp_path, edit):
    assert problems(edited(tmp_path, edit)) == []


def test_missing_file_and_missing_column(tmp_path):
    folder = write_tables(tmp_path / "d", tiny_tables())
    (folder / "rooms.csv").unlink()
    frame = pd.read_csv(folder / "courses.csv", dtype=str).drop(columns=["subject", "credential"])
    frame.to_csv(folder / "courses.csv", index=False)
    (folder / "sped_students.csv").unlink()                      # optional: no problem
    assert problems(folder) == [
        "courses.csv, row 1, column credential: expected a column named credential (column missing)",
        "courses.csv, row 1, column subject: expected a column named subject (column missing)",
        "rooms.csv: expected this required file (file missing)",
    ]


def test_many_problems_at_once_in_a_stable_order(tmp_path):
    def edit(t):
        t["teachers"][3].update(level="elem", seniority_date="soon", requested_site_ids="S9")
        t["teachers"][0].update(stipend_consent="TRUE?")
        t["demand"][0].update(students="-1")
        t["demand"].append({"school_id": "VA1", "course_id": "ZZ", "grade": 9, "students": 1})
        t["courses"][4].update(level="middle")
        t["sites"][0].update(status="closed")
        t["rooms"][0].update(site_id="S9")
    expected = [
        "courses.csv, row 6, column level: got 'middle', expected a level school VA1 offers: elementary, high (schools.csv)",
        "demand.csv, row 2, column students: got '-1', expected a whole number >= 0",
        "demand.csv, row 6, column grade: got '9', expected a grade of course ELD-1's level, middle: 6..8",
        "demand.csv, row 7, column course_id: got 'ZZ', expected a course_id listed in courses.csv",
        "rooms.csv, row 2, column site_id: got 'S9', expected a site_id listed in sites.csv",
        "sites.csv, row 2, column status: got 'closed', expected open for a priority site (priority_site = true, Article 11.0)",
        "teachers.csv, row 2, column stipend_consent: got 'TRUE?', expected true or false",
        "teachers.csv, row 5, column level: got 'elem', expected one of elementary, middle, high",
        "teachers.csv, row 5, column requested_site_ids: got 'S9', expected a site_id listed in sites.csv",
        "teachers.csv, row 5, column seniority_date: got 'soon', expected a date YYYY-MM-DD",
    ]
    first = problems(edited(tmp_path, edit, "a"))
    assert first == expected
    assert problems(edited(tmp_path, edit, "b")) == first


def test_a_bad_row_is_one_message_not_a_cascade(tmp_path):
    """The school row has a bad cell; teachers, courses and demand that name VA1 are not 'dangling' for it."""
    folder = edited(tmp_path, lambda t: t["schools"][0].update(levels="primary"))
    assert problems(folder) == [
        "schools.csv, row 2, column levels: got 'primary', expected a ';'-separated list of elementary, middle, high"]


def test_a_missing_file_does_not_hide_problems_elsewhere(tmp_path):
    folder = edited(tmp_path, lambda t: t["teachers"][0].update(level="elem"))
    (folder / "regions.csv").unlink()
    assert problems(folder) == [
        "regions.csv: expected this required file (file missing)",
        "teachers.csv, row 2, column level: got 'elem', expected one of elementary, middle, high",
    ]


def test_data_folder_not_found(tmp_path):
    assert problems(tmp_path / "nope") == [
        f"{tmp_path / 'nope'}: expected a data folder of CSV files or an .xlsx workbook (not found)"]
    (tmp_path / "teachers.csv").write_text("teacher_id\n")
    assert problems(tmp_path / "teachers.csv") == [
        f"{tmp_path / 'teachers.csv'}: expected a data folder of CSV files or an .xlsx workbook "
        "(got a .csv file: not a folder or workbook)"]


# ----------------------------------------------------------------------------------------------
# What a real export contains.


def test_utf8_bom_crlf_and_spaces_or_capitals_in_headers(tmp_path):
    folder = write_tables(tmp_path / "d", tiny_tables())

    def windows(data: bytes) -> bytes:
        text = data.decode()
        header, rest = text.split("\n", 1)
        header = ",".join(f" {h.upper()}  " for h in header.split(","))
        return b"\xef\xbb\xbf" + (header + "\n" + rest).replace("\n", "\r\n").encode()

    for name in ("teachers", "courses", "demand"):
        rewrite(folder, name, windows)
    d = load_district(folder)
    assert d.teachers.teacher_id.tolist() == ["E1", "E2", "H1", "H2", "R1T"]
    assert d.courses.course_id.iloc[0] == "EL-1" and d.demand.students.sum() == 117


def test_windows_1252_text_is_read(tmp_path):
    folder = edited(tmp_path, lambda t: t["teachers"][0].update(name="Adá Peña"))
    rewrite(folder, "teachers", lambda b: b.decode("utf-8").encode("cp1252"))
    assert load_district(folder).teachers.name.iloc[0] == "Adá Peña"


def test_empty_required_file_and_empty_optional_file(tmp_path):
    folder = write_tables(tmp_path / "d", tiny_tables())
    (folder / "periods.csv").write_text("")
    (folder / "sped_students.csv").write_text("\n")
    assert problems(folder) == ["periods.csv, row 1: expected a header row naming the columns (the file is empty)"]


def test_header_only_file_is_an_empty_table(tmp_path):
    tables = tiny_tables()
    tables["sped_students"] = []
    tables["iep_meetings"] = []
    d = load_district(write_tables(tmp_path / "d", tables))
    assert d.sped_students.empty and d.iep_meetings.empty


def test_quoted_cell_with_a_list_and_booleans_in_any_case(tmp_path):
    folder = write_tables(tmp_path / "d", tiny_tables())
    rewrite(folder, "teachers", lambda b: b.replace(b"S1;S2", b'"S2; S1"').replace(b",true,", b",TRUE,")
            .replace(b",false,", b",False,"))
    t = load_district(folder).teachers.set_index("teacher_id")
    assert t.loc["H2", "requested_site_ids"] == ("S2", "S1")
    assert t.stipend_consent.tolist() == [False, False, True, False, False]


def test_ragged_row_with_too_many_cells(tmp_path):
    folder = write_tables(tmp_path / "d", tiny_tables())
    rewrite(folder, "rooms", lambda b: b.replace(b"S2-101,S2,classroom,1,false", b"S2-101,S2,classroom,1,false,x,y"))
    assert problems(folder) == [
        "rooms.csv, row 4: expected at most 5 cells, one per header column (this row has 7; "
        "a cell holding a comma needs quotes)"]


def test_a_ragged_row_is_one_problem_not_one_more_per_reference_to_its_id(tmp_path):
    """Two stray cells on S2's row of sites.csv: teachers and rooms naming S2 were each 'expected a site_id listed in
    sites.csv' although it is listed (a fuzz: one problem, 14 lines)."""
    folder = write_tables(tmp_path / "d", tiny_tables())
    rewrite(folder, "sites", lambda b: b.replace(b"South Welcome Center,R2,false,open",
                                                 b"South Welcome Center,R2,false,open,x,y"))
    assert problems(folder) == [
        "sites.csv, row 3: expected at most 5 cells, one per header column (this row has 7; "
        "a cell holding a comma needs quotes)"]


def test_a_blank_header_cell_with_values_under_it_is_one_problem_of_the_header(tmp_path):
    """A column without a name (`...,partitions,` over rows ending `,x`): one line for the header, not "at most 5
    cells ... a cell holding a comma needs quotes" on every row (a fuzz: 118 lines for one missing name)."""
    folder = write_tables(tmp_path / "d", tiny_tables())
    rewrite(folder, "rooms", lambda b: b.replace(b"partitions\n", b"partitions,,notes\n")
            .replace(b"S1-101,S1,classroom,1,false", b"S1-101,S1,classroom,1,false,x,y")
            .replace(b"S2-101,S2,classroom,1,false", b"S2-101,S2,classroom,1,false,z"))
    assert problems(folder) == [
        "rooms.csv, row 1: expected a name for column 6 (its header cell is blank, and rows 2-4 have values under it)"]
    rewrite(folder, "rooms", lambda b: b.replace(b"partitions,,notes\n", b"partitions,\n").replace(b",x,y", b""))
    assert problems(folder) == [
        "rooms.csv, row 1: expected a name for column 6 (its header cell is blank, and row 4 has values under it)"]


def test_a_title_above_the_header_is_one_line(tmp_path):
    """An export's title line above the header: one line saying so, where it was one per nameless column and one per
    missing column (a workbook fuzz: 51 lines for two files)."""
    folder = write_tables(tmp_path / "d", tiny_tables())
    rewrite(folder, "rooms", lambda b: b"Rooms, as of 2026-12-01\n\n" + b)
    assert problems(folder) == [
        "rooms.csv, row 1: got 'Rooms, as of 2026-12-01', expected the column names in the first row (it holds a "
        "title?; row 3 looks like the header: delete the rows above it)"]


def test_a_school_with_high_school_students_and_no_academic_period_is_one_line(tmp_path):
    """periods.csv may have no rows (an elementary district), but VA1's 77 high school students of demand.csv would
    all be vacancies "with no period left where they fit" — and `solve` blamed the IEP meetings no one could take."""
    tables = tiny_tables()
    tables["periods"] = [row for row in tables["periods"] if row["kind"] == "advisory"]
    assert problems(write_tables(tmp_path / "d", tables)) == [
        "periods.csv: expected an academic period of school VA1 (demand.csv asks for 77 middle or high school "
        "students there, and no section of theirs can meet without a period: A6.1)"]
    tables["demand"] = [row for row in tables["demand"] if row["course_id"] == "EL-1"]
    assert problems(write_tables(tmp_path / "d", tables)) == []  # homerooms need no period


def test_a_repeated_id_on_a_row_with_a_bad_cell_is_reported_with_it(tmp_path):
    """All problems at once: the repeat was reported only after the bad cell of its row was fixed."""
    t = tiny_tables()
    t["teachers"].append({**t["teachers"][1], "stipend_consent": "yes"})
    assert problems(write_tables(tmp_path / "d", t)) == [
        "teachers.csv, row 7, column stipend_consent: got 'yes', expected true or false",
        "teachers.csv, row 7, column teacher_id: got 'E2', expected a unique teacher_id (already on row 3)"]


def test_trailing_empty_cells_and_short_rows(tmp_path):
    """Excel pads rows with commas; a short row is read with blank cells (and a blank required cell is reported)."""
    folder = write_tables(tmp_path / "d", tiny_tables())
    rewrite(folder, "rooms", lambda b: b.replace(b"S2-101,S2,classroom,1,false", b"S2-101,S2,classroom,1,false,,,"))
    assert problems(folder) == []
    rewrite(folder, "rooms", lambda b: b.replace(b"S2-101,S2,classroom,1,false,,,", b"S2-101,S2,classroom"))
    assert problems(folder) == [
        "rooms.csv, row 4, column capacity: got '', expected a whole number >= 1",
        "rooms.csv, row 4, column partitions: got '', expected true or false",
    ]


def test_blank_lines_count_as_rows_like_a_spreadsheet(tmp_path):
    folder = write_tables(tmp_path / "d", tiny_tables())
    rewrite(folder, "teachers", lambda b: b.replace(b"\nE2,", b"\n\n,,,,\nE2,")
            .replace(b"\nH2,Di English,VA1,high", b"\nH2,Di English,VA1,elem"))
    assert problems(folder) == ["teachers.csv, row 7, column level: got 'elem', expected one of elementary, middle, high"]


ONE_LINE = ('expected one line of text: a line break inside the cell (in a CSV file, a stray double quote (") in this '
            "row joins the lines up to the next quote into one cell; in a workbook, a line typed with Alt+Enter)")


def test_multiline_quoted_cell_is_one_row(tmp_path):
    """A quoted cell over two lines is one row (the next is row 3); a name over two lines is refused (a stray quote
    folds the rows up to the next quote into one name, and those teachers vanish)."""
    folder = edited(tmp_path, lambda t: (t["teachers"][0].update(name="Ada\nElem"), t["teachers"][1].update(level="x")))
    assert problems(folder) == [f"teachers.csv, row 2, column name: got 'Ada\\nElem', {ONE_LINE}",
                                "teachers.csv, row 3, column level: got 'x', expected one of elementary, middle, high"]


def test_two_stray_quotes_that_fold_rows_into_one_name_are_one_problem(tmp_path):
    """Two stray quotes rows apart make legal CSV: the rows between became one teacher's name, and data/sample
    loaded as valid with 4 teachers fewer."""
    folder = shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "sample", tmp_path / "sample")
    rewrite(folder, "teachers", lambda b: b.replace(b"\nT00005,David Tran,", b'\nT00005,"David Tran,')
            .replace(b"\nT00009,Steven Shah,", b'\nT00009,"Steven Shah,'))
    (problem,) = problems(folder)
    assert problem.startswith("teachers.csv, row 6, column name: got 'David Tran,VA02,") and problem.endswith(ONE_LINE)


def test_semicolon_separated_file_gets_a_hint(tmp_path):
    folder = write_tables(tmp_path / "d", tiny_tables())
    rewrite(folder, "regions", lambda b: b.replace(b",", b";"))
    # one line: not the columns, each missing in a header read as one column, nor what refers to the regions
    assert problems(folder) == ["regions.csv, row 1: expected comma-separated columns (this header looks separated "
                                "by ';')"]


def test_repeated_column_is_reported(tmp_path):
    folder = write_tables(tmp_path / "d", tiny_tables())
    rewrite(folder, "sites", lambda b: b.replace(b"status\n", b"status,Status\n", 1).replace(b"open\n", b"open,closed\n"))
    assert problems(folder) == ["sites.csv, row 1, column status: expected each column once (this header names it 2 times)"]


def test_file_names_in_any_case_and_two_files_for_one_table(tmp_path):
    folder = write_tables(tmp_path / "d", tiny_tables())
    (folder / "teachers.csv").rename(folder / "Teachers.CSV")
    assert len(load_district(folder).teachers) == 5
    (folder / "teachers.csv").write_bytes((folder / "Teachers.CSV").read_bytes())
    assert problems(folder) == ["teachers.csv: expected one file for table teachers (also found Teachers.CSV)"]


def test_spreadsheet_spellings_are_accepted(tmp_path):
    """Choices in any case, grades k/tk, US dates and 12-hour times as Excel writes them in CSV."""
    def edit(t):
        t["teachers"][2].update(level="High", seniority_date="1/10/2001", grade_min="09")
        t["teachers"][0].update(grade_min="k", work_location="Site")
        t["iep_meetings"][1].update(start="1:00 PM", end="2:00 pm")
        t["courses"][3].update(semester="Year")
    d = load_district(edited(tmp_path, edit))
    t = d.teachers.set_index("teacher_id")
    assert (t.loc["H1", "level"], t.loc["H1", "grade_min"], t.loc["E1", "grade_min"]) == ("high", 9, 0)
    assert t.loc["H1", "seniority_date"] == pd.Timestamp("2001-01-10") and t.loc["E1", "work_location"] == "site"
    assert d.iep_meetings.set_index("meeting_id").loc["M2", ["start", "end"]].tolist() == ["13:00", "14:00"]
    assert d.courses.set_index("course_id").loc["EN-9", "semester"] == "year"


def test_utf16_with_its_byte_order_mark_reads_as_utf8_does(tmp_path):
    """Excel's "Unicode Text" is UTF-16 with a BOM: the same table as the UTF-8 file."""
    folder = write_tables(tmp_path / "d", tiny_tables())
    expected = load_district(folder).teachers
    for codec in ("utf-16-le", "utf-16-be"):
        bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
        text = (folder / "teachers.csv").read_text(encoding="utf-8")
        (folder / "teachers.csv").write_bytes(bom + text.encode(codec))
        pd.testing.assert_frame_equal(load_district(folder).teachers, expected)
        (folder / "teachers.csv").write_text(text, encoding="utf-8", newline="")


@pytest.mark.parametrize("codec, what", [("utf-16-le", "UTF-16 or UTF-32 without a byte-order mark"),
                                         ("utf-32", "UTF-32")])
def test_wide_text_that_cannot_be_read_is_one_problem_not_every_column_missing(tmp_path, codec, what):
    folder = write_tables(tmp_path / "d", tiny_tables())
    (folder / "regions.csv").write_bytes((folder / "regions.csv").read_text(encoding="utf-8").encode(codec))
    assert problems(folder) == [f"regions.csv: expected text in UTF-8 (the file is {what}: save it as CSV UTF-8)"]


def test_a_nul_in_one_cell_is_that_cells_problem(tmp_path):
    folder = write_tables(tmp_path / "d", tiny_tables())
    text = (folder / "regions.csv").read_text(encoding="utf-8").replace("R1", "R\x001", 1)
    (folder / "regions.csv").write_text(text, encoding="utf-8", newline="")
    assert problems(folder)[0] == ("regions.csv, row 2, column region_id: got 'R\\x001', expected an ID of letters, "
                                   "digits and _ - . : / that starts with a letter or digit, at most 64 characters")


def test_a_file_that_is_not_text(tmp_path):
    folder = write_tables(tmp_path / "d", tiny_tables())
    (folder / "regions.csv").write_bytes(b"region_id,name,x_km,y_km\nR1,\x81\x8d\x8f,0,0\n")
    assert problems(folder) == ["regions.csv: expected text in UTF-8 (the file is neither UTF-8 nor Windows-1252)"]


# ----------------------------------------------------------------------------------------------
# Bad input never crashes: any corruption of any cell is InputError or a valid district.

CELL_TEXT = st.text(alphabet=string.printable + "éñ;\"", max_size=12)


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory) -> Path:
    """The tiny district written once; each fuzz example copies it and rewrites one file."""
    return write_tables(tmp_path_factory.mktemp("base") / "tiny", tiny_tables())


def copy_of(base: Path, tmp_path_factory) -> Path:
    return Path(shutil.copytree(base, tmp_path_factory.mktemp("fuzz") / "d"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_corrupted_cell_is_an_input_error_or_loads(base_dir, tmp_path_factory, data):
    tables = tiny_tables()
    name = data.draw(st.sampled_from(sorted(tables)))
    row = data.draw(st.integers(0, len(tables[name]) - 1))
    column = data.draw(st.sampled_from(sorted(tables[name][row])))
    tables[name][row][column] = data.draw(CELL_TEXT)
    folder = write_tables(copy_of(base_dir, tmp_path_factory), {name: tables[name]})
    try:
        load_district(folder)
    except InputError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["teachers", "demand", "iep_meetings"]), cut=st.integers(0, 400),
       junk=st.binary(max_size=20))
def test_any_truncated_or_garbled_file_is_an_input_error_or_loads(base_dir, tmp_path_factory, name, cut, junk):
    folder = copy_of(base_dir, tmp_path_factory)
    data = (folder / f"{name}.csv").read_bytes()
    (folder / f"{name}.csv").write_bytes(data[:cut] + junk)
    try:
        load_district(folder)
    except InputError as exc:
        assert exc.problems


# ----------------------------------------------------------------------------------------------
# The benchmark's big district (kept small here): replicated rows load with no problem and scale.


def _bench():
    spec = importlib.util.spec_from_file_location("load_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_replicated_district_loads(tmp_path):
    tables = _bench().big_tables(teachers=1000, schools=4)
    folder = write_tables(tmp_path / "big", tables)
    start = time.perf_counter()
    d = load_district(folder)
    seconds = time.perf_counter() - start
    assert (len(d.teachers), len(d.schools), len(d.courses)) == (1000, 4, 20)
    assert d.teachers.teacher_id.is_unique and d.sites.priority_site.sum() == 1
    assert seconds < 10, seconds  # ~0.1 s on an idle laptop; generous for a shared CI machine


def test_a_folder_named_like_a_file_is_not_the_file(tmp_path):
    """Said as what it is, not "file missing" (tests/test_not_a_file.py: optional files, links, pipes)."""
    folder = write_tables(tmp_path / "d", tiny_tables())
    (folder / "rooms.csv").unlink()
    (folder / "rooms.csv").mkdir()
    assert problems(folder) == ["rooms.csv: expected a CSV file (got a folder)"]


def test_a_file_that_cannot_be_read(tmp_path, monkeypatch):
    folder = write_tables(tmp_path / "d", tiny_tables())
    real = Path.read_bytes

    def locked(self):
        if self.name == "rooms.csv":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", locked)
    assert problems(folder) == ["rooms.csv: expected a file that can be read (Permission denied)"]


# ----------------------------------------------------------------------------------------------
# An unclosed quote, and a folder that cannot be listed: one line each, not a screenful of consequences.

UNCLOSED = ("expected a closing quote (unclosed quote: the quote opened on line {} never closes, so the rest of the "
            "file would be one cell)")


def test_an_unclosed_quote_is_one_problem_naming_its_line(tmp_path):
    folder = write_tables(tmp_path / "d", tiny_tables())
    rewrite(folder, "teachers", lambda b: b.replace(b"\nH2,Di English,", b'\nH2,"Di English,'))
    assert problems(folder) == [f"teachers.csv, row 5: {UNCLOSED.format(5)}"]


def test_an_unclosed_quote_after_a_multiline_cell_names_the_file_line(tmp_path):
    """Row 5 starts on line 6 when row 2 holds a line break in a quoted cell."""
    folder = edited(tmp_path, lambda t: t["teachers"][0].update(name="Ada\nElem"))
    rewrite(folder, "teachers", lambda b: b.replace(b"\nH2,Di English,", b'\nH2,"Di English,'))
    assert problems(folder)[-1] == f"teachers.csv, row 5: {UNCLOSED.format(6)}"


def test_an_unclosed_quote_in_the_sample_is_one_line(tmp_path):
    """On data/sample this was ~146 lines: ragged rows, cells shifted, and every reference to a teacher after it."""
    folder = shutil.copytree(Path(__file__).resolve().parents[1] / "data" / "sample", tmp_path / "sample")
    rewrite(folder, "teachers", lambda b: b.replace(b"\nT00004,Andre Sato,", b'\nT00004,"Andre Sato,'))
    assert problems(folder) == [f"teachers.csv, row 5: {UNCLOSED.format(5)}"]


def test_an_unclosed_quote_in_the_header(tmp_path):
    folder = write_tables(tmp_path / "d", tiny_tables())
    rewrite(folder, "rooms", lambda b: b.replace(b"room_id,", b'"room_id,', 1))
    assert problems(folder) == [f"rooms.csv, row 1: {UNCLOSED.format(1)}"]


def test_quotes_that_close_or_sit_inside_a_cell_are_not_unclosed(tmp_path):
    folder = edited(tmp_path, lambda t: t["teachers"][4].update(name='Eve "the" Resource'))
    rewrite(folder, "teachers", lambda b: b.replace(b"Ada Elem", b'Ada "Elem'))  # not at the start: a plain character
    assert problems(folder) == []
    assert load_district(folder).teachers.name.tolist()[0] == 'Ada "Elem'


def test_a_folder_that_cannot_be_listed(tmp_path, monkeypatch):
    folder = write_tables(tmp_path / "d", tiny_tables())
    real = Path.iterdir

    def locked(self):
        if self == folder:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "iterdir", locked)
    assert problems(folder) == [f"{folder}: expected a folder that can be read (Permission denied)"]


def test_a_row_with_an_unknown_school_is_one_line_and_no_valid_row_of_another_file_is_blamed(tmp_path):
    """A teacher's school_id VA9 (no such school) gave a line on each lock and matrix row of theirs ("expected a
    course of school VA9, teacher H1's school"), and a repeated course_id of another school a line on the demand row
    of the first (a cross-file fuzz): each is one line, on its own row."""
    def edit(t):
        next(r for r in t["teachers"] if r["teacher_id"] == "H1")["school_id"] = "VA9"
        blank = dict.fromkeys(["course_id", "semester", "period_id", "site_id", "room_id", "meeting_id", "reason"], "")
        t["locks"] = [{**blank, "lock_id": "L1", "teacher_id": "H1", "mode": "require", "course_id": "MA-ALG1"}]
        t["matrix"] = [{"teacher_id": "H1", "rank": 1, "grade": "", "course_id": "MA-HALG1", "level": ""}]
        add_school_va2(t)
        t["courses"].append({**t["courses"][1], "school_id": "VA2"})

    assert problems(edited(tmp_path, edit)) == [
        "courses.csv, row 7, column course_id: got 'MA-ALG1', expected a unique course_id (already on row 3)",
        "teachers.csv, row 4, column school_id: got 'VA9', expected a school_id listed in schools.csv"]


def test_a_row_with_a_bad_cell_takes_part_in_the_checks_of_the_rows_naming_it_in_the_same_run(tmp_path):
    """A probe from an audit: `stipend_consent = yes` on H1's row left H1 out of the checks of the lock and matrix.csv
    row naming them with a course of another school; those two lines came only on the next run, after the flag was
    fixed. H1's school_id is good: its rows are judged by it now, and the bad flag is still said once."""
    def edit(t):
        next(r for r in t["teachers"] if r["teacher_id"] == "H1")["stipend_consent"] = "yes"
        add_school_va2(t)
        t["courses"].append({**t["courses"][1], "course_id": "VA2-GEO", "school_id": "VA2", "title": "Geometry"})
        blank = dict.fromkeys(["course_id", "semester", "period_id", "site_id", "room_id", "meeting_id", "reason"], "")
        t["locks"] = [{**blank, "lock_id": "L1", "teacher_id": "H1", "mode": "require", "course_id": "VA2-GEO"}]
        t["matrix"] = [{"teacher_id": "H1", "rank": 1, "grade": "", "course_id": "VA2-GEO", "level": ""}]

    school = ("expected a course of school VA1, teacher H1's school (courses.csv puts course VA2-GEO at VA2)")
    assert problems(edited(tmp_path, edit)) == [
        f"locks.csv, row 2, column course_id: got 'VA2-GEO', {school}",
        f"matrix.csv, row 2, column course_id: got 'VA2-GEO', {school}",
        "teachers.csv, row 4, column stipend_consent: got 'yes', expected true or false"]


def test_every_table_judges_by_the_good_cells_of_a_row_with_a_bad_one(tmp_path):
    """The same in every file: a period with a bad `order` was no period at all ("expected an academic period of
    school VA1", a second line for one problem); a school with a bad name had its teachers' levels unchecked, a
    demand row with bad students its repeated key, an IEP meeting with a bad date its eligible teacher of another
    school, a teacher with a bad flag their grade range — each said only once the bad cell was fixed."""
    def edit(t):
        add_school_va2(t)
        t["schools"][0]["name"] = "Virtual\nAcademy 1"
        t["periods"] = [p for p in t["periods"] if p["period_id"] in ("ADV", "P1")]
        t["periods"][1]["order"] = "first"
        t["demand"].append({**t["demand"][1], "students": "many"})
        t["teachers"].append({**t["teachers"][3], "teacher_id": "H3", "school_id": "VA2"})
        h2 = next(r for r in t["teachers"] if r["teacher_id"] == "H2")
        h2.update(stipend_consent="yes", grade_min="12", grade_max="9", level="middle")
        t["iep_meetings"][1].update(date="2026-09-31", eligible_teacher_ids="E1;H3")

    assert problems(edited(tmp_path, edit)) == [
        "demand.csv, row 7, column grade: got 'MA-ALG1:9', expected a unique course_id + grade (already on row 3)",
        "demand.csv, row 7, column students: got 'many', expected a whole number >= 0",
        "iep_meetings.csv, row 3, column date: got '2026-09-31', expected a date YYYY-MM-DD that is on the calendar "
        "(there is no such day)",
        "iep_meetings.csv, row 3, column eligible_teacher_ids: got 'H3', expected a teacher_id of school VA1 "
        "(teachers.csv puts this teacher at VA2)",
        "periods.csv, row 3, column order: got 'first', expected a whole number",
        "schools.csv, row 2, column name: got 'Virtual\\nAcademy 1', expected one line of text: a line break inside "
        "the cell (in a CSV file, a stray double quote (\") in this row joins the lines up to the next quote into "
        "one cell; in a workbook, a line typed with Alt+Enter)",
        "teachers.csv, row 5, column grade_max: got '9', expected a grade at or above grade_min 12",
        "teachers.csv, row 5, column level: got 'middle', expected a level school VA1 offers: elementary, high "
        "(schools.csv)",
        "teachers.csv, row 5, column stipend_consent: got 'yes', expected true or false"]
