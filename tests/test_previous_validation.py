"""`--previous` / DATA/previous/: last night's plan must be a readable plan of this district with sections in it.

An empty, header-only or unreadable plan would silently switch A12 X-time and stability off; another district's
plan would charge X-time against the wrong teachers. Both are exit 2 with one clear line; a plan whose IDs are
mostly unknown is accepted only with `previous_force` (the CLI's --previous-force). An old plan (some teachers
left, some joined) is normal and accepted silently.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import tiny_tables, write_tables
from vastaff.errors import InputError
from vastaff.io.district import load_district

SECTIONS = "section_id,school_id,course_id,semester,period_id,teacher_id,enrollment\n"
TEACHERS = ("teacher_id,courses_s1,courses_s2,stipend_courses,stipend_cost,multigrade_sections,multigrade_cost,"
            "xtime_hours,xtime_cost,work_location,site_id,room_id\n")
NO_SECTIONS = ("expected last night's plan: a plan folder (or workbook) from vastaff solve with its sections in "
               "sections.csv (this one has no sections; without them A12 X-time and stability would silently be off)")


def plan(folder: Path, sections: list[tuple[str, ...]], teachers: list[str] = ()) -> Path:
    """A plan folder: one section per (course_id, teacher_id[, school_id: VA1]) and a teachers.csv row per listed
    teacher."""
    folder.mkdir(parents=True)
    (folder / "sections.csv").write_text(SECTIONS + "".join(
        f"S{i},{school[0] if school else 'VA1'},{course},1,P1,{teacher or ''},10\n"
        for i, (course, teacher, *school) in enumerate(sections)))
    (folder / "teachers.csv").write_text(TEACHERS + "".join(f"{t},1,0,0,0,0,0,0,0,home,,\n" for t in teachers))
    return folder


def problems(data: Path, **kwargs) -> list[str]:
    try:
        load_district(data, **kwargs)
    except InputError as exc:
        return [str(p) for p in exc.problems]
    return []


def foreign(path: Path, teachers: str, courses: str) -> str:
    return (f"{path}: expected last night's plan of this district, but {teachers} teacher IDs and {courses} course "
            "IDs in it are not in this data (a plan of another district?); pass --previous-force to use it anyway")


@pytest.fixture
def data(tmp_path) -> Path:
    return write_tables(tmp_path / "data", tiny_tables())


def cli(*args) -> object:
    from vastaff.cli import app
    return CliRunner().invoke(app, [*map(str, args)])


# ----------------------------------------------------------------------------------------------
# Accepted: last night's plan, or an old one.


def test_last_nights_plan_is_used(data, tmp_path):
    prev = plan(tmp_path / "prev", [("MA-ALG1", "H1"), ("EN-9", "H2")], ["H1", "H2", "E1"])
    d = load_district(data, previous=prev)
    assert d.previous.sections.course_id.tolist() == ["MA-ALG1", "EN-9"]


def test_an_old_plan_is_accepted_silently(data, tmp_path):
    """Two of four teachers left (T9, T8 unknown now), one of two courses was dropped: half, not more."""
    prev = plan(tmp_path / "prev", [("MA-ALG1", "H1"), ("OLD-1", "T9")], ["H1", "H2", "T8"])
    assert problems(data, previous=prev) == []


def test_a_school_closed_with_its_staff_leaves_last_nights_plan_this_districts(data, tmp_path):
    """VA2 closed since last night, its three teachers gone with it (3 of 4 teacher IDs unknown): the plan's school
    VA1 and its teacher are still here, so it is last night's plan, not another district's."""
    closed = [(f"VA2-C{i}", t, "VA2") for i, t in enumerate(["Q1", "Q2", "Q3"])]
    prev = plan(tmp_path / "prev", [("MA-ALG1", "H1"), *closed], ["H1", "Q1", "Q2", "Q3"])
    assert problems(data, previous=prev) == []


def test_a_plan_of_unlisted_schools_only_is_judged_on_all_its_teachers(data, tmp_path):
    """No school of the plan is in this data: nothing tells a closed school from another district."""
    prev = plan(tmp_path / "prev", [("X-1", "Q1", "VA2"), ("X-2", "H1", "VA2"), ("X-3", "Q2", "VA2")], ["Q1", "Q2"])
    assert problems(data, previous=prev) == [foreign(prev, "2 of 3", "3 of 3")]


def test_a_closed_schools_teacher_still_here_is_counted_as_known(data, tmp_path):
    """Teachers of an unlisted school who are still in this data are known: they never tip the test, either way."""
    prev = plan(tmp_path / "prev", [("MA-ALG1", "Q1"), ("X-2", "H1", "VA2"), ("X-3", "Q2", "VA1")], ["Q3"])
    assert problems(data, previous=prev) == [foreign(prev, "3 of 4", "2 of 3")]


def test_data_previous_folder_is_checked_like_previous(data):
    plan(data / "previous", [("MA-ALG1", "H1")], ["H1"])
    assert load_district(data).previous.sections.teacher_id.tolist() == ["H1"]


# ----------------------------------------------------------------------------------------------
# Refused: another district's plan, unless forced.


def test_another_districts_plan_is_refused_unless_forced(data, tmp_path):
    prev = plan(tmp_path / "prev", [("X-ALG", "T1"), ("X-ENG", "T2"), ("X-ENG", None)], ["T1", "T2", "T3"])
    assert problems(data, previous=prev) == [foreign(prev, "3 of 3", "2 of 2")]
    d = load_district(data, previous=prev, previous_force=True)
    assert d.previous.sections.course_id.tolist() == ["X-ALG", "X-ENG", "X-ENG"]


def test_known_teachers_with_a_changed_catalogue_is_last_nights_plan(data, tmp_path):
    """Courses change from year to year (that is what A12 X-time pays for): teachers decide what is foreign."""
    prev = plan(tmp_path / "prev", [("MA-ALG1", "H1"), ("X-1", "H1"), ("X-2", "H2")], ["H1", "H2"])
    assert problems(data, previous=prev) == []


def test_mostly_unknown_teachers_is_refused_and_names_the_courses_too(data, tmp_path):
    prev = plan(tmp_path / "prev", [("MA-ALG1", "X1"), ("X-1", "X2"), ("X-2", "H2")], ["X1", "X2", "H2"])
    assert problems(data, previous=prev) == [foreign(prev, "2 of 3", "2 of 3")]


def test_validate_and_solve_refuse_another_districts_plan_alike(data, tmp_path):
    prev = plan(tmp_path / "prev", [("X-ALG", "T1")], ["T1"])
    for result in (cli("validate", data, "--previous", prev),
                   cli("solve", data, "--out", tmp_path / "out", "--previous", prev, "--time-limit", 3)):
        assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
        assert result.stderr.splitlines() == [foreign(prev, "1 of 1", "1 of 1"),
                                              "1 input problem(s); nothing was written."]
    assert not (tmp_path / "out").exists()


# ----------------------------------------------------------------------------------------------
# Refused: missing, empty, header-only or unreadable.


def test_a_previous_plan_given_but_missing(data, tmp_path):
    assert problems(data, previous=tmp_path / "nowhere") == [
        f"{tmp_path / 'nowhere'}: expected a plan folder or .xlsx workbook (not found)"]


def test_an_empty_previous_folder(data, tmp_path):
    (tmp_path / "empty").mkdir()
    assert problems(data, previous=tmp_path / "empty") == [f"{tmp_path / 'empty'}: {NO_SECTIONS}"]
    (data / "previous").mkdir()
    assert problems(data) == [f"{data / 'previous'}: {NO_SECTIONS}"]


def test_a_file_named_previous_in_data_is_refused_not_ignored(data):
    """A probe written from the documentation alone: DATA/previous as a plain file was ignored in silence (the night ran
    without last night's plan) while an empty previous/ folder is refused."""
    (data / "previous").write_text("not a plan\n")
    assert problems(data) == [f"{data / 'previous'}: expected a plan folder or .xlsx workbook (got a plain file)"]


def test_a_header_only_previous_plan(data, tmp_path):
    prev = plan(tmp_path / "prev", [], ["H1"])
    assert (prev / "sections.csv").read_text() == SECTIONS
    assert problems(data, previous=prev) == [f"{prev}: {NO_SECTIONS}"]
    solved = cli("solve", data, "--out", tmp_path / "out", "--previous", prev, "--time-limit", 3)
    assert solved.exit_code == 2 and solved.stderr.splitlines()[0] == f"{prev}: {NO_SECTIONS}"


def test_an_unreadable_previous_plan(data, tmp_path):
    prev = plan(tmp_path / "prev", [("MA-ALG1", "H1")], ["H1"])
    (prev / "sections.csv").write_bytes(SECTIONS.encode() + b"S1,VA1,MA-ALG1,1,P1,H1,\x81\x8d\n")
    assert problems(data, previous=prev) == [
        "prev/sections.csv: expected text in UTF-8 (the file is neither UTF-8 nor Windows-1252)"]
    (tmp_path / "plan.xlsx").write_bytes(b"not a workbook")
    assert problems(data, previous=tmp_path / "plan.xlsx") == [
        "plan.xlsx: expected an .xlsx workbook that Excel can open (BadZipFile: File is not a zip file)"]
    (tmp_path / "plan.txt").write_text("sections")
    assert problems(data, previous=tmp_path / "plan.txt") == [
        f"{tmp_path / 'plan.txt'}: expected a plan folder or .xlsx workbook (got a .txt file)"]


def test_a_section_id_on_two_rows_of_last_nights_plan_is_one_line_per_repeat(data, tmp_path):
    """A fuzz of edited plans: a copied row, or one section typed with another's ID, was read as it was; tonight's plan
    then gave two sections that ID (check: STRUCTURE, and costs of a section that was not multi-grade)."""
    prev = plan(tmp_path / "prev", [("MA-ALG1", "H1"), ("EN-9", "H2"), ("MA-ALG1", "H1")], ["H1", "H2"])
    text = (prev / "sections.csv").read_text().replace("S2,", "S0,")
    (prev / "sections.csv").write_text(text + text.splitlines()[2] + "\n")
    assert problems(data, previous=prev) == [
        "prev/sections.csv, row 4, column section_id: got 'S0', expected each section_id once in last night's plan "
        "(also on row 2)",
        "prev/sections.csv, row 5, column section_id: got 'S1', expected each section_id once in last night's plan "
        "(also on row 3)"]


def test_tonights_ids_are_each_given_once_whatever_last_night_held():
    """The section numbering offers each of last night's IDs once, even where last night's table repeated one."""
    import pandas as pd

    from vastaff.sections.decode import number_sections

    last = pd.DataFrame({"section_id": ["A-01", "A-01", "A-02"], "course_id": ["A", "A", "A"], "sid": [1, 1, 1],
                         "teacher_id": ["T1", "T1", "T2"]})
    ids = number_sections([("A", 1, "T1", None), ("A", 1, "T1", None), ("A", 1, "T2", None)], last)
    assert ids == ["A-01", "A-03", "A-02"]


def test_a_bad_cell_of_last_nights_plan_leaves_its_other_problems_said(data, tmp_path):
    """A bad cell of last night's plan hid its repeated section_ids and that it was another district's (a cross-file
    fuzz: fixed, it then said so): both are said beside the cell, from its files as written."""
    prev = plan(tmp_path / "prev", [("X-ALG", "T1"), ("X-ENG", "T2"), ("X-ENG", None)], ["T1", "T2", "T3"])
    text = (prev / "sections.csv").read_text().replace("S2,", "S0,").replace(",10\n", ",ten\n", 1)
    (prev / "sections.csv").write_text(text)
    assert problems(data, previous=prev) == [
        foreign(prev, "3 of 3", "2 of 2"),
        "prev/sections.csv, row 2, column enrollment: got 'ten', expected a whole number >= 0",
        "prev/sections.csv, row 4, column section_id: got 'S0', expected each section_id once in last night's plan "
        "(also on row 2)"]
    assert len(problems(data, previous=prev, previous_force=True)) == 2
