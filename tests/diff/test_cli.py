"""`vastaff diff PLAN_A PLAN_B` on the hand-made plans: terminal, --csv (exact text), --json, and bad input."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from tests.conftest import tiny_tables, write_tables
from tests.diff.plans import EXPECTED, monday, tuesday, with_costs, write
from vastaff.cli.diff import register

app = typer.Typer()
register(app)


@app.callback()
def _main() -> None:
    """A small app holding only `diff`, as the real one registers it."""


def run(*args):
    return CliRunner().invoke(app, ["diff", *map(str, args)])


@pytest.fixture
def plans(tmp_path):
    return write(tmp_path / "mon", monday()), write(tmp_path / "tue", tuesday())


def _csv_cell(text: str) -> str:
    return f'"{text}"' if "," in text else text


def test_terminal_shows_totals_counts_and_rows(plans):
    result = run(*plans, "--limit", 4)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "6 teacher(s) changed: courses 3, periods 1, site 3, room 2, iep 2, caseload 1, cost 1." in out
    for line in ("sections staffed", "vacancies", "cost total", "$1,200.00", "+$1,200.00"):
        assert line in out
    assert "ALG1 sections 1 -> 2" in out and "CHEM S2 P3 -> P6" in out
    assert "gains course ENG" not in out  # row 14 of 15: beyond --limit 4
    assert "... 9 more row(s); the full list: --csv FILE.csv or --json" in out


def test_no_changes_is_said_and_exit_0(plans):
    result = run(plans[0], plans[0])
    assert result.exit_code == 0
    assert "No teacher changes between the two plans." in result.stdout


def test_csv_is_the_exact_changes_text(plans, tmp_path):
    out = tmp_path / "who" / "changed.csv"
    result = run(*plans, "--csv", out, "--limit", 0)
    assert result.exit_code == 0, result.output
    expected = "teacher_id,what,before,after\n" + "".join(
        ",".join(_csv_cell(c) for c in row) + "\n" for row in with_costs())
    assert out.read_text(encoding="utf-8") == expected
    assert expected.splitlines()[1:3] == ["T1,courses,ALG1 x1; GEO x1,ALG1 x2; GEO x1",
                                          'T1,cost,"0.00 (stipend 0.00, multigrade 0.00, xtime 0.00)",'
                                          '"1200.00 (stipend 1200.00, multigrade 0.00, xtime 0.00)"']
    assert result.stdout.endswith(f"Wrote {out}\n")
    assert [p.name for p in out.parent.iterdir()] == ["changed.csv"]  # no temporary file left


def test_json_parses_with_every_row_and_the_counts(plans, tmp_path):
    result = run(*plans, "--json", "--csv", tmp_path / "c.csv")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["plan_a"] == str(plans[0]) and doc["teachers_changed"] == 6
    assert doc["counts"] == {"courses": 3, "periods": 1, "site": 3, "room": 2, "iep": 2, "caseload": 1, "cost": 1}
    assert [[c["teacher_id"], c["what"], c["before"], c["after"]] for c in doc["changes"]] == with_costs()
    assert doc["changes"][0]["summary"] == "ALG1 sections 1 -> 2"
    assert doc["totals"]["a"] == {"teachers": 5, "sections": 6, "vacancies": 1,
                                  "costs": {"stipend": 0.0, "multigrade": 0.0, "xtime": 0.0, "total": 0.0}}
    assert result.stderr == f"Wrote {tmp_path / 'c.csv'}\n"  # stdout stays one JSON document
    assert len(EXPECTED) + 1 == len(doc["changes"])  # the one cost row: T1's stipend


def test_a_missing_plan_is_one_line_and_exit_2(plans, tmp_path):
    missing = tmp_path / "nope"
    result = run(plans[0], missing)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"{missing}: expected a plan folder or .xlsx workbook (not found)\n"
                             "1 input problem(s); nothing was written.\n")


def test_problems_of_both_plans_come_at_once(plans, tmp_path):
    """A bad cell in plan A's teachers.csv (named with its folder) and an empty folder as plan B."""
    bad = plans[0] / "teachers.csv"
    bad.write_text(bad.read_text().replace("T2,0,0,0,0.0,0,0.0,0.0,0.0,site", "T2,0,0,0,0.0,0,0.0,0.0,0.0,office"))
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run(plans[0], empty, "--csv", tmp_path / "c.csv")
    assert result.exit_code == 2 and "Traceback" not in result.output
    empty_line, bad_line, count = result.stderr.splitlines()  # by file name, as every input problem
    assert bad_line.startswith(f"{plans[0]}/teachers.csv, row 3, column work_location: got 'office', expected ")
    assert empty_line == f"{empty}: expected a plan with rows in sections.csv or teachers.csv (from vastaff solve)"
    assert count == "2 input problem(s); nothing was written."
    assert not (tmp_path / "c.csv").exists()


def test_csv_may_not_replace_a_plan_file(plans):
    target = plans[1] / "sections.csv"
    before = target.read_bytes()
    result = run(*plans, "--csv", target)
    assert result.exit_code == 2
    assert result.stderr == f"{target} is the plan B's sections.csv; refused, even with --force; nothing was written.\n"
    assert target.read_bytes() == before


def test_help_has_examples():
    result = CliRunner().invoke(app, ["diff", "--help"])
    assert result.exit_code == 0
    assert "vastaff diff plans/monday plans/tuesday --csv who-changed.csv" in result.stdout


NAMES = {"T1": "Ann One", "T2": "=Bea Two", "T3": "Cal Three", "T4": "Dee Four", "T6": "Flo Six"}  # T5 has left


@pytest.fixture
def data(tmp_path):
    """The tiny district with the plans' teachers (copies of its teacher H1) as a data folder; T5 is not in it."""
    tables = tiny_tables()
    h1 = next(t for t in tables["teachers"] if t["teacher_id"] == "H1")
    tables["teachers"] += [{**h1, "teacher_id": t, "name": n} for t, n in NAMES.items()]
    return write_tables(tmp_path / "data", tables)


def test_data_names_each_teacher_on_the_terminal(plans, data):
    result = run(*plans, "--data", data)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[lines.index(next(x for x in lines if x.startswith("teacher ")))].split() == [
        "teacher", "name", "what", "change"]
    assert any(x.split()[:4] == ["T1", "Ann", "One", "courses"] for x in lines)
    assert any(x.split()[:2] == ["T5", "courses"] for x in lines)  # not in DATA: its name is blank


def test_data_names_in_csv_and_json(plans, data, tmp_path):
    out = tmp_path / "c.csv"
    result = run(*plans, "--data", data, "--csv", out, "--json")
    assert result.exit_code == 0, result.output
    rows = out.read_text(encoding="utf-8").splitlines()
    assert rows[:2] == ["teacher_id,name,what,before,after", "T1,Ann One,courses,ALG1 x1; GEO x1,ALG1 x2; GEO x1"]
    assert "T2,'=Bea Two,periods,BIO year P1; CHEM S2 P3,BIO year P1; CHEM S2 P6" in rows  # a name is never a formula
    assert "T5,,courses,ENG x1," in rows
    doc = json.loads(result.stdout)
    assert [(c["teacher_id"], c["name"]) for c in doc["changes"][:2]] == [("T1", "Ann One"), ("T1", "Ann One")]
    assert [c["name"] for c in doc["changes"] if c["teacher_id"] == "T5"] == ["", "", ""]


def test_data_problems_come_with_the_plans_problems(plans, tmp_path, data):
    """A bad cell of DATA's teachers.csv and a missing plan B: both said, exit 2, no --csv written."""
    bad = data / "teachers.csv"
    bad.write_text(bad.read_text().replace("Ann One,VA1,high", "Ann One,VA1,college"))
    missing = tmp_path / "nope"
    result = run(plans[0], missing, "--data", data, "--csv", tmp_path / "c.csv")
    assert result.exit_code == 2 and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[0] == f"{missing}: expected a plan folder or .xlsx workbook (not found)"
    assert lines[1].startswith("teachers.csv, row 7, column level: got 'college', expected ")
    assert lines[2] == "2 input problem(s); nothing was written."
    assert not (tmp_path / "c.csv").exists()


def test_csv_may_not_replace_a_data_file(plans, data):
    target = data / "teachers.csv"
    before = target.read_bytes()
    result = run(*plans, "--data", data, "--csv", target)
    assert result.exit_code == 2
    assert result.stderr == (f"{target} would replace a file of the data folder {data}; refused; "
                             "nothing was written.\n")
    assert target.read_bytes() == before
