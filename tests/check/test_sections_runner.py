"""The runner: module order, optional modules, figures, .xlsx plans, independence from the optimizer."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pandas as pd
import pytest

import vastaff.check
from vastaff.check import runner
from vastaff.check.core import CheckContext, CheckReport
from vastaff.check.report import report_json, rows_text, write_csv
from vastaff.contract import load_contract
from vastaff.io.plan import load_plan
from vastaff.rules import Finding, RowRef

CONTRACT = load_contract()
CHECK_DIR = Path(vastaff.check.__file__).parent
SOLVER_MODULES = ("vastaff.cpsat", "vastaff.nightly.sections", "vastaff.people.location", "vastaff.displace", "vastaff.sections.greedy")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


@pytest.mark.parametrize("path", sorted(CHECK_DIR.glob("*.py")), ids=lambda p: p.name)
def test_checker_never_imports_the_optimizer(path):
    bad = {n for n in _imports(path) if n.startswith(SOLVER_MODULES)}
    assert not bad, f"{path.name} imports {sorted(bad)}"


def test_modules_in_fixed_order():
    names = [m.__name__.rsplit(".", 1)[1] for m in runner.rule_modules()]
    assert names[:7] == ["structure", "demand", "periods", "courses", "class_size", "xtime", "costs"]
    assert names == [n for n in runner.MODULES if n in names]


def test_modules_can_be_limited():
    assert [m.__name__ for m in runner.rule_modules(("costs", "structure"))] == ["vastaff.check.structure",
                                                                                  "vastaff.check.costs"]


def test_every_module_with_checks_is_run():
    """A rule module of the package that the runner does not list would be silently skipped."""
    with_checks = {p.stem for p in CHECK_DIR.glob("*.py") if "\nCHECKS = " in p.read_text(encoding="utf-8")}
    assert with_checks == set(runner.MODULES)


def test_every_rule_function_has_a_docstring_citing_its_rule():
    for module in runner.rule_modules()[:7]:
        for fn in module.CHECKS:
            doc = (fn.__doc__ or "").strip()
            assert doc, fn.__name__
            assert doc.split()[0].rstrip(":") in ("STRUCTURE", "DEMAND", "CRED", "A6.1", "A6.2", "A6.3", "A8.1", "A8.2",
                                                  "A8.3", "A8.4", "A8.5", "A12", "COSTS"), fn.__name__


def test_valid_plan_figures(case):
    report = case.report(every_module=True)
    assert report.ok
    f = report.figures
    assert f["vacancies"] == 0
    assert f["costs"] == {"stipend": 0.0, "multigrade": 0.0, "xtime": 0.0, "total": 0.0, "stipend_courses": 0,
                          "multigrade_sections": 0, "xtime_teachers": 0}
    assert f["section_means"] == [
        {"school_id": "VA1", "band": "4-12", "semester": 1, "sections": 4, "students": 77, "mean": 19.25, "limit": 25},
        {"school_id": "VA1", "band": "4-12", "semester": 2, "sections": 1, "students": 25, "mean": 25.0, "limit": 25},
        {"school_id": "VA1", "band": "K-3", "semester": 1, "sections": 2, "students": 40, "mean": 20.0, "limit": 22},
        {"school_id": "VA1", "band": "K-3", "semester": 2, "sections": 2, "students": 40, "mean": 20.0, "limit": 22},
    ]
    assert {"level": "high", "semester": "2", "teachers": 2, "min": 0, "mean": 0.5, "max": 1} in f["courses_per_teacher"]
    json.dumps(f)  # figures are plain JSON


def test_a_displacement_only_plan_skips_section_rules(case, tmp_path):
    plan = tmp_path / "displacement_plan"
    plan.mkdir()
    (plan / "run.json").write_text('{"status": "OPTIMAL"}')
    report = runner.run_checks(case.district(), load_plan(plan), CONTRACT)
    section_rules = {"STRUCTURE", "DEMAND", "CRED", "A6.1", "A6.2", "A6.3", "A8.1", "A8.2", "A8.3", "A8.4", "A8.5",
                     "A12", "COSTS"}
    assert not [v for v in report.violations if v.rule in section_rules]
    assert "section_means" not in report.figures


def test_xlsx_plan_is_accepted(case, tmp_path):
    folder = case.write_plan()
    book = tmp_path / "book" / "plan.xlsx"
    book.parent.mkdir()
    with pd.ExcelWriter(book) as xl:
        for name in ("sections", "section_grades", "teachers"):
            pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False).to_excel(xl, sheet_name=name, index=False)
    (book.parent / "run.json").write_text((folder / "run.json").read_text())
    report = runner.run_checks(case.district(), load_plan(book), CONTRACT)
    assert report.ok, [str(v) for v in report.violations]
    # the same workbook with one student short is reported, as from CSV
    grades = pd.read_csv(folder / "section_grades.csv", dtype=str)
    grades.loc[grades.section_id == "S-ALG", "students"] = "29"
    sections = pd.read_csv(folder / "sections.csv", dtype=str, keep_default_na=False)
    sections.loc[sections.section_id == "S-ALG", "enrollment"] = "29"
    with pd.ExcelWriter(book, mode="a", if_sheet_exists="replace", engine="openpyxl") as xl:
        grades.to_excel(xl, sheet_name="section_grades", index=False)
        sections.to_excel(xl, sheet_name="sections", index=False)
    report = runner.run_checks(case.district(), load_plan(book), CONTRACT)
    assert [v.rule for v in report.violations] == ["DEMAND"]


def test_report_outputs(tmp_path):
    report = CheckReport([Finding.of("A6.2", "teacher T, semester 1, period P1: ...",
                                     (RowRef("sections.csv", "S1"), RowRef("sections.csv", "S2")))], {"vacancies": 2})
    assert rows_text(report.violations[0]) == "sections.csv:S1;sections.csv:S2"
    assert json.loads(report_json(report)) == {
        "ok": False, "figures": {"vacancies": 2},
        "violations": [{"rule": "A6.2", "article": "6.0 A(2)", "message": "teacher T, semester 1, period P1: ...",
                        "rows": [{"file": "sections.csv", "key": "S1"}, {"file": "sections.csv", "key": "S2"}]}]}
    out = write_csv(report, tmp_path / "v.csv")
    assert out.read_text() == ('rule,article,message,rows\n'
                               'A6.2,6.0 A(2),"teacher T, semester 1, period P1: ...",sections.csv:S1;sections.csv:S2\n')


def test_context_caches_derived_tables(case):
    from vastaff.check.core import plan_sections

    ctx = CheckContext(case.district(), load_plan(case.write_plan()), CONTRACT)
    assert plan_sections(ctx) is plan_sections(ctx)


def test_names_join_a_bracket_the_message_opens_after_an_id():
    """`--names`: 'B (seniority ...)' reads 'B (Bo; seniority ...)', not 'B (Bo) (seniority ...)'; an ID a rule named
    itself stays as it is; T1 is not found inside T10."""
    from vastaff.check.runner import named
    from vastaff.rules import Finding

    f = Finding(("A24",), "teacher B (seniority 2005-01-01, tiebreak 2) moved in; T1 (Ann Lee) and T10 stayed",
                (("teachers.csv", "B"), ("teachers.csv", "T1"), ("teachers.csv", "T10")))
    assert named(f, {"B": "Bo (Jr.)", "T1": "Ann Lee", "T10": "Ten"}).message == (
        "teacher B (Bo (Jr.); seniority 2005-01-01, tiebreak 2) moved in; T1 (Ann Lee) and T10 (Ten) stayed")
