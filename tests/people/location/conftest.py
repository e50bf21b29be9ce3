"""Small named location districts for tests/location (A16, A19, A24, A25, A26), built from tiny_tables().

The geography of `base_tables()`: regions on a line, R1 at 0 km, R2 at 10 km, R3 at 30 km (R4 at 25 km
off the line, used for ties); school VA1 is in R1. Sites and rooms are given per test with `site()`
and `room()`; teachers with `teacher()` (a high-school classroom teacher of VA1; every location field
can be overridden). `world.solve(...)` builds the district frames straight from the rows (the loader's
dtypes; `test_frames_match_the_loader` and the tiny-district tests go through the CSV loader) and runs
`assign_locations`.
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from vastaff.contract import load_contract
from vastaff.schemas.district import District, Plan
from vastaff.io.district import load_district
from vastaff.people.location import assign_locations
from vastaff.schemas.inputs import INPUT_TABLES

_spec = importlib.util.spec_from_file_location("vastaff_tests_root_conftest", Path(__file__).parents[2] / "conftest.py")
_root = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_root)
tiny_tables, write_tables = _root.tiny_tables, _root.write_tables

CONTRACT = load_contract()

REGIONS = [
    {"region_id": "R1", "name": "North", "x_km": 0, "y_km": 0},
    {"region_id": "R2", "name": "Middle", "x_km": 10, "y_km": 0},
    {"region_id": "R3", "name": "South", "x_km": 30, "y_km": 0},
]


def site(site_id: str, region: str, status: str = "open", priority: bool = False) -> dict:
    """A sites.csv row."""
    return {"site_id": site_id, "name": f"Site {site_id}", "region_id": region,
            "priority_site": "true" if priority else "false", "status": status}


def room(room_id: str, site_id: str, kind: str = "classroom", capacity: int = 1, partitions: bool = False) -> dict:
    """A rooms.csv row."""
    return {"room_id": room_id, "site_id": site_id, "kind": kind, "capacity": capacity,
            "partitions": "true" if partitions else "false"}


def teacher(tid: str, date: str = "2010-01-01", tiebreak: int = 1, where: str = "site", current: str = "",
            requests: str = "", home: str = "R1", ra: str = "none") -> dict:
    """A teachers.csv row: a VA1 high-school math teacher; the location fields are the arguments."""
    return {"teacher_id": tid, "name": f"Teacher {tid}", "school_id": "VA1", "level": "high", "department": "general",
            "role": "classroom", "seniority_date": date, "seniority_tiebreak": tiebreak, "credentials": "math",
            "grade_min": "9", "grade_max": "12", "home_region_id": home, "current_site_id": current,
            "work_location": where, "ra_status": ra, "stipend_consent": "false", "requested_site_ids": requests}


def base_tables(sites: list[dict], rooms: list[dict], teachers: list[dict], regions: list[dict] | None = None) -> dict:
    """tiny_tables() with these regions, sites, rooms and teachers (and no IEP, caseload or positions rows)."""
    t = tiny_tables()
    t.update(regions=regions or REGIONS, sites=sites, rooms=rooms, teachers=teachers,
             iep_meetings=[], sped_students=[], positions=[])
    return t


def load(tables: dict):
    """Write the tables as a CSV folder and load them with load_district (as the CLI does)."""
    with tempfile.TemporaryDirectory() as tmp:
        return load_district(write_tables(Path(tmp) / "data", tables), CONTRACT)


def frames(tables: dict) -> District:
    """The same district as `load(tables)`, built straight from the rows with the loader's dtypes (no CSV; fast)."""
    def frame(name: str) -> pd.DataFrame:
        columns = list(INPUT_TABLES[name][0].model_fields)
        return pd.DataFrame(tables[name], columns=columns).assign(_row=lambda f: range(2, len(f) + 2))

    teachers = frame("teachers")
    teachers["current_site_id"] = teachers["current_site_id"].replace("", None)
    teachers["requested_site_ids"] = [tuple(x for x in str(v).split(";") if x) for v in teachers["requested_site_ids"]]
    teachers["seniority_date"] = pd.to_datetime(teachers["seniority_date"]).astype("datetime64[s]")
    teachers["seniority_tiebreak"] = teachers["seniority_tiebreak"].astype("int64")
    rooms = frame("rooms")
    rooms["partitions"] = rooms["partitions"].astype(str).str.lower().eq("true")
    rooms["capacity"] = rooms["capacity"].astype("int64")
    regions = frame("regions").astype({"x_km": "float64", "y_km": "float64"})
    sites = frame("sites")
    schools = frame("schools")
    empty = pd.DataFrame()
    return District(schools=schools, regions=regions, sites=sites, rooms=rooms, teachers=teachers, courses=empty,
                    demand=empty, periods=empty, iep_meetings=empty, sped_students=empty, positions=empty)


def solve(sites, rooms, teachers, regions=None, previous=None):
    """assign_locations on a district built from these rows (as frames: test_property checks they match the loader)."""
    return assign_locations(frames(base_tables(sites, rooms, teachers, regions)), CONTRACT, previous)


def placed(result) -> dict[str, tuple]:
    """teacher_id -> (site_id, room_id), None for home."""
    a = result.assignments
    return {t: (None if pd.isna(s) else s, None if pd.isna(r) else r)
            for t, s, r in zip(a["teacher_id"], a["site_id"], a["room_id"])}


def site_of(result) -> dict[str, str | None]:
    """teacher_id -> site_id (None at home)."""
    return {t: s for t, (s, _) in placed(result).items()}


def previous_plan(rows: list[tuple[str, str | None, str | None]]) -> Plan:
    """Last night's plan with only the location columns of teachers.csv: (teacher_id, site_id, room_id)."""
    teachers = pd.DataFrame([{"teacher_id": t, "work_location": "site" if s else "home", "site_id": s, "room_id": rm}
                             for t, s, rm in rows])
    empty = pd.DataFrame()
    return Plan(sections=empty, section_grades=empty, teachers=teachers, iep_assignments=empty, caseloads=empty)


@pytest.fixture(scope="session")
def world():
    """The builders above as one namespace (fixtures, so no test imports a module named conftest)."""
    return SimpleNamespace(site=site, room=room, teacher=teacher, base_tables=base_tables, load=load, frames=frames, solve=solve,
                           placed=placed, site_of=site_of, previous_plan=previous_plan, tiny_tables=tiny_tables, write_tables=write_tables,
                           contract=CONTRACT, regions=REGIONS)
