"""The figures a negotiator reads for one run, computed from the plan tables (and the data it was solved on).

Costs and doubled periods come from run.json (the solver's own totals, which `vastaff check` recomputes); counts
and means are computed here from the tables, so every run is measured the same way whatever the solver reports. A
figure that cannot be known (no displacement was simulated, no matrix.csv, no data folder at hand) is None, shown as
a dash; every figure of a run that found no plan (INFEASIBLE) is NO_PLAN, shown as it is written.
"""

from __future__ import annotations

import math
import numbers

import pandas as pd

from vastaff.check import matrix as a9_1
from vastaff.check.core import CheckContext
from vastaff.contract import ContractModel
from vastaff.schemas.district import District, Plan

A82_PROGRAMS = ("special_education", "tk", "utk")

FIGURES: list[tuple[str, str, str]] = [
    # (key, label, format)
    ("status", "status", "text"),
    ("cost_total", "total cost", "money"),
    ("cost_stipend", "  stipends (A6.3)", "money"),
    ("cost_multigrade", "  multi-grade differential (A8.5)", "money"),
    ("cost_xtime", "  X-time (A12)", "money"),
    ("sections", "sections", "int"),
    ("sections_K-3", "  K-3 sections (A8.1)", "int"),
    ("mean_K-3", "  K-3 mean size", "float"),
    ("sections_4-12", "  4-12 sections (A8.1)", "int"),
    ("mean_4-12", "  4-12 mean size", "float"),
    ("sections_programs", "  program sections (A8.2)", "int"),
    ("vacancies", "vacancies (DEMAND)", "int"),
    ("teachers_without_sections", "classroom teachers without sections", "int"),
    ("stipend_courses", "stipend courses (A6.3)", "int"),
    ("multigrade_sections", "multi-grade sections (A8.5)", "int"),
    ("xtime_teachers", "teachers owed X-time (A12)", "int"),
    ("doubled_periods", "doubled periods (A6.1)", "int"),
    ("on_site", "teachers on site", "int"),
    ("at_home", "teachers at home", "int"),
    ("room_shortfall", "room shortfall (A19)", "int"),
    ("moved_site", "teachers away from their current site", "int"),
    ("iep_spread", "IEP spread, worst school (A7.1)", "int"),
    ("iep_unassigned", "IEP meetings unassigned (A7.1)", "int"),
    ("needs_coverage", "IEP meetings needing coverage (A7.2)", "int"),
    ("caseload_max", "largest caseload (A7.3)", "int"),
    ("caseload_cap", "  caseload cap", "int"),
    ("caseload_unassigned", "caseload students unassigned (A7.3)", "int"),
    ("displaced", "displaced (A11)", "int"),
    ("moved_level", "moved level (A10.1)", "int"),
    ("displacement_xtime", "  X-time of those moves (A12, not in total)", "money"),
    ("matrix_teachers", "teachers who ranked choices (A9.1)", "int"),
    ("matrix_first_choice", "  granted their first choice", "int"),
    ("matrix_none_granted", "  granted none of their choices", "int"),
    ("matrix_senior_without", "  most senior granted none (seniority #)", "int"),
    ("check_violations", "contract violations (vastaff check)", "int"),
    ("teachers_changed", "teachers affected vs base (per-teacher list)", "int"),
]
"""Every figure of the comparison, in reading order (`teachers_changed` is filled in by the comparison)."""

NO_PLAN = "infeasible"
"""Each figure of an INFEASIBLE run (compare's cells, compare.csv, sweep.csv): there is no plan to measure, so it is
neither unknown (`-`) nor $0 — nor the cost of the schools that did solve."""

LABELS = {key: label for key, label, _ in FIGURES}
FORMATS = {key: fmt for key, _, fmt in FIGURES}


def plan_figures(plan: Plan, district: District | None = None, contract: ContractModel | None = None,
                 check_report=None, matrix_listed: bool = False) -> dict:
    """Every figure of FIGURES for one plan (None where it cannot be known). `matrix_listed`: the district's data has
    a matrix.csv, which may have no row (then nobody ranked a choice: 0 of 0, not unknown)."""
    run = plan.run or {}
    costs = run.get("costs") or {}
    f: dict[str, object] = {key: None for key, _, _ in FIGURES}
    f["status"] = run.get("status")
    for part in ("total", "stipend", "multigrade", "xtime"):
        f[f"cost_{part}"] = _number(costs.get(part))
    f |= section_figures(plan, district, contract)
    f |= teacher_figures(plan, district)
    f |= location_figures(plan, district, run)
    f |= iep_figures(plan, district, run, check_report)
    f |= caseload_figures(plan, district, contract, run)
    f |= displacement_figures(plan.displacement)
    f["doubled_periods"] = _count_of((run.get("periods") or {}).get("doubled"))
    f |= matrix_figures(plan, district, contract, run, matrix_listed)
    if check_report is not None:
        f["check_violations"] = len(check_report.violations)
    return f


def section_figures(plan: Plan, district: District | None, contract: ContractModel | None) -> dict:
    """Sections, vacancies, and per A8.1 band the general/ELD sections and their mean enrollment."""
    s = plan.sections
    out: dict[str, object] = {"sections": len(s), "vacancies": int(s["teacher_id"].isna().sum()) if len(s) else 0}
    vac = (plan.run or {}).get("vacancies")
    if isinstance(vac, dict) and isinstance(vac.get("count"), numbers.Number):
        out["vacancies"] = int(vac["count"])
    if district is None or contract is None:
        return out
    programs = s["course_id"].map(district.courses.set_index("course_id")["program"])
    grades = plan.section_grades[plan.section_grades["students"] > 0]
    top = grades[grades["grade"] >= 0].groupby("section_id")["grade"].max()
    band = s["section_id"].map(top).fillna(0).astype(int).map(contract.band_of)
    general = programs.isin(["general", "eld"])
    for name in contract.band_mean_max:
        in_band = s[general & (band == name)]
        out[f"sections_{name}"] = len(in_band)
        out[f"mean_{name}"] = round(float(in_band["enrollment"].mean()), 2) if len(in_band) else None
    out["sections_programs"] = int(programs.isin(A82_PROGRAMS).sum())
    return out


def teacher_figures(plan: Plan, district: District | None) -> dict:
    """Classroom teachers without a section; stipend courses, multi-grade sections, teachers owed X-time."""
    t = plan.teachers
    if t.empty:
        return {}
    taught = set(plan.sections["teacher_id"].dropna())
    if district is not None:
        classroom = district.teachers.loc[district.teachers["role"] == "classroom", "teacher_id"]
    else:
        classroom = t["teacher_id"]
    return {
        "teachers_without_sections": int((~classroom.isin(taught)).sum()),
        "stipend_courses": int(t["stipend_courses"].sum()),
        "multigrade_sections": int(t["multigrade_sections"].sum()),
        "xtime_teachers": int((t["xtime_hours"] > 0).sum()),
    }


def location_figures(plan: Plan, district: District | None, run: dict) -> dict:
    """On site / at home; A19 shortfall (site choosers left at home); teachers not at their current site."""
    t = plan.teachers
    if t.empty:
        return {}
    out: dict[str, object] = {"on_site": int((t["work_location"] == "site").sum()),
                              "at_home": int((t["work_location"] == "home").sum()),
                              "room_shortfall": _count_of(_reported(run, "room_shortfall"))}
    if district is None:
        return out
    d = district.teachers[["teacher_id", "work_location", "current_site_id"]].merge(
        t[["teacher_id", "site_id"]].rename(columns={"site_id": "plan_site"}), on="teacher_id", how="left")
    out["room_shortfall"] = int(((d["work_location"] == "site") & d["plan_site"].isna()).sum())
    has_site = d["current_site_id"].notna()
    out["moved_site"] = int((has_site & (d["plan_site"].isna() | (d["plan_site"] != d["current_site_id"]))).sum())
    return out


def iep_figures(plan: Plan, district: District | None, run: dict, check_report) -> dict:
    """A7.1 spread (worst school, as `vastaff check` measures it), meetings unassigned, A7.2 coverage."""
    a = plan.iep_assignments
    out: dict[str, object] = {"needs_coverage": int(a["needs_coverage"].astype(bool).sum()) if len(a) else 0,
                              "iep_spread": _school_max(_reported(run, "iep"), "spread")}
    if district is not None:
        out["iep_unassigned"] = int((~district.iep_meetings["meeting_id"].isin(a["meeting_id"])).sum())
    spreads = [r.get("plan_spread") for rows in _figure_rows(check_report) for r in rows
               if isinstance(r, dict) and "plan_spread" in r]
    spreads = [s for s in spreads if isinstance(s, numbers.Number)]
    if spreads:
        out["iep_spread"] = int(max(spreads))
    return out


def caseload_figures(plan: Plan, district: District | None, contract: ContractModel | None, run: dict) -> dict:
    """A7.3: the largest caseload, the cap, students without a resource specialist."""
    c = plan.caseloads
    out: dict[str, object] = {"caseload_max": int(c.groupby("teacher_id").size().max()) if len(c) else
                              _school_max(_reported(run, "caseloads"), "max")}
    if contract is not None:
        out["caseload_cap"] = contract.caseload_cap
    if district is not None:
        out["caseload_unassigned"] = int((~district.sped_students["student_id"].isin(c["student_id"])).sum())
        if not len(c) and len(district.sped_students) == 0:
            out["caseload_max"] = 0
    return out


def displacement_figures(displacement: pd.DataFrame | None) -> dict:
    """A10.1 / A11 counts and the X-time owed to the teachers moved level (A12, displacement.csv's `xtime_cost`:
    the displacement's own cost, beside the plan's); None when no displacement was simulated."""
    if displacement is None:
        return {}
    owed = pd.to_numeric(displacement["xtime_cost"], errors="coerce") if "xtime_cost" in displacement else None
    return {"displaced": int((displacement["outcome"] == "displaced").sum()),
            "moved_level": int((displacement["outcome"] == "moved_level").sum()),
            "displacement_xtime": round(float(owed.fillna(0).sum()), 2) if owed is not None else None}


def matrix_figures(plan: Plan, district: District | None, contract: ContractModel | None, run: dict,
                   listed: bool = False) -> dict:
    """A9.1: teachers who ranked choices in matrix.csv, those granted their first choice, those granted none, and
    `matrix_senior_without`: the District seniority place (1 = most senior, as District.seniority_order ranks the
    whole roster) of the most senior teacher granted none of their choices — None when everyone got one.

    With the data at hand, read from the plan exactly as `vastaff check` reads it (check/matrix.py: a grade row is
    granted by the teacher's homeroom holding that grade, a course row by a section of the course, a level row by
    a section of that level); without it, the counts come from run.json's `matrix` block and the seniority figure
    is unknown. No matrix.csv: every figure None; a matrix.csv of no row (`listed`): nobody ranked a choice, so the
    counts are 0 (0 granted of 0) and the seniority figure None, as when everyone got one."""
    if district is None or contract is None:
        return _reported_matrix(run.get("matrix"))
    if district.matrix.empty:
        return dict.fromkeys(("matrix_teachers", "matrix_first_choice", "matrix_none_granted"), 0) if listed else {}
    if plan.sections.empty and plan.teachers.empty:
        return {}
    ctx = CheckContext(district, plan, contract)
    got = a9_1.granted(ctx)
    without = got.teacher_id[got.received.isna()]
    return {"matrix_teachers": len(got), "matrix_first_choice": int(got.received.eq(1).sum()),
            "matrix_none_granted": len(without),
            "matrix_senior_without": int(without.map(a9_1.seniority(ctx)).min()) if len(without) else None}


def _reported_matrix(block: object) -> dict:
    """The district's sums of run.json's `matrix` block {school: {level: {teachers_with_choices, ...}}}."""
    if not isinstance(block, dict):
        return {}
    cells = [f for levels in block.values() if isinstance(levels, dict) for f in levels.values() if isinstance(f, dict)]

    def total(field: str) -> int | None:
        values = [_count_of(c.get(field)) for c in cells]
        return None if not values or None in values else sum(values)

    return {"matrix_teachers": total("teachers_with_choices"), "matrix_first_choice": total("first_choice"),
            "matrix_none_granted": total("none_granted")}


def _figure_rows(check_report) -> list[list]:
    if check_report is None:
        return []
    return [v for v in check_report.figures.values() if isinstance(v, list)]


def _reported(run: dict, key: str) -> object:
    """A figure the solver reported in run.json, top level or under `people` (read defensively)."""
    people = run.get("people") if isinstance(run.get("people"), dict) else {}
    return run.get(key, people.get(key))


def _school_max(block: object, field: str) -> int | None:
    """The largest per-school `field` of a run.json block {schools: {id: {field: n}}} (or a plain number)."""
    if isinstance(block, dict) and isinstance(block.get("schools"), dict):
        values = [v.get(field) for v in block["schools"].values() if isinstance(v, dict)]
        values = [v for v in values if isinstance(v, numbers.Number) and not isinstance(v, bool)]
        return int(max(values)) if values else None
    return _count_of(block)


def _number(v: object) -> float | None:
    return float(v) if isinstance(v, numbers.Number) and not isinstance(v, bool) else None


def _count_of(v: object) -> int | None:
    """A run.json figure that may be a number or {count: n}."""
    if isinstance(v, dict):
        v = v.get("count")
    return int(v) if isinstance(v, numbers.Number) and not isinstance(v, bool) else None


# ---------------------------------------------------------------------------------------------------------
# Formatting, for the terminal table, the charts and the HTML page


def number(v, default: float | None = 0.0) -> float | None:
    """A figure as a float; `default` for a missing, textual or NaN value."""
    if v is None or isinstance(v, (bool, str)):
        return default
    try:
        x = float(v)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(x) else x


def format_value(key: str, v, sign: bool = False) -> str:
    """A figure as people read it: $1,200 / 22.14 / 1,234 / text; a dash when unknown, NO_PLAN as it is; `sign`:
    +4 for changes."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    fmt = FORMATS.get(key, "int")
    if fmt == "text" or (isinstance(v, str) and v == NO_PLAN):
        return str(v)
    x = number(v)
    plus = "+" if sign and x > 0 else ""
    if fmt == "money":
        return f"{'-' if x < 0 else plus}${abs(x):,.0f}"
    if fmt == "float":
        return f"{plus}{x:,.2f}"
    return f"{plus}{int(round(x)):,}"
