"""One-screen summary of a valid district (`vastaff validate`): who, what, and whether it can fit.

The capacity figures are quick lower bounds an analyst can check by hand, not a solve: sections needed at the
A8.1 band means (and A8.2 program norms) against the sections the school's classroom teachers can hold.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vastaff.contract import ContractModel
from vastaff.schemas.district import District

MEAN_PROGRAMS = ("general", "eld")
"""Programs whose sections count in the A8.1 band means; the others have their own A8.2 norm."""


def headline(d: District, contract: ContractModel) -> str:
    """One sentence: the size of the district and which optional inputs are present."""
    t, s = d.teachers, d.sites
    specialists = int((t.role == "resource_specialist").sum())
    previous = f"previous plan {d.previous.path}" if d.previous is not None else "no previous plan"
    return (
        f"{d.path}: valid. {len(d.schools)} school(s), {len(t)} teacher(s) ({len(t) - specialists} classroom, "
        f"{specialists} resource specialist(s)), {len(d.courses)} course(s), {int(d.demand.students.sum())} course "
        f"seat(s), {len(s)} site(s) ({int((s.status == 'open').sum())} open), {len(d.rooms)} room(s); "
        f"{len(d.iep_meetings)} IEP meeting(s), {len(d.sped_students)} caseload student(s), "
        f"{'positions.csv' if d.has_positions else 'no positions.csv'}, {previous}. "
        f"Contract model {contract.name}."
    )


def staff_by_school_level(d: District) -> pd.DataFrame:
    """Teachers (classroom / resource specialists / special-education department), courses and seats per school and level."""
    t = d.teachers.assign(
        classroom=d.teachers.role.eq("classroom"),
        specialists=d.teachers.role.eq("resource_specialist"),
        sped_dept=d.teachers.department.eq("special_education"),
    )
    staff = t.groupby(["school_id", "level"]).agg(
        classroom=("classroom", "sum"), specialists=("specialists", "sum"), sped_dept=("sped_dept", "sum"))
    courses = d.courses.groupby(["school_id", "level"]).size().rename("courses")
    dem = d.demand.merge(d.courses[["course_id", "level"]], on="course_id")
    seats = dem.groupby(["school_id", "level"]).students.sum().rename("course_seats")
    out = pd.concat([staff, courses, seats], axis=1).fillna(0).astype(int).reset_index()
    return out.sort_values(["school_id", "level"], kind="stable").reset_index(drop=True)


def _semester_demand(d: District, contract: ContractModel) -> pd.DataFrame:
    """Demand rows with their course, band (A8.1) and semester; a `year` course counts in both semesters."""
    dem = d.course_grades(contract)
    dem = dem.assign(band=dem.grade.clip(lower=0).map(contract.band_of))
    halves = dem.assign(sem=dem.semester.map({"1": ("1",), "2": ("2",), "year": ("1", "2")})).explode("sem")
    return halves


def _sections_needed(dem: pd.DataFrame, contract: ContractModel) -> pd.DataFrame:
    """Per school, level and semester: sections needed at the band means (A8.1) and program norms (A8.2)."""
    means, norms = contract.band_mean_max, contract.program_max
    in_mean = dem[dem.program.isin(MEAN_PROGRAMS)]
    by_band = in_mean.groupby(["school_id", "level", "sem", "band"]).students.sum().reset_index()
    by_band["needed"] = -(-by_band.students // by_band.band.map(means))
    programs = dem[~dem.program.isin(MEAN_PROGRAMS)]
    by_program = programs.groupby(["school_id", "level", "sem", "program"]).students.sum().reset_index()
    by_program["needed"] = -(-by_program.students // by_program.program.map(norms))
    needed = pd.concat([by_band, by_program])
    return needed.groupby(["school_id", "level", "sem"]).needed.sum().reset_index()


def band_capacity(d: District, contract: ContractModel) -> pd.DataFrame:
    """Per school and level: seats per A8.1 band and in A8.2 programs, sections needed, and what teachers can hold.

    Elementary: sections are year-long homerooms, one per classroom teacher. Secondary: per semester, each
    classroom teacher holds up to `max_sections_per_period` sections in each academic period (A6.1); the
    busier semester is shown.
    """
    cols = ["school_id", "level", "seats_K-3", "seats_4-12", "seats_programs", "sections_needed", "capacity", "unit", "fits"]
    dem = _semester_demand(d, contract)
    if dem.empty:
        return pd.DataFrame(columns=cols)
    once = dem.drop_duplicates(["course_id", "grade"])
    seats = once.assign(key=once.band.where(once.program.isin(MEAN_PROGRAMS), "programs"))
    seats = seats.pivot_table(index=["school_id", "level"], columns="key", values="students", aggfunc="sum", fill_value=0)
    seats = seats.reindex(columns=["K-3", "4-12", "programs"], fill_value=0).add_prefix("seats_")
    needed = _sections_needed(dem, contract)
    needed = needed.groupby(["school_id", "level"]).needed.max().rename("sections_needed")
    out = pd.concat([seats, needed], axis=1).fillna(0).astype(int).reset_index()
    teachers = d.teachers[d.teachers.role == "classroom"].groupby(["school_id", "level"]).size().rename("teachers")
    periods = d.academic_periods().groupby("school_id").size().rename("periods")
    out = out.merge(teachers.reset_index(), on=["school_id", "level"], how="left")
    out = out.merge(periods.reset_index(), on="school_id", how="left").fillna({"teachers": 0, "periods": 0})
    elementary = out.level == "elementary"
    per_teacher = out.periods * contract.max_sections_per_period
    out["capacity"] = out.teachers.where(elementary, out.teachers * per_teacher).astype(int)
    out["unit"] = elementary.map({True: "homerooms", False: "sections/semester"})
    out["fits"] = (out.sections_needed <= out.capacity).map({True: "yes", False: "NO"})
    return out[cols].sort_values(["school_id", "level"], kind="stable").reset_index(drop=True)


def rooms_vs_choosers(d: District) -> pd.DataFrame:
    """Per region: room places at open sites (A19) vs. teachers who chose `site` or `either`.

    A teacher counts in the region of their current site, or of their home if they have none.
    """
    rooms = d.rooms.merge(d.sites[["site_id", "region_id", "status"]], on="site_id")
    rooms = rooms[rooms.status == "open"]
    places = rooms.assign(places=rooms.capacity.where((rooms.kind == "shared") & rooms.partitions, 1))
    per_region = places.groupby("region_id").places.sum().rename("room_places")
    open_sites = d.sites[d.sites.status == "open"].groupby("region_id").size().rename("open_sites")
    t = d.teachers.merge(d.sites[["site_id", "region_id"]].rename(columns={"site_id": "current_site_id"}),
                         on="current_site_id", how="left")
    t = t.assign(region_id=t.region_id.fillna(t.home_region_id))
    choosers = pd.crosstab(t.region_id, t.work_location).reindex(columns=["site", "either"], fill_value=0)
    choosers.columns = ["site_choosers", "either"]
    out = pd.concat([open_sites, per_region, choosers], axis=1).fillna(0).astype(int)
    out = out.reindex(sorted(out.index)).reset_index(names="region_id")
    total = pd.DataFrame([{"region_id": "all", **out.drop(columns="region_id").sum().to_dict()}])
    out = pd.concat([out, total], ignore_index=True) if len(out) else out
    out["fits"] = np.select([out.site_choosers + out.either <= out.room_places, out.site_choosers <= out.room_places],
                            ["yes", "site only"], default="NO")
    return out


def school_level_table(d: District, contract: ContractModel) -> pd.DataFrame:
    """The summary's main table: staff, seats per band, sections needed vs. capacity, per school and level."""
    staff = staff_by_school_level(d)[["school_id", "level", "classroom", "specialists"]]
    cap = band_capacity(d, contract).drop(columns=["unit"])
    out = staff.merge(cap, on=["school_id", "level"], how="outer")
    counts = ["classroom", "specialists", "seats_K-3", "seats_4-12", "seats_programs", "sections_needed", "capacity"]
    out[counts] = out[counts].fillna(0).astype(int)
    out["fits"] = out.fits.fillna("yes")
    return out.sort_values(["school_id", "level"], kind="stable").reset_index(drop=True)
