"""The shipped scenarios on data/sample: one command runs them all within a couple of minutes, and each does
what its file says (hand-checked against the sample's CSV files)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.scenario.conftest import ROOT
from vastaff.cli import app
from vastaff.scenario import compare_runs, load_scenario
from vastaff.scenario.compare import DIFF_COLUMNS
from vastaff.scenario.figures import FIGURES

SHIPPED = ["baseline", "close-welcome-center", "grade9-plus-300", "seven-course-cap", "stipend-1500", "caseload-22",
           "cut-high-positions", "three-course-cap", "no-doubling-grade12-plus-40", "matrix-spring",
           "per-teacher-class-size"]
PEOPLE_RULES = {"A7.1", "A7.2", "A7.3", "A16", "A19", "A24", "A25", "A26"}
"""Rules of the people part of the plan (locations, IEP meetings, caseloads), being wired into solve_nightly."""


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> tuple[Path, float, object]:
    """All scenarios/*.yaml in one `vastaff scenario run`. Every stage of every scenario proves its optimum in a second
    or two, so the limit only bounds a loaded machine: at 5 s, two of seven runs beside a busy suite ended
    grade9-plus-300's search on the wall clock with 4 vacancies; 30 s gives the same files, byte for byte."""
    out = tmp_path_factory.mktemp("shipped") / "runs"
    files = sorted((ROOT / "scenarios").glob("*.yaml"))
    start = time.perf_counter()
    result = CliRunner().invoke(app, ["scenario", "run", *map(str, files), "--out", str(out), "--time-limit", "30",
                                      "--processes", "2"])
    return out, time.perf_counter() - start, result


def run_json(out: Path, name: str) -> dict:
    return json.loads((out / name / "run.json").read_text())


def test_every_shipped_scenario_runs_in_one_command(shipped):
    """(Its wall time is a bench figure, docs/benchmarks.md, not an assertion.)"""
    out, _, result = shipped
    assert result.exit_code == 0, result.stderr
    assert set(SHIPPED) <= {p.name for p in out.iterdir()}
    for name in SHIPPED:
        run = run_json(out, name)
        assert run["status"] in ("OPTIMAL", "FEASIBLE"), (name, run.get("errors"))
        assert run["scenario"]["name"] == name and run["vacancies"]["count"] == 0
        # docs/decisions.md, "Files for people": every solve writes these two beside the plan, a scenario's too
        assert {"timetable.csv", "vacancies.csv"} <= {p.name for p in (out / name).iterdir()}, name
        # the section rules hold under each scenario's own contract model
        assert set(run["check"]["by_rule"]) <= PEOPLE_RULES, (name, run["check"]["by_rule"])


def test_grade9_plus_300_adds_300_grade9_students_and_nothing_else(shipped):
    out, _, _ = shipped
    base = pd.read_csv(ROOT / "data" / "sample" / "demand.csv")
    patched = pd.read_csv(out / "grade9-plus-300" / "input" / "demand.csv")
    g9 = patched["grade"] == 9
    assert base.loc[base["grade"] == 9, "students"].sum() == 336 and patched.loc[g9, "students"].sum() == 636
    pd.testing.assert_frame_equal(patched[~g9].reset_index(drop=True), base[base["grade"] != 9].reset_index(drop=True))
    (applied,) = run_json(out, "grade9-plus-300")["scenario"]["patches"]
    assert applied["summary"] == ("demand where grade=9: students x1.893 rounded nearest (11 rows; students 336 -> 636, "
                                  "+300)")


def test_cut_high_positions_displaces_the_two_least_senior_of_va02_high(shipped):
    """VA02 high general: 10 teachers, 8 positions. Ranks 9 and 10 are T00027 (2024-08-18) and T00059
    (2025-12-17), both grades 10-12, so neither fills a middle vacancy (A10.1): both report to WC01 (A11)."""
    out, _, _ = shipped
    cut = pd.read_csv(out / "cut-high-positions" / "displacement.csv")
    va02 = cut[(cut.school_id == "VA02") & (cut.outcome != "retained")]
    assert va02[["teacher_id", "outcome", "site_id", "seniority_rank"]].values.tolist() == [
        ["T00027", "displaced", "WC01", 9], ["T00059", "displaced", "WC01", 10]]
    diff = compare_runs([out / "baseline", out / "cut-high-positions"]).teacher_diff
    positions = diff[diff["what"] == "position"]
    assert positions[["teacher_id", "summary"]].values.tolist() == [
        ["T00027", "position retained -> displaced, reports to WC01"],
        ["T00059", "position retained -> displaced, reports to WC01"]]
    assert run_json(out, "cut-high-positions")["displacement"]["counts"] == {
        "teachers": 60, "retained": 56, "moved_level": 1, "displaced": 3}


def test_a_three_course_cap_costs_a_stipend_per_extra_course(shipped):
    """Five teachers carry 4 courses a semester that no colleague of their school, level and credential can take:
    with every classroom teacher consenting, 5 x 2 semesters x $1,200 = $12,000, and nothing else changes."""
    out, _, _ = shipped
    run = run_json(out, "three-course-cap")
    assert run["costs"] == {"total": 12000.0, "stipend": 12000.0, "multigrade": 0.0, "xtime": 0.0}
    assert run["objective_stages"]["money"]["bound"] == 12000.0  # proven: no plan owes less
    assert run["figures"]["stipend_courses"] == 10 and run["figures"]["vacancies"] == 0
    assert run["contract_model"] == "va-2025-2027+three-course-cap" and run["scenario"]["hypothetical"]
    teachers = pd.read_csv(out / "three-course-cap" / "teachers.csv")
    assert sorted(teachers.loc[teachers.stipend_courses > 0, "stipend_courses"]) == [2] * 5
    cmp = compare_runs([out / "baseline", out / "three-course-cap"])
    assert cmp.deltas.at["cost_total", "three-course-cap"] == 12000.0 and cmp.deltas.at["sections", "three-course-cap"] == 0


def test_one_section_per_period_with_a_larger_senior_class_costs_multi_grade_sections(shipped):
    """Without doubled periods (A6.1 at 1) and with 40% more grade-12 students, VA02's only high-school special
    education classroom teacher, T00018, runs out of periods: a Career and a Transition section (one semester each)
    mix grades 11 and 12 (A8.4 allows two consecutive grades) rather than stay without a teacher: 2 x $600 (A8.5)."""
    out, _, _ = shipped
    run = run_json(out, "no-doubling-grade12-plus-40")
    assert run["costs"] == {"total": 1200.0, "stipend": 0.0, "multigrade": 1200.0, "xtime": 0.0}
    assert run["objective_stages"]["money"]["bound"] == 1200.0
    assert run["figures"]["multigrade_sections"] == 2 and run["figures"]["vacancies"] == 0
    assert run["figures"]["doubled_periods"] == 0 and run["scenario"]["hypothetical"]
    grades = pd.read_csv(out / "no-doubling-grade12-plus-40" / "section_grades.csv")
    mixed = grades[grades.students > 0].groupby("section_id").grade.agg(sorted)
    mixed = mixed[mixed.map(len) > 1]
    assert mixed.tolist() == [[11, 12], [11, 12]]
    sections = pd.read_csv(out / "no-doubling-grade12-plus-40" / "sections.csv").set_index("section_id")
    assert sections.loc[mixed.index, ["course_id", "semester", "teacher_id"]].values.tolist() == [
        ["VA02-H-CAREER", "2", "T00018"], ["VA02-H-TRANS", "1", "T00018"]]


def test_the_matrix_scenario_brings_its_own_choices_and_reads_them_as_the_checker_does(shipped):
    """matrix-spring's matrix.csv (the scenario's own table) is the run's input; the figures the comparison shows
    (read from the plan as `vastaff check` reads A9.1) equal the solver's own run.json `matrix` block."""
    out, _, _ = shipped
    run = run_json(out, "matrix-spring")
    table, *patches = run["scenario"]["patches"]
    assert table["kind"] == "table" and table["rows"] == 82 and table["summary"].startswith("matrix: 82 rows from ")
    own = pd.read_csv(ROOT / "scenarios" / "matrix-spring" / "matrix.csv", dtype=str, keep_default_na=False)
    used = pd.read_csv(out / "matrix-spring" / "input" / "matrix.csv", dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(used, own)
    assert [p["summary"] for p in patches] == [
        "demand where course_id=VA02-E-G1: students=61 (1 row)", "demand where course_id=VA02-E-K: students=22 (1 row)"]
    cells = [f for levels in run["matrix"].values() for f in levels.values()]
    f = run["figures"]
    assert f["matrix_teachers"] == sum(c["teachers_with_choices"] for c in cells) == own.teacher_id.nunique() == 37
    assert f["matrix_first_choice"] == sum(c["first_choice"] for c in cells)
    assert f["matrix_none_granted"] == sum(c["none_granted"] for c in cells)
    assert (f["matrix_none_granted"] == 0) == (f["matrix_senior_without"] is None)
    assert compare_runs(out).figures.at["matrix_teachers", "baseline"] is None  # the sample itself has no matrix


def test_contract_variants_are_hypothetical_and_cost_nothing_on_the_sample(shipped):
    """No teacher of the sample has more than 4 courses a semester, so a 7-course cap, a $1,500 stipend and a
    caseload cap of 22 (largest school-level group of students: 21) leave the cost where it is."""
    out, _, _ = shipped
    models = {name: run_json(out, name)["contract_model"] for name in ("seven-course-cap", "stipend-1500", "caseload-22")}
    assert models == {"seven-course-cap": "va-hypothetical-seven-course-cap",
                      "stipend-1500": "va-hypothetical-stipend-1500", "caseload-22": "va-2025-2027+caseload-22"}
    assert all(run_json(out, name)["scenario"]["hypothetical"] for name in models)
    assert not run_json(out, "baseline")["scenario"]["hypothetical"]
    cmp = compare_runs(out)
    for name in models:
        assert cmp.deltas.at["cost_total", name] == 0.0
    assert cmp.figures.at["caseload_cap", "caseload-22"] == 22 and cmp.deltas.at["caseload_cap", "caseload-22"] == -2


def test_close_welcome_center_closes_wc02_only(shipped):
    out, _, _ = shipped
    sites = pd.read_csv(out / "close-welcome-center" / "input" / "sites.csv").set_index("site_id")["status"]
    assert sites.to_dict() == {"WC01": "open", "WC02": "temporarily_closed", "WC03": "open", "WC04": "open",
                               "WC05": "open"}


def test_compare_writes_table_chart_and_per_teacher_csv(shipped, tmp_path):
    out, _, _ = shipped
    csv, png, html, diff = tmp_path / "c.csv", tmp_path / "c.png", tmp_path / "c.html", tmp_path / "d.csv"
    result = CliRunner().invoke(app, ["scenario", "compare", str(out), "--csv", str(csv), "--png", str(png),
                                      "--html", str(html), "--diff", str(diff)])
    assert result.exit_code == 0, result.stderr
    assert "baseline (base)" in result.stdout and "total cost" in result.stdout
    table = pd.read_csv(csv)
    assert table["figure"].tolist() == [k for k, _, _ in FIGURES]
    assert list(table.columns[:3]) == ["figure", "label", "baseline"]
    assert "grade9-plus-300 vs baseline" in table.columns
    sections = table.set_index("figure").loc["sections"]
    assert int(sections["grade9-plus-300"]) - int(sections["baseline"]) == int(sections["grade9-plus-300 vs baseline"]) > 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = html.read_text(encoding="utf-8")
    assert all(f"<td>{name}</td>" in page for name in SHIPPED if name != "baseline")
    assert "<td>baseline (base)</td>" in page and page.count("data:image/png;base64,") == 1
    who = pd.read_csv(diff)
    assert list(who.columns) == DIFF_COLUMNS and set(who["base"]) == {"baseline"}


def test_shipped_files_load_and_point_at_the_sample():
    for name in SHIPPED:
        sc = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
        assert sc.name == name and sc.data.resolve() == (ROOT / "data" / "sample").resolve()
        assert sc.scenario.description
    for file in sorted((ROOT / "scenarios").glob("*.yaml")):
        header = file.read_text(encoding="utf-8").split("\nname:")[0]
        assert header.startswith("# "), f"{file.name}: a header comment saying what it asks"
        assert ("HYPOTHETICAL" in header) == load_scenario(file).contract.hypothetical, file.name
    assert load_scenario(ROOT / "scenarios" / "cut-high-positions.yaml").scenario.displaces()
    assert not load_scenario(ROOT / "scenarios" / "close-welcome-center.yaml").scenario.displaces()


def test_the_comparison_docs_scenarios_md_shows_is_what_compare_prints(shipped):
    """docs/scenarios.md's comparison of the shipped scenarios had gone stale (close-welcome-center: 21 teachers
    affected in the page, 18 in the run): the page's table is the one `scenario compare` prints, cell by cell."""
    import re

    out, _, _ = shipped
    result = CliRunner().invoke(app, ["scenario", "compare", str(out)])
    assert result.exit_code == 0, result.stderr

    def table(text: str) -> list[list[str]]:
        lines = text.splitlines()
        first = next(i for i, line in enumerate(lines) if line.startswith("figure "))
        last = next(i for i, line in enumerate(lines) if line.startswith("Teachers affected against baseline"))
        return [re.split(r"\s{2,}", line.strip()) for line in lines[first:last + 1] if not line.startswith("─")]

    assert table((ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")) == table(result.stdout)
