"""`solve` and `displace` record their runs in the store given by --store; a store that cannot be written is one
warning line and costs nothing (docs/history.md: the plan is still written, exit 0)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vastaff.cli import app
from vastaff.store import list_runs, teacher_trail

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample"


def invoke(*args) -> object:
    return CliRunner().invoke(app, [str(a) for a in args])


def test_solve_and_displace_are_recorded_with_their_teachers(tmp_path):
    store = tmp_path / "history.db"
    assert invoke("solve", SAMPLE, "--out", tmp_path / "plan", "--store", store).exit_code == 0
    assert invoke("displace", SAMPLE, "--out", tmp_path / "disp", "--store", store).exit_code == 0
    runs = list_runs(str(store))
    assert [(r["command"], r["status"], r["plan_folder"]) for r in runs] == [
        ("displace", "OPTIMAL", str(tmp_path / "disp")), ("solve", "OPTIMAL", str(tmp_path / "plan"))]
    trail = teacher_trail(str(store), "T00033")
    assert [r["command"] for r in trail] == ["solve", "displace"] and "VA01-H-FITNESS" in trail[0]["courses"]


def test_a_solve_that_makes_no_plan_is_recorded_without_cost(tmp_path):
    """--strict with a vacancy: INFEASIBLE, exit 3, and the night is in the history (its folder the explanation
    file), with no cost and no teacher rows."""
    from tests.solve.builders import course, demand, secondary, teacher

    data = secondary(tmp_path / "d", [teacher("H1", "math")], [course(f"MA{i}", "math") for i in range(9)],
                     [demand(f"MA{i}", 9, 10) for i in range(9)], periods=6)
    store = tmp_path / "history.db"
    assert invoke("solve", data, "--out", tmp_path / "plan", "--strict", "--store", store).exit_code == 3
    (run,) = list_runs(str(store))
    assert (run["command"], run["status"], run["cost_total"], run["plan_folder"]) == (
        "solve", "INFEASIBLE", None, str(tmp_path / "plan.infeasible.json"))
    assert teacher_trail(str(store), "H1") == []


def test_a_store_that_cannot_be_written_is_a_warning_and_the_plan_is_written(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be\n")
    result = invoke("solve", SAMPLE, "--out", tmp_path / "plan", "--store", blocker / "history.db")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "plan" / "run.json").is_file() and (tmp_path / "plan" / "sections.csv").is_file()
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and str(blocker) in warnings[0]
    assert warnings[0].startswith("warning: this run was not recorded (store ")  # once "warning: vastaff: warning: "


def test_scenario_run_records_each_scenario(tmp_path):
    store = tmp_path / "history.db"
    result = invoke("scenario", "run", ROOT / "scenarios" / "baseline.yaml", "--out", tmp_path / "runs",
                    "--time-limit", 10, "--processes", 1, "--store", store)
    assert result.exit_code == 0, result.output
    (run,) = list_runs(str(store))
    assert (run["command"], run["plan_folder"]) == ("scenario run baseline", str(tmp_path / "runs" / "baseline"))
    trail = teacher_trail(str(store), "T00033")
    assert trail[0]["command"] == "scenario run baseline"
    assert trail[0]["note"] == "displaced (11.0), reports to WC01"  # the baseline displaces, as `displace` records


@pytest.mark.parametrize("command", ["solve", "displace"])
def test_a_command_whose_console_is_closed_early_still_records_its_run(tmp_path, command):
    """`vastaff solve ... | head -1`: the pipe closes after the first line and the console's next lines fail; the plan
    was written and the run is recorded before the console lines (before, it was not recorded at all)."""
    store = tmp_path / "history.db"
    args = [sys.executable, "-m", "vastaff", command, str(SAMPLE), "--out", str(tmp_path / "plan"),
            "--store", str(store)]
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT) as process:
        first = process.stdout.readline()
        process.stdout.close()
        process.wait(timeout=120)
    assert first.strip()
    assert [(r["command"], r["plan_folder"]) for r in list_runs(str(store))] == [(command, str(tmp_path / "plan"))]
