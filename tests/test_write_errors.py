"""Write failures on real file systems: a read-only folder and a full disk (small tmpfs mounts; the tests run as root,
so chmod would not stop a write). Each is one stderr line and exit 4, never a traceback; the plan that was there is
intact and no temporary folder or file is left. A read-only place is found before any solving.
"""

from __future__ import annotations

import os
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from typer.testing import CliRunner

from tests.conftest import tiny_tables, write_tables
from tests.scenario.conftest import write_scenario
from vastaff.cli import app
from vastaff.io.plan import write_plan

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "sample"


def cli(*args) -> object:
    return CliRunner().invoke(app, [str(a) for a in args])


def tree(root: Path) -> dict[str, bytes | None]:
    return {str(p.relative_to(root)): p.read_bytes() if p.is_file() else None for p in sorted(root.rglob("*"))}


@contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A fresh tmpfs of `size` mounted at `where`, unmounted afterwards (skips where mounting is not allowed)."""
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip() or 'mount failed'})")
    try:
        yield where
    finally:
        if subprocess.run(["umount", str(where)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(where)], capture_output=True)


def read_only(where: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True, capture_output=True)


def old_plan(folder: Path) -> Path:
    return write_plan(folder, {}, {"status": "OPTIMAL", "night": "old"})


# ----------------------------------------------------------------------------------------------
# Read-only.


def test_solve_into_a_read_only_folder_stops_before_solving(tmp_path):
    with tmpfs(tmp_path / "ro", "1m") as ro:
        plan = old_plan(ro / "plan")
        read_only(ro)
        before = tree(ro)
        started = time.monotonic()
        result = cli("solve", DATA, "--out", plan, "--time-limit", "60", "--processes", "1")
        assert time.monotonic() - started < 30  # a 60-s search did not start
        assert (result.exit_code, result.stderr) == (
            4, f"could not write {plan}: Read-only file system; what was there is unchanged.\n")
        new = ro / "plans" / "tonight"
        result = cli("solve", DATA, "--out", new, "--method", "greedy")
        assert (result.exit_code, result.stderr) == (
            4, f"could not write {new}: Read-only file system; nothing was written.\n")
        assert tree(ro) == before


@pytest.mark.parametrize("command", ["displace", "generate", "scenario", "compare"])
def test_every_writer_into_a_read_only_folder_exits_4(tmp_path, command):
    run = old_plan(tmp_path / "run")
    scenario = write_scenario(tmp_path / "sc", "base", DATA)
    with tmpfs(tmp_path / "ro", "1m") as ro:
        read_only(ro)
        out = ro / "out"
        args = {"displace": ["displace", DATA, "--out", out], "generate": ["generate", out, "--teachers", 20],
                "scenario": ["scenario", "run", scenario, "--out", out],
                "compare": ["scenario", "compare", run, "--csv", out]}[command]
        result = cli(*args)
        target = out / "base" if command == "scenario" else out
        assert (result.exit_code, result.stderr.splitlines()[-1]) == (
            4, f"could not write {target}: Read-only file system; nothing was written.")
        assert "Traceback" not in result.output and tree(ro) == {}


# ----------------------------------------------------------------------------------------------
# Disk full.


def test_solve_on_a_full_disk_keeps_the_old_plan_and_leaves_no_temporary_folder(tmp_path):
    """64 KiB: the old plan and a 40 KiB file fit, the sample's plan (about 24 KB in 6 files) does not."""
    with tmpfs(tmp_path / "small", "64k") as small:
        plan = old_plan(small / "plan")
        (small / "filler").write_bytes(b"x" * 40 * 1024)
        before = tree(small)
        result = cli("solve", DATA, "--out", plan, "--method", "greedy", "--processes", "1")
        assert (result.exit_code, result.stderr) == (
            4, f"could not write {plan}: No space left on device; what was there is unchanged.\n")
        assert tree(small) == before


def test_a_scenario_on_a_full_disk_is_not_written_and_its_old_run_stays(tmp_path):
    data = write_tables(tmp_path / "data", tiny_tables())
    scenario = write_scenario(tmp_path / "sc", "base", data, solve={"method": "greedy"})
    with tmpfs(tmp_path / "small", "64k") as small:
        runs = small / "runs"
        write_plan(runs / "base", {}, {"status": "OPTIMAL", "night": "old", "scenario": {"name": "base"}})
        (small / "filler").write_bytes(b"x" * 48 * 1024)
        before = tree(small)
        result = cli("scenario", "run", scenario, "--out", runs, "--processes", 1)
        assert result.exit_code == 4, result.output
        failed, summary = result.stderr.splitlines()
        assert failed.startswith(f"FAILED  base: could not write {runs / 'base'}: No space left on device; what was "
                                 "there is unchanged. (")
        assert summary == f"0 of 1 scenario(s) succeeded -> {runs}; failed: base"
        assert tree(small) == before


def test_a_report_on_a_full_disk_leaves_no_half_written_file(tmp_path):
    with tmpfs(tmp_path / "small", "16k") as small:
        report = small / "displace.md"
        report.write_text("old report\n")
        (small / "filler").write_bytes(b"x" * 12 * 1024)
        result = cli("displace", DATA, "--out", tmp_path / "plan", "--report", report)
        assert (result.exit_code, result.stderr) == (
            4, f"could not write {report}: No space left on device; what was there is unchanged.\n")
        assert tree(small) == {"displace.md": b"old report\n", "filler": b"x" * 12 * 1024}
    assert (tmp_path / "plan" / "run.json").is_file()  # the plan came first and is whole


def test_report_files_are_replaced_all_or_none_on_a_full_disk(tmp_path):
    """A full disk at report.html left a new timetable.csv beside last night's report.html (and said nothing was
    changed): every file is now written whole first, then all renamed into place. 8 KiB left: the two tables fit,
    the workbook and the page do not."""
    data = write_tables(tmp_path / "data", tiny_tables())
    assert cli("solve", data, "--out", tmp_path / "a", "--method", "greedy").exit_code == 0
    with tmpfs(tmp_path / "small", "256k") as small:
        plan = small / "plan"
        plan.mkdir()
        for f in (tmp_path / "a").iterdir():
            (plan / f.name).write_bytes(f.read_bytes())
        (plan / "timetable.csv").write_text("last night's\n")
        free = os.statvfs(small)
        (small / "filler").write_bytes(b"x" * (free.f_bavail * free.f_frsize - 8 * 1024))
        before = tree(small)
        result = cli("report", data, plan)
        assert (result.exit_code, result.stderr) == (4, f"could not write {plan}: No space left on device; what was "
                                                        "there is unchanged.\n"), result.output
        assert tree(small) == before  # no file replaced, no temporary file left
