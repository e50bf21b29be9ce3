"""Two lexicographic stages searched as one exact objective, W · first + second (`cpsat.solver`): the weight W and
whether the sum stays exact."""

from __future__ import annotations

from dataclasses import dataclass

from ortools.sat.python import cp_model

TIE_MAX = 2 ** 53
"""Two stages are searched as one objective only while it stays exact in double precision (CP-SAT's LP)."""


@dataclass(frozen=True)
class Tie:
    weight: int    # W: the tie-breaker's whole range + 1, so one unit of the first stage outweighs it
    high: int      # the tie-breaker's largest value


def tie_breaker(model: cp_model.CpModel, group) -> Tie | None:
    """The second stage as an exact tie-breaker of the first, when the combined objective stays below TIE_MAX."""
    if len(group) < 2:
        return None
    first_low, first_high = expression_range(model, sum(group[0][1]))
    tie_low, tie_high = expression_range(model, sum(group[1][1]))
    weight = tie_high - tie_low + 1
    return Tie(weight, tie_high) if first_low >= 0 and weight * first_high + tie_high < TIE_MAX else None


def expression_range(model: cp_model.CpModel, expr) -> tuple[int, int]:
    """Smallest and largest value a linear expression can take over its variables' domains (read from the model's
    objective proto, so this sets the objective: callers set their own afterwards)."""
    model.minimize(expr)
    objective, variables = model.proto.objective, model.proto.variables
    low = high = int(objective.offset)
    for var, coeff in zip(objective.vars, objective.coeffs):
        domain = list(variables[var].domain)
        low += min(coeff * domain[0], coeff * domain[-1])
        high += max(coeff * domain[0], coeff * domain[-1])
    return low, high
