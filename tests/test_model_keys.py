"""Every key of a contract model file is read by the code, and the model refuses any other key.

docs/data-format.md ("Contract model files"): "every key is read by the code"; the file carries no other. A key nothing
reads would let a what-if edit it and silently change nothing. The scan is static: a key is read when code outside
contract/ reads it from a `contract` object (`contract.objective.stages`, or `w.section_change` after
`w = contract.objective.weights`), or calls an accessor of contract/ that reads it (`contract.caseload_cap` reads
`self.special_education.caseload_cap.value`; `.model_dump()` of a value reads all of it).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from vastaff.contract import ContractModel, contract_from_dict
from vastaff.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "vastaff"
MODELS = sorted((ROOT / "models").glob("*.yaml"))
DOCUMENTATION = {"title", "article", "rule", "note"}
"""Keys for the person reading the file (the article a number comes from, a note): no result depends on them."""
WHOLE = "model_dump"
"""An accessor that returns a value as a dict reads every key of it (`program_max`)."""


# ----------------------------------------------------------------------------------------------
# What the code reads: attribute paths from a root name, through names bound to part of the contract.


def _chain(node: ast.AST) -> list[str] | None:
    """`ctx.contract.objective.stages` -> ['ctx', 'contract', 'objective', 'stages']; None if not from a name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return [node.id, *reversed(parts)] if isinstance(node, ast.Name) else None


def read_paths(scope: ast.AST, root) -> set[tuple[str, ...]]:
    """The paths read in `scope`; `root(chain)` gives the path a chain reads from the contract, or None."""
    aliases: dict[str, tuple[str, ...]] = {}
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            chain = _chain(node.value)
            path = root(chain) if chain else None
            if path:
                aliases[node.targets[0].id] = path
    paths = set()
    for node in ast.walk(scope):
        chain = _chain(node) if isinstance(node, ast.Attribute) else None
        if chain:
            path = aliases[chain[0]] + tuple(chain[1:]) if chain[0] in aliases else root(chain)
            if path:
                paths.add(path)
    return paths


def _from_contract(chain: list[str]) -> tuple[str, ...] | None:
    """Outside contract/: what follows the last `contract` in a chain. `contract.model_dump()` alone is how the
    model travels to worker processes, which validate it again: not a read."""
    if "contract" not in chain:
        return None
    path = tuple(chain[len(chain) - chain[::-1].index("contract"):])
    return path if path and path != (WHOLE,) else None


def _from_self(chain: list[str]) -> tuple[str, ...] | None:
    return tuple(chain[1:]) if chain[0] == "self" and len(chain) > 1 else None


@cache
def outside_reads() -> frozenset[tuple[str, ...]]:
    files = [f for f in SRC.rglob("*.py") if "contract" not in f.relative_to(SRC).parts]
    return frozenset().union(*(read_paths(ast.parse(f.read_text(encoding="utf-8")), _from_contract) for f in files))


@cache
def accessors() -> dict[tuple[str, str], set[tuple[str, ...]]]:
    """(class name, method or property) -> the `self.` paths it reads, for every class of contract/."""
    out = {}
    for file in (SRC / "contract").glob("*.py"):
        for cls in (n for n in ast.walk(ast.parse(file.read_text(encoding="utf-8"))) if isinstance(n, ast.ClassDef)):
            for fn in (n for n in cls.body if isinstance(n, ast.FunctionDef)):
                out[cls.name, fn.name] = read_paths(fn, _from_self)
    return out


# ----------------------------------------------------------------------------------------------
# The schema: model-file keys -> field names, and the fields a read path reaches.


def _model(annotation) -> type[BaseModel] | None:
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _field(model: type[BaseModel], key: str) -> str | None:
    return next((n for n, f in model.model_fields.items() if key in (n, f.alias)), None)


def field_path(path: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
    """The field names along a model-file path (`K-3` -> `k_3`) up to where the schema holds plain data (a
    mapping's keys, a list), and whether the schema knows the key (False: a key the model refuses)."""
    model, fields = ContractModel, []
    for key in path:
        if model is None:
            break
        name = _field(model, key)
        if name is None:
            return tuple(fields), False
        fields.append(name)
        model = _model(model.model_fields[name].annotation)
    return tuple(fields), True


def resolve(path: tuple[str, ...], reads_of: dict, model=ContractModel, at=(), seen=frozenset()) -> set:
    """Where a read path lands: {(fields, whole)}, whole when all below those fields is read (plain data, or a
    value read as a dict); an accessor on the way is followed into the paths it reads."""
    for key in path:
        if model is None or key == WHOLE:
            return {(at, True)}
        name = _field(model, key)
        if name is not None:
            at, model = at + (name,), _model(model.model_fields[name].annotation)
            continue
        accessor = next(((c.__name__, key) for c in model.__mro__ if (c.__name__, key) in reads_of), None)
        if accessor is None or accessor in seen:
            return {(at, False)}
        return set().union(*(resolve(p, reads_of, model, at, seen | {accessor}) for p in reads_of[accessor]))
    return {(at, model is None)}


def unread_keys(raw: dict, reads: frozenset | None = None) -> list[str]:
    """The keys of a model file, as dotted paths, that no code reads (documentation keys aside); `reads`: the
    paths read outside contract/ (default: what src/ reads)."""
    reads_of = accessors()
    reached = set().union(*(resolve(p, reads_of) for p in (outside_reads() if reads is None else reads)))
    unread = []
    for path in _leaves(raw):
        fields, known = field_path(path)
        if known and fields == path and path[-1] in DOCUMENTATION:
            continue
        if not (known and any(fields[:len(r)] == r and (whole or r == fields) for r, whole in reached)):
            unread.append(".".join(path))
    return unread


def _leaves(node, prefix: tuple[str, ...] = ()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, prefix + (str(key),))
    else:
        yield prefix


# ----------------------------------------------------------------------------------------------
# The tests


def shipped() -> dict:
    return yaml.safe_load(MODELS[0].read_text(encoding="utf-8"))


@pytest.mark.parametrize("model_file", MODELS, ids=[m.name for m in MODELS])
def test_every_key_of_the_model_file_is_read_by_the_code(model_file):
    assert unread_keys(yaml.safe_load(model_file.read_text(encoding="utf-8"))) == []


def test_a_key_of_the_schema_that_nothing_reads_is_named():
    """The case of a key added to the schema and the file but read by no code: here a weight, its reads taken away."""
    reads = frozenset(p for p in outside_reads() if "section_change" not in p)
    assert unread_keys(shipped(), reads) == ["objective.weights.section_change"]


TOP_KEYS = ("name, title, hypothetical, levels, periods, courses, class_size, xtime, special_education, workday, "
            "notice, meetings, objective")
DROPPED = [  # keys the model file used to carry though nothing read them (issue 12)
    ("objective.mode", "lexicographic", ["objective.mode"], "stages, weights, period_stages, class_sizes"),
    ("objective.weights.vacancy", 1, ["objective.weights.vacancy"],
     "section_change, teacher_change, section_count, load_spread, class_over_mean, forced_double"),
    ("workday.lunch_window", {"article": "4.0 A", "value": {"start": "12:00", "end": "12:30"}},
     ["workday.lunch_window.article", "workday.lunch_window.value.start", "workday.lunch_window.value.end"],
     "synchronous_window, onsite_window, roa_friday_synchronous"),
    ("notice.relocation_notice_days", {"value": 30, "article": "25.0"},
     ["notice.relocation_notice_days.value", "notice.relocation_notice_days.article"],
     "assignment_change_notice_days"),
    ("relocation", {"notice_days": {"value": 30, "article": "25.0"}},
     ["relocation.notice_days.value", "relocation.notice_days.article"], TOP_KEYS),
]


@pytest.mark.parametrize("key, value, unread, known", DROPPED, ids=[d[0] for d in DROPPED])
def test_a_key_nothing_reads_is_found_and_refused(key, value, unread, known):
    """The scan finds each key this test was written for, and the model refuses it as an unknown key."""
    edited = shipped()
    *parents, last = key.split(".")
    node = edited
    for part in parents:
        node = node[part]
    node[last] = value
    assert unread_keys(edited) == unread
    with pytest.raises(InputError) as exc:
        contract_from_dict(edited, "m.yaml")
    assert [str(p) for p in exc.value.problems] == [
        f"m.yaml, key {key}: expected no such key (unknown key; known keys here: {known})"]


def test_a_weight_read_only_through_a_name_bound_to_the_weights_counts_as_read():
    code = ("def terms(contract):\n"
            "    w = contract.objective.weights\n"
            "    return w.section_change * ctx.contract.caseload_cap\n")
    assert read_paths(ast.parse(code), _from_contract) == {
        ("objective",), ("objective", "weights"), ("objective", "weights", "section_change"), ("caseload_cap",)}


def test_every_mapping_of_the_model_forbids_extra_keys():
    seen, todo = set(), [ContractModel]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        assert model.model_config.get("extra") == "forbid", model.__name__
        todo += [m for f in model.model_fields.values() if (m := _model(f.annotation)) is not None]
    assert {"Window", "Bands", "ProgramMax", "Weights", "Term[Window]"} <= {m.__name__ for m in seen}
