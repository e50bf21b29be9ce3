"""`vastaff history [--teacher ID]` through a tiny typer app holding only that command (the lead registers it in
vastaff.cli); the store underneath is real (SQLite here, PostgreSQL in the last test)."""

from __future__ import annotations

import json
import re

import pytest
import typer
from typer.testing import CliRunner

from store_helpers import MONDAY, T07, T12_MON, T12_TUE, TUESDAY, TUESDAY_DISPLACE, WEDNESDAY, night
from vastaff.cli import history
from vastaff.cli.common import console
from vastaff.store import TeacherRecord, list_runs, record_run, teacher_trail

DISPLACED = TeacherRecord("T00012", site="S2", note="displaced (11.0), reports to S2")


@pytest.fixture
def app(monkeypatch):
    monkeypatch.setattr(console, "_width", 250)  # one table row per line, whatever the terminal
    monkeypatch.delenv("VASTAFF_STORE", raising=False)
    tiny = typer.Typer()
    tiny.callback()(lambda: None)  # a group, so the command is called by its name as under `vastaff`
    history.register(tiny)
    return tiny


@pytest.fixture
def store(tmp_path):
    path = str(tmp_path / "history.db")
    for run, teachers in ((MONDAY, [T12_MON, T07]), (WEDNESDAY, [T07]), (TUESDAY, [T12_TUE, T07]),
                          (TUESDAY_DISPLACE, [DISPLACED])):
        record_run(path, run, teachers)
    return path


def invoke(app, *args: str):
    return CliRunner().invoke(app, ["history", *args])


def cells(output: str) -> list[list[str]]:
    """The table's body rows, split into cells (two spaces or more between cells)."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("─")) + 1
    return [re.split(r"\s{2,}", line.strip()) for line in lines[start:] if line.strip()]


def test_runs_newest_first_with_hash_model_status_cost_vacancies_changes_and_folder(app, store):
    result = invoke(app, "--store", store)
    assert result.exit_code == 0 and result.stderr == ""
    assert cells(result.stdout) == [
        ["2", "2025-08-13 03:00", "solve", "c3c3c3c3c3c3", "VA 2025-2027", "FEASIBLE", "$1,200.00", "0",
         "/srv/plans/wed"],
        ["4", "2025-08-12 09:00", "displace", "b2b2b2b2b2b2", "VA 2025-2027", "OPTIMAL", "$720.00", "–",
         "displaced 1, moved level 0, retained 4, teachers 5", "/srv/plans/tue"],
        ["3", "2025-08-12 03:00", "solve", "b2b2b2b2b2b2", "VA 2025-2027", "OPTIMAL", "$2,400.50", "2",
         "periods moved 1, sections new 3, course sets changed 2", "/srv/plans/tue"],
        ["1", "2025-08-11 03:00", "solve", "a1a1a1a1a1a1", "VA 2025-2027", "OPTIMAL", "$1,200.00", "0",
         "/srv/plans/mon"]]
    assert [row[0] for row in cells(invoke(app, "--store", store, "--limit", "2").stdout)] == ["2", "4"]


def test_json_prints_the_stored_rows(app, store):
    result = invoke(app, "--store", store, "--json", "--limit", "3")
    assert result.exit_code == 0 and json.loads(result.stdout) == list_runs(store, 3)
    trail = invoke(app, "--store", store, "--teacher", "T00012", "--json")
    assert json.loads(trail.stdout) == teacher_trail(store, "T00012")


def test_json_carries_the_cost_parts_and_the_vacant_sections(app, store):
    """Schema version 3's columns: in --json (the tables keep their columns: they would not fit a terminal)."""
    runs = {r["id"]: r for r in json.loads(invoke(app, "--store", store, "--json").stdout)}
    assert [runs[3][k] for k in ("cost_stipend", "cost_multigrade", "cost_xtime", "vacancy_sections")] == [
        2400.0, 0.5, 0.0, "GEO-03; ALG1-04"]
    assert [runs[4][k] for k in ("cost_stipend", "cost_multigrade", "cost_xtime", "vacancy_sections")] == [
        None, None, 720.0, None]
    trail = json.loads(invoke(app, "--store", store, "--teacher", "T00012", "--json").stdout)
    assert [(r["run_id"], r["stipend_cost"], r["multigrade_cost"], r["xtime_cost"]) for r in trail] == [
        (1, 1200.0, 0.0, 0.0), (3, None, None, None), (4, None, None, None)]


def test_a_teacher_trail_says_what_changed_since_the_same_commands_run_before(app, store):
    result = invoke(app, "--store", store, "--teacher", "T00012")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"Teacher T00012: 3 recorded run(s), oldest first ({store})."
    assert cells(result.stdout) == [
        ["1", "2025-08-11 03:00", "solve", "/srv/data/mon", "ALG1; GEO", "ALG1-01@P2; GEO-02@P4", "S1", "S1-101",
         "M1; M7", "3", "$1,200.00", "first", "/srv/plans/mon"],
        ["3", "2025-08-12 03:00", "solve", "/srv/data/tue", "ALG1", "ALG1-01@P2", "S2", "S2-101", "M1", "3", "$0.00",
         "courses, periods, site, room, IEP meetings", "/srv/plans/tue"],
        ["4", "2025-08-12 09:00", "displace", "/srv/data/tue", "S2", "0", "$0.00", "first",
         "displaced (11.0), reports to S2", "/srv/plans/tue"]]  # the data folder of each run beside it


def test_a_scenario_is_compared_with_its_own_last_run_not_another_of_its_sweep(app, tmp_path):
    """Two scenarios of a sweep whose names agree in their first 40 characters store one `command`; each is compared
    with its own last run (its run folder), so an unchanged second sweep says so for both."""
    path, name = str(tmp_path / "h.db"), "scenario sweep stipend-1200_caseload-24_grade9-"
    runs = [night("mon", f"2025-08-1{d}T0{h}:00:00Z", command=name[:39] + "…", plan_folder=f"/srv/runs/{folder}")
            for d in (1, 2) for h, folder in ((1, "grade9-1.0"), (2, "grade9-1.5"))]
    teacher = {"grade9-1.0": T12_MON, "grade9-1.5": T12_TUE}
    for run in runs:
        record_run(path, run, [teacher[run.plan_folder.rsplit("/", 1)[1]]])
    changed = [row[-2] for row in cells(invoke(app, "--store", path, "--teacher", "T00012").stdout)]
    assert changed == ["first", "first", "–", "–"]  # was: every run against the other scenario


def test_an_unchanged_night_is_a_dash(app, tmp_path):
    path = str(tmp_path / "h.db")
    record_run(path, MONDAY, [T07])
    record_run(path, TUESDAY, [T07])
    assert [row[-2] for row in cells(invoke(app, "--store", path, "--teacher", "T00007").stdout)] == ["first", "–"]


def test_nothing_recorded_is_said_plainly_and_exits_0(app, store, tmp_path):
    empty = tmp_path / "none.db"
    result = invoke(app, "--store", str(empty))
    assert (result.exit_code, result.stdout) == (0, f"No run recorded in {empty} yet.\n")
    assert invoke(app, "--store", str(empty), "--json").stdout == "[]\n"
    assert invoke(app, "--store", str(empty), "--teacher", "T00012").stdout == f"No run recorded in {empty} yet.\n"
    assert not empty.exists()
    unknown = invoke(app, "--store", store, "--teacher", "T99999")
    assert (unknown.exit_code, unknown.stdout) == (
        0, f"No recorded run has a row for teacher T99999 (4 run(s) in {store}).\n")


def test_a_store_that_cannot_be_read_is_one_line_and_exit_2(app, tmp_path, monkeypatch):
    notes = tmp_path / "notes.db"
    notes.write_text("minutes\n" * 500)
    result = invoke(app, "--store", str(notes))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"vastaff history: store {notes}: file is not a database\n"
    monkeypatch.setenv("VASTAFF_STORE", "off")
    off = invoke(app)
    assert (off.exit_code, off.stderr) == (2, "vastaff history: the store is off (VASTAFF_STORE or --store is 'off')\n")
    bad = invoke(app, "--store", "mysql://chair:s3cret@h/db")
    assert bad.exit_code == 2 and "s3cret" not in bad.stderr and len(bad.stderr.splitlines()) == 1
    loop = tmp_path / "loop.db"
    loop.symlink_to(loop)  # an audit: read as an empty history, exit 0
    looped = invoke(app, "--store", str(loop))
    assert (looped.exit_code, looped.stderr) == (
        2, f"vastaff history: store {loop}: {loop} is a symbolic link that leads back to itself (a loop)\n")
    dangling = tmp_path / "later.db"
    dangling.symlink_to(tmp_path / "not-yet.db")  # a link to a store not made yet: no run recorded there
    assert invoke(app, "--store", str(dangling)).exit_code == 0


def test_the_environment_names_the_store_and_markup_in_stored_text_is_shown_as_typed(app, tmp_path, monkeypatch):
    path = tmp_path / "env.db"
    record_run(str(path), night("mon", "2025-08-11T03:00:00Z", contract_model="[red]VA[/red]"),
               [TeacherRecord("T00012", "[bold]ALG1[/bold]")])
    monkeypatch.setenv("VASTAFF_STORE", str(path))
    assert cells(invoke(app).stdout)[0][4] == "[red]VA[/red]"
    assert cells(invoke(app, "--teacher", "T00012").stdout)[0][4] == "[bold]ALG1[/bold]"


def test_help_shows_examples_and_exit_codes(app):
    result = invoke(app, "--help")
    assert result.exit_code == 0
    assert "vastaff history --teacher T00012" in result.stdout and "Exit codes: 0 shown" in result.stdout


def test_the_command_reads_a_postgresql_store(app, pg_server):
    url = pg_server.fresh_database()
    record_run(url, MONDAY, [T12_MON])
    text = f"postgresql://vastaff@/{url.database}?host={pg_server.socket_dir}"
    result = invoke(app, "--store", text, "--teacher", "T00012")
    assert result.exit_code == 0 and cells(result.stdout)[0][:5] == ["1", "2025-08-11 03:00", "solve", "/srv/data/mon",
                                                                 "ALG1; GEO"]


def test_a_table_wider_than_the_terminal_is_one_block_per_run(app, store, monkeypatch):
    """At 80 columns the runs table would cut every cell short ("FEASI…"): each run is a block of lines instead."""
    monkeypatch.setattr(console, "_width", 80)
    lines = invoke(app, "--store", store, "--limit", "1").stdout.splitlines()
    assert lines == ["run 2", "  when (UTC): 2025-08-13 03:00", "  command: solve", "  data: c3c3c3c3c3c3",
                     "  model: VA 2025-2027", "  status: FEASIBLE", "  cost: $1,200.00", "  vacancies: 0",
                     "  plan folder: /srv/plans/wed"]
    trail = invoke(app, "--store", store, "--teacher", "T00012").stdout.splitlines()
    first = trail.index("run 1")  # after the heading line, which wraps with the store's long path
    assert trail[first + 1:first + 3] == ["  when (UTC): 2025-08-11 03:00", "  command: solve"]
    assert max(map(len, trail)) <= 80


def test_a_night_counts_teachers_changed_of_any_kind_first_and_no_block_of_kinds():
    """run.json's changes_vs_previous since `teachers_changed` (the console's count) and `by_kind`: the count leads,
    the block per kind (changes.csv's own) is not spelled into the line; an older run's counts read as before."""
    night_changes = {"sections": 0, "teachers": 0, "periods": 1, "teachers_changed": 3,
                     "by_kind": {"courses": 0, "periods": 1, "site": 2}}
    assert history.changes_text(night_changes) == ("teachers changed 3, periods moved 1, sections new 0, "
                                                   "course sets changed 0")
    assert history.changes_text({"sections": 3, "teachers": 2, "periods": 1}) == (
        "periods moved 1, sections new 3, course sets changed 2")
