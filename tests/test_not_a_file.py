"""An entry named like a table's file that is not a file — a folder, a link to a missing file, a link that loops, a
named pipe — is one input problem saying what it is (exit 2, nothing written), for optional files as for required
ones. Before, an optional one was read as absent: `iep_meetings.csv/` (an unzip that made a folder) or a
`sped_students.csv` link to a share not mounted gave a plan without IEP meetings or caseloads, exit 0.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import problems, tiny_tables, write_tables
from vastaff.errors import InputError
from vastaff.io.district import load_district
from vastaff.io.plan import load_plan, write_plan

FOLDER = "iep_meetings.csv: expected a CSV file (got a folder)"


def cli(*args) -> object:
    from vastaff.cli import app
    return CliRunner().invoke(app, [*map(str, args)])


@pytest.fixture
def data(tmp_path) -> Path:
    return write_tables(tmp_path / "data", tiny_tables())


def replaced(folder: Path, name: str, make) -> Path:
    """`folder/name` removed and made again by `make(path)` (a folder, a link, a pipe)."""
    path = folder / name
    path.unlink()
    make(path)
    return folder


def test_an_optional_file_that_is_a_folder_is_a_problem_not_an_empty_table(data):
    replaced(data, "iep_meetings.csv", Path.mkdir)
    assert problems(data) == [FOLDER]


def test_a_link_to_a_missing_file_names_its_target(data):
    replaced(data, "sped_students.csv", lambda p: p.symlink_to("/mnt/share/sped_students.csv"))
    assert problems(data) == [
        "sped_students.csv: expected a CSV file (got a link to a missing file: /mnt/share/sped_students.csv)"]


def test_a_required_file_that_is_a_link_that_loops_or_a_pipe(data):
    replaced(data, "rooms.csv", lambda p: p.symlink_to(p.name))
    replaced(data, "positions.csv", lambda p: os.mkfifo(p))  # reading a pipe would wait for ever
    assert problems(data) == ["positions.csv: expected a CSV file (got a named pipe)",
                              "rooms.csv: expected a CSV file (got a link that loops (it leads back to itself))"]


def test_the_name_in_any_letter_case_and_a_folder_beside_the_real_file(data):
    """`IEP_Meetings.CSV/` is named as it is; a folder beside a file of the same table is not that table's."""
    replaced(data, "iep_meetings.csv", lambda p: p.with_name("IEP_Meetings.CSV").mkdir())
    assert problems(data) == ["IEP_Meetings.CSV: expected a CSV file (got a folder)"]
    write_tables(data, tiny_tables())
    assert problems(data) == [] and len(load_district(data).iep_meetings) == 2


def test_a_link_to_a_file_is_read(data, tmp_path):
    (data / "teachers.csv").rename(tmp_path / "roster.csv")
    (data / "teachers.csv").symlink_to(tmp_path / "roster.csv")
    assert len(load_district(data).teachers) == 5


def test_a_plan_file_that_is_a_folder(tmp_path):
    write_plan(tmp_path / "plan", {}, {"status": "OPTIMAL"})
    (tmp_path / "plan" / "sections.csv").mkdir()
    replaced(tmp_path / "plan", "run.json", lambda p: p.symlink_to("/mnt/share/run.json"))
    with pytest.raises(InputError) as err:
        load_plan(tmp_path / "plan", label_prefix="plan/")
    assert [str(p) for p in err.value.problems] == [
        "plan/run.json: expected a JSON file (got a link to a missing file: /mnt/share/run.json)",
        "plan/sections.csv: expected a CSV file (got a folder)"]


def test_validate_and_solve_exit_2_and_write_nothing(data, tmp_path):
    replaced(data, "iep_meetings.csv", Path.mkdir)
    for args in (("validate", data), ("solve", data, "--out", tmp_path / "plan", "--store", "off")):
        result = cli(*args)
        assert result.exit_code == 2, result.output
        assert result.stderr.splitlines() == [FOLDER, "1 input problem(s); nothing was written."]
    assert not (tmp_path / "plan").exists()
