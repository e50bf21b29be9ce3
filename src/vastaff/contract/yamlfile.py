"""YAML reading for contract models and scenario files: a key written twice is an error, not 'the last one wins';
a pydantic error becomes one InputProblem naming the dotted key."""

from __future__ import annotations

from typing import Callable

import yaml

from vastaff.errors import InputProblem


class DuplicateKey(Exception):
    def __init__(self, key: str, first: int, again: int):
        super().__init__(f"key {key!r} on line {again} repeats line {first}")
        self.key, self.first, self.again = key, first, again


class UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader, refusing equal keys in one mapping."""

    def construct_mapping(self, node, deep=False):
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise DuplicateKey(str(key), seen[key], line)
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


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
    return InputProblem(label, column=key, noun="key", value=short(err.get("input")), expected=expected())


def short(value: object) -> str:
    """A value echoed in a message: at most 60 characters."""
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."
