"""Cell types of the CSV formats in SPEC.md, each with the message a person reads when a cell is wrong.

Every parser accepts the text of a CSV cell (or the value openpyxl gives for an Excel cell) and raises
ValueError("expected ...") so that the loader can say: file, row, column, value, what is expected.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Literal

from pydantic import BeforeValidator

GRADE_NAMES = {"UTK": -2, "TK": -1, "K": 0}
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


def _text(v: object) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
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
    if re.fullmatch(r"[+-]?\d+", t):
        return int(t)
    if re.fullmatch(r"[+-]?\d+\.0*", t):
        return int(float(t))
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
    if isinstance(v, (int, float)) and not isinstance(v, bool) and not math.isnan(v):
        return float(v)
    try:
        x = float(_text(v))
    except ValueError:
        raise ValueError("expected a number") from None
    if math.isnan(x) or math.isinf(x):
        raise ValueError("expected a number")
    return x


def _grade(v: object) -> int:
    if isinstance(v, int) and not isinstance(v, bool):
        g = v
    else:
        t = _text(v).upper()
        if t in GRADE_NAMES:
            return GRADE_NAMES[t]
        try:
            g = _int(t)
        except ValueError:
            raise ValueError("expected a grade: UTK, TK, K or 1..12 (UTK=-2, TK=-1, K=0)") from None
    if not -2 <= g <= 12:
        raise ValueError("expected a grade: UTK, TK, K or 1..12 (UTK=-2, TK=-1, K=0)")
    return g


def _date(v: object) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    t = _text(v)
    t = re.sub(r"[ T]00:00(:00)?$", "", t)
    try:
        return dt.date.fromisoformat(t)
    except ValueError:
        raise ValueError("expected a date YYYY-MM-DD") from None


def _time(v: object) -> str:
    if isinstance(v, dt.time):
        return v.strftime("%H:%M")
    t = _text(v)
    m = re.fullmatch(r"(\d{1,2}):(\d{2})(:00)?", t)
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise ValueError("expected a time HH:MM")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def _id_list(v: object) -> tuple[str, ...]:
    return tuple(p.strip() for p in _text(v).split(";") if p.strip())


def _choice(*allowed: str):
    def parse(v: object) -> str:
        t = _text(v)
        if t not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}")
        return t

    return parse


def _choices(*allowed: str):
    def parse(v: object) -> tuple[str, ...]:
        items = _id_list(v)
        bad = [i for i in items if i not in allowed]
        if bad or not items:
            raise ValueError(f"expected a ';'-separated list of {', '.join(allowed)}")
        return items

    return parse


def _semester(v: object) -> str:
    return _choice(*SEMESTERS)(_text(v).lower())


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
