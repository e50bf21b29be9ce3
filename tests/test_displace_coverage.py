"""`vastaff displace` says which credentials a school level's courses need that no teacher kept there holds any more
(displace/coverage.py): A10 ranks by seniority alone, so a cut can leave 240 English students without an English
teacher — no violation, but the analyst filing the cut wants to know."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from vastaff.cli import app

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def _displace(data: Path, out: Path, *cut: str):
    result = CliRunner().invoke(app, ["displace", str(data), "--out", str(out), "--store", "off", *cut])
    assert result.exit_code == 0, result.output
    return result


def test_the_sample_loses_its_one_physics_and_its_one_pe_teacher_at_va01_high(tmp_path):
    """positions.csv moves T00007 (science) down to middle and displaces T00033 (pe), VA01 high's only ones."""
    result = _displace(SAMPLE, tmp_path / "out")
    plan = pd.read_csv(tmp_path / "out" / "displacement.csv").set_index("teacher_id")
    assert (plan.loc["T00007", "outcome"], plan.loc["T00033", "outcome"]) == ("moved_level", "displaced")
    demand = pd.read_csv(SAMPLE / "demand.csv").groupby("course_id").students.sum()
    pe, science = demand[["VA01-H-FITNESS", "VA01-H-TEAMSP", "VA01-H-YOGA"]].sum(), demand[
        ["VA01-H-BIO", "VA01-H-PHYSICS"]].sum()
    assert [line for line in result.stderr.splitlines() if "no teacher kept" in line] == [
        f"warning: after the displacement no teacher kept at VA01 high holds pe, which VA01-H-FITNESS, VA01-H-TEAMSP, "
        f"VA01-H-YOGA need ({pe} students in demand.csv): their sections would be vacant tonight (DEMAND, CRED)",
        f"warning: after the displacement no teacher kept at VA01 high holds science, which VA01-H-BIO, "
        f"VA01-H-PHYSICS need ({science} students in demand.csv): their sections would be vacant tonight (DEMAND, "
        "CRED)"]


def test_positions_for_every_teacher_leave_nothing_uncovered(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for file in SAMPLE.glob("*.csv"):
        (data / file.name).write_bytes(file.read_bytes())
    teachers = pd.read_csv(SAMPLE / "teachers.csv")
    heads = teachers.groupby(["school_id", "level", "department"]).size().rename("positions").reset_index()
    heads.to_csv(data / "positions.csv", index=False)
    result = _displace(data, tmp_path / "out")
    assert "no teacher kept" not in result.stderr


def test_a_lock_of_a_displaced_teacher_is_said(tmp_path):
    """locks.csv is read by solve, not by the cut: a `require` lock of a teacher the cut displaces cannot hold."""
    data = tmp_path / "data"
    data.mkdir()
    for file in SAMPLE.glob("*.csv"):
        (data / file.name).write_bytes(file.read_bytes())
    (data / "locks.csv").write_text("lock_id,teacher_id,mode,course_id,semester,period_id,site_id,room_id,meeting_id,"
                                    "reason\nL1,T00033,require,VA01-H-YOGA,,,,,,\nL2,T00033,forbid,VA01-H-BIO,,,,,,\n"
                                    "L3,T00007,require,VA01-H-BIO,,,,,,\nL4,T00033,require,,,,WC01,,,\n")
    result = _displace(data, tmp_path / "out")
    end = "the lock cannot hold once the displacement is filed"
    assert [line for line in result.stderr.splitlines() if "lock" in line] == [
        f"warning: lock L1 (locks.csv) requires teacher T00033 to teach VA01-H-YOGA, but the displacement sends them "
        f"to the priority site (Article 11.0): {end}",
        f"warning: lock L3 (locks.csv) requires teacher T00007 to teach VA01-H-BIO, but the displacement moves them "
        f"to middle (Article 10.0(1)): {end}",
        f"warning: lock L4 (locks.csv) requires teacher T00033 to work at WC01, but the displacement sends them to the "
        f"priority site (Article 11.0): {end}"]  # not the forbid L2
