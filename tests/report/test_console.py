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


def test_the_matrix_lines_say_how_many_more_and_come_before_the_next_commands(tmp_path):
    """Five teachers were printed of twelve without their first choice, with nothing saying so, after the "Next:"
    line that ends what solve prints. The count is the independent checker's (teachers with choices - first)."""
    import json

    data = tmp_path / "district"
    assert CliRunner().invoke(app, ["generate", str(data), "--teachers", "120", "--seed", "5"]).exit_code == 0
    result = CliRunner().invoke(app, ["solve", str(data), "--out", str(tmp_path / "plan"), "--store", "off"])
    lines = result.stdout.splitlines()
    block = lines[lines.index("Matrix (A9.1), most senior first among those without their first choice:") + 1:]
    assert block[-1].startswith("Next: vastaff check ")
    checked = CliRunner().invoke(app, ["check", str(data), str(tmp_path / "plan"), "--json"])
    rows = json.loads(checked.stdout)["figures"]["matrix"]
    missed = sum(r["teachers_with_choices"] - r["first_choice"] for r in rows)
    assert missed > 5 and block[5] == f"  ... {missed - 5} more (every teacher's choices: report.html, plan.xlsx)"
    quick = CliRunner().invoke(app, ["solve", str(data), "--out", str(tmp_path / "quick"), "--store", "off",
                                     "--no-report"]).stdout.splitlines()
    assert quick[-2] == "  ... perhaps more (vastaff explain DATA PLAN --teacher ID says each teacher's)"


def test_the_work_locations_line_says_who_chose_a_site_and_has_no_place():
    """Teachers sent home for want of a room (A19) were said only in report.html."""
    from types import SimpleNamespace

    from vastaff.report.console import locations_line

    people = SimpleNamespace(locations={"on_site": 169, "at_home": 131, "home_by_choice": 99},
                             room_shortfall=SimpleNamespace(count=8))
    assert locations_line(people) == ("Work locations (A16, A19): 169 at a site, 131 at home (99 by their choice); 8 "
                                      "who chose a site have no place there (A19 room shortfall; vastaff explain says "
                                      "each one's reason)")
    people.room_shortfall.count = 0
    assert locations_line(people) == "Work locations (A16, A19): 169 at a site, 131 at home (99 by their choice)"
    people.locations["traded"] = 6  # exchange.py
    assert locations_line(people) == ("Work locations (A16, A19): 169 at a site, 131 at home (99 by their choice); 6 "
                                      "moved in trades of requested sites (A24)")
    assert locations_line(None) is None  # no plan, no people parts


def test_the_sample_prints_what_the_readme_shows(tmp_path):
    """README.md's console block is the sample's (but for the seconds and the paths)."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    shown = readme[readme.index("```text\nOPTIMAL: 189 sections"):].split("```")[1].splitlines()[1:]
    sample = Path(__file__).resolve().parents[2] / "data" / "sample"
    result = CliRunner().invoke(app, ["solve", str(sample), "--out", str(tmp_path / "p"), "--store", "off"])
    printed = [line.replace(str(tmp_path / "p"), "plans/sample").replace(str(sample), "data/sample")
               for line in result.stdout.splitlines()]
    def unclocked(lines: list[str]) -> list[str]:
        return [line.split(", gap ")[0] for line in lines]  # the seconds differ

    assert unclocked(printed) == unclocked(shown)
