"""Same input + model + seed -> byte-identical plan; the time-limit and greedy paths still give valid plans."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from tests.solve.builders import course, demand, secondary, teacher
from vastaff.cli import app
from vastaff.nightly.sections import default_time_limit

PLAN_FILES = ["sections.csv", "section_grades.csv", "teachers.csv", "iep_assignments.csv", "caseloads.csv"]
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def _district(tmp_path):
    courses = [course(f"MA{i}", "math", semester=("year" if i % 3 == 0 else str(1 + i % 2))) for i in range(6)]
    courses += [course("ELD1", "english", "eld", program="eld"), course("EN9", "english")]
    teachers = [teacher(f"H{i}", "math;english;eld" if i < 2 else "math") for i in range(4)]
    dem = [demand(f"MA{i}", 9 + i % 4, 20 + 7 * i) for i in range(6)] + [demand("ELD1", 9, 12), demand("EN9", 9, 50)]
    return secondary(tmp_path / "d", teachers, courses, dem, periods=3)


def _solve(data, out, *extra):
    result = CliRunner().invoke(app, ["solve", str(data), "--out", str(out), "--seed", "3", *extra])
    assert result.exit_code == 0, result.output
    return {name: (out / name).read_bytes() for name in PLAN_FILES}


def test_same_seed_gives_byte_identical_files(tmp_path):
    data = _district(tmp_path)
    first = _solve(data, tmp_path / "a")
    second = _solve(data, tmp_path / "b")
    assert first == second
    run_a = json.loads((tmp_path / "a" / "run.json").read_text())
    run_b = json.loads((tmp_path / "b" / "run.json").read_text())
    for run in (run_a, run_b):
        run.pop("wall_seconds"), run.pop("timing")  # docs/data-format.md: only timing fields differ
    assert run_a == run_b
    assert run_a["time_limit"] == default_time_limit(4)  # no --time-limit: the size-based default


def test_same_seed_in_processes_with_other_string_hashes_gives_the_same_files(tmp_path):
    """Two nights are two processes, and Python salts str hashes per process: no set or dict order may reach a file.
    The sample has every part (IEP rotation, matrix, locations, the timetable)."""
    def night(hash_seed: str) -> dict[str, bytes]:
        out = tmp_path / f"h{hash_seed}"
        done = subprocess.run([sys.executable, "-m", "vastaff", "solve", str(SAMPLE), "--out", str(out), "--no-report",
                               "--store", "off"], env={**os.environ, "PYTHONHASHSEED": hash_seed},
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return {name: (out / name).read_bytes() for name in [*PLAN_FILES, "timetable.csv", "vacancies.csv"]}

    assert night("1") == night("2")


def test_default_time_limit_grows_with_the_district_and_stops_at_nine_minutes():
    assert default_time_limit(60) == 31.2
    assert default_time_limit(1000) == 50.0
    assert default_time_limit(20_000) == 430.0
    assert default_time_limit(100_000) == 540.0


def test_tiny_time_limit_still_writes_a_valid_plan(tmp_path):
    data = _district(tmp_path)
    _solve(data, tmp_path / "p", "--time-limit", "0.1")
    run = json.loads((tmp_path / "p" / "run.json").read_text())
    assert run["status"] in ("OPTIMAL", "FEASIBLE")
    result = CliRunner().invoke(app, ["check", str(data), str(tmp_path / "p")])
    assert result.exit_code == 0, result.output


def test_greedy_method_writes_a_plan_with_no_bound(tmp_path):
    data = _district(tmp_path)
    _solve(data, tmp_path / "g", "--method", "greedy")
    run = json.loads((tmp_path / "g" / "run.json").read_text())
    assert run["method"] == "greedy" and run["best_bound"] is None and run["status"] == "FEASIBLE"
