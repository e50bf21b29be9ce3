"""Constraint groups that can be switched off by an assumption literal, to explain infeasibility.

In a normal solve no literal exists and constraints are plain. In diagnosis every group (a rule ID and the
rows it is about) gets one literal, all assumed true; CP-SAT's `sufficient_assumptions_for_infeasibility`
then names the groups in conflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model


@dataclass(frozen=True)
class Group:
    rule: str                            # rule ID, e.g. "A6.1"
    subject: str                         # what it is about, in words: "teacher H1", "course MA-ALG1"
    rows: tuple[tuple[str, str], ...]    # (file, key)


@dataclass
class Groups:
    model: cp_model.CpModel
    diagnose: bool = False
    literals: dict[int, Group] = field(default_factory=dict)
    _by_group: dict[Group, cp_model.IntVar] = field(default_factory=dict)

    def enforce(self, constraint: cp_model.Constraint, rule: str, subject: str, rows: tuple = ()) -> None:
        """Make `constraint` depend on the group's literal when diagnosing."""
        if not self.diagnose:
            return
        group = Group(rule, subject, tuple(rows))
        lit = self._by_group.get(group)
        if lit is None:
            lit = self.model.new_bool_var(f"assume[{rule}:{subject}]")
            self._by_group[group] = lit
            self.literals[lit.index] = group
        constraint.only_enforce_if(lit)

    def assume_all(self) -> None:
        self.model.add_assumptions(list(self._by_group.values()))
