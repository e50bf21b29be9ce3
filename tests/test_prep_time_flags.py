"""A9.2 (9.0(2)), preparation time on the solve side (nightly/prep_time.py) and the CLI's --first-day/--as-of."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from typer.testing import CliRunner

from vastaff.cli import app
from vastaff.errors import InputError
from vastaff.nightly.prep_time import PrepDates, parse_prep_dates, prep_time_flags
from vastaff.io.plan import write_plan
from vastaff.schemas.district import Plan
from vastaff.schemas.plan import PLAN_COLUMNS

TEACHERS = pd.Series(["E1", "H1", "H2", "R1T"])


def sections(*rows: tuple[str | None, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["teacher_id", "course_id", "semester"])


def plan_of(frame: pd.DataFrame) -> Plan:
    empty = pd.DataFrame()
    return Plan(sections=frame, section_grades=empty, teachers=empty, iep_assignments=empty, caseloads=empty)


LAST_NIGHT = plan_of(sections(("H1", "MA-ALG1", "1"), ("H2", "EN-9", "year"), (None, "ELD-1", "1")))
TONIGHT = sections(("H1", "MA-ALG1", "1"), ("H1", "MA-ALG1", "1"), ("H2", "EN-9", "year"), ("E1", "EL-1", "year"),
                   ("H2", "ELD-1", "1"), ("H2", "ELD-1", "1"))
"""H1: a second algebra section (changed); H2: gains ELD (changed); E1: a first homeroom (changed); R1T none."""


def flags(first: str, as_of: str, previous: Plan | None = LAST_NIGHT, tonight: pd.DataFrame = TONIGHT):
    got, record = prep_time_flags(TEACHERS, previous, tonight, PrepDates(date.fromisoformat(first),
                                                                        date.fromisoformat(as_of)), 5)
    return sorted(TEACHERS[got]), record


@pytest.mark.parametrize("as_of, days", [("2026-08-17", 3), ("2026-08-15", 5), ("2026-08-20", 0), ("2026-08-24", -4)])
def test_changed_teachers_are_flagged_within_the_notice_days(as_of, days):
    """Five calendar days before the first day count (9.0(2)), the first day itself and a notice after it too."""
    flagged, record = flags("2026-08-20", as_of)
    assert flagged == ["E1", "H1", "H2"] and record.teachers == ["E1", "H1", "H2"]
    assert (record.days_before, record.within_notice, record.notice_days) == (days, True, 5)


def test_six_days_before_nobody_is_flagged():
    flagged, record = flags("2026-08-20", "2026-08-14")
    assert flagged == [] and record.teachers == [] and (record.days_before, record.within_notice) == (6, False)


def test_an_unchanged_teacher_is_not_flagged():
    """The same courses and section counts: new periods or students are no new assignment."""
    same = sections(("H1", "MA-ALG1", "1"), ("H2", "EN-9", "year"))
    assert flags("2026-08-20", "2026-08-17", tonight=same)[0] == []


def test_without_a_previous_plan_or_a_first_day_nobody_is_flagged():
    flagged, record = flags("2026-08-20", "2026-08-17", previous=None)
    assert flagged == [] and record.previous_plan is False
    got, record = prep_time_flags(TEACHERS, LAST_NIGHT, TONIGHT, None, 5)
    assert not got.any() and record is None


DATE = "expected a date YYYY-MM-DD from 1900-01-01 to 2199-12-31, e.g. 2026-08-12"


def test_dates_are_read_strictly():
    assert parse_prep_dates(None, None, date(2026, 8, 1)) is None
    assert parse_prep_dates("2026-08-20", None, date(2026, 8, 1)) == PrepDates(date(2026, 8, 20), date(2026, 8, 1))
    with pytest.raises(InputError) as exc:
        parse_prep_dates("2026-02-30", "8/17/2026", date(2026, 8, 1))
    assert sorted(str(p) for p in exc.value.problems) == [
        f"--as-of: got '8/17/2026', {DATE}",
        f"--first-day: got '2026-02-30', {DATE}"]
    with pytest.raises(InputError) as exc:  # the data's dates' bounds (a probe from the docs: 0001-01-01 was taken)
        parse_prep_dates("0001-01-01", None, date(2026, 8, 1))
    assert [str(p) for p in exc.value.problems] == [f"--first-day: got '0001-01-01', {DATE}"]
    with pytest.raises(InputError) as exc:
        parse_prep_dates(None, "2026-08-17", date(2026, 8, 1))
    assert [str(p) for p in exc.value.problems] == [
        "--as-of: got '2026-08-17', expected --first-day with it (the first day of instruction the notice is counted "
        "against)"]


@pytest.mark.parametrize("command", ["solve", "check"])
def test_a_bad_date_on_the_command_line_is_one_line_and_exit_2(tiny_dir, tmp_path, command):
    args = [command, str(tiny_dir), *(["--out", str(tmp_path / "p")] if command == "solve" else [str(tiny_dir)]),
            "--first-day", "2026-13-01"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert f"--first-day: got '2026-13-01', {DATE}" in " ".join(result.output.split())
    assert not (tmp_path / "p").exists()


def test_solve_lists_the_flagged_teachers_in_run_json(tiny_dir, tmp_path):
    """Last night H1 taught algebra only and H2 English only; tonight H1 (the only math teacher) takes honors algebra
    and H2 (the only ELD teacher) ELD too: both changed, two days before the first day."""
    _last_night(tmp_path / "last")
    result = CliRunner().invoke(app, ["solve", str(tiny_dir), "--out", str(tmp_path / "p"), "--no-report",
                                      "--time-limit", "5", "--previous", str(tmp_path / "last"),
                                      "--first-day", "2026-08-20", "--as-of", "2026-08-18"])
    assert result.exit_code == 0, result.output
    run = json.loads((tmp_path / "p" / "run.json").read_text())
    assert run["prep_time"] == {"first_day": "2026-08-20", "as_of": "2026-08-18", "notice_days": 5, "days_before": 2,
                                "within_notice": True, "previous_plan": True, "teachers": ["H1", "H2"]}
    assert ("Prep time (A9.2): 2 teacher(s) flagged prep_time (as of 2026-08-18, 2 day(s) before the first day "
            "2026-08-20): H1, H2") in result.output


def test_teachers_csv_carries_the_flag_and_check_agrees(tiny_dir, tmp_path):
    """The plan's teachers.csv column round-trips; `vastaff check` (dates from run.json) finds the flags right, and
    with --as-of 6 days before, finds them wrong."""
    _last_night(tmp_path / "last")
    plan = tmp_path / "p"
    result = CliRunner().invoke(app, ["solve", str(tiny_dir), "--out", str(plan), "--no-report", "--time-limit", "5",
                                      "--previous", str(tmp_path / "last"), "--first-day", "2026-08-20",
                                      "--as-of", "2026-08-18"])
    assert result.exit_code == 0, result.output
    teachers = pd.read_csv(plan / "teachers.csv", dtype=str)
    assert dict(zip(teachers.teacher_id, teachers.prep_time)) == {"E1": "false", "E2": "false", "H1": "true",
                                                                  "H2": "true", "R1T": "false"}
    check = ["check", str(tiny_dir), str(plan), "--previous", str(tmp_path / "last")]
    assert CliRunner().invoke(app, check).exit_code == 0
    late = CliRunner().invoke(app, [*check, "--as-of", "2026-08-14", "--first-day", "2026-08-20"])
    assert late.exit_code == 1 and late.output.count("A9.2") == 2


def _last_night(folder) -> None:
    """Last night's plan of the tiny district: H1 algebra only, H2 English only, the homerooms as tonight."""
    rows = [("S-E1", "EL-1", "year", "homeroom", "E1", 20), ("S-E2", "EL-1", "year", "homeroom", "E2", 20),
            ("S-ALG", "MA-ALG1", "1", "P1", "H1", 30), ("S-EN", "EN-9", "year", "P1", "H2", 25)]
    last = pd.DataFrame([(s, "VA1", c, sem, p, t, n) for s, c, sem, p, t, n in rows], columns=PLAN_COLUMNS["sections"])
    grades = pd.DataFrame([(s, 1 if c == "EL-1" else 9, n) for s, c, _, _, _, n in rows],
                          columns=PLAN_COLUMNS["section_grades"])
    write_plan(folder, {"sections": last, "section_grades": grades}, {})
