"""Scenario fixtures: tiny districts as CSV folders and scenario files written next to them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import tiny_tables, write_tables
from tests.solve.builders import course, demand, secondary, teacher

ROOT = Path(__file__).resolve().parents[2]


def write_scenario(folder: Path, name: str, data: Path | str, **keys) -> Path:
    """A scenario file `folder/<name>.yaml` (description filled in) pointing at `data`."""
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"name": name, "description": f"test scenario {name}", "data": str(data),
           "solve": {"time_limit": 10, "seed": 0}, **keys}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def tiny_data(tmp_path: Path) -> Path:
    """The tiny one-school district of tests/conftest.py as a CSV folder."""
    return write_tables(tmp_path / "tiny", tiny_tables())


def stipend_district(folder: Path) -> Path:
    """One consenting math teacher, 10 one-semester math courses of 10 grade-9 students, 6 periods:
    10 distinct courses in semester 1, so the optimum owes exactly 2 stipend courses (A6.3, 10 - 8)."""
    courses = [course(f"MA{i}", "math") for i in range(10)]
    return secondary(folder, [teacher("H1", "math", stipend_consent="true")], courses,
                     [demand(f"MA{i}", 9, 10) for i in range(10)], periods=6)


STIPEND_GRID = {
    "name": "stipend-cap", "description": "stipend and course cap on one consenting teacher's 10 courses",
    "labels": {"stipend_per_course": "stipend", "max_courses_per_semester": "cap"},
    "solve": {"time_limit": 10},
    "vary": {"stipend_per_course": [1200, 1500], "max_courses_per_semester": [7, 8]},
}
"""4 scenarios on `stipend_district`, each priced by hand: (cap 8) 2 stipend courses, (cap 7) 3, x the stipend."""
STIPEND_COSTS = {"stipend-1200_cap-7": 3600.0, "stipend-1200_cap-8": 2400.0, "stipend-1500_cap-7": 4500.0,
                 "stipend-1500_cap-8": 3000.0}


def write_grid(path: Path, base: Path | str, **keys) -> Path:
    """A sweep file at `path` on `base` (a data folder or scenario file): STIPEND_GRID's keys, then `keys`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump({**STIPEND_GRID, "base": str(base), **keys}, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def stipend_sweep(tmp_path_factory) -> dict:
    """STIPEND_GRID swept once on the local pool of 2 processes, through the CLI (shared by the sweep tests and the
    cluster's, which compares its runs with these byte for byte)."""
    from typer.testing import CliRunner

    from vastaff.cli import app

    root = tmp_path_factory.mktemp("stipend_sweep")
    grid = write_grid(root / "grid.yaml", stipend_district(root / "data"))
    out = root / "local"
    result = CliRunner().invoke(app, ["scenario", "sweep", str(grid), "--out", str(out), "--processes", "2"])
    return {"root": root, "grid": grid, "out": out, "cli": result}
