"""Infeasibility in contract terms: the rule IDs in conflict, a sentence, and the rows behind them.

Shared by every solver part (sections, locations, IEP meetings, caseloads, displacement) and written to
run.json as `conflicts: [{rules, message, rows: [{file, key}]}]`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Conflict:
    rules: tuple[str, ...]                 # e.g. ("DEMAND", "CRED")
    message: str                           # e.g. "VA2 course WL101 grade 9 (40 students): no teacher ... holds world_language"
    rows: tuple[tuple[str, str], ...] = ()  # (file, key), e.g. ("demand.csv", "WL101:9")

    def as_dict(self) -> dict:
        return {"rules": list(self.rules), "message": self.message,
                "rows": [{"file": f, "key": k} for f, k in self.rows]}

    def __str__(self) -> str:
        return f"{' + '.join(self.rules)}: {self.message}"


class Infeasible(Exception):
    """No plan obeys the hard rules; `conflicts` says why in contract terms."""

    def __init__(self, conflicts: list[Conflict]):
        self.conflicts = conflicts
        super().__init__("\n".join(str(c) for c in conflicts))
