"""YAML reading for contract models and scenario files: a key written twice is an error, not 'the last one wins'."""

from __future__ import annotations

import yaml


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
