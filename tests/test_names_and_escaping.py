"""Names stay out of `check` output unless --names; free text is escaped wherever people read it; `check --csv`
fails with one line and exit 2/4, never a traceback, never a half-written or overwritten input file."""

from __future__ import annotations

import csv
import inspect
import io
import json
import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

from tests.conftest import write_tables
from displace_fixtures import three_levels
from tests.check.conftest import CONTRACT, Case, plan_frames, valid_sections
from vastaff.check.core import CheckReport
from vastaff.rules import Finding
from vastaff.check.report import csv_text, print_report
from vastaff.check.runner import run_checks
from vastaff.cli import app
from vastaff.displace.api import displace
from vastaff.displace.report import markdown
from vastaff.io.district import load_district
from vastaff.io.plan import load_plan, write_plan
from vastaff.scenario.compare import compare_runs
from vastaff.text import for_spreadsheet, for_terminal, frame_for_spreadsheet, html_text, markdown_cell, markdown_text


def check(*args):
    """`vastaff check ARGS` in-process (stdout and stderr apart)."""
    return CliRunner().invoke(app, ["check", *map(str, args)])


def _costs_off(frames, run):
    """H1's courses_s1 one too many: a COSTS violation that names teacher H1."""
    t = frames["teachers"]
    t.loc[t.teacher_id == "H1", "courses_s1"] += 1


# ------------------------------------------------------------------------------------------ vastaff.text


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx", "-",
                                  "-inf", "=1", "-\u0663"])
def test_text_a_spreadsheet_would_run_gets_a_quote(cell):
    assert for_spreadsheet(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-3", "+2.5", "-.5", "1e3", "-1E-2", "Ann", "a=b", "", " =x", -3, -2.5, None, True])
def test_numbers_and_plain_text_are_left_alone(cell):
    assert for_spreadsheet(cell) == cell


def test_frame_for_spreadsheet_covers_cells_and_column_names():
    frame = pd.DataFrame({"=name": ["@x", "ok"], "delta": [-3.0, 2.0], "text": ["-3", "-x"]})
    out = frame_for_spreadsheet(frame)
    assert list(out.columns) == ["'=name", "delta", "text"]
    assert out.to_dict("list") == {"'=name": ["'@x", "ok"], "delta": [-3.0, 2.0], "text": ["-3", "'-x"]}


def test_markdown_cell_is_literal_and_stays_on_one_row():
    assert markdown_cell("a|b *c* _d_ `e` [f](g) <h> ~i~ & \\\nnext\r\nlast") == (
        "a\\|b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) \\<h\\> \\~i\\~ \\& \\\\<br>next<br>last")
    assert markdown_text("two\nlines *x*") == "two lines \\*x\\*"
    assert markdown_cell(None) == ""


def test_html_text_escapes_markup_and_quotes():
    assert html_text("<b class=\"x\">Tom & 'Jerry'</b>") == (
        "&lt;b class=&quot;x&quot;&gt;Tom &amp; &#x27;Jerry&#x27;&lt;/b&gt;")


def test_rich_markup_is_shown_not_applied():
    console = Console(record=True, width=100, file=io.StringIO())
    console.print(for_terminal("[/b] Algebra [red]1[/red]"))
    assert console.export_text() == "[/b] Algebra [red]1[/red]\n"


# ------------------------------------------------------------------------------------------ names


def test_run_checks_names_teachers_by_id_unless_asked(tmp_path):
    case = Case(tmp_path)
    district, plan = case.district(), load_plan(case.write_plan(_costs_off))
    hidden = run_checks(district, plan, CONTRACT)
    assert [v.message for v in hidden.violations] == ["teacher H1: plan/teachers.csv courses_s1 3, recomputed 2"]
    shown = run_checks(district, plan, CONTRACT, names=True)
    assert [v.message for v in shown.violations] == [
        "teacher H1 (Cy Math): plan/teachers.csv courses_s1 3, recomputed 2"]


def test_cli_check_keeps_names_out_of_table_json_and_csv_unless_names(tmp_path):
    data, plan = Case(tmp_path).write(edit=_costs_off)
    out = tmp_path / "v.csv"
    for extra, named in (((), False), (("--names",), True)):
        table = check(data, plan, *extra)
        as_json = check(data, plan, "--json", "--csv", out, *extra)
        assert (table.exit_code, as_json.exit_code) == (1, 1)
        message = json.loads(as_json.stdout)["violations"][0]["message"]
        assert message == ("teacher H1 (Cy Math)" if named else "teacher H1") + \
            ": plan/teachers.csv courses_s1 3, recomputed 2"
        assert [r["message"] for r in csv.DictReader(out.open())] == [message]
        assert ("Cy Math" in table.stdout) is named


# ------------------------------------------------------------------------------------------ escaping for people


def test_check_csv_neutralises_formulas():
    report = CheckReport([Finding.of("A6.3", "=HYPERLINK(\"http://x\")", [("teachers.csv", "T1")]),
                          Finding.of("COSTS", "-3")])
    assert csv_text(report) == ('rule,article,message,rows\n'
                                'A6.3,6.0 B(1),"\'=HYPERLINK(""http://x"")",teachers.csv:T1\n'
                                'COSTS,6.0 B(1); 8.0(3); 12.0,-3,\n')


def test_check_table_shows_a_title_with_rich_markup_literally(tmp_path):
    case = Case(tmp_path)
    next(c for c in case.tables["courses"] if c["course_id"] == "MA-ALG1")["title"] = "[/b] Algebra *1*"
    case.section("S-ALG")["grades"] = {9: 29}
    report = case.report()
    console = Console(record=True, width=300, file=io.StringIO())
    print_report(report, console)
    assert "course MA-ALG1 ([/b] Algebra *1*) grade 9: sections hold 29 of the 30" in console.export_text()
    result = check(*case.write())
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_displace_report_escapes_names_and_keeps_each_teacher_on_one_row(tmp_path):
    district = load_district(write_tables(tmp_path / "data", three_levels()), CONTRACT)
    teachers = district.teachers
    teachers.loc[teachers.teacher_id == "H2", "name"] = "Ann | *Bold*\n[x](http://e) <b>"
    text = markdown(displace(district, CONTRACT, ["VA1:high:1"]))
    row = next(line for line in text.splitlines() if line.startswith("| 2 | H2 |"))
    assert row.startswith("| 2 | H2 | Ann \\| \\*Bold\\*<br>\\[x\\](http://e) \\<b\\> | 2003-01-01 #1 | displaced |")
    assert row.count(" | ") == 8  # nine cells: the name's pipe does not open a tenth


def _run_folder(folder: Path, name: str, sections: list[dict], cost: float) -> Path:
    frames, run = plan_frames(["E1", "E2", "H1", "H2", "R1T"], sections)
    run |= {"scenario": {"name": name}, "figures": {"status": "OPTIMAL", "cost_total": cost}}
    return write_plan(folder, frames, run)


def test_compare_csv_files_neutralise_names_but_not_numbers(tmp_path):
    moved = valid_sections()
    next(s for s in moved if s["section_id"] == "S-ELD")["teacher_id"] = "H1"
    _run_folder(tmp_path / "runs" / "a", "baseline", valid_sections(), 720.0)
    _run_folder(tmp_path / "runs" / "b", "=SUM(A1) [b]", moved, 0.0)
    comparison = compare_runs(tmp_path / "runs")
    table = list(csv.reader(comparison.to_csv(tmp_path / "c.csv").open()))
    assert table[0] == ["figure", "label", "baseline", "'=SUM(A1) [b]", "'=SUM(A1) [b] vs baseline"]
    assert next(r for r in table if r[0] == "cost_total")[2:] == ["720.0", "0.0", "-720.0"]
    diff = list(csv.DictReader(comparison.diff_to_csv(tmp_path / "d.csv").open()))
    assert {(r["scenario"], r["teacher_id"], r["summary"]) for r in diff} == {
        ("'=SUM(A1) [b]", "H1", "gains course ELD-1"), ("'=SUM(A1) [b]", "H2", "loses course ELD-1")}
    console = Console(record=True, width=200, file=io.StringIO())
    console.print(comparison.rich_table())
    assert "=SUM(A1) [b]" in console.export_text()


# ------------------------------------------------------------------------------------------ check --csv failures


def test_csv_path_that_is_a_folder_is_refused_before_checking(tmp_path):
    data, plan = Case(tmp_path).write(edit=_costs_off)
    result = check(data, plan, "--csv", tmp_path)
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path} is a folder, not a file; nothing was written.\n"
    assert result.stdout == ""


def test_csv_path_that_is_an_input_is_refused_and_left_alone(tmp_path):
    data, plan = Case(tmp_path).write(edit=_costs_off)
    before = (plan / "sections.csv").read_bytes()
    result = check(data, plan, "--csv", plan / "sections.csv")
    assert result.exit_code == 2
    assert result.stderr == (f"{plan / 'sections.csv'} is the plan's sections.csv; refused, even with --force; "
                             f"nothing was written.\n")
    assert (plan / "sections.csv").read_bytes() == before


def test_csv_path_under_a_file_is_refused(tmp_path):
    data, plan = Case(tmp_path).write(edit=_costs_off)
    blocker = tmp_path / "notes.txt"
    blocker.write_text("mine\n")
    result = check(data, plan, "--csv", blocker / "v.csv")
    assert result.exit_code == 2
    assert result.stderr == f"{blocker / 'v.csv'} is under {blocker}, which is a file; nothing was written.\n"
    assert blocker.read_text() == "mine\n"


def test_csv_into_missing_folders_is_written_there(tmp_path):
    data, plan = Case(tmp_path).write(edit=_costs_off)
    out = tmp_path / "new" / "deeper" / "v.csv"
    assert check(data, plan, "--csv", out).exit_code == 1
    assert [r["rule"] for r in csv.DictReader(out.open())] == ["COSTS"]
    assert sorted(p.name for p in out.parent.iterdir()) == ["v.csv"]
    umask = os.umask(0o022)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # not the temporary file's private 0600


@contextmanager
def tmpfs(folder: Path, options: str):
    """A tmpfs mounted on `folder` (tests run as root; chmod would not stop root). Skips where mount is refused."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_csv_in_a_read_only_folder_is_one_line_and_exit_4(tmp_path):
    data, plan = Case(tmp_path).write(edit=_costs_off)
    with tmpfs(tmp_path / "ro", "ro,size=64k") as folder:
        result = check(data, plan, "--csv", folder / "v.csv")
        assert result.exit_code == 4
        assert result.stderr == f"could not write {folder / 'v.csv'}: Read-only file system; nothing was written.\n"
        assert result.stdout == ""


def test_csv_on_a_full_disk_is_exit_4_and_the_previous_file_is_unchanged(tmp_path):
    data, plan = Case(tmp_path).write(edit=_costs_off)
    with tmpfs(tmp_path / "full", "size=16k") as folder:
        out = folder / "v.csv"
        out.write_text("rule,article,message,rows\n")
        with (folder / "filler").open("wb", buffering=0) as f, pytest.raises(OSError):
            while True:
                f.write(b"x" * 4096)
        result = check(data, plan, "--csv", out)
        assert result.exit_code == 4, result.output
        assert result.stderr == (f"could not write {out}: No space left on device; what was there is "
                                 f"unchanged.\n")
        assert out.read_text() == "rule,article,message,rows\n"
        assert sorted(p.name for p in folder.iterdir()) == ["filler", "v.csv"]


def test_check_help_lists_its_exit_codes():
    result = CliRunner().invoke(app, ["check", "--help"], env={"COLUMNS": "200"})
    text = " ".join(result.stdout.split())
    assert "Exit codes: 0 no violation; 1 violations; 2 invalid data, plan or model, or an unusable --csv path" in text
    assert "4 could not write the --csv file" in text


@pytest.mark.skipif("previous_force" not in inspect.signature(load_district).parameters,
                    reason="waits for load_district(previous_force=...) in io/district.py")
def test_previous_force_accepts_a_previous_plan_of_another_district(tmp_path):
    case = Case(tmp_path)
    data, plan = case.write()
    frames, run = plan_frames(["X1", "X2", "X3"], [Case.sec(f"S-X{i}", f"XX-{i}", "1", "P1", f"X{i}", {9: 20})
                                                   for i in range(1, 4)])
    other = write_plan(tmp_path / "other", frames, run)
    refused = check(data, plan, "--previous", other)
    assert refused.exit_code == 2 and "--previous-force" in refused.stderr
    assert check(data, plan, "--previous", other, "--previous-force").exit_code == 0
