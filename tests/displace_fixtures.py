"""Tiny named districts for the displacement tests (A10, A10.1, A11), small enough to solve by hand.

`three_levels()` is one school, VA1 in region R1, offering elementary, middle and high:

    high general    H1 2001  H2 2003  H3 2005 (english)  H4 2007 (math)   positions 2 -> H3, H4 surplus
    middle general  M1 2002  M2 2010                                     positions 3 -> 1 vacancy
    elem. general   E1 2000  E2 2011                                     positions 2 -> no vacancy
    high sped       X1 2004 (resource specialist)                        absent from positions.csv

Middle offers a math course only, so H4 (math) can move to middle and H3 (english only) cannot.
Sites: S1 (region R1, priority), S2 (region R2), S3 (region R3, priority). Regions on a line: R1 at 0 km,
R2 at 10 km, R3 at 30 km.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import write_tables

from vastaff.contract import load_contract
from vastaff.io.district import load_district

CONTRACT = load_contract()


def teacher(tid: str, level: str, date: str, tiebreak: int = 1, credentials: str = "math", grades=("9", "12"),
            department: str = "general", school: str = "VA1", home: str = "R1", role: str = "classroom") -> dict:
    """A teachers.csv row; everything not about seniority, level or credentials is a plain default."""
    return {"teacher_id": tid, "name": f"Teacher {tid}", "school_id": school, "level": level, "department": department,
            "role": role, "seniority_date": date, "seniority_tiebreak": tiebreak, "credentials": credentials,
            "grade_min": grades[0], "grade_max": grades[1], "home_region_id": home, "current_site_id": "",
            "work_location": "home", "ra_status": "none", "stipend_consent": "false", "requested_site_ids": ""}


def course(cid: str, level: str, credential: str, school: str = "VA1") -> dict:
    program = "special_education" if credential == "special_education" else "general"
    return {"course_id": cid, "school_id": school, "title": cid, "subject": credential, "credential": credential,
            "level": level, "program": program, "semester": "year" if level == "elementary" else "1"}


def position(level: str, n: int, department: str = "general", school: str = "VA1") -> dict:
    return {"school_id": school, "level": level, "department": department, "positions": n}


def site(sid: str, region: str, priority: bool, status: str = "open") -> dict:
    return {"site_id": sid, "name": f"Site {sid}", "region_id": region,
            "priority_site": "true" if priority else "false", "status": status}


def three_levels() -> dict[str, list[dict]]:
    """The district of the module docstring, as editable rows."""
    return {
        "regions": [
            {"region_id": "R1", "name": "One", "x_km": 0, "y_km": 0},
            {"region_id": "R2", "name": "Two", "x_km": 10, "y_km": 0},
            {"region_id": "R3", "name": "Three", "x_km": 30, "y_km": 0},
        ],
        "schools": [{"school_id": "VA1", "name": "Virtual Academy 1", "region_id": "R1",
                     "levels": "elementary;middle;high"}],
        "sites": [site("S1", "R1", True), site("S2", "R2", False), site("S3", "R3", True)],
        "rooms": [{"room_id": "S1-1", "site_id": "S1", "kind": "classroom", "capacity": 1, "partitions": "false"}],
        "teachers": [
            teacher("H1", "high", "2001-01-01"),
            teacher("H2", "high", "2003-01-01"),
            teacher("H3", "high", "2005-01-01", credentials="english"),
            teacher("H4", "high", "2007-01-01", credentials="math", grades=("6", "12")),
            teacher("M1", "middle", "2002-01-01", grades=("6", "8")),
            teacher("M2", "middle", "2010-01-01", grades=("6", "8")),
            teacher("E1", "elementary", "2000-01-01", credentials="multiple_subject", grades=("K", "5")),
            teacher("E2", "elementary", "2011-01-01", credentials="multiple_subject", grades=("K", "5")),
            teacher("X1", "high", "2004-01-01", credentials="special_education", department="special_education",
                    role="resource_specialist"),
        ],
        "courses": [
            course("EL-1", "elementary", "multiple_subject"),
            course("MA-7", "middle", "math"),
            course("MA-ALG1", "high", "math"),
            course("EN-9", "high", "english"),
        ],
        "demand": [
            {"school_id": "VA1", "course_id": "EL-1", "grade": 1, "students": 20},
            {"school_id": "VA1", "course_id": "MA-7", "grade": 7, "students": 20},
            {"school_id": "VA1", "course_id": "MA-ALG1", "grade": 9, "students": 20},
            {"school_id": "VA1", "course_id": "EN-9", "grade": 9, "students": 20},
        ],
        "periods": [{"school_id": "VA1", "period_id": "P1", "kind": "academic", "order": 1}],
        "positions": [position("high", 2), position("middle", 3), position("elementary", 2)],
    }


_LOADED: dict[str, object] = {}


def load(tmp_path: Path, tables: dict[str, list[dict]], name: str = "data"):
    """Write the tables and load them as a District (cached by content: `displace` never mutates its input)."""
    key = json.dumps(tables, sort_keys=True, default=str)
    if key not in _LOADED:
        _LOADED[key] = load_district(write_tables(tmp_path / name, tables), CONTRACT)
    return _LOADED[key]


def rows_by_teacher(frame) -> dict[str, dict]:
    """displacement.csv rows keyed by teacher_id, with blanks as ''."""
    return {r["teacher_id"]: r for r in frame.fillna("").to_dict("records")}
