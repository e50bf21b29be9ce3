"""`load_district` on one .xlsx workbook: sheets named like the files, Excel's own cell types, same tables as CSV."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from tests.conftest import problems, tiny_tables, write_book, write_tables
from vastaff.io.district import load_district
from vastaff.schemas.inputs import INPUT_TABLES


def native(tables: dict) -> dict:
    """The tiny district as Excel would hold it when typed in: numbers, dates, times and booleans, not text."""
    def cell(column: str, value):
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if column in ("seniority_date", "date") and value:
            return dt.datetime.fromisoformat(value)
        if column in ("start", "end"):
            h, m = value.split(":")
            return dt.time(int(h), int(m))
        if isinstance(value, str) and value.isdigit():
            return int(value)
        return value
    return {name: [{c: cell(c, v) for c, v in row.items()} for row in rows] for name, rows in tables.items()}






def same_tables(a, b) -> None:
    for name in INPUT_TABLES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_dtype=False, obj=name)


def rewrite_part(path: Path, prefix: str, change) -> None:
    """Apply `change` to the parts of a workbook whose name starts with `prefix` (one of them must change)."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    changed = {name: change(data) for name, data in parts.items() if name.startswith(prefix)}
    assert any(changed[name] != parts[name] for name in changed)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in {**parts, **changed}.items():
            z.writestr(name, data)


def zip_of(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buffer.getvalue()


def test_workbook_of_native_cells_equals_the_csv_folder(tmp_path):
    csv = load_district(write_tables(tmp_path / "csv", tiny_tables()))
    book = load_district(write_book(tmp_path / "district.xlsx", native(tiny_tables())))
    same_tables(csv, book)
    assert book.teachers.seniority_date.iloc[0] == pd.Timestamp("2005-08-15")
    assert book.iep_meetings.start.tolist() == ["09:00", "13:00"] and book.demand.grade.dtype == "int64"
    assert book.has_positions and len(book.input_sha256) == 64


def test_workbook_written_by_pandas_inline_strings(tmp_path):
    path = tmp_path / "district.xlsx"
    with pd.ExcelWriter(path) as xw:
        for name, rows in tiny_tables().items():
            pd.DataFrame(rows).to_excel(xw, sheet_name=name, index=False)
    same_tables(load_district(write_tables(tmp_path / "csv", tiny_tables())), load_district(path))


def test_sheet_names_like_files_in_any_case_and_extra_sheets_ignored(tmp_path):
    path = write_book(tmp_path / "d.xlsx", native(tiny_tables()),
                      sheet_name=lambda n: f"{n}.csv" if n == "teachers" else n.capitalize(),
                      extra_sheets=("README", "pivot"))
    d = load_district(path)
    assert d.teachers.teacher_id.tolist() == ["E1", "E2", "H1", "H2", "R1T"] and len(d.rooms) == 3


def test_numbers_as_ids_and_grades_as_whole_floats(tmp_path):
    tables = native(tiny_tables())
    for row in tables["teachers"]:
        row["seniority_tiebreak"] = float(row["seniority_tiebreak"])
    tables["regions"][0]["region_id"] = 7.0
    tables["schools"][0]["region_id"] = 7
    tables["sites"][0]["region_id"] = 7
    for row in tables["teachers"]:
        if row["home_region_id"] == "R1":
            row["home_region_id"] = 7
    tables["demand"][1]["grade"] = 9.0
    d = load_district(write_book(tmp_path / "d.xlsx", tables))
    assert d.regions.region_id.tolist() == ["7", "R2"] and d.schools.region_id.tolist() == ["7"]
    assert d.demand.grade.tolist() == [1, 9, 9, 9, 9] and d.teachers.seniority_tiebreak.tolist() == [1, 1, 1, 2, 1]


def test_problems_name_the_workbook_and_sheet(tmp_path):
    tables = native(tiny_tables())
    tables["teachers"][1]["level"] = "elem"
    tables["demand"][0]["students"] = 12.5
    tables["sites"][1]["priority_site"] = 1
    tables["teachers"][3]["requested_site_ids"] = "S1;S7"
    del tables["periods"]
    assert problems(write_book(tmp_path / "district.xlsx", tables)) == [
        "district.xlsx, sheet demand, row 2, column students: got '12.5', expected a whole number >= 0",
        "district.xlsx, sheet periods: expected this required sheet (sheet missing)",
        "district.xlsx, sheet sites, row 3, column priority_site: got '1', expected true or false",
        "district.xlsx, sheet teachers, row 3, column level: got 'elem', expected one of elementary, middle, high",
        "district.xlsx, sheet teachers, row 5, column requested_site_ids: got 'S7', expected a site_id listed in "
        "district.xlsx, sheet sites",
    ]


def test_excel_error_cell_and_text_dates(tmp_path):
    tables = native(tiny_tables())
    tables["teachers"][0]["seniority_date"] = "2005-08-15"           # typed as text: fine
    tables["teachers"][1]["seniority_date"] = "#N/A"                 # a lookup that failed
    path = write_book(tmp_path / "d.xlsx", tables)
    book = openpyxl.load_workbook(path)
    assert book["teachers"]["G3"].data_type == "e"
    assert problems(path) == ["d.xlsx, sheet teachers, row 3, column seniority_date: got '#N/A', expected a date YYYY-MM-DD"]


def test_a_date_cell_is_a_day_without_a_time_of_day_and_only_text_is_blamed_for_exponent_notation(tmp_path):
    """A date cell (calamine: a date) reads as its day; a cell with a time of day is refused, as `2012-08-15 13:30` in
    a CSV file (it was read as its day). Text `1e5` is refused as in a CSV file; an Excel number is never blamed for
    the way Python writes it (1e-05)."""
    tables = native(tiny_tables())
    tables["teachers"][0]["seniority_date"] = dt.date(2005, 8, 15)
    tables["teachers"][1]["seniority_date"] = dt.datetime(2012, 8, 15, 13, 30)
    tables["demand"][0]["students"] = "1e5"
    tables["demand"][1]["students"] = 30.0
    tables["rooms"][1]["capacity"] = 1e-05
    assert problems(write_book(tmp_path / "d.xlsx", tables)) == [
        "d.xlsx, sheet demand, row 2, column students: got '1e5', expected a whole number from 0 to 100,000, written "
        "in digits (not in exponent notation)",
        "d.xlsx, sheet rooms, row 3, column capacity: got '1e-05', expected a whole number >= 1",
        "d.xlsx, sheet teachers, row 3, column seniority_date: got '2012-08-15 13:30:00', expected a date YYYY-MM-DD "
        "without a time of day"]
    tables["teachers"][1]["seniority_date"] = dt.datetime(2012, 8, 15)
    tables["demand"][0]["students"], tables["rooms"][1]["capacity"] = 40, 2
    d = load_district(write_book(tmp_path / "d.xlsx", tables))
    assert d.teachers.seniority_date.tolist()[:2] == [pd.Timestamp("2005-08-15"), pd.Timestamp("2012-08-15")]
    assert d.demand.students.tolist()[:2] == [40, 30]


def test_a_formula_whose_cached_result_is_an_error_shows_the_error(tmp_path):
    """As Excel saves a failed lookup: the formula and its cached result #N/A (calamine alone reads it as blank)."""
    tables = native(tiny_tables())
    tables["teachers"][1]["seniority_date"] = '=VLOOKUP("E2",Hires!A:B,2,FALSE)'
    path = write_book(tmp_path / "d.xlsx", tables)
    rewrite_part(path, "xl/worksheets/sheet", lambda xml: xml.replace(
        b'<c r="G3"><f>VLOOKUP("E2",Hires!A:B,2,FALSE)</f><v /></c>',
        b'<c r="G3" t="e"><f>VLOOKUP("E2",Hires!A:B,2,FALSE)</f><v>#N/A</v></c>'))
    assert problems(path) == [
        "d.xlsx, sheet teachers, row 3, column seniority_date: got '#N/A', expected a date YYYY-MM-DD"]


UNSAVED = ("expected a value, not a formula whose result was never saved (a program wrote the workbook without "
           "computing it): open the workbook in Excel or LibreOffice, save it, and run again")


def test_a_formula_never_computed_is_named_not_read_as_blank(tmp_path):
    """openpyxl (like any program) writes a formula without its result: calamine reads the cell as blank, and an
    optional column's blank is its default (here "no stipend consent") — so each such cell is a problem."""
    tables = native(tiny_tables())
    tables["teachers"][0]["stipend_consent"] = '=IF(B2="Ada Elem",TRUE,FALSE)'  # optional: blank would be false
    tables["teachers"][2]["name"] = '="Ann "&"Lee"'
    path = write_book(tmp_path / "d.xlsx", tables)
    book = openpyxl.load_workbook(path)
    notes = book["teachers"].max_column + 1  # an extra column is never read: its formula neither (a workbook fuzz)
    book["teachers"].cell(1, notes, "notes"), book["teachers"].cell(5, notes, "=1+1")
    book.save(path)
    assert problems(path) == [
        f"d.xlsx, sheet teachers, row 2, column stipend_consent: got '=IF(B2=\"Ada Elem\",TRUE,FALSE)', {UNSAVED}",
        f"d.xlsx, sheet teachers, row 4, column name: got '=\"Ann \"&\"Lee\"', {UNSAVED}"]


def test_a_formula_with_its_saved_result_reads_the_result(tmp_path):
    """As Excel and LibreOffice save a formula: with its result, which is what is read."""
    tables = native(tiny_tables())
    tables["teachers"][1]["seniority_tiebreak"] = "=1+1"
    path = write_book(tmp_path / "d.xlsx", tables)
    rewrite_part(path, "xl/worksheets/sheet", lambda xml: xml.replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>"))
    assert load_district(path).teachers.seniority_tiebreak.tolist() == [1, 2, 1, 2, 1]


def test_a_stray_cell_far_outside_the_table_is_one_problem_not_a_crash(tmp_path):
    """One cell at XFD1048576 made calamine ask for 512 GiB and abort the process (a workbook fuzz); now the sheet is
    one line and the others are read."""
    tables = native(tiny_tables())
    tables["demand"][0]["students"] = 12.5
    path = write_book(tmp_path / "d.xlsx", tables)
    book = openpyxl.load_workbook(path)
    book["teachers"]["XFD1048576"] = "x"
    book.save(path)
    assert problems(path) == [
        "d.xlsx, sheet demand, row 2, column students: got '12.5', expected a whole number >= 0",
        "d.xlsx, sheet teachers: expected a sheet of at most 5,000,000 cells (it spans 16,384 columns x 1,048,576 "
        "rows, to XFD1048576: a cell far outside the table — Ctrl+End in Excel finds it; delete those rows and "
        "columns)"]


def test_a_time_cell_with_seconds_is_refused_not_cut(tmp_path):
    """08:15:40 was read as 08:15 (a workbook fuzz); a time a stored fraction of a day misses by a microsecond is its
    minute."""
    tables = native(tiny_tables())
    tables["iep_meetings"][0]["start"] = dt.time(8, 15, 40)
    tables["iep_meetings"][0]["end"] = dt.time(9, 14, 59, 999_999)
    assert problems(write_book(tmp_path / "d.xlsx", tables)) == [
        "d.xlsx, sheet iep_meetings, row 2, column start: got '08:15:40', expected a time HH:MM in whole minutes"]


def test_dates_of_a_workbook_in_the_1904_date_system(tmp_path):
    """Excel for Mac counts days from 1904: the same date is another number, read as the same date."""
    d = load_district(write_book(tmp_path / "d.xlsx", native(tiny_tables()), epoch=CALENDAR_MAC_1904))
    assert d.teachers.seniority_date.iloc[0] == pd.Timestamp("2005-08-15")
    assert d.iep_meetings.date.iloc[0] == pd.Timestamp(tiny_tables()["iep_meetings"][0]["date"])


def test_blank_rows_inside_a_sheet_keep_excel_row_numbers(tmp_path):
    path = write_book(tmp_path / "d.xlsx", native(tiny_tables()))
    book = openpyxl.load_workbook(path)
    sheet = book["teachers"]
    sheet.insert_rows(3, amount=2)                  # rows 3-4 empty; E2 moves to row 5
    sheet["D5"] = "elem"
    book.save(path)
    assert problems(path) == ["d.xlsx, sheet teachers, row 5, column level: got 'elem', expected one of elementary, middle, high"]


def test_time_cells_as_fractions_of_a_day_with_a_time_format(tmp_path):
    path = write_book(tmp_path / "d.xlsx", native(tiny_tables()))
    book = openpyxl.load_workbook(path)
    sheet = book["iep_meetings"]
    sheet["F2"] = 0.375                             # 09:00 as Excel stores it
    sheet["F2"].number_format = "h:mm"
    book.save(path)
    assert load_district(path).iep_meetings.start.iloc[0] == "09:00"


def test_two_sheets_for_one_table(tmp_path):
    path = write_book(tmp_path / "d.xlsx", native(tiny_tables()), extra_sheets=("Teachers.csv",))
    assert problems(path) == ["d.xlsx: expected one sheet for table teachers (found 'Teachers.csv' and 'teachers')"]


@pytest.mark.parametrize("name, content, expected", [
    ("broken.xlsx", b"this is not a zip file", "broken.xlsx: expected an .xlsx workbook that Excel can open "
                                               "(BadZipFile: File is not a zip file)"),
    ("notes.xlsx", zip_of({"notes.txt": "a zip, but no workbook"}),
     "notes.xlsx: expected an .xlsx workbook that Excel can open (CalamineError: Cannot detect file format)"),
], ids=["not a zip", "a zip of no workbook"])
def test_a_file_that_is_not_a_workbook(tmp_path, name, content, expected):
    (tmp_path / name).write_bytes(content)
    assert problems(tmp_path / name) == [expected]  # its sheets are not "missing": one line, as for a folder unread


def test_old_excel_format_is_named(tmp_path):
    (tmp_path / "district.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert problems(tmp_path / "district.xls") == [
        f"{tmp_path / 'district.xls'}: expected a data folder of CSV files or an .xlsx workbook "
        "(got a .xls file: save it as .xlsx)"]
