"""`check`, `report` and `explain` refuse a PLAN of another district, as `solve --previous` refuses last night's:
most of its teacher IDs are not in DATA (one test, io/previous.foreign_plan). Before, `check` printed thousands of
violations (9,317 for a 1,000-teacher plan against the sample), `report` wrote a report for it (exit 0) and
`explain` mixed the two districts ("works at site WC10 (unknown site)").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import tiny_tables, write_tables
from vastaff.errors import InputError
from vastaff.io.district import load_district
from vastaff.io.plan import load_plan
from vastaff.io.previous import require_plan_of

SECTIONS = "section_id,school_id,course_id,semester,period_id,teacher_id,enrollment\n"
TEACHERS = ("teacher_id,courses_s1,courses_s2,stipend_courses,stipend_cost,multigrade_sections,multigrade_cost,"
            "xtime_hours,xtime_cost,work_location,site_id,room_id\n")


def plan(folder: Path, sections: list[tuple[str, str]]) -> Path:
    """A plan folder: one section per (course_id, teacher_id), and a teachers.csv row per teacher."""
    folder.mkdir(parents=True)
    (folder / "sections.csv").write_text(SECTIONS + "".join(
        f"S{i},VA1,{course},1,P1,{teacher},10\n" for i, (course, teacher) in enumerate(sections)))
    (folder / "teachers.csv").write_text(TEACHERS + "".join(
        f"{t},1,0,0,0,0,0,0,0,home,,\n" for t in sorted({t for _, t in sections})))
    return folder


def refusal(path: Path) -> str:
    return (f"{path}: expected a plan of this district, but 3 of 4 teacher IDs and 2 of 3 course IDs in it are not "
            "in this data (a plan of another district?); give the data folder the plan was made for")


@pytest.fixture
def data(tmp_path) -> Path:
    return write_tables(tmp_path / "data", tiny_tables())


@pytest.fixture
def other(tmp_path) -> Path:
    """Three of its four teachers and two of its three courses are not in the tiny district."""
    return plan(tmp_path / "other", [("MA-ALG1", "H1"), ("WC-BIO", "W2"), ("WC-CHEM", "W3"), ("WC-CHEM", "W4")])


def cli(*args) -> object:
    from vastaff.cli import app
    return CliRunner().invoke(app, [*map(str, args)])


def test_a_plan_of_another_district_is_one_problem(data, other):
    with pytest.raises(InputError) as err:
        require_plan_of(load_district(data), load_plan(other), other)
    assert [str(p) for p in err.value.problems] == [refusal(other)]


def test_an_old_plan_of_this_district_is_accepted(data, tmp_path):
    """Half the teachers unknown (some left, some joined) is an old plan, as for --previous."""
    old = plan(tmp_path / "old", [("MA-ALG1", "H1"), ("EN-9", "H2"), ("GONE-1", "T8"), ("GONE-2", "T9")])
    require_plan_of(load_district(data), load_plan(old), old)


def test_explain_refuses_it(data, other):
    result = cli("explain", data, other, "--teacher", "H1")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [refusal(other), "1 input problem(s); nothing was written."]


def test_check_refuses_it(data, other):
    result = cli("check", data, other)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [refusal(other), "1 input problem(s); nothing was written."]


def test_report_refuses_it_and_writes_nothing(data, other, tmp_path):
    before = sorted(p.name for p in other.iterdir())
    result = cli("report", data, other, "--out", tmp_path / "rep", "--no-report")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [refusal(other), "1 input problem(s); nothing was written."]
    assert not (tmp_path / "rep").exists() and sorted(p.name for p in other.iterdir()) == before
