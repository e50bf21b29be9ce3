"""`vastaff check DATA PLAN`: exit codes 0/1/2, the table, --json, --csv, --previous, --model, --help."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from vastaff.cli import app


@pytest.fixture
def cli():
    def run(*args: str):
        return CliRunner().invoke(app, ["check", *map(str, args)])

    return run


def _short(frames, run):
    g = frames["section_grades"]
    g.loc[g.section_id == "S-ALG", "students"] = 29
    frames["sections"].loc[frames["sections"].section_id == "S-ALG", "enrollment"] = 29


def test_exit_0_on_a_valid_plan(case, cli):
    data, plan = case.write()
    result = cli(data, plan)
    assert result.exit_code == 0, result.output
    assert "OK: no violation" in result.output
    assert "section means" in result.output


def test_a_plan_without_its_people_files_says_which_rules_it_was_not_checked_on(case, cli):
    data, plan = case.write()  # sections, grades and teachers only
    result = cli(data, plan)
    assert result.exit_code == 0, result.output
    assert " ".join(result.output.split()).endswith("OK: no violation; not checked: A7.1, A7.2, A7.3 (why: the table "
                                                    "'not checked')")
    figure = json.loads(cli(data, plan, "--json").stdout)["figures"]["not checked"]
    assert figure == {"A7.1, A7.2": "the plan has no iep_assignments.csv", "A7.3": "the plan has no caseloads.csv"}
    (plan / "iep_assignments.csv").write_text("meeting_id,teacher_id,needs_coverage\n")
    (plan / "caseloads.csv").write_text("student_id,teacher_id\n")
    result = cli(data, plan)  # the files, if empty, claim that nobody holds a meeting or a student: checked
    assert "not checked" not in result.output and "A7.1" in result.output and "A7.3" in result.output


def test_the_previous_plan_named_by_run_json_is_checked_against(case, cli, tmp_path):
    """A plan made with --previous elsewhere than DATA/previous/: check finds it by run.json `previous_plan` and says
    so on stderr; H1's X-time (a new course since last night) is then checked, not reported as owed to nobody."""
    case.previous = [dict(s) for s in case.sections if s["section_id"] != "S-HALG"]
    data = case.write_data()
    monday = tmp_path / "monday"
    (data / "previous").rename(monday)
    plan = case.write_plan(edit=lambda frames, run: run.update(previous_plan=str(monday)))
    result = cli(data, plan)
    assert result.exit_code == 0, result.output
    assert result.stderr == (f"vastaff: A12 (X-time) against the previous plan this plan was made with: {monday} "
                             "(run.json previous_plan)\n")
    assert json.loads(cli(data, plan, "--json").stdout)["figures"]["not checked"].keys() == {"A7.1, A7.2", "A7.3"}
    report = CliRunner().invoke(app, ["report", str(data), str(plan), "--out", str(tmp_path / "files")])
    assert report.exit_code == 0 and report.stdout.endswith("(checker: OK)\n")  # the report's checker finds it too
    assert "Not checked: A12" not in (tmp_path / "files" / "report.html").read_text()
    monday.rename(tmp_path / "gone")  # not there any more: A12 cannot be recomputed, and says so
    result = cli(data, plan, "--json")
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout)["figures"]["not checked"]["A12"] == (
        f"the plan was made against {monday}, which this check was not given (--previous)")


def test_a_plan_made_under_another_contract_model_is_said_on_stderr(case, cli):
    other = {"contract_model": "va-hypothetical-seven-course-cap",
             "contract_model_file": "va-hypothetical-seven-course-cap.yaml"}
    data, plan = case.write(edit=lambda frames, run: run.update(other))
    result = cli(data, plan)
    assert result.exit_code == 0
    assert result.stderr.startswith("vastaff check: the plan was made under contract model "
                                    "va-hypothetical-seven-course-cap, checked here against va-2025-2027; give its "
                                    "model to check it under its own terms (--model ")
    assert result.stderr.rstrip().endswith("models/va-hypothetical-seven-course-cap.yaml)")
    assert cli(data, plan, "--model", "models/va-hypothetical-seven-course-cap.yaml").stderr == ""


def test_exit_1_with_the_violation_table(case, cli):
    data, plan = case.write(edit=_short)
    result = cli(data, plan)
    assert result.exit_code == 1
    assert "DEMAND" in result.output and "demand.csv:MA-ALG1:9" in result.output
    assert "NOT OK: 1 violation(s)" in result.output


def test_json_and_csv(case, cli, tmp_path):
    data, plan = case.write(edit=_short)
    out = tmp_path / "out" / "violations.csv"
    result = cli(data, plan, "--json", "--csv", out)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    assert [v["rule"] for v in doc["violations"]] == ["DEMAND"]
    assert doc["violations"][0]["rows"] == [{"file": "demand.csv", "key": "MA-ALG1:9"},
                                            {"file": "sections.csv", "key": "S-ALG"}]
    assert doc["figures"]["vacancies"] == 0
    rows = list(csv.DictReader(out.open()))
    assert rows == [{"rule": "DEMAND", "article": "—", "message": doc["violations"][0]["message"],
                     "rows": "demand.csv:MA-ALG1:9;sections.csv:S-ALG"}]


def test_json_ok(case, cli):
    data, plan = case.write()
    result = cli(data, plan, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["ok"] is True


def test_exit_2_on_an_invalid_plan(case, cli):
    def bad_cell(frames, run):
        frames["sections"]["enrollment"] = frames["sections"]["enrollment"].astype(object)
        frames["sections"].loc[0, "enrollment"] = "many"

    data, plan = case.write(edit=bad_cell)
    result = cli(data, plan)
    assert result.exit_code == 2
    assert "plan/sections.csv, row 2, column enrollment" in result.output
    assert "Traceback" not in result.output


def test_exit_2_on_invalid_data_model_or_missing_plan(case, cli, tmp_path):
    data, plan = case.write()
    (data / "courses.csv").write_text("course_id\nX\n")
    result = cli(data, plan)
    assert result.exit_code == 2
    assert "courses.csv" in result.output
    data, plan = case.write()
    model = tmp_path / "bad.yaml"
    model.write_text("name: [unclosed\n")
    assert cli(data, plan, "--model", model).exit_code == 2
    result = cli(data, tmp_path / "no-such-plan")
    assert result.exit_code == 2
    assert "no-such-plan" in result.output


def test_problems_of_the_plan_and_the_data_come_at_once(case, cli):
    """Every problem at once: a plan with a bad cell hid the data's own problems until it was fixed."""
    def bad_cell(frames, run):
        frames["sections"]["enrollment"] = frames["sections"]["enrollment"].astype(object)
        frames["sections"].loc[0, "enrollment"] = "many"

    data, plan = case.write(edit=bad_cell)
    (data / "courses.csv").write_text("course_id\nX\n")
    result = cli(data, plan)
    assert result.exit_code == 2
    assert "plan/sections.csv, row 2, column enrollment" in result.stderr
    assert "courses.csv, row 1, column " in result.stderr


def test_exit_2_on_a_folder_holding_no_plan_file(case, cli, tmp_path):
    """A folder of a user's notes (or an empty one) claims nothing: it was "OK: no violation; not checked: ..." with
    exit 0, so `check DATA wrong_folder && publish` passed."""
    from vastaff.cli.check import PLAN_FILES

    data, _ = case.write()
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "notes.txt").write_text("call the principal\n")
    result = CliRunner().invoke(app, ["check", str(data), str(notes)])
    assert (result.exit_code, result.stderr) == (
        2, f"{notes}: expected a plan folder: one or more of {', '.join(PLAN_FILES)} (found none)\n"
           "1 input problem(s); nothing was written.\n")
    (notes / "run.json").write_text("{}")  # a plan folder that claims nothing: each rule `not checked`, said
    assert cli(data, notes).exit_code == 0


def test_previous_option_wins_over_data_previous(case, cli, tmp_path):
    """DATA/previous/ gives H1 a new course (X-time owed); --previous with tonight's plan owes none."""
    case.previous = [s for s in case.sections if s["section_id"] != "S-HALG"]
    data, plan = case.write()  # plan pays H1's 12 hours
    assert cli(data, plan).exit_code == 0
    same = case.write_plan(name="same_as_tonight")
    result = cli(data, plan, "--previous", same, "--json")
    assert result.exit_code == 1
    assert [v["rule"] for v in json.loads(result.stdout)["violations"]] == ["A12", "COSTS", "COSTS"]


def test_help_shows_an_example(cli):
    result = CliRunner().invoke(app, ["check", "--help"])
    assert result.exit_code == 0
    assert "Example: vastaff check" in result.output


@pytest.mark.parametrize("lost", ["sections.csv", "section_grades.csv"])
def test_a_plan_that_lost_a_section_file_is_one_structure_line_not_every_section_vacant(case, cli, lost):
    """A chair's plan folder without sections.csv gave 612 violations (every section vacant, every teacher's costs
    and meetings wrong): one STRUCTURE line, and the rules that read the sections not checked."""
    data, plan = case.write()
    (plan / lost).unlink()
    result = cli(data, plan, "--json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert [(v["rule"], v["message"]) for v in report["violations"]] == [
        ("STRUCTURE", f"the plan has no {lost}; a plan holds sections.csv and section_grades.csv beside teachers.csv "
                      "(the section rules and A7.1/A7.2 are not checked without them)")]
    assert report["figures"]["not checked"]["A7.1, A7.2"] == f"the plan has no {lost} (the grades each teacher teaches)"
