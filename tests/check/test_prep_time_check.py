"""A9.2 (9.0(2)), preparation time: the checker recomputes teachers.csv's prep_time flags from the plan, the previous
plan and run.json's dates (check/prep_time.py), and agrees with the nightly solve's flags (nightly/prep_time.py)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from typer.testing import CliRunner

from vastaff.cli import app

from vastaff.check.runner import run_checks
from vastaff.contract import load_contract
from vastaff.io.plan import load_plan
from vastaff.nightly import solve_nightly
from vastaff.nightly.prep_time import PrepDates
from vastaff.nightly.sections import SolveSettings

CONTRACT = load_contract()
WITHIN = {"first_day": "2026-08-20", "as_of": "2026-08-17"}   # 3 calendar days before: within the 5
OUTSIDE = {"first_day": "2026-08-20", "as_of": "2026-08-14"}  # 6 days before


@pytest.fixture
def changed_h1(case):
    """Last night H1 taught algebra only; tonight's plan (valid_sections) gives H1 honors algebra too."""
    case.previous = [s for s in case.sections if s["section_id"] != "S-HALG"]
    return case


def a92(case, flagged: set[str], dates: dict | None):
    """The A9.2 findings for the plan with `flagged` teachers and run.json's prep_time `dates`."""
    plan = load_plan(case.write_plan())
    teachers = plan.teachers.assign(prep_time=plan.teachers.teacher_id.isin(flagged))
    run = {**plan.run, "prep_time": dates} if dates is not None else plan.run
    report = run_checks(case.district(), replace(plan, teachers=teachers, run=run), CONTRACT, modules=("prep_time",))
    return [str(v) for v in report.violations]


def test_a_changed_teacher_within_the_notice_days_is_owed_the_flag(changed_h1):
    assert a92(changed_h1, {"H1"}, WITHIN) == []
    assert a92(changed_h1, set(), WITHIN) == [
        "A9.2: teacher H1: prep_time is false, expected true: their sections changed against the previous plan, as "
        "of 2026-08-17, within 5 calendar days before the first day of instruction 2026-08-20"]


def test_an_unchanged_teacher_is_not_flagged(changed_h1):
    assert a92(changed_h1, {"H1", "H2"}, WITHIN) == [
        "A9.2: teacher H2: prep_time is true, expected false: their sections did not change against the previous "
        "plan (as of 2026-08-17, 3 calendar day(s) before the first day of instruction 2026-08-20)"]


def test_outside_the_notice_days_nobody_is_flagged(changed_h1):
    assert a92(changed_h1, set(), OUTSIDE) == []
    assert a92(changed_h1, {"H1"}, OUTSIDE) == [
        "A9.2: teacher H1: prep_time is true, expected false: as of 2026-08-14, 6 calendar day(s) before the first "
        "day of instruction 2026-08-20: more than the 5 notice days"]


def test_without_a_previous_plan_or_dates_nobody_is_flagged(case, changed_h1):
    assert a92(changed_h1, {"H1"}, None) == [
        "A9.2: teacher H1: prep_time is true, expected false: the plan gives no first day of instruction "
        "(vastaff solve/check --first-day)"]
    changed_h1.previous = None
    assert a92(changed_h1, {"H1"}, WITHIN) == [
        "A9.2: teacher H1: prep_time is true, expected false: there is no previous plan to compare with"]


def test_unreadable_dates_in_run_json_are_named(changed_h1):
    assert a92(changed_h1, set(), {"first_day": "20.8.2026", "as_of": "2026-08-17"}) == [
        "A9.2: run.json prep_time.first_day: got '20.8.2026', expected a date YYYY-MM-DD"]


def test_the_nightly_flags_agree_with_the_checker(changed_h1):
    """The optimizer gives H1 honors algebra again (the only math teacher), so H1 alone changed: flagged, listed in
    run.json, and the checker finds the flags right."""
    district = changed_h1.district()
    settings = SolveSettings(time_limit=10, processes=1, prep_dates=PrepDates(date(2026, 8, 20), date(2026, 8, 17)))
    plan = solve_nightly(district, CONTRACT, settings)
    teachers = plan.tables["teachers"]
    assert sorted(teachers.teacher_id[teachers.prep_time]) == ["H1"]
    assert plan.run["prep_time"] == {"first_day": "2026-08-20", "as_of": "2026-08-17", "notice_days": 5,
                                     "days_before": 3, "within_notice": True, "previous_plan": True,
                                     "teachers": ["H1"]}
    made = replace(load_plan(changed_h1.write_plan()), sections=plan.tables["sections"], teachers=teachers,
                   run=plan.run)
    assert run_checks(district, made, CONTRACT, modules=("prep_time",)).violations == []
    wrong = replace(made, teachers=teachers.assign(prep_time=teachers.teacher_id == "H2"))
    assert [v.rows[0].key for v in run_checks(district, wrong, CONTRACT, modules=("prep_time",)).violations] == [
        "H1", "H2"]


def test_check_takes_the_dates_on_its_command_line(changed_h1):
    """`vastaff check --first-day/--as-of`: H1 changed 3 days before and carries no flag (exit 1); 6 days before,
    nothing is owed (exit 0); without dates the plan's run.json has none, so nobody is owed either."""
    data, plan = changed_h1.write()

    def check(*dates: str):
        return CliRunner().invoke(app, ["check", str(data), str(plan), "--json", *dates])

    late = check("--first-day", "2026-08-20", "--as-of", "2026-08-17")
    assert late.exit_code == 1
    assert [(v["rule"], v["article"], v["rows"]) for v in json.loads(late.output)["violations"]] == [
        ("A9.2", "9.0(2)", [{"file": "plan/teachers.csv", "key": "H1"}])]
    assert check("--first-day", "2026-08-20", "--as-of", "2026-08-14").exit_code == 0
    assert check().exit_code == 0


def test_a_plan_without_the_column_flags_the_teachers_run_json_lists(changed_h1):
    plan = load_plan(changed_h1.write_plan())
    teachers = plan.teachers.drop(columns=["prep_time"], errors="ignore")

    def a92_listed(listed: list[str]):
        run = {**plan.run, "prep_time": {**WITHIN, "teachers": listed}}
        made = replace(plan, teachers=teachers, run=run)
        return [v.rows[0].key for v in run_checks(changed_h1.district(), made, CONTRACT,
                                                  modules=("prep_time",)).violations]

    assert a92_listed(["H1"]) == []
    assert a92_listed([]) == ["H1"]
