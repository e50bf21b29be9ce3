"""The cross-table checks of locks.csv (docs/data-format.md, "locks.csv"), called by `load_district`.

A lock row is invalid input when it cannot mean anything in this district: an unknown ID, fields of two groups, a
group without its naming column, `require` of a period alone, or an impossible combination — a course, period or
IEP meeting of another school than the teacher's, a semester the course does not meet in, a room not at the site, a
course required of a resource specialist (who teaches no sections: CRED).
Whether a lock can hold together with the contract rules (a credential, a closed site) is not decided here: that
is `solve`'s conflict (exit 3), naming LOCK and the rules involved.

Like the other cross-checks, a check runs whenever the tables it reads could be read at all, references are
checked against every ID a table lists (raw), and combinations only between rows that are valid themselves
(typed), so one bad cell elsewhere is one message. Lock files are short (decisions people made by hand): the
rows are walked one by one, which keeps each rule a readable sentence.
"""

from __future__ import annotations

from typing import Callable, Iterator

import pandas as pd

from vastaff.errors import InputProblem
from vastaff.io.judging import Reads, views
from vastaff.io.tables import ROW
from vastaff.schemas.fields import HOMEROOM, SEMESTERS, _text
from vastaff.schemas.inputs import HOME_SITE, LOCK_GROUPS

Label = Callable[[str], str]
LOCKS = "locks"

MEETS = {"1": {"1"}, "2": {"2"}, "year": {"1", "2"}}
"""The semesters a course (or a lock's `semester`) stands for: `year` is both."""

LOCK_COLUMNS = tuple(dict.fromkeys(c for g, more in LOCK_GROUPS.items() for c in (g, *more)))
"""course_id, semester, period_id, site_id, room_id, meeting_id: the columns besides teacher_id, mode and reason."""
GROUP_TEXT = {"course_id": "a course_id (with semester and/or period_id)", "period_id": "a period_id (with semester)",
              "site_id": "a site_id (with room_id)", "meeting_id": "a meeting_id"}

REFERENCES = [
    # (column, referenced table, its ID column); blank is allowed except for teacher_id
    ("teacher_id", "teachers", "teacher_id"),
    ("course_id", "courses", "course_id"),
    ("room_id", "rooms", "room_id"),
    ("meeting_id", "iep_meetings", "meeting_id"),
]


def lock_problems(t: dict[str, pd.DataFrame], raw: dict[str, pd.DataFrame], broken: set[str], L: Label,
                  said: list[InputProblem] = ()) -> list[InputProblem]:
    """Every problem of locks.csv's rows against the other tables (duplicate lock_id is the loader's key check); a
    row left out for a bad cell of its own (`said`: the problems found so far) still has its references checked."""
    if LOCKS in broken:
        return []
    left = _left_out(t[LOCKS], raw.get(LOCKS))
    cells = {(p.file, p.row, p.column) for p in said}
    found = [p for p in _references(left, raw, broken, L) if (p.file, p.row, p.column) not in cells] if left else []
    if t[LOCKS].empty:
        return found
    rows = records(t[LOCKS])
    found += list(_groups(rows, L(LOCKS)))
    found += _references(rows, raw, broken, L)
    found += _contradictions(rows, L(LOCKS))
    for reads, check in _combinations():
        if not broken.intersection(reads):
            found += check(rows, views(t, reads), L)
    return found


def _combinations() -> list[tuple[Reads, Callable]]:
    """The impossible combinations, each with the columns it reads of each table (skipped if a table could not be
    read; a row of it takes part when those cells are good: io/judging.py)."""
    return [
        ({"teachers": ("teacher_id", "school_id", "role"), "courses": ("course_id", "school_id", "semester")},
         _course_of_school),
        ({"teachers": ("teacher_id", "school_id"), "courses": ("course_id", "school_id", "level"),
          "periods": ("school_id", "period_id", "kind", "order")}, _period_of_school),
        ({"sites": ("site_id",), "rooms": ("room_id", "site_id")}, _room_at_site),
        ({"teachers": ("teacher_id", "school_id"), "iep_meetings": ("meeting_id", "school_id")}, _meeting_of_school),
    ]


def _left_out(typed: pd.DataFrame, raw: pd.DataFrame | None) -> list[dict]:
    """locks.csv's rows left out of the typed table for a bad cell of their own, as written (a blank cell None)."""
    if raw is None or ROW not in raw.columns:
        return []
    rows = raw[~raw[ROW].isin(typed[ROW])] if ROW in typed.columns else raw
    columns = ["teacher_id", *LOCK_COLUMNS]
    return [{ROW: int(r[ROW]), **{c: (_text(r.get(c)) or None) for c in columns}} for r in rows.to_dict("records")]


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows as dicts, a blank cell as None (pandas may hold it as NaN in a text column)."""
    cells = frame.astype(object)
    return cells.where(cells.notna(), None).to_dict("records")


def group_of(row: dict) -> str | None:
    """The group a lock row fills: the first filled naming column of LOCK_GROUPS (None: none filled)."""
    return next((g for g in LOCK_GROUPS if row[g] is not None), None)


def _problem(label: str, row: dict, column: str | None, expected: str) -> InputProblem:
    value = None if column is None else str(row[column])
    return InputProblem(label, int(row[ROW]), column, value, expected)


def _groups(rows: list[dict], label: str) -> Iterator[InputProblem]:
    """One group per row (docs/decisions.md: fields of two groups are invalid); `require` never of a period alone."""
    for row in rows:
        group = group_of(row)
        if group is None:
            yield from _no_group(row, label)
            continue
        allowed = {group, *LOCK_GROUPS[group]}
        for column in LOCK_COLUMNS:
            if column not in allowed and row[column] is not None:
                yield _problem(label, row, column, f"blank (fields from two groups: this row locks {GROUP_TEXT[group]})")
        if group == "period_id" and row["mode"] == "require":
            yield _problem(label, row, "mode", "forbid for a lock of a period_id alone (it means: the teacher teaches "
                                               "nothing in that period); to require a period, name the course_id too")


def _no_group(row: dict, label: str) -> Iterator[InputProblem]:
    """A row whose naming columns are all blank: what it fills cannot stand alone."""
    if row["semester"] is not None:
        yield _problem(label, row, "semester", "semester only with a course_id or a period_id (both are blank)")
    if row["room_id"] is not None:
        yield _problem(label, row, "room_id", "a room_id only with its site_id (site_id is blank)")
    if row["semester"] is None and row["room_id"] is None:
        yield _problem(label, row, None, "one of course_id, period_id, site_id or meeting_id filled: what the lock "
                                         "is about (all are blank)")


QUALIFIERS = {"course_id": ("semester", "period_id"), "period_id": ("semester",), "site_id": ("room_id",),
              "meeting_id": ()}
"""What narrows a lock of each group: a forbid undoes a require of the same thing when each of these is blank in the
forbid (any) or the same as in the require."""


def _contradictions(rows: list[dict], label: str) -> list[InputProblem]:
    """Locks that cannot hold together whatever the plan: a forbid of what another lock requires (or of the period
    a required course is locked in), two sites required of one teacher, two teachers required for one IEP meeting
    (A7.1: one teacher attends). Said on the later row, naming the earlier lock; rows are compared only with the
    earlier rows that share what they lock (`_contradiction_keys`), and a row repeating an earlier one is not kept
    for comparison: 4,000 locks of one teacher took 21 s, compared pair by pair."""
    related: dict[tuple, list[dict]] = {}
    kept: set[tuple] = set()
    found = []
    for row in rows:
        keys = _contradiction_keys(row)
        earlier_rows = {r[ROW]: r for key in keys for r in related.get(key, [])}
        for earlier in (earlier_rows[r] for r in sorted(earlier_rows)):
            why = _forbids(row, earlier) or _forbids(earlier, row) or _one_place(row, earlier) \
                or _one_teacher(row, earlier)
            if why is not None:
                column, text = why
                found.append(_problem(label, row, column, f"a lock that lock {earlier['lock_id']} (row "
                                                          f"{earlier[ROW]}) does not contradict: {text}"))
                break
        signature = (row["mode"], row["teacher_id"], *(row[c] for c in LOCK_COLUMNS))
        if signature not in kept:  # an earlier twin contradicts whatever this row would
            kept.add(signature)
            for key in keys:
                related.setdefault(key, []).append(row)
    return found


def _contradiction_keys(row: dict) -> list[tuple]:
    """What a lock row can contradict another row through: the thing it locks for its teacher (a course locked in a
    period, also that period), its teacher's place (a site), its IEP meeting."""
    group, teacher = group_of(row), row["teacher_id"]
    keys = [] if group is None else [("thing", teacher, group, row[group])]
    if group == "course_id" and row["period_id"] is not None:
        keys.append(("thing", teacher, "period_id", row["period_id"]))
    if group == "site_id":
        keys.append(("place", teacher))
    if row["meeting_id"] is not None:
        keys.append(("meeting", row["meeting_id"]))
    return keys


def _forbids(forbid: dict, require: dict) -> tuple[str, str] | None:
    """Whether `forbid` forbids the teacher what `require` requires of them."""
    if (forbid["mode"], require["mode"]) != ("forbid", "require") or forbid["teacher_id"] != require["teacher_id"]:
        return None
    group, wanted = group_of(forbid), group_of(require)
    if group == wanted and forbid[group] == require[group] \
            or group == "period_id" and wanted == "course_id" and forbid["period_id"] == require["period_id"]:
        if all(forbid[q] is None or forbid[q] == require[q] for q in QUALIFIERS[group]):
            what = ", ".join(f"{c} {require[c]}" for c in LOCK_COLUMNS if require[c] is not None)
            return "mode", f"one requires and the other forbids {require['teacher_id']}'s {what}"
    return None


def _one_place(row: dict, earlier: dict) -> tuple[str, str] | None:
    if row["mode"] == earlier["mode"] == "require" and row["teacher_id"] == earlier["teacher_id"] \
            and group_of(row) == group_of(earlier) == "site_id" and row["site_id"] != earlier["site_id"]:
        return "site_id", (f"both require a place of {row['teacher_id']} ({earlier['site_id']} and {row['site_id']}); "
                           "a teacher works at one (A16)")
    return None


def _one_teacher(row: dict, earlier: dict) -> tuple[str, str] | None:
    if row["mode"] == earlier["mode"] == "require" and group_of(row) == group_of(earlier) == "meeting_id" \
            and row["meeting_id"] == earlier["meeting_id"] and row["teacher_id"] != earlier["teacher_id"]:
        return "teacher_id", (f"both require a teacher of IEP meeting {row['meeting_id']} ({earlier['teacher_id']} "
                              f"and {row['teacher_id']}); one teacher attends it (A7.1)")
    return None


def _raw_ids(frame: pd.DataFrame, column: str) -> set[str]:
    """Every ID a table lists, also on rows with a problem of their own (so one bad row is one message)."""
    if column not in frame.columns:
        return set()
    return {_text(v) for v in pd.unique(frame[column])} - {""}


def _references(rows: list[dict], raw: dict[str, pd.DataFrame], broken: set[str], L: Label) -> list[InputProblem]:
    """Unknown teacher, course, room, meeting or site (`home` is no site: it means working from home)."""
    out = []
    for column, target, target_column in REFERENCES:
        if target in broken:
            continue
        known = _raw_ids(raw[target], target_column)
        blank = "" if column == "teacher_id" else ", or blank"
        out += [_problem(L(LOCKS), r, column, f"a {target_column} listed in {L(target)}{blank}")
                for r in rows if r[column] is not None and r[column] not in known]
    if "sites" not in broken:
        sites = _raw_ids(raw["sites"], "site_id")
        out += _site_called_home(raw["sites"], L)
        out += [_problem(L(LOCKS), r, "site_id", f"a site_id listed in {L('sites')}, {HOME_SITE} (works from home), "
                                                 "or blank")
                for r in rows if r["site_id"] not in (None, HOME_SITE) and r["site_id"] not in sites]
    return out


def _site_called_home(sites: pd.DataFrame, L: Label) -> list[InputProblem]:
    """A site called `home` beside locks.csv: a lock's `home` would be read as working from home, never as that site."""
    if "site_id" not in sites.columns or ROW not in sites.columns:
        return []
    return [_problem(L("sites"), r, "site_id", f"a site_id other than {HOME_SITE} while {L(LOCKS)} is given "
                                               f"({HOME_SITE} means working from home there)")
            for r in sites[["site_id", ROW]].to_dict("records") if _text(r["site_id"]) == HOME_SITE]


def _by_id(frame: pd.DataFrame, key: str) -> dict[str, dict]:
    """The rows of a typed table by ID (the first of a repeated ID: the repeat is reported by the key check)."""
    return {r[key]: r for r in frame.drop_duplicates(key).to_dict("records")}


def _course_of_school(rows: list[dict], t: dict[str, pd.DataFrame], L: Label) -> list[InputProblem]:
    """A course lock names a course of the teacher's school, in a semester that course meets in."""
    teachers, courses = _by_id(t["teachers"], "teacher_id"), _by_id(t["courses"], "course_id")
    out = []
    for r in rows:
        teacher, course = teachers.get(r["teacher_id"]), courses.get(r["course_id"])
        if teacher is None or course is None:
            continue
        if course["school_id"] != teacher["school_id"]:
            out.append(_problem(L(LOCKS), r, "course_id", (
                f"a course of school {teacher['school_id']}, teacher {r['teacher_id']}'s school ({L('courses')} "
                f"puts course {r['course_id']} at {course['school_id']})")))
        elif r["mode"] == "require" and teacher.get("role") == "resource_specialist":
            out.append(_problem(L(LOCKS), r, "course_id", (
                f"blank: teacher {r['teacher_id']} is a resource specialist in {L('teachers')}, who teaches no "
                f"sections (CRED), so no course can be required of them")))
        if r["semester"] is not None and not MEETS[r["semester"]] <= MEETS[course["semester"]]:
            fits = [s for s in SEMESTERS if MEETS[s] <= MEETS[course["semester"]]]
            out.append(_problem(L(LOCKS), r, "semester", (
                f"{' or '.join(fits)} (course {r['course_id']} is a semester {course['semester']} course in "
                f"{L('courses')}), or blank")))
    return out


def _period_of_school(rows: list[dict], t: dict[str, pd.DataFrame], L: Label) -> list[InputProblem]:
    """A lock's period is one where the locked sections can meet: an academic period of the course's school
    (elementary courses: homeroom), or, for a period alone, of the teacher's school (or homeroom)."""
    teachers, courses = _by_id(t["teachers"], "teacher_id"), _by_id(t["courses"], "course_id")
    academic = t["periods"][t["periods"].kind == "academic"].sort_values(["order", "period_id"], kind="stable")
    periods_of = academic.groupby("school_id", sort=False).period_id.agg(list).to_dict()
    out = []
    for r in (r for r in rows if r["period_id"] is not None):
        if r["course_id"] is not None:
            expected = _course_periods(r, courses.get(r["course_id"]), periods_of, L)
        else:
            expected = _teacher_periods(r, teachers.get(r["teacher_id"]), periods_of, L)
        if expected is not None:
            out.append(_problem(L(LOCKS), r, "period_id", expected))
    return out


def _course_periods(r: dict, course: dict | None, periods_of: dict, L: Label) -> str | None:
    """What is expected of a course lock's period, or None when it fits (or the course is unknown)."""
    if course is None:
        return None
    if course["level"] == "elementary":
        ok = r["period_id"] == HOMEROOM
        return None if ok else f"{HOMEROOM} (course {r['course_id']} is an elementary homeroom course), or blank"
    school = course["school_id"]
    listed = periods_of.get(school, [])
    if r["period_id"] in listed:
        return None
    return (f"an academic period of school {school}, course {r['course_id']}'s school ({_listing(listed)} in "
            f"{L('periods')}), or blank")


def _teacher_periods(r: dict, teacher: dict | None, periods_of: dict, L: Label) -> str | None:
    """What is expected of a period-alone lock's period, or None when it fits (or the teacher is unknown)."""
    if teacher is None:
        return None
    school = teacher["school_id"]
    listed = periods_of.get(school, [])
    if r["period_id"] in listed or r["period_id"] == HOMEROOM:
        return None
    return (f"an academic period of school {school}, teacher {r['teacher_id']}'s school ({_listing(listed)} in "
            f"{L('periods')}), or {HOMEROOM}")


def _listing(periods: list[str], limit: int = 12) -> str:
    if not periods:
        return "none listed"
    more = len(periods) - limit
    return ", ".join(periods[:limit]) + (f" and {more} more" if more > 0 else "")


def _room_at_site(rows: list[dict], t: dict[str, pd.DataFrame], L: Label) -> list[InputProblem]:
    """A site lock's room is at that site; working from home has no room (A19)."""
    rooms, sites = _by_id(t["rooms"], "room_id"), set(t["sites"].site_id)
    out = []
    for r in rows:
        room = rooms.get(r["room_id"])
        if room is None or r["site_id"] is None:
            continue
        if r["site_id"] == HOME_SITE:
            out.append(_problem(L(LOCKS), r, "room_id", f"blank when site_id is {HOME_SITE} (a teacher who works "
                                                        "from home has no room)"))
        elif r["site_id"] in sites and room["site_id"] != r["site_id"]:
            out.append(_problem(L(LOCKS), r, "room_id", f"a room at site {r['site_id']} ({L('rooms')} puts room "
                                                        f"{r['room_id']} at {room['site_id']}), or blank"))
    return out


def _meeting_of_school(rows: list[dict], t: dict[str, pd.DataFrame], L: Label) -> list[InputProblem]:
    """A meeting lock names an IEP meeting of the teacher's school (A7.1 rotates meetings within a school)."""
    teachers, meetings = _by_id(t["teachers"], "teacher_id"), _by_id(t["iep_meetings"], "meeting_id")
    out = []
    for r in rows:
        teacher, meeting = teachers.get(r["teacher_id"]), meetings.get(r["meeting_id"])
        if teacher is not None and meeting is not None and meeting["school_id"] != teacher["school_id"]:
            out.append(_problem(L(LOCKS), r, "meeting_id", (
                f"an IEP meeting of school {teacher['school_id']}, teacher {r['teacher_id']}'s school "
                f"({L('iep_meetings')} puts meeting {r['meeting_id']} at {meeting['school_id']})")))
    return out
