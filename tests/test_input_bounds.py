"""Input bounds: every count, capacity, order, coordinate and date has a bound no real district reaches; numbers
beyond int64 are invalid input, not an OverflowError; a required table needs data rows; echoed values are cut;
IDs use a safe alphabet. `validate` and `solve` give the same verdict: one line per problem, exit 2."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from tests.conftest import problems, tiny_tables, write_book, write_tables
from vastaff.contract import DEFAULT_MODEL
from vastaff.io.district import load_district

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
IN_DIGITS = "written in digits (not in exponent notation)"
ID_RULE = "an ID of letters, digits and _ - . : / that starts with a letter or digit, at most 64 characters"
HUGE = "-" + "9" * 5000  # beyond Python's 4300-digit int() limit




def with_cell(tmp_path: Path, table: str, index: int, column: str, value, name: str = "data") -> Path:
    t = tiny_tables()
    t[table][index][column] = value
    return write_tables(tmp_path / name, t)




def cli(*args) -> object:
    from vastaff.cli import app
    return CliRunner().invoke(app, [*map(str, args)])


# ----------------------------------------------------------------------------------------------
# Bounds and numbers beyond int64, CSV.


BEYOND = [
    ("demand", 0, "students", 10**12,
     "demand.csv, row 2, column students: got '1000000000000', expected a whole number from 0 to 100,000"),
    ("demand", 0, "students", "1E+12", "demand.csv, row 2, column students: got '1E+12', "
                                       f"expected a whole number from 0 to 100,000, {IN_DIGITS}"),
    ("rooms", 1, "capacity", "1e20",
     f"rooms.csv, row 3, column capacity: got '1e20', expected a whole number from 1 to 1,000, {IN_DIGITS}"),
    ("periods", 1, "order", "1e25",
     f"periods.csv, row 3, column order: got '1e25', expected a whole number from -1,000 to 1,000, {IN_DIGITS}"),
    ("periods", 1, "order", -1001,
     "periods.csv, row 3, column order: got '-1001', expected a whole number from -1,000 to 1,000"),
    ("positions", 0, "positions", 10_001,
     "positions.csv, row 2, column positions: got '10001', expected a whole number from 0 to 10,000"),
    ("teachers", 0, "seniority_tiebreak", "1e30", "teachers.csv, row 2, column seniority_tiebreak: got '1e30', "
                                                  f"expected a whole number from -1,000,000,000 to 1,000,000,000, "
                                                  f"{IN_DIGITS}"),
    ("teachers", 0, "seniority_tiebreak", "99999999999999999999999",
     "teachers.csv, row 2, column seniority_tiebreak: got '99999999999999999999999', "
     "expected a whole number from -1,000,000,000 to 1,000,000,000"),
    ("teachers", 0, "seniority_tiebreak", HUGE, f"teachers.csv, row 2, column seniority_tiebreak: "
     f"got '{HUGE[:80]}…', expected a whole number from -1,000,000,000 to 1,000,000,000"),
    ("demand", 1, "grade", "1e30",
     "demand.csv, row 3, column grade: got '1e30', expected a grade: UTK, TK, K or 1..12 (UTK=-2, TK=-1, K=0)"),
    ("regions", 1, "x_km", "1e300",
     "regions.csv, row 3, column x_km: got '1e300', expected a number from -10,000 to 10,000"),
    ("regions", 0, "y_km", "1e400",
     "regions.csv, row 2, column y_km: got '1e400', expected a number from -10,000 to 10,000"),
    ("regions", 0, "x_km", "1_000",  # not 1000
     "regions.csv, row 2, column x_km: got '1_000', expected a number from -10,000 to 10,000"),
    ("teachers", 0, "seniority_date", "1899-12-30", "teachers.csv, row 2, column seniority_date: got '1899-12-30', "
                                                    "expected a date YYYY-MM-DD from 1900-01-01 to 2199-12-31"),
    ("iep_meetings", 0, "date", "9999-01-01", "iep_meetings.csv, row 2, column date: got '9999-01-01', "
                                              "expected a date YYYY-MM-DD from 1900-01-01 to 2199-12-31"),
]


@pytest.mark.parametrize("table, index, column, value, line", BEYOND, ids=[f"{b[2]}={str(b[3])[:12]}" for b in BEYOND])
def test_a_number_beyond_its_bound_is_one_problem(tmp_path, table, index, column, value, line):
    assert problems(with_cell(tmp_path, table, index, column, value)) == [line]


STUDENTS = f"expected a whole number from 0 to 100,000, {IN_DIGITS}"
ORDER = f"expected a whole number from -1,000 to 1,000, {IN_DIGITS}"
DAY = "expected a date YYYY-MM-DD without a time of day"
WRITTEN = [
    ("demand", 0, "students", "1e5", f"demand.csv, row 2, column students: got '1e5', {STUDENTS}"),
    ("demand", 1, "students", "1.5e1", f"demand.csv, row 3, column students: got '1.5e1', {STUDENTS}"),
    ("periods", 1, "order", "3E+1", f"periods.csv, row 3, column order: got '3E+1', {ORDER}"),
    ("demand", 0, "students", "2.5", "demand.csv, row 2, column students: got '2.5', expected a whole number >= 0"),
    ("periods", 1, "order", "1/2", "periods.csv, row 3, column order: got '1/2', expected a whole number"),
    ("demand", 1, "grade", "9e0", "demand.csv, row 3, column grade: got '9e0', expected a grade: UTK, TK, K or 1..12 "
                                  "(UTK=-2, TK=-1, K=0)"),
    ("teachers", 0, "seniority_date", "2005-08-15T00:00", f"teachers.csv, row 2, column seniority_date: got "
                                                          f"'2005-08-15T00:00', {DAY}"),
    ("teachers", 1, "seniority_date", "8/15/2012 0:00", f"teachers.csv, row 3, column seniority_date: got "
                                                        f"'8/15/2012 0:00', {DAY}"),
    ("iep_meetings", 0, "date", "2026-09-14 09:00", f"iep_meetings.csv, row 2, column date: got '2026-09-14 09:00', "
                                                    f"{DAY}"),
]
"""A whole number is written with its digits (`12.0` too: a float column's whole number), never in exponent notation
(1e5 and 1E+12 were read as numbers, 1.5e1 as 15); a date column holds days, never a time of day (2026-08-14T00:00 and
US Excel's `8/14/2026 0:00` were read as the day)."""


@pytest.mark.parametrize("table, index, column, value, line", WRITTEN, ids=[f"{w[2]}={w[3]}" for w in WRITTEN])
def test_a_whole_number_is_its_digits_and_a_date_has_no_time_of_day(tmp_path, table, index, column, value, line):
    assert problems(with_cell(tmp_path, table, index, column, value)) == [line]


def test_values_at_the_bounds_load(tmp_path):
    t = tiny_tables()
    t["demand"][0]["students"] = 100_000
    t["rooms"][1]["capacity"] = 1_000
    t["periods"][0]["order"], t["periods"][1]["order"] = -1_000, 1_000
    t["teachers"][0]["seniority_tiebreak"], t["teachers"][1]["seniority_tiebreak"] = 10**9, -(10**9)
    t["teachers"][0]["seniority_date"], t["teachers"][1]["seniority_date"] = "1900-01-01", "2199-12-31"
    t["regions"][0]["x_km"], t["regions"][1]["y_km"] = -10_000, 10_000
    t["positions"][0]["positions"] = 10_000
    t["demand"][1]["students"] = "30.0"  # a whole number with a decimal point, as a float column is written
    d = load_district(write_tables(tmp_path / "data", t))
    assert d.demand.students.tolist()[:2] == [100_000, 30] and d.demand.students.dtype == "int64"
    assert d.teachers.seniority_tiebreak.tolist()[:2] == [10**9, -(10**9)]
    assert d.teachers.seniority_date.tolist()[:2] == [dt.datetime(1900, 1, 1), dt.datetime(2199, 12, 31)]


@pytest.mark.parametrize("table, index, column, value, line", [BEYOND[0], BEYOND[2], BEYOND[7], WRITTEN[0],
                                                                WRITTEN[6]],
                         ids=["students", "capacity", "tiebreak", "exponent", "date and time"])
def test_validate_and_solve_give_the_same_verdict(tmp_path, table, index, column, value, line):
    """One `students` cell of 10^12 used to make solve search for hours while validate called the folder valid."""
    data = with_cell(tmp_path, table, index, column, value)
    checked = cli("validate", data)
    solved = cli("solve", data, "--out", tmp_path / "plan", "--time-limit", 3)
    for result in (checked, solved):
        assert result.exit_code == 2 and isinstance(result.exception, SystemExit)  # no traceback
        assert result.stderr.splitlines() == [line, "1 input problem(s); nothing was written."]
    assert not (tmp_path / "plan").exists()


# ----------------------------------------------------------------------------------------------
# The same in a workbook: Excel numbers, not text.


def test_workbook_numbers_beyond_int64_are_problems_not_overflow(tmp_path):
    huge = {("rooms", 1, "capacity"): 1e20, ("teachers", 0, "seniority_tiebreak"): 1e30,
            ("periods", 1, "order"): 10**25, ("teachers", 1, "seniority_tiebreak"): 99999999999999999999999}
    t = tiny_tables()
    for (name, i, column), value in huge.items():
        t[name][i][column] = value
    write_book(tmp_path / "district.xlsx", t)
    whole = "expected a whole number from -1,000,000,000 to 1,000,000,000"
    assert problems(tmp_path / "district.xlsx") == [
        "district.xlsx, sheet periods, row 3, column order: got '10000000000000000905969664', "
        "expected a whole number from -1,000 to 1,000",
        "district.xlsx, sheet rooms, row 3, column capacity: got '100000000000000000000', "
        "expected a whole number from 1 to 1,000",
        "district.xlsx, sheet teachers, row 2, column seniority_tiebreak: "
        f"got '1000000000000000019884624838656', {whole}",
        f"district.xlsx, sheet teachers, row 3, column seniority_tiebreak: got '99999999999999991611392', {whole}",
    ]
    digits = "9" * 5000  # an integer cell beyond Python's 4300-digit int() limit, as a hand-edited file may hold
    rewrite_zip(tmp_path / "district.xlsx", lambda xml: xml.replace(b">9.999999999999999e+22<", f">{digits}<".encode()))
    assert problems(tmp_path / "district.xlsx")[3] == (
        f"district.xlsx, sheet teachers, row 3, column seniority_tiebreak: got 'inf', {whole}")


def rewrite_zip(path: Path, change) -> None:
    """Apply `change` to the bytes of every XML part of a workbook."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, change(data) if name.endswith(".xml") else data)


# ----------------------------------------------------------------------------------------------
# A required table with a header only.


def test_header_only_demand_is_one_problem_in_validate_and_solve(tmp_path):
    t = tiny_tables()
    t["demand"] = []
    data = write_tables(tmp_path / "data", t)
    assert (data / "demand.csv").read_text() == "school_id,course_id,grade,students\n"
    line = ("demand.csv: expected at least one data row of students per course and grade "
            "(no data rows: the file has a header only)")
    for result in (cli("validate", data), cli("solve", data, "--out", tmp_path / "plan", "--time-limit", 3)):
        assert result.exit_code == 2
        assert result.stderr.splitlines() == [line, "1 input problem(s); nothing was written."]
    assert not (tmp_path / "plan").exists()


def test_header_only_schools_is_one_problem_not_one_per_reference(tmp_path):
    t = tiny_tables()
    t["schools"] = []
    assert problems(write_tables(tmp_path / "data", t)) == [
        "schools.csv: expected at least one data row of VA schools (no data rows: the file has a header only)"]


def test_header_only_sheet_of_a_workbook(tmp_path):
    t = tiny_tables()
    t["teachers"] = []
    write_book(tmp_path / "district.xlsx", t)
    lines = problems(tmp_path / "district.xlsx")
    assert lines == ["district.xlsx, sheet teachers: expected at least one data row of teachers "
                     "(no data rows: the sheet has a header only)"]


def test_optional_tables_and_rooms_periods_may_be_header_only(tmp_path):
    t = tiny_tables()
    t.update(rooms=[], iep_meetings=[], sped_students=[], positions=[])
    d = load_district(write_tables(tmp_path / "data", t))
    assert d.rooms.empty and d.iep_meetings.empty and len(d.demand) == 5


# ----------------------------------------------------------------------------------------------
# Echoed values are cut.


def test_a_10_mb_cell_is_echoed_cut_to_80_characters(tmp_path):
    big = "x" * 10_000_000
    lines = problems(with_cell(tmp_path, "teachers", 3, "teacher_id", big))
    assert lines == [f"teachers.csv, row 5, column teacher_id: got '{'x' * 80}…', expected {ID_RULE}"]


def test_a_long_repeated_header_is_named_cut(tmp_path):
    data = write_tables(tmp_path / "data", tiny_tables())
    rooms = data / "rooms.csv"
    head, *rows = rooms.read_text().splitlines()
    long = "y" * 5000
    rooms.write_text("\n".join([f"{head},{long},{long}"] + [r + ",," for r in rows]) + "\n")
    assert problems(data) == [
        f"rooms.csv, row 1, column {'y' * 80}…: expected each column once (this header names it 2 times)"]


# ----------------------------------------------------------------------------------------------
# IDs: a safe alphabet.


ID_CELLS = [
    ("teachers", 3, "teacher_id", '=HYPERLINK("http://evil")',
     f"teachers.csv, row 5, column teacher_id: got '=HYPERLINK(\"http://evil\")', expected {ID_RULE}"),
    ("teachers", 3, "teacher_id", "H2 ", None),  # surrounding spaces are trimmed, as in every cell
    ("teachers", 3, "teacher_id", "Café", f"teachers.csv, row 5, column teacher_id: got 'Café', expected {ID_RULE}"),
    ("teachers", 3, "teacher_id", "T" * 65,
     f"teachers.csv, row 5, column teacher_id: got '{'T' * 65}', expected {ID_RULE}"),
    ("teachers", 3, "teacher_id", "T" * 64, None),
    ("teachers", 3, "teacher_id", "VA1:high/T-2.b_x", None),
    ("teachers", 3, "requested_site_ids", "S1;+cmd", "teachers.csv, row 5, column requested_site_ids: got 'S1;+cmd', "
     "expected a ';'-separated list of IDs, each of letters, digits and _ - . : / that starts with a letter or digit, "
     "at most 64 characters"),
    ("teachers", 3, "credentials", "english;@SUM(1)", "teachers.csv, row 5, column credentials: got 'english;@SUM(1)', "
     "expected a ';'-separated list of IDs, each of letters, digits and _ - . : / that starts with a letter or digit, "
     "at most 64 characters"),
    ("iep_meetings", 1, "eligible_teacher_ids", "E1;-E2", "iep_meetings.csv, row 3, column eligible_teacher_ids: "
     "got 'E1;-E2', expected a ';'-separated list of IDs, each of letters, digits and _ - . : / that starts with a "
     "letter or digit, at most 64 characters"),
    ("courses", 4, "credential", "eld teacher",
     f"courses.csv, row 6, column credential: got 'eld teacher', expected {ID_RULE}"),
]


@pytest.mark.parametrize("table, index, column, value, line", ID_CELLS, ids=[c[3][:20] for c in ID_CELLS])
def test_ids_use_a_safe_alphabet(tmp_path, table, index, column, value, line):
    assert problems(with_cell(tmp_path, table, index, column, value)) == ([line] if line else [])


def test_the_sample_data_passes():
    d = load_district(SAMPLE)
    assert len(d.teachers) == 60 and d.demand.students.sum() > 0


# ----------------------------------------------------------------------------------------------
# Contract values at their bounds: CP-SAT's integer cent sums do not overflow.


def test_a_contract_model_at_its_bounds_solves(tmp_path, tiny_dir):
    """Every dollar amount at $1,000,000, X-time 1,000 h, every weight 1,000,000, one course per semester before a
    stipend: the money stage sums stay far below 2^62 (1e30 used to crash model building)."""
    m = yaml.safe_load(DEFAULT_MODEL.read_text(encoding="utf-8"))
    m["courses"]["stipend_per_course"]["value"], m["courses"]["max_courses_per_semester"]["value"] = 1_000_000, 1
    m["class_size"]["multigrade_cost"]["value"] = 1_000_000
    m["xtime"]["xtime_hourly_rate"]["value"], m["xtime"]["xtime_hours"]["value"] = 1_000_000, 1_000
    m["objective"]["weights"] = {k: 1_000_000 for k in m["objective"]["weights"]}
    (tmp_path / "max.yaml").write_text(yaml.safe_dump(m), encoding="utf-8")
    result = cli("solve", tiny_dir, "--out", tmp_path / "plan", "--model", tmp_path / "max.yaml", "--time-limit", 3)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "plan" / "sections.csv").is_file()
