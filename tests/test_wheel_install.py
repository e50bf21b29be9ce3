"""Packaging (issue 15): a wheel installed in a fresh virtual environment works from any folder, with the contract
model and the report templates shipped inside the package; `vastaff --version`.

The wheel is built offline from a copy of the source (the repository gets no `build/` folder) and installed into a
venv that cannot see the repository: the development venv's site-packages is added as a plain path (a `.pth` line),
which lends the dependencies but not the editable install (the `.pth` files of a plain path entry are not read).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from typer.testing import CliRunner

import vastaff
import vastaff.cli as cli
from vastaff import release
from vastaff.contract import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "vastaff"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
DEFAULT_NAME = "va-2025-2027"
STEP_TIMEOUT = 180  # seconds for any one subprocess (a busy machine); the module takes ~35 s on an idle one


def _run(*args: object, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INDEX="1", PIP_NO_INPUT="1")
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=STEP_TIMEOUT)


def _ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"{result.args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


def _dev_site_packages() -> list[Path]:
    """The development venv's library folders: they lend the dependencies and must not hold vastaff itself."""
    folders = sorted({Path(sysconfig.get_paths()[k]) for k in ("purelib", "platlib")})
    for folder in folders:
        assert not (folder / "vastaff").exists(), f"{folder} holds a vastaff package: the test would not be fresh"
    return folders


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """`pip wheel --no-build-isolation` (offline) of a copy of pyproject.toml, README.md and src/."""
    tree = tmp_path_factory.mktemp("tree")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    shutil.copytree(ROOT / "src", tree / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    dist = tmp_path_factory.mktemp("dist")
    _ok(_run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
             "-w", dist, ".", cwd=tree))
    (built,) = dist.glob("vastaff-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh venv (no pip of its own) with the wheel installed; returns its bin/ folder."""
    home = tmp_path_factory.mktemp("venv")
    _ok(_run(sys.executable, "-m", "venv", "--without-pip", home, cwd=home))
    bin_dir = home / "bin"
    _ok(_run(sys.executable, "-m", "pip", "--python", bin_dir / "python", "install", "--no-deps", "--no-index", "-q",
             wheel, cwd=home))
    site = Path(_ok(_run(bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                         cwd=home)).stdout.strip())
    (site / "dev_dependencies.pth").write_text("".join(f"{p}\n" for p in _dev_site_packages()), encoding="utf-8")
    return bin_dir


@pytest.mark.slow
def test_wheel_ships_the_contract_models_and_report_templates(wheel):
    with zipfile.ZipFile(wheel) as zf:
        shipped = {name: zf.read(name) for name in zf.namelist()}
    for folder in (PACKAGE / "models", PACKAGE / "report" / "templates"):
        files = sorted(p for p in folder.iterdir() if p.is_file())
        assert files, f"nothing in {folder}"
        for path in files:
            name = path.relative_to(PACKAGE.parent).as_posix()
            assert shipped.get(name) == path.read_bytes(), f"{name} missing from the wheel or not the repository's"


@pytest.mark.slow
def test_installed_wheel_solves_and_checks_from_another_folder(venv, tmp_path):
    where = _ok(_run(venv / "python", "-c", "import vastaff, vastaff.contract as c; "
                                            "print(vastaff.__file__); print(c.DEFAULT_MODEL, c.DEFAULT_MODEL.is_file())",
                     cwd=tmp_path)).stdout.splitlines()
    assert Path(where[0]).is_relative_to(venv.parent), f"vastaff imported from {where[0]}, not the fresh venv"
    model, exists = where[1].rsplit(" ", 1)
    assert Path(model).is_relative_to(venv.parent) and Path(model).name == f"{DEFAULT_NAME}.yaml" and exists == "True"

    _ok(_run(venv / "vastaff", "solve", ROOT / "data" / "sample", "--out", "plan", "--time-limit", "5", cwd=tmp_path))
    run = json.loads((tmp_path / "plan" / "run.json").read_text(encoding="utf-8"))
    assert (run["contract_model"], run["contract_model_file"]) == (DEFAULT_NAME, f"{DEFAULT_NAME}.yaml")
    _ok(_run(venv / "vastaff", "check", ROOT / "data" / "sample", "plan", cwd=tmp_path))


@pytest.mark.slow
def test_installed_wheel_prints_its_version(venv, tmp_path):
    """The version comes from the installed wheel's metadata (no pyproject.toml next to the installed package)."""
    assert _ok(_run(venv / "vastaff", "--version", cwd=tmp_path)).stdout == f"vastaff {VERSION}\n"


def test_version_option_prints_the_release():
    for flag in ("--version", "-V"):
        result = CliRunner().invoke(cli.app, [flag])
        assert (result.exit_code, result.output) == (0, f"vastaff {VERSION}\n")


def test_version_outside_an_installed_package_is_the_pyproject_one(monkeypatch):
    def not_installed(name: str) -> str:
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(release.metadata, "version", not_installed)
    assert release.version() == VERSION
    monkeypatch.setattr(release, "PYPROJECT", ROOT / "no-such-pyproject.toml")
    assert release.version() == "unknown"


def test_the_package_version_is_the_release():
    """`vastaff.__version__` is read from the same place as `--version`, never a number of its own."""
    assert vastaff.__version__ == VERSION


def test_models_folder_is_a_link_to_the_package_data():
    """One copy of each contract model in git: the top-level models/ is a symlink to src/vastaff/models/."""
    assert (ROOT / "models").is_symlink() and os.readlink(ROOT / "models") == "src/vastaff/models"
    assert DEFAULT_MODEL == PACKAGE / "models" / f"{DEFAULT_NAME}.yaml"
    assert DEFAULT_MODEL.samefile(ROOT / "models" / f"{DEFAULT_NAME}.yaml")


def test_the_console_command_freezes_its_objects_before_the_process_ends(monkeypatch, capsys):
    """`vastaff` ends its process with the command: `main` freezes the heap so that the interpreter's exit does not
    walk it once more (vastaff.cli.main)."""
    import gc

    monkeypatch.setattr(sys, "argv", ["vastaff", "--version"])
    before = gc.get_freeze_count()
    try:
        with pytest.raises(SystemExit):
            cli.main()
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
    assert capsys.readouterr().out.startswith("vastaff ")


def test_the_console_command_freezes_the_programs_objects_before_it_starts(monkeypatch):
    """The modules, classes and functions loaded before the command live as long as the process: `main` freezes them
    first, so that no collection of the command walks them (vastaff.cli.main)."""
    import gc

    during = []
    monkeypatch.setattr(cli, "app", lambda: during.append(gc.get_freeze_count()))
    gc.unfreeze()  # whatever another test left frozen: this one counts from nothing
    try:
        cli.main()
    finally:
        gc.unfreeze()
    assert during and during[0] > 10_000


def test_the_console_command_collects_young_objects_less_often_and_restores_the_threshold(monkeypatch):
    """During the command the collector's first threshold is `YOUNG_OBJECTS` (inherited by every process it forks);
    after it, the caller's thresholds again (vastaff.cli.main)."""
    import gc

    during = []
    monkeypatch.setattr(cli, "app", lambda: during.append(gc.get_threshold()))
    before = gc.get_threshold()
    try:
        cli.main()
    finally:
        gc.unfreeze()
    assert during == [(cli.YOUNG_OBJECTS, *before[1:])] and cli.YOUNG_OBJECTS > before[0]
    assert gc.get_threshold() == before
