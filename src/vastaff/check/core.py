"""The checker's vocabulary: a violation is data (rule ID, article, message, rows), never a print.

The checker knows the contract (SPEC.md) and the data schemas, and nothing of any solver:
nothing under `vastaff.check` imports `vastaff.cpsat`, `vastaff.location`, `vastaff.displace` or `vastaff.solve`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from vastaff.contract import ContractModel
from vastaff.district import District, Plan


@dataclass(frozen=True, order=True)
class RowRef:
    """A row named by its ID: `course_id` in courses.csv, `course_id:grade` in demand.csv, ..."""

    file: str
    key: str


@dataclass(frozen=True)
class Violation:
    rule: str          # rule ID of SPEC.md, e.g. "A6.1", or "STRUCTURE"
    article: str       # e.g. "6.0 A(1)"
    message: str       # one sentence a chapter chair understands
    rows: tuple[RowRef, ...] = ()

    def as_dict(self) -> dict:
        return {"rule": self.rule, "article": self.article, "message": self.message,
                "rows": [{"file": r.file, "key": r.key} for r in self.rows]}


@dataclass(frozen=True)
class CheckContext:
    """Everything a rule check may read: tonight's data, the plan under test, the contract."""

    district: District
    plan: Plan
    contract: ContractModel
    previous: Plan | None = None


@dataclass
class CheckReport:
    violations: list[Violation] = field(default_factory=list)
    figures: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.violations


CheckFn = Callable[[CheckContext], list[Violation]]
