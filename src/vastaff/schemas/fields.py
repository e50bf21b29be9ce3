"""Cell types of the CSV formats in SPEC.md, each with the message a person reads when a cell is wrong.

Every parser accepts the text of a CSV cell (or the value openpyxl gives for an Excel cell: str, int, float,
bool, datetime, time or None) and raises ValueError("expected ...") so that the loader can say: file, row,
column, value, what is expected. Parsers are pure functions of one cell, so the loader may call them once per
distinct value of a column.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Literal

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

_INT = re.compile(r"[+-]?\d+(\.0*)?")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::00)?(?:\s*([AaPp])\.?[Mm]\.?)?")
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


def _optional_text(v: object) -> str | None:
    return _text(v) or None


def _bool(v: object) -> bool:
    if isinstance(v, bool):
        return v
    t = _text(v).lower()
    if t in ("true", "false"):
        return t == "true"
    raise ValueError("expected true or false")


def _int(v: object, what: str = "a whole number") -> int:
    if isinstance(v, bool):
        raise ValueError(f"expected {what}")
    if isinstance(v, int):
        return v
    t = _text(v)
    if _INT.fullmatch(t):
        return int(float(t)) if "." in t else int(t)
    raise ValueError(f"expected {what}")


def _count(v: object) -> int:
    n = _int(v, "a whole number >= 0")
    if n < 0:
        raise ValueError("expected a whole number >= 0")
    return n


def _positive(v: object) -> int:
    n = _int(v, "a whole number >= 1")
    if n < 1:
        raise ValueError("expected a whole number >= 1")
    return n


def _float(v: object) -> float:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        x = float(v)
    else:
        try:
            x = float(_text(v))
        except ValueError:
            raise ValueError("expected a number") from None
    if math.isnan(x) or math.isinf(x):
        raise ValueError("expected a number")
    return x


def _grade(v: object) -> int:
    if isinstance(v, bool):
        raise ValueError(f"expected {GRADE_EXPECTED}")
    t = _text(v).upper()
    if t in GRADE_NAMES:
        return GRADE_NAMES[t]
    try:
        g = _int(v)
    except ValueError:
        raise ValueError(f"expected {GRADE_EXPECTED}") from None
    if not GRADE_RANGE[0] <= g <= GRADE_RANGE[1]:
        raise ValueError(f"expected {GRADE_EXPECTED}")
    return g


def _date(v: object) -> dt.date:
    """ISO YYYY-MM-DD (an Excel date cell, or M/D/YYYY as US Excel writes CSV, is accepted too)."""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    t = _text(v)
    if not t:
        raise ValueError("expected a date YYYY-MM-DD (cell is blank)")
    t = re.sub(r"[ T]0?0:00(:00)?$", "", t)
    try:
        us = _US_DATE.fullmatch(t)
        if us:
            return dt.date(int(us.group(3)), int(us.group(1)), int(us.group(2)))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", t):
            return dt.date.fromisoformat(t)
    except ValueError:
        pass
    raise ValueError("expected a date YYYY-MM-DD")


def _time(v: object) -> str:
    """HH:MM, 24-hour (H:MM, HH:MM:00 and '9:30 AM' are accepted too)."""
    if isinstance(v, (dt.time, dt.datetime)):
        return v.strftime("%H:%M")
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


def _id_list(v: object) -> tuple[str, ...]:
    return tuple(p.strip() for p in _text(v).split(";") if p.strip())


def _choice(*allowed: str):
    """One of `allowed`, in any letter case (stored in lower case, as SPEC writes them)."""

    def parse(v: object) -> str:
        t = _text(v).lower()
        if t not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}")
        return t

    return parse


def _choices(*allowed: str):
    def parse(v: object) -> tuple[str, ...]:
        items = tuple(i.lower() for i in _id_list(v))
        bad = [i for i in items if i not in allowed]
        if bad or not items:
            raise ValueError(f"expected a ';'-separated list of {', '.join(allowed)}")
        return items

    return parse


def _semester(v: object) -> str:
    return _choice(*SEMESTERS)(v)


Id = Annotated[str, BeforeValidator(_required_text)]
Text = Annotated[str, BeforeValidator(_text)]
OptionalId = Annotated[str | None, BeforeValidator(_optional_text)]
IdList = Annotated[tuple[str, ...], BeforeValidator(_id_list)]
Bool = Annotated[bool, BeforeValidator(_bool)]
Count = Annotated[int, BeforeValidator(_count)]
Positive = Annotated[int, BeforeValidator(_positive)]
Int = Annotated[int, BeforeValidator(_int)]
Number = Annotated[float, BeforeValidator(_float)]
Grade = Annotated[int, BeforeValidator(_grade)]
Date = Annotated[dt.date, BeforeValidator(_date)]
Time = Annotated[str, BeforeValidator(_time)]
Level = Annotated[Literal["elementary", "middle", "high"], BeforeValidator(_choice(*LEVELS))]
Levels = Annotated[tuple[str, ...], BeforeValidator(_choices(*LEVELS))]
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
