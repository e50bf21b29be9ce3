"""Shared fixtures of the people checks (A7.x, A16–A26, A10–A11): the tiny district and a valid plan for it.

The tiny district (tests/conftest.py) has VA1 with teachers E1, E2 (elementary), H1, H2 (high), R1T
(resource specialist); sites S1 (R1, priority) and S2 (R2); rooms S1-101 (classroom), S1-200 (shared,
capacity 2, partitions) and S2-101 (classroom). Seniority: H1 2001 > E1 2005 > H2 2010 > E2 2012 > R1T 2015.

`tiny_plan()` is a plan that breaks none of these rules; each test edits one thing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from vastaff.check.core import CheckContext
from vastaff.contract import load_contract
from vastaff.schemas.district import Plan
from vastaff.io.district import load_district
from vastaff.io.plan import frame_for, load_plan, write_plan
from vastaff.rules import Finding


def _root_conftest():
    """tests/conftest.py as a module (the project root is on pytest's pythonpath)."""
    import tests.conftest as root

    return root


_ROOT = _root_conftest()
tiny_tables = _ROOT.tiny_tables
write_tables = _ROOT.write_tables
CONTRACT = load_contract()


def teacher_row(tid: str, work_location: str = "home", site_id: str = "", room_id: str = "") -> dict:
    """A plan teachers.csv row with zero costs."""
    return {"teacher_id": tid, "courses_s1": 0, "courses_s2": 0, "stipend_courses": 0, "stipend_cost": 0.0,
            "multigrade_sections": 0, "multigrade_cost": 0.0, "xtime_hours": 0.0, "xtime_cost": 0.0,
            "work_location": work_location, "site_id": site_id or None, "room_id": room_id or None}


def tiny_plan_tables() -> dict[str, list[dict]]:
    """Plan tables that satisfy every people rule on the tiny district."""
    return {
        "sections": [
            {"section_id": "EL1-A", "school_id": "VA1", "course_id": "EL-1", "semester": "year", "period_id": "homeroom",
             "teacher_id": "E1", "enrollment": 20},
            {"section_id": "EL1-B", "school_id": "VA1", "course_id": "EL-1", "semester": "year", "period_id": "homeroom",
             "teacher_id": "E2", "enrollment": 20},
            {"section_id": "ALG-A", "school_id": "VA1", "course_id": "MA-ALG1", "semester": "1", "period_id": "P1",
             "teacher_id": "H1", "enrollment": 30},
            {"section_id": "EN9-A", "school_id": "VA1", "course_id": "EN-9", "semester": "year", "period_id": "P2",
             "teacher_id": "H2", "enrollment": 25},
        ],
        "section_grades": [
            {"section_id": "EL1-A", "grade": 1, "students": 20},
            {"section_id": "EL1-B", "grade": 1, "students": 20},
            {"section_id": "ALG-A", "grade": 9, "students": 30},
            {"section_id": "EN9-A", "grade": 9, "students": 25},
        ],
        "teachers": [
            teacher_row("E1", "site", "S1", "S1-101"),
            teacher_row("E2"),
            teacher_row("H1", "site", "S2", "S2-101"),
            teacher_row("H2", "site", "S1", "S1-200"),
            teacher_row("R1T"),
        ],
        "iep_assignments": [
            {"meeting_id": "M1", "teacher_id": "H1", "needs_coverage": True},
            {"meeting_id": "M2", "teacher_id": "E1", "needs_coverage": False},
        ],
        "caseloads": [
            {"student_id": "ST1", "teacher_id": "R1T"},
            {"student_id": "ST3", "teacher_id": "R1T"},
        ],
    }


def make_plan(tables: dict[str, list[dict] | None]) -> Plan:
    """An in-memory Plan: listed tables in documented columns, the others empty (as load_plan gives absent files)."""
    frames = {name: frame_for(name, rows) for name, rows in tables.items() if name != "displacement" and rows is not None}
    for name in ("sections", "section_grades", "teachers", "iep_assignments", "caseloads"):
        frames.setdefault(name, frame_for(name, None))
    disp = tables.get("displacement")
    return Plan(**frames, displacement=None if disp is None else frame_for("displacement", disp))


def written_plan(folder: Path, tables: dict[str, list[dict]]) -> Plan:
    """Write the tables as a plan folder (only those given) and load it back, as `vastaff check` would."""
    write_plan(folder, {name: frame_for(name, rows) for name, rows in tables.items()}, {"status": "FEASIBLE"})
    return load_plan(folder)


_DISTRICTS: dict[str, object] = {}


def district_of(tmp_path: Path, data: dict, contract=None):
    """load_district on the tables written as CSV; loaded once per distinct table content (tests never mutate it)."""
    key = json.dumps(data, sort_keys=True, default=str) + str(id(contract))
    if key not in _DISTRICTS:
        _DISTRICTS[key] = load_district(write_tables(tmp_path / "data", data), contract or CONTRACT)
    return _DISTRICTS[key]


def context(tmp_path: Path, data: dict | None = None, plan: dict | Plan | None = None, contract=None) -> CheckContext:
    """A CheckContext from data tables (default: tiny) and plan tables (default: tiny_plan_tables())."""
    district = district_of(tmp_path, data if data is not None else tiny_tables(), contract)
    plan = plan if isinstance(plan, Plan) else make_plan(plan if plan is not None else tiny_plan_tables())
    return CheckContext(district=district, plan=plan, contract=contract or CONTRACT)


def run_all(module, ctx: CheckContext) -> list[Finding]:
    """Every check of a rule module (or of a tuple of modules), in rule order."""
    modules = module if isinstance(module, tuple) else (module,)
    return [v for m in modules for check in m.CHECKS for v in check(ctx)]


def edit_rows(rows: list[dict], key: str, value: str, **changes) -> list[dict]:
    """Apply `changes` to the row whose `key` equals `value` (in place); return the rows."""
    hit = [r for r in rows if r[key] == value]
    assert len(hit) == 1, f"no single row with {key} = {value}"
    hit[0].update(changes)
    return rows


# ---------------------------------------------------------------------------------------------- a synthetic district

def synthetic_people(n_teachers: int, seed: int = 7, meetings_per_school: int = 40):
    """A large random district and plan for timing the people checks (District and Plan built in memory).

    Teachers sit at 60 sites in 10 regions (some temporarily closed or closed), hold 0-3 ranked requests,
    and get a crude plan: incumbents keep a room at their open current site in seniority order, the rest
    stay home. Caseloads and IEP assignments are random among the fitting teachers.
    """
    import numpy as np

    from vastaff.schemas.district import District

    rng = np.random.default_rng(seed)
    n_schools, n_sites = 20, 60
    regions = pd.DataFrame({"region_id": [f"R{i}" for i in range(10)], "name": "r",
                            "x_km": rng.uniform(0, 80, 10), "y_km": rng.uniform(0, 80, 10)})
    status = rng.choice(["open", "temporarily_closed", "closed"], n_sites, p=[0.85, 0.1, 0.05])
    sites = pd.DataFrame({"site_id": [f"S{i}" for i in range(n_sites)], "name": "s",
                          "region_id": rng.choice(regions.region_id, n_sites), "priority_site": False, "status": status})
    sites.loc[0, ["priority_site", "status"]] = [True, "open"]
    n_rooms = n_teachers // 4
    kind = rng.choice(["classroom", "shared"], n_rooms, p=[0.8, 0.2])
    rooms = pd.DataFrame({"room_id": [f"RM{i}" for i in range(n_rooms)], "site_id": rng.choice(sites.site_id, n_rooms),
                          "kind": kind, "capacity": np.where(kind == "shared", rng.integers(2, 5, n_rooms), 1),
                          "partitions": rng.random(n_rooms) < 0.7})
    schools = pd.DataFrame({"school_id": [f"VA{i}" for i in range(n_schools)], "name": "v",
                            "region_id": rng.choice(regions.region_id, n_schools),
                            "levels": [("elementary", "middle", "high")] * n_schools})
    level = rng.choice(["elementary", "middle", "high"], n_teachers)
    lo = np.select([level == "elementary", level == "middle"], [0, 6], 9)
    role = np.where(rng.random(n_teachers) < 0.08, "resource_specialist", "classroom")
    creds = np.array(["multiple_subject", "math", "english", "science", "special_education"])
    site_ids = sites.site_id.to_numpy(dtype=object)
    ranked = site_ids[np.argsort(rng.random((n_teachers, n_sites)), axis=1)[:, :3]]
    requests = [tuple(r[:k]) for r, k in zip(ranked.tolist(), rng.integers(0, 4, n_teachers))]
    pairs = creds[np.argsort(rng.random((n_teachers, len(creds))), axis=1)[:, :2]].tolist()
    teachers = pd.DataFrame({
        "teacher_id": [f"T{i:05d}" for i in range(n_teachers)], "name": "t",
        "school_id": rng.choice(schools.school_id, n_teachers), "level": level,
        "department": np.where(role == "resource_specialist", "special_education", "general"), "role": role,
        "seniority_date": pd.to_datetime("1990-01-01") + pd.to_timedelta(rng.integers(0, 3000, n_teachers), "D"),
        "seniority_tiebreak": rng.integers(1, 4, n_teachers),
        "credentials": [tuple(p) for p in pairs],
        "grade_min": lo, "grade_max": lo + 3, "home_region_id": rng.choice(regions.region_id, n_teachers),
        "current_site_id": pd.Series(rng.choice(sites.site_id, n_teachers)).where(rng.random(n_teachers) < 0.6),
        "work_location": rng.choice(["site", "home", "either"], n_teachers),
        "ra_status": rng.choice(["none", "granted", "pending"], n_teachers, p=[0.9, 0.05, 0.05]),
        "stipend_consent": False, "requested_site_ids": requests,
    })
    courses = pd.DataFrame([{"course_id": f"{s}-{lv}-{c}", "school_id": s, "title": "c", "subject": c, "credential": c,
                             "level": lv, "program": "general", "semester": "year"}
                            for s in schools.school_id for lv in ("elementary", "middle", "high") for c in creds[:4]])
    sped = pd.DataFrame({"student_id": [f"ST{i}" for i in range(n_teachers // 2)],
                         "school_id": rng.choice(schools.school_id, n_teachers // 2),
                         "grade": rng.integers(0, 13, n_teachers // 2)})
    meetings = _synthetic_meetings(rng, teachers, n_schools, meetings_per_school)
    positions = teachers.groupby(["school_id", "level", "department"]).size().rename("positions").reset_index()
    positions["positions"] = (positions["positions"] * 0.9).astype(int)
    frames = {"schools": schools, "regions": regions, "sites": sites, "rooms": rooms, "teachers": teachers,
              "courses": courses, "demand": pd.DataFrame(columns=["school_id", "course_id", "grade", "students"]),
              "periods": pd.DataFrame(columns=["school_id", "period_id", "kind", "order"]), "iep_meetings": meetings,
              "sped_students": sped, "positions": positions}
    frames = {k: v.assign(_row=np.arange(2, len(v) + 2)) for k, v in frames.items()}
    district = District(**frames, has_positions=True)
    return district, _synthetic_plan(rng, district)


def _synthetic_meetings(rng, teachers: pd.DataFrame, n_schools: int, per_school: int) -> pd.DataFrame:
    gen = teachers[teachers.role == "classroom"]
    rows = []
    for s in range(n_schools):
        pool = gen[gen.school_id == f"VA{s}"].teacher_id.to_numpy()
        for m in range(per_school):
            start = int(rng.integers(8 * 60, 15 * 60) // 30 * 30)
            rows.append({"meeting_id": f"M{s}-{m}", "school_id": f"VA{s}", "student_id": f"X{s}-{m}", "grade": 5,
                         "date": pd.Timestamp("2026-09-14") + pd.Timedelta(days=int(rng.integers(0, 5))),
                         "start": f"{start // 60:02d}:{start % 60:02d}", "end": f"{(start + 60) // 60:02d}:{start % 60:02d}",
                         "eligible_teacher_ids": tuple(rng.choice(pool, 6, replace=False))})
    return pd.DataFrame(rows)


def _synthetic_plan(rng, d) -> Plan:
    import numpy as np

    t = d.seniority_order()
    open_rooms = d.rooms.merge(d.sites[d.sites.status == "open"][["site_id"]], on="site_id")
    places = np.where((open_rooms.kind == "shared") & open_rooms.partitions, open_rooms.capacity, 1)
    slots = open_rooms.loc[open_rooms.index.repeat(places), ["site_id", "room_id"]]
    slots["slot"] = slots.groupby("site_id").cumcount()
    stay = t[t.current_site_id.notna() & (t.work_location != "home")].copy()
    stay["slot"] = stay.groupby("current_site_id").cumcount()
    placed = stay.merge(slots, left_on=["current_site_id", "slot"], right_on=["site_id", "slot"])
    movers = _synthetic_movers(t, slots, placed)
    placed = pd.concat([placed[["teacher_id", "site_id", "room_id"]], movers], ignore_index=True)
    teachers = pd.DataFrame([teacher_row(tid) for tid in d.teachers.teacher_id])
    at = teachers.teacher_id.map(placed.set_index("teacher_id").room_id)
    teachers["work_location"] = np.where(at.notna(), "site", "home")
    teachers["room_id"] = at
    teachers["site_id"] = teachers.teacher_id.map(placed.set_index("teacher_id").site_id)
    spec = d.teachers[d.teachers.role == "resource_specialist"]
    pick = d.sped_students.school_id.map(spec.groupby("school_id").teacher_id.first())
    caseloads = pd.DataFrame({"student_id": d.sped_students.student_id, "teacher_id": pick})
    m = d.iep_meetings
    iep = pd.DataFrame({"meeting_id": m.meeting_id,
                        "teacher_id": [ids[int(rng.integers(0, len(ids)))] for ids in m.eligible_teacher_ids],
                        "needs_coverage": m.start < "11:00"})
    disp = _synthetic_displacement(d)
    empty = {name: frame_for(name, None) for name in ("sections", "section_grades")}
    return Plan(**empty, teachers=teachers, iep_assignments=iep, caseloads=caseloads, displacement=disp)


def _synthetic_movers(t: pd.DataFrame, slots: pd.DataFrame, placed: pd.DataFrame) -> pd.DataFrame:
    """Teachers not placed yet take a free slot at their first request, in seniority order."""
    free = slots.merge(placed[["room_id", "slot"]].drop_duplicates(), how="left", indicator=True)
    free = free[free["_merge"] == "left_only"].drop(columns="_merge")
    free["nth"] = free.groupby("site_id").cumcount()
    ask = t[~t.teacher_id.isin(placed.teacher_id) & (t.work_location != "home") & (t.requested_site_ids.map(len) > 0)]
    ask = ask.assign(site_id=ask.requested_site_ids.str[0])
    ask["nth"] = ask.groupby("site_id").cumcount()
    return ask.merge(free, on=["site_id", "nth"])[["teacher_id", "site_id", "room_id"]]


def _synthetic_displacement(d) -> pd.DataFrame:
    t = d.seniority_order()
    t["rank"] = t.groupby(["school_id", "level", "department"]).cumcount() + 1
    t = t.merge(d.positions, on=["school_id", "level", "department"], how="left")
    kept = t["rank"] <= t["positions"]
    return pd.DataFrame({"teacher_id": t.teacher_id, "school_id": t.school_id, "from_level": t.level,
                         "department": t.department, "outcome": kept.map({True: "retained", False: "displaced"}),
                         "to_level": t.level.where(kept), "site_id": pd.Series("S0", index=t.index).where(~kept),
                         "seniority_rank": t["rank"], "article": "10.0"})
