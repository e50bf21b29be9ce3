"""The files for people from the command line: every `solve` writes them (or the tables only with --no-report), and
`vastaff report DATA PLAN` writes them for any plan folder without touching the plan's own files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from vastaff.cli import app
from vastaff.io.plan import PEOPLE_WORKBOOK
from vastaff.report.tables import NO_REASON

SAMPLE = Path("data/sample")
PEOPLE = ["plan.xlsx", "report.html", "timetable.csv", "vacancies.csv"]


def invoke(*args):
    return CliRunner().invoke(app, [*map(str, args)])


@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("solve") / "plan"
    result = invoke("solve", SAMPLE, "--out", out, "--method", "greedy")
    assert result.exit_code == 0, result.stderr
    return out, result.stdout


def test_solve_writes_the_files_for_people_and_says_where(solved):
    out, stdout = solved
    assert {p.name for p in out.iterdir()} >= set(PEOPLE)
    assert f"Report: {out / 'report.html'} (workbook: {out / 'plan.xlsx'})" in stdout
    assert f"Next: vastaff check {SAMPLE} {out}   |   vastaff explain {SAMPLE} {out} --teacher ID" in stdout
    timetable = pd.read_csv(out / "timetable.csv", dtype=str)
    assert list(timetable.columns) == ["teacher_id", "school_id", "semester", "period_id", "section_ids",
                                       "course_ids", "students"]
    page = (out / "report.html").read_text()  # what a person sees in it: tests/report/test_report_chromium.py
    assert page.startswith("<!DOCTYPE html>") and 'id="teacher-filter"' in page


def test_no_report_writes_the_tables_only(tmp_path):
    result = invoke("solve", SAMPLE, "--out", tmp_path / "plan", "--method", "greedy", "--no-report")
    assert result.exit_code == 0, result.stderr
    names = {p.name for p in (tmp_path / "plan").iterdir()}
    assert {"timetable.csv", "vacancies.csv"} <= names and not names & {"plan.xlsx", "report.html"}
    assert "timetable.csv (no plan.xlsx or report.html)" in result.stdout


def hand_made(solved, folder: Path) -> Path:
    """The solved plan's own files only (no run.json, no files for people), with one section left vacant and another
    given to an elementary teacher (CRED)."""
    src, _ = solved
    folder.mkdir()
    for name in ("sections.csv", "section_grades.csv", "teachers.csv", "iep_assignments.csv", "caseloads.csv"):
        shutil.copy(src / name, folder / name)
    sections = pd.read_csv(folder / "sections.csv", dtype=str, keep_default_na=False)
    secondary = sections.index[(sections.period_id != "homeroom") & (sections.teacher_id != "")][0]
    sections.loc[secondary, "teacher_id"] = ""
    other = sections.index[(sections.period_id != "homeroom") & (sections.teacher_id != "")][0]
    sections.loc[other, "teacher_id"] = sections.teacher_id[sections.period_id == "homeroom"].iloc[0]
    sections.to_csv(folder / "sections.csv", index=False, lineterminator="\n")
    return folder


def test_report_writes_the_files_for_a_hand_made_plan_and_touches_nothing_else(solved, tmp_path):
    plan = hand_made(solved, tmp_path / "by-hand")
    before = {p.name: p.read_bytes() for p in plan.iterdir()}
    result = invoke("report", SAMPLE, plan)
    assert result.exit_code == 0, result.stderr
    assert {p.name: p.read_bytes() for p in plan.iterdir() if p.name in before} == before
    assert sorted(p.name for p in plan.iterdir() if p.name not in before) == PEOPLE
    vacancies = pd.read_csv(plan / "vacancies.csv", dtype=str, keep_default_na=False)
    left = pd.read_csv(solved[0] / "vacancies.csv", dtype=str, keep_default_na=False)
    assert len(vacancies) == len(left) + 1 and set(vacancies.reason) == {NO_REASON}  # run.json gone: no reasons
    assert result.stdout.startswith("Wrote timetable.csv, vacancies.csv, plan.xlsx, report.html -> ")
    assert "(checker: " in result.stdout and "violation(s), listed in the report)" in result.stdout


def test_report_into_another_folder_and_a_workbook_plan_needs_one(solved, tmp_path):
    out, _ = solved
    result = invoke("report", SAMPLE, out, "--out", tmp_path / "files", "--no-report")
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "files").iterdir()) == ["timetable.csv", "vacancies.csv"]
    workbook = tmp_path / "plan.xlsx"
    shutil.copy(out / "plan.xlsx", workbook)
    result = invoke("report", SAMPLE, workbook)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"{workbook}: expected --out FOLDER: a workbook plan has no folder to write into")
    result = invoke("report", SAMPLE, workbook, "--out", tmp_path / "again")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"{workbook}: expected {PEOPLE_WORKBOOK}"


def test_report_of_a_missing_plan_is_one_line_and_exit_2(tmp_path):
    result = invoke("report", SAMPLE, tmp_path / "nowhere")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"{tmp_path / 'nowhere'}: expected a plan folder or .xlsx workbook (not found)"


def test_a_displacement_plan_is_refused_with_where_its_report_is(tmp_path):
    plan = tmp_path / "displaced"
    assert invoke("displace", SAMPLE, "--out", plan, "--store", "off").exit_code == 0
    result = invoke("report", SAMPLE, plan, "--out", tmp_path / "files")
    assert result.exit_code == 2 and not (tmp_path / "files").exists()
    assert result.stderr.splitlines()[0] == (
        f"{plan}: expected a plan with rows in sections.csv or teachers.csv (from vastaff solve; a displacement "
        "plan's report is `vastaff displace DATA --out PLAN --report FILE.md`)")


def test_a_report_that_fails_never_costs_the_plan(tmp_path, monkeypatch):
    """A bug in a writer (here report.html): the plan and its two tables are written, one warning says what is missing
    and how to make it later, exit 0."""
    import vastaff.report.html as html

    def broken(*args, **kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr(html, "report_html", broken)
    result = invoke("solve", SAMPLE, "--out", tmp_path / "plan", "--method", "greedy")
    assert result.exit_code == 0, result.stderr
    names = {p.name for p in (tmp_path / "plan").iterdir()}
    assert {"sections.csv", "run.json", "timetable.csv", "vacancies.csv"} <= names
    assert not names & {"plan.xlsx", "report.html"}
    assert ("warning: the report could not be made (RuntimeError: template missing); the plan is written without "
            "plan.xlsx and report.html — `vastaff report DATA PLAN` makes them later") in result.stderr


def test_solve_without_reports_makes_no_checkers_run(tmp_path, monkeypatch):
    """`--no-report`: the two tables need no verdict (`vastaff check` gives it), so the checker is not run — a checker
    that would fail here leaves no warning — while the same solve with reports runs it."""
    import vastaff.report.context as context

    def failing(*args, **kwargs):
        raise RuntimeError("checker ran")

    monkeypatch.setattr(context, "checks_of", failing)
    quiet = invoke("solve", SAMPLE, "--out", tmp_path / "quiet", "--method", "greedy", "--no-report")
    assert quiet.exit_code == 0 and "warning" not in quiet.stderr, quiet.stderr
    assert {"timetable.csv", "vacancies.csv"} <= {p.name for p in (tmp_path / "quiet").iterdir()}
    loud = invoke("solve", SAMPLE, "--out", tmp_path / "loud", "--method", "greedy")
    assert "the report could not be made (RuntimeError: checker ran)" in loud.stderr


def test_report_says_each_change_against_the_previous_plan_in_a_line(solved, tmp_path):
    """A principal read the Changes table's two lists of seven items each for a period that moved: `report` of a plan
    made against a previous one (run.json previous_plan) gives the change in a line, as `diff` and solve's report do."""
    src, _ = solved
    plan = shutil.copytree(src, tmp_path / "moved")
    sections = pd.read_csv(plan / "sections.csv", dtype=str, keep_default_na=False)
    held = sections.index[(sections.semester == "year") & (sections.period_id == "P1") & (sections.teacher_id != "")]
    moved = held[0]
    sections.loc[moved, "period_id"] = "P6"
    sections.to_csv(plan / "sections.csv", index=False, lineterminator="\n")
    run = (plan / "run.json").read_text()
    (plan / "run.json").write_text(run.replace('"method"', f'"previous_plan": "{src.resolve()}", "method"', 1))
    result = invoke("report", SAMPLE, plan)
    assert result.exit_code == 0, result.stderr
    line = f"{sections.course_id[moved]} year P1 -&gt; P6"
    assert f"<td>periods</td><td>{line}</td>" in (plan / "report.html").read_text()
