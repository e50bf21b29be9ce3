"""locks.csv as input (docs/data-format.md): a good file loads typed, an absent one is an empty table, and every kind of
bad row is one exact line naming file, row and column.

The tiny district (tests/conftest.py) gets a second school here, VA2 (high), with a course, a period and an IEP
meeting of its own, so that "a course (period, meeting) of another school" can be written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import problems, tiny_tables, write_book, write_tables
from vastaff.io.district import load_district

COLUMNS = ["lock_id", "teacher_id", "mode", "course_id", "semester", "period_id", "site_id", "room_id", "meeting_id",
           "reason"]
BLANK = {c: "" for c in COLUMNS[3:]}


def lock(lock_id: str = "L1", teacher_id: str = "H1", mode: str = "require", **fields) -> dict:
    return {"lock_id": lock_id, "teacher_id": teacher_id, "mode": mode, **BLANK, **fields}


GOOD = [
    lock("L1", "H1", "require", course_id="MA-ALG1", semester="1", period_id="P1", reason="keeps Algebra 1"),
    lock("L2", "H2", "forbid", course_id="EN-9", semester="2"),
    lock("L3", "H2", "forbid", period_id="P3", semester="year"),
    lock("L4", "E2", "forbid", period_id="homeroom"),
    lock("L5", "H1", "require", site_id="S1", room_id="S1-200"),
    lock("L6", "E2", "require", site_id="home"),
    lock("L7", "E1", "forbid", site_id="S2"),
    lock("L8", "H1", "require", meeting_id="M1"),
    lock("L9", "E1", "require", course_id="EL-1", period_id="homeroom"),
]
"""One valid lock of each kind and mode (the fixture locks.csv; data/sample carries none)."""


def two_schools() -> dict:
    t = tiny_tables()
    t["schools"].append({"school_id": "VA2", "name": "Virtual Academy 2", "region_id": "R2", "levels": "high"})
    t["courses"].append({"course_id": "VA2-GEO", "school_id": "VA2", "title": "Geometry", "subject": "math",
                         "credential": "math", "level": "high", "program": "general", "semester": "1"})
    t["periods"].append({"school_id": "VA2", "period_id": "Q1", "kind": "academic", "order": 1})
    t["iep_meetings"].append({"meeting_id": "M3", "school_id": "VA2", "student_id": "ST9", "grade": 10,
                              "date": "2026-09-15", "start": "13:00", "end": "14:00", "eligible_teacher_ids": ""})
    return t


def folder_with(tmp_path: Path, locks: list[dict], name: str = "data") -> Path:
    t = two_schools()
    t["locks"] = locks
    return write_tables(tmp_path / name, t)


def test_a_good_file_loads_typed(tmp_path):
    d = load_district(folder_with(tmp_path, GOOD))
    assert list(d.locks.columns) == COLUMNS + ["_row"]
    assert d.locks.lock_id.tolist() == [f"L{i}" for i in range(1, 10)] and d.locks._row.tolist() == list(range(2, 11))
    first = d.locks.iloc[0]
    assert (first["mode"], first.course_id, first.semester, first.period_id, first.reason) == (
        "require", "MA-ALG1", "1", "P1", "keeps Algebra 1")
    assert d.locks.site_id.isna().sum() == 6 and d.locks.site_id.dropna().tolist() == ["S1", "home", "S2"]


def test_mode_and_semester_in_any_letter_case_and_reason_may_be_left_out(tmp_path):
    folder = folder_with(tmp_path, [lock("L1", "H1", "Forbid", course_id="EN-9", semester="YEAR")])
    text = (folder / "locks.csv").read_text()
    (folder / "locks.csv").write_text("\n".join(line.rsplit(",", 1)[0] for line in text.splitlines()) + "\n")
    d = load_district(folder)
    assert "reason" not in (folder / "locks.csv").read_text()
    assert d.locks[["mode", "semester", "reason"]].values.tolist() == [["forbid", "year", ""]]


def test_an_absent_file_is_an_empty_table_with_the_columns(tiny_dir):
    d = load_district(tiny_dir)
    assert list(d.locks.columns) == COLUMNS + ["_row"] and d.locks.empty


def test_a_header_only_file_is_an_empty_table(tmp_path):
    d = load_district(folder_with(tmp_path, []))
    assert list(d.locks.columns) == COLUMNS + ["_row"] and d.locks.empty


# ----------------------------------------------------------------------------------------------
# Each kind of bad row: one exact line.

BAD = [
    # cells
    (lock(mode="keep", course_id="MA-ALG1"), "column mode: got 'keep', expected one of require, forbid"),
    (lock(course_id="MA-ALG1", semester="3"), "column semester: got '3', expected one of 1, 2, year"),
    (lock(teacher_id=""), "column teacher_id: got '', expected a value (cell is blank)"),
    # unknown IDs
    (lock(teacher_id="HX", site_id="S1"), "column teacher_id: got 'HX', expected a teacher_id listed in teachers.csv"),
    (lock(course_id="MA-XX"), "column course_id: got 'MA-XX', expected a course_id listed in courses.csv, or blank"),
    (lock(site_id="S9"),
     "column site_id: got 'S9', expected a site_id listed in sites.csv, home (works from home), or blank"),
    (lock(site_id="S1", room_id="S1-999"),
     "column room_id: got 'S1-999', expected a room_id listed in rooms.csv, or blank"),
    (lock(meeting_id="M9"), "column meeting_id: got 'M9', expected a meeting_id listed in iep_meetings.csv, or blank"),
    (lock(course_id="MA-ALG1", period_id="P9"),
     "column period_id: got 'P9', expected an academic period of school VA1, course MA-ALG1's school "
     "(P1, P2, P3 in periods.csv), or blank"),
    (lock(mode="forbid", period_id="P9"),
     "column period_id: got 'P9', expected an academic period of school VA1, teacher H1's school "
     "(P1, P2, P3 in periods.csv), or homeroom"),
    # a room not at the site; a room at home
    (lock(site_id="S1", room_id="S2-101"),
     "column room_id: got 'S2-101', expected a room at site S1 (rooms.csv puts room S2-101 at S2), or blank"),
    (lock(site_id="home", room_id="S1-101"),
     "column room_id: got 'S1-101', expected blank when site_id is home (a teacher who works from home has no room)"),
    # groups
    (lock(course_id="MA-ALG1", site_id="S1"),
     "column site_id: got 'S1', expected blank (fields from two groups: this row locks a course_id (with semester "
     "and/or period_id))"),
    (lock(mode="forbid", period_id="P1", meeting_id="M1"),
     "column meeting_id: got 'M1', expected blank (fields from two groups: this row locks a period_id (with "
     "semester))"),
    (lock(site_id="S1", meeting_id="M1"),
     "column meeting_id: got 'M1', expected blank (fields from two groups: this row locks a site_id (with room_id))"),
    (lock(semester="1"), "column semester: got '1', expected semester only with a course_id or a period_id (both are "
                         "blank)"),
    (lock(room_id="S1-101"), "column room_id: got 'S1-101', expected a room_id only with its site_id (site_id is "
                             "blank)"),
    (lock(), "expected one of course_id, period_id, site_id or meeting_id filled: what the lock is about (all are "
             "blank)"),
    (lock(period_id="P1"),
     "column mode: got 'require', expected forbid for a lock of a period_id alone (it means: the teacher teaches "
     "nothing in that period); to require a period, name the course_id too"),
    # impossible combinations
    (lock(course_id="VA2-GEO"),
     "column course_id: got 'VA2-GEO', expected a course of school VA1, teacher H1's school (courses.csv puts course "
     "VA2-GEO at VA2)"),
    (lock(course_id="MA-ALG1", period_id="Q1"),
     "column period_id: got 'Q1', expected an academic period of school VA1, course MA-ALG1's school "
     "(P1, P2, P3 in periods.csv), or blank"),
    (lock(course_id="MA-ALG1", period_id="ADV"),
     "column period_id: got 'ADV', expected an academic period of school VA1, course MA-ALG1's school "
     "(P1, P2, P3 in periods.csv), or blank"),
    (lock(teacher_id="E1", course_id="EL-1", period_id="P1"),
     "column period_id: got 'P1', expected homeroom (course EL-1 is an elementary homeroom course), or blank"),
    (lock(course_id="MA-ALG1", semester="2"),
     "column semester: got '2', expected 1 (course MA-ALG1 is a semester 1 course in courses.csv), or blank"),
    (lock(course_id="MA-ALG1", semester="year"),
     "column semester: got 'year', expected 1 (course MA-ALG1 is a semester 1 course in courses.csv), or blank"),
    (lock(meeting_id="M3"),
     "column meeting_id: got 'M3', expected an IEP meeting of school VA1, teacher H1's school (iep_meetings.csv puts "
     "meeting M3 at VA2)"),
    (lock(teacher_id="R1T", course_id="MA-ALG1"),
     "column course_id: got 'MA-ALG1', expected blank: teacher R1T is a resource specialist in teachers.csv, who "
     "teaches no sections (CRED), so no course can be required of them"),
]


@pytest.mark.parametrize("row, line", BAD, ids=[line.split(": ", 1)[-1][:60] for _, line in BAD])
def test_a_bad_row_is_one_line(tmp_path, row, line):
    assert problems(folder_with(tmp_path, [row])) == [f"locks.csv, row 2, {line}" if line.startswith("column")
                                                      else f"locks.csv, row 2: {line}"]


@pytest.mark.parametrize("row", GOOD, ids=[r["lock_id"] for r in GOOD])
def test_each_good_row_alone_is_valid(tmp_path, row):
    """The controls of BAD: the same kinds of row, valid."""
    assert problems(folder_with(tmp_path, [row])) == []


def test_every_problem_at_once_in_row_order(tmp_path):
    rows = [lock("L1", course_id="MA-ALG1"), lock("L1", site_id="S9"), lock("L3", course_id="VA2-GEO", site_id="S1")]
    assert problems(folder_with(tmp_path, rows)) == [
        "locks.csv, row 3, column lock_id: got 'L1', expected a unique lock_id (already on row 2)",
        "locks.csv, row 3, column site_id: got 'S9', expected a site_id listed in sites.csv, home (works from home), "
        "or blank",
        "locks.csv, row 4, column course_id: got 'VA2-GEO', expected a course of school VA1, teacher H1's school "
        "(courses.csv puts course VA2-GEO at VA2)",
        "locks.csv, row 4, column site_id: got 'S1', expected blank (fields from two groups: this row locks a "
        "course_id (with semester and/or period_id))",
    ]


def test_a_row_with_a_bad_mode_still_names_its_unknown_site_and_course(tmp_path):
    """A probe written from the documentation alone: a bad `mode` left the row out and hid its unknown site or course
    until the mode was fixed."""
    rows = [lock("L1", mode="sure", site_id="SX"), lock("L2", mode="maybe", course_id="NOPE")]
    assert problems(folder_with(tmp_path, rows)) == [
        "locks.csv, row 2, column mode: got 'sure', expected one of require, forbid",
        "locks.csv, row 2, column site_id: got 'SX', expected a site_id listed in sites.csv, home (works from home), "
        "or blank",
        "locks.csv, row 3, column course_id: got 'NOPE', expected a course_id listed in courses.csv, or blank",
        "locks.csv, row 3, column mode: got 'maybe', expected one of require, forbid"]


def test_a_missing_column_is_named(tmp_path):
    folder = folder_with(tmp_path, [lock(course_id="MA-ALG1")])
    frame_text = (folder / "locks.csv").read_text().replace("semester,", "term,", 1)
    (folder / "locks.csv").write_text(frame_text)
    assert problems(folder) == ["locks.csv, row 1, column semester: expected a column named semester (column missing)"]


def test_a_bad_teachers_file_does_not_drown_the_locks(tmp_path):
    """An unreadable teachers.csv: its own problem, and no lock line about teachers (only what can be judged)."""
    folder = folder_with(tmp_path, [lock(course_id="MA-XX")])
    (folder / "teachers.csv").write_text("")
    lines = problems(folder)
    assert [x for x in lines if x.startswith("locks.csv")] == [
        "locks.csv, row 2, column course_id: got 'MA-XX', expected a course_id listed in courses.csv, or blank"]


def test_a_site_called_home_is_refused_beside_locks(tmp_path):
    """A lock's `home` means working from home, so a site of that name could never be locked to: sites.csv's row is
    the problem (it loaded, and `require home` was read as working from home)."""
    t = two_schools()
    t["sites"].append({"site_id": "home", "name": "Home Site", "region_id": "R1", "priority_site": "false",
                       "status": "open"})
    t["locks"] = [lock(site_id="home")]
    assert problems(write_tables(tmp_path / "with", t)) == [
        "sites.csv, row 4, column site_id: got 'home', expected a site_id other than home while locks.csv is given "
        "(home means working from home there)"]
    t["locks"] = []
    assert problems(write_tables(tmp_path / "without", t)) == []


# ----------------------------------------------------------------------------------------------
# A workbook: sheet `locks`, read like every other sheet.




def test_a_workbook_sheet_of_locks(tmp_path):
    t = two_schools()
    t["locks"] = GOOD
    d = load_district(write_book(tmp_path / "district.xlsx", t))
    assert d.locks.lock_id.tolist() == [r["lock_id"] for r in GOOD]
    t["locks"] = [lock(site_id="S1", room_id="S2-101")]
    assert problems(write_book(tmp_path / "bad.xlsx", t)) == [
        "bad.xlsx, sheet locks, row 2, column room_id: got 'S2-101', expected a room at site S1 (bad.xlsx, sheet rooms "
        "puts room S2-101 at S2), or blank"]


def test_locks_that_contradict_each_other_are_one_line_each_naming_the_earlier_lock(tmp_path):
    """solve said "the period locks L1, L2 ... leave their sections no timetable within A6.1/A6.2" for a require and a
    forbid of the same thing, and a conflict at a time for a site or a meeting required twice."""
    rows = [lock("L1", "H1", "require", course_id="MA-ALG1", semester="1", period_id="P1"),
            lock("L2", "H1", "forbid", course_id="MA-ALG1"),                     # forbids what L1 requires
            lock("L3", "H1", "forbid", period_id="P1", semester="1"),            # nothing in the period L1 locks
            lock("L4", "E2", "require", site_id="home"),
            lock("L5", "E2", "require", site_id="S1"),
            lock("L6", "H1", "require", meeting_id="M1"),
            lock("L7", "H2", "require", meeting_id="M1")]
    assert problems(folder_with(tmp_path, rows)) == [
        "locks.csv, row 3, column mode: got 'forbid', expected a lock that lock L1 (row 2) does not contradict: one "
        "requires and the other forbids H1's course_id MA-ALG1, semester 1, period_id P1",
        "locks.csv, row 4, column mode: got 'forbid', expected a lock that lock L1 (row 2) does not contradict: one "
        "requires and the other forbids H1's course_id MA-ALG1, semester 1, period_id P1",
        "locks.csv, row 6, column site_id: got 'S1', expected a lock that lock L4 (row 5) does not contradict: both "
        "require a place of E2 (home and S1); a teacher works at one (A16)",
        "locks.csv, row 8, column teacher_id: got 'H2', expected a lock that lock L6 (row 7) does not contradict: "
        "both require a teacher of IEP meeting M1 (H1 and H2); one teacher attends it (A7.1)"]


def test_many_locks_of_one_teacher_are_compared_by_what_they_lock(tmp_path):
    """Every row was compared with every earlier row of its teacher: 4,000 locks of one teacher took 21 s and 50,000
    never ended (a cross-file fuzz). Rows are compared through what they lock, a repeated row kept once; the
    contradictions found are the same, each naming the earliest lock it contradicts."""
    rows = [lock(f"R{i}", "H1", "require", site_id="S1") for i in range(1, 1501)]
    rows += [lock(f"C{i}", "H1", "require", course_id="MA-ALG1", period_id=f"P{1 + i % 3}") for i in range(1, 1501)]
    rows += [lock("X1", "H1", "require", site_id="home"), lock("X2", "H1", "forbid", period_id="P2")]
    assert problems(folder_with(tmp_path, rows)) == [
        "locks.csv, row 3002, column site_id: got 'home', expected a lock that lock R1 (row 2) does not contradict: "
        "both require a place of H1 (S1 and home); a teacher works at one (A16)",
        "locks.csv, row 3003, column mode: got 'forbid', expected a lock that lock C1 (row 1502) does not contradict: "
        "one requires and the other forbids H1's course_id MA-ALG1, period_id P2"]


def test_a_forbid_narrower_than_a_require_leaves_it_room_and_is_valid(tmp_path):
    rows = [lock("L1", "H1", "require", course_id="MA-ALG1"),
            lock("L2", "H1", "forbid", course_id="MA-ALG1", semester="1", period_id="P2"),
            lock("L3", "H1", "forbid", period_id="P3"),
            lock("L4", "H2", "forbid", course_id="MA-ALG1", semester="1", period_id="P1")]
    assert problems(folder_with(tmp_path, rows)) == []
