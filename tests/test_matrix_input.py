"""matrix.csv as input (docs/data-format.md): a good file loads typed, an absent one is an empty table, and every kind
of bad row is one exact line naming file, row and column.

The tiny district (tests/conftest.py): VA1 offers elementary and high; E1, E2 elementary (K-5), H1, H2 high, R1T a
high resource specialist. A second school VA2 (high) with a course of its own is added for "a course of another
school".
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from tests.conftest import problems, tiny_tables, write_book, write_tables
from vastaff.io.district import load_district

COLUMNS = ["teacher_id", "rank", "grade", "course_id", "level"]


def choice(teacher_id: str, rank, **field) -> dict:
    return {"teacher_id": teacher_id, "rank": rank, "grade": "", "course_id": "", "level": "", **field}


GOOD = [
    choice("E1", 1, grade="K"), choice("E1", 2, grade="1"), choice("E1", 3, level="high"),
    choice("H1", 1, course_id="MA-HALG1"), choice("H1", 2, course_id="MA-ALG1"),
    choice("H2", 1, level="elementary"),
]


def tables(matrix: list[dict]) -> dict:
    t = tiny_tables()
    t["schools"].append({"school_id": "VA2", "name": "Virtual Academy 2", "region_id": "R2", "levels": "high"})
    t["courses"].append({"course_id": "VA2-GEO", "school_id": "VA2", "title": "Geometry", "subject": "math",
                         "credential": "math", "level": "high", "program": "general", "semester": "1"})
    t["matrix"] = matrix
    return t


def folder_with(tmp_path: Path, matrix: list[dict], name: str = "data") -> Path:
    return write_tables(tmp_path / name, tables(matrix))


def test_a_good_file_loads_typed(tmp_path):
    m = load_district(folder_with(tmp_path, GOOD)).matrix
    assert list(m.columns) == COLUMNS + ["_row"]
    assert m.dtypes.astype(str).tolist() == ["object", "int64", "Int64", "object", "object", "int64"]
    assert m["rank"].tolist() == [1, 2, 3, 1, 2, 1] and m._row.tolist() == list(range(2, 8))
    assert m.grade.tolist()[:3] == [0, 1, pd.NA] and m.grade.isna().sum() == 4
    assert m.course_id.tolist()[2:5] == [None, "MA-HALG1", "MA-ALG1"]
    assert m.level.tolist() == [None, None, "high", None, None, "elementary"]


def test_an_absent_file_is_an_empty_table_with_the_columns_and_types(tiny_dir):
    m = load_district(tiny_dir).matrix
    assert list(m.columns) == COLUMNS + ["_row"] and m.empty
    assert m.dtypes.astype(str).tolist() == ["object", "int64", "Int64", "object", "object", "int64"]


def test_grade_names_and_level_case_are_read_like_everywhere_else(tmp_path):
    m = load_district(folder_with(tmp_path, [choice("E1", 1, grade="tk"), choice("E1", 2, level="High")])).matrix
    assert m.grade.tolist()[:1] == [-1] and m.level.tolist() == [None, "high"]


def test_every_bad_row_is_one_line(tmp_path):
    bad = [
        choice("E1", 1, grade="2", level="high"),          # row 2: two choices
        choice("E1", 2),                                    # row 3: none
        choice("E1", 2, grade="3"),                         # row 4: rank 2 again
        choice("E1", 3, grade="2"),                         # row 5: grade 2 again
        choice("E2", 1, grade="7"),                         # row 6: not an elementary grade
        choice("E2", 2, course_id="EN-9"),                  # row 7: a course for an elementary teacher
        choice("H1", 1, grade="9"),                         # row 8: a grade for a high teacher
        choice("H1", 2, course_id="VA2-GEO"),               # row 9: a course of another school
        choice("H1", 3, level="high"),                      # row 10: their own level
        choice("H2", 1, level="middle"),                    # row 11: a level VA1 does not offer
        choice("H2", 3, course_id="EN-9"),                  # row 12: rank 2 is missing
        choice("X9", 1, course_id="NOPE"),                  # row 13: unknown teacher and course
        choice("H2", 4, level="junior"),                    # row 14: no level at all
        choice("H2", 0, course_id="ELD-1"),                 # row 15: rank 0
    ]
    assert problems(folder_with(tmp_path, bad)) == [
        "matrix.csv, row 2, column level: got 'high', expected blank (a row fills one of grade, course_id or level: "
        "this row chooses grade 2)",
        "matrix.csv, row 3: expected one of grade, course_id or level filled: the teacher's choice (all are blank)",
        "matrix.csv, row 4, column rank: got '2', expected a rank teacher E1 has not used yet (rank 2 is already on "
        "row 3)",
        "matrix.csv, row 5, column grade: got '2', expected a choice teacher E1 has not listed yet (grade 2 is "
        "already on row 2)",
        "matrix.csv, row 6, column grade: got '7', expected a grade of the elementary level, UTK..5 (teacher E2, an "
        "elementary teacher)",
        "matrix.csv, row 7, column course_id: got 'EN-9', expected blank for teacher E2, an elementary teacher (an "
        "elementary teacher ranks grade rows, their homeroom; a level row asks for a move to a secondary level)",
        "matrix.csv, row 8, column grade: got '9', expected blank for teacher H1, a high teacher (a grade row chooses "
        "an elementary homeroom; a secondary teacher ranks course_id rows)",
        "matrix.csv, row 9, column course_id: got 'VA2-GEO', expected a course of school VA1, teacher H1's school "
        "(courses.csv puts course VA2-GEO at VA2)",
        "matrix.csv, row 10, column level: got 'high', expected a level other than teacher H1's own, high (a level "
        "row asks for a move to another level, 9.0(1))",
        "matrix.csv, row 11, column level: got 'middle', expected a level school VA1 offers: elementary, high "
        "(schools.csv; a move stays within the teacher's school)",
        "matrix.csv, row 12, column rank: got '3', expected rank 2 (teacher H2's choices are ranked 1, 2, 3, ... "
        "without gaps; no row of theirs has rank 2)",
        "matrix.csv, row 13, column course_id: got 'NOPE', expected a course_id listed in courses.csv, or blank",
        "matrix.csv, row 13, column teacher_id: got 'X9', expected a teacher_id listed in teachers.csv",
        "matrix.csv, row 14, column level: got 'junior', expected one of elementary, middle, high",
        "matrix.csv, row 15, column rank: got '0', expected a whole number >= 1",
    ]


def test_a_course_of_another_level_is_asked_for_by_a_level_row(tmp_path):
    t = tables([choice("H1", 1, course_id="EL-1")])
    assert problems(write_tables(tmp_path / "bad", t)) == [
        "matrix.csv, row 2, column course_id: got 'EL-1', expected a course of teacher H1's level, high (courses.csv "
        "makes course EL-1 elementary; a level row asks for a move to another level)"]
    t["matrix"] = [choice("H1", 1, level="elementary")]
    assert problems(write_tables(tmp_path / "good", t)) == []


def test_a_gap_in_one_teachers_ranks_is_one_line_and_the_good_file_loads(tmp_path):
    assert problems(folder_with(tmp_path, GOOD, "good")) == []
    assert len(problems(folder_with(tmp_path, GOOD + [choice("E1", 5, grade="3")], "gap"))) == 1


def test_a_bad_rank_is_one_line_not_a_gap_blamed_on_the_next_row(tmp_path):
    """A rank `1x` was said, and so was the teacher's next row: "expected rank 1 (... no row of theirs has rank 1)"
    (a cross-file fuzz). A teacher with a row left out is not judged for gaps."""
    bad = [choice("E1", "1x", grade="K"), choice("E1", 2, grade="1"), choice("H1", 2, course_id="MA-ALG1")]
    assert problems(folder_with(tmp_path, bad)) == [
        "matrix.csv, row 2, column rank: got '1x', expected a whole number >= 1",
        "matrix.csv, row 4, column rank: got '2', expected rank 1 (teacher H1's choices are ranked 1, 2, 3, ... "
        "without gaps; no row of theirs has rank 1)"]


def test_a_workbook_sheet_of_choices(tmp_path):
    write_book(tmp_path / "district.xlsx", tables(GOOD), cell=_native)  # ranks and grades as Excel numbers
    m = load_district(tmp_path / "district.xlsx").matrix
    assert m["rank"].tolist() == [1, 2, 3, 1, 2, 1] and m.grade.tolist()[:2] == [0, 1]


def _native(value):
    if value == "":
        return None
    return int(value) if isinstance(value, str) and value.isdigit() else value
