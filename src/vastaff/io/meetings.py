"""The meetings calendar's files (Article 4.0 C): calendar.csv, meeting_requests.csv and meetings.csv in a data folder
(or sheets of its workbook), and meetings.csv in a plan folder; validated like every input.

Cells go through their column's type (schemas/meetings.py); then the rows against each other and against the
district: a date listed twice for a school, a request or meeting ID twice, an unknown school, a request whose window
ends before it starts, an audience naming a teacher of another school or holding nobody, a meeting of an unknown
request or of another school or kind than its request, a meeting that ends before it starts, more meetings than the
request asks for. Whether a meeting obeys A4.1-A4.3 is not decided here: that is the checker's (check/meetings.py).
All files are optional for `solve`; `require_calendar` makes calendar.csv and meeting_requests.csv required (the
`meetings` command). meetings.csv needs meeting_requests.csv beside it: a meeting's audience is its request's.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

import pandas as pd

from vastaff.errors import InputError, InputProblem
from vastaff.io.keys import duplicates, keys_as_written
from vastaff.io.grid import EMPTY_FILE, ROW, no_rows, other_separator
from vastaff.io.judging import usable, views
from vastaff.io.tables import TableSource, empty_frame, raw_ids, validate_rows
from vastaff.schemas.district import District
from vastaff.schemas.fields import minutes_of_day
from vastaff.schemas.meetings import AUDIENCE_WORDS, MEETING_TABLES, MeetingsData, attendance

Label = Callable[[str], str]
CALENDAR, REQUESTS, MEETINGS = "calendar", "meeting_requests", "meetings"
ID_KEYS = {REQUESTS: ["request_id"], MEETINGS: ["meeting_id"]}
REQUIRED = (CALENDAR, REQUESTS)
"""What `vastaff meetings` cannot do without."""
AUDIENCE_READS = {"teachers": ("teacher_id", "school_id", "level", "department"), "schools": ("school_id",)}
"""The columns the audiences' checks read (`attendance`): a teacher whose row has a bad cell elsewhere takes part."""


def read_meetings(source: TableSource, tables: dict[str, pd.DataFrame], broken: set[str],
                  as_written: dict[str, pd.DataFrame] | None = None
                  ) -> tuple[MeetingsData | None, list[InputProblem]]:
    """The meetings calendar of an open data source (None when it holds none of the three files), checked against
    the district's typed `tables` (schools, teachers) unless they are `broken`, an ID listed on a row with a problem
    of its own (`as_written`: the raw tables) counting as listed; and every problem found."""
    if not any(source.has(name) for name in MEETING_TABLES):
        return None, []
    frames, problems, unreadable, keys, raws = {}, [], set(), [], {}
    for name, schema in MEETING_TABLES.items():
        frames[name], found, readable, raws[name] = _read(source, name, schema)
        raw = raws[name]
        problems += found
        if not readable:
            unreadable.add(name)
        elif name in ID_KEYS:  # an ID as every row writes it, also on a row with a bad cell of its own
            keys += duplicates(keys_as_written(frames[name], raw, ID_KEYS[name]), ID_KEYS[name], source.label(name))
    data = MeetingsData(frames[CALENDAR], frames[REQUESTS], frames[MEETINGS])
    if source.has(MEETINGS) and not source.has(REQUESTS):
        problems.append(InputProblem(source.label(REQUESTS), expected=(
            f"this file beside {source.label(MEETINGS)} (a meeting's audience is its request's; file missing)")))
        unreadable.add(REQUESTS)
    elif _rows(raws[MEETINGS]) and not _rows(raws[REQUESTS]) and REQUESTS not in unreadable:
        problems.append(InputProblem(source.label(REQUESTS), expected=(
            f"the requests of the meetings in {source.label(MEETINGS)} (a meeting's audience is its request's; the "
            "file has no rows)")))  # one line, not one per meeting
        unreadable.add(REQUESTS)
    found, roster = _cross_checks(data, tables, broken | unreadable, source.label,
                                  (as_written or {}) | {REQUESTS: raws[REQUESTS]})
    return replace(data, roster=tuple(roster)), problems + keys + found


def _rows(raw: pd.DataFrame | None) -> int:
    return 0 if raw is None else len(raw)


def require_calendar(district: District) -> MeetingsData:
    """The district's meetings calendar, which must hold calendar.csv and meeting_requests.csv (InputError)."""
    data = district.meetings
    source = TableSource.open(district.path)
    try:
        missing = [name for name in REQUIRED if not source.has(name)]
        labels = {name: source.label(name) for name in missing}
        what = "sheet" if source.sheets is not None else "file"
    finally:
        source.close()
    if data is None or missing:
        raise InputError([InputProblem(labels[name], expected=f"this {what}, required by vastaff meetings "
                                                              f"({what} missing)") for name in missing])
    return data


def roster_warnings(district: District) -> list[str]:
    """The audiences' problems (MeetingsData.roster) as warnings of a command that reads the audiences without those
    teachers: each problem's line, and what the command did about it."""
    roster = district.meetings.roster if district.meetings is not None else ()
    return [f"{p}; left out of the audience tonight (vastaff meetings refuses it until the request is fixed)"
            for p in roster]


def load_plan_meetings(path: str | Path, district: District) -> pd.DataFrame | None:
    """A plan's meetings.csv (folder or workbook), checked against the district's requests; None without one.
    InputError naming `plan/meetings.csv` and the row when it is invalid."""
    source = TableSource.open(path)
    try:
        if not source.exists() or not source.has(MEETINGS):
            return None
        frame, problems, _, _ = _read(source, MEETINGS, MEETING_TABLES[MEETINGS])
    finally:
        source.close()
    requests = district.meetings.requests if district.meetings is not None else empty_frame(
        MEETING_TABLES[REQUESTS])
    label = f"{Path(path).name}, sheet {MEETINGS}" if Path(path).is_file() else f"plan/{MEETINGS}.csv"  # a workbook
    problems = [replace(p, file=label) for p in problems]
    problems += _meeting_rows(frame, requests, label, district.meetings is not None)
    if problems:
        raise InputError(problems)
    return frame


def _read(source: TableSource, name: str, schema) -> tuple[pd.DataFrame, list[InputProblem], bool, pd.DataFrame]:
    """One optional table: typed rows (dates as datetime64), problems, whether its rows could be read, raw rows."""
    if not source.has(name):
        return _typed(empty_frame(schema)), [], True, no_rows()
    frame, layout = source.read_table(name)
    if any(p.expected == EMPTY_FILE for p in layout):
        return _typed(empty_frame(schema)), [], True, no_rows()
    if list(frame.columns) == [ROW] or other_separator(layout):
        return _typed(empty_frame(schema)), layout, False, no_rows()
    typed, found = validate_rows(frame, schema, source.label(name))
    return _typed(typed), layout + found, not any(p.row is None or p.row <= 1 for p in layout + found), frame


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for col in ("date", "earliest", "latest"):
        if col in frame.columns:
            frame[col] = pd.to_datetime(frame[col])
    for col in ("count", "minutes", ROW):
        if col in frame.columns:
            frame[col] = frame[col].astype("int64")
    return frame


# ----------------------------------------------------------------------------------------------
# Rows against each other and against the district


def _cross_checks(data: MeetingsData, t: dict[str, pd.DataFrame], broken: set[str], L: Label,
                  raw: dict[str, pd.DataFrame]) -> tuple[list[InputProblem], list[InputProblem]]:
    """The problems, and apart the audiences' (MeetingsData.roster). A row of schools.csv or teachers.csv with a bad
    cell is left out of the typed tables, but its ID is listed: one bad cell, one line (not one more per calendar
    day or audience naming it); and a teacher's row takes part in the audiences' checks when the cells they read are
    good (`t`: io/judging.py)."""
    calendar = data.calendar[["school_id", "date", ROW]].assign(date=lambda c: c.date.map(_shown))
    problems = duplicates(calendar, ["school_id", "date"], L(CALENDAR))  # io/keys, as every other table's
    said = _listed(raw, REQUESTS, "request_id") - set(data.requests.request_id)  # rows left out for a bad cell
    if "schools" not in broken:
        schools = set(usable(t["schools"], ("school_id",)).school_id) | _listed(raw, "schools", "school_id")
        for name, frame in ((CALENDAR, data.calendar), (REQUESTS, data.requests)):
            problems += _unknown(frame, "school_id", schools, L(name), f"a school_id listed in {L('schools')}")
        said |= set(data.requests.request_id[~data.requests.school_id.isin(schools)])
    problems += _window(data.requests, L(REQUESTS))
    roster = []
    if "teachers" not in broken and "schools" not in broken:
        seen = views(t, AUDIENCE_READS)
        left_out = _listed(raw, "teachers", "teacher_id") - set(seen["teachers"].teacher_id)
        roster = _audiences(data.requests, seen["teachers"], seen["schools"], L, left_out)
    if REQUESTS not in broken:
        problems += _meeting_rows(data.meetings, data.requests, L(MEETINGS), True, L(REQUESTS), said)
    return problems, roster


def _problem(label: str, row: pd.Series | dict, column: str, value: object, expected: str) -> InputProblem:
    return InputProblem(label, int(row[ROW]), column, _shown(value), expected)


def _shown(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, tuple):
        return ";".join(value)
    return str(value)


def _unknown(frame: pd.DataFrame, column: str, valid: set[str], label: str, expected: str) -> list[InputProblem]:
    bad = frame[~frame[column].isin(valid)]
    return [_problem(label, row, column, row[column], expected) for _, row in bad.iterrows()]


def _window(requests: pd.DataFrame, label: str) -> list[InputProblem]:
    """A request's window ends on or after its first day."""
    bad = requests[requests.latest < requests.earliest]
    return [_problem(label, row, "latest", row.latest, f"a date on or after earliest {_shown(row.earliest)}")
            for _, row in bad.iterrows()]


def _listed(raw: dict[str, pd.DataFrame], name: str, column: str) -> set[str]:
    return raw_ids(raw[name], column) if name in raw else set()


def _audiences(requests: pd.DataFrame, teachers: pd.DataFrame, schools: pd.DataFrame, L: Label,
               left_out: set[str] = frozenset()) -> list[InputProblem]:
    """Listed teachers teach at the request's school; every audience holds at least one teacher. `left_out`: teachers
    whose rows have a problem of their own — nothing more is said of an audience naming them."""
    label = L(REQUESTS)
    first = teachers.drop_duplicates("teacher_id")
    school_of = dict(zip(first.teacher_id.tolist(), first.school_id.tolist()))
    known = requests[requests.school_id.isin(schools.school_id)]
    rows = known[[ROW, "request_id", "school_id", "audience"]].to_dict("records")  # rows, not Series: one per request
    found = []
    for row in rows:
        if row["audience"][0] in AUDIENCE_WORDS:
            continue
        for teacher in row["audience"]:
            where = school_of.get(teacher)
            if where != row["school_id"] and teacher not in left_out:
                found.append(_problem(label, row, "audience", teacher, f"a teacher_id of school {row['school_id']} ("
                                      + (f"{L('teachers')} puts this teacher at {where})" if where is not None
                                         else f"not in {L('teachers')})")))
    held = set(attendance(known, teachers).request_id)
    listed = {p.row for p in found}
    for row in rows:
        if row["request_id"] not in held and int(row[ROW]) not in listed and not left_out:
            found.append(_problem(label, row, "audience", row["audience"], f"an audience holding at least one "
                                  f"teacher of school {row['school_id']} (it holds none in {L('teachers')})"))
    return found


def _meeting_rows(meetings: pd.DataFrame, requests: pd.DataFrame, label: str, have_requests: bool,
                  requests_label: str = f"{REQUESTS}.csv", said: set[str] = frozenset()) -> list[InputProblem]:
    """A meeting names a known request, with its school and kind; ends after it starts; a request has at most
    `count` meetings (the later ones by date are reported). Nothing is said of the request of a meeting whose row
    has a problem of its own (`said`: left out for a bad cell, or of an unknown school): one bad cell, one line."""
    if meetings.empty:
        return []
    if not have_requests:
        return [InputProblem(label, expected=f"{requests_label} in the data folder (a meeting's audience is its "
                                             "request's; file missing)")]
    req = requests.drop_duplicates("request_id").set_index("request_id")
    found, mismatched = [], set()
    for _, row in meetings.iterrows():
        if minutes_of_day(row.end) <= minutes_of_day(row.start):
            found.append(_problem(label, row, "end", row.end, f"a time after start {row.start}"))
        if row.request_id in said:
            continue
        if row.request_id not in req.index:
            found.append(_problem(label, row, "request_id", row.request_id, f"a request_id of {requests_label}"))
            continue
        asked = req.loc[row.request_id]
        for column in ("school_id", "kind"):
            if row[column] != asked[column]:
                mismatched.add(row[ROW])
                found.append(_problem(label, row, column, row[column], f"{asked[column]}, the {column} of request "
                                                                       f"{row.request_id}"))
    counted = meetings[meetings.request_id.isin(req.index) & ~meetings[ROW].isin(mismatched)]
    return found + _too_many(counted, req, label)


def _too_many(meetings: pd.DataFrame, req: pd.DataFrame, label: str) -> list[InputProblem]:
    """The meetings of a request beyond its count, the later ones by date, each naming the rows of the request's
    meetings (which one is extra is the reader's call). A meeting of another school or kind than its request is not
    counted: its own line says it."""
    ordered = meetings.sort_values(["request_id", "date", "start", ROW], kind="stable")
    nth = ordered.groupby("request_id").cumcount() + 1
    over = ordered[nth.to_numpy() > ordered.request_id.map(req["count"]).to_numpy()]
    rows = ordered.groupby("request_id")[ROW].agg(lambda r: ", ".join(str(int(x)) for x in sorted(r)))
    return [_problem(label, row, "request_id", row.request_id, f"at most {int(req.loc[row.request_id, 'count'])} "
                     f"meetings of request {row.request_id} (its count; rows {rows[row.request_id]} name it)")
            for _, row in over.iterrows()]

