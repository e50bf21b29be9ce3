"""What `vastaff solve` prints first: the status, sections, vacancies and cost, in words a person reads."""

from __future__ import annotations

from typer.testing import CliRunner

from tests.conftest import tiny_tables, write_tables
from vastaff.cli import app


def _first_line(data, out) -> str:
    result = CliRunner().invoke(app, ["solve", str(data), "--out", str(out), "--no-report", "--store", "off"])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()[0]


def test_one_vacancy_is_one_vacancy_and_none_are_vacancies(tmp_path):
    tables = tiny_tables()
    assert _first_line(write_tables(tmp_path / "full", tables), tmp_path / "a").startswith(
        "OPTIMAL: 7 sections, 0 vacancies, cost $")
    tables["courses"].append({"course_id": "SC-BIO", "school_id": "VA1", "title": "Biology", "subject": "science",
                              "credential": "science", "level": "high", "program": "general", "semester": "1"})
    tables["demand"].append({"school_id": "VA1", "course_id": "SC-BIO", "grade": 9, "students": 20})
    assert _first_line(write_tables(tmp_path / "one", tables), tmp_path / "b").startswith(
        "OPTIMAL: 8 sections, 1 vacancy, cost $")
