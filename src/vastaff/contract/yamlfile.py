"""YAML reading for contract models and scenario files: a key written twice is an error, not 'the last one wins';
a pydantic error becomes one InputProblem naming the dotted key."""

from __future__ import annotations

from typing import Callable

import yaml

from vastaff.errors import InputError, InputProblem


class DuplicateKey(Exception):
    def __init__(self, key: str, first: int, again: int):
        super().__init__(f"key {key!r} on line {again} repeats line {first}")
        self.key, self.first, self.again = key, first, again


MAX_VALUES = 1_000_000
"""The most values (mappings, lists, scalars) a YAML document may stand for once its aliases are expanded: a contract
model or scenario file has hundreds; a "billion laughs" file (aliases of aliases of aliases) stands for billions in a
few lines, and validating or echoing it took 6 GB and a minute."""


class UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader, refusing equal keys in one mapping, and a document that stands for more than MAX_VALUES
    values once its aliases are expanded (refused before any value is built)."""

    def compose_document(self):
        node = super().compose_document()
        if _expanded(node, {}) > MAX_VALUES:
            raise yaml.composer.ComposerError(problem=f"at most {MAX_VALUES:,} values once its aliases (*name) are "
                                                      "expanded; this document stands for more")
        return node

    def construct_mapping(self, node, deep=False):
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            try:
                again = key in seen
            except TypeError:  # `[1, 2]: x` — a list or a mapping as a key
                raise yaml.constructor.ConstructorError(problem="a key must be a single value, not a list or a "
                                                                "mapping", problem_mark=key_node.start_mark) from None
            if again:
                raise DuplicateKey(str(key), seen[key], line)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node, deep=False):
        """PyYAML's, with a value its constructors refuse (`2025-02-30`, `99:00:00` in a timestamp) as a YAML error
        at its line, not a ValueError from deep inside."""
        try:
            return super().construct_object(node, deep=deep)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(problem=f"{node.value!r} is not a value YAML can read ({exc}); "
                                                            "quote it to keep it as text",
                                                    problem_mark=node.start_mark) from None


def parse_yaml(text: str, label: str) -> object:
    """The parsed YAML document of `text` (from file `label`); InputError, one line, when it is not YAML (with the
    line), repeats a key, nests too deeply or stands for too many values."""
    try:
        return yaml.load(text, Loader=UniqueKeyLoader)
    except DuplicateKey as dup:
        raise InputError([InputProblem(label, column=dup.key, noun="key", expected=(
            f"each key once in its mapping (found on lines {dup.first} and {dup.again})"))]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        why = getattr(exc, "problem", None) or exc
        raise InputError([InputProblem(label, expected=f"valid YAML ({where}{why})")]) from None
    except RecursionError:
        raise InputError([InputProblem(label, expected="valid YAML (nested too deeply to read)")]) from None


def _expanded(node: yaml.Node, seen: dict[int, int]) -> int:
    """How many values `node` stands for with every alias expanded (capped just above MAX_VALUES); `seen`: the count
    of each node already counted — an alias is the very node it names, so each is counted once."""
    if id(node) not in seen:
        if isinstance(node, yaml.MappingNode):
            count = 1 + sum(_expanded(k, seen) + _expanded(v, seen) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            count = 1 + sum(_expanded(v, seen) for v in node.value)
        else:
            count = 1
        seen[id(node)] = min(count, MAX_VALUES + 1)
    return seen[id(node)]


def key_problem(label: str, loc: list[str], err: dict, known_keys: Callable[[list[str]], list[str]],
                expected: Callable[[], str]) -> InputProblem:
    """One InputProblem for a pydantic error at the dotted key `loc`: a missing key, an unknown key (with the keys
    allowed there), or a bad value and what it must be (`expected`, computed only then)."""
    key = ".".join(loc) or None
    if err["type"] == "missing":
        return InputProblem(label, column=key, noun="key", expected="this key (missing)")
    if err["type"] == "extra_forbidden":
        known = known_keys(loc[:-1])
        return InputProblem(label, column=key, noun="key", expected="no such key (unknown key"
                            + (f"; known keys here: {', '.join(known)})" if known else ")"))
    value, wanted = err.get("input"), expected()
    if isinstance(value, str) and _numeric(value) and "number" in wanted:
        wanted += (" (YAML reads this exponent form as text: write it with a dot and a signed exponent, such as "
                   "1.0e+30, or in full)" if "e" in value.lower() else " (this one is text: written in quotes)")
    return InputProblem(label, column=key, noun="key", value=short(value), expected=wanted)


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


YAML_WORDS = {None: "null", True: "true", False: "false"}
"""How YAML writes the values Python prints as None, True and False."""


def short(value: object) -> str:
    """A value echoed in a message as the file writes it (null, true, false): at most 60 characters."""
    text = YAML_WORDS[value] if isinstance(value, (bool, type(None))) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."
