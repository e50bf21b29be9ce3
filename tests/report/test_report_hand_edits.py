"""`vastaff report` and `vastaff explain` on hand-edited plans (an audit of bad input found each crashing with a
traceback): a run.json of another shape, a huge number in it, a teacher ID the data lacks, a section without grade
rows — with matrix.csv in the data, so that the matrix's reasoning runs too. The files are written with the checker's
verdict inside (exit 0); nothing crashes."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.check.conftest import Case
from vastaff.cli import app

BLANK = {"grade": "", "course_id": "", "level": ""}


@pytest.fixture
def case(tmp_path) -> Case:
    """The tiny district with E1 in a grade-1 homeroom (S-E1) ranking grade 2 first, E2 in grade 2 (S-E2) ranking
    grade 1 first, and one vacant section (S-ALG)."""
    c = Case(tmp_path).grade_two_homeroom(title="Grade 2")
    c.tables["matrix"] = [{"teacher_id": "E1", "rank": 1, **BLANK, "grade": "2"},
                          {"teacher_id": "E2", "rank": 1, **BLANK, "grade": "1"}]
    c.section("S-ALG").update(teacher_id=None)
    return c


def run_json(**keys):
    def edit(frames, run):
        run.update(keys)
    return edit


def sections(change):
    def edit(frames, run):
        change(frames)
    return edit


EDITS = {
    "vacancies items of text": run_json(vacancies={"count": 1, "items": ["S-ALG"]}),
    "vacancies a number": run_json(vacancies=5),
    "vacancies items without ids": run_json(vacancies={"items": [{"x": 1}], "count": 1}),
    "prep_time teachers a number": run_json(prep_time={"teachers": 5}),
    "an objective past a float": run_json(objective=10 ** 400),
    "a teacher the data lacks": sections(lambda f: f.__setitem__(
        "sections", f["sections"].assign(teacher_id=f["sections"].teacher_id.replace("E2", "TXXXX")))),
    "a section without grade rows": sections(lambda f: f.__setitem__(
        "section_grades", f["section_grades"][f["section_grades"].section_id != "S-E1"])),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_report_and_explain_take_a_hand_edited_plan(case, edit, tmp_path):
    data, plan = case.write(edit)
    result = CliRunner().invoke(app, ["report", str(data), str(plan), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["plan.xlsx", "report.html", "timetable.csv",
                                                                    "vacancies.csv"]
    for teacher in ("E1", "E2"):
        result = CliRunner().invoke(app, ["explain", str(data), str(plan), "--teacher", teacher])
        assert result.exit_code == 0, result.output


def test_a_bad_meetings_csv_in_the_plan_is_one_line_and_exit_2_as_in_check(case, tmp_path):
    """A fuzz of edited plans: the plan's meetings.csv, read late by the checker's verdict, crashed report and explain
    with a traceback where `check` said it in one line."""
    data, plan = case.write()
    (plan / "meetings.csv").write_text("meeting_id,request_id,school_id,kind,date,start,end\n"
                                       "X-01,X,VA1,pd,2026-13-01,13:50,14:50\n")
    line = ("plan/meetings.csv, row 2, column date: got '2026-13-01', expected a date YYYY-MM-DD that is on the "
            "calendar (there is no such day)\n1 input problem(s); nothing was written.\n")
    for args in (["check", data, plan], ["report", data, plan, "--out", tmp_path / "out"],
                 ["explain", data, plan, "--teacher", "E1"]):
        result = CliRunner().invoke(app, [str(a) for a in args])
        assert (result.exit_code, result.stderr) == (2, line), args
    assert not (tmp_path / "out").exists()
