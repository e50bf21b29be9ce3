"""Outputs that would replace what is not the command's own (a fuzz of output targets found each): a report over another
plan's files, a file output over an input file (any letter case), a comparison over the runs it compares, a failed
scenario rerun over the last good run, a sweep into a folder of someone's files. Each is refused (exit 2, nothing
touched) or kept beside; docs/reliability.md, "Never lose data"."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import tiny_tables, write_tables
from tests.scenario.conftest import write_scenario
from vastaff.cli import app
from vastaff.io.runfolders import GENERATOR

ROOT = Path(__file__).resolve().parents[1]
NOTHING = "; nothing was written."


def cli(*args) -> object:
    return CliRunner().invoke(app, [str(a) for a in args])


def tree(root: Path) -> dict[str, bytes | str]:
    return {str(p.relative_to(root)): p.read_bytes() if p.is_file() else "dir" for p in sorted(root.rglob("*"))}


@pytest.fixture(scope="module")
def solved(tmp_path_factory) -> tuple[Path, Path, Path]:
    """The tiny district and two plans of it (the clerk's fill, with and without reports)."""
    root = tmp_path_factory.mktemp("owned")
    data = write_tables(root / "data", tiny_tables())
    for name in ("a", "b"):
        assert cli("solve", data, "--out", root / name, "--method", "greedy").exit_code == 0
    return data, root / "a", root / "b"


def test_a_report_never_lands_in_another_plan(solved, tmp_path):
    """`report DATA planA --out planB` wrote planA's vacancies.csv and report.html into planB (exit 0)."""
    data, a, b = solved
    before = tree(b)
    result = cli("report", data, a, "--out", b, "--no-report")
    assert (result.exit_code, result.stderr) == (2, f"{b} is another plan (it has a run.json): the report of {a} would "
                                                    "stand beside its files as if it were theirs; --out a new folder, "
                                                    f"or leave --out out to write into {a}{NOTHING}\n")
    assert tree(b) == before
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "report.html").write_text("my own page")
    (mine / "budget.csv").write_text("x\n")
    result = cli("report", data, a, "--out", mine, "--no-report")
    assert result.exit_code == 2 and "holds files vastaff report does not write (budget.csv)" in result.stderr
    assert (mine / "report.html").read_text() == "my own page"
    reports = tmp_path / "reports"
    for _ in range(2):  # a folder of report files is the report's own
        assert cli("report", data, a, "--out", reports).exit_code == 0
    assert sorted(p.name for p in reports.iterdir()) == ["plan.xlsx", "report.html", "timetable.csv", "vacancies.csv"]
    assert GENERATOR in (reports / "report.html").read_text()


@pytest.mark.parametrize("name, content", [("report.html", "<html><title>My notes</title></html>"),
                                           ("vacancies.csv", "section,who\nS1,me\n"), ("plan.xlsx", b"PK not ours")])
def test_a_report_never_replaces_a_file_a_person_named_like_one_of_its_own(solved, tmp_path, name, content):
    """A folder holding only a person's report.html (a name the report writes) was taken for a folder of report files
    and the page replaced (an audit)."""
    data, a, _ = solved
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    before = tree(mine)
    result = cli("report", data, a, "--out", mine)
    assert (result.exit_code, result.stderr) == (2, f"{mine} holds {name} that vastaff did not write; --out a new or "
                                                    f"empty folder, or move them out{NOTHING}\n")
    assert tree(mine) == before


def test_a_file_output_never_replaces_an_input_file_in_any_letter_case(solved, tmp_path):
    """`displace DATA --report DATA/teachers.csv` replaced the roster; `check --csv data/Teachers.CSV` (read as
    teachers.csv) too."""
    data = write_tables(tmp_path / "data", tiny_tables())
    plan = solved[1]
    (data / "teachers.csv").rename(data / "Teachers.CSV")
    before = tree(data)
    result = cli("displace", data, "--out", tmp_path / "d", "--report", data / "teachers.csv")
    assert (result.exit_code, result.stderr) == (2, f"{data / 'teachers.csv'} would replace a file of the data folder "
                                                    f"{data}; refused{NOTHING}\n")
    result = cli("check", data, plan, "--csv", data / "Teachers.CSV")
    assert result.exit_code == 2 and f"would replace a file of the data {data}; refused" in result.stderr
    assert tree(data) == before
    result = cli("displace", data, "--out", tmp_path / "d", "--report", data / "displacement.md")
    assert result.exit_code == 0, result.output  # a new file beside the inputs replaces nothing


def test_a_comparison_never_overwrites_the_runs_it_compares(solved, tmp_path):
    runs = tmp_path / "runs"
    for name in ("a", "b"):
        shutil.copytree(solved[1 if name == "a" else 2], runs / name)
    before = tree(runs)
    for option, target in (("--csv", runs / "a" / "sections.csv"), ("--html", runs / "b" / "run.json")):
        result = cli("scenario", "compare", runs, option, target)
        assert (result.exit_code, result.stderr) == (2, f"{target} would replace a file of the compared run "
                                                        f"{target.parent}; refused{NOTHING}\n")
    assert tree(runs) == before
    for _ in range(2):  # the comparison's own file beside the runs, as the help's example writes it
        assert cli("scenario", "compare", runs, "--csv", runs / "compare.csv").exit_code == 0


def test_a_failed_rerun_keeps_the_last_good_run_and_says_where_it_failed(tmp_path):
    """A rerun that failed replaced RUNS/<name>/ by its error.txt: the good plan was gone. Now it stays, and the
    failure goes beside it as <name>.error.txt, which the next good run removes."""
    data = write_tables(tmp_path / "data", tiny_tables())
    good = write_scenario(tmp_path / "sc", "base", data, solve={"method": "greedy"})
    runs = tmp_path / "runs"
    assert cli("scenario", "run", good, "--out", runs, "--processes", 1).exit_code == 0
    kept = tree(runs / "base")
    bad = write_scenario(tmp_path / "bad", "base", data, solve={"method": "greedy"}, patches=[
        {"kind": "set", "table": "teachers", "where": {"teacher_id": "E2"}, "set": {"current_site_id": "S9"}}])
    result = cli("scenario", "run", bad, "--out", runs, "--processes", 1)
    assert result.exit_code == 1 and tree(runs / "base") == kept
    assert result.stderr.splitlines()[0].startswith(
        "FAILED  base: the patched data is invalid (1 problem(s)): teachers.csv, row 3, column current_site_id: got "
        "'S9', expected a site_id listed in sites.csv, or blank (")
    assert result.stderr.splitlines()[0].endswith(f"-> {runs / 'base.error.txt'} (the last good run kept in "
                                                  f"{runs / 'base'}) [1/1]")
    assert (runs / "base.error.txt").read_text().startswith("scenario base: INVALID_INPUT\n")
    assert cli("scenario", "run", good, "--out", runs, "--processes", 1).exit_code == 0
    assert not (runs / "base.error.txt").exists()


def test_a_folder_of_someone_elses_files_is_no_folder_of_runs(tmp_path):
    """A folder of loose files passed for a folder of runs: a sweep wrote its compare.html over the user's."""
    data = write_tables(tmp_path / "data", tiny_tables())
    scenario = write_scenario(tmp_path / "sc", "base", data, solve={"method": "greedy"})
    docs = tmp_path / "mydocs"
    docs.mkdir()
    (docs / "letter.docx").write_bytes(b"mine")
    result = cli("scenario", "run", scenario, "--out", docs, "--processes", 1)
    said = "a comparison's files are named compare*.csv, .png or .html"
    assert (result.exit_code, result.stderr) == (2, f"{docs} holds what is not a scenario run nor a comparison "
                                                    f"(letter.docx; {said}); add --force to write into it anyway"
                                                    f"{NOTHING}\n")
    assert sorted(p.name for p in docs.iterdir()) == ["letter.docx"]


def test_the_comparison_files_the_docs_write_beside_the_runs_do_not_block_the_next_run(tmp_path):
    """docs/scenarios.md wrote `--png runs/sample/costs.png --diff runs/sample/who.csv` beside the runs: the next
    `scenario run` into that folder was refused. A comparison's files are `compare*.csv`, `.png`, `.html`."""
    data = write_tables(tmp_path / "data", tiny_tables())
    scenario = write_scenario(tmp_path / "sc", "base", data, solve={"method": "greedy"})
    runs = tmp_path / "runs"
    assert cli("scenario", "run", scenario, "--out", runs, "--processes", 1).exit_code == 0
    compared = cli("scenario", "compare", runs / "base", "--png", runs / "compare.png", "--diff",
                   runs / "compare-who.csv", "--html", runs / "compare-2026-12.html")
    assert compared.exit_code == 0, compared.stderr
    assert cli("scenario", "run", scenario, "--out", runs, "--processes", 1).exit_code == 0
    assert sorted(p.name for p in runs.iterdir()) == ["base", "compare-2026-12.html", "compare-who.csv", "compare.png"]


def test_an_old_plan_that_cannot_be_removed_in_full_is_named(tmp_path, monkeypatch, capsys):
    """A file of the replaced plan that cannot be deleted (held open, immutable) left `.plan.old-*` beside OUT without
    a word; now a warning names it (the next run into OUT tries again)."""
    from vastaff.io import outpath

    out, new = tmp_path / "plan", tmp_path / "new"
    out.mkdir()
    new.mkdir()
    monkeypatch.setattr(outpath, "_remove", lambda path: None)  # what an undeletable file leaves
    outpath.replace_dir(new, out)
    (old,) = [p for p in tmp_path.iterdir() if p.name.startswith(".plan.old-")]
    assert capsys.readouterr().err == (f"warning: the replaced plan set aside at {old} could not be removed in full; "
                                       f"the next run into {out} tries again, or delete it by hand\n")


def test_an_output_given_as_a_link_stays_a_link_and_its_target_gets_the_result(solved, tmp_path):
    """`--out plans/tonight`, a link to a dated folder (a fuzz of output targets found the link replaced by a real
    folder): the plan goes where the link points and the link stays; a file output through a link the same."""
    data, _, _ = solved
    dated = tmp_path / "2026-12-06"
    link = tmp_path / "tonight"
    link.symlink_to(dated, target_is_directory=True)
    for _ in range(2):  # a new target, then the plan there replaced
        result = cli("solve", data, "--out", link, "--method", "greedy", "--no-report")
        assert result.exit_code == 0, result.output
        assert link.is_symlink() and os.readlink(link) == str(dated)
        assert (dated / "sections.csv").is_file()
    report_target, report_link = tmp_path / "displace-2026.md", tmp_path / "displace.md"
    report_link.symlink_to(report_target)
    result = cli("displace", data, "--out", tmp_path / "disp", "--report", report_link)
    assert result.exit_code == 0, result.output
    assert report_link.is_symlink() and report_target.read_text().startswith("#")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2026-12-06", "disp", "displace-2026.md", "displace.md",
                                                         "tonight"]


def test_a_file_output_never_goes_into_a_folder_a_command_writes_whole(solved, tmp_path):
    """An audit wrote `check --csv` over last night's plan's teachers.csv (the plan `check` reads for A12), a
    displacement report over the displacement.csv it had just written, a comparison over a plan's sections.csv."""
    data, a, b = solved
    before = tree(tmp_path.parent)
    for args, target in [(("check", data, b, "--csv"), a / "teachers.csv"),
                         (("check", data, b, "--csv"), a / "violations.csv"),
                         (("scenario", "compare", a, "--csv"), b / "sections.csv")]:
        result = cli(*args, target)
        assert (result.exit_code, result.stderr) == (2, f"{target} is inside {target.parent}, a plan folder vastaff "
                                                        "solve wrote and replaces whole; write the file outside it"
                                                        f"{NOTHING}\n"), result.output
    out = tmp_path / "disp"
    result = cli("displace", data, "--out", out, "--report", out / "displacement.csv")
    assert (result.exit_code, result.stderr) == (2, f"{out / 'displacement.csv'} is inside {out}, the folder this "
                                                    f"command writes whole; write the file outside it{NOTHING}\n")
    assert not out.exists() and tree(tmp_path.parent) == before


@pytest.mark.parametrize("store", ["{out}/history.db", "sqlite:///{out}/history.db"])
def test_an_out_that_holds_the_run_history_being_written_is_refused_even_with_force(solved, tmp_path, store):
    """`solve --out X --force --store X/h.db` replaced the run history with the plan: every earlier run was gone."""
    data = solved[0]
    out = tmp_path / "x"
    store = store.format(out=out)
    assert cli("solve", data, "--out", tmp_path / "p", "--method", "greedy", "--store", store).exit_code == 0
    before = tree(out)
    for args in (("solve", data, "--out", out, "--method", "greedy"), ("displace", data, "--out", out),
                 ("scenario", "run", write_scenario(tmp_path / "sc", "base", data), "--out", out)):
        result = cli(*args, "--store", store, "--force")
        assert (result.exit_code, result.stderr) == (
            2, f"{out} holds the run history {out / 'history.db'}; refused, even with --force{NOTHING}\n"), args
    assert tree(out) == before


def test_a_report_never_replaces_the_workbook_it_reports_on(solved, tmp_path):
    """`report DATA wb/plan.xlsx --out wb` put the workbook for people in place of the plan workbook it read."""
    import openpyxl
    import pandas as pd

    data, a, _ = solved
    book = tmp_path / "wb" / "plan.xlsx"
    book.parent.mkdir()
    sheets = openpyxl.Workbook()
    sheets.remove(sheets.active)
    for name in ("sections", "section_grades", "teachers", "run"):
        sheet = sheets.create_sheet(name)
        if name == "run":
            sheet.append(["key", "value"])
            continue
        frame = pd.read_csv(a / f"{name}.csv", dtype=str, keep_default_na=False)
        for row in [list(frame.columns), *frame.values.tolist()]:
            sheet.append(row)
    sheets.save(book)
    before = tree(book.parent)
    result = cli("report", data, book, "--out", book.parent)
    assert (result.exit_code, result.stderr) == (2, f"{book.parent} holds the plan {book}; refused, even with "
                                                    f"--force{NOTHING}\n"), result.output
    assert tree(book.parent) == before
