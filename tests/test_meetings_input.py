"""The meetings calendar's input files (io/meetings.py) and the `vastaff meetings` command's exits.

calendar.csv, meeting_requests.csv and meetings.csv are optional for every command but `meetings`; a bad row is one
line (file, row, column, value, what is expected), exit 2, like every input.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from tests.meetings.calendar_fixtures import CONTRACT, calendar, data_dir, day, meeting, request
from vastaff.cli import app as vastaff_app
from vastaff.cli import meetings as meetings_cli
from vastaff.errors import InputError
from vastaff.io.district import load_district
from vastaff.io.meetings import require_calendar
from vastaff.store import list_runs, teacher_trail

WEEKS = calendar(day(0, 0), day(3, 4), roa_fridays=True)
GOOD = [request("PD", "pd", "all", 2, day(0, 0), day(3, 4)),
        request("GL-H", "grade_level", "high", 2, day(0, 0), day(3, 4), 45),
        request("SPED", "staff_development", "special_education", 1, day(0, 0), day(3, 4)),
        request("COM", "committee", "H1; E2", 2, day(0, 0), day(3, 4), 30)]


def problems(folder) -> list[str]:
    """What `vastaff meetings` refuses in the folder (the audiences included: every other command warns of those)."""
    try:
        load_district(folder, CONTRACT, audiences=True)
    except InputError as exc:
        return [str(p) for p in exc.problems]
    return []


def test_the_calendar_loads_typed_and_audiences_resolve(tmp_path):
    district = load_district(data_dir(tmp_path, WEEKS, GOOD), CONTRACT)
    data = district.meetings
    assert len(data.calendar) == 20 and data.calendar.date.dtype.kind == "M" and data.meetings.empty
    assert data.requests.audience.tolist() == [("all",), ("high",), ("special_education",), ("H1", "E2")]
    who = data.attendance(district.teachers).groupby("request_id").teacher_id.agg(list).to_dict()
    assert who == {"PD": ["E1", "E2", "H1", "H2", "R1T"], "GL-H": ["H1", "H2", "R1T"], "SPED": ["R1T"],
                   "COM": ["E2", "H1"]}


def test_a_teacher_or_school_row_with_a_bad_cell_is_one_line_not_one_per_calendar_row_naming_it(tmp_path):
    """A probe written from the documentation alone: `stipend_consent = yes` on H1's row added a line per audience
    naming H1 ("not in teachers.csv"), and a bad `levels` cell on the school 210 lines of calendar.csv ("expected a
    school_id listed")."""
    folder = data_dir(tmp_path, WEEKS, GOOD)
    teachers = pd.read_csv(folder / "teachers.csv", dtype=str, keep_default_na=False)
    teachers.loc[teachers.teacher_id == "H1", "stipend_consent"] = "yes"
    teachers.to_csv(folder / "teachers.csv", index=False)
    assert problems(folder) == ["teachers.csv, row 4, column stipend_consent: got 'yes', expected true or false"]
    schools = pd.read_csv(folder / "schools.csv", dtype=str, keep_default_na=False)
    schools.loc[0, "levels"] = "elementary;college"
    schools.to_csv(folder / "schools.csv", index=False)
    found = problems(folder)
    assert len(found) == 2 and found[0].startswith("schools.csv, row 2, column levels: got 'elementary;college'")


def test_a_teacher_row_with_a_bad_cell_is_still_judged_on_the_audiences_naming_it(tmp_path):
    """All problems at once: H3's bad flag left H3 out of the audiences' checks, and a committee of VA1 listing H3, a
    teacher of VA2, was said only once the flag was fixed (H3's school and level are good)."""
    def edit(t):
        t["schools"].append({"school_id": "VA2", "name": "Virtual Academy 2", "region_id": "R2", "levels": "high"})
        t["teachers"].append({**t["teachers"][3], "teacher_id": "H3", "school_id": "VA2", "stipend_consent": "yes"})

    rows = GOOD[:3] + [request("COM", "committee", "H1; H3", 2, day(0, 0), day(3, 4), 30)]
    assert problems(data_dir(tmp_path, WEEKS, rows, edit=edit)) == [
        "meeting_requests.csv, row 5, column audience: got 'H3', expected a teacher_id of school VA1 (teachers.csv "
        "puts this teacher at VA2)",
        "teachers.csv, row 7, column stipend_consent: got 'yes', expected true or false"]


def test_a_district_without_the_files_has_no_calendar(tiny_dir):
    assert load_district(tiny_dir, CONTRACT).meetings is None


def test_bad_cells_are_one_line_each(tmp_path):
    bad = [request("PD", "retreat", "all", 0, day(0, 0), day(3, 4)),
           {**request("GL", "grade_level", "T@1", 2, day(0, 0), day(3, 4)), "earliest": "next week"}]
    cal = WEEKS[:1] + [{"school_id": "VA1", "date": "2026-09-02", "kind": "holiday"}]
    assert problems(data_dir(tmp_path, cal, bad)) == [
        "calendar.csv, row 3, column kind: got 'holiday', expected one of instructional, roa_friday, no_school",
        "meeting_requests.csv, row 2, column count: got '0', expected a whole number >= 1",
        "meeting_requests.csv, row 2, column kind: got 'retreat', expected one of pd, plt, faculty, grade_level, "
        "staff_development, committee",
        "meeting_requests.csv, row 3, column audience: got 'T@1', expected one of all, elementary, middle, high, "
        "special_education, or a ';'-separated list of teacher IDs",
        "meeting_requests.csv, row 3, column earliest: got 'next week', expected a date YYYY-MM-DD"]


def test_rows_against_each_other_and_the_district(tmp_path):
    cal = WEEKS[:2] + [{**WEEKS[1]}, {"school_id": "VA9", "date": "2026-09-03", "kind": "instructional"}]
    bad = [request("PD", "pd", "all", 2, day(3, 4), day(0, 0)),
           request("PD", "plt", "all", 1, day(0, 0), day(3, 4)),
           request("MS", "grade_level", "middle", 2, day(0, 0), day(3, 4)),
           request("COM", "committee", "H1;ZZ", 2, day(0, 0), day(3, 4))]
    assert problems(data_dir(tmp_path, cal, bad)) == [
        "calendar.csv, row 4, column date: got 'VA1:2026-09-01', expected a unique school_id + date (already on row 3)",
        "calendar.csv, row 5, column school_id: got 'VA9', expected a school_id listed in schools.csv",
        "meeting_requests.csv, row 2, column latest: got '2026-08-31', expected a date on or after earliest "
        "2026-09-25",
        "meeting_requests.csv, row 3, column request_id: got 'PD', expected a unique request_id (already on row 2)",
        "meeting_requests.csv, row 4, column audience: got 'middle', expected an audience holding at least one "
        "teacher of school VA1 (it holds none in teachers.csv)",
        "meeting_requests.csv, row 5, column audience: got 'ZZ', expected a teacher_id of school VA1 (not in "
        "teachers.csv)"]


def test_a_repeated_request_id_on_a_row_with_a_bad_cell_is_reported_with_it(tmp_path):
    """All problems at once: the repeat of PD on a row with a bad kind was found only after the kind was fixed."""
    rows = [request("PD", "pd", "all", 2, day(0, 0), day(3, 4)),
            request("PD", "brunch", "all", 1, day(0, 0), day(3, 4))]
    assert problems(data_dir(tmp_path, WEEKS, rows)) == [
        "meeting_requests.csv, row 3, column kind: got 'brunch', expected one of pd, plt, faculty, grade_level, "
        "staff_development, committee",
        "meeting_requests.csv, row 3, column request_id: got 'PD', expected a unique request_id (already on row 2)"]


def test_scheduled_meetings_in_the_data_name_their_request(tmp_path):
    rows = [meeting("PD-1", "PD", "pd", day(0, 1), "13:50", "14:50"),
            meeting("PD-2", "PD", "faculty", day(1, 1), "13:50", "14:50"),
            meeting("PD-3", "PD", "pd", day(2, 1), "14:50", "13:50"),
            meeting("X-1", "NOPE", "pd", day(2, 1), "13:50", "14:50")]
    assert problems(data_dir(tmp_path, WEEKS, GOOD, meetings=rows)) == [
        "meetings.csv, row 3, column kind: got 'faculty', expected pd, the kind of request PD",
        "meetings.csv, row 4, column end: got '13:50', expected a time after start 14:50",
        "meetings.csv, row 5, column request_id: got 'NOPE', expected a request_id of meeting_requests.csv"]


def test_a_request_over_its_count_names_the_rows_of_its_meetings(tmp_path):
    """The over-count line fell on the request's latest meeting, naming no other row, and counted a meeting already
    said to be of another kind (a cross-file fuzz): such a meeting is not counted, and the line names every row."""
    rows = [meeting("PD-3", "PD", "pd", day(2, 1), "13:50", "14:50"),
            meeting("PD-1", "PD", "pd", day(0, 1), "13:50", "14:50"),
            meeting("PD-2", "PD", "pd", day(1, 1), "13:50", "14:50")]
    assert problems(data_dir(tmp_path, WEEKS, GOOD, meetings=rows)) == [
        "meetings.csv, row 2, column request_id: got 'PD', expected at most 2 meetings of request PD (its count; rows "
        "2, 3, 4 name it)"]


def test_a_request_with_a_bad_cell_is_one_line_not_one_per_meeting_naming_it(tmp_path):
    """A probe written from the documentation alone: kind `iep` on a request's row added a line per scheduled meeting
    of it ("expected a request_id of meeting_requests.csv", which it is), and an unknown school one per meeting
    ("expected VA99, the school_id of request ...")."""
    rows = [meeting("PD-1", "PD", "pd", day(0, 1), "13:50", "14:50"),
            meeting("PD-2", "PD", "pd", day(1, 1), "13:50", "14:50")]
    bad = [request("PD", "iep", "all", 2, day(0, 0), day(3, 4))] + GOOD[1:]
    assert problems(data_dir(tmp_path / "kind", WEEKS, bad, meetings=rows)) == [
        "meeting_requests.csv, row 2, column kind: got 'iep', expected one of pd, plt, faculty, grade_level, "
        "staff_development, committee"]
    bad = [{**GOOD[0], "school_id": "VA9"}] + GOOD[1:]
    assert problems(data_dir(tmp_path / "school", WEEKS, bad, meetings=rows)) == [
        "meeting_requests.csv, row 2, column school_id: got 'VA9', expected a school_id listed in schools.csv"]


def test_an_audience_is_a_word_or_a_list_of_teachers_not_both(tmp_path):
    """`high;H1` was read as every high teacher and H1 as well, `H1;high` refused: the same cell either way round."""
    for audience in ("high;E1", "E1;high"):
        bad = GOOD[:1] + [request("GL-H", "grade_level", audience, 2, day(0, 0), day(3, 4), 45)]
        assert problems(data_dir(tmp_path / audience, WEEKS, bad)) == [
            f"meeting_requests.csv, row 3, column audience: got '{audience}', expected one of all, elementary, "
            f"middle, high, special_education, or a ';'-separated list of teacher IDs, not both in one cell"]


def test_meetings_without_their_requests_are_refused(tmp_path):
    folder = data_dir(tmp_path, WEEKS, GOOD, meetings=[meeting("PD-1", "PD", "pd", day(0, 1), "13:50", "14:50")])
    (folder / "meeting_requests.csv").unlink()
    assert problems(folder) == [
        "meeting_requests.csv: expected this file beside meetings.csv (a meeting's audience is its request's; file "
        "missing)"]
    for emptied in ("request_id,school_id,kind,audience,count,minutes,earliest,latest\n", ""):  # one line, not one
        (folder / "meeting_requests.csv").write_text(emptied)                                # per meeting
        assert problems(folder) == [
            "meeting_requests.csv: expected the requests of the meetings in meetings.csv (a meeting's audience is its "
            "request's; the file has no rows)"]


def test_the_meetings_command_requires_the_calendar(tmp_path):
    folder = data_dir(tmp_path, WEEKS, GOOD)
    (folder / "calendar.csv").unlink()
    with pytest.raises(InputError) as caught:
        require_calendar(load_district(folder, CONTRACT))
    assert [str(p) for p in caught.value.problems] == [
        "calendar.csv: expected this file, required by vastaff meetings (file missing)"]


# ----------------------------------------------------------------------------------------------
# `vastaff meetings`: 0 written, 2 invalid input, 3 --strict and a request short


def cli(*args: str):
    app = typer.Typer()
    app.callback()(lambda: None)
    meetings_cli.register(app)
    return CliRunner().invoke(app, ["meetings", *map(str, args), "--time-limit", "2"])


def test_the_command_writes_the_calendar_the_counts_and_run_json(tmp_path):
    out = tmp_path / "plan"
    result = cli(data_dir(tmp_path / "data", WEEKS, GOOD), "--out", out)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OPTIMAL: 7 of 7 meetings scheduled (attendance 21, bound 21; evenness 0), "
                                    "0 request(s) not fully met, ")
    assert sorted(p.name for p in out.iterdir()) == ["meeting_counts.csv", "meetings.csv", "run.json"]
    written = pd.read_csv(out / "meetings.csv")
    assert list(written.columns) == ["meeting_id", "request_id", "school_id", "kind", "date", "start", "end"]
    pd_days = written[written.request_id == "PD"]
    assert pd_days.start.tolist() == ["13:50", "13:50"] and pd_days.end.tolist() == ["14:50", "14:50"]
    first, second = pd_days.date.tolist()
    assert first in ("2026-09-01", "2026-09-08") and second in ("2026-09-15", "2026-09-22")  # one each half
    run = json.loads((out / "run.json").read_text())
    assert (run["command"], run["status"], run["requested"], run["unscheduled"]) == ("meetings", "OPTIMAL", 7, [])


def test_the_command_records_its_run_and_each_teachers_meetings_in_the_store(tmp_path):
    """docs/history.md: `meetings` records each run like solve and displace; its attendance is no cost."""
    store = tmp_path / "history.db"
    result = cli(data_dir(tmp_path / "data", WEEKS, GOOD), "--out", tmp_path / "plan", "--store", store)
    assert result.exit_code == 0 and "warning" not in result.output
    (run,) = list_runs(str(store))
    assert (run["command"], run["status"], run["cost_total"], run["vacancies"], run["plan_folder"]) == (
        "meetings", "OPTIMAL", None, None, str(tmp_path / "plan"))
    assert run["changes"] == {"requested": 7, "requests_not_fully_met": 0, "scheduled": 7}
    counts = pd.read_csv(tmp_path / "plan" / "meeting_counts.csv").set_index("teacher_id")
    (trail,) = teacher_trail(str(store), "H1")
    h1 = counts.loc["H1"]
    assert trail["note"] == (f"meetings A4.1 {h1.a41_year} a year (most {h1.a41_week_max} a week); A4.2 "
                             f"{h1.a42_year} a year (most {h1.a42_week_max} a week, {h1.a42_month_max} a month)")
    checked = CliRunner().invoke(vastaff_app, ["check", str(tmp_path / "data"), str(tmp_path / "plan")])
    assert checked.exit_code == 0, checked.output


def test_bad_input_exits_2_and_writes_nothing(tmp_path):
    bad = GOOD + [request("X", "pd", "nobody here", 1, day(0, 0), day(3, 4))]
    result = cli(data_dir(tmp_path / "data", WEEKS, bad), "--out", tmp_path / "plan")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.splitlines()[0] == (
        "meeting_requests.csv, row 6, column audience: got 'nobody here', expected one of all, elementary, middle, "
        "high, special_education, or a ';'-separated list of teacher IDs")
    assert not (tmp_path / "plan").exists()


def test_strict_exits_3_naming_the_rules_and_keeps_the_calendar_at_out(tmp_path):
    data = data_dir(tmp_path / "data", WEEKS, GOOD)
    out = tmp_path / "plan"
    assert cli(data, "--out", out).exit_code == 0
    before = (out / "meetings.csv").read_bytes()
    short = GOOD + [request("FAC", "faculty", "all", 1, day(0, 0), day(3, 4), minutes=75)]
    result = cli(data_dir(tmp_path / "data2", WEEKS, short), "--out", out, "--strict")
    assert result.exit_code == 3
    assert result.output.splitlines()[0] == ("  A4.2: request FAC (faculty, audience all): none of its 1 meetings can "
                                             "be held: it lasts 75 minutes; a faculty meeting lasts at most 60")
    explained = json.loads((tmp_path / "plan.infeasible.json").read_text())
    assert explained["status"] == "INFEASIBLE" and explained["conflicts"][0]["rules"] == ["A4.2"]
    assert (out / "meetings.csv").read_bytes() == before


def test_strict_on_a_first_run_explains_itself_in_out_run_json_too(tmp_path):
    """No calendar at OUT to keep: OUT/run.json says INFEASIBLE with the rules, as OUT.infeasible.json does."""
    short = GOOD + [request("FAC", "faculty", "all", 1, day(0, 0), day(3, 4), minutes=75)]
    out = tmp_path / "plan"
    result = cli(data_dir(tmp_path / "data", WEEKS, short), "--out", out, "--strict")
    assert result.exit_code == 3
    assert result.stderr.splitlines()[-1].endswith(
        f"explained in {tmp_path / 'plan.infeasible.json'} and {out / 'run.json'} (no calendar was there); nothing "
        "else was written.")
    assert [f.name for f in out.iterdir()] == ["run.json"]
    assert json.loads((out / "run.json").read_text())["conflicts"][0]["rules"] == ["A4.2"]
    assert cli(data_dir(tmp_path / "data2", WEEKS, GOOD), "--out", out).exit_code == 0  # a calendar may replace it
    assert (out / "meetings.csv").is_file() and not (tmp_path / "plan.infeasible.json").exists()


def test_a_teacher_who_left_but_is_still_on_a_roster_never_stops_tonights_solve(tmp_path):
    """A teacher removed from teachers.csv and still listed in a committee's audience stopped `solve` with exit 2 (a
    nightly audit): every command but `meetings` leaves them out of the audience and says so; `meetings`, which
    builds the calendar from the roster, still refuses it."""
    rows = GOOD[:3] + [request("COM", "committee", "H1; ZZ", 2, day(0, 0), day(3, 4), 30)]
    folder = data_dir(tmp_path / "data", WEEKS, rows)
    line = ("meeting_requests.csv, row 5, column audience: got 'ZZ', expected a teacher_id of school VA1 (not in "
            "teachers.csv)")
    district = load_district(folder, CONTRACT)
    assert [str(p) for p in district.meetings.roster] == [line]
    assert district.meetings.attendance(district.teachers).query("request_id == 'COM'").teacher_id.tolist() == ["H1"]
    warning = f"warning: {line}; left out of the audience tonight (vastaff meetings refuses it until the request is " \
              "fixed)"
    runner = CliRunner()
    validated = runner.invoke(vastaff_app, ["validate", str(folder)])
    assert validated.exit_code == 0 and warning in validated.stderr.splitlines()
    solved = runner.invoke(vastaff_app, ["solve", str(folder), "--out", str(tmp_path / "plan"), "--no-report",
                                         "--store", "off", "--time-limit", "10"])
    assert solved.exit_code == 0, solved.stderr
    assert warning in solved.stderr.splitlines()
    run = json.loads((tmp_path / "plan" / "run.json").read_text())  # and kept with the plan, for whoever reads it later
    assert run["roster_warnings"] == [warning.removeprefix("warning: ")]
    refused = runner.invoke(vastaff_app, ["meetings", str(folder), "--out", str(tmp_path / "calendar")])
    assert refused.exit_code == 2 and line in refused.stderr
