"""IDs vastaff derives from yours (a section: its course ID and `-01`; a scheduled meeting: its request ID and `-01`)
read back: a 64-character course ID is valid input, so the plan made from it must be too (a fuzz of unusual valid
inputs found `check`, `report`, `explain` and the next night's `--previous` refusing the plan `solve` had written)."""

from __future__ import annotations

import csv
import shutil

from typer.testing import CliRunner

from tests.conftest import tiny_tables, write_tables
from vastaff.cli import app
from vastaff.generate import generate_district, write_district
from vastaff import load_contract

LONG = "VA1-" + "D" * 60  # 64 characters: the longest ID an input may have


def cli(*args) -> object:
    return CliRunner().invoke(app, [str(a) for a in args])


def test_a_plan_made_from_a_64_character_course_id_is_checked_and_read_as_last_nights(tmp_path):
    t = tiny_tables()
    for row in t["courses"] + t["demand"]:
        if row["course_id"] == "EN-9":
            row["course_id"] = LONG
    data = write_tables(tmp_path / "d", t)
    assert cli("solve", data, "--out", tmp_path / "p", "--no-report").exit_code == 0
    with open(tmp_path / "p" / "sections.csv", newline="") as f:
        assert f"{LONG}-01" in {row["section_id"] for row in csv.DictReader(f)}
    result = cli("check", data, tmp_path / "p")
    assert result.exit_code == 0, result.output
    result = cli("solve", data, "--out", tmp_path / "p2", "--previous", tmp_path / "p", "--no-report")
    assert result.exit_code == 0, result.output


def test_meetings_made_from_a_64_character_request_id_are_valid_input(tmp_path):
    data = tmp_path / "d"
    write_district(generate_district(20, 1, load_contract()), data, force=True)
    requests = (data / "meeting_requests.csv").read_text()
    first = requests.splitlines()[1].split(",")[0]
    (data / "meeting_requests.csv").write_text(requests.replace(f"{first},", f"{LONG},", 1))
    (data / "meetings.csv").unlink(missing_ok=True)
    result = cli("meetings", data, "--out", tmp_path / "m")
    assert result.exit_code == 0, result.output
    shutil.copyfile(tmp_path / "m" / "meetings.csv", data / "meetings.csv")
    assert f"{LONG}-01," in (data / "meetings.csv").read_text()
    result = cli("validate", data)
    assert result.exit_code == 0, result.output
