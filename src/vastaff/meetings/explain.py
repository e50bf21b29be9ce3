"""Why a request's meetings were not all scheduled, in contract terms (one Finding per short request).

Three cases, in order. (1) Blocked before any search: the request can hold no meeting at all (too long, no usable
day in its window; problem.py). (2) The request alone could not be met: fewer weeks with a usable day than
meetings (A4.1 or A4.2 one a week, with A4.3's instructional days), or the A4.2 month and school-year limits leave
fewer. (3) Its audience's other meetings take the room it needs — all of it, or (with (2)) some of what its own
limits leave: the requests sharing a teacher with it in the same family (and, for A4.3, the pd/plt meetings a
faculty-type meeting may not share a day with). Stage 1 of the model proved the total the most any calendar holds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from vastaff.meetings.problem import Request, SchoolProblem, Slot
from vastaff.rules import Finding

FAMILY = {"A4.1": "pd/plt", "A4.2": "faculty, grade-level, staff-development or committee"}


def shortfalls(p: SchoolProblem, slots: dict[str, list[Slot]], alone: dict[str, int]) -> list[Finding]:
    """A Finding for every request of the school that holds fewer meetings than its count, in request order;
    `alone`: each request's most meetings by its own limits (cpsat.best_alone)."""
    out = []
    for r, req in sorted(p.requests.items()):
        held = len(slots.get(r, ()))
        if held < req.count:
            out.append(req.blocked or _finding(p, req, held, slots, alone[r]))
    return out


def _finding(p: SchoolProblem, req: Request, held: int, slots: dict[str, list[Slot]], alone: int) -> Finding:
    head = (f"request {req.request_id} ({req.kind}, audience {req.audience}): {req.count - held} of {req.count} "
            f"meetings not scheduled: ")
    own = _alone(p, req, alone) if alone < req.count else None
    if own is not None and held >= alone:
        return Finding(own[0], head + own[1], (req.ref,))
    rivals = _rivals(p, req, slots)
    rules = (req.rule, "A4.3") if any(r in rivals for r in _day_conflicts(p, req)) else (req.rule,)
    shown = ", ".join(sorted(rivals)) or "none"
    why = (f"alone it could hold {min(alone, req.count)}, but teachers of its audience also attend {shown}, whose "
           f"meetings take the weeks it could use (at most {_per_week(p, req)} {FAMILY[req.rule]} meeting a week"
           + (f", {p.limits.per_month} a month, {p.limits.per_school_year} a school year" if req.rule == "A4.2" else "")
           + ("; a pd/plt and a faculty-type meeting that cannot share a day" if "A4.3" in rules else "") + ")")
    if own is not None:  # both: its own limits leave fewer than its count, and other meetings take some of those
        rules, why = tuple(dict.fromkeys((*own[0], *rules))), f"{own[1]}; {why}"
    return Finding(rules, head + why, (req.ref, *(p.requests[r].ref for r in sorted(rivals))))


def _per_week(p: SchoolProblem, req: Request) -> int:
    return p.limits.pd_plt_per_week if req.rule == "A4.1" else p.limits.per_week


def _alone(p: SchoolProblem, req: Request, alone: int) -> tuple[tuple[str, ...], str]:
    """Rules and reason when the request's own limits leave fewer than its count."""
    weeks: dict = defaultdict(int)
    for d in req.days:
        weeks[d - dt.timedelta(days=d.weekday())] += 1
    by_week = sum(min(n, _per_week(p, req)) for n in weeks.values())
    day = "instructional Tuesday" if req.rule == "A4.1" else "instructional day"
    if by_week <= alone:
        held_weeks = f"{len(weeks)} week{'' if len(weeks) == 1 else 's'}"
        return (req.rule, "A4.3"), (f"its window holds {held_weeks} with an {day} (A4.3), and a teacher "
                                    f"attends at most {_per_week(p, req)} {FAMILY[req.rule]} meeting a week")
    return ("A4.2",), (f"at most {p.limits.per_month} such meetings a calendar month and {p.limits.per_school_year} "
                       f"a school year: {alone} fit its window")


def _rivals(p: SchoolProblem, req: Request, slots: dict[str, list[Slot]]) -> set[str]:
    """Requests sharing a teacher with `req` whose meetings use its family's limits (or its days, A4.3)."""
    shared = {r for c in p.classes if req.request_id in c for r in c} - {req.request_id}
    family = {r for r in shared if p.requests[r].rule == req.rule and slots.get(r)}
    return family | (_day_conflicts(p, req) & {r for r in shared if slots.get(r)})


def _day_conflicts(p: SchoolProblem, req: Request) -> set[str]:
    """The requests `req` cannot share a day with (A4.3 pairs)."""
    return {b if a == req.request_id else a for a, b, _ in p.conflicts if req.request_id in (a, b)}
