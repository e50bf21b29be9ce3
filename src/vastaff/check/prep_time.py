"""A9.2 (9.0(2)), preparation time: teachers.csv's `prep_time` flags, recomputed from the plan, the previous plan and
the dates.

The dates are the plan's: run.json's `prep_time.first_day` and `prep_time.as_of` (`vastaff check --first-day/--as-of`
replace them). A teacher is owed the flag when the dates are within the model's `assignment_change_notice_days`
(as_of at most that many calendar days before first_day, or after it) and the multiset of (course_id, semester) of
the teacher's sections differs from the previous plan's. Without dates, or without a previous plan, nobody is. The
flags are teachers.csv's `prep_time` column; a plan without that column flags the teachers run.json's
`prep_time.teachers` lists (none without it).
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from vastaff.check.core import PLAN_TEACHERS, CheckContext, RowRef, section_rule, teacher_label, violation
from vastaff.rules import Finding

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _sections_per_course(sections: pd.DataFrame | None) -> pd.Series:
    """(teacher_id, course_id, semester) -> sections, staffed sections only."""
    if sections is None or sections.empty:
        return pd.Series(dtype="int64")
    s = sections[sections.teacher_id.notna()][["teacher_id", "course_id", "semester"]].astype(str)
    return s.groupby(["teacher_id", "course_id", "semester"]).size()


def changed(ctx: CheckContext) -> set[str]:
    """Teachers whose sections per (course, semester) differ between the previous plan and this one."""
    if ctx.previous is None:
        return set()
    both = pd.concat([_sections_per_course(ctx.previous.sections).rename("before"),
                      _sections_per_course(ctx.plan.sections).rename("now")], axis=1).fillna(0)
    differ = both[both.before != both.now]
    return set(differ.index.get_level_values(0))


def _date(run_block: dict, key: str) -> tuple[date | None, str | None]:
    """(the date, None) or (None, what is wrong) for run.json's prep_time.<key>."""
    text = run_block.get(key)
    if not isinstance(text, str) or not DATE.fullmatch(text):
        return None, f"run.json prep_time.{key}: got {text!r}, expected a date YYYY-MM-DD"
    try:
        return date.fromisoformat(text), None
    except ValueError:
        return None, f"run.json prep_time.{key}: got {text!r}, expected a date YYYY-MM-DD"


def expected_flags(ctx: CheckContext) -> tuple[set[str], str, list[str]]:
    """The teachers owed prep_time, why the others are not (one reason), and problems with the plan's dates."""
    block = ctx.plan.run.get("prep_time") if isinstance(ctx.plan.run, dict) else None
    if not isinstance(block, dict):
        return set(), "the plan gives no first day of instruction (vastaff solve/check --first-day)", []
    (first, bad_first), (as_of, bad_as_of) = _date(block, "first_day"), _date(block, "as_of")
    problems = [p for p in (bad_first, bad_as_of) if p]
    if problems:
        return set(), "the plan's dates are not readable", problems
    days, notice = (first - as_of).days, ctx.contract.assignment_change_notice_days
    when = f"as of {as_of}, {days} calendar day(s) before the first day of instruction {first}"
    if days > notice:
        return set(), f"{when}: more than the {notice} notice days", []
    if ctx.previous is None:
        return set(), "there is no previous plan to compare with", []
    return changed(ctx), f"their sections did not change against the previous plan ({when})", []


@section_rule
def check_a9_2(ctx: CheckContext) -> list[Finding]:
    """A9.2 9.0(2): prep_time is true exactly for the teachers whose sections changed within the notice days."""
    owed, why_not, problems = expected_flags(ctx)
    out = [violation("A9.2", p) for p in problems]
    t = ctx.plan.teachers
    block = ctx.plan.run.get("prep_time") or {}
    flags = t.prep_time.astype(bool) if "prep_time" in t.columns else t.teacher_id.astype(str).isin(
        block.get("teachers") or [])
    for teacher, flag in sorted(zip(t.teacher_id.astype(str), flags)):
        want = teacher in owed
        if flag == want:
            continue
        because = (f"their sections changed against the previous plan, as of {block.get('as_of')}, within "
                   f"{ctx.contract.assignment_change_notice_days} calendar days before the first day of instruction "
                   f"{block.get('first_day')}") if want else why_not
        out.append(violation("A9.2", f"teacher {teacher_label(ctx, teacher)}: prep_time is {str(flag).lower()}, "
                                     f"expected {str(want).lower()}: {because}", [RowRef(PLAN_TEACHERS, teacher)]))
    return out


CHECKS = [check_a9_2]
