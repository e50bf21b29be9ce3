"""A12: X-time owed once to a teacher who taught sections in the previous plan and now has a new course."""

from __future__ import annotations

import pandas as pd

from vastaff.check.core import CheckContext, cached, column_mismatches, plan_sections, section_rule
from vastaff.rules import Finding


def _taught(sections: pd.DataFrame) -> pd.DataFrame:
    """(teacher_id, course_id) pairs of staffed sections."""
    return sections.loc[sections.teacher_id.notna(), ["teacher_id", "course_id"]].drop_duplicates()


@cached
def new_courses(ctx: CheckContext) -> pd.DataFrame:
    """(teacher_id, course_id) taught tonight but not in the previous plan, by teachers who taught sections there."""
    if ctx.previous is None:
        return pd.DataFrame(columns=["teacher_id", "course_id"])
    before = _taught(ctx.previous.sections)
    now = _taught(plan_sections(ctx))
    now = now[now.teacher_id.isin(before.teacher_id)]
    new = now.merge(before, on=["teacher_id", "course_id"], how="left", indicator=True)
    return new.loc[new._merge == "left_only", ["teacher_id", "course_id"]].sort_values(["teacher_id", "course_id"])


def previous_not_given(ctx: CheckContext) -> str | None:
    """The previous plan the plan was made against (run.json `previous_plan`; an older plan says only
    `changes_vs_previous`) when this check was not given it — A12 cannot be recomputed then; None otherwise."""
    run = ctx.plan.run if isinstance(ctx.plan.run, dict) else {}
    if ctx.previous is not None:
        return None
    if isinstance(run.get("previous_plan"), str) and run["previous_plan"]:
        return run["previous_plan"]
    claimed = isinstance(run.get("changes_vs_previous"), dict)
    return "a previous plan (run.json changes_vs_previous)" if claimed else None


@cached
def teacher_xtime(ctx: CheckContext) -> pd.DataFrame:
    """Per input teacher: xtime_hours and xtime_cost owed under A12, once per teacher (none without a previous plan).
    When the plan was made against a previous plan this check has not got, the plan's own columns stand (A12 is then
    not checked, and the cost totals are checked on them)."""
    out = ctx.district.teachers[["teacher_id"]].copy()
    if previous_not_given(ctx) is not None:
        given = ctx.plan.teachers.set_index(ctx.plan.teachers.teacher_id.astype(str))
        for column in ("xtime_hours", "xtime_cost"):
            values = pd.to_numeric(given[column], errors="coerce") if column in given else pd.Series(dtype=float)
            out[column] = out.teacher_id.map(values[~values.index.duplicated()]).fillna(0.0).astype(float)
        return out.reset_index(drop=True)
    owed = out.teacher_id.isin(new_courses(ctx).teacher_id)
    out["xtime_hours"] = owed * float(ctx.contract.xtime_hours)
    out["xtime_cost"] = out.xtime_hours * float(ctx.contract.xtime_hourly_rate)
    return out.reset_index(drop=True)


def xtime_detail(ctx: CheckContext, teacher_ids: list[str]) -> dict[str, str]:
    """teacher_id -> why X-time is (not) owed, for the teachers named."""
    if ctx.previous is None:
        return {t: "no previous plan" for t in teacher_ids}
    new = new_courses(ctx)
    new = new[new.teacher_id.isin(set(teacher_ids))]
    courses = new.groupby("teacher_id").course_id.agg(", ".join).to_dict()
    return {t: f"new course(s) since the previous plan: {courses[t]}" if t in courses else "no new course"
            for t in teacher_ids}


@section_rule
def check_a12(ctx: CheckContext) -> list[Finding]:
    """A12 12.0: the plan gives xtime_hours (and their cost) once to each teacher with a new course, and to no one else."""
    if previous_not_given(ctx) is not None:
        return []  # named in the figure `not checked` (check/runner.py)
    return column_mismatches(ctx, teacher_xtime(ctx), {"xtime_hours": "hours", "xtime_cost": "money"}, "A12",
                             detail=xtime_detail)


CHECKS = [check_a12]
