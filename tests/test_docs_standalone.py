"""The docs stand alone (issue 15): a user sees only this repository, so it describes its own formats and rules.

docs/contract.md has a section for every rule ID of the registry; docs/data-format.md a column table for every file
whose columns the schemas define, and its examples are real (sample lines, the messages `validate` prints); no page
points outside the repository, and every relative link lands on a file (and heading) that exists.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from vastaff.contract import load_contract
from vastaff.diff import CHANGE_COLUMNS
from vastaff.errors import InputError
from vastaff.io.district import load_district
from vastaff.report.tables import TIMETABLE_COLUMNS, VACANCY_COLUMNS
from vastaff.rules import RULES
from vastaff.schemas.inputs import INPUT_TABLES
from vastaff.schemas.plan import PLAN_COLUMNS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SAMPLE = ROOT / "data" / "sample"
OUTPUT_COLUMNS = {**PLAN_COLUMNS, "timetable": TIMETABLE_COLUMNS, "vacancies": VACANCY_COLUMNS,
                  "changes": CHANGE_COLUMNS}
"""Every plan file whose columns the code defines: the plan tables, the tables for people, changes.csv."""
OUTSIDE = ("SPEC.md", "../shared")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def part(text: str, title: str) -> str:
    """The text under the `## {title}...` heading, up to the next `## ` heading."""
    found = re.search(rf"^## {re.escape(title)}.*?$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert found, f"no '## {title}' heading"
    return found.group(1)


def file_sections(text: str) -> dict[str, str]:
    """`### name.csv ...` heading -> its text, keyed by the heading's first word (`teachers.csv`)."""
    pieces = re.split(r"^### (.+)$", text, flags=re.M)
    return {heading.split()[0]: body for heading, body in zip(pieces[1::2], pieces[2::2])}


def table_columns(body: str) -> list[str]:
    """The first cells of the column table (the one whose header starts `| column |`), in order."""
    rows = re.search(r"^\| column \|.*\n\|[-| ]+\|\n((?:\|.*\n)+)", body, re.M)
    assert rows, "no column table"
    return [line.split("|")[1].strip().strip("`") for line in rows.group(1).splitlines()]


def blocks(body: str, lang: str) -> list[list[str]]:
    """The lines of every fenced code block of language `lang`."""
    return [b.splitlines() for b in re.findall(rf"^```{lang}\n(.*?)^```", body, re.M | re.S)]


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.M | re.S)
    return {slug(h) for h in re.findall(r"^#+ (.+)$", text, re.M)}


INPUT_SECTIONS = file_sections(part(read("data-format.md"), "Input"))
OUTPUT_SECTIONS = file_sections(part(read("data-format.md"), "Output"))


def test_contract_md_has_a_section_for_every_rule_and_lists_its_kind():
    text = read("contract.md")
    headings = set(re.findall(r"^### (\S+)$", text, re.M))
    assert [r for r in RULES if r not in headings] == []
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| \[`([^`]+)`\].*$", text, re.M)}
    assert sorted(rows) == sorted(RULES)
    assert [r.id for r in RULES.values() if f"| {r.kind} |" not in rows[r.id]] == []


def test_the_objective_is_told_in_the_models_order_of_stages():
    """contract.md's "The objective" had `preferences` before `matrix` after the model swapped them (a matrix fuzz)."""
    told = re.findall(r"`(\w+)` \(", part(read("contract.md"), "The objective"))
    assert [stage for stage in told if stage != "continuity"] == load_contract().objective.stages


@pytest.mark.parametrize("name", list(INPUT_TABLES))
def test_data_format_md_documents_every_input_column_in_file_order(name):
    schema, _ = INPUT_TABLES[name]
    assert table_columns(INPUT_SECTIONS[f"{name}.csv"]) == list(schema.model_fields)


@pytest.mark.parametrize("name", list(OUTPUT_COLUMNS))
def test_data_format_md_documents_every_output_column_in_file_order(name):
    assert table_columns(OUTPUT_SECTIONS[f"{name}.csv"]) == list(OUTPUT_COLUMNS[name])


@pytest.mark.parametrize("name", list(INPUT_TABLES))
def test_input_examples_are_lines_of_the_sample_or_have_the_files_header(name):
    (example,) = blocks(INPUT_SECTIONS[f"{name}.csv"], "csv")
    sample = SAMPLE / f"{name}.csv"
    if sample.exists():
        lines = sample.read_text(encoding="utf-8").splitlines()
        assert example[0] == lines[0]
        assert [line for line in example[1:] if line not in lines] == []
    else:
        assert example[0] == ",".join(INPUT_TABLES[name][0].model_fields)


@pytest.mark.parametrize("name", list(OUTPUT_COLUMNS))
def test_output_examples_have_the_files_header(name):
    for example in blocks(OUTPUT_SECTIONS[f"{name}.csv"], "csv"):
        assert example[0] == ",".join(OUTPUT_COLUMNS[name])
        assert len(example) > 1


SOLVED = ("sections", "section_grades", "teachers", "iep_assignments", "caseloads", "timetable")
"""The output files whose examples are lines of the plan `vastaff solve data/sample` makes (the others come from
another run: a vacancy, a night against the night before, a displacement)."""


@pytest.fixture(scope="module")
def sample_plan(tmp_path_factory) -> Path:
    from typer.testing import CliRunner

    from vastaff.cli import app

    out = tmp_path_factory.mktemp("docs") / "plan"
    result = CliRunner().invoke(app, ["solve", str(SAMPLE), "--out", str(out), "--no-report", "--store", "off"])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("name", SOLVED)
def test_output_examples_are_lines_of_the_sample_plan(sample_plan, name):
    """data-format.md says its output examples are real lines of the plan `vastaff solve data/sample` makes."""
    lines = (sample_plan / f"{name}.csv").read_text(encoding="utf-8").splitlines()
    for example in blocks(OUTPUT_SECTIONS[f"{name}.csv"], "csv"):
        assert [line for line in example[1:] if line not in lines] == []


def test_the_lock_and_matrix_examples_are_valid_against_the_sample(tmp_path):
    data = shutil.copytree(SAMPLE, tmp_path / "data")
    for name in ("locks", "matrix"):
        (example,) = blocks(INPUT_SECTIONS[f"{name}.csv"], "csv")
        (data / f"{name}.csv").write_text("\n".join(example) + "\n", encoding="utf-8")
    district = load_district(data, load_contract())
    assert (len(district.locks), len(district.matrix)) == (5, 6)


def _edit_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; `row` as a spreadsheet numbers it (header = 1)."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def test_the_documented_error_lines_are_what_the_loader_says(tmp_path):
    data = shutil.copytree(SAMPLE, tmp_path / "broken")
    _edit_cell(data / "teachers.csv", 3, "stipend_consent", "yes")
    _edit_cell(data / "teachers.csv", 4, "grade_max", "13")
    _edit_cell(data / "demand.csv", 2, "course_id", "VA01-E-G9")
    (console,) = blocks(part(read("data-format.md"), "When the input is wrong"), "console")
    documented = [line for line in console if re.match(r"\w+\.csv, row ", line)]
    with pytest.raises(InputError) as caught:
        load_district(data, load_contract())
    assert [str(p) for p in caught.value.problems] == documented


def _pages() -> list[Path]:
    return [ROOT / "README.md", *sorted(p for p in DOCS.rglob("*") if p.is_file())]


def test_no_page_points_outside_the_repository():
    found = []
    for page in _pages():
        try:
            text = page.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # an image
        found += [f"{page.relative_to(ROOT)}:{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1)
                  if any(word in line for word in OUTSIDE)]
    assert not found, "pages that point outside the repository:\n" + "\n".join(found)


def test_no_source_cites_the_outside_specification():
    """Docstrings, comments and model files cite docs/, never "SPEC" (a document outside the repository)."""
    files = sorted([*(ROOT / "src" / "vastaff").rglob("*.py"), *(ROOT / "models").glob("*.yaml")])
    found = [f"{path.relative_to(ROOT)}:{n}: {line.strip()}" for path in files
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if re.search(r"\bSPEC\b", line)]
    assert not found, "cites SPEC instead of docs/:\n" + "\n".join(found)


def test_every_relative_link_lands_on_a_file_and_heading_of_the_repository():
    broken = []
    for page in [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue  # https:, mailto:
            path, _, anchor = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            inside = file.is_relative_to(ROOT) and file.exists()
            if not inside or (anchor and file.suffix == ".md" and anchor not in anchors(file)):
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert not broken, "links to no file or heading of the repository:\n" + "\n".join(broken)


def test_the_readmes_one_plan_example_runs_as_written(tmp_path, monkeypatch):
    """The README's "One plan directly" named functions a bare `from vastaff import ...` did not load (an audit's
    AttributeError): the block runs here as written, in a folder holding data/sample, and its plan passes the check."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = part(text, "Python API").split("One plan directly:")[1].split("```python\n")[1].split("```")[0]
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "sample").symlink_to(SAMPLE)
    monkeypatch.chdir(tmp_path)
    printed: list = []
    exec(compile(block, "README.md", "exec"), {"print": lambda *a: printed.append(a)})
    assert printed == [("OPTIMAL", "check OK")]
    assert (tmp_path / "plans" / "api" / "run.json").is_file()


def test_every_key_of_the_model_file_has_a_row_in_contract_md(tmp_path):
    """docs/contract.md's table of the numbers left out the twelve `meetings.*` keys (an audit): every key of the
    model file's sections is named there."""
    import yaml

    model = yaml.safe_load((ROOT / "models" / "va-2025-2027.yaml").read_text(encoding="utf-8"))
    table = part(read("contract.md"), "The numbers")
    keys = [f"{top}.{key}" for top, section in model.items() if isinstance(section, dict)
            for key in section if not (top == "levels" and key == "article")]
    assert [k for k in keys if f"`{k}`" not in table] == []


def test_contract_md_lists_every_rule_as_the_registry_says_it():
    """contract.md's table of all rules had drifted from `vastaff rules` (A12 without displacement's X-time, A26 without
    the closed site's requests, a checker module missing): each row is the registry's article, kind, line and
    modules."""
    row = re.compile(r"^\| \[`([^`]+)`\]\(#[^)]+\) \|.*$", re.M)
    rows = {m.group(1): m.group(0) for m in row.finditer(read("contract.md"))}
    short = ", ".join
    for rule in RULES.values():
        cells = [rule.article, rule.kind, rule.text, short(m.removeprefix("vastaff.") for m in rule.optimizer),
                 short(m.removeprefix("vastaff.") for m in rule.checker)]
        assert rows[rule.id].split(" | ")[1:] == [*cells[:-1], cells[-1] + " |"], rule.id
