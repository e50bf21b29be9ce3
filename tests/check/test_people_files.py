"""check/people_files.py: timetable.csv and vacancies.csv agree with sections.csv (STRUCTURE): a chapter chair's edit
to the timetable teachers read passed `check`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from vastaff.cli import app

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    """data/sample staffed by the clerk's fill, with its timetable.csv and vacancies.csv."""
    out = tmp_path_factory.mktemp("plan") / "p"
    result = CliRunner().invoke(app, ["solve", str(SAMPLE), "--out", str(out), "--method", "greedy", "--no-report",
                                      "--store", "off"])
    assert result.exit_code == 0, result.output
    return out


def check(plan) -> dict:
    result = CliRunner().invoke(app, ["check", str(SAMPLE), str(plan), "--json"])
    return json.loads(result.stdout)


def copy(solved, tmp_path):
    plan = tmp_path / "plan"
    plan.mkdir()
    for f in solved.iterdir():
        (plan / f.name).write_bytes(f.read_bytes())
    return plan


def structure(doc: dict) -> list[str]:
    return [v["message"] for v in doc["violations"] if v["rule"] == "STRUCTURE"]


def test_the_files_solve_wrote_agree(solved):
    assert structure(check(solved)) == []


def test_a_section_moved_in_the_timetable_alone_is_said(solved, tmp_path):
    plan = copy(solved, tmp_path)
    t = pd.read_csv(plan / "timetable.csv", dtype=str)
    first = t.index[t.period_id != "homeroom"][0]
    row = t.loc[first]
    t.loc[first, "period_id"] = "P9"
    t.to_csv(plan / "timetable.csv", index=False)
    sid = row.section_ids.split(";")[0]
    [message] = structure(check(plan))
    assert message.startswith("timetable.csv disagrees with sections.csv in ")
    where = f"for teacher {row.teacher_id} in semester {row.semester}, period"
    assert f"timetable.csv has {sid} {where} P9, sections.csv does not" in message
    assert f"sections.csv has {sid} {where} {row.period_id}, timetable.csv does not" in message
    assert message.endswith("it is made from sections.csv: `vastaff report DATA PLAN` writes it again")


def test_a_staffed_section_listed_as_vacant_is_said(solved, tmp_path):
    plan = copy(solved, tmp_path)
    sid = pd.read_csv(plan / "sections.csv", dtype=str).section_id.iloc[0]
    with open(plan / "vacancies.csv", "a") as f:
        f.write(f"{sid},VA01,X,1,20,made up,DEMAND\n")
    assert structure(check(plan)) == [
        f"vacancies.csv disagrees with sections.csv: it lists {sid}, which sections.csv staffs or does not hold; it is "
        "made from sections.csv: `vastaff report DATA PLAN` writes it again"]


def test_a_plan_without_the_files_for_people_is_not_asked_for_them(solved, tmp_path):
    plan = copy(solved, tmp_path)
    (plan / "timetable.csv").unlink()
    (plan / "vacancies.csv").unlink()
    assert structure(check(plan)) == []


def test_spaces_around_the_header_are_read_as_the_other_files_are(solved, tmp_path):
    plan = copy(solved, tmp_path)
    text = (plan / "timetable.csv").read_text().splitlines()
    (plan / "timetable.csv").write_text("\n".join([", ".join(text[0].split(","))] + text[1:]) + "\n")
    assert structure(check(plan)) == []
    (plan / "timetable.csv").write_text("\n".join([text[0].replace("section_ids", "sections")] + text[1:]) + "\n")
    assert structure(check(plan)) == ["timetable.csv has no column section_ids; it is made from sections.csv: "
                                      "`vastaff report DATA PLAN` writes it again"]
