"""`model_overrides`: change values of a contract model file by key name or dotted path, then validate.

`stipend_per_course: 1500` finds the key wherever it sits in the nested file and sets its `value`
(courses.stipend_per_course.value); `band_mean_max.K-3: 20` sets one band; a full dotted path
(`courses.stipend_per_course.value`) is taken as written. A key that names nothing, or more than one place,
is an error naming the key; the edited model is validated by `contract_from_dict`, so a bad value names its key.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from vastaff.contract import ContractModel, contract_from_dict, load_contract
from vastaff.errors import InputError, InputProblem

TERM_KEYS = ("value", "article", "rule", "note")


def overridden_model(model_file: Path, overrides: dict[str, Any], scenario_name: str,
                     label: str) -> tuple[ContractModel, dict]:
    """The contract of `model_file` with `overrides` applied, and its plain dict (to send to worker processes).

    With overrides the model becomes hypothetical: `hypothetical: true`, name `<name>+<scenario>` and a title
    starting HYPOTHETICAL, unless the overrides set those keys themselves.
    """
    base = load_contract(model_file)
    raw = yaml.safe_load(model_file.read_text(encoding="utf-8"))
    if not overrides:
        return base, raw
    edited = copy.deepcopy(raw)
    problems, spelled = [], {}
    for key, value in overrides.items():
        try:
            path = override_path(edited, str(key))
        except KeyError as exc:
            problems.append(InputProblem(label, column=f"model_overrides.{key}", noun="key", expected=str(exc.args[0])))
            continue
        _set(edited, path, value)
        spelled[".".join(path)] = str(key)
    _label_hypothetical(edited, overrides, scenario_name)
    try:  # the keys that name a place are checked too, whatever the others: every problem at once
        contract = contract_from_dict(edited, label)
    except InputError as exc:
        problems += [_as_override(p, spelled, model_file) for p in exc.problems]
    if problems:
        raise InputError(problems)
    return contract, edited


def _as_override(problem: InputProblem, spelled: dict[str, str], model_file: Path) -> InputProblem:
    """A model problem caused by an override names the override key as the scenario spells it."""
    for path, key in spelled.items():
        if problem.column is not None and (problem.column == path or problem.column.startswith(path + ".")):
            rest = problem.column[len(path):]
            return InputProblem(problem.file, column=f"model_overrides.{key}{rest}", noun="key", value=problem.value,
                                expected=f"{problem.expected} (sets {problem.column} of {model_file.name})")
    return problem


def override_path(raw: dict, key: str) -> list[str]:
    """Where an override key lands in the nested model: a dotted path as written, else the key name found
    once anywhere in the file (its `value` when it is a contract term), followed by the rest of the dotted key."""
    parts = key.split(".")
    if _exists(raw, parts):
        return parts
    found = list(_paths_to(raw, parts[0]))
    if not found:
        raise KeyError(f"a key of the contract model (no key {parts[0]!r} in it; use a key name such as "
                       "stipend_per_course, or a dotted path such as courses.stipend_per_course.value)")
    if len(found) > 1:
        raise KeyError("a key that names one place (found at " + ", ".join(".".join(p) for p in found)
                       + "; write the dotted path)")
    path = found[0]
    node = _get(raw, path)
    if isinstance(node, dict) and "value" in node and (len(parts) == 1 or parts[1] not in TERM_KEYS):
        path = path + ["value"]
    path = path + parts[1:]
    if not _exists(raw, path):
        raise KeyError(f"a key of the contract model (no key {'.'.join(path)!r})")
    return path


def _paths_to(node: object, key: str, prefix: tuple[str, ...] = ()):
    if isinstance(node, dict):
        for k, v in node.items():
            here = prefix + (str(k),)
            if str(k) == key:
                yield list(here)
            yield from _paths_to(v, key, here)


def _exists(raw: object, path: list[str]) -> bool:
    node = raw
    for p in path:
        if not isinstance(node, dict) or p not in node:
            return False
        node = node[p]
    return True


def _get(raw: dict, path: list[str]) -> object:
    node: object = raw
    for p in path:
        node = node[p]  # type: ignore[index]
    return node


def _set(raw: dict, path: list[str], value: object) -> None:
    parent = _get(raw, path[:-1]) if len(path) > 1 else raw
    parent[path[-1]] = value  # type: ignore[index]


def _label_hypothetical(raw: dict, overrides: dict, scenario_name: str) -> None:
    """A model with overridden values is not the signed contract: say so in its name, title and flag."""
    own = {str(k).split(".")[0] for k in overrides}
    changes = ", ".join(f"{k}={v}" for k, v in overrides.items())
    if "hypothetical" not in own:
        raw["hypothetical"] = True
    if "name" not in own:
        raw["name"] = f"{raw.get('name', 'model')}+{scenario_name}"
    if "title" not in own:
        raw["title"] = f"HYPOTHETICAL: {raw.get('title', '')} with {changes}"


def model_yaml(raw: dict, header: str) -> str:
    """The effective model as YAML, with a comment header saying where it came from."""
    lines = "".join(f"# {line}\n" for line in header.splitlines())
    return lines + yaml.safe_dump(raw, sort_keys=False, allow_unicode=True)
