"""`vastaff displace DATA --out PLAN [--cut ...] [--report FILE.md]`: files, exit codes, messages, determinism."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tests.conftest import write_tables
from displace_fixtures import three_levels
from vastaff.cli import app
from vastaff.io.plan import load_plan

EXPECTED_CSV = """\
teacher_id,school_id,from_level,department,outcome,to_level,site_id,seniority_rank,article,xtime_hours,xtime_cost
E1,VA1,elementary,general,retained,elementary,,1,10.0,0.0,0.0
E2,VA1,elementary,general,retained,elementary,,2,10.0,0.0,0.0
M1,VA1,middle,general,retained,middle,,1,10.0,0.0,0.0
M2,VA1,middle,general,retained,middle,,2,10.0,0.0,0.0
H1,VA1,high,general,retained,high,,1,10.0,0.0,0.0
H2,VA1,high,general,displaced,,S1,2,11.0,0.0,0.0
H3,VA1,high,general,displaced,,S1,3,11.0,0.0,0.0
H4,VA1,high,general,moved_level,middle,,4,10.0(1),12.0,720.0
X1,VA1,high,special_education,retained,high,,1,10.0,0.0,0.0
"""


def invoke(*args: str):
    return CliRunner().invoke(app, ["displace", *map(str, args)])


def test_cli_writes_displacement_csv_run_json_and_report(tmp_path):
    data = write_tables(tmp_path / "data", three_levels())
    out, report = tmp_path / "plan", tmp_path / "report.md"
    result = invoke(data, "--out", out, "--cut", "VA1:high:1", "--report", report)
    assert result.exit_code == 0, result.stderr
    assert (out / "displacement.csv").read_text() == EXPECTED_CSV
    run = json.loads((out / "run.json").read_text())
    assert run["status"] == "OPTIMAL"
    assert run["counts"] == {"teachers": 9, "retained": 6, "moved_level": 1, "displaced": 2}
    assert run["costs"] == {"xtime": 720.0, "xtime_teachers": 1}   # A12: H4 switches courses, 12 h x $60
    assert run["cuts"] == ["VA1:high:general:1"]
    assert run["contract_model"] == "va-2025-2027"
    assert len(run["input_sha256"]) == 64 and run["seed"] is None
    high = next(c for c in run["cut_lines"] if c["level"] == "high" and c["department"] == "general")
    assert high["cut_line"] == {"teacher_id": "H1", "seniority_rank": 1, "seniority_date": "2001-01-01",
                                "seniority_tiebreak": 1}
    assert (high["positions"], high["retained"], high["moved_out"], high["displaced"]) == (1, 1, 1, 2)
    assert run["moves"] == [{"step": 1, "teacher_id": "H4", "school_id": "VA1", "department": "general",
                             "from_level": "high", "to_level": "middle", "credential": "math"}]
    assert run["reporting_sites"] == {"S1": 2}
    text = report.read_text()
    assert "| VA1 | high | general | 4 | 1 (cut 1 of 2) | 1 | H1 (rank 1, 2001-01-01 #1) | 1 | 0 | 0 | 2 |" in text
    assert "| VA1 | general | 1 | H4 | high | middle | math | 2007-01-01 #1 |" in text
    assert ("| 2 | H2 | Teacher H2 | 2003-01-01 #1 | displaced |  | S1 | 11.0 | rank 2 of 4 in VA1 high general, "
            "beyond 1 position(s); 1 middle vacancy(ies): grades 9–12 do not meet middle grades 6–8; reports to S1 "
            "(priority site in the school's region R1) |") in text
    short = ("Before any cut, positions.csv already has fewer positions than teachers in 1 department(s): VA1 high "
             "general 2 for 4 teachers.")  # why a cut of 1 moves 3 out of VA1 high general
    assert short in text and short in " ".join(result.stdout.split())
    assert "H4" in result.stdout and "Cut lines (Article 10.0)" in result.stdout
    assert "X-time (A12): $720.00 to 1 moved teacher(s)." in result.stdout


def test_cli_tables_fit_80_columns_with_headers_and_dates_whole(tmp_path):
    data = write_tables(tmp_path / "data", three_levels())
    result = CliRunner().invoke(app, ["displace", str(data), "--out", str(tmp_path / "plan"), "--cut", "VA1:high:1"],
                                env={"COLUMNS": "80"})
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and max(map(len, lines)) <= 80
    header = next(line for line in lines if "┃" in line and "department" in line and "positions" in line)
    assert [cell.strip() for cell in header.split("┃")[1:-1]] == ["department", "teachers", "positions", "kept",
                                                                  "cut line", "out", "in", "displaced"]
    assert any("│ 2001-01-01 │" in line for line in lines)  # the cut line's seniority date on one line
    assert "out / in: teachers moved down to / from another level (Article 10.0(1))" in " ".join(lines)


def test_check_reads_the_cuts_a_displacement_plan_was_made_under(tmp_path):
    """`vastaff check DATA PLAN` of a `displace --cut` plan: run.json lists the cut, so the check expects 1 high
    position, not positions.csv's 2 (before, it reported H2 and H3 as wrongly displaced)."""
    data = write_tables(tmp_path / "data", three_levels())
    out = tmp_path / "plan"
    assert invoke(data, "--out", out, "--cut", "VA1:high:1").exit_code == 0
    checked = CliRunner().invoke(app, ["check", str(data), str(out), "--json"])
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["figures"]["not checked"] == {
        "the section rules (DEMAND, CRED, A6.x, A8.x, A9.x, LOCK)":
            "the plan has no sections.csv or teachers.csv rows",
        "A7.1, A7.2": "the plan has no iep_assignments.csv", "A7.3": "the plan has no caseloads.csv"}
    run = json.loads((out / "run.json").read_text())
    (out / "run.json").write_text(json.dumps({**run, "cuts": ["VA1:high:general"]}))  # not a cut: positions unknown
    found = json.loads(CliRunner().invoke(app, ["check", str(data), str(out), "--json"]).stdout)["violations"]
    assert found[0]["rule"] == "A10" and found[0]["message"] == (
        "run.json cuts: got 'VA1:high:general', expected school_id:level:department:positions (e.g. "
        "VA01:high:general:2)")
    assert {v["rule"] for v in found[1:]} == {"A10"}  # and, with no cut, positions.csv's 2 high positions


def test_cli_output_loads_back_as_a_plan(tmp_path):
    data = write_tables(tmp_path / "data", three_levels())
    assert invoke(data, "--out", tmp_path / "plan").exit_code == 0
    plan = load_plan(tmp_path / "plan")
    assert plan.displacement is not None and len(plan.displacement) == 9
    assert plan.run["counts"]["moved_level"] == 1


def test_cli_is_deterministic(tmp_path):
    data = write_tables(tmp_path / "data", three_levels())
    for name in ("a", "b"):
        assert invoke(data, "--out", tmp_path / name, "--cut", "VA1:middle:1").exit_code == 0
    assert (tmp_path / "a" / "displacement.csv").read_bytes() == (tmp_path / "b" / "displacement.csv").read_bytes()
    runs = [json.loads((tmp_path / n / "run.json").read_text()) for n in ("a", "b")]
    for run in runs:
        run.pop("wall_seconds")
    assert runs[0] == runs[1]


def test_cli_bad_cut_exit_2_one_line_nothing_written(tmp_path):
    data = write_tables(tmp_path / "data", three_levels())
    result = invoke(data, "--out", tmp_path / "plan", "--cut", "VA9:high:2", "--cut", "VA1:high:5")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "--cut VA1:high:5: got '5', expected at most 2 positions to cut from VA1 high general "
        "(2 in positions.csv; positions cannot go below 0)",
        "--cut VA9:high:2: got 'VA9', expected a school_id listed in schools.csv",
        "2 input problem(s); nothing was written.",
    ]
    assert not (tmp_path / "plan").exists()


def test_cli_cut_below_zero_exit_2(tmp_path):
    data = write_tables(tmp_path / "data", three_levels())
    result = invoke(data, "--out", tmp_path / "plan", "--cut", "VA1:high:5")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "--cut VA1:high:5: got '5', expected at most 2 positions to cut from VA1 high general "
        "(2 in positions.csv; positions cannot go below 0)",
        "1 input problem(s); nothing was written.",
    ]
    assert not (tmp_path / "plan").exists()


def test_cli_without_positions_and_without_cut_exit_2(tmp_path):
    tables = three_levels()
    del tables["positions"]
    data = write_tables(tmp_path / "data", tables)
    result = invoke(data, "--out", tmp_path / "plan")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "positions.csv: expected a file named positions.csv (missing): `vastaff displace` needs positions.csv "
        "or at least one --cut SCHOOL:LEVEL:N")
    assert invoke(data, "--out", tmp_path / "plan", "--cut", "VA1:high:1").exit_code == 0


def test_cli_bad_positions_and_missing_seniority_date_exit_2(tmp_path):
    tables = three_levels()
    tables["teachers"][0]["seniority_date"] = ""
    tables["positions"][0]["positions"] = -1
    tables["positions"][1]["school_id"] = "VA9"
    data = write_tables(tmp_path / "data", tables)
    result = invoke(data, "--out", tmp_path / "plan")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "positions.csv, row 2, column positions: got '-1', expected a whole number >= 0",
        "positions.csv, row 3, column school_id: got 'VA9', expected a school_id listed in schools.csv",
        "teachers.csv, row 2, column seniority_date: got '', expected a date YYYY-MM-DD (cell is blank)",
        "3 input problem(s); nothing was written.",
    ]
    assert "Traceback" not in result.stderr + result.stdout


def test_cli_unbreakable_tie_exit_2_names_both(tmp_path):
    tables = three_levels()
    tables["teachers"][1]["seniority_date"] = "2001-01-01"  # H2 as H1
    data = write_tables(tmp_path / "data", tables)
    result = invoke(data, "--out", tmp_path / "plan")
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith("teachers.csv, row 3, column seniority_tiebreak: got '1'")
    assert "H1 and H2 share seniority_date 2001-01-01 and seniority_tiebreak 1 in VA1 high general" in first


def test_cli_level_not_offered_in_positions_exit_2(tmp_path):
    tables = three_levels()
    tables["positions"].append({"school_id": "VA1", "level": "senior", "department": "general", "positions": 1})
    data = write_tables(tmp_path / "data", tables)
    result = invoke(data, "--out", tmp_path / "plan")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "positions.csv, row 5, column level: got 'senior', expected one of elementary, middle, high")


def test_cli_workbook_input_names_the_sheet(tmp_path):
    import pandas as pd

    tables = three_levels()
    tables["teachers"][1]["seniority_date"] = "2001-01-01"  # H2 as H1: an unbreakable tie
    book = tmp_path / "district.xlsx"
    with pd.ExcelWriter(book) as writer:
        for name, rows in tables.items():
            pd.DataFrame(rows).astype(str).to_excel(writer, sheet_name=name, index=False)
    result = invoke(book, "--out", tmp_path / "plan")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].startswith(
        "district.xlsx:teachers, row 3, column seniority_tiebreak: got '1', expected a seniority_tiebreak that "
        "differs from teacher H1's (row 2)")
