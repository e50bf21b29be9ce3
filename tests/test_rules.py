"""vastaff.rules: the one registry (IDs, articles, where each rule lives), the one Finding record, `vastaff rules`."""

from __future__ import annotations

import ast
import functools
import importlib.util
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import vastaff
from vastaff.check import runner
from vastaff.cli import app
from vastaff.people.location import explain
from vastaff.rules import RULES, Finding, Infeasible, RowRef, article

SRC = Path(vastaff.__file__).parent

# ----------------------------------------------------------------------------------------------
# Every rule ID a Finding is built with is registered (a static scan of src/: Finding raises at run time too).

RULE_ARGUMENT = {"Finding": 0, "Finding.of": 0, "violation": 0, "finding": 0, "enforce": 1, "column_mismatches": 3,
                 "rows": 1}
"""Calls that build a finding (or a solver group, or location explanation rows) -> the position of their rule ID(s)."""


def _call_name(call: ast.Call) -> str | None:
    f = call.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f"{f.value.id}.{f.attr}" if isinstance(f.value, ast.Name) and f.value.id == "Finding" else f.attr
    return None


def _texts(node: ast.AST) -> set[str] | None:
    """The strings a pure string expression may take ("A6.1", ("A6.1", "A6.2"), x if c else "A8.2"); else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, (ast.Tuple, ast.List)):
        parts = [_texts(e) for e in node.elts]
        return None if any(p is None for p in parts) else set().union(*parts)
    if isinstance(node, ast.IfExp):
        body, orelse = _texts(node.body), _texts(node.orelse)
        return None if body is None or orelse is None else body | orelse
    return None


def _strings(node: ast.AST, names: dict[str, set[str]]) -> set[str]:
    """Every string an argument names: literals, and names assigned a pure string expression (column keys aside)."""
    if isinstance(node, ast.Subscript):
        return _strings(node.value, names)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Name):
        return names.get(node.id, set())
    if isinstance(node, ast.keyword):
        return set()
    return set().union(*(_strings(child, names) for child in ast.iter_child_nodes(node)))


@functools.cache
def parsed(path: Path) -> tuple[ast.AST, ...]:
    """Every node of a source file (parsed once for every test of this module)."""
    return tuple(ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


def rule_ids_built(path: Path) -> dict[int, set[str]]:
    """line -> the rule IDs a call on that line builds a finding or group with."""
    names: dict[str, set[str]] = {}
    for node in parsed(path):
        if isinstance(node, ast.Assign) and (texts := _texts(node.value)) is not None:
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names[target.id] = names.get(target.id, set()) | texts
    found = {}
    for node in parsed(path):
        at = RULE_ARGUMENT.get(_call_name(node)) if isinstance(node, ast.Call) else None
        if at is not None and len(node.args) > at:
            found[node.lineno] = found.get(node.lineno, set()) | _strings(node.args[at], names)
    return found


def src_files() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_every_rule_id_a_finding_is_built_with_is_registered():
    built = {(str(p.relative_to(SRC)), line): ids for p in src_files() for line, ids in rule_ids_built(p).items()}
    unregistered = {where: sorted(ids - set(RULES)) for where, ids in built.items() if ids - set(RULES)}
    assert unregistered == {}
    by_file = {}
    for (file, _), ids in built.items():
        by_file.setdefault(file, set()).update(ids)
    # the scan sees through local names: the solver's period groups and its homeroom group
    assert {"A6.1", "A6.2"} <= by_file["cpsat/periods.py"] and by_file["cpsat/homerooms.py"] == {"STRUCTURE"}
    assert {"A16", "A19", "A24", "A25", "A26"} <= by_file["people/location/explain.py"]
    checked = set().union(*(ids for file, ids in by_file.items() if file.startswith("check/")))
    assert checked == set(RULES)  # every rule has a checker that reports it


def test_an_unregistered_id_is_refused_at_once():
    with pytest.raises(ValueError, match=r"unregistered rule ID\(s\) \['HOMEROOM'\]"):
        Finding.of("HOMEROOM", "teacher E1")
    with pytest.raises(ValueError, match=r"unregistered rule ID\(s\) \['A6.1\+A6.2'\]"):
        Finding(("A6.1+A6.2",), "teacher H1 semester 1")
    with pytest.raises(ValueError, match=r"\(none\)"):
        Finding((), "no rule")
    with pytest.raises(KeyError):
        article("A99")


def test_no_article_is_written_outside_the_registry():
    """No rule -> article map anywhere else in src/: no string literal of src/ equals a registered article."""
    articles = {r.article for r in RULES.values()}
    written = [(str(p.relative_to(SRC)), node.lineno, node.value) for p in src_files() if p != SRC / "rules.py"
               for node in parsed(p) if isinstance(node, ast.Constant) and node.value in articles]
    assert written == []


# ----------------------------------------------------------------------------------------------
# Where each rule lives: the modules the registry names exist and name the rule; the checker's modules agree.


def _source(module: str) -> str:
    spec = importlib.util.find_spec(f"vastaff.{module}")
    assert spec is not None and spec.origin, f"vastaff.{module} does not exist"
    return Path(spec.origin).read_text(encoding="utf-8")


def _names(rule_id: str, text: str) -> bool:
    """Whether `text` names the rule ID as a word ("A10" is not named by "A10.1")."""
    return re.search(rf"(?<![\w.]){re.escape(rule_id)}(?!\w|\.\d)", text) is not None


NAMED_AS = {"COSTS": ("COSTS", "A6.3", "A8.5", "A12")}
"""COSTS is the checker's name for the costs the optimizer computes under A6.3, A8.5 and A12 (sections.costs)."""


@pytest.mark.parametrize("rule", RULES.values(), ids=lambda r: r.id)
def test_the_modules_of_a_rule_exist_and_name_it(rule):
    assert rule.checker and rule.optimizer and rule.kind in ("hard", "cost", "format", "flag")
    names = NAMED_AS.get(rule.id, (rule.id,))
    silent = [m for m in rule.checker + rule.optimizer if not any(_names(n, _source(m)) for n in names)]
    assert silent == []


def test_each_checker_module_reports_exactly_the_rules_that_name_it():
    for name in runner.MODULES:
        quoted = {r for r in RULES if f'"{r}"' in _source(f"check.{name}")}
        listed = {r.id for r in RULES.values() if f"check.{name}" in r.checker}
        assert quoted == listed, name


# ----------------------------------------------------------------------------------------------
# The record


def test_a_finding_serialises_as_a_violation_and_as_a_conflict():
    f = Finding.of(("DEMAND", "CRED"), "VA1 course WL101 grade 9: no teacher holds world_language",
                   [("demand.csv", "WL101:9"), ("courses.csv", "WL101"), ("demand.csv", "WL101:9")])
    assert f.rows == (RowRef("courses.csv", "WL101"), RowRef("demand.csv", "WL101:9"))
    assert [str(r) for r in f.rows] == ["courses.csv:WL101", "demand.csv:WL101:9"]
    assert (f.rule, f.article) == ("DEMAND", "—; 9.0(1)")
    assert str(f) == "DEMAND + CRED: VA1 course WL101 grade 9: no teacher holds world_language"
    rows = [{"file": "courses.csv", "key": "WL101"}, {"file": "demand.csv", "key": "WL101:9"}]
    assert f.as_dict() == {"rules": ["DEMAND", "CRED"], "message": f.message, "rows": rows}
    assert f.as_violation_dict() == {"rule": "DEMAND", "article": "—; 9.0(1)", "message": f.message, "rows": rows}


def test_rows_keep_the_order_given_unless_built_with_of():
    rows = [("teachers.csv", "E2"), ("sites.csv", "S1")]
    assert Finding(("A16",), "m", rows).rows == (("teachers.csv", "E2"), ("sites.csv", "S1"))
    assert Finding(("A16",), "m", rows) == Finding(("A16",), "m", tuple(RowRef(*r) for r in rows))
    assert Finding.of("A16", "m", rows).rows == (("sites.csv", "S1"), ("teachers.csv", "E2"))


def test_location_explanation_rows_are_findings():
    """The explanation table (built column-wise at scale) takes its articles from the registry and reads as Findings."""
    messages = ["moves from S1 to S2 (request 1 granted)", "placed at S3 (open site in school region R1)"]
    e = explain.rows(pd.Series(["T1", "T2"]), pd.Series(["A24", "A19"]), pd.Series(messages))
    assert e["article"].tolist() == ["24.0", "19.0"]
    assert explain.as_findings(e) == [Finding(("A24",), messages[0], (("teachers.csv", "T1"),)),
                                      Finding(("A19",), messages[1], (("teachers.csv", "T2"),))]
    assert [str(f) for f in explain.as_findings(e)] == e["message"].tolist()
    with pytest.raises(KeyError):
        explain.rows(pd.Series(["T1"]), "HOMEROOM", pd.Series(["x"]))


def test_infeasible_carries_its_findings():
    found = [Finding.of("A7.3", "VA1: 3 students in grade K but no resource specialist covers grade K")]
    exc = Infeasible(found)
    assert exc.findings == exc.conflicts == found
    assert str(exc) == "A7.3: VA1: 3 students in grade K but no resource specialist covers grade K"


# ----------------------------------------------------------------------------------------------
# `vastaff rules [ID]`


def rules_cli(*args: str):
    return CliRunner().invoke(app, ["rules", *args])


def test_rules_lists_the_registry():
    result = rules_cli()
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["ID", "article", "kind", "rule"]
    assert [line.split()[0] for line in lines[1:]] == list(RULES)
    assert lines[5] == ("A6.2       6.0 A(2)                hard    "
                        "an ELD section is the only section of its teacher in that period")


def test_rules_explains_one_rule_with_its_modules_and_numbers():
    result = rules_cli("a6.1")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "A6.1 — article 6.0 A(1) (hard)",
        "per teacher, semester and period at most 2 sections, 2 only of one subject",
        "",
        "optimizer: vastaff.cpsat.periods, vastaff.sections.decode",
        "checker:   vastaff.check.periods",
        "",
        "contract model va-2025-2027:",
        "  periods.max_sections_per_period = 2  (article 6.0 A(1))",
    ]


def test_rules_shows_a_rule_whose_numbers_are_data():
    result = rules_cli("A16")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "  no number of this rule (its numbers, if any, are data)"


def test_rules_json():
    listed = json.loads(rules_cli("--json").output)
    assert [r["id"] for r in listed] == list(RULES)
    one = json.loads(rules_cli("A8.1", "--json").output)
    assert one["checker"] == ["vastaff.check.class_size"]
    assert one["contract"] == [
        {"key": "class_size.band_mean_max", "value": {"K-3": 22, "4-12": 25}, "article": "8.0"},
        {"key": "class_size.band_mean_scope", "value": "school", "article": "8.0"},
        {"key": "class_size.section_max", "value": 35, "article": "8.0"},
    ]


def test_rules_explains_the_preparation_time_flag_with_its_notice_days():
    """A9.2 (9.0(2)) constrains nothing: a flag, its number the model's notice days."""
    result = rules_cli("A9.2")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "A9.2 — article 9.0(2) (flag)"
    assert lines[3:5] == ["optimizer: vastaff.nightly.prep_time", "checker:   vastaff.check.prep_time"]
    assert lines[-1] == "  notice.assignment_change_notice_days = 5  (article 9.0(2))"


def test_rules_refuses_an_unknown_id_in_one_line():
    result = rules_cli("HOMEROOM")
    assert result.exit_code == 2
    assert result.output == f"vastaff rules: unknown rule ID 'HOMEROOM'; known IDs: {', '.join(RULES)}\n"


def test_rules_with_an_invalid_model_exits_2(tmp_path):
    bad = tmp_path / "model.yaml"
    bad.write_text("name: broken\n")
    for args in (("A6.1",), ()):  # the list without an ID checks a --model given too (it exited 0)
        result = rules_cli(*args, "--model", str(bad))
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert result.output.endswith("input problem(s); nothing was written.\n")
