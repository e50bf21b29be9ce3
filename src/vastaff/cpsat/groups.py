"""Constraint groups that can be switched off by an assumption literal, to explain infeasibility.

In a normal solve no literal exists and constraints are plain. In diagnosis every group gets one literal, all
assumed true; CP-SAT's `sufficient_assumptions_for_infeasibility` then names the groups in conflict. A group is
a `vastaff.rules.Finding`: its registered rule ID(s), what it is about in words ("teacher H1 semester 1") and the
rows behind it — so an unregistered ID fails when the model is built, not when a conflict is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from ortools.sat.python import cp_model

from vastaff.rules import Finding, RowRef


@dataclass
class Groups:
    model: cp_model.CpModel
    diagnose: bool = False
    literals: dict[int, Finding] = field(default_factory=dict)
    _by_group: dict[Finding, cp_model.IntVar] = field(default_factory=dict)

    def enforce(self, constraint: cp_model.Constraint, rules: str | tuple[str, ...], subject: str,
                rows: Iterable[RowRef] = ()) -> None:
        """Make `constraint` depend on the literal of group (rules, subject, rows) when diagnosing."""
        if not self.diagnose:
            return
        group = Finding.of(rules, subject, rows)
        lit = self._by_group.get(group)
        if lit is None:
            lit = self.model.new_bool_var(f"assume[{'+'.join(group.rules)}:{subject}]")
            self._by_group[group] = lit
            self.literals[lit.index] = group
        constraint.only_enforce_if(lit)

    def assume_all(self) -> None:
        self.model.add_assumptions(list(self._by_group.values()))

