"""`vastaff generate` writes the meetings calendar's inputs (generate/meetings.py): a 180-day school year per school
holding the generated IEP meetings, about 40 meeting requests a school, IEP meetings inside the workday but a few;
and a generated district goes through `vastaff meetings`, then `solve` with the scheduled meetings, then `check`."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from vastaff.cli import app
from vastaff.contract import load_contract
from vastaff.generate import build_district, write_district
from vastaff.io.district import load_district
from vastaff.people.iep.workday import workday_counts
from vastaff.schemas.fields import minutes_of_day

CONTRACT = load_contract()


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    g = build_district(300, 5, CONTRACT)
    return load_district(write_district(g.tables, tmp_path_factory.mktemp("cal") / "d"), CONTRACT)


def test_every_school_has_the_same_180_day_year_and_its_requests(district):
    cal, requests = district.meetings.calendar, district.meetings.requests
    assert district.meetings.meetings.empty  # meetings.csv is what `vastaff meetings` makes of the requests
    days = cal[cal.kind != "no_school"].groupby("school_id").size()
    assert set(days.index) == set(district.schools.school_id) and (days == 180).all()
    first = cal[cal.school_id == cal.school_id.min()][["date", "kind"]].reset_index(drop=True)
    for _, own in cal.groupby("school_id"):
        pd.testing.assert_frame_equal(own[["date", "kind"]].reset_index(drop=True), first)
    per_school = requests.groupby("school_id").size()
    assert set(per_school.index) == set(district.schools.school_id)
    assert per_school.between(15, 50).all()  # about 40; fewer in a small school, whose committees fill up


def test_the_iep_meetings_fall_on_school_days_some_on_a_roa_friday(district):
    cal = district.meetings.calendar
    kinds = district.iep_meetings.merge(cal, on=["school_id", "date"], how="left").kind
    assert kinds.notna().all() and (kinds != "no_school").all()
    assert 0.05 < (kinds == "roa_friday").mean() < 0.2


def test_the_iep_meetings_keep_the_workday_but_a_few_set_before_it(district):
    counts = workday_counts(district, CONTRACT)
    assert counts.on_pd_plt_slot.sum() == 0
    outside = counts.outside_onsite_window.sum()
    assert 0 < outside <= 0.06 * counts.iep_meetings.sum()
    early = minutes_of_day(district.iep_meetings.end) <= CONTRACT.onsite_window_minutes[0]
    assert early.sum() == outside  # each one ends as the on-site day starts: clear of every scheduled meeting


def test_generate_then_meetings_then_solve_with_them_then_check(tmp_path):
    runner = CliRunner()

    def run(*args) -> None:
        result = runner.invoke(app, [str(a) for a in args])
        assert result.exit_code == 0, (args[0], result.output)

    data, scheduled = tmp_path / "data", tmp_path / "meetings"
    run("generate", data, "--teachers", 20, "--seed", 5)
    run("meetings", data, "--out", scheduled, "--time-limit", 2)
    shutil.copy(scheduled / "meetings.csv", data / "meetings.csv")
    assert len(load_district(data, CONTRACT).meetings.meetings) > 50
    run("solve", data, "--out", tmp_path / "plan", "--time-limit", 5, "--no-report")
    run("check", data, tmp_path / "plan")
