"""What `vastaff solve` prints after its result line (`report/console.py`): vacancies and matrix choices."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from vastaff.cli import app
from vastaff.report.console import vacancy_line


def test_the_console_names_grades_as_the_reason_does():
    row = pd.DataFrame([{"section_id": "VA01-E-K-02", "course_id": "VA01-E-K", "grades": "0", "students": 14,
                         "reason": "why", "rules": "DEMAND;STRUCTURE"},
                        {"section_id": "S-2", "course_id": "ALG2", "grades": "10;11", "students": 22, "reason": "why",
                         "rules": "DEMAND;CRED"}]).itertuples()
    assert [vacancy_line(r) for r in row] == [
        "VA01-E-K-02 (VA01-E-K, grade K, 14 students): why [DEMAND, STRUCTURE]",
        "S-2 (ALG2, grades 10-11, 22 students): why [DEMAND, CRED]"]


def test_the_matrix_lines_after_a_solve_name_no_teacher(tmp_path):
    """What solve prints goes to the nightly job's log: teachers by ID and seniority, never by name (the "why" in
    report.html names them)."""
    data = tmp_path / "district"
    assert CliRunner().invoke(app, ["generate", str(data), "--teachers", "40", "--seed", "5"]).exit_code == 0
    result = CliRunner().invoke(app, ["solve", str(data), "--out", str(tmp_path / "plan"), "--no-report"])
    names = set(pd.read_csv(data / "teachers.csv").name.dropna())
    matrix = result.stdout[result.stdout.index("Matrix (A9.1)"):]
    assert "seniority #" in matrix and not [n for n in names if n in matrix]
    assert CliRunner().invoke(app, ["check", str(data), str(tmp_path / "plan")]).exit_code == 0


def test_a_greedy_solve_says_its_gap_is_not_known(tiny_dir, tmp_path):
    result = CliRunner().invoke(app, ["solve", str(tiny_dir), "--out", str(tmp_path / "plan"), "--method", "greedy",
                                      "--no-report"])
    assert result.exit_code == 0, result.output
    assert ", gap n/a (no bound), " in result.stdout.splitlines()[0]  # it printed "gap None"
    assert CliRunner().invoke(app, ["check", str(tiny_dir), str(tmp_path / "plan")]).exit_code == 0
