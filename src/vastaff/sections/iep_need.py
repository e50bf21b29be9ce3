"""The A7.1/A7.2 coupling's data: which teachers tonight's section plan must leave for the blank-list IEP meetings.

A meeting with a blank eligible list goes to a general-education teacher who teaches its grade tonight (A7.1), and
one teacher holds one meeting at a time (A7.2). Meetings that overlap each other all at once (a clique: in a day's
intervals, the meetings running when one of them starts) need as many *different* teachers, each teaching the grade
of the meeting they hold: a matching, which exists exactly when every set of the clique's grades has at least as many
teachers (teaching one of them) as it has meetings (Hall). So the need is a list of (grades, teachers, excluded) rows:
at least `teachers` different general teachers, not in `excluded`, each teaching one of `grades`. Two meetings of
grades 7 and 8 at 10:00 need two teachers even when one teacher teaches both grades.

A teacher who is surely busy at a meeting does not count for it (`excluded`): the one teacher an overlapping named
meeting lists, or one in a scheduled meeting then (meetings.csv; A4.3). A teacher among several a named meeting lists
still counts: the others may hold it.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import numpy as np
import pandas as pd

from vastaff.schemas.fields import minutes_of_day
from vastaff.sections.plain import grouped

IEP_NEED_COLUMNS = ["grades", "teachers", "excluded"]
ALL_SUBSETS_UP_TO = 6
"""Grades of one clique whose every subset is a row (Hall's condition in full); above it, single grades and the whole
set (a clique of seven grades at one hour is beyond any school's calendar)."""
NAMED_SUBSETS_UP_TO = 3
"""Meetings with a list of several teachers held beside a clique: its rows take every set of up to this many of them
(each row is a necessary condition, so fewer rows only ask less)."""


def no_iep_need() -> pd.DataFrame:
    return pd.DataFrame(columns=IEP_NEED_COLUMNS)


def room_for_meetings(shapes: pd.DataFrame, need: pd.DataFrame, seats: dict[tuple[str, int], int],
                      general: set | None = None) -> pd.DataFrame:
    """A school's shapes with room for the teachers its meetings need (`seats`: (course_id, grade) -> students):
    `k_max` is the fewest sections that seat the students, so two overlapping grade-3 meetings and 20 grade-3 students
    allowed one homeroom, one teacher, and no plan (two homerooms of 10 hold them). Where a grade set's single-grade
    shapes cannot open as many sections as it needs teachers (and those it counts out, who may teach them too), each
    of them may open that many more, never more sections than students. Multi-grade shapes do not count: they cost
    money (A8.5), and two grade-10 meetings at once were met by a $600 section of 9 + 10 where two grade-10 sections
    cost nothing. Nor do shapes no general teacher may take (`general`: the sids some general-education teacher may;
    None: all): a special-education course of grade 11 made its grade look served."""
    if need.empty or shapes.empty:
        return shapes
    grades_of = list(zip(shapes.course_id.tolist(), shapes.grades.tolist()))
    single = [len(g) == 1 and (general is None or sid in general)
              for sid, (_, g) in zip(shapes.sid.tolist(), grades_of)]
    k_now = shapes.k_max.tolist()
    extra = [0] * len(shapes)
    for grades, needed, excluded in zip(*(need[c].tolist() for c in IEP_NEED_COLUMNS)):
        wanted = set(grades)  # the teachers counted out may teach these grades too: room for them as well
        short = int(needed) + len(excluded) - int(sum(k for (_, g), k, one in zip(grades_of, k_now, single)
                                                      if one and g[0] in wanted))
        for i, (_, g) in enumerate(grades_of):
            if short > 0 and single[i] and g[0] in wanted:
                extra[i] = max(extra[i], short)
    if not any(extra):
        return shapes
    k_max = [min(k + x, max(k, seats.get((c, g[0]), k))) if x else k
             for (c, g), k, x in zip(grades_of, k_now, extra)]
    return shapes.assign(k_max=np.array(k_max, dtype="int64"))


def single_grades(need: pd.DataFrame) -> pd.DataFrame:
    """The rows of one grade each: what a school's section model starts with (`missed` brings in the others)."""
    return need[np.array([len(g) == 1 for g in need.grades], dtype=bool)].reset_index(drop=True)


def missed(need: pd.DataFrame, takes: pd.DataFrame, shape_grades: pd.DataFrame, eligible: pd.DataFrame,
           general: set[str]) -> pd.DataFrame:
    """The rows a school's section counts (`takes`: teacher_id, sid, sections) leave short: fewer teachers not
    excluded teach one of the grades than needed, where that many may. Rows of two or more grades are asked of the
    model only when its plan misses them: a big school meets all of them anyway, and a row each made its models 2-4
    times slower (tight 1,000 teachers)."""
    grades_of = grouped(shape_grades.sid, shape_grades.grade, set)
    taught = {t: gs for t, gs in grades_taught(takes, shape_grades).items() if t in general}
    may = defaultdict(set)
    for t, sid in zip(eligible.teacher_id, eligible.sid):
        if t in general:
            may[t] |= grades_of.get(sid, set())

    def short(grades: tuple, needed: int, excluded: frozenset) -> bool:
        wanted = set(grades)
        have = sum(1 for t, gs in taught.items() if t not in excluded and gs & wanted)
        return have < min(int(needed), sum(1 for t, gs in may.items() if t not in excluded and gs & wanted))

    rows = need[IEP_NEED_COLUMNS].itertuples(index=False)
    return need[np.array([short(*row) for row in rows], dtype=bool)].reset_index(drop=True)


def grades_taught(takes: pd.DataFrame, shape_grades: pd.DataFrame) -> dict[str, set[int]]:
    """teacher_id -> the grades of the shapes a plan's counts (`takes`: teacher_id, sid, sections) give them."""
    grades_of = grouped(shape_grades.sid, shape_grades.grade, set)
    out: dict[str, set[int]] = defaultdict(set)
    for t, sid, n in zip(takes.teacher_id, takes.sid, takes.sections):
        if n > 0:
            out[t] |= grades_of.get(sid, set())
    return out


def iep_teachers_needed(meetings: pd.DataFrame, scheduled: pd.DataFrame | None = None,
                        may_teach: dict[str, set] | None = None) -> dict[str, pd.DataFrame]:
    """Per school with blank-list IEP meetings: the coupling's rows (grades as a sorted tuple), each clique's need of
    each set of its grades, counting out who is busy at every meeting of those grades there. `may_teach`: teacher ->
    the grades they may teach (CRED), which leaves out the rows of named meetings none of whose teachers may teach
    the row's grades (another row implies each)."""
    if meetings.empty or not meetings.eligible_teacher_ids.map(len).eq(0).any():
        return {}
    rows = meetings.to_dict("records")
    blank = [m for m in rows if not m["eligible_teacher_ids"]]
    busy = _busy(blank, rows, scheduled)
    need: dict[str, set[tuple]] = defaultdict(set)
    for clique, named, plain in _cliques(blank, _shared_lists(rows)):
        need[clique[0]["school_id"]].update(_hall_rows(clique, busy, named, plain, may_teach))
    return {school: _frame(rows) for school, rows in sorted(need.items())}


def _shared_lists(rows: list[dict]) -> dict[tuple, list[dict]]:
    """(school, date) -> the meetings whose list names two teachers or more (one named alone is `_busy`'s)."""
    out: dict[tuple, list[dict]] = defaultdict(list)
    for o in rows:
        if len(o["eligible_teacher_ids"]) > 1:
            out[o["school_id"], str(o["date"])].append(o)
    return out


def _cliques(blank: list[dict], shared: dict[tuple, list[dict]]) -> list[tuple[list[dict], list[dict], bool]]:
    """Every maximal set of blank meetings running at once (those running when one of them starts, same school and
    date) with the meetings naming several teachers that run then, each once; and the same at the start of each such
    named meeting, for the rows with named meetings only (`plain` False: the blank set's own rows come from a blank
    meeting's start)."""
    by_day: dict[tuple, list[dict]] = defaultdict(list)
    for m in blank:
        by_day[m["school_id"], str(m["date"])].append(m)
    seen, out = set(), []
    for day in sorted(by_day):
        ms, named = by_day[day], shared.get(day, [])
        for at, plain in [(m["start"], True) for m in ms] + [(o["start"], False) for o in named]:
            clique = [m for m in ms if m["start"] <= at < m["end"]]
            there = [o for o in named if o["start"] <= at < o["end"]]
            key = (frozenset(m["meeting_id"] for m in clique), frozenset(o["meeting_id"] for o in there), plain)
            if clique and (plain or there) and key not in seen:
                seen.add(key)
                out.append((clique, there, plain))
    return out


def _hall_rows(clique: list[dict], busy: dict[str, frozenset], named: list[dict] = (), plain: bool = True,
               may_teach: dict[str, set] | None = None):
    """(grades, meetings of those grades, teachers busy at every one of them) for each set of the clique's grades;
    with meetings held then whose lists name several teachers (`named`), also for each set S of those: the listed
    teachers U hold at most |U| of the meetings, so the grades' other teachers must be at least meetings + |S| - |U|
    (two grade-2 meetings beside one that names the grade's only two teachers need a third)."""
    grades = sorted({int(m["grade"]) for m in clique})
    if len(grades) <= ALL_SUBSETS_UP_TO:
        sets = [s for k in range(1, len(grades) + 1) for s in combinations(grades, k)]
    else:
        sets = [(g,) for g in grades] + [tuple(grades)]
    lists = [s for k in range(1, min(len(named), NAMED_SUBSETS_UP_TO) + 1) for s in combinations(named, k)]
    for s in sets:
        held = [m for m in clique if int(m["grade"]) in s]
        out = frozenset.intersection(*(busy.get(m["meeting_id"], frozenset()) for m in held))
        if plain:
            yield s, len(held), out
        for listed in lists:
            names = frozenset().union(*(o["eligible_teacher_ids"] for o in listed))
            if may_teach is not None and not any(may_teach.get(t, set()) & set(s) for t in names):
                continue  # counting out teachers who may not teach these grades asks no more than the plain row
            if len(held) + len(listed) - len(names) > 0:
                yield s, len(held) + len(listed) - len(names), out | names


def _frame(rows: set[tuple]) -> pd.DataFrame:
    """The rows, without one another row implies: (h, m, y) implies (g, n, x) when h's grades are among g's and its m
    teachers, less those x counts out and y did not, are still n. Each clique's rows stay apart: merged by grades (the
    largest need, busy only where busy at every meeting making it) a teacher busy at 13:00 on Monday counted for
    Monday because Tuesday's meeting had nobody busy, and the plan gave Monday's meeting no one (an exact MIP's)."""
    by_grades: dict[tuple, list[tuple]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: -r[1]):  # each grade set's rows, largest need first
        by_grades[row[0]].append(row)

    def implied(row: tuple) -> bool:
        g, n, x = row
        for k in range(1, len(g) + 1):  # a clique's grades are few: its subsets, each looked up
            for h in combinations(g, k):
                for o in by_grades.get(h, ()):
                    if o[1] < n:  # no later row of h needs as many
                        break
                    if o != row and o[1] - len(x - o[2]) >= n:
                        return True
        return False

    kept = [r for r in rows if not implied(r)]
    kept.sort(key=lambda r: (len(r[0]), r[0], -r[1], sorted(r[2])))
    return pd.DataFrame(kept, columns=IEP_NEED_COLUMNS)


def _busy(blank: list[dict], rows: list[dict], scheduled: pd.DataFrame | None) -> dict[str, frozenset]:
    """meeting_id -> the teachers surely busy during that blank meeting: named alone in an overlapping meeting of the
    school, or sitting in a scheduled meeting then."""
    named: dict[tuple, list[dict]] = defaultdict(list)
    for o in rows:
        if len(o["eligible_teacher_ids"]) == 1:
            named[o["school_id"], str(o["date"])].append(o)
    busy: dict[str, set] = defaultdict(set)
    for m in blank:
        for o in named.get((m["school_id"], str(m["date"])), ()):
            if m["start"] < o["end"] and o["start"] < m["end"]:
                busy[m["meeting_id"]].update(o["eligible_teacher_ids"])
    for meeting, teachers in _busy_then(pd.DataFrame(blank), scheduled).items():
        busy[meeting].update(teachers)
    return {k: frozenset(v) for k, v in busy.items()}


def _busy_then(blank: pd.DataFrame, scheduled: pd.DataFrame | None) -> dict[str, frozenset]:
    """meeting_id -> the teachers in a scheduled meeting overlapping that blank IEP meeting (A4.3)."""
    if scheduled is None or scheduled.empty or blank.empty:
        return {}
    ours = blank.assign(day=pd.to_datetime(blank.date).dt.strftime("%Y-%m-%d"),
                        i0=minutes_of_day(blank.start.astype(str)), i1=minutes_of_day(blank.end.astype(str)))
    hit = ours.merge(scheduled.drop(columns="meeting_id", errors="ignore"), on="day")
    hit = hit[(hit.i0 < hit.end_min) & (hit.start_min < hit.i1)]
    return hit.groupby("meeting_id").teacher_id.agg(frozenset).to_dict()
