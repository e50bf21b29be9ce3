"""Folders the system will not let vastaff look into: one line naming the folder, exit 2, no traceback.

A data or plan folder that can be listed but not searched (no x permission), or a previous plan that cannot be
listed at all (chmod 000), made Python raise PermissionError where a path was tested (`Path.is_file`, `is_dir`).
Permissions bind only a user who is not root: as root (CI) the commands run as `nobody` through `setpriv`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
NOTHING = "1 input problem(s); nothing was written."


def _as_user() -> list[str]:
    """The prefix that runs a command as a user permissions bind: none for a user who is not root."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot bind")
    probe = subprocess.run([*NOBODY, sys.executable, "-c", "import vastaff"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"user nobody cannot import vastaff from this checkout: {probe.stderr.strip()[-200:]}")
    return NOBODY


@pytest.fixture
def place():
    """A folder every user may enter (pytest's own tmp folders are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="vastaff-perm-"))
    folder.chmod(0o777)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o777 if path.is_dir() else 0o666)
    shutil.rmtree(folder)


def vastaff(place: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*_as_user(), sys.executable, "-m", "vastaff", *args], capture_output=True, text=True,
                          cwd=place, timeout=300)


def _copy(source: Path, target: Path, mode: int) -> Path:
    shutil.copytree(source, target)
    for path in [target, *target.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    target.chmod(mode)
    return target


@pytest.mark.parametrize("command", ["validate", "solve", "displace"])
def test_a_data_folder_that_cannot_be_searched_is_one_line(place, command):
    _copy(SAMPLE, place / "data", 0o644)  # listed, not searched
    out = ["--out", str(place / "out"), "--store", "off"] if command != "validate" else []
    done = vastaff(place, command, "data", *out)
    assert (done.returncode, done.stderr) == (2, f"data: expected a folder that can be read (Permission denied)\n"
                                                 f"{NOTHING}\n")
    assert not (place / "out").exists()


def test_a_previous_plan_that_cannot_be_listed_is_one_line(place):
    data = _copy(SAMPLE, place / "data", 0o755)
    plan = vastaff(place, "solve", "data", "--out", "plan", "--no-report", "--store", "off")
    assert plan.returncode == 0, plan.stderr
    shutil.copytree(place / "plan", data / "previous")
    (data / "previous").chmod(0)
    done = vastaff(place, "solve", "data", "--out", "tonight", "--store", "off")
    assert (done.returncode, done.stderr) == (2, f"data/previous: expected a folder that can be read (Permission "
                                                 f"denied)\n{NOTHING}\n")
    assert not (place / "tonight").exists()


@pytest.mark.parametrize("command", ["check", "report", "explain"])
def test_a_plan_folder_that_cannot_be_searched_is_one_line(place, command):
    solved = vastaff(place, "solve", str(SAMPLE), "--out", "plan", "--no-report", "--store", "off")
    assert solved.returncode == 0, solved.stderr
    (place / "plan").chmod(0o644)
    extra = {"report": ["--out", "files"], "explain": ["--teacher", "T00006"]}.get(command, [])
    done = vastaff(place, command, str(SAMPLE), "plan", *extra)
    assert (done.returncode, done.stderr) == (2, f"plan: expected a folder that can be read (Permission denied)\n"
                                                 f"{NOTHING}\n")


@pytest.mark.parametrize("command", [["validate", "{under}"], ["check", "{sample}", "{under}"],
                                     ["solve", "{sample}", "--out", "out", "--previous", "{under}", "--no-report"],
                                     ["diff", "{under}", "{under}"]])
def test_a_path_under_a_folder_that_cannot_be_searched_is_one_line(place, command):
    """`check DATA locked/plan` raised PermissionError from Path.exists(); `solve --previous locked/plan` said it
    could not write OUT.infeasible.json (exit 4) — a probe of the input inside the output's checks."""
    _copy(SAMPLE, place / "locked" / "plan", 0o755)
    (place / "locked").chmod(0o644)
    args = [a.format(under="locked/plan", sample=SAMPLE) for a in command]
    done = vastaff(place, *args, "--store", "off") if command[0] == "solve" else vastaff(place, *args)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.splitlines()[0] == "locked/plan: expected a file or folder that can be read (Permission denied)"
    assert not (place / "out").exists()
