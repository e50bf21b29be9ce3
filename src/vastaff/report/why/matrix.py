"""A9.1 — the matrix per teacher (9.0; IX-A 2.0(c)-(d); 9.0(1)): the rank the plan gives each teacher with choices
in matrix.csv and, when it is not their first choice, why not — who holds it (more senior: seniority decided; junior:
what keeps them there) or which rule keeps the teacher from it (CRED, A6.1, A6.3, LOCK).

Readings are the checker's (check/matrix.py): a grade is granted by a homeroom holding students of it, a course by a
section of it, a level by a section of that level; the rank received is the best granted; seniority is District
seniority (earlier seniority_date, then lower tiebreak, then ID).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Iterator

import pandas as pd

from vastaff.check.matrix import choices
from vastaff.check.matrix_locks import in_the_way
from vastaff.report.why.index import Index, unfit
from vastaff.report.why.lines import SHOWN, cols, empty, grouped, id_list, lines, plural, semesters
from vastaff.report.why.tables import GRADES, Tables, grade_range

TERMS = {"1": (1,), "2": (2,), "year": (1, 2)}
SHOWN_JUNIORS = 3
"""Junior holders of a first choice explained one by one; the rest are counted."""


def _grade(ix: Index, tid: str, g: int) -> list[tuple[str, str, tuple]]:
    """Why the teacher holds no homeroom of grade g: it is outside their grades, none exists, a more senior teacher
    holds it, or a junior holds it for a reason (CRED either way, a lock; else a blocking pair the checker reports)."""
    t, me = ix.t, ix.teacher[tid]
    if not me.grade_min <= g <= me.grade_max:
        return [("CRED", f"grade {GRADES[g]} is outside their grades {grade_range(me.grade_min, me.grade_max)}", ())]
    holders = [h for h in ix.grade_holders.get((me.school_id, g), [])
               if h[0] != tid and h[0] in t.place]  # a hand-edited plan may name a teacher the data lacks
    vacant = _vacant_homeroom(ix, tid, g)
    if not holders:
        return vacant or [("DEMAND", f"no homeroom of {me.school_id} holds grade {GRADES[g]}", ())]
    seniors = [h for h in holders if t.place[h[0]] < t.place[tid]]
    juniors = sorted((h for h in holders if t.place[h[0]] > t.place[tid]), key=lambda h: -t.place[h[0]])
    out = [("A9.1", "held by more senior " + id_list(seniors, show=lambda h: f"{t.who(h[0])} in {h[1]}"),
            _refs(seniors))] if seniors else []
    own = ix.homeroom.get(tid)
    out += [_junior(ix, tid, own, *h) for h in juniors[:SHOWN_JUNIORS]]
    if len(juniors) > SHOWN_JUNIORS:
        more = len(juniors) - SHOWN_JUNIORS
        out.append(("A9.1", f"and {more} more junior holder{'s' if more > 1 else ''}", ()))
    return out + vacant


def _vacant_homeroom(ix: Index, tid: str, g: int) -> list[tuple[str, str, tuple]]:
    """A vacant homeroom of grade g at the teacher's school, named (an audit found the "why" silent on it): taking it
    would leave the teacher's own homeroom vacant instead — no fewer vacancies, so the plan's later stages (last
    night's plan first, then the matrix) decide."""
    me, own = ix.teacher[tid], ix.homeroom.get(tid)
    vacant = ix.vacant_grades.get((me.school_id, g), [])
    if not vacant:
        return []
    which = f"{'homeroom' if len(vacant) == 1 else 'homerooms'} {id_list(vacant)} of grade {GRADES[g]} " \
            f"{'is' if len(vacant) == 1 else 'are'} vacant"
    instead = f": taking one would leave their own homeroom {own[0]} vacant instead" if own else ""
    return [("DEMAND", which + instead, tuple(("sections.csv", sid) for sid in vacant[:SHOWN]))]


def _junior(ix: Index, tid: str, own: tuple[str, str] | None, j: str, sec: str, course: str) -> tuple:
    """What keeps junior J in the homeroom `sec` the teacher ranked first: CRED (the teacher may not teach it, or J
    may not take the teacher's homeroom `own` in exchange), a lock, or nothing — a blocking pair the A9.1 check
    reports."""
    t = ix.t
    held, rows = f"junior {t.who(j)} holds it in {sec}", _refs([(j, sec)])
    mine = unfit(ix, tid, course, *ix.span[sec])
    if mine:
        return "CRED", f"{held}, which they may not teach: {mine}", rows
    back = unfit(ix, j, own[1], *ix.span[own[0]]) if own else ""
    if back:
        return "CRED", f"{held} and may not take their homeroom {own[0]} in exchange: {back}", rows
    locks = in_the_way(t.check, tid, own[1] if own else None, own[0] if own else None, j, course, sec)
    if locks:
        return "LOCK", f"{held}; locks.csv stands in the way of a swap ({id_list(locks)})", rows
    could = "swap" if own else "give it up"
    return "A9.1", f"{held} and could {could}: a blocking pair, which vastaff check reports", rows


def _course(ix: Index, tid: str, course_id: str) -> list[tuple[str, str, tuple]]:
    """Why the teacher teaches no section of the course: what keeps them from it (CRED, LOCK, A6.1, A6.3), and its
    holders — more senior (seniority decided) or junior (secondary choices are a preference, IX-A 2.0(d))."""
    t, c = ix.t, ix.course.get(course_id)
    if c is None:
        return [("DEMAND", f"{course_id} has no demand, so no section", ())]
    out = _kept_from(ix, tid, c)
    held: dict[str, str] = {}
    for j, sec in ix.course_holders.get(course_id, []):
        if j in t.place:  # not a teacher the data lacks (a hand edit's typo)
            held.setdefault(j, sec)
    held.pop(tid, None)
    seniors = [(j, s) for j, s in held.items() if t.place[j] < t.place[tid]]
    juniors = [(j, s) for j, s in held.items() if t.place[j] > t.place[tid]]

    def held_by(h: tuple[str, str]) -> str:
        return f"{t.who(h[0])} ({h[1]})"

    if seniors:
        out.append(("A9.1", "held by more senior " + id_list(seniors, show=held_by), _refs(seniors)))
    if juniors:
        why = "" if any(r != "A9.1" for r, _, _ in out) else (
            ": secondary choices weigh seniority with program needs (IX-A 2.0(d)), after vacancies, money and "
            "stability; a preference, not a hard rule")
        out.append(("A9.1", f"{'also ' if out else ''}held by junior " + id_list(juniors, show=held_by) + why,
                    _refs(juniors)))
    return out or [("DEMAND", "no teacher holds a section of it", ())]


def _kept_from(ix: Index, tid: str, c) -> list[tuple[str, str, tuple]]:
    """What keeps the teacher from a section of course `c`: CRED, a lock, full periods (A6.1) or the course limit
    without stipend consent (A6.3), in every semester the course meets."""
    t, me = ix.t, ix.teacher[tid]
    out = []
    why = unfit(ix, tid, c.course_id, int(c.lo), int(c.hi), whole=False)
    if why:
        out.append(("CRED", f"they may not teach it: {why}", ()))
    locks = ix.forbidden.get((tid, c.course_id), [])
    if locks:
        out.append(("LOCK", f"locks.csv keeps them from it ({id_list(locks)})", tuple(("locks.csv", k) for k in locks)))
    terms = TERMS.get(str(c.semester), (1, 2))
    full = [term for term in terms if (tid, term) in ix.full]
    if full:
        out.append(("A6.1", f"their academic periods are full in {semesters(full)}", ()))
    limit = t.ctx.contract.max_courses_per_semester
    capped = [term for term in terms if ix.courses_in.get((tid, term), 0) >= limit]
    if capped and not me.stipend_consent:
        out.append(("A6.3", f"they teach {limit} courses in {semesters(capped)}, the limit without stipend consent",
                    ()))
    return out


def _level(ix: Index, tid: str, level: str) -> list[tuple[str, str, tuple]]:
    """Why no level move: no course of that level fits them (CRED), or every section of it found a teacher of the
    level (9.0(1): a move only into a would-be vacancy)."""
    me = ix.teacher[tid]
    fit = [c for c in ix.course.values() if c.school_id == me.school_id and c.level == level
           and c.credential in me.credentials and not (c.hi < me.grade_min or c.lo > me.grade_max)]
    if not fit:
        return [("CRED", f"no {level} course of {me.school_id} fits their credential ({me.creds or 'none'}) and "
                         f"grades {grade_range(me.grade_min, me.grade_max)}", ())]
    vacant = sum(ix.vacant[c.course_id] for c in fit)
    found = (f"every {level} section they could teach found one" if not vacant else
             f"{plural(vacant, 'section')} of the {level} courses they could teach stay vacant nonetheless")
    return [("A9.1", f"a move to {level} is granted only into a section no {level} teacher of {me.school_id} can "
                     f"take (9.0(1)); {found}", ())]


def _refs(holders) -> tuple:
    """The rows of the holders a message names (the first SHOWN)."""
    return tuple(r for h in holders[:SHOWN] for r in (("teachers.csv", h[0]), ("sections.csv", h[1])))


def _describe(ix: Index, kind: str, value) -> str:
    if kind == "grade":
        return f"grade {GRADES[int(value)]}"
    if kind == "course_id":
        return f"course {ix.t.course_label.get(value, value)}"
    return f"a move to {value}"


@dataclass(frozen=True)
class Outcome:
    """One teacher's matrix outcome: the granted line, why not the first choice (None when it was granted), and why
    not each other choice they ranked above what they got (every other, when none was granted)."""

    teacher_id: str
    granted: tuple[tuple[str, ...], str, tuple]
    why_not: tuple[tuple[str, ...], str, tuple] | None
    also_not: tuple[tuple[tuple[str, ...], str, tuple], ...] = ()


def outcomes(t: Tables) -> list[Outcome]:
    """Every teacher with choices, most senior first (computed once per Tables)."""
    return t.once("matrix.outcomes", _outcomes)


VALUE = {"grade": 2, "course_id": 3, "level": 4}
"""Where a choice row (rank, kind, grade, course_id, level, key) holds the value of its kind."""


def _outcomes(t: Tables) -> list[Outcome]:
    return list(_each_outcome(t))


def _each_outcome(t: Tables) -> Iterator[Outcome]:
    """`outcomes`, one at a time (a summary stops after its first few)."""
    if t.ctx.district.matrix.empty:
        return
    ix = t.once("matrix.index", Index)
    c = choices(t.check)
    c = c[c.teacher_id.isin(t.teachers.index)]
    rows = grouped(c.teacher_id, cols(c["rank"], c.kind, c.grade, c.course_id, c.level, c.key))
    for tid in sorted(rows, key=t.place.get):
        yield _outcome(ix, tid, sorted(rows[tid], key=lambda r: r[0]))


def _outcome(ix: Index, tid: str, mine: list[tuple]) -> Outcome:
    """The rank received (the best choice a section of theirs grants, as check/matrix.py's `granted` reads it) and,
    for each choice ranked above it (every choice, when none was granted), why not: a matrix fuzz found a teacher
    given neither of two grades told only why not the first."""
    first = mine[0]
    got = next(((r, sid) for r in mine if (sid := ix.granting.get((tid, r[1], r[VALUE[r[1]]])))), None)
    if got is None:
        head = f"matrix: no choice of theirs granted ({plural(len(mine), 'choice')} listed)"
        rows: tuple = (("teachers.csv", tid),)
    else:
        row, sid = got
        which = "first choice" if row is first else f"choice {row[0]} of {len(mine)}"
        head = f"matrix: {which} granted, {_describe(ix, row[1], row[VALUE[row[1]]])} ({sid})"
        rows = (("teachers.csv", tid), ("matrix.csv", row[5]), ("sections.csv", sid))
        if row is first:
            return Outcome(tid, (("A9.1",), head, rows), None)
    missed = [_why_not(ix, tid, r, r is first) for r in mine if got is None or r[0] < got[0][0]]
    return Outcome(tid, (("A9.1",), head, rows), missed[0], tuple(missed[1:]))


def _why_not(ix: Index, tid: str, choice: tuple, first: bool) -> tuple[tuple[str, ...], str, tuple]:
    """Why the plan does not grant the teacher this choice (a matrix.csv row): rules, message, rows."""
    kind, wanted = choice[1], choice[VALUE[choice[1]]]
    reasons = {"grade": lambda: _grade(ix, tid, int(wanted)), "course_id": lambda: _course(ix, tid, wanted),
               "level": lambda: _level(ix, tid, wanted)}[kind]()
    rules = tuple(dict.fromkeys(["A9.1", *(r for r, _, _ in reasons)]))
    which = "their first choice" if first else f"their choice {choice[0]}"
    text = f"not {which}, {_describe(ix, kind, wanted)}: " + "; ".join(m for _, m, _ in reasons)
    refs = (("teachers.csv", tid), ("matrix.csv", choice[5])) + tuple(x for _, _, r in reasons for x in r)
    return rules, text, refs


def matrix_lines(t: Tables) -> pd.DataFrame:
    """A9.1: per teacher with choices, the rank received and, below a first choice, why not each better one."""
    found = [(o.teacher_id, *line) for o in outcomes(t) for line in (o.granted, o.why_not, *o.also_not)
             if line is not None]
    if not found:
        return empty()
    frame = pd.DataFrame(found, columns=["teacher_id", "rules", "message", "rows"])
    return lines("matrix", frame.teacher_id, list(frame.rules), frame.message, frame.rows)


def missed_count(t: Tables) -> int | None:
    """How many teachers did not get their first choice, when every outcome is known already (the report made
    them); None otherwise (a solve without reports finds only the first few)."""
    return sum(o.why_not is not None for o in outcomes(t)) if "matrix.outcomes" in t.memo else None


def summary_lines(t: Tables, limit: int = 5) -> list[str]:
    """The most senior teachers who did not get their first choice, one line each with the reason (after a solve
    without reports, only as many teachers' outcomes as it takes to find them)."""
    found = outcomes(t) if "matrix.outcomes" in t.memo else _each_outcome(t)
    missed = list(islice((o for o in found if o.why_not is not None), limit))
    me = t.once("matrix.index", Index).teacher
    return [f"{t.who(o.teacher_id)}, {me[o.teacher_id].school_id} {me[o.teacher_id].level}: "
            f"{o.granted[1].removeprefix('matrix: ')}; {o.why_not[1]}" for o in missed]
