"""`scenario compare --diff` uses vastaff.diff: a moved period and an extra section of a kept course are changes
(they were "No teacher changes" before), beside the comparison's own roster, position and stipend rows."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from tests.diff.plans import monday, tuesday, write
from vastaff.cli import app
from vastaff.scenario import compare_runs
from vastaff.scenario.compare import DIFF_COLUMNS


def _run(folder, name: str, tables: dict) -> None:
    write(folder / name, tables, {"status": "OPTIMAL", "scenario": {"name": name},
                                  "figures": {"status": "OPTIMAL", "cost_total": 0.0}})


def _runs(tmp_path, after: dict) -> object:
    _run(tmp_path / "runs", "baseline", monday())
    _run(tmp_path / "runs", "tuesday", after)
    return tmp_path / "runs"


def test_compare_lists_plan_changes_of_teachers_in_both_runs(tmp_path):
    """T5 and T6 are each in one run only: the roster says so, and only that (no courses or site rows for them)."""
    diff = compare_runs(_runs(tmp_path, tuesday())).teacher_diff
    assert list(diff.columns) == DIFF_COLUMNS and set(diff["base"]) == {"baseline"}
    assert diff[["teacher_id", "what", "before", "after", "summary"]].values.tolist() == [
        ["T1", "courses", "ALG1 x1; GEO x1", "ALG1 x2; GEO x1", "ALG1 sections 1 -> 2"],
        ["T2", "periods", "BIO year P1; CHEM S2 P3", "BIO year P1; CHEM S2 P6", "CHEM S2 P3 -> P6"],
        ["T2", "site", "S1", "S2", "site S1 -> S2"],
        ["T2", "room", "R2", "R5", "room R2 -> R5"],
        ["T2", "iep", "M3", "M2; M3", "IEP meetings: gains M2"],
        ["T3", "iep", "M1; M2", "M1", "IEP meetings: loses M2"],
        ["T4", "caseload", "ST1; ST2; ST3", "ST1; ST3; ST10", "caseload 3 -> 3 students: gains ST10; loses ST2"],
        ["T5", "roster", "in data", "", "not in this scenario's data"],
        ["T6", "roster", "", "in data", "added by this scenario"],
    ]


def test_compare_diff_finds_a_moved_period_alone(tmp_path):
    """Only CHEM's period moves (P3 -> P6) and its section is renumbered: one row, on the terminal and in --diff.
    Control: the same plan renumbered only is no change."""
    moved = monday()
    moved["sections"]["section_id"] = [f"N{i}" for i in range(len(moved["sections"]))]
    moved["sections"].loc[moved["sections"]["course_id"] == "CHEM", "period_id"] = "P6"
    runs = _runs(tmp_path, moved)
    who = tmp_path / "who.csv"
    result = CliRunner().invoke(app, ["scenario", "compare", str(runs), "--diff", str(who)])
    assert result.exit_code == 0, result.output
    assert "Teachers affected against baseline: tuesday 1" in result.stdout
    assert "  tuesday: T2 () CHEM S2 P3 -> P6" in result.stdout
    rows = pd.read_csv(who, dtype=str, keep_default_na=False)
    assert rows[["teacher_id", "what", "before", "after"]].values.tolist() == [
        ["T2", "periods", "BIO year P1; CHEM S2 P3", "BIO year P1; CHEM S2 P6"]]

    renumbered = monday()
    renumbered["sections"]["section_id"] = [f"N{i}" for i in range(len(renumbered["sections"]))]
    assert compare_runs(_runs(tmp_path / "control", renumbered)).teacher_diff.empty
