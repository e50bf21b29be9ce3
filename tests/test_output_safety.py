"""Where the writing commands may write (io/outpath): a new path, an empty folder or a folder of their own kind; never
a file, a path under a file, the data folder or a folder holding it, the current folder; `--force` only for a
non-empty folder that is not ours. Refusals exit 2 with one line and touch nothing. Also: an infeasible run leaves
the plan alone and explains itself in OUT.infeasible.json; folders honour the umask; a killed run's temporary
folders go; file outputs refuse a folder; --help states the exit codes; a scenario's input/ keeps what a rerun
needs. Write failures (read-only, disk full) are in test_write_errors.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.conftest import tiny_tables, write_tables
from tests.scenario.conftest import write_scenario
from tests.solve.builders import course, demand, secondary, teacher
from vastaff.cli import app
from vastaff.generate import generate_district, write_district
from vastaff.io.plan import write_plan
from vastaff.nightly.sections import GREEDY_LIMIT

ROOT = Path(__file__).resolve().parents[1]
NOTHING = "; nothing was written."


def cli(*args) -> object:
    return CliRunner().invoke(app, [str(a) for a in args])


def tree(root: Path) -> dict[str, bytes | str]:
    """Every path under `root` with its bytes (files) or its mode (folders): to prove nothing was touched."""
    return {str(p.relative_to(root)): p.read_bytes() if p.is_file() else oct(p.stat().st_mode)
            for p in sorted(root.rglob("*"))}


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A copy of data/sample (a refusal bug must never reach the repository's own data)."""
    return Path(shutil.copytree(ROOT / "data" / "sample", tmp_path / "work" / "data"))


def a_plan(folder: Path, teacher_id: str = "OLD") -> Path:
    """A small plan folder (it has run.json) standing for last night's plan."""
    sections = pd.DataFrame([{"section_id": "S1", "school_id": "VA1", "course_id": "C1", "semester": "1",
                              "period_id": "P1", "teacher_id": teacher_id, "enrollment": 20}])
    return write_plan(folder, {"sections": sections}, {"status": "OPTIMAL", "night": "old"})


def commands(data: Path, out: Path, tmp_path: Path) -> dict[str, list]:
    """The argument lists of every writing command aimed at `out` (fast settings; refused before any work)."""
    scenario = write_scenario(tmp_path / "sc", "base", data)
    return {
        "solve": ["solve", data, "--out", out, "--method", "greedy", "--processes", 1],
        "displace": ["displace", data, "--out", out],
        "scenario": ["scenario", "run", scenario, "--out", out, "--processes", 1],
        "generate": ["generate", out, "--teachers", 20],
    }


# ----------------------------------------------------------------------------------------------
# Refused up front: exit 2, one line, nothing touched.


@pytest.mark.parametrize("command", ["solve", "displace", "scenario", "generate"])
def test_a_file_and_a_path_under_a_file_are_refused(tmp_path, data, command):
    file = tmp_path / "work" / "notes.txt"
    file.write_text("mine\n")
    before = tree(tmp_path / "work")
    for out, force, line in [(file, False, f"{file} is a file, not a folder"),
                             (file, True, f"{file} is a file, not a folder"),
                             (file / "plan", True, f"{file / 'plan'} is under {file}, which is a file")]:
        result = cli(*commands(data, out, tmp_path)[command], *(["--force"] if force else []))
        assert (result.exit_code, result.stderr) == (2, line + NOTHING + "\n"), result.output
        assert tree(tmp_path / "work") == before


@pytest.mark.parametrize("command", ["solve", "displace", "scenario"])
def test_the_data_folder_and_a_folder_holding_it_are_refused_even_with_force(tmp_path, data, command):
    parent = data.parent
    before = tree(tmp_path / "work")
    for out, line in [(data, f"{data} is the data folder; refused, even with --force"),
                      (parent, f"{parent} holds the data folder {data}; refused, even with --force")]:
        for force in ([], ["--force"]):
            result = cli(*commands(data, out, tmp_path)[command], *force)
            assert (result.exit_code, result.stderr) == (2, line + NOTHING + "\n"), result.output
            assert tree(tmp_path / "work") == before


@pytest.mark.parametrize("command", ["solve", "generate"])
def test_the_current_folder_is_refused_even_with_force(tmp_path, data, command, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    (here / "keep.txt").write_text("mine\n")
    monkeypatch.chdir(here)
    result = cli(*commands(data, Path("."), tmp_path)[command], "--force")
    assert (result.exit_code, result.stderr) == (2, f". is the current folder; refused, even with --force{NOTHING}\n")
    assert tree(here) == {"keep.txt": b"mine\n"}


@pytest.mark.parametrize("command", ["solve", "displace", "generate"])
def test_the_run_history_folder_is_refused_even_with_force(tmp_path, data, command, monkeypatch):
    """`--out runs --force` in a working folder with a run history (runs/vastaff.db) would delete every run."""
    here = tmp_path / "here"
    (here / "runs").mkdir(parents=True)
    (here / "runs" / "vastaff.db").write_bytes(b"history")
    monkeypatch.chdir(here)
    before = tree(here)
    result = cli(*commands(data, Path("runs"), tmp_path)[command], "--force")
    assert (result.exit_code, result.stderr) == (
        2, f"runs holds the run history {here / 'runs' / 'vastaff.db'}; refused, even with --force{NOTHING}\n")
    assert tree(here) == before


def test_the_run_history_folder_is_refused_before_its_first_run_and_says_so(tmp_path, data, monkeypatch):
    """`--out runs` before any run was recorded: the folder the default history goes to, and the message says it
    would hold it (it is not there yet)."""
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    result = cli(*commands(data, Path("runs"), tmp_path)["solve"])
    assert (result.exit_code, result.stderr) == (
        2, f"runs would hold the run history {here / 'runs' / 'vastaff.db'}; refused, even with --force{NOTHING}\n")
    assert tree(here) == {}


def test_solve_refuses_the_previous_plan_and_the_model_even_with_force(tmp_path, data):
    previous = a_plan(tmp_path / "work" / "plan0")
    (tmp_path / "work" / "models").mkdir()
    model = Path(shutil.copy(ROOT / "models" / "va-2025-2027.yaml", tmp_path / "work" / "models" / "m.yaml"))
    before = tree(tmp_path / "work")
    result = cli("solve", data, "--out", previous, "--previous", previous, "--force")
    assert (result.exit_code, result.stderr) == (2, f"{previous} is the previous plan; refused, even with --force"
                                                    f"{NOTHING}\n")
    result = cli("solve", data, "--out", model.parent, "--model", model, "--force")
    assert (result.exit_code, result.stderr) == (2, f"{model.parent} holds the contract model {model}; refused, "
                                                    f"even with --force{NOTHING}\n")
    assert tree(tmp_path / "work") == before


def test_a_folder_that_is_not_a_plan_needs_force_and_then_is_replaced(tmp_path, data):
    out = tmp_path / "work" / "mine"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"years of work")
    before = tree(tmp_path / "work")
    for command in (["solve", data, "--out", out, "--method", "greedy"], ["displace", data, "--out", out]):
        result = cli(*command)
        assert (result.exit_code, result.stderr) == (2, f"{out} is not a folder vastaff {command[0]} wrote (it holds "
                                                        f"other files and no run.json of it); add --force to replace "
                                                        f"it{NOTHING}\n")
        assert tree(tmp_path / "work") == before
    result = cli("displace", data, "--out", out, "--force")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["displacement.csv", "run.json"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["data", "mine"]


def test_a_folder_of_the_commands_own_kind_and_an_empty_folder_are_replaced_without_force(tmp_path, data):
    empty, again = tmp_path / "empty", tmp_path / "again"
    empty.mkdir()
    for out in (empty, again, again):  # the second run into `again` replaces the first's displacement
        result = cli("displace", data, "--out", out)
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in out.iterdir()) == ["displacement.csv", "run.json"]


def test_a_plan_of_another_command_is_not_replaced_without_force(tmp_path, data):
    """`displace --out plans/nightly` replaced the nightly staffing plan (a fuzz of output targets): a folder holds
    one command's output, and another command needs --force to replace it."""
    plan = a_plan(tmp_path / "nightly")
    before = tree(plan)
    result = cli("displace", data, "--out", plan)
    assert (result.exit_code, result.stderr) == (2, f"{plan} holds a plan (vastaff solve), not a displacement; choose "
                                                    f"another --out, or add --force to replace it{NOTHING}\n")
    result = cli("meetings", data, "--out", plan)
    assert result.exit_code == 2 and "not a meetings" in result.stderr
    displaced = tmp_path / "displaced"
    assert cli("displace", data, "--out", displaced).exit_code == 0
    result = cli("solve", data, "--out", displaced, "--method", "greedy")
    assert (result.exit_code, result.stderr) == (2, f"{displaced} holds a displacement (vastaff displace), not a plan; "
                                                    f"choose another --out, or add --force to replace it{NOTHING}\n")
    assert tree(plan) == before


def test_files_a_person_put_in_a_plan_folder_are_never_deleted_without_force(tmp_path, data):
    """The nightly routine re-solves into last night's folder; a principal's notes there went with it (exit 0)."""
    plan = a_plan(tmp_path / "nightly")
    (plan / "my_notes.txt").write_text("call the principal\n")
    (plan / "principal-comments").mkdir()
    before = tree(tmp_path)
    result = cli("solve", data, "--out", plan, "--method", "greedy")
    assert (result.exit_code, result.stderr) == (2, f"{plan} holds files vastaff solve does not write (my_notes.txt, "
                                                    "principal-comments), which replacing it would delete; move them "
                                                    f"out, or add --force to replace the folder with them{NOTHING}\n")
    assert tree(tmp_path) == before


def test_a_run_json_alone_does_not_make_a_folder_a_plan(tmp_path, data):
    """Any folder with a file named run.json was taken for a plan and replaced (exit 0, no --force)."""
    mine = tmp_path / "mywork"
    mine.mkdir()
    (mine / "run.json").write_text("{}")
    (mine / "budget.csv").write_text("a,b\n")
    before = tree(tmp_path)
    result = cli("solve", data, "--out", mine, "--method", "greedy")
    assert result.exit_code == 2 and result.stderr.startswith(f"{mine} is not a folder vastaff solve wrote")
    assert tree(tmp_path) == before


def test_scenario_run_refuses_a_run_folder_that_is_not_a_run_and_a_folder_of_other_folders(tmp_path, data):
    scenario = write_scenario(tmp_path / "sc", "base", data)
    runs = tmp_path / "runs"
    (runs / "base").mkdir(parents=True)
    (runs / "base" / "notes.txt").write_text("mine\n")
    before = tree(runs)
    result = cli("scenario", "run", scenario, "--out", runs)
    assert (result.exit_code, result.stderr) == (2, f"{runs / 'base'} is not a folder vastaff scenario run wrote (it "
                                                    "holds other files and no run.json of it); add --force to replace "
                                                    f"it{NOTHING}\n")
    other = tmp_path / "photos"
    (other / "2019").mkdir(parents=True)
    result = cli("scenario", "run", scenario, "--out", other)
    said = "a comparison's files are named compare*.csv, .png or .html"
    assert (result.exit_code, result.stderr) == (2, f"{other} holds what is not a scenario run nor a comparison "
                                                    f"(2019; {said}); add --force to write into it anyway{NOTHING}\n")
    assert tree(runs) == before and list(other.rglob("*")) == [other / "2019"]


def test_a_file_a_person_put_in_a_runs_input_folder_is_not_deleted_with_the_run(tmp_path):
    """The ownership check read the run folder's top level only: `input/mine.csv` went with the rerun (a probe
    written from the documentation alone). Now the rerun is refused, naming it; the run's own input tables pass."""
    data = write_tables(tmp_path / "data", tiny_tables())
    scenario = write_scenario(tmp_path / "sc", "base", data, solve={"method": "greedy"})
    runs = tmp_path / "runs"
    assert cli("scenario", "run", scenario, "--out", runs, "--processes", 1).exit_code == 0
    assert cli("scenario", "run", scenario, "--out", runs, "--processes", 1).exit_code == 0  # its own files only
    (runs / "base" / "input" / "mine.csv").write_text("mine\n")
    result = cli("scenario", "run", scenario, "--out", runs, "--processes", 1)
    assert result.exit_code == 2 and "input/mine.csv" in result.stderr, result.stderr
    assert (runs / "base" / "input" / "mine.csv").read_text() == "mine\n"


def test_a_scenario_may_follow_a_run_of_its_runs_folder_but_not_replace_it(tmp_path):
    data = write_tables(tmp_path / "data", tiny_tables())
    runs = tmp_path / "runs"
    a_plan(runs / "base")
    follow = write_scenario(tmp_path / "sc", "follow", data, previous="../runs/base")
    again = write_scenario(tmp_path / "sc", "base", data, previous="../runs/base")
    before = tree(runs)
    result = cli("scenario", "run", follow, again, "--out", runs, "--force")
    assert (result.exit_code, result.stderr) == (2, f"{runs / 'base'} is the previous plan; refused, even with "
                                                    f"--force{NOTHING}\n")
    assert tree(runs) == before


def test_generate_replaces_a_non_empty_folder_only_with_force(tmp_path):
    out = tmp_path / "d"
    out.mkdir()
    (out / "old.csv").write_text("x\n")
    result = cli("generate", out, "--teachers", 20)
    assert (result.exit_code, result.stderr) == (2, f"{out} is not empty; add --force to replace it{NOTHING}\n")
    assert cli("generate", out, "--teachers", 20, "--force").exit_code == 0
    assert not (out / "old.csv").exists() and (out / "teachers.csv").is_file()


# ----------------------------------------------------------------------------------------------
# No plan: the plan at OUT stays, the explanation goes beside it.


def test_an_infeasible_run_leaves_the_plan_and_writes_out_infeasible_json(tmp_path):
    """One teacher without stipend consent, 9 one-semester courses, 6 periods: --strict is infeasible (A6.3)."""
    data = secondary(tmp_path / "d", [teacher("H1", "math")], [course(f"MA{i}", "math") for i in range(9)],
                     [demand(f"MA{i}", 9, 10) for i in range(9)], periods=6)
    out, explained = tmp_path / "plan", tmp_path / "plan.infeasible.json"
    assert cli("solve", data, "--out", out, "--method", "greedy").exit_code == 0  # 1 vacancy: a plan
    before = tree(out)
    result = cli("solve", data, "--out", out, "--method", "greedy", "--strict")
    assert result.exit_code == 3
    assert result.stderr.splitlines()[-2:] == [GREEDY_LIMIT, f"INFEASIBLE: 1 conflict(s); see {explained}; the "
                                                              f"plan at {out} is unchanged"]
    assert tree(out) == before
    run = json.loads(explained.read_text())
    assert run["status"] == "INFEASIBLE" and "A6.3" in run["conflicts"][0]["rules"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "plan", "plan.infeasible.json"]
    assert cli("solve", data, "--out", out, "--method", "greedy").exit_code == 0
    assert not explained.exists()  # our own output, stale once OUT holds a plan again


def test_an_infeasible_first_run_explains_itself_in_out_run_json_and_beside_it(tmp_path):
    """No plan at OUT to keep: OUT/run.json says INFEASIBLE with the conflicts (as OUT.infeasible.json does), and a
    run into it again, or a plan later, replaces that folder; a script reading OUT/run.json never reads a stale OK."""
    data = secondary(tmp_path / "d", [teacher("H1", "math")], [course(f"MA{i}", "math") for i in range(9)],
                     [demand(f"MA{i}", 9, 10) for i in range(9)], periods=6)
    out = tmp_path / "plans" / "tonight"
    for _ in range(2):
        result = cli("solve", data, "--out", out, "--strict")
        assert result.exit_code == 3 and GREEDY_LIMIT not in result.stderr  # the optimizer's conflicts are the data's
        beside = tmp_path / "plans" / "tonight.infeasible.json"
        assert result.stderr.splitlines()[-1] == f"INFEASIBLE: 1 conflict(s); see {beside} and {out / 'run.json'}"
        assert sorted(p.name for p in (tmp_path / "plans").iterdir()) == ["tonight", "tonight.infeasible.json"]
        assert [p.name for p in out.iterdir()] == ["run.json"]
        run = json.loads((out / "run.json").read_text())
        assert run["status"] == "INFEASIBLE" and run["conflicts"][0]["rules"][0] == "DEMAND"
        assert (out / "run.json").read_text() == (out.parent / "tonight.infeasible.json").read_text()
    assert cli("solve", data, "--out", out, "--time-limit", 5).exit_code == 0  # vacancies allowed: a plan
    assert json.loads((out / "run.json").read_text())["status"] == "OPTIMAL" and (out / "sections.csv").is_file()
    assert not (out.parent / "tonight.infeasible.json").exists()


def test_a_users_file_named_like_the_explanation_is_never_replaced_or_removed(tmp_path):
    """OUT.infeasible.json that vastaff did not write (a user's notes): solve and meetings refuse before any work
    (exit 2, the file unchanged); with --force the run may replace it; a plan written beside an old explanation of
    ours removes it, never the user's file."""
    data = secondary(tmp_path / "d", [teacher("H1", "math")], [course(f"MA{i}", "math") for i in range(9)],
                     [demand(f"MA{i}", 9, 10) for i in range(9)], periods=6)
    out, notes = tmp_path / "tonight", tmp_path / "tonight.infeasible.json"
    notes.write_text("my notes\n")
    for command in (["solve", data, "--out", out, "--method", "greedy", "--strict"], ["meetings", data, "--out", out]):
        result = cli(*command)
        assert result.exit_code == 2 and result.stderr.strip() == (
            f"{notes} exists and is not the explanation of a run without a plan that vastaff wrote; move it away, or "
            "give --force to replace it; nothing was written.")
        assert notes.read_text() == "my notes\n" and not out.exists()
    assert cli("solve", data, "--out", out, "--method", "greedy", "--strict", "--force").exit_code == 3
    assert json.loads(notes.read_text())["status"] == "INFEASIBLE"
    assert write_plan(out, {}, {"status": "OPTIMAL"}) and not notes.exists()  # ours, stale: removed
    notes.write_text("my notes\n")
    write_plan(out, {}, {"status": "OPTIMAL"})
    assert notes.read_text() == "my notes\n"  # a user's file of that name is never removed


# ----------------------------------------------------------------------------------------------
# Folder modes and a killed run's leftovers.


@pytest.mark.parametrize("mask, mode", [(0o022, 0o755), (0o077, 0o700), (0o002, 0o775)])
def test_written_folders_follow_the_umask(tmp_path, mask, mode):
    old = os.umask(mask)
    try:
        plan = write_plan(tmp_path / "plan", {}, {"status": "OPTIMAL"})
        district = write_district(generate_district(20, 1), tmp_path / "district")
    finally:
        os.umask(old)
    assert (plan.stat().st_mode & 0o777, district.stat().st_mode & 0o777) == (mode, mode)
    assert (plan / "run.json").stat().st_mode & 0o777 == mode & 0o666


def dead_pid() -> int:
    """The ID of a process that has ended (a killed run's)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_a_killed_runs_temporary_folders_are_removed_and_nothing_else(tmp_path):
    """Ours: the pattern, with the ID of a process that is gone. Not ours: a person's backup named like it (an audit
    lost `.plan.old-20241201`), another name's, and a run's that is still writing (two solves into one --out: the
    second removed the first's temporary folder, which then failed with exit 4)."""
    gone = dead_pid()
    ours = [f".plan.tmp-{gone}-ab12cd34", f".plan.old-{gone}-0f9e8d7c", f".plan.work-{gone}-00000000"]
    theirs = [".plan.tmp-ab12cd34", ".plan.old-20241201", f".plan.tmp-{gone}-short", f".planb.tmp-{gone}-ab12cd34",
              f"plan.tmp-{gone}-ab12cd34", f".other.old-{gone}-ab12cd34", f".plan.tmp-{gone}-ab12cd34x",
              ".plan.tmp-1-ab12cd34"]  # process 1 runs
    for name in ours + theirs:
        (tmp_path / name).mkdir()
        (tmp_path / name / "f.csv").write_text("x\n")
    write_plan(tmp_path / "plan", {}, {})
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(theirs + ["plan"])


def test_the_plan_a_run_killed_mid_swap_set_aside_is_put_back_not_removed(tmp_path):
    """A kill -9 between replace_dir's two renames leaves the last good plan only at `.plan.old-*`: the next run
    removed it as a leftover before it had written anything, and a failed run then left no plan at all (a probe
    written from the documentation alone). Now it is put back as the plan first, so a failing run leaves it in place."""
    data = secondary(tmp_path / "d", [teacher("H1", "math")], [course(f"MA{i}", "math") for i in range(9)],
                     [demand(f"MA{i}", 9, 10) for i in range(9)], periods=6)
    out = tmp_path / "plan"
    assert cli("solve", data, "--out", out, "--method", "greedy").exit_code == 0
    before = tree(out)
    out.rename(tmp_path / f".plan.old-{dead_pid()}-1a2b3c4d")  # what the kill leaves
    result = cli("solve", data, "--out", out, "--method", "greedy", "--strict")  # infeasible: no new plan
    assert result.exit_code == 3
    assert "put back as" in result.stderr and tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "plan", "plan.infeasible.json"]


def test_an_out_ending_in_dot_dot_is_refused_before_any_folder_is_made(tmp_path, data, monkeypatch):
    """`--out newdir/x/..` made newdir/x, then failed to rename onto `..` (exit 4); now refused up front (exit 2)."""
    monkeypatch.chdir(tmp_path)
    result = cli("solve", data, "--out", "newdir/x/..", "--method", "greedy")
    assert result.exit_code == 2 and "names no folder of its own" in result.stderr
    assert not (tmp_path / "newdir").exists()


def test_a_loop_of_symbolic_links_as_out_is_refused_in_one_line(tmp_path, data):
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    for command in (["solve", data, "--out", tmp_path / "loop1", "--method", "greedy"],
                    ["generate", tmp_path / "loop1", "--teachers", 20]):
        result = cli(*command)
        assert result.exit_code == 2, result.output
        assert result.stderr.strip() == (f"{tmp_path / 'loop1'} is a symbolic link that leads back to itself (a "
                                         f"loop); refused{NOTHING}")


def test_a_scenario_rerun_removes_its_own_stale_work_folder(tmp_path):
    data = write_tables(tmp_path / "data", tiny_tables())
    scenario = write_scenario(tmp_path / "sc", "base", data, solve={"method": "greedy"})
    runs = tmp_path / "runs"
    gone = dead_pid()
    (runs / f".base.work-{gone}-ab12cd34" / "plan").mkdir(parents=True)
    (runs / f".other.work-{gone}-ab12cd34").mkdir()
    result = cli("scenario", "run", scenario, "--out", runs, "--processes", 1)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in runs.iterdir()) == [f".other.work-{gone}-ab12cd34", "base"]
    assert (runs / "base").stat().st_mode & 0o777 == 0o777 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ----------------------------------------------------------------------------------------------
# File outputs.


def test_file_outputs_refuse_a_folder_and_are_written_whole(tmp_path, data):
    folder = tmp_path / "work" / "reports"
    folder.mkdir()
    out = tmp_path / "work" / "plan"
    result = cli("displace", data, "--out", out, "--report", folder)
    assert (result.exit_code, result.stderr) == (2, f"{folder} is a folder, not a file{NOTHING}\n")
    assert not out.exists()
    report = folder / "displace.md"
    assert cli("displace", data, "--out", out, "--report", report).exit_code == 0
    assert report.read_text().startswith("#") and sorted(p.name for p in folder.iterdir()) == ["displace.md"]
    result = cli("scenario", "compare", out, "--csv", folder)
    assert (result.exit_code, result.stderr) == (2, f"{folder} is a folder, not a file{NOTHING}\n")
    result = cli("scenario", "compare", out, "--csv", folder / "cmp.csv", "--png", folder / "costs.png")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["cmp.csv", "costs.png", "displace.md"]
    assert (folder / "costs.png").read_bytes()[:4] == b"\x89PNG"


# ----------------------------------------------------------------------------------------------
# Help, --previous-force, a scenario's input/.


@pytest.mark.parametrize("command, codes", [
    (["solve"], ["0", "2", "3", "4", "130"]), (["displace"], ["0", "2", "4"]), (["generate"], ["0", "2", "4"]),
    (["validate"], ["0", "2"]), (["check"], ["0", "1", "2", "4"]), (["scenario", "run"], ["0", "1", "2", "4", "130"]),
    (["scenario", "compare"], ["0", "2", "4"]), (["explain"], ["0", "2"]), (["report"], ["0", "2", "4"])])
def test_every_command_states_its_exit_codes(command, codes):
    result = cli(*command, "--help")
    text = " ".join(result.stdout.replace("│", " ").split())
    sentence = text.partition("Exit codes:")[2].split(". ")[0]
    assert result.exit_code == 0 and re.findall(r"(?:^ |; )(\d+) ", sentence) == codes, text


def test_solve_with_another_districts_previous_plan_needs_previous_force(tmp_path, data):
    previous = a_plan(tmp_path / "plan0", teacher_id="NOBODY")
    result = cli("solve", data, "--out", tmp_path / "plan", "--previous", previous, "--method", "greedy")
    assert result.exit_code == 2 and "pass --previous-force to use it anyway" in result.stderr
    assert not (tmp_path / "plan").exists()
    result = cli("solve", data, "--out", tmp_path / "plan", "--previous", previous, "--previous-force",
                 "--method", "greedy")
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "plan" / "run.json").read_text())["changes_vs_previous"] is not None
    # The plan's check, explanation and report read the previous plan its solve took (run.json previous_plan): no
    # --previous-force again (explain had no such option, and said to pass it); a --previous given is judged anew.
    assert cli("check", data, tmp_path / "plan").exit_code == 0
    assert cli("explain", data, tmp_path / "plan", "--teacher", "T00012").exit_code == 0
    assert cli("report", data, tmp_path / "plan").exit_code == 0
    refused = cli("explain", data, tmp_path / "plan", "--teacher", "T00012", "--previous", previous)
    assert refused.exit_code == 2 and "pass --previous-force to use it anyway" in refused.stderr
    forced = cli("explain", data, tmp_path / "plan", "--teacher", "T00012", "--previous", previous, "--previous-force")
    assert forced.exit_code == 0, forced.output


def test_a_scenarios_input_keeps_what_a_rerun_needs_and_no_names(tmp_path):
    """input/ has documented columns only (an extra `email` column goes), teachers' names blank (no rule reads them),
    home regions and every other value exactly as given (a cell starting with '=' is data, not escaped)."""
    tables = tiny_tables()
    for t in tables["teachers"]:
        t["email"] = f"{t['teacher_id'].lower()}@example.org"
    tables["schools"][0]["name"] = "=Virtual, \"Academy\" 1"
    data = write_tables(tmp_path / "data", tables)
    scenario = write_scenario(tmp_path / "sc", "base", data, solve={"method": "greedy"})
    runs = tmp_path / "runs"
    assert cli("scenario", "run", scenario, "--out", runs, "--processes", 1).exit_code == 0
    kept = pd.read_csv(runs / "base" / "input" / "teachers.csv", dtype=str, keep_default_na=False)
    given = pd.read_csv(data / "teachers.csv", dtype=str, keep_default_na=False)
    assert "email" not in kept.columns and set(kept["name"]) == {""}
    pd.testing.assert_frame_equal(kept.drop(columns="name"), given.drop(columns=["name", "email"]))
    assert pd.read_csv(runs / "base" / "input" / "schools.csv").loc[0, "name"] == "=Virtual, \"Academy\" 1"
    assert cli("check", runs / "base" / "input", runs / "base", "--model", runs / "base" / "model.yaml").exit_code == 0


@pytest.mark.parametrize("command", [["history", "--limit", 2**63],
                                     ["meetings", "DATA", "--out", "OUT", "--seed", 2**31]])
def test_options_past_their_bounds_are_refused_before_any_work(tmp_path, data, command):
    """A probe written from the documentation alone: `history --limit 2**63` overflowed SQLite and `meetings --seed
    2**31` OR-Tools, each with a traceback; now the option's bound (exit 2)."""
    args = [data if a == "DATA" else tmp_path / "out" if a == "OUT" else a for a in command]
    result = cli(*args, *(["--store", tmp_path / "h.db"] if command[0] == "history" else []))
    assert result.exit_code == 2 and "less than or equal to" in result.output
    assert not (tmp_path / "out").exists()
