"""`vastaff rules [ID]` — the rule registry (vastaff.rules), as `ruff rule E501` shows a linter's rule.

Without ID: every rule ID with its article, kind and one line. With ID: that rule, the modules where the optimizer
and the checker treat it, and its numbers in the contract model.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from pydantic import BaseModel

from vastaff.cli.common import MODEL_DEFAULT_HELP, EXIT_INVALID, input_errors_exit
from vastaff.contract import ContractModel, load_contract
from vastaff.contract.model import Term
from vastaff.rules import RULES, Rule

RULES_EXIT_CODES_HELP = "Exit codes: 0 shown; 2 an unknown rule ID or an invalid --model."
COLUMNS = ("ID", "article", "kind", "rule")


def register(app: typer.Typer) -> None:
    @app.command("rules", epilog=RULES_EXIT_CODES_HELP)
    def rules(
        rule_id: str = typer.Argument(None, metavar="ID", help="One rule ID, e.g. A6.1 (any letter case)."),
        model: Path = typer.Option(None, "--model", help="Contract model file (YAML) whose numbers are shown for ID. "
                                                         f"{MODEL_DEFAULT_HELP}"),
        json_out: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
    ) -> None:
        """List the contract rules the optimizer and the checker speak, or explain one.

        Every violation, conflict, vacancy reason and explanation names one of these IDs.

        Example: vastaff rules A6.1
        """
        if rule_id is None:
            if model is not None:  # the list shows no number, but a --model given is checked all the same (exit 2)
                with input_errors_exit():
                    load_contract(model)
            print(json.dumps([_as_dict(r) for r in RULES.values()], indent=2) if json_out else table_text())
            return
        rule = RULES.get(rule_id.strip().upper())
        if rule is None:
            print(f"vastaff rules: unknown rule ID {rule_id!r}; known IDs: {', '.join(RULES)}", file=sys.stderr)
            raise typer.Exit(EXIT_INVALID)
        with input_errors_exit():
            contract = load_contract(model)
        terms = contract_terms(contract, rule.id)
        if json_out:
            print(json.dumps({**_as_dict(rule), "contract": [_term_dict(key, t) for key, t in terms]}, indent=2))
        else:
            print(rule_text(rule, terms, contract.name))


def table_text() -> str:
    """One line per registered rule: ID, article, kind, what it says; columns aligned."""
    rows = [COLUMNS] + [(r.id, r.article, r.kind, r.text) for r in RULES.values()]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[3] for row in rows)


def rule_text(rule: Rule, terms: list[tuple[str, Term]], model_name: str) -> str:
    """One rule: ID, article and kind, its line, where the optimizer and the checker treat it, its numbers."""
    lines = [f"{rule.id} — article {rule.article} ({rule.kind})", rule.text, "",
             f"optimizer: {_modules(rule.optimizer)}", f"checker:   {_modules(rule.checker)}", "",
             f"contract model {model_name}:"]
    lines += [f"  {key} = {_value(t.value)}  (article {t.article})" for key, t in terms] or [
        "  no number of this rule (its numbers, if any, are data)"]
    return "\n".join(lines)


def contract_terms(contract: ContractModel, rule_id: str) -> list[tuple[str, Term]]:
    """(dotted key, term) of every number of the contract model that cites `rule_id`, in file order."""
    found = []

    def walk(node: BaseModel, path: str) -> None:
        for name in type(node).model_fields:
            value, key = getattr(node, name), f"{path}{name}"
            if isinstance(value, Term):
                if value.rule == rule_id:
                    found.append((key, value))
            elif isinstance(value, BaseModel):
                walk(value, f"{key}.")

    walk(contract, "")
    return found


def _modules(names: tuple[str, ...]) -> str:
    return ", ".join(f"vastaff.{m}" for m in names) or "(none)"


def _value(value: object) -> str:
    return json.dumps(_plain(value))


def _plain(value: object) -> object:
    return value.model_dump(by_alias=True) if isinstance(value, BaseModel) else value


def _as_dict(rule: Rule) -> dict:
    return {"id": rule.id, "article": rule.article, "kind": rule.kind, "text": rule.text,
            "optimizer": [f"vastaff.{m}" for m in rule.optimizer], "checker": [f"vastaff.{m}" for m in rule.checker]}


def _term_dict(key: str, term: Term) -> dict:
    return {"key": key, "value": _plain(term.value), "article": term.article}
