"""Cell types of the CSV formats in docs/data-format.md, each with the message a person reads when a cell is wrong.

Every parser accepts the text of a CSV cell (or the value python-calamine gives for an Excel cell: str, float,
bool, date, datetime, time or timedelta; or None) and raises ValueError("expected ...") so that the loader can
say: file, row, column, value, what is expected. Parsers are pure functions of one cell, so the loader may call them once per
distinct value of a column.

Every number has an upper bound that no real district reaches (docs/reliability.md lists them): the bounds keep
every count inside int64 and every CP-SAT sum far below 2^62, so a mistyped cell is invalid input, not an hour of
search or an OverflowError. IDs are restricted to a safe alphabet, so no ID can start a spreadsheet formula in the
CSV files we write.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from functools import partial
from typing import Annotated, Literal

import pandas as pd
from pydantic import BeforeValidator

GRADE_NAMES = {"UTK": -2, "TK": -1, "K": 0}
GRADE_RANGE = (-2, 12)
LEVELS = ("elementary", "middle", "high")
DEPARTMENTS = ("general", "special_education")
ROLES = ("classroom", "resource_specialist")
PROGRAMS = ("general", "eld", "special_education", "tk", "utk")
SEMESTERS = ("1", "2", "year")
SITE_STATUSES = ("open", "temporarily_closed", "closed")
ROOM_KINDS = ("classroom", "shared")
WORK_LOCATIONS = ("site", "home", "either")
RA_STATUSES = ("none", "granted", "pending")
PERIOD_KINDS = ("advisory", "academic")
HOMEROOM = "homeroom"

_INT = re.compile(r"([+-]?[0-9]+)(?:\.0*)?")  # 0-9 only: Python's \d and int() would read "٣٠" or "３０" as 30
_EXPONENT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+")
IN_DIGITS = "written in digits (not in exponent notation)"
"""Said of a whole number written `1e5`, `1.5e1` or `1E+12` (as a spreadsheet shows a number too wide for its
column, rounded): a whole number is written with its digits (docs/data-format.md)."""
_MAX_DIGITS = 30  # beyond every bound; also keeps int() clear of Python's 4300-digit limit
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/-]*")
ID_MAX_LENGTH = 64
ID_EXPECTED = (f"an ID of letters, digits and _ - . : / that starts with a letter or digit, "
               f"at most {ID_MAX_LENGTH} characters")
DERIVED_ID_MAX_LENGTH = ID_MAX_LENGTH + 8
"""An ID vastaff makes from one of yours and a number (a section: its course ID and `-01`; a scheduled meeting: its
request ID and `-01`) may be this long, so that a plan made from a 64-character course ID reads back."""
DERIVED_ID_EXPECTED = ID_EXPECTED.replace(f"at most {ID_MAX_LENGTH}", f"at most {DERIVED_ID_MAX_LENGTH}")
MAX_COUNT = 10**9
"""Bound of a whole number no column names a tighter bound for (plan counts, ranks): far inside int64."""
MAX_AMOUNT = 10**12
"""Bound of a plan's dollar and hour figures."""
DATE_RANGE = (dt.date(1900, 1, 1), dt.date(2199, 12, 31))
TIME_LIMIT_RANGE = (0.1, 86_400)
"""Bounds of a search budget in seconds: `--time-limit` of every command, a scenario file's solve.time_limit (at
most one day; inf would be an unbounded search and `Infinity` in run.json, which is not JSON)."""
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_DATE_TIME = re.compile(r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})(?:T|\s+)\d{1,2}:\d{2}.*", re.ASCII)
DATE_ONLY = "a date YYYY-MM-DD without a time of day"
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::00)?(?:\s*([AaPp])\.?[Mm]\.?)?", re.ASCII)
MINUTES_PER_DAY = 1440
GRADE_EXPECTED = "a grade: UTK, TK, K or 1..12 (UTK=-2, TK=-1, K=0)"


def grade_name(g: int) -> str:
    """How a grade is written in messages: UTK, TK, K, 1..12."""
    return {v: k for k, v in GRADE_NAMES.items()}.get(int(g), str(int(g)))


def _text(v: object) -> str:
    if type(v) is str:
        return v.strip()
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime) and v.time() == dt.time(0):
        return v.date().isoformat()
    return str(v).strip()


def _required_text(v: object) -> str:
    t = _text(v)
    if not t:
        raise ValueError("expected a value (cell is blank)")
    return t


def _one_line(v: object) -> str:
    """A name or title: a line break in it is a CSV quote gone astray (a stray `"` makes every line up to the next
    quote one cell, and the rows between vanish into it), never a name."""
    t = _text(v)
    if "\n" in t or "\r" in t:
        raise ValueError('expected one line of text: a line break inside the cell (in a CSV file, a stray double '
                         'quote (") in this row joins the lines up to the next quote into one cell; in a workbook, '
                         "a line typed with Alt+Enter)")
    return t


def _optional_text(v: object) -> str | None:
    return _text(v) or None


def _bool(v: object) -> bool:
    if isinstance(v, bool):
        return v
    t = _text(v).lower()
    if t in ("true", "false"):
        return t == "true"
    raise ValueError("expected true or false")


def _whole_number(v: object, what: str, bounds: str) -> int | float:
    """The whole number a cell holds (±inf for one of more digits than any bound allows); `what` is the
    expected text for a cell that holds no whole number, `bounds` the one for a text in exponent notation."""
    if isinstance(v, bool):
        raise ValueError(f"expected {what}")
    if isinstance(v, int) or (isinstance(v, float) and math.isinf(v)):  # inf: an Excel number of 400 digits
        return v
    t = _text(v)
    m = _INT.fullmatch(t)
    if m is None:
        exponent = isinstance(v, str) and _EXPONENT.fullmatch(t)  # text only: an Excel number's str() may be 1e-05
        raise ValueError(f"expected {bounds}, {IN_DIGITS}" if exponent else f"expected {what}")
    digits = m.group(1)
    if len(digits) > _MAX_DIGITS:
        return -math.inf if digits.startswith("-") else math.inf
    return int(digits)


def _bounded_whole(v: object, lo: int, hi: int) -> int:
    """A whole number in lo..hi. A count below 0 (or 1) keeps its short message, `a whole number >= 0`."""
    short = f"a whole number >= {lo}" if lo in (0, 1) else None
    bounds = f"a whole number from {lo:,} to {hi:,}"
    n = _whole_number(v, short or "a whole number", bounds)
    if lo <= n <= hi:
        return int(n)
    raise ValueError(f"expected {short}" if short and n < lo else f"expected {bounds}")


def whole(lo: int, hi: int):
    """The cell type of a whole number in lo..hi, e.g. `whole(0, 100_000)` for students of a demand row."""
    return Annotated[int, BeforeValidator(partial(_bounded_whole, lo=lo, hi=hi))]


def _float(v: object) -> float:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        try:
            x = float(v)
        except OverflowError:  # an int beyond float range (an Excel cell of 400 digits)
            x = math.inf
    else:
        try:
            t = _text(v)  # as _INT: digits 0-9 only — not "٣٠", and not Python's "1_000"
            x = float(t) if t.isascii() and "_" not in t else math.nan
        except ValueError:
            raise ValueError("expected a number") from None
    if math.isnan(x) or math.isinf(x):
        raise ValueError("expected a number")
    return x


def number(lo: int, hi: int):
    """The cell type of a number (decimals allowed) in lo..hi, e.g. `number(-10_000, 10_000)` for km."""

    def parse(v: object) -> float:
        try:
            x = _float(v)
        except ValueError:  # text, nan, inf: the bounds say what a number there may be
            x = math.nan
        if not lo <= x <= hi:
            raise ValueError(f"expected a number from {lo:,} to {hi:,}")
        return x

    return Annotated[float, BeforeValidator(parse)]


def _grade(v: object) -> int:
    if isinstance(v, bool):
        raise ValueError(f"expected {GRADE_EXPECTED}")
    t = _text(v).upper()
    if t in GRADE_NAMES:
        return GRADE_NAMES[t]
    try:
        return _bounded_whole(v, *GRADE_RANGE)
    except ValueError:
        raise ValueError(f"expected {GRADE_EXPECTED}") from None


def _date(v: object) -> dt.date:
    """ISO YYYY-MM-DD (an Excel date cell, or M/D/YYYY as US Excel writes CSV, is accepted too), 1900..2199; a time
    of day beside it is refused, also 00:00 (a date column holds days: docs/data-format.md)."""
    day = _any_date(v)
    if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
        raise ValueError(f"expected a date YYYY-MM-DD from {DATE_RANGE[0]} to {DATE_RANGE[1]}")
    return day


def _any_date(v: object) -> dt.date:
    if isinstance(v, dt.datetime):  # a workbook cell of a date and a time (calamine gives a whole day as a date)
        if v.time() != dt.time(0):
            raise ValueError(f"expected {DATE_ONLY}")
        return v.date()
    if isinstance(v, dt.date):
        return v
    t = _text(v)
    if not t:
        raise ValueError("expected a date YYYY-MM-DD (cell is blank)")
    if _DATE_TIME.fullmatch(t):
        raise ValueError(f"expected {DATE_ONLY}")
    us = _US_DATE.fullmatch(t)
    try:
        if us:
            return dt.date(int(us.group(3)), int(us.group(1)), int(us.group(2)))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
            return dt.date.fromisoformat(t)
    except ValueError:
        if not us:  # 2026-02-30: the form is right, the day is not on the calendar
            raise ValueError("expected a date YYYY-MM-DD that is on the calendar (there is no such day)") from None
    raise ValueError("expected a date YYYY-MM-DD")


def _time(v: object) -> str:
    """HH:MM, 24-hour (H:MM, HH:MM:00 and '9:30 AM' are accepted too)."""
    if isinstance(v, (dt.time, dt.datetime)):
        return _whole_minutes(v)
    m = _TIME.fullmatch(_text(v))
    if m:
        h, minute, half = int(m.group(1)), int(m.group(2)), (m.group(3) or "").upper()
        if half and 1 <= h <= 12:
            h = h % 12 + (12 if half == "P" else 0)
        elif half:
            h = 99
        if h <= 23 and minute <= 59:
            return f"{h:02d}:{minute:02d}"
    raise ValueError("expected a time HH:MM")


def _whole_minutes(v: dt.time | dt.datetime) -> str:
    """An Excel time cell as HH:MM, to the second a stored fraction of a day may miss by; one with seconds is refused,
    not cut (a workbook fuzz saw 08:15:40 read as 08:15)."""
    minutes, seconds = divmod(round(v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6), 60)
    if seconds or minutes >= MINUTES_PER_DAY:
        raise ValueError("expected a time HH:MM in whole minutes")
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def minutes_of_day(hhmm: str | pd.Series) -> int | pd.Series:
    """Minutes after midnight of a time written HH:MM, as the Time cell type and the model file write it
    ('08:30' -> 510); a Series of such times gives an int64 Series with the same index."""
    if isinstance(hhmm, pd.Series):
        text = hhmm.astype("string")
        return text.str[:2].astype("int64") * 60 + text.str[3:5].astype("int64")
    return int(hhmm[:2]) * 60 + int(hhmm[3:5])


def _items(v: object) -> tuple[str, ...]:
    return tuple(p.strip() for p in _text(v).split(";") if p.strip())


def _is_id(t: str, longest: int = ID_MAX_LENGTH) -> bool:
    return len(t) <= longest and ID_PATTERN.fullmatch(t) is not None


def _id(v: object) -> str:
    t = _required_text(v)
    if not _is_id(t):
        raise ValueError(f"expected {ID_EXPECTED}")
    return t


def _derived_id(v: object) -> str:
    t = _required_text(v)
    if not _is_id(t, DERIVED_ID_MAX_LENGTH):
        raise ValueError(f"expected {DERIVED_ID_EXPECTED}")
    return t


def _optional_id(v: object) -> str | None:
    return _id(v) if _text(v) else None


def _optional_level(v: object) -> str | None:
    """A level in any letter case (stored in lower case), or blank."""
    return _choice(*LEVELS)(v) if _text(v) else None


def _id_list(v: object) -> tuple[str, ...]:
    items = _items(v)
    if not all(map(_is_id, items)):
        raise ValueError(f"expected a ';'-separated list of IDs, each {ID_EXPECTED.removeprefix('an ID ')}")
    return items


def _choice(*allowed: str):
    """One of `allowed`, in any letter case (stored in lower case, as docs/data-format.md writes them)."""

    def parse(v: object) -> str:
        t = _text(v).lower()
        if t not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}")
        return t

    return parse


def _choices(*allowed: str):
    def parse(v: object) -> tuple[str, ...]:
        items = tuple(i.lower() for i in _items(v))
        bad = [i for i in items if i not in allowed]
        if bad or not items:
            raise ValueError(f"expected a ';'-separated list of {', '.join(allowed)}")
        return items

    return parse


def _semester(v: object) -> str:
    return _choice(*SEMESTERS)(v)


Id = Annotated[str, BeforeValidator(_id)]
DerivedId = Annotated[str, BeforeValidator(_derived_id)]
Text = Annotated[str, BeforeValidator(_text)]
OneLine = Annotated[str, BeforeValidator(_one_line)]
RequiredText = Annotated[str, BeforeValidator(_required_text)]
OptionalId = Annotated[str | None, BeforeValidator(_optional_id)]
IdList = Annotated[tuple[str, ...], BeforeValidator(_id_list)]
Bool = Annotated[bool, BeforeValidator(_bool)]
Count = whole(0, MAX_COUNT)
Positive = whole(1, MAX_COUNT)
Int = whole(-MAX_COUNT, MAX_COUNT)
Amount = number(-MAX_AMOUNT, MAX_AMOUNT)
Grade = Annotated[int, BeforeValidator(_grade)]
Date = Annotated[dt.date, BeforeValidator(_date)]
Time = Annotated[str, BeforeValidator(_time)]
Level = Annotated[Literal["elementary", "middle", "high"], BeforeValidator(_choice(*LEVELS))]
Levels = Annotated[tuple[str, ...], BeforeValidator(_choices(*LEVELS))]
OptionalLevel = Annotated[str | None, BeforeValidator(_optional_level)]
Department = Annotated[Literal["general", "special_education"], BeforeValidator(_choice(*DEPARTMENTS))]
Role = Annotated[Literal["classroom", "resource_specialist"], BeforeValidator(_choice(*ROLES))]
Program = Annotated[str, BeforeValidator(_choice(*PROGRAMS))]
Semester = Annotated[str, BeforeValidator(_semester)]
SiteStatus = Annotated[str, BeforeValidator(_choice(*SITE_STATUSES))]
RoomKind = Annotated[str, BeforeValidator(_choice(*ROOM_KINDS))]
WorkLocation = Annotated[str, BeforeValidator(_choice(*WORK_LOCATIONS))]
PlanLocation = Annotated[str, BeforeValidator(_choice("site", "home"))]
RaStatus = Annotated[str, BeforeValidator(_choice(*RA_STATUSES))]
PeriodKind = Annotated[str, BeforeValidator(_choice(*PERIOD_KINDS))]
Outcome = Annotated[str, BeforeValidator(_choice("retained", "moved_level", "displaced"))]
