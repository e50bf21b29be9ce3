"""A10, A10.1, A11 — the form of a displacement plan, beside check/displacement.py's outcomes: a plan whose run.json
says `vastaff displace` made it has its displacement.csv, and each row's `article` is its outcome's
(docs/data-format.md, "displacement.csv": retained 10.0, moved_level 10.0(1), displaced 11.0), and a displaced
teacher's `to_level` is blank. Also which X-time columns the file has: an older plan's has none, which
check/displacement.py's A12 names once instead of reading X-time 0 for every teacher moved level."""

from __future__ import annotations

import pandas as pd

from vastaff.check.core import CheckContext, RowRef, cached, finding, fmt_money, short_list
from vastaff.check.iep import clean_ids
from vastaff.io.tables import TableSource
from vastaff.rules import Finding, article

DISPLACEMENT = "displacement.csv"
XTIME_COLUMNS = ("xtime_hours", "xtime_cost")
"""A12 on displacement (docs/contract.md, A12 "On displacement"; docs/data-format.md, displacement.csv): a file
written before them lacks them."""


@cached
def missing_xtime_columns(ctx: CheckContext) -> tuple[str, ...]:
    """The X-time columns displacement.csv lacks: a file of the format before A12 on displacement. The loader fills
    them with 0 (schemas/plan.py PLAN_OPTIONAL), so the header of the plan's file (or sheet) is read here; a plan
    built in memory is its frame."""
    d = ctx.plan.displacement
    if d is None:
        return ()
    columns = set(d.columns)
    if ctx.plan.path:
        source = TableSource.open(ctx.plan.path)
        try:
            header = source.read("displacement").columns if source.has("displacement") else ()
            columns = set(header) if "teacher_id" in header else columns  # a file it cannot read: as loaded
        finally:
            source.close()
    return tuple(c for c in XTIME_COLUMNS if c not in columns)


def check_displacement_file(ctx: CheckContext) -> list[Finding]:
    """STRUCTURE: run.json's `command: displace` without a displacement.csv with rows (missing, or 0 bytes) would
    leave every A10/A10.1/A11 outcome unchecked; said, not passed in silence."""
    run = ctx.plan.run if isinstance(ctx.plan.run, dict) else {}
    if ctx.plan.displacement is not None or run.get("command") != "displace":
        return []
    return [finding("STRUCTURE", "run.json says vastaff displace made this plan, but displacement.csv is missing or "
                    "empty: no teacher's outcome (A10, A10.1, A11) can be checked", (RowRef(DISPLACEMENT, ""),))]


def check_outcome_articles(ctx: CheckContext) -> list[Finding]:
    """A10/A10.1/A11: a row's `article` is the article of its outcome's rule (a retained teacher 10.0, a level move
    10.0(1), a displaced teacher 11.0); a row with an unknown outcome is check/displacement.py's to report."""
    d = ctx.plan.displacement
    if d is None or "article" not in d.columns:
        return []
    rows = pd.DataFrame({"teacher_id": clean_ids(d["teacher_id"]), "outcome": clean_ids(d["outcome"]),
                         "article": d["article"].astype(object)}).drop_duplicates("teacher_id")
    out = []
    for tid, outcome, given in rows.itertuples(index=False):
        rule = RULE_OF.get(outcome)
        if rule is None or str(given).strip() == article(rule):
            continue
        shown = "(blank)" if pd.isna(given) or not str(given).strip() else given
        out.append(finding(rule, f"teacher {tid} is {outcome} under article {shown}; that outcome is article "
                                 f"{article(rule)} ({rule})", (RowRef(DISPLACEMENT, str(tid)),)))
    return out


def check_displaced_without_level(ctx: CheckContext) -> list[Finding]:
    """A11: a displaced teacher has no level to go to — displacement.csv's `to_level` is blank for them (a level
    there read as a move that never happened; an audit's edit passed unseen)."""
    d = ctx.plan.displacement
    if d is None or "to_level" not in d.columns:
        return []
    rows = pd.DataFrame({"teacher_id": clean_ids(d["teacher_id"]), "outcome": clean_ids(d["outcome"]),
                         "to_level": clean_ids(d["to_level"])}).drop_duplicates("teacher_id")
    wrong = rows[(rows.outcome == "displaced") & rows.to_level.notna()]
    return [finding("A11", f"teacher {tid} is displaced but has to_level {level}; a displaced teacher's to_level is "
                           "blank (they report to the priority site, at no level)", (RowRef(DISPLACEMENT, str(tid)),))
            for tid, level in zip(wrong.teacher_id, wrong.to_level)]


def xtime_not_stated(ctx: CheckContext) -> tuple[str, list[str]]:
    """(message, teacher IDs) when displacement.csv lacks X-time columns (a file of the format before A12 on
    displacement) while teachers moved level are owed X-time: the file states none for them (it names none of them
    paid 0), so check/displacement.py says it once and compares only the columns the file has. ("", []) otherwise."""
    missing, d = missing_xtime_columns(ctx), ctx.plan.displacement
    if not missing:
        return "", []
    ids = sorted(set(clean_ids(d.loc[clean_ids(d["outcome"]) == "moved_level", "teacher_id"]).dropna().astype(str)))
    if not ids:
        return "", []
    hours = float(ctx.contract.xtime_hours)
    each = f"{hours:g} h, {fmt_money(hours * float(ctx.contract.xtime_hourly_rate))} each"
    return (f"displacement.csv has no {' or '.join(missing)} column (a file of the format before A12 on displacement): "
            f"the X-time owed to the {len(ids)} teacher(s) moved level ({each}) is not stated, so it cannot be "
            f"checked: {short_list(ids)}", ids)


RULE_OF = {"retained": "A10", "moved_level": "A10.1", "displaced": "A11"}
"""displacement.csv's outcome -> the rule it is decided under."""


CHECKS = [check_displacement_file, check_outcome_articles, check_displaced_without_level]
