"""Plans for the tiny district, built by hand from a list of section dicts.

`Case` writes the tiny district (tests/conftest.py) and a plan folder (sections.csv, section_grades.csv,
teachers.csv with costs computed here, by plain arithmetic independent of the checker, and run.json), loads
both the way the CLI does, and runs the checker. Tests edit `case.tables` (the district) or `case.sections`,
or pass `edit=` to change the plan's frames and run.json just before they are written.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest

from vastaff.check.core import CheckReport
from vastaff.check.runner import SECTION_MODULES, run_checks
from vastaff.contract import load_contract
from vastaff.io.district import load_district
from vastaff.io.plan import load_plan, write_plan



def _root_conftest():
    """tests/conftest.py as a module (the project root is on pytest's pythonpath)."""
    import tests.conftest as root

    return root


tiny_tables, write_tables = _root_conftest().tiny_tables, _root_conftest().write_tables
CONTRACT = load_contract()
_DISTRICTS: dict[str, object] = {}
MEETS = {"1": (1,), "2": (2,), "year": (1, 2)}
PLACES = {"E1": ("site", "S1", "S1-101"), "E2": ("home", None, None), "H1": ("site", "S2", "S2-101"),
          "H2": ("site", "S1", "S1-200"), "R1T": ("home", None, None)}
"""Work places that keep A16/A19/A24 for the tiny district: H1 and H2 each get their first request."""


def sec(section_id: str, course_id: str, semester: str, period_id: str | None, teacher_id: str | None,
        grades: dict[int, int], school_id: str = "VA1", enrollment: int | None = None) -> dict:
    """One section of a hand-made plan; `grades` maps grade -> students; enrollment None = their sum."""
    return {"section_id": section_id, "school_id": school_id, "course_id": course_id, "semester": semester,
            "period_id": period_id, "teacher_id": teacher_id, "grades": dict(grades),
            "enrollment": enrollment}


def valid_sections() -> list[dict]:
    """A plan that keeps every rule for the tiny district (hand-checked: K-3 mean 20, 4-12 means 19.25 / 25)."""
    return [
        sec("S-E1", "EL-1", "year", "homeroom", "E1", {1: 20}),
        sec("S-E2", "EL-1", "year", "homeroom", "E2", {1: 20}),
        sec("S-ALG", "MA-ALG1", "1", "P1", "H1", {9: 30}),
        sec("S-HALG", "MA-HALG1", "1", "P1", "H1", {9: 12}),
        sec("S-EN", "EN-9", "year", "P1", "H2", {9: 25}),
        sec("S-ELD", "ELD-1", "1", "P2", "H2", {9: 10}),
    ]


def teacher_costs(teacher_ids: list[str], sections: list[dict], previous: list[dict] | None) -> pd.DataFrame:
    """teachers.csv cost columns by plain arithmetic, per docs/contract.md (independent of vastaff.check)."""
    c = CONTRACT
    rows = []
    for t in teacher_ids:
        mine = [s for s in sections if s["teacher_id"] == t]
        per_sem = {1: set(), 2: set()}
        for s in mine:
            for sem in MEETS[s["semester"]]:
                per_sem[sem].add(s["course_id"])
        stipend_courses = sum(max(0, len(per_sem[k]) - c.max_courses_per_semester) for k in (1, 2))
        multi = [s for s in mine if sum(1 for n in s["grades"].values() if n > 0) > 1]
        hours = 0.0
        if previous is not None:
            before = {s["course_id"] for s in previous if s["teacher_id"] == t}
            now = {s["course_id"] for s in mine}
            hours = c.xtime_hours if before and now - before else 0.0
        where, site, room = PLACES.get(t, ("home", None, None))
        rows.append({"teacher_id": t, "courses_s1": len(per_sem[1]), "courses_s2": len(per_sem[2]),
                     "stipend_courses": stipend_courses, "stipend_cost": stipend_courses * c.stipend_per_course,
                     "multigrade_sections": len(multi),
                     "multigrade_cost": sum(len(MEETS[s["semester"]]) for s in multi) * c.multigrade_cost,
                     "xtime_hours": hours, "xtime_cost": hours * c.xtime_hourly_rate,
                     "work_location": where, "site_id": site, "room_id": room})
    return pd.DataFrame(rows)


def _enrollment(section: dict) -> int:
    """The section's students, unless a test set `enrollment` by hand."""
    return sum(section["grades"].values()) if section["enrollment"] is None else section["enrollment"]


def plan_frames(teacher_ids: list[str], sections: list[dict], previous: list[dict] | None = None) -> tuple[dict, dict]:
    """sections, section_grades, teachers frames and run.json (status OPTIMAL, costs, vacancies) of a plan."""
    cols = ["section_id", "school_id", "course_id", "semester", "period_id", "teacher_id", "enrollment"]
    frames = {
        "sections": pd.DataFrame([{**{k: s[k] for k in cols}, "enrollment": _enrollment(s)} for s in sections],
                                 columns=cols),
        "section_grades": pd.DataFrame([{"section_id": s["section_id"], "grade": g, "students": n}
                                        for s in sections for g, n in sorted(s["grades"].items())],
                                       columns=["section_id", "grade", "students"]),
        "teachers": teacher_costs(teacher_ids, sections, previous),
    }
    t = frames["teachers"]
    costs = {"stipend": float(t.stipend_cost.sum()), "multigrade": float(t.multigrade_cost.sum()),
             "xtime": float(t.xtime_cost.sum())}
    costs["total"] = sum(costs.values())
    vacancies = [{"section_id": s["section_id"], "course_id": s["course_id"], "grades": sorted(s["grades"]),
                  "reason": "no teacher holds the credential"} for s in sections if s["teacher_id"] is None]
    run = {"status": "OPTIMAL", "costs": costs, "vacancies": {"count": len(vacancies), "items": vacancies}}
    return frames, run


@dataclass
class Case:
    """A tiny district and a hand-made plan for it, checked the way `vastaff check` does."""

    tmp: Path
    tables: dict = field(default_factory=tiny_tables)
    sections: list[dict] = field(default_factory=valid_sections)
    previous: list[dict] | None = None

    sec = staticmethod(sec)

    def section(self, section_id: str) -> dict:
        return next(s for s in self.sections if s["section_id"] == section_id)

    def teacher(self, teacher_id: str) -> dict:
        return next(t for t in self.tables["teachers"] if t["teacher_id"] == teacher_id)

    def demand(self, course_id: str, grade: int, students: int) -> None:
        """Set (or add) the demand of a course and grade."""
        rows = self.tables["demand"]
        for r in rows:
            if r["course_id"] == course_id and r["grade"] == grade:
                r["students"] = students
                return
        school = next(c["school_id"] for c in self.tables["courses"] if c["course_id"] == course_id)
        rows.append({"school_id": school, "course_id": course_id, "grade": grade, "students": students})

    def write_data(self) -> Path:
        """Write the data folder (with previous/ when set)."""
        data = write_tables(self.tmp / "data", self.tables)
        if self.previous is not None:
            frames, run = plan_frames(self.teacher_ids(), self.previous)
            write_plan(data / "previous", frames, run)
        return data

    def write_plan(self, edit: Callable[[dict, dict], None] | None = None, name: str = "plan") -> Path:
        """Write the plan folder; `edit(frames, run)` may change it first."""
        frames, run = plan_frames(self.teacher_ids(), self.sections, self.previous)
        if edit is not None:
            edit(frames, run)
        return write_plan(self.tmp / name, frames, run)

    def write(self, edit: Callable[[dict, dict], None] | None = None, name: str = "plan") -> tuple[Path, Path]:
        """Write the data folder and the plan folder; return both paths."""
        return self.write_data(), self.write_plan(edit, name)

    def teacher_ids(self) -> list[str]:
        return [t["teacher_id"] for t in self.tables["teachers"]]

    def report(self, edit: Callable[[dict, dict], None] | None = None, every_module: bool = False) -> CheckReport:
        """Check the plan (after `edit`) against the district, the way `vastaff check DATA PLAN` does.

        By default only the section rule modules run (faster, and blind to the people rules of part B, which
        these plans are not about); `every_module=True` runs the whole checker.
        """
        modules = None if every_module else SECTION_MODULES
        return run_checks(self.district(), load_plan(self.write_plan(edit)), CONTRACT, modules=modules)

    def district(self):
        """The loaded district, cached per content of the tables (and previous plan) to keep the tests fast."""
        key = json.dumps([self.tables, self.previous], sort_keys=True, default=str)
        if key not in _DISTRICTS:
            _DISTRICTS[key] = load_district(self.write_data(), CONTRACT)
        return _DISTRICTS[key]


    @staticmethod
    def rules(report: CheckReport) -> list[str]:
        return [v.rule for v in report.violations]

    @staticmethod
    def only(report: CheckReport, rule: str):
        """The single violation of the report, asserting it is the only one and of `rule`."""
        assert [v.rule for v in report.violations] == [rule], [str(v) for v in report.violations]
        return report.violations[0]

    @staticmethod
    def keys(violation) -> list[str]:
        """A violation's rows as 'file:key'."""
        return [str(r) for r in violation.rows]

    def remove(self, section_id: str) -> None:
        self.sections = [s for s in self.sections if s["section_id"] != section_id]

    def add_course(self, course_id: str, subject: str, credential: str, level: str = "high", program: str = "general",
                   semester: str = "1", title: str | None = None) -> None:
        self.tables["courses"].append({"course_id": course_id, "school_id": "VA1", "title": title or course_id,
                                       "subject": subject, "credential": credential, "level": level,
                                       "program": program, "semester": semester})

    def grade_two_homeroom(self, title: str = "Grade 2 Homeroom") -> "Case":
        """E2's homeroom S-E2 becomes grade 2 (course EL-2), E1's stays grade 1: 20 students each."""
        self.add_course("EL-2", "elementary", "multiple_subject", level="elementary", semester="year", title=title)
        self.demand("EL-1", 1, 20)
        self.demand("EL-2", 2, 20)
        self.section("S-E2").update(course_id="EL-2", grades={2: 20})
        return self

    def add_teacher(self, teacher_id: str, **changes) -> dict:
        """A new teacher of VA1, copied from H1 (high, math, 9-12), at home, with `changes` applied."""
        t = {**copy.deepcopy(self.teacher("H1")), "teacher_id": teacher_id, "name": f"Teacher {teacher_id}",
             "current_site_id": "", "work_location": "home", "requested_site_ids": "", "stipend_consent": "false",
             **changes}
        self.tables["teachers"].append(t)
        return t


@pytest.fixture
def case(tmp_path: Path) -> Case:
    """The tiny district with the valid plan of valid_sections()."""
    return Case(tmp_path)


# ------------------------------------------------------------------------------------------------
# A synthetic big district and a valid plan for it, built in memory (for timing the checker).


def big_district_and_plan(n_teachers: int, per_school: int = 400):
    """`n_teachers` teachers in schools of `per_school` (1/4 elementary), each with a valid load.

    High teacher i: year course Y_i in P1 (grades 9 and 10: multi-grade, $1,200), two sections of A_i in P2 in
    semester 1 (same course), B_i in P2 in semester 2. Elementary teacher j: one grade-(1 + j % 5) homeroom of 20.
    Every cost column of teachers.csv is written by construction, not by the checker.
    """
    from vastaff.schemas.district import District, Plan
    from vastaff.io.tables import empty_frame
    from vastaff.schemas.inputs import INPUT_TABLES
    from vastaff.schemas.plan import PLAN_TABLES

    ids = [f"T{i:06d}" for i in range(n_teachers)]
    school = [f"VA{i // per_school + 1:03d}" for i in range(n_teachers)]
    elementary = [(i % per_school) < per_school // 4 for i in range(n_teachers)]
    schools = sorted(set(school))
    teachers = pd.DataFrame({
        "teacher_id": ids, "name": [f"Teacher {i}" for i in range(n_teachers)], "school_id": school,
        "level": ["elementary" if e else "high" for e in elementary], "department": "general", "role": "classroom",
        "seniority_date": pd.to_datetime("2010-01-01") + pd.to_timedelta([i % 5000 for i in range(n_teachers)], "D"),
        "seniority_tiebreak": range(n_teachers),
        "credentials": [("multiple_subject",) if e else ("hs",) for e in elementary],
        "grade_min": [0 if e else 9 for e in elementary], "grade_max": [5 if e else 12 for e in elementary],
        "home_region_id": "R1", "current_site_id": None, "work_location": "home", "ra_status": "none",
        "stipend_consent": False, "requested_site_ids": [() for _ in ids], "_row": range(2, n_teachers + 2)})
    sections, grades, courses = [], [], []
    for i, (t, s, e) in enumerate(zip(ids, school, elementary)):
        if e:
            g = 1 + i % 5
            course = f"EL{g}-{s}"
            sections.append((f"S{t}-H", s, course, "year", "homeroom", t))
            grades.append((f"S{t}-H", g, 20))
            continue
        subject = f"subject{i % 10}"
        for kind, semester in (("Y", "year"), ("A", "1"), ("B", "2")):
            courses.append((f"{kind}{t}", s, f"{kind} {t}", subject, "hs", "high", "general", semester))
        sections += [(f"S{t}-Y", s, f"Y{t}", "year", "P1", t), (f"S{t}-A1", s, f"A{t}", "1", "P2", t),
                     (f"S{t}-A2", s, f"A{t}", "1", "P2", t), (f"S{t}-B", s, f"B{t}", "2", "P2", t)]
        grades += [(f"S{t}-Y", 9, 20), (f"S{t}-Y", 10, 5), (f"S{t}-A1", 9, 24), (f"S{t}-A2", 9, 24),
                   (f"S{t}-B", 10, 25)]
    courses += [(f"EL{g}-{s}", s, f"Grade {g}", "elementary", "multiple_subject", "elementary", "general", "year")
                for s in schools for g in range(1, 6)]
    sections = pd.DataFrame(sections, columns=["section_id", "school_id", "course_id", "semester", "period_id",
                                               "teacher_id"])
    grades = pd.DataFrame(grades, columns=["section_id", "grade", "students"])
    sections["enrollment"] = sections.section_id.map(grades.groupby("section_id").students.sum()).astype("int64")
    courses = pd.DataFrame(courses, columns=["course_id", "school_id", "title", "subject", "credential", "level",
                                             "program", "semester"])
    placed = grades.merge(sections[["section_id", "course_id", "school_id"]], on="section_id")
    demand = placed.groupby(["school_id", "course_id", "grade"], as_index=False).students.sum()
    periods = pd.DataFrame([(s, p, k, o) for s in schools for p, k, o in
                            (("ADV", "advisory", 0), ("P1", "academic", 1), ("P2", "academic", 2),
                             ("P3", "academic", 3))], columns=["school_id", "period_id", "kind", "order"])
    high = ~teachers.level.eq("elementary")
    plan_teachers = pd.DataFrame({
        "teacher_id": ids, "courses_s1": high.map({True: 2, False: 1}).astype("int64"),
        "courses_s2": high.map({True: 2, False: 1}).astype("int64"), "stipend_courses": 0, "stipend_cost": 0.0,
        "multigrade_sections": high.astype("int64"), "multigrade_cost": high * 2 * CONTRACT.multigrade_cost,
        "xtime_hours": 0.0, "xtime_cost": 0.0, "work_location": "home", "site_id": None, "room_id": None})
    multigrade = float(plan_teachers.multigrade_cost.sum())

    def rows(frame):
        return frame.assign(_row=range(2, len(frame) + 2)).reset_index(drop=True)

    tables = {
        "schools": pd.DataFrame({"school_id": schools, "name": schools, "region_id": "R1",
                                 "levels": [("elementary", "high")] * len(schools)}),
        "regions": pd.DataFrame({"region_id": ["R1"], "name": ["North"], "x_km": [0.0], "y_km": [0.0]}),
        "sites": pd.DataFrame({"site_id": ["S1"], "name": ["Center"], "region_id": ["R1"], "priority_site": [True],
                               "status": ["open"]}),
        "rooms": pd.DataFrame({"room_id": ["S1-1"], "site_id": ["S1"], "kind": ["classroom"], "capacity": [1],
                               "partitions": [False]}),
        "teachers": teachers.drop(columns="_row"), "courses": courses, "demand": demand, "periods": periods,
    }
    frames = {name: rows(tables[name]) if name in tables else empty_frame(INPUT_TABLES[name][0])
              for name in INPUT_TABLES}
    district = District(**frames, path="synthetic")
    plan = Plan(sections=rows(sections), section_grades=rows(grades), teachers=rows(plan_teachers),
                iep_assignments=empty_frame(PLAN_TABLES["iep_assignments"]),
                caseloads=empty_frame(PLAN_TABLES["caseloads"]),
                run={"status": "OPTIMAL", "costs": {"stipend": 0.0, "multigrade": multigrade, "xtime": 0.0,
                                                    "total": multigrade},
                     "vacancies": {"count": 0, "items": []}})
    return district, plan


@pytest.fixture
def big_plan():
    """big_district_and_plan(n_teachers) -> (District, Plan), valid by construction."""
    return big_district_and_plan
