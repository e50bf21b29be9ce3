"""DEMAND — a vacancy only when unavoidable (docs/contract.md, DEMAND: "A section no eligible teacher can take is a
vacancy ...: allowed only when unavoidable"), checked on the plan as it stands.

A vacant section is reported when a teacher of its school and level could take it without moving any other section:
qualified for it (CRED), not kept from it by a lock, and with room — no homeroom yet (elementary), or, in every
semester it meets, an academic period their locks leave free where it fits beside their sections (A6.1/A6.2) and
a course under the A6.3 limit or a stipend consent (secondary). That is the reading of 9.0(1)'s would-be vacancy
(`check.matrix.could_take`); with none, a teacher of another level who asked to move to it (matrix.csv, 9.0(1))
counts the same way. A vacancy only a reshuffle of other sections could fill is not found here, and a plan's
stated reason is not needed to find it. Under `band_mean_scope: teacher` a general or ELD vacancy is left alone: the
taker's own band mean (A8.1) might not hold it.
"""

from __future__ import annotations

from vastaff.check.core import (
    SECTIONS, TEACHERS, CheckContext, RowRef, course_label, each, finding, section_rule, sections_full, short_list,
    teacher_label,
)
from vastaff.check.matrix import could_take
from vastaff.rules import Finding

MEAN_PROGRAMS = ("general", "eld")


@section_rule
def check_no_avoidable_vacancy(ctx: CheckContext) -> list[Finding]:
    """DEMAND: no vacant section a qualified teacher of its school and level has room and no lock against."""
    s = sections_full(ctx)
    vacant = s[s.vacancy & s.course_school.notna()].drop_duplicates("section_id")
    if ctx.contract.band_mean_scope == "teacher":
        vacant = vacant[~vacant.program.isin(MEAN_PROGRAMS)]
    out, seen = [], {}
    for r in each(vacant.sort_values("section_id")):
        key = (r.course_id, r.lo, r.hi, r.semester)  # alike sections have alike takers: one look per kind
        takers, who = seen[key] if key in seen else seen.setdefault(key, _takers(ctx, r))
        if takers:
            out.append(finding("DEMAND", (
                f"section {r.section_id} of {course_label(ctx, r.course_id)} is a vacancy, but "
                f"{short_list(teacher_label(ctx, t) for t in takers)} ({who}) could take it as the plan stands; a "
                f"vacancy is allowed only when unavoidable"),
                [RowRef(SECTIONS, r.section_id), *(RowRef(TEACHERS, t) for t in takers)]))
    return out


def _takers(ctx: CheckContext, r) -> tuple[list[str], str]:
    """Who could take the vacancy, and how to say who they are: its level's teachers, else those who asked to move
    to its level (9.0(1): it would otherwise be a vacancy)."""
    own = could_take(ctx, r)
    if own:
        return own, f"{r.level}, school {r.course_school}"
    return could_take(ctx, r, movers=True), f"asked to move to {r.level} in matrix.csv, 9.0(1)"


CHECKS = [check_no_avoidable_vacancy]
