"""Each command fills the columns of schema version 3 with its own files' figures (docs/history.md): a run's cost parts
and vacant sections are its run.json's, each teacher's cost parts its teachers.csv's (and displacement.csv's X-time),
on SQLite and on PostgreSQL; `vastaff meetings` has no cost and no vacancy: NULL, not $0."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from store_helpers import rows
from tests.meetings.calendar_fixtures import calendar, data_dir, day, request
from tests.solve.builders import course, demand, secondary, teacher
from vastaff.cli import app

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"
RUN_PARTS = ("cost_stipend", "cost_multigrade", "cost_xtime", "vacancy_sections")
TEACHER_PARTS = ("stipend_cost", "multigrade_cost", "xtime_cost")


def recorded(url, *args) -> tuple[dict, dict[str, tuple]]:
    """Run one command into the store at `url`; its run row and its teachers' cost parts (and cost), by teacher."""
    result = CliRunner().invoke(app, [str(a) for a in args] + ["--store", url.render_as_string(hide_password=False)])
    assert result.exit_code == 0 and "not recorded" not in result.stderr, result.output
    run = rows(url, "SELECT * FROM vastaff_runs ORDER BY id DESC")[0]
    teachers = rows(url, f"SELECT * FROM vastaff_run_teachers WHERE run_id = {run['id']}")
    return run, {t["teacher_id"]: tuple(t[k] for k in (*TEACHER_PARTS, "cost")) for t in teachers}


def from_run_json(folder: Path) -> tuple:
    """The run's cost parts and vacant sections as run.json has them (None where it has no such part or list)."""
    run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    costs, items = run.get("costs", {}), run.get("vacancies", {}).get("items")
    return (costs.get("stipend"), costs.get("multigrade"), costs.get("xtime"),
            None if items is None else "; ".join(i["section_id"] for i in items))


def from_plan_files(folder: Path) -> dict[str, tuple]:
    """Each teacher's cost parts as teachers.csv has them, displacement.csv's X-time added (A12), and their sum."""
    files = [pd.read_csv(folder / name) for name in ("teachers.csv", "displacement.csv") if (folder / name).is_file()]
    table = pd.concat(files).reindex(columns=["teacher_id", *TEACHER_PARTS])
    summed = table.groupby("teacher_id").sum(min_count=1)
    summed = summed.astype(object).where(summed.notna(), None)
    return {t: (*parts, sum(p for p in parts if p is not None)) for t, parts in zip(summed.index, summed.values)}


def test_solve_and_displace_record_their_run_json_and_teachers_csv_figures(any_url, tmp_path):
    """One consenting teacher with 10 courses (2 stipend courses, A6.3) and two courses no one may teach (vacant)."""
    data = secondary(tmp_path / "d", [teacher("H1", "math", stipend_consent="true")],
                     [course(f"MA{i}", "math") for i in range(10)] + [course("SC1", "science"), course("AR1", "art")],
                     [demand(f"MA{i}", 9, 10) for i in range(10)] + [demand("SC1", 9, 30), demand("AR1", 10, 20)],
                     periods=6)
    run, teachers = recorded(any_url, "solve", data, "--out", tmp_path / "plan", "--no-report")
    assert tuple(run[k] for k in RUN_PARTS) == from_run_json(tmp_path / "plan") == (2400.0, 0.0, 0.0,
                                                                                    "AR1-01; SC1-01")
    assert teachers == from_plan_files(tmp_path / "plan") == {"H1": (2400.0, 0.0, 0.0, 2400.0)}

    run, teachers = recorded(any_url, "displace", SAMPLE, "--out", tmp_path / "disp")
    assert tuple(run[k] for k in RUN_PARTS) == from_run_json(tmp_path / "disp") == (None, None, 720.0, None)
    assert teachers == from_plan_files(tmp_path / "disp")  # no teachers.csv: only X-time is known
    assert sorted(parts for parts in teachers.values() if parts[2]) == [(None, None, 720.0, 720.0)]


def test_a_scenario_and_a_meetings_run_record_their_figures(any_url, tmp_path):
    run, teachers = recorded(any_url, "scenario", "run", ROOT / "scenarios" / "baseline.yaml", "--out",
                             tmp_path / "scenarios", "--time-limit", 10, "--processes", 1)
    folder = tmp_path / "scenarios" / "baseline"
    assert tuple(run[k] for k in RUN_PARTS) == from_run_json(folder)
    assert run["vacancy_sections"] is not None and run["cost_stipend"] is not None
    assert teachers == from_plan_files(folder) and len(teachers) > 1
    assert [parts for parts in teachers.values() if parts[2]] == [(0.0, 0.0, 720.0, 720.0)]  # its displacement's

    meetings = data_dir(tmp_path / "m", calendar(day(0, 0), day(3, 4), roa_fridays=True),
                        [request("PD", "pd", "all", 2, day(0, 0), day(3, 4))])
    run, teachers = recorded(any_url, "meetings", meetings, "--out", tmp_path / "cal", "--time-limit", 2)
    assert tuple(run[k] for k in RUN_PARTS) == (None,) * 4 and run["cost_total"] is None
    assert teachers and set(teachers.values()) == {(None, None, None, 0.0)}
