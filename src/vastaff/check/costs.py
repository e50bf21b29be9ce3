"""COSTS: the plan's money (teachers.csv stipends, run.json totals) recomputed from its sections and the contract.

The multi-grade columns are compared by A8.5 and the X-time columns by A12 (their own rule IDs); this module
compares the course counts and stipends per teacher, and every total of run.json `costs`.
"""

from __future__ import annotations

import pandas as pd

from vastaff.check.class_size import teacher_multigrade
from vastaff.check.core import (
    MONEY_TOLERANCE, CheckContext, RowRef, cached, column_mismatches, fmt_money, has_section_plan,
    section_rule, violation,
)
from vastaff.check.courses import teacher_courses
from vastaff.check.xtime import teacher_xtime
from vastaff.rules import Finding

TEACHER_COLUMNS = {"courses_s1": "count", "courses_s2": "count", "stipend_courses": "count", "stipend_cost": "money"}


@cached
def recomputed_teachers(ctx: CheckContext) -> pd.DataFrame:
    """Every cost column of teachers.csv recomputed per input teacher."""
    return (teacher_courses(ctx)
            .merge(teacher_multigrade(ctx), on="teacher_id")
            .merge(teacher_xtime(ctx), on="teacher_id"))


@cached
def recomputed_totals(ctx: CheckContext) -> dict[str, float]:
    """stipend, multigrade, xtime and total cost of the plan, recomputed."""
    t = recomputed_teachers(ctx)
    totals = {"stipend": float(t.stipend_cost.sum()), "multigrade": float(t.multigrade_cost.sum()),
              "xtime": float(t.xtime_cost.sum())}
    totals["total"] = totals["stipend"] + totals["multigrade"] + totals["xtime"]
    return {k: round(v, 2) for k, v in totals.items()}


@section_rule
def check_teacher_costs(ctx: CheckContext) -> list[Finding]:
    """COSTS: courses_s1, courses_s2, stipend_courses and stipend_cost of teachers.csv equal the recomputed values."""
    return column_mismatches(ctx, recomputed_teachers(ctx), TEACHER_COLUMNS, "COSTS")


@section_rule
def check_run_costs(ctx: CheckContext) -> list[Finding]:
    """COSTS: run.json costs {stipend, multigrade, xtime, total} equal the recomputed totals."""
    costs = (ctx.plan.run or {}).get("costs")
    if costs is None:
        return []  # a plan made by hand may leave its totals out
    if not isinstance(costs, dict):
        return [violation("COSTS", f"run.json costs is {costs!r}, expected an object of dollar totals: stipend, "
                                   "multigrade, xtime, total", [RowRef("run.json", "costs")])]
    totals = recomputed_totals(ctx)
    out = []
    for key, value in totals.items():
        if key not in costs:
            continue
        try:
            given = float(costs[key])
        except (TypeError, ValueError):
            given = None
        if given is None or abs(given - value) > MONEY_TOLERANCE:
            shown = fmt_money(given) if given is not None else repr(costs[key])
            out.append(violation("COSTS", f"run.json costs.{key} is {shown}, recomputed {fmt_money(value)}",
                                 [RowRef("run.json", f"costs.{key}")]))
    return out


def cost_figures(ctx: CheckContext) -> dict:
    """Costs recomputed from the plan and the contract model."""
    if not has_section_plan(ctx):
        return {}
    t = recomputed_teachers(ctx)
    return {"costs": {**recomputed_totals(ctx),
                      "stipend_courses": int(t.stipend_courses.sum()),
                      "multigrade_sections": int(t.multigrade_sections.sum()),
                      "xtime_teachers": int((t.xtime_hours > 0).sum())}}


CHECKS = [check_teacher_costs, check_run_costs]
FIGURES = [cost_figures]
