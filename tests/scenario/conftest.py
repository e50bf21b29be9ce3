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
